//! Checks against a real PostgreSQL server, named by SALESOPS_TEST_PG (a URL such as
//! postgres://postgres@127.0.0.1:54329/postgres); without it they print a note and pass. Each check
//! makes its own database `dialect_<check>_<pid>` and drops it afterwards.

use std::collections::BTreeMap;
use std::path::Path;

use postgres::{Client, NoTls, SimpleQueryMessage};

use super::{postgres_query, postgres_schema, POSTGRES_VERSION_TABLE, SCHEMA};

mod demo;
mod extract;

fn server() -> Option<String> {
    match std::env::var("SALESOPS_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "note: SALESOPS_TEST_PG is not set: the PostgreSQL dialect checks are skipped"
            );
            None
        }
    }
}

/// Runs `check` in a fresh database, dropped afterwards even when the check fails.
fn with_database(url: &str, tag: &str, check: impl FnOnce(&mut Client)) {
    let name = format!("dialect_{tag}_{}", std::process::id());
    let mut admin = Client::connect(url, NoTls).expect("connect to SALESOPS_TEST_PG");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .expect("drop");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    let _dropped = Dropped {
        admin,
        name: name.clone(),
    };
    let mut config: postgres::Config = url.parse().expect("SALESOPS_TEST_PG is a URL");
    config.dbname(&name);
    let mut client = config.connect(NoTls).expect("connect to the new database");
    check(&mut client);
}

struct Dropped {
    admin: Client,
    name: String,
}

impl Drop for Dropped {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn load_schema(client: &mut Client) {
    let ddl = postgres_schema(SCHEMA);
    if let Err(e) = client.batch_execute(&ddl) {
        panic!("schema.sql as PostgreSQL does not load: {e:?}\n{ddl}");
    }
    client
        .batch_execute(POSTGRES_VERSION_TABLE)
        .expect("version table");
}

/// The rows of a simple query as text ("NULL" for NULL).
fn rows(client: &mut Client, sql: &str) -> Vec<Vec<String>> {
    let messages = client
        .simple_query(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL").to_string())
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

type Shape = BTreeMap<(String, String), Vec<String>>;

fn sqlite_shape() -> Shape {
    let conn = rusqlite::Connection::open_in_memory().expect("memory");
    conn.execute_batch(SCHEMA).expect("schema.sql");
    let mut stmt = conn
        .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        .expect("catalog");
    let objects: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("catalog")
        .collect::<Result<_, _>>()
        .expect("catalog");
    let mut shape = Shape::new();
    for (kind, name) in objects {
        let mut info = conn
            .prepare(&format!("PRAGMA table_info(\"{name}\")"))
            .expect("table_info");
        let cols: Vec<String> = info
            .query_map([], |r| r.get(1))
            .expect("cols")
            .collect::<Result<_, _>>()
            .expect("cols");
        shape.insert((kind, name), cols);
    }
    shape
}

fn postgres_shape(client: &mut Client) -> Shape {
    let mut shape = Shape::new();
    let objects = rows(
        client,
        "SELECT CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END, table_name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> 'salesops_schema'",
    );
    for o in objects {
        let cols = rows(
            client,
            &format!(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'
                 AND table_name = '{}' ORDER BY ordinal_position",
                o[1]
            ),
        );
        // orders.rowid is PostgreSQL's stand-in for SQLite's hidden rowid.
        let cols = cols
            .into_iter()
            .map(|c| c[0].clone())
            .filter(|c| !(o[1] == "orders" && c == "rowid"))
            .collect();
        shape.insert((o[0].clone(), o[1].clone()), cols);
    }
    shape
}

#[test]
fn schema_loads_with_the_same_tables_columns_and_views() {
    let Some(url) = server() else { return };
    with_database(&url, "schema", |client| {
        load_schema(client);
        let (lite, pg) = (sqlite_shape(), postgres_shape(client));
        assert!(lite.len() > 40, "{} tables and views", lite.len());
        assert_eq!(lite, pg);
        // orders keeps an insertion counter, as SQLite's rowid.
        assert_eq!(rows(client, "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'rowid'"), [["bigint"]]);
    });
}

#[test]
fn migration_files_translate() {
    let Some(url) = server() else { return };
    with_database(&url, "migration", |client| {
        load_schema(client);
        // Back to version 5, then version 6's files as a migration.
        client
            .batch_execute("DROP TABLE scorecard_ratings; DROP TABLE stock_warehouse_monthly; DROP INDEX stock_monthly_month;")
            .expect("undo v6");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations/v6");
        for file in ["scorecard.sql", "speed.sql"] {
            let sqlite = std::fs::read_to_string(root.join(file)).expect("migration file");
            let ddl = postgres_schema(&sqlite);
            if let Err(e) = client.batch_execute(&ddl) {
                panic!("{file} as PostgreSQL: {e:?}\n{ddl}");
            }
        }
        assert_eq!(postgres_shape(client), sqlite_shape());
    });
}

/// The same writes through both engines leave the same rows: the trigger, upserts, julianday, the
/// scalar max, IS with a value, NULL ordering.
#[test]
fn the_same_statements_give_the_same_rows() {
    let Some(url) = server() else { return };
    let lite = rusqlite::Connection::open_in_memory().expect("memory");
    lite.execute_batch(SCHEMA).expect("schema");
    let writes = [
        "INSERT INTO customers (code, name, created) VALUES ('C1', '张三', '2026-01-01'), ('C2', 'b', '2026-01-01')",
        "INSERT INTO products (sku, name) VALUES ('P1', 'p')",
        "INSERT INTO orders (id, order_date, customer, channel, status, due_date, amount, ship_date, delivered_date)
         VALUES ('O1', '2026-03-05', 'C1', 'online', 'confirmed', '2026-04-04', 1000, '2026-03-06', '2026-03-09'),
                ('O2', '2026-05-31', 'C1', 'online', 'delivered', '2026-06-30', 500, '2026-05-31', NULL),
                ('O3', '2026-06-01', 'C2', 'online', 'cancelled', '2026-07-01', 7, NULL, NULL)",
        "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, amount, cost)
         VALUES ('O2', 1, 'P1', 5, 100, 500, 250)",
        "INSERT INTO returns (order_id, line_no, quantity, amount, cost, date, reason) VALUES ('O2', 1, 1, 100, 50, '2026-07-02', 'x')",
        "UPDATE customers SET tier = 'key' WHERE code = 'C1'",
        "INSERT INTO receivables_events (event_date, amount) VALUES ('2026-03-05', 10)
         ON CONFLICT (event_date) DO UPDATE SET amount = amount + excluded.amount",
        "INSERT INTO receivables_events (event_date, amount) VALUES ('2026-03-05', 5)
         ON CONFLICT (event_date) DO UPDATE SET amount = amount + excluded.amount",
        "INSERT INTO customer_years (year, customer, months) VALUES ('2026', 'C1', 4)
         ON CONFLICT (year, customer) DO UPDATE SET months = months | excluded.months",
        "INSERT INTO customer_years (year, customer, months) VALUES ('2026', 'C1', 1)
         ON CONFLICT (year, customer) DO UPDATE SET months = months | excluded.months",
        "UPDATE customer_years SET months = months & ~4 WHERE year = '2026' AND customer = 'C1'",
    ];
    let reads = [
        "SELECT period, tier, customers, revenue, returns FROM tier_periods ORDER BY period, tier",
        "SELECT * FROM receivables_events",
        "SELECT * FROM customer_years",
        "SELECT id, CAST(julianday(delivered_date) - julianday(ship_date) AS INTEGER),
                MAX(order_date, COALESCE(delivered_date, '')), delivered_date IS NOT ship_date
         FROM orders ORDER BY delivered_date, id",
        "SELECT id FROM orders ORDER BY delivered_date DESC, id",
        "SELECT code FROM customers WHERE name LIKE 'B%' OR name LIKE '张%' ORDER BY code",
        "SELECT COUNT(*) FROM orders WHERE id GLOB 'O[12]' AND instr(char(31) || 'A' || char(31), char(31) || 'A') > 0",
        "SELECT date('2026-03-05', '-90 days'), date('2026-03-05', ?1)",
    ];
    with_database(&url, "rows", |client| {
        load_schema(client);
        for w in writes {
            lite.execute_batch(w).expect(w);
            client
                .batch_execute(&postgres_query(w))
                .unwrap_or_else(|e| panic!("{w}\n{}\n{e:?}", postgres_query(w)));
        }
        for r in reads {
            let mut stmt = lite.prepare(r).expect(r);
            let n = stmt.column_count();
            let params: &[&dyn rusqlite::ToSql] =
                if r.contains("?1") { &[&"-3 days"] } else { &[] };
            let want: Vec<Vec<String>> = stmt
                .query_map(params, |row| {
                    (0..n)
                        .map(|i| {
                            Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                                rusqlite::types::Value::Null => "NULL".to_string(),
                                rusqlite::types::Value::Integer(v) => v.to_string(),
                                rusqlite::types::Value::Real(v) => v.to_string(),
                                rusqlite::types::Value::Text(v) => v,
                                rusqlite::types::Value::Blob(_) => "blob".to_string(),
                            })
                        })
                        .collect()
                })
                .expect(r)
                .collect::<Result<_, _>>()
                .expect(r);
            let pg = postgres_query(r).replace("?1", "'-3 days'");
            let got: Vec<Vec<String>> = rows(client, &pg)
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|v| match v.as_str() {
                            "t" => "1".into(),
                            "f" => "0".into(),
                            _ => v,
                        })
                        .collect()
                })
                .collect();
            assert_eq!(got, want, "{r}\n=> {pg}");
        }
    });
}

/// Every query text the store writes that can be read from its source is accepted by PostgreSQL
/// once translated (planned by EXPLAIN, or run and rolled back where EXPLAIN cannot take it).
#[test]
fn every_store_query_translates_to_one_postgresql_accepts() {
    let Some(url) = server() else { return };
    let found = extract::queries(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store"));
    with_database(&url, "queries", |client| {
        load_schema(client);
        // The temporary table the rollup check builds, so the queries that read it can be planned.
        client
            .batch_execute(&postgres_query(
                "CREATE TEMP TABLE sales_truth (month TEXT, region TEXT, rep TEXT, customer TEXT, channel TEXT,
                 revenue INTEGER, returns INTEGER, cost INTEGER, quantity INTEGER, orders INTEGER)",
            ))
            .expect("temp table");
        let mut failed = Vec::new();
        let mut checked = 0;
        for q in &found.queries {
            if extract::sqlite_only(&q.sql) {
                continue;
            }
            checked += 1;
            let pg = postgres_query(&q.sql);
            if let Err(e) = accepts(client, &pg) {
                failed.push(format!(
                    "{}: {e}\n    {}\n => {}",
                    q.place,
                    q.sql.split_whitespace().collect::<Vec<_>>().join(" "),
                    pg.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
        let sqlite_only = found
            .queries
            .iter()
            .filter(|q| extract::sqlite_only(&q.sql))
            .count();
        eprintln!(
            "store queries: {} found, {checked} checked on PostgreSQL, {} failed, {sqlite_only} SQLite-only (PRAGMA, sqlite_master), {} calls not expandable",
            found.queries.len(),
            failed.len(),
            found.skipped.len()
        );
        for s in &found.skipped {
            eprintln!("  not expanded: {s}");
        }
        for f in &failed {
            eprintln!("FAILED {f}");
        }
        let expected: Vec<&str> = extract::KNOWN_FAILURES.to_vec();
        let mut unexpected: Vec<&String> = failed
            .iter()
            .filter(|f| !expected.iter().any(|k| f.starts_with(k)))
            .collect();
        unexpected.dedup();
        assert!(
            unexpected.is_empty(),
            "{} unexpected failures",
            unexpected.len()
        );
        assert!(checked > 250, "only {checked} queries checked");
    });
}

/// Placeholders as values: NULL, or 0 where an operator needs a number.
fn accepts(client: &mut Client, pg: &str) -> Result<(), String> {
    let sql = extract::fill(pg);
    client.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    let mut result = Ok(());
    for stmt in sql
        .split(";\n")
        .flat_map(|s| s.split(";"))
        .filter(|s| !s.trim().is_empty())
    {
        let first = stmt
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let explainable =
            ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES"].contains(&first.as_str());
        let run = if explainable {
            format!("EXPLAIN {stmt}")
        } else {
            stmt.to_string()
        };
        if let Err(e) = client.batch_execute(&run) {
            result = Err(e
                .as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_string()));
            break;
        }
    }
    client
        .batch_execute("ROLLBACK")
        .map_err(|e| e.to_string())?;
    result
}

/// The demo company copied to PostgreSQL reads the same through every read the store writes, and a
/// tier change (the trigger) and upserts on its rows leave the same tables.
#[test]
fn the_demo_reads_and_writes_the_same_on_both_engines() {
    let Some(url) = server() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(lite) = demo::demo_database(dir.path()) else {
        return;
    };
    with_database(&url, "demo", |client| {
        load_schema(client);
        demo::copy(&lite, client);
        demo::compare_reads(&lite, client);
        demo::compare_writes(&lite, client);
    });
}
