//! The PostgreSQL dialect of the store's SQL: one definition (the SQLite text the store and schema.sql
//! write) generates both engines' statements, so a query or a table is never written twice. The
//! translation works on tokens (strings, quoted names and comments are never rewritten) grouped by
//! parentheses; what it changes and why is in docs/decisions.md, "PostgreSQL dialect".

mod clauses;
mod functions;
mod query;
mod schema;
pub(super) mod tokens;

#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

/// The current schema, for the column names the translation must know (which are NOT NULL).
const SCHEMA: &str = include_str!("../../../schema.sql");

/// The table that keeps the schema version on PostgreSQL (SQLite keeps it in PRAGMA user_version):
/// one row.
pub const POSTGRES_VERSION_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS salesops_schema (version BIGINT NOT NULL)";

fn names() -> &'static query::Names {
    static NAMES: OnceLock<query::Names> = OnceLock::new();
    NAMES.get_or_init(|| query::Names {
        not_null: schema::not_null_names(SCHEMA),
    })
}

/// A statement (or several separated by `;`) as the store writes it for SQLite, in PostgreSQL. `?N`
/// and `?` placeholders stay where they are, for the engine to fill. Pure and deterministic: the
/// caller translates each distinct text once.
pub fn postgres_query(sql: &str) -> String {
    query::translate(sql, names())
}

/// A whole SQLite schema script (schema.sql, or a migration file) as PostgreSQL DDL: types mapped,
/// every text column in byte order (COLLATE "C"), foreign keys added after every table exists and
/// deferrable, views and statements through `postgres_query`, PRAGMAs dropped, and each trigger
/// replaced by its hand-written PL/pgSQL version from `postgres_triggers.sql`.
pub fn postgres_schema(sqlite_ddl: &str) -> String {
    // The names of the script itself count too: a migration may add a column the schema names.
    let not_null = schema::not_null_names(&format!("{SCHEMA};\n{sqlite_ddl}"));
    schema::translate_schema(sqlite_ddl, &query::Names { not_null })
}
