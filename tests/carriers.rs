//! `carriers …` through the binary: the catalogue with its delivery promise, freight from `orders
//! ship --freight` and from order files, shipments matched to carriers by code or name in any case
//! (or reported under their own text), the report's every figure by hand (zero bases included), and
//! `carriers check` on both sides of the stuck day and of the on-time share.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Region E, TEA-1 at 100 (cost 40), customer C1; carriers SF (顺丰速运, 2 days) and YT (圆通, the
/// policy's 3 days).
fn company() -> Env {
    Company::east()
        .customer("C1", "One", "上海")
        .owner("E01")
        .run(&[
            "carriers",
            "add",
            "SF",
            "--name",
            "顺丰速运",
            "--promise-days",
            "2",
        ])
        .run(&["carriers", "add", "YT", "--name", "圆通"])
        .build()
}

/// An order of `qty` TEA-1 on `date`, shipped on `shipped` by `carrier` for `freight`, delivered on
/// `delivered` when given.
fn shipment(
    env: &Env,
    id: &str,
    qty: u32,
    (date, shipped, delivered): (&str, &str, Option<&str>),
    carrier: &str,
    freight: &str,
) {
    env.ok(&[
        "orders",
        "add",
        "--id",
        id,
        "--customer",
        "C1",
        "--date",
        date,
        "--line",
        &format!("TEA-1:{qty}"),
    ]);
    env.ok(&[
        "orders",
        "ship",
        id,
        "--carrier",
        carrier,
        "--tracking",
        &format!("T-{id}"),
        "--date",
        shipped,
        "--freight",
        freight,
    ]);
    if let Some(d) = delivered {
        env.ok(&["orders", "deliver", id, "--date", d]);
    }
}

/// March's shipments:
/// - O1 2 × 100, by "sf" on 03-01 for 15, delivered 03-03 (2 days: on time); one piece back (quality).
/// - O2 1 × 100, by "顺丰速运" on 03-02 for 10, delivered 03-05 (3 days: late).
/// - O3 2 × 100, by "SF" on 03-06 for 20, on the way.
/// - O4 1 × 100, by "EMS" (no such carrier) on 03-03 for 8, delivered 03-06 (3 days, the default
///   promise: on time).
/// - W1 from an order file: shipped by YT on 03-10 for 12.
fn march() -> Env {
    let env = company();
    shipment(
        &env,
        "O1",
        2,
        ("2026-03-01", "2026-03-01", Some("2026-03-03")),
        "sf",
        "15",
    );
    shipment(
        &env,
        "O2",
        1,
        ("2026-03-01", "2026-03-02", Some("2026-03-05")),
        "顺丰速运",
        "10",
    );
    shipment(
        &env,
        "O3",
        2,
        ("2026-03-02", "2026-03-06", None),
        "SF",
        "20",
    );
    shipment(
        &env,
        "O4",
        1,
        ("2026-03-02", "2026-03-03", Some("2026-03-06")),
        "EMS",
        "8",
    );
    env.ok(&[
        "orders",
        "return",
        "O1",
        "--line",
        "TEA-1:1",
        "--reason",
        "crushed",
        "--kind",
        "quality",
        "--date",
        "2026-03-10",
    ]);
    let file = env.write(
        "orders.csv",
        "order_id,order_date,customer,sku,quantity,amount,status,ship_date,carrier,tracking,freight\n\
         W1,2026-03-09,C1,TEA-1,1,100,shipped,2026-03-10,YT,YT1,12\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    env
}

fn row<'a>(rows: &'a Value, carrier: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["carrier"] == carrier)
        .unwrap_or_else(|| panic!("no carrier {carrier} in {rows}"))
}

#[test]
fn every_figure_of_the_report_is_the_hand_worked_one() {
    let env = march();
    let rows = env.json(&["carriers", "report", "--period", "2026-03"]);
    // SF: O1, O2 and O3 (by code, by name and in another case). Delivered 2, on time 1 (O1 in 2
    // days), late 1 (O2 in 3), on the way 1: 50%; (2 + 3) / 2 = 2.5 days. Freight 45, 15 a shipment;
    // net revenue 200 − 100 + 100 + 200 = 400: 45 / 400 = 11.25% → 11.3. One quality return.
    assert_eq!(
        row(&rows, "SF"),
        &json!({"carrier": "SF", "name": "顺丰速运", "shipments": 3, "delivered": 2, "on_time": 1,
                "on_time_pct": 50.0, "avg_days": 2.5, "late": 1, "in_transit": 1, "freight": "45.00",
                "freight_per_shipment": "15.00", "freight_pct": 11.3, "quality_returns": 1})
    );
    // EMS is no carrier: reported under its text, judged by the policy's 3 days.
    assert_eq!(
        row(&rows, "EMS"),
        &json!({"carrier": "EMS", "name": null, "shipments": 1, "delivered": 1, "on_time": 1,
                "on_time_pct": 100.0, "avg_days": 3.0, "late": 0, "in_transit": 0, "freight": "8.00",
                "freight_per_shipment": "8.00", "freight_pct": 8.0, "quality_returns": 0})
    );
    // YT: on the way, nothing delivered: the ratios over deliveries are null.
    assert_eq!(
        row(&rows, "YT"),
        &json!({"carrier": "YT", "name": "圆通", "shipments": 1, "delivered": 0, "on_time": 0,
                "on_time_pct": null, "avg_days": null, "late": 0, "in_transit": 1, "freight": "12.00",
                "freight_per_shipment": "12.00", "freight_pct": 12.0, "quality_returns": 0})
    );
    // February shipped nothing.
    assert_eq!(
        env.json(&["carriers", "report", "--period", "2026-02"]),
        json!([])
    );
    env.db_check_clean();
}

#[test]
fn freight_agrees_with_plain_sql_and_corrections_move_it() {
    let env = march();
    let total: i64 = env
        .conn()
        .query_row(
            "SELECT SUM(freight) FROM orders WHERE ship_date LIKE '2026-03-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total, 650_000);
    // A correction of a shipped order's freight and carrier moves its figures.
    env.ok(&[
        "orders",
        "ship",
        "O3",
        "--carrier",
        "YT",
        "--tracking",
        "T-O3",
        "--date",
        "2026-03-06",
        "--freight",
        "25",
    ]);
    let rows = env.json(&["carriers", "report", "--period", "2026-03"]);
    assert_eq!(row(&rows, "SF")["shipments"], 2);
    assert_eq!(row(&rows, "SF")["freight"], "25.00");
    assert_eq!(row(&rows, "YT")["shipments"], 2);
    assert_eq!(row(&rows, "YT")["freight"], "37.00");
    assert_eq!(
        env.json(&["orders", "show", "O3"])["order"]["freight"],
        "25.00"
    );
    // Freight leaves in the export and comes back from it.
    let export = env.ok(&["orders", "export"]);
    assert!(export
        .lines()
        .next()
        .unwrap()
        .ends_with(",tracking,campaign,freight,warehouse"));
    assert!(export.contains(",T-O3,,25.00,\n"), "{export}");
    env.db_check_clean();
}

#[test]
fn a_shipment_is_stuck_only_after_its_promise_and_the_stuck_days() {
    let env = march();
    // O3: shipped 03-06 by SF (2 days) + 7 = 9 days: still fine on 03-15, stuck on 03-16.
    let on_15 = env.json_code(&["carriers", "check", "--today", "2026-03-15"], 0);
    assert_eq!(on_15, json!([]));
    let on_16 = env.json_code(&["carriers", "check", "--today", "2026-03-16"], 4);
    assert_eq!(
        on_16,
        json!([{"kind": "stuck", "subject": "O3",
                "detail": "shipped 2026-03-06 by SF, 10 days ago, not delivered (promise 2 + 7 days)"}])
    );
    // W1 by YT (3 days) from 03-10: stuck after 10 days, on 03-21.
    let on_20 = env.json_code(&["carriers", "check", "--today", "2026-03-20"], 4);
    assert_eq!(on_20.as_array().unwrap().len(), 1);
    let on_21 = env.json_code(&["carriers", "check", "--today", "2026-03-21"], 4);
    assert_eq!(on_21.as_array().unwrap().len(), 2);
    // Delivered, it is stuck no more; the policy's stuck days move the boundary.
    env.ok(&["orders", "deliver", "O3", "--date", "2026-03-16"]);
    env.ok(&["policy", "set", "logistics.stuck_days", "20"]);
    assert_eq!(
        env.json_code(&["carriers", "check", "--today", "2026-03-21"], 0),
        json!([])
    );
}

#[test]
fn late_rate_needs_twenty_deliveries_below_the_minimum_share() {
    let env = company();
    // 18 on time (2 days) and 2 late (4 days) by SF: 20 deliveries, 90%: the minimum is reached.
    for i in 0..20 {
        let delivered = if i < 18 { "2026-03-03" } else { "2026-03-05" };
        shipment(
            &env,
            &format!("L{i:02}"),
            1,
            ("2026-03-01", "2026-03-01", Some(delivered)),
            "SF",
            "5",
        );
    }
    assert_eq!(env.json_code(&["carriers", "check"], 0), json!([]));
    // One more late: 18 of 21, 85.7%.
    shipment(
        &env,
        "L20",
        1,
        ("2026-03-01", "2026-03-01", Some("2026-03-05")),
        "SF",
        "5",
    );
    assert_eq!(
        env.json_code(&["carriers", "check"], 4),
        json!([{"kind": "late_rate", "subject": "SF",
                "detail": "18 of 21 deliveries on time in the last 90 days (85.7%), below 90.0%"}])
    );
    // The window is the trailing 90 days: on 06-03 it starts on 03-06, after every delivery.
    assert_eq!(
        env.json_code(&["carriers", "check", "--today", "2026-06-03"], 0),
        json!([])
    );
    env.db_check_clean();
}

#[test]
fn catalogue_round_trips_and_refuses_what_it_must() {
    let env = march();
    let out = env.ok(&["carriers", "export"]);
    assert_eq!(out, "code,name,promise_days\nSF,顺丰速运,2\nYT,圆通,3\n");
    let fresh = Company::east().build();
    let file = fresh.write("carriers.csv", &out);
    fresh.ok(&["carriers", "import", file.to_str().unwrap()]);
    assert_eq!(fresh.ok(&["carriers", "export"]), out);
    // A carrier shipped orders name is kept for their record.
    let err = env.err(&["carriers", "remove", "SF", "--yes"], 3);
    assert!(err.contains("O1"), "{err}");
    // A promise changed by edit judges the shipments again: O2's 3 days are on time with 3.
    env.ok(&["carriers", "edit", "SF", "--promise-days", "3"]);
    let rows = env.json(&["carriers", "report", "--period", "2026-03"]);
    assert_eq!(row(&rows, "SF")["on_time"], 2);
    // A bad freight is refused naming the flag; a bad file row names file, line, column and value.
    let err = env.err(
        &[
            "orders",
            "ship",
            "O3",
            "--carrier",
            "SF",
            "--tracking",
            "X",
            "--freight",
            "-3",
        ],
        3,
    );
    assert!(err.contains("--freight"), "{err}");
    let bad = env.write(
        "bad.csv",
        "order_id,order_date,customer,sku,quantity,amount,freight\nB1,2026-03-09,C1,TEA-1,1,100,lots\n",
    );
    let err = env.err(&["orders", "import", bad.to_str().unwrap()], 3);
    assert!(
        err.contains("bad.csv:2: column \"freight\": \"lots\""),
        "{err}"
    );
    env.db_check_clean();
}

#[test]
fn a_later_export_of_the_same_orders_moves_them_along_and_db_check_names_a_broken_rollup() {
    let env = march();
    // The platform's next export says W1 arrived: completed, with no delivery date in the file.
    let file = env.write(
        "later.csv",
        "order_id,order_date,customer,sku,quantity,amount,status,ship_date,carrier,tracking,freight\n\
         W1,2026-03-09,C1,TEA-1,1,100,completed,2026-03-10,YT,YT1,12\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    let rows = env.json(&["carriers", "report", "--period", "2026-03"]);
    let yt = row(&rows, "YT");
    assert_eq!(
        (
            &yt["shipments"],
            &yt["delivered"],
            &yt["on_time"],
            &yt["late"],
            &yt["in_transit"]
        ),
        (&json!(1), &json!(1), &json!(0), &json!(0), &json!(0))
    );
    assert!(yt["on_time_pct"].is_null());
    env.db_check_clean();
    // A rollup row changed behind salesops' back is named by db check.
    env.conn()
        .execute_batch("UPDATE carrier_daily SET freight = freight + 1 WHERE carrier = 'EMS'")
        .unwrap();
    let found = env.json_code(&["db", "check"], 4);
    assert_eq!(found[0]["subject"], "carrier_daily EMS 2026-03-03");
}
