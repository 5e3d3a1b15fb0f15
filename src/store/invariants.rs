//! The product's own invariants for `db check`: what the schema alone cannot enforce.

use anyhow::Result;
use rusqlite::Connection;

/// (kind, subject, detail) for every broken invariant.
pub fn findings(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    // Stored order totals must equal their lines.
    let mut stmt = conn.prepare(
        "SELECT o.id, o.lines, o.quantity, o.amount, o.cost,
                COUNT(l.line_no), COALESCE(SUM(l.quantity), 0), COALESCE(SUM(l.amount), 0), COALESCE(SUM(l.cost), 0)
         FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
         GROUP BY o.id
         HAVING o.lines <> COUNT(l.line_no) OR o.quantity <> COALESCE(SUM(l.quantity), 0)
             OR o.amount <> COALESCE(SUM(l.amount), 0) OR o.cost <> COALESCE(SUM(l.cost), 0)
         LIMIT 100",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(7)?,
        ))
    })?;
    for row in rows {
        let (id, stored, lines) = row?;
        out.push((
            "order_totals".into(),
            id,
            format!("stored totals differ from the lines (amount {stored} vs {lines} in 1/10000)"),
        ));
    }
    // A region tree must not loop.
    let mut stmt = conn.prepare(
        "WITH RECURSIVE up(start, code, depth) AS (
             SELECT code, parent, 1 FROM regions WHERE parent IS NOT NULL
             UNION ALL SELECT up.start, r.parent, up.depth + 1 FROM regions r JOIN up ON r.code = up.code
             WHERE r.parent IS NOT NULL AND up.depth < 64)
         SELECT DISTINCT start FROM up WHERE code = start",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        out.push((
            "region_cycle".into(),
            row?,
            "the region is its own ancestor".into(),
        ));
    }
    out.extend(balance_findings(conn)?);
    Ok(out)
}

/// Orders whose stored returned or paid totals differ from their returns and payments.
pub fn balance_findings(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT o.id FROM orders o
         WHERE o.returned <> (SELECT COALESCE(SUM(r.amount), 0) FROM returns r WHERE r.order_id = o.id)
            OR o.paid <> (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id)
         LIMIT 100",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in rows {
        out.push((
            "order_balance".to_string(),
            id?,
            "stored returned or paid totals differ from the returns and payments".to_string(),
        ));
    }
    Ok(out)
}
