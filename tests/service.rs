//! After-sales service through the binary: due times in business hours (a weekend, a holiday, a ticket
//! opened before or after hours), every refused move of the flow, `service check` as of now, the KPIs
//! of a hand-worked fixture in `service kpi` and in the report, `orders return --ticket`, and
//! import/export.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Region E (上海, 江苏) with E01, region W (广东) with W01, customers C1 (上海) and C2 (广东).
fn company() -> Company {
    Company::east()
        .region("W", "West")
        .assign("W", &["广东"])
        .rep("W01", "W01", "W")
        .customer("C1", "上海商贸", "上海")
        .owner("E01")
        .customer("C2", "广州百货", "广东")
        .owner("W01")
}

fn open(env: &Env, customer: &str, kind: &str, at: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "service",
        "open",
        "--customer",
        customer,
        "--kind",
        kind,
        "--summary",
        "客户来电",
        "--at",
        at,
    ];
    args.extend(extra);
    env.ok(&args).trim().to_string()
}

fn show(env: &Env, id: &str) -> Value {
    env.json(&["service", "show", id])["ticket"].clone()
}

/// A run with the clock pinned: SALESOPS_NOW gives the time of day (and the date without --today).
fn at_now(env: &Env, now: &str, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = env
        .cmd(&all)
        .env_remove("SALESOPS_TODAY")
        .env("SALESOPS_NOW", now)
        .output()
        .expect("run salesops");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn friday_17_00_plus_4_hours_is_due_monday_12_00() {
    let env = company().build();
    // 2026-03-13 is a Friday: 1 hour on Friday, 3 on Monday.
    let id = open(&env, "C1", "complaint", "2026-03-13 17:00", &[]);
    assert_eq!(id, "T20260313-001");
    let t = show(&env, &id);
    assert_eq!(t["response_due"], "2026-03-16 12:00");
    // A complaint is resolved within 16 business hours: 1 on Friday, 9 on Monday, 6 on Tuesday.
    assert_eq!(t["resolve_due"], "2026-03-17 15:00");
    assert_eq!(t["region"], "E");
    // Any other kind within 24: 1 + 9 + 9 + 5.
    let id = open(&env, "C1", "repair", "2026-03-13 17:00", &[]);
    assert_eq!(id, "T20260313-002");
    assert_eq!(show(&env, &id)["resolve_due"], "2026-03-18 14:00");
}

#[test]
fn a_holiday_in_between_stops_the_clock() {
    let env = company().build();
    env.ok(&["policy", "set", "calendar.holidays", "2026-03-16"]);
    let id = open(&env, "C1", "inquiry", "2026-03-13 17:00", &[]);
    assert_eq!(show(&env, &id)["response_due"], "2026-03-17 12:00");
    // A range of holidays (as the official notice gives them), and a make-up Saturday that works.
    env.ok(&[
        "policy",
        "set",
        "calendar.holidays",
        "2026-03-16..2026-03-18",
    ]);
    let id = open(&env, "C1", "inquiry", "2026-03-13 17:00", &[]);
    assert_eq!(show(&env, &id)["response_due"], "2026-03-19 12:00");
    env.ok(&["policy", "set", "calendar.workdays", "2026-03-14"]);
    let id = open(&env, "C1", "inquiry", "2026-03-13 17:00", &[]);
    assert_eq!(show(&env, &id)["response_due"], "2026-03-14 12:00");
    let policy = env.json(&["policy", "list"]);
    let holidays = policy
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "calendar.holidays")
        .unwrap()
        .clone();
    assert_eq!(holidays["value"], "2026-03-16..2026-03-18");
    // Due times are fixed when a ticket is opened: the first one keeps its Tuesday.
    assert_eq!(
        show(&env, "T20260313-001")["response_due"],
        "2026-03-17 12:00"
    );
}

#[test]
fn a_ticket_opened_outside_hours_starts_at_the_next_opening() {
    let env = company().build();
    // Tuesday 07:00 starts at 09:00: due 13:00.
    let early = open(&env, "C1", "inquiry", "2026-03-10 07:00", &[]);
    assert_eq!(show(&env, &early)["response_due"], "2026-03-10 13:00");
    // Tuesday 19:00 starts Wednesday 09:00.
    let late = open(&env, "C1", "inquiry", "2026-03-10 19:00", &[]);
    assert_eq!(show(&env, &late)["response_due"], "2026-03-11 13:00");
    // Saturday starts on Monday.
    let weekend = open(&env, "C1", "inquiry", "2026-03-14T10:00", &[]);
    assert_eq!(show(&env, &weekend)["response_due"], "2026-03-16 13:00");
    // Other business hours and response time.
    env.ok(&["policy", "set", "calendar.hours", "08:30-17:30"]);
    env.ok(&["policy", "set", "service.response_hours", "2"]);
    let id = open(&env, "C1", "inquiry", "2026-03-10 07:00", &[]);
    assert_eq!(show(&env, &id)["response_due"], "2026-03-10 10:30");
    // Per-day numbers: the 10th has three tickets now.
    assert_eq!(id, "T20260310-003");
    let err = env.err(&["policy", "set", "calendar.hours", "18:00-09:00"], 3);
    assert!(err.contains("HH:MM-HH:MM"), "{err}");
}

#[test]
fn every_refused_move_exits_3_naming_the_state() {
    let env = company().build();
    let id = open(
        &env,
        "C1",
        "complaint",
        "2026-03-10 10:00",
        &["--assign", "E01"],
    );
    let refuse = |args: &[&str], state: &str| {
        let err = env.err(args, 3);
        assert!(
            err.contains(&format!("ticket {id} is {state}")),
            "{args:?}: {err}"
        );
    };
    // open
    refuse(&["service", "close", &id, "--satisfaction", "5"], "open");
    refuse(&["service", "reopen", &id, "--reason", "x"], "open");
    env.ok(&["service", "respond", &id, "--at", "2026-03-10 11:00"]);
    // responded
    refuse(&["service", "respond", &id], "responded");
    refuse(&["service", "close", &id], "responded");
    refuse(&["service", "reopen", &id, "--reason", "x"], "responded");
    // A move before the last time is refused naming both times.
    let err = env.err(
        &[
            "service",
            "resolve",
            &id,
            "--note",
            "n",
            "--at",
            "2026-03-10 10:30",
        ],
        3,
    );
    assert!(
        err.contains(
            "resolution time 2026-03-10 10:30 is before its response time 2026-03-10 11:00"
        ),
        "{err}"
    );
    env.ok(&[
        "service",
        "resolve",
        &id,
        "--note",
        "补发",
        "--at",
        "2026-03-10 15:00",
    ]);
    // resolved
    refuse(&["service", "respond", &id], "resolved");
    refuse(&["service", "resolve", &id, "--note", "again"], "resolved");
    env.ok(&[
        "service",
        "close",
        &id,
        "--satisfaction",
        "4",
        "--at",
        "2026-03-10 16:00",
    ]);
    // closed
    refuse(&["service", "respond", &id], "closed");
    refuse(&["service", "resolve", &id, "--note", "n"], "closed");
    refuse(&["service", "close", &id], "closed");
    refuse(&["service", "assign", &id, "W01"], "closed");
    // A bad score is invalid input; nothing changed.
    env.ok(&[
        "service",
        "reopen",
        &id,
        "--reason",
        "又坏了",
        "--at",
        "2026-03-11 09:00",
    ]);
    let err = env.err(&["service", "close", &id, "--satisfaction", "6"], 3);
    assert!(err.contains("1 to 5"), "{err}");
    let t = show(&env, &id);
    assert_eq!(t["status"], "responded");
    assert_eq!(t["satisfaction"], 4, "a reopened ticket keeps its score");
    assert_eq!(t["reopened"], 1);
    assert_eq!(t["resolved_at"], Value::Null);
    assert_eq!(t["first_resolved_at"], "2026-03-10 15:00");
    // Unknown tickets, customers, orders and reps are refused.
    env.err(&["service", "respond", "T20990101-001"], 3);
    env.err(
        &[
            "service",
            "open",
            "--customer",
            "NOPE",
            "--kind",
            "inquiry",
            "--summary",
            "s",
        ],
        3,
    );
    env.err(
        &[
            "service",
            "open",
            "--customer",
            "C1",
            "--kind",
            "inquiry",
            "--summary",
            "s",
            "--order",
            "NOPE",
        ],
        3,
    );
    env.err(&["service", "assign", &id, "NOPE"], 3);
    let err = env.err(
        &[
            "service",
            "open",
            "--customer",
            "C1",
            "--kind",
            "gift",
            "--summary",
            "s",
        ],
        2,
    );
    assert!(err.contains("inquiry"), "{err}");
    let timeline: Vec<String> = env.json(&["service", "show", &id])["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        timeline,
        ["opened", "responded", "resolved", "closed", "reopened"]
    );
    env.db_check_clean();
}

#[test]
fn resolving_an_open_ticket_responds_to_it() {
    let env = company().build();
    let id = open(&env, "C1", "inquiry", "2026-03-10 10:00", &[]);
    env.ok(&[
        "service",
        "resolve",
        &id,
        "--note",
        "答复",
        "--at",
        "2026-03-10 10:20",
    ]);
    let t = show(&env, &id);
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["responded_at"], "2026-03-10 10:20");
    assert_eq!(t["resolved_at"], "2026-03-10 10:20");
}

/// Five tickets opened in March 2026 (and one in April), worked by hand in the comments.
fn kpi_company() -> Env {
    let env = company().build();
    // A: complaint of C1 (E), Tue 10:00, answered in 1 h (due 14:00), resolved Wed 10:00 (due Wed
    // 17:00), closed with 5.
    let a = open(
        &env,
        "C1",
        "complaint",
        "2026-03-10 10:00",
        &["--assign", "E01"],
    );
    env.ok(&["service", "respond", &a, "--at", "2026-03-10 11:00"]);
    env.ok(&[
        "service",
        "resolve",
        &a,
        "--note",
        "补发",
        "--at",
        "2026-03-11 10:00",
    ]);
    env.ok(&[
        "service",
        "close",
        &a,
        "--satisfaction",
        "5",
        "--at",
        "2026-03-11 11:00",
    ]);
    // B: repair of C1 (E), Tue 10:00, answered 15:30 (5.5 h, late), resolved Fri 10:00 (due Thu
    // 16:00, late), closed with 2, reopened.
    let b = open(
        &env,
        "C1",
        "repair",
        "2026-03-10 10:00",
        &["--assign", "E01"],
    );
    env.ok(&["service", "respond", &b, "--at", "2026-03-10 15:30"]);
    env.ok(&[
        "service",
        "resolve",
        &b,
        "--note",
        "维修",
        "--at",
        "2026-03-13 10:00",
    ]);
    env.ok(&[
        "service",
        "close",
        &b,
        "--satisfaction",
        "2",
        "--at",
        "2026-03-13 11:00",
    ]);
    env.ok(&[
        "service",
        "reopen",
        &b,
        "--reason",
        "仍有问题",
        "--at",
        "2026-03-16 10:00",
    ]);
    // C: complaint of C1 (E), Thu 09:00, nobody answers, nobody assigned.
    open(&env, "C1", "complaint", "2026-03-12 09:00", &[]);
    // D: inquiry of C2 (W), Fri 17:00, answered Mon 09:30 (1.5 business hours, due Mon 12:00),
    // resolved Mon 15:00 (due Wed 14:00), closed with 4.
    let d = open(
        &env,
        "C2",
        "inquiry",
        "2026-03-13 17:00",
        &["--assign", "W01"],
    );
    env.ok(&["service", "respond", &d, "--at", "2026-03-16 09:30"]);
    env.ok(&[
        "service",
        "resolve",
        &d,
        "--note",
        "解答",
        "--at",
        "2026-03-16 15:00",
    ]);
    env.ok(&[
        "service",
        "close",
        &d,
        "--satisfaction",
        "4",
        "--at",
        "2026-03-16 16:00",
    ]);
    // F: complaint of C2 (W), Tue 31st 17:00, resolved (and so answered) Wed 1 April 10:00: 2
    // business hours, on time (due 12:00 and Thu 15:00), but after March ended.
    let f = open(
        &env,
        "C2",
        "complaint",
        "2026-03-31 17:00",
        &["--assign", "W01"],
    );
    env.ok(&[
        "service",
        "resolve",
        &f,
        "--note",
        "退款",
        "--at",
        "2026-04-01 10:00",
    ]);
    // Opened in April: not in March's figures.
    open(&env, "C2", "complaint", "2026-04-01 09:00", &[]);
    env
}

#[test]
fn kpi_figures_of_a_hand_worked_fixture() {
    let env = kpi_company();
    let k = env.json(&["service", "kpi", "--period", "2026-03", "--by", "region"]);
    assert_eq!(
        k,
        json!([
            {"region": "E", "name": "East", "parent": null, "opened": 3, "responded": 2,
             "response_on_time_pct": 50.0, "resolved": 2, "resolve_on_time_pct": 50.0,
             "complaints": 2, "complaint_resolution_pct": 50.0, "satisfaction_avg": 3.5,
             "satisfied_pct": 50.0, "reopened": 1, "median_response_hours": 3.3},
            {"region": "W", "name": "West", "parent": null, "opened": 2, "responded": 2,
             "response_on_time_pct": 100.0, "resolved": 2, "resolve_on_time_pct": 100.0,
             "complaints": 1, "complaint_resolution_pct": 0.0, "satisfaction_avg": 4.0,
             "satisfied_pct": 100.0, "reopened": 0, "median_response_hours": 1.8},
            // 3 of 4 answered on time; complaints A, C, F with only A resolved by 31 March;
            // scores 5, 2, 4: 3.67 and 2 of 3 satisfied; median of 60, 90, 120, 330 minutes is
            // 105 minutes = 1.75 h.
            {"region": null, "name": "(total)", "parent": null, "opened": 5, "responded": 4,
             "response_on_time_pct": 75.0, "resolved": 4, "resolve_on_time_pct": 75.0,
             "complaints": 3, "complaint_resolution_pct": 33.3, "satisfaction_avg": 3.67,
             "satisfied_pct": 66.7, "reopened": 1, "median_response_hours": 1.8},
        ])
    );
    let by_rep = env.json(&["service", "kpi", "--period", "2026-03", "--by", "rep"]);
    let reps: Vec<(Value, i64)> = by_rep
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rep"].clone(), r["opened"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        reps,
        vec![
            (json!("E01"), 2),
            (json!("W01"), 2),
            (Value::Null, 1),
            (Value::Null, 5)
        ]
    );
    let by_kind = env.json(&["service", "kpi", "--period", "2026-03", "--by", "kind"]);
    let kinds: Vec<(Value, i64)> = by_kind
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].clone(), r["opened"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (json!("complaint"), 3),
            (json!("inquiry"), 1),
            (json!("repair"), 1),
            (Value::Null, 5)
        ]
    );
    // Nothing to count: nulls, never a division by zero.
    let empty = env.json(&["service", "kpi", "--period", "2025-01"]);
    assert_eq!(empty[0]["opened"], 0);
    assert_eq!(empty[0]["response_on_time_pct"], Value::Null);
    assert_eq!(empty[0]["median_response_hours"], Value::Null);
    // The report's service section holds the same figures by region, total row last.
    let report = env.json(&["report", "monthly", "--month", "2026-03"]);
    assert_eq!(report["service"], k);
    let csv = env.ok(&[
        "report",
        "monthly",
        "--month",
        "2026-03",
        "--format",
        "csv",
        "--section",
        "service",
    ]);
    assert_eq!(csv.lines().count(), 3, "header and two regions: {csv}");
    env.db_check_clean();
}

#[test]
fn service_check_as_of_now_counts_the_time_of_day() {
    let env = kpi_company();
    // Thursday 12 March 12:59: C (opened 09:00, answer due 13:00) is not late yet, but unassigned.
    let f = at_now(&env, "2026-03-12 12:59", &["service", "check"], 4);
    let kinds = |f: &Value| -> Vec<(String, String)> {
        f.as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["kind"].as_str().unwrap().to_string(),
                    x["subject"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let waiting = |f: &Value| -> Vec<(String, String)> {
        kinds(f)
            .into_iter()
            .filter(|(_, s)| s == "T20260312-001")
            .collect()
    };
    assert_eq!(
        waiting(&f),
        vec![("unassigned".to_string(), "T20260312-001".to_string())]
    );
    // 13:01: its answer is late.
    let f = at_now(&env, "2026-03-12 13:01", &["service", "check"], 4);
    assert_eq!(
        waiting(&f),
        vec![
            ("response_overdue".to_string(), "T20260312-001".to_string()),
            ("unassigned".to_string(), "T20260312-001".to_string())
        ]
    );
    // --today pins the date, SALESOPS_NOW the time of day: Monday 16 March 10:00. C's resolution
    // was due Friday 16:00; B (reopened, responded) was due Thursday 16:00; F is resolved and
    // April's ticket not due yet.
    let out = env
        .cmd(&[
            "service",
            "check",
            "--today",
            "2026-03-16",
            "--format",
            "json",
        ])
        .env("SALESOPS_NOW", "2026-01-01 10:00")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let f: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        kinds(&f),
        vec![
            ("response_overdue".to_string(), "T20260312-001".to_string()),
            (
                "resolution_overdue".to_string(),
                "T20260310-002".to_string()
            ),
            (
                "resolution_overdue".to_string(),
                "T20260312-001".to_string()
            ),
            ("unassigned".to_string(), "T20260312-001".to_string()),
            ("unassigned".to_string(), "T20260401-001".to_string()),
        ]
    );
    let overdue = at_now(
        &env,
        "2026-03-16 10:00",
        &["service", "list", "--overdue"],
        0,
    );
    assert_eq!(overdue.as_array().unwrap().len(), 2);
    // A clean desk: nothing open.
    let clean = company().build();
    assert_eq!(
        at_now(&clean, "2026-03-16 10:00", &["service", "check"], 0),
        json!([])
    );
}

#[test]
fn listing_filters_and_keys() {
    let env = kpi_company();
    let rows = env.json(&["service", "list", "--region", "W"]);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["T20260313-001", "T20260331-001", "T20260401-001"]);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "customer",
            "kind",
            "summary",
            "order_id",
            "channel",
            "assignee",
            "status",
            "opened_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "satisfaction"
        ]
    );
    let open = env.json(&["service", "list", "--status", "open", "--kind", "complaint"]);
    assert_eq!(open.as_array().unwrap().len(), 2);
    let mine = env.json(&["service", "list", "--assignee", "E01"]);
    assert_eq!(mine.as_array().unwrap().len(), 2);
    env.err(&["service", "list", "--region", "NOPE"], 3);
}

#[test]
fn a_return_names_its_ticket() {
    let env = company().build();
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O1",
        "--customer",
        "C1",
        "--date",
        "2026-03-02",
        "--line",
        "TEA-1:5",
    ]);
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
    env.ok(&["orders", "deliver", "O1", "--date", "2026-03-04"]);
    let id = open(
        &env,
        "C1",
        "exchange",
        "2026-03-05 10:00",
        &["--order", "O1"],
    );
    let other = open(&env, "C2", "refund", "2026-03-05 10:00", &[]);
    // A ticket of another customer, or none, is refused; nothing is returned.
    let err = env.err(
        &[
            "orders", "return", "O1", "--line", "TEA-1:1", "--reason", "破损", "--ticket", &other,
        ],
        3,
    );
    assert!(err.contains("not of C1"), "{err}");
    env.err(
        &[
            "orders",
            "return",
            "O1",
            "--line",
            "TEA-1:1",
            "--reason",
            "破损",
            "--ticket",
            "T20990101-001",
        ],
        3,
    );
    env.ok(&[
        "orders",
        "return",
        "O1",
        "--line",
        "TEA-1:2",
        "--reason",
        "破损",
        "--kind",
        "quality",
        "--date",
        "2026-03-05",
        "--ticket",
        &id,
    ]);
    let ticket: Option<String> = env
        .conn()
        .query_row(
            "SELECT ticket FROM returns WHERE order_id = 'O1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ticket.as_deref(), Some(id.as_str()));
    let shown = env.json(&["service", "show", &id]);
    assert_eq!(
        shown["returns"],
        json!([{"order_id": "O1", "line_no": 1, "quantity": 2, "date": "2026-03-05"}])
    );
    assert_eq!(shown["ticket"]["order_id"], "O1");
    // A ticket about an order of another customer is refused.
    let err = env.err(
        &[
            "service",
            "open",
            "--customer",
            "C2",
            "--kind",
            "inquiry",
            "--summary",
            "s",
            "--order",
            "O1",
        ],
        3,
    );
    assert!(err.contains("order O1 is an order of customer C1"), "{err}");
    env.db_check_clean();
}

#[test]
fn export_then_import_gives_the_same_tickets() {
    let env = kpi_company();
    let exported = env.ok(&["service", "export"]);
    assert!(exported.starts_with(
        "id,customer,kind,summary,order_id,channel,assignee,status,opened_at,responded_at,resolved_at,closed_at,satisfaction\n"
    ));
    let fresh = company().build();
    let file = fresh.write("tickets.csv", &exported);
    fresh.ok(&["service", "import", file.to_str().unwrap()]);
    assert_eq!(fresh.ok(&["service", "export"]), exported);
    // Due times come from the opening times and the policy, as when opened.
    assert_eq!(
        show(&fresh, "T20260313-001")["response_due"],
        show(&env, "T20260313-001")["response_due"]
    );
    // Importing it again changes nothing.
    let out = fresh.run(&["service", "import", file.to_str().unwrap()]);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("0 created, 0 updated, 6 skipped"),
        "{summary}"
    );
    fresh.db_check_clean();
}

#[test]
fn a_bad_ticket_row_names_file_line_column_and_value() {
    let env = company().build();
    let file = env.write(
        "tickets.csv",
        "id,customer,kind,summary,status,opened_at,responded_at\n\
         T1,C1,inquiry,问价,open,2026-03-10 10:00,\n\
         T2,C1,gift,问价,open,2026-03-10 10:00,\n\
         T3,C1,inquiry,问价,responded,2026-03-10 10:00,\n\
         T4,C1,inquiry,问价,responded,2026-03-10 10:00,2026-03-10 09:00\n\
         T5,C1,inquiry,问价,open,2026-03-10 25:00,\n",
    );
    let err = env.err(&["service", "import", file.to_str().unwrap()], 3);
    assert!(
        err.contains("tickets.csv:3: column \"kind\": \"gift\" is not a kind"),
        "{err}"
    );
    assert!(
        err.contains(
            "tickets.csv:4: column \"status\": ticket T3: a responded ticket needs responded_at"
        ),
        "{err}"
    );
    assert!(err.contains("tickets.csv:5:"), "{err}");
    assert!(
        err.contains("responded_at 2026-03-10 09:00 is before opened_at"),
        "{err}"
    );
    assert!(
        err.contains("tickets.csv:6: column \"opened_at\": \"2026-03-10 25:00\" is not a time"),
        "{err}"
    );
    assert_eq!(env.json(&["service", "list"]), json!([]), "nothing written");
}

/// The demo's figures for a quarter, each counted again in plain SQL over the tickets table.
#[test]
fn the_report_figures_of_the_demo_match_plain_sql() {
    let env = common::demo();
    let report = env.json(&["report", "quarterly", "--quarter", "2026-Q3"]);
    let service = report["service"].as_array().expect("service rows");
    let total = service.last().expect("a total row");
    assert_eq!(total["name"], "(total)");
    let conn = env.conn();
    let count = |condition: &str| -> i64 {
        conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM tickets WHERE opened_at >= '2026-07-01 00:00'
                 AND opened_at < '2026-10-01 00:00' AND ({condition})"
            ),
            [],
            |r| r.get(0),
        )
        .expect("count")
    };
    let pct = |part: i64, whole: i64| -> Value {
        if whole == 0 {
            Value::Null
        } else {
            // One decimal, half away from zero, in integers.
            let tenths = (part * 1000 * 2 + whole) / (whole * 2);
            json!(tenths as f64 / 10.0)
        }
    };
    let opened = count("1 = 1");
    let responded = count("responded_at IS NOT NULL");
    let resolved = count("first_resolved_at IS NOT NULL");
    let complaints = count("kind = 'complaint'");
    let scores = count("satisfaction IS NOT NULL");
    assert!(
        opened > 50 && scores > 20,
        "the demo has a quarter of tickets"
    );
    assert_eq!(total["opened"], opened);
    assert_eq!(total["responded"], responded);
    assert_eq!(
        total["response_on_time_pct"],
        pct(count("responded_at <= response_due"), responded)
    );
    assert_eq!(total["resolved"], resolved);
    assert_eq!(
        total["resolve_on_time_pct"],
        pct(count("first_resolved_at <= resolve_due"), resolved)
    );
    assert_eq!(total["complaints"], complaints);
    assert_eq!(
        total["complaint_resolution_pct"],
        pct(
            count("kind = 'complaint' AND first_resolved_at <= '2026-09-30 23:59'"),
            complaints
        )
    );
    assert_eq!(
        total["satisfied_pct"],
        pct(count("satisfaction >= 4"), scores)
    );
    assert_eq!(total["reopened"], count("reopened > 0"));
    let sum: i64 = conn
        .query_row(
            "SELECT SUM(satisfaction) FROM tickets WHERE opened_at >= '2026-07-01 00:00'
             AND opened_at < '2026-10-01 00:00'",
            [],
            |r| r.get(0),
        )
        .expect("sum");
    let hundredths = (sum * 100 * 2 + scores) / (scores * 2);
    assert_eq!(total["satisfaction_avg"], json!(hundredths as f64 / 100.0));
    // The top-level regions' rows add up to the total (a ticket of a region in none is its own row).
    let top: i64 = service[..service.len() - 1]
        .iter()
        .filter(|r| r["parent"].is_null())
        .map(|r| r["opened"].as_i64().expect("opened"))
        .sum();
    assert_eq!(top, opened);
}
