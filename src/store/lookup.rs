//! The one lookup of a record a person names on the command line: a region, rep, customer, product,
//! warehouse, campaign or carrier is found by its code (a product by its SKU), or, when no code
//! matches, by its exact name. Codes win: a record whose code is another's name is found by the code.
//! A name two records share finds neither and is refused (exit 3) naming both codes, so the person can
//! give the code. Files keep their key columns to codes: importers never call this.

use crate::store::sql::{Connection, OptionalExtension};
use anyhow::Result;

/// What kind of record a command-line value names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Region,
    Rep,
    Customer,
    Product,
    Warehouse,
    Campaign,
    Carrier,
}

impl Kind {
    /// The word messages use, and (plural) the command group that lists them.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::Rep => "rep",
            Kind::Customer => "customer",
            Kind::Product => "product",
            Kind::Warehouse => "warehouse",
            Kind::Campaign => "campaign",
            Kind::Carrier => "carrier",
        }
    }

    /// (table, key column): fixed words, never user input, so they may be spliced into the SQL.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Kind::Region => ("regions", "code"),
            Kind::Rep => ("reps", "code"),
            Kind::Customer => ("customers", "code"),
            Kind::Product => ("products", "sku"),
            Kind::Warehouse => ("warehouses", "code"),
            Kind::Campaign => ("campaigns", "code"),
            Kind::Carrier => ("carriers", "code"),
        }
    }
}

/// The code of the record `typed` names: its code (trimmed, in the stored form of a code), else its
/// exact name (trimmed). None when neither matches; a name two records share is invalid input (exit 3)
/// naming both codes.
pub fn find(conn: &Connection, kind: Kind, typed: &str) -> Result<Option<String>> {
    let typed = typed.trim();
    let (table, key) = kind.table();
    // A code as typed, then in its stored form (`domain::text::code`: NFKC, so `Ｃ１` is `C1`); a
    // file written before codes were normalised may hold the first. A value that cannot be a code may
    // still be a name.
    let normal = crate::domain::text::code(typed, "code").ok();
    for code in std::iter::once(typed).chain(normal.as_deref().filter(|n| *n != typed)) {
        let hit: Option<String> = conn
            .prepare_cached(&format!("SELECT {key} FROM {table} WHERE {key} = ?1"))?
            .query_row([code], |r| r.get(0))
            .optional()?;
        if hit.is_some() {
            return Ok(hit);
        }
    }
    if typed.is_empty() {
        return Ok(None);
    }
    let codes: Vec<String> = conn
        .prepare_cached(&format!(
            "SELECT {key} FROM {table} WHERE name = ?1 ORDER BY {key} LIMIT 3"
        ))?
        .query_map([typed], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    match codes.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b] => crate::bail_input!(
            "the {} name \"{typed}\" is shared by {a} and {b}: give the code",
            kind.word()
        ),
        [a, b, ..] => crate::bail_input!(
            "the {} name \"{typed}\" is shared by {a}, {b} and others: give the code",
            kind.word()
        ),
    }
}

/// The code of a record that must exist: `find`, or invalid input (exit 3) naming what was typed and
/// where to look, like `store::found`.
pub fn code(conn: &Connection, kind: Kind, typed: &str) -> Result<String> {
    match find(conn, kind, typed)? {
        Some(code) => Ok(code),
        None => super::found(None, kind.word(), typed.trim()),
    }
}

/// `code` for an optional value.
pub fn code_opt(conn: &Connection, kind: Kind, typed: Option<&str>) -> Result<Option<String>> {
    typed.map(|t| code(conn, kind, t)).transpose()
}
