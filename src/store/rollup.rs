//! The report rollups (`sales_monthly`, `product_monthly`): changes are gathered in a `RollupBatch`
//! and written in the transaction of the order, return or import that caused them; `verify` recomputes
//! them from the lines for `db check`.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::hash::Fx;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Delta {
    revenue: i64,
    returns: i64,
    cost: i64,
    quantity: i64,
    orders: i64,
}

/// What the rollups need of an order.
pub struct OrderKey<'a> {
    pub date: &'a str,
    pub customer: &'a str,
    pub region: Option<&'a str>,
    pub rep: Option<&'a str>,
    pub channel: &'a str,
}

/// What the rollups need of a line: (sku, quantity, amount, cost).
pub type LineFigures<'a> = (&'a str, i64, i64, i64);

/// Keys are interned: an import adds millions of lines under a few thousand distinct names.
type SalesKey = (u32, u32, u32, u32, u32);
type GroupKey = (u32, u32, u32, u32);
type ProductKey = (u32, u32, u32);

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32, Fx>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

#[derive(Default)]
pub struct RollupBatch {
    names: Interner,
    sales: HashMap<SalesKey, Delta, Fx>,
    groups: HashMap<GroupKey, Delta, Fx>,
    products: HashMap<ProductKey, Delta, Fx>,
}

fn month(date: &str) -> &str {
    date.get(..7).unwrap_or(date)
}

impl RollupBatch {
    fn sales_entry(&mut self, month: &str, o: &OrderKey) -> &mut Delta {
        let n = &mut self.names;
        let key = (
            n.id(month),
            n.id(o.region.unwrap_or("")),
            n.id(o.rep.unwrap_or("")),
            n.id(o.customer),
            n.id(o.channel),
        );
        self.sales.entry(key).or_default()
    }

    fn product_entry(&mut self, month: &str, sku: &str, region: Option<&str>) -> &mut Delta {
        let n = &mut self.names;
        let key = (n.id(month), n.id(sku), n.id(region.unwrap_or("")));
        self.products.entry(key).or_default()
    }

    /// Add (sign 1) or take away (sign −1) a counting order's lines.
    pub fn add_order(&mut self, o: &OrderKey, lines: &[LineFigures], sign: i64) {
        let m = month(o.date);
        let (mut amount, mut cost, mut qty) = (0, 0, 0);
        for (sku, q, a, c) in lines {
            amount += a;
            cost += c;
            qty += q;
            let p = self.product_entry(m, sku, o.region);
            p.revenue += sign * a;
            p.cost += sign * c;
            p.quantity += sign * q;
        }
        let s = self.sales_entry(m, o);
        s.revenue += sign * amount;
        s.cost += sign * cost;
        s.quantity += sign * qty;
        s.orders += sign;
    }

    /// Add (sign 1) or take away (sign −1) a return of a counting order, in the month of `date`.
    pub fn add_return(&mut self, o: &OrderKey, date: &str, line: LineFigures, sign: i64) {
        let (sku, q, a, c) = line;
        let m = month(date);
        let p = self.product_entry(m, sku, o.region);
        p.returns += sign * a;
        p.cost -= sign * c;
        p.quantity -= sign * q;
        let s = self.sales_entry(m, o);
        s.returns += sign * a;
        s.cost -= sign * c;
        s.quantity -= sign * q;
    }

    pub fn len(&self) -> usize {
        self.sales.len() + self.products.len()
    }

    /// Write the gathered changes and start empty.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        let mut sales = conn.prepare_cached(
            "INSERT INTO sales_monthly (month, region, rep, customer, channel, revenue, returns, cost, quantity, orders)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (month, region, rep, customer, channel) DO UPDATE SET
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns,
                 cost = cost + excluded.cost, quantity = quantity + excluded.quantity,
                 orders = orders + excluded.orders",
        )?;
        // The customer-free rollup gets the same changes, summed over customers.
        for ((m, region, rep, _, channel), d) in &self.sales {
            let g = self
                .groups
                .entry((*m, *region, *rep, *channel))
                .or_default();
            g.revenue += d.revenue;
            g.returns += d.returns;
            g.cost += d.cost;
            g.quantity += d.quantity;
            g.orders += d.orders;
        }
        let mut group_stmt = conn.prepare_cached(
            "INSERT INTO sales_monthly_groups (month, region, rep, channel, revenue, returns, cost, quantity, orders)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (month, region, rep, channel) DO UPDATE SET
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns,
                 cost = cost + excluded.cost, quantity = quantity + excluded.quantity,
                 orders = orders + excluded.orders",
        )?;
        let mut groups: Vec<_> = self.groups.drain().collect();
        groups.sort_unstable_by_key(|e| e.0);
        for ((m, region, rep, channel), d) in groups {
            if d == Delta::default() {
                continue;
            }
            let n = &self.names;
            group_stmt.execute(params![
                n.name(m),
                n.name(region),
                n.name(rep),
                n.name(channel),
                d.revenue,
                d.returns,
                d.cost,
                d.quantity,
                d.orders
            ])?;
        }
        let names = &self.names;
        let mut entries: Vec<_> = self.sales.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        for ((m, region, rep, customer, channel), d) in entries {
            if d == Delta::default() {
                continue;
            }
            let (m, region, rep, customer, channel) = (
                names.name(m),
                names.name(region),
                names.name(rep),
                names.name(customer),
                names.name(channel),
            );
            sales.execute(params![
                m, region, rep, customer, channel, d.revenue, d.returns, d.cost, d.quantity,
                d.orders
            ])?;
        }
        let mut products = conn.prepare_cached(
            "INSERT INTO product_monthly (month, sku, region, revenue, returns, cost, quantity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (month, sku, region) DO UPDATE SET
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns,
                 cost = cost + excluded.cost, quantity = quantity + excluded.quantity",
        )?;
        let mut entries: Vec<_> = self.products.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        for ((m, sku, region), d) in entries {
            if d == Delta::default() {
                continue;
            }
            let (m, sku, region) = (names.name(m), names.name(sku), names.name(region));
            products.execute(params![
                m, sku, region, d.revenue, d.returns, d.cost, d.quantity
            ])?;
        }
        Ok(())
    }
}

/// Rollup rows that differ from the lines they summarise: (table, key, detail).
pub fn verify(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let checks = [
        (
            "sales_monthly",
            "WITH truth AS (
                SELECT month, region, rep, customer, channel, SUM(revenue) AS revenue, SUM(returns) AS returns,
                       SUM(cost) AS cost, SUM(quantity) AS quantity, SUM(orders) AS orders FROM (
                    SELECT substr(o.order_date, 1, 7) AS month, COALESCE(o.region, '') AS region,
                           COALESCE(o.rep, '') AS rep, o.customer, o.channel, l.amount AS revenue, 0 AS returns,
                           l.cost, l.quantity, CASE WHEN l.line_no = 1 THEN 1 ELSE 0 END AS orders
                    FROM order_lines l JOIN orders o ON o.id = l.order_id
                    WHERE o.status NOT IN ('cancelled', 'pending_approval')
                    UNION ALL
                    SELECT substr(r.date, 1, 7), COALESCE(o.region, ''), COALESCE(o.rep, ''), o.customer, o.channel,
                           0, r.amount, -r.cost, -r.quantity, 0
                    FROM returns r JOIN orders o ON o.id = r.order_id
                    WHERE o.status NOT IN ('cancelled', 'pending_approval'))
                GROUP BY month, region, rep, customer, channel),
             kept AS (SELECT month, region, rep, customer, channel, revenue, returns, cost, quantity, orders
                      FROM sales_monthly
                      WHERE revenue <> 0 OR returns <> 0 OR cost <> 0 OR quantity <> 0 OR orders <> 0),
             -- EXCEPT sorts both sides once; a join of the two would compare every row with every row.
             diff AS (SELECT * FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept)
                      UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth))
             SELECT DISTINCT month || ' ' || region || ' ' || rep || ' ' || customer || ' ' || channel FROM diff
             LIMIT 50",
        ),
        (
            "sales_monthly_groups",
            "WITH truth AS (
                SELECT month, region, rep, channel, SUM(revenue), SUM(returns), SUM(cost), SUM(quantity), SUM(orders)
                FROM sales_monthly GROUP BY month, region, rep, channel
                HAVING SUM(revenue) <> 0 OR SUM(returns) <> 0 OR SUM(cost) <> 0 OR SUM(quantity) <> 0 OR SUM(orders) <> 0),
             kept AS (SELECT month, region, rep, channel, revenue, returns, cost, quantity, orders FROM sales_monthly_groups
                      WHERE revenue <> 0 OR returns <> 0 OR cost <> 0 OR quantity <> 0 OR orders <> 0),
             diff AS (SELECT * FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept)
                      UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth))
             SELECT DISTINCT month || ' ' || region || ' ' || rep || ' ' || channel FROM diff
             LIMIT 50",
        ),
        (
            "product_monthly",
            "WITH truth AS (
                SELECT month, sku, region, SUM(revenue) AS revenue, SUM(returns) AS returns, SUM(cost) AS cost,
                       SUM(quantity) AS quantity FROM (
                    SELECT substr(o.order_date, 1, 7) AS month, l.sku, COALESCE(o.region, '') AS region,
                           l.amount AS revenue, 0 AS returns, l.cost, l.quantity
                    FROM order_lines l JOIN orders o ON o.id = l.order_id
                    WHERE o.status NOT IN ('cancelled', 'pending_approval')
                    UNION ALL
                    SELECT substr(r.date, 1, 7), l.sku, COALESCE(o.region, ''), 0, r.amount, -r.cost, -r.quantity
                    FROM returns r JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
                    JOIN orders o ON o.id = r.order_id
                    WHERE o.status NOT IN ('cancelled', 'pending_approval'))
                GROUP BY month, sku, region),
             kept AS (SELECT month, sku, region, revenue, returns, cost, quantity FROM product_monthly
                      WHERE revenue <> 0 OR returns <> 0 OR cost <> 0 OR quantity <> 0),
             diff AS (SELECT * FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept)
                      UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth))
             SELECT DISTINCT month || ' ' || sku || ' ' || region FROM diff
             LIMIT 50",
        ),
    ];
    for (table, sql) in checks {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for key in rows {
            out.push((
                "rollup".to_string(),
                format!("{table} {}", key?),
                "the rollup differs from the order lines it summarises".to_string(),
            ));
        }
    }
    Ok(out)
}
