//! `salesops products …` through the binary.

mod common;

use common::Env;
use serde_json::{json, Value};

/// (effective, list_price, floor_price, cost, reason) rows of a product, in raw 1e-4 units.
type PriceRow = (String, i64, Option<i64>, i64, Option<String>);

fn price_rows(env: &Env, sku: &str) -> Vec<PriceRow> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT effective, list_price, floor_price, cost, reason FROM prices
             WHERE sku = ?1 ORDER BY effective",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([sku], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn add_tea(env: &Env) {
    let out = env.ok(&[
        "products",
        "add",
        "TEA-01",
        "--name",
        "西湖龙井 250g",
        "--list-price",
        "¥1,280.5",
        "--cost",
        "640.25",
        "--floor-price",
        "1100",
        "--category",
        "绿茶",
        "--unit",
        "盒",
    ]);
    assert_eq!(out, "TEA-01\n");
}

#[test]
fn add_prints_the_sku_and_records_the_first_price_from_always() {
    let env = Env::new();
    add_tea(&env);
    assert_eq!(
        env.json(&["products", "list"]),
        json!([{"sku": "TEA-01", "name": "西湖龙井 250g", "category": "绿茶", "unit": "盒",
                "list_price": "1280.50", "floor_price": "1100.00", "cost": "640.25"}])
    );
    assert_eq!(
        price_rows(&env, "TEA-01"),
        vec![(
            "0001-01-01".to_string(),
            12_805_000,
            Some(11_000_000),
            6_402_500,
            Some("initial".to_string())
        )]
    );
    // In force on any date, however early.
    let early = env.json(&["products", "list", "--today", "2001-01-01"]);
    assert_eq!(early[0]["list_price"], "1280.50");
}

#[test]
fn add_keeps_four_decimals_and_refuses_more_negative_prices_and_missing_flags() {
    let env = Env::new();
    env.ok(&[
        "products",
        "add",
        "P1",
        "--name",
        "Bolt",
        "--list-price",
        "0.1234",
        "--cost",
        "0.05",
    ]);
    let p = &env.json(&["products", "list"])[0];
    assert_eq!(p["list_price"], "0.1234");
    assert_eq!(p["floor_price"], Value::Null);
    assert_eq!(p["cost"], "0.05");
    let err = env.err(
        &[
            "products",
            "add",
            "P2",
            "--name",
            "x",
            "--list-price",
            "1.23456",
            "--cost",
            "1",
        ],
        3,
    );
    assert!(
        err.contains("--list-price") && err.contains("more than 4 decimal places"),
        "{err}"
    );
    let err = env.err(
        &[
            "products",
            "add",
            "P2",
            "--name",
            "x",
            "--list-price",
            "10",
            "--cost",
            "-1",
        ],
        3,
    );
    assert!(err.contains("--cost") && err.contains("negative"), "{err}");
    let err = env.err(
        &["products", "add", "P2", "--name", "x", "--list-price", "10"],
        2,
    );
    assert!(err.contains("--cost"), "{err}");
    let err = env.err(
        &[
            "products",
            "add",
            "P2",
            "--name",
            "x",
            "--list-price",
            "10",
            "--cost",
            "5",
            "--floor-price",
            "12",
        ],
        3,
    );
    assert!(err.contains("above the list price"), "{err}");
    let err = env.err(
        &[
            "products",
            "add",
            "P1",
            "--name",
            "x",
            "--list-price",
            "1",
            "--cost",
            "1",
        ],
        3,
    );
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(env.column(&["products", "list"], "sku"), ["P1"]);
}

#[test]
fn show_has_the_price_in_force_today_and_the_number_of_changes() {
    let env = Env::new();
    add_tea(&env);
    let shown = env.json(&["products", "show", "TEA-01"]);
    assert_eq!(shown["list_price"], "1280.50");
    assert_eq!(shown["price_since"], Value::Null);
    assert_eq!(shown["price_reason"], "initial");
    assert_eq!(shown["price_changes"], 0);
    env.ok(&["products", "edit", "TEA-01", "--list-price", "1300"]);
    let shown = env.json(&["products", "show", "TEA-01"]);
    assert_eq!(shown["list_price"], "1300.00");
    assert_eq!(shown["price_since"], "2026-03-16");
    assert_eq!(shown["price_reason"], "edited");
    assert_eq!(shown["price_changes"], 1);
    env.err(&["products", "show", "NOPE"], 3);
}

#[test]
fn a_price_edit_records_a_price_row_effective_today_and_keeps_the_past() {
    let env = Env::new();
    add_tea(&env);
    env.ok(&[
        "products",
        "edit",
        "TEA-01",
        "--list-price",
        "1300",
        "--no-floor-price",
    ]);
    assert_eq!(
        price_rows(&env, "TEA-01"),
        vec![
            (
                "0001-01-01".into(),
                12_805_000,
                Some(11_000_000),
                6_402_500,
                Some("initial".into())
            ),
            (
                "2026-03-16".into(),
                13_000_000,
                None,
                6_402_500,
                Some("edited".into())
            ),
        ]
    );
    let yesterday = &env.json(&["products", "list", "--today", "2026-03-15"])[0];
    assert_eq!(yesterday["list_price"], "1280.50");
    assert_eq!(yesterday["floor_price"], "1100.00");
    let today = &env.json(&["products", "list"])[0];
    assert_eq!(today["list_price"], "1300.00");
    assert_eq!(today["floor_price"], Value::Null);
    // A second edit the same day replaces that day's row.
    env.ok(&["products", "edit", "TEA-01", "--cost", "650"]);
    assert_eq!(price_rows(&env, "TEA-01").len(), 2);
    assert_eq!(env.json(&["products", "list"])[0]["cost"], "650.00");
}

#[test]
fn an_edit_without_price_flags_records_no_price_row() {
    let env = Env::new();
    add_tea(&env);
    env.ok(&[
        "products",
        "edit",
        "TEA-01",
        "--name",
        "龙井",
        "--unit",
        "",
        "--category",
        "茶",
    ]);
    let p = &env.json(&["products", "list"])[0];
    assert_eq!(p["name"], "龙井");
    assert_eq!(p["unit"], Value::Null);
    assert_eq!(p["category"], "茶");
    assert_eq!(price_rows(&env, "TEA-01").len(), 1);
    // The same price again is no change either.
    env.ok(&["products", "edit", "TEA-01", "--list-price", "1280.50"]);
    assert_eq!(price_rows(&env, "TEA-01").len(), 1);
    let err = env.err(&["products", "edit", "TEA-01", "--floor-price", "2000"], 3);
    assert!(err.contains("above the list price"), "{err}");
    env.err(&["products", "edit", "NOPE", "--name", "x"], 3);
}

#[test]
fn remove_is_refused_while_order_lines_or_observations_refer_to_it() {
    let env = Env::new();
    add_tea(&env);
    env.ok(&[
        "products",
        "add",
        "P2",
        "--name",
        "Cup",
        "--list-price",
        "10",
        "--cost",
        "4",
    ]);
    env.ok(&["customers", "add", "C1", "--name", "A", "--area", "广东"]);
    let conn = env.conn();
    conn.execute_batch(
        "INSERT INTO orders (id, order_date, customer, channel, status, due_date, amount)
             VALUES ('SO-1', '2026-03-01', 'C1', 'offline', 'confirmed', '2026-03-31', 25610000);
         INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, amount, cost)
             VALUES ('SO-1', 2, 'TEA-01', 2, 12805000, 25610000, 12805000);
         INSERT INTO observations (date, sku, price, platform) VALUES ('2026-03-02', 'TEA-01', 9990000, 'tmall');",
    )
    .expect("fixture");
    let err = env.err(&["products", "remove", "TEA-01", "--yes"], 3);
    assert!(err.contains("1 order line (SO-1#2)"), "{err}");
    assert!(err.contains("1 observation (1)"), "{err}");
    let err = env.err(&["products", "remove", "P2"], 2);
    assert!(err.contains("--yes"), "{err}");
    env.ok(&["products", "remove", "P2", "--yes"]);
    assert_eq!(env.column(&["products", "list"], "sku"), ["TEA-01"]);
    assert!(price_rows(&env, "P2").is_empty());
}

const CSV: &str = "sku,name,category,unit,list_price,floor_price,cost
TEA-01,西湖龙井 250g,绿茶,盒,1280.50,1100,640.25
CUP-02,Glass cup,器具,只,\"¥1,035.5\",,12.3456
";

#[test]
fn import_creates_updates_changed_prices_today_and_skips_identical_rows() {
    let env = Env::new();
    let file = env.write("products.csv", CSV);
    let err = env.err(&["products", "import", file.to_str().expect("path")], 0);
    assert!(
        err.contains("2 rows read, 2 created, 0 updated, 0 skipped"),
        "{err}"
    );
    assert_eq!(
        env.json(&["products", "list"]),
        json!([
            {"sku": "CUP-02", "name": "Glass cup", "category": "器具", "unit": "只",
             "list_price": "1035.50", "floor_price": null, "cost": "12.3456"},
            {"sku": "TEA-01", "name": "西湖龙井 250g", "category": "绿茶", "unit": "盒",
             "list_price": "1280.50", "floor_price": "1100.00", "cost": "640.25"},
        ])
    );
    assert_eq!(price_rows(&env, "CUP-02")[0].0, "0001-01-01");
    let update = env.write(
        "update.csv",
        "sku,name,list_price,cost,unit\nTEA-01,西湖龙井 250g,1280.5,640.25,盒\nCUP-02,Glass cup,1100,12.3456,\n",
    );
    let err = env.err(&["products", "import", update.to_str().expect("path")], 0);
    assert!(
        err.contains("2 rows read, 0 created, 1 updated, 1 skipped"),
        "{err}"
    );
    let rows = price_rows(&env, "CUP-02");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].0, "2026-03-16");
    assert_eq!(rows[1].1, 11_000_000);
    assert_eq!(rows[1].3, 123_456);
    assert_eq!(price_rows(&env, "TEA-01").len(), 1);
    // An empty cell leaves the unit as it was.
    assert_eq!(env.json(&["products", "list"])[0]["unit"], "只");
}

#[test]
fn import_with_a_bad_money_cell_writes_nothing_and_names_line_column_and_value() {
    let env = Env::new();
    let file = env.write(
        "products.csv",
        "sku,name,list_price,cost\nA1,Good,10,5\nA2,Bad,12.34567,5\nA3,Neg,10,-2\n",
    );
    let err = env.err(&["products", "import", file.to_str().expect("path")], 3);
    assert!(
        err.contains(
            "products.csv:3: column \"list_price\": \"12.34567\" has more than 4 decimal places"
        ),
        "{err}"
    );
    assert!(
        err.contains("products.csv:4: column \"cost\": \"-2\" is negative"),
        "{err}"
    );
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(env.json(&["products", "list"]), json!([]));
}

#[test]
fn import_skip_invalid_imports_the_rest_and_writes_the_rejects_file() {
    let env = Env::new();
    let file = env.write(
        "items.csv",
        "sku,name,list_price,cost\nA1,Good,10,5\nA2,Bad,12.34567,5\nA3,Fine,3,1\n",
    );
    let err = env.err(
        &[
            "products",
            "import",
            file.to_str().expect("path"),
            "--skip-invalid",
        ],
        0,
    );
    assert!(err.contains("1 rejected"), "{err}");
    assert!(err.contains("items.rejects.csv"), "{err}");
    assert_eq!(env.column(&["products", "list"], "sku"), ["A1", "A3"]);
    let rejects = std::fs::read_to_string(env.path("items.rejects.csv")).expect("rejects");
    assert_eq!(
        rejects,
        "sku,name,list_price,cost,error\nA2,Bad,12.34567,5,\"column \"\"list_price\"\": \"\"12.34567\"\" has more than 4 decimal places\"\n"
    );
}

#[test]
fn import_reads_foreign_headers_with_map() {
    let env = Env::new();
    let file = env.write(
        "erp.tsv",
        "商品编码\t商品名称\t零售价\t成本价\t单位\nE-1\t茉莉花茶\t88\t40\t袋\n",
    );
    env.ok(&[
        "products",
        "import",
        file.to_str().expect("path"),
        "--map",
        "商品编码=sku,商品名称=name,零售价=list_price,成本价=cost,单位=unit",
    ]);
    assert_eq!(
        env.json(&["products", "list"]),
        json!([{"sku": "E-1", "name": "茉莉花茶", "category": null, "unit": "袋",
                "list_price": "88.00", "floor_price": null, "cost": "40.00"}])
    );
}

#[test]
fn export_then_import_into_a_new_database_gives_the_same_export() {
    let env = Env::new();
    let file = env.write("products.csv", CSV);
    env.ok(&["products", "import", file.to_str().expect("path")]);
    env.ok(&["products", "edit", "TEA-01", "--list-price", "1299.9999"]);
    let first = env.ok(&["products", "export"]);
    assert_eq!(
        first,
        "sku,name,category,unit,list_price,floor_price,cost\n\
         CUP-02,Glass cup,器具,只,1035.50,,12.3456\n\
         TEA-01,西湖龙井 250g,绿茶,盒,1299.9999,1100.00,640.25\n"
    );
    let other = Env::new();
    let exported = other.write("export.csv", &first);
    other.ok(&["products", "import", exported.to_str().expect("path")]);
    assert_eq!(other.ok(&["products", "export"]), first);
}
