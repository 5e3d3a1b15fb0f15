//! The PostgreSQL side of the fixtures: when `SALESOPS_TEST_PG` holds a server's admin URL
//! (`postgres://USER@HOST:PORT/postgres`, as `tests/tools/pg.sh start` prints it), every `Env` gets a
//! database of its own there, named `PREFIX<pid>_<n>` (`PREFIX` is `SALESOPS_TEST_PG_PREFIX`, `t_` by
//! default), dropped when the `Env` drops. A database left behind by a test binary that died (or by the
//! demo company, which lives in a static and is never dropped) is dropped by the next test binary that
//! finds its process gone.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// The server's admin URL when the suite runs on PostgreSQL.
pub fn admin_url() -> Option<String> {
    std::env::var("SALESOPS_TEST_PG")
        .ok()
        .map(|url| url.trim().to_string())
        .filter(|url| !url.is_empty())
}

/// A client on `url`, or a panic that says which server did not answer and how to start one.
pub fn connect(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "cannot connect to PostgreSQL at {url}: {e}\n\
             (SALESOPS_TEST_PG must name a running server: `bash tests/tools/pg.sh start DIR` prints one)"
        )
    })
}

/// `admin` with its database name replaced by `name` (its user, host, port and query kept).
pub fn url_of(admin: &str, name: &str) -> String {
    let scheme_end = admin.find("://").map(|i| i + 3).unwrap_or(0);
    let (head, query) = match admin.find('?') {
        Some(q) => (&admin[..q], &admin[q..]),
        None => (admin, ""),
    };
    let authority_end = head[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(head.len());
    format!("{}/{name}{query}", &head[..authority_end])
}

fn prefix() -> String {
    let prefix = std::env::var("SALESOPS_TEST_PG_PREFIX").unwrap_or_else(|_| "t_".to_string());
    assert!(
        !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "SALESOPS_TEST_PG_PREFIX must be lowercase letters, digits and _: {prefix:?}"
    );
    prefix
}

/// One test's database on the server; dropped (its connections ended) with this value.
#[derive(Debug)]
pub struct PgDb {
    pub name: String,
    pub url: String,
    admin: String,
}

// CREATE DATABASE … TEMPLATE is refused while another session is connected to the template; the
// tests of one binary create their databases one at a time so that they never meet each other there.
static CREATING: Mutex<()> = Mutex::new(());
static COUNTER: AtomicUsize = AtomicUsize::new(0);
static SWEPT: Once = Once::new();

impl PgDb {
    /// A new empty database (from `template0`, so that nothing of the server's `template1` leaks in).
    pub fn create() -> PgDb {
        PgDb::create_from("template0")
    }

    /// A new database that is a copy of `template` (no session may be connected to it meanwhile).
    pub fn create_from(template: &str) -> PgDb {
        let admin = admin_url().expect("SALESOPS_TEST_PG is set");
        let prefix = prefix();
        let name = format!(
            "{prefix}{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let _one_at_a_time = CREATING.lock().unwrap_or_else(|e| e.into_inner());
        let mut client = connect(&admin);
        SWEPT.call_once(|| sweep(&mut client, &prefix));
        let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" ENCODING 'UTF8'");
        // The server itself waits 5 s for the template's last sessions to end (a salesops process
        // that just exited); a session that outlives that is retried for a while before failing.
        let started = Instant::now();
        loop {
            match client.batch_execute(&sql) {
                Ok(()) => break,
                Err(e)
                    if e.code() == Some(&postgres::error::SqlState::OBJECT_IN_USE)
                        && started.elapsed() < Duration::from_secs(30) =>
                {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("{sql}: {}", super::db::Error::from(e)),
            }
        }
        PgDb {
            url: url_of(&admin, &name),
            name,
            admin,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // A drop must not panic (it may run while a failed test unwinds): say what was left behind.
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        match postgres::Client::connect(&self.admin, postgres::NoTls) {
            Ok(mut client) => {
                if let Err(e) = client.batch_execute(&sql) {
                    eprintln!("{sql}: {}", super::db::Error::from(e));
                }
            }
            Err(e) => eprintln!("{sql}: cannot connect to {}: {e}", self.admin),
        }
    }
}

/// Drop the databases `PREFIX<pid>_<n>` of test processes that are gone (seen through `/proc`; where
/// there is none, nothing is dropped).
fn sweep(client: &mut postgres::Client, prefix: &str) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let own = std::process::id().to_string();
    let rows = match client.query(
        "SELECT datname::text FROM pg_database WHERE starts_with(datname::text, $1)",
        &[&prefix],
    ) {
        Ok(rows) => rows,
        Err(_) => return,
    };
    for row in rows {
        let name: String = row.get(0);
        let Some((pid, n)) = name[prefix.len()..].split_once('_') else {
            continue;
        };
        let ours = !pid.is_empty()
            && pid.chars().all(|c| c.is_ascii_digit())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit());
        if ours && pid != own && !std::path::Path::new("/proc").join(pid).exists() {
            let _ =
                client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}
