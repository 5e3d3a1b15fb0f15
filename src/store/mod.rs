//! All SQL lives under `store`: opening the file (pragmas, migrations, permissions) here, and one
//! module per entity. Functions take a `&Connection` (a `Conn`, `Db`, `Tx` or `Ledger` derefs to one)
//! and never print. Writes that change figures go through `ledger::Ledger`.

pub mod areas;
pub mod audit;
pub mod campaigns;
pub mod carriers;
pub mod copy;
pub mod customers;
mod file;
pub mod findings;
pub mod invariants;
pub mod ledger;
mod lock;
pub mod lookup;
mod migrations;
pub mod orders;
pub mod policy;
pub mod prices;
pub mod products;
pub mod regions;
pub mod report;
pub mod reps;
pub mod rollup;
pub mod scorecard;
mod server;
pub mod service;
pub mod settings;
pub mod sql;
pub mod stock;
pub mod targets;
pub mod types;
pub mod warehouses;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rusqlite::ErrorCode;

pub use sql::Connection;

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
    // Version 5 is the extension beyond the sale, one file per part: the areas a company does not
    // sell in, price marks graded on a grid, stock, service, campaigns and carriers. Its tables start empty; orders recorded before
    // it have no warehouse and so never touch stock.
    Migration {
        sql: concat!(
            include_str!("migrations/v5/areas.sql"),
            include_str!("migrations/v5/marks.sql"),
            include_str!("migrations/v5/stock.sql"),
            include_str!("migrations/v5/service.sql"),
            include_str!("migrations/v5/trade.sql"),
        ),
        then: None,
    },
    // Version 6, one file per part: the scorecard's ratings, and the per-warehouse stock rollup the
    // report reads (`speed`).
    Migration {
        sql: concat!(
            include_str!("migrations/v6/scorecard.sql"),
            include_str!("migrations/v6/speed.sql"),
        ),
        then: None,
    },
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64 + 1;

/// The storage layer's handle on one database, as commands and domain code see it: they pass `&Conn`
/// (or a `&Tx`, which derefs to one) to `store` functions and never name an engine's own types. Only
/// `store/` reaches the engine's connection inside (`sql::Connection`, through `Deref`).
pub struct Conn(Connection);

impl std::ops::Deref for Conn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// An open database: its handle, and whether opening it migrated the schema.
pub struct Db {
    conn: Conn,
    /// The schema version the database had when it was opened, when opening migrated it forward.
    pub migrated_from: Option<i64>,
}

impl std::ops::Deref for Db {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl Db {
    /// Begin the one transaction of a write command, holding the write lock: one writer at a time,
    /// on either engine (`lock`). On SQLite it is BEGIN IMMEDIATE: a deferred transaction starts as a
    /// reader and fails with "database is locked" when it must upgrade after another process wrote,
    /// without waiting on the busy timeout. On PostgreSQL it is a serializable transaction begun once
    /// the salesops writer lock is held.
    ///
    /// Another command writing makes it wait (up to `SALESOPS_BUSY_TIMEOUT`, saying after two seconds
    /// which command it waits for).
    pub fn begin(&mut self) -> Result<Tx<'_>> {
        let note = lock::begin_writing(&self.conn.0)?;
        Ok(Tx {
            conn: &mut self.conn,
            open: true,
            _note: note,
        })
    }
}

/// A write transaction: everything done through it is committed together by `commit`, or rolled back
/// when it is dropped (an error, a refused confirmation, a panic).
pub struct Tx<'db> {
    conn: &'db mut Conn,
    open: bool,
    /// Removed after the transaction ends (fields drop after `Drop::drop` has rolled back).
    _note: lock::WriterNote,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        lock::end(&self.conn.0, "COMMIT")?;
        Ok(())
    }

    /// Undo everything done through this transaction (a dry run), reporting a failure to do so.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        lock::end(&self.conn.0, "ROLLBACK")?;
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
            let _ = lock::end(&self.conn.0, "ROLLBACK");
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

pub use lock::{busy_timeout, DEFAULT_BUSY_TIMEOUT};

/// Whether a failure is giving up on another command's lock (after `SALESOPS_BUSY_TIMEOUT`).
pub fn is_busy(err: &anyhow::Error) -> bool {
    let sqlite_busy = |e: &rusqlite::Error| {
        matches!(e, rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
    };
    err.chain().any(|cause| {
        cause.downcast_ref::<lock::Busy>().is_some()
            || cause.downcast_ref::<rusqlite::Error>().is_some_and(sqlite_busy)
            || matches!(cause.downcast_ref::<sql::Error>(), Some(sql::Error::Sqlite(e)) if sqlite_busy(e))
    })
}

/// Whether a failure is PostgreSQL ending a transaction for a serialization failure or a deadlock:
/// nothing of it was applied, and the command may be run again.
pub fn is_retryable(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(cause.downcast_ref::<sql::Error>(), Some(sql::Error::Postgres(e)) if e.is_retryable())
    })
}

/// Where a company's database is: a SQLite file, or a PostgreSQL database named by its URL
/// (`postgres://USER@HOST[:PORT]/DBNAME`, or `postgresql://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(String),
}

impl Location {
    /// `--db` / `SALESOPS_DB` as given. A URL with a password in it is refused (exit 2): the password
    /// would be seen in the process list, the shell history and the audit log.
    pub fn parse(text: &std::ffi::OsStr) -> Result<Location> {
        let Some(s) = text.to_str() else {
            return Ok(Location::File(PathBuf::from(text)));
        };
        if !(s.starts_with("postgres://") || s.starts_with("postgresql://")) {
            return Ok(Location::File(PathBuf::from(text)));
        }
        server::check_url(s)?;
        Ok(Location::Server(s.to_string()))
    }

    /// The file, for what only a file has (its mode, the files beside it).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    /// The database file and the files SQLite keeps beside it (none for a server).
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            Location::File(p) => file::files_of(p),
            Location::Server(_) => Vec::new(),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(url) => write!(f, "{url}"),
        }
    }
}

/// Open an existing database; a missing one is an error that names it and `salesops init`.
pub fn open_existing(at: &Location) -> Result<Db> {
    match at {
        Location::File(path) => file::open_existing(path),
        Location::Server(url) => server::open_existing(url),
    }
}

/// `init`'s open: a new database (a file, mode 0600 or 0660 when shared; or the schema made in an
/// empty PostgreSQL database), or an existing salesops database migrated forward; true when it was
/// created.
pub fn create(at: &Location, shared: bool) -> Result<(Db, bool)> {
    match at {
        Location::File(path) => file::create(path, shared),
        Location::Server(url) => {
            if shared {
                crate::bail_usage!(
                    "init --shared sets a file's mode; on PostgreSQL grant the roles of the people \
                     who use {url} access instead (see docs/postgres.md)"
                );
            }
            server::create(url)
        }
    }
}

/// Bring the database to `SCHEMA_VERSION`; the version it had, when that was an older one (not a new
/// database). `name` names it in errors.
fn migrate(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let newer = |version: i64| {
        crate::error::input(format!(
            "{name} has schema version {version}, newer than this salesops knows ({SCHEMA_VERSION}): \
             upgrade salesops to open it"
        ))
    };
    let version = schema_version(conn)?;
    if version > SCHEMA_VERSION {
        return Err(newer(version));
    }
    if version == SCHEMA_VERSION {
        return Ok(None);
    }
    // The write lock first, so two processes never migrate the same database at once; the version is
    // read again inside the lock.
    let note = lock::begin_migrating(conn)?;
    let result = (|| -> Result<Option<i64>> {
        let current = schema_version(conn)?;
        if current > SCHEMA_VERSION {
            return Err(newer(current));
        }
        if current == SCHEMA_VERSION {
            return Ok(None);
        }
        if current == 0 {
            match conn {
                Connection::Sqlite(c) => c.execute_batch(SCHEMA),
                Connection::Postgres(p) => {
                    p.execute_raw(&sql::dialect::postgres_schema(SCHEMA))?;
                    p.execute_raw(sql::dialect::POSTGRES_VERSION_TABLE)?;
                    Ok(p.execute_raw("INSERT INTO salesops_schema (version) VALUES (0)")?)
                }
            }
            .context("creating the schema failed")?;
        } else {
            for (i, m) in MIGRATIONS.iter().enumerate().skip(current as usize - 1) {
                let step = || -> Result<()> {
                    match conn {
                        Connection::Sqlite(c) => c.execute_batch(m.sql)?,
                        Connection::Postgres(p) => {
                            p.execute_raw(&sql::dialect::postgres_schema(m.sql))?
                        }
                    }
                    if let Some(then) = m.then {
                        then(conn)?;
                    }
                    Ok(())
                };
                step().with_context(|| format!("schema migration to version {} failed", i + 2))?;
            }
        }
        match conn {
            Connection::Sqlite(c) => {
                c.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?
            }
            Connection::Postgres(p) => p.execute_raw(&format!(
                "UPDATE salesops_schema SET version = {SCHEMA_VERSION}"
            ))?,
        }
        Ok((current > 0).then_some(current))
    })();
    match result {
        Ok(from) => {
            lock::end(conn, "COMMIT")?;
            drop(note);
            Ok(from)
        }
        Err(e) => {
            let _ = lock::end(conn, "ROLLBACK");
            Err(e.context(format!("cannot migrate {name}")))
        }
    }
}

/// The schema version a database has: SQLite's `user_version`, or PostgreSQL's `salesops_schema`
/// table (0 when a new database has neither yet).
fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(match conn {
        Connection::Sqlite(c) => c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        Connection::Postgres(_) => server::schema_version(conn)?.unwrap_or(0),
    })
}

/// Integrity and foreign-key problems as (kind, subject, detail). PostgreSQL enforces its foreign
/// keys and column types itself and keeps no page-level check of its own to run here: none there.
pub fn integrity_findings(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    match conn.sqlite() {
        Some(c) => file::integrity_findings(c),
        None => Ok(Vec::new()),
    }
}

/// A consistent copy of the database into `target`, a new SQLite file: SQLite's online backup of a
/// file; a copy of every table of a PostgreSQL database (`copy`). Safe while others write.
pub fn backup(conn: &Connection, target: &Path) -> Result<()> {
    match conn {
        Connection::Sqlite(c) => file::backup(c, target),
        Connection::Postgres(_) => copy::to_new_file(conn, target).map_err(|e| {
            file::remove_companions(target);
            file::in_words(e)
        }),
    }
}

/// Turn SQLite's foreign-key enforcement on or off for this connection (outside a transaction), for
/// an import that checks every reference itself. PostgreSQL keeps enforcing its foreign keys: the
/// import writes each row after the rows it refers to.
pub fn set_foreign_keys(conn: &Connection, on: bool) -> Result<()> {
    if let Some(c) = conn.sqlite() {
        c.execute_batch(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })?;
    }
    Ok(())
}
