//! Test fixtures: a fresh database in a temporary folder, and a runner that executes the built binary
//! there and, on failure, prints the command, its status, stdout and stderr. Companies to test against
//! are declared with `Company` (company.rs); plain SQL figures are in sql.rs.
//!
//! The engine: a SQLite file in the folder, or, when `SALESOPS_TEST_PG` names a PostgreSQL server's
//! admin URL, a database of the test's own on that server (pg.rs), which the binary gets through
//! `SALESOPS_DB`. `Env::conn()` is the same handle on both (db.rs); a test about the SQLite file
//! itself starts with `if common::sqlite_only("why") { return; }`.
#![allow(dead_code)]

pub mod company;
pub mod db;
pub mod pg;
pub mod sql;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use assert_cmd::Command;
use serde_json::{json, Value};
use tempfile::TempDir;

#[allow(unused_imports)] // not every test binary declares a company
pub use company::Company;

pub const TODAY: &str = "2026-03-16";

/// The engine a test's database is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Whether this run is on PostgreSQL (`SALESOPS_TEST_PG` is set).
pub fn on_postgres() -> bool {
    pg::admin_url().is_some()
}

/// The engine of this run.
pub fn engine() -> Engine {
    if on_postgres() {
        Engine::Postgres
    } else {
        Engine::Sqlite
    }
}

/// True (after printing why) when this run is on PostgreSQL and the test is about the SQLite file
/// itself: `if common::sqlite_only("file modes") { return; }`.
pub fn sqlite_only(why: &str) -> bool {
    let skip = on_postgres();
    if skip {
        eprintln!("skipped on PostgreSQL (SQLite only: {why})");
    }
    skip
}

pub struct Env {
    pub dir: TempDir,
    /// The database file (on PostgreSQL: a path where none is, for tests that name a file).
    pub db: PathBuf,
    pub today: String,
    /// The test's own PostgreSQL database, when the run is on PostgreSQL.
    pub pg: Option<pg::PgDb>,
}

impl Env {
    /// An empty folder with no database yet (on PostgreSQL: an empty database).
    pub fn bare() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("t.db");
        Env {
            dir,
            db,
            today: TODAY.to_string(),
            pg: on_postgres().then(pg::PgDb::create),
        }
    }

    /// The SQLite file `db` (a backup, a copy), whatever the engine of the run, with `dir` its folder.
    pub fn on_file(dir: TempDir, db: PathBuf, today: &str) -> Env {
        Env {
            dir,
            db,
            today: today.to_string(),
            pg: None,
        }
    }

    /// The engine of this Env's database.
    pub fn engine(&self) -> Engine {
        match self.pg {
            Some(_) => Engine::Postgres,
            None => Engine::Sqlite,
        }
    }

    /// What `--db` and `SALESOPS_DB` take for this database: its file or its URL.
    pub fn target(&self) -> String {
        match &self.pg {
            Some(pg) => pg.url.clone(),
            None => self.db.to_str().expect("utf-8 path").to_string(),
        }
    }

    /// A database created with `init` (China's provinces).
    pub fn new() -> Env {
        let env = Env::bare();
        env.ok(&["init"]);
        env
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// Bytes written to a file in the folder (a GBK file, a BOM).
    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    /// The names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        files_in(self.dir.path())
    }

    /// A connection to the database, for what tests read (or back-date) in SQL.
    pub fn conn(&self) -> db::Connection {
        match &self.pg {
            Some(pg) => db::Connection::postgres(&pg.url),
            None => db::Connection::sqlite(&self.db),
        }
    }

    /// A connection for looking only: read-only on a SQLite file (on PostgreSQL, as `conn`).
    pub fn read_only(&self) -> db::Connection {
        match &self.pg {
            Some(pg) => db::Connection::postgres(&pg.url),
            None => db::Connection::sqlite_read_only(&self.db),
        }
    }

    /// The binary as a plain `std::process::Command` in this folder, on this database and day, with
    /// no input: for spawning (several at once, killed, limited); `cmd` is the same for assert_cmd.
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("salesops"));
        cmd.current_dir(self.dir.path())
            .env_remove("SALESOPS_LANG")
            .env("SALESOPS_DB", self.target())
            .env("SALESOPS_TODAY", &self.today)
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::from_std(self.process(args));
        cmd.write_stdin("");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run salesops")
    }

    /// Run and require exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.expect_code(args, 0)
    }

    /// Run and require an exit code; returns stdout.
    pub fn expect_code(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        if out.status.code() != Some(code) {
            panic!(
                "salesops {}\nexpected exit {code}, got {:?}\n--- stdout\n{}\n--- stderr\n{}",
                args.join(" "),
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run with `--format json` and an expected exit code; returns the parsed JSON.
    pub fn json_code(&self, args: &[&str], code: i32) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.expect_code(&all, code);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.json_code(args, 0)
    }

    /// Stderr of a run that must exit with `code`.
    pub fn err(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "salesops {}\nstdout: {}\nstderr: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// The string field `key` of every row of a JSON listing (`args` run with `--format json`): its
    /// codes, names, ids.
    pub fn column(&self, args: &[&str], key: &str) -> Vec<String> {
        let rows = self.json(args);
        rows.as_array()
            .unwrap_or_else(|| panic!("not an array: {rows}"))
            .iter()
            .map(|row| {
                row[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("no string {key:?} in {row}"))
                    .to_string()
            })
            .collect()
    }

    /// `db check` finds nothing.
    pub fn db_check_clean(&self) {
        assert_eq!(
            self.json(&["db", "check"]),
            json!([]),
            "db check finds nothing"
        );
    }

    /// `db check` finds nothing; `step` (what ran before it) goes into the failure message.
    pub fn db_check_clean_after(&self, step: &str) {
        assert_eq!(
            self.json(&["db", "check"]),
            json!([]),
            "{step}: db check finds nothing"
        );
    }

    /// `db check` of another database file (a backup, a copy) finds nothing.
    pub fn db_check_clean_of(&self, db: &Path) {
        let db = db.to_str().expect("utf-8 path");
        assert_eq!(
            self.json(&["--db", db, "db", "check"]),
            json!([]),
            "db check of {db}"
        );
    }
}

/// The names of the files in a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| {
            e.expect("folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// `text` in GBK; every character must have a GBK form, and the bytes must not be valid UTF-8 (so the
/// file really tests the encoding).
pub fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "no GBK form for some of {text:?}");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    bytes.into_owned()
}

/// The project root (for examples/).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The price finding kinds, in the order of the spec (and of a report's `violations` array).
pub const FINDING_KINDS: [&str; 7] = [
    "below_floor",
    "below_cost",
    "unapproved_discount",
    "over_max_discount",
    "off_list",
    "regional_spread",
    "market_below_floor",
];

/// The demo company's "today".
pub const DEMO_TODAY: &str = "2026-11-23";

/// SQL that takes a current file back to version 4's shape (its price marks stay graded: a test that
/// downgrades must have none with a ratio), so that opening it runs version 5's migration again.
/// Every part of version 5 adds its undoing here.
pub const UNDO_V5: &str = "
    ALTER TABLE areas DROP COLUMN excluded;
    DROP TABLE ticket_events; DROP TABLE tickets; ALTER TABLE returns DROP COLUMN ticket;
    DROP TABLE campaign_records; DROP TABLE campaign_daily; DROP TABLE carriers;
    DROP TABLE carrier_daily; DROP INDEX orders_campaign;
    DROP INDEX customers_campaign; ALTER TABLE orders DROP COLUMN campaign;
    ALTER TABLE orders DROP COLUMN freight; ALTER TABLE customers DROP COLUMN campaign;
    DROP TABLE campaigns;
    ALTER TABLE orders DROP COLUMN warehouse;
    DROP TABLE stock_reorder; DROP TABLE stock_reserved; DROP TABLE stock_monthly;
    DROP TABLE stock_totals;
    DROP TABLE stock_moves; DROP TABLE warehouse_regions; DROP TABLE warehouses;
";

/// Undo version 6 (then `UNDO_V5` for version 4): each part of version 6 adds its undoing here.
pub const UNDO_V6: &str = "
    DROP TABLE scorecard_ratings;
    DROP INDEX stock_monthly_month; DROP TABLE stock_warehouse_monthly;
";

static DEMO: std::sync::OnceLock<Env> = std::sync::OnceLock::new();

/// The demo database, built once per test binary (`salesops demo`); tests that write use `demo_copy`.
pub fn demo() -> &'static Env {
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let db = dir.path().join("demo.db");
        let env = Env {
            dir,
            db,
            today: DEMO_TODAY.into(),
            pg: on_postgres().then(pg::PgDb::create),
        };
        // The demo is built as a file (as `salesops demo` always is), and on PostgreSQL copied onto
        // the server as a company moves there.
        let file = env.db.to_string_lossy().into_owned();
        env.ok(&["demo", "--db", &file, "--yes"]);
        if env.pg.is_some() {
            env.ok(&["db", "copy", "--db", &file, "--to", &env.target()]);
        }
        env
    })
}

/// On PostgreSQL, an untouched copy of the demo database that copies are made from: the demo itself
/// is read by tests running meanwhile, and CREATE DATABASE … TEMPLATE needs a template nobody is on.
fn demo_template() -> &'static pg::PgDb {
    static TEMPLATE: std::sync::OnceLock<pg::PgDb> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let demo = demo().pg.as_ref().expect("the demo is on PostgreSQL");
        pg::PgDb::create_from(&demo.name)
    })
}

/// A private copy of the demo database in a folder of its own.
pub fn demo_copy() -> Env {
    copy_of(demo())
}

/// A private copy of a database (with its write-ahead log) in a folder of its own; on PostgreSQL a
/// new database made from it as a template (no connection may be open on it meanwhile).
pub fn copy_of(from: &Env) -> Env {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let db = dir.path().join("copy.db");
    if let Some(source) = &from.pg {
        let template = if demo_is(from) {
            demo_template().name.clone()
        } else {
            source.name.clone()
        };
        return Env {
            dir,
            db,
            today: from.today.clone(),
            pg: Some(pg::PgDb::create_from(&template)),
        };
    }
    for suffix in ["", "-wal"] {
        let src = format!("{}{suffix}", from.db.display());
        if Path::new(&src).exists() {
            std::fs::copy(&src, format!("{}{suffix}", db.display())).expect("copy database");
        }
    }
    Env {
        dir,
        db,
        today: from.today.clone(),
        pg: None,
    }
}

/// Whether `env` is the demo of this test binary (without building it when it is not built yet).
fn demo_is(env: &Env) -> bool {
    DEMO.get().is_some_and(|demo| std::ptr::eq(demo, env))
}

/// The seed of a random test: `SALESOPS_TEST_SEED` when set (to replay a failure), else one from the
/// clock. Printed either way, so a failing run's output names the seed that replays it.
pub fn test_seed(what: &str) -> u64 {
    let seed = match std::env::var("SALESOPS_TEST_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .expect("SALESOPS_TEST_SEED must be an unsigned integer"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7),
    };
    eprintln!("{what}: seed {seed} (replay with SALESOPS_TEST_SEED={seed})");
    seed
}

/// A proptest configuration of `cases` cases seeded by `test_seed`, without failure files.
pub fn proptest_config(what: &str, cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(test_seed(what)),
        ..proptest::test_runner::Config::default()
    }
}

/// SQL that empties a database's stock (warehouses, moves, their rollups, the orders' warehouse),
/// for comparing it with a file migrated from a version that had none.
pub const NO_STOCK: &str =
    "DELETE FROM stock_moves; DELETE FROM stock_monthly; DELETE FROM stock_reserved;
    DELETE FROM stock_reorder; DELETE FROM warehouse_regions; UPDATE orders SET warehouse = NULL;
    DELETE FROM warehouses;";
