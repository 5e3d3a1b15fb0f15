//! The fixtures' two engines themselves, without the binary: `Env::conn()` reads and writes the same
//! way on a SQLite file and on a PostgreSQL database, and on PostgreSQL (`SALESOPS_TEST_PG`) every
//! Env's database is its own, copied by template and dropped with the Env.

mod common;

use common::db::{inline, params, Connection};
use common::{copy_of, Engine, Env};
use rusqlite::types::Value;

/// Whether a database of that name exists on the test server.
fn exists_on_server(name: &str) -> bool {
    let admin = common::pg::admin_url().expect("on PostgreSQL");
    let mut client = common::pg::connect(&admin);
    let row = client
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .expect("pg_database");
    row.get::<_, i64>(0) == 1
}

fn fill(conn: &Connection) {
    conn.execute_batch(
        "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, note TEXT);
         INSERT INTO t (id, name, note) VALUES (1, '上海', NULL);",
    )
    .expect("create and insert");
    let changed = conn
        .execute(
            "INSERT INTO t (id, name, note) VALUES (?1, ?2, ?3), (?4, ?5, ?3)",
            params![2, "O'Brien ?1", "x", 3, "江苏"],
        )
        .expect("insert with parameters");
    assert_eq!(changed, 2);
}

fn rows(conn: &Connection) -> Vec<(i64, String, Option<String>)> {
    conn.prepare("SELECT id, name, note FROM t WHERE id >= ?1 ORDER BY id")
        .expect("prepare")
        .query_map([1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn the_test_handle_reads_and_writes_alike_on_either_engine() {
    let env = Env::bare();
    assert_eq!(env.engine(), common::engine());
    let conn = env.conn();
    fill(&conn);
    assert_eq!(
        rows(&conn),
        vec![
            (1, "上海".to_string(), None),
            (2, "O'Brien ?1".to_string(), Some("x".to_string())),
            (3, "江苏".to_string(), Some("x".to_string())),
        ]
    );
    let (count, sum): (i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), SUM(id) FROM t WHERE name <> ?1",
            ["上海"],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("one row");
    assert_eq!((count, sum), (2, 5));
    let none: Option<i64> = conn
        .query_row("SELECT MAX(id) FROM t WHERE id > 9", [], |r| r.get(0))
        .expect("one row");
    assert_eq!(none, None);
    let (yes, no): (i64, i64) = conn
        .query_row("SELECT 2 > 1, 1 > 2", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("one row");
    assert_eq!((yes, no), (1, 0), "a comparison reads as 1 or 0 on both");
    assert!(conn
        .query_row("SELECT id FROM t WHERE id = 9", [], |r| r.get::<_, i64>(0))
        .is_err());
    assert_eq!(conn.tables().expect("tables"), vec!["t".to_string()]);
    assert_eq!(
        conn.prepare("SELECT * FROM t")
            .expect("prepare")
            .column_count(),
        3
    );
}

#[test]
fn a_copy_is_a_database_of_its_own() {
    let env = Env::bare();
    fill(&env.conn());
    let copy = copy_of(&env);
    copy.conn()
        .execute_batch("DELETE FROM t WHERE id = 1")
        .expect("delete in the copy");
    assert_eq!(rows(&env.conn()).len(), 3, "the original keeps its rows");
    assert_eq!(rows(&copy.conn()).len(), 2);
    assert_ne!(env.target(), copy.target());
}

#[test]
fn on_postgres_each_env_has_a_database_dropped_with_it() {
    if common::engine() == Engine::Sqlite {
        eprintln!("runs on PostgreSQL only (SALESOPS_TEST_PG)");
        return;
    }
    let env = Env::bare();
    let name = env.pg.as_ref().expect("a database").name.clone();
    assert!(env.target().starts_with("postgres"), "{}", env.target());
    assert!(
        env.target().ends_with(&format!("/{name}")),
        "{}",
        env.target()
    );
    assert!(exists_on_server(&name));
    let other = Env::bare();
    assert_ne!(other.pg.as_ref().expect("a database").name, name);
    // A connection still open on the database does not keep it from being dropped.
    let held = env.conn();
    held.execute_batch("CREATE TABLE kept (id BIGINT)")
        .expect("create");
    drop(env);
    assert!(!exists_on_server(&name), "{name} is dropped with its Env");
    drop(held);
}

#[test]
fn parameters_become_postgres_literals_outside_quotes() {
    let values = [
        Value::Text("it's".into()),
        Value::Integer(-42),
        Value::Null,
        Value::Real(1.5),
    ];
    assert_eq!(
        inline(
            "SELECT ?1, ?2, ?3, ?4, '?1', \"a?\" FROM t WHERE x = ?2",
            &values
        )
        .expect("inline"),
        "SELECT 'it''s', -42, NULL, 1.5, '?1', \"a?\" FROM t WHERE x = -42"
    );
    assert_eq!(
        inline("VALUES (?, ?)", &values[..2]).expect("inline"),
        "VALUES ('it''s', -42)"
    );
    assert!(inline("SELECT ?3", &values[..2]).is_err());
}

#[test]
fn a_database_url_keeps_the_server_and_names_the_database() {
    use common::pg::url_of;
    assert_eq!(
        url_of("postgres://postgres@127.0.0.1:5432/postgres", "t_1_0"),
        "postgres://postgres@127.0.0.1:5432/t_1_0"
    );
    assert_eq!(
        url_of("postgresql://u@h/postgres?sslmode=disable", "t_1_0"),
        "postgresql://u@h/t_1_0?sslmode=disable"
    );
    assert_eq!(url_of("postgres://u@h:1", "d"), "postgres://u@h:1/d");
}
