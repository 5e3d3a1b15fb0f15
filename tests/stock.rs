//! Stock through the binary: warehouses, moves, reservations, the shortage rule, shipments and
//! returns, stock-takes and transfers, the report's stock section against plain SQL over the moves,
//! `db check` on the stock rollups, imports of shipped history and two writers racing for the last
//! units.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Region E (上海, 江苏) with sub-region E2 (江苏), manager E01, customers C1 (上海) and C2 (江苏),
/// products TEA-1 (cost 40) and CUP-2 (cost 5), warehouse W1 serving E since 2026-01-01.
fn company() -> Company {
    Company::east()
        .sub_region("E2", "East 2", "E")
        .run(&["regions", "assign", "E2", "江苏", "--move"])
        .product("CUP-2", "Cup", "20", "5")
        .customer("C1", "One", "上海")
        .owner("E01")
        .customer("C2", "Two", "江苏")
        .owner("E01")
        .run(&[
            "warehouses",
            "add",
            "W1",
            "--name",
            "上海仓",
            "--serves",
            "E",
            "--opened",
            "2026-01-01",
        ])
}

fn order(env: &Env, id: &str, customer: &str, date: &str, line: &str) -> std::process::Output {
    env.run(&[
        "orders",
        "add",
        "--id",
        id,
        "--customer",
        customer,
        "--date",
        date,
        "--line",
        line,
    ])
}

/// (on_hand, reserved, available) of a SKU at a warehouse, from `stock list`.
fn level(env: &Env, warehouse: &str, sku: &str) -> (i64, i64, i64) {
    let rows = env.json(&["stock", "list", "--warehouse", warehouse, "--sku", sku]);
    match rows.as_array().and_then(|r| r.first()) {
        Some(r) => (
            r["on_hand"].as_i64().unwrap(),
            r["reserved"].as_i64().unwrap(),
            r["available"].as_i64().unwrap(),
        ),
        None => (0, 0, 0),
    }
}

fn status(env: &Env, id: &str) -> String {
    let rows = env.json(&["orders", "list"]);
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_id"] == json!(id));
    row.map(|o| o["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn moves(env: &Env, args: &[&str]) -> Vec<(String, String, String, i64, String)> {
    let mut all = vec!["stock", "moves"];
    all.extend_from_slice(args);
    env.json(&all)
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["date"].as_str().unwrap().to_string(),
                m["warehouse"].as_str().unwrap().to_string(),
                m["sku"].as_str().unwrap().to_string(),
                m["quantity"].as_i64().unwrap(),
                m["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Ten-thousandths of a yuan as a report shows them: two decimals, half away from zero.
fn money_text(units: i64) -> String {
    let cents = (units.abs() + 50) / 100;
    let sign = if units < 0 && cents > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// The report's stock section for `start..=end`, computed in plain SQL over the moves and prices.
fn sql_stock(conn: &common::db::Connection, start: &str, end: &str) -> Value {
    let mut stmt = conn
        .prepare(
            "SELECT w.code, w.name,
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND date < ?1),
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND kind = 'receive' AND date BETWEEN ?1 AND ?2),
               (SELECT COALESCE(-SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND kind = 'ship' AND date BETWEEN ?1 AND ?2),
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND kind = 'return' AND date BETWEEN ?1 AND ?2),
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND kind = 'adjust' AND date BETWEEN ?1 AND ?2),
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND kind = 'transfer' AND date BETWEEN ?1 AND ?2),
               (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.warehouse = w.code AND date <= ?2),
               (SELECT COALESCE(SUM(q * (SELECT cost FROM prices p WHERE p.sku = x.sku AND p.effective <= ?2
                                          ORDER BY effective DESC LIMIT 1)), 0)
                FROM (SELECT sku, SUM(quantity) AS q FROM stock_moves m WHERE m.warehouse = w.code AND date <= ?2
                      GROUP BY sku) x)
             FROM warehouses w ORDER BY w.code",
        )
        .unwrap();
    let want: Vec<Value> = stmt
        .query_map([start, end], |r| {
            let value: i64 = r.get(9)?;
            Ok(json!({
                "warehouse": r.get::<_, String>(0)?, "name": r.get::<_, String>(1)?,
                "opening": r.get::<_, i64>(2)?, "received": r.get::<_, i64>(3)?,
                "shipped": r.get::<_, i64>(4)?, "returned": r.get::<_, i64>(5)?,
                "adjusted": r.get::<_, i64>(6)?, "transferred": r.get::<_, i64>(7)?,
                "closing": r.get::<_, i64>(8)?,
                "closing_value": money_text(value),
            }))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    Value::Array(want)
}

#[test]
fn confirmed_orders_reserve_warn_under_allow_and_are_refused_under_refuse() {
    let env = company().build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "10",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    assert_eq!(
        order(&env, "O1", "C1", "2026-03-10", "TEA-1:6")
            .status
            .code(),
        Some(0)
    );
    assert_eq!(level(&env, "W1", "TEA-1"), (10, 6, 4));
    // allow (the default): recorded, with a warning naming SKU, warehouse, available and needed.
    let out = order(&env, "O2", "C1", "2026-03-10", "TEA-1:6");
    assert_eq!(out.status.code(), Some(0));
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("TEA-1 at warehouse W1: available 4, needed 6"),
        "{warning}"
    );
    assert_eq!(level(&env, "W1", "TEA-1"), (10, 12, -2));
    env.ok(&["policy", "set", "stock.shortage", "refuse"]);
    let err = env.err(
        &[
            "orders",
            "add",
            "--id",
            "O3",
            "--customer",
            "C1",
            "--date",
            "2026-03-10",
            "--line",
            "TEA-1:1",
        ],
        3,
    );
    assert!(
        err.contains("TEA-1 at warehouse W1: available -2, needed 1"),
        "{err}"
    );
    assert!(env.column(&["orders", "list"], "order_id") == ["O1", "O2"]);
    // Lines of one SKU count together; what is there exactly is enough.
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "5",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-11",
    ]);
    env.ok(&["orders", "cancel", "O2", "--reason", "dup", "--yes"]);
    assert_eq!(level(&env, "W1", "TEA-1"), (15, 6, 9));
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O4",
        "--customer",
        "C1",
        "--date",
        "2026-03-12",
        "--line",
        "TEA-1:5",
        "--line",
        "TEA-1:4",
    ]);
    assert_eq!(level(&env, "W1", "TEA-1"), (15, 15, 0));
    env.db_check_clean();
}

#[test]
fn approval_confirms_and_is_checked_like_an_add() {
    let env = company()
        .rep("E09", "Sup", "E")
        .role("supervisor")
        .policy("stock.shortage", "refuse")
        .build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "3",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    // 20% off needs approval: pending orders reserve nothing.
    env.ok(&[
        "orders",
        "add",
        "--id",
        "P1",
        "--customer",
        "C1",
        "--date",
        "2026-03-05",
        "--line",
        "TEA-1:3@80",
    ]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "P2",
        "--customer",
        "C1",
        "--date",
        "2026-03-05",
        "--line",
        "TEA-1:1@80",
    ]);
    assert_eq!(level(&env, "W1", "TEA-1"), (3, 0, 3));
    env.ok(&["orders", "approve", "P1", "--by", "E09"]);
    assert_eq!(level(&env, "W1", "TEA-1"), (3, 3, 0));
    let err = env.err(&["orders", "approve", "P2", "--by", "E09"], 3);
    assert!(
        err.contains("TEA-1 at warehouse W1: available 0, needed 1"),
        "{err}"
    );
    assert_eq!(status(&env, "P2"), "pending_approval");
    env.db_check_clean();
}

#[test]
fn shipping_takes_stock_and_is_refused_when_on_hand_is_short_returns_restock() {
    let env = company().build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "10",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    order(&env, "O1", "C1", "2026-03-02", "TEA-1:6");
    order(&env, "O2", "C1", "2026-03-02", "TEA-1:6");
    env.ok(&[
        "orders",
        "ship",
        "O1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-03-03",
    ]);
    assert_eq!(level(&env, "W1", "TEA-1"), (4, 6, -2));
    let err = env.err(
        &["orders", "ship", "O2", "--carrier", "SF", "--tracking", "2"],
        3,
    );
    assert!(
        err.contains("TEA-1 at warehouse W1: on hand 4, needed 6"),
        "{err}"
    );
    assert_eq!(status(&env, "O2"), "confirmed");
    // A corrected ship date moves the shipment with it.
    env.ok(&[
        "orders",
        "ship",
        "O1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-03-04",
    ]);
    env.ok(&["orders", "deliver", "O1", "--date", "2026-03-05"]);
    env.ok(&[
        "orders",
        "return",
        "O1",
        "--line",
        "TEA-1:2",
        "--reason",
        "r",
        "--date",
        "2026-03-06",
    ]);
    env.ok(&[
        "orders",
        "return",
        "O1",
        "--line",
        "TEA-1:1",
        "--reason",
        "broken",
        "--kind",
        "quality",
        "--date",
        "2026-03-07",
        "--no-restock",
    ]);
    assert_eq!(level(&env, "W1", "TEA-1"), (6, 6, 0));
    assert_eq!(
        moves(&env, &["--sku", "TEA-1"]),
        vec![
            (
                "2026-03-01".into(),
                "W1".into(),
                "TEA-1".into(),
                10,
                "receive".into()
            ),
            (
                "2026-03-04".into(),
                "W1".into(),
                "TEA-1".into(),
                -6,
                "ship".into()
            ),
            (
                "2026-03-06".into(),
                "W1".into(),
                "TEA-1".into(),
                2,
                "return".into()
            ),
        ]
    );
    env.ok(&[
        "orders",
        "ship",
        "O2",
        "--carrier",
        "SF",
        "--tracking",
        "2",
        "--date",
        "2026-03-08",
    ]);
    assert_eq!(level(&env, "W1", "TEA-1"), (0, 0, 0));
    env.db_check_clean();
}

#[test]
fn the_warehouse_follows_the_region_then_the_policy_and_only_orders_after_opening_touch_stock() {
    let env = company()
        .customer("C3", "Three", "北京")
        .run(&[
            "warehouses",
            "add",
            "W2",
            "--name",
            "北京仓",
            "--opened",
            "2026-03-10",
        ])
        .build();
    // E2 has no warehouse of its own: the one serving E, the region above it.
    order(&env, "A", "C2", "2026-03-02", "CUP-2:2");
    // 北京 is in no region: no warehouse until the policy names one.
    order(&env, "B", "C3", "2026-03-11", "CUP-2:1");
    env.ok(&["policy", "set", "stock.default_warehouse", "W2"]);
    order(&env, "C", "C3", "2026-03-11", "CUP-2:1");
    // Given on the command line, by name; dated before W2 opened: stored, but no stock touched.
    env.ok(&[
        "orders",
        "add",
        "--id",
        "D",
        "--customer",
        "C1",
        "--date",
        "2026-03-09",
        "--warehouse",
        "北京仓",
        "--line",
        "CUP-2:4",
    ]);
    let export = env.ok(&["orders", "export"]);
    let warehouses: Vec<&str> = export
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert!(export
        .lines()
        .next()
        .unwrap()
        .ends_with(",tracking,campaign,freight,warehouse"));
    assert_eq!(warehouses, ["W1", "W2", "", "W2"]); // by date: A, D, B, C
    assert_eq!(level(&env, "W1", "CUP-2"), (0, 2, -2));
    assert_eq!(level(&env, "W2", "CUP-2"), (0, 1, -1));
    let err = env.err(
        &[
            "orders",
            "add",
            "--customer",
            "C1",
            "--warehouse",
            "NOPE",
            "--line",
            "CUP-2:1",
        ],
        3,
    );
    assert!(err.contains("no warehouse \"NOPE\""), "{err}");
    env.db_check_clean();
}

#[test]
fn stock_takes_and_transfers_are_moves() {
    let env = company()
        .run(&[
            "warehouses",
            "add",
            "W2",
            "--name",
            "北京仓",
            "--opened",
            "2026-01-01",
        ])
        .build();
    env.ok(&[
        "stock",
        "receive",
        "CUP-2",
        "100",
        "--warehouse",
        "W1",
        "--date",
        "2026-02-01",
    ]);
    let out = env.ok(&[
        "stock",
        "adjust",
        "CUP-2",
        "--warehouse",
        "W1",
        "--to",
        "97",
        "--reason",
        "盘点",
        "--date",
        "2026-02-28",
    ]);
    assert!(out.contains("adjusted by -3"), "{out}");
    env.ok(&[
        "stock",
        "adjust",
        "CUP-2",
        "--warehouse",
        "W1",
        "--by",
        "+1",
        "--reason",
        "found",
    ]);
    let same = env.ok(&[
        "stock",
        "adjust",
        "CUP-2",
        "--warehouse",
        "W1",
        "--to",
        "98",
        "--reason",
        "ok",
    ]);
    assert!(same.contains("nothing changed"), "{same}");
    env.ok(&[
        "stock",
        "transfer",
        "CUP-2",
        "40",
        "--from",
        "W1",
        "--to",
        "W2",
        "--date",
        "2026-03-02",
    ]);
    let err = env.err(
        &[
            "stock", "transfer", "CUP-2", "59", "--from", "W1", "--to", "W2",
        ],
        3,
    );
    assert!(err.contains("on hand 58"), "{err}");
    assert_eq!(level(&env, "W1", "CUP-2"), (58, 0, 58));
    assert_eq!(level(&env, "W2", "CUP-2"), (40, 0, 40));
    assert_eq!(
        moves(&env, &["--kind", "transfer"]),
        vec![
            (
                "2026-03-02".into(),
                "W1".into(),
                "CUP-2".into(),
                -40,
                "transfer".into()
            ),
            (
                "2026-03-02".into(),
                "W2".into(),
                "CUP-2".into(),
                40,
                "transfer".into()
            ),
        ]
    );
    assert_eq!(moves(&env, &["--period", "2026-02"]).len(), 2);
    // A move before the warehouse opened is refused.
    env.ok(&[
        "warehouses",
        "add",
        "W3",
        "--name",
        "New",
        "--opened",
        "2026-04-01",
    ]);
    let err = env.err(&["stock", "receive", "CUP-2", "1", "--warehouse", "W3"], 3);
    assert!(err.contains("opened on 2026-04-01"), "{err}");
    env.err(
        &[
            "stock",
            "adjust",
            "CUP-2",
            "--warehouse",
            "W1",
            "--reason",
            "x",
        ],
        2,
    );
    env.db_check_clean();
}

#[test]
fn reorder_points_and_stock_check() {
    let env = company().build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "5",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&[
        "stock",
        "receive",
        "CUP-2",
        "50",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&[
        "products",
        "edit",
        "TEA-1",
        "--reorder-at",
        "3",
        "--warehouse",
        "W1",
    ]);
    env.ok(&["products", "edit", "CUP-2", "--reorder-at", "10"]);
    assert_eq!(env.json_code(&["stock", "check"], 0), json!([]));
    order(&env, "O1", "C1", "2026-03-02", "TEA-1:2");
    let rows = env.json(&["stock", "list", "--reorder"]);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(
        rows[0],
        json!({"warehouse": "W1", "sku": "TEA-1", "name": "Tea", "on_hand": 5, "reserved": 2,
               "available": 3, "reorder_at": 3, "value": "200.00"})
    );
    let found = env.json_code(&["stock", "check"], 4);
    assert_eq!(
        found,
        json!([{"kind": "reorder", "subject": "W1 TEA-1",
                "detail": "available 3 is at or below the reorder point 3"}])
    );
}

#[test]
fn an_import_of_shipped_history_never_refuses_and_stock_check_finds_it_negative() {
    let env = company().policy("stock.shortage", "refuse").build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "2",
        "--warehouse",
        "W1",
        "--date",
        "2026-02-01",
    ]);
    let file = env.write(
        "orders.csv",
        "order_id,order_date,customer,sku,quantity,unit_price,status,ship_date,carrier,tracking\n\
         H1,2026-02-03,C1,TEA-1,3,100,shipped,2026-02-04,SF,1\n\
         H2,2026-02-05,C1,TEA-1,1,100,completed,,,\n\
         H3,2026-02-06,C1,TEA-1,4,100,confirmed,,,\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    assert_eq!(level(&env, "W1", "TEA-1"), (-2, 4, -6));
    assert_eq!(
        moves(&env, &["--kind", "ship"]),
        vec![
            (
                "2026-02-04".into(),
                "W1".into(),
                "TEA-1".into(),
                -3,
                "ship".into()
            ),
            // No ship date: its order date.
            (
                "2026-02-05".into(),
                "W1".into(),
                "TEA-1".into(),
                -1,
                "ship".into()
            ),
        ]
    );
    let found = env.json_code(&["stock", "check"], 4);
    let kinds: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["negative", "short"]);
    assert_eq!(found[0]["detail"], json!("on hand -2 is below zero"));
    // A later export of the same orders moves H3 along: its reservation becomes a shipment.
    let file = env.write(
        "later.csv",
        "order_id,order_date,customer,sku,quantity,unit_price,status,ship_date,carrier,tracking\n\
         H3,2026-02-06,C1,TEA-1,4,100,shipped,2026-02-10,SF,3\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    assert_eq!(level(&env, "W1", "TEA-1"), (-6, 0, -6));
    assert_eq!(moves(&env, &["--kind", "ship"])[2].0, "2026-02-10");
    env.db_check_clean();
}

#[test]
fn the_report_stock_section_equals_plain_sql_over_the_moves() {
    let env = company()
        .run(&[
            "warehouses",
            "add",
            "W2",
            "--name",
            "北京仓",
            "--opened",
            "2026-01-01",
        ])
        .build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "30",
        "--warehouse",
        "W1",
        "--date",
        "2026-01-15",
    ]);
    env.ok(&[
        "stock",
        "receive",
        "CUP-2",
        "100",
        "--warehouse",
        "W1",
        "--date",
        "2026-02-02",
    ]);
    order(&env, "O1", "C1", "2026-02-03", "TEA-1:4");
    env.ok(&[
        "orders",
        "ship",
        "O1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-02-20",
    ]);
    env.ok(&["orders", "deliver", "O1", "--date", "2026-03-01"]);
    env.ok(&[
        "orders",
        "return",
        "O1",
        "--line",
        "TEA-1:1",
        "--reason",
        "r",
        "--date",
        "2026-03-02",
    ]);
    env.ok(&[
        "stock",
        "transfer",
        "CUP-2",
        "30",
        "--from",
        "W1",
        "--to",
        "W2",
        "--date",
        "2026-02-25",
    ]);
    env.ok(&[
        "stock",
        "adjust",
        "TEA-1",
        "--warehouse",
        "W1",
        "--by",
        "-2",
        "--reason",
        "盘亏",
        "--date",
        "2026-02-28",
    ]);
    // A cost change inside the period: the closing value takes the cost in force at its end.
    env.ok(&[
        "prices",
        "set",
        "TEA-1",
        "--cost",
        "45",
        "--effective",
        "2026-02-10",
        "--reason",
        "up",
    ]);
    let conn = env.conn();
    for (args, start, end) in [
        (
            vec!["report", "monthly", "--month", "2026-02"],
            "2026-02-01",
            "2026-02-28",
        ),
        (
            vec!["report", "period", "--period", "2026-02-10..2026-03-01"],
            "2026-02-10",
            "2026-03-01",
        ),
        (
            vec!["report", "annual", "--year", "2026"],
            "2026-01-01",
            "2026-12-31",
        ),
    ] {
        let report = env.json(&args);
        let want = sql_stock(&conn, start, end);
        assert_eq!(report["stock"], want, "{args:?}");
    }
    // The February figures by hand: W1 opens with 30 tea, receives 100 cups, ships 4 tea, sends 30
    // cups to W2, loses 2 tea: 94 units worth 24 × 45 + 70 × 5 = 1430.
    let feb = env.json(&["report", "monthly", "--month", "2026-02"]);
    assert_eq!(
        feb["stock"][0],
        json!({"warehouse": "W1", "name": "上海仓", "opening": 30, "received": 100, "shipped": 4,
               "returned": 0, "adjusted": -2, "transferred": -30, "closing": 94, "closing_value": "1430.00"})
    );
    let csv = env.ok(&[
        "report",
        "monthly",
        "--month",
        "2026-02",
        "--format",
        "csv",
        "--section",
        "stock",
    ]);
    assert_eq!(
        csv,
        "warehouse,name,opening,received,shipped,returned,adjusted,transferred,closing,closing_value\n\
         W1,上海仓,30,100,4,0,-2,-30,94,1430.00\n\
         W2,北京仓,0,0,0,0,0,30,30,150.00\n"
    );
    let table = env.ok(&["report", "monthly", "--month", "2026-02", "--lang", "zh"]);
    assert!(
        table.contains("库存") && table.contains("期末金额"),
        "{table}"
    );
    env.db_check_clean();
}

#[test]
fn db_check_names_a_tampered_stock_rollup() {
    let env = company().build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "10",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    order(&env, "O1", "C1", "2026-03-02", "TEA-1:3");
    env.db_check_clean();
    env.conn()
        .execute_batch(
            "UPDATE stock_monthly SET quantity = 11 WHERE kind = 'receive';
             UPDATE stock_totals SET quantity = 9 WHERE kind = 'receive';
             UPDATE stock_reserved SET quantity = 2;",
        )
        .unwrap();
    let found = env.json_code(&["db", "check"], 4);
    let subjects: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "stock_totals W1 TEA-1 receive",
            "stock_monthly W1 TEA-1 2026-03 receive",
            "stock_reserved W1 TEA-1"
        ]
    );
    // Mended, then a shipment whose move went missing is named by its order.
    env.conn()
        .execute_batch(
            "UPDATE stock_monthly SET quantity = 10 WHERE kind = 'receive';
             UPDATE stock_totals SET quantity = 10 WHERE kind = 'receive';
             UPDATE stock_reserved SET quantity = 3;",
        )
        .unwrap();
    env.ok(&[
        "orders",
        "ship",
        "O1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-03-03",
    ]);
    env.db_check_clean();
    env.conn()
        .execute_batch(
            "DELETE FROM stock_moves WHERE kind = 'ship';
             UPDATE stock_monthly SET quantity = 0 WHERE kind = 'ship';
             UPDATE stock_totals SET quantity = 0 WHERE kind = 'ship';
             UPDATE stock_warehouse_monthly SET quantity = 0 WHERE kind = 'ship';",
        )
        .unwrap();
    let found = env.json_code(&["db", "check"], 4);
    assert_eq!(
        found[0]["subject"],
        json!("stock_moves ship O1 TEA-1"),
        "{found}"
    );
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[test]
fn warehouses_are_kept_like_the_other_records() {
    let env = company().build();
    let err = env.err(
        &["warehouses", "add", "W9", "--name", "X", "--serves", "E"],
        3,
    );
    assert!(
        err.contains("region E is served by warehouse W1 already"),
        "{err}"
    );
    env.ok(&[
        "warehouses",
        "add",
        "W2",
        "--name",
        "北京仓",
        "--serves",
        "East 2",
    ]);
    assert_eq!(
        env.json(&["warehouses", "show", "W2"]),
        json!({"code": "W2", "name": "北京仓", "serves": ["E2"], "opened": "2026-03-16"})
    );
    // An order of 江苏 now ships from W2, the warehouse of its own region.
    order(&env, "O1", "C2", "2026-03-16", "CUP-2:1");
    assert_eq!(level(&env, "W2", "CUP-2"), (0, 1, -1));
    let err = env.err(&["warehouses", "edit", "W2", "--opened", "2026-01-01"], 3);
    assert!(err.contains("fixed while 1 orders refer to it"), "{err}");
    let err = env.err(&["warehouses", "remove", "W2", "--yes"], 3);
    assert!(err.contains("1 orders"), "{err}");
    env.ok(&["warehouses", "add", "W3", "--name", "Spare"]);
    env.err(&["warehouses", "remove", "W3"], 2);
    env.ok(&["warehouses", "remove", "W3", "--yes"]);
    let export = env.ok(&["warehouses", "export"]);
    assert_eq!(
        export,
        "code,name,serves,opened\nW1,上海仓,E,2026-01-01\nW2,北京仓,E2,2026-03-16\n"
    );
    let copy = Env::new();
    let file = env.write("w.csv", &export);
    copy.ok(&["regions", "add", "E", "--name", "East"]);
    copy.ok(&["regions", "add", "E2", "--name", "East 2", "--parent", "E"]);
    copy.ok(&["warehouses", "import", file.to_str().unwrap()]);
    assert_eq!(copy.ok(&["warehouses", "export"]), export);
    let bad = env.write(
        "bad.csv",
        "code,name,serves,opened\nW5,Five,NOPE,2026-01-01\n",
    );
    let err = env.err(&["warehouses", "import", bad.to_str().unwrap()], 3);
    assert!(
        err.contains("bad.csv:2") && err.contains("serves") && err.contains("NOPE"),
        "{err}"
    );
}

#[test]
fn moves_export_and_import_round_trip_and_a_bad_row_names_its_place() {
    let env = company().build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "10",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
        "--note",
        "首批",
    ]);
    env.ok(&[
        "stock",
        "adjust",
        "TEA-1",
        "--warehouse",
        "W1",
        "--by",
        "-1",
        "--reason",
        "破损",
        "--date",
        "2026-03-02",
    ]);
    order(&env, "O1", "C1", "2026-03-02", "TEA-1:3");
    env.ok(&[
        "orders",
        "ship",
        "O1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-03-03",
    ]);
    let export = env.ok(&["stock", "export"]);
    assert_eq!(
        export,
        "date,warehouse,sku,quantity,kind,reference,note\n\
         2026-03-01,W1,TEA-1,10,receive,,首批\n\
         2026-03-02,W1,TEA-1,-1,adjust,,破损\n"
    );
    let file = env.write("moves.csv", &export);
    // The same moves again add nothing.
    let out = env.err(&["stock", "import", file.to_str().unwrap()], 0);
    assert!(out.contains("0 created, 0 updated, 2 skipped"), "{out}");
    assert_eq!(level(&env, "W1", "TEA-1"), (6, 0, 6));
    let bad = env.write(
        "bad.csv",
        "date,warehouse,sku,quantity,kind\n2026-03-05,W1,TEA-1,5,receive\n2026-03-05,W1,TEA-1,3x,receive\n2026-03-05,W1,TEA-1,1,ship\n",
    );
    let err = env.err(&["stock", "import", bad.to_str().unwrap()], 3);
    assert!(
        err.contains("bad.csv:3") && err.contains("quantity") && err.contains("3x"),
        "{err}"
    );
    assert!(err.contains("bad.csv:4") && err.contains("kind"), "{err}");
    assert_eq!(level(&env, "W1", "TEA-1"), (6, 0, 6));
    env.db_check_clean();
}

#[test]
fn two_writers_confirming_the_last_units_at_once_never_both_succeed_under_refuse() {
    let env = company().policy("stock.shortage", "refuse").build();
    env.ok(&[
        "stock",
        "receive",
        "TEA-1",
        "5",
        "--warehouse",
        "W1",
        "--date",
        "2026-03-01",
    ]);
    for round in 0..4 {
        let ids = [format!("A{round}"), format!("B{round}")];
        let children: Vec<_> = ids
            .iter()
            .map(|id| {
                env.process(&[
                    "orders",
                    "add",
                    "--id",
                    id,
                    "--customer",
                    "C1",
                    "--date",
                    "2026-03-10",
                    "--line",
                    "TEA-1:5",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
            })
            .collect();
        let codes: Vec<i32> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(sorted, [0, 3], "round {round}: {codes:?}");
        assert_eq!(level(&env, "W1", "TEA-1"), (5, 5, 0));
        // Free the units for the next round.
        let won = &ids[codes.iter().position(|c| *c == 0).unwrap()];
        env.ok(&["orders", "cancel", won, "--reason", "again", "--yes"]);
    }
    env.db_check_clean();
}

/// A small deterministic random stream (xorshift64*), seeded by `common::test_seed`.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[test]
fn any_walk_of_stock_writes_keeps_levels_the_report_and_db_check_equal_to_the_moves() {
    let seed = common::test_seed("stock walk");
    let mut draw = Draw(seed | 1);
    let env = company()
        .run(&[
            "warehouses",
            "add",
            "W2",
            "--name",
            "北京仓",
            "--opened",
            "2026-02-01",
        ])
        .rep("E09", "Sup", "E")
        .role("supervisor")
        .build();
    let skus = ["TEA-1", "CUP-2"];
    let warehouses = ["W1", "W2"];
    let mut orders: Vec<String> = Vec::new();
    let mut done = 0;
    for step in 0..120 {
        // A day from 1 January to 15 March (today is 16 March).
        let day = (chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            + chrono::Days::new(draw.below(74)))
        .to_string();
        let sku = skus[draw.below(2) as usize];
        let w = warehouses[draw.below(2) as usize];
        let q = (1 + draw.below(9)).to_string();
        let received = (10 + draw.below(30)).to_string();
        let id = format!("O{step}");
        let customer = ["C1", "C2"][draw.below(2) as usize];
        let line = format!("{sku}:{q}");
        let discounted = format!("{sku}:{q}@{}", if sku == "TEA-1" { "80" } else { "16" });
        let pick = |draw: &mut Draw, orders: &[String]| -> Option<String> {
            (!orders.is_empty()).then(|| orders[draw.below(orders.len() as u64) as usize].clone())
        };
        let args: Vec<String> = match draw.below(11) {
            0 | 1 => vec![
                "stock",
                "receive",
                sku,
                &received,
                "--warehouse",
                w,
                "--date",
                &day,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            2 => vec![
                "stock",
                "adjust",
                sku,
                "--warehouse",
                w,
                "--by",
                &format!("-{q}"),
                "--reason",
                "count",
                "--date",
                &day,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            3 => vec![
                "stock",
                "transfer",
                sku,
                &q,
                "--from",
                w,
                "--to",
                if w == "W1" { "W2" } else { "W1" },
                "--date",
                &day,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            4 | 5 => {
                orders.push(id.clone());
                let l = if draw.below(4) == 0 { discounted } else { line };
                let mut a = vec![
                    "orders",
                    "add",
                    "--id",
                    &id,
                    "--customer",
                    customer,
                    "--date",
                    &day,
                    "--line",
                    &l,
                ];
                if draw.below(3) == 0 {
                    a.extend(["--warehouse", w]);
                }
                a.into_iter().map(String::from).collect()
            }
            6 => match pick(&mut draw, &orders) {
                Some(o) => vec![
                    "orders".into(),
                    "approve".into(),
                    o,
                    "--by".into(),
                    "E09".into(),
                ],
                None => continue,
            },
            7 => match pick(&mut draw, &orders) {
                Some(o) => vec![
                    "orders".into(),
                    "ship".into(),
                    o,
                    "--carrier".into(),
                    "SF".into(),
                    "--tracking".into(),
                    "1".into(),
                    "--date".into(),
                    "2026-03-15".into(),
                ],
                None => continue,
            },
            8 => match pick(&mut draw, &orders) {
                Some(o) => vec![
                    "orders".into(),
                    "deliver".into(),
                    o,
                    "--date".into(),
                    "2026-03-15".into(),
                ],
                None => continue,
            },
            9 => match pick(&mut draw, &orders) {
                Some(o) => {
                    let restock = draw.below(2) == 0;
                    let mut a: Vec<String> = vec![
                        "orders".into(),
                        "return".into(),
                        o,
                        "--line".into(),
                        "#1:1".into(),
                        "--reason".into(),
                        "r".into(),
                        "--date".into(),
                        "2026-03-16".into(),
                    ];
                    if !restock {
                        a.push("--no-restock".into());
                    }
                    a
                }
                None => continue,
            },
            _ => match pick(&mut draw, &orders) {
                Some(o) => vec![
                    "orders".into(),
                    "cancel".into(),
                    o,
                    "--reason".into(),
                    "x".into(),
                    "--yes".into(),
                ],
                None => continue,
            },
        };
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&words);
        done += i32::from(out.status.code() == Some(0));
        if std::env::var_os("STOCK_WALK_TRACE").is_some() {
            eprintln!(
                "{words:?} -> {:?} {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        // A refused step (exit 3: a flow the status does not allow, units not on hand) changes nothing.
        assert!(
            matches!(out.status.code(), Some(0) | Some(3)),
            "seed {seed} step {step}: {words:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let conn = env.conn();
    let kinds: i64 = conn
        .query_row("SELECT COUNT(DISTINCT kind) FROM stock_moves", [], |r| {
            r.get(0)
        })
        .unwrap();
    eprintln!("seed {seed}: {done} of 120 steps written, {kinds} kinds of move");
    // Levels: on hand is the sum of the moves up to today, reserved the units of confirmed orders.
    for w in warehouses {
        for sku in skus {
            let on_hand: i64 = conn
                .query_row(
                    "SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE warehouse = ?1 AND sku = ?2
                     AND date <= '2026-03-16'",
                    [w, sku],
                    |r| r.get(0),
                )
                .unwrap();
            let reserved: i64 = conn
                .query_row(
                    "SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
                     JOIN warehouses w ON w.code = o.warehouse
                     WHERE o.status = 'confirmed' AND o.warehouse = ?1 AND l.sku = ?2 AND o.order_date >= w.opened",
                    [w, sku],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                level(&env, w, sku),
                (on_hand, reserved, on_hand - reserved),
                "seed {seed}: {w} {sku}"
            );
        }
    }
    for (start, end) in [
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
        ("2026-01-15", "2026-03-16"),
        ("2026-03-01", "2026-03-31"),
    ] {
        let report = env.json(&["report", "period", "--period", &format!("{start}..{end}")]);
        assert_eq!(
            report["stock"],
            sql_stock(&conn, start, end),
            "seed {seed}: {start}..{end}"
        );
    }
    env.db_check_clean_after(&format!("seed {seed}"));
}

/// A SKU the warehouse has never received, counted or transferred has no count to be short against:
/// its order is confirmed and shipped without a warning or a refusal (even under `refuse`), the
/// shipment is a move, and `stock check` shows the warehouse below zero. Once the warehouse counts
/// the SKU, the rules apply to it like any other.
#[test]
fn a_sku_the_warehouse_never_counted_ships_and_shows_below_zero() {
    let env = company().build();
    env.ok(&["policy", "set", "stock.shortage", "refuse"]);
    let out = order(&env, "U1", "C1", "2026-03-02", "CUP-2:3");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
    env.ok(&[
        "orders",
        "ship",
        "U1",
        "--carrier",
        "SF",
        "--tracking",
        "1",
        "--date",
        "2026-03-03",
    ]);
    assert_eq!(status(&env, "U1"), "shipped");
    assert_eq!(level(&env, "W1", "CUP-2"), (-3, 0, -3));
    let found = env.json_code(&["stock", "check"], 4);
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "negative" && f["subject"].as_str().unwrap().contains("CUP-2")),
        "{found}"
    );
    // A stock-take sets the count: from then on a shortfall is refused.
    env.ok(&[
        "stock",
        "adjust",
        "CUP-2",
        "--warehouse",
        "W1",
        "--to",
        "1",
        "--reason",
        "盘点",
        "--date",
        "2026-03-04",
    ]);
    let refused = order(&env, "U2", "C1", "2026-03-05", "CUP-2:2");
    assert_eq!(refused.status.code(), Some(3));
    env.db_check_clean();
}
