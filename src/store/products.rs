//! Products and their dated prices.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

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

/// Record a price effective on `effective` (replacing a row of the same product and date).
pub fn set_price(conn: &Connection, sku: &str, effective: &str, price: &Price) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO prices (sku, effective, list_price, floor_price, cost, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (sku, effective) DO UPDATE SET list_price = excluded.list_price,
             floor_price = excluded.floor_price, cost = excluded.cost, reason = excluded.reason",
    )?
    .execute(params![sku, effective, price.list_price, price.floor_price, price.cost, price.reason])?;
    Ok(())
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
