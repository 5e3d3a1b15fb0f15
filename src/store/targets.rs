//! Targets per region or rep and period, and the actuals they are measured against: net revenue,
//! quantity and profit of counting orders, from the monthly rollup for whole months and from indexed
//! date ranges of `orders` and `returns` for the part of a month a date range cuts.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::money::Money;
use crate::domain::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Region,
    Rep,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Region => "region",
            Scope::Rep => "rep",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text.trim().to_ascii_lowercase().as_str() {
            "region" => Some(Scope::Region),
            "rep" => Some(Scope::Rep),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub scope: Scope,
    pub code: String,
    /// The period's label: "2026", "2026-Q3", "2026-10".
    pub period: String,
    pub start: String,
    pub end: String,
    pub revenue: Option<Money>,
    pub quantity: Option<i64>,
    pub profit: Option<Money>,
}

/// The measures of a target; `None` leaves a stored measure as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measures {
    pub revenue: Option<Money>,
    pub quantity: Option<i64>,
    pub profit: Option<Money>,
}

fn row_to_target(r: &rusqlite::Row) -> rusqlite::Result<Target> {
    let scope: String = r.get(0)?;
    Ok(Target {
        scope: if scope == "rep" {
            Scope::Rep
        } else {
            Scope::Region
        },
        code: r.get(1)?,
        period: r.get(2)?,
        start: r.get(3)?,
        end: r.get(4)?,
        revenue: r.get(5)?,
        quantity: r.get(6)?,
        profit: r.get(7)?,
    })
}

const SELECT: &str =
    "SELECT scope, code, period, start_date, end_date, revenue, quantity, profit FROM targets";

/// Every target, by scope, code and start date (then the longer period first).
pub fn all(conn: &Connection) -> Result<Vec<Target>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} ORDER BY scope, code, start_date, end_date DESC"
    ))?;
    let rows = stmt.query_map([], row_to_target)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, scope: Scope, code: &str, period: &str) -> Result<Option<Target>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT} WHERE scope = ?1 AND code = ?2 AND period = ?3"
        ))?
        .query_row(params![scope.as_str(), code, period], row_to_target)
        .optional()?)
}

/// Create the target, or set the measures given on the existing one.
pub fn upsert(
    conn: &Connection,
    scope: Scope,
    code: &str,
    period: &Period,
    m: &Measures,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO targets (scope, code, period, start_date, end_date, revenue, quantity, profit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (scope, code, period) DO UPDATE SET
             revenue = COALESCE(excluded.revenue, revenue),
             quantity = COALESCE(excluded.quantity, quantity),
             profit = COALESCE(excluded.profit, profit)",
    )?
    .execute(params![
        scope.as_str(),
        code,
        period.label(),
        period.start.to_string(),
        period.end.to_string(),
        m.revenue,
        m.quantity,
        m.profit
    ])?;
    Ok(())
}

pub fn delete(conn: &Connection, scope: Scope, code: &str, period: &str) -> Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM targets WHERE scope = ?1 AND code = ?2 AND period = ?3")?
        .execute(params![scope.as_str(), code, period])?)
}

/// Net revenue, quantity (net of returns) and profit of counting orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actual {
    pub net_revenue: Money,
    pub quantity: i64,
    pub profit: Money,
}

impl std::ops::AddAssign for Actual {
    fn add_assign(&mut self, o: Actual) {
        self.net_revenue += o.net_revenue;
        self.quantity += o.quantity;
        self.profit += o.profit;
    }
}

/// The region and every region below it, as a CTE named `down` (the code is ?1).
const REGION_TREE: &str = "WITH RECURSIVE down(code, depth) AS (
        SELECT ?1, 0
        UNION SELECT r.code, down.depth + 1 FROM regions r JOIN down ON r.parent = down.code
        WHERE down.depth < 64)";

/// The actuals of a scope per month ('YYYY-MM') from `first` to `last` months inclusive, for the
/// months that have any; a region includes its sub-regions.
pub fn monthly(
    conn: &Connection,
    scope: Scope,
    code: &str,
    first: &str,
    last: &str,
) -> Result<Vec<(String, Actual)>> {
    let sql = match scope {
        Scope::Region => format!(
            "{REGION_TREE}
             SELECT month, SUM(revenue - returns), SUM(quantity), SUM(revenue - returns - cost)
             FROM sales_monthly_groups WHERE month BETWEEN ?2 AND ?3 AND region IN (SELECT code FROM down)
             GROUP BY month ORDER BY month"
        ),
        Scope::Rep => {
            "SELECT month, SUM(revenue - returns), SUM(quantity), SUM(revenue - returns - cost)
             FROM sales_monthly_groups WHERE month BETWEEN ?2 AND ?3 AND rep = ?1
             GROUP BY month ORDER BY month"
                .to_string()
        }
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![code, first, last], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Actual {
                net_revenue: r.get(1)?,
                quantity: r.get(2)?,
                profit: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The actuals of a scope between two dates (inclusive) from the orders and returns themselves, for
/// the part of a month that a date range cuts. Uses the (region|rep, order_date) and return date indexes.
pub fn between_dates(
    conn: &Connection,
    scope: Scope,
    code: &str,
    start: &str,
    end: &str,
) -> Result<Actual> {
    let (with, filter) = match scope {
        Scope::Region => (REGION_TREE, "o.region IN (SELECT code FROM down)"),
        Scope::Rep => ("", "o.rep = ?1"),
    };
    let sales_sql = format!(
        "{with} SELECT COALESCE(SUM(o.amount), 0), COALESCE(SUM(o.quantity), 0), COALESCE(SUM(o.cost), 0)
         FROM orders o WHERE {filter} AND o.order_date BETWEEN ?2 AND ?3
           AND o.status NOT IN ('cancelled', 'pending_approval')"
    );
    let returns_sql = format!(
        "{with} SELECT COALESCE(SUM(r.amount), 0), COALESCE(SUM(r.quantity), 0), COALESCE(SUM(r.cost), 0)
         FROM returns r JOIN orders o ON o.id = r.order_id
         WHERE r.date BETWEEN ?2 AND ?3 AND {filter}
           AND o.status NOT IN ('cancelled', 'pending_approval')"
    );
    let sum = |sql: &str| -> Result<(i64, i64, i64)> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(params![code, start, end], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?)
    };
    let (amount, qty, cost) = sum(&sales_sql)?;
    let (r_amount, r_qty, r_cost) = sum(&returns_sql)?;
    let net = amount - r_amount;
    Ok(Actual {
        net_revenue: Money::from_units(net),
        quantity: qty - r_qty,
        profit: Money::from_units(net - (cost - r_cost)),
    })
}

/// The actuals of a scope in a period: whole months from the rollup, the cut ends of a date range
/// from the orders and returns of those days.
pub fn actual(conn: &Connection, scope: Scope, code: &str, period: &Period) -> Result<Actual> {
    let mut total = Actual::default();
    let mut whole: Vec<String> = Vec::new();
    for m in period.months() {
        if period.start <= m.start && m.end <= period.end {
            whole.push(m.label());
        } else {
            let start = m.start.max(period.start).to_string();
            let end = m.end.min(period.end).to_string();
            total += between_dates(conn, scope, code, &start, &end)?;
        }
    }
    if let (Some(first), Some(last)) = (whole.first(), whole.last()) {
        for (_, a) in monthly(conn, scope, code, first, last)? {
            total += a;
        }
    }
    Ok(total)
}
