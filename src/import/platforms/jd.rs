//! 京东: one row per line; the order's values repeat on each of its rows.

use super::{AfterSale, Head, PLine, ReadResult, Reading, Row, Stage};
use crate::import::RowError;

pub const FIELDS: &[&str] = &[
    "订单号",
    "商品id",
    "商品名称",
    "订购数量",
    "京东价",
    "货号",
    "商家skuid",
    "下单时间",
    "应付金额",
    "运费金额",
    "订单状态",
    "下单帐号",
    "客户地址",
    "订单完成时间",
];

pub const REQUIRED: &[&str] = &[
    "订单号",
    "订购数量",
    "京东价",
    "下单时间",
    "应付金额",
    "订单状态",
];

pub const ONE_OF: &[&[&str]] = &[&["货号", "商家skuid", "商品id"]];

pub const NAMES: [&str; 15] = [
    "订单号",
    "下单时间",
    "下单帐号",
    "下单帐号",
    "订单号",
    "客户地址",
    "订单状态",
    "货号",
    "商品名称",
    "订购数量",
    "京东价",
    "应付金额",
    "订单号",
    "订单号",
    "订单号",
];

pub const STATUSES: &str = "等待付款, 等待出库, 等待确认收货, 完成, 已取消, (删除)…";

pub fn stage(status: &str) -> Option<Stage> {
    if status.starts_with("(删除)") || status.starts_with("（删除）") {
        return Some(Stage::Closed);
    }
    Some(match status {
        "等待付款" => Stage::Unpaid,
        "等待出库" => Stage::Paid,
        "等待确认收货" => Stage::Shipped,
        "完成" => Stage::Done,
        "已取消" => Stage::Closed,
        _ => return None,
    })
}

pub fn read(r: &mut Reading) -> ReadResult {
    let c = &r.cells;
    let mut errors: Vec<RowError> = Vec::new();
    let no = take!(errors, c.required(r.col("订单号"), "订单号").map(Some));
    let date = take!(errors, c.date(r.col("下单时间")));
    let done = take!(errors, c.date(r.col("订单完成时间")));
    let paid = take!(errors, c.money(r.col("应付金额")));
    let postage = take!(errors, c.money(r.col("运费金额")));
    let status = take!(errors, c.required(r.col("订单状态"), "订单状态").map(Some));
    let buyer = take!(errors, c.text(r.col("下单帐号")));
    let address = take!(errors, c.text(r.col("客户地址")));
    let merchant = take!(errors, c.text(r.col_of(&["货号", "商家skuid"])));
    let merchant = match merchant {
        Some(m) => Some(m),
        None => take!(errors, c.text(r.col("商家skuid"))),
    };
    let product = take!(errors, c.text(r.col("商品id")));
    let title = take!(errors, c.text(r.col("商品名称")));
    let quantity = take!(errors, c.quantity(r.col("订购数量")));
    let price = take!(errors, c.money(r.col("京东价")));
    let sku = merchant.or(product.map(|p| format!("JD-{p}")));
    if sku.is_none() {
        errors.push(c.input.error(
            r.col_of(&["货号", "商家skuid", "商品id"]),
            "货号, 商家SKUID and 商品ID are all empty: the line names no product".into(),
        ));
    }
    if quantity.is_none() {
        errors.push(
            c.input
                .error(r.col("订购数量"), "订购数量 is required".into()),
        );
    }
    if price.is_none() {
        errors.push(c.input.error(r.col("京东价"), "京东价 is required".into()));
    }
    let (Some(no), Some(sku), Some(quantity), Some(unit_price), true) =
        (no.clone(), sku, quantity, price, errors.is_empty())
    else {
        return Ok(Err((no, errors)));
    };
    let province = r.provinces.of_address(r.conn, address.as_deref())?;
    Ok(Ok(Row {
        no,
        head: Head {
            date,
            paid,
            postage,
            status: status.unwrap_or_default(),
            paid_at: false,
            buyer,
            province,
            ship_date: None,
            carrier: None,
            tracking: None,
            refund: None,
            dates: date.into_iter().chain(done).collect(),
        },
        line: Some(PLine {
            sku,
            title,
            quantity,
            unit_price,
            after_sale: AfterSale::None,
        }),
    }))
}
