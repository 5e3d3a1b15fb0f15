//! Customers, their follow-ups and tier history.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::customer::Customer;
use crate::domain::money::Money;
use crate::domain::values::{CustomerStatus, Tier};
use crate::store::types::COUNTING_SQL;

const SELECT: &str =
    "SELECT code, name, area, city, company, phone, email, channel, segment, owner, tier,
        tier_locked, status, terms_days, created, campaign FROM customers";

pub fn row_to_customer(r: &crate::store::sql::Row) -> crate::store::sql::Result<Customer> {
    Ok(Customer {
        code: r.get(0)?,
        name: r.get(1)?,
        area: r.get(2)?,
        city: r.get(3)?,
        company: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        channel: r.get(7)?,
        segment: r.get(8)?,
        owner: r.get(9)?,
        tier: r.get(10)?,
        tier_locked: r.get::<_, i64>(11)? != 0,
        status: r.get(12)?,
        terms_days: r.get(13)?,
        created: r.get(14)?,
        campaign: r.get(15)?,
    })
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE code = ?1"))?
        .query_row([code], row_to_customer)
        .optional()?)
}

/// A customer a person named, which must exist.
pub fn must_get(conn: &Connection, code: &str) -> Result<Customer> {
    super::found(get(conn, code)?, "customer", code)
}

/// The phone as compared for duplicates: without spaces, dashes, brackets and a leading +86 / 0086.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    digits.to_string()
}

/// Insert a customer (all fields as given).
pub fn insert(conn: &Connection, c: &Customer) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customers (code, name, area, city, company, phone, email, channel, segment, owner, tier,
             tier_locked, status, terms_days, created, phone_key, email_key, campaign)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(crate::store::sql::params_from_iter(customer_params(c)))?;
    Ok(())
}

/// Recompute a customer's first counting order date (for "new customers"). The ledger does, after
/// writing orders.
pub(super) fn refresh_first_order(conn: &Connection, code: &str) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE customers SET first_order = (
             SELECT MIN(o.order_date) FROM orders o WHERE o.customer = ?1 AND {COUNTING_SQL})
         WHERE code = ?1"
    ))?
    .execute([code])?;
    Ok(())
}

/// A customer with what listings show beside it: its area's short name and the area's region.
#[derive(Debug, Clone)]
pub struct Listed {
    pub customer: Customer,
    pub area_name: Option<String>,
    pub region: Option<String>,
}

/// Every customer in code order, with area name and region.
pub fn list(conn: &Connection) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare(
        "SELECT c.code, c.name, c.area, c.city, c.company, c.phone, c.email, c.channel, c.segment,
                c.owner, c.tier, c.tier_locked, c.status, c.terms_days, c.created, c.campaign, a.name,
                a.region
         FROM customers c LEFT JOIN areas a ON a.code = c.area ORDER BY c.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Listed {
            customer: row_to_customer(r)?,
            area_name: r.get(16)?,
            region: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn exists(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM customers WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Write every field of an existing customer but its tier, keeping `phone_key` and `email_key` in
/// step. The tier moves the customer's figures between tiers: it is written by `Ledger::set_tier`.
pub fn update(conn: &Connection, c: &Customer) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET name = ?2, area = ?3, city = ?4, company = ?5, phone = ?6, email = ?7,
             channel = ?8, segment = ?9, owner = ?10, tier_locked = ?12, status = ?13,
             terms_days = ?14, created = ?15, phone_key = ?16, email_key = ?17, campaign = ?18
         WHERE code = ?1",
    )?
    .execute(crate::store::sql::params_from_iter(customer_params(c)))?;
    Ok(())
}

/// Through the ledger only: the trigger `customers_tier_moves` moves the customer's figures between
/// tiers from what is written, so rollup changes still gathered must be written first.
pub(super) fn set_tier(conn: &Connection, code: &str, tier: Tier) -> Result<()> {
    conn.prepare_cached("UPDATE customers SET tier = ?2 WHERE code = ?1")?
        .execute(params![code, tier])?;
    Ok(())
}

pub fn set_status(conn: &Connection, code: &str, status: CustomerStatus) -> Result<()> {
    conn.prepare_cached("UPDATE customers SET status = ?2 WHERE code = ?1")?
        .execute(params![code, status])?;
    Ok(())
}

/// Delete a customer and its history. The caller has checked that no order refers to it.
pub fn delete(conn: &Connection, code: &str) -> Result<()> {
    conn.execute("DELETE FROM customers WHERE code = ?1", [code])?;
    Ok(())
}

/// Ids of the orders of a customer.
pub fn orders_of(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM orders WHERE customer = ?1 ORDER BY id")?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The date of the customer's first counting order, computed from the orders.
pub fn first_order(conn: &Connection, code: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT MIN(o.order_date) FROM orders o WHERE o.customer = ?1 AND {COUNTING_SQL}"
        ))?
        .query_row([code], |r| r.get(0))?)
}

/// One entry of a customer's history: a follow-up (call, visit, email, message) or a tier change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: String,
    pub kind: String,
    pub note: Option<String>,
    pub old_tier: Option<Tier>,
    pub new_tier: Option<Tier>,
}

impl Event {
    /// A tier change, with why it changed.
    pub fn tier_change(date: String, note: String, old: Tier, new: Tier) -> Event {
        Event {
            date,
            kind: "tier".into(),
            note: Some(note),
            old_tier: Some(old),
            new_tier: Some(new),
        }
    }
}

pub fn add_event(conn: &Connection, customer: &str, e: &Event) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customer_events (customer, date, kind, note, old_tier, new_tier)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        customer, e.date, e.kind, e.note, e.old_tier, e.new_tier
    ])?;
    Ok(())
}

/// A customer's history in date order (entries of one day in the order they were recorded).
pub fn events(conn: &Connection, customer: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT date, kind, note, old_tier, new_tier FROM customer_events
         WHERE customer = ?1 ORDER BY date, id",
    )?;
    let rows = stmt.query_map([customer], |r| {
        Ok(Event {
            date: r.get(0)?,
            kind: r.get(1)?,
            note: r.get(2)?,
            old_tier: r.get(3)?,
            new_tier: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn follow_up_count(conn: &Connection, customer: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM customer_events WHERE customer = ?1 AND kind <> 'tier'",
        )?
        .query_row([customer], |r| r.get(0))?)
}

/// A customer's activity in a grading window.
#[derive(Debug, Clone)]
pub struct WindowActivity {
    pub code: String,
    pub name: String,
    pub tier: Tier,
    pub tier_locked: bool,
    /// Line amounts of counting orders dated in the window, less returns dated in it.
    pub net_revenue: Money,
    /// Counting orders dated in the window.
    pub orders: i64,
}

/// Every customer's net revenue and counting orders dated `start..=end`, in one aggregate query.
/// Returns count by their own date, on lines of counting orders whatever the order's date.
pub fn window_activity(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<WindowActivity>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.code, c.name, c.tier, c.tier_locked, COALESCE(w.revenue, 0), COALESCE(w.orders, 0)
         FROM customers c
         LEFT JOIN (
             SELECT customer, SUM(revenue) AS revenue, SUM(orders) AS orders FROM (
                 SELECT o.customer AS customer, o.amount AS revenue, 1 AS orders FROM orders o
                 WHERE {COUNTING_SQL} AND o.order_date >= ?1 AND o.order_date <= ?2
                 UNION ALL
                 SELECT o.customer, -r.amount, 0 FROM returns r JOIN orders o ON o.id = r.order_id
                 WHERE {COUNTING_SQL} AND r.date >= ?1 AND r.date <= ?2)
             GROUP BY customer) w ON w.customer = c.code
         ORDER BY c.code"
    ))?;
    let rows = stmt.query_map(params![start.to_string(), end.to_string()], |r| {
        Ok(WindowActivity {
            code: r.get(0)?,
            name: r.get(1)?,
            tier: r.get(2)?,
            tier_locked: r.get::<_, i64>(3)? != 0,
            net_revenue: r.get(4)?,
            orders: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Pairs of customers (lower code first) that share a phone key or an email key:
/// (code a, code b, "phone" or "email", the shared value).
pub fn duplicate_pairs(conn: &Connection) -> Result<Vec<(String, String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT a.code, b.code, 'phone', a.phone_key FROM customers a
             JOIN customers b ON b.phone_key = a.phone_key AND a.code < b.code
             WHERE a.phone_key IS NOT NULL AND a.phone_key <> ''
         UNION ALL
         SELECT a.code, b.code, 'email', a.email_key FROM customers a
             JOIN customers b ON b.email_key = a.email_key AND a.code < b.code
             WHERE a.email_key IS NOT NULL AND a.email_key <> ''
         ORDER BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Leads (status `lead`) with their creation date and first follow-up date, if any.
pub fn leads(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT c.code, c.created,
                (SELECT MIN(e.date) FROM customer_events e WHERE e.customer = c.code AND e.kind <> 'tier')
         FROM customers c WHERE c.status = ?1 ORDER BY c.code",
    )?;
    let rows = stmt.query_map([CustomerStatus::Lead], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (code, "code name") of customers, for selection lists.
pub fn choices(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, code || '  ' || name FROM customers ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A customer's columns as ?1..?18 (code first), shared by insert and update, with the duplicate-check
/// keys computed from the phone and email.
fn customer_params(c: &Customer) -> Vec<Box<dyn crate::store::sql::ToSql + '_>> {
    vec![
        Box::new(&c.code),
        Box::new(&c.name),
        Box::new(&c.area),
        Box::new(&c.city),
        Box::new(&c.company),
        Box::new(&c.phone),
        Box::new(&c.email),
        Box::new(&c.channel),
        Box::new(&c.segment),
        Box::new(&c.owner),
        Box::new(&c.tier),
        Box::new(c.tier_locked as i64),
        Box::new(&c.status),
        Box::new(c.terms_days),
        Box::new(&c.created),
        Box::new(c.phone.as_deref().map(phone_key)),
        Box::new(c.email.as_deref().map(str::to_lowercase)),
        Box::new(&c.campaign),
    ]
}
