//! The PostgreSQL engine's database: connecting (the password from `PGPASSWORD` or the password file,
//! never the URL), opening only a salesops database, and `init` making the schema in an empty one.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Context as _, Result};

use super::sql::{Connection, OptionalExtension, PgConnection};
use super::{Conn, Db};

/// Refuse a URL that carries a password (exit 2), or that is not one at all.
pub(super) fn check_url(url: &str) -> Result<()> {
    let config = postgres::Config::from_str(url).map_err(|e| {
        crate::error::usage(format!(
            "--db {url}: not a PostgreSQL URL ({e}); write postgres://USER@HOST[:PORT]/DBNAME"
        ))
    })?;
    if config.get_password().is_some() {
        crate::bail_usage!(
            "--db: a password in the URL would be seen in the process list, the shell history and \
             the audit log; remove it and set PGPASSWORD or a line in ~/.pgpass instead"
        );
    }
    if config.get_dbname().is_none() {
        crate::bail_usage!("--db {url}: name the database, as in postgres://USER@HOST/DBNAME");
    }
    Ok(())
}

/// Connect to the database a URL names, as its user (the login name when the URL names none), with
/// the password of `PGPASSWORD` or the password file. The server sees the command line as the
/// connection's application name, so a writer waiting for another can name it.
fn connect(url: &str) -> Result<Connection> {
    let mut config = postgres::Config::from_str(url)
        .map_err(|e| crate::error::usage(format!("--db {url}: not a PostgreSQL URL ({e})")))?;
    if config.get_user().is_none() {
        config.user(&login_name());
    }
    if config.get_password().is_none() {
        if let Some(password) = password_for(&config) {
            config.password(password);
        }
    }
    let command: Vec<String> = std::iter::once("salesops".to_string())
        .chain(std::env::args().skip(1))
        .collect();
    let mut name = command.join(" ");
    if name.len() > 63 {
        let mut end = 63;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    config.application_name(&name);
    let conn = PgConnection::connect(&config)
        .map_err(|e| anyhow::anyhow!(super::sql::PgError::Server(e)))
        .with_context(|| format!("cannot connect to the database {url}"))?;
    Ok(Connection::Postgres(Box::new(conn)))
}

fn login_name() -> String {
    let uid = uzers::get_current_uid();
    uzers::get_user_by_uid(uid)
        .map(|u| u.name().to_string_lossy().into_owned())
        .unwrap_or_else(|| "postgres".to_string())
}

/// `PGPASSWORD`, else the first matching line of the password file (`PGPASSFILE` or `~/.pgpass`:
/// `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`), as libpq
/// reads them. The file is ignored when others can read it, as libpq does.
fn password_for(config: &postgres::Config) -> Option<Vec<u8>> {
    if let Some(p) = std::env::var_os("PGPASSWORD") {
        return Some(p.to_string_lossy().into_owned().into_bytes());
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    let meta = std::fs::metadata(&file).ok()?;
    if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o077 != 0 {
        eprintln!(
            "warning: the password file {} can be read by others and is ignored (chmod 0600 it)",
            file.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default().to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let wanted = [host.as_str(), port.as_str(), db.as_str(), user.as_str()];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w);
            matches.then(|| fields[4].clone().into_bytes())
        })
}

/// The fields of a password-file line: split on `:`, with `\:` and `\\` as escapes.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The version kept in `salesops_schema`; `None` when the table is not there.
pub(super) fn schema_version(conn: &Connection) -> Result<Option<i64>> {
    let Connection::Postgres(p) = conn else {
        return Ok(None);
    };
    let exists = p.query_raw("SELECT to_regclass('salesops_schema') IS NOT NULL")?;
    if exists.first().and_then(|r| r.get(0)) != Some("t") {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT version FROM salesops_schema", [], |r| r.get(0))
        .optional()?)
}

/// How many tables the database has in the schemas a person sees (not the system's).
fn table_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM information_schema.tables \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
        [],
        |r| r.get(0),
    )?)
}

pub(super) fn open_existing(url: &str) -> Result<Db> {
    let conn = connect(url)?;
    if schema_version(&conn)?.is_none() {
        anyhow::bail!(
            "{url} is not a salesops database (it has no salesops_schema table); `salesops init` \
             creates one in an empty database"
        );
    }
    let migrated_from = super::migrate(&conn, url)?;
    Ok(Db {
        conn: Conn(conn),
        migrated_from,
    })
}

/// `init` on a server: the schema made in an empty database (true), or an existing salesops database
/// migrated forward. A database that holds other tables is refused, left as it was.
pub(super) fn create(url: &str) -> Result<(Db, bool)> {
    let conn = connect(url)?;
    let created = match schema_version(&conn)? {
        Some(_) => false,
        None if table_count(&conn)? == 0 => true,
        None => anyhow::bail!(
            "{url} holds tables of another program; `salesops init` creates a salesops database \
             only in an empty one"
        ),
    };
    let migrated_from = super::migrate(&conn, url)?;
    Ok((
        Db {
            conn: Conn(conn),
            migrated_from,
        },
        created,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_file_lines_split_on_unescaped_colons() {
        assert_eq!(
            pgpass_fields(r"db.example:5432:*:ops:pa\:ss\\word"),
            vec!["db.example", "5432", "*", "ops", r"pa:ss\word"]
        );
    }

    #[test]
    fn a_password_in_the_url_is_refused() {
        assert!(check_url("postgres://ops:secret@localhost/sales").is_err());
        assert!(check_url("postgres://ops@localhost/sales").is_ok());
        assert!(check_url("postgresql://ops@localhost:5433/sales").is_ok());
        assert!(check_url("postgres://ops@localhost").is_err());
    }
}
