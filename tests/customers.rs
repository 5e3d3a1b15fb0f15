//! `salesops customers …` through the binary.

mod common;

use common::{gbk, Company, Env};
use serde_json::{json, Value};

/// A region S holding 广东 with its sub-region SW holding 广西, and reps R01 (active), R02 (in SW).
fn south() -> Company {
    Company::new()
        .region("S", "South")
        .sub_region("SW", "South-west", "S")
        .assign("S", &["广东"])
        .assign("SW", &["广西"])
        .rep("R01", "张伟", "S")
        .rep("R02", "李娜", "SW")
}

fn setup() -> Env {
    south().build()
}

fn db(env: &Env) -> common::db::Connection {
    let conn = env.conn();
    // PostgreSQL always enforces foreign keys; a SQLite connection does when asked.
    if env.engine() == common::Engine::Sqlite {
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .expect("pragma");
    }
    conn
}

/// An order of one line of product P1 (quantity 1), amount in yuan.
fn order(
    conn: &common::db::Connection,
    id: &str,
    date: &str,
    customer: &str,
    status: &str,
    yuan: i64,
) {
    let units = yuan * 10_000;
    conn.execute(
        "INSERT INTO orders (id, order_date, customer, channel, status, due_date, lines, quantity, amount, cost)
         VALUES (?1, ?2, ?3, 'offline', ?4, ?2, 1, 1, ?5, 0)",
        common::db::params![id, date, customer, status, units],
    )
    .expect("insert order");
    conn.execute(
        "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, amount, cost)
         VALUES (?1, 1, 'P1', 1, ?2, ?2, 0)",
        common::db::params![id, units],
    )
    .expect("insert line");
}

fn return_on(conn: &common::db::Connection, order_id: &str, date: &str, yuan: i64) {
    conn.execute(
        "INSERT INTO returns (order_id, line_no, quantity, amount, cost, date, reason)
         VALUES (?1, 1, 1, ?2, 0, ?3, 'damaged')",
        common::db::params![order_id, yuan * 10_000, date],
    )
    .expect("insert return");
}

#[test]
fn add_prints_code_and_list_shows_the_exact_row() {
    let env = setup();
    let out = env.ok(&[
        "customers",
        "add",
        "C001",
        "--name",
        "华南贸易",
        "--area",
        "Guangdong",
        "--city",
        "广州",
        "--phone",
        "+86 139-0000-1111",
        "--email",
        "Buyer@HN.cn",
        "--channel",
        "agent",
        "--segment",
        "retail",
        "--owner",
        "R01",
        "--terms-days",
        "45",
    ]);
    assert_eq!(out, "C001\n");
    let list = env.json(&["customers", "list"]);
    assert_eq!(
        list,
        json!([{
            "code": "C001", "name": "华南贸易", "area": "广东", "city": "广州", "company": null,
            "phone": "+86 139-0000-1111", "email": "Buyer@HN.cn", "channel": "agent",
            "segment": "retail", "owner": "R01", "tier": "normal", "status": "active",
            "terms_days": 45, "created": "2026-03-16", "campaign": null
        }])
    );
}

#[test]
fn add_defaults_to_offline_normal_active_and_lead_flag_makes_a_lead() {
    let env = setup();
    env.ok(&["customers", "add", "C1", "--name", "A", "--area", "44"]);
    env.ok(&[
        "customers",
        "add",
        "L1",
        "--name",
        "B",
        "--area",
        "廣東",
        "--lead",
    ]);
    let list = env.json(&["customers", "list"]);
    assert_eq!(list[0]["channel"], "offline");
    assert_eq!(list[0]["tier"], "normal");
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[1]["status"], "lead");
    assert_eq!(list[1]["created"], "2026-03-16");
    assert_eq!(list[1]["terms_days"], Value::Null);
}

#[test]
fn add_without_name_or_area_off_terminal_is_a_usage_error_naming_the_flag() {
    let env = setup();
    let err = env.err(&["customers", "add", "C1", "--area", "广东"], 2);
    assert!(err.contains("--name"), "{err}");
    let err = env.err(&["customers", "add", "C1", "--name", "A"], 2);
    assert!(err.contains("--area"), "{err}");
    assert_eq!(env.json(&["customers", "list"]), json!([]));
}

#[test]
fn add_refuses_unknown_area_unknown_owner_and_an_existing_code() {
    let env = setup();
    let err = env.err(
        &[
            "customers",
            "add",
            "C1",
            "--name",
            "A",
            "--area",
            "Atlantis",
        ],
        3,
    );
    assert!(err.contains("\"Atlantis\""), "{err}");
    let err = env.err(
        &[
            "customers",
            "add",
            "C1",
            "--name",
            "A",
            "--area",
            "广东",
            "--owner",
            "R99",
        ],
        3,
    );
    assert!(err.contains("R99"), "{err}");
    env.ok(&["customers", "add", "C1", "--name", "A", "--area", "广东"]);
    let err = env.err(
        &["customers", "add", "C1", "--name", "B", "--area", "广东"],
        3,
    );
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1"]);
}

#[test]
fn list_filters_by_tier_region_with_sub_regions_owner_and_status() {
    let env = setup();
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "A",
        "--area",
        "广东",
        "--owner",
        "R01",
    ]);
    env.ok(&[
        "customers",
        "add",
        "C2",
        "--name",
        "B",
        "--area",
        "广西",
        "--owner",
        "R02",
    ]);
    env.ok(&[
        "customers",
        "add",
        "C3",
        "--name",
        "C",
        "--area",
        "海南",
        "--lead",
    ]);
    env.ok(&["customers", "edit", "C2", "--tier", "key"]);
    assert_eq!(
        env.column(&["customers", "list", "--region", "S"], "code"),
        ["C1", "C2"]
    );
    assert_eq!(
        env.column(&["customers", "list", "--region", "SW"], "code"),
        ["C2"]
    );
    assert_eq!(
        env.column(&["customers", "list", "--tier", "key"], "code"),
        ["C2"]
    );
    assert_eq!(
        env.column(&["customers", "list", "--owner", "R01"], "code"),
        ["C1"]
    );
    assert_eq!(
        env.column(&["customers", "list", "--status", "lead"], "code"),
        ["C3"]
    );
    env.err(&["customers", "list", "--region", "NOPE"], 3);
}

#[test]
fn show_has_region_first_order_and_follow_up_count() {
    let env = setup();
    env.ok(&[
        "products",
        "add",
        "P1",
        "--name",
        "Tea",
        "--list-price",
        "10",
        "--cost",
        "5",
    ]);
    env.ok(&["customers", "add", "C1", "--name", "A", "--area", "广东"]);
    env.ok(&[
        "customers",
        "log",
        "C1",
        "--note",
        "first call",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&[
        "customers",
        "log",
        "C1",
        "--note",
        "visit",
        "--kind",
        "visit",
    ]);
    env.ok(&["customers", "edit", "C1", "--tier", "important", "--lock"]);
    let conn = db(&env);
    order(&conn, "O2", "2026-02-10", "C1", "confirmed", 100);
    order(&conn, "O1", "2026-01-05", "C1", "cancelled", 100);
    let shown = env.json(&["customers", "show", "C1"]);
    assert_eq!(shown["region"], "S");
    assert_eq!(shown["first_order"], "2026-02-10");
    assert_eq!(shown["follow_ups"], 2);
    assert_eq!(shown["tier"], "important");
    assert_eq!(shown["tier_locked"], true);
    env.err(&["customers", "show", "C9"], 3);
}

#[test]
fn edit_changes_fields_and_a_hand_set_tier_is_kept_in_the_history() {
    let env = setup();
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "A",
        "--area",
        "广东",
        "--owner",
        "R01",
        "--city",
        "佛山",
    ]);
    env.ok(&[
        "customers",
        "edit",
        "C1",
        "--name",
        "A2",
        "--area",
        "Guangxi",
        "--city",
        "",
        "--no-owner",
        "--tier",
        "key",
        "--terms-days",
        "60",
        "--channel",
        "online",
    ]);
    let c = &env.json(&["customers", "list"])[0];
    assert_eq!(c["name"], "A2");
    assert_eq!(c["area"], "广西");
    assert_eq!(c["city"], Value::Null);
    assert_eq!(c["owner"], Value::Null);
    assert_eq!(c["tier"], "key");
    assert_eq!(c["terms_days"], 60);
    assert_eq!(c["channel"], "online");
    assert_eq!(
        env.json(&["customers", "history", "C1"]),
        json!([{"date": "2026-03-16", "kind": "tier", "note": "set by hand",
                "old_tier": "normal", "new_tier": "key"}])
    );
    let err = env.err(&["customers", "edit", "C1", "--owner", "R77"], 3);
    assert!(err.contains("R77"), "{err}");
}

#[test]
fn edit_keeps_the_phone_and_email_keys_in_step() {
    let env = setup();
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "A",
        "--area",
        "广东",
        "--phone",
        "13900001111",
    ]);
    env.ok(&[
        "customers",
        "add",
        "C2",
        "--name",
        "B",
        "--area",
        "广东",
        "--phone",
        "020-1234",
    ]);
    env.expect_code(&["customers", "check"], 0);
    env.ok(&["customers", "edit", "C2", "--phone", "+86 139 0000 1111"]);
    let found = env.json_code(&["customers", "check"], 4);
    assert_eq!(
        found,
        json!([{"kind": "duplicate", "subject": "C1, C2", "detail": "same phone 13900001111"}])
    );
    env.ok(&[
        "customers",
        "edit",
        "C2",
        "--phone",
        "",
        "--email",
        "X@Y.com",
    ]);
    env.ok(&["customers", "edit", "C1", "--email", "x@y.COM"]);
    let found = env.json_code(&["customers", "check"], 4);
    assert_eq!(
        found,
        json!([{"kind": "duplicate", "subject": "C1, C2", "detail": "same email x@y.com"}])
    );
}

#[test]
fn remove_is_refused_while_orders_refer_to_the_customer_naming_them() {
    let env = setup();
    env.ok(&[
        "products",
        "add",
        "P1",
        "--name",
        "Tea",
        "--list-price",
        "10",
        "--cost",
        "5",
    ]);
    env.ok(&["customers", "add", "C1", "--name", "A", "--area", "广东"]);
    env.ok(&["customers", "add", "C2", "--name", "B", "--area", "广东"]);
    let conn = db(&env);
    order(&conn, "SO-7", "2026-02-10", "C1", "confirmed", 100);
    let err = env.err(&["customers", "remove", "C1", "--yes"], 3);
    assert!(err.contains("1 order (SO-7)"), "{err}");
    // Without a terminal and without --yes: refused, nothing changes.
    let err = env.err(&["customers", "remove", "C2"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1", "C2"]);
    env.ok(&["customers", "log", "C2", "--note", "hello"]);
    env.ok(&["customers", "remove", "C2", "--yes"]);
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1"]);
}

#[test]
fn log_on_a_lead_makes_it_active_and_history_is_in_date_order() {
    let env = setup();
    env.ok(&[
        "customers",
        "add",
        "L1",
        "--name",
        "Lead",
        "--area",
        "广东",
        "--lead",
    ]);
    let out = env.ok(&[
        "customers",
        "log",
        "L1",
        "--note",
        "回访",
        "--kind",
        "visit",
        "--date",
        "2026/3/20",
    ]);
    assert!(out.contains("now active"), "{out}");
    assert_eq!(env.json(&["customers", "list"])[0]["status"], "active");
    env.ok(&[
        "customers",
        "log",
        "L1",
        "--note",
        "first mail",
        "--kind",
        "email",
        "--date",
        "2026-03-17",
    ]);
    env.ok(&["customers", "edit", "L1", "--tier", "important"]);
    assert_eq!(
        env.json(&["customers", "history", "L1"]),
        json!([
            {"date": "2026-03-16", "kind": "tier", "note": "set by hand", "old_tier": "normal", "new_tier": "important"},
            {"date": "2026-03-17", "kind": "email", "note": "first mail", "old_tier": null, "new_tier": null},
            {"date": "2026-03-20", "kind": "visit", "note": "回访", "old_tier": null, "new_tier": null},
        ])
    );
    env.err(
        &["customers", "log", "L1", "--note", "x", "--kind", "fax"],
        2,
    );
    env.err(&["customers", "log", "NOPE", "--note", "x"], 3);
}

/// Thresholds lowered so small numbers reach them; window 12 months ending 2026-03-16, so it starts
/// on 2025-03-17.
fn regrade_fixture() -> Env {
    let env = south()
        .policy("tier.key.revenue", "5000")
        .policy("tier.key.orders", "10")
        .policy("tier.important.revenue", "1000")
        .policy("tier.important.orders", "3")
        .product("P1", "Tea", "10", "5")
        .customer("K1", "name K1", "广东")
        .customer("K2", "name K2", "广东")
        .customer("K3", "name K3", "广东")
        .customer("K4", "name K4", "广东")
        .customer("K5", "name K5", "广东")
        .customer("K6", "name K6", "广东")
        .run(&["customers", "edit", "K4", "--tier", "key"])
        .run(&["customers", "edit", "K5", "--tier", "key", "--lock"])
        .build();
    let conn = db(&env);
    // K1: exactly 12 months ago is outside, one day later inside; 1000 reaches important.
    order(&conn, "A1", "2025-03-16", "K1", "completed", 9000);
    order(&conn, "A2", "2025-03-17", "K1", "completed", 1000);
    // K2: 6000 less a 1000 return in the window = 5000 reaches key; cancelled and pending orders
    // do not count.
    order(&conn, "B1", "2025-06-01", "K2", "delivered", 6000);
    return_on(&conn, "B1", "2026-01-10", 1000);
    order(&conn, "B2", "2026-02-01", "K2", "cancelled", 50000);
    order(&conn, "B3", "2026-03-01", "K2", "pending_approval", 50000);
    // K3: three small orders reach important by count, the last one today.
    order(&conn, "C1", "2025-12-01", "K3", "confirmed", 10);
    order(&conn, "C2", "2026-01-01", "K3", "shipped", 10);
    order(&conn, "C3", "2026-03-16", "K3", "confirmed", 10);
    // K6: a return in the window on an order before it: −500, stays normal.
    order(&conn, "D1", "2025-01-01", "K6", "completed", 2000);
    return_on(&conn, "D1", "2026-02-01", 500);
    // K4 (key by hand, unlocked) has nothing: back to normal. K5 is locked key: kept.
    env
}

fn expected_changes() -> Value {
    json!([
        {"code": "K1", "name": "name K1", "old_tier": "normal", "new_tier": "important",
         "window_revenue": "1000.00", "window_orders": 1},
        {"code": "K2", "name": "name K2", "old_tier": "normal", "new_tier": "key",
         "window_revenue": "5000.00", "window_orders": 1},
        {"code": "K3", "name": "name K3", "old_tier": "normal", "new_tier": "important",
         "window_revenue": "30.00", "window_orders": 3},
        {"code": "K4", "name": "name K4", "old_tier": "key", "new_tier": "normal",
         "window_revenue": "0.00", "window_orders": 0},
    ])
}

fn tiers(env: &Env) -> Vec<(String, String)> {
    env.json(&["customers", "list"])
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap_or_default().to_string(),
                c["tier"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn regrade_grades_on_the_trailing_window_with_its_edges_returns_and_thresholds() {
    let env = regrade_fixture();
    assert_eq!(env.json(&["customers", "regrade"]), expected_changes());
    let t = tiers(&env);
    let want: Vec<(String, String)> = [
        ("K1", "important"),
        ("K2", "key"),
        ("K3", "important"),
        ("K4", "normal"),
        ("K5", "key"),
        ("K6", "normal"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(t, want);
    let history = env.json(&["customers", "history", "K2"]);
    assert_eq!(history.as_array().map(Vec::len), Some(1));
    assert_eq!(history[0]["kind"], "tier");
    assert_eq!(history[0]["date"], "2026-03-16");
    assert_eq!(history[0]["old_tier"], "normal");
    assert_eq!(history[0]["new_tier"], "key");
    // Graded again with nothing new: no change.
    assert_eq!(env.json(&["customers", "regrade"]), json!([]));
}

#[test]
fn regrade_csv_prints_one_row_per_change() {
    let env = regrade_fixture();
    let out = env.ok(&["customers", "regrade", "--dry-run", "--format", "csv"]);
    assert_eq!(
        out,
        "code,name,old_tier,new_tier,window_revenue,window_orders\n\
         K1,name K1,normal,important,1000.00,1\n\
         K2,name K2,normal,key,5000.00,1\n\
         K3,name K3,normal,important,30.00,3\n\
         K4,name K4,key,normal,0.00,0\n"
    );
}

#[test]
fn regrade_dry_run_writes_nothing() {
    let env = regrade_fixture();
    let before = tiers(&env);
    assert_eq!(
        env.json(&["customers", "regrade", "--dry-run"]),
        expected_changes()
    );
    assert_eq!(tiers(&env), before);
    assert_eq!(env.json(&["customers", "history", "K1"]), json!([]));
}

#[test]
fn a_locked_tier_survives_regrade_until_unlocked() {
    let env = regrade_fixture();
    env.ok(&["customers", "regrade"]);
    assert!(tiers(&env).contains(&("K5".into(), "key".into())));
    env.ok(&["customers", "edit", "K5", "--unlock"]);
    assert_eq!(
        env.json(&["customers", "regrade"]),
        json!([{"code": "K5", "name": "name K5", "old_tier": "key", "new_tier": "normal",
                "window_revenue": "0.00", "window_orders": 0}])
    );
}

/// Every kind of finding, with the SLA counted in working days over a weekend.
fn check_fixture() -> Env {
    south()
        .rep("R03", "王芳", "S")
        .rep("R04", "赵强", "S")
        .run(&[
            "reps",
            "suspend",
            "R03",
            "--until",
            "2026-04-30",
            "--reason",
            "below floor",
        ])
        .run(&["reps", "edit", "R04", "--left"])
        .customer("A1", "A1", "广东")
        .run(&["customers", "edit", "A1", "--tier", "important"])
        .customer("A2", "A2", "广东")
        .with(&["--phone", "+86 139-0000-1111", "--owner", "R01"])
        .customer("A3", "A3", "广东")
        .with(&["--phone", "13900001111", "--owner", "R01"])
        .customer("A4", "A4", "广东")
        .with(&["--email", "Li@Example.com", "--owner", "R01"])
        .customer("A5", "A5", "广东")
        .with(&["--email", "li@example.COM", "--owner", "R01"])
        .customer("A6", "A6", "海南")
        .owner("R01")
        // A lead created on Friday 2026-03-13: two working days later is Tuesday 2026-03-17.
        .customer("A7", "A7", "广东")
        .with(&["--lead", "--owner", "R01", "--today", "2026-03-13"])
        .customer("A8", "A8", "广东")
        .owner("R03")
        .customer("A9", "A9", "广东")
        .owner("R04")
        .build()
}

fn without_sla() -> Vec<Value> {
    vec![
        json!({"kind": "no_owner", "subject": "A1", "detail": "important customer without an owner"}),
        json!({"kind": "duplicate", "subject": "A2, A3", "detail": "same phone 13900001111"}),
        json!({"kind": "duplicate", "subject": "A4, A5", "detail": "same email li@example.com"}),
        json!({"kind": "uncovered", "subject": "A6", "detail": "area 海南 is in no region"}),
        json!({"kind": "inactive_owner", "subject": "A8", "detail": "owner R03 is suspended through 2026-04-30"}),
        json!({"kind": "inactive_owner", "subject": "A9", "detail": "owner R04 has left"}),
    ]
}

#[test]
fn check_finds_every_kind_and_exits_4() {
    let env = check_fixture();
    let found = env.json_code(&["customers", "check", "--today", "2026-03-18"], 4);
    let mut want = without_sla();
    want.insert(
        4,
        json!({"kind": "sla", "subject": "A7",
               "detail": "lead created 2026-03-13, first contact was due by 2026-03-17; none logged"}),
    );
    assert_eq!(found, Value::Array(want));
}

#[test]
fn check_sla_counts_working_days_over_the_weekend() {
    let env = check_fixture();
    // Tuesday 2026-03-17 is the due date itself: not late yet (calendar days would have made it late).
    let found = env.json_code(&["customers", "check", "--today", "2026-03-17"], 4);
    assert_eq!(found, Value::Array(without_sla()));
    // A follow-up makes the lead active: no SLA finding afterwards.
    env.ok(&[
        "customers",
        "log",
        "A7",
        "--note",
        "called",
        "--today",
        "2026-03-18",
    ]);
    let found = env.json_code(&["customers", "check", "--today", "2026-03-19"], 4);
    assert_eq!(found, Value::Array(without_sla()));
}

#[test]
fn check_sla_skips_policy_holidays() {
    let env = setup();
    env.ok(&["policy", "set", "calendar.holidays", "2026-03-16"]);
    env.ok(&[
        "customers",
        "add",
        "L1",
        "--name",
        "L",
        "--area",
        "广东",
        "--owner",
        "R01",
        "--lead",
        "--today",
        "2026-03-13",
    ]);
    // Monday is a holiday: due Wednesday 2026-03-18.
    env.expect_code(&["customers", "check", "--today", "2026-03-18"], 0);
    let found = env.json_code(&["customers", "check", "--today", "2026-03-19"], 4);
    assert_eq!(found[0]["kind"], "sla");
}

#[test]
fn check_on_clean_data_exits_0() {
    let env = setup();
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "A",
        "--area",
        "广东",
        "--owner",
        "R01",
    ]);
    assert_eq!(env.json(&["customers", "check"]), json!([]));
}

const CSV: &str = "code,name,area,city,company,phone,email,channel,segment,owner,tier,status,terms_days,created
C001,华南贸易,广东省,广州,华南贸易有限公司,+86 139-0000-1111,buyer@hn.cn,agent,retail,R01,important,active,45,2025-11-02
C002,北方商行,Guangxi,,,,,online,,,normal,lead,,2026/3/1
C003,海口小店,46,海口,,,,,,R02,,,,
";

#[test]
fn import_creates_customers_with_every_field() {
    let env = setup();
    let file = env.write("customers.csv", CSV);
    let err = env.err(&["customers", "import", file.to_str().expect("path")], 0);
    assert!(
        err.contains("3 rows read, 3 created, 0 updated, 0 skipped, 0 rejected"),
        "{err}"
    );
    let list = env.json(&["customers", "list"]);
    assert_eq!(
        list[0],
        json!({"code": "C001", "name": "华南贸易", "area": "广东", "city": "广州",
               "company": "华南贸易有限公司", "phone": "+86 139-0000-1111", "email": "buyer@hn.cn",
               "channel": "agent", "segment": "retail", "owner": "R01", "tier": "important",
               "status": "active", "terms_days": 45, "created": "2025-11-02", "campaign": null})
    );
    assert_eq!(list[1]["created"], "2026-03-01");
    assert_eq!(list[1]["status"], "lead");
    assert_eq!(list[2]["area"], "海南");
    assert_eq!(list[2]["channel"], "offline");
    assert_eq!(list[2]["created"], "2026-03-16");
}

#[test]
fn import_updates_the_fields_a_row_gives_and_skips_identical_rows() {
    let env = setup();
    let file = env.write("customers.csv", CSV);
    env.ok(&["customers", "import", file.to_str().expect("path")]);
    let update = env.write(
        "update.csv",
        "code,name,city,tier\nC001,华南贸易,深圳,key\nC002,北方商行,,\n",
    );
    let err = env.err(&["customers", "import", update.to_str().expect("path")], 0);
    assert!(
        err.contains("2 rows read, 0 created, 1 updated, 1 skipped"),
        "{err}"
    );
    let c = &env.json(&["customers", "list"])[0];
    assert_eq!(c["city"], "深圳");
    assert_eq!(c["company"], "华南贸易有限公司");
    assert_eq!(c["tier"], "key");
    let history = env.json(&["customers", "history", "C001"]);
    assert_eq!(history[0]["old_tier"], "important");
    assert_eq!(history[0]["new_tier"], "key");
}

#[test]
fn import_reads_foreign_headers_with_map() {
    let env = setup();
    let file = env.write(
        "crm.csv",
        "客户编号,客户名称,省份,手机,负责人,备注\nX1,甲公司,广东省,13800000000,R01,ignored\n",
    );
    let err = env.err(
        &[
            "customers",
            "import",
            file.to_str().expect("path"),
            "--map",
            "客户编号=code,客户名称=name,省份=area,手机=phone,负责人=owner",
        ],
        0,
    );
    assert!(err.contains("备注"), "unknown column named: {err}");
    let c = &env.json(&["customers", "list"])[0];
    assert_eq!(c["code"], "X1");
    assert_eq!(c["name"], "甲公司");
    assert_eq!(c["area"], "广东");
    assert_eq!(c["phone"], "13800000000");
    assert_eq!(c["owner"], "R01");
}

#[test]
fn import_of_a_gbk_file_keeps_chinese_names() {
    let env = setup();
    let text =
        "code,name,area,city\nG1,广州市白云区茶叶商行,广东,广州\nG2,南宁绿源,广西壮族自治区,南宁\n";
    let path = env.write_bytes("gbk.csv", &gbk(text));
    env.ok(&[
        "customers",
        "import",
        path.to_str().expect("path"),
        "--encoding",
        "gbk",
    ]);
    let list = env.json(&["customers", "list"]);
    assert_eq!(list[0]["name"], "广州市白云区茶叶商行");
    assert_eq!(list[0]["city"], "广州");
    assert_eq!(list[1]["name"], "南宁绿源");
    assert_eq!(list[1]["area"], "广西");
}

#[test]
fn import_with_one_bad_row_writes_nothing_and_names_file_line_and_column() {
    let env = setup();
    let file = env.write(
        "bad.csv",
        "code,name,area,channel,terms_days\nC1,A,广东,online,30\nC2,B,Atlantis,online,30\nC3,C,广东,fax,x\n",
    );
    let err = env.err(&["customers", "import", file.to_str().expect("path")], 3);
    assert!(
        err.contains("bad.csv:3: column \"area\": unknown area \"Atlantis\""),
        "{err}"
    );
    assert!(err.contains("bad.csv:4: column \"channel\""), "{err}");
    assert!(err.contains("bad.csv:4: column \"terms_days\""), "{err}");
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(env.json(&["customers", "list"]), json!([]));
}

#[test]
fn import_skip_invalid_imports_the_rest_and_writes_the_rejects_file() {
    let env = setup();
    let file = env.write(
        "batch.csv",
        "code,name,area\nC1,A,广东\nC2,B,Atlantis\nC3,C,广西\n",
    );
    let err = env.err(
        &[
            "customers",
            "import",
            file.to_str().expect("path"),
            "--skip-invalid",
        ],
        0,
    );
    assert!(err.contains("batch.rejects.csv"), "{err}");
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1", "C3"]);
    let rejects = std::fs::read_to_string(env.path("batch.rejects.csv")).expect("rejects file");
    assert_eq!(
        rejects,
        "code,name,area,error\nC2,B,Atlantis,\"column \"\"area\"\": unknown area \"\"Atlantis\"\" (see `salesops areas list`)\"\n"
    );
}

#[test]
fn export_then_import_into_a_new_database_gives_the_same_export() {
    let env = setup();
    let file = env.write("customers.csv", CSV);
    env.ok(&["customers", "import", file.to_str().expect("path")]);
    env.ok(&[
        "customers",
        "add",
        "C004",
        "--name",
        "逗号, \"引号\"",
        "--area",
        "广东",
        "--lead",
    ]);
    let first = env.ok(&["customers", "export"]);
    assert!(first.starts_with(
        "code,name,area,city,company,phone,email,channel,segment,owner,tier,status,terms_days,created,campaign\n"
    ));
    let other = setup();
    let exported = other.write("export.csv", &first);
    other.ok(&["customers", "import", exported.to_str().expect("path")]);
    assert_eq!(other.ok(&["customers", "export"]), first);
}

/// A clerk's GBK spreadsheet says 线上, 重要, 活跃 and has a blank row between two blocks: the values
/// read as the stored words, the blank row is skipped and counted, and flags take the Chinese too.
#[test]
fn chinese_values_in_a_gbk_file_and_in_flags_and_blank_rows_skipped_and_counted() {
    let env = setup();
    let file = env.path("客户.csv");
    std::fs::write(
        &file,
        gbk("code,name,area,channel,tier,status\r\n\
             C1,广州茶行,广东,线上,重要,活跃\r\n\
             ,,,,,\r\n\
             C2,南宁茶楼,广西,代理,关键,线索\r\n"),
    )
    .unwrap();
    let out = env.err(&["customers", "import", file.to_str().unwrap()], 0);
    assert!(
        out.contains(
            "客户.csv: 3 rows read, 2 created, 0 updated, 0 skipped, 0 rejected, 1 blank in "
        ),
        "{out}"
    );
    let c1 = env.json(&["customers", "show", "C1"]);
    assert_eq!(
        (&c1["channel"], &c1["tier"], &c1["status"]),
        (&json!("online"), &json!("important"), &json!("active"))
    );
    let c2 = env.json(&["customers", "show", "C2"]);
    assert_eq!(
        (&c2["channel"], &c2["tier"], &c2["status"]),
        (&json!("agent"), &json!("key"), &json!("lead"))
    );
    env.ok(&[
        "customers",
        "add",
        "C3",
        "--name",
        "深圳茶行",
        "--area",
        "广东",
        "--channel",
        "线下",
    ]);
    assert_eq!(env.json(&["customers", "show", "C3"])["channel"], "offline");
    assert_eq!(
        env.column(&["customers", "list", "--tier", "重要"], "code"),
        vec!["C1"]
    );
    // A word that is neither is still refused, naming the words.
    let err = env.err(
        &[
            "customers",
            "add",
            "C4",
            "--name",
            "x",
            "--area",
            "广东",
            "--channel",
            "线",
        ],
        2,
    );
    assert!(
        err.contains("possible values: online, offline, agent"),
        "{err}"
    );
    env.db_check_clean();
}

/// The rejects of a GBK file are written back in the file's own encoding (GB18030, GBK's superset),
/// so they open in Chinese Excel as the file did; a UTF-8 file's stay UTF-8.
#[test]
fn rejects_of_a_gbk_file_are_written_in_its_encoding() {
    let env = setup();
    let file = env.path("客户.csv");
    std::fs::write(
        &file,
        gbk("code,name,area,channel\r\n\
             C1,广州茶行,广东,线上\r\n\
             C2,南宁茶楼,火星,线上\r\n"),
    )
    .unwrap();
    env.err(
        &[
            "customers",
            "import",
            file.to_str().unwrap(),
            "--skip-invalid",
        ],
        0,
    );
    let bytes = std::fs::read(env.path("客户.rejects.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8 any more");
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "code,name,area,channel,error",
            "C2,南宁茶楼,火星,线上,\"column \"\"area\"\": unknown area \"\"火星\"\" (see `salesops areas list`)\"",
        ]
    );
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1"]);
}
