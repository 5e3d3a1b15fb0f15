//! A large `orders import` checks its whole file against a snapshot before it takes the write lock
//! (issue 17; docs/decisions.md, "Waiting for the write lock"): other writers wait for its write phase
//! only, a bad row is refused before the lock is ever asked for, and what another command changes
//! between the check and the write is still checked inside the lock.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{Company, Env};

/// Region E with its manager E01, products TEA-1 (100) and TEA-2 (50), customer C1 owned by E01.
fn company() -> Env {
    Company::east()
        .product("TEA-2", "Green tea", "50", "20")
        .customer("C1", "One", "上海")
        .owner("E01")
        .build()
}

/// `lines` order lines, three to an order (ids K0000000…), every one of TEA-1 unless `last` replaces
/// the last line (then an order of its own, Z0000001).
fn big_file(dir: &Path, lines: usize, last: Option<&str>) -> PathBuf {
    use std::io::Write;
    let path = dir.join("big.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(w, "order_id,order_date,customer,sku,quantity,unit_price").unwrap();
    for i in 0..lines {
        let id = format!("K{:07}", i / 3);
        match last {
            Some(row) if i + 1 == lines => writeln!(w, "Z0000001,{row}").unwrap(),
            _ => writeln!(
                w,
                "{id},2026-02-{:02},C1,TEA-1,{},100",
                1 + (i / 3) % 28,
                1 + i % 9
            )
            .unwrap(),
        }
    }
    w.flush().unwrap();
    path
}

/// The import's standard error, line by line, as it comes.
fn stderr_lines(child: &mut Child) -> Receiver<String> {
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Wait (up to a minute) for a line of `lines` containing `text`; the lines seen on the way.
fn wait_for(lines: &Receiver<String>, text: &str) -> Vec<String> {
    let started = Instant::now();
    let mut seen = Vec::new();
    loop {
        let left = Duration::from_secs(60).saturating_sub(started.elapsed());
        match lines.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(text);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(_) => panic!("no \"{text}\" on the import's stderr; it said: {seen:#?}"),
        }
    }
}

fn writer_note(env: &Env) -> PathBuf {
    let mut note = env.db.clone().into_os_string();
    note.push("-writer");
    PathBuf::from(note)
}

fn count(env: &Env, sql: &str) -> i64 {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A writer started while a 150,000-line import is checking its file lands at once, before the import
/// has taken the lock; then the import writes every row, the writer's region beside them.
#[test]
fn a_writer_started_while_an_import_checks_its_file_is_not_blocked() {
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let big = big_file(files.path(), 150_000, None);
    let mut import = env
        .process(&["orders", "import", big.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    let lines = stderr_lines(&mut import);
    wait_for(&lines, "checking every row before taking the write lock");
    // Were the lock held, a writer that may not wait would fail at once (exit 1, "is busy").
    let out = env
        .process(&["regions", "add", "W", "--name", "West"])
        .env("SALESOPS_BUSY_TIMEOUT", "0")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("waiting for the database"), "{said}");
    // It landed while the import was still checking: the import has neither said it is writing nor
    // left its writer's note.
    assert!(
        lines.try_recv().is_err(),
        "the check ended before the writer"
    );
    assert!(!writer_note(&env).exists());
    assert_eq!(env.column(&["regions", "list"], "code"), vec!["E", "W"]);

    let seen = wait_for(&lines, "150000 rows checked; writing");
    assert!(seen.iter().all(|l| !l.contains("error")), "{seen:#?}");
    let status = import.wait().unwrap();
    let rest: Vec<String> = lines.iter().collect();
    assert!(status.success(), "{rest:#?}");
    assert!(
        rest.iter()
            .any(|l| l.contains("150000 rows read, 150000 created")),
        "{rest:#?}"
    );
    assert_eq!(count(&env, "SELECT count(*) FROM order_lines"), 150_000);
    assert_eq!(count(&env, "SELECT count(*) FROM orders"), 50_000);
    assert!(!writer_note(&env).exists(), "the note outlived the import");
    env.db_check_clean();
}

/// A bad row at the end of a large file is refused (exit 3, file, line, column and value, nothing
/// written) without the write lock ever being asked for: this test holds the lock the whole time, and
/// the import neither waits for it nor gives up on it.
#[test]
fn a_bad_last_row_is_refused_before_the_lock_is_taken() {
    if common::sqlite_only("SQLite's write lock held with BEGIN IMMEDIATE") {
        return;
    }
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let big = big_file(files.path(), 60_000, Some("2026-02-30,C1,TEA-1,1,100"));
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let out = env
        .process(&["orders", "import", big.to_str().unwrap()])
        .env("SALESOPS_BUSY_TIMEOUT", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(
        said.contains("big.csv: 1 invalid value, nothing written")
            && said.contains("big.csv:60001: column \"order_date\": \"2026-02-30\""),
        "{said}"
    );
    assert!(!said.contains("waiting for the database") && !said.contains("is busy"));
    assert!(!said.contains("writing"), "{said}");
    assert!(started.elapsed() < Duration::from_secs(60));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(&env, "SELECT count(*) FROM orders"), 0);
    assert!(!writer_note(&env).exists());
    env.db_check_clean();
}

/// A clean large file is checked whole while another command holds the lock; then the import waits
/// for the lock like any writer (here for at most a second: it gives up, exit 1, nothing written).
#[test]
fn a_clean_file_is_checked_while_another_command_writes() {
    if common::sqlite_only("SQLite's write lock held with BEGIN IMMEDIATE") {
        return;
    }
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let big = big_file(files.path(), 60_000, None);
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = env
        .process(&["orders", "import", big.to_str().unwrap()])
        .env("SALESOPS_BUSY_TIMEOUT", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("60000 rows checked; writing"), "{said}");
    assert!(said.contains("is busy"), "{said}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(&env, "SELECT count(*) FROM orders"), 0);
}

/// A product the file names is removed by another command after the check and before the import takes
/// the lock: the write phase checks again and refuses the file (exit 3, the line named, nothing
/// written), as a one-pass import would.
#[test]
fn a_reference_removed_between_the_check_and_the_write_is_still_refused() {
    if common::sqlite_only("SQLite's write lock held with BEGIN IMMEDIATE") {
        return;
    }
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let big = big_file(files.path(), 60_000, Some("2026-02-27,C1,TEA-2,1,50"));
    // The removal waits, uncommitted, inside this test's lock until the check is over.
    let holder = env.conn();
    holder
        .execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM prices WHERE sku = 'TEA-2';
             DELETE FROM products WHERE sku = 'TEA-2';",
        )
        .unwrap();
    let mut import = env
        .process(&["orders", "import", big.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    let lines = stderr_lines(&mut import);
    wait_for(&lines, "60000 rows checked; writing");
    holder.execute_batch("COMMIT").unwrap();
    let status = import.wait().unwrap();
    let rest: Vec<String> = lines.iter().collect();
    assert_eq!(status.code(), Some(3), "{rest:#?}");
    let said = rest.join("\n");
    assert!(
        said.contains("big.csv:60001: column \"sku\": unknown SKU \"TEA-2\""),
        "{said}"
    );
    assert_eq!(count(&env, "SELECT count(*) FROM orders"), 0);
    assert!(!writer_note(&env).exists());
    env.db_check_clean();
}

/// A small file keeps one pass: it says nothing about a check.
#[test]
fn a_small_file_is_imported_in_one_pass() {
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let small = big_file(files.path(), 300, None);
    let out = env
        .process(&["orders", "import", small.to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        !said.contains("checking") && !said.contains("checked"),
        "{said}"
    );
    assert_eq!(count(&env, "SELECT count(*) FROM order_lines"), 300);
}

/// What the import would create (`--create-customers`, `--create-products`) does not exist during the
/// check: the check leaves those orders to the write phase, which creates them. Without the flags the
/// check refuses them, naming the line.
#[test]
fn customers_and_products_to_create_are_left_to_the_write_phase() {
    let env = company();
    let files = tempfile::tempdir().unwrap();
    let big = big_file(files.path(), 60_000, Some("2026-02-27,C9,NEW-1,2,30"));
    let out = env
        .process(&["orders", "import", big.to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(
        said.contains("big.csv: 2 invalid values, nothing written")
            && said.contains("big.csv:60001: column \"customer\": unknown customer \"C9\"")
            && said.contains("big.csv:60001: column \"sku\": unknown SKU \"NEW-1\""),
        "{said}"
    );
    assert!(!said.contains("writing"), "{said}");
    assert_eq!(count(&env, "SELECT count(*) FROM orders"), 0);

    let out = env
        .process(&[
            "orders",
            "import",
            big.to_str().unwrap(),
            "--create-customers",
            "--create-products",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("60000 rows checked; writing"), "{said}");
    assert_eq!(count(&env, "SELECT count(*) FROM order_lines"), 60_000);
    // 2 × 30.00, stored in 1/10,000 of a yuan.
    let amount = count(
        &env,
        "SELECT amount FROM orders WHERE id = 'Z0000001' AND customer = 'C9'",
    );
    assert_eq!(common::sql::cents(amount), "60.00");
    assert_eq!(
        count(&env, "SELECT count(*) FROM products WHERE sku = 'NEW-1'"),
        1
    );
    env.db_check_clean();
}
