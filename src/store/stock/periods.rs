//! Stock over a period: the units before a date, and each warehouse × SKU's opening and flows over
//! a span of days, read from the rollups (and the moves of a partial month at a period's edge).

use std::collections::{BTreeMap, HashMap};

use crate::store::sql::{params, Connection};
use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate};

use crate::domain::values::MoveKind;

pub use crate::store::rollup::{closing_units, warehouse_flows};

/// Signed units by (warehouse, sku, kind) of every move dated before `before`: all moves
/// (`stock_totals`) less those dated from `before` on, which are whole months (`stock_monthly`)
/// and, when `before` is not the first of a month, the rest of its month (an indexed date range). The cost is bounded
/// by warehouses × SKUs × the months from `before` to the last move, never by the length of the
/// history before it nor by the number of moves.
pub fn totals_before(
    conn: &Connection,
    before: NaiveDate,
) -> Result<HashMap<(String, String, MoveKind), i64>> {
    let month = before.format("%Y-%m").to_string();
    let next_month = crate::domain::date::add_months_clamped(
        NaiveDate::from_ymd_opt(before.year(), before.month(), 1).unwrap_or(before),
        1,
    );
    let mut out: HashMap<(String, String, MoveKind), i64> = HashMap::new();
    let mut add = |sql: &str, args: &[&dyn crate::store::sql::ToSql], sign: i64| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, MoveKind>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (w, sku, kind, q) = row?;
            *out.entry((w, sku, kind)).or_insert(0) += sign * q;
        }
        Ok(())
    };
    add(
        "SELECT warehouse, sku, kind, quantity FROM stock_totals",
        &[],
        1,
    )?;
    if before.day() == 1 {
        // A whole month from `before` on: the rollup has it.
        add(
            "SELECT warehouse, sku, kind, SUM(quantity) FROM stock_monthly WHERE month >= ?1
             GROUP BY warehouse, sku, kind",
            &[&month],
            -1,
        )?;
    } else {
        add(
            "SELECT warehouse, sku, kind, SUM(quantity) FROM stock_monthly WHERE month > ?1
             GROUP BY warehouse, sku, kind",
            &[&month],
            -1,
        )?;
        add(
            "SELECT warehouse, sku, kind, SUM(quantity) FROM stock_moves
             WHERE date >= ?1 AND date < ?2 GROUP BY warehouse, sku, kind",
            &[&before.to_string(), &next_month.to_string()],
            -1,
        )?;
    }
    Ok(out)
}

/// The day after `d` (the calendar's last day stays itself: nothing is dated after it).
pub fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

/// The first and last months ("YYYY-MM") of a period of whole months; None when it cuts a month.
pub fn whole_months(start: NaiveDate, end: NaiveDate) -> Option<(String, String)> {
    let after_end = next_day(end);
    (start.day() == 1 && after_end.day() == 1 && after_end > start).then(|| {
        (
            start.format("%Y-%m").to_string(),
            end.format("%Y-%m").to_string(),
        )
    })
}

/// The units of every SKU at every warehouse over `start..=end`: the opening (every move before
/// `start`) and the period's moves by kind, from the rollup and the moves of partial months only.
pub fn flows(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<BTreeMap<(String, String), crate::domain::stock::Flow>> {
    let after_end = next_day(end);
    if start.day() == 1 && after_end.day() == 1 && after_end > start {
        return whole_month_flows(conn, start, end);
    }
    let before = totals_before(conn, start)?;
    let through = totals_before(conn, after_end)?;
    let mut out: BTreeMap<(String, String), crate::domain::stock::Flow> = BTreeMap::new();
    for ((w, sku, _), q) in &before {
        out.entry((w.clone(), sku.clone())).or_default().opening += q;
    }
    for ((w, sku, kind), q) in &through {
        let moved = q - before
            .get(&(w.clone(), sku.clone(), *kind))
            .copied()
            .unwrap_or(0);
        out.entry((w.clone(), sku.clone()))
            .or_default()
            .add(*kind, moved);
    }
    Ok(out)
}

/// `flows` of a period of whole months, in one pass over `stock_totals`: for each warehouse × SKU ×
/// kind, all its units less those of the months from the period's first (the opening) and the moves of
/// the period's months (those from its first less those after its last), both read from
/// `stock_monthly` by its key. Rows come in key order, so no sorting or merging is needed.
fn whole_month_flows(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<BTreeMap<(String, String), crate::domain::stock::Flow>> {
    let (first, last) = (
        start.format("%Y-%m").to_string(),
        end.format("%Y-%m").to_string(),
    );
    let mut stmt = conn.prepare_cached(
        "SELECT t.warehouse, t.sku, t.kind, t.quantity,
                (SELECT COALESCE(SUM(m.quantity), 0) FROM stock_monthly m
                 WHERE m.warehouse = t.warehouse AND m.sku = t.sku AND m.month >= ?1
                   AND m.kind = t.kind),
                (SELECT COALESCE(SUM(m.quantity), 0) FROM stock_monthly m
                 WHERE m.warehouse = t.warehouse AND m.sku = t.sku AND m.month > ?2
                   AND m.kind = t.kind)
         FROM stock_totals t ORDER BY t.warehouse, t.sku, t.kind",
    )?;
    let mut rows = stmt.query(params![first, last])?;
    let mut out: BTreeMap<(String, String), crate::domain::stock::Flow> = BTreeMap::new();
    let mut current: Option<((String, String), crate::domain::stock::Flow)> = None;
    while let Some(r) = rows.next()? {
        let (w, sku): (String, String) = (r.get(0)?, r.get(1)?);
        let kind: MoveKind = r.get(2)?;
        let (total, from_first, after_last): (i64, i64, i64) = (r.get(3)?, r.get(4)?, r.get(5)?);
        let same = current
            .as_ref()
            .is_some_and(|((cw, cs), _)| *cw == w && *cs == sku);
        if !same {
            if let Some((key, flow)) = current.take() {
                out.insert(key, flow);
            }
            current = Some(((w, sku), crate::domain::stock::Flow::default()));
        }
        if let Some((_, flow)) = current.as_mut() {
            flow.opening += total - from_first;
            flow.add(kind, from_first - after_last);
        }
    }
    if let Some((key, flow)) = current.take() {
        out.insert(key, flow);
    }
    Ok(out)
}
