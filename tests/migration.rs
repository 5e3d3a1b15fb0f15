//! Schema migrations and `db check` over the report rollups: a version 1 database holding the demo
//! company is brought to the current version by the first command that opens it, gives the same reports
//! as a database made new, and passes `db check`; a rollup row that no longer agrees with the lines is
//! found and named, table by table.

mod common;

use std::sync::OnceLock;

use common::{copy_of, demo, demo_copy, Env};
use rusqlite::Connection;
use serde_json::Value;

/// The schema as version 1 released it (the first release of salesops).
const SCHEMA_V1: &str = include_str!("fixtures/schema-v1.sql");

/// Tables that hold what users entered (every other table of version 1 is a rollup of them).
const BASE_TABLES: &[&str] = &[
    "areas",
    "area_keys",
    "regions",
    "reps",
    "suspensions",
    "customers",
    "customer_events",
    "products",
    "prices",
    "orders",
    "order_lines",
    "returns",
    "payments",
    "targets",
    "observations",
    "violations",
    "policy",
    "audit",
    "settings",
];

/// Version 1's rollups, computed as version 1 kept them.
const V1_ROLLUPS: &str = "
INSERT INTO sales_monthly (month, region, rep, customer, channel, revenue, returns, cost, quantity, orders)
SELECT month, region, rep, customer, channel, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity), SUM(orders)
FROM (SELECT substr(o.order_date, 1, 7) AS month, COALESCE(o.region, '') AS region, COALESCE(o.rep, '') AS rep,
             o.customer, o.channel, o.amount AS revenue, 0 AS returns, o.cost, o.quantity, 1 AS orders
      FROM orders o WHERE o.status NOT IN ('cancelled', 'pending_approval')
      UNION ALL
      SELECT substr(r.date, 1, 7), COALESCE(o.region, ''), COALESCE(o.rep, ''), o.customer, o.channel,
             0, r.amount, -r.cost, -r.quantity, 0
      FROM returns r JOIN orders o ON o.id = r.order_id WHERE o.status NOT IN ('cancelled', 'pending_approval'))
GROUP BY month, region, rep, customer, channel;
INSERT INTO sales_monthly_groups (month, region, rep, channel, revenue, returns, cost, quantity, orders)
SELECT month, region, rep, channel, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity), SUM(orders)
FROM sales_monthly GROUP BY month, region, rep, channel;
INSERT INTO product_monthly (month, sku, region, revenue, returns, cost, quantity)
SELECT month, sku, region, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity)
FROM (SELECT substr(o.order_date, 1, 7) AS month, l.sku, COALESCE(o.region, '') AS region,
             l.amount AS revenue, 0 AS returns, l.cost, l.quantity
      FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status NOT IN ('cancelled', 'pending_approval')
      UNION ALL
      SELECT substr(r.date, 1, 7), l.sku, COALESCE(o.region, ''), 0, r.amount, -r.cost, -r.quantity
      FROM returns r JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
      JOIN orders o ON o.id = r.order_id WHERE o.status NOT IN ('cancelled', 'pending_approval'))
GROUP BY month, sku, region;
";

/// A version 1 database holding the demo company (built once for this file).
fn v1() -> &'static Env {
    static V1: OnceLock<Env> = OnceLock::new();
    V1.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let db = dir.path().join("v1.db");
        let env = Env::on_file(dir, db, common::DEMO_TODAY);
        make_v1(&demo().db, &env.db);
        env
    })
}

/// A version 1 file with the base tables of `from` and version 1's rollups.
fn make_v1(from: &std::path::Path, to: &std::path::Path) {
    let conn = Connection::open(to).unwrap();
    conn.execute_batch(SCHEMA_V1).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS src", [from.to_str().unwrap()])
        .unwrap();
    let mut copy = String::from("PRAGMA foreign_keys = OFF; BEGIN;");
    for t in BASE_TABLES {
        // Version 1's columns only: later versions added columns to some of these tables.
        let columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{t}', 'main')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let columns = columns.join(", ");
        copy.push_str(&format!(
            "INSERT INTO main.{t} ({columns}) SELECT {columns} FROM src.{t};"
        ));
    }
    copy.push_str(V1_ROLLUPS);
    copy.push_str("COMMIT; PRAGMA user_version = 1;");
    conn.execute_batch(&copy).unwrap();
    conn.execute_batch("DETACH DATABASE src").unwrap();
}

fn version(db: &std::path::Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The shape of a schema: every table, index, view and trigger with its SQL, whitespace folded.
fn schema_of(db: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
             ORDER BY type, name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap();
    rows.map(|r| {
        let (t, n, sql) = r.unwrap();
        // Comments stay out: a migration's columns have no comments beside them.
        let sql: String = sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        // `ALTER TABLE … ADD COLUMN` splices its column in before the closing parenthesis: spacing
        // around punctuation is not part of the shape.
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        let sql = sql.replace(" ,", ",").replace(" )", ")").replace("( ", "(");
        (t, n, sql)
    })
    .collect()
}

fn table_names(db: &std::path::Path) -> Vec<String> {
    schema_of(db)
        .into_iter()
        .filter(|(t, _, _)| t == "table" || t == "view" || t == "index" || t == "trigger")
        .map(|(t, n, _)| format!("{t} {n}"))
        .collect()
}

#[test]
fn a_version_1_database_migrates_to_the_same_reports_and_passes_db_check() {
    if common::sqlite_only("migrations from older schema versions of a file") {
        return;
    }
    // The demo without its stock: a version 1 file has none to migrate.
    let new = copy_of(demo());
    new.conn().execute_batch(common::NO_STOCK).unwrap();
    // A private copy: migration writes the file.
    let migrated = copy_of(v1());
    assert_eq!(version(&migrated.db), 1);
    // Version 1 had no service tickets nor scorecard ratings: once migrated, the file takes the
    // demo's, so that the reports (which have service and scorecard sections) compare whole.
    migrated.ok(&["policy", "list"]);
    assert_eq!(version(&migrated.db), 6);
    {
        let conn = Connection::open(&migrated.db).unwrap();
        conn.execute("ATTACH DATABASE ?1 AS src", [new.db.to_str().unwrap()])
            .unwrap();
        conn.execute_batch(
            "INSERT INTO main.tickets SELECT * FROM src.tickets;
             INSERT INTO main.ticket_events SELECT * FROM src.ticket_events;
             UPDATE main.returns SET ticket = (SELECT s.ticket FROM src.returns s WHERE s.id = returns.id);
             INSERT INTO main.scorecard_ratings SELECT * FROM src.scorecard_ratings;",
        )
        .unwrap();
        conn.execute_batch("DETACH DATABASE src").unwrap();
    }
    // Version 1 had no carriers: the demo's, given to the migrated file, name its shipments as the
    // demo's own do (the first command migrates the file).
    let carriers = migrated.write(
        "carriers.csv",
        include_str!("../examples/demo/carriers.csv"),
    );
    migrated.ok(&["carriers", "import", carriers.to_str().unwrap()]);
    for args in [
        &[
            "report", "monthly", "--month", "2026-10", "--format", "json",
        ][..],
        &[
            "report",
            "quarterly",
            "--quarter",
            "2026-Q3",
            "--format",
            "json",
        ],
        &[
            "report",
            "period",
            "--period",
            "2026-09-10..2026-10-20",
            "--format",
            "json",
        ],
        &[
            "report", "monthly", "--month", "2025-06", "--format", "html",
        ],
        &[
            "report", "trend", "--period", "2026", "--group", "region", "--format", "json",
        ],
        &[
            "targets", "progress", "--period", "2026", "--format", "json",
        ],
        &["orders", "receivables", "--format", "json"],
    ] {
        assert_eq!(
            migrated.ok(args),
            new.ok(args),
            "salesops {}",
            args.join(" ")
        );
    }
    let current = version(&new.db);
    assert!(current >= 2, "the current version is {current}");
    assert_eq!(version(&migrated.db), current);
    assert_eq!(
        migrated.ok(&["db", "check", "--format", "json"]).trim(),
        "[]"
    );
    // The migrated file has exactly the schema of a new one.
    assert_eq!(table_names(&migrated.db), table_names(&new.db));
    assert_eq!(schema_of(&migrated.db), schema_of(&new.db));
}

#[test]
fn db_check_names_each_rollup_that_disagrees_with_the_lines() {
    let tampers = [
        ("sales_monthly_groups", "UPDATE sales_monthly_groups SET revenue = revenue + 1 WHERE (month, region, rep, channel) = (SELECT month, region, rep, channel FROM sales_monthly_groups WHERE month = '2026-10' LIMIT 1)"),
        ("customer_monthly", "UPDATE customer_monthly SET orders = orders + 1 WHERE month = '2026-10' AND customer = (SELECT MIN(customer) FROM customer_monthly WHERE month = '2026-10')"),
        ("tier_periods", "UPDATE tier_periods SET customers = customers - 1 WHERE period = '2026-Q3' AND tier = 'normal'"),
        ("customer_years", "UPDATE customer_years SET months = months | 2048 WHERE (year, customer) = (SELECT year, customer FROM customer_years WHERE year = '2025' AND months < 2048 LIMIT 1)"),
        ("product_monthly", "UPDATE product_monthly SET sold = sold + 1 WHERE (month, sku, region) = (SELECT month, sku, region FROM product_monthly WHERE month = '2026-10' LIMIT 1)"),
        ("receivables_daily", "UPDATE receivables_daily SET amount = amount - 100 WHERE due_date = (SELECT MAX(due_date) FROM receivables_daily)"),
        ("receivables_events", "INSERT INTO receivables_events (event_date, amount) VALUES ('2026-11-30', 5) ON CONFLICT (event_date) DO UPDATE SET amount = receivables_events.amount + 5"),
        ("price_marks_monthly", "INSERT INTO price_marks_monthly (month, mark, value, lines) VALUES ('2026-10', 'below_cost', 0, 1) ON CONFLICT (month, mark, value) DO UPDATE SET lines = price_marks_monthly.lines + 1"),
    ];
    for (table, sql) in tampers {
        let env = demo_copy();
        let changed = env.conn().execute(sql, []).unwrap();
        assert_eq!(changed, 1, "{table}: the tamper changed one row");
        let out = env.expect_code(&["db", "check", "--format", "json"], 4);
        let findings: Value = serde_json::from_str(&out).unwrap();
        let findings = findings.as_array().unwrap();
        assert!(!findings.is_empty(), "{table}");
        for f in findings {
            assert_eq!(f["kind"], "rollup", "{table}: {f}");
            assert!(
                f["subject"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{table} ")),
                "{table}: {f}"
            );
        }
    }
}

#[test]
fn a_tier_changed_by_hand_in_sqlite_moves_the_customers_months_too() {
    // The tier rollup follows the customers table by a trigger, so even a change made outside
    // salesops (a BI tool, the sqlite3 shell) keeps reports and `db check` true.
    let env = demo_copy();
    let key_customers = |env: &Env| -> i64 {
        let r: Value = serde_json::from_str(&env.ok(&[
            "report", "monthly", "--month", "2026-10", "--format", "json",
        ]))
        .unwrap();
        r["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tier"] == "key")
            .map_or(0, |t| t["customers"].as_i64().unwrap())
    };
    let before = key_customers(&env);
    let conn = env.conn();
    let moved = conn
        .execute(
            "UPDATE customers SET tier = 'key' WHERE code IN (
                 SELECT code FROM customers c WHERE tier = 'normal' AND EXISTS (
                     SELECT 1 FROM orders o WHERE o.customer = c.code AND o.order_date LIKE '2026-10%')
                 LIMIT 3)",
            [],
        )
        .unwrap();
    assert_eq!(moved, 3);
    assert_eq!(key_customers(&env), before + 3);
    assert_eq!(env.ok(&["db", "check", "--format", "json"]).trim(), "[]");
}

#[test]
fn the_first_command_on_an_old_file_says_it_migrated_it_and_init_says_so_too() {
    if common::sqlite_only("migrations from older schema versions of a file") {
        return;
    }
    let env = copy_of(v1());
    let first = env.run(&["regions", "list", "--format", "json"]);
    assert!(first.status.success());
    let note = String::from_utf8_lossy(&first.stderr);
    assert!(
        note.contains("migrated from schema version 1 to 6"),
        "{note}"
    );
    let again = env.run(&["regions", "list", "--format", "json"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    assert_eq!(again.stdout, first.stdout);
    let path = env.db.display().to_string();
    assert_eq!(
        env.ok(&["init"]).trim(),
        format!("{path} up to date (schema version 6, 34 areas)")
    );
    std::fs::copy(&v1().db, &env.db).unwrap();
    assert_eq!(
        env.ok(&["init"]).trim(),
        format!("{path} migrated from schema version 1 (schema version 6, 34 areas)")
    );
}

/// Version 3 judges `off_list` by the net unit price above list: an older file, whose version 2 marks
/// still count lines below list as off list, gets its off-list marks recomputed and checks clean.
#[test]
fn an_older_database_gets_the_off_list_marks_of_version_3() {
    if common::sqlite_only("migrations from older schema versions of a file") {
        return;
    }
    let env = Env::new();
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["regions", "assign", "E", "上海"]);
    env.ok(&["reps", "add", "E01", "--name", "E01", "--region", "E"]);
    env.ok(&[
        "products",
        "add",
        "TEA",
        "--name",
        "Tea",
        "--list-price",
        "100",
        "--cost",
        "10",
    ]);
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "One",
        "--area",
        "上海",
        "--owner",
        "E01",
    ]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "BELOW",
        "--customer",
        "C1",
        "--date",
        "2026-02-03",
        "--line",
        "TEA:1@95",
    ]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "ABOVE",
        "--customer",
        "C1",
        "--date",
        "2026-02-04",
        "--line",
        "TEA:1@110",
    ]);
    let marks = |db: &std::path::Path| -> Vec<(String, i64, i64)> {
        let conn = Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT month, value, lines FROM price_marks_monthly WHERE mark = 'off_list' ORDER BY value")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    // 10% above list: 1000 steps of 0.01% exactly, graded 2 × 1000.
    let v3 = vec![("2026-02".to_string(), 2_000, 1)];
    assert_eq!(marks(&env.db), v3);
    // The same file as version 1 (version 2's step marks the 5% below list as off list too; version
    // 3's step puts it right).
    let old = env.dir.path().join("old.db");
    make_v1(&env.db, &old);
    std::fs::rename(&old, &env.db).unwrap();
    assert_eq!(version(&env.db), 1);
    env.db_check_clean();
    assert_eq!(version(&env.db), 6);
    assert_eq!(marks(&env.db), v3);
}
