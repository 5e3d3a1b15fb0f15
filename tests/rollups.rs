//! The report sections whose storage is being replaced by rollups kept on every write: `receivables`
//! (aging as of the period's end), `violations` (price findings by kind, as `prices check` finds them,
//! less those resolved in the ledger) and the customer counts (`summary.customers`, `new_customers`,
//! `tiers` by each customer's current tier). Every figure is checked against the binary's own
//! `orders receivables` / `prices check`, and against plain SQL over the base tables (orders,
//! order_lines, returns, payments, customers), never over rollup tables.
//!
//! Every test works on its own copy of the demo database (today 2026-11-23, orders 2025-01..2026-10),
//! because many of them write.

mod common;

use std::collections::BTreeMap;

use common::db::{params, Connection};
use common::sql::{cents, figures, COUNTING};
use common::Env;
use serde_json::{json, Value};

const TODAY: &str = common::DEMO_TODAY;

const KINDS: [&str; 7] = common::FINDING_KINDS;

// ---------------------------------------------------------------------------------------------------
// Fixtures

fn fresh() -> Env {
    common::demo_copy()
}

/// 1e-4 units as an input value with 4 decimals (non-negative).
fn units_input(units: i64) -> String {
    assert!(units >= 0, "{units}");
    format!("{}.{:04}", units / 10000, units % 10000)
}

/// A decimal text such as "88.00" or "1932.2400" in 1e-4 units (non-negative, at most 4 decimals).
fn parse_units(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= 4, "{text}");
    let whole: i64 = whole.parse().expect("whole part");
    let frac: i64 = format!("{frac:0<4}").parse().expect("fractional part");
    whole * 10000 + frac
}

/// The id an `add` prints (the last line of standard output).
fn printed_id(out: &str) -> String {
    out.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect("an id on stdout")
        .trim()
        .to_string()
}

// ---------------------------------------------------------------------------------------------------
// Plain SQL over the base tables

/// Distinct customers with a counting order in [start, end], per current tier ('' for all).
fn customers_by_tier(conn: &Connection, start: &str, end: &str) -> BTreeMap<String, i64> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT c.tier, COUNT(DISTINCT o.customer) FROM orders o JOIN customers c ON c.code = o.customer
             WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING} GROUP BY c.tier"
        ))
        .unwrap();
    let mut out: BTreeMap<String, i64> = stmt
        .query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let all: i64 = conn
        .query_row(
            &format!(
                "SELECT COUNT(DISTINCT o.customer) FROM orders o
                 WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING}"
            ),
            params![start, end],
            |r| r.get(0),
        )
        .unwrap();
    out.insert(String::new(), all);
    out
}

/// Customers whose first counting order ever is dated in [start, end].
fn new_customers(conn: &Connection, start: &str, end: &str) -> i64 {
    conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM (SELECT o.customer, MIN(o.order_date) AS first FROM orders o
             WHERE {COUNTING} GROUP BY o.customer) AS firsts WHERE first BETWEEN ?1 AND ?2"
        ),
        params![start, end],
        |r| r.get(0),
    )
    .unwrap()
}

/// The aging of counting orders as of `as_of`, computed from the lines, returns and payments:
/// balance = line amounts − returns dated on or before it − payments dated on or before it, in the
/// bucket of its days past the due date.
fn sql_receivables(conn: &Connection, as_of: &str) -> Value {
    let late = conn.days_between("?1", "o.due_date");
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {late},
                    (SELECT SUM(l.amount) FROM order_lines l WHERE l.order_id = o.id)
                    - COALESCE((SELECT SUM(r.amount) FROM returns r WHERE r.order_id = o.id AND r.date <= ?1), 0)
                    - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.order_id = o.id AND p.date <= ?1), 0)
             FROM orders o WHERE o.order_date <= ?1 AND {COUNTING}"
        ))
        .unwrap();
    let mut buckets = [0i64; 5];
    let rows = stmt
        .query_map([as_of], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    for row in rows {
        let (late, balance) = row.unwrap();
        let b = match late {
            i64::MIN..=0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        buckets[b] += balance;
    }
    json!({
        "as_of": as_of,
        "outstanding": cents(buckets.iter().sum()),
        "overdue": cents(buckets[1..].iter().sum()),
        "buckets": {
            "not_due": cents(buckets[0]),
            "0-30": cents(buckets[1]),
            "31-60": cents(buckets[2]),
            "61-90": cents(buckets[3]),
            "90+": cents(buckets[4]),
        },
    })
}

/// The list and floor price of a SKU in force on a date.
fn price_on(conn: &Connection, sku: &str, date: &str) -> (i64, Option<i64>) {
    conn.query_row(
        "SELECT list_price, floor_price FROM prices WHERE sku = ?1 AND effective <= ?2
         ORDER BY effective DESC LIMIT 1",
        params![sku, date],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// SKUs on the most lines of counting orders in [start, end], most first (ties by SKU).
fn busiest_skus(conn: &Connection, start: &str, end: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING}
             GROUP BY l.sku ORDER BY COUNT(*) DESC, l.sku"
        ))
        .unwrap();
    stmt.query_map(params![start, end], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Customers with counting orders in 2026-10 whose owner is an active rep, most orders first.
fn october_customers(conn: &Connection, tier: Option<&str>) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT c.code FROM customers c JOIN orders o ON o.customer = c.code
             JOIN reps r ON r.code = c.owner
             WHERE o.order_date BETWEEN '2026-10-01' AND '2026-10-31' AND {COUNTING}
               AND r.left_on IS NULL AND (?1 IS NULL OR c.tier = ?1)
             GROUP BY c.code ORDER BY COUNT(*) DESC, c.code"
        ))
        .unwrap();
    stmt.query_map([tier], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn order_status(conn: &Connection, id: &str) -> String {
    conn.query_row("SELECT status FROM orders WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .unwrap()
}

fn tier_of(conn: &Connection, customer: &str) -> String {
    conn.query_row(
        "SELECT tier FROM customers WHERE code = ?1",
        [customer],
        |r| r.get(0),
    )
    .unwrap()
}

/// Sum of an order's line amounts.
fn order_amount(conn: &Connection, id: &str) -> i64 {
    conn.query_row(
        "SELECT SUM(amount) FROM order_lines WHERE order_id = ?1",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------------
// Reports and what they are compared with

/// A report and the inclusive span of dates it covers.
struct Case {
    args: Vec<&'static str>,
    start: &'static str,
    end: &'static str,
    /// The same period for `prices check --period`.
    check_period: &'static str,
}

fn monthly(m: &'static str, start: &'static str, end: &'static str) -> Case {
    Case {
        args: vec!["report", "monthly", "--month", m],
        start,
        end,
        check_period: m,
    }
}

fn period(p: &'static str, start: &'static str, end: &'static str) -> Case {
    Case {
        args: vec!["report", "period", "--period", p],
        start,
        end,
        check_period: p,
    }
}

fn quarterly(q: &'static str, start: &'static str, end: &'static str) -> Case {
    Case {
        args: vec!["report", "quarterly", "--quarter", q],
        start,
        end,
        check_period: q,
    }
}

fn annual(y: &'static str) -> Case {
    let (start, end): (&'static str, &'static str) = match y {
        "2025" => ("2025-01-01", "2025-12-31"),
        "2026" => ("2026-01-01", "2026-12-31"),
        _ => panic!("no dates for {y}"),
    };
    Case {
        args: vec!["report", "annual", "--year", y],
        start,
        end,
        check_period: y,
    }
}

impl Case {
    fn label(&self) -> String {
        self.args[1..].join(" ")
    }
    fn report(&self, env: &Env) -> Value {
        let r = env.json(&self.args);
        assert_eq!(r["period"]["start"], self.start, "{}", self.label());
        assert_eq!(r["period"]["end"], self.end, "{}", self.label());
        r
    }
    /// Aging date: the period's end, or today when that is earlier.
    fn as_of(&self) -> &'static str {
        self.end.min(TODAY)
    }
}

/// Per-kind counts of `prices check --period P --no-record` (exit 4 with findings, 0 without), as
/// the report's `violations` array: every kind, in the spec's order.
fn check_counts(env: &Env, period: &str) -> Value {
    let out = env.run(&[
        "prices",
        "check",
        "--period",
        period,
        "--no-record",
        "--format",
        "json",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("prices check {period}: not JSON ({e}): {stdout}"));
    let n = findings.as_array().expect("an array of findings").len();
    let want_code = if n > 0 { 4 } else { 0 };
    assert_eq!(
        out.status.code(),
        Some(want_code),
        "prices check {period}: {n} findings"
    );
    let mut counts: BTreeMap<&str, i64> = KINDS.iter().map(|k| (*k, 0)).collect();
    for f in findings.as_array().unwrap() {
        let kind = f["kind"].as_str().expect("a kind");
        *counts
            .get_mut(kind)
            .unwrap_or_else(|| panic!("unknown kind {kind}")) += 1;
    }
    Value::Array(
        KINDS
            .iter()
            .map(|k| json!({"kind": k, "count": counts[k]}))
            .collect(),
    )
}

/// The count of one kind in a `violations` array.
fn count_of(violations: &Value, kind: &str) -> i64 {
    violations
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {violations}"))["count"]
        .as_i64()
        .unwrap()
}

fn assert_violations(env: &Env, case: &Case, r: &Value, step: &str) {
    assert_eq!(
        r["violations"],
        check_counts(env, case.check_period),
        "{step}: {} violations against prices check --period {}",
        case.label(),
        case.check_period
    );
}

/// `orders receivables --today D`, without its per-customer part.
fn receivables_cmd(env: &Env, as_of: &str) -> Value {
    let v = env.json(&["orders", "receivables", "--today", as_of]);
    json!({
        "as_of": v["as_of"],
        "outstanding": v["outstanding"],
        "overdue": v["overdue"],
        "buckets": v["buckets"],
    })
}

fn assert_receivables(env: &Env, case: &Case, r: &Value, step: &str) {
    let as_of = case.as_of();
    let got = &r["receivables"];
    assert_eq!(
        got["as_of"],
        as_of,
        "{step}: {} receivables.as_of",
        case.label()
    );
    assert_eq!(
        *got,
        receivables_cmd(env, as_of),
        "{step}: {} receivables against orders receivables --today {as_of}",
        case.label()
    );
    assert_eq!(
        *got,
        sql_receivables(&env.conn(), as_of),
        "{step}: {} receivables against SQL as of {as_of}",
        case.label()
    );
}

/// summary (revenue, returns, net revenue, cost, profit, quantity, orders, customers, new customers)
/// against SQL.
fn assert_summary(env: &Env, case: &Case, r: &Value, step: &str) {
    let conn = env.conn();
    let what = format!("{step}: {} summary", case.label());
    let t = figures(&conn, case.start, case.end, "''")
        .get("")
        .copied()
        .unwrap_or_default();
    let s = &r["summary"];
    assert_eq!(s["revenue"], cents(t.revenue), "{what}.revenue");
    assert_eq!(s["returns"], cents(t.returns), "{what}.returns");
    assert_eq!(
        s["net_revenue"],
        cents(t.revenue - t.returns),
        "{what}.net_revenue"
    );
    assert_eq!(s["cost"], cents(t.cost), "{what}.cost");
    assert_eq!(
        s["profit"],
        cents(t.revenue - t.returns - t.cost),
        "{what}.profit"
    );
    assert_eq!(s["quantity"], t.quantity, "{what}.quantity");
    assert_eq!(s["orders"], t.orders, "{what}.orders");
    let customers = customers_by_tier(&conn, case.start, case.end);
    assert_eq!(s["customers"], customers[""], "{what}.customers");
    assert_eq!(
        s["new_customers"],
        new_customers(&conn, case.start, case.end),
        "{what}.new_customers"
    );
}

/// tiers: customers and net revenue by each customer's current tier, against SQL (order-free).
fn assert_tiers(env: &Env, case: &Case, r: &Value, step: &str) {
    let conn = env.conn();
    let per_tier = figures(&conn, case.start, case.end, "c.tier");
    let customers = customers_by_tier(&conn, case.start, case.end);
    let want: BTreeMap<String, Value> = per_tier
        .iter()
        .map(|(t, f)| {
            (
                t.clone(),
                json!({
                    "tier": t,
                    "customers": customers.get(t).copied().unwrap_or(0),
                    "net_revenue": cents(f.revenue - f.returns),
                }),
            )
        })
        // A tier of no customers and no money says nothing, and the report leaves it out (its
        // only order in the period may have been cancelled).
        .filter(|(_, t)| !(t["customers"] == 0 && t["net_revenue"] == "0.00"))
        .collect();
    let got: BTreeMap<String, Value> = r["tiers"]
        .as_array()
        .expect("tiers array")
        .iter()
        .map(|t| (t["tier"].as_str().expect("tier").to_string(), t.clone()))
        .collect();
    assert_eq!(got, want, "{step}: {} tiers", case.label());
}

/// Everything the rollups will answer, for every case, plus `db check`.
fn assert_all(env: &Env, cases: &[Case], step: &str) {
    for case in cases {
        let r = case.report(env);
        assert_summary(env, case, &r, step);
        assert_tiers(env, case, &r, step);
        assert_receivables(env, case, &r, step);
        assert_violations(env, case, &r, step);
    }
    env.db_check_clean_after(step);
}

// ---------------------------------------------------------------------------------------------------
// Tests

#[test]
fn report_violations_equal_prices_check_counts() {
    let env = fresh();
    let cases = [
        monthly("2026-10", "2026-10-01", "2026-10-31"),
        period("2026-09-10..2026-10-20", "2026-09-10", "2026-10-20"),
    ];
    let counts = |step: &str| -> Vec<Value> {
        cases
            .iter()
            .map(|c| {
                let r = c.report(&env);
                assert_violations(&env, c, &r, step);
                r["violations"].clone()
            })
            .collect()
    };
    let start = counts("demo as built");
    // The demo shows every kind in October but `off_list` (a price above list: its special prices are
    // all discounts).
    for kind in KINDS.iter().filter(|k| **k != "off_list") {
        assert!(count_of(&start[0], kind) > 0, "no {kind} in {}", start[0]);
    }

    let mut last = start;
    for (key, value) in [
        ("discount.approval_above", "5%"),
        ("discount.max", "20%"),
        ("price.tolerance", "0%"),
        ("price.regional_spread", "5%"),
    ] {
        env.ok(&["policy", "set", key, value]);
        let now = counts(&format!("policy {key} = {value}"));
        // These policies find more in October than before (the demo's October lines are either on
        // the list price or clearly off it, so a 0% tolerance adds no off_list finding there).
        let kind = match key {
            "discount.approval_above" => "unapproved_discount",
            "discount.max" => "over_max_discount",
            "price.tolerance" => {
                last = now;
                continue;
            }
            _ => "regional_spread",
        };
        assert!(
            count_of(&now[0], kind) > count_of(&last[0], kind),
            "{key} = {value}: {kind} {} -> {}",
            last[0],
            now[0]
        );
        last = now;
    }

    // A backdated price change for the SKU on most October lines: list 20% up, the floor at the old
    // list price, from 2026-09-15 (inside both periods).
    let db = env.conn();
    let sku = busiest_skus(&db, "2026-10-01", "2026-10-31")
        .into_iter()
        .next()
        .expect("an October SKU");
    let (list, _) = price_on(&db, &sku, "2026-10-15");
    drop(db);
    let new_list = units_input(list * 12 / 10);
    let floor = units_input(list);
    env.ok(&[
        "prices",
        "set",
        &sku,
        "--list-price",
        &new_list,
        "--floor-price",
        &floor,
        "--effective",
        "2026-09-15",
        "--reason",
        "test",
    ]);
    let now = counts(&format!("prices set {sku} from 2026-09-15"));
    assert!(
        count_of(&now[0], "below_floor") > count_of(&last[0], "below_floor"),
        "prices set {sku}: {} -> {}",
        last[0],
        now[0]
    );
    last = now;

    // A price edit effective today changes nothing dated before today.
    // (4% above the backdated list: below the 5% that now needs approval, above the 0% tolerance)
    let today_list = units_input(list * 125 / 100);
    env.ok(&["products", "edit", &sku, "--list-price", &today_list]);
    let now = counts(&format!("products edit {sku} (today)"));
    assert_eq!(now, last, "a price from today leaves earlier periods alone");
    // …but a line of today above today's list price is off the list.
    let above_list = units_input(list * 130 / 100);
    let customer = october_customers(&env.conn(), None)
        .into_iter()
        .next()
        .expect("a customer");
    let id = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        &customer,
        "--line",
        &format!("{sku}:2@{above_list}"),
    ]));
    assert_eq!(order_status(&env.conn(), &id), "confirmed");
    let november = monthly("2026-11", "2026-11-01", "2026-11-30");
    let r = november.report(&env);
    assert_violations(&env, &november, &r, "an order of today");
    assert_eq!(
        count_of(&r["violations"], "off_list"),
        1,
        "{}",
        r["violations"]
    );
}

#[test]
fn resolved_findings_leave_the_report_count() {
    let env = fresh();
    let case = monthly("2026-10", "2026-10-01", "2026-10-31");
    let range = period("2026-10-01..2026-10-31", "2026-10-01", "2026-10-31");
    // Recording again records nothing new, but the ledger holds every October finding.
    env.expect_code(&["prices", "check", "--period", "2026-10"], 4);
    let ledger = env.json(&[
        "prices",
        "violations",
        "--status",
        "open",
        "--period",
        "2026-10",
    ]);
    let first_of = |kind: &str| -> i64 {
        ledger
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["kind"] == kind)
            .unwrap_or_else(|| panic!("no open {kind} in the ledger"))["id"]
            .as_i64()
            .unwrap()
    };
    let report = |step: &str| -> Value {
        let r = case.report(&env);
        assert_violations(&env, &case, &r, step);
        let rr = range.report(&env);
        assert_violations(&env, &range, &rr, step);
        r["violations"].clone()
    };
    let mut before = report("before resolving");
    let all_before = before.clone();

    // One kind of each ledger key: (kind, order, line), (kind, region, SKU, period), (kind, observation).
    for kind in ["below_floor", "regional_spread", "market_below_floor"] {
        let id = first_of(kind).to_string();
        env.ok(&[
            "prices", "resolve", &id, "--action", "dismiss", "--note", "x",
        ]);
        let after = report(&format!("after resolving {kind} #{id}"));
        for k in KINDS {
            let want = count_of(&before, k) - i64::from(k == kind);
            assert_eq!(
                count_of(&after, k),
                want,
                "{k} after resolving {kind} #{id}: {before} -> {after}"
            );
        }
        before = after;
    }

    // The resolved findings are still found: `--all` shows them.
    let all = env.json_code(
        &[
            "prices",
            "check",
            "--period",
            "2026-10",
            "--no-record",
            "--all",
        ],
        4,
    );
    assert_eq!(
        all.as_array().unwrap().len() as i64,
        KINDS.iter().map(|k| count_of(&all_before, k)).sum::<i64>()
    );

    // A resolution counts whatever action it took: a warning also leaves the count.
    let id = first_of("unapproved_discount").to_string();
    env.ok(&[
        "prices", "resolve", &id, "--action", "warning", "--note", "x",
    ]);
    let after = report("after a warning");
    assert_eq!(
        count_of(&after, "unapproved_discount"),
        count_of(&before, "unapproved_discount") - 1
    );

    // New findings (a stricter spread) are counted; the resolved ones stay out.
    env.ok(&["policy", "set", "price.regional_spread", "5%"]);
    let stricter = report("after price.regional_spread 5%");
    assert!(count_of(&stricter, "regional_spread") > count_of(&after, "regional_spread"));
}

#[test]
fn report_receivables_equal_orders_receivables_and_sql() {
    let env = fresh();
    let cases = [
        monthly("2026-10", "2026-10-01", "2026-10-31"),
        monthly("2026-06", "2026-06-01", "2026-06-30"),
        monthly("2025-12", "2025-12-01", "2025-12-31"),
        quarterly("2026-Q3", "2026-07-01", "2026-09-30"),
        annual("2025"),
    ];
    for case in &cases {
        let r = case.report(&env);
        assert_receivables(&env, case, &r, "demo");
        // Something to age: every bucket holds money on these dates.
        let rec = &r["receivables"];
        assert_ne!(rec["outstanding"], "0.00", "{}", case.label());
        for b in ["not_due", "0-30", "31-60"] {
            assert_ne!(rec["buckets"][b], "0.00", "{} {b}", case.label());
        }
    }
    // A period still running ages as of today.
    let running = monthly("2026-11", "2026-11-01", "2026-11-30");
    let r = running.report(&env);
    assert_receivables(&env, &running, &r, "demo");
}

#[test]
fn writes_keep_reports_true() {
    let env = fresh();
    let cases = [
        monthly("2026-10", "2026-10-01", "2026-10-31"),
        monthly("2026-11", "2026-11-01", "2026-11-30"),
        period("2026-11-01..2026-11-23", "2026-11-01", "2026-11-23"),
        quarterly("2026-Q4", "2026-10-01", "2026-12-31"),
    ];
    assert_all(&env, &cases, "demo as built");

    let db = env.conn();
    let skus = busiest_skus(&db, "2026-10-01", "2026-10-31");
    let (sku1, sku2) = (skus[0].clone(), skus[1].clone());
    let (list1, _) = price_on(&db, &sku1, TODAY);
    let customers = october_customers(&db, None);
    let (cust_a, cust_b, cust_c) = (
        customers[0].clone(),
        customers[1].clone(),
        customers[2].clone(),
    );
    drop(db);
    let half = units_input(list1 / 2);

    // 1. A deep discount waits for approval (not counted), then a supervisor of its region approves it.
    let deep = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        &cust_a,
        "--date",
        "2026-10-20",
        "--line",
        &format!("{sku1}:3@{half}"),
        "--line",
        &format!("{sku2}:2"),
    ]));
    assert_eq!(order_status(&env.conn(), &deep), "pending_approval");
    assert_all(&env, &cases, "a deep discount waiting for approval");
    let approver: String = env.conn()
        .query_row(
            "SELECT r.code FROM reps r JOIN orders o ON o.id = ?1
             WHERE r.role IN ('supervisor', 'manager') AND r.left_on IS NULL
               AND (r.region = o.region OR r.region = (SELECT parent FROM regions WHERE code = o.region))
             ORDER BY r.code LIMIT 1",
            [&deep],
            |r| r.get(0),
        )
        .unwrap();
    env.ok(&["orders", "approve", &deep, "--by", &approver]);
    assert_eq!(order_status(&env.conn(), &deep), "confirmed");
    assert_all(&env, &cases, "orders approve");

    // 2. Another one left waiting, in November.
    let waiting = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        &cust_a,
        "--date",
        "2026-11-03",
        "--line",
        &format!("{sku1}:2@{half}"),
    ]));
    assert_eq!(order_status(&env.conn(), &waiting), "pending_approval");
    assert_all(&env, &cases, "a November order waiting for approval");

    // 3. A normal order, then cancelled.
    let cancelled = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        &cust_b,
        "--date",
        "2026-11-05",
        "--line",
        &format!("{sku2}:1"),
    ]));
    assert_eq!(order_status(&env.conn(), &cancelled), "confirmed");
    assert_all(&env, &cases, "a normal November order");
    env.ok(&["orders", "cancel", &cancelled, "--reason", "x", "--yes"]);
    assert_all(&env, &cases, "orders cancel");

    // 3b. A new customer's first order, in November, then cancelled: no longer a new customer.
    let (area_a, owner_a): (String, String) = env
        .conn()
        .query_row(
            "SELECT area, owner FROM customers WHERE code = ?1",
            [&cust_a],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    env.ok(&[
        "customers",
        "add",
        "NEWC1",
        "--name",
        "新客户一",
        "--area",
        &area_a,
        "--owner",
        &owner_a,
    ]);
    // November's new customers before (the demo's campaigns brought some).
    let new_before = cases[1].report(&env)["summary"]["new_customers"]
        .as_i64()
        .unwrap();
    let first = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        "NEWC1",
        "--date",
        "2026-11-06",
        "--line",
        &format!("{sku2}:3"),
    ]));
    assert_all(&env, &cases, "a new customer's first order");
    let nov = &cases[1];
    assert_eq!(nov.report(&env)["summary"]["new_customers"], new_before + 1);
    env.ok(&["orders", "cancel", &first, "--reason", "x", "--yes"]);
    assert_all(
        &env,
        &cases,
        "orders cancel of a new customer's first order",
    );
    assert_eq!(nov.report(&env)["summary"]["new_customers"], new_before);

    // 4. An order shipped and delivered in October, paid in full on 1 November, then a return on
    //    10 November leaves a refund owed.
    let returned = printed_id(&env.ok(&[
        "orders",
        "add",
        "--customer",
        &cust_c,
        "--date",
        "2026-10-28",
        "--line",
        &format!("{sku1}:4"),
        "--line",
        &format!("{sku2}:10"),
    ]));
    env.ok(&[
        "orders",
        "ship",
        &returned,
        "--carrier",
        "SF",
        "--tracking",
        "T1",
        "--date",
        "2026-10-29",
    ]);
    env.ok(&["orders", "deliver", &returned, "--date", "2026-10-30"]);
    assert_all(&env, &cases, "an October order shipped and delivered");
    let full = cents(order_amount(&env.conn(), &returned));
    env.ok(&[
        "orders",
        "pay",
        &returned,
        "--amount",
        &full,
        "--date",
        "2026-11-01",
    ]);
    assert_all(&env, &cases, "orders pay in full");
    env.ok(&[
        "orders",
        "return",
        &returned,
        "--line",
        &format!("{sku1}:1"),
        "--reason",
        "x",
        "--date",
        "2026-11-10",
    ]);
    assert_all(&env, &cases, "orders return after payment");

    // 5. Part payments of unpaid October orders: one by `orders pay` dated in October, two by import.
    let unpaid: Vec<String> = {
        let db = env.conn();
        let mut stmt = db
            .prepare(&format!(
                "SELECT o.id FROM orders o WHERE o.order_date BETWEEN '2026-10-01' AND '2026-10-31'
                   AND {COUNTING} AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
                   AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id)
                 ORDER BY o.id LIMIT 2"
            ))
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(unpaid.len(), 2);
    let part = cents(order_amount(&env.conn(), &unpaid[0]) / 2);
    env.ok(&[
        "orders",
        "pay",
        &unpaid[0],
        "--amount",
        &part,
        "--date",
        "2026-10-25",
        "--method",
        "wechat",
    ]);
    assert_all(&env, &cases, "orders pay in October");
    let csv = env.write(
        "payments.csv",
        &format!(
            "order_id,date,amount,method,reference\n\
             {},2026-10-30,1000.00,alipay,T-PAY-1\n\
             {deep},2026-11-15,100.50,transfer,T-PAY-2\n",
            unpaid[1]
        ),
    );
    env.ok(&["payments", "import", csv.to_str().unwrap()]);
    assert_all(&env, &cases, "payments import");

    // 5b. An orders import: an October order of a customer it creates, and a November order at half
    //     price (imports never hold an order for approval).
    let (list2, _) = price_on(&env.conn(), &sku2, "2026-10-15");
    let csv = env.write(
        "orders.csv",
        &format!(
            "order_id,order_date,customer,customer_name,rep,channel,province,status,sku,quantity,unit_price\n\
             IMP-1,2026-10-15,NEWC2,新客户二,{owner_a},offline,{area_a},delivered,{sku1},5,{}\n\
             IMP-1,2026-10-15,NEWC2,新客户二,{owner_a},offline,{area_a},delivered,{sku2},1,{}\n\
             IMP-2,2026-11-08,{cust_b},,,,,confirmed,{sku1},2,{half}\n",
            units_input(list1),
            units_input(list2),
        ),
    );
    env.ok(&[
        "orders",
        "import",
        csv.to_str().unwrap(),
        "--create-customers",
    ]);
    assert_eq!(order_status(&env.conn(), "IMP-2"), "confirmed");
    assert_all(&env, &cases, "orders import");

    // 5c. Market observations below the floor, in October and November.
    let csv = env.write(
        "observations.csv",
        &format!(
            "date,sku,price,platform\n2026-10-18,{sku1},0.50,淘宝\n2026-11-18,{sku2},0.50,京东\n"
        ),
    );
    env.ok(&["prices", "observe", csv.to_str().unwrap()]);
    assert_all(&env, &cases, "prices observe");

    // 6. A customer with October orders set to key by hand and locked; then a regrade under stricter
    //    key thresholds changes other tiers but not the locked one.
    let lifted = october_customers(&env.conn(), Some("important"))
        .into_iter()
        .next()
        .expect("an important customer with October orders");
    env.ok(&["customers", "edit", &lifted, "--tier", "key", "--lock"]);
    assert_all(&env, &cases, "customers edit --tier key --lock");
    // A key customer with October orders graded down to normal by a customers import.
    let (lowered, name): (String, String) = env
        .conn()
        .query_row(
            "SELECT code, name FROM customers WHERE code = ?1",
            [&october_customers(&env.conn(), Some("key"))[0]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let csv = env.write(
        "customers.csv",
        &format!("code,name,tier\n{lowered},\"{name}\",normal\n"),
    );
    env.ok(&["customers", "import", csv.to_str().unwrap()]);
    assert_eq!(tier_of(&env.conn(), &lowered), "normal");
    assert_all(&env, &cases, "customers import of a tier");
    env.ok(&["policy", "set", "tier.key.revenue", "150000"]);
    env.ok(&["policy", "set", "tier.key.orders", "30"]);
    let changes = env.json(&["customers", "regrade"]);
    assert!(
        changes.as_array().unwrap().len() > 10,
        "regrade changes tiers: {changes}"
    );
    assert_eq!(
        tier_of(&env.conn(), &lifted),
        "key",
        "a locked tier survives the regrade"
    );
    assert_all(&env, &cases, "customers regrade");

    // 7. The area with the most October orders outside SOUTH moves to SOUTH, and orders follow.
    let area: String = env
        .conn()
        .query_row(
            &format!(
                "SELECT o.area FROM orders o JOIN areas a ON a.code = o.area
                 WHERE o.order_date BETWEEN '2026-10-01' AND '2026-10-31' AND {COUNTING}
                   AND a.region IS NOT NULL AND a.region <> 'SOUTH'
                 GROUP BY o.area ORDER BY COUNT(*) DESC, o.area LIMIT 1"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    env.ok(&["regions", "assign", "SOUTH", &area, "--move"]);
    env.ok(&["orders", "reassign-regions", "--yes"]);
    let moved: i64 = env
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM orders WHERE area = ?1 AND region = 'SOUTH'
               AND order_date BETWEEN '2026-10-01' AND '2026-10-31'",
            [&area],
            |r| r.get(0),
        )
        .unwrap();
    assert!(moved > 0, "orders of {area} moved to SOUTH");
    assert_all(
        &env,
        &cases,
        "regions assign --move and orders reassign-regions",
    );

    // 8. A fully paid October order re-imported with one line's quantity changed.
    let replaced: String = env.conn()
        .query_row(
            &format!(
                "SELECT o.id FROM orders o WHERE o.order_date BETWEEN '2026-10-01' AND '2026-10-31'
                   AND {COUNTING}
                   AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id)
                   AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.discount IS NULL)
                   AND (SELECT SUM(p.amount) FROM payments p WHERE p.order_id = o.id)
                       = (SELECT SUM(l.amount) FROM order_lines l WHERE l.order_id = o.id)
                 ORDER BY o.id LIMIT 1"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before_amount = order_amount(&env.conn(), &replaced);
    let export = env.ok(&["orders", "export"]);
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (c_id, c_qty, c_price, c_disc, c_amount) = (
        col("order_id"),
        col("quantity"),
        col("unit_price"),
        col("discount"),
        col("amount"),
    );
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    let mut edited = false;
    for row in reader.records() {
        let row = row.unwrap();
        if &row[c_id] != replaced.as_str() {
            continue;
        }
        let mut fields: Vec<String> = row.iter().map(str::to_string).collect();
        if !edited && fields[c_disc].is_empty() {
            let qty: i64 = fields[c_qty].parse().unwrap();
            let price = parse_units(&fields[c_price]);
            fields[c_qty] = (qty + 2).to_string();
            fields[c_amount] = units_input(price * (qty + 2));
            edited = true;
        }
        writer.write_record(&fields).unwrap();
    }
    assert!(edited, "a line without discount in {replaced}");
    let file = env.write(
        "replace.csv",
        &String::from_utf8(writer.into_inner().unwrap()).unwrap(),
    );
    env.ok(&["orders", "import", file.to_str().unwrap(), "--replace"]);
    assert!(
        order_amount(&env.conn(), &replaced) > before_amount,
        "{replaced} grew"
    );
    assert_all(&env, &cases, "orders import --replace");

    // 9. A backdated price change for the SKU on most October lines.
    let (list, _) = price_on(&env.conn(), &sku1, "2026-10-15");
    env.ok(&[
        "prices",
        "set",
        &sku1,
        "--list-price",
        &units_input(list * 12 / 10),
        "--floor-price",
        &units_input(list),
        "--effective",
        "2026-09-15",
        "--reason",
        "test",
    ]);
    assert_all(&env, &cases, "prices set from 2026-09-15");
}

#[test]
fn quarterly_and_annual_customer_counts_equal_sql() {
    let env = fresh();
    let cases = [
        quarterly("2026-Q3", "2026-07-01", "2026-09-30"),
        annual("2025"),
    ];
    let check = |step: &str| -> Vec<Value> {
        cases
            .iter()
            .map(|case| {
                let r = case.report(&env);
                assert_summary(&env, case, &r, step);
                assert_tiers(&env, case, &r, step);
                assert!(r["summary"]["customers"].as_i64().unwrap() > 100);
                assert!(r["summary"]["new_customers"].as_i64().unwrap() > 0);
                r["tiers"].clone()
            })
            .collect()
    };
    let before = check("demo as built");

    // A key customer with orders in both periods becomes normal: both reports follow its current tier.
    let code: String = env
        .conn()
        .query_row(
            &format!(
                "SELECT c.code FROM customers c WHERE c.tier = 'key'
                   AND EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code AND {COUNTING}
                               AND o.order_date BETWEEN '2026-07-01' AND '2026-09-30')
                   AND EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code AND {COUNTING}
                               AND o.order_date BETWEEN '2025-01-01' AND '2025-12-31')
                 ORDER BY c.code LIMIT 1"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    env.ok(&["customers", "edit", &code, "--tier", "normal"]);
    let after = check(&format!("customers edit {code} --tier normal"));
    let key_customers = |tiers: &Value| -> i64 {
        tiers
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tier"] == "key")
            .map(|t| t["customers"].as_i64().unwrap())
            .unwrap_or(0)
    };
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(key_customers(a), key_customers(b) - 1, "{b} -> {a}");
    }

    // The regrade puts it back (the demo was graded when it was built).
    let changes = env.json(&["customers", "regrade"]);
    assert!(
        changes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == code.as_str() && c["new_tier"] == "key"),
        "{changes}"
    );
    let regraded = check("customers regrade");
    assert_eq!(regraded, before);
}

#[test]
fn price_changes_from_today_keep_the_price_marks_true() {
    // Prices changed through `products edit` (one SKU) and `products import` (one SKU, then several)
    // take effect today: the price marks of the lines dated today must follow, however many changed.
    let env = fresh();
    let cases = [monthly("2026-11", "2026-11-01", "2026-11-30")];
    let db = env.conn();
    let skus = busiest_skus(&db, "2026-10-01", "2026-10-31");
    let customer = october_customers(&db, None)[0].clone();
    drop(db);
    let (sku1, sku2) = (skus[0].clone(), skus[1].clone());
    // Two orders dated today at the list prices in force: no marks yet.
    for line in [format!("{sku1}:2"), format!("{sku2}:3")] {
        env.ok(&["orders", "add", "--customer", &customer, "--line", &line]);
    }
    assert_all(&env, &cases, "orders of today at list prices");
    let marks = |env: &Env| -> i64 {
        let r = cases[0].report(env);
        ["off_list", "over_max_discount", "unapproved_discount"]
            .iter()
            .map(|k| count_of(&r["violations"], k))
            .sum()
    };
    let before = marks(&env);
    let product = |sku: &str| -> (String, i64, i64) {
        let db = env.conn();
        let name: String = db
            .query_row("SELECT name FROM products WHERE sku = ?1", [sku], |r| {
                r.get(0)
            })
            .unwrap();
        let (list, cost): (i64, i64) = db
            .query_row(
                "SELECT list_price, cost FROM prices WHERE sku = ?1 AND effective <= ?2
                 ORDER BY effective DESC LIMIT 1",
                params![sku, TODAY],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        (name, list, cost)
    };
    let import = |env: &Env, rows: &[(&str, i64)], step: &str| {
        let mut csv = String::from("sku,name,list_price,cost\n");
        for (sku, percent) in rows {
            let (name, list, cost) = product(sku);
            csv.push_str(&format!(
                "{sku},\"{}\",{},{}\n",
                name.replace('"', "\"\""),
                units_input(list * percent / 100),
                units_input(cost)
            ));
        }
        let file = env.write("products.csv", &csv);
        env.ok(&["products", "import", file.to_str().unwrap()]);
        assert_all(env, &cases, step);
    };

    import(&env, &[(&sku1, 150)], "products import of one price");
    assert!(
        marks(&env) > before,
        "a higher list price marks today's lines"
    );
    import(
        &env,
        &[(&sku1, 120), (&sku2, 150)],
        "products import of two prices",
    );
    let (_, list2, _) = product(&sku2);
    env.ok(&[
        "products",
        "edit",
        &sku2,
        "--list-price",
        &units_input(list2 * 2 / 3),
    ]);
    assert_all(&env, &cases, "products edit of a price");
}
