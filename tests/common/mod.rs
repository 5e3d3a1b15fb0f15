//! Test fixtures: a fresh database in a temporary folder, and a runner that executes the built binary
//! there and, on failure, prints the command, its status, stdout and stderr.
#![allow(dead_code)]

pub mod sql;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const TODAY: &str = "2026-03-16";

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
    pub today: String,
}

impl Env {
    /// An empty folder with no database yet.
    pub fn bare() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("t.db");
        Env {
            dir,
            db,
            today: TODAY.to_string(),
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

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("salesops").expect("binary");
        cmd.current_dir(self.dir.path())
            .env_remove("SALESOPS_DB")
            .env_remove("SALESOPS_LANG")
            .env("SALESOPS_DB", &self.db)
            .env("SALESOPS_TODAY", &self.today)
            .args(args)
            .write_stdin("");
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

/// The demo database, built once per test binary (`salesops demo`); tests that write use `demo_copy`.
pub fn demo() -> &'static Env {
    static DEMO: std::sync::OnceLock<Env> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let db = dir.path().join("demo.db");
        let env = Env {
            dir,
            db,
            today: DEMO_TODAY.into(),
        };
        let path = env.db.to_str().expect("utf-8 path").to_string();
        env.ok(&["demo", "--db", &path, "--yes"]);
        env
    })
}

/// A private copy of the demo database in a folder of its own.
pub fn demo_copy() -> Env {
    copy_of(demo())
}

/// A private copy of a database (with its write-ahead log) in a folder of its own.
pub fn copy_of(from: &Env) -> Env {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let db = dir.path().join("copy.db");
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
    }
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
