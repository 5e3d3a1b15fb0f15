//! `report …` on the demo company: every figure equals the same figure computed here with plain SQL over
//! `orders`, `order_lines`, `returns` and `customers` (never the rollups); the JSON shapes; CSV sections;
//! deterministic bytes; atomic `--output`; a self-contained HTML page.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::db::{params, Connection};
use common::sql::{cents, figures, Fig, COUNTING};
use common::{demo, files_in};
use serde_json::Value;

fn conn() -> Connection {
    demo().conn()
}

fn count(conn: &Connection, sql: &str, start: &str, end: &str) -> i64 {
    conn.query_row(sql, params![start, end], |r| r.get(0))
        .unwrap()
}

/// Customers whose first counting order ever is in [start, end], by the rep of that first order.
fn new_customers(conn: &Connection, start: &str, end: &str) -> HashMap<String, i64> {
    let mut stmt = conn
        .prepare(&format!(
            "WITH firsts AS (
                SELECT o.customer, o.rep, o.order_date,
                       ROW_NUMBER() OVER (PARTITION BY o.customer ORDER BY o.order_date, o.id) AS n
                FROM orders o WHERE {COUNTING})
             SELECT COALESCE(rep, ''), COUNT(*) FROM firsts
             WHERE n = 1 AND order_date BETWEEN ?1 AND ?2 GROUP BY 1"
        ))
        .unwrap();
    let rows = stmt
        .query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// Every region with the codes of itself and its sub-regions.
fn region_trees(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut stmt = conn.prepare("SELECT code, parent FROM regions").unwrap();
    let pairs: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for (code, _) in &pairs {
        let mut members = vec![code.clone()];
        let mut i = 0;
        while i < members.len() {
            let m = members[i].clone();
            for (c, p) in &pairs {
                if p.as_deref() == Some(m.as_str()) {
                    members.push(c.clone());
                }
            }
            i += 1;
        }
        out.insert(code.clone(), members);
    }
    out
}

fn by_key<'a>(rows: &'a Value, key: &str) -> HashMap<String, &'a Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| (r[key].as_str().unwrap_or("").to_string(), r))
        .collect()
}

/// Check every figure of a report JSON over [start, end] against plain SQL.
fn check_against_sql(r: &Value, start: &str, end: &str) {
    let conn = conn();
    let total = figures(&conn, start, end, "''")[""];
    let s = &r["summary"];
    assert_eq!(s["revenue"], cents(total.revenue), "revenue");
    assert_eq!(s["returns"], cents(total.returns), "returns");
    assert_eq!(s["net_revenue"], total.net(), "net revenue");
    assert_eq!(s["cost"], cents(total.cost), "cost");
    assert_eq!(s["profit"], total.profit(), "profit");
    assert_eq!(s["quantity"], total.quantity, "quantity");
    assert_eq!(s["orders"], total.orders, "orders");
    let customers = count(
        &conn,
        &format!(
            "SELECT COUNT(DISTINCT o.customer) FROM orders o
             WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING}"
        ),
        start,
        end,
    );
    assert_eq!(s["customers"], customers, "customers");
    let new = new_customers(&conn, start, end);
    assert_eq!(
        s["new_customers"],
        new.values().sum::<i64>(),
        "new customers"
    );
    assert!(total.orders > 100 && total.returns > 0, "{total:?}");

    // regions: a parent includes its sub-regions; orders in no region under (unassigned)
    let per_region = figures(&conn, start, end, "o.region");
    let regions = r["regions"].as_array().unwrap();
    let trees = region_trees(&conn);
    assert_eq!(regions.len(), trees.len() + 1, "{regions:#?}");
    for (code, members) in &trees {
        let mut f = Fig::default();
        for m in members {
            if let Some(x) = per_region.get(m) {
                f.revenue += x.revenue;
                f.returns += x.returns;
                f.cost += x.cost;
                f.quantity += x.quantity;
                f.orders += x.orders;
            }
        }
        let row = regions
            .iter()
            .find(|x| x["region"] == *code.as_str())
            .unwrap();
        assert_eq!(row["net_revenue"], f.net(), "region {code}");
        assert_eq!(row["quantity"], f.quantity, "region {code}");
        assert_eq!(row["profit"], f.profit(), "region {code}");
        assert_eq!(row["orders"], f.orders, "region {code}");
    }
    assert!(trees["EAST"].len() > 1, "the demo has a sub-region");
    let unassigned = regions.iter().find(|x| x["region"].is_null()).unwrap();
    let f = per_region[""];
    assert_eq!(unassigned["name"], "(unassigned)");
    assert_eq!(unassigned["net_revenue"], f.net());
    assert_eq!(unassigned["quantity"], f.quantity);
    assert_eq!(unassigned["profit"], f.profit());
    assert_eq!(unassigned["orders"], f.orders);

    // reps: every rep with sales is there, with the same figures
    let per_rep = figures(&conn, start, end, "o.rep");
    let reps = by_key(&r["reps"], "rep");
    for (code, f) in &per_rep {
        if code.is_empty() {
            continue;
        }
        let row = reps
            .get(code)
            .unwrap_or_else(|| panic!("rep {code} missing"));
        assert_eq!(row["net_revenue"], f.net(), "rep {code}");
        assert_eq!(row["quantity"], f.quantity, "rep {code}");
        assert_eq!(row["profit"], f.profit(), "rep {code}");
        assert_eq!(row["orders"], f.orders, "rep {code}");
        assert_eq!(
            row["new_customers"],
            new.get(code).copied().unwrap_or(0),
            "rep {code}"
        );
    }
    // Reps without sales are listed only for their target, with zero figures.
    for (code, row) in &reps {
        if !per_rep.contains_key(code.as_str()) {
            assert_eq!(row["net_revenue"], "0.00", "rep {code}");
            assert!(
                !row["target_revenue"].is_null(),
                "rep {code} listed without sales or target"
            );
        }
    }
    assert!(reps.len() >= per_rep.keys().filter(|k| !k.is_empty()).count());

    // top 10 products by net revenue, ties by SKU
    let mut per_product: Vec<(String, Fig)> =
        figures(&conn, start, end, "l.sku").into_iter().collect();
    per_product.sort_by(|a, b| {
        (b.1.revenue - b.1.returns)
            .cmp(&(a.1.revenue - a.1.returns))
            .then(a.0.cmp(&b.0))
    });
    per_product.truncate(10);
    let products = r["products"].as_array().unwrap();
    assert_eq!(products.len(), 10);
    for ((sku, f), row) in per_product.iter().zip(products) {
        assert_eq!(row["sku"], *sku.as_str());
        assert_eq!(row["net_revenue"], f.net(), "product {sku}");
        assert_eq!(row["quantity"], f.quantity, "product {sku}");
        assert_eq!(row["profit"], f.profit(), "product {sku}");
    }

    // channels
    let per_channel = figures(&conn, start, end, "o.channel");
    let channels = by_key(&r["channels"], "channel");
    assert_eq!(channels.len(), per_channel.len());
    for (ch, f) in &per_channel {
        assert_eq!(channels[ch]["net_revenue"], f.net(), "channel {ch}");
        assert_eq!(channels[ch]["orders"], f.orders, "channel {ch}");
    }

    // tiers: by the customer's current tier
    let per_tier = figures(&conn, start, end, "c.tier");
    let tiers = by_key(&r["tiers"], "tier");
    assert_eq!(tiers.len(), per_tier.len());
    for (t, f) in &per_tier {
        let n = count(
            &conn,
            &format!(
                "SELECT COUNT(DISTINCT o.customer) FROM orders o JOIN customers c ON c.code = o.customer
                 WHERE o.order_date BETWEEN ?1 AND ?2 AND {COUNTING} AND c.tier = '{t}'"
            ),
            start,
            end,
        );
        assert_eq!(tiers[t]["net_revenue"], f.net(), "tier {t}");
        assert_eq!(tiers[t]["customers"], n, "tier {t}");
    }
}

#[test]
fn monthly_report_figures_equal_plain_sql_over_the_lines() {
    let env = demo();
    let r = env.json(&["report", "monthly", "--month", "2026-10"]);
    assert_eq!(r["period"]["start"], "2026-10-01");
    assert_eq!(r["period"]["end"], "2026-10-31");
    check_against_sql(&r, "2026-10-01", "2026-10-31");
    // comparisons: the previous month and the same month last year
    let conn = conn();
    let prev = figures(&conn, "2026-09-01", "2026-09-30", "''")[""];
    let last = figures(&conn, "2025-10-01", "2025-10-31", "''")[""];
    assert_eq!(r["summary"]["prev_net_revenue"], prev.net());
    assert_eq!(r["summary"]["last_year_net_revenue"], last.net());
}

#[test]
fn period_report_over_a_range_that_cuts_months_equals_plain_sql() {
    let env = demo();
    let r = env.json(&["report", "period", "--period", "2026-09-12..2026-10-07"]);
    assert_eq!(r["period"]["start"], "2026-09-12");
    assert_eq!(r["period"]["end"], "2026-10-07");
    check_against_sql(&r, "2026-09-12", "2026-10-07");
    // the previous period is the span of equal length (26 days) just before
    let prev = figures(&conn(), "2026-08-17", "2026-09-11", "''")[""];
    assert_eq!(r["summary"]["prev_net_revenue"], prev.net());
}

fn is_money(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let s = s.strip_prefix('-').unwrap_or(s);
        let (a, b) = s.split_once('.').unwrap_or(("", ""));
        !a.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.len() == 2
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

#[derive(Clone, Copy, Debug)]
enum T {
    Money,
    OptMoney,
    Int,
    OptInt,
    Pct,
    Str,
    OptStr,
    Date,
    Object,
}

fn check_type(path: &str, v: &Value, t: T) {
    let ok = match t {
        T::Money => is_money(v),
        T::OptMoney => v.is_null() || is_money(v),
        T::Int => v.is_i64(),
        T::OptInt => v.is_null() || v.is_i64(),
        T::Pct => v.is_null() || v.is_number(),
        T::Str => v.is_string(),
        T::OptStr => v.is_null() || v.is_string(),
        T::Object => v.is_object(),
        T::Date => v.as_str().is_some_and(|s| {
            s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        }),
    };
    assert!(ok, "{path}: {v} is not {t:?}");
}

fn check_object(path: &str, v: &Value, shape: &[(&str, T)]) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{path}: not an object"));
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    let want: Vec<&str> = shape.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, want, "{path}: keys");
    for (k, t) in shape {
        check_type(&format!("{path}.{k}"), &obj[*k], *t);
    }
}

fn check_array(path: &str, v: &Value, shape: &[(&str, T)]) {
    for (i, row) in v
        .as_array()
        .unwrap_or_else(|| panic!("{path}: not an array"))
        .iter()
        .enumerate()
    {
        check_object(&format!("{path}[{i}]"), row, shape);
    }
}

/// Walk a report against its documented JSON shape (docs/manual.md).
fn check_report_shape(r: &Value) {
    use T::*;
    let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    // The quarterly, annual and period reports end with the regions' scorecard (tests/scorecard.rs).
    let monthly = r["period"]["label"]
        .as_str()
        .is_some_and(|l| l.len() == 7 && !l.contains('Q'));
    assert_eq!(keys.last() == Some(&"scorecard"), !monthly, "{keys:?}");
    if !monthly {
        keys.pop();
    }
    assert_eq!(
        keys,
        [
            "period",
            "summary",
            "regions",
            "reps",
            "products",
            "channels",
            "tiers",
            "receivables",
            "violations",
            "stock",
            "service",
            "campaigns",
            "carriers"
        ]
    );
    check_object(
        "period",
        &r["period"],
        &[("label", Str), ("start", Date), ("end", Date)],
    );
    check_object(
        "summary",
        &r["summary"],
        &[
            ("revenue", Money),
            ("returns", Money),
            ("net_revenue", Money),
            ("quantity", Int),
            ("cost", Money),
            ("profit", Money),
            ("margin_pct", Pct),
            ("orders", Int),
            ("customers", Int),
            ("new_customers", Int),
            ("prev_net_revenue", OptMoney),
            ("change_pct", Pct),
            ("last_year_net_revenue", OptMoney),
            ("yoy_pct", Pct),
        ],
    );
    let scored = [
        ("net_revenue", Money),
        ("quantity", Int),
        ("profit", Money),
        ("orders", Int),
    ];
    let target = [
        ("target_revenue", OptMoney),
        ("achievement_pct", Pct),
        ("band", OptStr),
        ("rank", OptInt),
    ];
    let mut region = vec![("region", OptStr), ("name", Str), ("parent", OptStr)];
    region.extend(scored);
    region.extend(target);
    check_array("regions", &r["regions"], &region);
    let mut rep = vec![("rep", Str), ("name", Str), ("region", Str)];
    rep.extend(scored);
    rep.push(("new_customers", Int));
    rep.extend(target);
    check_array("reps", &r["reps"], &rep);
    check_array(
        "products",
        &r["products"],
        &[
            ("sku", Str),
            ("name", Str),
            ("net_revenue", Money),
            ("quantity", Int),
            ("profit", Money),
        ],
    );
    check_array(
        "channels",
        &r["channels"],
        &[("channel", Str), ("net_revenue", Money), ("orders", Int)],
    );
    check_array(
        "tiers",
        &r["tiers"],
        &[("tier", Str), ("customers", Int), ("net_revenue", Money)],
    );
    check_object(
        "receivables",
        &r["receivables"],
        &[
            ("as_of", Date),
            ("outstanding", Money),
            ("overdue", Money),
            ("buckets", Object),
        ],
    );
    check_object(
        "receivables.buckets",
        &r["receivables"]["buckets"],
        &[
            ("not_due", Money),
            ("0-30", Money),
            ("31-60", Money),
            ("61-90", Money),
            ("90+", Money),
        ],
    );
    check_array(
        "violations",
        &r["violations"],
        &[("kind", Str), ("count", Int)],
    );
    check_array(
        "stock",
        &r["stock"],
        &[
            ("warehouse", Str),
            ("name", Str),
            ("opening", Int),
            ("received", Int),
            ("shipped", Int),
            ("returned", Int),
            ("adjusted", Int),
            ("transferred", Int),
            ("closing", Int),
            ("closing_value", Money),
        ],
    );
    check_array(
        "service",
        &r["service"],
        &[
            ("region", OptStr),
            ("name", Str),
            ("parent", OptStr),
            ("opened", Int),
            ("responded", Int),
            ("response_on_time_pct", Pct),
            ("resolved", Int),
            ("resolve_on_time_pct", Pct),
            ("complaints", Int),
            ("complaint_resolution_pct", Pct),
            ("satisfaction_avg", Pct),
            ("satisfied_pct", Pct),
            ("reopened", Int),
            ("median_response_hours", Pct),
        ],
    );
    // pct numbers have one decimal
    for v in [&r["summary"]["margin_pct"], &r["summary"]["change_pct"]] {
        let Some(x) = v.as_f64() else { continue };
        assert_eq!((x * 10.0).round() / 10.0, x, "{v}");
    }
}

#[test]
fn monthly_quarterly_and_annual_json_match_the_spec_shape() {
    let env = demo();
    for args in [
        &["report", "monthly", "--month", "2026-10"][..],
        &["report", "quarterly", "--quarter", "2026-Q3"],
        &["report", "annual", "--year", "2025"],
        &["report", "monthly"],
    ] {
        let r = env.json(args);
        check_report_shape(&r);
    }
    let r = env.json(&["report", "annual", "--year", "2025"]);
    assert_eq!(r["period"]["label"], "2025");
    // the demo starts in 2025: no previous year to compare with
    assert!(r["summary"]["prev_net_revenue"].is_null());
    assert!(r["summary"]["change_pct"].is_null());
    let r = env.json(&["report", "monthly"]);
    assert_eq!(r["period"]["label"], "2026-10");
    assert_eq!(r["receivables"]["as_of"], "2026-10-31");
}

#[test]
fn trend_has_a_column_per_month_and_rows_that_add_up_to_their_total() {
    let env = demo();
    let t = env.json(&[
        "report", "trend", "--period", "2026-Q3", "--by", "month", "--group", "region",
    ]);
    assert_eq!(
        t["columns"],
        serde_json::json!(["2026-07", "2026-08", "2026-09"])
    );
    assert_eq!(t["by"], "month");
    assert_eq!(t["group"], "region");
    let conn = conn();
    let months = [
        ("2026-07-01", "2026-07-31"),
        ("2026-08-01", "2026-08-31"),
        ("2026-09-01", "2026-09-30"),
    ];
    let rows = t["rows"].as_array().unwrap();
    assert!(rows.len() >= 8, "{rows:#?}");
    for row in rows {
        let key = row["key"].as_str().unwrap_or("");
        let values: Vec<i64> = row["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v.as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64)
            .collect();
        let total = (row["total"].as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
        assert_eq!(values.iter().sum::<i64>(), total, "{row}");
        // Each cell is the net revenue of that month of the region and its sub-regions (the demo's
        // sub-regions are one level deep).
        let mut codes = vec![key.to_string()];
        if !key.is_empty() {
            let mut stmt = conn
                .prepare("SELECT code FROM regions WHERE parent = ?1")
                .unwrap();
            let subs = stmt.query_map([key], |r| r.get::<_, String>(0)).unwrap();
            codes.extend(subs.map(Result::unwrap));
        }
        for (i, (a, b)) in months.iter().enumerate() {
            let by_region = figures(&conn, a, b, "o.region");
            let net: i64 = codes
                .iter()
                .map(|c| {
                    let f = by_region.get(c.as_str()).copied().unwrap_or_default();
                    f.revenue - f.returns
                })
                .sum();
            assert_eq!(row["values"][i], cents(net), "{key} {a}");
        }
    }
    let q = env.json(&[
        "report", "trend", "--period", "2026", "--by", "quarter", "--group", "channel",
    ]);
    assert_eq!(
        q["columns"],
        serde_json::json!(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
    );
}

#[test]
fn csv_needs_a_section_and_gives_that_one_table() {
    let env = demo();
    let err = env.err(
        &["report", "monthly", "--month", "2026-10", "--format", "csv"],
        2,
    );
    assert!(err.contains("--section"), "{err}");
    let csv = env.ok(&[
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--format",
        "csv",
        "--section",
        "regions",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "region,name,parent,net_revenue,quantity,profit,orders,target_revenue,achievement_pct,band,rank"
    );
    let json = env.json(&["report", "monthly", "--month", "2026-10"]);
    let regions = json["regions"].as_array().unwrap();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), regions.len());
    // The first row is a top-level region: its parent cell is empty.
    assert!(regions[0]["parent"].is_null());
    let first = format!(
        "{},{},,{},{},{},{},",
        regions[0]["region"].as_str().unwrap(),
        regions[0]["name"].as_str().unwrap(),
        regions[0]["net_revenue"].as_str().unwrap(),
        regions[0]["quantity"],
        regions[0]["profit"].as_str().unwrap(),
        regions[0]["orders"],
    );
    assert!(rows[0].starts_with(&first), "{} vs {first}", rows[0]);
    env.err(
        &[
            "report",
            "monthly",
            "--month",
            "2026-10",
            "--format",
            "csv",
            "--section",
            "nope",
        ],
        2,
    );
}

#[test]
fn two_runs_give_identical_bytes_in_every_format() {
    let env = demo();
    for format in ["table", "json", "md", "html"] {
        let args = [
            "report", "monthly", "--month", "2026-10", "--format", format,
        ];
        let a = env.run(&args);
        let b = env.run(&args);
        assert_eq!(a.status.code(), Some(0), "{format}");
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn output_to_a_file_leaves_no_temporary_file() {
    let env = demo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oct.html");
    let out = env.ok(&[
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--format",
        "html",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out, "");
    assert_eq!(files_in(dir.path()), ["oct.html"]);
    let written = std::fs::read(&file).unwrap();
    let printed = env.run(&[
        "report", "monthly", "--month", "2026-10", "--format", "html",
    ]);
    assert_eq!(written, printed.stdout);
}

#[test]
fn html_is_self_contained_with_three_svg_charts() {
    let env = demo();
    let html = env.ok(&[
        "report", "monthly", "--month", "2026-10", "--format", "html",
    ]);
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    // The SVG namespace is a name, not a fetched resource; nothing else may mention http.
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!rest.contains("http"), "no external reference");
    assert!(!html.contains("url("), "no external resource in CSS");
    assert!(!html.contains("src="), "no external resource");
    assert!(!html.contains("<link"), "no stylesheet link");
    assert!(html.contains("2026-10"));
}

#[test]
fn demo_targets_add_up_and_checks_show_what_the_demo_means_to_show() {
    let env = demo();
    // Targets: split and cascaded exactly, every region and active rep has one for 2026.
    assert_eq!(env.json(&["targets", "check"]), serde_json::json!([]));
    // The rollups agree with the lines; the database is sound.
    env.db_check_clean();
    // Regions cover all but 台湾 and 澳门.
    let gaps = env.json_code(&["regions", "check"], 4);
    let gap_subjects: Vec<&str> = gaps
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "gap")
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(gap_subjects, vec!["台湾", "澳门"]);
    // October's price check shows every kind of finding.
    let findings = env.json_code(
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
    let mut kinds: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    kinds.dedup();
    // Every kind but `off_list`: since it means a price above list, the demo (whose special prices are
    // all discounts) has none; tests/prices.rs covers it.
    for kind in common::FINDING_KINDS.iter().filter(|k| **k != "off_list") {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    assert!(!kinds.contains(&"off_list"), "{kinds:?}");
}

#[test]
fn money_reads_with_separators_for_people_never_in_csv_or_json() {
    let env = demo();
    let run = |format: &str, extra: &[&str]| {
        let mut args = vec![
            "report", "monthly", "--month", "2026-10", "--format", format,
        ];
        args.extend(extra);
        env.ok(&args)
    };
    for format in ["table", "md", "html"] {
        assert!(run(format, &[]).contains("2,572,331.31"), "{format}");
    }
    let json: Value = serde_json::from_str(&run("json", &[])).unwrap();
    assert_eq!(json["summary"]["net_revenue"], "2572331.31");
    let csv = run("csv", &["--section", "summary"]);
    assert!(csv.contains(",2572331.31,"), "{csv}");
    assert!(!csv.contains("2,572,331.31"), "{csv}");
}

#[test]
fn html_report_is_one_file_with_a_headline_axes_and_labels_in_its_language() {
    let env = demo();
    let html = |lang: &str| {
        env.ok(&[
            "report", "monthly", "--month", "2026-10", "--format", "html", "--lang", lang,
        ])
    };
    for (lang, page) in [("en", html("en")), ("zh", html("zh"))] {
        // Nothing fetched: no scripts, no stylesheets, fonts or images from elsewhere.
        let without_svg_ns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for needle in [
            "http:", "https:", "<script", "<link", "url(", "@import", "<img",
        ] {
            assert!(!without_svg_ns.contains(needle), "{lang}: {needle}");
        }
        assert!(page.contains("<div class=\"kpis\">"), "{lang}");
        // Direction by arrow and sign as well as colour.
        assert!(page.contains("▼ -50.1%"), "{lang}");
        // Overdue receivables grew against the end of September: up, and not good news.
        assert!(page.contains("▲ +27.5%"), "{lang}");
        assert!(page.contains("@page{size:A4 portrait"), "{lang}");
    }
    let zh = html("zh");
    assert!(zh.contains("257.23 万元"));
    assert!(zh.contains("¥2,572,331.31"));
    for word in [
        "关键",
        "重要",
        "普通",
        "去年同期",
        "达成率%",
        "低于底价",
        "（未分配）",
    ] {
        assert!(zh.contains(word), "{word}");
    }
    for code in [">key ", ">important ", ">normal ", ">achieved<", ">under<"] {
        assert!(!zh.contains(code), "{code}");
    }
}

/// By region, the trend counts a sub-region's sales in its parent as the monthly report does, marks
/// the sub-region's row with its parent in both, and its column totals count each sale once: the
/// company's net revenue of the month.
#[test]
fn trend_and_report_agree_on_a_parent_region_and_mark_its_sub_regions() {
    let env = common::demo();
    let trend = env.json(&[
        "report", "trend", "--period", "2026-Q3", "--group", "region",
    ]);
    let rows = trend["rows"].as_array().unwrap();
    let row = |key: &str| rows.iter().find(|r| r["key"] == key).unwrap();
    assert_eq!(row("EAST-SH")["parent"], "EAST");
    assert_eq!(row("EAST")["parent"], Value::Null);
    for (i, month) in ["2026-07", "2026-08", "2026-09"].iter().enumerate() {
        let report = env.json(&["report", "monthly", "--month", month]);
        let regions = report["regions"].as_array().unwrap();
        let region = |code: &str| regions.iter().find(|r| r["region"] == code).unwrap();
        for code in ["EAST", "EAST-SH", "NORTH"] {
            assert_eq!(
                row(code)["values"][i],
                region(code)["net_revenue"],
                "{code} {month}"
            );
        }
        assert_eq!(region("EAST-SH")["parent"], "EAST");
        assert_eq!(region("EAST")["parent"], Value::Null);
        // A spreadsheet sum over the rows without a parent is the company's net revenue.
        let top: i64 = regions
            .iter()
            .filter(|r| r["parent"].is_null())
            .map(|r| parse_cents(&r["net_revenue"]))
            .sum();
        assert_eq!(top, parse_cents(&report["summary"]["net_revenue"]));
        let top_trend: i64 = rows
            .iter()
            .filter(|r| r["parent"].is_null())
            .map(|r| parse_cents(&r["values"][i]))
            .sum();
        assert_eq!(top_trend, top, "{month}");
    }
}

/// A report amount ("1234.50") in cents.
fn parse_cents(amount: &Value) -> i64 {
    let text = amount.as_str().unwrap();
    let (whole, frac) = text.split_once('.').unwrap();
    let magnitude =
        whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if whole.starts_with('-') {
        -magnitude
    } else {
        magnitude
    }
}

/// `report trend --by` and `targets split --into` take each other's spelling: month or months,
/// quarter or quarters, and mean the same.
#[test]
fn month_and_quarter_read_singular_or_plural_in_trend_and_split() {
    let env = demo();
    let args = |by: &str| {
        env.ok(&[
            "report", "trend", "--period", "2026", "--by", by, "--group", "channel", "--format",
            "json",
        ])
    };
    assert_eq!(args("quarters"), args("quarter"));
    assert_eq!(args("months"), args("month"));
    let split = |into: &str| {
        let copy = common::demo_copy();
        copy.ok(&[
            "targets", "split", "--region", "EAST", "--year", "2026", "--into", into, "--yes",
        ]);
        copy.ok(&["targets", "list", "--format", "csv"])
    };
    assert_eq!(split("quarter"), split("quarters"));
}
