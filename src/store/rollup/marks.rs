//! Price marks per month (`price_marks_monthly`): what each line's price says against the prices in
//! force on its date, independent of the policy. Lines add theirs as they are written; a price change
//! recomputes the months it reaches, since every line there may now compare differently.

use std::collections::BTreeMap;

use crate::store::sql::{params, Connection};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use crate::domain::period::Period;
use crate::domain::pricing::{line_marks, Mark};
use crate::store::prices::for_each_priced_line;
use crate::store::report::{first_order_date, last_order_date};

/// Lines per mark over some months.
pub type MarkCounts = Vec<(Mark, i64)>;

pub(super) fn add_counts<'a>(
    conn: &Connection,
    counts: impl Iterator<Item = (&'a str, Mark, i64)>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO price_marks_monthly (month, mark, value, lines) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (month, mark, value) DO UPDATE SET lines = lines + excluded.lines",
    )?;
    for (month, mark, n) in counts {
        if n != 0 {
            stmt.execute(params![month, mark.name(), mark.value(), n])?;
        }
    }
    Ok(())
}

/// The marks of the lines of whole months `m1..=m2` ("YYYY-MM"), summed over the months.
pub fn marks(conn: &Connection, m1: &str, m2: &str) -> Result<MarkCounts> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT mark, value, SUM(lines) FROM price_marks_monthly WHERE {}
         GROUP BY mark, value HAVING SUM(lines) <> 0",
        crate::store::report::months_clause(m1, m2)
    ))?;
    let rows = stmt.query_map([m1, m2], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, value, n) = row?;
        if let Some(mark) = Mark::from_parts(&name, value) {
            out.push((mark, n));
        }
    }
    Ok(out)
}

/// The marks the lines dated `start..=end` have now, per (month, mark), computed from the lines.
pub(super) fn compute(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<BTreeMap<(String, Mark), i64>> {
    let mut counts: BTreeMap<(String, Mark), i64> = BTreeMap::new();
    let mut month = String::new();
    for_each_priced_line(conn, start, end, |l| {
        if !l.order_date.starts_with(&month) || month.is_empty() {
            month = l.order_date.get(..7).unwrap_or(&l.order_date).to_string();
        }
        line_marks(&l.facts(), |mark| {
            *counts.entry((month.clone(), mark)).or_default() += 1;
        });
        Ok(())
    })?;
    Ok(counts)
}

/// Recompute the whole months from the month of `from` to the month of `to` from their lines.
fn rebuild_months(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let (first, last) = (
        Period::month(from.year(), from.month()),
        Period::month(to.year(), to.month()),
    );
    conn.prepare_cached("DELETE FROM price_marks_monthly WHERE month BETWEEN ?1 AND ?2")?
        .execute([first.label(), last.label()])?;
    let counts = compute(conn, first.start, last.end)?;
    add_counts(
        conn,
        counts.iter().map(|((m, mark), n)| (m.as_str(), *mark, *n)),
    )
}

/// Recompute the months of the lines dated `from..=to` (either end clamped to the orders on record).
fn reprice_span(conn: &Connection, from: NaiveDate, to: Option<NaiveDate>) -> Result<()> {
    let first =
        first_order_date(conn)?.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let (Some(first), Some(last)) = (first, last_order_date(conn)?) else {
        return Ok(());
    };
    let (from, to) = (from.max(first), to.map_or(last, |t| t.min(last)));
    if from > to {
        return Ok(());
    }
    rebuild_months(conn, from, to)
}

/// Prices of every product may have changed from `date` on (an import of products).
pub(in crate::store) fn reprice_from(conn: &Connection, date: NaiveDate) -> Result<()> {
    reprice_span(conn, date, None)
}

/// A price of `sku` effective on `effective` was set: the lines it is in force for, up to the next
/// price of that product, compare differently now.
pub(in crate::store) fn reprice(conn: &Connection, sku: &str, effective: NaiveDate) -> Result<()> {
    let next: Option<String> = conn
        .prepare_cached("SELECT MIN(effective) FROM prices WHERE sku = ?1 AND effective > ?2")?
        .query_row(params![sku, effective.to_string()], |r| r.get(0))?;
    let until = next
        .as_deref()
        .and_then(|n| NaiveDate::parse_from_str(n, "%Y-%m-%d").ok())
        .and_then(|d| d.pred_opt());
    reprice_span(conn, effective, until)
}
