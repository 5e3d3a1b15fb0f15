use super::*;

fn q(sql: &str) -> String {
    postgres_query(sql)
}

#[test]
fn placeholders_strings_and_comments_are_kept() {
    let sql =
        "SELECT 'max(a, b) user LIKE' AS \"user\", ?1, ? -- julianday(x)\nFROM t WHERE x = ?12";
    assert_eq!(q(sql), sql);
}

#[test]
fn user_is_quoted_and_temp_is_pg_temp() {
    assert_eq!(
        q("INSERT INTO audit (at, user) VALUES (?1, ?2)"),
        "INSERT INTO audit (at, \"user\") VALUES (?1, ?2)"
    );
    assert_eq!(
        q("DROP TABLE IF EXISTS temp.t"),
        "DROP TABLE IF EXISTS pg_temp.t"
    );
}

#[test]
fn functions_sqlite_has_and_postgresql_names_otherwise() {
    assert_eq!(
        q("SELECT max(a, b, c), MAX(a), min(a, b)"),
        "SELECT GREATEST(a, b, c), MAX(a), LEAST(a, b)"
    );
    assert_eq!(
        q("SELECT instr(a, b), unicode(c), char(31)"),
        "SELECT strpos(a, b), ascii(c), (chr(31))"
    );
    assert_eq!(
        q("SELECT total(x)"),
        "SELECT CAST(COALESCE(SUM(x), 0) AS DOUBLE PRECISION)"
    );
    assert_eq!(q("SELECT ifnull(a, 0)"), "SELECT COALESCE(a, 0)");
    assert_eq!(
        q("SELECT lower(trim(c))"),
        "SELECT lower((trim(c)) COLLATE \"C\")"
    );
    assert_eq!(q("SELECT t.max(a, b)"), "SELECT t.max(a, b)");
    assert!(q("SELECT typeof(x)").contains("pg_typeof(x)"));
}

#[test]
fn casts_use_postgresql_types_and_truncate_floats() {
    assert_eq!(
        q("SELECT CAST(substr(m, 6, 2) AS INTEGER)"),
        "SELECT CAST(substr(m, 6, 2) AS BIGINT)"
    );
    assert_eq!(
        q("SELECT CAST(a AS REAL), CAST(b AS TEXT)"),
        "SELECT CAST(a AS DOUBLE PRECISION), CAST(b AS TEXT)"
    );
    assert_eq!(
        q("SELECT a / 10000.0"),
        "SELECT a / CAST(10000.0 AS DOUBLE PRECISION)"
    );
    let days = q("SELECT CAST(julianday(a) - julianday(b) AS INTEGER)");
    assert!(
        days.starts_with(
            "SELECT CAST(trunc(CAST(EXTRACT(EPOCH FROM CAST(a AS TIMESTAMP)) / 86400 + 2440587.5"
        ),
        "{days}"
    );
}

#[test]
fn dates_with_modifiers() {
    assert_eq!(
        q("SELECT date(v.date, ?1)"),
        "SELECT to_char((CAST(v.date AS TIMESTAMP) + CAST(?1 AS INTERVAL)), 'YYYY-MM-DD')"
    );
    assert_eq!(
        q("SELECT date('now', 'start of month', '-1 days')"),
        "SELECT to_char((date_trunc('month', (now() AT TIME ZONE 'UTC')) + INTERVAL '-1 days'), 'YYYY-MM-DD')"
    );
    assert_eq!(
        q("SELECT strftime('%Y-%m', d)"),
        "SELECT to_char(CAST(d AS TIMESTAMP), 'YYYY\"-\"MM')"
    );
}

#[test]
fn is_with_a_value_is_distinct_from() {
    assert_eq!(
        q("WHERE a IS ?6 AND b IS NOT c AND d IS NULL AND e IS NOT NULL"),
        "WHERE a IS NOT DISTINCT FROM ?6 AND b IS DISTINCT FROM c AND d IS NULL AND e IS NOT NULL"
    );
}

#[test]
fn like_glob_and_hints() {
    assert_eq!(
        q("WHERE id LIKE ?1 || '%' AND x = 1"),
        "WHERE id ILIKE ?1 || '%' ESCAPE '' AND x = 1"
    );
    assert_eq!(
        q("WHERE n NOT LIKE 'a\\_%' ESCAPE '\\'"),
        "WHERE n NOT ILIKE 'a\\_%' ESCAPE '\\'"
    );
    assert_eq!(
        q("WHERE x GLOB 'A*[0-9]?.' AND y NOT GLOB '[^a]'"),
        "WHERE x ~ '^A.*[0-9].\\.$' AND y !~ '^[^a]$'"
    );
    assert_eq!(
        q("FROM orders o INDEXED BY orders_settled WHERE +r IS NULL"),
        "FROM orders o  WHERE r IS NULL"
    );
    assert_eq!(q("SELECT a + b, +1"), "SELECT a + b, 1");
}

#[test]
fn joins_without_a_condition_and_subqueries_without_an_alias() {
    assert_eq!(
        q("SELECT * FROM (SELECT 1) JOIN (SELECT 2 AS g) AS g JOIN t ON t.a = g.g WHERE x IN (SELECT 1)"),
        "SELECT * FROM (SELECT 1) AS salesops_sub1 CROSS JOIN (SELECT 2 AS g) AS g JOIN t ON t.a = g.g WHERE x IN (SELECT 1)"
    );
    assert_eq!(
        q("SELECT * FROM a LEFT JOIN b ON b.x = a.x, (SELECT 1) s"),
        "SELECT * FROM a LEFT JOIN b ON b.x = a.x, (SELECT 1) s"
    );
    assert_eq!(
        q("SELECT * FROM a INNER JOIN b"),
        "SELECT * FROM a CROSS JOIN b"
    );
}

#[test]
fn nulls_sort_first_as_in_sqlite_unless_the_column_is_never_null() {
    assert_eq!(
        q("SELECT 1 FROM orders o ORDER BY o.order_date, o.ship_date DESC, 2, o.id LIMIT 3"),
        "SELECT 1 FROM orders o ORDER BY o.order_date, o.ship_date DESC NULLS LAST, 2 NULLS FIRST, o.id LIMIT 3"
    );
    assert_eq!(
        q("SELECT 1 ORDER BY x NULLS LAST"),
        "SELECT 1 ORDER BY x NULLS LAST"
    );
    assert_eq!(
        q("SELECT LAG(p.cost) OVER (PARTITION BY p.sku ORDER BY p.effective) FROM prices p"),
        "SELECT LAG(p.cost) OVER (PARTITION BY p.sku ORDER BY p.effective) FROM prices p"
    );
}

#[test]
fn upserts_name_the_target_row() {
    assert_eq!(
        q("INSERT INTO t (k, n) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET n = n + excluded.n, \
           m = COALESCE(excluded.m, m), c = CAST(c AS INTEGER) WHERE n <> 0 RETURNING n"),
        "INSERT INTO t (k, n) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET n = t.n + excluded.n, \
         m = COALESCE(excluded.m, t.m), c = CAST(t.c AS BIGINT) WHERE t.n <> 0 RETURNING n"
    );
    assert_eq!(
        q("INSERT INTO t AS a (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET k = k + 1"),
        "INSERT INTO t AS a (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET k = a.k + 1"
    );
    let nothing = "INSERT INTO t (k) VALUES (1) ON CONFLICT (k) DO NOTHING";
    assert_eq!(q(nothing), nothing);
}

#[test]
fn recursive_anchors_take_the_c_collation_and_shifts_are_bigint() {
    assert_eq!(
        q("WITH RECURSIVE up(code, d) AS (SELECT ?1, 0 UNION SELECT r.parent, up.d + 1 FROM regions r JOIN up ON r.code = up.code) SELECT code FROM up"),
        "WITH RECURSIVE up(code, d) AS (SELECT ?1 COLLATE \"C\", 0 UNION SELECT r.parent, up.d + 1 FROM regions r JOIN up ON r.code = up.code) SELECT code FROM up"
    );
    assert_eq!(
        q("SELECT SUM(1 << (m - 1))"),
        "SELECT SUM(CAST(1 AS BIGINT) << CAST((m - 1) AS INTEGER))"
    );
}

#[test]
fn several_statements() {
    assert_eq!(
        q("DELETE FROM temp.a; SELECT user FROM audit"),
        "DELETE FROM pg_temp.a; SELECT \"user\" FROM audit"
    );
}

#[test]
fn glob_patterns_as_regular_expressions() {
    assert_eq!(query::glob_regex("[0-9][0-9]*"), "^[0-9][0-9].*$");
    assert_eq!(query::glob_regex("a.b(c)$"), "^a\\.b\\(c\\)\\$$");
    assert_eq!(query::glob_regex("[]x]"), "^[\\]x]$");
}

#[test]
fn the_schema_maps_types_collations_keys_and_triggers() {
    let pg = postgres_schema(SCHEMA);
    assert!(pg.contains("code TEXT COLLATE \"C\" PRIMARY KEY"));
    assert!(pg.contains("id BIGINT PRIMARY KEY"));
    // An id given none is numbered as SQLite numbers its rowid: the largest plus one.
    assert!(pg.contains("NEW.id := (SELECT coalesce(max(id), 0) + 1 FROM stock_moves);"));
    assert!(pg.contains(
        "CREATE TRIGGER stock_moves_next_id BEFORE INSERT ON stock_moves FOR EACH ROW WHEN (NEW.id IS NULL)"
    ));
    assert!(pg.contains("\"user\" TEXT COLLATE \"C\" NOT NULL"));
    assert!(pg.contains("rowid BIGSERIAL"));
    assert!(pg.contains(
        "ALTER TABLE areas ADD FOREIGN KEY (region) REFERENCES regions (code) ON UPDATE CASCADE DEFERRABLE INITIALLY IMMEDIATE"
    ));
    assert!(pg.contains("REFERENCES reps (code) DEFERRABLE INITIALLY DEFERRED"));
    assert!(
        pg.contains("CREATE INDEX orders_settled ON orders (settled_on NULLS FIRST, order_date,")
    );
    assert!(pg.contains("EXECUTE FUNCTION customers_tier_moves()"));
    for gone in [
        "WITHOUT ROWID",
        "PRAGMA",
        "INTEGER",
        " REAL",
        "BEGIN\n    INSERT INTO tier_periods (period",
    ] {
        assert!(!pg.contains(gone), "{gone}");
    }
}

#[test]
fn migration_statements() {
    assert_eq!(
        postgres_schema("PRAGMA foreign_keys = OFF; ALTER TABLE orders ADD COLUMN x INTEGER REFERENCES t (c) CHECK (x >= 0);"),
        "ALTER TABLE orders ADD COLUMN x BIGINT CHECK (x >= 0);\n\n\
         ALTER TABLE orders ADD FOREIGN KEY (x) REFERENCES t (c) DEFERRABLE INITIALLY IMMEDIATE;\n\n"
    );
    assert_eq!(
        postgres_schema("CREATE TABLE k (a TEXT NOT NULL, b REAL, c BLOB, PRIMARY KEY (a)) WITHOUT ROWID;"),
        "CREATE TABLE k (\n    a TEXT COLLATE \"C\" NOT NULL,\n    b DOUBLE PRECISION,\n    c BYTEA,\n    PRIMARY KEY (a)\n);\n\n"
    );
    let unknown = postgres_schema(
        "CREATE TRIGGER nope AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; END;",
    );
    assert!(
        unknown.contains("RAISE EXCEPTION 'no PostgreSQL version of trigger nope'"),
        "{unknown}"
    );
    assert_eq!(
        postgres_schema("CREATE TABLE c (x TEXT CHECK (x GLOB '[0-9]*'));"),
        "CREATE TABLE c (\n    x TEXT COLLATE \"C\" CHECK (x ~ '^[0-9].*$')\n);\n\n"
    );
}

#[test]
fn grouped_reads_keep_sqlite_s_key_order() {
    assert_eq!(
        q("SELECT campaign, SUM(x) FROM t WHERE a = ?1 GROUP BY campaign HAVING SUM(x) <> 0"),
        "SELECT campaign, SUM(x) FROM t WHERE a = ?1 GROUP BY campaign HAVING SUM(x) <> 0 ORDER BY campaign NULLS FIRST "
    );
    assert_eq!(
        q("SELECT a, COUNT(*) FROM t GROUP BY 1 LIMIT 5"),
        "SELECT a, COUNT(*) FROM t GROUP BY 1  ORDER BY 1 NULLS FIRST LIMIT 5"
    );
    for kept in [
        "SELECT a FROM t GROUP BY a ORDER BY a DESC NULLS LAST",
        "SELECT a FROM t GROUP BY a UNION ALL SELECT b FROM u",
        "INSERT INTO s SELECT a, SUM(b) FROM t GROUP BY a",
        "SELECT x FROM (SELECT a AS x FROM t GROUP BY a) AS salesops_sub1",
    ] {
        assert_eq!(q(kept), kept);
    }
}

#[test]
fn truth_values_chosen_as_columns_are_integers() {
    assert_eq!(
        q("SELECT l.line_no = 1 AS orders, EXISTS (SELECT 1 FROM t), a IS NOT NULL, CASE WHEN a = b THEN 1 END, x FROM t WHERE a = b"),
        "SELECT CAST((l.line_no = 1) AS INTEGER) AS orders, CAST((EXISTS (SELECT 1 FROM t)) AS INTEGER), \
         CAST((a IS NOT NULL) AS INTEGER), CASE WHEN a = b THEN 1 END, x FROM t WHERE a = b"
    );
    assert_eq!(
        q("SELECT NOT EXISTS (SELECT 1 FROM orders)"),
        "SELECT CAST((NOT EXISTS (SELECT 1 FROM orders)) AS INTEGER)"
    );
    assert_eq!(
        q("SELECT DISTINCT a, SUM(b) > 0 AS c FROM t"),
        "SELECT DISTINCT a, CAST((SUM(b) > 0) AS INTEGER) AS c FROM t"
    );
}
