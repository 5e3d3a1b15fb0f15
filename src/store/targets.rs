//! Targets per region or rep and period, and the actuals they are measured against: net revenue,
//! quantity and profit of counting orders, from the monthly rollup for whole months and from indexed
//! date ranges of `orders` and `returns` for the part of a month a date range cuts.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

use super::report::By;
use crate::domain::money::{grouped_units, Money, HELD};
use crate::domain::order::HELD_QUANTITY;
use crate::domain::period::Period;

pub use crate::domain::target::Scope;

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

fn row_to_target(r: &crate::store::sql::Row) -> crate::store::sql::Result<Target> {
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
    in_range(conn, scope, code)
}

/// The targets of one region or rep, over all its periods, add up within the range salesops holds for
/// each measure: a report or `targets progress` sums them over a span of months.
fn in_range(conn: &Connection, scope: Scope, code: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT revenue, quantity, profit FROM targets WHERE scope = ?1 AND code = ?2",
    )?;
    let mut rows = stmt.query(params![scope.as_str(), code])?;
    let mut sums = [0i128; 3];
    while let Some(r) = rows.next()? {
        for (i, sum) in sums.iter_mut().enumerate() {
            *sum += i128::from(r.get::<_, Option<i64>>(i)?.unwrap_or(0).unsigned_abs());
        }
    }
    let held = i128::from(HELD.units());
    for (sum, (name, money)) in
        sums.iter()
            .zip([("revenue", true), ("quantity", false), ("profit", true)])
    {
        let (shown, over) = if money {
            (grouped_units(*sum), *sum > held)
        } else {
            (sum.to_string(), *sum > i128::from(HELD_QUANTITY))
        };
        if over {
            crate::bail_input!(
                "the {name} targets of {} {code} would add up to {shown}, past the {} salesops holds; \
                 nothing was written",
                scope.as_str(),
                HELD.grouped()
            );
        }
    }
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

/// The actuals of every region (or every rep) in a period, read once from the same figures the reports
/// read (rollups for whole months, orders and returns for the days of a range that cut a month); a
/// region includes its sub-regions. Scopes without sales are absent.
pub fn actuals(
    conn: &Connection,
    scope: Scope,
    period: &Period,
) -> Result<std::collections::HashMap<String, Actual>> {
    let by = match scope {
        Scope::Region => By::Region,
        Scope::Rep => By::Rep,
    };
    let mut own = std::collections::HashMap::new();
    for (key, f) in super::report::sales(conn, period.start, period.end, by)? {
        own.insert(
            key,
            Actual {
                net_revenue: f.net(),
                quantity: f.quantity,
                profit: f.profit(),
            },
        );
    }
    if scope == Scope::Rep {
        return Ok(own);
    }
    let mut out = std::collections::HashMap::new();
    for (code, _) in super::regions::names(conn)? {
        let mut total = Actual::default();
        for sub in super::regions::descendants(conn, &code)? {
            if let Some(a) = own.get(&sub) {
                total += *a;
            }
        }
        out.insert(code, total);
    }
    Ok(out)
}
