//! `scorecard …` through the binary: a hand-worked scorecard of February 2026 (every indicator's
//! value and score, one left out for lack of data, the rescaled total to one decimal), the grade
//! boundaries at equality, ties in rank by code, `--by rep`, the policy's `score.NAME` validation,
//! and `scorecard rate` replacing a rating and auditing both.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Regions E (上海), W (四川), X (云南) and N (北京); reps E01 (E) and W01 (W); TEA-1 at 100, cost 80
/// (a 20% margin); customer C1 of E01; carrier SF promising 2 days.
fn company() -> Env {
    Company::new()
        .region("E", "East")
        .assign("E", &["上海"])
        .region("W", "West")
        .assign("W", &["四川"])
        .region("X", "Yunnan")
        .assign("X", &["云南"])
        .region("N", "North")
        .assign("N", &["北京"])
        .rep("E01", "E01", "E")
        .rep("W01", "W01", "W")
        .product("TEA-1", "Tea", "100", "80")
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
        .build()
}

fn order(env: &Env, id: &str, date: &str, qty: u32) {
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
}

fn ship(env: &Env, id: &str, shipped: &str, delivered: &str) {
    env.ok(&[
        "orders",
        "ship",
        id,
        "--carrier",
        "SF",
        "--tracking",
        &format!("T-{id}"),
        "--date",
        shipped,
    ]);
    env.ok(&["orders", "deliver", id, "--date", delivered]);
}

/// A ticket of C1 assigned to E01: opened, answered, resolved an hour later, closed with `stars`.
fn ticket(env: &Env, opened: &str, answered: &str, resolved: &str, stars: &str) {
    let out = env.ok(&[
        "service",
        "open",
        "--customer",
        "C1",
        "--kind",
        "complaint",
        "--summary",
        "包装破损",
        "--assign",
        "E01",
        "--at",
        opened,
    ]);
    let id = out
        .split_whitespace()
        .last()
        .expect("ticket id")
        .to_string();
    env.ok(&["service", "respond", &id, "--at", answered]);
    env.ok(&[
        "service", "resolve", &id, "--note", "补发", "--at", resolved,
    ]);
    env.ok(&[
        "service",
        "close",
        &id,
        "--satisfaction",
        stars,
        "--at",
        resolved,
    ]);
}

/// February 2026, worked by hand (today is 2026-03-16, so receivables are as of 02-28):
/// - O0 (January, 5 × 100, due 02-04) paid 200 on 01-20: 300 overdue at 02-28.
/// - O1 02-02 10 × 100 shipped 02-03 by SF, delivered 02-04 (1 day: on time); O2 02-10 2 × 100
///   shipped 02-10, delivered 02-16 (6 days: late). Net 1200, cost 960, profit 240.
/// - E's February target 1200. Outstanding at 02-28: 300 + 1000 + 200 = 1500, overdue 300.
/// - In the ledger: E01's finding of 02-10 resolved as a warning (counts), one dismissed and one
///   open (do not), and W01's warning (W sold nothing: left out).
/// - Tickets of E01: answered in 1 h, in 5 h (late: due in 4), in 30 min; rated 4, 5, 5.
/// - Ratings: E 80, W 70, X 70; N nothing at all.
fn february() -> Env {
    let env = company();
    order(&env, "O0", "2026-01-05", 5);
    env.ok(&[
        "orders",
        "pay",
        "O0",
        "--amount",
        "200",
        "--date",
        "2026-01-20",
    ]);
    order(&env, "O1", "2026-02-02", 10);
    ship(&env, "O1", "2026-02-03", "2026-02-04");
    order(&env, "O2", "2026-02-10", 2);
    ship(&env, "O2", "2026-02-10", "2026-02-16");
    env.ok(&[
        "targets",
        "set",
        "--region",
        "E",
        "--period",
        "2026-02",
        "--revenue",
        "1200",
    ]);
    env.conn()
        .execute_batch(
            "INSERT INTO violations (key, kind, rep, region, date, detail, status, action, note, resolved_on) VALUES
             ('t1', 'below_floor', 'E01', 'E', '2026-02-10', 'x', 'resolved', 'warning', 'n', '2026-02-11'),
             ('t2', 'below_floor', 'E01', 'E', '2026-02-11', 'x', 'resolved', 'dismiss', 'n', '2026-02-12'),
             ('t3', 'below_floor', 'E01', 'E', '2026-02-12', 'x', 'open', NULL, NULL, NULL),
             ('t4', 'below_floor', 'W01', 'W', '2026-02-12', 'x', 'resolved', 'warning', 'n', '2026-02-13'),
             ('t5', 'below_floor', 'E01', 'E', '2026-01-12', 'x', 'resolved', 'fine', 'n', '2026-01-13');",
        )
        .expect("violations");
    ticket(
        &env,
        "2026-02-02 10:00",
        "2026-02-02 11:00",
        "2026-02-02 12:00",
        "4",
    );
    ticket(
        &env,
        "2026-02-03 10:00",
        "2026-02-03 15:00",
        "2026-02-03 16:00",
        "5",
    );
    ticket(
        &env,
        "2026-02-04 10:00",
        "2026-02-04 10:30",
        "2026-02-04 11:00",
        "5",
    );
    for (code, score) in [("E", "80"), ("W", "70"), ("X", "70")] {
        env.ok(&[
            "scorecard",
            "rate",
            code,
            "--period",
            "2026-02",
            "--score",
            score,
            "--note",
            "季度评议",
        ]);
    }
    env
}

fn ind(name: &str, value: Value, score: Value, weight: i64) -> Value {
    json!({"name": name, "value": value, "score": score, "weight": weight})
}

#[test]
fn a_hand_worked_scorecard_by_region() {
    let env = february();
    let sc = env.json(&["scorecard", "--period", "2026-02"]);
    // E: achievement 1200/1200 = 100% → (100−60)/60 = 66.7; margin 240/1200 = 20% → 66.7;
    // overdue 300/1500 = 20% → (20−30)/(0−30) = 33.3; violations 1 → (1−5)/(0−5) = 80.0; response 2
    // of 3 = 66.7% → 33.3; satisfaction 14/3 = 4.67 → 83.3; on time 1 of 2 = 50% → clamped 0.0;
    // campaign ROI: no campaign, left out; rating 80 → 80.0.
    // Total over weights 105 (110 less the 5 left out): (40×66.7 + 10×66.7 + 10×33.3 + 10×80.0
    // + 10×33.3 + 10×83.3 + 5×0.0 + 10×80.0) / 105 = 6434 / 105 = 61.276… → 61.3, C.
    let east = json!({
        "scope": "region", "code": "E", "name": "East", "period": "2026-02",
        "indicators": [
            ind("achievement", json!(100.0), json!(66.7), 40),
            ind("margin", json!(20.0), json!(66.7), 10),
            ind("overdue", json!(20.0), json!(33.3), 10),
            ind("violations", json!(1), json!(80.0), 10),
            ind("response_on_time", json!(66.7), json!(33.3), 10),
            ind("satisfaction", json!(4.67), json!(83.3), 10),
            ind("on_time_delivery", json!(50.0), json!(0.0), 5),
            ind("campaign_roi", Value::Null, Value::Null, 5),
            ind("qualitative", json!(80), json!(80.0), 10),
        ],
        "total": 61.3, "grade": "C", "rank": 3
    });
    let rows = sc.as_array().expect("array");
    let codes: Vec<(&str, &Value)> = rows
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), &r["rank"]))
        .collect();
    // W and X tie at 70.0 (their rating only: W sold nothing, so its warning is not graded): the
    // code decides. N has no data at all: no total, no grade, no rank, last.
    assert_eq!(
        codes,
        vec![
            ("W", &json!(1)),
            ("X", &json!(2)),
            ("E", &json!(3)),
            ("N", &Value::Null)
        ]
    );
    assert_eq!(rows[2], east);
    assert_eq!(rows[0]["total"], json!(70.0));
    assert_eq!(rows[0]["grade"], json!("C"));
    let w_violations = rows[0]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "violations")
        .unwrap()
        .clone();
    assert_eq!(
        w_violations,
        ind("violations", Value::Null, Value::Null, 10)
    );
    assert_eq!(rows[3]["total"], Value::Null);
    assert_eq!(rows[3]["grade"], Value::Null);
}

#[test]
fn by_rep_scores_the_reps_orders_and_tickets() {
    let env = february();
    let sc = env.json(&["scorecard", "--period", "2026-02", "--by", "rep"]);
    // E01: no rep target (achievement left out), margin 66.7, overdue 33.3, violations 80.0,
    // response 33.3, satisfaction 83.3, no rating: (667 + 333 + 800 + 333 + 833) / 50 = 59.32 → 59.3,
    // D. W01 has nothing in February and is not listed.
    assert_eq!(sc.as_array().unwrap().len(), 1, "{sc:#}");
    let e01 = &sc[0];
    assert_eq!(e01["scope"], "rep");
    assert_eq!(e01["code"], "E01");
    let names: Vec<&str> = e01["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "achievement",
            "margin",
            "overdue",
            "violations",
            "response_on_time",
            "satisfaction",
            "qualitative"
        ]
    );
    let scores: Vec<&Value> = e01["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["score"])
        .collect();
    assert_eq!(
        scores,
        vec![
            &Value::Null,
            &json!(66.7),
            &json!(33.3),
            &json!(80.0),
            &json!(33.3),
            &json!(83.3),
            &Value::Null
        ]
    );
    assert_eq!(e01["total"], json!(59.3));
    assert_eq!(e01["grade"], "D");
    assert_eq!(e01["rank"], 1);
}

/// W's grade when its rating alone makes the total.
fn graded(env: &Env, score: &str) -> (Value, Value) {
    env.ok(&[
        "scorecard",
        "rate",
        "W",
        "--period",
        "2026-02",
        "--score",
        score,
        "--note",
        "x",
    ]);
    let sc = env.json(&["scorecard", "--period", "2026-02"]);
    let w = sc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "W")
        .unwrap()
        .clone();
    (w["total"].clone(), w["grade"].clone())
}

#[test]
fn grades_are_reached_at_equality() {
    let env = february();
    assert_eq!(graded(&env, "100"), (json!(100.0), json!("A")));
    assert_eq!(graded(&env, "90"), (json!(90.0), json!("A")));
    assert_eq!(graded(&env, "89"), (json!(89.0), json!("B")));
    assert_eq!(graded(&env, "75"), (json!(75.0), json!("B")));
    assert_eq!(graded(&env, "60"), (json!(60.0), json!("C")));
    assert_eq!(graded(&env, "59"), (json!(59.0), json!("D")));
    assert_eq!(graded(&env, "0"), (json!(0.0), json!("D")));
    // A full point of 133.5 makes a rating of 100 score 100/133.5 = 74.906… → 74.9: C, not B.
    env.ok(&["policy", "set", "score.qualitative", "10,0,133.5"]);
    assert_eq!(graded(&env, "100"), (json!(74.9), json!("C")));
}

#[test]
fn weights_from_policy_rescale_the_total() {
    let env = february();
    // Achievement weighed 0: E's total is then (667 + 333 + 800 + 333 + 833 + 0 + 800) / 65
    // = 3766 / 65 = 57.938… → 57.9.
    env.ok(&["policy", "set", "score.achievement", "0,60%,120%"]);
    let sc = env.json(&["scorecard", "--period", "2026-02"]);
    let e = sc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "E")
        .unwrap();
    assert_eq!(e["total"], json!(57.9));
    assert_eq!(e["indicators"][0]["weight"], json!(0));
    assert_eq!(e["indicators"][0]["score"], json!(66.7));
    // A different line: margin full at 20% makes E's margin 100.0.
    env.ok(&["policy", "set", "score.margin", "10,0%,20%"]);
    let sc = env.json(&["scorecard", "--period", "2026-02"]);
    let e = sc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "E")
        .unwrap();
    assert_eq!(e["indicators"][1]["score"], json!(100.0));
}

#[test]
fn policy_refuses_bad_score_rules() {
    let env = company();
    let err = env.err(&["policy", "set", "score.speed", "10,0,1"], 3);
    assert!(
        err.contains("unknown scorecard indicator \"speed\""),
        "{err}"
    );
    assert!(err.contains("achievement"), "{err}");
    let err = env.err(&["policy", "set", "score.margin", "-5,0%,30%"], 3);
    assert!(err.contains("negative"), "{err}");
    let err = env.err(&["policy", "set", "score.margin", "10,0,30"], 3);
    assert!(err.contains("percentage"), "{err}");
    let err = env.err(&["policy", "set", "score.violations", "10,5%,0"], 3);
    assert!(err.contains("plain number"), "{err}");
    let err = env.err(&["policy", "set", "score.margin", "10,abc%,30%"], 3);
    assert!(err.contains("\"abc%\" is not a number"), "{err}");
    let err = env.err(&["policy", "set", "score.margin", "10,30%,30%"], 3);
    assert!(err.contains("the same"), "{err}");
    env.err(&["policy", "set", "score.margin", "10,30%"], 3);
    assert_eq!(
        env.ok(&["policy", "set", "score.campaign_roi", " 7.5, -20% ,80%"]),
        "score.campaign_roi = 7.5,-20%,80%\n"
    );
    let list = env.ok(&["policy", "list", "--format", "csv"]);
    assert!(
        list.contains("score.campaign_roi,\"7.5,-20%,80%\",\"5,-50%,100%\""),
        "{list}"
    );
}

#[test]
fn rating_again_replaces_and_both_are_audited() {
    let env = company();
    env.ok(&[
        "scorecard",
        "rate",
        "E",
        "--period",
        "2026-02",
        "--score",
        "70",
        "--note",
        "配合一般",
    ]);
    let out = env.ok(&[
        "scorecard",
        "rate",
        "E",
        "--period",
        "2026-02",
        "--score",
        "85",
        "--note",
        "配合良好",
    ]);
    assert_eq!(
        out,
        "region E 2026-02 rated 85 (配合良好), replacing 70 (配合一般)\n"
    );
    env.ok(&[
        "scorecard",
        "rate",
        "E01",
        "--rep",
        "--period",
        "2026-Q1",
        "--score",
        "90",
        "--note",
        "好",
    ]);
    let rows = env.json(&["scorecard", "ratings"]);
    assert_eq!(
        rows,
        json!([
            {"scope": "region", "code": "E", "period": "2026-02", "score": 85, "note": "配合良好",
             "rated_on": "2026-03-16"},
            {"scope": "rep", "code": "E01", "period": "2026-Q1", "score": 90, "note": "好",
             "rated_on": "2026-03-16"},
        ])
    );
    let one = env.json(&["scorecard", "ratings", "--period", "2026-Q1"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    let audit = env.json(&["audit"]);
    let summaries: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["summary"].as_str().unwrap())
        .filter(|s| s.contains(" rated "))
        .collect();
    assert_eq!(
        summaries,
        vec![
            "region E 2026-02 rated 70 (配合一般)",
            "region E 2026-02 rated 85 (配合良好), replacing 70 (配合一般)",
            "rep E01 2026-Q1 rated 90 (好)",
        ]
    );
    // Refused: an unknown region, a rep named without --rep, a score out of range, no note.
    let err = env.err(
        &[
            "scorecard",
            "rate",
            "Q",
            "--period",
            "2026-02",
            "--score",
            "1",
            "--note",
            "x",
        ],
        3,
    );
    assert!(err.contains("no region \"Q\""), "{err}");
    env.err(
        &[
            "scorecard",
            "rate",
            "E01",
            "--period",
            "2026-02",
            "--score",
            "1",
            "--note",
            "x",
        ],
        3,
    );
    let err = env.err(
        &[
            "scorecard",
            "rate",
            "E",
            "--period",
            "2026-02",
            "--score",
            "101",
            "--note",
            "x",
        ],
        3,
    );
    assert!(err.contains("0 to 100"), "{err}");
    env.err(
        &[
            "scorecard",
            "rate",
            "E",
            "--period",
            "2026-02",
            "--score",
            "8.5",
            "--note",
            "x",
        ],
        3,
    );
    env.err(
        &[
            "scorecard",
            "rate",
            "E",
            "--period",
            "2026-02",
            "--score",
            "80",
            "--note",
            " ",
        ],
        2,
    );
    env.err(
        &[
            "scorecard",
            "rate",
            "E",
            "--period",
            "someday",
            "--score",
            "80",
            "--note",
            "x",
        ],
        2,
    );
    // Nothing refused was written.
    assert_eq!(
        env.json(&["scorecard", "ratings"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn every_format_and_the_default_period() {
    let env = february();
    // Today is 2026-03-16: the last whole month is February.
    assert_eq!(
        env.json(&["scorecard"]),
        env.json(&["scorecard", "--period", "2026-02"])
    );
    let csv = env.ok(&["scorecard", "--period", "2026-02", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scope,code,name,period,achievement_value,achievement,margin_value,margin,overdue_value,overdue,\
violations_value,violations,response_on_time_value,response_on_time,satisfaction_value,satisfaction,\
on_time_delivery_value,on_time_delivery,campaign_roi_value,campaign_roi,qualitative_value,qualitative,\
total,grade,rank,pulled_down"
    );
    // E lost most on achievement: 40 × (100 − 66.7) / 105 = 12.7 points; then overdue and response,
    // 10 × 66.7 / 105 = 6.4 each (a tie goes to the spec's order), ahead of on-time delivery's
    // 5 × 100 / 105 = 4.8.
    let east = csv.lines().find(|l| l.starts_with("region,E,")).unwrap();
    assert_eq!(
        east,
        "region,E,East,2026-02,100.0,66.7,20.0,66.7,20.0,33.3,1,80.0,66.7,33.3,4.67,83.3,50.0,0.0,,,80,80.0,\
61.3,C,3,achievement -12.7;overdue -6.4"
    );
    let md = env.ok(&[
        "scorecard",
        "--period",
        "2026-02",
        "--format",
        "md",
        "--lang",
        "zh",
    ]);
    assert!(md.starts_with("# 大区考核评分 2026-02\n"), "{md}");
    assert!(md.contains("| 排名 | 编码 | 名称 |"), "{md}");
    let html = env.ok(&["scorecard", "--period", "2026-02", "--format", "html"]);
    assert_eq!(html.matches("<svg").count(), 1);
    assert!(html.contains("61.3 C"), "{html}");
}

#[test]
fn quarterly_and_annual_reports_carry_the_scorecard_and_monthly_does_not() {
    let env = february();
    let q = env.json(&["report", "quarterly", "--quarter", "2026-Q1"]);
    let sc = q["scorecard"].as_array().expect("scorecard section");
    assert_eq!(sc.len(), 4);
    assert!(sc.iter().all(|r| r["period"] == "2026-Q1"));
    assert!(env.json(&["report", "annual", "--year", "2026"])["scorecard"].is_array());
    assert!(env.json(&["report", "period", "--period", "2026-02"])["scorecard"].is_array());
    assert!(env
        .json(&["report", "monthly", "--month", "2026-02"])
        .get("scorecard")
        .is_none());
    let csv = env.ok(&[
        "report",
        "quarterly",
        "--quarter",
        "2026-Q1",
        "--format",
        "csv",
        "--section",
        "scorecard",
    ]);
    assert!(csv.starts_with("scope,code,name,period,"), "{csv}");
}
