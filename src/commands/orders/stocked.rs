//! The stock rules of the order flow: an order becoming confirmed is checked against what its
//! warehouse has available (`stock.shortage`: warn or refuse), and a shipment against what is on
//! hand (always refused when short). Both read inside the command's write transaction, which holds
//! the write lock, so two commands can never both take the last units.
//!
//! Only SKUs the warehouse keeps a count of are checked (it has received, counted or transferred
//! some): of a SKU it never counted salesops knows nothing to be short against. Such a line is
//! recorded and shipped, its move made, and `stock check` shows the warehouse below zero until a
//! receipt or a stock-take puts the count right.

use anyhow::Result;

use crate::context::Context;
use crate::domain::order::{Line, Order};
use crate::domain::policy::Shortage;
use crate::domain::stock::{needs, shortfalls, Shortfall};
use crate::store::{self, Conn};

/// What `o` would need beyond what its warehouse has (`on_hand` for a shipment, else available).
fn short(
    ctx: &Context,
    conn: &Conn,
    o: &Order,
    lines: &[Line],
    on_hand: bool,
) -> Result<Vec<Shortfall>> {
    let Some(w) = store::stock::stocked_warehouse(conn, o)? else {
        return Ok(Vec::new());
    };
    let mut need = needs(lines.iter().map(|l| (l.sku.as_str(), l.quantity)));
    let mut uncounted = Vec::new();
    for sku in need.keys() {
        if !store::stock::counted(conn, &w, sku)? {
            uncounted.push(sku.clone());
        }
    }
    for sku in &uncounted {
        need.remove(sku);
    }
    let mut levels = Vec::new();
    for sku in need.keys() {
        levels.push(store::stock::level(conn, &w, sku, ctx.today)?);
    }
    let mut at = levels.into_iter();
    Ok(shortfalls(&w, &need, |_| {
        at.next()
            .map(|l| if on_hand { l.on_hand } else { l.available() })
            .unwrap_or(0)
    }))
}

/// An order becoming confirmed: under `allow` a shortfall is a warning on stderr, under `refuse`
/// the command is refused (exit 3) and nothing is written.
pub fn confirm(
    ctx: &Context,
    conn: &Conn,
    o: &Order,
    lines: &[Line],
    policy: Shortage,
) -> Result<()> {
    let found = short(ctx, conn, o, lines, false)?;
    if found.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = found.iter().map(|f| f.describe("available")).collect();
    match policy {
        Shortage::Refuse => crate::bail_input!(
            "order {} is short of stock: {} (policy stock.shortage is refuse); nothing was written",
            o.id,
            list.join("; ")
        ),
        Shortage::Allow => {
            ctx.note(&format!(
                "warning: order {} is short of stock: {}",
                o.id,
                list.join("; ")
            ));
            Ok(())
        }
    }
}

/// A shipment needs the units on hand: refused (exit 3) naming what is short.
pub fn ship(ctx: &Context, conn: &Conn, o: &Order, lines: &[Line]) -> Result<()> {
    let found = short(ctx, conn, o, lines, true)?;
    if found.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = found.iter().map(|f| f.describe("on hand")).collect();
    crate::bail_input!(
        "order {} cannot ship: {}; nothing was written",
        o.id,
        list.join("; ")
    )
}
