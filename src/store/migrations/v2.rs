//! Version 2's price marks: `price_marks_monthly`, created empty by v2.sql, filled from every line of a
//! counting order against the list and floor prices in force on its order date.
//!
//! FROZEN: this is what version 2 computed, copied here so that the migration never changes. It must
//! never change, and it uses nothing but SQL and integer arithmetic of its own: not `store::rollup`,
//! `store::prices` nor `domain::pricing`, which follow today's rules. (As released, the step called
//! `rollup::rebuild_price_marks`; this computes the same rows.)

use std::collections::{BTreeMap, HashMap};

use crate::store::sql::{params, Connection};
use anyhow::Result;

/// Off-list ratios beyond this many millionths were kept as this.
const OFF_LIST_CAP: i128 = 10_000_000_000_000;

/// Fill `price_marks_monthly` (empty) from the lines.
pub(in crate::store) fn price_marks(conn: &Connection) -> Result<()> {
    // (effective, list price, floor price) per SKU, in effective order.
    let mut prices: HashMap<String, Vec<(String, i64, Option<i64>)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT sku, effective, list_price, floor_price FROM prices ORDER BY sku, effective",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        prices
            .entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?, r.get(3)?));
    }
    let mut counts: BTreeMap<(String, &'static str, i64), i64> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT o.order_date, l.sku, l.quantity, l.unit_price, l.amount, l.cost, o.approved_by IS NOT NULL
         FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.status NOT IN ('cancelled', 'pending_approval')",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let sku: String = r.get(1)?;
        // A line whose product had no price yet on its date has no marks.
        let Some((list, floor)) = prices.get(&sku).and_then(|history| {
            history
                .iter()
                .rev()
                .find(|(effective, _, _)| effective.as_str() <= date.as_str())
                .map(|(_, list, floor)| (*list, *floor))
        }) else {
            continue;
        };
        let month = date.get(..7).unwrap_or(&date).to_string();
        let line = Line {
            quantity: r.get(2)?,
            unit_price: r.get(3)?,
            amount: r.get(4)?,
            cost: r.get(5)?,
            approved: r.get(6)?,
            list,
            floor,
        };
        line.marks(|mark, value| {
            *counts.entry((month.clone(), mark, value)).or_default() += 1;
        });
    }
    let mut insert = conn.prepare(
        "INSERT INTO price_marks_monthly (month, mark, value, lines) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (month, mark, value) DO UPDATE SET lines = lines + excluded.lines",
    )?;
    for ((month, mark, value), n) in counts {
        insert.execute(params![month, mark, value, n])?;
    }
    Ok(())
}

/// A line's figures in raw money units (ten-thousandths) with the prices in force on its date.
struct Line {
    quantity: i64,
    unit_price: i64,
    amount: i64,
    cost: i64,
    approved: bool,
    list: i64,
    floor: Option<i64>,
}

impl Line {
    /// Every mark of the line as (mark, value), as version 2 defined them.
    fn marks(&self, mut each: impl FnMut(&'static str, i64)) {
        if let Some(min) = self.floor.and_then(|f| f.checked_mul(self.quantity)) {
            if self.amount < min {
                each("below_floor", 0);
            }
        }
        if self.amount < self.cost {
            each("below_cost", 0);
        }
        if let Some(d) = self.effective_discount() {
            if d > 0 {
                each("discount", d);
                if !self.approved {
                    each("unapproved_discount", d);
                }
            }
        }
        if self.list > 0 {
            let diff = (i128::from(self.unit_price) - i128::from(self.list)).abs() * 1_000_000;
            let list = i128::from(self.list);
            if diff > 0 {
                let whole = (diff / list).min(OFF_LIST_CAP);
                let value = 2 * whole + i128::from(diff % list != 0);
                each("off_list", i64::try_from(value).unwrap_or(i64::MAX));
            }
        }
    }

    /// 1 − amount / (quantity × list) in millionths, rounded half away from zero to millionths and
    /// then to 4 decimals of the fraction (hundreds of millionths).
    fn effective_discount(&self) -> Option<i64> {
        let gross = i128::from(self.quantity) * i128::from(self.list);
        if gross == 0 {
            return None;
        }
        let numerator = (gross - i128::from(self.amount)).checked_mul(1_000_000)?;
        let millionths = i64::try_from(div_round_half_away(numerator, gross)).ok()?;
        let rounded = div_round_half_away(i128::from(millionths), 100) * 100;
        Some(i64::try_from(rounded).unwrap_or(if millionths < 0 { i64::MIN } else { i64::MAX }))
    }
}

/// `n / d` rounded half away from zero; `d` is not zero.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if r != 0 && 2 * r.unsigned_abs() >= d.unsigned_abs() {
        if (n < 0) == (d < 0) {
            q + 1
        } else {
            q - 1
        }
    } else {
        q
    }
}
