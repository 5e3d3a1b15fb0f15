//! 拼多多: one row per order, of one product. Buyers are masked: the customer is one per province.

use super::{after_sale, Head, PLine, ReadResult, Reading, Row, Stage};
use crate::domain::money::Money;
use crate::domain::rate::Rate;
use crate::import::RowError;

pub const FIELDS: &[&str] = &[
    "订单号",
    "商品",
    "商品id",
    "商品数量(件)",
    "商品总价(元)",
    "商家编码-sku维度",
    "商家编码-规格维度",
    "支付时间",
    "订单成交时间",
    "用户实付金额(元)",
    "邮费(元)",
    "订单状态",
    "售后状态",
    "省",
    "快递单号",
    "快递公司",
    "发货时间",
    "确认收货时间",
];

pub const REQUIRED: &[&str] = &[
    "订单号",
    "商品数量(件)",
    "商品总价(元)",
    "用户实付金额(元)",
    "订单状态",
];

pub const ONE_OF: &[&[&str]] = &[&["订单成交时间", "支付时间"]];

pub const NAMES: [&str; 15] = [
    "订单号",
    "订单成交时间",
    "省",
    "省",
    "订单号",
    "省",
    "订单状态",
    "商家编码-SKU维度",
    "商品",
    "商品数量(件)",
    "商品总价(元)",
    "用户实付金额(元)",
    "发货时间",
    "快递公司",
    "快递单号",
];

pub const STATUSES: &str = "待发货, 已发货，待收货, 已发货，待签收, 已收货, 已签收, 交易成功, 已取消, 未发货，退款成功, 已发货，退款成功";

pub fn stage(status: &str) -> Option<Stage> {
    Some(match status {
        "待发货" => Stage::Paid,
        "已发货，待收货" | "已发货，待签收" => Stage::Shipped,
        "已收货" | "已签收" | "交易成功" => Stage::Done,
        "已取消" => Stage::Closed,
        "未发货，退款成功" | "已发货，退款成功" => Stage::Refunded,
        _ => return None,
    })
}

pub fn read(r: &mut Reading) -> ReadResult {
    let c = &r.cells;
    let mut errors: Vec<RowError> = Vec::new();
    let no = take!(errors, c.required(r.col("订单号"), "订单号").map(Some));
    let made = take!(errors, c.date(r.col("订单成交时间")));
    let paid_on = take!(errors, c.date(r.col("支付时间")));
    let shipped = take!(errors, c.date(r.col("发货时间")));
    let received = take!(errors, c.date(r.col("确认收货时间")));
    let paid = take!(errors, c.money(r.col("用户实付金额(元)")));
    let postage = take!(errors, c.money(r.col("邮费(元)")));
    let status = take!(errors, c.required(r.col("订单状态"), "订单状态").map(Some));
    let after = take!(errors, c.text(r.col("售后状态")));
    let province = take!(errors, c.text(r.col("省")));
    let carrier = take!(errors, c.text(r.col("快递公司")));
    let tracking = take!(errors, c.text(r.col("快递单号")));
    let merchant = match take!(errors, c.text(r.col("商家编码-sku维度"))) {
        Some(m) => Some(m),
        None => take!(errors, c.text(r.col("商家编码-规格维度"))),
    };
    let product = take!(errors, c.text(r.col("商品id")));
    let title = take!(errors, c.text(r.col("商品")));
    let quantity = take!(errors, c.quantity(r.col("商品数量(件)")));
    let total = take!(errors, c.money(r.col("商品总价(元)")));
    let sku = merchant.or(product.map(|p| format!("PDD-{p}")));
    if sku.is_none() {
        errors.push(c.input.error(
            r.col_of(&["商家编码-sku维度", "商家编码-规格维度", "商品id"]),
            "商家编码 and 商品id are both empty: the order names no product".into(),
        ));
    }
    // The goods' price before discounts, per piece.
    let unit_price = match (total, quantity) {
        (Some(t), Some(q)) => Money::derive_unit_price(t, q, Rate::ZERO),
        _ => None,
    };
    if quantity.is_some() && unit_price.is_none() {
        errors.push(
            c.input
                .error(r.col("商品总价(元)"), "商品总价(元) is required".into()),
        );
    }
    let (Some(no), Some(sku), Some(quantity), Some(unit_price), true) =
        (no.clone(), sku, quantity, unit_price, errors.is_empty())
    else {
        return Ok(Err((no, errors)));
    };
    let province = r.provinces.of_column(r.conn, province.as_deref())?;
    Ok(Ok(Row {
        no,
        head: Head {
            date: made.or(paid_on),
            paid,
            postage,
            status: status.unwrap_or_default(),
            paid_at: paid_on.is_some(),
            buyer: None,
            province,
            ship_date: shipped,
            carrier,
            tracking,
            refund: None,
            dates: [made, paid_on, shipped, received]
                .into_iter()
                .flatten()
                .collect(),
        },
        line: Some(PLine {
            sku,
            title,
            quantity,
            unit_price,
            after_sale: after_sale(after.as_deref()),
        }),
    }))
}
