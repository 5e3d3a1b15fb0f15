//! Products and their dated prices.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::money::Money;

/// The `effective` date of a product's first price: in force since always.
pub const ALWAYS: &str = "0001-01-01";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub effective: String,
    pub list_price: Money,
    pub floor_price: Option<Money>,
    pub cost: Money,
    pub reason: Option<String>,
}

pub fn get(conn: &Connection, sku: &str) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached("SELECT sku, name, category, unit FROM products WHERE sku = ?1")?
        .query_row([sku], |r| {
            Ok(Product {
                sku: r.get(0)?,
                name: r.get(1)?,
                category: r.get(2)?,
                unit: r.get(3)?,
            })
        })
        .optional()?)
}

/// The price in force on `on`: the latest row effective on or before it.
pub fn price_in_force(conn: &Connection, sku: &str, on: NaiveDate) -> Result<Option<Price>> {
    Ok(conn
        .prepare_cached(
            "SELECT effective, list_price, floor_price, cost, reason FROM prices
             WHERE sku = ?1 AND effective <= ?2 ORDER BY effective DESC LIMIT 1",
        )?
        .query_row(params![sku, on.to_string()], |r| {
            Ok(Price {
                effective: r.get(0)?,
                list_price: r.get(1)?,
                floor_price: r.get(2)?,
                cost: r.get(3)?,
                reason: r.get(4)?,
            })
        })
        .optional()?)
}

pub fn insert(conn: &Connection, p: &Product) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO products (sku, name, category, unit) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![p.sku, p.name, p.category, p.unit])?;
    Ok(())
}

/// Record a price effective on `effective` (replacing a row of the same product and date). Through the
/// ledger only: a price changes the price marks of the lines it is in force for.
pub(super) fn set_price(
    conn: &Connection,
    sku: &str,
    effective: &str,
    price: &Price,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO prices (sku, effective, list_price, floor_price, cost, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (sku, effective) DO UPDATE SET list_price = excluded.list_price,
             floor_price = excluded.floor_price, cost = excluded.cost, reason = excluded.reason",
    )?
    .execute(params![sku, effective, price.list_price, price.floor_price, price.cost, price.reason])?;
    Ok(())
}

/// A product a person named, which must exist.
pub fn must_get(conn: &Connection, sku: &str) -> Result<Product> {
    super::found(get(conn, sku)?, "product", sku)
}

pub fn exists(conn: &Connection, sku: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM products WHERE sku = ?1")?
        .query_row([sku], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every product in SKU order with the price in force on `on` (None when its first price is later).
pub fn list(conn: &Connection, on: NaiveDate) -> Result<Vec<(Product, Option<Price>)>> {
    let mut stmt = conn.prepare(
        "SELECT p.sku, p.name, p.category, p.unit,
                pr.effective, pr.list_price, pr.floor_price, pr.cost, pr.reason
         FROM products p
         LEFT JOIN prices pr ON pr.id = (
             SELECT id FROM prices WHERE sku = p.sku AND effective <= ?1
             ORDER BY effective DESC LIMIT 1)
         ORDER BY p.sku",
    )?;
    let rows = stmt.query_map([on.to_string()], |r| {
        let product = Product {
            sku: r.get(0)?,
            name: r.get(1)?,
            category: r.get(2)?,
            unit: r.get(3)?,
        };
        let price = match r.get::<_, Option<String>>(4)? {
            Some(effective) => Some(Price {
                effective,
                list_price: r.get(5)?,
                floor_price: r.get(6)?,
                cost: r.get(7)?,
                reason: r.get(8)?,
            }),
            None => None,
        };
        Ok((product, price))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Write a product's name, category and unit.
pub fn update(conn: &Connection, p: &Product) -> Result<()> {
    conn.prepare_cached("UPDATE products SET name = ?2, category = ?3, unit = ?4 WHERE sku = ?1")?
        .execute(params![p.sku, p.name, p.category, p.unit])?;
    Ok(())
}

/// How many price rows a product has (its first price included).
pub fn price_count(conn: &Connection, sku: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM prices WHERE sku = ?1")?
        .query_row([sku], |r| r.get(0))?)
}

/// Delete a product and its prices. The caller has checked that nothing refers to it.
pub fn delete(conn: &Connection, sku: &str) -> Result<()> {
    conn.execute("DELETE FROM products WHERE sku = ?1", [sku])?;
    Ok(())
}

/// What still refers to a product, as readable phrases ("2 order lines (O1#1, O2#3)").
pub fn referrers(conn: &Connection, sku: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let probes: [(&str, &str); 3] = [
        (
            "order line",
            "SELECT order_id || '#' || line_no FROM order_lines WHERE sku = ?1 ORDER BY order_id, line_no",
        ),
        (
            "observation",
            "SELECT CAST(id AS TEXT) FROM observations WHERE sku = ?1 ORDER BY id",
        ),
        (
            "stock move",
            "SELECT CAST(id AS TEXT) FROM stock_moves WHERE sku = ?1 ORDER BY id",
        ),
    ];
    for (what, sql) in probes {
        let mut stmt = conn.prepare_cached(sql)?;
        let keys: Vec<String> = stmt
            .query_map([sku], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if !keys.is_empty() {
            out.push(super::regions::describe_refs(what, &keys));
        }
    }
    Ok(out)
}

/// Every price of a product, oldest first.
pub fn prices(conn: &Connection, sku: &str) -> Result<Vec<Price>> {
    let mut stmt = conn.prepare_cached(
        "SELECT effective, list_price, floor_price, cost, reason FROM prices WHERE sku = ?1 ORDER BY effective",
    )?;
    let rows = stmt.query_map([sku], |r| {
        Ok(Price {
            effective: r.get(0)?,
            list_price: r.get(1)?,
            floor_price: r.get(2)?,
            cost: r.get(3)?,
            reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
