//! `targets …` through the binary: set, split, cascade, check, progress, import and export.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Regions E (江苏) with sub-region E1 (上海), and W (四川); reps E01, E02, E03 in E, E11 in E1,
/// W01 in W; one customer per rep that sells; product P1.
///
/// Net revenue of W in 2025: January 100, February 300, March −50 (a return of a February order),
/// December 600. In March 2026: E01 300 (region E), E11 200 (E1), W01 400 (cost 250), and a cancelled
/// W order of 1000 that must not count.
fn company() -> Env {
    Company::new()
        .region("E", "East")
        .sub_region("E1", "East One", "E")
        .region("W", "West")
        .assign("E", &["江苏"])
        .assign("E1", &["上海"])
        .assign("W", &["四川"])
        .rep("E01", "E01", "E")
        .rep("E02", "E02", "E")
        .rep("E03", "E03", "E")
        .rep("E11", "E11", "E1")
        .rep("W01", "W01", "W")
        .sql(
            "INSERT INTO products (sku, name) VALUES ('P1', 'Tea');
             INSERT INTO prices (sku, effective, list_price, floor_price, cost) VALUES ('P1', '0001-01-01', 10000000, NULL, 0);
             INSERT INTO customers (code, name, area, channel, owner, created) VALUES
                 ('C1', 'One', '32', 'offline', 'E01', '2024-01-01'),
                 ('C3', 'Three', '31', 'offline', 'E11', '2024-01-01'),
                 ('C4', 'Four', '51', 'offline', 'W01', '2024-01-01');",
        )
        .import(
            "orders",
            "orders.csv",
            "order_id,order_date,customer,status,sku,quantity,amount,unit_cost
W-1,2025-01-10,C4,completed,P1,1,100,0
W-2,2025-02-10,C4,completed,P1,1,250,0
W-3,2025-02-20,C4,completed,P1,1,50,0
W-4,2025-12-01,C4,completed,P1,1,600,0
E-1,2026-03-02,C1,confirmed,P1,1,300,0
E-2,2026-03-10,C3,confirmed,P1,1,200,0
W-5,2026-03-05,C4,confirmed,P1,1,400,250
W-6,2026-03-06,C4,cancelled,P1,1,1000,0
",
        )
        .run(&[
            "orders",
            "return",
            "W-3",
            "--line",
            "P1:1",
            "--reason",
            "broken",
            "--date",
            "2025-03-04",
        ])
        .build()
}

fn targets_json(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["targets", "list"];
    all.extend(args);
    env.json(&all).as_array().cloned().unwrap_or_default()
}

fn revenue_by_period(rows: &[Value]) -> Vec<(String, Value)> {
    rows.iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_string(),
                r["revenue"].clone(),
            )
        })
        .collect()
}

#[test]
fn split_by_last_year_follows_last_years_months_exactly() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026",
        "--revenue",
        "1234.56",
        "--quantity",
        "10",
    ]);
    let out = env.json(&[
        "targets",
        "split",
        "--region",
        "W",
        "--year",
        "2026",
        "--by",
        "last-year",
    ]);
    let rows = out.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    // Weights 100 : 300 : 0 (March is −50, counted as 0) : … : 600. Exact shares 123.456, 370.368,
    // 740.736 cents-floored leave 2 cents: February (.8) first, then January before December (.6 each).
    let expect = |m: usize| match m {
        1 => ("123.46", 1),
        2 => ("370.37", 3),
        12 => ("740.73", 6),
        _ => ("0.00", 0),
    };
    for (i, row) in rows.iter().enumerate() {
        let (rev, qty) = expect(i + 1);
        assert_eq!(row["period"], json!(format!("2026-{:02}", i + 1)));
        assert_eq!(row["revenue"], json!(rev), "{row}");
        assert_eq!(row["quantity"], json!(qty), "{row}");
    }
}

#[test]
fn scope_without_history_splits_evenly_and_hundred_in_three_is_exact() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--rep",
        "E03",
        "--period",
        "2026",
        "--revenue",
        "1200",
    ]);
    let rows = env.json(&[
        "targets",
        "split",
        "--rep",
        "E03",
        "--year",
        "2026",
        "--into",
        "quarters",
        "--by",
        "last-year",
    ]);
    let got: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revenue"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["300.00", "300.00", "300.00", "300.00"]);

    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026-06",
        "--revenue",
        "100",
    ]);
    let rows = env.json(&["targets", "cascade", "--region", "E", "--period", "2026-06"]);
    let got: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r["revenue"].as_str().unwrap()))
        .collect();
    // Ties go to the lower code.
    assert_eq!(got, [("E01", "33.34"), ("E02", "33.33"), ("E03", "33.33")]);
}

#[test]
fn cascade_with_weights_gives_unnamed_reps_nothing_and_refuses_strangers() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026-05",
        "--revenue",
        "10",
    ]);
    let rows = env.json(&[
        "targets",
        "cascade",
        "--region",
        "E",
        "--period",
        "2026-05",
        "--by",
        "weights:E02=1,E03=2",
    ]);
    let got: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revenue"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["0.00", "3.33", "6.67"]);
    let err = env.err(
        &[
            "targets",
            "cascade",
            "--region",
            "E",
            "--period",
            "2026-05",
            "--by",
            "weights:W01=1",
            "--yes",
        ],
        3,
    );
    assert!(err.contains("W01"), "{err}");
}

#[test]
fn overwrite_without_yes_is_refused_and_changes_nothing() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026",
        "--revenue",
        "1200",
    ]);
    env.ok(&["targets", "split", "--region", "W", "--year", "2026"]);
    let before = targets_json(&env, &[]);
    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026",
        "--revenue",
        "2400",
    ]);
    let err = env.err(
        &[
            "targets",
            "split",
            "--region",
            "W",
            "--year",
            "2026",
            "--by",
            "last-year",
        ],
        2,
    );
    assert!(err.contains("--yes"), "{err}");
    let after: Vec<Value> = targets_json(&env, &[])
        .into_iter()
        .filter(|r| r["period"] != json!("2026"))
        .collect();
    let before: Vec<Value> = before
        .into_iter()
        .filter(|r| r["period"] != json!("2026"))
        .collect();
    assert_eq!(before, after);
    // With --yes the months are replaced.
    env.ok(&[
        "targets", "split", "--region", "W", "--year", "2026", "--yes",
    ]);
    let months = targets_json(&env, &["--region", "W", "--period", "2026-01"]);
    assert_eq!(
        revenue_by_period(&months),
        [("2026-01".to_string(), json!("200.00"))]
    );
    // Cascade over existing rep targets asks too.
    env.ok(&["targets", "cascade", "--region", "W", "--period", "2026"]);
    env.err(
        &["targets", "cascade", "--region", "W", "--period", "2026"],
        2,
    );
}

fn progress(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["targets", "progress"];
    all.extend(args);
    env.json(&all).as_array().cloned().unwrap_or_default()
}

fn row<'a>(rows: &'a [Value], code: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["code"] == json!(code))
        .unwrap_or_else(|| panic!("no row {code} in {rows:?}"))
}

fn march_targets(env: &Env) {
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026-03",
        "--revenue",
        "1000",
    ]);
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E1",
        "--period",
        "2026-03",
        "--revenue",
        "400",
    ]);
    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026-03",
        "--revenue",
        "500",
        "--quantity",
        "2",
        "--profit",
        "200",
    ]);
}

#[test]
fn progress_inside_the_period_projects_and_ranks() {
    let env = company();
    march_targets(&env);
    // Today 2026-03-16: 16 days elapsed of 31, 15 left.
    let rows = progress(&env, &["--period", "2026-03"]);
    let codes: Vec<&str> = rows.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["W", "E", "E1"]);
    // The parent E includes E1's sales: 300 + 200.
    assert_eq!(
        row(&rows, "E"),
        &json!({"scope": "region", "code": "E", "name": "East", "period": "2026-03",
                "target_revenue": "1000.00", "net_revenue": "500.00", "achievement_pct": 50.0,
                "gap": "500.00", "projected": "968.75", "needed_per_day": "33.33",
                "target_quantity": null, "quantity": null, "target_profit": null, "profit": null,
                "band": "under", "rank": 2})
    );
    assert_eq!(
        row(&rows, "W"),
        &json!({"scope": "region", "code": "W", "name": "West", "period": "2026-03",
                "target_revenue": "500.00", "net_revenue": "400.00", "achievement_pct": 80.0,
                "gap": "100.00", "projected": "775.00", "needed_per_day": "6.67",
                "target_quantity": 2, "quantity": 1, "target_profit": "200.00", "profit": "150.00",
                "band": "warning", "rank": 1})
    );
    let e1 = row(&rows, "E1");
    assert_eq!(e1["net_revenue"], json!("200.00"));
    assert_eq!(e1["projected"], json!("387.50"));
    assert_eq!(e1["needed_per_day"], json!("13.33"));
    // 50% ties with E: the lower code ranks first.
    assert_eq!(e1["rank"], json!(3));

    // The quarter has no target of its own: the sum of its month targets stands in.
    let q1 = progress(&env, &["--period", "2026-Q1"]);
    assert_eq!(row(&q1, "E")["target_revenue"], json!("1000.00"));
    // 2026-01-01 .. 03-16 is 75 days of 90: 500 × 90 / 75 = 600.
    assert_eq!(row(&q1, "E")["projected"], json!("600.00"));

    // The table draws achievement as a bar.
    let table = env.ok(&["targets", "progress", "--period", "2026-03"]);
    assert!(table.contains("######## 80.0%"), "{table}");
}

#[test]
fn progress_outside_the_period_has_no_projection() {
    let env = company();
    march_targets(&env);
    let rows = progress(&env, &["--period", "2026-03", "--today", "2026-04-20"]);
    let e = row(&rows, "E");
    assert_eq!(e["net_revenue"], json!("500.00"));
    assert_eq!(e["achievement_pct"], json!(50.0));
    assert_eq!(e["gap"], json!("500.00"));
    assert_eq!(e["projected"], Value::Null);
    assert_eq!(e["needed_per_day"], Value::Null);
    assert_eq!(e["band"], json!("under"));
    // A scope without a target has no band or rank.
    let rows = progress(&env, &["--period", "2026-04", "--today", "2026-04-20"]);
    assert_eq!(row(&rows, "E")["rank"], Value::Null);
    assert_eq!(row(&rows, "E")["band"], Value::Null);
    assert_eq!(row(&rows, "E")["achievement_pct"], Value::Null);
}

#[test]
fn progress_over_a_date_range_counts_only_its_days_and_by_rep() {
    let env = company();
    // 2026-03-01..05 has E-1 (300, E) and W-5 (400, W); E-2 on the 10th is outside.
    let rows = progress(&env, &["--period", "2026-03-01..2026-03-05"]);
    assert_eq!(row(&rows, "E")["net_revenue"], json!("300.00"));
    assert_eq!(row(&rows, "W")["net_revenue"], json!("400.00"));
    // Part of February (250 + 50) and all of March (the return of 50).
    let rows = progress(&env, &["--period", "2025-02-05..2025-03-31"]);
    assert_eq!(row(&rows, "W")["net_revenue"], json!("250.00"));
    let reps = progress(&env, &["--period", "2026-03", "--by", "rep"]);
    assert_eq!(row(&reps, "E11")["net_revenue"], json!("200.00"));
    assert_eq!(row(&reps, "E01")["net_revenue"], json!("300.00"));
    assert_eq!(row(&reps, "E01")["scope"], json!("rep"));
}

#[test]
fn check_finds_months_and_reps_that_do_not_add_up_and_is_clean_after_split_and_cascade() {
    let env = company();
    for region in ["E", "E1", "W"] {
        env.ok(&[
            "targets",
            "set",
            "--region",
            region,
            "--period",
            "2026",
            "--revenue",
            "1200",
        ]);
        env.ok(&[
            "targets",
            "split",
            "--region",
            region,
            "--year",
            "2026",
            "--by",
            "last-year",
        ]);
        env.ok(&["targets", "cascade", "--region", region, "--period", "2026"]);
    }
    let clean = env.json(&["targets", "check"]);
    assert_eq!(clean, json!([]));

    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026-02",
        "--revenue",
        "1",
    ]);
    env.ok(&[
        "targets",
        "set",
        "--rep",
        "E02",
        "--period",
        "2026",
        "--revenue",
        "1",
    ]);
    let findings = env.json_code(&["targets", "check"], 4);
    let kinds: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["subject"].as_str().unwrap()))
        .collect();
    // The cascade of a year with months gave every rep its months and quarters too, so a rep's year
    // set by hand disagrees with them, and a region month set by hand with its reps' months.
    assert_eq!(
        kinds,
        [
            ("months_mismatch", "region W 2026"),
            ("months_mismatch", "rep E02 2026"),
            ("quarters_mismatch", "rep E02 2026"),
            ("reps_mismatch", "region E 2026"),
            ("reps_mismatch", "region W 2026-02")
        ]
    );
    let detail = findings[0]["detail"].as_str().unwrap();
    assert!(detail.contains("revenue"), "{detail}");
}

#[test]
fn check_names_regions_and_active_reps_without_a_target_this_year() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2025",
        "--revenue",
        "1",
    ]);
    env.ok(&[
        "targets",
        "set",
        "--rep",
        "E01",
        "--period",
        "2026-Q4",
        "--revenue",
        "1",
    ]);
    let findings = env.json_code(&["targets", "check"], 4);
    let missing: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == json!("missing"))
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "region E",
            "region E1",
            "region W",
            "rep E02",
            "rep E03",
            "rep E11",
            "rep W01"
        ]
    );
}

#[test]
fn export_then_import_into_a_new_database_gives_the_same_targets() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "W",
        "--period",
        "2026",
        "--revenue",
        "1000.0001",
        "--quantity",
        "7",
    ]);
    env.ok(&[
        "targets", "split", "--region", "W", "--year", "2026", "--into", "quarters",
    ]);
    env.ok(&[
        "targets", "set", "--rep", "E01", "--period", "2026-03", "--profit", "12.5",
    ]);
    let csv = env.ok(&["targets", "export"]);
    assert!(
        csv.starts_with("scope,code,period,revenue,quantity,profit\n"),
        "{csv}"
    );
    assert!(csv.contains("region,W,2026,1000.0001,7,\n"), "{csv}");
    // Sub-cent targets are split in 1e-4 units.
    assert!(csv.contains("region,W,2026-Q1,250.0001,2,\n"), "{csv}");
    let before = targets_json(&env, &[]);

    let other = company();
    let file = other.write("targets.csv", &csv);
    other.ok(&["targets", "import", file.to_str().unwrap()]);
    assert_eq!(targets_json(&other, &[]), before);
    // Importing the same file again changes nothing.
    let out = other.run(&["targets", "import", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 created, 0 updated, 6 skipped"), "{err}");
}

#[test]
fn bad_input_exits_with_the_right_code() {
    let env = company();
    let err = env.err(
        &[
            "targets",
            "set",
            "--region",
            "X",
            "--period",
            "2026",
            "--revenue",
            "1",
        ],
        3,
    );
    assert!(err.contains("no region \"X\""), "{err}");
    env.err(
        &[
            "targets",
            "set",
            "--rep",
            "NOPE",
            "--period",
            "2026",
            "--revenue",
            "1",
        ],
        3,
    );
    env.err(
        &[
            "targets",
            "set",
            "--region",
            "E",
            "--period",
            "2026-01-01..2026-02-01",
            "--revenue",
            "1",
        ],
        2,
    );
    env.err(&["targets", "set", "--region", "E", "--period", "2026"], 2);
    env.err(
        &[
            "targets",
            "set",
            "--region",
            "E",
            "--period",
            "2026",
            "--revenue",
            "-1",
        ],
        3,
    );
    env.err(&["targets", "split", "--region", "E", "--year", "2026"], 3);
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026",
        "--revenue",
        "1",
    ]);
    env.err(
        &[
            "targets",
            "split",
            "--region",
            "E",
            "--year",
            "2026",
            "--by",
            "weights:1,2",
        ],
        2,
    );
    let file = env.write("bad.csv", "scope,code,period,revenue\nregion,E,2026-Q1,5\nteam,E,2026,1\nregion,Z,2026-01..2026-02,x\n");
    let err = env.err(&["targets", "import", file.to_str().unwrap()], 3);
    assert!(err.contains("bad.csv:3"), "{err}");
    assert!(err.contains("bad.csv:4"), "{err}");
    // Nothing of the file was written.
    assert_eq!(
        targets_json(&env, &["--period", "2026-Q1"]),
        Vec::<Value>::new()
    );
    // Remove asks, then removes.
    env.err(
        &["targets", "remove", "--region", "E", "--period", "2026"],
        2,
    );
    env.ok(&[
        "targets", "remove", "--region", "E", "--period", "2026", "--yes",
    ]);
    assert_eq!(targets_json(&env, &[]), Vec::<Value>::new());
}

/// Issue: quantity 100 over three reps could never check clean. A year split into months and cascaded
/// to reps now splits every month with the rounding carried, and each rep's quarters and year are the
/// sums of its months.
#[test]
fn cascade_of_a_year_with_months_checks_clean_whatever_the_amounts() {
    let env = company();
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026",
        "--quantity",
        "100",
        "--revenue",
        "1000.01",
    ]);
    env.ok(&["targets", "split", "--region", "E", "--year", "2026"]);
    env.ok(&["targets", "cascade", "--region", "E", "--period", "2026"]);
    // Only regions and reps without any target are left to report.
    let findings = env.json_code(&["targets", "check"], 4);
    let kinds: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.iter().all(|k| *k == "missing"), "{findings}");
    let rows = env.json(&["targets", "list", "--period", "2026"]);
    let of = |rep: &str, period: &str, key: &str| -> Value {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == rep && r["period"] == period)
            .map(|r| r[key].clone())
            .unwrap_or(Value::Null)
    };
    // Each rep's year is its share of 100 within one unit, and of 1000.01 within one cent.
    assert_eq!(of("E01", "2026", "quantity"), json!(34));
    assert_eq!(of("E02", "2026", "quantity"), json!(33));
    assert_eq!(of("E03", "2026", "quantity"), json!(33));
    assert_eq!(of("E01", "2026", "revenue"), json!("333.34"));
    assert_eq!(of("E02", "2026", "revenue"), json!("333.34"));
    assert_eq!(of("E03", "2026", "revenue"), json!("333.33"));
    // Every month of the region adds up over its reps.
    for m in 1..=12 {
        let month = format!("2026-{m:02}");
        let region = of("E", &month, "quantity").as_i64().unwrap();
        let reps: i64 = ["E01", "E02", "E03"]
            .iter()
            .map(|r| of(r, &month, "quantity").as_i64().unwrap())
            .sum();
        assert_eq!(reps, region, "{month}");
    }
    assert_eq!(of("E02", "2026-Q1", "quantity"), json!(9));
    env.db_check_clean();
}

#[test]
fn cascade_all_cascades_every_region_with_a_target_in_one_step() {
    let env = company();
    for (region, amount) in [("E", "900"), ("W", "500")] {
        env.ok(&[
            "targets",
            "set",
            "--region",
            region,
            "--period",
            "2026-06",
            "--revenue",
            amount,
        ]);
    }
    let out = env.ok(&[
        "targets", "cascade", "--all", "--period", "2026-06", "--format", "csv",
    ]);
    assert_eq!(
        out,
        "scope,code,period,revenue,quantity,profit\n\
         rep,E01,2026-06,300.00,,\n\
         rep,E02,2026-06,300.00,,\n\
         rep,E03,2026-06,300.00,,\n\
         rep,W01,2026-06,500.00,,\n"
    );
    let err = env.err(&["targets", "cascade", "--all", "--period", "2026-07"], 3);
    assert!(err.contains("no region has a target for 2026-07"), "{err}");
    let err = env.err(
        &[
            "targets",
            "cascade",
            "--all",
            "--period",
            "2026-06",
            "--by",
            "weights:E01=1",
        ],
        2,
    );
    assert!(err.contains("give --region, not --all"), "{err}");
}
