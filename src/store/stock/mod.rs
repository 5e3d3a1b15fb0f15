//! Stock moves and the two stock rollups: `stock_monthly` (moves by warehouse × SKU ×
//! month × kind) and `stock_reserved` (units of confirmed, unshipped orders by warehouse × SKU).
//! The writes of moves and reservations are private to `store`: `Ledger` makes them, so an order
//! recorded, moved along its flow, replaced or returned keeps stock true in its own transaction.

use std::collections::BTreeMap;

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::order::{Line, Order};
use crate::domain::stock::Level;
use crate::domain::values::{MoveKind, OrderStatus};

mod periods;

pub use periods::{closing_units, flows, next_day, totals_before, warehouse_flows, whole_months};

/// A move to write (through the ledger).
#[derive(Debug, Clone)]
pub struct NewMove<'a> {
    pub date: &'a str,
    pub warehouse: &'a str,
    pub sku: &'a str,
    pub quantity: i64,
    pub kind: MoveKind,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A stored move.
#[derive(Debug, Clone)]
pub struct StockMove {
    pub id: i64,
    pub date: String,
    pub warehouse: String,
    pub sku: String,
    pub quantity: i64,
    pub kind: MoveKind,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Insert a move and keep its month of `stock_monthly` with it.
pub(super) fn insert_move(conn: &Connection, m: &NewMove) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stock_moves (date, warehouse, sku, quantity, kind, reference, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        m.date,
        m.warehouse,
        m.sku,
        m.quantity,
        m.kind,
        m.reference,
        m.note
    ])?;
    roll(conn, m.warehouse, m.sku, m.date, m.kind, m.quantity)
}

fn roll(
    conn: &Connection,
    warehouse: &str,
    sku: &str,
    date: &str,
    kind: MoveKind,
    quantity: i64,
) -> Result<()> {
    let month = date.get(..7).unwrap_or(date);
    conn.prepare_cached(
        "INSERT INTO stock_monthly (warehouse, sku, month, kind, quantity) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (warehouse, sku, month, kind) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?
    .execute(params![warehouse, sku, month, kind, quantity])?;
    conn.prepare_cached(
        "INSERT INTO stock_totals (warehouse, sku, kind, quantity) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (warehouse, sku, kind) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?
    .execute(params![warehouse, sku, kind, quantity])?;
    super::rollup::add_warehouse(conn, warehouse, month, kind, quantity)
}

/// The moves of `kind` an order made (its shipment, its restocked returns).
fn order_moves(conn: &Connection, order_id: &str, kind: MoveKind) -> Result<Vec<StockMove>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MOVE_COLUMNS} FROM stock_moves WHERE reference = ?1 AND kind = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![order_id, kind], row_to_move)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn delete_move(conn: &Connection, m: &StockMove) -> Result<()> {
    conn.prepare_cached("DELETE FROM stock_moves WHERE id = ?1")?
        .execute([m.id])?;
    roll(conn, &m.warehouse, &m.sku, &m.date, m.kind, -m.quantity)
}

fn reserve(conn: &Connection, warehouse: &str, sku: &str, quantity: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stock_reserved (warehouse, sku, quantity) VALUES (?1, ?2, ?3)
         ON CONFLICT (warehouse, sku) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?
    .execute(params![warehouse, sku, quantity])?;
    Ok(())
}

/// What an order does to stock in its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Nothing,
    /// Confirmed: its units are reserved.
    Reserved,
    /// Shipped (or delivered, completed): its units left in `ship` moves.
    Shipped,
}

/// The warehouse whose stock an order touches: its own, when it was open on the order date.
pub fn stocked_warehouse(conn: &Connection, o: &Order) -> Result<Option<String>> {
    let Some(w) = &o.warehouse else {
        return Ok(None);
    };
    Ok(opened(conn, w)?
        .filter(|opened| opened.as_str() <= o.order_date.as_str())
        .map(|_| w.clone()))
}

/// The date a warehouse opened (None: no such warehouse).
pub(super) fn opened(conn: &Connection, warehouse: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT opened FROM warehouses WHERE code = ?1")?
        .query_row([warehouse], |r| r.get(0))
        .optional()?)
}

fn hold(status: OrderStatus) -> Hold {
    match status {
        OrderStatus::Confirmed => Hold::Reserved,
        OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Completed => Hold::Shipped,
        OrderStatus::PendingApproval | OrderStatus::Cancelled => Hold::Nothing,
    }
}

/// The order `o` with `lines` starts holding stock: reserved while confirmed, shipped (moves dated
/// its ship date, else its order date) once it is shipped. The shipment's moves are written at once,
/// up to eight in a statement; their sums wait in `batch` for the ledger's next flush.
pub(super) fn put(
    conn: &Connection,
    o: &Order,
    lines: &[Line],
    batch: &mut super::rollup::StockBatch,
) -> Result<()> {
    let Some(w) = &o.warehouse else {
        return Ok(());
    };
    let open = batch
        .opened(conn, w)?
        .is_some_and(|opened| opened.as_str() <= o.order_date.as_str());
    if !open {
        return Ok(());
    }
    match hold(o.status) {
        Hold::Nothing => {}
        Hold::Reserved => {
            for l in lines {
                reserve(conn, w, &l.sku, l.quantity)?;
            }
        }
        Hold::Shipped => {
            let date = o.ship_date.as_deref().unwrap_or(&o.order_date);
            insert_shipment(conn, date, w, &o.id, lines)?;
            for l in lines {
                batch.add(w, &l.sku, date, MoveKind::Ship, -l.quantity);
            }
        }
    }
    Ok(())
}

/// The `ship` moves of an order's lines, up to eight rows in a statement (as the lines are).
fn insert_shipment(
    conn: &Connection,
    date: &str,
    warehouse: &str,
    order_id: &str,
    lines: &[Line],
) -> Result<()> {
    const COLUMNS: usize = 5;
    for chunk in lines.chunks(8) {
        let mut stmt = conn.prepare_cached(shipment_sql(chunk.len()))?;
        let quantities: Vec<i64> = chunk.iter().map(|l| -l.quantity).collect();
        let mut values: Vec<&dyn crate::store::sql::ToSql> =
            Vec::with_capacity(chunk.len() * COLUMNS);
        for (l, q) in chunk.iter().zip(&quantities) {
            values.extend_from_slice(&[
                &date as &dyn crate::store::sql::ToSql,
                &warehouse,
                &l.sku,
                q,
                &order_id,
            ]);
        }
        stmt.execute(values.as_slice())?;
    }
    Ok(())
}

/// The statement inserting `n` (1 to 8) ship moves, built once per size.
fn shipment_sql(n: usize) -> &'static str {
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        (1..=8)
            .map(|n| {
                let rows: Vec<String> = (0..n)
                    .map(|i| {
                        let k = i * 5;
                        format!(
                            "(?{}, ?{}, ?{}, ?{}, 'ship', ?{})",
                            k + 1,
                            k + 2,
                            k + 3,
                            k + 4,
                            k + 5
                        )
                    })
                    .collect();
                format!(
                    "INSERT INTO stock_moves (date, warehouse, sku, quantity, kind, reference) VALUES {}",
                    rows.join(", ")
                )
            })
            .collect()
    });
    &all[n.clamp(1, 8) - 1]
}

/// The order `o` (as it was) with `lines` stops holding stock: its reservation is released, or its
/// shipment taken back (an order replaced by a corrected one).
pub(super) fn take(conn: &Connection, o: &Order, lines: &[Line]) -> Result<()> {
    let Some(w) = stocked_warehouse(conn, o)? else {
        return Ok(());
    };
    match hold(o.status) {
        Hold::Nothing => {}
        Hold::Reserved => {
            for l in lines {
                reserve(conn, &w, &l.sku, -l.quantity)?;
            }
        }
        Hold::Shipped => {
            for m in order_moves(conn, &o.id, MoveKind::Ship)? {
                delete_move(conn, &m)?;
            }
        }
    }
    Ok(())
}

/// Whether moving from `before` to `after` changes what an order holds.
pub(super) fn hold_changes(before: OrderStatus, after: OrderStatus) -> bool {
    hold(before) != hold(after)
}

/// A corrected ship date moves the order's shipment with it.
pub(super) fn redate_shipment(conn: &Connection, order_id: &str, date: &str) -> Result<()> {
    for m in order_moves(conn, order_id, MoveKind::Ship)? {
        if m.date != date {
            delete_move(conn, &m)?;
            insert_move(
                conn,
                &NewMove {
                    date,
                    warehouse: &m.warehouse,
                    sku: &m.sku,
                    quantity: m.quantity,
                    kind: m.kind,
                    reference: m.reference.as_deref(),
                    note: m.note.as_deref(),
                },
            )?;
        }
    }
    Ok(())
}

/// Returned goods back on the shelf of the warehouse the order shipped from (nothing when the order
/// never touched stock).
pub(super) fn restock(
    conn: &Connection,
    o: &Order,
    sku: &str,
    quantity: i64,
    date: &str,
) -> Result<()> {
    let Some(w) = stocked_warehouse(conn, o)? else {
        return Ok(());
    };
    insert_move(
        conn,
        &NewMove {
            date,
            warehouse: &w,
            sku,
            quantity,
            kind: MoveKind::Return,
            reference: Some(&o.id),
            note: None,
        },
    )
}

const MOVE_COLUMNS: &str = "id, date, warehouse, sku, quantity, kind, reference, note";

fn row_to_move(r: &crate::store::sql::Row) -> crate::store::sql::Result<StockMove> {
    Ok(StockMove {
        id: r.get(0)?,
        date: r.get(1)?,
        warehouse: r.get(2)?,
        sku: r.get(3)?,
        quantity: r.get(4)?,
        kind: r.get(5)?,
        reference: r.get(6)?,
        note: r.get(7)?,
    })
}

/// What `stock moves` selects.
#[derive(Debug, Default)]
pub struct MoveFilter {
    pub warehouse: Option<String>,
    pub sku: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<MoveKind>,
}

/// Moves in date order (then the order they were written in).
pub fn moves(conn: &Connection, f: &MoveFilter) -> Result<Vec<StockMove>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MOVE_COLUMNS} FROM stock_moves
         WHERE (?1 IS NULL OR warehouse = ?1) AND (?2 IS NULL OR sku = ?2)
           AND (?3 IS NULL OR date >= ?3) AND (?4 IS NULL OR date <= ?4) AND (?5 IS NULL OR kind = ?5)
         ORDER BY date, id"
    ))?;
    let rows = stmt.query_map(
        params![
            f.warehouse,
            f.sku,
            f.from.map(|d| d.to_string()),
            f.to.map(|d| d.to_string()),
            f.kind
        ],
        row_to_move,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A move exactly as a file gives it exists already (an import run twice adds nothing).
pub fn move_exists(conn: &Connection, m: &NewMove) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM stock_moves WHERE date = ?1 AND warehouse = ?2 AND sku = ?3 AND quantity = ?4
             AND kind = ?5 AND reference IS ?6 AND note IS ?7 LIMIT 1",
        )?
        .query_row(
            params![
                m.date,
                m.warehouse,
                m.sku,
                m.quantity,
                m.kind,
                m.reference,
                m.note
            ],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// One row of `stock list`: a SKU at a warehouse with moves, a reservation or a reorder point.
#[derive(Debug, Clone)]
pub struct Item {
    pub warehouse: String,
    pub sku: String,
    pub name: String,
    pub level: Level,
    pub reorder_at: Option<i64>,
}

/// Every SKU at every warehouse that has stock figures, as of `today`, in (warehouse, sku) order.
pub fn items(conn: &Connection, today: NaiveDate) -> Result<Vec<Item>> {
    let mut levels: BTreeMap<(String, String), (Level, Option<i64>)> = BTreeMap::new();
    for ((w, sku, _), q) in totals_before(conn, next_day(today))? {
        levels.entry((w, sku)).or_default().0.on_hand += q;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT warehouse, sku, quantity FROM stock_reserved WHERE quantity <> 0",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?)))? {
        let (w, sku, q) = row?;
        levels.entry((w, sku)).or_default().0.reserved += q;
    }
    let mut stmt = conn.prepare_cached("SELECT warehouse, sku, reorder_at FROM stock_reorder")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?)))? {
        let (w, sku, n) = row?;
        levels.entry((w, sku)).or_default().1 = Some(n);
    }
    let mut out = Vec::with_capacity(levels.len());
    for ((warehouse, sku), (level, reorder_at)) in levels {
        let name = super::products::get(conn, &sku)?
            .map(|p| p.name)
            .unwrap_or_default();
        out.push(Item {
            warehouse,
            sku,
            name,
            level,
            reorder_at,
        });
    }
    Ok(out)
}

/// Whether a warehouse keeps a count of a SKU: it has received, counted or transferred some there.
/// Shipments and returns of a SKU the warehouse has never counted say nothing of how many it holds.
pub fn counted(conn: &Connection, warehouse: &str, sku: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM stock_monthly WHERE warehouse = ?1 AND sku = ?2
                            AND kind IN ('receive', 'adjust', 'transfer'))",
        )?
        .query_row([warehouse, sku], |r| r.get(0))?)
}

/// One SKU at one warehouse as of `today`: units on hand and reserved. Read inside the writing
/// transaction, it is what no other writer can change before this one commits.
pub fn level(conn: &Connection, warehouse: &str, sku: &str, today: NaiveDate) -> Result<Level> {
    let month = today.format("%Y-%m").to_string();
    let month_start = format!("{month}-01");
    let earlier: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_monthly
             WHERE warehouse = ?1 AND sku = ?2 AND month < ?3",
        )?
        .query_row(params![warehouse, sku, month], |r| r.get(0))?;
    let this_month: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_moves
             WHERE warehouse = ?1 AND sku = ?2 AND date >= ?3 AND date <= ?4",
        )?
        .query_row(
            params![warehouse, sku, month_start, today.to_string()],
            |r| r.get(0),
        )?;
    let reserved: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_reserved WHERE warehouse = ?1 AND sku = ?2",
        )?
        .query_row(params![warehouse, sku], |r| r.get(0))?;
    Ok(Level {
        on_hand: earlier + this_month,
        reserved,
    })
}

/// Set (Some) or clear (None) the reorder point of a SKU at a warehouse.
pub fn set_reorder(conn: &Connection, warehouse: &str, sku: &str, at: Option<i64>) -> Result<()> {
    match at {
        Some(n) => conn
            .prepare_cached(
                "INSERT INTO stock_reorder (warehouse, sku, reorder_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (warehouse, sku) DO UPDATE SET reorder_at = excluded.reorder_at",
            )?
            .execute(params![warehouse, sku, n])?,
        None => conn
            .prepare_cached("DELETE FROM stock_reorder WHERE warehouse = ?1 AND sku = ?2")?
            .execute(params![warehouse, sku])?,
    };
    Ok(())
}

/// `db check`'s comparisons of the stock rollups with the moves and orders they summarise: (table,
/// truth, kept, key), for `rollup::verify`.
pub fn rollup_checks() -> Vec<(&'static str, String, String, String)> {
    vec![
        (
            "stock_totals",
            "SELECT warehouse, sku, kind, SUM(quantity) FROM stock_moves
             GROUP BY 1, 2, 3 HAVING SUM(quantity) <> 0"
                .to_string(),
            "SELECT warehouse, sku, kind, quantity FROM stock_totals WHERE quantity <> 0".to_string(),
            "warehouse || ' ' || sku || ' ' || kind".to_string(),
        ),
        (
            "stock_monthly",
            "SELECT warehouse, sku, substr(date, 1, 7) AS month, kind, SUM(quantity) FROM stock_moves
             GROUP BY 1, 2, 3, 4 HAVING SUM(quantity) <> 0"
                .to_string(),
            "SELECT warehouse, sku, month, kind, quantity FROM stock_monthly WHERE quantity <> 0"
                .to_string(),
            "warehouse || ' ' || sku || ' ' || month || ' ' || kind".to_string(),
        ),
        (
            "stock_warehouse_monthly",
            "SELECT warehouse, substr(date, 1, 7) AS month, kind, SUM(quantity) FROM stock_moves
             GROUP BY 1, 2, 3 HAVING SUM(quantity) <> 0"
                .to_string(),
            "SELECT warehouse, month, kind, quantity FROM stock_warehouse_monthly WHERE quantity <> 0"
                .to_string(),
            "warehouse || ' ' || month || ' ' || kind".to_string(),
        ),
        (
            "stock_reserved",
            "SELECT o.warehouse AS warehouse, l.sku AS sku, SUM(l.quantity) FROM order_lines l
             JOIN orders o ON o.id = l.order_id JOIN warehouses w ON w.code = o.warehouse
             WHERE o.status = 'confirmed' AND o.order_date >= w.opened
             GROUP BY 1, 2 HAVING SUM(l.quantity) <> 0"
                .to_string(),
            "SELECT warehouse, sku, quantity FROM stock_reserved WHERE quantity <> 0".to_string(),
            "warehouse || ' ' || sku".to_string(),
        ),
        // Every shipped order that touches stock left its units in `ship` moves, and no other
        // `ship` move exists.
        (
            "stock_moves",
            "SELECT o.id AS reference, o.warehouse AS warehouse, l.sku AS sku, -SUM(l.quantity)
             FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN warehouses w ON w.code = o.warehouse
             WHERE o.status IN ('shipped', 'delivered', 'completed') AND o.order_date >= w.opened
             GROUP BY 1, 2, 3"
                .to_string(),
            "SELECT reference, warehouse, sku, SUM(quantity) FROM stock_moves WHERE kind = 'ship'
             GROUP BY 1, 2, 3"
                .to_string(),
            "'ship ' || reference || ' ' || sku".to_string(),
        ),
    ]
}
