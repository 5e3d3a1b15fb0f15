//! `db check` for the rollups: each is recomputed from the lines (and returns and payments) and
//! compared with what is stored. Rows that sum to nothing are the same as no row.

use crate::store::sql::Connection;
use anyhow::Result;
use chrono::NaiveDate;

use crate::store::invariants;
use crate::store::types::COUNTING_SQL;

/// The rollups checked against `temp.sales_truth`.
const SALES_TRUTH_TABLES: [&str; 4] = [
    "sales_monthly_groups",
    "customer_monthly",
    "tier_periods",
    "customer_years",
];

/// The calendar period of grain `g.grain` (0 month, 1 quarter, 2 year) of a row's month `s.month`.
const PERIOD: &str = "CASE g.grain WHEN 0 THEN s.month
    WHEN 1 THEN substr(s.month, 1, 4) || '-Q' || ((CAST(substr(s.month, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(s.month, 1, 4) END";

/// Sales of counting orders per (month, region, rep, customer, channel), from the lines, returns in
/// their own month: what the sales rollups are sums of. Made once into a temporary table, since three
/// rollups are checked against it.
fn sales_truth() -> String {
    format!(
        "DROP TABLE IF EXISTS temp.sales_truth;
         CREATE TEMP TABLE sales_truth AS
         SELECT month, region, rep, customer, channel, SUM(revenue) AS revenue, SUM(returns) AS returns,
                SUM(cost) AS cost, SUM(quantity) AS quantity, SUM(orders) AS orders FROM (
             SELECT substr(o.order_date, 1, 7) AS month, COALESCE(o.region, '') AS region,
                    COALESCE(o.rep, '') AS rep, o.customer, o.channel, l.amount AS revenue, 0 AS returns,
                    l.cost, l.quantity, CASE WHEN l.line_no = 1 THEN 1 ELSE 0 END AS orders
             FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING_SQL}
             UNION ALL
             SELECT substr(r.date, 1, 7), COALESCE(o.region, ''), COALESCE(o.rep, ''), o.customer, o.channel,
                    0, r.amount, -r.cost, -r.quantity, 0
             FROM returns r JOIN orders o ON o.id = r.order_id WHERE {COUNTING_SQL})
         GROUP BY month, region, rep, customer, channel;"
    )
}

/// One comparison: `truth` and `kept` select the same columns and `key` names a row from them; the
/// query gives the names of rows that differ (at most 50).
fn differing(truth: &str, kept: &str, key: &str) -> String {
    // EXCEPT sorts both sides once; a join of the two would compare every row with every row.
    format!(
        "WITH truth AS ({truth}), kept AS ({kept}),
         diff AS (SELECT * FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept)
                  UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth))
         SELECT DISTINCT {key} FROM diff LIMIT 50"
    )
}

fn checks() -> Vec<(&'static str, String)> {
    let sales = "SELECT * FROM temp.sales_truth";
    let receivable_events = format!(
        "SELECT o.due_date, o.order_date AS event_date, o.amount FROM orders o WHERE {COUNTING_SQL}
         UNION ALL
         SELECT o.due_date, MAX(o.order_date, r.date), -r.amount FROM returns r JOIN orders o ON o.id = r.order_id
         WHERE {COUNTING_SQL}
         UNION ALL
         SELECT o.due_date, MAX(o.order_date, p.date), -p.amount FROM payments p JOIN orders o ON o.id = p.order_id
         WHERE {COUNTING_SQL}"
    );
    let book = format!(
        "SELECT (SELECT COALESCE(SUM(ABS(l.amount) + ABS(l.cost)), 0)
                 FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING_SQL})
              + (SELECT COALESCE(SUM(ABS(r.amount) + ABS(r.cost)), 0)
                 FROM returns r JOIN orders o ON o.id = r.order_id WHERE {COUNTING_SQL})
              + (SELECT COALESCE(SUM(ABS(p.amount)), 0)
                 FROM payments p JOIN orders o ON o.id = p.order_id WHERE {COUNTING_SQL}),
                (SELECT COALESCE(SUM(ABS(l.quantity)), 0)
                 FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING_SQL})
              + (SELECT COALESCE(SUM(ABS(r.quantity)), 0)
                 FROM returns r JOIN orders o ON o.id = r.order_id WHERE {COUNTING_SQL})"
    );
    vec![
        (
            "book",
            differing(&book, "SELECT money, quantity FROM book", "'gross'"),
        ),
        (
            "sales_monthly_groups",
            differing(
                &format!(
                    "SELECT month, region, rep, channel, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity),
                            SUM(orders) FROM ({sales}) GROUP BY month, region, rep, channel
                     HAVING SUM(revenue) <> 0 OR SUM(returns) <> 0 OR SUM(cost) <> 0 OR SUM(quantity) <> 0
                         OR SUM(orders) <> 0"
                ),
                "SELECT month, region, rep, channel, revenue, returns, cost, quantity, orders FROM sales_monthly_groups
                 WHERE revenue <> 0 OR returns <> 0 OR cost <> 0 OR quantity <> 0 OR orders <> 0",
                "month || ' ' || region || ' ' || rep || ' ' || channel",
            ),
        ),
        (
            "customer_monthly",
            differing(
                &format!(
                    "SELECT month, customer, SUM(revenue), SUM(returns), SUM(orders) FROM ({sales})
                     GROUP BY month, customer HAVING SUM(revenue) <> 0 OR SUM(returns) <> 0 OR SUM(orders) <> 0"
                ),
                "SELECT month, customer, revenue, returns, orders FROM customer_monthly
                 WHERE revenue <> 0 OR returns <> 0 OR orders <> 0",
                "month || ' ' || customer",
            ),
        ),
        (
            "tier_periods",
            differing(
                &format!(
                    "SELECT period, tier, SUM(customers), SUM(revenue), SUM(returns) FROM (
                         SELECT {PERIOD} AS period, c.tier,
                                CASE WHEN SUM(s.orders) > 0 THEN 1 ELSE 0 END AS customers,
                                SUM(s.revenue) AS revenue, SUM(s.returns) AS returns
                         FROM ({sales}) s JOIN customers c ON c.code = s.customer
                         CROSS JOIN (SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2) AS g
                         GROUP BY 1, s.customer, c.tier)
                     GROUP BY period, tier HAVING SUM(customers) <> 0 OR SUM(revenue) <> 0 OR SUM(returns) <> 0"
                ),
                "SELECT period, tier, customers, revenue, returns FROM tier_periods
                 WHERE customers <> 0 OR revenue <> 0 OR returns <> 0",
                "period || ' ' || tier",
            ),
        ),
        (
            "customer_years",
            differing(
                &format!(
                    "SELECT substr(month, 1, 4) AS year, customer, SUM(1 << (CAST(substr(month, 6, 2) AS INTEGER) - 1)) FROM (
                         SELECT month, customer FROM ({sales}) GROUP BY month, customer HAVING SUM(orders) > 0)
                     GROUP BY 1, 2"
                ),
                "SELECT year, customer, months FROM customer_years WHERE months <> 0",
                "year || ' ' || customer",
            ),
        ),
        (
            "product_monthly",
            differing(
                &format!(
                    "SELECT month, sku, region, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity), SUM(sold) FROM (
                         SELECT substr(o.order_date, 1, 7) AS month, l.sku, COALESCE(o.region, '') AS region,
                                l.amount AS revenue, 0 AS returns, l.cost, l.quantity, l.quantity AS sold
                         FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE {COUNTING_SQL}
                         UNION ALL
                         SELECT substr(r.date, 1, 7), l.sku, COALESCE(o.region, ''), 0, r.amount, -r.cost,
                                -r.quantity, 0
                         FROM returns r JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
                         JOIN orders o ON o.id = r.order_id WHERE {COUNTING_SQL})
                     GROUP BY month, sku, region
                     HAVING SUM(revenue) <> 0 OR SUM(returns) <> 0 OR SUM(cost) <> 0 OR SUM(quantity) <> 0
                         OR SUM(sold) <> 0"
                ),
                "SELECT month, sku, region, revenue, returns, cost, quantity, sold FROM product_monthly
                 WHERE revenue <> 0 OR returns <> 0 OR cost <> 0 OR quantity <> 0 OR sold <> 0",
                "month || ' ' || sku || ' ' || region",
            ),
        ),
        (
            "receivables_daily",
            differing(
                &format!(
                    "SELECT due_date, event_date, SUM(amount) FROM ({receivable_events})
                     GROUP BY due_date, event_date HAVING SUM(amount) <> 0"
                ),
                "SELECT due_date, event_date, amount FROM receivables_daily WHERE amount <> 0",
                "due_date || ' ' || event_date",
            ),
        ),
        (
            "receivables_events",
            differing(
                &format!(
                    "SELECT event_date, SUM(amount) FROM ({receivable_events})
                     GROUP BY event_date HAVING SUM(amount) <> 0"
                ),
                "SELECT event_date, amount FROM receivables_events WHERE amount <> 0",
                "event_date",
            ),
        ),
        (
            "campaign_daily",
            differing(
                &format!(
                    "SELECT * FROM ({}) WHERE orders <> 0 OR revenue <> 0 OR cost <> 0 OR returns <> 0
                         OR returns_cost <> 0 OR new_customers <> 0",
                    crate::store::campaigns::truth(false)
                ),
                "SELECT campaign, date, orders, revenue, cost, returns, returns_cost, new_customers
                 FROM campaign_daily",
                "campaign || ' ' || date",
            ),
        ),
        (
            "carrier_daily",
            differing(
                &crate::store::carriers::truth(),
                "SELECT carrier, ship_date, days, shipments, freight, net_revenue, quality_returns
                 FROM carrier_daily",
                "carrier || ' ' || ship_date",
            ),
        ),
    ]
}

/// Rollup rows that differ from the lines they summarise: (kind, subject, detail).
pub fn verify(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let mut found = |table: &str, key: String| {
        out.push((
            "rollup".to_string(),
            format!("{table} {key}"),
            if table.starts_with("stock_") {
                "the rollup differs from the stock moves and orders it summarises".to_string()
            } else {
                "the rollup differs from the order lines it summarises".to_string()
            },
        ))
    };
    // A value of the wrong type or sums past what an integer holds stop a comparison: that is a
    // finding on the rollup (the type findings name the rows), never an abort of `db check`.
    let mut unreadable = Vec::new();
    let sales_ready = match conn.execute_batch(&sales_truth()) {
        Ok(()) => true,
        Err(e) => {
            unreadable.push(invariants::unreadable("order_lines", e.into())?);
            false
        }
    };
    let stock = crate::store::stock::rollup_checks()
        .into_iter()
        .map(|(table, truth, kept, key)| (table, differing(&truth, &kept, &key)));
    for (table, sql) in checks().into_iter().chain(stock) {
        if !sales_ready && SALES_TRUTH_TABLES.contains(&table) {
            continue;
        }
        let keys = (|| -> Result<Vec<String>> {
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })();
        match keys {
            Ok(keys) => keys.into_iter().for_each(|key| found(table, key)),
            Err(e) => unreadable.push(invariants::unreadable(table, e)?),
        }
    }
    conn.execute_batch("DROP TABLE IF EXISTS temp.sales_truth")?;
    // Price marks need the pricing rules: computed here from every line, compared in memory.
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(1, 1, 1),
        NaiveDate::from_ymd_opt(9999, 12, 31),
    ) else {
        return Ok(out);
    };
    let truth = match super::marks::compute(conn, first, last) {
        Ok(truth) => truth,
        Err(e) => {
            unreadable.push(invariants::unreadable("price_marks_monthly", e)?);
            out.extend(unreadable);
            return Ok(out);
        }
    };
    let mut kept = std::collections::BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT month, mark, value, lines FROM price_marks_monthly WHERE lines <> 0 ORDER BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (month, name, value, lines) = row?;
        match crate::domain::pricing::Mark::from_parts(&name, value) {
            Some(mark) => {
                kept.insert((month, mark), lines);
            }
            None => found("price_marks_monthly", format!("{month} {name} {value}")),
        }
    }
    let mut shown = 0;
    for (key, n) in truth.iter() {
        if kept.get(key) != Some(n) && shown < 50 {
            found(
                "price_marks_monthly",
                format!("{} {} {}", key.0, key.1.name(), key.1.value()),
            );
            shown += 1;
        }
    }
    for key in kept.keys() {
        if !truth.contains_key(key) && shown < 50 {
            found(
                "price_marks_monthly",
                format!("{} {} {}", key.0, key.1.name(), key.1.value()),
            );
            shown += 1;
        }
    }
    out.extend(unreadable);
    Ok(out)
}
