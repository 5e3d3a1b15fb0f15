//! 淘宝/天猫: the order list (订单报表, one row per order) and the item list (宝贝报表, one row per
//! line) joined by 订单编号. Taobao's headers end in spaces; they are trimmed as every header is.

use std::path::Path;

use anyhow::Result;

use super::clean::Cells;
use super::{after_sale, AfterSale, Head, Items, PLine, ReadResult, Reading, Row, Stage};
use crate::import::{CsvInput, ImportOptions, RowError};

pub const FIELDS: &[&str] = &[
    "订单编号",
    "买家会员名",
    "买家实际支付金额",
    "买家应付邮费",
    "订单状态",
    "收货地址",
    "订单创建时间",
    "订单付款时间",
    "物流单号",
    "物流公司",
    "退款金额",
];

pub const REQUIRED: &[&str] = &["订单编号", "买家实际支付金额", "订单状态", "订单创建时间"];

/// The item list's headers.
const ITEM_FIELDS: &[&str] = &[
    "订单编号",
    "标题",
    "价格",
    "购买数量",
    "商家编码",
    "订单状态",
];
const ITEM_REQUIRED: &[&str] = &["订单编号", "价格", "购买数量", "商家编码"];

/// The column behind each field of an order file (in `MADE` order).
pub const NAMES: [&str; 15] = [
    "订单编号",
    "订单创建时间",
    "买家会员名",
    "买家会员名",
    "订单编号",
    "收货地址",
    "订单状态",
    "商家编码",
    "标题",
    "购买数量",
    "价格",
    "买家实际支付金额",
    "物流公司",
    "物流公司",
    "物流单号",
];

pub const STATUSES: &str = "等待买家付款, 买家已付款，等待卖家发货, 卖家部分发货, 卖家已发货，等待买家确认, 交易成功, 交易关闭, 交易被淘宝关闭";

pub fn stage(status: &str) -> Option<Stage> {
    Some(match status {
        "等待买家付款" => Stage::Unpaid,
        "买家已付款，等待卖家发货" => Stage::Paid,
        "卖家部分发货" | "卖家已发货，等待买家确认" => Stage::Shipped,
        "交易成功" => Stage::Done,
        "交易关闭" | "交易被淘宝关闭" => Stage::Closed,
        _ => return None,
    })
}

pub fn read(r: &mut Reading) -> ReadResult {
    let c = &r.cells;
    let mut errors: Vec<RowError> = Vec::new();
    let no = take!(errors, c.required(r.col("订单编号"), "订单编号").map(Some));
    let date = take!(errors, c.date(r.col("订单创建时间")));
    let paid_at = take!(errors, c.date(r.col("订单付款时间")));
    let paid = take!(errors, c.money(r.col("买家实际支付金额")));
    let postage = take!(errors, c.money(r.col("买家应付邮费")));
    let refund = take!(errors, c.money(r.col("退款金额")));
    let status = take!(errors, c.required(r.col("订单状态"), "订单状态").map(Some));
    let buyer = take!(errors, c.text(r.col("买家会员名")));
    let address = take!(errors, c.text(r.col("收货地址")));
    let carrier = take!(errors, c.text(r.col("物流公司")));
    let tracking = take!(errors, c.text(r.col("物流单号")));
    if !errors.is_empty() {
        return Ok(Err((no, errors)));
    }
    let province = r.provinces.of_address(r.conn, address.as_deref())?;
    let Some(no) = no else {
        return Ok(Err((None, errors)));
    };
    Ok(Ok(Row {
        no,
        head: Head {
            date,
            paid,
            postage,
            status: status.unwrap_or_default(),
            paid_at: paid_at.is_some(),
            buyer,
            province,
            ship_date: None,
            carrier,
            tracking,
            refund,
            dates: date.into_iter().chain(paid_at).collect(),
        },
        line: None,
    }))
}

/// One row of the item list: its line, or what is wrong with it (the error's line is the item
/// list's own).
pub struct Item {
    pub line: Result<PLine, RowError>,
}

/// The item list, gathered by order number, and the count of its rows without an order number (blank
/// rows among them).
pub fn read_items(opts: &ImportOptions, path: &Path, interactive: bool) -> Result<(Items, u64)> {
    let item_opts = ImportOptions {
        file: path.to_path_buf(),
        ..opts.clone()
    };
    let mut input = CsvInput::open(&item_opts, ITEM_FIELDS, ITEM_REQUIRED, interactive)?;
    let mut items = Items::new();
    let mut blank = 0;
    while input.next_record()? {
        if input
            .raw_fields()
            .iter()
            .all(|c| super::clean::clean(c).is_none())
        {
            blank += 1;
            continue;
        }
        let c = Cells {
            input: &input,
            date_format: opts.date_format.as_deref(),
        };
        let col = |f: &str| input.column(f);
        let Ok(no) = c.required(col("订单编号"), "订单编号") else {
            blank += 1;
            continue;
        };
        let line = item(&c, &col);
        items.entry(no).or_default().push(Item { line });
    }
    Ok((items, blank))
}

fn item(c: &Cells, col: &dyn Fn(&str) -> Option<usize>) -> Result<PLine, RowError> {
    let sku = c.required(
        col("商家编码"),
        "商家编码 (the item list gives no other product id)",
    )?;
    let quantity = c.quantity(col("购买数量"))?;
    let price = c.money(col("价格"))?;
    let title = c.text(col("标题"))?;
    let status = c.text(col("订单状态"))?;
    let (Some(quantity), Some(unit_price)) = (quantity, price) else {
        let missing = if quantity.is_none() {
            "购买数量"
        } else {
            "价格"
        };
        return Err(c
            .input
            .error(col(missing), format!("{missing} is required")));
    };
    // A line the item list shows closed in a paid order had its money back.
    let after_sale = match status.as_deref() {
        Some("交易关闭") | Some("交易被淘宝关闭") => AfterSale::Refunded,
        _ => after_sale(None),
    };
    Ok(PLine {
        sku,
        title,
        quantity,
        unit_price,
        after_sale,
    })
}
