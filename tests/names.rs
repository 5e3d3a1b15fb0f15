//! Names on the command line (docs/manual.md, "Names on the command line"): a region, rep, customer, product, warehouse, campaign or
//! carrier is found by its code, else by its exact name; a name two records share is refused (exit 3)
//! naming both codes; a code wins over a name; files keep their key columns to codes.

mod common;

use common::{Company, Env};
use serde_json::json;

/// Regions 华北 (N, holding 北京) and 华东 (E, holding 上海), rep 李四 (R1) in 华北, customer 张三贸易
/// (C1) in 北京 owned by 李四, product 龙井 (TEA-01), warehouse 北京仓 (W1) serving 华北, carrier 顺丰
/// (SF) and campaign 双十一 (CP1).
fn company() -> Env {
    Company::new()
        .region("N", "华北")
        .region("E", "华东")
        .assign("N", &["北京"])
        .assign("E", &["上海"])
        .product("TEA-01", "龙井", "100", "40")
        .run(&["warehouses", "add", "W1", "--name", "北京仓"])
        .run(&["carriers", "add", "SF", "--name", "顺丰"])
        .run(&[
            "campaigns",
            "add",
            "CP1",
            "--name",
            "双十一",
            "--channel",
            "platform",
            "--start",
            "2026-03-01",
            "--end",
            "2026-03-31",
        ])
        .build()
}

#[test]
fn a_region_is_found_by_its_name_everywhere_a_region_is_given() {
    let env = company();
    env.ok(&["reps", "add", "R1", "--name", "李四", "--region", "华北"]);
    assert_eq!(env.json(&["reps", "show", "R1"])["region"], "N");
    env.ok(&["reps", "edit", "R1", "--region", "华东"]);
    assert_eq!(env.json(&["reps", "show", "R1"])["region"], "E");
    assert_eq!(
        env.column(&["reps", "list", "--region", "华东"], "code"),
        ["R1"]
    );
    env.ok(&[
        "regions",
        "add",
        "E1",
        "--name",
        "上海区",
        "--parent",
        "华东",
    ]);
    assert_eq!(env.json(&["regions", "show", "上海区"])["parent"], "E");
    env.ok(&[
        "targets",
        "set",
        "--region",
        "华东",
        "--period",
        "2026-03",
        "--revenue",
        "1000",
    ]);
    let targets = env.json(&["targets", "list", "--region", "华东"]);
    assert_eq!(targets[0]["scope"], "region");
    assert_eq!(targets[0]["code"], "E");
    assert_eq!(targets[0]["revenue"], "1000.00");
    env.ok(&[
        "scorecard",
        "rate",
        "华东",
        "--period",
        "2026-03",
        "--score",
        "80",
        "--note",
        "配合良好",
    ]);
    let ratings = env.json(&["scorecard", "ratings", "--period", "2026-03"]);
    assert_eq!(ratings[0]["code"], "E");
    assert_eq!(ratings[0]["score"], 80);
    env.ok(&["warehouses", "edit", "北京仓", "--serves", "华北"]);
    assert_eq!(
        env.json(&["warehouses", "show", "W1"])["serves"],
        json!(["N"])
    );
}

#[test]
fn reps_customers_and_products_are_found_by_name_in_an_order() {
    let env = company();
    env.ok(&["reps", "add", "R1", "--name", "李四", "--region", "华北"]);
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "张三贸易",
        "--area",
        "北京",
        "--owner",
        "李四",
    ]);
    assert_eq!(env.json(&["customers", "show", "张三贸易"])["owner"], "R1");
    let id = env.ok(&[
        "orders",
        "add",
        "--customer",
        "张三贸易",
        "--rep",
        "李四",
        "--line",
        "龙井:3@90",
        "--campaign",
        "双十一",
        "--warehouse",
        "北京仓",
    ]);
    let order = env.json(&["orders", "show", id.trim()]);
    assert_eq!(order["order"]["customer"], "C1");
    assert_eq!(order["order"]["rep"], "R1");
    assert_eq!(order["order"]["campaign"], "CP1");
    assert_eq!(order["order"]["amount"], "270.00");
    assert_eq!(order["lines"][0]["sku"], "TEA-01");
    assert_eq!(order["lines"][0]["quantity"], 3);
    assert_eq!(
        env.column(&["orders", "list", "--customer", "张三贸易"], "order_id"),
        [id.trim()]
    );
    assert_eq!(
        env.column(&["orders", "list", "--rep", "李四"], "order_id"),
        [id.trim()]
    );
    // An approver by name: a held order approved by the supervisor 王主管 (S1).
    env.ok(&[
        "reps",
        "add",
        "S1",
        "--name",
        "王主管",
        "--region",
        "华北",
        "--role",
        "supervisor",
    ]);
    let held = env.ok(&["orders", "add", "--customer", "C1", "--line", "龙井:1-20%"]);
    env.ok(&["orders", "approve", held.trim(), "--by", "王主管"]);
    let order = env.json(&["orders", "show", held.trim()]);
    assert_eq!(order["order"]["status"], "confirmed");
    assert_eq!(order["order"]["approved_by"], "S1");
}

#[test]
fn products_warehouses_carriers_and_campaigns_are_found_by_name() {
    let env = company();
    assert_eq!(env.json(&["products", "show", "龙井"])["sku"], "TEA-01");
    env.ok(&["stock", "receive", "--warehouse", "北京仓", "龙井", "12"]);
    let levels = env.json(&["stock", "list", "--warehouse", "北京仓", "--sku", "龙井"]);
    assert_eq!(levels[0]["warehouse"], "W1");
    assert_eq!(levels[0]["sku"], "TEA-01");
    assert_eq!(levels[0]["on_hand"], 12);
    assert_eq!(env.json(&["carriers", "show", "顺丰"])["code"], "SF");
    assert_eq!(env.json(&["campaigns", "show", "双十一"])["code"], "CP1");
    env.ok(&[
        "prices",
        "set",
        "龙井",
        "--list-price",
        "120",
        "--effective",
        "2026-03-20",
        "--reason",
        "新茶上市",
    ]);
    let history = env.json(&["prices", "history", "龙井"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
}

#[test]
fn a_name_two_records_share_is_refused_naming_both_codes() {
    let env = Company::new()
        .region("N1", "华北")
        .region("N2", "华北")
        .assign("N1", &["北京"])
        .rep("R1", "王五", "N1")
        .rep("R2", "王五", "N1")
        .customer("C1", "张三贸易", "北京")
        .customer("C2", "张三贸易", "北京")
        .product("P1", "龙井", "100", "40")
        .product("P2", "龙井", "90", "40")
        .run(&["warehouses", "add", "W1", "--name", "总仓"])
        .run(&["warehouses", "add", "W2", "--name", "总仓"])
        .run(&["carriers", "add", "SF", "--name", "快递"])
        .run(&["carriers", "add", "YT", "--name", "快递"])
        .build();
    let cases: [(&[&str], &str); 7] = [
        (
            &["reps", "add", "R9", "--name", "赵六", "--region", "华北"],
            "the region name \"华北\" is shared by N1 and N2: give the code",
        ),
        (
            &["reps", "show", "王五"],
            "the rep name \"王五\" is shared by R1 and R2: give the code",
        ),
        (
            &["customers", "show", "张三贸易"],
            "the customer name \"张三贸易\" is shared by C1 and C2: give the code",
        ),
        (
            &["orders", "add", "--customer", "C1", "--line", "龙井:1"],
            "the product name \"龙井\" is shared by P1 and P2: give the code",
        ),
        (
            &["products", "show", "龙井"],
            "the product name \"龙井\" is shared by P1 and P2: give the code",
        ),
        (
            &["warehouses", "show", "总仓"],
            "the warehouse name \"总仓\" is shared by W1 and W2: give the code",
        ),
        (
            &["carriers", "show", "快递"],
            "the carrier name \"快递\" is shared by SF and YT: give the code",
        ),
    ];
    for (args, message) in cases {
        let err = env.err(args, 3);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    // The codes still find each one, and nothing was written by the refusals.
    assert_eq!(env.json(&["customers", "show", "C2"])["name"], "张三贸易");
    assert_eq!(env.column(&["reps", "list"], "code"), ["R1", "R2"]);
    assert_eq!(env.json(&["orders", "list"]), json!([]));
}

#[test]
fn a_code_wins_over_another_records_name() {
    // Rep 王五's code is another rep's name: the code finds the first, the name alone is never tried.
    let env = Company::new()
        .region("N", "华北")
        .rep("王五", "Wang Wu", "N")
        .rep("R2", "王五", "N")
        .region("华东", "East")
        .region("E2", "华东")
        .build();
    assert_eq!(env.json(&["reps", "show", "王五"])["code"], "王五");
    assert_eq!(env.json(&["reps", "show", "R2"])["name"], "王五");
    env.ok(&["reps", "add", "R3", "--name", "赵六", "--region", "华东"]);
    assert_eq!(env.json(&["reps", "show", "R3"])["region"], "华东");
}

#[test]
fn what_is_neither_a_code_nor_a_name_is_refused_naming_it() {
    let env = company();
    let err = env.err(
        &["reps", "add", "R1", "--name", "李四", "--region", "西北"],
        3,
    );
    assert!(
        err.contains("no region \"西北\" (see `salesops regions list`)"),
        "{err}"
    );
    let err = env.err(&["products", "show", "碧螺春"], 3);
    assert!(err.contains("no product \"碧螺春\""), "{err}");
    let err = env.err(
        &["stock", "receive", "--warehouse", "北京仓", "碧螺春", "1"],
        3,
    );
    assert!(err.contains("unknown SKU \"碧螺春\""), "{err}");
    assert_eq!(env.column(&["reps", "list"], "code"), Vec::<String>::new());
}

#[test]
fn files_keep_their_key_columns_to_codes() {
    let env = company();
    env.write("reps.csv", "code,name,region\nR1,李四,华北\n");
    let err = env.err(&["reps", "import", "reps.csv"], 3);
    assert!(err.contains("no region \"华北\""), "{err}");
    env.write("reps.csv", "code,name,region\nR1,李四,N\n");
    env.ok(&["reps", "import", "reps.csv"]);
    assert_eq!(env.json(&["reps", "show", "李四"])["region"], "N");
}

#[test]
fn a_code_typed_full_width_finds_the_record() {
    let env = company();
    assert_eq!(env.json(&["regions", "show", "Ｎ"])["code"], "N");
    assert_eq!(
        env.json(&["products", "show", "ＴＥＡ－０１"])["sku"],
        "TEA-01"
    );
}
