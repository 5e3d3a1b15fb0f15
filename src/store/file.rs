//! The SQLite engine's file: creating it whole (never a half-made database at the path), opening
//! only a salesops database, its pragmas, the files SQLite keeps beside it, its own integrity checks
//! and its online backup.

use std::io::ErrorKind;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use rusqlite::{ErrorCode, OpenFlags};

use super::{busy_timeout, Conn, Connection, Db, SCHEMA_VERSION};

/// The tables every salesops database has had since the first version: a file without them is not one.
const OWN_TABLES: [&str; 5] = ["areas", "regions", "orders", "audit", "settings"];

/// The database file and the files SQLite keeps beside it, as named and, when the name is a symlink,
/// beside the file it leads to (where SQLite keeps them).
pub(super) fn files_of(db: &Path) -> Vec<PathBuf> {
    let mut bases = vec![db.to_path_buf()];
    if let Ok(real) = std::fs::canonicalize(db) {
        bases.push(real);
    }
    let mut files = Vec::new();
    for base in bases {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = base.clone().into_os_string();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
    }
    files
}

/// Open an existing database; a missing file is an error that names it and `salesops init`.
pub(super) fn open_existing(path: &Path) -> Result<Db> {
    if !path.exists() {
        anyhow::bail!(
            "no database at {}: create it with `salesops init` (or point --db / SALESOPS_DB at one)",
            path.display()
        );
    }
    open(path)
}

/// `init`'s open: a new database (mode 0600, or 0660 when shared), or an existing salesops database
/// migrated forward; true when it was created. A new database is built in a temporary file beside
/// `path` and moved into place whole, never over a file that appeared meanwhile, so `path` never holds
/// an empty or half-made database. An existing file is opened as by any command (refused unless it is
/// a salesops database); `shared` then sets the mode of that very file, once verified, never through
/// a symlink.
pub(super) fn create(path: &Path, shared: bool) -> Result<(Db, bool)> {
    let mode = if shared { 0o660 } else { 0o600 };
    let created = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => build_new(path, mode)?,
        Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        Ok(_) => false,
    };
    if created || !shared {
        return Ok((open(path)?, created));
    }
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    if meta.file_type().is_symlink() {
        crate::bail_usage!(
            "init --shared: {} is a symbolic link; give the database file itself{}, so that the mode \
             changes only where you mean",
            path.display(),
            std::fs::canonicalize(path)
                .map(|p| format!(" ({})", p.display()))
                .unwrap_or_default()
        );
    }
    // The mode is set through a handle on the file that was checked, never by name: the name could
    // be pointed elsewhere between the check and the change.
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let db = open(path)?;
    let opened = file.metadata()?;
    let now = std::fs::symlink_metadata(path)?;
    let same = |m: &std::fs::Metadata| m.dev() == meta.dev() && m.ino() == meta.ino();
    if !(same(&opened) && same(&now) && has_sqlite_header(&file)) {
        anyhow::bail!(
            "{} changed while init was opening it; its mode was left as it was",
            path.display()
        );
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot set the permissions of {}", path.display()))?;
    Ok((db, false))
}

/// Whether an open file starts as an SQLite database does.
fn has_sqlite_header(file: &std::fs::File) -> bool {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 16];
    file.read_exact_at(&mut head, 0).is_ok() && &head == b"SQLite format 3\0"
}

/// Build a new database in a temporary file beside `path` (mode `mode`) and move it to `path` unless
/// something is there by then; false when something was (another `init` won the race).
fn build_new(path: &Path, mode: u32) -> Result<bool> {
    let cannot = || format!("cannot create {}", path.display());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("{}: the folder {} does not exist", cannot(), dir.display());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "salesops.db".into());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(&dir)
        .with_context(cannot)?;
    // The umask may have removed bits that we asked for.
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))
        .with_context(cannot)?;
    let temp = temp.into_temp_path();
    let built = (|| -> Result<()> {
        let conn = rusqlite::Connection::open_with_flags(
            &temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let conn = Connection::Sqlite(conn);
        super::migrate(&conn, &path.display().to_string())?;
        // Closing the only connection checkpoints the write-ahead log into the file and removes it.
        if let Connection::Sqlite(conn) = conn {
            conn.close().map_err(|(_, e)| e)?;
        }
        Ok(())
    })();
    if let Err(e) = built {
        remove_companions(&temp);
        return Err(e.context(cannot()));
    }
    match temp.persist_noclobber(path) {
        Ok(()) => Ok(true),
        Err(e) if e.error.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(anyhow::Error::new(e.error).context(cannot())),
    }
}

/// Remove the journal, log and shared-memory files SQLite may have left beside a file of ours.
pub(super) fn remove_companions(file: &Path) {
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

fn open(path: &Path) -> Result<Db> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.busy_timeout(busy_timeout()?)?;
    identify(&conn, path)?;
    configure(&conn).with_context(|| format!("cannot open the database {}", path.display()))?;
    let conn = Connection::Sqlite(conn);
    let migrated_from = super::migrate(&conn, &path.display().to_string())?;
    Ok(Db {
        conn: Conn(conn),
        migrated_from,
    })
}

/// Refuse (exit 1) a file that is not a salesops database of any version, before anything is written
/// to it: an empty file, another program's database or no database at all is left exactly as it was.
/// Only `init` makes a schema, and only in a file it creates.
fn identify(conn: &rusqlite::Connection, path: &Path) -> Result<()> {
    let not_ours = |why: &str| {
        anyhow::anyhow!(
            "{} is not a salesops database ({why}); `salesops init` creates one in a new file",
            path.display()
        )
    };
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Err(not_ours("it is empty"));
    }
    let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            return Err(not_ours("not an SQLite file"));
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot open the database {}", path.display()))
        }
    };
    if version > SCHEMA_VERSION {
        return Err(crate::error::input(format!(
            "{} has schema version {version}, newer than this salesops knows ({SCHEMA_VERSION}): \
             upgrade salesops to open it",
            path.display()
        )));
    }
    let own: i64 = conn
        .query_row(
            &format!(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({})",
                OWN_TABLES.map(|t| format!("'{t}'")).join(", ")
            ),
            [],
            |r| r.get(0),
        )
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    if version < 1 || own < OWN_TABLES.len() as i64 {
        return Err(not_ours("an SQLite file of another program"));
    }
    Ok(())
}

fn configure(conn: &rusqlite::Connection) -> Result<()> {
    conn.busy_timeout(busy_timeout()?)?;
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

/// Integrity and foreign-key problems as (kind, subject, detail).
pub(super) fn integrity_findings(
    conn: &rusqlite::Connection,
) -> Result<Vec<(String, String, String)>> {
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

/// A consistent copy through SQLite's online backup into `target` (an empty file): safe while others
/// write. A failure says what went wrong in words and leaves no journal beside `target`.
pub(super) fn backup(conn: &rusqlite::Connection, target: &Path) -> Result<()> {
    let copied = (|| -> rusqlite::Result<()> {
        let mut dest = rusqlite::Connection::open(target)?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut dest)?;
            // One step copies every page under one read transaction: the copy is a single
            // consistent snapshot.
            while backup.step(-1)? != rusqlite::backup::StepResult::Done {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        dest.close().map_err(|(_, e)| e)
    })();
    let Err(e) = copied else { return Ok(()) };
    remove_companions(target);
    Err(in_words(anyhow::Error::new(e)))
}

/// A failure to write a copy in words: SQLite's own text for a failed backup step is "not an error"
/// with a number. Any other failure as it is.
pub(super) fn in_words(e: anyhow::Error) -> anyhow::Error {
    let sqlite = e.chain().find_map(|cause| {
        cause.downcast_ref::<rusqlite::Error>().or_else(|| {
            match cause.downcast_ref::<super::sql::Error>() {
                Some(super::sql::Error::Sqlite(e)) => Some(e),
                _ => None,
            }
        })
    });
    let words = match sqlite {
        Some(rusqlite::Error::SqliteFailure(f, _)) => match f.code {
            ErrorCode::DiskFull => Some("the disk is full"),
            ErrorCode::SystemIoFailure => Some("the disk refused a write (I/O error)"),
            ErrorCode::CannotOpen => Some("the file cannot be created there"),
            ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
                Some("the file cannot be written (permission denied)")
            }
            _ => None,
        },
        _ => None,
    };
    match words {
        Some(w) => anyhow::anyhow!(w),
        None => e,
    }
}
