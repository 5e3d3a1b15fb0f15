//! Warehouses: where stock is held, the regions each serves (an order's warehouse follows from its
//! region, or the nearest region above it) and the day its stock starts to count.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    pub code: String,
    pub name: String,
    pub opened: String,
    /// The regions it serves, by code.
    pub serves: Vec<String>,
}

pub fn list(conn: &Connection) -> Result<Vec<Warehouse>> {
    let mut stmt = conn.prepare_cached("SELECT code FROM warehouses ORDER BY code")?;
    let codes: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        if let Some(w) = get(conn, &code)? {
            out.push(w);
        }
    }
    Ok(out)
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Warehouse>> {
    let found = conn
        .prepare_cached("SELECT code, name, opened FROM warehouses WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((code, name, opened)) = found else {
        return Ok(None);
    };
    let serves = conn
        .prepare_cached(
            "SELECT region FROM warehouse_regions WHERE warehouse = ?1 ORDER BY region",
        )?
        .query_map([&code], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(Warehouse {
        code,
        name,
        opened,
        serves,
    }))
}

/// A warehouse typed on a command line or in a file: its code, else its exact name (a name two
/// warehouses share is refused, naming both): `lookup::find`.
pub fn find(conn: &Connection, typed: &str) -> Result<Option<String>> {
    super::lookup::find(conn, super::lookup::Kind::Warehouse, typed)
}

/// A warehouse that must exist (exit 3 naming it otherwise).
pub fn must_find(conn: &Connection, typed: &str) -> Result<String> {
    match find(conn, typed)? {
        Some(code) => Ok(code),
        None => crate::bail_input!("no warehouse \"{}\"", typed.trim()),
    }
}

pub fn insert(conn: &Connection, w: &Warehouse) -> Result<()> {
    conn.prepare_cached("INSERT INTO warehouses (code, name, opened) VALUES (?1, ?2, ?3)")?
        .execute(params![w.code, w.name, w.opened])?;
    set_serves(conn, &w.code, &w.serves)
}

pub fn update(conn: &Connection, w: &Warehouse) -> Result<()> {
    conn.prepare_cached("UPDATE warehouses SET name = ?2, opened = ?3 WHERE code = ?1")?
        .execute(params![w.code, w.name, w.opened])?;
    set_serves(conn, &w.code, &w.serves)
}

/// The whole set of regions a warehouse serves. A region served by another warehouse is refused,
/// naming it: an order's warehouse must follow from its region alone.
fn set_serves(conn: &Connection, code: &str, regions: &[String]) -> Result<()> {
    for region in regions {
        if let Some(other) = served_by(conn, region)?.filter(|o| o != code) {
            crate::bail_input!(
                "region {region} is served by warehouse {other} already: a region has one warehouse (change {other} first)"
            );
        }
    }
    conn.prepare_cached("DELETE FROM warehouse_regions WHERE warehouse = ?1")?
        .execute([code])?;
    for region in regions {
        conn.prepare_cached("INSERT INTO warehouse_regions (region, warehouse) VALUES (?1, ?2)")?
            .execute([region, code])?;
    }
    Ok(())
}

/// A region typed on a command line or in a file: its code, else its exact name (`lookup::find`).
pub fn find_region(conn: &Connection, typed: &str) -> Result<Option<String>> {
    super::lookup::find(conn, super::lookup::Kind::Region, typed)
}

/// The warehouse serving exactly this region.
pub fn served_by(conn: &Connection, region: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT warehouse FROM warehouse_regions WHERE region = ?1")?
        .query_row([region], |r| r.get(0))
        .optional()?)
}

/// The warehouse of an order in `region`: the one serving it, else the one serving the nearest
/// region above it.
pub fn for_region(conn: &Connection, region: &str) -> Result<Option<String>> {
    for r in super::regions::ancestors(conn, region)? {
        if let Some(w) = served_by(conn, &r)? {
            return Ok(Some(w));
        }
    }
    Ok(None)
}

/// What refers to a warehouse: its orders and stock moves, counted.
pub fn referrers(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let count = |sql: &str| -> Result<i64> {
        Ok(conn.prepare_cached(sql)?.query_row([code], |r| r.get(0))?)
    };
    let mut out = Vec::new();
    let orders = count("SELECT COUNT(*) FROM orders WHERE warehouse = ?1")?;
    if orders > 0 {
        out.push(format!("{orders} orders"));
    }
    let moves = count("SELECT COUNT(*) FROM stock_moves WHERE warehouse = ?1")?;
    if moves > 0 {
        out.push(format!("{moves} stock moves"));
    }
    Ok(out)
}

pub fn delete(conn: &Connection, code: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM warehouses WHERE code = ?1")?
        .execute([code])?;
    Ok(())
}
