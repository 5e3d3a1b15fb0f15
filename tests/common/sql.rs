//! Plain SQL over the base tables (orders, order_lines, returns, customers), never the rollups: the
//! independent figures that tests hold reports to.

use std::collections::BTreeMap;

use super::db::{params, Connection};

/// 1e-4 units as a report shows them: 2 decimals, half away from zero.
pub fn cents(units: i64) -> String {
    let neg = units < 0;
    let a = units.unsigned_abs();
    let c = (a + 50) / 100;
    format!("{}{}.{:02}", if neg { "-" } else { "" }, c / 100, c % 100)
}

/// Plain figures of a group.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Fig {
    pub revenue: i64,
    pub returns: i64,
    pub cost: i64,
    pub quantity: i64,
    pub orders: i64,
}

impl Fig {
    pub fn net(&self) -> String {
        cents(self.revenue - self.returns)
    }
    pub fn profit(&self) -> String {
        cents(self.revenue - self.returns - self.cost)
    }
}

pub const COUNTING: &str = "o.status NOT IN ('cancelled', 'pending_approval')";

/// Figures per group over [start, end], grouped by an SQL expression over `o` (orders), `l` (lines)
/// and `c` (customers).
pub fn figures(conn: &Connection, start: &str, end: &str, group: &str) -> BTreeMap<String, Fig> {
    let mut out: BTreeMap<String, Fig> = BTreeMap::new();
    let sales = format!(
        "SELECT COALESCE({group}, ''), SUM(l.amount), SUM(l.cost), SUM(l.quantity), COUNT(DISTINCT o.id)
         FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.code = o.customer
         WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING} GROUP BY 1"
    );
    let mut stmt = conn.prepare(&sales).unwrap();
    let rows = stmt
        .query_map(params![start, end], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (k, a, c, q, n) = row.unwrap();
        let f = out.entry(k).or_default();
        f.revenue += a;
        f.cost += c;
        f.quantity += q;
        f.orders += n;
    }
    let returns = format!(
        "SELECT COALESCE({group}, ''), SUM(r.amount), SUM(r.cost), SUM(r.quantity)
         FROM returns r JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
         JOIN orders o ON o.id = r.order_id JOIN customers c ON c.code = o.customer
         WHERE r.date BETWEEN ?1 AND ?2 AND {COUNTING} GROUP BY 1"
    );
    let mut stmt = conn.prepare(&returns).unwrap();
    let rows = stmt
        .query_map(params![start, end], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (k, a, c, q) = row.unwrap();
        let f = out.entry(k).or_default();
        f.returns += a;
        f.cost -= c;
        f.quantity -= q;
    }
    out
}
