//! `orders import` (and the export → import round trip) through the binary: foreign headers, GBK,
//! identical and changed orders, bad rows, rejects, line derivation, creating references.

mod common;

use common::{gbk, Company, Env};
use serde_json::{json, Value};

const HEADER: &str = "order_id,order_date,customer,customer_name,rep,channel,province,status,sku,product_name,category,quantity,unit_price,discount,amount,unit_cost,profit,ship_date,carrier,tracking";

/// Region E (上海, 江苏) with its manager, two products and one customer.
fn company() -> Env {
    Company::east()
        .product("CUP", "Cup", "50", "20")
        .customer("C1", "One", "上海")
        .owner("E01")
        .build()
}

/// A CSV with the standard header and rows given as `(column, value)` pairs.
fn csv(rows: &[&[(&str, &str)]]) -> String {
    let cols: Vec<&str> = HEADER.split(',').collect();
    let mut out = format!("{HEADER}\n");
    for row in rows {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn import(env: &Env, name: &str, content: &str, extra: &[&str], code: i32) -> String {
    let f = env.write(name, content);
    let mut args = vec!["orders", "import", f.to_str().unwrap()];
    args.extend(extra);
    env.err(&args, code)
}

fn lines(env: &Env, id: &str) -> Vec<Value> {
    env.json(&["orders", "show", id])["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!([
                l["sku"],
                l["quantity"],
                l["unit_price"],
                l["discount"],
                l["amount"],
                l["cost"]
            ])
        })
        .collect()
}

fn order_ids(env: &Env) -> Vec<String> {
    env.column(&["orders", "list"], "order_id")
}

fn net(env: &Env, month: &str) -> Value {
    env.json(&["report", "monthly", "--month", month])["summary"]["net_revenue"].clone()
}

const A: &[(&str, &str)] = &[
    ("order_id", "A1"),
    ("order_date", "2026-02-03"),
    ("customer", "C1"),
    ("sku", "TEA-1"),
    ("quantity", "2"),
    ("unit_price", "100"),
];
const A2: &[(&str, &str)] = &[
    ("order_id", "A1"),
    ("order_date", "2026-02-03"),
    ("customer", "C1"),
    ("sku", "CUP"),
    ("quantity", "1"),
    ("amount", "45"),
];
const B: &[(&str, &str)] = &[
    ("order_id", "B1"),
    ("order_date", "2026-02-04"),
    ("customer", "C1"),
    ("sku", "CUP"),
    ("quantity", "3"),
    ("unit_price", "50"),
];

#[test]
fn foreign_headers_are_read_with_map() {
    let env = company();
    let content = "单号,日期,客户,货号,数量,单价,备注\nX1,2026/2/3,C1,TEA-1,2,¥1,000.5,hi\n";
    // a thousands separator inside an unquoted cell would split it: quote it
    let content = content.replace("¥1,000.5", "\"¥1,000.5\"");
    let err = import(
        &env,
        "foreign.csv",
        &content,
        &[
            "--map",
            "单号=order_id,日期=order_date,客户=customer,货号=sku,数量=quantity,单价=unit_price",
        ],
        0,
    );
    assert!(err.contains("备注"), "unknown column named: {err}");
    assert_eq!(
        lines(&env, "X1"),
        vec![json!(["TEA-1", 2, "1000.50", null, "2001.00", "80.00"])]
    );
}

#[test]
fn a_gbk_file_is_read() {
    let env = company();
    let text = format!("{HEADER}\nG1,2026-02-03,C9,新客户,,,江苏,,TEA-1,,,1,100,,,,,,,\n");
    let f = env.write_bytes("gbk.csv", &gbk(&text));
    env.err(
        &[
            "orders",
            "import",
            f.to_str().unwrap(),
            "--encoding",
            "gbk",
            "--create-customers",
        ],
        0,
    );
    let c = env.json(&["customers", "show", "C9"]);
    assert_eq!(c["name"], "新客户");
    assert_eq!(c["area"], "江苏");
    // without --encoding a file that is not UTF-8 is read as GB18030 (a superset of GBK)
    let text2 = text.replace("G1,", "G2,");
    let f2 = env.write_bytes("gbk2.csv", &gbk(&text2));
    env.err(&["orders", "import", f2.to_str().unwrap()], 0);
    assert_eq!(order_ids(&env), ["G1", "G2"]);
}

#[test]
fn reimport_is_skipped_a_changed_order_needs_replace_and_rollups_follow() {
    let env = company();
    let file = csv(&[A, A2, B]);
    let err = import(&env, "o.csv", &file, &[], 0);
    assert!(err.contains("3 rows read, 3 created"), "{err}");
    assert_eq!(net(&env, "2026-02"), "395.00");
    let err = import(&env, "o.csv", &file, &[], 0);
    assert!(err.contains("0 created, 0 updated, 3 skipped"), "{err}");

    // A1's tea goes from 2 to 5: refused without --replace, nothing written
    let changed = file.replacen("TEA-1,,,2,100", "TEA-1,,,5,100", 1);
    assert_ne!(changed, file);
    let err = import(&env, "o2.csv", &changed, &[], 3);
    assert!(err.contains("--replace"), "{err}");
    assert!(err.contains("o2.csv:2"), "{err}");
    assert_eq!(net(&env, "2026-02"), "395.00");
    let err = import(&env, "o2.csv", &changed, &["--replace"], 0);
    assert!(err.contains("2 updated, 1 skipped"), "{err}");
    assert_eq!(
        lines(&env, "A1"),
        vec![
            json!(["TEA-1", 5, "100.00", null, "500.00", "200.00"]),
            json!(["CUP", 1, "45.00", null, "45.00", "20.00"]),
        ]
    );
    assert_eq!(
        env.json(&["orders", "show", "A1"])["order"]["amount"],
        "545.00"
    );
    assert_eq!(net(&env, "2026-02"), "695.00");
    env.db_check_clean();

    // moving an order to another month moves its revenue
    let moved = changed.replace("A1,2026-02-03", "A1,2026-03-03");
    import(&env, "o3.csv", &moved, &["--replace"], 0);
    assert_eq!(net(&env, "2026-02"), "150.00");
    assert_eq!(net(&env, "2026-03"), "545.00");
    env.db_check_clean();
}

#[test]
fn a_status_or_shipping_only_change_updates_the_order() {
    let env = company();
    import(&env, "o.csv", &csv(&[A, A2]), &[], 0);
    let mut shipped: Vec<Vec<(&str, &str)>> = vec![A.to_vec(), A2.to_vec()];
    for row in &mut shipped {
        row.extend([
            ("status", "shipped"),
            ("ship_date", "2026-02-05"),
            ("carrier", "SF"),
            ("tracking", "SF1"),
        ]);
    }
    let rows: Vec<&[(&str, &str)]> = shipped.iter().map(|r| r.as_slice()).collect();
    let err = import(&env, "s.csv", &csv(&rows), &[], 0);
    assert!(err.contains("2 updated"), "{err}");
    let o = env.json(&["orders", "show", "A1"])["order"].clone();
    assert_eq!(
        (&o["status"], &o["ship_date"], &o["carrier"], &o["tracking"]),
        (
            &json!("shipped"),
            &json!("2026-02-05"),
            &json!("SF"),
            &json!("SF1")
        )
    );
    // back to confirmed is not a move the flow allows
    let err = import(&env, "o.csv", &csv(&[A, A2]), &[], 3);
    assert!(err.contains("is shipped"), "{err}");
    // a cancellation of a confirmed order takes it out of the figures
    let mut cancelled = B.to_vec();
    import(&env, "b.csv", &csv(&[B]), &[], 0);
    cancelled.push(("status", "cancelled"));
    import(&env, "b2.csv", &csv(&[&cancelled]), &[], 0);
    assert_eq!(
        env.json(&["orders", "show", "B1"])["order"]["status"],
        "cancelled"
    );
    assert_eq!(net(&env, "2026-02"), "245.00");
    env.db_check_clean();
}

fn bad_row(column: &str, value: &str) -> String {
    let mut row: Vec<(&str, &str)> = B.to_vec();
    row.retain(|(k, _)| *k != column);
    row.push((column, value));
    csv(&[A, A2, &row])
}

#[test]
fn one_bad_row_rejects_the_whole_file_naming_file_line_and_column() {
    let env = company();
    for (column, value, why) in [
        ("order_date", "2026-13-01", "order_date"),
        ("quantity", "-2", "quantity"),
        ("sku", "NOPE", "NOPE"),
        ("unit_price", "50.12345", "unit_price"),
    ] {
        let err = import(&env, "bad.csv", &bad_row(column, value), &[], 3);
        assert!(
            err.contains(&format!("bad.csv:4: column \"{column}\"")),
            "{column}: {err}"
        );
        assert!(err.contains(why), "{err}");
        assert_eq!(order_ids(&env), Vec::<String>::new(), "nothing written");
    }
    let err = import(&env, "bad.csv", &bad_row("sku", "NOPE"), &[], 3);
    assert!(err.contains("--create-products"), "{err}");
    env.db_check_clean();
}

#[test]
fn skip_invalid_imports_the_other_orders_and_rejects_every_row_of_a_bad_order() {
    let env = company();
    // A1's second row is bad: both rows of A1 go to the rejects file
    let mut bad = A2.to_vec();
    bad.retain(|(k, _)| *k != "quantity");
    bad.push(("quantity", "x"));
    let file = csv(&[A, &bad, B]);
    let err = import(&env, "s.csv", &file, &["--skip-invalid"], 0);
    assert!(err.contains("s.rejects.csv"), "{err}");
    assert_eq!(order_ids(&env), ["B1"]);
    let rejects = std::fs::read_to_string(env.path("s.rejects.csv")).unwrap();
    let rows: Vec<&str> = rejects.lines().collect();
    assert_eq!(rows.len(), 3, "{rejects}");
    assert!(
        rows[0].starts_with(HEADER) && rows[0].ends_with(",error"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].starts_with("A1,2026-02-03,C1,,,,,,TEA-1"),
        "{rejects}"
    );
    assert!(
        rows[2].starts_with("A1,2026-02-03,C1,,,,,,CUP"),
        "{rejects}"
    );
    assert!(rejects.contains("quantity"), "{rejects}");
    env.db_check_clean();
}

#[test]
fn amount_with_discount_is_kept_and_the_unit_price_derived() {
    let env = company();
    let row: &[(&str, &str)] = &[
        ("order_id", "D1"),
        ("order_date", "2026-02-03"),
        ("customer", "C1"),
        ("sku", "TEA-1"),
        ("quantity", "3"),
        ("discount", "5%"),
        ("amount", "283.33"),
    ];
    // unit_price with a discount: 3 × 33.33 × 0.95 = 94.9905 → 94.99; 7 × 10.1 × 0.95 = 67.165 → 67.17
    let p1: &[(&str, &str)] = &[
        ("order_id", "D2"),
        ("order_date", "2026-02-03"),
        ("customer", "C1"),
        ("sku", "CUP"),
        ("quantity", "3"),
        ("unit_price", "33.33"),
        ("discount", "0.05"),
    ];
    let p2: &[(&str, &str)] = &[
        ("order_id", "D2"),
        ("order_date", "2026-02-03"),
        ("customer", "C1"),
        ("sku", "CUP"),
        ("quantity", "7"),
        ("unit_price", "10.1"),
        ("discount", "5%"),
        ("profit", "20.17"),
    ];
    // both given: a missing discount is derived
    let both: &[(&str, &str)] = &[
        ("order_id", "D3"),
        ("order_date", "2026-02-03"),
        ("customer", "C1"),
        ("sku", "TEA-1"),
        ("quantity", "2"),
        ("unit_price", "100"),
        ("amount", "150"),
        ("unit_cost", "41.5"),
    ];
    import(&env, "d.csv", &csv(&[row, p1, p2, both]), &[], 0);
    // 283.33 / 3 / 0.95 = 99.4140… → 99.4140
    assert_eq!(
        lines(&env, "D1"),
        vec![json!(["TEA-1", 3, "99.414", "5%", "283.33", "120.00"])]
    );
    assert_eq!(
        lines(&env, "D2"),
        vec![
            json!(["CUP", 3, "33.33", "5%", "94.99", "60.00"]),
            // cost = amount − profit
            json!(["CUP", 7, "10.10", "5%", "67.17", "47.00"]),
        ]
    );
    assert_eq!(
        lines(&env, "D3"),
        vec![json!(["TEA-1", 2, "100.00", "25%", "150.00", "83.00"])]
    );
    // the export carries the stored values
    let export = env.ok(&["orders", "export"]);
    assert!(
        export.contains(",TEA-1,Tea,,3,99.414,5%,283.33,"),
        "{export}"
    );
    env.db_check_clean();
}

#[test]
fn create_customers_and_products_from_the_rows() {
    let env = company();
    let row: &[(&str, &str)] = &[
        ("order_id", "N1"),
        ("order_date", "2026-02-03"),
        ("customer", "C7"),
        ("customer_name", "Seven"),
        ("province", "江苏"),
        ("channel", "online"),
        ("sku", "NEW-1"),
        ("product_name", "New"),
        ("category", "Gift"),
        ("quantity", "2"),
        ("unit_price", "30"),
        ("unit_cost", "12.5"),
    ];
    let err = import(&env, "n.csv", &csv(&[row]), &[], 3);
    assert!(err.contains("C7") && err.contains("NEW-1"), "{err}");
    import(
        &env,
        "n.csv",
        &csv(&[row]),
        &["--create-customers", "--create-products"],
        0,
    );
    let c = env.json(&["customers", "show", "C7"]);
    assert_eq!(
        (&c["name"], &c["area"], &c["channel"]),
        (&json!("Seven"), &json!("江苏"), &json!("online"))
    );
    let p = env.json(&["products", "show", "NEW-1"]);
    assert_eq!(
        (
            &p["name"],
            &p["category"],
            &p["list_price"],
            &p["cost"],
            &p["floor_price"]
        ),
        (
            &json!("New"),
            &json!("Gift"),
            &json!("30.00"),
            &json!("12.50"),
            &Value::Null
        )
    );
    let o = &env.json(&["orders", "list"])[0];
    assert_eq!(
        (&o["region"], &o["status"]),
        (&json!("E"), &json!("confirmed"))
    );
    env.db_check_clean();
}

#[test]
fn rows_of_one_order_must_agree_and_be_together() {
    let env = company();
    let mut other = A2.to_vec();
    other.push(("rep", "E01"));
    let err = import(&env, "d.csv", &csv(&[A, &other]), &[], 3);
    assert!(err.contains("d.csv:3: column \"rep\""), "{err}");
    let err = import(&env, "t.csv", &csv(&[A, B, A2]), &[], 3);
    assert!(
        err.contains("t.csv:4") && err.contains("not together"),
        "{err}"
    );
    assert_eq!(order_ids(&env), Vec::<String>::new());
}

#[test]
fn export_then_import_into_a_new_database_gives_identical_orders_and_payments() {
    let env = company();
    env.ok(&[
        "regions",
        "add",
        "E-N",
        "--name",
        "North East",
        "--parent",
        "E",
    ]);
    env.ok(&["regions", "assign", "E-N", "江苏", "--move"]);
    env.ok(&[
        "customers",
        "add",
        "C2",
        "--name",
        "Two",
        "--area",
        "江苏",
        "--terms-days",
        "45",
        "--channel",
        "agent",
    ]);
    import(&env, "o.csv", &csv(&[A, A2, B]), &[], 0);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "K1",
        "--customer",
        "C2",
        "--province",
        "上海",
        "--date",
        "2026-02-10",
        "--line",
        "TEA-1:3@99.995-2%",
        "--line",
        "CUP:1",
    ]);
    env.ok(&[
        "orders",
        "ship",
        "K1",
        "--carrier",
        "SF",
        "--tracking",
        "T1",
        "--date",
        "2026-02-11",
    ]);
    env.ok(&[
        "orders",
        "pay",
        "K1",
        "--amount",
        "100",
        "--reference",
        "P1",
        "--date",
        "2026-02-12",
    ]);
    env.ok(&[
        "orders", "pay", "A1", "--amount", "12.3456", "--method", "cash",
    ]);

    let new = Env::new();
    for entity in [
        "regions",
        "reps",
        "products",
        "customers",
        "orders",
        "payments",
    ] {
        let text = env.ok(&[entity, "export"]);
        let f = new.write(&format!("{entity}.csv"), &text);
        let f = f.to_str().unwrap().to_string();
        if entity == "regions" {
            // regions name managers who are reps of those regions: load regions, reps, regions again
            let first = new.write(
                "regions-first.csv",
                &text
                    .lines()
                    .map(|l| {
                        let mut c: Vec<&str> = l.split(',').collect();
                        c[3] = if c[3] == "manager" { "manager" } else { "" };
                        c.join(",")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            new.err(&["regions", "import", first.to_str().unwrap()], 0);
            continue;
        }
        new.err(&[entity, "import", &f], 0);
        if entity == "reps" {
            new.err(
                &[
                    "regions",
                    "import",
                    new.path("regions.csv").to_str().unwrap(),
                ],
                0,
            );
        }
    }
    for entity in [
        "regions",
        "reps",
        "products",
        "customers",
        "orders",
        "payments",
    ] {
        assert_eq!(
            new.ok(&[entity, "export"]),
            env.ok(&[entity, "export"]),
            "{entity}"
        );
    }
    assert_eq!(new.json(&["orders", "list"]), env.json(&["orders", "list"]));
    assert_eq!(
        new.json(&["report", "monthly", "--month", "2026-02"]),
        env.json(&["report", "monthly", "--month", "2026-02"])
    );
    new.db_check_clean();
    // the export re-imported where it came from is identical: every row skipped
    let err = import(&env, "again.csv", &env.ok(&["orders", "export"]), &[], 0);
    assert!(err.contains("0 created, 0 updated, 5 skipped"), "{err}");
}
