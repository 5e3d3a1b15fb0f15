//! Version 3's off-list price marks: `off_list` became a net unit price (amount / quantity) above the
//! list price in force, so the marks v3.sql deleted are recomputed from every line of a counting order.
//!
//! FROZEN: this is what version 3 computes, and it must never change. It uses nothing but SQL and
//! integer arithmetic of its own: not `store::rollup`, `store::prices` nor `domain::pricing`, which
//! follow today's rules.

use std::collections::{BTreeMap, HashMap};

use crate::store::sql::{params, Connection};
use anyhow::Result;

/// Off-list ratios beyond this many millionths are kept as this.
const OFF_LIST_CAP: i128 = 10_000_000_000_000;

/// Add the `off_list` marks of every line (v3.sql removed the old ones).
pub(in crate::store) fn off_list_marks(conn: &Connection) -> Result<()> {
    // (effective, list price) per SKU, in effective order.
    let mut prices: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT sku, effective, list_price FROM prices ORDER BY sku, effective")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        prices
            .entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    let mut counts: BTreeMap<(String, i64), i64> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT o.order_date, l.sku, l.quantity, l.amount
         FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.status NOT IN ('cancelled', 'pending_approval')",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let sku: String = r.get(1)?;
        let quantity: i64 = r.get(2)?;
        let amount: i64 = r.get(3)?;
        // A line whose product had no price yet on its date has no marks.
        let Some(list) = prices.get(&sku).and_then(|history| {
            history
                .iter()
                .rev()
                .find(|(effective, _)| effective.as_str() <= date.as_str())
                .map(|(_, list)| *list)
        }) else {
            continue;
        };
        let gross = i128::from(list) * i128::from(quantity);
        let over = i128::from(amount) - gross;
        if gross <= 0 || over <= 0 {
            continue;
        }
        let diff = over * 1_000_000;
        let whole = (diff / gross).min(OFF_LIST_CAP);
        let value = i64::try_from(2 * whole + i128::from(diff % gross != 0)).unwrap_or(i64::MAX);
        let month = date.get(..7).unwrap_or(&date).to_string();
        *counts.entry((month, value)).or_default() += 1;
    }
    let mut insert = conn.prepare(
        "INSERT INTO price_marks_monthly (month, mark, value, lines) VALUES (?1, 'off_list', ?2, ?3)
         ON CONFLICT (month, mark, value) DO UPDATE SET lines = lines + excluded.lines",
    )?;
    for ((month, value), n) in counts {
        insert.execute(params![month, value, n])?;
    }
    Ok(())
}
