//! Waiting for the write lock as a person at a terminal (or a cron job's log) needs: a write command
//! that finds another one writing waits for it rather than failing, and after two seconds says on
//! standard error which command it waits for. Each write transaction leaves a note beside the
//! database (`FILE-writer`: its command line, process id and start time) while it holds the lock, so
//! the waiting command can name it; SQLite itself cannot say who holds a lock.
//!
//! On PostgreSQL the same one-writer rule is a session advisory lock (`WRITER_LOCK`) taken before the
//! transaction begins, so that the transaction's snapshot is taken once the previous writer has
//! committed; the server names the holder (its `application_name` is the command line).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::ErrorCode;

use super::sql::{Connection, PgConnection};

/// How long a command waits for another's lock when `SALESOPS_BUSY_TIMEOUT` does not say: long enough
/// for a large import to finish its write phase, short enough that a stuck cron job ends the same day.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(600);

/// How long a command waits before it tells a person what it waits for.
const SAY_AFTER: Duration = Duration::from_secs(2);

/// How long one attempt waits inside SQLite before the loop here looks at the clock again.
const SLICE: Duration = Duration::from_millis(200);

/// The longest wait for another command's lock: `SALESOPS_BUSY_TIMEOUT` seconds, else 10 minutes. A
/// value that is not a whole number of seconds is a usage error naming it.
pub fn busy_timeout() -> Result<Duration> {
    match std::env::var("SALESOPS_BUSY_TIMEOUT") {
        Err(_) => Ok(DEFAULT_BUSY_TIMEOUT),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(secs) => Ok(Duration::from_secs(secs)),
            Err(_) => crate::bail_usage!(
                "SALESOPS_BUSY_TIMEOUT: \"{text}\" is not a whole number of seconds"
            ),
        },
    }
}

/// The two keys of the PostgreSQL advisory lock every salesops writer holds: "sale" and "sops".
const WRITER_LOCK: (i32, i32) = (0x7361_6c65, 0x736f_7073);

/// Giving up on another command's lock after `SALESOPS_BUSY_TIMEOUT` (PostgreSQL: SQLite says so with
/// its own error).
#[derive(Debug)]
pub struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the database is locked by another writer")
    }
}

impl std::error::Error for Busy {}

/// The note a write transaction leaves while it holds the lock; removed when it ends.
pub(super) struct WriterNote {
    path: Option<PathBuf>,
}

impl Drop for WriterNote {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn note_path(conn: &rusqlite::Connection) -> Option<PathBuf> {
    let db = conn.path().filter(|p| !p.is_empty())?;
    let mut name = Path::new(db).as_os_str().to_owned();
    name.push("-writer");
    Some(PathBuf::from(name))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// Begin a write transaction holding the write lock (waiting for another writer as below).
pub(super) fn begin_writing(conn: &Connection) -> Result<WriterNote> {
    match conn {
        Connection::Sqlite(c) => begin_immediate(c),
        Connection::Postgres(p) => begin_serializable(p),
    }
}

/// A migration's transaction: the write lock without a note (a file being built has no readers).
pub(super) fn begin_migrating(conn: &Connection) -> Result<WriterNote> {
    match conn {
        Connection::Sqlite(c) => {
            c.execute_batch("BEGIN IMMEDIATE")?;
            Ok(WriterNote { path: None })
        }
        Connection::Postgres(p) => begin_serializable(p),
    }
}

/// End a write transaction (`COMMIT` or `ROLLBACK`), and on PostgreSQL let the next writer in, also
/// when the end failed.
pub(super) fn end(conn: &Connection, how: &str) -> Result<()> {
    match conn {
        Connection::Sqlite(c) => Ok(c.execute_batch(how)?),
        Connection::Postgres(p) => {
            let ended = p.execute_raw(how);
            if ended.is_err() {
                let _ = p.execute_raw("ROLLBACK");
            }
            let unlocked = p.execute_raw(&format!(
                "SELECT pg_advisory_unlock({}, {})",
                WRITER_LOCK.0, WRITER_LOCK.1
            ));
            ended?;
            Ok(unlocked?)
        }
    }
}

/// PostgreSQL: wait for the writer lock as `begin_immediate` waits on SQLite, then begin a
/// serializable transaction (a read-only transaction of another process can still make it fail to
/// commit; `main` runs such a command again).
fn begin_serializable(p: &PgConnection) -> Result<WriterNote> {
    let limit = busy_timeout()?;
    let started = Instant::now();
    let mut told = false;
    let try_lock = format!(
        "SELECT pg_try_advisory_lock({}, {})",
        WRITER_LOCK.0, WRITER_LOCK.1
    );
    loop {
        let got = p.query_raw(&try_lock)?;
        if got.first().and_then(|r| r.get(0)) == Some("t") {
            break;
        }
        if started.elapsed() >= limit {
            return Err(Busy.into());
        }
        if !told && started.elapsed() >= SAY_AFTER {
            told = true;
            eprintln!("{}", say_waiting(&pg_holder(p), limit));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if let Err(e) = p.execute_raw("BEGIN ISOLATION LEVEL SERIALIZABLE") {
        let _ = p.execute_raw(&format!(
            "SELECT pg_advisory_unlock({}, {})",
            WRITER_LOCK.0, WRITER_LOCK.1
        ));
        return Err(e.into());
    }
    Ok(WriterNote { path: None })
}

/// Who holds the writer lock of this database: its command line and where it runs. (An advisory lock
/// is the database's own, but `pg_locks` shows those of every database of the server: a writer in
/// another company's database is not the one this command waits for.)
fn pg_holder(p: &PgConnection) -> String {
    let sql = format!(
        "SELECT a.application_name, a.pid, coalesce(host(a.client_addr), 'this server'), \
         to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {} AND l.objid = {} \
         AND l.objsubid = 2 \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        WRITER_LOCK.0, WRITER_LOCK.1
    );
    match p.query_raw(&sql) {
        Ok(rows) => match rows.first() {
            Some(r) => format!(
                "{} (server process {}, from {}, since {} UTC)",
                r.get(0).unwrap_or("salesops"),
                r.get(1).unwrap_or("?"),
                r.get(2).unwrap_or("?"),
                r.get(3).unwrap_or("?")
            ),
            None => "another salesops command".to_string(),
        },
        Err(_) => "another salesops command".to_string(),
    }
}

/// BEGIN IMMEDIATE, waiting up to `busy_timeout()` for another writer, and saying once, after two
/// seconds, which command that is. Then leave this command's own note.
fn begin_immediate(conn: &rusqlite::Connection) -> Result<WriterNote> {
    let limit = busy_timeout()?;
    let started = Instant::now();
    let mut told = false;
    conn.busy_timeout(SLICE.min(limit))?;
    let begun = loop {
        match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => break Ok(()),
            Err(e) if is_busy(&e) && started.elapsed() < limit => {
                if !told && started.elapsed() >= SAY_AFTER {
                    told = true;
                    eprintln!("{}", waiting_message(conn, limit));
                }
            }
            Err(e) => break Err(e),
        }
    };
    // Reads of this connection wait as long as a write does.
    conn.busy_timeout(limit)?;
    begun?;
    let path = note_path(conn);
    if let Some(p) = &path {
        // The note is a courtesy to other commands: failing to write it never fails this one.
        // The program as people call it, whatever path started it.
        let command: Vec<String> = std::iter::once("salesops".to_string())
            .chain(std::env::args().skip(1))
            .collect();
        let since = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC");
        let text = format!(
            "{} (pid {}, since {since})\n",
            command.join(" "),
            std::process::id()
        );
        let _ = std::fs::File::create(p).and_then(|mut f| f.write_all(text.as_bytes()));
    }
    Ok(WriterNote { path })
}

fn waiting_message(conn: &rusqlite::Connection, limit: Duration) -> String {
    let holder = note_path(conn)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .filter(|t| writer_alive(t))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| "another program with the file open".to_string());
    say_waiting(&holder, limit)
}

fn say_waiting(holder: &str, limit: Duration) -> String {
    format!(
        "waiting for the database: {holder} is writing to it; this command goes on when it has \
         finished (waiting up to {} s, SALESOPS_BUSY_TIMEOUT)",
        limit.as_secs()
    )
}

/// Whether the process a note names still runs (a note left by a killed command names no one). Where
/// processes cannot be looked up, the note is believed.
fn writer_alive(note: &str) -> bool {
    let pid = note
        .split("(pid ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => true,
    }
}

/// A read transaction: one snapshot of the file (the database is in WAL mode), which never blocks a
/// writer and which no writer blocks. A large import checks its whole file against one before it takes
/// the write lock, so other commands wait for its write phase only. Ended (rolled back: it wrote
/// nothing) when dropped.
pub struct Snapshot<'db> {
    conn: &'db super::Conn,
}

impl super::Db {
    /// Begin a read transaction and fix its snapshot at once (a deferred transaction takes it at its
    /// first read).
    pub fn snapshot(&self) -> Result<Snapshot<'_>> {
        let conn = &self.conn;
        match &conn.0 {
            Connection::Sqlite(c) => {
                c.execute_batch("BEGIN DEFERRED")?;
                let snap = Snapshot { conn };
                let _: i64 = c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
                Ok(snap)
            }
            Connection::Postgres(p) => {
                p.execute_raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1")?;
                Ok(Snapshot { conn })
            }
        }
    }
}

impl std::ops::Deref for Snapshot<'_> {
    type Target = super::Conn;
    fn deref(&self) -> &super::Conn {
        self.conn
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        let _ = match &self.conn.0 {
            Connection::Sqlite(c) => c.execute_batch("ROLLBACK").map_err(anyhow::Error::from),
            Connection::Postgres(p) => p.execute_raw("ROLLBACK").map_err(anyhow::Error::from),
        };
    }
}
