//! PostgreSQL under concurrent writers: eight `salesops` processes writing at once into one
//! database, every write landing and `db check` clean afterwards; a writer that waits for another's
//! lock says whom it waits for, and gives up after `SALESOPS_BUSY_TIMEOUT`.
//!
//! Runs only when `SALESOPS_TEST_PG` names a server as a user who may create databases (for example
//! `postgres://postgres@127.0.0.1:54329/postgres`); without it each test prints a note and passes.
//! Each test makes its own database `load_w_<test>_<pid>_<time>` and drops it at the end, also when
//! the test fails.

mod common;

use std::path::PathBuf;
use std::process::Output;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Env, TODAY};
use postgres::{Client, NoTls};
use serde_json::{json, Value};

/// The writer lock's two keys, as `src/store/lock.rs` takes them ("sale", "sops").
const WRITER_LOCK: (i32, i32) = (0x7361_6c65, 0x736f_7073);

/// How many processes write at once, and how many rounds of writes each runs.
const WRITERS: usize = 8;
const ROUNDS: usize = 5;

const ORDERS_HEADER: &str = "order_id,order_date,customer,sku,quantity,unit_price";

fn server() -> Option<String> {
    match std::env::var("SALESOPS_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("note: SALESOPS_TEST_PG is not set: the PostgreSQL writer tests are skipped");
            None
        }
    }
}

/// `url` with its database name replaced by `name` (the query string, if any, is kept).
fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

/// A fresh database on the server, dropped (with any session still in it) when this goes away.
struct Database {
    admin: Client,
    name: String,
    url: String,
}

impl Database {
    fn create(admin_url: &str, tag: &str) -> Database {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("load_w_{tag}_{}_{nanos}", std::process::id());
        let mut admin = Client::connect(admin_url, NoTls).expect("connect to SALESOPS_TEST_PG");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let url = with_dbname(admin_url, &name);
        Database { admin, name, url }
    }

    /// A test folder whose commands use this database (`SALESOPS_DB`), `init`ed.
    fn env(&self) -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("temp dir"),
            db: PathBuf::from(&self.url),
            today: TODAY.to_string(),
            // The database is this test's own (made and dropped here): the URL stands as the target.
            pg: None,
        };
        env.ok(&["init"]);
        env
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// Region E (上海, 江苏), its manager E01, product TEA-1 at 100 (cost 40), warehouse WH serving E with
/// 10,000 TEA-1 received, and one customer per writer (C0…C7) owned by E01.
fn company(env: &Env) {
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["regions", "assign", "E", "上海", "江苏"]);
    env.ok(&[
        "reps", "add", "E01", "--name", "E01", "--region", "E", "--role", "manager",
    ]);
    env.ok(&[
        "products",
        "add",
        "TEA-1",
        "--name",
        "Tea",
        "--list-price",
        "100",
        "--cost",
        "40",
    ]);
    env.ok(&[
        "warehouses",
        "add",
        "WH",
        "--name",
        "华东仓",
        "--serves",
        "E",
        "--opened",
        "2026-01-01",
    ]);
    env.ok(&[
        "stock",
        "receive",
        "--warehouse",
        "WH",
        "TEA-1",
        "10000",
        "--date",
        "2026-01-02",
    ]);
    for w in 0..WRITERS {
        let code = format!("C{w}");
        let name = format!("客户{w}");
        env.ok(&[
            "customers",
            "add",
            &code,
            "--name",
            &name,
            "--area",
            "上海",
            "--owner",
            "E01",
        ]);
    }
}

/// Order quantity of writer `w`'s round `k` (so every order's amount differs by writer and round).
fn quantity(w: usize, k: usize) -> i64 {
    (w + k + 1) as i64
}

/// Payment of writer `w`'s round `k`, in cents.
fn payment_cents(w: usize, k: usize) -> i64 {
    1000 * (w as i64 + 1) + 25 * k as i64
}

/// Units writer `w` receives in round `k`.
fn received(w: usize, k: usize) -> i64 {
    (10 + w + k) as i64
}

fn cents(money: &Value) -> i64 {
    let text = money
        .as_str()
        .unwrap_or_else(|| panic!("not money: {money}"));
    let (whole, frac) = text.split_once('.').unwrap_or((text, "0"));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().expect("money") * 100 + frac[..2].parse::<i64>().expect("money")
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Run one command of writer `w`; a failure is returned as text naming it.
fn run(env: &Env, w: usize, args: &[&str]) -> Result<(), String> {
    let out: Output = env
        .process(args)
        .output()
        .map_err(|e| format!("writer {w}: cannot start salesops: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "writer {w}: salesops {} exited {:?}\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Everything writer `w` writes, one `salesops` process after another: per round a new customer, an
/// order for its own customer, a payment of that order (a CSV import) and goods received; then a
/// small orders import of two orders.
fn writer(env: &Env, w: usize) -> Result<(), String> {
    let customer = format!("C{w}");
    for k in 0..ROUNDS {
        let code = format!("N{w}-{k}");
        let name = format!("新客户{w}-{k}");
        run(
            env,
            w,
            &[
                "customers",
                "add",
                &code,
                "--name",
                &name,
                "--area",
                "江苏",
                "--owner",
                "E01",
            ],
        )?;
        let id = format!("W{w}-{k}");
        let date = format!("2026-03-{:02}", 2 + k);
        let line = format!("TEA-1:{}", quantity(w, k));
        run(
            env,
            w,
            &[
                "orders",
                "add",
                "--id",
                &id,
                "--customer",
                &customer,
                "--date",
                &date,
                "--line",
                &line,
            ],
        )?;
        let file = env.write(
            &format!("pay-{w}-{k}.csv"),
            &format!(
                "order_id,date,amount,method,reference\n{id},2026-03-{:02},{},transfer,R{w}-{k}\n",
                10 + k,
                money(payment_cents(w, k))
            ),
        );
        run(
            env,
            w,
            &["payments", "import", file.to_str().expect("utf-8 path")],
        )?;
        let units = received(w, k).to_string();
        let reference = format!("PO-{w}-{k}");
        run(
            env,
            w,
            &[
                "stock",
                "receive",
                "--warehouse",
                "WH",
                "TEA-1",
                &units,
                "--date",
                "2026-03-01",
                "--reference",
                &reference,
            ],
        )?;
    }
    let file = env.write(
        &format!("orders-{w}.csv"),
        &format!(
            "{ORDERS_HEADER}\nI{w}-1,2026-03-12,{customer},TEA-1,2,100\n\
             I{w}-2,2026-03-13,{customer},TEA-1,1,100\nI{w}-2,2026-03-13,{customer},TEA-1,1,100\n"
        ),
    );
    run(
        env,
        w,
        &["orders", "import", file.to_str().expect("utf-8 path")],
    )
}

#[test]
fn eight_writers_at_once_every_write_lands_and_db_check_is_clean() {
    let Some(admin) = server() else { return };
    let db = Database::create(&admin, "eight");
    let env = db.env();
    company(&env);

    let started = Instant::now();
    let failures: Vec<String> = thread::scope(|s| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let env = &env;
                s.spawn(move || writer(env, w))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("writer thread").err())
            .collect()
    });
    eprintln!(
        "{WRITERS} writers × {} commands each took {:.1} s",
        ROUNDS * 4 + 1,
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Customers: the eight of the company and one per writer and round.
    let customers = env.column(&["customers", "list"], "code");
    assert_eq!(customers.len(), WRITERS + WRITERS * ROUNDS);
    for w in 0..WRITERS {
        for k in 0..ROUNDS {
            let code = format!("N{w}-{k}");
            assert!(customers.contains(&code), "customer {code} landed");
        }
    }

    // Orders: one per writer and round, plus two imported per writer; their amounts and payments.
    let orders = env.json(&["orders", "list"]);
    let orders = orders.as_array().expect("orders list");
    assert_eq!(orders.len(), WRITERS * (ROUNDS + 2));
    let mut want_amount = 0;
    let mut want_paid = 0;
    let mut want_quantity = 0;
    for w in 0..WRITERS {
        for k in 0..ROUNDS {
            let id = format!("W{w}-{k}");
            let order = orders
                .iter()
                .find(|o| o["order_id"] == json!(id))
                .unwrap_or_else(|| panic!("order {id} landed"));
            assert_eq!(order["customer"], json!(format!("C{w}")), "{id}");
            assert_eq!(order["quantity"], json!(quantity(w, k)), "{id}");
            assert_eq!(cents(&order["amount"]), 10_000 * quantity(w, k), "{id}");
            assert_eq!(cents(&order["paid"]), payment_cents(w, k), "{id}");
            want_amount += 10_000 * quantity(w, k);
            want_paid += payment_cents(w, k);
            want_quantity += quantity(w, k);
        }
        for (id, qty) in [(format!("I{w}-1"), 2), (format!("I{w}-2"), 2)] {
            let order = orders
                .iter()
                .find(|o| o["order_id"] == json!(id))
                .unwrap_or_else(|| panic!("imported order {id} landed"));
            assert_eq!(order["quantity"], json!(qty), "{id}");
            assert_eq!(cents(&order["amount"]), 10_000 * qty, "{id}");
            want_amount += 10_000 * qty;
            want_quantity += qty;
        }
    }
    let amount: i64 = orders.iter().map(|o| cents(&o["amount"])).sum();
    let paid: i64 = orders.iter().map(|o| cents(&o["paid"])).sum();
    assert_eq!(amount, want_amount, "sum of the orders' amounts");
    assert_eq!(paid, want_paid, "sum of what the orders were paid");

    let payments = env.json(&["payments", "list"]);
    let payments = payments.as_array().expect("payments list");
    assert_eq!(payments.len(), WRITERS * ROUNDS);
    let paid: i64 = payments.iter().map(|p| cents(&p["amount"])).sum();
    assert_eq!(paid, want_paid, "sum of the payments");

    // Stock: every receipt on hand; every confirmed order's units reserved.
    let received_units: i64 = (0..WRITERS)
        .flat_map(|w| (0..ROUNDS).map(move |k| received(w, k)))
        .sum();
    assert_eq!(
        env.json(&["stock", "list"]),
        json!([{
            "warehouse": "WH",
            "sku": "TEA-1",
            "name": "Tea",
            "on_hand": 10_000 + received_units,
            "reserved": want_quantity,
            "available": 10_000 + received_units - want_quantity,
            "reorder_at": null,
            "value": money(4_000 * (10_000 + received_units)),
        }])
    );

    // The month's report reads the same orders from the rollups.
    let report = env.json(&["report", "monthly", "--month", "2026-03"]);
    assert_eq!(
        cents(&report["summary"]["net_revenue"]),
        want_amount,
        "net revenue of 2026-03: {}",
        report["summary"]
    );

    env.db_check_clean_after("eight writers");
}

/// Holds the writer lock from a session of its own, named like a long import.
fn hold_lock(db: &Database, application_name: &str) -> Client {
    let mut holder = Client::connect(&db.url, NoTls).expect("connect the lock holder");
    holder
        .batch_execute(&format!(
            "SET application_name = '{application_name}'; SELECT pg_advisory_lock({}, {})",
            WRITER_LOCK.0, WRITER_LOCK.1
        ))
        .expect("take the writer lock");
    holder
}

/// The write both lock tests try while the lock is held.
const LATE_CUSTOMER: &[&str] = &[
    "customers",
    "add",
    "LATE",
    "--name",
    "迟到",
    "--area",
    "上海",
];

#[test]
fn a_writer_waiting_on_the_lock_names_its_holder_then_goes_on() {
    let Some(admin) = server() else { return };
    let db = Database::create(&admin, "wait");
    let env = db.env();
    company(&env);
    let mut holder = hold_lock(&db, "salesops orders import big.csv");

    let waiting = env
        .process(LATE_CUSTOMER)
        .env("SALESOPS_BUSY_TIMEOUT", "30")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the waiting writer");
    // More than the two seconds after which the waiting command speaks.
    thread::sleep(Duration::from_millis(3500));
    holder
        .batch_execute(&format!(
            "SELECT pg_advisory_unlock({}, {})",
            WRITER_LOCK.0, WRITER_LOCK.1
        ))
        .expect("release the writer lock");
    let out = waiting.wait_with_output().expect("the waiting writer ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(
        stderr
            .contains("waiting for the database: salesops orders import big.csv (server process ")
            && stderr.contains("is writing to it; this command goes on when it has finished"),
        "the wait names the holder: {stderr}"
    );
    assert!(env
        .column(&["customers", "list"], "code")
        .contains(&"LATE".to_string()));
    env.db_check_clean();
}

#[test]
fn a_writer_gives_up_after_the_busy_timeout_and_changes_nothing() {
    let Some(admin) = server() else { return };
    let db = Database::create(&admin, "busy");
    let env = db.env();
    company(&env);
    let before = env.column(&["customers", "list"], "code");
    let _holder = hold_lock(&db, "salesops orders import big.csv");

    let started = Instant::now();
    let out = env
        .cmd(LATE_CUSTOMER)
        .env("SALESOPS_BUSY_TIMEOUT", "1")
        .output()
        .expect("run salesops");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {} is busy: another salesops command held the writer lock for 1 s, so this \
             command gave up and changed nothing",
            db.url
        )),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "gave up after about a second"
    );
    // Readers are never blocked by the lock.
    assert_eq!(env.column(&["customers", "list"], "code"), before);
}

#[test]
fn the_database_name_goes_where_the_admin_url_had_its_own() {
    assert_eq!(
        with_dbname("postgres://postgres@127.0.0.1:54329/postgres", "x"),
        "postgres://postgres@127.0.0.1:54329/x"
    );
    assert_eq!(
        with_dbname("postgresql://u@h/postgres?sslmode=disable", "x"),
        "postgresql://u@h/x?sslmode=disable"
    );
    assert_eq!(with_dbname("postgres://u@h", "x"), "postgres://u@h/x");
}
