//! The report rollups (see schema.sql): changes are gathered in a `RollupBatch` and written in the
//! transaction of the order, status, return, payment or import that caused them. Only the ledger
//! (`store::ledger`) builds and flushes batches. `marks` keeps the price marks and recomputes them when
//! prices change; `verify` recomputes everything from the lines for `db check`.

mod marks;
mod stock;
mod verify;

pub use marks::marks;
pub(in crate::store) use marks::{reprice, reprice_from};
pub(in crate::store) use stock::{add_warehouse, StockBatch};
pub use stock::{closing_units, warehouse_flows};
pub use verify::verify;

use std::collections::HashMap;

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

use crate::domain::money::Money;
use crate::domain::order::{Line, Order};
use crate::domain::period::quarter_and_year;
use crate::domain::pricing::{line_marks, LineFacts, Mark};
use crate::domain::values::{Channel, Tier};
use crate::hash::Fx;
use crate::store::prices::PriceBook;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Delta {
    revenue: i64,
    returns: i64,
    cost: i64,
    quantity: i64,
    orders: i64,
    /// Quantity of lines before returns (products only).
    sold: i64,
}

/// What the rollups need of an order.
pub(in crate::store) struct OrderKey<'a> {
    date: &'a str,
    due_date: &'a str,
    customer: &'a str,
    region: Option<&'a str>,
    rep: Option<&'a str>,
    channel: Channel,
    approved: bool,
}

impl<'a> OrderKey<'a> {
    pub(in crate::store) fn of(o: &'a Order) -> OrderKey<'a> {
        OrderKey {
            date: &o.order_date,
            due_date: &o.due_date,
            customer: &o.customer,
            region: o.region.as_deref(),
            rep: o.rep.as_deref(),
            channel: o.channel,
            approved: o.approved_by.is_some(),
        }
    }
}

/// What the rollups need of a returned line: (sku, quantity, amount, cost).
pub(in crate::store) type ReturnFigures<'a> = (&'a str, i64, i64, i64);

/// Keys are interned: an import adds millions of lines under a few thousand distinct names.
type GroupKey = (u32, u32, u32, u32);
type CustomerKey = (u32, u32);
type ProductKey = (u32, u32, u32);
/// (due date, event date).
type ReceivableKey = (u32, u32);

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

/// The book's gross (schema.sql, `book`): what is stored, once read, and what the batch adds to it.
/// Kept in i128, so that a sum past the range is seen, not wrapped.
#[derive(Default)]
struct Book {
    stored: Option<(i128, i128)>,
    money: i128,
    quantity: i128,
}

/// The book's gross as it would be with the batch written: (money in 1e-4 units, pieces).
pub(in crate::store) type BookTotals = (i128, i128);

impl Book {
    /// Add (sign 1) or take away (sign −1) the magnitudes of some money figures and pieces.
    fn add(&mut self, sign: i64, money: &[i64], quantity: i64) {
        let sign = i128::from(sign);
        for m in money {
            self.money += sign * i128::from(m.unsigned_abs());
        }
        self.quantity += sign * i128::from(quantity.unsigned_abs());
    }
}

/// A line waiting for its price marks, which need the prices in force (read at flush).
struct PendingLine {
    month: u32,
    date: u32,
    sku: u32,
    facts: LineFacts,
    sign: i64,
}

/// Rollup changes not written yet. Private to `store`: the ledger keeps one per transaction.
#[derive(Default)]
pub(in crate::store) struct RollupBatch {
    names: Interner,
    groups: HashMap<GroupKey, Delta, Fx>,
    customers: HashMap<CustomerKey, Delta, Fx>,
    products: HashMap<ProductKey, Delta, Fx>,
    receivables: HashMap<ReceivableKey, i64, Fx>,
    pending: Vec<PendingLine>,
    prices: PriceBook,
    /// Current tier of each customer seen (both interned).
    tiers: HashMap<u32, u32, Fx>,
    book: Book,
}

fn month(date: &str) -> &str {
    date.get(..7).unwrap_or(date)
}

impl RollupBatch {
    fn sales_entries(&mut self, month: &str, o: &OrderKey) -> (&mut Delta, &mut Delta) {
        let n = &mut self.names;
        let (m, region, rep, customer, channel) = (
            n.id(month),
            n.id(o.region.unwrap_or("")),
            n.id(o.rep.unwrap_or("")),
            n.id(o.customer),
            n.id(o.channel.as_str()),
        );
        (
            self.groups.entry((m, region, rep, channel)).or_default(),
            self.customers.entry((m, customer)).or_default(),
        )
    }

    /// A change to what an order due on `due` and dated `ordered` owes, on `date` (never before the
    /// order date: a payment made in advance is owed against from the day the order exists).
    fn owe_on(&mut self, due: &str, ordered: &str, date: &str, amount: i64) {
        let on = date.max(ordered);
        let key = (self.names.id(due), self.names.id(on));
        *self.receivables.entry(key).or_default() += amount;
    }

    fn owe(&mut self, o: &OrderKey, date: &str, amount: i64) {
        self.owe_on(o.due_date, o.date, date, amount);
    }

    /// Add (sign 1) or take away (sign −1) a counting order's lines.
    pub(in crate::store) fn add_order(&mut self, o: &OrderKey, lines: &[Line], sign: i64) {
        let m = month(o.date);
        let (month_id, date, region) = (
            self.names.id(m),
            self.names.id(o.date),
            self.names.id(o.region.unwrap_or("")),
        );
        let (mut amount, mut cost, mut qty) = (0, 0, 0);
        for l in lines {
            let (a, c, q) = (l.amount.units(), l.cost.units(), l.quantity);
            amount += a;
            cost += c;
            qty += q;
            self.book.add(sign, &[a, c], q);
            let sku = self.names.id(&l.sku);
            let p = self.products.entry((month_id, sku, region)).or_default();
            p.revenue += sign * a;
            p.cost += sign * c;
            p.quantity += sign * q;
            p.sold += sign * q;
            self.pending.push(PendingLine {
                month: month_id,
                date,
                sku,
                facts: LineFacts {
                    quantity: q,
                    amount: l.amount,
                    cost: l.cost,
                    list_price: Money::ZERO,
                    floor_price: None,
                    approved: o.approved,
                },
                sign,
            });
        }
        let (g, c) = self.sales_entries(m, o);
        for d in [g, c] {
            d.revenue += sign * amount;
            d.cost += sign * cost;
            d.quantity += sign * qty;
            d.orders += sign;
        }
        self.owe(o, o.date, sign * amount);
    }

    /// Add (sign 1) or take away (sign −1) a return of a counting order, in the month of `date`.
    pub(in crate::store) fn add_return(
        &mut self,
        o: &OrderKey,
        date: &str,
        line: ReturnFigures,
        sign: i64,
    ) {
        let (sku, q, a, c) = line;
        self.book.add(sign, &[a, c], q);
        let m = month(date);
        let n = &mut self.names;
        let key = (n.id(m), n.id(sku), n.id(o.region.unwrap_or("")));
        let p = self.products.entry(key).or_default();
        p.returns += sign * a;
        p.cost -= sign * c;
        p.quantity -= sign * q;
        let (g, cu) = self.sales_entries(m, o);
        for d in [g, cu] {
            d.returns += sign * a;
            d.cost -= sign * c;
            d.quantity -= sign * q;
        }
        self.owe(o, date, -sign * a);
    }

    /// Add (sign 1) or take away (sign −1) a payment dated `date` of a counting order due on `due` and
    /// dated `ordered`.
    pub(in crate::store) fn add_payment(
        &mut self,
        due: &str,
        ordered: &str,
        date: &str,
        amount: Money,
        sign: i64,
    ) {
        self.owe_on(due, ordered, date, -sign * amount.units());
        self.book.add(sign, &[amount.units()], 0);
    }

    /// The book's gross with this batch written (the stored row is read once per batch's life).
    pub(in crate::store) fn book_totals(&mut self, conn: &Connection) -> Result<BookTotals> {
        let stored = match self.book.stored {
            Some(s) => s,
            None => {
                let (money, quantity): (i64, i64) = conn
                    .prepare_cached("SELECT money, quantity FROM book")?
                    .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .unwrap_or((0, 0));
                let s = (i128::from(money), i128::from(quantity));
                self.book.stored = Some(s);
                s
            }
        };
        Ok((stored.0 + self.book.money, stored.1 + self.book.quantity))
    }

    /// A customer's tier changed: read it again when its months are next written.
    pub(in crate::store) fn forget_tier(&mut self, customer: &str) {
        if let Some(id) = self.names.ids.get(customer) {
            self.tiers.remove(id);
        }
    }

    /// A product's prices changed: read them again for the marks of its lines still to be written.
    pub(in crate::store) fn forget_prices(&mut self, sku: &str) {
        self.prices.forget(sku);
    }

    pub(in crate::store) fn len(&self) -> usize {
        self.groups.len()
            + self.customers.len()
            + self.products.len()
            + self.receivables.len()
            + self.pending.len()
    }

    /// Write the gathered changes and start empty.
    pub(in crate::store) fn flush(&mut self, conn: &Connection) -> Result<()> {
        self.flush_book(conn)?;
        self.flush_groups(conn)?;
        self.flush_customers(conn)?;
        self.flush_products(conn)?;
        self.flush_receivables(conn)?;
        self.flush_marks(conn)
    }

    /// The ledger has checked the book stays in range before any write reaches here.
    fn flush_book(&mut self, conn: &Connection) -> Result<()> {
        let (money, quantity) = (self.book.money, self.book.quantity);
        if money == 0 && quantity == 0 {
            return Ok(());
        }
        let (Ok(m), Ok(q)) = (i64::try_from(money), i64::try_from(quantity)) else {
            anyhow::bail!("the book's change is beyond what an integer holds");
        };
        conn.prepare_cached("UPDATE book SET money = money + ?1, quantity = quantity + ?2")?
            .execute(params![m, q])?;
        if let Some(stored) = self.book.stored.as_mut() {
            stored.0 += money;
            stored.1 += quantity;
        }
        self.book.money = 0;
        self.book.quantity = 0;
        Ok(())
    }

    fn flush_groups(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO sales_monthly_groups (month, region, rep, channel, revenue, returns, cost, quantity, orders)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (month, region, rep, channel) DO UPDATE SET
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns,
                 cost = cost + excluded.cost, quantity = quantity + excluded.quantity,
                 orders = orders + excluded.orders",
        )?;
        let mut entries: Vec<_> = self.groups.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        let n = &self.names;
        for ((m, region, rep, channel), d) in entries {
            if d == Delta::default() {
                continue;
            }
            stmt.execute(params![
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
        Ok(())
    }

    /// The interned current tier of a customer (read once per batch).
    fn tier_id(
        &mut self,
        tier_of: &mut crate::store::sql::Statement,
        customer: u32,
    ) -> Result<u32> {
        if let Some(t) = self.tiers.get(&customer) {
            return Ok(*t);
        }
        let tier: Tier = tier_of
            .query_row([self.names.name(customer)], |r| r.get(0))
            .optional()?
            .unwrap_or(Tier::Normal);
        let t = self.names.id(tier.as_str());
        self.tiers.insert(customer, t);
        Ok(t)
    }

    /// Customer months, and per month, quarter and year the count of customers under their current
    /// tier: a customer counts in a period while it has counting orders there. A customer's months of
    /// a year are kept as bits, so its first (or last) month in a quarter or year is seen as it comes.
    fn flush_customers(&mut self, conn: &Connection) -> Result<()> {
        let mut months = conn.prepare_cached(
            "INSERT INTO customer_monthly (month, customer, revenue, returns, orders) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (month, customer) DO UPDATE SET revenue = revenue + excluded.revenue,
                 returns = returns + excluded.returns, orders = orders + excluded.orders
             RETURNING orders",
        )?;
        let mut joins = conn.prepare_cached(
            "INSERT INTO customer_years (year, customer, months) VALUES (?1, ?2, ?3)
             ON CONFLICT (year, customer) DO UPDATE SET months = months | excluded.months
             RETURNING months",
        )?;
        let mut leaves = conn.prepare_cached(
            "UPDATE customer_years SET months = months & ~?3 WHERE year = ?1 AND customer = ?2
             RETURNING months",
        )?;
        let mut tier_of = conn.prepare_cached("SELECT tier FROM customers WHERE code = ?1")?;
        let mut entries: Vec<_> = self.customers.drain().collect();
        // In key order, the upserts walk the tables' B-trees from one page to the next instead of
        // jumping about them (a tenth of a large import's time).
        let n = &self.names;
        entries.sort_unstable_by(|a, b| {
            (n.name(a.0 .0), n.name(a.0 .1)).cmp(&(n.name(b.0 .0), n.name(b.0 .1)))
        });
        let mut by_tier: HashMap<(u32, u32), Delta, Fx> = HashMap::default();
        for ((m, customer), d) in entries {
            if d == Delta::default() {
                continue;
            }
            let month = self.names.name(m).to_string();
            let Some((quarter, year, number)) = quarter_and_year(&month) else {
                anyhow::bail!("an order dated in the month \"{month}\" cannot be rolled up");
            };
            let now: i64 = months.query_row(
                params![
                    month,
                    self.names.name(customer),
                    d.revenue,
                    d.returns,
                    d.orders
                ],
                |r| r.get(0),
            )?;
            let was = now - d.orders;
            let tier = self.tier_id(&mut tier_of, customer)?;
            let (q, y) = (self.names.id(&quarter), self.names.id(&year));
            let mut joined = [0i64; 3];
            if (was > 0) != (now > 0) {
                let bit = 1i64 << (number - 1);
                let quarter_bits = 0b111i64 << (3 * ((number - 1) / 3));
                let customer = self.names.name(customer);
                let sign = if now > 0 { 1 } else { -1 };
                // Before joining, or after leaving: the months the customer has besides this one.
                let others = if now > 0 {
                    let after: i64 = joins.query_row(params![year, customer, bit], |r| r.get(0))?;
                    after & !bit
                } else {
                    leaves
                        .query_row(params![year, customer, bit], |r| r.get(0))
                        .optional()?
                        .unwrap_or(0)
                };
                joined = [
                    sign,
                    sign * i64::from(others & quarter_bits == 0),
                    sign * i64::from(others == 0),
                ];
            }
            for (period, joined) in [m, q, y].into_iter().zip(joined) {
                let t = by_tier.entry((period, tier)).or_default();
                t.orders += joined;
                t.revenue += d.revenue;
                t.returns += d.returns;
            }
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO tier_periods (period, tier, customers, revenue, returns) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (period, tier) DO UPDATE SET customers = customers + excluded.customers,
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns",
        )?;
        let n = &self.names;
        for ((period, tier), d) in by_tier {
            stmt.execute(params![
                n.name(period),
                n.name(tier),
                d.orders,
                d.revenue,
                d.returns
            ])?;
        }
        Ok(())
    }

    fn flush_products(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO product_monthly (month, sku, region, revenue, returns, cost, quantity, sold)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (month, sku, region) DO UPDATE SET
                 revenue = revenue + excluded.revenue, returns = returns + excluded.returns,
                 cost = cost + excluded.cost, quantity = quantity + excluded.quantity,
                 sold = sold + excluded.sold",
        )?;
        let mut entries: Vec<_> = self.products.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        let n = &self.names;
        for ((m, sku, region), d) in entries {
            if d == Delta::default() {
                continue;
            }
            stmt.execute(params![
                n.name(m),
                n.name(sku),
                n.name(region),
                d.revenue,
                d.returns,
                d.cost,
                d.quantity,
                d.sold
            ])?;
        }
        Ok(())
    }

    fn flush_receivables(&mut self, conn: &Connection) -> Result<()> {
        let mut daily = conn.prepare_cached(
            "INSERT INTO receivables_daily (due_date, event_date, amount) VALUES (?1, ?2, ?3)
             ON CONFLICT (due_date, event_date) DO UPDATE SET amount = amount + excluded.amount",
        )?;
        let mut entries: Vec<_> = self.receivables.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        let mut by_event: HashMap<u32, i64, Fx> = HashMap::default();
        let n = &self.names;
        for ((due, on), amount) in entries {
            if amount == 0 {
                continue;
            }
            daily.execute(params![n.name(due), n.name(on), amount])?;
            *by_event.entry(on).or_default() += amount;
        }
        let mut events = conn.prepare_cached(
            "INSERT INTO receivables_events (event_date, amount) VALUES (?1, ?2)
             ON CONFLICT (event_date) DO UPDATE SET amount = amount + excluded.amount",
        )?;
        for (on, amount) in by_event {
            events.execute(params![n.name(on), amount])?;
        }
        Ok(())
    }

    /// Price marks of the lines added or taken away, against the prices in force on their dates.
    fn flush_marks(&mut self, conn: &Connection) -> Result<()> {
        let mut counts: HashMap<(u32, Mark), i64, Fx> = HashMap::default();
        for p in std::mem::take(&mut self.pending) {
            let (date, sku) = (self.names.name(p.date), self.names.name(p.sku));
            // A line whose product had no price yet on its date is not checked (as `prices check`).
            let Some((list, floor)) = self.prices.in_force_loading(conn, sku, date)? else {
                continue;
            };
            let facts = LineFacts {
                list_price: list,
                floor_price: floor,
                ..p.facts
            };
            line_marks(&facts, |mark| {
                *counts.entry((p.month, mark)).or_default() += p.sign
            });
        }
        marks::add_counts(
            conn,
            counts
                .into_iter()
                .map(|((m, mark), n)| (self.names.name(m), mark, n)),
        )
    }
}
