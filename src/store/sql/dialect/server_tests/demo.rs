//! The demo company on both engines: every read the store writes, run on SQLite and, translated, on
//! PostgreSQL over the same rows, gives the same rows in the same order.

use std::path::{Path, PathBuf};

use postgres::Client;
use rusqlite::types::Value;

use super::super::postgres_query;
use super::extract;

/// The salesops binary beside this test's (cargo builds it for the integration tests).
fn binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("salesops");
    bin.is_file().then_some(bin)
}

pub fn demo_database(dir: &Path) -> Option<rusqlite::Connection> {
    let Some(bin) = binary() else {
        eprintln!("note: no salesops binary beside the tests (run `cargo build`): the demo comparison is skipped");
        return None;
    };
    let db = dir.join("demo.db");
    let status = std::process::Command::new(bin)
        .args(["--db", &db.display().to_string(), "--yes", "demo"])
        .env("SALESOPS_TODAY", "2026-11-23")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run salesops demo");
    assert!(status.success(), "salesops demo failed");
    Some(rusqlite::Connection::open(db).expect("open the demo"))
}

fn literal(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => format!("{f:?}"),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
        Value::Blob(_) => "NULL".into(),
    }
}

fn text(v: Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t,
        Value::Blob(_) => "blob".into(),
    }
}

/// Every row of every table, orders with their rowid, in one transaction.
pub fn copy(lite: &rusqlite::Connection, pg: &mut Client) {
    let tables: Vec<String> = lite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    pg.batch_execute("BEGIN; SET CONSTRAINTS ALL DEFERRED; DELETE FROM book")
        .expect("begin");
    for table in tables {
        let mut cols: Vec<String> = lite
            .prepare(&format!("PRAGMA table_info(\"{table}\")"))
            .and_then(|mut s| s.query_map([], |r| r.get(1))?.collect())
            .expect("columns");
        if table == "orders" {
            cols.push("rowid".into());
        }
        let mut stmt = lite
            .prepare(&format!("SELECT {} FROM \"{table}\"", cols.join(", ")))
            .expect("select");
        let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        let head = format!("INSERT INTO {table} ({}) VALUES ", quoted.join(", "));
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<String> = (0..cols.len())
                    .map(|i| r.get::<_, Value>(i).map(|v| literal(&v)))
                    .collect::<Result<_, _>>()?;
                Ok(format!("({})", vals.join(", ")))
            })
            .and_then(|rows| rows.collect())
            .expect("rows");
        for chunk in rows.chunks(500) {
            pg.batch_execute(&format!("{head}{}", chunk.join(", ")))
                .unwrap_or_else(|e| panic!("{table}: {e:?}"));
        }
    }
    pg.batch_execute("COMMIT").expect("commit");
}

fn sqlite_rows(lite: &rusqlite::Connection, sql: &str) -> Result<Vec<Vec<String>>, String> {
    let mut stmt = lite.prepare(sql).map_err(|e| e.to_string())?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n).map(|i| r.get::<_, Value>(i).map(text)).collect()
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

fn postgres_rows(pg: &mut Client, sql: &str) -> Result<Vec<Vec<String>>, String> {
    let messages = pg.simple_query(sql).map_err(|e| {
        e.as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_string())
    })?;
    Ok(messages
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| match r.get(i) {
                        None => "NULL".to_string(),
                        Some("t") => "1".to_string(),
                        Some("f") => "0".to_string(),
                        Some(v) => v.to_string(),
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect())
}

/// Placeholders in turn as the first and the last day of the demo's year (so `month BETWEEN ?1 AND ?2`
/// and `date >= ?1 AND date <= ?2` read most of it), or 0 where an operator needs a number.
fn sample(numeric: &[String], name: &str, ordinal: usize) -> String {
    if numeric.iter().any(|n| n == name) {
        "0".into()
    } else if ordinal % 2 == 1 {
        "'2026-01-01'".into()
    } else {
        "'2026-12-31'".into()
    }
}

/// The portable forms of the statements the translation cannot carry (the known failures), by place:
/// each replacement is checked to give SQLite's rows on SQLite itself and on PostgreSQL.
pub const PORTABLE: &[(&str, &[(&str, &str)])] = &[];

pub fn compare_reads(lite: &rusqlite::Connection, pg: &mut Client) {
    let found = extract::queries(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store"));
    let (mut same, mut differ, mut skipped, mut nonempty) = (0, Vec::new(), 0, 0);
    let mut seen = std::collections::HashSet::new();
    let mut unordered = Vec::new();
    // `db check`'s sales truth, which three reads use.
    if let Some(truth) = found
        .queries
        .iter()
        .find(|q| q.sql.contains("CREATE TEMP TABLE sales_truth"))
    {
        lite.execute_batch(&truth.sql)
            .expect("sales truth on SQLite");
        pg.batch_execute(&postgres_query(&truth.sql))
            .expect("sales truth on PostgreSQL");
    }
    for q in &found.queries {
        let head = q.sql.trim_start().to_ascii_uppercase();
        let read = head.starts_with("SELECT") || head.starts_with("WITH");
        let portable = PORTABLE.iter().find(|(place, _)| *place == q.place);
        let known = extract::KNOWN_FAILURES
            .iter()
            .any(|k| k.starts_with(&q.place));
        if !read
            || extract::sqlite_only(&q.sql)
            || (known && portable.is_none())
            || !seen.insert(q.sql.clone())
        {
            continue;
        }
        let rewritten = portable.map(|(_, edits)| {
            edits
                .iter()
                .fold(q.sql.clone(), |sql, (from, to)| sql.replace(from, to))
        });
        let numeric = extract::numeric_placeholders(&q.sql);
        let values = |sql: &str| {
            let mut names: Vec<String> = Vec::new();
            extract::fill_with(sql, |name| {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
                let ordinal = name
                    .trim_start_matches("?#")
                    .trim_start_matches('?')
                    .parse::<usize>()
                    .unwrap_or(1);
                sample(&numeric, name, ordinal)
            })
        };
        let pg_source = rewritten.clone().unwrap_or_else(|| q.sql.clone());
        let (lite_sql, pg_sql) = (values(&q.sql), values(&postgres_query(&pg_source)));
        if let Some(r) = &rewritten {
            assert_ne!(
                r, &q.sql,
                "{}: the portable form no longer applies",
                q.place
            );
            assert_eq!(
                sqlite_rows(lite, &values(r)),
                sqlite_rows(lite, &lite_sql),
                "{}: portable form on SQLite",
                q.place
            );
        }
        // Without an ORDER BY (after the translation's own for GROUP BY) no order is promised: the rows
        // are compared as a set, and such reads are listed.
        let ordered = postgres_query(&q.sql)
            .to_ascii_uppercase()
            .contains("ORDER BY");
        let results = (sqlite_rows(lite, &lite_sql), postgres_rows(pg, &pg_sql));
        let results = match results {
            (Ok(mut a), Ok(mut b)) if !ordered => {
                if a != b {
                    unordered.push(q.place.clone());
                }
                a.sort();
                b.sort();
                (Ok(a), Ok(b))
            }
            other => other,
        };
        match results {
            (Ok(a), Ok(b)) if a == b => {
                same += 1;
                nonempty += usize::from(!a.is_empty());
            }
            (Ok(a), Ok(b)) => {
                let at = a
                    .iter()
                    .zip(&b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                differ.push(format!(
                    "{}: {} rows vs {}; first difference at row {at}: {:?} vs {:?}\n    {}",
                    q.place,
                    a.len(),
                    b.len(),
                    a.get(at),
                    b.get(at),
                    pg_sql.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            // A sample value of the wrong type for a placeholder (a code, an interval): not compared.
            (a, b) => {
                if std::env::var_os("SALESOPS_TEST_VERBOSE").is_some() {
                    eprintln!("not run: {}: {:?} / {:?}", q.place, a.err(), b.err());
                }
                skipped += 1;
            }
        }
    }
    eprintln!("demo reads: {same} the same on both engines ({nonempty} with rows), {} differ, {skipped} not run with the sample values", differ.len());
    eprintln!("reads with no ORDER BY whose rows came in another order (the caller must not rely on it): {unordered:?}");
    for d in &differ {
        eprintln!("DIFFERS {d}");
    }
    assert!(differ.is_empty(), "{} reads differ", differ.len());
    assert!(nonempty > 100, "only {nonempty} reads gave rows");
}

/// Writes through the trigger and the upserts on the demo's rows: the same tables after them.
pub fn compare_writes(lite: &rusqlite::Connection, pg: &mut Client) {
    let writes = [
        "UPDATE customers SET tier = CASE tier WHEN 'normal' THEN 'key' WHEN 'key' THEN 'important'
         ELSE 'normal' END WHERE code < 'C0200'",
        "INSERT INTO receivables_events (event_date, amount) VALUES ('2026-03-05', 10)
         ON CONFLICT (event_date) DO UPDATE SET amount = amount + excluded.amount",
        "UPDATE customer_years SET months = months & ~3 WHERE year = '2026'",
    ];
    let reads = [
        "SELECT period, tier, customers, revenue, returns FROM tier_periods ORDER BY period, tier",
        "SELECT event_date, amount FROM receivables_events ORDER BY event_date",
        "SELECT year, customer, months FROM customer_years ORDER BY year, customer",
    ];
    for w in writes {
        lite.execute_batch(w).expect(w);
        pg.batch_execute(&postgres_query(w))
            .unwrap_or_else(|e| panic!("{w}: {e:?}"));
    }
    for r in reads {
        let (a, b) = (sqlite_rows(lite, r), postgres_rows(pg, &postgres_query(r)));
        assert!(a.as_ref().is_ok_and(|rows| rows.len() > 10), "{r}: {a:?}");
        assert_eq!(a, b, "{r}");
    }
}
