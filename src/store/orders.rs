//! Orders, their lines, returns and payments, and the stored totals kept beside them. The writes here
//! are private to `store`: every one goes through `store::ledger`, which keeps the rollups with them.

use crate::store::sql::{params, params_from_iter, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::domain::order::{Line, Order, Payment};
use crate::domain::values::{OrderStatus, ReturnKind};
use crate::store::types::COUNTING_SQL;

const ORDER_COLUMNS: &str = "id, order_date, customer, rep, area, region, province, channel, status, due_date,
    approved_by, ship_date, carrier, tracking, delivered_date, completed_date, cancel_reason, lines, quantity,
    amount, cost, returned, paid, campaign, freight, warehouse";

fn row_to_order(r: &crate::store::sql::Row) -> crate::store::sql::Result<Order> {
    Ok(Order {
        id: r.get(0)?,
        order_date: r.get(1)?,
        customer: r.get(2)?,
        rep: r.get(3)?,
        area: r.get(4)?,
        region: r.get(5)?,
        province: r.get(6)?,
        channel: r.get(7)?,
        status: r.get(8)?,
        due_date: r.get(9)?,
        approved_by: r.get(10)?,
        ship_date: r.get(11)?,
        carrier: r.get(12)?,
        tracking: r.get(13)?,
        delivered_date: r.get(14)?,
        completed_date: r.get(15)?,
        cancel_reason: r.get(16)?,
        lines: r.get(17)?,
        quantity: r.get(18)?,
        amount: r.get(19)?,
        cost: r.get(20)?,
        returned: r.get(21)?,
        paid: r.get(22)?,
        campaign: r.get(23)?,
        freight: r.get(24)?,
        warehouse: r.get(25)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Order>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"))?
        .query_row([id], row_to_order)
        .optional()?)
}

/// The rowid of an order, if it exists: an import compares it with the rowid before it began to tell
/// an order it wrote itself from one that was there before.
pub fn rowid_of(conn: &Connection, id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT rowid FROM orders WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub fn max_rowid(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(rowid), 0) FROM orders", [], |r| {
            r.get(0)
        })?,
    )
}

fn row_to_line(r: &crate::store::sql::Row) -> crate::store::sql::Result<Line> {
    Ok(Line {
        line_no: r.get(0)?,
        sku: r.get(1)?,
        quantity: r.get(2)?,
        unit_price: r.get(3)?,
        discount: r.get(4)?,
        amount: r.get(5)?,
        unit_cost: r.get(6)?,
        profit: r.get(7)?,
        cost: r.get(8)?,
    })
}

pub fn lines(conn: &Connection, id: &str) -> Result<Vec<Line>> {
    let mut stmt = conn.prepare_cached(
        "SELECT line_no, sku, quantity, unit_price, discount, amount, unit_cost, profit, cost
         FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
    )?;
    let rows = stmt.query_map([id], row_to_line)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Insert an order with its lines; the order's totals are taken from the lines.
pub(super) fn insert(conn: &Connection, o: &Order, lines: &[Line]) -> Result<()> {
    let quantity: i64 = lines.iter().map(|l| l.quantity).sum();
    let amount: Money = lines.iter().map(|l| l.amount).sum();
    let cost: Money = lines.iter().map(|l| l.cost).sum();
    // An order of nothing to pay is settled when it is made.
    let settled = (amount == Money::ZERO).then_some(o.order_date.as_str());
    conn.prepare_cached(
        "INSERT INTO orders (id, order_date, customer, rep, area, region, province, channel, status, due_date,
             approved_by, ship_date, carrier, tracking, delivered_date, completed_date, cancel_reason,
             lines, quantity, amount, cost, settled_on, campaign, freight, warehouse)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
             ?23, ?24, ?25)",
    )?
    .execute(params![
        o.id,
        o.order_date,
        o.customer,
        o.rep,
        o.area,
        o.region,
        o.province,
        o.channel,
        o.status,
        o.due_date,
        o.approved_by,
        o.ship_date,
        o.carrier,
        o.tracking,
        o.delivered_date,
        o.completed_date,
        o.cancel_reason,
        lines.len() as i64,
        quantity,
        amount,
        cost,
        settled,
        o.campaign,
        o.freight,
        o.warehouse,
    ])?;
    insert_lines(conn, &o.id, lines)
}

/// Lines go in up to eight at a time: one statement per order instead of one per line.
fn insert_lines(conn: &Connection, id: &str, lines: &[Line]) -> Result<()> {
    const COLUMNS: usize = 10;
    for chunk in lines.chunks(8) {
        let mut stmt = conn.prepare_cached(lines_sql(chunk.len()))?;
        let mut values: Vec<&dyn crate::store::sql::ToSql> =
            Vec::with_capacity(chunk.len() * COLUMNS);
        for l in chunk {
            values.extend_from_slice(&[
                &id as &dyn crate::store::sql::ToSql,
                &l.line_no,
                &l.sku,
                &l.quantity,
                &l.unit_price,
                &l.discount,
                &l.amount,
                &l.unit_cost,
                &l.profit,
                &l.cost,
            ]);
        }
        stmt.execute(values.as_slice())?;
    }
    Ok(())
}

/// The statement inserting `n` (1 to 8) lines, built once per size (not once per order).
fn lines_sql(n: usize) -> &'static str {
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        (1..=8)
            .map(|n| {
                let groups: Vec<String> = (0..n)
                    .map(|i| {
                        let params: Vec<String> =
                            (1..=10).map(|k| format!("?{}", i * 10 + k)).collect();
                        format!("({})", params.join(", "))
                    })
                    .collect();
                format!(
                    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, amount, unit_cost, profit, cost)
             VALUES {}",
                    groups.join(", ")
                )
            })
            .collect()
    });
    &all[n.clamp(1, 8) - 1]
}

/// Replace an order's fields and lines, keeping its payments (`--replace` on import).
pub(super) fn replace(conn: &Connection, o: &Order, lines: &[Line]) -> Result<()> {
    conn.prepare_cached("DELETE FROM order_lines WHERE order_id = ?1")?
        .execute([&o.id])?;
    let quantity: i64 = lines.iter().map(|l| l.quantity).sum();
    let amount: Money = lines.iter().map(|l| l.amount).sum();
    let cost: Money = lines.iter().map(|l| l.cost).sum();
    conn.prepare_cached(
        "UPDATE orders SET order_date = ?2, customer = ?3, rep = ?4, area = ?5, region = ?6, province = ?7,
             channel = ?8, status = ?9, due_date = ?10, ship_date = ?11, carrier = ?12, tracking = ?13,
             lines = ?14, quantity = ?15, amount = ?16, cost = ?17, campaign = ?18, freight = ?19,
             warehouse = ?20
         WHERE id = ?1",
    )?
    .execute(params![
        o.id,
        o.order_date,
        o.customer,
        o.rep,
        o.area,
        o.region,
        o.province,
        o.channel,
        o.status,
        o.due_date,
        o.ship_date,
        o.carrier,
        o.tracking,
        lines.len() as i64,
        quantity,
        amount,
        cost,
        o.campaign,
        o.freight,
        o.warehouse
    ])?;
    insert_lines(conn, &o.id, lines)?;
    refresh_balance(conn, &o.id)
}

/// A status move with the fields that go with it.
pub struct Move<'a> {
    pub status: OrderStatus,
    pub date: Option<&'a str>,
    pub approved_by: Option<&'a str>,
    pub carrier: Option<&'a str>,
    pub tracking: Option<&'a str>,
    pub cancel_reason: Option<&'a str>,
}

pub(super) fn set_status(conn: &Connection, id: &str, m: &Move) -> Result<()> {
    let date_column = match m.status {
        OrderStatus::Shipped => Some("ship_date"),
        OrderStatus::Delivered => Some("delivered_date"),
        OrderStatus::Completed => Some("completed_date"),
        _ => None,
    };
    conn.prepare_cached(
        "UPDATE orders SET status = ?2, approved_by = COALESCE(?3, approved_by), carrier = COALESCE(?4, carrier),
             tracking = COALESCE(?5, tracking), cancel_reason = COALESCE(?6, cancel_reason) WHERE id = ?1",
    )?
    .execute(params![id, m.status, m.approved_by, m.carrier, m.tracking, m.cancel_reason])?;
    if let (Some(col), Some(date)) = (date_column, m.date) {
        conn.prepare_cached(&format!("UPDATE orders SET {col} = ?2 WHERE id = ?1"))?
            .execute(params![id, date])?;
    }
    Ok(())
}

/// Update only the shipping fields (an import row that differs only there).
pub(super) fn set_shipping(
    conn: &Connection,
    id: &str,
    ship_date: Option<&str>,
    carrier: Option<&str>,
    tracking: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET ship_date = ?2, carrier = ?3, tracking = ?4 WHERE id = ?1",
    )?
    .execute(params![id, ship_date, carrier, tracking])?;
    Ok(())
}

/// What the company paid to ship an order (`orders ship --freight`, an order file's `freight`).
pub(super) fn set_freight(conn: &Connection, id: &str, freight: Option<Money>) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET freight = ?2 WHERE id = ?1")?
        .execute(params![id, freight])?;
    Ok(())
}

/// What a payment's receivables need of its order: (due date, order date, status).
pub(super) fn owed_on(
    conn: &Connection,
    id: &str,
) -> Result<Option<(String, String, OrderStatus)>> {
    Ok(conn
        .prepare_cached("SELECT due_date, order_date, status FROM orders WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// What an order's payments add up to, as stored.
pub(super) fn paid_of(conn: &Connection, id: &str) -> Result<Option<Money>> {
    Ok(conn
        .prepare_cached("SELECT paid FROM orders WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Quantity already returned of one line.
pub fn returned_quantity(conn: &Connection, id: &str, line_no: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ?1 AND line_no = ?2",
        )?
        .query_row(params![id, line_no], |r| r.get(0))?)
}

/// A return of part of one line (the ledger names the order and the line).
pub struct NewReturn<'a> {
    pub quantity: i64,
    pub amount: Money,
    pub cost: Money,
    pub date: &'a str,
    pub reason: &'a str,
    pub kind: ReturnKind,
    /// The service ticket the return answers.
    pub ticket: Option<&'a str>,
    /// The goods go back on the shelf of the order's warehouse (`orders return` unless `--no-restock`).
    pub restock: bool,
}

pub(super) fn insert_return(
    conn: &Connection,
    order_id: &str,
    line_no: i64,
    r: &NewReturn,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO returns (order_id, line_no, quantity, amount, cost, date, reason, kind, ticket)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        order_id, line_no, r.quantity, r.amount, r.cost, r.date, r.reason, r.kind, r.ticket
    ])?;
    refresh_balance(conn, order_id)
}

#[derive(Debug, Clone)]
pub struct ReturnRow {
    pub line_no: i64,
    pub sku: String,
    pub quantity: i64,
    pub amount: Money,
    pub date: String,
    pub reason: String,
    pub kind: ReturnKind,
}

pub fn returns_of(conn: &Connection, id: &str) -> Result<Vec<ReturnRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.line_no, l.sku, r.quantity, r.amount, r.date, r.reason, r.kind
         FROM returns r JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
         WHERE r.order_id = ?1 ORDER BY r.date, r.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ReturnRow {
            line_no: r.get(0)?,
            sku: r.get(1)?,
            quantity: r.get(2)?,
            amount: r.get(3)?,
            date: r.get(4)?,
            reason: r.get(5)?,
            kind: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Is this payment recorded already? By reference when it has one, else by all its fields.
pub fn payment_exists(conn: &Connection, p: &Payment) -> Result<Option<Payment>> {
    let found = match &p.reference {
        Some(r) => conn
            .prepare_cached("SELECT order_id, date, amount, method, reference FROM payments WHERE reference = ?1")?
            .query_row([r], row_to_payment)
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT order_id, date, amount, method, reference FROM payments
                 WHERE order_id = ?1 AND date = ?2 AND amount = ?3 AND method = ?4 AND +reference IS NULL",
            )?
            .query_row(params![p.order_id, p.date, p.amount, p.method], row_to_payment)
            .optional()?,
    };
    Ok(found)
}

fn row_to_payment(r: &crate::store::sql::Row) -> crate::store::sql::Result<Payment> {
    Ok(Payment {
        order_id: r.get(0)?,
        date: r.get(1)?,
        amount: r.get(2)?,
        method: r.get(3)?,
        reference: r.get(4)?,
    })
}

pub(super) fn insert_payment(conn: &Connection, p: &Payment) -> Result<()> {
    conn.prepare_cached("INSERT INTO payments (order_id, date, amount, method, reference) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![p.order_id, p.date, p.amount, p.method, p.reference])?;
    refresh_balance(conn, &p.order_id)
}

/// Payments dated in [start, end] (all when None), optionally of one order, in date order.
pub fn payments(
    conn: &Connection,
    range: Option<(NaiveDate, NaiveDate)>,
    order: Option<&str>,
) -> Result<Vec<Payment>> {
    let (start, end) = range
        .map(|(s, e)| (s.to_string(), e.to_string()))
        .unwrap_or(("0000".into(), "9999".into()));
    let mut stmt = conn.prepare_cached(
        "SELECT order_id, date, amount, method, reference FROM payments
         WHERE date >= ?1 AND date <= ?2 AND (?3 IS NULL OR order_id = ?3) ORDER BY date, id",
    )?;
    let rows = stmt.query_map(params![start, end, order], row_to_payment)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Recompute an order's returned and paid totals and when its balance reached zero.
fn refresh_balance(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET
             returned = (SELECT COALESCE(SUM(amount), 0) FROM returns WHERE order_id = ?1),
             paid = (SELECT COALESCE(SUM(amount), 0) FROM payments WHERE order_id = ?1)
         WHERE id = ?1",
    )?
    .execute([id])?;
    conn.prepare_cached(
        "UPDATE orders SET settled_on = CASE WHEN amount - returned - paid = 0 THEN MAX(order_date,
             COALESCE((SELECT MAX(date) FROM payments WHERE order_id = ?1), ''),
             COALESCE((SELECT MAX(date) FROM returns WHERE order_id = ?1), '')) END
         WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Filters of `orders list`; regions already expanded to include sub-regions.
#[derive(Default)]
pub struct Filter {
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub status: Option<OrderStatus>,
    pub regions: Option<Vec<String>>,
    pub rep: Option<String>,
    pub customer: Option<String>,
}

pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<Order>> {
    let (start, end) = f
        .range
        .map(|(s, e)| (s.to_string(), e.to_string()))
        .unwrap_or(("0000".into(), "9999".into()));
    let regions = f.regions.as_ref().map(|r| r.join("\u{1f}"));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders
         WHERE order_date >= ?1 AND order_date <= ?2 AND (?3 IS NULL OR status = ?3)
           AND (?4 IS NULL OR (region IS NOT NULL AND instr(char(31) || ?4 || char(31), char(31) || region || char(31)) > 0))
           AND (?5 IS NULL OR rep = ?5) AND (?6 IS NULL OR customer = ?6)
         ORDER BY order_date, id"
    ))?;
    let rows = stmt.query_map(
        params![start, end, f.status, regions, f.rep, f.customer],
        row_to_order,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Open balances as of a date, summed per customer and due date.
pub struct OpenBalance {
    pub customer: String,
    pub due_date: String,
    pub balance: Money,
}

/// Whose balances a receivables question is about: every counting order, or those of one customer,
/// one rep, or a set of regions (already expanded to include sub-regions), as recorded on the order.
#[derive(Default)]
pub struct Debtors {
    pub customer: Option<String>,
    pub rep: Option<String>,
    pub regions: Option<Vec<String>>,
}

/// The counting orders dated on or before `as_of` with what they owed then (amount − returns −
/// payments dated on or before it), as (id, customer, order_date, due_date, balance), and the
/// parameters to bind (`?1` is `as_of`). Orders settled before `as_of` are skipped through the covering
/// `orders_settled` index; only orders with payments or returns look those up. The customer, rep and
/// region filters are written in only when asked for: naming `o.rep` would make every row read the
/// table, and the company-wide question is the one asked of the largest files.
fn open_orders(as_of: NaiveDate, d: &Debtors, more: &str) -> (String, Vec<String>) {
    let mut values = vec![as_of.to_string()];
    let mut filter = String::new();
    if let Some(customer) = &d.customer {
        values.push(customer.clone());
        filter.push_str(&format!(" AND o.customer = ?{}", values.len()));
    }
    if let Some(rep) = &d.rep {
        values.push(rep.clone());
        filter.push_str(&format!(" AND o.rep = ?{}", values.len()));
    }
    if let Some(regions) = &d.regions {
        values.push(regions.join("\u{1f}"));
        filter.push_str(&format!(
            " AND o.region IS NOT NULL
              AND instr(char(31) || ?{} || char(31), char(31) || o.region || char(31)) > 0",
            values.len()
        ));
    }
    let sql = format!(
        "SELECT o.id, o.customer, o.order_date, o.due_date,
                CASE WHEN o.paid = 0 AND o.returned = 0 THEN o.amount ELSE
                o.amount - COALESCE((SELECT SUM(r.amount) FROM returns r WHERE r.order_id = o.id AND r.date <= ?1), 0)
                         - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.order_id = o.id AND p.date <= ?1), 0)
                END AS balance
         FROM orders o INDEXED BY orders_settled
         WHERE (o.settled_on IS NULL OR o.settled_on > ?1) AND o.order_date <= ?1
           AND {COUNTING_SQL}{filter}{more}"
    );
    (sql, values)
}

/// Open balances as of `as_of` of the orders of `d` that are not zero, summed per customer and due date.
pub fn open_balances(conn: &Connection, as_of: NaiveDate, d: &Debtors) -> Result<Vec<OpenBalance>> {
    let (orders, values) = open_orders(as_of, d, "");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT customer, due_date, SUM(balance) FROM ({orders})
         WHERE balance <> 0
         GROUP BY customer, due_date ORDER BY customer, due_date"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        Ok(OpenBalance {
            customer: r.get(0)?,
            due_date: r.get(1)?,
            balance: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An order on the collection list: past due with money still owed.
pub struct OverdueOrder {
    pub id: String,
    pub order_date: String,
    pub customer: String,
    pub name: String,
    pub phone: Option<String>,
    pub rep: Option<String>,
    pub due_date: String,
    pub balance: Money,
}

/// The orders of `d` past their due date as of `as_of` with a positive balance then, oldest due date
/// first (then by order date and id). A negative balance is a refund the company owes, not a debt.
pub fn overdue_orders(
    conn: &Connection,
    as_of: NaiveDate,
    d: &Debtors,
) -> Result<Vec<OverdueOrder>> {
    let (orders, values) = open_orders(as_of, d, " AND o.due_date < ?1");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.id, b.order_date, b.customer, c.name, c.phone, o.rep, b.due_date, b.balance
         FROM ({orders}) b JOIN orders o ON o.id = b.id JOIN customers c ON c.code = b.customer
         WHERE b.balance > 0
         ORDER BY b.due_date, b.order_date, b.id"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        Ok(OverdueOrder {
            id: r.get(0)?,
            order_date: r.get(1)?,
            customer: r.get(2)?,
            name: r.get(3)?,
            phone: r.get(4)?,
            rep: r.get(5)?,
            due_date: r.get(6)?,
            balance: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The next free generated id for a date: `O20260302-001`, `-002`, …
pub fn next_id(conn: &Connection, date: NaiveDate) -> Result<String> {
    let prefix = format!("O{}-", date.format("%Y%m%d"));
    let last: Option<String> = conn
        .prepare_cached("SELECT MAX(id) FROM orders WHERE id >= ?1 AND id < ?2")?
        .query_row(params![prefix, format!("{prefix}~")], |r| r.get(0))?;
    let n = last
        .and_then(|l| l[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{n:03}"))
}

/// (order id, area, region) as recorded.
pub type Attribution = (String, Option<String>, Option<String>);

/// Orders dated in a range, with the region recorded, for `reassign-regions`.
pub fn attribution(
    conn: &Connection,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Attribution>> {
    let (start, end) = range
        .map(|(s, e)| (s.to_string(), e.to_string()))
        .unwrap_or(("0000".into(), "9999".into()));
    let mut stmt = conn.prepare_cached("SELECT id, area, region FROM orders WHERE order_date >= ?1 AND order_date <= ?2 ORDER BY id")?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn set_region(conn: &Connection, id: &str, region: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET region = ?2 WHERE id = ?1")?
        .execute(params![id, region])?;
    Ok(())
}

/// A return as rollup figures: (date, sku, quantity, amount, cost).
pub(super) type ReturnFigures = (String, String, i64, i64, i64);

/// Every return of an order as rollup figures.
pub(super) fn return_figures(conn: &Connection, id: &str) -> Result<Vec<ReturnFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.date, l.sku, r.quantity, r.amount, r.cost FROM returns r
         JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no WHERE r.order_id = ?1",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One row per line for `orders export`, streamed to `each` in order id and line order.
pub fn export_lines(
    conn: &Connection,
    mut each: impl FnMut(&Order, &Line, &ExportNames) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, l.line_no, l.sku, l.quantity, l.unit_price, l.discount, l.amount, l.unit_cost, l.profit, l.cost,
                c.name, p.name, p.category, a.name
         FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers c ON c.code = o.customer
         JOIN products p ON p.sku = l.sku LEFT JOIN areas a ON a.code = o.province
         ORDER BY o.order_date, o.id, l.line_no",
        ORDER_COLUMNS.split(',').map(|c| format!("o.{}", c.trim())).collect::<Vec<_>>().join(", ")
    ))?;
    // The line's and names' columns follow the order's.
    let n = ORDER_COLUMNS.split(',').count();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let order = row_to_order(&r)?;
        let line = Line {
            line_no: r.get(n)?,
            sku: r.get(n + 1)?,
            quantity: r.get(n + 2)?,
            unit_price: r.get(n + 3)?,
            discount: r.get(n + 4)?,
            amount: r.get(n + 5)?,
            unit_cost: r.get(n + 6)?,
            profit: r.get(n + 7)?,
            cost: r.get(n + 8)?,
        };
        let names = ExportNames {
            customer: r.get(n + 9)?,
            product: r.get(n + 10)?,
            category: r.get(n + 11)?,
            province: r.get(n + 12)?,
        };
        each(&order, &line, &names)?;
    }
    Ok(())
}

pub struct ExportNames {
    pub customer: String,
    pub product: String,
    pub category: Option<String>,
    pub province: Option<String>,
}

/// Replace the payment `old` (found by its reference) with `p`.
pub(super) fn update_payment(conn: &Connection, old: &Payment, p: &Payment) -> Result<()> {
    conn.prepare_cached("UPDATE payments SET order_id = ?1, date = ?2, amount = ?3, method = ?4 WHERE reference = ?5")?
        .execute(params![p.order_id, p.date, p.amount, p.method, p.reference])?;
    refresh_balance(conn, &old.order_id)?;
    refresh_balance(conn, &p.order_id)
}

/// Is there no order at all?
pub fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM orders)", [], |r| r.get(0))?)
}

/// Drop the secondary indexes of the orders table, and of the stock moves its shipments add to, and
/// return the statements that create them again: loading a large file into an empty table and
/// indexing it afterwards sorts each index once instead of inserting into it row by row (the moves'
/// index by warehouse and SKU takes its rows in no order at all). Called inside the import's
/// transaction, so a failed load keeps them. PostgreSQL keeps its indexes (its unique ones belong to
/// constraints, which are not dropped for a load).
pub(super) fn defer_indexes(conn: &Connection) -> Result<Vec<String>> {
    if conn.engine() == crate::store::sql::Engine::Postgres {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('orders', 'stock_moves')
         AND sql IS NOT NULL",
    )?;
    let indexes: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Create again the indexes `defer_indexes` dropped.
pub(super) fn restore_indexes(conn: &Connection, statements: &[String]) -> Result<()> {
    for sql in statements {
        conn.execute_batch(sql)?;
    }
    Ok(())
}
