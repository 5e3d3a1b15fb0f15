//! Regions, their areas, and the region tree.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub manager: Option<String>,
    /// Names of the region's own areas, in code order.
    pub areas: Vec<String>,
}

fn areas_of(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM areas WHERE region = ?1 ORDER BY code")?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Region>> {
    let found: Option<(String, String, Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT code, name, parent, manager FROM regions WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    match found {
        Some((code, name, parent, manager)) => {
            let areas = areas_of(conn, &code)?;
            Ok(Some(Region {
                code,
                name,
                parent,
                manager,
                areas,
            }))
        }
        None => Ok(None),
    }
}

/// A region a person named, which must exist.
pub fn must_get(conn: &Connection, code: &str) -> Result<Region> {
    super::found(get(conn, code)?, "region", code)
}

pub fn list(conn: &Connection) -> Result<Vec<Region>> {
    let mut stmt = conn.prepare("SELECT code FROM regions ORDER BY code")?;
    let codes: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        if let Some(r) = get(conn, &code)? {
            out.push(r);
        }
    }
    Ok(out)
}

pub fn exists(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM regions WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

/// (code, name) of every region, for selection lists and lookups.
pub fn names(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT code, name FROM regions ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The codes of regions without a parent: their targets add up to the company's.
pub fn top_level(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT code FROM regions WHERE parent IS NULL ORDER BY code")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert(
    conn: &Connection,
    code: &str,
    name: &str,
    parent: Option<&str>,
    manager: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO regions (code, name, parent, manager) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![code, name, parent, manager])?;
    Ok(())
}

/// Update the fields given; `Some(None)` clears an optional field.
pub fn update(
    conn: &Connection,
    code: &str,
    name: Option<&str>,
    parent: Option<Option<&str>>,
    manager: Option<Option<&str>>,
) -> Result<()> {
    if let Some(name) = name {
        conn.execute(
            "UPDATE regions SET name = ?2 WHERE code = ?1",
            params![code, name],
        )?;
    }
    if let Some(parent) = parent {
        conn.execute(
            "UPDATE regions SET parent = ?2 WHERE code = ?1",
            params![code, parent],
        )?;
    }
    if let Some(manager) = manager {
        conn.execute(
            "UPDATE regions SET manager = ?2 WHERE code = ?1",
            params![code, manager],
        )?;
    }
    Ok(())
}

/// Free the region's areas and delete it. The caller has checked that nothing refers to it.
pub fn delete(conn: &Connection, code: &str) -> Result<usize> {
    let freed = super::areas::clear_region(conn, code)?;
    conn.execute("DELETE FROM regions WHERE code = ?1", [code])?;
    Ok(freed)
}

/// What still refers to a region, as readable phrases ("2 reps (E01, E02)").
pub fn referrers(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let probes: [(&str, &str); 4] = [
        (
            "sub-region",
            "SELECT code FROM regions WHERE parent = ?1 ORDER BY code",
        ),
        (
            "rep",
            "SELECT code FROM reps WHERE region = ?1 ORDER BY code",
        ),
        (
            "order",
            "SELECT id FROM orders WHERE region = ?1 ORDER BY id",
        ),
        (
            "target",
            "SELECT period FROM targets WHERE scope = 'region' AND code = ?1 ORDER BY period",
        ),
    ];
    for (what, sql) in probes {
        let mut stmt = conn.prepare_cached(sql)?;
        let keys: Vec<String> = stmt
            .query_map([code], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if !keys.is_empty() {
            out.push(describe_refs(what, &keys));
        }
    }
    Ok(out)
}

/// "3 orders (A, B, C)" or "120 orders (A, B, C, …)".
pub fn describe_refs(what: &str, keys: &[String]) -> String {
    let shown: Vec<&str> = keys.iter().take(5).map(String::as_str).collect();
    let more = if keys.len() > 5 { ", …" } else { "" };
    // The noun is the last word ("order line" → "order lines"), or the first before a participle
    // ("customer owned" → "customers owned").
    let what = match what.split_once(' ') {
        _ if keys.len() == 1 => what.to_string(),
        Some((noun, rest)) if rest.ends_with("ed") => format!("{noun}s {rest}"),
        _ => format!("{what}s"),
    };
    format!("{} {what} ({}{more})", keys.len(), shown.join(", "))
}

/// (code, parent) of every region.
pub fn parents(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = conn.prepare_cached("SELECT code, parent FROM regions ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The region and every region above it, nearest first.
pub fn ancestors(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE up(code, depth) AS (
             SELECT ?1, 0
             UNION SELECT r.parent, up.depth + 1 FROM regions r JOIN up ON r.code = up.code
             WHERE r.parent IS NOT NULL AND up.depth < 64)
         SELECT code FROM up ORDER BY depth",
    )?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The region and every region below it.
pub fn descendants(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE down(code, depth) AS (
             SELECT ?1, 0
             UNION SELECT r.code, down.depth + 1 FROM regions r JOIN down ON r.parent = down.code
             WHERE down.depth < 64)
         SELECT code FROM down ORDER BY code",
    )?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Regions with no areas and no sub-regions.
pub fn empty_regions(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT code, name FROM regions r
         WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.region = r.code)
           AND NOT EXISTS (SELECT 1 FROM regions c WHERE c.parent = r.code)
         ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn without_manager(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT code, name FROM regions WHERE manager IS NULL ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Orders recorded in an area that had no region, per area: (area name, count).
/// Orders recorded with no region, per area: (area name, count, the area's region today).
pub fn unassigned_orders(conn: &Connection) -> Result<Vec<(String, i64, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT COALESCE(a.name, '(no area)'), COUNT(*), a.region FROM orders o LEFT JOIN areas a ON a.code = o.area
         WHERE o.region IS NULL GROUP BY o.area, a.name, a.region ORDER BY o.area",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
