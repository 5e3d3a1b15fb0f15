//! `campaigns …` through the binary: the catalogue, daily records (a second record of a day replaces
//! what it gives), attribution of orders (`orders add --campaign`, the `campaign` column of an order
//! file) and of customers and leads, and the report's every figure against hand-worked numbers and
//! plain SQL, zero bases included; `campaigns check` on both sides of its rules.

mod common;

use common::{Company, Env};
use serde_json::{json, Value};

/// Region E with its manager E01, TEA-1 at 100 (cost 40), customers C1 (上海) and C2 (江苏), and two
/// campaigns: SPRING (search, region E, March, budget 5000) and MAIL (email, no region, 1–10 March,
/// no budget).
fn company() -> Env {
    Company::east()
        .customer("C1", "One", "上海")
        .owner("E01")
        .customer("C2", "Two", "江苏")
        .run(&[
            "campaigns",
            "add",
            "SPRING",
            "--name",
            "春茶季",
            "--channel",
            "search",
            "--region",
            "E",
            "--start",
            "2026-03-01",
            "--end",
            "2026-03-31",
            "--budget",
            "5000",
        ])
        .run(&[
            "campaigns",
            "add",
            "MAIL",
            "--name",
            "邮件",
            "--channel",
            "email",
            "--start",
            "2026-03-01",
            "--end",
            "2026-03-10",
        ])
        .build()
}

/// The company with March's records and orders:
/// - SPRING: 02-28 spend 100 (before the period); 03-02 spend 800, 20000 impressions, 400 clicks then
///   500 (a second record), 300 visits; 03-03 from a file: spend 400, 10000, 100, 100.
/// - MAIL: 03-05 spend 200, nothing else.
/// - Orders of SPRING: C1 03-04 3 × 100 (`orders add`), C2 03-05 2 × 100 (an order file naming the
///   campaign by its name), C1 03-06 1 × 100; a held order (20% off) that does not count. One piece of
///   the first order comes back on 03-10.
/// - A lead L1 naming SPRING, created today (03-16).
fn march() -> Env {
    let env = company();
    env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-02-28",
        "--spend",
        "100",
    ]);
    env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-03-02",
        "--spend",
        "800",
        "--impressions",
        "20000",
        "--clicks",
        "400",
        "--visits",
        "300",
    ]);
    let second = env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-03-02",
        "--clicks",
        "500",
    ]);
    assert!(second.contains("record replaced"), "{second}");
    let file = env.write(
        "records.csv",
        "campaign,date,spend,impressions,clicks,visits\nSPRING,2026-03-03,400,10000,100,100\n邮件,2026/3/5,200,,,\n",
    );
    env.ok(&["campaigns", "records-import", file.to_str().unwrap()]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "A1",
        "--customer",
        "C1",
        "--date",
        "2026-03-04",
        "--campaign",
        "SPRING",
        "--line",
        "TEA-1:3",
    ]);
    let orders = env.write(
        "orders.csv",
        "order_id,order_date,customer,sku,quantity,amount,campaign\nW1,2026-03-05,C2,TEA-1,2,200,春茶季\n",
    );
    env.ok(&["orders", "import", orders.to_str().unwrap()]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "A2",
        "--customer",
        "C1",
        "--date",
        "2026-03-06",
        "--campaign",
        "SPRING",
        "--line",
        "TEA-1:1",
    ]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "HELD",
        "--customer",
        "C2",
        "--date",
        "2026-03-07",
        "--campaign",
        "SPRING",
        "--line",
        "TEA-1:1-20%",
    ]);
    env.ok(&[
        "orders",
        "ship",
        "A1",
        "--carrier",
        "SF",
        "--tracking",
        "T1",
        "--date",
        "2026-03-05",
    ]);
    env.ok(&["orders", "deliver", "A1", "--date", "2026-03-07"]);
    env.ok(&[
        "orders",
        "return",
        "A1",
        "--line",
        "TEA-1:1",
        "--reason",
        "broken",
        "--date",
        "2026-03-10",
    ]);
    env.ok(&[
        "customers",
        "add",
        "L1",
        "--name",
        "Lead",
        "--area",
        "上海",
        "--lead",
        "--campaign",
        "SPRING",
    ]);
    env
}

fn row<'a>(rows: &'a Value, key: &str, value: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {rows}"))
}

#[test]
fn every_figure_of_the_report_is_the_hand_worked_one() {
    let env = march();
    let rows = env.json(&["campaigns", "report", "--period", "2026-03"]);
    // SPRING: spend 800 + 400 = 1200 (02-28 is before March); to date 1300 of 5000 = 26%.
    // 30000 impressions, 600 clicks (the second record's 500): 2%. 400 visits, 3 counting orders:
    // 0.75% → 0.8. Revenue 600 less the return 100 = 500; cost 240 less 40 = 200; profit 300.
    // ROAS 500 / 1200 = 0.4166… → 0.42; ROI (300 − 1200) / 1200 = −75%; 1200 / 3 = 400 per order;
    // new customers C1 and C2: CAC 600. One lead.
    assert_eq!(
        row(&rows, "campaign", "SPRING"),
        &json!({
            "campaign": "SPRING", "name": "春茶季", "channel": "search", "region": "E",
            "budget": "5000.00", "spend": "1200.00", "budget_used_pct": 26.0,
            "impressions": 30000, "clicks": 600, "ctr_pct": 2.0, "visits": 400, "leads": 1,
            "orders": 3, "conversion_pct": 0.8, "net_revenue": "500.00", "profit": "300.00",
            "roas": 0.42, "roi_pct": -75.0, "cost_per_order": "400.00", "new_customers": 2,
            "cac": "600.00"
        })
    );
    // MAIL: spend and nothing else: every ratio on a zero base is null; ROAS 0 / 200 = 0.
    assert_eq!(
        row(&rows, "campaign", "MAIL"),
        &json!({
            "campaign": "MAIL", "name": "邮件", "channel": "email", "region": null,
            "budget": null, "spend": "200.00", "budget_used_pct": null,
            "impressions": 0, "clicks": 0, "ctr_pct": null, "visits": 0, "leads": 0,
            "orders": 0, "conversion_pct": null, "net_revenue": "0.00", "profit": "0.00",
            "roas": 0.0, "roi_pct": -100.0, "cost_per_order": null, "new_customers": 0,
            "cac": null
        })
    );
    env.db_check_clean();
}

#[test]
fn the_report_agrees_with_plain_sql_over_the_orders_and_returns() {
    let env = march();
    let conn = env.conn();
    let (orders, revenue, cost): (i64, i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), SUM(amount), SUM(cost) FROM orders WHERE campaign = 'SPRING'
             AND status NOT IN ('cancelled', 'pending_approval') AND order_date LIKE '2026-03-%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let (returns, returns_cost): (i64, i64) = conn
        .query_row(
            "SELECT SUM(r.amount), SUM(r.cost) FROM returns r JOIN orders o ON o.id = r.order_id
             WHERE o.campaign = 'SPRING' AND r.date LIKE '2026-03-%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let yuan = |units: i64| format!("{:.2}", units as f64 / 10000.0);
    let rows = env.json(&["campaigns", "report", "--period", "2026-03"]);
    let spring = row(&rows, "campaign", "SPRING");
    assert_eq!(spring["orders"], orders);
    assert_eq!(spring["net_revenue"], yuan(revenue - returns));
    assert_eq!(
        spring["profit"],
        yuan(revenue - returns - (cost - returns_cost))
    );
}

#[test]
fn the_report_groups_by_channel_and_region() {
    let env = march();
    let by_channel = env.json(&[
        "campaigns",
        "report",
        "--period",
        "2026-03",
        "--by",
        "channel",
    ]);
    assert_eq!(row(&by_channel, "channel", "search")["spend"], "1200.00");
    assert_eq!(row(&by_channel, "channel", "email")["spend"], "200.00");
    let by_region = env.json(&[
        "campaigns",
        "report",
        "--period",
        "2026-03",
        "--by",
        "region",
    ]);
    let rows = by_region.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(row(&by_region, "region", "E")["net_revenue"], "500.00");
    let none = rows.iter().find(|r| r["region"].is_null()).unwrap();
    assert_eq!(none["spend"], "200.00");
}

#[test]
fn a_second_record_of_a_day_replaces_only_the_values_it_gives() {
    let env = march();
    let rows = env.json(&[
        "campaigns",
        "records",
        "SPRING",
        "--period",
        "2026-03-02..2026-03-02",
    ]);
    assert_eq!(
        rows,
        json!([{"campaign": "SPRING", "date": "2026-03-02", "spend": "800.00", "impressions": 20000,
                "clicks": 500, "visits": 300}])
    );
    // The same values again change nothing and write nothing.
    let out = env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-03-02",
        "--clicks",
        "500",
    ]);
    assert!(out.contains("nothing changed"), "{out}");
    // A file row for a recorded day replaces what it gives, too.
    let file = env.write(
        "again.csv",
        "campaign,date,spend,visits\nSPRING,2026-03-02,900,\n",
    );
    env.ok(&["campaigns", "records-import", file.to_str().unwrap()]);
    let rows = env.json(&[
        "campaigns",
        "records",
        "SPRING",
        "--period",
        "2026-03-02..2026-03-02",
    ]);
    assert_eq!(rows[0]["spend"], "900.00");
    assert_eq!(rows[0]["clicks"], 500);
    assert_eq!(rows[0]["visits"], 300);
}

#[test]
fn attribution_follows_status_moves_replacements_and_cancellations() {
    let env = march();
    // Approving the held order makes it count (80, cost 40).
    env.ok(&["orders", "approve", "HELD", "--by", "E01"]);
    let spring = |env: &Env| {
        row(
            &env.json(&["campaigns", "report", "--period", "2026-03"]),
            "campaign",
            "SPRING",
        )
        .clone()
    };
    let s = spring(&env);
    assert_eq!(s["orders"], 4);
    assert_eq!(s["net_revenue"], "580.00");
    env.db_check_clean();
    // Cancelling A2 takes it away.
    env.ok(&[
        "orders",
        "cancel",
        "A2",
        "--reason",
        "changed mind",
        "--yes",
    ]);
    let s = spring(&env);
    assert_eq!(s["orders"], 3);
    assert_eq!(s["net_revenue"], "480.00");
    env.db_check_clean();
    // Re-importing W1 without a campaign column leaves its campaign; a different campaign needs
    // --replace, which moves it.
    let same = env.write(
        "same.csv",
        "order_id,order_date,customer,sku,quantity,amount\nW1,2026-03-05,C2,TEA-1,2,200\n",
    );
    env.ok(&["orders", "import", same.to_str().unwrap()]);
    assert_eq!(spring(&env)["orders"], 3);
    let moved = env.write(
        "moved.csv",
        "order_id,order_date,customer,sku,quantity,amount,campaign\nW1,2026-03-05,C2,TEA-1,2,200,MAIL\n",
    );
    let err = env.err(&["orders", "import", moved.to_str().unwrap()], 3);
    assert!(err.contains("campaign"), "{err}");
    env.ok(&["orders", "import", moved.to_str().unwrap(), "--replace"]);
    assert_eq!(spring(&env)["orders"], 2);
    let mail = row(
        &env.json(&["campaigns", "report", "--period", "2026-03"]),
        "campaign",
        "MAIL",
    )
    .clone();
    assert_eq!(mail["orders"], 1);
    assert_eq!(mail["net_revenue"], "200.00");
    // C2's first order is W1 (03-05), now MAIL's: a new customer of MAIL.
    assert_eq!(mail["new_customers"], 1);
    env.db_check_clean();
}

#[test]
fn an_earlier_order_outside_the_campaign_takes_its_new_customer_away() {
    let env = march();
    assert_eq!(
        row(
            &env.json(&["campaigns", "report", "--period", "2026-03"]),
            "campaign",
            "SPRING"
        )["new_customers"],
        2
    );
    // C2 bought before, without a campaign: W1 is no longer its first order.
    env.ok(&[
        "orders",
        "add",
        "--customer",
        "C2",
        "--date",
        "2026-02-10",
        "--line",
        "TEA-1:1",
    ]);
    assert_eq!(
        row(
            &env.json(&["campaigns", "report", "--period", "2026-03"]),
            "campaign",
            "SPRING"
        )["new_customers"],
        1
    );
    env.db_check_clean();
}

#[test]
fn check_finds_spend_above_budget_and_campaigns_that_ended_without_orders() {
    let env = march();
    // Today is 03-16: MAIL ended on 03-10 with 200 spent and no order.
    let found = env.json_code(&["campaigns", "check"], 4);
    assert_eq!(
        found,
        json!([{"kind": "no_orders", "subject": "MAIL",
                "detail": "ended 2026-03-10 after spending 200.00 without a counting order"}])
    );
    // SPRING has 1300 to date: 3700 more reaches the budget exactly, which is not above it.
    env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-03-15",
        "--spend",
        "3700",
    ]);
    assert_eq!(
        env.json_code(&["campaigns", "check"], 4)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    env.ok(&[
        "campaigns",
        "record",
        "SPRING",
        "--date",
        "2026-03-16",
        "--spend",
        "0.01",
    ]);
    let found = env.json_code(&["campaigns", "check"], 4);
    assert_eq!(found[1]["kind"], "over_budget");
    assert_eq!(found[1]["subject"], "SPRING");
    assert_eq!(
        found[1]["detail"],
        "spend to date 5000.01 is above the budget 5000.00"
    );
    // A counting order of MAIL clears it.
    env.ok(&[
        "orders",
        "add",
        "--customer",
        "C2",
        "--date",
        "2026-03-08",
        "--campaign",
        "MAIL",
        "--line",
        "TEA-1:1",
    ]);
    let kinds: Vec<Value> = env
        .json_code(&["campaigns", "check"], 4)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].clone())
        .collect();
    assert_eq!(kinds, vec![json!("over_budget")]);
}

#[test]
fn catalogue_round_trips_and_refuses_what_it_must() {
    let env = march();
    let out = env.ok(&["campaigns", "export"]);
    assert_eq!(
        out,
        "code,name,channel,region,start,end,budget\nMAIL,邮件,email,,2026-03-01,2026-03-10,\nSPRING,春茶季,search,E,2026-03-01,2026-03-31,5000.00\n"
    );
    let fresh = Company::east().build();
    let file = fresh.write("campaigns.csv", &out);
    fresh.ok(&["campaigns", "import", file.to_str().unwrap()]);
    assert_eq!(fresh.ok(&["campaigns", "export"]), out);
    // Removing a campaign that orders name is refused, naming them.
    let err = env.err(&["campaigns", "remove", "SPRING", "--yes"], 3);
    assert!(err.contains("A1"), "{err}");
    // An unknown campaign on an order is refused; so is an end before the start.
    let err = env.err(
        &[
            "orders",
            "add",
            "--customer",
            "C1",
            "--campaign",
            "NOPE",
            "--line",
            "TEA-1:1",
        ],
        3,
    );
    assert!(err.contains("no campaign \"NOPE\""), "{err}");
    env.err(&["campaigns", "edit", "MAIL", "--end", "2026-02-01"], 3);
    // A bad records file names file, line, column and value, and writes nothing.
    let bad = env.write(
        "bad.csv",
        "campaign,date,spend,clicks\nSPRING,2026-03-20,50,\nSPRING,2026-03-21,10,many\n",
    );
    let err = env.err(&["campaigns", "records-import", bad.to_str().unwrap()], 3);
    assert!(
        err.contains("bad.csv:3: column \"clicks\": \"many\""),
        "{err}"
    );
    assert_eq!(
        env.json(&[
            "campaigns",
            "records",
            "SPRING",
            "--period",
            "2026-03-20..2026-03-21"
        ]),
        json!([])
    );
    // Customers carry their campaign through export and import.
    let customers = env.ok(&["customers", "export"]);
    assert!(customers
        .lines()
        .next()
        .unwrap()
        .ends_with(",created,campaign"));
    assert!(customers.contains(",SPRING\n"), "{customers}");
    // MAIL has no reference: it goes, with its records.
    env.ok(&["campaigns", "remove", "MAIL", "--yes"]);
    assert_eq!(env.column(&["campaigns", "list"], "code"), vec!["SPRING"]);
    env.db_check_clean();
}

#[test]
fn the_demo_has_a_campaign_that_pays_a_campaign_that_does_not_and_a_late_carrier() {
    let env = common::demo();
    let rows = env.json(&["campaigns", "report", "--period", "2026-11"]);
    let roi = |code: &str| row(&rows, "campaign", code)["roi_pct"].as_f64().unwrap();
    assert!(roi("C-LIVE") > 0.0, "{rows}");
    assert!(roi("C-SEARCH") < 0.0, "{rows}");
    let carriers = env.json(&["carriers", "report", "--period", "2026-11"]);
    let on_time = |code: &str| {
        row(&carriers, "carrier", code)["on_time_pct"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(on_time("SF"), 100.0);
    assert!(on_time("ZT") < 90.0, "{carriers}");
    env.db_check_clean();
}

#[test]
fn db_check_names_a_campaign_rollup_row_changed_behind_salesops_back() {
    let env = march();
    env.conn()
        .execute_batch("UPDATE campaign_daily SET orders = orders + 1 WHERE date = '2026-03-04'")
        .unwrap();
    let found = env.json_code(&["db", "check"], 4);
    assert_eq!(found[0]["subject"], "campaign_daily SPRING 2026-03-04");
}
