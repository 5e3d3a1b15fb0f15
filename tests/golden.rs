//! Golden files: `tests/golden/*.trycmd`, one per command group, run with trycmd against the binary
//! built from this tree. Each builds the demo database with today pinned, then runs every read
//! command of its group in every format (table, CSV, JSON, Markdown; HTML for reports) and the
//! group's writes, each followed by a read, all in order in one temporary folder (asked for by
//! `NAME.out/`; `NAME.in/` holds the input files a group imports). The outputs are byte for byte
//! what the binary printed; `[..]` stands only for an import's seconds and an audit entry's time and
//! user. Outputs too long to keep inline (whole exports, completion scripts) are pinned by line
//! count, SHA-256 and first lines.
//!
//! After a deliberate change of output: `TRYCMD=overwrite cargo test --test golden`, then read the
//! diff. `cargo test --test golden -- trycmd=orders` runs only the files whose name has `orders`.

mod common;

use std::path::{Path, PathBuf};

/// The day the demo company's story stops.
const TODAY: &str = "2026-11-23";

/// The other programs the golden files run, found on PATH.
const TOOLS: &[&str] = &["cat", "head", "sha256sum", "sqlite3", "stat", "wc"];

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

#[test]
fn golden_files() {
    if common::sqlite_only(
        "the golden files build their databases as files and run the sqlite3 shell",
    ) {
        return;
    }
    // A developer's own settings must not leak into the outputs.
    std::env::remove_var("SALESOPS_DB");
    std::env::remove_var("SALESOPS_LANG");

    let cases = trycmd::TestCases::new();
    cases
        .register_bin("salesops", Path::new(env!("CARGO_BIN_EXE_salesops")))
        .env("SALESOPS_TODAY", TODAY)
        // Help screens wrap to the terminal's width, which COLUMNS gives when there is no terminal.
        .env("COLUMNS", "100")
        .case("tests/golden/*.trycmd");
    for tool in TOOLS {
        let found = on_path(tool).unwrap_or_else(|| {
            panic!("the golden files run `{tool}`: install it (the sqlite3 shell is the Debian package sqlite3)")
        });
        cases.register_bin(*tool, found);
    }
    cases.run();
}
