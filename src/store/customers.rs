//! Customers, their follow-ups and tier history.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub code: String,
    pub name: String,
    /// Area code.
    pub area: Option<String>,
    pub city: Option<String>,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub channel: String,
    pub segment: Option<String>,
    pub owner: Option<String>,
    pub tier: String,
    pub tier_locked: bool,
    pub status: String,
    pub terms_days: Option<i64>,
    pub created: String,
}

const SELECT: &str =
    "SELECT code, name, area, city, company, phone, email, channel, segment, owner, tier,
        tier_locked, status, terms_days, created FROM customers";

pub fn row_to_customer(r: &rusqlite::Row) -> rusqlite::Result<Customer> {
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
    })
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE code = ?1"))?
        .query_row([code], row_to_customer)
        .optional()?)
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
             tier_locked, status, terms_days, created, phone_key, email_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        c.code,
        c.name,
        c.area,
        c.city,
        c.company,
        c.phone,
        c.email,
        c.channel,
        c.segment,
        c.owner,
        c.tier,
        c.tier_locked as i64,
        c.status,
        c.terms_days,
        c.created,
        c.phone.as_deref().map(phone_key),
        c.email.as_deref().map(str::to_lowercase),
    ])?;
    Ok(())
}

/// Recompute a customer's first counting order date (for "new customers").
pub fn refresh_first_order(conn: &Connection, code: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET first_order = (
             SELECT MIN(order_date) FROM orders
             WHERE customer = ?1 AND status NOT IN ('cancelled', 'pending_approval'))
         WHERE code = ?1",
    )?
    .execute([code])?;
    Ok(())
}

/// (code, "code name") of customers, for selection lists.
pub fn choices(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, code || '  ' || name FROM customers ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
