//! The product's own invariants for `db check`: what the schema alone cannot enforce. Every value must
//! have the type its column declares, and every total kept beside the rows it sums (an order's totals,
//! balance and settlement date, a customer's first order) must equal what those rows give. A malformed
//! value is a finding naming its row, never an abort.

use crate::store::sql::Connection;
use anyhow::Result;

use crate::store::types::COUNTING_SQL;

/// (kind, subject, detail), as `db check` lists them.
pub type Finding = (String, String, String);

/// One invariant: its findings, or the error that stopped it.
type Check = fn(&Connection) -> Result<Vec<Finding>>;

/// At most this many findings of one check are listed: one broken column of a large table must not
/// bury the rest.
const PER_CHECK: usize = 50;

/// (kind, subject, detail) for every broken invariant.
pub fn findings(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = type_findings(conn)?;
    let checks: [(&str, Check); 6] = [
        ("orders", order_total_findings),
        ("regions", region_cycle_findings),
        ("orders", balance_findings),
        ("orders", settlement_findings),
        ("customers", first_order_findings),
        ("tickets", super::service::findings),
    ];
    for (table, check) in checks {
        match check(conn) {
            Ok(found) => out.extend(found),
            Err(e) => out.push(unreadable(table, e)?),
        }
    }
    Ok(out)
}

/// A check that could not finish because of what a row holds (a value of the wrong type, sums beyond
/// the range an integer holds) becomes a finding on its table; any other failure (I/O) stays an error.
pub(in crate::store) fn unreadable(table: &str, e: anyhow::Error) -> Result<Finding> {
    let data_error = e.chain().any(|cause| {
        cause
            .downcast_ref::<crate::store::sql::Error>()
            .is_some_and(|e| e.is_overflow() || e.is_conversion())
    });
    if !data_error {
        return Err(e);
    }
    Ok((
        "unreadable".into(),
        table.to_string(),
        format!("cannot be checked: {e:#} (see the type findings for the rows that hold it)"),
    ))
}

/// Values of another type than their column's (an amount stored as REAL or TEXT, a date as a number):
/// every INTEGER and TEXT column of every table, each finding naming the row by its key. Only SQLite
/// lets a column hold a value of another type; PostgreSQL refuses it when it is written.
pub fn type_findings(conn: &Connection) -> Result<Vec<Finding>> {
    if conn.sqlite().is_none() {
        return Ok(Vec::new());
    }
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for table in tables {
        let quoted = quote(&table);
        // (name, declared type, position in the primary key)
        let columns: Vec<(String, String, i64)> = conn
            .prepare(&format!("PRAGMA table_info({quoted})"))?
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(5)?)))?
            .collect::<Result<_, _>>()?;
        let mut key: Vec<&(String, String, i64)> = columns.iter().filter(|c| c.2 > 0).collect();
        key.sort_by_key(|c| c.2);
        let key_sql = if key.is_empty() {
            "'row ' || rowid".to_string()
        } else {
            key.iter()
                .map(|c| format!("COALESCE(CAST({} AS TEXT), '')", quote(&c.0)))
                .collect::<Vec<_>>()
                .join(" || ' ' || ")
        };
        for (column, declared, _) in &columns {
            let want = match declared.to_ascii_uppercase().as_str() {
                "INTEGER" => "integer",
                "TEXT" => "text",
                _ => continue,
            };
            let col = quote(column);
            let mut stmt = conn.prepare(&format!(
                "SELECT {key_sql}, typeof({col}), substr(CAST({col} AS TEXT), 1, 40) FROM {quoted}
                 WHERE typeof({col}) NOT IN ('{want}', 'null') LIMIT {PER_CHECK}"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?;
            for row in rows {
                let (subject, found, value) = row?;
                out.push((
                    "type".to_string(),
                    format!("{table} {subject}"),
                    format!(
                        "{column} holds {found} {:?}, not {want}",
                        value.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(out)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Stored order totals must equal their lines.
fn order_total_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT CAST(o.id AS TEXT), CAST(o.amount AS TEXT), CAST(COALESCE(SUM(l.amount), 0) AS TEXT)
         FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
         GROUP BY o.id
         HAVING o.lines IS NOT COUNT(l.line_no) OR o.quantity IS NOT COALESCE(SUM(l.quantity), 0)
             OR o.amount IS NOT COALESCE(SUM(l.amount), 0) OR o.cost IS NOT COALESCE(SUM(l.cost), 0)
         LIMIT {PER_CHECK}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, stored, lines) = row?;
        out.push((
            "order_totals".into(),
            id,
            format!(
                "stored totals differ from the lines (amount {} vs {})",
                money_text(&stored),
                money_text(&lines)
            ),
        ));
    }
    Ok(out)
}

/// A stored amount (1/10000 units) as the reports show money: two decimals, more only when the
/// amount has them (a difference of a fraction of a cent must show); a value that is not a whole
/// number (the type findings name it) as it is.
fn money_text(units: &str) -> String {
    match units.trim().parse::<i128>() {
        Ok(v) => crate::domain::decimal::format_decimal(v, 4, 2),
        Err(_) => units.to_string(),
    }
}

/// A region tree must not loop.
fn region_cycle_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "WITH RECURSIVE up(start, code, depth) AS (
             SELECT code, parent, 1 FROM regions WHERE parent IS NOT NULL
             UNION ALL SELECT up.start, r.parent, up.depth + 1 FROM regions r JOIN up ON r.code = up.code
             WHERE r.parent IS NOT NULL AND up.depth < 64)
         SELECT DISTINCT start FROM up WHERE code = start",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push((
            "region_cycle".into(),
            row?,
            "the region is its own ancestor".into(),
        ));
    }
    Ok(out)
}

/// Orders whose stored returned or paid totals differ from their returns and payments.
fn balance_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT CAST(o.id AS TEXT) FROM orders o
         WHERE o.returned IS NOT (SELECT COALESCE(SUM(r.amount), 0) FROM returns r WHERE r.order_id = o.id)
            OR o.paid IS NOT (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id)
         LIMIT {PER_CHECK}"
    ))?;
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

/// Orders whose `settled_on` is not what their payments and returns give: the day the balance
/// (amount − returns − payments) reached zero, which is the latest of the order date and the dates of
/// its payments and returns; none while a balance is open. As the ledger computes it.
fn settlement_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let sql = format!(
        "SELECT id, settled_on, truth FROM (
             SELECT CAST(o.id AS TEXT) AS id, CAST(o.settled_on AS TEXT) AS settled_on,
                    CASE WHEN o.amount - (SELECT COALESCE(SUM(r.amount), 0) FROM returns r WHERE r.order_id = o.id)
                                       - (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id) = 0
                    THEN MAX(o.order_date,
                             COALESCE((SELECT MAX(p.date) FROM payments p WHERE p.order_id = o.id), ''),
                             COALESCE((SELECT MAX(r.date) FROM returns r WHERE r.order_id = o.id), ''))
                    END AS truth
             FROM orders o)
         WHERE settled_on IS NOT CAST(truth AS TEXT) LIMIT {PER_CHECK}"
    );
    disagreements(conn, &sql, "order_settled", |stored, truth| {
        format!(
            "settled_on is {} but its payments and returns give {}",
            shown(stored, "none"),
            shown(truth, "none (a balance is open)")
        )
    })
}

/// Customers whose `first_order` is not the date of their first counting order.
fn first_order_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let sql = format!(
        "SELECT code, first_order, truth FROM (
             SELECT CAST(c.code AS TEXT) AS code, CAST(c.first_order AS TEXT) AS first_order,
                    (SELECT CAST(MIN(o.order_date) AS TEXT) FROM orders o WHERE o.customer = c.code AND {COUNTING_SQL}) AS truth
             FROM customers c)
         WHERE first_order IS NOT truth LIMIT {PER_CHECK}"
    );
    disagreements(conn, &sql, "first_order", |stored, truth| {
        format!(
            "first_order is {} but its orders give {}",
            shown(stored, "none"),
            shown(truth, "none (no counting order)")
        )
    })
}

/// The rows of `sql` (key, stored value, true value) as findings of `kind`, each described by
/// `detail(stored, truth)`.
fn disagreements(
    conn: &Connection,
    sql: &str,
    kind: &str,
    detail: impl Fn(Option<&str>, Option<&str>) -> String,
) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, stored, truth) = row?;
        out.push((
            kind.to_string(),
            key,
            detail(stored.as_deref(), truth.as_deref()),
        ));
    }
    Ok(out)
}

fn shown(value: Option<&str>, none: &str) -> String {
    value.map_or_else(|| none.to_string(), |v| v.to_string())
}
