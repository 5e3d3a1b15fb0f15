//! Salespeople and their suspensions.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::rep::Rep;
use crate::domain::values::Role;

/// The status expression as of ?1 (a date), for a row aliased `p`.
const SELECT: &str = "SELECT p.code, p.name, p.region, p.role, p.manager, p.phone, p.email,
        CASE WHEN p.left_on IS NOT NULL THEN 'left'
             WHEN s.until IS NOT NULL THEN 'suspended' ELSE 'active' END,
        s.until
     FROM reps p
     LEFT JOIN (SELECT rep, MAX(until) AS until FROM suspensions
                WHERE start_date <= ?1 AND until >= ?1 AND (lifted_on IS NULL OR lifted_on > ?1)
                GROUP BY rep) s ON s.rep = p.code";

fn row_to_rep(r: &crate::store::sql::Row) -> crate::store::sql::Result<Rep> {
    Ok(Rep {
        code: r.get(0)?,
        name: r.get(1)?,
        region: r.get(2)?,
        role: r.get(3)?,
        manager: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        status: r.get(7)?,
        suspended_until: r.get(8)?,
    })
}

pub fn get(conn: &Connection, code: &str, on: NaiveDate) -> Result<Option<Rep>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE p.code = ?2"))?
        .query_row(params![on.to_string(), code], row_to_rep)
        .optional()?)
}

/// A rep a person named, which must exist, with their status on `on`.
pub fn must_get(conn: &Connection, code: &str, on: NaiveDate) -> Result<Rep> {
    super::found(get(conn, code, on)?, "rep", code)
}

pub fn list(conn: &Connection, on: NaiveDate) -> Result<Vec<Rep>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY p.code"))?;
    let rows = stmt.query_map([on.to_string()], row_to_rep)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn exists(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM reps WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

pub struct NewRep<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub region: &'a str,
    pub role: Role,
    pub manager: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

pub fn insert(conn: &Connection, rep: &NewRep) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO reps (code, name, region, role, manager, phone, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![rep.code, rep.name, rep.region, rep.role, rep.manager, rep.phone, rep.email])?;
    Ok(())
}

/// Set one column of a rep. `column` is one of a fixed set chosen by the caller, never user text.
pub fn set_field(
    conn: &Connection,
    code: &str,
    column: RepField,
    value: Option<&str>,
) -> Result<()> {
    let col = match column {
        RepField::Name => "name",
        RepField::Region => "region",
        RepField::Manager => "manager",
        RepField::Phone => "phone",
        RepField::Email => "email",
        RepField::LeftOn => "left_on",
    };
    conn.prepare_cached(&format!("UPDATE reps SET {col} = ?2 WHERE code = ?1"))?
        .execute(params![code, value])?;
    Ok(())
}

/// A rep's new role.
pub fn set_role(conn: &Connection, code: &str, role: Role) -> Result<()> {
    conn.prepare_cached("UPDATE reps SET role = ?2 WHERE code = ?1")?
        .execute(params![code, role])?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum RepField {
    Name,
    Region,
    Manager,
    Phone,
    Email,
    LeftOn,
}

pub fn delete(conn: &Connection, code: &str) -> Result<()> {
    conn.execute("DELETE FROM reps WHERE code = ?1", [code])?;
    Ok(())
}

/// What still refers to a rep, as readable phrases.
pub fn referrers(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let probes: [(&str, &str); 5] = [
        (
            "region managed",
            "SELECT code FROM regions WHERE manager = ?1 ORDER BY code",
        ),
        (
            "rep managed",
            "SELECT code FROM reps WHERE manager = ?1 ORDER BY code",
        ),
        (
            "customer owned",
            "SELECT code FROM customers WHERE owner = ?1 ORDER BY code",
        ),
        ("order", "SELECT id FROM orders WHERE rep = ?1 ORDER BY id"),
        (
            "target",
            "SELECT period FROM targets WHERE scope = 'rep' AND code = ?1 ORDER BY period",
        ),
    ];
    for (what, sql) in probes {
        let mut stmt = conn.prepare_cached(sql)?;
        let keys: Vec<String> = stmt
            .query_map([code], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if !keys.is_empty() {
            out.push(super::regions::describe_refs(what, &keys));
        }
    }
    Ok(out)
}

pub fn suspend(
    conn: &Connection,
    code: &str,
    start: NaiveDate,
    until: NaiveDate,
    reason: &str,
    violation: Option<i64>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO suspensions (rep, start_date, until, reason, violation) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![code, start.to_string(), until.to_string(), reason, violation])?;
    Ok(())
}

/// Lift every suspension still running on or after `on`; returns how many.
pub fn reinstate(conn: &Connection, code: &str, on: NaiveDate) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE suspensions SET lifted_on = ?2
         WHERE rep = ?1 AND until >= ?2 AND (lifted_on IS NULL OR lifted_on > ?2)",
        params![code, on.to_string()],
    )?)
}

/// The rep's region and role, as stored.
pub fn region_and_role(conn: &Connection, code: &str) -> Result<Option<(String, Role)>> {
    Ok(conn
        .prepare_cached("SELECT region, role FROM reps WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A rep's standing for selling: when they left, and every suspension (start, until, lifted_on, reason).
pub fn standing(conn: &Connection, code: &str) -> Result<Option<crate::domain::rep::Standing>> {
    let base: Option<Option<String>> = conn
        .prepare_cached("SELECT left_on FROM reps WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?;
    let Some(left_on) = base else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached("SELECT start_date, until, lifted_on, reason FROM suspensions WHERE rep = ?1 ORDER BY until DESC")?;
    let suspensions = stmt
        .query_map([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(crate::domain::rep::Standing {
        left_on,
        suspensions,
    }))
}
