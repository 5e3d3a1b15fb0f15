//! The report's `stock` section: per warehouse, the units at the period's start, what moved in it by
//! kind, the closing units and their value at the cost in force at the period's end. It reads only
//! the stock rollup (and the moves of a partial month at a period's edge).

use std::collections::HashMap;

use anyhow::Result;

use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::stock::Flow;
use crate::output::{int, money, s, Records};
use crate::store::{self, Conn};

pub struct StockRow {
    pub warehouse: String,
    pub name: String,
    pub flow: Flow,
    pub closing_value: Money,
}

/// Every warehouse, in code order; none when the company keeps no stock.
pub fn build(conn: &Conn, period: &Period) -> Result<Vec<StockRow>> {
    let warehouses = store::warehouses::list(conn)?;
    if warehouses.is_empty() {
        return Ok(Vec::new());
    }
    // The cost in force at the period's end, read once for every product (a warehouse × SKU pair
    // each would be thousands of look-ups).
    let costs: HashMap<String, Money> = store::products::list(conn, period.end)?
        .into_iter()
        .map(|(p, price)| (p.sku, price.map_or(Money::ZERO, |pr| pr.cost)))
        .collect();
    let per_warehouse = match store::stock::whole_months(period.start, period.end) {
        Some((first, last)) => whole_months(conn, &first, &last, &costs)?,
        None => any_days(conn, period, &costs)?,
    };
    let mut per_warehouse = per_warehouse;
    let mut rows = Vec::with_capacity(warehouses.len());
    for w in warehouses {
        let (flow, closing_value) = per_warehouse.remove(w.code.as_str()).unwrap_or_default();
        rows.push(StockRow {
            warehouse: w.code,
            name: w.name,
            flow,
            closing_value,
        });
    }
    Ok(rows)
}

/// The worth of `units` of `sku` at `code` at its cost, added to `value`.
fn add_worth(
    value: &mut Money,
    costs: &HashMap<String, Money>,
    code: &str,
    sku: &str,
    units: i64,
) -> Result<()> {
    let cost = costs.get(sku).copied().unwrap_or(Money::ZERO);
    let worth = cost.checked_mul_qty(units).ok_or_else(|| {
        anyhow::anyhow!("the stock value of {sku} at {code} is past the range salesops holds")
    })?;
    *value = value.checked_add(worth).ok_or_else(|| {
        anyhow::anyhow!("the stock value at {code} is past the range salesops holds")
    })?;
    Ok(())
}

/// A period of whole months: the flows per warehouse from the warehouse rollup, and only the closing
/// units per SKU (for their value) from the SKU rollups.
fn whole_months(
    conn: &Conn,
    first: &str,
    last: &str,
    costs: &HashMap<String, Money>,
) -> Result<HashMap<String, (Flow, Money)>> {
    let mut out: HashMap<String, (Flow, Money)> = store::stock::warehouse_flows(conn, first, last)?
        .into_iter()
        .map(|(w, f)| (w, (f, Money::ZERO)))
        .collect();
    store::stock::closing_units(conn, last, |code, sku, units| {
        if !out.contains_key(code) {
            out.insert(code.to_string(), Default::default());
        }
        match out.get_mut(code) {
            Some((_, value)) => add_worth(value, costs, code, sku, units),
            None => Ok(()),
        }
    })?;
    Ok(out)
}

/// A period that cuts a month: every warehouse × SKU's flow, summed per warehouse.
fn any_days(
    conn: &Conn,
    period: &Period,
    costs: &HashMap<String, Money>,
) -> Result<HashMap<String, (Flow, Money)>> {
    let flows = store::stock::flows(conn, period.start, period.end)?;
    // Flows come in (warehouse, SKU) order: each warehouse's are one run.
    let mut per_warehouse: HashMap<String, (Flow, Money)> = HashMap::new();
    for ((code, sku), f) in &flows {
        let (total, value) = per_warehouse.entry(code.clone()).or_default();
        total.merge(f);
        add_worth(value, costs, code, sku, f.closing())?;
    }
    Ok(per_warehouse)
}

pub fn records(rows: &[StockRow]) -> Records {
    let mut out = Records::new(&[
        "warehouse",
        "name",
        "opening",
        "received",
        "shipped",
        "returned",
        "adjusted",
        "transferred",
        "closing",
        "closing_value",
    ]);
    for r in rows {
        let f = &r.flow;
        out.push(vec![
            s(&r.warehouse),
            s(&r.name),
            int(f.opening),
            int(f.received),
            int(f.shipped),
            int(f.returned),
            int(f.adjusted),
            int(f.transferred),
            int(f.closing()),
            money(r.closing_value),
        ]);
    }
    out
}
