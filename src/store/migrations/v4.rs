//! Version 4's book: the magnitudes of every figure of counting orders added up (money: lines' amounts
//! and costs, returns' amounts and costs, payments; quantity: pieces sold and returned).
//!
//! FROZEN: this is what version 4 computes, and it must never change. A file whose figures already add
//! up past what an integer holds gets the largest integer: every write that adds to it is then refused
//! until the figures are brought back into range, and `db check` names the book.

use crate::store::sql::Connection;
use anyhow::Result;

const COUNTING: &str = "o.status NOT IN ('cancelled', 'pending_approval')";

/// Fill the `book` row v4.sql created.
pub(in crate::store) fn book(conn: &Connection) -> Result<()> {
    let money = sum_or_max(
        conn,
        &format!(
            "SELECT (SELECT COALESCE(SUM(ABS(l.amount) + ABS(l.cost)), 0)
                     FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING})
                  + (SELECT COALESCE(SUM(ABS(r.amount) + ABS(r.cost)), 0)
                     FROM returns r JOIN orders o ON o.id = r.order_id WHERE {COUNTING})
                  + (SELECT COALESCE(SUM(ABS(p.amount)), 0)
                     FROM payments p JOIN orders o ON o.id = p.order_id WHERE {COUNTING})"
        ),
    )?;
    let quantity = sum_or_max(
        conn,
        &format!(
            "SELECT (SELECT COALESCE(SUM(ABS(l.quantity)), 0)
                     FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING})
                  + (SELECT COALESCE(SUM(ABS(r.quantity)), 0)
                     FROM returns r JOIN orders o ON o.id = r.order_id WHERE {COUNTING})"
        ),
    )?;
    conn.execute(
        "UPDATE book SET money = ?1, quantity = ?2",
        crate::store::sql::params![money, quantity],
    )?;
    Ok(())
}

/// The integer `sql` gives, or the largest integer when its sum overflows.
fn sum_or_max(conn: &Connection, sql: &str) -> Result<i64> {
    match conn.query_row(sql, [], |r| r.get::<_, i64>(0)) {
        Ok(v) => Ok(v),
        Err(e) if e.is_overflow() || e.is_conversion() => Ok(i64::MAX),
        Err(e) => Err(e.into()),
    }
}
