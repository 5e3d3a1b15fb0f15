//! Areas and the keys they are found by.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

use crate::domain::area::{self, Universe};

#[derive(Debug, Clone)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub official: String,
    pub universe: String,
    pub region: Option<String>,
    /// The company does not sell here: never a gap, never in a region.
    pub excluded: bool,
}

/// Load a universe's areas and keys; areas already present are left as they are (init is idempotent).
pub fn load_universe(conn: &Connection, universe: Universe) -> Result<usize> {
    let mut added = 0;
    let mut area_stmt = conn.prepare_cached(
        "INSERT INTO areas (code, name, official, universe) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (code) DO NOTHING",
    )?;
    let mut key_stmt = conn.prepare_cached(
        "INSERT INTO area_keys (key, area) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
    )?;
    for def in area::universe(universe) {
        added += area_stmt.execute(params![def.code, def.name, def.official, universe.as_str()])?;
        for key in area::keys(def) {
            key_stmt.execute(params![key, def.code])?;
        }
    }
    Ok(added)
}

/// The area a name answers to, after normalising; never a fuzzy match.
pub fn find(conn: &Connection, input: &str) -> Result<Option<Area>> {
    let key = area::normalize(input);
    if key.is_empty() {
        return Ok(None);
    }
    let code: Option<String> = conn
        .prepare_cached("SELECT area FROM area_keys WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match code {
        Some(code) => get(conn, &code),
        None => Ok(None),
    }
}

/// An area by any of its names, or an input error naming what was typed.
pub fn must_find(conn: &Connection, input: &str) -> Result<Area> {
    match find(conn, input)? {
        Some(a) => Ok(a),
        None => crate::bail_input!("unknown area \"{input}\" (see `salesops areas list`)"),
    }
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Area>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, official, universe, region, excluded FROM areas WHERE code = ?1",
        )?
        .query_row([code], row_to_area)
        .optional()?)
}

fn row_to_area(r: &crate::store::sql::Row) -> crate::store::sql::Result<Area> {
    Ok(Area {
        code: r.get(0)?,
        name: r.get(1)?,
        official: r.get(2)?,
        universe: r.get(3)?,
        region: r.get(4)?,
        excluded: r.get(5)?,
    })
}

/// Every area, or with `gaps_only` the gaps: in no region and not excluded.
pub fn list(conn: &Connection, gaps_only: bool) -> Result<Vec<Area>> {
    let sql = if gaps_only {
        "SELECT code, name, official, universe, region, excluded FROM areas
         WHERE region IS NULL AND excluded = 0 ORDER BY code"
    } else {
        "SELECT code, name, official, universe, region, excluded FROM areas ORDER BY code"
    };
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], row_to_area)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which area already answers to one of `keys`, if any.
pub fn key_holder(conn: &Connection, keys: &[String]) -> Result<Option<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name FROM area_keys k JOIN areas a ON a.code = k.area WHERE k.key = ?1",
    )?;
    for key in keys {
        if let Some(name) = stmt
            .query_row([key], |r| r.get::<_, String>(0))
            .optional()?
        {
            return Ok(Some((key.clone(), name)));
        }
    }
    Ok(None)
}

pub fn add_custom(conn: &Connection, code: &str, name: &str, keys: &[String]) -> Result<()> {
    conn.execute(
        "INSERT INTO areas (code, name, official, universe) VALUES (?1, ?2, ?2, 'custom')",
        params![code, name],
    )?;
    let mut stmt = conn.prepare_cached("INSERT INTO area_keys (key, area) VALUES (?1, ?2)")?;
    for key in keys {
        stmt.execute(params![key, code])?;
    }
    Ok(())
}

pub fn set_region(conn: &Connection, area: &str, region: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE areas SET region = ?2 WHERE code = ?1")?
        .execute(params![area, region])?;
    Ok(())
}

/// Areas with no region that the company sells in, as (code, name).
pub fn gaps(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT code, name FROM areas WHERE region IS NULL AND excluded = 0 ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Mark an area as one the company does not sell in (`true`) or does again (`false`).
pub fn set_excluded(conn: &Connection, area: &str, excluded: bool) -> Result<()> {
    conn.prepare_cached("UPDATE areas SET excluded = ?2 WHERE code = ?1")?
        .execute(params![area, excluded])?;
    Ok(())
}

/// Free every area of a region.
pub fn clear_region(conn: &Connection, region: &str) -> Result<usize> {
    Ok(conn.execute("UPDATE areas SET region = NULL WHERE region = ?1", [region])?)
}
