//! `orders import FILE --from taobao|jd|pdd|douyin`: platform exports as downloaded, on the fixtures of
//! tests/fixtures/platforms (written by platforms/fixtures.rs, whose doc lists every order and what it
//! must become). Figures are checked against the hand-worked ones there and plain SQL.

mod common;
#[path = "platforms/fixtures.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

use common::{Company, Env};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    common::root().join("tests/fixtures/platforms")
}

/// The shop: 华东 (浙江, 江苏, 上海) and 华南 (广东), three products.
fn shop() -> Env {
    let env = Company::new()
        .region("EAST", "华东")
        .assign("EAST", &["浙江", "江苏", "上海"])
        .region("SOUTH", "华南")
        .assign("SOUTH", &["广东"])
        .product("TEA-01", "西湖龙井", "100", "40")
        .product("CUP-02", "青瓷茶杯", "35.5", "10")
        .product("POT-03", "宜兴紫砂壶", "120", "50")
        .build();
    for f in fixtures::FILES {
        std::fs::copy(fixtures_dir().join(f), env.path(f)).expect("copy a fixture");
    }
    env
}

fn stderr_of(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "salesops {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const TAOBAO: &[&str] = &[
    "orders",
    "import",
    "taobao-orders.csv",
    "--from",
    "taobao",
    "--details",
    "taobao-items.csv",
    "--create-customers",
];
const JD: &[&str] = &[
    "orders",
    "import",
    "jd-orders.csv",
    "--from",
    "jd",
    "--create-customers",
];
const PDD: &[&str] = &[
    "orders",
    "import",
    "pdd-orders.csv",
    "--from",
    "pdd",
    "--create-customers",
];
const DOUYIN: &[&str] = &[
    "orders",
    "import",
    "douyin-orders.xlsx",
    "--from",
    "douyin",
    "--create-customers",
];

/// Every platform's file imported.
fn imported() -> Env {
    let env = shop();
    for args in [TAOBAO, JD, PDD, DOUYIN] {
        env.ok(args);
    }
    env
}

fn orders(env: &Env) -> Vec<Value> {
    env.json(&["orders", "list"])
        .as_array()
        .expect("an array")
        .clone()
}

fn order<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|o| o["order_id"] == id)
        .unwrap_or_else(|| panic!("no order {id} in {all:?}"))
}

/// (line_no, sku, quantity, amount) of an order's lines, from the database.
fn lines(env: &Env, id: &str) -> Vec<(i64, String, i64, String)> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT line_no, sku, quantity, amount FROM order_lines
             WHERE order_id = ?1 ORDER BY line_no",
        )
        .expect("prepare");
    stmt.query_map([id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            common::sql::cents(r.get(3)?),
        ))
    })
    .expect("query")
    .map(|r| r.expect("a row"))
    .collect()
}

/// (order, line_no, quantity, amount, date, kind) of every return, from the database.
fn returns(env: &Env) -> Vec<(String, i64, i64, String, String, String)> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT order_id, line_no, quantity, amount, date, kind
             FROM returns ORDER BY order_id, line_no",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            common::sql::cents(r.get(3)?),
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .expect("query")
    .map(|r| r.expect("a row"))
    .collect()
}

fn count(env: &Env, sql: &str) -> i64 {
    env.conn()
        .query_row(sql, [], |r| r.get(0))
        .expect("a count")
}

#[test]
fn generator_writes_the_committed_fixtures() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::generate(dir.path()).expect("generate");
    for f in fixtures::FILES {
        let fresh = std::fs::read(dir.path().join(f)).expect("generated");
        let committed = std::fs::read(fixtures_dir().join(f))
            .unwrap_or_else(|e| panic!("{f} is not committed: {e}"));
        if f.ends_with(".xlsx") {
            assert_eq!(
                sheet(&dir.path().join(f)),
                sheet(&fixtures_dir().join(f)),
                "{f}"
            );
        } else {
            assert!(
                fresh == committed,
                "{f} differs from what the generator writes"
            );
        }
    }
    // The manual's examples and the golden file read the same files.
    for f in fixtures::FILES {
        let committed = std::fs::read(fixtures_dir().join(f)).expect("committed");
        for copy in ["docs/platforms.in", "tests/golden/platforms.in"] {
            let doc = std::fs::read(common::root().join(copy).join(f)).expect("a copy");
            assert!(doc == committed, "{copy}/{f} is not the fixture");
        }
    }
    // The GBK files really are GBK (not UTF-8), 淘宝's headers end in spaces and wrap numbers.
    let taobao = std::fs::read(fixtures_dir().join("taobao-orders.csv")).expect("read");
    assert!(std::str::from_utf8(&taobao).is_err());
    let (text, _, _) = encoding_rs::GBK.decode(&taobao);
    assert!(text.contains("收货地址 ,") && text.contains("=\"1001\""));
}

/// A workbook's first sheet as text.
fn sheet(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(path).expect("open the workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn taobao_lines_add_up_to_what_was_paid_less_postage() {
    let env = shop();
    let err = stderr_of(&env, TAOBAO);
    assert!(
        err.contains("skipped: 2 unpaid or closed"),
        "the summary counts the unpaid and closed orders: {err}"
    );
    assert!(
        err.contains("refunds listed: 1 in taobao-orders.refunds.csv"),
        "{err}"
    );
    // 262.00 paid − 10.00 postage = 252.00 over 100 : 71 : 120, cents by the largest remainder.
    assert_eq!(
        lines(&env, "TB-1001"),
        vec![
            (1, "TEA-01".into(), 1, "86.60".into()),
            (2, "CUP-02".into(), 2, "61.48".into()),
            (3, "POT-03".into(), 1, "103.92".into()),
        ]
    );
    let sum = count(
        &env,
        "SELECT SUM(amount) FROM order_lines WHERE order_id = 'TB-1001'",
    );
    assert_eq!(sum, 2_520_000, "the lines add up to 252.00 exactly");
    let all = orders(&env);
    let ids: Vec<&str> = all.iter().filter_map(|o| o["order_id"].as_str()).collect();
    assert_eq!(ids, ["TB-1001", "TB-1002", "TB-1003", "TB-1004"]);
    let o = order(&all, "TB-1001");
    assert_eq!(o["status"], "completed");
    assert_eq!(o["customer"], "TB-tea_lover");
    assert_eq!(o["province"], "浙江");
    assert_eq!(o["region"], "EAST");
    assert_eq!(o["channel"], "online");
    assert_eq!(o["order_date"], "2026-03-01");
    assert_eq!(o["amount"], "252.00");
    // The buyer who ordered twice is one customer, named by their account.
    let mine: Vec<&Value> = all
        .iter()
        .filter(|o| o["customer"] == "TB-tea_lover")
        .collect();
    assert_eq!(mine.len(), 2);
    let customer = env.json(&["customers", "show", "TB-tea_lover"]);
    assert!(customer.to_string().contains("浙江"), "{customer}");
    env.db_check_clean();
}

#[test]
fn statuses_shipping_and_regions_come_from_each_platform() {
    let env = imported();
    let all = orders(&env);
    let expect = [
        ("TB-1002", "shipped", "EAST", "江苏"),
        ("TB-1004", "completed", "EAST", "江苏"),
        ("JD-2001", "completed", "EAST", "上海"),
        ("JD-2002", "confirmed", "SOUTH", "广东"),
        ("PDD-260305-01", "confirmed", "EAST", "江苏"),
        ("PDD-260305-02", "shipped", "SOUTH", "广东"),
        ("DY-6901", "completed", "EAST", "浙江"),
        ("DY-6902", "shipped", "SOUTH", "广东"),
    ];
    for (id, status, region, province) in expect {
        let o = order(&all, id);
        assert_eq!(o["status"], status, "{id}");
        assert_eq!(o["region"], region, "{id}");
        assert_eq!(o["province"], province, "{id}");
    }
    // Skipped: unpaid and closed-before-payment orders of every platform.
    for id in ["TB-1005", "TB-1006", "JD-2003", "PDD-260305-04", "DY-6903"] {
        assert!(all.iter().all(|o| o["order_id"] != id), "{id} is skipped");
    }
    // Ship data from the file: carrier and tracking (淘宝), and the ship date too (拼多多).
    let conn = env.conn();
    let ship = |id: &str| -> (Option<String>, Option<String>, Option<String>) {
        conn.query_row(
            "SELECT ship_date, carrier, tracking FROM orders WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("an order")
    };
    assert_eq!(
        ship("TB-1002"),
        (None, Some("圆通速递".into()), Some("YT7788990011".into()))
    );
    assert_eq!(
        ship("PDD-260305-02"),
        (
            Some("2026-03-06".into()),
            Some("中通快递".into()),
            Some("75300112233".into())
        )
    );
    // 京东: SKU from 货号, else 商家SKUID; 225.00 over 200 : 35.50.
    assert_eq!(
        lines(&env, "JD-2001"),
        vec![
            (1, "TEA-01".into(), 2, "191.08".into()),
            (2, "CUP-02".into(), 1, "33.92".into()),
        ]
    );
    assert_eq!(
        lines(&env, "JD-2002"),
        vec![(1, "POT-03".into(), 1, "120.00".into())]
    );
    // 拼多多: what the buyer paid, whatever the list price (71.00 for two).
    assert_eq!(
        lines(&env, "PDD-260305-01"),
        vec![(1, "CUP-02".into(), 2, "60.00".into())]
    );
    env.db_check_clean();
}

#[test]
fn masked_buyers_are_one_customer_per_platform_and_province() {
    let env = imported();
    let all = orders(&env);
    assert_eq!(order(&all, "PDD-260305-01")["customer"], "PDD-江苏");
    assert_eq!(order(&all, "PDD-260305-02")["customer"], "PDD-广东");
    assert_eq!(order(&all, "PDD-260305-03")["customer"], "PDD-广东");
    // A masked province leaves the order region-less: it shows as unassigned.
    let masked = order(&all, "PDD-260305-05");
    assert_eq!(masked["customer"], "PDD-地区未知");
    assert_eq!(masked["region"], Value::Null);
    assert_eq!(masked["province"], Value::Null);
    let findings = env.json_code(&["regions", "check"], 4);
    assert!(
        findings
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == "unassigned_orders"),
        "{findings}"
    );
}

#[test]
fn full_refunds_are_returns_and_partial_ones_are_listed() {
    let env = imported();
    let day = |d: &str| d.to_string();
    assert_eq!(
        returns(&env),
        vec![
            // 抖店: line 2 refunded in a completed order; 6904 closed after a full refund.
            (
                "DY-6901".into(),
                2,
                1,
                "35.50".into(),
                day("2026-03-09"),
                "customer".into()
            ),
            (
                "DY-6904".into(),
                1,
                1,
                "100.00".into(),
                day("2026-03-08"),
                "customer".into()
            ),
            (
                "PDD-260305-03".into(),
                1,
                1,
                "120.00".into(),
                day("2026-03-06"),
                "customer".into()
            ),
            // 淘宝: closed after payment, refunded in full, on the latest date the row gives.
            (
                "TB-1003".into(),
                1,
                1,
                "100.00".into(),
                day("2026-03-03"),
                "customer".into()
            ),
        ]
    );
    let all = orders(&env);
    for id in ["TB-1003", "PDD-260305-03", "DY-6904"] {
        let o = order(&all, id);
        assert_eq!(o["status"], "completed", "{id}");
        assert_eq!(o["returned"], o["amount"], "{id} is returned in full");
    }
    // The partial refund is not guessed into a return: it is listed beside the file.
    let listed = std::fs::read_to_string(env.path("taobao-orders.refunds.csv")).expect("listed");
    assert_eq!(
        listed,
        "\u{feff}order_id,amount,status\nTB-1004,20.00,交易成功\n"
    );
    assert_eq!(order(&all, "TB-1004")["returned"], "0.00");
    // Nothing listed for the other platforms: no refunds file.
    assert!(!env.path("jd-orders.refunds.csv").exists());
    env.db_check_clean();
}

#[test]
fn importing_an_export_again_adds_nothing() {
    let env = imported();
    let before = (
        count(&env, "SELECT COUNT(*) FROM orders"),
        count(&env, "SELECT COUNT(*) FROM order_lines"),
        count(&env, "SELECT COUNT(*) FROM returns"),
        count(&env, "SELECT COUNT(*) FROM customers"),
    );
    for args in [TAOBAO, JD, PDD, DOUYIN] {
        let err = stderr_of(&env, args);
        assert!(
            err.contains(" 0 created, 0 updated,") && err.contains("returns for refunds: 0"),
            "{err}"
        );
    }
    let after = (
        count(&env, "SELECT COUNT(*) FROM orders"),
        count(&env, "SELECT COUNT(*) FROM order_lines"),
        count(&env, "SELECT COUNT(*) FROM returns"),
        count(&env, "SELECT COUNT(*) FROM customers"),
    );
    assert_eq!(before, after);
    assert_eq!(before, (13, 17, 4, 10));
    env.db_check_clean();
}

#[test]
fn a_later_export_updates_status_and_tracking() {
    let env = imported();
    let err = stderr_of(
        &env,
        &["orders", "import", "pdd-later.csv", "--from", "pdd"],
    );
    assert!(err.contains("2 updated"), "{err}");
    let all = orders(&env);
    assert_eq!(order(&all, "PDD-260305-01")["status"], "shipped");
    assert_eq!(order(&all, "PDD-260305-02")["status"], "completed");
    let (ship, tracking): (String, String) = env
        .conn()
        .query_row(
            "SELECT ship_date, tracking FROM orders WHERE id = 'PDD-260305-01'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the order");
    assert_eq!(
        (ship.as_str(), tracking.as_str()),
        ("2026-03-07", "75300119999")
    );
    env.db_check_clean();
}

#[test]
fn an_unknown_status_is_refused_by_name_and_nothing_is_written() {
    let env = shop();
    let args = [
        "orders",
        "import",
        "jd-unknown-status.csv",
        "--from",
        "jd",
        "--create-customers",
    ];
    let err = env.err(&args, 3);
    assert!(
        err.contains(
            "jd-unknown-status.csv:3: column \"订单状态\": \"暂停\" is not a 京东 order status"
        ),
        "{err}"
    );
    assert_eq!(count(&env, "SELECT COUNT(*) FROM orders"), 0);
    assert_eq!(count(&env, "SELECT COUNT(*) FROM customers"), 0);
    // With --skip-invalid the known order is written and the row goes to the rejects file, as it was.
    let mut skip = args.to_vec();
    skip.push("--skip-invalid");
    env.ok(&skip);
    assert_eq!(count(&env, "SELECT COUNT(*) FROM orders"), 1);
    let rejects = std::fs::read(env.path("jd-unknown-status.rejects.csv")).expect("rejects");
    let (text, _, _) = encoding_rs::GBK.decode(&rejects);
    let text = text.into_owned();
    let text = if std::str::from_utf8(&rejects).is_ok() {
        String::from_utf8(rejects).expect("utf-8")
    } else {
        text
    };
    assert!(text.starts_with("订单号,商品ID,"), "{text}");
    assert!(
        text.contains("2102,100012,") && text.contains("暂停"),
        "{text}"
    );
    assert!(!text.contains("2101,"), "{text}");
}

#[test]
fn a_dry_run_writes_nothing_not_even_the_refunds_file() {
    let env = shop();
    let mut args = TAOBAO.to_vec();
    args.push("--dry-run");
    let err = stderr_of(&env, &args);
    assert!(err.contains("dry run"), "{err}");
    assert_eq!(count(&env, "SELECT COUNT(*) FROM orders"), 0);
    assert!(!env.path("taobao-orders.refunds.csv").exists());
}

#[test]
fn presets_refuse_what_does_not_fit_them() {
    let env = shop();
    let err = env.err(
        &["orders", "import", "taobao-orders.csv", "--from", "taobao"],
        2,
    );
    assert!(err.contains("--details"), "{err}");
    let err = env.err(
        &[
            "orders",
            "import",
            "jd-orders.csv",
            "--from",
            "jd",
            "--details",
            "x.csv",
        ],
        2,
    );
    assert!(err.contains("only --from taobao"), "{err}");
    // The wrong preset for a file: its headers are missing, named.
    let err = env.err(&["orders", "import", "jd-orders.csv", "--from", "pdd"], 3);
    assert!(err.contains("missing column"), "{err}");
    assert_eq!(count(&env, "SELECT COUNT(*) FROM orders"), 0);
}

#[test]
fn an_xlsx_order_file_imports_like_its_csv() {
    // Any import reads the first sheet of a workbook: here a plain order file saved from Excel.
    let env = shop();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "order_id",
            "order_date",
            "customer",
            "sku",
            "quantity",
            "unit_price",
        ],
        ["X-1", "2026-03-02", "C1", "TEA-01", "3", "95.5"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *cell)
                .expect("write");
        }
    }
    sheet.write_number(1, 4, 3.0).expect("a number cell");
    book.save(env.path("orders.xlsx")).expect("save");
    env.ok(&[
        "customers",
        "add",
        "C1",
        "--name",
        "客户一",
        "--area",
        "浙江",
    ]);
    env.ok(&["orders", "import", "orders.xlsx"]);
    assert_eq!(
        lines(&env, "X-1"),
        vec![(1, "TEA-01".into(), 3, "286.50".into())]
    );
}

/// `cargo test --test platforms -- --ignored write_fixtures` writes the fixtures afresh.
#[test]
#[ignore]
fn write_fixtures() {
    std::fs::create_dir_all(fixtures_dir()).expect("the folder");
    fixtures::generate(&fixtures_dir()).expect("generate");
}

#[test]
fn an_order_closed_after_it_was_imported_open_is_cancelled() {
    let env = imported();
    let err = stderr_of(&env, &["orders", "import", "jd-later.csv", "--from", "jd"]);
    assert!(
        err.contains("skipped: 1 unpaid or closed") && err.contains("cancelled as closed: 1"),
        "{err}"
    );
    let (status, reason): (String, String) = env
        .conn()
        .query_row(
            "SELECT status, cancel_reason FROM orders WHERE id = 'JD-2002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the order");
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("cancelled", "京东 已取消")
    );
    // Again: nothing more to cancel.
    let err = stderr_of(&env, &["orders", "import", "jd-later.csv", "--from", "jd"]);
    assert!(!err.contains("cancelled as closed"), "{err}");
    env.db_check_clean();
}

#[test]
fn provinces_are_read_from_the_start_of_an_address_and_cells_lose_their_wrappers() {
    let env = shop();
    let head = "订单号,商品ID,商品名称,订购数量,下单时间,京东价,应付金额,运费金额,订单状态,下单帐号,客户地址,货号\n";
    let rows = [
        ("'3001", "江西南昌市青山湖区***", "¥100.00", "100.00元"),
        ("\t3002", "内蒙古自治区呼和浩特市***", "100", "¥100"),
        ("=\"3003\"", "新疆维吾尔自治区 乌鲁木齐市", "100", "100"),
        ("3004", "黑龙江省哈尔滨市道里区", "100", "100"),
        ("3005", "Beijing Chaoyang ***", "100", "100"),
        ("3006", "***", "100", "100"),
        ("3007", "火星省 某市", "100", "-"),
    ];
    let mut text = head.to_string();
    for (no, address, price, paid) in rows {
        text.push_str(&format!(
            "{no},11,茶,1,2026-03-02 09:00:00,{price},{paid},-,完成,jd_a,{address},TEA-01\n"
        ));
    }
    env.write("addresses.csv", &text);
    let out = env.run(&[
        "orders",
        "import",
        "addresses.csv",
        "--from",
        "jd",
        "--create-customers",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("addresses.csv:8: column \"应付金额\": 应付金额 is required"),
        "a `-` is nothing, and what was paid is required: {err}"
    );
    env.write(
        "addresses.csv",
        &text.replace(",100,-,-,完成", ",100,100,-,完成"),
    );
    env.ok(&[
        "orders",
        "import",
        "addresses.csv",
        "--from",
        "jd",
        "--create-customers",
    ]);
    let all = orders(&env);
    let province = |id: &str| order(&all, id)["province"].clone();
    assert_eq!(province("JD-3001"), "江西");
    assert_eq!(province("JD-3002"), "内蒙古");
    assert_eq!(province("JD-3003"), "新疆");
    assert_eq!(province("JD-3004"), "黑龙江");
    assert_eq!(province("JD-3005"), "北京");
    // A masked or unknown province is none (the buyer's own area then, as for every order: the
    // customer jd_a was created in 江西 by its first order).
    assert_eq!(province("JD-3006"), "江西");
    assert_eq!(province("JD-3007"), "江西");
    let own: Option<String> = env
        .conn()
        .query_row(
            "SELECT province FROM orders WHERE id = 'JD-3006'",
            [],
            |r| r.get(0),
        )
        .expect("the order");
    assert_eq!(own, None, "the order itself has no province");
    assert_eq!(
        lines(&env, "JD-3001"),
        vec![(1, "TEA-01".into(), 1, "100.00".into())]
    );
    env.db_check_clean();
}

#[test]
fn products_are_created_from_the_title_and_the_platform_price() {
    let env = Company::new()
        .region("EAST", "华东")
        .assign("EAST", &["江苏"])
        .build();
    std::fs::copy(
        fixtures_dir().join("pdd-orders.csv"),
        env.path("pdd-orders.csv"),
    )
    .expect("copy");
    env.ok(&[
        "orders",
        "import",
        "pdd-orders.csv",
        "--from",
        "pdd",
        "--create-customers",
        "--create-products",
    ]);
    let products = env.json(&["products", "list"]);
    let cup = products
        .as_array()
        .expect("products")
        .iter()
        .find(|p| p["sku"] == "CUP-02")
        .unwrap_or_else(|| panic!("{products}"))
        .clone();
    // 商品总价(元) 71.00 for 2: a list price of 35.50.
    assert_eq!(cup["name"], "青瓷茶杯 两只装");
    assert_eq!(cup["list_price"], "35.50");
    env.db_check_clean();
}

#[test]
fn an_item_list_error_names_its_own_file_and_line() {
    let env = shop();
    let items =
        "订单编号,标题,价格,购买数量,商家编码,订单状态\n=\"9001\",茶,100,两个,TEA-01,交易成功\n";
    let orders = "订单编号,买家会员名,买家实际支付金额,买家应付邮费,订单状态,收货地址,订单创建时间,订单付款时间\n=\"9001\",buyer,100,0,交易成功,浙江省 杭州市,2026-03-01 10:00:00,2026-03-01 10:01:00\n";
    env.write("o.csv", orders);
    env.write("i.csv", items);
    let err = env.err(
        &[
            "orders",
            "import",
            "o.csv",
            "--from",
            "taobao",
            "--details",
            "i.csv",
            "--create-customers",
        ],
        3,
    );
    assert!(
        err.contains("o.csv:2: column \"购买数量\": ") && err.contains("(i.csv line 2)"),
        "{err}"
    );
    assert_eq!(count(&env, "SELECT COUNT(*) FROM orders"), 0);
}
