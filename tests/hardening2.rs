//! Regression tests for issue 21, points 6 (money and totals stay in range), 10 (invisible characters
//! never make twin keys) and 11 (`db check` sees settlement dates, first orders and malformed values).
//! Each runs the binary, asserts the exit code, the message and that nothing changed, and ends with
//! `db check`.

mod common;

use common::{Company, Env};

/// Region E with manager E01, product TEA-1 at 100 (cost 40), customer C1 in 上海 owned by E01.
fn company() -> Env {
    Company::east()
        .customer("C1", "One", "上海")
        .owner("E01")
        .build()
}

/// `db check` findings as (kind, subject, detail); the check must exit 4.
fn findings(env: &Env) -> Vec<(String, String, String)> {
    let rows = env.json_code(&["db", "check"], 4);
    rows.as_array()
        .unwrap_or_else(|| panic!("not an array: {rows}"))
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (field("kind"), field("subject"), field("detail"))
        })
        .collect()
}

fn sql(env: &Env, batch: &str) {
    env.conn().execute_batch(batch).expect("SQL");
}

// ---- point 11: db check gaps ------------------------------------------------------------------

#[test]
fn db_check_names_an_order_whose_settled_on_disagrees_with_its_payments() {
    let env = company();
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O1",
        "--customer",
        "C1",
        "--line",
        "TEA-1:2",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O2",
        "--customer",
        "C1",
        "--line",
        "TEA-1:1",
        "--date",
        "2026-03-02",
    ]);
    env.ok(&[
        "orders",
        "pay",
        "O1",
        "--amount",
        "200",
        "--date",
        "2026-03-10",
    ]);
    env.db_check_clean();
    // A settled order moved to another day, and an open one marked settled.
    sql(
        &env,
        "UPDATE orders SET settled_on = '2026-01-01' WHERE id = 'O1';
               UPDATE orders SET settled_on = '2026-03-02' WHERE id = 'O2';",
    );
    let found = findings(&env);
    assert!(
        found.contains(&(
            "order_settled".into(),
            "O1".into(),
            "settled_on is 2026-01-01 but its payments and returns give 2026-03-10".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "order_settled".into(),
            "O2".into(),
            "settled_on is 2026-03-02 but its payments and returns give none (a balance is open)"
                .into()
        )),
        "{found:?}"
    );
    // Cleared on a settled order: named too.
    sql(
        &env,
        "UPDATE orders SET settled_on = NULL WHERE id = 'O1';
               UPDATE orders SET settled_on = NULL WHERE id = 'O2';",
    );
    let found = findings(&env);
    assert_eq!(
        found,
        vec![(
            "order_settled".into(),
            "O1".into(),
            "settled_on is none but its payments and returns give 2026-03-10".into()
        )]
    );
    sql(
        &env,
        "UPDATE orders SET settled_on = '2026-03-10' WHERE id = 'O1'",
    );
    env.db_check_clean();
}

#[test]
fn db_check_names_a_customer_whose_first_order_disagrees_with_its_orders() {
    let env = company();
    env.ok(&["customers", "add", "C2", "--name", "Two", "--area", "上海"]);
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O1",
        "--customer",
        "C1",
        "--line",
        "TEA-1:2",
        "--date",
        "2026-03-01",
    ]);
    env.db_check_clean();
    sql(
        &env,
        "UPDATE customers SET first_order = '2025-12-31' WHERE code = 'C1';
               UPDATE customers SET first_order = '2026-03-01' WHERE code = 'C2';",
    );
    let found = findings(&env);
    assert_eq!(
        found,
        vec![
            (
                "first_order".into(),
                "C1".into(),
                "first_order is 2025-12-31 but its orders give 2026-03-01".into()
            ),
            (
                "first_order".into(),
                "C2".into(),
                "first_order is 2026-03-01 but its orders give none (no counting order)".into()
            ),
        ]
    );
    sql(
        &env,
        "UPDATE customers SET first_order = '2026-03-01' WHERE code = 'C1';
               UPDATE customers SET first_order = NULL WHERE code = 'C2';",
    );
    env.db_check_clean();
}

#[test]
fn db_check_names_a_real_or_text_amount_instead_of_aborting() {
    let env = company();
    env.ok(&[
        "orders",
        "add",
        "--id",
        "O1",
        "--customer",
        "C1",
        "--line",
        "TEA-1:2",
        "--date",
        "2026-03-01",
    ]);
    env.ok(&[
        "orders",
        "pay",
        "O1",
        "--amount",
        "50",
        "--date",
        "2026-03-10",
    ]);
    env.db_check_clean();
    sql(
        &env,
        "UPDATE order_lines SET amount = 2000000.5 WHERE order_id = 'O1';
               UPDATE payments SET amount = 'fifty' WHERE order_id = 'O1';
               UPDATE orders SET paid = 50.25 WHERE id = 'O1';",
    );
    let found = findings(&env);
    for expected in [
        (
            "type",
            "order_lines O1 1",
            "amount holds real \"2000000.5\", not integer",
        ),
        (
            "type",
            "payments 1",
            "amount holds text \"fifty\", not integer",
        ),
        (
            "type",
            "orders O1",
            "paid holds real \"50.25\", not integer",
        ),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2.to_string(),
        );
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    // The figures the values feed are named as well, and nothing aborted on the way.
    assert!(
        found.iter().any(|f| f.0 == "order_balance" && f.1 == "O1"),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.0 == "rollup"), "{found:?}");
    let err = env.err(&["db", "check"], 4);
    assert!(!err.contains("error"), "{err}");
}
