//! `prices …` through the binary. Each finding kind has its own small fixture whose findings were worked
//! out by hand (boundaries included); the ledger, the escalation ladder and suspensions end to end.
//! Today is 2026-03-16, so the default check period is 2026-02.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Regions E (上海, 江苏) with sub-region E1 (浙江), and W (四川); reps E01 (rep), ES (supervisor of E),
/// E11 (rep of E1), W01; customers C1 (上海, E01), C2 (四川, W01), C3 (浙江, E11). No products yet.
fn company() -> Env {
    Company::new()
        .region("E", "East")
        .assign("E", &["上海", "江苏"])
        .sub_region("E1", "East 1", "E")
        .assign("E1", &["浙江"])
        .region("W", "West")
        .assign("W", &["四川"])
        .rep("E01", "张伟", "E")
        .rep("ES", "李娜", "E")
        .role("supervisor")
        .rep("E11", "赵六", "E1")
        .rep("W01", "王五", "W")
        .customer("C1", "客户C1", "上海")
        .owner("E01")
        .customer("C2", "客户C2", "四川")
        .owner("W01")
        .customer("C3", "客户C3", "浙江")
        .owner("E11")
        .build()
}

/// TEA with list price 100, the given cost and optional floor.
fn product(env: &Env, cost: &str, floor: Option<&str>) {
    let mut args = vec![
        "products",
        "add",
        "TEA",
        "--name",
        "龙井",
        "--list-price",
        "100",
        "--cost",
        cost,
    ];
    if let Some(f) = floor {
        args.extend(["--floor-price", f]);
    }
    env.ok(&args);
}

fn policy(env: &Env, key: &str, value: &str) {
    env.ok(&["policy", "set", key, value]);
}

/// Switch off the rules a test is not about (a rate can be at most 100%, and nothing is above it).
fn only(env: &Env, keep: &[&str]) {
    for (kind, key) in [
        ("unapproved_discount", "discount.approval_above"),
        ("over_max_discount", "discount.max"),
        ("off_list", "price.tolerance"),
        ("regional_spread", "price.regional_spread"),
    ] {
        if !keep.contains(&kind) {
            policy(env, key, "100%");
        }
    }
}

fn order(env: &Env, id: &str, customer: &str, date: &str, lines: &[&str]) {
    let mut args = vec![
        "orders",
        "add",
        "--id",
        id,
        "--customer",
        customer,
        "--date",
        date,
    ];
    for l in lines {
        args.extend(["--line", l]);
    }
    let out = env.ok(&args);
    assert_eq!(out.trim(), id);
}

const ORDERS_HEADER: &str = "order_id,order_date,customer,sku,quantity,unit_price,amount,profit\n";

fn import_orders(env: &Env, rows: &str) {
    let file = env.write("orders.csv", &format!("{ORDERS_HEADER}{rows}"));
    env.ok(&["orders", "import", file.to_str().unwrap()]);
}

/// Run `prices check` with `args` as JSON; the exit code must be 4 exactly when there are findings.
fn check(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["prices", "check"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let out = env.run(&all);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let items = v.as_array().unwrap().clone();
    let expected = if items.is_empty() { 0 } else { 4 };
    assert_eq!(
        out.status.code(),
        Some(expected),
        "exit code of {all:?}: {stdout}"
    );
    items
}

/// (kind, subject) of each finding.
fn kinds(findings: &[Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn violations(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["prices", "violations"];
    all.extend(args);
    env.json(&all).as_array().unwrap().clone()
}

/// The ledger id of the violation of `kind` on `order_id`.
fn violation_id(env: &Env, kind: &str, order_id: &str) -> String {
    violations(env, &[])
        .iter()
        .find(|v| v["kind"] == kind && v["order_id"] == order_id)
        .unwrap_or_else(|| panic!("no {kind} on {order_id}"))["id"]
        .to_string()
}

#[test]
fn below_floor_is_strictly_below_the_floor_in_force_times_quantity() {
    let env = company();
    product(&env, "10", Some("80"));
    only(&env, &[]);
    env.ok(&[
        "prices",
        "set",
        "TEA",
        "--floor-price",
        "90",
        "--effective",
        "2026-02-20",
        "--reason",
        "floor up",
    ]);
    order(&env, "A", "C1", "2026-02-03", &["TEA:10@80"]); // 800 = 80 × 10: not below
    order(&env, "B", "C1", "2026-02-04", &["TEA:10@79.99"]); // 799.90 < 800
    order(&env, "C", "C2", "2026-02-05", &["TEA:3-21%"]); // 237 < 240
    order(&env, "D", "C1", "2026-03-01", &["TEA:1@1"]); // outside the period
    order(&env, "X", "C1", "2026-02-06", &["TEA:1@1"]);
    env.ok(&["orders", "cancel", "X", "--reason", "test", "--yes"]); // cancelled: not counted
    order(&env, "F", "C1", "2026-02-19", &["TEA:1@85"]); // floor still 80
    order(&env, "G", "C1", "2026-02-20", &["TEA:1@89.99"]); // floor 90 from this day
    let found = check(&env, &[]);
    assert_eq!(
        kinds(&found),
        pairs(&[
            ("below_floor", "B#1"),
            ("below_floor", "C#1"),
            ("below_floor", "G#1")
        ])
    );
    assert_eq!(
        found[0],
        json!({"kind": "below_floor", "subject": "B#1",
               "detail": "amount 799.90 is below the floor price 80.00 × 10 = 800.00",
               "order_id": "B", "line_no": 1, "sku": "TEA", "rep": "E01", "region": "E",
               "date": "2026-02-04"})
    );
    assert_eq!(
        found[2]["detail"],
        "amount 89.99 is below the floor price 90.00 × 1 = 90.00"
    );
}

#[test]
fn a_price_change_effective_tomorrow_does_not_apply_today() {
    let env = company();
    product(&env, "10", Some("80"));
    only(&env, &["off_list"]);
    env.ok(&[
        "prices",
        "set",
        "TEA",
        "--list-price",
        "120",
        "--floor-price",
        "100",
        "--effective",
        "2026-03-17",
        "--reason",
        "spring prices",
    ]);
    // Today the list price is still 100: the order takes it and is on list.
    env.ok(&[
        "orders",
        "add",
        "--id",
        "T1",
        "--customer",
        "C1",
        "--line",
        "TEA:1",
    ]);
    // Tomorrow's order is checked against tomorrow's prices: 130 is above the list 120 by 8.3333%
    // (against today's 100 it would be 30%).
    order(&env, "T2", "C1", "2026-03-17", &["TEA:1@130"]);
    let found = check(&env, &["--period", "this-month"]);
    assert_eq!(kinds(&found), pairs(&[("off_list", "T2#1")]));
    assert_eq!(
        found[0]["detail"],
        "net unit price 130.00 is 8.3% above the list price 120.00 (tolerance 0.5%)"
    );
}

#[test]
fn below_cost_is_strictly_below_the_line_cost() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-03", &["TEA:10@60"]); // 600 = cost 600
    order(&env, "B", "C1", "2026-02-04", &["TEA:10@59.99"]); // 599.90 < 600
                                                             // Cost from profit: 500 − (−0.01) = 500.01 above the amount 500.
    import_orders(
        &env,
        "I,2026-02-07,C2,TEA,10,,500,-0.01\nJ,2026-02-08,C2,TEA,10,,500,0\n",
    );
    let found = check(&env, &[]);
    assert_eq!(
        kinds(&found),
        pairs(&[("below_cost", "B#1"), ("below_cost", "I#1")])
    );
    assert_eq!(
        found[0]["detail"],
        "amount 599.90 is below the line cost 600.00"
    );
    assert_eq!(
        found[1]["detail"],
        "amount 500.00 is below the line cost 500.01"
    );
}

#[test]
fn unapproved_discount_is_above_the_threshold_after_rounding_to_4_decimals() {
    let env = company();
    product(&env, "10", None);
    only(&env, &["unapproved_discount"]);
    // Imports never hold orders for approval.
    import_orders(
        &env,
        "U1,2026-02-02,C1,TEA,10,100,900,\n\
         U2,2026-02-03,C1,TEA,1,100,89.996,\n\
         U3,2026-02-04,C1,TEA,1,100,89.9949,\n\
         U4,2026-02-05,C2,TEA,1,100,85,\n",
    );
    // A discount of exactly 10% is not above 10%: the order is not held.
    order(&env, "A1", "C1", "2026-02-06", &["TEA:10@90"]);
    // Above it, `orders add` holds the order, and a pending order does not count.
    let err = env.err(
        &[
            "orders",
            "add",
            "--id",
            "A2",
            "--customer",
            "C1",
            "--date",
            "2026-02-07",
            "--line",
            "TEA:1@85",
        ],
        0,
    );
    assert!(err.contains("waits for approval"), "{err}");
    let list = env.json(&["orders", "list"]);
    let status = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|o| o["order_id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("A1"), "confirmed");
    assert_eq!(status("A2"), "pending_approval");
    let found = check(&env, &[]);
    assert_eq!(
        kinds(&found),
        pairs(&[
            ("unapproved_discount", "U3#1"),
            ("unapproved_discount", "U4#1")
        ])
    );
    assert_eq!(
        found[0]["detail"],
        "discount 10.01% (amount 89.99 against list 100.00 × 1 = 100.00) is above the 10% that needs approval, and nobody approved the order"
    );
}

#[test]
fn an_approved_discount_is_no_longer_unapproved_but_stays_over_the_maximum() {
    let env = company();
    product(&env, "10", None);
    only(&env, &["unapproved_discount", "over_max_discount"]);
    order_held(&env, "P1", "TEA:1@85"); // 15%
    order_held(&env, "P2", "TEA:1@70"); // 30%: not above the maximum
    order_held(&env, "P3", "TEA:1@65"); // 35%
    assert!(check(&env, &[]).is_empty(), "pending orders do not count");
    let err = env.err(&["orders", "approve", "P1", "--by", "E01"], 3);
    assert!(err.contains("E01 is a rep"), "{err}");
    for id in ["P1", "P2", "P3"] {
        env.ok(&["orders", "approve", id, "--by", "ES"]);
    }
    // The same discount imported (never held, nobody approved) is both.
    import_orders(&env, "I1,2026-02-11,C1,TEA,1,100,65,\n");
    let found = check(&env, &[]);
    assert_eq!(
        kinds(&found),
        pairs(&[
            ("unapproved_discount", "I1#1"),
            ("over_max_discount", "P3#1"),
            ("over_max_discount", "I1#1"),
        ])
    );
    assert_eq!(
        found[1]["detail"],
        "discount 35.0% (amount 65.00 against list 100.00 × 1 = 100.00) is above the maximum 30.0%"
    );
}

fn order_held(env: &Env, id: &str, line: &str) {
    let err = env.err(
        &[
            "orders",
            "add",
            "--id",
            id,
            "--customer",
            "C1",
            "--date",
            "2026-02-10",
            "--line",
            line,
        ],
        0,
    );
    assert!(err.contains("waits for approval"), "{id}: {err}");
}

#[test]
fn off_list_is_a_net_unit_price_strictly_above_list_beyond_the_tolerance() {
    let env = company();
    product(&env, "10", None);
    only(&env, &["off_list"]);
    order(&env, "O1", "C1", "2026-02-02", &["TEA:1@100.5"]); // 0.5%: not above
    order(&env, "O2", "C1", "2026-02-03", &["TEA:1@99.5"]);
    order(&env, "O3", "C1", "2026-02-04", &["TEA:1@100.51"]);
    order(&env, "O4", "C2", "2026-02-05", &["TEA:1@99.49", "TEA:2"]); // below list: a discount
    order(&env, "O5", "C1", "2026-02-06", &["TEA:1-5%"]);
    let found = check(&env, &[]);
    assert_eq!(kinds(&found), pairs(&[("off_list", "O3#1")]));
    assert_eq!(
        found[0]["detail"],
        "net unit price 100.51 is 0.51% above the list price 100.00 (tolerance 0.5%)"
    );
}

/// Issue: `@95` was a violation and `-5%` was not, and an approved `@85` landed on the escalation
/// ladder. A price below list is a discount however it was typed, judged by the discount rules alone.
#[test]
fn a_price_below_list_is_a_discount_however_it_was_typed() {
    let env = company();
    product(&env, "10", None);
    only(&env, &["unapproved_discount", "off_list"]);
    policy(&env, "discount.approval_above", "3%");
    import_orders(
        &env,
        "AT,2026-02-02,C1,TEA,1,95,,\n\
         PCT,2026-02-03,C1,TEA,1,,95,\n",
    );
    order(&env, "DISC", "C1", "2026-02-04", &["TEA:1-2%"]);
    let found = check(&env, &[]);
    assert_eq!(
        kinds(&found),
        pairs(&[
            ("unapproved_discount", "AT#1"),
            ("unapproved_discount", "PCT#1")
        ])
    );
    // An approved @85 breaks no rule at all under these rules: nothing for the ladder.
    order_held(&env, "APP", "TEA:1@85");
    env.ok(&["orders", "approve", "APP", "--by", "ES"]);
    let after = check(&env, &[]);
    assert!(
        !kinds(&after).iter().any(|(_, s)| s.starts_with("APP")),
        "{after:?}"
    );
}

#[test]
fn regional_spread_compares_each_region_with_the_all_region_average() {
    let env = company();
    product(&env, "10", None);
    only(&env, &["regional_spread"]);
    // February: all-region average 2000 / 20 = 100; W at 85 is exactly 15% below: allowed.
    order(&env, "F1", "C1", "2026-02-02", &["TEA:10@115"]);
    order(&env, "F2", "C2", "2026-02-03", &["TEA:10@85"]);
    // January: W at 84.999, the average 1999.99 / 20 = 99.9995: more than 15% below.
    order(&env, "J1", "C1", "2026-01-02", &["TEA:10@115"]);
    order(&env, "J2", "C2", "2026-01-03", &["TEA:10@84.999"]);
    assert!(check(&env, &["--no-record"]).is_empty());
    let found = check(&env, &["--period", "2026-01"]);
    assert_eq!(
        found,
        vec![json!({"kind": "regional_spread", "subject": "W/TEA",
            "detail": "average price 85.00 (10 units) is 15.0006% below the all-region average 100.00 (allowed 15%)",
            "order_id": null, "line_no": null, "sku": "TEA", "rep": null, "region": "W",
            "date": "2026-01-31"})]
    );
    // A region filter keeps the all-region average but shows only its own regions.
    assert!(check(&env, &["--period", "2026-01", "--region", "E"]).is_empty());
    assert_eq!(
        check(&env, &["--period", "2026-01", "--region", "W"]).len(),
        1
    );
}

#[test]
fn region_filter_includes_sub_regions() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-02", &["TEA:1@1"]);
    order(&env, "B", "C3", "2026-02-03", &["TEA:1@1"]);
    order(&env, "C", "C2", "2026-02-04", &["TEA:1@1"]);
    let subjects = |r: &str| {
        kinds(&check(&env, &["--region", r, "--no-record"]))
            .into_iter()
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
    };
    assert_eq!(subjects("E"), vec!["A#1", "B#1"]);
    assert_eq!(subjects("E1"), vec!["B#1"]);
    assert_eq!(subjects("W"), vec!["C#1"]);
    env.err(&["prices", "check", "--region", "NOPE"], 3);
}

#[test]
fn market_below_floor_uses_the_floor_in_force_on_the_observation_date() {
    let env = company();
    product(&env, "10", Some("80"));
    env.ok(&[
        "prices",
        "set",
        "TEA",
        "--floor-price",
        "90",
        "--effective",
        "2026-02-15",
        "--reason",
        "floor up",
    ]);
    let file = env.write(
        "seen.csv",
        "date,sku,price,platform,seller,area,url\n\
         2026-02-10,TEA,80,tmall,S1,上海,\n\
         2026-02-11,TEA,79.99,tmall,S1,上海,https://x/1\n\
         2026-02-11,TEA,79.99,tmall,S1,上海,https://x/1\n\
         2026-02-14,TEA,85,jd,,四川,\n\
         2026-02-15,TEA,85,jd,,Sichuan,\n\
         2026-03-01,TEA,1,jd,,,\n",
    );
    let path = file.to_str().unwrap();
    let err = env.err(&["prices", "observe", path], 0);
    assert!(
        err.contains("6 rows read, 5 created, 0 updated, 1 skipped"),
        "{err}"
    );
    let err = env.err(&["prices", "observe", path], 0);
    assert!(err.contains("0 created, 0 updated, 6 skipped"), "{err}");
    let found = check(&env, &[]);
    assert_eq!(
        found,
        vec![
            json!({"kind": "market_below_floor", "subject": "observation 2",
                "detail": "observed price 79.99 is below the floor price 80.00 (tmall, S1, 上海)",
                "order_id": null, "line_no": null, "sku": "TEA", "rep": null, "region": "E",
                "date": "2026-02-11"}),
            json!({"kind": "market_below_floor", "subject": "observation 4",
                "detail": "observed price 85.00 is below the floor price 90.00 (jd, 四川)",
                "order_id": null, "line_no": null, "sku": "TEA", "rep": null, "region": "W",
                "date": "2026-02-15"}),
        ]
    );
    assert_eq!(check(&env, &["--region", "W"]).len(), 1);
    let bad = env.write(
        "bad.csv",
        "date,sku,price,area\n2026-02-10,TEA,80,Atlantis\n2026-02-10,NOPE,80,\n2026-02-10,TEA,,\n",
    );
    let err = env.err(&["prices", "observe", bad.to_str().unwrap()], 3);
    assert!(
        err.contains("bad.csv:2: column \"area\": unknown area \"Atlantis\""),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:3: column \"sku\": no product \"NOPE\""),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:4: column \"price\": price is required"),
        "{err}"
    );
}

#[test]
fn running_the_check_twice_records_nothing_new_and_resolved_findings_hide() {
    let env = company();
    product(&env, "60", Some("55"));
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-02", &["TEA:1@58"]); // below cost, not below the floor
    order(&env, "B", "C2", "2026-02-03", &["TEA:1@50"]); // below floor and cost
    let first_no_record = check(&env, &["--no-record"]);
    assert_eq!(first_no_record.len(), 3);
    assert!(
        violations(&env, &[]).is_empty(),
        "--no-record records nothing"
    );
    let first = check(&env, &[]);
    let ledger = violations(&env, &[]);
    assert_eq!(ledger.len(), 3);
    assert_eq!(check(&env, &[]), first);
    assert_eq!(
        violations(&env, &[]),
        ledger,
        "the second run changes nothing"
    );
    assert!(ledger.iter().all(|v| v["status"] == "open"));
    // One resolved: hidden unless --all.
    let id = violation_id(&env, "below_floor", "B");
    env.ok(&[
        "prices",
        "resolve",
        &id,
        "--action",
        "dismiss",
        "--note",
        "agreed clearance",
    ]);
    assert_eq!(
        kinds(&check(&env, &[])),
        pairs(&[("below_cost", "A#1"), ("below_cost", "B#1")])
    );
    assert_eq!(check(&env, &["--all"]).len(), 3);
    for v in violations(&env, &["--status", "open"]) {
        env.ok(&[
            "prices",
            "resolve",
            &v["id"].to_string(),
            "--action",
            "warning",
            "--note",
            "told",
        ]);
    }
    assert!(check(&env, &[]).is_empty(), "all resolved: exit 0");
    assert_eq!(violations(&env, &["--status", "resolved"]).len(), 3);
    assert_eq!(violations(&env, &["--rep", "W01"]).len(), 2);
    assert_eq!(violations(&env, &["--period", "2026-02-03"]).len(), 2);
}

#[test]
fn the_ladder_suggests_warning_fine_suspend_from_confirmed_violations_in_the_window() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    for (id, date) in [
        ("V0", "2025-10-01"),
        ("V1", "2026-01-10"),
        ("V2", "2026-01-20"),
        ("V3", "2026-02-01"),
        ("V4", "2026-02-10"),
    ] {
        order(&env, id, "C1", date, &["TEA:1@59"]);
    }
    order(&env, "W", "C2", "2026-02-05", &["TEA:1@59"]);
    assert_eq!(
        check(&env, &["--period", "2025-10-01..2026-02-28"]).len(),
        6
    );
    let suggestion = |order_id: &str| -> Value {
        violations(&env, &[])
            .into_iter()
            .find(|v| v["order_id"] == order_id)
            .unwrap()["suggested_action"]
            .clone()
    };
    let resolve = |order_id: &str, action: &str| {
        let id = violation_id(&env, "below_cost", order_id);
        env.ok(&[
            "prices", "resolve", &id, "--action", action, "--note", "ladder",
        ]);
    };
    assert_eq!(suggestion("V1"), "warning");
    resolve("V0", "warning");
    // V0 is 101 days before V1: older than the 90-day window.
    assert_eq!(suggestion("V1"), "warning");
    resolve("V1", "warning");
    assert_eq!(suggestion("V2"), "fine");
    resolve("V2", "fine");
    assert_eq!(suggestion("V3"), "suspend");
    resolve("V3", "dismiss"); // a dismissed violation is not confirmed
    assert_eq!(suggestion("V4"), "suspend");
    assert_eq!(
        suggestion("W"),
        "warning",
        "another rep's violations do not count"
    );
    let fined = violations(&env, &[])
        .into_iter()
        .find(|v| v["order_id"] == "V2")
        .unwrap();
    assert_eq!(fined["action"], "fine");
    assert_eq!(fined["status"], "resolved");
    // A longer window takes V0 in: V1 now has one before it; V4 three, past the end of the ladder.
    policy(&env, "violation.window_days", "365");
    assert_eq!(suggestion("V1"), "fine");
    assert_eq!(suggestion("V4"), "suspend");
}

#[test]
fn a_suspension_blocks_orders_until_the_rep_is_reinstated() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-10", &["TEA:1@59"]);
    check(&env, &[]);
    let id = violation_id(&env, "below_cost", "A");
    env.err(
        &[
            "prices", "resolve", &id, "--action", "warning", "--amount", "10", "--note", "x",
        ],
        2,
    );
    let out = env.ok(&[
        "prices", "resolve", &id, "--action", "suspend", "--days", "10", "--note", "repeat",
    ]);
    assert_eq!(
        out.trim(),
        format!(
            "violation {id} resolved: suspend; rep E01 suspended from 2026-03-16 through 2026-03-25 (10 days)"
        )
    );
    let err = env.err(
        &[
            "prices", "resolve", &id, "--action", "warning", "--note", "again",
        ],
        3,
    );
    assert!(err.contains("already resolved"), "{err}");
    let err = env.err(&["orders", "add", "--customer", "C1", "--line", "TEA:1"], 3);
    assert!(
        err.contains("rep E01 is suspended through 2026-03-25")
            && err.contains(&format!("violation {id}")),
        "{err}"
    );
    env.ok(&["reps", "reinstate", "E01"]);
    env.ok(&["orders", "add", "--customer", "C1", "--line", "TEA:1"]);
}

#[test]
fn a_fine_defaults_to_the_policy_and_takes_an_amount() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-10", &["TEA:1@59"]);
    order(&env, "B", "C1", "2026-02-11", &["TEA:1@59"]);
    check(&env, &[]);
    let a = violation_id(&env, "below_cost", "A");
    let b = violation_id(&env, "below_cost", "B");
    let out = env.ok(&["prices", "resolve", &a, "--action", "fine", "--note", "n"]);
    assert_eq!(
        out.trim(),
        format!("violation {a} resolved: fine of 500.00")
    );
    let out = env.ok(&[
        "prices", "resolve", &b, "--action", "fine", "--amount", "200", "--note", "n",
    ]);
    assert_eq!(
        out.trim(),
        format!("violation {b} resolved: fine of 200.00")
    );
    env.err(
        &[
            "prices", "resolve", "999", "--action", "fine", "--note", "n",
        ],
        3,
    );
    env.err(&["prices", "resolve", &a, "--action", "fine"], 2);
}

#[test]
fn history_and_notice_compare_each_change_with_the_price_the_day_before() {
    let env = company();
    product(&env, "50", Some("80"));
    env.ok(&[
        "prices",
        "set",
        "TEA",
        "--list-price",
        "110",
        "--effective",
        "2026-03-01",
        "--reason",
        "raw material",
    ]);
    env.ok(&[
        "prices",
        "set",
        "TEA",
        "--floor-price",
        "85",
        "--cost",
        "55.5",
        "--effective",
        "2026-04-01",
        "--reason",
        "floor up",
    ]);
    let initial = json!({"sku": "TEA", "name": "龙井", "effective": null, "reason": "initial",
        "old_list_price": null, "new_list_price": "100.00", "list_change_pct": null,
        "old_floor_price": null, "new_floor_price": "80.00", "old_cost": null, "new_cost": "50.00"});
    let march = json!({"sku": "TEA", "name": "龙井", "effective": "2026-03-01", "reason": "raw material",
        "old_list_price": "100.00", "new_list_price": "110.00", "list_change_pct": 10.0,
        "old_floor_price": "80.00", "new_floor_price": "80.00", "old_cost": "50.00", "new_cost": "50.00"});
    let april = json!({"sku": "TEA", "name": "龙井", "effective": "2026-04-01", "reason": "floor up",
        "old_list_price": "110.00", "new_list_price": "110.00", "list_change_pct": 0.0,
        "old_floor_price": "80.00", "new_floor_price": "85.00", "old_cost": "50.00", "new_cost": "55.50"});
    assert_eq!(
        env.json(&["prices", "history", "TEA"]),
        json!([initial, march.clone(), april.clone()])
    );
    // Default --since is today (2026-03-16): only the upcoming change.
    assert_eq!(env.json(&["prices", "notice"]), json!([april.clone()]));
    assert_eq!(
        env.json(&["prices", "notice", "--since", "2026-03-01"]),
        json!([march, april])
    );
    let md = env.ok(&[
        "prices",
        "notice",
        "--since",
        "2026-03-01",
        "--format",
        "md",
    ]);
    assert_eq!(
        md,
        "# Price adjustment notice: changes effective from 2026-03-01\n\n\
         ## 2 changes, by effective date\n\n\
         | sku | name | effective | list price | change | floor price | reason |\n\
         |---|---|---|---|---|---|---|\n\
         | TEA | 龙井 | 2026-03-01 | 100.00 → 110.00 | +10.0% | 80.00 | raw material |\n\
         | TEA | 龙井 | 2026-04-01 | 110.00 | unchanged | 80.00 → 85.00 | floor up |\n\n"
    );
    // An order takes the list price in force on its date.
    env.ok(&[
        "orders",
        "add",
        "--id",
        "M1",
        "--customer",
        "C1",
        "--date",
        "2026-03-02",
        "--line",
        "TEA:1",
    ]);
    let show = env.ok(&["orders", "show", "M1", "--format", "json"]);
    assert!(show.contains("110.00"), "{show}");
}

#[test]
fn prices_set_needs_a_reason_a_change_and_a_floor_not_above_list() {
    let env = company();
    product(&env, "50", Some("80"));
    let err = env.err(&["prices", "set", "TEA", "--list-price", "90"], 2);
    assert!(err.contains("--reason"), "{err}");
    env.err(&["prices", "set", "TEA", "--reason", "r"], 2);
    let err = env.err(
        &[
            "prices",
            "set",
            "TEA",
            "--list-price",
            "70",
            "--reason",
            "r",
        ],
        3,
    );
    assert!(
        err.contains("floor price 80.00 is above the list price 70.00"),
        "{err}"
    );
    let err = env.err(
        &[
            "prices",
            "set",
            "TEA",
            "--list-price",
            "100",
            "--reason",
            "r",
        ],
        3,
    );
    assert!(err.contains("nothing changes"), "{err}");
    env.err(
        &["prices", "set", "NOPE", "--cost", "1", "--reason", "r"],
        3,
    );
    let out = env.ok(&[
        "prices",
        "set",
        "TEA",
        "--no-floor-price",
        "--list-price",
        "70",
        "--reason",
        "clearance",
    ]);
    assert_eq!(
        out.trim(),
        "TEA from 2026-03-16: list 70.00, floor none, cost 50.00"
    );
}

#[test]
fn the_report_counts_live_findings_by_kind() {
    let env = company();
    product(&env, "60", Some("55"));
    only(&env, &[]);
    order(&env, "A", "C1", "2026-02-02", &["TEA:1@58"]);
    order(&env, "B", "C2", "2026-02-03", &["TEA:1@50"]);
    let report = env.json(&["report", "monthly"]);
    assert_eq!(
        report["violations"],
        json!([
            {"kind": "below_floor", "count": 1},
            {"kind": "below_cost", "count": 2},
            {"kind": "unapproved_discount", "count": 0},
            {"kind": "over_max_discount", "count": 0},
            {"kind": "off_list", "count": 0},
            {"kind": "regional_spread", "count": 0},
            {"kind": "market_below_floor", "count": 0}
        ])
    );
}

/// Issue: resolved findings showed no fine, days, note or date; `fine` on a finding with no rep was
/// taken; two findings of one order climbed the ladder twice.
#[test]
fn prices_violations_shows_how_each_finding_was_resolved() {
    let env = company();
    product(&env, "60", None);
    only(&env, &[]);
    order(&env, "F1", "C1", "2026-03-02", &["TEA:1@59"]);
    order(&env, "F2", "C1", "2026-03-03", &["TEA:1@59"]);
    check(&env, &["--period", "2026-03"]);
    let a = violation_id(&env, "below_cost", "F1");
    let b = violation_id(&env, "below_cost", "F2");
    env.ok(&[
        "prices",
        "resolve",
        &a,
        "--action",
        "fine",
        "--amount",
        "200",
        "--note",
        "first time",
    ]);
    env.ok(&[
        "prices", "resolve", &b, "--action", "suspend", "--days", "3", "--note", "again",
    ]);
    let resolved = violations(&env, &["--status", "resolved"]);
    let pick = |key: &str| -> Vec<Value> { resolved.iter().map(|v| v[key].clone()).collect() };
    assert_eq!(pick("action"), [json!("fine"), json!("suspend")]);
    assert_eq!(pick("amount"), [json!("200.00"), Value::Null]);
    assert_eq!(pick("days"), [Value::Null, json!(3)]);
    assert_eq!(pick("note"), [json!("first time"), json!("again")]);
    assert_eq!(
        pick("resolved_on"),
        [json!("2026-03-16"), json!("2026-03-16")]
    );
    env.db_check_clean();
}

#[test]
fn a_fine_is_refused_for_a_finding_with_no_rep() {
    let env = company();
    product(&env, "10", Some("80"));
    let file = env.write(
        "seen.csv",
        "date,sku,price,platform,seller,area,url\n2026-03-10,TEA,70,tmall,S1,上海,\n",
    );
    env.ok(&["prices", "observe", file.to_str().unwrap()]);
    check(&env, &["--period", "2026-03"]);
    let id = violations(&env, &[])
        .iter()
        .find(|v| v["kind"] == "market_below_floor")
        .expect("a market finding")["id"]
        .to_string();
    let err = env.err(
        &["prices", "resolve", &id, "--action", "fine", "--note", "n"],
        3,
    );
    assert!(err.contains("there is nobody to fine"), "{err}");
    assert_eq!(
        violations(&env, &["--status", "resolved"]),
        Vec::<Value>::new()
    );
}

#[test]
fn the_ladder_counts_the_findings_of_one_order_as_one_step() {
    let env = company();
    product(&env, "60", Some("70"));
    only(&env, &[]);
    // One order breaking two rules (below floor and below cost), then a later order.
    order(&env, "O1", "C1", "2026-03-02", &["TEA:1@59"]);
    order(&env, "O2", "C1", "2026-03-05", &["TEA:1@59"]);
    check(&env, &["--period", "2026-03"]);
    let floor = violation_id(&env, "below_floor", "O1");
    env.ok(&[
        "prices", "resolve", &floor, "--action", "warning", "--note", "n",
    ]);
    let suggestion = |kind: &str, order_id: &str| -> Value {
        violations(&env, &[])
            .into_iter()
            .find(|v| v["kind"] == kind && v["order_id"] == order_id)
            .unwrap()["suggested_action"]
            .clone()
    };
    // O1's other finding is the same step, not the next one.
    assert_eq!(suggestion("below_cost", "O1"), "warning");
    let cost = violation_id(&env, "below_cost", "O1");
    env.ok(&[
        "prices", "resolve", &cost, "--action", "warning", "--note", "n",
    ]);
    // O1 counts once for O2.
    assert_eq!(suggestion("below_floor", "O2"), "fine");
}

/// The report counts findings of whole months from price marks graded on a grid of 0.01%; a threshold
/// finer than that (a tolerance of 0.125%) cannot be judged from them, and the report then reads the
/// lines: its counts still equal what `prices check` finds, line by line.
#[test]
fn a_threshold_finer_than_the_marks_grid_is_still_counted_exactly() {
    let env = company();
    product(&env, "10", None);
    env.ok(&["policy", "set", "price.tolerance", "0.125%"]);
    // 0.1249% and 0.1251% above list: the same step of 0.01%, either side of the tolerance.
    import_orders(
        &env,
        "D1,2026-02-02,C1,TEA,1,100.1249,100.1249,\n\
         D2,2026-02-03,C1,TEA,1,100.1251,100.1251,\n",
    );
    let count = |kind: &str| -> i64 {
        let report = env.json(&["report", "monthly", "--month", "2026-02"]);
        report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["kind"] == kind)
            .unwrap()["count"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(count("off_list"), 1);
    let found = check(&env, &["--period", "2026-02", "--no-record"]);
    assert_eq!(
        found
            .iter()
            .filter(|f| f["kind"] == "off_list")
            .map(|f| f["order_id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["D2"]
    );
    // On the grid, the marks answer: 0.13% leaves both below, 0.12% finds both.
    env.ok(&["policy", "set", "price.tolerance", "0.13%"]);
    assert_eq!(count("off_list"), 0);
    env.ok(&["policy", "set", "price.tolerance", "0.12%"]);
    assert_eq!(count("off_list"), 2);
    env.db_check_clean();
}
