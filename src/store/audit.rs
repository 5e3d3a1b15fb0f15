//! The audit log: one row per command that wrote.

use crate::store::sql::{params, Connection};
use anyhow::Result;
use chrono::NaiveDate;

pub struct Entry {
    pub at: String,
    pub user: String,
    pub command: String,
    pub summary: String,
}

pub fn record(conn: &Connection, user: &str, command: &str, summary: &str) -> Result<()> {
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    conn.prepare_cached("INSERT INTO audit (at, user, command, summary) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![at, user, command, summary])?;
    Ok(())
}

/// Entries whose date lies in [start, end], oldest first.
pub fn list(conn: &Connection, range: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Entry>> {
    let (start, end) = match range {
        Some((s, e)) => (s.to_string(), format!("{e}T99")),
        None => (String::new(), "9999".to_string()),
    };
    let mut stmt = conn.prepare(
        "SELECT at, user, command, summary FROM audit WHERE at >= ?1 AND at <= ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok(Entry {
            at: r.get(0)?,
            user: r.get(1)?,
            command: r.get(2)?,
            summary: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
