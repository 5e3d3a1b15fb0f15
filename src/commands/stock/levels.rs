//! `stock list` and `stock check`: the levels of every SKU at every warehouse as of today.

use anyhow::Result;

use crate::context::Context;
use crate::domain::stock::findings;
use crate::output::{int, money, s, Cell, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{self, stock::Item, Conn};

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only this warehouse (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub warehouse: Option<String>,
    /// Only this SKU
    #[arg(long)]
    pub sku: Option<String>,
    /// Only SKUs at or below their reorder point
    #[arg(long)]
    pub reorder: bool,
}

const COLUMNS: &[&str] = &[
    "warehouse",
    "sku",
    "name",
    "on_hand",
    "reserved",
    "available",
    "reorder_at",
    "value",
];

/// The value of units on hand at the cost in force on `on` (nothing for a SKU without a price).
fn value(conn: &Conn, item: &Item, on: chrono::NaiveDate) -> Result<Cell> {
    let cost = store::products::price_in_force(conn, &item.sku, on)?.map(|p| p.cost);
    Ok(
        match cost.and_then(|c| c.checked_mul_qty(item.level.on_hand)) {
            Some(v) => money(v),
            None => Cell::Null,
        },
    )
}

pub fn list(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let warehouse = match &args.warehouse {
        Some(w) => Some(store::warehouses::must_find(&db, w)?),
        None => None,
    };
    // A SKU no product has by SKU or name filters everything out, as it always did.
    let sku = match &args.sku {
        Some(s) => {
            Some(lookup::find(&db, Kind::Product, s)?.unwrap_or_else(|| s.trim().to_string()))
        }
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for item in store::stock::items(&db, ctx.today)? {
        if warehouse.as_ref().is_some_and(|w| *w != item.warehouse)
            || sku.as_ref().is_some_and(|sku| *sku != item.sku)
            || (args.reorder && item.reorder_at.is_none_or(|n| item.level.available() > n))
        {
            continue;
        }
        let value = value(&db, &item, ctx.today)?;
        out.push(vec![
            s(&item.warehouse),
            s(&item.sku),
            s(&item.name),
            int(item.level.on_hand),
            int(item.level.reserved),
            int(item.level.available()),
            item.reorder_at.map(int).into(),
            value,
        ]);
    }
    Ok(Outcome::records(out))
}

pub fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for item in store::stock::items(&db, ctx.today)? {
        for (kind, detail) in findings(item.level, item.reorder_at) {
            out.push(vec![
                s(kind),
                s(format!("{} {}", item.warehouse, item.sku)),
                s(detail),
            ]);
        }
    }
    Ok(Outcome::findings(out))
}
