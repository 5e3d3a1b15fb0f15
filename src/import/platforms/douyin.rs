//! 抖店 (抖音): one row per sub-order (子订单) under its main order (主订单编号). Buyers are masked:
//! the customer is one per province. 售后状态 is read per sub-order, so a refunded line is told apart.

use super::{after_sale, Head, PLine, ReadResult, Reading, Row, Stage};
use crate::import::RowError;

pub const FIELDS: &[&str] = &[
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品id",
    "商家编码",
    "商品数量",
    "商品单价",
    "订单提交时间",
    "订单应付金额",
    "运费",
    "订单状态",
    "售后状态",
    "省",
    "发货时间",
    "订单完成时间",
];

pub const REQUIRED: &[&str] = &[
    "主订单编号",
    "商品数量",
    "商品单价",
    "订单提交时间",
    "订单应付金额",
    "订单状态",
];

pub const NAMES: [&str; 15] = [
    "主订单编号",
    "订单提交时间",
    "省",
    "省",
    "主订单编号",
    "省",
    "订单状态",
    "商家编码",
    "选购商品",
    "商品数量",
    "商品单价",
    "订单应付金额",
    "发货时间",
    "主订单编号",
    "主订单编号",
];

pub const STATUSES: &str = "待支付, 待发货, 部分发货, 已发货, 已完成, 已关闭";

pub fn stage(status: &str) -> Option<Stage> {
    Some(match status {
        "待支付" => Stage::Unpaid,
        "待发货" => Stage::Paid,
        "部分发货" | "已发货" => Stage::Shipped,
        "已完成" => Stage::Done,
        "已关闭" => Stage::Closed,
        _ => return None,
    })
}

pub fn read(r: &mut Reading) -> ReadResult {
    let c = &r.cells;
    let mut errors: Vec<RowError> = Vec::new();
    let no = take!(
        errors,
        c.required(r.col("主订单编号"), "主订单编号").map(Some)
    );
    let date = take!(errors, c.date(r.col("订单提交时间")));
    let shipped = take!(errors, c.date(r.col("发货时间")));
    let done = take!(errors, c.date(r.col("订单完成时间")));
    let paid = take!(errors, c.money(r.col("订单应付金额")));
    let postage = take!(errors, c.money(r.col("运费")));
    let status = take!(errors, c.required(r.col("订单状态"), "订单状态").map(Some));
    let after = take!(errors, c.text(r.col("售后状态")));
    let province = take!(errors, c.text(r.col("省")));
    let merchant = take!(errors, c.text(r.col("商家编码")));
    let product = take!(errors, c.text(r.col("商品id")));
    let title = take!(errors, c.text(r.col("选购商品")));
    let quantity = take!(errors, c.quantity(r.col("商品数量")));
    let price = take!(errors, c.money(r.col("商品单价")));
    let sku = merchant.or(product.map(|p| format!("DY-{p}")));
    if sku.is_none() {
        errors.push(c.input.error(
            r.col_of(&["商家编码", "商品id"]),
            "商家编码 and 商品ID are both empty: the line names no product".into(),
        ));
    }
    if quantity.is_none() {
        errors.push(
            c.input
                .error(r.col("商品数量"), "商品数量 is required".into()),
        );
    }
    if price.is_none() {
        errors.push(
            c.input
                .error(r.col("商品单价"), "商品单价 is required".into()),
        );
    }
    let (Some(no), Some(sku), Some(quantity), Some(unit_price), true) =
        (no.clone(), sku, quantity, price, errors.is_empty())
    else {
        return Ok(Err((no, errors)));
    };
    let province = r.provinces.of_column(r.conn, province.as_deref())?;
    Ok(Ok(Row {
        no,
        head: Head {
            date,
            paid,
            postage,
            status: status.unwrap_or_default(),
            paid_at: false,
            buyer: None,
            province,
            ship_date: shipped,
            carrier: None,
            tracking: None,
            refund: None,
            dates: [date, shipped, done].into_iter().flatten().collect(),
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
