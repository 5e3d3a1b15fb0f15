//! Every example in README.md and docs/*.md runs here, against the binary built from this tree, with
//! trycmd: a ```console block is a list of commands (`$ `), each with its exit status when it is not
//! 0 (`? N`) and its output (standard output and standard error together). Outputs may cut lines
//! with `...` and elide the changing part of a line with `[..]` (an import's seconds, an audit
//! entry's time and user).
//!
//! A document whose examples write files runs them in order in one sandbox: a temporary copy of
//! `NAME.in/` (the input files its examples read), asked for by the folder `NAME.out/` beside it.
//! After a deliberate change of output, `TRYCMD=overwrite cargo test --test docs` rewrites the
//! blocks; read the diff before committing it.

mod common;

use std::path::{Path, PathBuf};

/// The day the demo company's story stops: the documents are written as of that day.
const TODAY: &str = "2026-11-23";

/// The other programs the examples run, found on PATH (coreutils, grep, iconv and the sqlite3 shell).
const TOOLS: &[&str] = &["cat", "grep", "head", "iconv", "ls", "sqlite3", "stat"];

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

#[test]
fn documentation_examples() {
    if common::sqlite_only(
        "the documents' examples run on files in a temporary folder and the sqlite3 shell",
    ) {
        return;
    }
    // The examples name their database with --db and read today from SALESOPS_TODAY; a developer's
    // own settings must not leak into them.
    std::env::remove_var("SALESOPS_DB");
    std::env::remove_var("SALESOPS_LANG");

    let bin = Path::new(env!("CARGO_BIN_EXE_salesops"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The cron script calls `salesops` from PATH, as an installed binary would be.
    let mut path = vec![bin.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));

    let cases = trycmd::TestCases::new();
    cases
        .register_bin("salesops", bin)
        .register_bin(
            "examples/cron/monthly-report.sh",
            root.join("examples/cron/monthly-report.sh"),
        )
        .env("SALESOPS_TODAY", TODAY)
        // Usage screens wrap to the terminal's width, which COLUMNS gives when there is no terminal.
        .env("COLUMNS", "100")
        .env(
            "PATH",
            std::env::join_paths(path).unwrap().to_string_lossy(),
        )
        .case("README.md")
        .case("docs/*.md");
    for tool in TOOLS {
        let found = on_path(tool).unwrap_or_else(|| {
            panic!("the documentation's examples run `{tool}`: install it (the sqlite3 shell is the Debian package sqlite3)")
        });
        cases.register_bin(*tool, found);
    }
    cases.run();
}

/// Files the manual shows whole but cannot run (a crontab, the cron script) must be shown as they are.
#[test]
fn files_shown_in_the_manual_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manual = std::fs::read_to_string(root.join("docs/manual.md")).unwrap();
    for file in ["examples/cron/crontab", "examples/cron/monthly-report.sh"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            manual.contains(&format!("\n{text}```\n")),
            "docs/manual.md no longer shows {file} as it is: paste the file again"
        );
    }
}
