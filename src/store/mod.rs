//! All SQL lives under `store`: opening the file (pragmas, migrations, permissions) here, and one
//! module per entity. Functions take a `&Connection` (a `Conn`, `Db`, `Tx` or `Ledger` derefs to one)
//! and never print. Writes that change figures go through `ledger::Ledger`.

pub mod areas;
pub mod audit;
pub mod customers;
pub mod findings;
pub mod invariants;
pub mod ledger;
mod migrations;
pub mod orders;
pub mod policy;
pub mod prices;
pub mod products;
pub mod regions;
pub mod report;
pub mod reps;
pub mod rollup;
pub mod settings;
pub mod targets;
pub mod types;

use std::fs::OpenOptions;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result};
use rusqlite::{Connection, OpenFlags};

/// The whole current schema: a new database is made from it in one step.
const SCHEMA: &str = include_str!("../../schema.sql");

/// One step from a version to the next: SQL, then what the program must compute that SQL cannot.
struct Migration {
    sql: &'static str,
    then: Option<fn(&Connection) -> Result<()>>,
}

/// Ordered migrations: entry i brings version i + 1 to version i + 2. Never edit a released one; what a
/// step computes runs frozen code of its own version (`migrations/`), never today's rollups.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("migrations/v2.sql"),
        then: Some(migrations::v2::price_marks),
    },
    Migration {
        sql: include_str!("migrations/v3.sql"),
        then: Some(migrations::v3::off_list_marks),
    },
    Migration {
        sql: include_str!("migrations/v4.sql"),
        then: Some(migrations::v4::book),
    },
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64 + 1;

/// The storage layer's handle on one database, as commands and domain code see it: they pass `&Conn`
/// (or a `&Tx`, which derefs to one) to `store` functions and never name the engine's own types. Only
/// `store/` reaches the SQLite connection inside (through `Deref`); a second engine goes behind this
/// type without touching a command.
pub struct Conn(Connection);

impl std::ops::Deref for Conn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// An open database: its handle, and whether opening it migrated the file.
pub struct Db {
    conn: Conn,
    /// The schema version this file had when it was opened, when opening migrated it forward.
    pub migrated_from: Option<i64>,
}

impl std::ops::Deref for Db {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl Db {
    /// Begin the one transaction of a write command. It takes the write lock at once (BEGIN
    /// IMMEDIATE): a deferred transaction starts as a reader and fails with "database is locked" when
    /// it must upgrade after another process wrote, without waiting on the busy timeout.
    pub fn begin(&mut self) -> Result<Tx<'_>> {
        self.conn.0.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Tx {
            conn: &mut self.conn,
            open: true,
        })
    }
}

/// A write transaction: everything done through it is committed together by `commit`, or rolled back
/// when it is dropped (an error, a refused confirmation, a panic).
pub struct Tx<'db> {
    conn: &'db mut Conn,
    open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.conn.0.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }

    /// Undo everything done through this transaction (a dry run), reporting a failure to do so.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.0.execute_batch("ROLLBACK")?;
        Ok(())
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.0.execute_batch("ROLLBACK");
        }
    }
}

/// A record a person named by its key, or an input error (exit 3) that says where to look, such as
/// `no region "X" (see `salesops regions list`)`. Every entity's `must_get` is this one shape.
pub fn found<T>(record: Option<T>, what: &str, key: &str) -> Result<T> {
    match record {
        Some(r) => Ok(r),
        None => crate::bail_input!("no {what} \"{key}\" (see `salesops {what}s list`)"),
    }
}

/// Open an existing database; a missing file is an error that names it and `salesops init`.
pub fn open_existing(path: &Path) -> Result<Db> {
    if !path.exists() {
        anyhow::bail!(
            "no database at {}: create it with `salesops init` (or point --db / SALESOPS_DB at one)",
            path.display()
        );
    }
    open(path)
}

/// Create the file (mode 0600, or 0660 when shared) if it does not exist, then open and migrate it.
pub fn create(path: &Path, shared: bool) -> Result<(Db, bool)> {
    let created = !path.exists();
    let mode = if shared { 0o660 } else { 0o600 };
    if created {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
    }
    if shared || created {
        // The umask may have removed bits that we asked for.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the permissions of {}", path.display()))?;
    }
    Ok((open(path)?, created))
}

fn open(path: &Path) -> Result<Db> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open the database {}", path.display()))?;
    configure(&conn).with_context(|| format!("cannot open the database {}", path.display()))?;
    let migrated_from = migrate(&conn, path)?;
    Ok(Db {
        conn: Conn(conn),
        migrated_from,
    })
}

fn configure(conn: &Connection) -> Result<()> {
    // Long enough for another command's migration of a large file (31 s at 10M lines) or a big import's
    // commit.
    conn.busy_timeout(Duration::from_secs(60))?;
    // An import runs a few dozen distinct statements per order; all of them stay prepared.
    conn.set_prepared_statement_cache_capacity(128);
    // journal_mode answers with a row, so it is read rather than executed.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA cache_size = -12000;",
    )?;
    Ok(())
}

/// Bring the file to `SCHEMA_VERSION`; the version it had, when that was an older one (not a new file).
fn migrate(conn: &Connection, path: &Path) -> Result<Option<i64>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(crate::error::input(format!(
            "{} has schema version {version}, newer than this salesops knows ({SCHEMA_VERSION}): \
             upgrade salesops to open it",
            path.display()
        )));
    }
    if version == SCHEMA_VERSION {
        return Ok(None);
    }
    // IMMEDIATE takes the write lock first, so two processes never migrate the same file at once;
    // the version is read again inside the lock.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| -> Result<Option<i64>> {
        let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current == 0 {
            conn.execute_batch(SCHEMA)
                .context("creating the schema failed")?;
        } else {
            for (i, m) in MIGRATIONS.iter().enumerate().skip(current as usize - 1) {
                let step = || -> Result<()> {
                    conn.execute_batch(m.sql)?;
                    if let Some(then) = m.then {
                        then(conn)?;
                    }
                    Ok(())
                };
                step().with_context(|| format!("schema migration to version {} failed", i + 2))?;
            }
        }
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        Ok((current > 0).then_some(current))
    })();
    match result {
        Ok(from) => {
            conn.execute_batch("COMMIT")?;
            Ok(from)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e.context(format!("cannot migrate {}", path.display())))
        }
    }
}

/// Integrity and foreign-key problems as (kind, subject, detail).
pub fn integrity_findings(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let msg = row?;
        if msg != "ok" {
            out.push(("integrity".into(), "database".into(), msg));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let found: Vec<(String, Option<i64>, String)> = rows.collect::<Result<_, _>>()?;
    for (table, rowid, parent) in found {
        // People know a row by its key (the first column: a code, SKU or order id), not its rowid.
        let key: Option<String> = match rowid {
            Some(id) => conn
                .query_row(
                    &format!(
                        "SELECT * FROM \"{}\" WHERE rowid = ?1",
                        table.replace('"', "\"\"")
                    ),
                    [id],
                    |r| r.get::<_, rusqlite::types::Value>(0),
                )
                .ok()
                .map(|v| match v {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    other => format!("{other:?}"),
                }),
            None => None,
        };
        let subject = match (key, rowid) {
            (Some(k), _) => format!("{table} {k}"),
            (None, Some(id)) => format!("{table} row {id}"),
            (None, None) => table.clone(),
        };
        out.push((
            "foreign_key".into(),
            subject,
            format!("refers to a missing row of {parent}"),
        ));
    }
    Ok(out)
}

/// A consistent copy through SQLite's online backup: safe while others write.
pub fn backup(conn: &Connection, target: &Path) -> Result<()> {
    let mut dest =
        Connection::open(target).with_context(|| format!("cannot create {}", target.display()))?;
    let backup = rusqlite::backup::Backup::new(conn, &mut dest)?;
    // One step copies every page under one read transaction: the copy is a single consistent snapshot.
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Turn SQLite's foreign-key enforcement on or off for this connection (outside a transaction).
pub fn set_foreign_keys(conn: &Connection, on: bool) -> Result<()> {
    conn.execute_batch(if on {
        "PRAGMA foreign_keys = ON"
    } else {
        "PRAGMA foreign_keys = OFF"
    })?;
    Ok(())
}
