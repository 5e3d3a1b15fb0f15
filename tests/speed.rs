//! The write paths and rollups made for speed (docs/performance.md): shipments written several moves
//! to a statement with their sums gathered until the ledger flushes, the per-warehouse stock rollup
//! of schema version 6 (kept, verified by `db check`, filled by the migration) and the report's
//! stock section read from it.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Region E, customer C1 (上海), products TEA-1 (cost 40) and CUP-2 (cost 5), warehouse W1 serving E
/// since 2026-01-01 with 1000 of each received on opening.
fn company() -> Env {
    let env = Company::east()
        .product("CUP-2", "Cup", "20", "5")
        .customer("C1", "One", "上海")
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
        .build();
    for sku in ["TEA-1", "CUP-2"] {
        env.ok(&[
            "stock",
            "receive",
            sku,
            "1000",
            "--warehouse",
            "W1",
            "--date",
            "2026-01-01",
        ]);
    }
    env
}

/// The report's stock row of W1 for `month`.
fn stock_row(env: &Env, month: &str) -> Value {
    let report = env.json(&["report", "monthly", "--month", month]);
    let rows = report["stock"].as_array().cloned().unwrap_or_default();
    rows.into_iter()
        .find(|r| r["warehouse"] == json!("W1"))
        .unwrap_or(Value::Null)
}

#[test]
fn an_imported_order_of_nine_shipped_lines_moves_stock_in_two_statements_and_stays_exact() {
    let env = company();
    // Nine lines: one statement of eight moves, then one of one. A second order in March, and one
    // confirmed (reserved, no move).
    let mut csv =
        String::from("order_id,order_date,customer,sku,quantity,unit_price,status,ship_date\n");
    for i in 1..=9 {
        let sku = if i % 2 == 0 { "CUP-2" } else { "TEA-1" };
        csv.push_str(&format!(
            "B1,2026-02-03,C1,{sku},{i},100,shipped,2026-02-04\n"
        ));
    }
    csv.push_str("B2,2026-03-05,C1,TEA-1,7,100,completed,2026-03-06\n");
    csv.push_str("B3,2026-03-07,C1,CUP-2,2,100,confirmed,\n");
    let file = env.write("orders.csv", &csv);
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    let conn = env.conn();
    let moves: Vec<(String, String, i64)> = conn
        .prepare("SELECT reference, sku, quantity FROM stock_moves WHERE kind = 'ship' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(moves.len(), 10);
    for (i, (reference, sku, q)) in moves.iter().take(9).enumerate() {
        let n = i as i64 + 1;
        assert_eq!(reference, "B1");
        assert_eq!(sku, if n % 2 == 0 { "CUP-2" } else { "TEA-1" });
        assert_eq!(*q, -n);
    }
    assert_eq!(moves[9], ("B2".into(), "TEA-1".into(), -7));
    // TEA-1 shipped 1+3+5+7+9 = 25 in February, 7 in March; CUP-2 2+4+6+8 = 20; B3 reserves 2.
    let rollup: Vec<(String, String, i64)> = conn
        .prepare("SELECT month, kind, quantity FROM stock_warehouse_monthly ORDER BY month, kind")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rollup,
        vec![
            ("2026-01".into(), "receive".into(), 2000),
            ("2026-02".into(), "ship".into(), -45),
            ("2026-03".into(), "ship".into(), -7),
        ]
    );
    env.db_check_clean();
    // February: opening 2000, 45 shipped, closing 1955 worth 975 TEA-1 × 40 + 980 CUP-2 × 5
    // = 39000 + 4900; read with March's moves after it (the month index).
    let feb = stock_row(&env, "2026-02");
    assert_eq!(feb["opening"], json!(2000), "{feb}");
    assert_eq!(feb["shipped"], json!(45), "{feb}");
    assert_eq!(feb["closing"], json!(1955), "{feb}");
    assert_eq!(feb["closing_value"], json!("43900.00"), "{feb}");
    let mar = stock_row(&env, "2026-03");
    assert_eq!(
        (
            mar["opening"].clone(),
            mar["shipped"].clone(),
            mar["closing"].clone()
        ),
        (json!(1955), json!(7), json!(1948)),
        "{mar}"
    );
    assert_eq!(mar["closing_value"], json!("43620.00"), "{mar}");
}

#[test]
fn db_check_names_a_tampered_warehouse_rollup_and_the_migration_fills_it() {
    let env = company();
    let file = env.write(
        "orders.csv",
        "order_id,order_date,customer,sku,quantity,unit_price,status,ship_date\n\
         B1,2026-02-03,C1,TEA-1,3,100,shipped,2026-02-04\n\
         B2,2026-03-03,C1,CUP-2,4,100,shipped,2026-03-04\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    env.db_check_clean();
    let before = (stock_row(&env, "2026-02"), stock_row(&env, "2026-03"));
    env.conn()
        .execute_batch("UPDATE stock_warehouse_monthly SET quantity = -4 WHERE month = '2026-02'")
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
        ["stock_warehouse_monthly W1 2026-02 ship"],
        "{found}"
    );
    // Back to version 5 (as a file written before this rollup), then opened: the migration fills
    // it from the month rollup, and the reports are what they were.
    if common::sqlite_only("the migration part: a file taken back to version 5") {
        return;
    }
    env.conn()
        .execute_batch(&format!("{} PRAGMA user_version = 5;", common::UNDO_V6))
        .unwrap();
    env.db_check_clean();
    assert_eq!(
        (stock_row(&env, "2026-02"), stock_row(&env, "2026-03")),
        before
    );
}

/// (rows, Σ quantity) of the ship moves, and the ship sums of each stock rollup.
fn shipped(env: &Env) -> (i64, i64, i64, i64, i64) {
    env.conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM stock_moves WHERE kind = 'ship'),
                    (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE kind = 'ship'),
                    (SELECT COALESCE(SUM(quantity), 0) FROM stock_monthly WHERE kind = 'ship'),
                    (SELECT COALESCE(SUM(quantity), 0) FROM stock_totals WHERE kind = 'ship'),
                    (SELECT COALESCE(SUM(quantity), 0) FROM stock_warehouse_monthly WHERE kind = 'ship')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

#[test]
fn a_bad_last_row_past_a_batch_flush_writes_nothing_and_the_good_file_writes_every_sum() {
    let env = company();
    // 20,000 shipped orders of three lines over three months: the ledger flushes its batch (50,000
    // entries) during the import, so sums are written before the bad row is read.
    let mut csv =
        String::from("order_id,order_date,customer,sku,quantity,unit_price,status,ship_date\n");
    let mut units = 0i64;
    for o in 0..20_000 {
        let month = 2 + o % 3;
        for l in 0..3 {
            let sku = if l == 1 { "CUP-2" } else { "TEA-1" };
            let q = 1 + (o + l) % 2;
            units += q as i64;
            csv.push_str(&format!(
                "B{o:05},2026-0{month}-10,C1,{sku},{q},100,shipped,2026-0{month}-11\n"
            ));
        }
    }
    let good = env.write("good.csv", &csv);
    csv.push_str("B99999,2026-04-10,C1,TEA-1,many,100,shipped,2026-04-11\n");
    let bad = env.write("bad.csv", &csv);
    let out = env.run(&["orders", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:60002: column \"quantity\""), "{err}");
    assert_eq!(shipped(&env), (0, 0, 0, 0, 0));
    let orders: i64 = env
        .conn()
        .query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orders, 0);
    env.db_check_clean();
    env.ok(&["orders", "import", good.to_str().unwrap()]);
    assert_eq!(shipped(&env), (60_000, -units, -units, -units, -units));
    env.db_check_clean();
}
