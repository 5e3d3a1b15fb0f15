//! `orders …` and `payments …` through the binary: the line syntax, approval, the status flow,
//! returns, payments, receivables aging, attribution, listings, and `db check` after all of it.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Regions E (江苏, 浙江) with sub-region E-SH (上海), and W (四川); reps of every role; two products
/// (one SKU with dashes); customers C1 (上海, owner SH03, policy terms) and C2 (四川, owner W01, 60 days).
fn company() -> Env {
    Company::new()
        .region("E", "East")
        .sub_region("E-SH", "Shanghai", "E")
        .region("W", "West")
        .assign("E", &["江苏", "浙江"])
        .assign("E-SH", &["上海"])
        .assign("W", &["四川"])
        .rep("E01", "E01", "E")
        .role("manager")
        .rep("E02", "E02", "E")
        .role("supervisor")
        .rep("SH01", "SH01", "E-SH")
        .role("manager")
        .rep("SH02", "SH02", "E-SH")
        .role("supervisor")
        .rep("SH03", "SH03", "E-SH")
        .role("rep")
        .rep("W01", "W01", "W")
        .role("supervisor")
        .product("TEA-01-A", "Tea", "100", "40")
        .product("CUP", "Cup", "50", "20.5")
        .customer("C1", "One", "上海")
        .owner("SH03")
        .with(&["--channel", "online"])
        .customer("C2", "Two", "四川")
        .owner("W01")
        .with(&["--terms-days", "60"])
        .build()
}

fn add(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["orders", "add"];
    all.extend(args);
    env.ok(&all).trim().to_string()
}

fn show(env: &Env, id: &str) -> Value {
    env.json(&["orders", "show", id])
}

fn status(env: &Env, id: &str) -> String {
    show(env, id)["order"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn add_parses_quantity_price_discount_and_a_sku_with_dashes() {
    let env = company();
    let id = add(
        &env,
        &[
            "--id",
            "A1",
            "--customer",
            "C1",
            "--date",
            "2026-03-02",
            "--line",
            "TEA-01-A:3",
            "--line",
            "TEA-01-A:2@95.5",
            "--line",
            "CUP:4-5%",
            "--line",
            "CUP:1@48-0.05",
        ],
    );
    assert_eq!(id, "A1");
    let o = show(&env, "A1");
    let lines: Vec<Value> = o["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!([
                l["line_no"],
                l["sku"],
                l["quantity"],
                l["unit_price"],
                l["amount"],
                l["cost"]
            ])
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            json!([1, "TEA-01-A", 3, "100.00", "300.00", "120.00"]),
            json!([2, "TEA-01-A", 2, "95.50", "191.00", "80.00"]),
            json!([3, "CUP", 4, "50.00", "190.00", "82.00"]),
            json!([4, "CUP", 1, "48.00", "45.60", "20.50"]),
        ]
    );
    assert_eq!(o["order"]["amount"], "726.60");
    assert_eq!(o["order"]["status"], "confirmed");
    assert_eq!(o["order"]["due_date"], "2026-04-01");
    env.db_check_clean();
}

#[test]
fn add_generates_ids_per_date_and_refuses_a_duplicate_id() {
    let env = company();
    let a = add(
        &env,
        &[
            "--customer",
            "C1",
            "--date",
            "2026-03-02",
            "--line",
            "CUP:1",
        ],
    );
    let b = add(
        &env,
        &[
            "--customer",
            "C1",
            "--date",
            "2026-03-02",
            "--line",
            "CUP:1",
        ],
    );
    let c = add(&env, &["--customer", "C1", "--line", "CUP:1"]);
    assert_eq!(
        (a.as_str(), b.as_str(), c.as_str()),
        ("O20260302-001", "O20260302-002", "O20260316-001")
    );
    let err = env.err(
        &[
            "orders",
            "add",
            "--id",
            &a,
            "--customer",
            "C1",
            "--line",
            "CUP:1",
        ],
        3,
    );
    assert!(err.contains("exists already"), "{err}");
    let err = env.err(
        &["orders", "add", "--customer", "C1", "--line", "NOPE:1"],
        3,
    );
    assert!(err.contains("NOPE"), "{err}");
}

#[test]
fn discount_above_the_threshold_waits_for_approval_but_not_at_exactly_it() {
    let env = company();
    add(
        &env,
        &["--id", "AT", "--customer", "C1", "--line", "TEA-01-A:1-10%"],
    );
    assert_eq!(status(&env, "AT"), "confirmed");
    add(
        &env,
        &["--id", "AT2", "--customer", "C1", "--line", "TEA-01-A:1@90"],
    );
    assert_eq!(status(&env, "AT2"), "confirmed");
    add(
        &env,
        &[
            "--id",
            "OVER",
            "--customer",
            "C1",
            "--line",
            "TEA-01-A:1-10.01%",
        ],
    );
    assert_eq!(status(&env, "OVER"), "pending_approval");
    // a lower price counts as a discount
    add(
        &env,
        &[
            "--id",
            "LOW",
            "--customer",
            "C1",
            "--line",
            "TEA-01-A:1@89.99",
        ],
    );
    assert_eq!(status(&env, "LOW"), "pending_approval");
    // a held order does not count: not in receivables
    let r = env.json(&["orders", "receivables"]);
    assert_eq!(r["outstanding"], "180.00");
    env.db_check_clean();
}

#[test]
fn approval_needs_a_supervisor_or_manager_of_the_region_or_above() {
    let env = company();
    add(
        &env,
        &["--id", "P1", "--customer", "C1", "--line", "TEA-01-A:1-20%"],
    );
    assert_eq!(status(&env, "P1"), "pending_approval");
    // a plain rep of the order's own region
    let err = env.err(&["orders", "approve", "P1", "--by", "SH03"], 3);
    assert!(err.contains("SH03"), "{err}");
    // a supervisor of another region
    let err = env.err(&["orders", "approve", "P1", "--by", "W01"], 3);
    assert!(err.contains("W01"), "{err}");
    assert_eq!(status(&env, "P1"), "pending_approval");
    // a supervisor of the region above
    env.ok(&["orders", "approve", "P1", "--by", "E02"]);
    let o = show(&env, "P1");
    assert_eq!(o["order"]["status"], "confirmed");
    assert_eq!(o["order"]["approved_by"], "E02");
    // approving again names the state
    let err = env.err(&["orders", "approve", "P1", "--by", "E02"], 3);
    assert!(err.contains("confirmed"), "{err}");

    add(
        &env,
        &["--id", "P2", "--customer", "C1", "--line", "TEA-01-A:1-20%"],
    );
    env.ok(&["orders", "approve", "P2", "--by", "SH02"]);
    assert_eq!(status(&env, "P2"), "confirmed");
    add(
        &env,
        &["--id", "P3", "--customer", "C2", "--line", "TEA-01-A:1-20%"],
    );
    // a manager of E has no authority over W
    env.err(&["orders", "approve", "P3", "--by", "E01"], 3);
    // W01 took the order (C2 is theirs): another supervisor of W approves it
    env.err(&["orders", "approve", "P3", "--by", "W01"], 3);
    env.ok(&[
        "reps",
        "add",
        "W02",
        "--name",
        "W02",
        "--region",
        "W",
        "--role",
        "supervisor",
    ]);
    env.ok(&["orders", "approve", "P3", "--by", "W02"]);
    env.db_check_clean();
}

#[test]
fn every_legal_status_move_and_illegal_ones_refused_naming_the_state() {
    let env = company();
    let new = |id: &str| {
        add(
            &env,
            &[
                "--id",
                id,
                "--customer",
                "C1",
                "--date",
                "2026-03-01",
                "--line",
                "CUP:2",
            ],
        );
    };
    new("F1");
    env.ok(&[
        "orders",
        "ship",
        "F1",
        "--carrier",
        "SF",
        "--tracking",
        "T1",
        "--date",
        "2026-03-03",
    ]);
    let o = show(&env, "F1")["order"].clone();
    assert_eq!(
        (&o["status"], &o["carrier"], &o["tracking"], &o["ship_date"]),
        (
            &json!("shipped"),
            &json!("SF"),
            &json!("T1"),
            &json!("2026-03-03")
        )
    );
    // shipped cannot be cancelled or completed; shipping it again corrects its shipping fields
    let err = env.err(&["orders", "cancel", "F1", "--reason", "x", "--yes"], 3);
    assert!(err.contains("is shipped"), "{err}");
    let err = env.err(&["orders", "complete", "F1"], 3);
    assert!(err.contains("is shipped"), "{err}");
    let out = env.ok(&[
        "orders",
        "ship",
        "F1",
        "--carrier",
        "SF",
        "--tracking",
        "T2",
    ]);
    assert_eq!(
        out.trim(),
        "order F1 shipping corrected: SF T1 on 2026-03-03 → SF T2 on 2026-03-03"
    );
    assert_eq!(show(&env, "F1")["order"]["tracking"], "T2");
    env.ok(&["orders", "deliver", "F1", "--date", "2026-03-05"]);
    let err = env.err(
        &[
            "orders",
            "ship",
            "F1",
            "--carrier",
            "SF",
            "--tracking",
            "T3",
        ],
        3,
    );
    assert!(err.contains("is delivered"), "{err}");
    assert_eq!(show(&env, "F1")["order"]["delivered_date"], "2026-03-05");
    let err = env.err(&["orders", "deliver", "F1"], 3);
    assert!(err.contains("is delivered"), "{err}");
    env.ok(&["orders", "complete", "F1"]);
    assert_eq!(show(&env, "F1")["order"]["completed_date"], "2026-03-16");
    let err = env.err(&["orders", "deliver", "F1"], 3);
    assert!(err.contains("is completed"), "{err}");

    // confirmed → deliver skips a step
    new("F2");
    let err = env.err(&["orders", "deliver", "F2"], 3);
    assert!(err.contains("is confirmed"), "{err}");
    // cancel needs --yes without a terminal, and changes nothing
    let err = env.err(&["orders", "cancel", "F2", "--reason", "dup"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(status(&env, "F2"), "confirmed");
    env.ok(&["orders", "cancel", "F2", "--reason", "dup", "--yes"]);
    let o = show(&env, "F2")["order"].clone();
    assert_eq!(
        (&o["status"], &o["cancel_reason"]),
        (&json!("cancelled"), &json!("dup"))
    );
    let err = env.err(
        &["orders", "ship", "F2", "--carrier", "SF", "--tracking", "T"],
        3,
    );
    assert!(err.contains("is cancelled"), "{err}");
    let err = env.err(&["orders", "pay", "F2", "--amount", "1"], 3);
    assert!(err.contains("cancelled"), "{err}");

    // pending_approval → cancelled; it cannot ship before approval
    add(
        &env,
        &["--id", "F3", "--customer", "C1", "--line", "CUP:1-50%"],
    );
    let err = env.err(
        &["orders", "ship", "F3", "--carrier", "SF", "--tracking", "T"],
        3,
    );
    assert!(err.contains("is pending_approval"), "{err}");
    env.ok(&["orders", "cancel", "F3", "--reason", "no", "--yes"]);
    assert_eq!(status(&env, "F3"), "cancelled");
    // an unknown order
    env.err(&["orders", "deliver", "NOPE"], 3);
    // the cancelled order left the rollups; only F1 counts
    let r = env.json(&["report", "period", "--period", "2026-03"]);
    assert_eq!(r["summary"]["orders"], 1);
    assert_eq!(r["summary"]["revenue"], "100.00");
    env.db_check_clean();
}

#[test]
fn returns_only_of_delivered_goods_never_more_than_left_and_by_line_number() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "R1",
            "--customer",
            "C1",
            "--date",
            "2026-03-01",
            "--line",
            "TEA-01-A:3@99.99",
            "--line",
            "CUP:2",
            "--line",
            "TEA-01-A:1",
        ],
    );
    let err = env.err(
        &["orders", "return", "R1", "--line", "CUP:1", "--reason", "x"],
        3,
    );
    assert!(err.contains("is confirmed"), "{err}");
    env.ok(&["orders", "ship", "R1", "--carrier", "SF", "--tracking", "T"]);
    env.err(
        &["orders", "return", "R1", "--line", "CUP:1", "--reason", "x"],
        3,
    );
    env.ok(&["orders", "deliver", "R1"]);
    // the SKU appears twice: it must be named by line number
    let err = env.err(
        &[
            "orders",
            "return",
            "R1",
            "--line",
            "TEA-01-A:1",
            "--reason",
            "x",
        ],
        3,
    );
    assert!(err.contains("#N"), "{err}");
    env.ok(&[
        "orders", "return", "R1", "--line", "#1:2", "--reason", "broken", "--kind", "quality",
    ]);
    let err = env.err(
        &["orders", "return", "R1", "--line", "#1:2", "--reason", "x"],
        3,
    );
    assert!(err.contains("at most 1"), "{err}");
    env.ok(&["orders", "return", "R1", "--line", "#1:1", "--reason", "x"]);
    env.err(
        &["orders", "return", "R1", "--line", "#1:1", "--reason", "x"],
        3,
    );
    env.ok(&["orders", "complete", "R1"]);
    env.ok(&["orders", "return", "R1", "--line", "CUP:2", "--reason", "x"]);
    env.err(
        &["orders", "return", "R1", "--line", "CUP:1", "--reason", "x"],
        3,
    );
    env.err(
        &["orders", "return", "R1", "--line", "#9:1", "--reason", "x"],
        3,
    );
    let o = show(&env, "R1");
    let returns: Vec<Value> = o["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!([
                r["line_no"],
                r["sku"],
                r["quantity"],
                r["amount"],
                r["kind"]
            ])
        })
        .collect();
    // 299.97 / 3 × 2 = 199.98; × 1 = 99.99
    assert_eq!(
        returns,
        vec![
            json!([1, "TEA-01-A", 2, "199.98", "quality"]),
            json!([1, "TEA-01-A", 1, "99.99", "customer"]),
            json!([2, "CUP", 2, "100.00", "customer"]),
        ]
    );
    assert_eq!(o["order"]["amount"], "499.97");
    assert_eq!(o["order"]["returned"], "399.97");
    let r = env.json(&["report", "monthly", "--month", "2026-03"]);
    assert_eq!(r["summary"]["revenue"], "499.97");
    assert_eq!(r["summary"]["returns"], "399.97");
    assert_eq!(r["summary"]["net_revenue"], "100.00");
    assert_eq!(r["summary"]["quantity"], 1);
    assert_eq!(r["summary"]["cost"], "40.00");
    env.db_check_clean();
}

#[test]
fn returns_are_rounded_to_the_cent_half_away_from_zero() {
    let env = company();
    // 3 × 49.995 = 149.985 → 149.99; 2 × 95.005 = 190.01, one returned = 95.005 → 95.01
    add(
        &env,
        &[
            "--id",
            "RR",
            "--customer",
            "C1",
            "--line",
            "CUP:3@49.995",
            "--line",
            "TEA-01-A:2@95.005",
        ],
    );
    let o = show(&env, "RR");
    assert_eq!(o["lines"][0]["amount"], "149.99");
    assert_eq!(o["lines"][1]["amount"], "190.01");
    env.ok(&["orders", "ship", "RR", "--carrier", "SF", "--tracking", "T"]);
    env.ok(&["orders", "deliver", "RR"]);
    env.ok(&[
        "orders",
        "return",
        "RR",
        "--line",
        "TEA-01-A:1",
        "--reason",
        "x",
    ]);
    env.ok(&["orders", "return", "RR", "--line", "CUP:2", "--reason", "x"]);
    let o = show(&env, "RR");
    assert_eq!(o["returns"][0]["amount"], "95.01");
    // 149.99 × 2 / 3 = 99.9933… → 99.99
    assert_eq!(o["returns"][1]["amount"], "99.99");
    env.db_check_clean();
}

#[test]
fn payments_reduce_the_balance_and_a_reference_is_recorded_once() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "M1",
            "--customer",
            "C1",
            "--date",
            "2026-03-01",
            "--line",
            "CUP:3",
        ],
    );
    let out = env.ok(&[
        "orders",
        "pay",
        "M1",
        "--amount",
        "¥100.5",
        "--method",
        "alipay",
        "--reference",
        "PAY-1",
        "--date",
        "2026-03-10",
    ]);
    assert!(out.contains("balance 49.50"), "{out}");
    env.err(
        &[
            "orders",
            "pay",
            "M1",
            "--amount",
            "1",
            "--reference",
            "PAY-1",
        ],
        3,
    );
    env.err(&["orders", "pay", "M1", "--amount", "1.00001"], 3);
    env.err(
        &["orders", "pay", "M1", "--amount", "1", "--method", "gold"],
        2,
    );
    env.ok(&["orders", "pay", "M1", "--amount", "49.5"]);
    let list = env.json(&["orders", "list"]);
    assert_eq!(list[0]["paid"], "150.00");
    assert_eq!(list[0]["balance"], "0.00");
    assert_eq!(
        env.json(&["payments", "list"]),
        json!([
            {"order_id": "M1", "date": "2026-03-10", "amount": "100.50", "method": "alipay", "reference": "PAY-1"},
            {"order_id": "M1", "date": "2026-03-16", "amount": "49.50", "method": "transfer", "reference": null},
        ])
    );
    assert_eq!(env.json(&["orders", "receivables"])["outstanding"], "0.00");
}

#[test]
fn payments_import_is_keyed_by_reference_and_skips_identical_rows() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "M1",
            "--customer",
            "C1",
            "--date",
            "2026-03-01",
            "--line",
            "CUP:3",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "M2",
            "--customer",
            "C2",
            "--date",
            "2026-03-01",
            "--line",
            "CUP:1",
        ],
    );
    let csv = "order_id,date,amount,method,reference\n\
               M1,2026-03-10,100,alipay,R-1\n\
               M1,2026-03-11,20,cash,\n\
               M2,2026-03-12,50,card,R-2\n";
    let f = env.write("pay.csv", csv);
    let f = f.to_str().unwrap();
    let out = env.run(&["payments", "import", f]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 created"), "{err}");
    let out = env.run(&["payments", "import", f]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("0 created") && err.contains("3 skipped"),
        "{err}"
    );
    // the same reference with another amount updates that payment
    let g = env.write(
        "pay2.csv",
        "order_id,date,amount,method,reference\nM1,2026-03-10,110,alipay,R-1\n",
    );
    let out = env.run(&["payments", "import", g.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 updated"));
    let list = env.json(&["payments", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["amount"], "110.00");
    let orders = env.json(&["orders", "list"]);
    assert_eq!(orders[0]["paid"], "130.00");
    assert_eq!(orders[0]["balance"], "20.00");
    assert_eq!(orders[1]["balance"], "0.00");
    // an unknown order: exit 3, nothing written
    let h = env.write(
        "pay3.csv",
        "order_id,date,amount,method,reference\nM2,2026-03-13,1,card,R-9\nNOPE,2026-03-13,1,card,R-10\n",
    );
    let err = env.err(&["payments", "import", h.to_str().unwrap()], 3);
    assert!(err.contains("pay3.csv:3"), "{err}");
    assert_eq!(env.json(&["payments", "list"]).as_array().unwrap().len(), 3);
    env.db_check_clean();
}

#[test]
fn receivables_age_open_balances_into_buckets_as_of_today() {
    let env = company();
    // today is 2026-03-16; C1 has the policy's 30 days, C2 its own 60.
    let orders = [
        // (id, customer, date, qty of TEA-01-A at 100) → due date, bucket
        ("DUE-TODAY", "C1", "2026-02-14", "1"), // due 2026-03-16: not_due
        ("LATE-30", "C1", "2026-01-15", "2"),   // due 2026-02-14: 0-30
        ("LATE-31", "C2", "2025-12-15", "3"),   // due 2026-02-13: 31-60
        ("LATE-90", "C1", "2025-11-16", "4"),   // due 2025-12-16: 61-90
        ("LATE-91", "C2", "2025-10-16", "5"),   // due 2025-12-15: 90+
        ("REFUND", "C1", "2026-03-01", "2"),    // paid, then one returned: −100 not_due
    ];
    for (id, c, date, q) in orders {
        let line = format!("TEA-01-A:{q}");
        add(
            &env,
            &["--id", id, "--customer", c, "--date", date, "--line", &line],
        );
    }
    // held and cancelled orders do not count
    add(
        &env,
        &[
            "--id",
            "HELD",
            "--customer",
            "C1",
            "--date",
            "2025-01-01",
            "--line",
            "TEA-01-A:1-50%",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "GONE",
            "--customer",
            "C1",
            "--date",
            "2025-01-01",
            "--line",
            "TEA-01-A:1",
        ],
    );
    env.ok(&["orders", "cancel", "GONE", "--reason", "x", "--yes"]);
    // partial payments
    env.ok(&[
        "orders",
        "pay",
        "LATE-30",
        "--amount",
        "50",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&["orders", "pay", "LATE-91", "--amount", "125.5"]);
    // a payment after the as-of date does not count yet
    env.ok(&[
        "orders",
        "pay",
        "LATE-90",
        "--amount",
        "400",
        "--date",
        "2026-03-20",
    ]);
    env.ok(&[
        "orders",
        "pay",
        "REFUND",
        "--amount",
        "200",
        "--date",
        "2026-03-02",
    ]);
    env.ok(&[
        "orders",
        "ship",
        "REFUND",
        "--carrier",
        "SF",
        "--tracking",
        "T",
    ]);
    env.ok(&["orders", "deliver", "REFUND"]);
    env.ok(&[
        "orders",
        "return",
        "REFUND",
        "--line",
        "TEA-01-A:1",
        "--reason",
        "x",
    ]);

    let due: Vec<(String, String)> = env
        .json(&["orders", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["order_id"].as_str().unwrap().to_string(),
                o["due_date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (id, d) in [
        ("DUE-TODAY", "2026-03-16"),
        ("LATE-30", "2026-02-14"),
        ("LATE-31", "2026-02-13"),
        ("LATE-90", "2025-12-16"),
        ("LATE-91", "2025-12-15"),
        ("REFUND", "2026-03-31"),
    ] {
        assert!(
            due.contains(&(id.to_string(), d.to_string())),
            "{id}: {due:?}"
        );
    }

    let r = env.json(&["orders", "receivables"]);
    let buckets = json!({"not_due": "0.00", "0-30": "150.00", "31-60": "300.00", "61-90": "400.00", "90+": "374.50"});
    // not_due: DUE-TODAY 100 + REFUND −100 = 0
    assert_eq!(
        r,
        json!({
            "as_of": "2026-03-16",
            "outstanding": "1224.50",
            "overdue": "1224.50",
            "buckets": buckets,
            "customers": [
                {"customer": "C1", "name": "One", "outstanding": "550.00", "overdue": "550.00",
                 "buckets": {"not_due": "0.00", "0-30": "150.00", "31-60": "0.00", "61-90": "400.00", "90+": "0.00"}},
                {"customer": "C2", "name": "Two", "outstanding": "674.50", "overdue": "674.50",
                 "buckets": {"not_due": "0.00", "0-30": "0.00", "31-60": "300.00", "61-90": "0.00", "90+": "374.50"}},
            ]
        })
    );
    // one day earlier every order is a day less late, and the payment dated today is not counted yet
    let r = env.json(&["orders", "receivables", "--today", "2026-03-15"]);
    assert_eq!(
        r["buckets"],
        json!({"not_due": "100.00", "0-30": "450.00", "31-60": "0.00", "61-90": "900.00", "90+": "0.00"})
    );
    // the refund owed shows as a negative balance for its customer alone
    let r = env.json(&[
        "orders",
        "receivables",
        "--customer",
        "C1",
        "--today",
        "2026-03-31",
    ]);
    let list = env.json(&["orders", "list", "--customer", "C1"]);
    let refund = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_id"] == "REFUND")
        .unwrap();
    assert_eq!(refund["balance"], "-100.00");
    assert_eq!(r["customers"].as_array().unwrap().len(), 1);
    // as of 03-31: DUE-TODAY 15 days late, LATE-30 45, LATE-90 105 but paid on 03-20 → gone; REFUND −100 not due
    assert_eq!(
        r["buckets"],
        json!({"not_due": "-100.00", "0-30": "100.00", "31-60": "150.00", "61-90": "0.00", "90+": "0.00"})
    );
    env.db_check_clean();
}

#[test]
fn attribution_uses_the_province_given_else_the_customer_area_and_the_rep_given_else_the_owner() {
    let env = company();
    add(&env, &["--id", "A1", "--customer", "C1", "--line", "CUP:1"]);
    add(
        &env,
        &[
            "--id",
            "A2",
            "--customer",
            "C1",
            "--province",
            "Sichuan",
            "--rep",
            "W01",
            "--channel",
            "agent",
            "--line",
            "CUP:1",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "A3",
            "--customer",
            "C2",
            "--province",
            "海南",
            "--line",
            "CUP:1",
        ],
    );
    let list = env.json(&["orders", "list"]);
    let rows: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            json!([
                o["order_id"],
                o["rep"],
                o["region"],
                o["province"],
                o["channel"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            json!(["A1", "SH03", "E-SH", "上海", "online"]),
            json!(["A2", "W01", "W", "四川", "agent"]),
            json!(["A3", "W01", null, "海南", "offline"]),
        ]
    );
    // orders in no region show as (unassigned) in reports
    let r = env.json(&["report", "period", "--period", "2026-03"]);
    let unassigned: Vec<&Value> = r["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["region"].is_null())
        .collect();
    assert_eq!(unassigned.len(), 1);
    assert_eq!(unassigned[0]["name"], "(unassigned)");
    assert_eq!(unassigned[0]["net_revenue"], "50.00");

    // redraw: 上海 moves to W, 海南 joins E. Stored orders keep their region until reassigned.
    env.ok(&["regions", "assign", "W", "上海", "--move"]);
    env.ok(&["regions", "assign", "E", "海南"]);
    let regions = |env: &Env| -> Vec<Value> {
        env.json(&["orders", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["region"].clone())
            .collect()
    };
    assert_eq!(regions(&env), vec![json!("E-SH"), json!("W"), Value::Null]);
    let err = env.err(&["orders", "reassign-regions"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(regions(&env), vec![json!("E-SH"), json!("W"), Value::Null]);
    let out = env.ok(&["orders", "reassign-regions", "--yes"]);
    assert!(out.contains("2 orders changed region"), "{out}");
    assert_eq!(regions(&env), vec![json!("W"), json!("W"), json!("E")]);
    env.db_check_clean();
    let r = env.json(&["report", "period", "--period", "2026-03"]);
    let w = r["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["region"] == "W")
        .unwrap();
    assert_eq!(w["net_revenue"], "100.00");
    assert_eq!(w["orders"], 2);
}

#[test]
fn a_suspended_rep_cannot_take_orders() {
    let env = company();
    env.ok(&[
        "reps",
        "suspend",
        "SH03",
        "--until",
        "2026-03-20",
        "--reason",
        "price",
    ]);
    let err = env.err(&["orders", "add", "--customer", "C1", "--line", "CUP:1"], 3);
    assert!(err.contains("suspended"), "{err}");
    add(
        &env,
        &[
            "--customer",
            "C1",
            "--date",
            "2026-03-21",
            "--line",
            "CUP:1",
        ],
    );
}

#[test]
fn list_filters_by_period_status_region_rep_and_customer() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "L1",
            "--customer",
            "C1",
            "--date",
            "2026-02-10",
            "--line",
            "CUP:1",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "L2",
            "--customer",
            "C1",
            "--date",
            "2026-03-01",
            "--line",
            "CUP:2",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "L3",
            "--customer",
            "C2",
            "--date",
            "2026-03-02",
            "--line",
            "TEA-01-A:1",
        ],
    );
    add(
        &env,
        &[
            "--id",
            "L4",
            "--customer",
            "C2",
            "--province",
            "江苏",
            "--rep",
            "E02",
            "--date",
            "2026-03-03",
            "--line",
            "CUP:1",
        ],
    );
    env.ok(&["orders", "ship", "L3", "--carrier", "SF", "--tracking", "T"]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["orders", "list"];
        all.extend(args);
        env.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["order_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["L1", "L2", "L3", "L4"]);
    assert_eq!(ids(&["--period", "2026-03"]), ["L2", "L3", "L4"]);
    assert_eq!(ids(&["--period", "2026-02-10..2026-03-01"]), ["L1", "L2"]);
    assert_eq!(ids(&["--status", "shipped"]), ["L3"]);
    assert_eq!(ids(&["--region", "E"]), ["L1", "L2", "L4"]);
    assert_eq!(ids(&["--region", "E-SH"]), ["L1", "L2"]);
    assert_eq!(ids(&["--region", "W"]), ["L3"]);
    assert_eq!(ids(&["--rep", "W01"]), ["L3"]);
    assert_eq!(ids(&["--customer", "C2"]), ["L3", "L4"]);
    assert_eq!(ids(&["--customer", "C2", "--region", "E"]), ["L4"]);
    env.err(&["orders", "list", "--status", "lost"], 2);
    env.err(&["orders", "list", "--region", "NOPE"], 3);
    let l2 = &env.json(&["orders", "list", "--period", "2026-03-01"])[0];
    assert_eq!(
        l2,
        &json!({"order_id": "L2", "order_date": "2026-03-01", "customer": "C1", "rep": "SH03",
                "region": "E-SH", "channel": "online", "province": "上海", "status": "confirmed",
                "lines": 1, "quantity": 2, "amount": "100.00", "returned": "0.00",
                "paid": "0.00", "balance": "100.00", "due_date": "2026-03-31"})
    );
}

#[test]
fn show_gives_the_order_with_lines_returns_and_payments() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "S1",
            "--customer",
            "C2",
            "--date",
            "2026-03-02",
            "--line",
            "CUP:2-10%",
        ],
    );
    env.ok(&[
        "orders",
        "ship",
        "S1",
        "--carrier",
        "SF",
        "--tracking",
        "T9",
        "--date",
        "2026-03-03",
    ]);
    env.ok(&["orders", "deliver", "S1", "--date", "2026-03-04"]);
    env.ok(&[
        "orders",
        "return",
        "S1",
        "--line",
        "CUP:1",
        "--reason",
        "wet",
        "--date",
        "2026-03-05",
    ]);
    env.ok(&[
        "orders",
        "pay",
        "S1",
        "--amount",
        "20",
        "--method",
        "cash",
        "--date",
        "2026-03-06",
    ]);
    assert_eq!(
        show(&env, "S1"),
        json!({
            "order": {"order_id": "S1", "order_date": "2026-03-02", "customer": "C2", "rep": "W01",
                      "region": "W", "channel": "offline", "province": "四川", "status": "delivered",
                      "due_date": "2026-05-01", "approved_by": null, "ship_date": "2026-03-03",
                      "carrier": "SF", "tracking": "T9", "delivered_date": "2026-03-04",
                      "completed_date": null, "cancel_reason": null, "amount": "90.00",
                      "returned": "45.00", "paid": "20.00", "balance": "25.00",
                      "campaign": null, "freight": null},
            "lines": [{"line_no": 1, "sku": "CUP", "quantity": 2, "unit_price": "50.00",
                       "discount": "10%", "amount": "90.00", "cost": "41.00"}],
            "returns": [{"date": "2026-03-05", "line_no": 1, "sku": "CUP", "quantity": 1,
                         "amount": "45.00", "kind": "customer", "reason": "wet"}],
            "payments": [{"date": "2026-03-06", "amount": "20.00", "method": "cash", "reference": null}],
        })
    );
    env.err(&["orders", "show", "NOPE"], 3);
}

/// Issue: a rep approved their own discount, and suspended or departed supervisors approved too.
#[test]
fn approval_needs_an_active_superior_who_is_not_the_orders_own_rep() {
    let env = company();
    // SH02 (supervisor of E-SH) takes an order with a discount that needs approval.
    add(
        &env,
        &[
            "--id",
            "A1",
            "--customer",
            "C1",
            "--rep",
            "SH02",
            "--line",
            "TEA-01-A:1-20%",
        ],
    );
    let err = env.err(&["orders", "approve", "A1", "--by", "SH02"], 3);
    assert!(err.contains("SH02 is the order's own rep"), "{err}");
    // SH01 (manager of E-SH) is suspended today, E02 (supervisor of E, above) leaves today.
    env.ok(&[
        "reps",
        "suspend",
        "SH01",
        "--until",
        "2026-03-20",
        "--reason",
        "audit",
    ]);
    env.ok(&["reps", "edit", "E02", "--left"]);
    let err = env.err(&["orders", "approve", "A1", "--by", "SH01"], 3);
    assert!(
        err.contains("rep SH01 is suspended through 2026-03-20 (audit): they cannot approve orders on 2026-03-16"),
        "{err}"
    );
    let err = env.err(&["orders", "approve", "A1", "--by", "E02"], 3);
    assert!(
        err.contains("rep E02 left the company on 2026-03-16: they cannot approve orders"),
        "{err}"
    );
    assert_eq!(status(&env, "A1"), "pending_approval");
    env.ok(&["orders", "approve", "A1", "--by", "E01"]);
    assert_eq!(status(&env, "A1"), "confirmed");
    env.db_check_clean();
}

/// Issue: dates could run backwards (shipped before ordered, paid before ordered, returned before
/// delivery).
#[test]
fn dates_keep_their_order_and_a_refusal_names_both_dates() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "D1",
            "--customer",
            "C1",
            "--date",
            "2026-03-05",
            "--line",
            "CUP:2",
        ],
    );
    fn ship(date: &str) -> Vec<&str> {
        vec![
            "orders",
            "ship",
            "D1",
            "--carrier",
            "SF",
            "--tracking",
            "T1",
            "--date",
            date,
        ]
    }
    let err = env.err(&ship("2026-03-04"), 3);
    assert_eq!(
        err.trim(),
        "error: the ship date 2026-03-04 of order D1 is before its order date 2026-03-05"
    );
    env.ok(&ship("2026-03-06"));
    let err = env.err(&["orders", "deliver", "D1", "--date", "2026-03-05"], 3);
    assert!(
        err.contains("the delivery date 2026-03-05 of order D1 is before its ship date 2026-03-06"),
        "{err}"
    );
    env.ok(&["orders", "deliver", "D1", "--date", "2026-03-08"]);
    let err = env.err(
        &[
            "orders",
            "return",
            "D1",
            "--line",
            "CUP:1",
            "--reason",
            "x",
            "--date",
            "2026-03-07",
        ],
        3,
    );
    assert!(
        err.contains(
            "the return date 2026-03-07 of order D1 is before its delivery date 2026-03-08"
        ),
        "{err}"
    );
    let err = env.err(&["orders", "complete", "D1", "--date", "2026-03-07"], 3);
    assert!(
        err.contains(
            "the completion date 2026-03-07 of order D1 is before its delivery date 2026-03-08"
        ),
        "{err}"
    );
    env.ok(&["orders", "complete", "D1", "--date", "2026-03-09"]);
    let err = env.err(
        &[
            "orders",
            "pay",
            "D1",
            "--amount",
            "10",
            "--date",
            "2026-03-01",
        ],
        3,
    );
    assert!(
        err.contains("the payment date 2026-03-01 of order D1 is before its order date 2026-03-05"),
        "{err}"
    );
    let file = env.write(
        "pay.csv",
        "order_id,date,amount,method,reference\nD1,2026-03-02,10,cash,\n",
    );
    let err = env.err(&["payments", "import", file.to_str().unwrap()], 3);
    assert!(
        err.contains("pay.csv:2: column \"date\"")
            && err.contains("before its order date 2026-03-05"),
        "{err}"
    );
    assert_eq!(env.json(&["payments", "list"]), json!([]));
    env.db_check_clean();
}

/// Issue: an empty tracking number was accepted and could never be fixed.
#[test]
fn shipping_fields_are_never_empty_and_a_shipped_order_takes_corrections() {
    let env = company();
    add(
        &env,
        &[
            "--id",
            "S1",
            "--customer",
            "C1",
            "--date",
            "2026-03-05",
            "--line",
            "CUP:2",
        ],
    );
    let err = env.err(
        &[
            "orders",
            "ship",
            "S1",
            "--carrier",
            "SF",
            "--tracking",
            "  ",
        ],
        2,
    );
    assert!(err.contains("--tracking is empty"), "{err}");
    let err = env.err(
        &["orders", "ship", "S1", "--carrier", "", "--tracking", "T1"],
        2,
    );
    assert!(err.contains("--carrier is empty"), "{err}");
    assert_eq!(status(&env, "S1"), "confirmed");
    env.ok(&[
        "orders",
        "ship",
        "S1",
        "--carrier",
        "SF",
        "--tracking",
        "SF1",
        "--date",
        "2026-03-06",
    ]);
    let out = env.ok(&[
        "orders",
        "ship",
        "S1",
        "--carrier",
        "JD",
        "--tracking",
        "JD9",
        "--date",
        "2026-03-07",
    ]);
    assert_eq!(
        out.trim(),
        "order S1 shipping corrected: SF SF1 on 2026-03-06 → JD JD9 on 2026-03-07"
    );
    let o = show(&env, "S1")["order"].clone();
    assert_eq!(
        (&o["status"], &o["carrier"], &o["tracking"], &o["ship_date"]),
        (
            &json!("shipped"),
            &json!("JD"),
            &json!("JD9"),
            &json!("2026-03-07")
        )
    );
    let audit = env.ok(&["audit", "--format", "csv"]);
    assert!(audit.contains("order S1 shipping corrected"), "{audit}");
    env.db_check_clean();
}

/// The collection list, computed again in plain SQL from the orders, returns and payments: every
/// counting order past its due date as of today that still owes money, oldest due date first.
fn collection_list_by_sql(
    env: &Env,
    today: &str,
    extra: &str,
) -> Vec<(String, String, i64, String)> {
    let conn = env.conn();
    let late = conn.days_between("?1", "due_date");
    let sql = format!(
        "SELECT id, due_date, {late}, bal FROM (
             SELECT o.id, o.due_date, o.order_date,
                    o.amount - COALESCE((SELECT SUM(amount) FROM returns r WHERE r.order_id = o.id AND r.date <= ?1), 0)
                             - COALESCE((SELECT SUM(amount) FROM payments p WHERE p.order_id = o.id AND p.date <= ?1), 0) AS bal
             FROM orders o
             WHERE o.status NOT IN ('cancelled', 'pending_approval') AND o.order_date <= ?1
               AND o.due_date < ?1 {extra}) AS debts
         WHERE bal > 0 ORDER BY due_date, order_date, id"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([today], |r| {
        let units: i64 = r.get(3)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            // Ten-thousandths to the report's two decimals (the demo's balances are whole cents).
            format!("{}.{:02}", units / 10000, (units % 10000) / 100),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn collection_list_of(env: &Env, args: &[&str]) -> Vec<(String, String, i64, String)> {
    let mut line = vec!["orders", "receivables", "--overdue"];
    line.extend(args);
    env.json(&line)
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["order_id"].as_str().unwrap().to_string(),
                o["due_date"].as_str().unwrap().to_string(),
                o["days_past_due"].as_i64().unwrap(),
                o["balance"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_collection_list_is_every_overdue_debt_oldest_first_by_rep_or_region() {
    let env = common::demo_copy();
    let today = common::DEMO_TODAY;
    let all = collection_list_of(&env, &[]);
    assert_eq!(all, collection_list_by_sql(&env, today, ""));
    assert!(all.len() > 100, "{} overdue orders", all.len());
    // A region takes in its sub-regions (EAST holds EAST-SH), as recorded on each order.
    let east = collection_list_of(&env, &["--region", "EAST"]);
    assert_eq!(
        east,
        collection_list_by_sql(&env, today, "AND o.region IN ('EAST', 'EAST-SH')")
    );
    assert!(east.len() < all.len() && !east.is_empty());
    let rep = collection_list_of(&env, &["--rep", "SH04"]);
    assert_eq!(
        rep,
        collection_list_by_sql(&env, today, "AND o.rep = 'SH04'")
    );
    assert!(!rep.is_empty());

    // Each row carries who to call: the customer's name and phone and the rep.
    let first = &env.json(&["orders", "receivables", "--overdue", "--rep", "SH04"])[0];
    let customer = env.json(&["customers", "show", first["customer"].as_str().unwrap()]);
    assert_eq!(first["name"], customer["name"]);
    assert_eq!(first["phone"], customer["phone"]);
    assert_eq!(first["rep"], "SH04");

    // The aging narrows the same way: a rep's outstanding is the sum of its orders' open balances.
    let aging = env.json(&["orders", "receivables", "--rep", "SH04"]);
    let conn = env.conn();
    let outstanding: i64 = conn
        .query_row(
            "SELECT SUM(o.amount
                 - COALESCE((SELECT SUM(amount) FROM returns r WHERE r.order_id = o.id AND r.date <= ?1), 0)
                 - COALESCE((SELECT SUM(amount) FROM payments p WHERE p.order_id = o.id AND p.date <= ?1), 0))
             FROM orders o WHERE o.rep = 'SH04' AND o.order_date <= ?1
               AND o.status NOT IN ('cancelled', 'pending_approval')",
            [today],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        aging["outstanding"].as_str().unwrap(),
        format!("{}.{:02}", outstanding / 10000, (outstanding % 10000) / 100)
    );

    // Unknown names are refused (exit 3) before anything is read.
    assert!(env
        .err(&["orders", "receivables", "--overdue", "--rep", "NOPE"], 3)
        .contains("no rep \"NOPE\""));
    assert!(env
        .err(&["orders", "receivables", "--region", "NOPE"], 3)
        .contains("NOPE"));
}

#[test]
fn statuses_and_channels_read_in_chinese_in_flags_and_order_files() {
    let env = common::demo();
    assert_eq!(
        env.column(
            &[
                "orders",
                "list",
                "--period",
                "2026-10",
                "--status",
                "已发货"
            ],
            "order_id"
        ),
        env.column(
            &["orders", "list", "--period", "2026-10", "--status", "shipped"],
            "order_id"
        ),
    );
    let env = company();
    let file = env.write(
        "orders.csv",
        "order_id,order_date,customer,channel,status,ship_date,sku,quantity,unit_price\n\
         W1,2026-03-02,C1,线下,已发货,2026-03-03,CUP,2,50\n",
    );
    env.ok(&["orders", "import", file.to_str().unwrap()]);
    let w1 = env.json(&["orders", "show", "W1"]);
    assert_eq!(w1["order"]["channel"], "offline");
    assert_eq!(w1["order"]["status"], "shipped");
    env.db_check_clean();
}
