//! Reading sales figures for any span of days: the rollups answer whole months, and the edges of a span
//! that cut a month are read from orders and returns through their date indexes. No report reads all
//! of history.

use std::collections::HashMap;

use crate::store::sql::FromSql;
use crate::store::sql::{params_from_iter, Connection};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::aging::{recent_from, Aging, Receivables};
use crate::domain::money::Money;
use crate::domain::period::{calendar_label, decompose};
use crate::domain::values::Tier;
use crate::store::types::COUNTING_SQL;

/// Sales figures of a group, in 1e-4 money units.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub revenue: i64,
    pub returns: i64,
    pub cost: i64,
    pub quantity: i64,
    pub orders: i64,
    pub customers: i64,
}

impl Figures {
    pub fn net(&self) -> Money {
        Money::from_units(self.revenue - self.returns)
    }
    pub fn profit(&self) -> Money {
        Money::from_units(self.revenue - self.returns - self.cost)
    }
    pub fn add(&mut self, o: &Figures) {
        self.revenue += o.revenue;
        self.returns += o.returns;
        self.cost += o.cost;
        self.quantity += o.quantity;
        self.orders += o.orders;
        self.customers += o.customers;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Total,
    Region,
    Rep,
    Channel,
    /// The customer's current tier.
    Tier,
}

/// `month BETWEEN ?1 AND ?2`, written as an equality when the two are one month: then SQLite reads
/// that month's rows of a rollup keyed by month in the order of the rest of its key, and a GROUP BY
/// on that rest needs no sort (a third of a monthly report's reading of the product rollup).
pub(in crate::store) fn months_clause(m1: &str, m2: &str) -> &'static str {
    if m1 == m2 {
        "month = ?1 AND ?2 = ?1"
    } else {
        "month BETWEEN ?1 AND ?2"
    }
}

/// The CTE `p` of sales rows in [start, end], and its parameters. Whole months come from the
/// customer-grain rollup (customer, revenue and returns only) when the query needs customers;
/// otherwise from the small group rollup.
fn sales_cte(start: NaiveDate, end: NaiveDate, with_customers: bool) -> (String, Vec<String>) {
    let d = decompose(start, end);
    let (m1, m2) = d.months.unwrap_or(("9999-99".into(), "0000-00".into()));
    let months = if with_customers {
        "SELECT '', '', customer, '', revenue, returns, 0, 0, orders
         FROM customer_monthly WHERE month BETWEEN ?1 AND ?2"
    } else {
        "SELECT region, rep, '', channel, revenue, returns, cost, quantity, orders
         FROM sales_monthly_groups WHERE month BETWEEN ?1 AND ?2"
    };
    let mut sql = format!(
        "WITH p(region, rep, customer, channel, revenue, returns, cost, quantity, orders) AS ({months}"
    );
    let mut params = vec![m1, m2];
    for (a, b) in d.edges {
        let i = params.len() + 1;
        sql.push_str(&format!(
            " UNION ALL
            SELECT COALESCE(o.region, ''), COALESCE(o.rep, ''), o.customer, o.channel, o.amount, 0, o.cost, o.quantity, 1
            FROM orders o WHERE o.order_date BETWEEN ?{i} AND ?{j} AND {COUNTING_SQL}
            UNION ALL
            SELECT COALESCE(o.region, ''), COALESCE(o.rep, ''), o.customer, o.channel, 0, r.amount, -r.cost, -r.quantity, 0
            FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.date BETWEEN ?{i} AND ?{j} AND {COUNTING_SQL}",
            j = i + 1
        ));
        params.push(a.to_string());
        params.push(b.to_string());
    }
    sql.push(')');
    (sql, params)
}

/// Figures per group over [start, end], in key order. A key is text by the total, region or rep ('' for
/// the total, or for orders with no region/rep), and a `Channel` or a `Tier` (or text) by those.
pub fn sales<K: FromSql>(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
    by: By,
) -> Result<Vec<(K, Figures)>> {
    let (cte, params) = sales_cte(start, end, by == By::Tier);
    let (key, join) = match by {
        By::Total => ("''", ""),
        By::Region => ("p.region", ""),
        By::Rep => ("p.rep", ""),
        By::Channel => ("p.channel", ""),
        By::Tier => ("c.tier", " JOIN customers c ON c.code = p.customer"),
    };
    // By position: the total's key is a constant, which PostgreSQL refuses to sort by name.
    let sql = format!(
        "{cte} SELECT {key}, SUM(p.revenue), SUM(p.returns), SUM(p.cost), SUM(p.quantity), SUM(p.orders),
                COUNT(DISTINCT CASE WHEN p.orders > 0 THEN p.customer END)
         FROM p{join} GROUP BY 1 ORDER BY 1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, K>(0)?,
            Figures {
                revenue: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                returns: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                cost: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                quantity: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                orders: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
                customers: r.get(6)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (tier, customers, net revenue) of a calendar month, quarter or year, kept per tier as orders are
/// written.
fn period_tiers(conn: &Connection, label: &str) -> Result<Vec<(Tier, i64, Money)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tier, customers, revenue - returns FROM tier_periods WHERE period = ?1 ORDER BY tier",
    )?;
    let rows = stmt.query_map([label], |r| {
        Ok((r.get(0)?, r.get(1)?, Money::from_units(r.get(2)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (tier, customers, net revenue) by the customers' current tier over [start, end]: customers are
/// those with a counting order in it; the revenue includes returns of customers without one.
pub fn tiers(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(Tier, i64, Money)>> {
    let all = match calendar_label(start, end) {
        Some(label) => period_tiers(conn, &label)?,
        None => sales(conn, start, end, By::Tier)?
            .into_iter()
            .map(|(t, f)| (t, f.customers, f.net()))
            .collect(),
    };
    // A tier whose orders were all cancelled leaves rows that add up to nothing.
    Ok(all
        .into_iter()
        .filter(|(_, customers, net)| *customers != 0 || *net != Money::ZERO)
        .collect())
}

/// Figures of the whole span (customers not counted: see `tiers`).
pub fn total(conn: &Connection, start: NaiveDate, end: NaiveDate) -> Result<Figures> {
    Ok(sales::<String>(conn, start, end, By::Total)?
        .into_iter()
        .next()
        .map(|(_, f)| f)
        .unwrap_or_default())
}

/// Net revenue, quantity, profit per product over [start, end]: (sku, figures).
pub fn products(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(String, Figures)>> {
    let d = decompose(start, end);
    let (m1, m2) = d.months.unwrap_or(("9999-99".into(), "0000-00".into()));
    let mut sql = format!(
        "WITH p(sku, revenue, returns, cost, quantity) AS (
            SELECT sku, revenue, returns, cost, quantity FROM product_monthly WHERE {}",
        months_clause(&m1, &m2)
    );
    let mut params = vec![m1, m2];
    for (a, b) in d.edges {
        let i = params.len() + 1;
        sql.push_str(&format!(
            " UNION ALL
            SELECT l.sku, l.amount, 0, l.cost, l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.order_date BETWEEN ?{i} AND ?{j} AND {COUNTING_SQL}
            UNION ALL
            SELECT l.sku, 0, r.amount, -r.cost, -r.quantity FROM returns r JOIN orders o ON o.id = r.order_id
            JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
            WHERE r.date BETWEEN ?{i} AND ?{j} AND {COUNTING_SQL}",
            j = i + 1
        ));
        params.push(a.to_string());
        params.push(b.to_string());
    }
    sql.push_str(
        ") SELECT sku, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity) FROM p GROUP BY sku",
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, String>(0)?,
            Figures {
                revenue: r.get(1)?,
                returns: r.get(2)?,
                cost: r.get(3)?,
                quantity: r.get(4)?,
                ..Figures::default()
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Σ line amount and Σ line quantity (before returns) per (SKU, region) over whole months
/// [m1, m2]: the sums of the regional price spread. Region is '' for orders in none.
pub fn sold(conn: &Connection, m1: &str, m2: &str) -> Result<Vec<(String, String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT sku, region, SUM(revenue), SUM(sold) FROM product_monthly
         WHERE {} GROUP BY sku, region HAVING SUM(sold) <> 0",
        months_clause(m1, m2)
    ))?;
    let rows = stmt.query_map([m1, m2], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Customers whose first counting order ever lies in [start, end], per rep of that first order
/// ('' for none). The total is the sum.
pub fn new_customers_by_rep(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT COALESCE((SELECT o.rep FROM orders o WHERE o.customer = c.code AND o.order_date = c.first_order
                          AND {COUNTING_SQL} ORDER BY o.id LIMIT 1), ''),
                COUNT(*)
         FROM customers c WHERE c.first_order BETWEEN ?1 AND ?2 GROUP BY 1"
    ))?;
    let rows = stmt.query_map([start.to_string(), end.to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (code, name) of products, reps, regions or customers, for naming report rows.
pub fn names(conn: &Connection, table: NameTable) -> Result<HashMap<String, String>> {
    let sql = match table {
        NameTable::Products => "SELECT sku, name FROM products",
        NameTable::Reps => "SELECT code, name FROM reps",
        NameTable::Regions => "SELECT code, name FROM regions",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Debug, Clone, Copy)]
pub enum NameTable {
    Products,
    Reps,
    Regions,
}

/// Net figures per month over whole months [m1, m2] ("YYYY-MM"), straight from the rollup.
pub fn monthly_totals(conn: &Connection, m1: &str, m2: &str) -> Result<Vec<(String, Figures)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity), SUM(orders)
         FROM sales_monthly_groups WHERE month BETWEEN ?1 AND ?2 GROUP BY month ORDER BY month",
    )?;
    let rows = stmt.query_map([m1, m2], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Figures {
                revenue: r.get(1)?,
                returns: r.get(2)?,
                cost: r.get(3)?,
                quantity: r.get(4)?,
                orders: r.get(5)?,
                customers: 0,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The date of the first order on record, if any: periods before it have no history to compare with.
pub fn first_order_date(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT MIN(order_date) FROM orders", [], |r| r.get(0))?)
}

/// Revenue targets of a scope ('region' or 'rep') for a period: the exact target set for it, else the
/// sum of the month targets inside it.
pub fn revenue_targets(
    conn: &Connection,
    scope: &str,
    period: &crate::domain::period::Period,
) -> Result<HashMap<String, Money>> {
    let mut out: HashMap<String, Money> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT code, SUM(revenue) FROM targets
         WHERE scope = ?1 AND length(period) = 7 AND start_date >= ?2 AND end_date <= ?3 AND revenue IS NOT NULL
         GROUP BY code",
    )?;
    let rows = stmt.query_map(
        crate::store::sql::params![scope, period.start.to_string(), period.end.to_string()],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Money>(1)?)),
    )?;
    for row in rows {
        let (code, m) = row?;
        out.insert(code, m);
    }
    let mut stmt = conn.prepare_cached("SELECT code, revenue FROM targets WHERE scope = ?1 AND period = ?2 AND revenue IS NOT NULL")?;
    let rows = stmt.query_map(crate::store::sql::params![scope, period.label()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Money>(1)?))
    })?;
    for row in rows {
        let (code, m) = row?;
        out.insert(code, m);
    }
    Ok(out)
}

/// What counting orders owed as of `as_of` (payments and returns up to it), as (balance by due date
/// for the due dates from `recent_from` on, the total over every due date). Reads the rollup of the
/// due dates since `recent_from` and one running sum: the due dates before it are all in one bucket.
pub fn receivables(
    conn: &Connection,
    as_of: NaiveDate,
    recent_from: NaiveDate,
) -> Result<(Vec<(NaiveDate, Money)>, Money)> {
    let mut stmt = conn.prepare_cached(
        "SELECT due_date, SUM(amount) FROM receivables_daily
         WHERE due_date >= ?1 AND event_date <= ?2 GROUP BY due_date HAVING SUM(amount) <> 0",
    )?;
    let rows = stmt.query_map([recent_from.to_string(), as_of.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut recent = Vec::new();
    for row in rows {
        let (due, amount) = row?;
        let due = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
            .map_err(|e| anyhow::anyhow!("receivables_daily: due date \"{due}\": {e}"))?;
        recent.push((due, Money::from_units(amount)));
    }
    let total: Option<i64> = conn
        .prepare_cached("SELECT SUM(amount) FROM receivables_events WHERE event_date <= ?1")?
        .query_row([as_of.to_string()], |r| r.get(0))?;
    Ok((recent, Money::from_units(total.unwrap_or(0))))
}

/// The aging totals as of a date from the receivables rollup: what a report shows, read in time that
/// does not grow with the number of orders.
pub fn aging_totals(conn: &Connection, as_of: NaiveDate) -> Result<Receivables> {
    let (recent, total) = receivables(conn, as_of, recent_from(as_of))?;
    Ok(Receivables {
        as_of,
        total: Aging::from_recent(as_of, &recent, total),
        customers: Vec::new(),
    })
}

/// The date of the last order on record.
pub fn last_order_date(conn: &Connection) -> Result<Option<NaiveDate>> {
    let last: Option<String> =
        conn.query_row("SELECT MAX(order_date) FROM orders", [], |r| r.get(0))?;
    Ok(last.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}
