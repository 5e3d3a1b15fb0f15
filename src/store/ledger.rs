//! The one writer of figures. Every write that touches orders, lines, returns, payments, prices or
//! customer tiers goes through a `Ledger`, which keeps the order totals and balances, customers'
//! first-order dates and every report rollup true with it, in one transaction. (Not the violations
//! ledger of `prices ledger`: that one is `store::prices`.)
//!
//! To add a write path:
//! - A write that changes figures is a `Ledger` method, never code in a command; a new kind of record
//!   (stock moves, shipments) gets its method here. The store functions that write such rows are
//!   private to `store`, so a command cannot reach them.
//! - The ledger owns the transaction: `Ledger::begin`, then `commit` (or `into_tx` for a caller that
//!   decides itself, as an import's dry run does). Dropping it rolls everything back.
//! - Rollups are updated only here. Changes gather in a `RollupBatch` (private to `store`), written
//!   when it grows large, before a tier change (its trigger moves what the tables hold between tiers),
//!   and on `commit`, which also recomputes the price marks that price changes reach. A read of a
//!   rollup inside the transaction needs a ledger method that flushes first.
//! - `salesops db check` recomputes every rollup from the lines and names those that disagree; add the
//!   new write to tests/rollups.rs, which compares the reports with plain SQL after each kind of write.
//!
//! Reads, and writes that change no figure (the audit line, customers, product names), go through the
//! transaction the ledger derefs to. A customer's tier is the one field of such a row that moves
//! figures: `store::customers::update` writes every other field, and only `set_tier` writes the tier
//! (a new customer is inserted with its tier, as it has no figures yet to move).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::orders::{self, Move, NewReturn};
use super::products::{self, Price, Product};
use super::rollup::{self, OrderKey, RollupBatch, StockBatch};
use super::{campaigns, carriers, customers, stock, Conn, Db, Tx};
use crate::domain::money::{grouped_units, Money, HELD};
use crate::domain::order::{Line, Order, Payment, HELD_QUANTITY};
use crate::domain::values::{ReturnKind, Tier};

/// Rollup entries gathered before they are written: an import of millions of lines writes them this
/// many at a time instead of once per order, which keeps memory flat.
const BATCH_LIMIT: usize = 50_000;

/// A write transaction that keeps the figures true. Its methods take `&self`, as the connection's own
/// writes do, so an importer can hold the ledger while the import engine reads through it.
pub struct Ledger<'db> {
    tx: Tx<'db>,
    pending: RefCell<Pending>,
}

/// What is not written yet.
#[derive(Default)]
struct Pending {
    batch: RollupBatch,
    /// The sums of the stock moves written (the moves themselves are written at once).
    stock: StockBatch,
    /// Customers whose first counting order may have moved.
    first_orders: HashSet<String>,
    repriced: Repriced,
    /// Statements that build the orders indexes `defer_indexes` dropped.
    deferred_indexes: Vec<String>,
    /// (campaign, day) rows of the campaign rollup that a write touched, rewritten from the orders
    /// (few: only orders that name a campaign) when the ledger settles.
    campaign_days: BTreeSet<(String, String)>,
    /// Changes to the carrier rollup, added to it when the ledger settles (every shipped order is in
    /// it: a delta needs no index on the orders, which an import would pay for on every row).
    carrier_deltas: HashMap<carriers::Key, carriers::Part>,
}

impl Pending {
    /// Write the gathered rollup changes.
    fn flush(&mut self, tx: &Conn) -> Result<()> {
        self.batch.flush(tx)?;
        self.stock.flush(tx)
    }

    /// The campaign rollup rows the order `o` (as it is before or after a write) is in.
    fn touch(&mut self, o: &Order) {
        if let Some(c) = &o.campaign {
            self.campaign_days.insert((c.clone(), o.order_date.clone()));
        }
    }

    /// Add (1) or take away (−1) the shipment `o` (as it is before or after a write, with `net`
    /// its amount less its returns and `quality` its quality returns) in the carrier rollup.
    fn ship(&mut self, o: &Order, net: Money, quality: i64, sign: i64) {
        if let Some((key, part)) = carriers::part(o, net, quality) {
            let d = self.carrier_deltas.entry(key).or_default();
            for (a, b) in d.iter_mut().zip(part) {
                *a += sign * b;
            }
        }
    }
}

/// Which price marks price changes reach, recomputed once when the ledger settles.
#[derive(Default)]
enum Repriced {
    #[default]
    Nothing,
    /// One product from a date: the lines up to its next price.
    One(String, NaiveDate),
    /// Several changes: every line from the earliest date.
    Many(NaiveDate),
}

impl Repriced {
    fn add(&mut self, sku: &str, from: NaiveDate) {
        *self = match std::mem::take(self) {
            Repriced::Nothing => Repriced::One(sku.to_string(), from),
            Repriced::One(_, d) | Repriced::Many(d) => Repriced::Many(d.min(from)),
        };
    }
}

impl std::ops::Deref for Ledger<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl<'db> Ledger<'db> {
    /// Begin the write transaction (see `Db::begin`).
    pub fn begin(db: &'db mut Db) -> Result<Ledger<'db>> {
        Ok(Ledger {
            tx: db.begin()?,
            pending: RefCell::new(Pending::default()),
        })
    }

    /// Write what is pending and commit.
    pub fn commit(self) -> Result<()> {
        self.into_tx()?.commit()
    }

    /// Undo everything (a dry run); nothing pending is written.
    pub fn rollback(self) -> Result<()> {
        self.tx.rollback()
    }

    /// Write what is pending and hand back the transaction, for a caller that commits it or rolls it
    /// back itself (an import's dry run).
    pub fn into_tx(self) -> Result<Tx<'db>> {
        self.settle()?;
        Ok(self.tx)
    }

    /// Every rollup, price mark and first-order date brought up to date.
    fn settle(&self) -> Result<()> {
        let mut p = self.pending.borrow_mut();
        p.flush(&self.tx)?;
        // After the last rollups (their pending lines are freed before SQLite sorts the indexes),
        // before first orders are looked up through orders_customer.
        orders::restore_indexes(&self.tx, &std::mem::take(&mut p.deferred_indexes))?;
        match std::mem::take(&mut p.repriced) {
            Repriced::Nothing => {}
            Repriced::One(sku, from) => rollup::reprice(&self.tx, &sku, from)?,
            Repriced::Many(from) => rollup::reprice_from(&self.tx, from)?,
        }
        let moved: Vec<String> = p.first_orders.drain().collect();
        for customer in &moved {
            customers::refresh_first_order(&self.tx, customer)?;
        }
        // A moved first order moves the new customers of the customer's campaign orders.
        if !moved.is_empty() && campaigns::any(&self.tx)? {
            for customer in &moved {
                p.campaign_days
                    .extend(campaigns::days_of_customer(&self.tx, customer)?);
            }
        }
        for (campaign, day) in std::mem::take(&mut p.campaign_days) {
            campaigns::refresh_day(&self.tx, &campaign, &day)?;
        }
        for (key, part) in std::mem::take(&mut p.carrier_deltas) {
            carriers::add_part(&self.tx, &key, part)?;
        }
        Ok(())
    }

    /// Write the batch when it has grown large.
    fn flush_if_full(&self, p: &mut Pending) -> Result<()> {
        if p.batch.len() + p.stock.len() > BATCH_LIMIT {
            p.flush(&self.tx)?;
        }
        Ok(())
    }

    fn first_order_may_move(p: &mut Pending, customer: &str) {
        if !p.first_orders.contains(customer) {
            p.first_orders.insert(customer.to_string());
        }
    }

    /// A bulk load into an empty orders table: drop the table's secondary indexes now and build them
    /// again when the ledger settles (one sort per index instead of a row-by-row insert). A ledger
    /// dropped without settling rolls the drop back with everything else.
    pub fn defer_indexes(&self) -> Result<()> {
        let statements = orders::defer_indexes(&self.tx)?;
        self.pending
            .borrow_mut()
            .deferred_indexes
            .extend(statements);
        Ok(())
    }

    /// A new order with its lines (from `orders add`, or one order of an import).
    pub fn record(&self, o: &Order, lines: &[Line]) -> Result<()> {
        orders::insert(&self.tx, o, lines)?;
        let mut p = self.pending.borrow_mut();
        stock::put(&self.tx, o, lines, &mut p.stock)?;
        if o.status.counts() {
            p.touch(o);
            // Its stored amount is summed from the lines as it is written.
            p.ship(o, lines.iter().map(|l| l.amount).sum(), 0, 1);
            p.batch.add_order(&OrderKey::of(o), lines, 1);
            self.in_range(&mut p, &o.id)?;
            Self::first_order_may_move(&mut p, &o.customer);
        }
        self.flush_if_full(&mut p)
    }

    /// Move the order `o` (as stored) along the status flow. An order that starts counting is added as
    /// it is after the move (approved, say); one that stops is taken away as it was.
    pub fn set_status(&self, o: &Order, m: &Move) -> Result<()> {
        orders::set_status(&self.tx, &o.id, m)?;
        self.restock_status(o, m.status)?;
        self.touch_moved(o)?;
        let (before, after) = (o.status.counts(), m.status.counts());
        if before != after {
            if after {
                self.roll(&self.stored(&o.id)?, 1)?;
                self.in_range(&mut self.pending.borrow_mut(), &o.id)?;
            } else {
                self.roll(o, -1)?;
            }
            Self::first_order_may_move(&mut self.pending.borrow_mut(), &o.customer);
        }
        Ok(())
    }

    /// Change only the shipping fields of an order (no figure depends on them).
    pub fn set_shipping(
        &self,
        id: &str,
        ship_date: Option<&str>,
        carrier: Option<&str>,
        tracking: Option<&str>,
    ) -> Result<()> {
        let before = self.stored(id)?;
        orders::set_shipping(&self.tx, id, ship_date, carrier, tracking)?;
        if let Some(date) = ship_date {
            stock::redate_shipment(&self.tx, id, date)?;
        }
        self.touch_moved(&before)
    }

    /// What shipping the order `id` cost (`orders ship --freight`, an order file's `freight`).
    pub fn set_freight(&self, id: &str, freight: Option<Money>) -> Result<()> {
        let before = self.stored(id)?;
        orders::set_freight(&self.tx, id, freight)?;
        self.touch_moved(&before)
    }

    /// The campaign and carrier rollups of the order `before` a write (that changed no return) and
    /// as stored after it.
    fn touch_moved(&self, before: &Order) -> Result<()> {
        let after = self.stored(&before.id)?;
        let quality = if before.ship_date.is_some() || after.ship_date.is_some() {
            carriers::quality_returns(&self.tx, &before.id)?
        } else {
            0
        };
        let mut p = self.pending.borrow_mut();
        p.touch(before);
        p.touch(&after);
        p.ship(before, before.amount - before.returned, quality, -1);
        p.ship(&after, after.amount - after.returned, quality, 1);
        Ok(())
    }

    /// What an order holds of stock follows its status: reserved while confirmed, shipped after.
    fn restock_status(&self, o: &Order, to: crate::domain::values::OrderStatus) -> Result<()> {
        if stock::hold_changes(o.status, to) {
            let lines = orders::lines(&self.tx, &o.id)?;
            stock::take(&self.tx, o, &lines)?;
            let after = self.stored(&o.id)?;
            stock::put(
                &self.tx,
                &after,
                &lines,
                &mut self.pending.borrow_mut().stock,
            )?;
        }
        Ok(())
    }

    /// A stock move made by hand: goods received, a stock-take, one side of a transfer, or a row of
    /// a moves file. No sales figure depends on it; `stock_monthly` is kept with it.
    pub fn stock_move(&self, m: &stock::NewMove) -> Result<()> {
        // A hand move is checked against the levels first: the sums of earlier writes go in now.
        self.pending.borrow_mut().stock.flush(&self.tx)?;
        stock::insert_move(&self.tx, m)
    }

    /// Goods of `line` of the order `o` (as stored) returned.
    pub fn add_return(&self, o: &Order, line: &Line, r: &NewReturn) -> Result<()> {
        orders::insert_return(&self.tx, &o.id, line.line_no, r)?;
        if r.restock {
            stock::restock(&self.tx, o, &line.sku, r.quantity, r.date)?;
        }
        if o.status.counts() {
            let quality = if o.ship_date.is_some() {
                carriers::quality_returns(&self.tx, &o.id)?
            } else {
                0
            };
            let was = quality - i64::from(r.kind == ReturnKind::Quality);
            let mut p = self.pending.borrow_mut();
            p.touch(o);
            if let Some(c) = &o.campaign {
                p.campaign_days.insert((c.clone(), r.date.to_string()));
            }
            p.ship(o, o.amount - o.returned, was, -1);
            p.ship(o, o.amount - o.returned - r.amount, quality, 1);
            p.batch.add_return(
                &OrderKey::of(o),
                r.date,
                (&line.sku, r.quantity, r.amount.units(), r.cost.units()),
                1,
            );
            self.in_range(&mut p, &o.id)?;
            self.flush_if_full(&mut p)?;
        }
        Ok(())
    }

    /// A payment received against an order.
    pub fn pay(&self, payment: &Payment) -> Result<()> {
        self.paid_in_range(&payment.order_id, Money::ZERO, payment.amount)?;
        orders::insert_payment(&self.tx, payment)?;
        self.owe(payment, 1)
    }

    /// Replace the payment `old` (found by its reference) with `new` (a payments import).
    pub fn replace_payment(&self, old: &Payment, new: &Payment) -> Result<()> {
        let taken = if old.order_id == new.order_id {
            old.amount
        } else {
            Money::ZERO
        };
        self.paid_in_range(&new.order_id, taken, new.amount)?;
        orders::update_payment(&self.tx, old, new)?;
        self.owe(old, -1)?;
        self.owe(new, 1)
    }

    /// An order's payments, less `taken` and with `added`, must stay in the range salesops holds (an
    /// order that does not count yet is outside the book, but its paid total is kept all the same).
    fn paid_in_range(&self, id: &str, taken: Money, added: Money) -> Result<()> {
        let paid = orders::paid_of(&self.tx, id)?.unwrap_or(Money::ZERO);
        let total =
            i128::from(paid.units()) - i128::from(taken.units()) + i128::from(added.units());
        if total.abs() > i128::from(HELD.units()) {
            crate::bail_input!(
                "order {id}: its payments would add up to {}, past the {} salesops holds; nothing was written",
                grouped_units(total),
                HELD.grouped()
            );
        }
        Ok(())
    }

    /// The book (schema.sql) must stay in the range salesops holds with what was just added for
    /// order `id`: the write that would take it past is refused, and the command writes nothing.
    fn in_range(&self, p: &mut Pending, id: &str) -> Result<()> {
        let (money, quantity) = p.batch.book_totals(&self.tx)?;
        if money > i128::from(HELD.units()) {
            crate::bail_input!(
                "order {id}: the amounts, costs, returns and payments of counting orders would add up to {}, \
                 past the {} salesops holds; nothing was written",
                grouped_units(money),
                HELD.grouped()
            );
        }
        if quantity > i128::from(HELD_QUANTITY) {
            crate::bail_input!(
                "order {id}: the pieces sold and returned by counting orders would add up to {quantity}, \
                 past the {} salesops holds; nothing was written",
                grouped_units(i128::from(HELD_QUANTITY) * 10_000)
            );
        }
        Ok(())
    }

    /// Replace the order `old` (as stored; no returns) with `new` and its lines, keeping its payments
    /// (`orders import --replace`).
    pub fn replace(&self, old: &Order, new: &Order, lines: &[Line]) -> Result<()> {
        if old.status.counts() {
            self.roll(old, -1)?;
        }
        stock::take(&self.tx, old, &orders::lines(&self.tx, &old.id)?)?;
        orders::replace(&self.tx, new, lines)?;
        stock::put(&self.tx, new, lines, &mut self.pending.borrow_mut().stock)?;
        self.touch_moved(old)?;
        if new.status.counts() {
            self.roll(&self.stored(&new.id)?, 1)?;
            self.in_range(&mut self.pending.borrow_mut(), &new.id)?;
        }
        let mut p = self.pending.borrow_mut();
        Self::first_order_may_move(&mut p, &old.customer);
        Self::first_order_may_move(&mut p, &new.customer);
        Ok(())
    }

    /// Record the order `o` (as stored) in `region` (`orders reassign-regions`).
    pub fn reassign(&self, o: &Order, region: Option<&str>) -> Result<()> {
        let counting = o.status.counts();
        if counting {
            self.roll(o, -1)?;
        }
        orders::set_region(&self.tx, &o.id, region)?;
        if counting {
            self.roll(&self.stored(&o.id)?, 1)?;
        }
        Ok(())
    }

    /// A new product with its first prices: no line refers to it yet, so no figure changes.
    pub fn add_product(&self, product: &Product, first: &Price) -> Result<()> {
        products::insert(&self.tx, product)?;
        products::set_price(&self.tx, &product.sku, &first.effective, first)?;
        self.pending.borrow_mut().batch.forget_prices(&product.sku);
        Ok(())
    }

    /// New prices of `sku` from `price.effective`: the price marks of the lines they are in force for
    /// are recomputed when the ledger settles, once for all the changes of a transaction.
    pub fn reprice(&self, sku: &str, price: &Price) -> Result<()> {
        let from = NaiveDate::parse_from_str(&price.effective, "%Y-%m-%d")
            .with_context(|| format!("the price date \"{}\"", price.effective))?;
        products::set_price(&self.tx, sku, &price.effective, price)?;
        let mut p = self.pending.borrow_mut();
        p.batch.forget_prices(sku);
        p.repriced.add(sku, from);
        Ok(())
    }

    /// A customer's new tier. The figures gathered so far are written first: the tier trigger moves the
    /// customer's months between tiers from what the tables hold.
    pub fn set_tier(&self, customer: &str, tier: Tier) -> Result<()> {
        let mut p = self.pending.borrow_mut();
        p.flush(&self.tx)?;
        customers::set_tier(&self.tx, customer, tier)?;
        p.batch.forget_tier(customer);
        Ok(())
    }

    /// The order as stored now.
    fn stored(&self, id: &str) -> Result<Order> {
        orders::get(&self.tx, id)?.with_context(|| format!("no order \"{id}\""))
    }

    /// Add (1) or take away (−1) a counting order with its returns and payments.
    fn roll(&self, o: &Order, sign: i64) -> Result<()> {
        let lines = orders::lines(&self.tx, &o.id)?;
        let returns = orders::return_figures(&self.tx, &o.id)?;
        let payments = orders::payments(&self.tx, None, Some(&o.id))?;
        let mut p = self.pending.borrow_mut();
        let key = OrderKey::of(o);
        p.batch.add_order(&key, &lines, sign);
        for (date, sku, q, a, c) in &returns {
            p.batch.add_return(&key, date, (sku, *q, *a, *c), sign);
        }
        for pay in &payments {
            p.batch
                .add_payment(&o.due_date, &o.order_date, &pay.date, pay.amount, sign);
        }
        self.flush_if_full(&mut p)
    }

    /// Record a payment (1) or take it away (−1) in the receivables of its order, when the order
    /// counts (a payment of one that does not is added with the order when it starts counting).
    fn owe(&self, payment: &Payment, sign: i64) -> Result<()> {
        let order = orders::owed_on(&self.tx, &payment.order_id)?;
        let Some((due, ordered, _)) = order.filter(|o| o.2.counts()) else {
            return Ok(());
        };
        let mut p = self.pending.borrow_mut();
        p.batch
            .add_payment(&due, &ordered, &payment.date, payment.amount, sign);
        if sign > 0 {
            self.in_range(&mut p, &payment.order_id)?;
        }
        self.flush_if_full(&mut p)
    }
}
