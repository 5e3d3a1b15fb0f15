//! The stock rollups as a batch, and what the report reads of them per warehouse.
//!
//! An order's shipment is one move per line, and each move changes three rollups (`stock_monthly`,
//! `stock_totals`, `stock_warehouse_monthly`). Written one move at a time that is three upserts per
//! line, most of an import's stock cost; gathered here, they are one upsert per distinct key each
//! time the ledger flushes. Moves themselves are written at once (a later write of the same
//! transaction reads them back by reference), so only the sums wait.

use std::collections::HashMap;

use crate::store::sql::{params, Connection};
use anyhow::Result;

use crate::domain::values::MoveKind;
use crate::hash::Fx;

/// (warehouse, sku, month, kind), interned.
type Key = (u32, u32, u32, MoveKind);

#[derive(Default)]
pub(in crate::store) struct StockBatch {
    names: super::Interner,
    deltas: HashMap<Key, i64, Fx>,
    /// Each warehouse's opening date, read once per transaction (`None`: no such warehouse).
    opened: HashMap<String, Option<String>, Fx>,
}

impl StockBatch {
    /// A move of `quantity` units of `sku` at `warehouse` dated `date`, to add to the rollups.
    pub(in crate::store) fn add(
        &mut self,
        warehouse: &str,
        sku: &str,
        date: &str,
        kind: MoveKind,
        quantity: i64,
    ) {
        let month = date.get(..7).unwrap_or(date);
        let n = &mut self.names;
        let key = (n.id(warehouse), n.id(sku), n.id(month), kind);
        *self.deltas.entry(key).or_default() += quantity;
    }

    pub(in crate::store) fn len(&self) -> usize {
        self.deltas.len()
    }

    /// The opening date of `warehouse`, cached: an import asks once per order.
    pub(in crate::store) fn opened(
        &mut self,
        conn: &Connection,
        warehouse: &str,
    ) -> Result<Option<String>> {
        if let Some(o) = self.opened.get(warehouse) {
            return Ok(o.clone());
        }
        let o = super::super::stock::opened(conn, warehouse)?;
        self.opened.insert(warehouse.to_string(), o.clone());
        Ok(o)
    }

    /// Write the gathered sums, in key order (the upserts walk each B-tree forwards), and start empty.
    pub(in crate::store) fn flush(&mut self, conn: &Connection) -> Result<()> {
        if self.deltas.is_empty() {
            return Ok(());
        }
        let n = &self.names;
        let mut entries: Vec<(Key, i64)> = self.deltas.drain().filter(|e| e.1 != 0).collect();
        let name = |id: u32| n.name(id);
        entries.sort_unstable_by(|(a, _), (b, _)| {
            let key = |k: &Key| (name(k.0), name(k.1), name(k.2), k.3.as_str());
            key(a).cmp(&key(b))
        });
        let mut monthly = conn.prepare_cached(
            "INSERT INTO stock_monthly (warehouse, sku, month, kind, quantity) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (warehouse, sku, month, kind) DO UPDATE SET quantity = quantity + excluded.quantity",
        )?;
        let mut totals: HashMap<(u32, u32, MoveKind), i64, Fx> = HashMap::default();
        let mut by_warehouse: HashMap<(u32, u32, MoveKind), i64, Fx> = HashMap::default();
        for ((w, sku, month, kind), q) in &entries {
            monthly.execute(params![n.name(*w), n.name(*sku), n.name(*month), kind, q])?;
            *totals.entry((*w, *sku, *kind)).or_default() += q;
            *by_warehouse.entry((*w, *month, *kind)).or_default() += q;
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO stock_totals (warehouse, sku, kind, quantity) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (warehouse, sku, kind) DO UPDATE SET quantity = quantity + excluded.quantity",
        )?;
        let mut totals: Vec<_> = totals.into_iter().filter(|e| e.1 != 0).collect();
        totals.sort_unstable_by(|(a, _), (b, _)| {
            let key = |k: &(u32, u32, MoveKind)| (name(k.0), name(k.1), k.2.as_str());
            key(a).cmp(&key(b))
        });
        for ((w, sku, kind), q) in totals {
            stmt.execute(params![n.name(w), n.name(sku), kind, q])?;
        }
        for ((w, month, kind), q) in by_warehouse {
            if q != 0 {
                add_warehouse(conn, n.name(w), n.name(month), kind, q)?;
            }
        }
        Ok(())
    }
}

/// Add to the per-warehouse rollup (also for a move written on its own).
pub(in crate::store) fn add_warehouse(
    conn: &Connection,
    warehouse: &str,
    month: &str,
    kind: MoveKind,
    quantity: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stock_warehouse_monthly (warehouse, month, kind, quantity) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (warehouse, month, kind) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?
    .execute(params![warehouse, month, kind, quantity])?;
    Ok(())
}

/// Per warehouse, the units before the whole months `first..=last` ("YYYY-MM") and those each kind
/// moved in them: a few rows per warehouse and month, whatever the number of SKUs.
pub fn warehouse_flows(
    conn: &Connection,
    first: &str,
    last: &str,
) -> Result<HashMap<String, crate::domain::stock::Flow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT warehouse, kind,
                SUM(CASE WHEN month < ?1 THEN quantity ELSE 0 END),
                SUM(CASE WHEN month BETWEEN ?1 AND ?2 THEN quantity ELSE 0 END)
         FROM stock_warehouse_monthly WHERE month <= ?2 GROUP BY warehouse, kind",
    )?;
    let mut rows = stmt.query(params![first, last])?;
    let mut out: HashMap<String, crate::domain::stock::Flow> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (w, kind, before, moved): (String, MoveKind, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let f = out.entry(w).or_default();
        f.opening += before;
        f.add(kind, moved);
    }
    Ok(out)
}

/// The units of every SKU at every warehouse at the end of the month `last` ("YYYY-MM"), in
/// (warehouse, SKU) order, passed to `each`: every move (`stock_totals`) less the months after
/// `last`, read through the month index (nothing, for the latest month).
pub fn closing_units(
    conn: &Connection,
    last: &str,
    mut each: impl FnMut(&str, &str, i64) -> Result<()>,
) -> Result<()> {
    let mut after: HashMap<(String, String), i64> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        // Named, or SQLite walks the whole table in its key order to save sorting the few rows.
        "SELECT warehouse, sku, SUM(quantity) FROM stock_monthly INDEXED BY stock_monthly_month
         WHERE month > ?1 GROUP BY warehouse, sku",
    )?;
    let mut rows = stmt.query([last])?;
    while let Some(r) = rows.next()? {
        after.insert((r.get(0)?, r.get(1)?), r.get(2)?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT warehouse, sku, SUM(quantity) FROM stock_totals GROUP BY warehouse, sku",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let w = r.get_ref(0)?.as_str()?;
        let sku = r.get_ref(1)?.as_str()?;
        let mut q: i64 = r.get(2)?;
        if !after.is_empty() {
            q -= after
                .get(&(w.to_string(), sku.to_string()))
                .copied()
                .unwrap_or(0);
        }
        each(w, sku, q)?;
    }
    Ok(())
}
