//! Price changes (history and notices), market observations, the streaming reads of `prices check`,
//! and the violations ledger with its escalation counts.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use super::products::Price;
use crate::domain::money::Money;
use crate::store::types::COUNTING_SQL;

/// One row of a product's price history with the price in force the day before it (None for the first).
#[derive(Debug, Clone)]
pub struct Change {
    pub sku: String,
    pub name: String,
    pub new: Price,
    pub old: Option<Price>,
}

/// Every price row with the row before it of the same product; `rest` filters and orders them.
fn changes(conn: &Connection, rest: &str, param: &str) -> Result<Vec<Change>> {
    let sql = format!(
        "SELECT sku, name, effective, list_price, floor_price, cost, reason,
                old_effective, old_list, old_floor, old_cost, old_reason
         FROM (SELECT p.sku, d.name, p.effective, p.list_price, p.floor_price, p.cost, p.reason,
                      LAG(p.effective) OVER w AS old_effective, LAG(p.list_price) OVER w AS old_list,
                      LAG(p.floor_price) OVER w AS old_floor, LAG(p.cost) OVER w AS old_cost,
                      LAG(p.reason) OVER w AS old_reason
               FROM prices p JOIN products d ON d.sku = p.sku
               WINDOW w AS (PARTITION BY p.sku ORDER BY p.effective))
         {rest}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([param], |r| {
        let old = match r.get::<_, Option<String>>(7)? {
            Some(effective) => Some(Price {
                effective,
                list_price: r.get(8)?,
                floor_price: r.get(9)?,
                cost: r.get(10)?,
                reason: r.get(11)?,
            }),
            None => None,
        };
        Ok(Change {
            sku: r.get(0)?,
            name: r.get(1)?,
            new: Price {
                effective: r.get(2)?,
                list_price: r.get(3)?,
                floor_price: r.get(4)?,
                cost: r.get(5)?,
                reason: r.get(6)?,
            },
            old,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A product's prices, oldest first, each with the one before it.
pub fn history(conn: &Connection, sku: &str) -> Result<Vec<Change>> {
    changes(conn, "WHERE sku = ?1 ORDER BY effective", sku)
}

/// Every price change effective on or after `since` (upcoming ones included), by date then SKU.
pub fn changes_since(conn: &Connection, since: NaiveDate) -> Result<Vec<Change>> {
    changes(
        conn,
        "WHERE effective >= ?1 ORDER BY effective, sku",
        &since.to_string(),
    )
}

/// An observed market price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub date: String,
    pub sku: String,
    pub price: Money,
    pub platform: Option<String>,
    pub seller: Option<String>,
    /// Area code.
    pub area: Option<String>,
    pub url: Option<String>,
}

/// Is an identical observation stored already? (`IS` so that empty columns compare equal.)
pub fn observation_exists(conn: &Connection, o: &Observation) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM observations WHERE date = ?1 AND sku = ?2 AND price = ?3 AND platform IS ?4
               AND seller IS ?5 AND area IS ?6 AND url IS ?7",
        )?
        .query_row(
            params![o.date, o.sku, o.price, o.platform, o.seller, o.area, o.url],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn insert_observation(conn: &Connection, o: &Observation) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO observations (date, sku, price, platform, seller, area, url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        o.date, o.sku, o.price, o.platform, o.seller, o.area, o.url
    ])?;
    Ok(())
}

/// An order line of a counting order with the prices in force on its order date.
#[derive(Debug, Clone)]
pub struct PricedLine {
    pub order_id: String,
    pub line_no: i64,
    pub sku: String,
    pub quantity: i64,
    pub amount: Money,
    pub cost: Money,
    pub order_date: String,
    pub rep: Option<String>,
    pub region: Option<String>,
    pub approved: bool,
    pub list_price: Money,
    pub floor_price: Option<Money>,
}

impl PricedLine {
    /// What the pricing rules need of this line.
    pub fn facts(&self) -> crate::domain::pricing::LineFacts {
        crate::domain::pricing::LineFacts {
            quantity: self.quantity,
            amount: self.amount,
            cost: self.cost,
            list_price: self.list_price,
            floor_price: self.floor_price,
            approved: self.approved,
        }
    }
}

/// List and floor prices of products through time, read once and looked up in memory: a per-line
/// price subquery costs several times the scan of the lines itself.
#[derive(Default)]
pub struct PriceBook {
    /// Per SKU: (effective, list price, floor price), in effective order.
    history: crate::hash::FxHashMap<String, Vec<(String, Money, Option<Money>)>>,
}

impl PriceBook {
    pub fn load_all(conn: &Connection) -> Result<PriceBook> {
        let mut book = PriceBook::default();
        let mut stmt = conn.prepare_cached(
            "SELECT sku, effective, list_price, floor_price FROM prices ORDER BY sku, effective",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            book.history
                .entry(r.get(0)?)
                .or_default()
                .push((r.get(1)?, r.get(2)?, r.get(3)?));
        }
        Ok(book)
    }

    /// `in_force`, reading the SKU's history first when it is not here yet.
    pub fn in_force_loading(
        &mut self,
        conn: &Connection,
        sku: &str,
        date: &str,
    ) -> Result<Option<(Money, Option<Money>)>> {
        self.load_sku(conn, sku)?;
        Ok(self.in_force(sku, date))
    }

    /// Make sure one SKU's history is here (read it when it is not).
    pub fn load_sku(&mut self, conn: &Connection, sku: &str) -> Result<()> {
        if self.history.contains_key(sku) {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(
            "SELECT effective, list_price, floor_price FROM prices WHERE sku = ?1 ORDER BY effective",
        )?;
        let rows = stmt.query_map([sku], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let history = rows.collect::<Result<_, _>>()?;
        self.history.insert(sku.to_string(), history);
        Ok(())
    }

    /// Read a SKU's history again when it is next needed (its prices changed).
    pub fn forget(&mut self, sku: &str) {
        self.history.remove(sku);
    }

    /// (list price, floor price) in force on a date, if the product has a price by then.
    pub fn in_force(&self, sku: &str, date: &str) -> Option<(Money, Option<Money>)> {
        self.history
            .get(sku)?
            .iter()
            .rev()
            .find(|(effective, _, _)| effective.as_str() <= date)
            .map(|(_, list, floor)| (*list, *floor))
    }
}

/// Stream the lines of counting orders dated `start..=end`, each joined with the price in force on its
/// order date, in (date, order, line) order. One query over the lines; rows are handed to `each` one at a
/// time, so memory does not grow with the number of lines. The price list (a few rows per product) is
/// read once and looked up in memory: a per-line price subquery cost eight times the scan itself.
pub fn for_each_priced_line(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
    mut each: impl FnMut(PricedLine) -> Result<()>,
) -> Result<()> {
    let book = PriceBook::load_all(conn)?;
    // The orders_date index gives the orders in date order, so only the orders of one day are sorted.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PRICED_LINE_COLUMNS}
         FROM orders o
         JOIN order_lines l ON l.order_id = o.id
         WHERE o.order_date >= ?1 AND o.order_date <= ?2
           AND {COUNTING_SQL}
         ORDER BY o.order_date, o.id, l.line_no"
    ))?;
    let mut rows = stmt.query(params![start.to_string(), end.to_string()])?;
    while let Some(r) = rows.next()? {
        if let Some(line) = priced_row(&r, &book)? {
            each(line)?;
        }
    }
    Ok(())
}

const PRICED_LINE_COLUMNS: &str = "l.order_id, l.line_no, l.sku, l.quantity, l.amount, l.cost,
    o.order_date, o.rep, o.region, o.approved_by IS NOT NULL";

/// A row of `PRICED_LINE_COLUMNS` with its prices; None when its product had no price yet on the
/// order date (such a line cannot be checked against one).
fn priced_row(r: &crate::store::sql::Row, book: &PriceBook) -> Result<Option<PricedLine>> {
    let sku: String = r.get(2)?;
    let order_date: String = r.get(6)?;
    let Some((list_price, floor_price)) = book.in_force(&sku, &order_date) else {
        return Ok(None);
    };
    Ok(Some(PricedLine {
        order_id: r.get(0)?,
        line_no: r.get(1)?,
        sku,
        quantity: r.get(3)?,
        amount: r.get(4)?,
        cost: r.get(5)?,
        order_date,
        rep: r.get(7)?,
        region: r.get(8)?,
        approved: r.get(9)?,
        list_price,
        floor_price,
    }))
}

/// One line of a counting order with its prices, if there is such a line.
pub fn priced_line(conn: &Connection, order_id: &str, line_no: i64) -> Result<Option<PricedLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PRICED_LINE_COLUMNS} FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.id = ?1 AND l.line_no = ?2 AND {COUNTING_SQL}"
    ))?;
    let mut rows = stmt.query(params![order_id, line_no])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut book = PriceBook::default();
    book.load_sku(conn, &r.get::<_, String>(2)?)?;
    priced_row(&r, &book)
}

/// A finding resolved in the ledger: its key, and the line it is about when it is about one.
pub struct ResolvedFinding {
    pub key: String,
    pub kind: String,
    pub line: Option<(String, i64)>,
}

/// Findings resolved in the ledger, dated `start..=end`.
pub fn resolved_in(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<ResolvedFinding>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, kind, order_id, line_no FROM violations
         WHERE status = 'resolved' AND date >= ?1 AND date <= ?2",
    )?;
    let rows = stmt.query_map(params![start.to_string(), end.to_string()], |r| {
        let order: Option<String> = r.get(2)?;
        let line: Option<i64> = r.get(3)?;
        Ok(ResolvedFinding {
            key: r.get(0)?,
            kind: r.get(1)?,
            line: order.zip(line),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An observation with the floor price in force on its date and the region of its area (today's map).
#[derive(Debug, Clone)]
pub struct ObservedPrice {
    pub id: i64,
    pub date: String,
    pub sku: String,
    pub price: Money,
    pub platform: Option<String>,
    pub seller: Option<String>,
    pub area_name: Option<String>,
    pub region: Option<String>,
    pub floor_price: Option<Money>,
}

/// Stream the observations dated `start..=end` in (date, id) order.
pub fn for_each_observation(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
    mut each: impl FnMut(ObservedPrice) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.date, o.sku, o.price, o.platform, o.seller, a.name, a.region,
                (SELECT floor_price FROM prices WHERE sku = o.sku AND effective <= o.date
                 ORDER BY effective DESC LIMIT 1)
         FROM observations o LEFT JOIN areas a ON a.code = o.area
         WHERE o.date >= ?1 AND o.date <= ?2
         ORDER BY o.date, o.id",
    )?;
    let mut rows = stmt.query(params![start.to_string(), end.to_string()])?;
    while let Some(r) = rows.next()? {
        each(ObservedPrice {
            id: r.get(0)?,
            date: r.get(1)?,
            sku: r.get(2)?,
            price: r.get(3)?,
            platform: r.get(4)?,
            seller: r.get(5)?,
            area_name: r.get(6)?,
            region: r.get(7)?,
            floor_price: r.get(8)?,
        })?;
    }
    Ok(())
}

/// A finding to record in the violations ledger.
#[derive(Debug, Clone)]
pub struct NewViolation<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub order_id: Option<&'a str>,
    pub line_no: Option<i64>,
    pub sku: Option<&'a str>,
    pub rep: Option<&'a str>,
    pub region: Option<&'a str>,
    pub date: &'a str,
    pub detail: &'a str,
}

/// Record a finding unless its key is in the ledger already; true when it was new.
pub fn record_violation(conn: &Connection, v: &NewViolation) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO violations (key, kind, order_id, line_no, sku, rep, region, date, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (key) DO NOTHING",
        )?
        .execute(params![
            v.key, v.kind, v.order_id, v.line_no, v.sku, v.rep, v.region, v.date, v.detail
        ])?;
    Ok(n > 0)
}

/// A row of the ledger, with the count of the rep's earlier confirmed violations in the window.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: i64,
    pub kind: String,
    pub order_id: Option<String>,
    pub line_no: Option<i64>,
    pub sku: Option<String>,
    pub rep: Option<String>,
    pub region: Option<String>,
    pub date: String,
    pub detail: String,
    pub status: String,
    pub action: Option<String>,
    /// The fine of a violation resolved as `fine`.
    pub fine: Option<Money>,
    /// The days of a suspension of a violation resolved as `suspend`.
    pub days: Option<i64>,
    pub note: Option<String>,
    pub resolved_on: Option<String>,
    /// Confirmed (warning, fine, suspend) violations of the same rep dated within the window before this
    /// one: later than date − window days, and earlier than it (same date: recorded earlier). The
    /// findings of one order count as one, and never against another finding of that order.
    pub prior_confirmed: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ViolationFilter {
    pub id: Option<i64>,
    pub status: Option<String>,
    pub rep: Option<String>,
    pub range: Option<(NaiveDate, NaiveDate)>,
}

pub fn violations(
    conn: &Connection,
    f: &ViolationFilter,
    window_days: u32,
) -> Result<Vec<Violation>> {
    // By id the primary key answers; otherwise the date index gives the order.
    let by_id = if f.id.is_some() {
        "v.id = ?2"
    } else {
        "?2 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.id, v.kind, v.order_id, v.line_no, v.sku, v.rep, v.region, v.date, v.detail, v.status,
                v.action,
                (SELECT COUNT(DISTINCT COALESCE('order ' || e.order_id, 'finding ' || e.id))
                 FROM violations e
                 WHERE e.rep = v.rep AND e.status = 'resolved' AND e.action IN ('warning', 'fine', 'suspend')
                   AND e.date > date(v.date, ?1)
                   AND (e.date < v.date OR (e.date = v.date AND e.id < v.id))
                   AND (v.order_id IS NULL OR e.order_id IS NULL OR e.order_id <> v.order_id)),
                v.fine, v.days, v.note, v.resolved_on
         FROM violations v
         WHERE {by_id} AND (?3 IS NULL OR v.status = ?3) AND (?4 IS NULL OR v.rep = ?4)
           AND (?5 IS NULL OR v.date >= ?5) AND (?6 IS NULL OR v.date <= ?6)
         ORDER BY v.date, v.id"
    ))?;
    let window = format!("-{window_days} days");
    let (start, end) = match f.range {
        Some((s, e)) => (Some(s.to_string()), Some(e.to_string())),
        None => (None, None),
    };
    let rows = stmt.query_map(params![window, f.id, f.status, f.rep, start, end], |r| {
        Ok(Violation {
            id: r.get(0)?,
            kind: r.get(1)?,
            order_id: r.get(2)?,
            line_no: r.get(3)?,
            sku: r.get(4)?,
            rep: r.get(5)?,
            region: r.get(6)?,
            date: r.get(7)?,
            detail: r.get(8)?,
            status: r.get(9)?,
            action: r.get(10)?,
            prior_confirmed: r.get(11)?,
            fine: r.get(12)?,
            days: r.get(13)?,
            note: r.get(14)?,
            resolved_on: r.get(15)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How a violation was resolved.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    pub action: &'a str,
    pub fine: Option<Money>,
    pub days: Option<i64>,
    pub note: &'a str,
    pub on: NaiveDate,
}

/// Mark an open violation resolved; false when it was not open.
pub fn resolve(conn: &Connection, id: i64, r: &Resolution) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE violations SET status = 'resolved', action = ?2, fine = ?3, days = ?4, note = ?5,
                 resolved_on = ?6
             WHERE id = ?1 AND status = 'open'",
        )?
        .execute(params![
            id,
            r.action,
            r.fine,
            r.days,
            r.note,
            r.on.to_string()
        ])?;
    Ok(n > 0)
}
