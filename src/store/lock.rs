//! Waiting for the write lock as a person at a terminal (or a cron job's log) needs: a write command
//! that finds another one writing waits for it rather than failing, and after two seconds says on
//! standard error which command it waits for. Each write transaction leaves a note beside the
//! database (`FILE-writer`: its command line, process id and start time) while it holds the lock, so
//! the waiting command can name it; SQLite itself cannot say who holds a lock.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{Connection, ErrorCode};

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

fn note_path(conn: &Connection) -> Option<PathBuf> {
    let db = conn.path().filter(|p| !p.is_empty())?;
    let mut name = Path::new(db).as_os_str().to_owned();
    name.push("-writer");
    Some(PathBuf::from(name))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// BEGIN IMMEDIATE, waiting up to `busy_timeout()` for another writer, and saying once, after two
/// seconds, which command that is. Then leave this command's own note.
pub(super) fn begin_immediate(conn: &Connection) -> Result<WriterNote> {
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

fn waiting_message(conn: &Connection, limit: Duration) -> String {
    let holder = note_path(conn)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .filter(|t| writer_alive(t))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| "another program with the file open".to_string());
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
        conn.0.execute_batch("BEGIN DEFERRED")?;
        let snap = Snapshot { conn };
        let _: i64 = conn
            .0
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok(snap)
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
        let _ = self.conn.0.execute_batch("ROLLBACK");
    }
}
