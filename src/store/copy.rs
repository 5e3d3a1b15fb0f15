//! A whole database copied into an empty one of either engine (`db copy`, and `backup` of a
//! PostgreSQL database into a SQLite file): every table of the schema, column by column, read in one
//! snapshot of the source and written in one transaction of the target, whose foreign keys are checked
//! when it commits. The columns are those of `schema.sql`, so the copy is the same on both engines.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::sql::{params_from_iter, Connection, ToSql, Value, ValueRef};
use super::{Db, SCHEMA, SCHEMA_VERSION};

/// Rows written per INSERT statement.
const ROWS_PER_INSERT: usize = 200;

impl ToSql for Value {
    fn to_sql(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// A table of the schema: its name, its columns in order, and the columns that order its rows.
struct Table {
    name: String,
    columns: Vec<String>,
    order: Vec<String>,
}

/// The tables of the current schema, in the order `schema.sql` creates them, read from a database
/// made from it in memory (so the list is the schema's own, never a guess from the source).
fn tables() -> Result<Vec<Table>> {
    let memory = rusqlite::Connection::open_in_memory()?;
    memory.execute_batch(SCHEMA)?;
    let names: Vec<String> = memory
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names {
        let mut stmt = memory.prepare(&format!("PRAGMA table_info(\"{name}\")"))?;
        let cols: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(1)?, r.get(5)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let columns: Vec<String> = cols.iter().map(|(c, _)| c.clone()).collect();
        let mut keyed: Vec<&(String, i64)> = cols.iter().filter(|(_, pk)| *pk > 0).collect();
        keyed.sort_by_key(|(_, pk)| *pk);
        // Orders keep their order of arrival (an import tells its own orders by it); other tables
        // by their key, or by every column when they have none.
        let order = if name == "orders" {
            vec!["rowid".to_string()]
        } else if keyed.is_empty() {
            columns.clone()
        } else {
            keyed.iter().map(|(c, _)| c.clone()).collect()
        };
        out.push(Table {
            name,
            columns,
            order,
        });
    }
    Ok(out)
}

/// Copy every row of `source` (a salesops database at this schema version) into `target`, a new
/// database with the schema and no rows. The caller holds the target's transaction.
fn copy_rows(source: &Connection, target: &Connection) -> Result<u64> {
    let tables = tables()?;
    // A new database may hold rows its schema put there (the one-row tables): the copy replaces them.
    for table in tables.iter().rev() {
        target.execute(&format!("DELETE FROM \"{}\"", table.name), [])?;
    }
    let mut copied = 0u64;
    for table in tables {
        let list = table
            .columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let order = table
            .order
            .iter()
            .map(|c| {
                if c == "rowid" {
                    c.clone()
                } else {
                    format!("\"{c}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut read = source.prepare(&format!(
            "SELECT {list} FROM \"{}\" ORDER BY {order}",
            table.name
        ))?;
        let width = table.columns.len();
        let mut rows = read.query([])?;
        let mut batch: Vec<Value> = Vec::with_capacity(width * ROWS_PER_INSERT);
        let write = |batch: &mut Vec<Value>| -> Result<()> {
            if batch.is_empty() {
                return Ok(());
            }
            let count = batch.len() / width;
            let one = format!("({})", vec!["?"; width].join(", "));
            let sql = format!(
                "INSERT INTO \"{}\" ({list}) VALUES {}",
                table.name,
                vec![one.as_str(); count].join(", ")
            );
            target
                .prepare(&sql)?
                .execute(params_from_iter(batch.iter()))
                .with_context(|| format!("copying table {}", table.name))?;
            batch.clear();
            Ok(())
        };
        while let Some(row) = rows.next()? {
            for i in 0..width {
                batch.push(row.get(i)?);
            }
            copied += 1;
            if batch.len() >= width * ROWS_PER_INSERT {
                write(&mut batch)?;
            }
        }
        write(&mut batch)?;
    }
    Ok(copied)
}

/// Copy the database `db` into `target`, a database just created empty at this schema version, in one
/// transaction of the target: all of it, or (on any failure) nothing. The number of rows copied.
pub fn into(db: &Db, target: &mut Db) -> Result<u64> {
    let snapshot = db.snapshot()?;
    let tx = target.begin()?;
    if let Some(c) = tx.sqlite() {
        // Rows arrive table by table; their references are checked together at the commit.
        c.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    } else if let Connection::Postgres(p) = &**tx {
        p.execute_raw("SET CONSTRAINTS ALL DEFERRED")?;
    }
    let copied = copy_rows(&snapshot, &tx)?;
    if let Connection::Postgres(p) = &**tx {
        restart_sequences(p)?;
    }
    drop(snapshot);
    tx.commit()?;
    Ok(copied)
}

/// After rows were written with their ids, every id sequence goes on after the largest id.
fn restart_sequences(p: &super::sql::PgConnection) -> Result<()> {
    let rows = p.query_raw(
        "SELECT table_name, column_name FROM information_schema.columns \
         WHERE table_schema = current_schema() \
         AND (column_default LIKE 'nextval(%' OR is_identity = 'YES') \
         ORDER BY table_name, column_name",
    )?;
    let mut sql = String::new();
    for r in &rows {
        let (Some(table), Some(column)) = (r.get(0), r.get(1)) else {
            continue;
        };
        sql.push_str(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), \
             coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false);"
        ));
    }
    if !sql.is_empty() {
        p.execute_raw(&sql)?;
    }
    Ok(())
}

/// `backup` of a PostgreSQL database: a new SQLite file at `target` (an empty file the caller made)
/// holding a copy of it, made from one snapshot.
pub fn to_new_file(conn: &Connection, target: &Path) -> Result<()> {
    let file = rusqlite::Connection::open(target)?;
    file.execute_batch(SCHEMA)?;
    file.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    let file = Connection::Sqlite(file);
    file.execute_batch("BEGIN; PRAGMA defer_foreign_keys = ON")?;
    let read = match conn {
        Connection::Postgres(p) => {
            p.execute_raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            copy_rows(conn, &file)
        }
        Connection::Sqlite(_) => copy_rows(conn, &file),
    };
    if let Connection::Postgres(p) = conn {
        let _ = p.execute_raw("ROLLBACK");
    }
    match read {
        Ok(_) => file.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = file.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    if let Connection::Sqlite(c) = file {
        c.close().map_err(|(_, e)| e)?;
    }
    Ok(())
}
