//! The two engines answer alike: the demo company, built as a file and copied onto PostgreSQL with `db
//! copy --to`, gives byte-identical output on both for every report, export, list and check in every
//! format, and after a regrade (a write) on both (`tests/tools/compare-engines.sh`). Runs on the
//! PostgreSQL pass of the suite (`SALESOPS_TEST_PG`); on SQLite there is nothing to compare with.

mod common;

use std::process::Command;

#[test]
fn the_demo_company_reads_the_same_on_both_engines() {
    if !common::on_postgres() {
        eprintln!(
            "skipped: compares with PostgreSQL, which this run does not use (SALESOPS_TEST_PG)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("demo.db");
    let bin = assert_cmd::cargo::cargo_bin("salesops");
    let built = Command::new(&bin)
        .args(["demo", "--yes", "--db"])
        .arg(&file)
        .env_remove("SALESOPS_DB")
        .output()
        .expect("run demo");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let target = common::pg::PgDb::create();
    let compared = Command::new("bash")
        .arg(common::root().join("tests/tools/compare-engines.sh"))
        .arg(&bin)
        .arg(&file)
        .arg(&target.url)
        .env_remove("SALESOPS_DB")
        .env_remove("SALESOPS_LANG")
        .output()
        .expect("run compare-engines.sh");
    let said = String::from_utf8_lossy(&compared.stdout);
    assert!(
        compared.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&compared.stderr)
    );
    assert!(said.contains(": 0 differ"), "{said}");
}

/// An id the database numbers (the audit's, a stock move's, a ticket event's) is the largest plus one on
/// both engines, as SQLite numbers a rowid: one freed at the top is given again, so the ids a command
/// shows are the same on both.
#[test]
fn a_numbered_row_takes_the_largest_id_plus_one_on_either_engine() {
    let env = common::Env::new();
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["regions", "add", "W", "--name", "West"]);
    let conn = env.conn();
    let top: i64 = conn
        .query_row("SELECT MAX(id) FROM audit", [], |r| r.get(0))
        .expect("audit");
    conn.execute("DELETE FROM audit WHERE id = ?1", [top])
        .expect("delete the top row");
    env.ok(&["regions", "add", "N", "--name", "North"]);
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM audit ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids");
    assert_eq!(ids.last(), Some(&top), "{ids:?}");
    assert_eq!(ids, (1..=top).collect::<Vec<_>>());
}
