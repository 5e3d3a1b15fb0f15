//! Carriers, and the `carrier_daily` rollup of counting shipped orders per carrier text, ship date and
//! delivery days. The ledger takes each order out of it as it was and puts it back as it is (`part`)
//! in the transaction of every write; `db check` recomputes the whole rollup (`truth`).

use std::collections::BTreeMap;

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;

use chrono::NaiveDate;

use crate::domain::carrier::{Carrier, Figures, IN_TRANSIT, UNDATED};
use crate::domain::money::Money;
use crate::domain::order::Order;
use crate::domain::values::OrderStatus;
use crate::store::types::COUNTING_SQL;

fn row_to_carrier(r: &crate::store::sql::Row) -> crate::store::sql::Result<Carrier> {
    Ok(Carrier {
        code: r.get(0)?,
        name: r.get(1)?,
        promise_days: r.get(2)?,
    })
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Carrier>> {
    Ok(conn
        .prepare_cached("SELECT code, name, promise_days FROM carriers WHERE code = ?1")?
        .query_row([code], row_to_carrier)
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Carrier>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, name, promise_days FROM carriers ORDER BY code")?;
    let rows = stmt.query_map([], row_to_carrier)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The carrier a person names on the command line: by its code, else by its exact name; a name two
/// carriers share is invalid input naming both (`lookup::find`).
pub fn find(conn: &Connection, text: &str) -> Result<Option<Carrier>> {
    match super::lookup::find(conn, super::lookup::Kind::Carrier, text)? {
        Some(code) => get(conn, &code),
        None => Ok(None),
    }
}

pub fn insert(conn: &Connection, c: &Carrier) -> Result<()> {
    conn.prepare_cached("INSERT INTO carriers (code, name, promise_days) VALUES (?1, ?2, ?3)")?
        .execute(params![c.code, c.name, c.promise_days])?;
    Ok(())
}

pub fn update(conn: &Connection, c: &Carrier) -> Result<()> {
    conn.prepare_cached("UPDATE carriers SET name = ?2, promise_days = ?3 WHERE code = ?1")?
        .execute(params![c.code, c.name, c.promise_days])?;
    Ok(())
}

pub fn delete(conn: &Connection, code: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM carriers WHERE code = ?1")?
        .execute([code])?;
    Ok(())
}

/// The carrier an order's carrier text stands for: its code or name, ignoring case and surrounding
/// spaces. Texts no carrier matches stand for themselves.
pub fn matches(c: &Carrier, text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t == c.code.to_lowercase() || t == c.name.to_lowercase()
}

/// The orders shipped with a carrier, described for a refused `remove`.
pub fn referrers(conn: &Connection, c: &Carrier) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM orders WHERE ship_date IS NOT NULL AND carrier IS NOT NULL
             AND (lower(trim(carrier)) = lower(?1) OR lower(trim(carrier)) = lower(?2)) ORDER BY id",
    )?;
    let keys: Vec<String> = stmt
        .query_map(params![c.code, c.name], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(if keys.is_empty() {
        Vec::new()
    } else {
        vec![super::regions::describe_refs("order", &keys)]
    })
}

/// What `carrier_daily` holds, from the orders and returns: per carrier text (as written on the
/// order, '' for none), ship date and delivery days (IN_TRANSIT while shipped and not delivered,
/// UNDATED when delivered or completed without a delivery date), the counting orders, their freight,
/// their amount less all their returns, and their returns of kind quality. `db check` compares the
/// rollup with it; `part` is the same for one order.
pub(in crate::store) fn truth() -> String {
    format!(
        "SELECT COALESCE(o.carrier, '') AS carrier, o.ship_date,
                CASE WHEN o.delivered_date IS NOT NULL
                     THEN CAST(julianday(o.delivered_date) - julianday(o.ship_date) AS INTEGER)
                     WHEN o.status = 'shipped' THEN {IN_TRANSIT} ELSE {UNDATED} END AS days,
                COUNT(*) AS shipments, SUM(COALESCE(o.freight, 0)) AS freight,
                SUM(o.amount - o.returned) AS net_revenue,
                SUM((SELECT COUNT(*) FROM returns r WHERE r.order_id = o.id AND r.kind = 'quality'))
                    AS quality_returns
         FROM orders o WHERE o.ship_date IS NOT NULL AND {COUNTING_SQL}
         GROUP BY 1, 2, 3"
    )
}

/// A row of `carrier_daily`: (carrier text, ship date, delivery days).
pub(in crate::store) type Key = (String, String, i64);
/// Its figures: shipments, freight, net revenue (money in 1e-4 units), quality returns.
pub(in crate::store) type Part = [i64; 4];

/// The row a counting shipped order `o` is in, and what it adds to it, given its amount less its
/// returns (`net`) and its quality returns. None for an order not shipped or not counting.
pub(in crate::store) fn part(o: &Order, net: Money, quality: i64) -> Option<(Key, Part)> {
    let shipped = o.ship_date.as_ref().filter(|_| o.status.counts())?;
    let days = match (&o.delivered_date, o.status) {
        (Some(d), _) => {
            let on = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
            match (on(shipped), on(d)) {
                (Some(a), Some(b)) => (b - a).num_days(),
                _ => UNDATED,
            }
        }
        (None, OrderStatus::Shipped) => IN_TRANSIT,
        (None, _) => UNDATED,
    };
    let freight = o.freight.unwrap_or(Money::ZERO).units();
    Some((
        (o.carrier.clone().unwrap_or_default(), shipped.clone(), days),
        [1, freight, net.units(), quality],
    ))
}

/// An order's returns of kind quality.
pub(in crate::store) fn quality_returns(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM returns WHERE order_id = ?1 AND kind = 'quality'")?
        .query_row([id], |r| r.get(0))?)
}

/// Add a change to a row of the rollup (the ledger, when it settles); a row that comes to nothing
/// goes.
pub(in crate::store) fn add_part(conn: &Connection, key: &Key, d: Part) -> Result<()> {
    if d == [0; 4] {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO carrier_daily (carrier, ship_date, days, shipments, freight, net_revenue, quality_returns)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (carrier, ship_date, days) DO UPDATE SET shipments = shipments + excluded.shipments,
             freight = freight + excluded.freight, net_revenue = net_revenue + excluded.net_revenue,
             quality_returns = quality_returns + excluded.quality_returns",
    )?
    .execute(params![key.0, key.1, key.2, d[0], d[1], d[2], d[3]])?;
    conn.prepare_cached(
        "DELETE FROM carrier_daily WHERE carrier = ?1 AND ship_date = ?2 AND days = ?3
             AND shipments = 0 AND freight = 0 AND net_revenue = 0 AND quality_returns = 0",
    )?
    .execute(params![key.0, key.1, key.2])?;
    Ok(())
}

/// A row of a carrier report: the carrier (None for shipments whose carrier text no carrier matches,
/// shown under that text), and its figures.
pub struct ReportRow {
    pub key: String,
    pub carrier: Option<Carrier>,
    pub figures: Figures,
}

/// The shipments of `start..=end` (by ship date) per carrier: texts matching a carrier's code or name
/// (ignoring case) are that carrier's, judged by its promise; other texts are reported under
/// themselves with `default_promise`.
pub fn report(
    conn: &Connection,
    start: &str,
    end: &str,
    default_promise: i64,
) -> Result<Vec<ReportRow>> {
    let carriers = list(conn)?;
    let mut rows: BTreeMap<String, ReportRow> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT carrier, days, SUM(shipments), SUM(freight), SUM(net_revenue), SUM(quality_returns)
         FROM carrier_daily WHERE ship_date BETWEEN ?1 AND ?2 GROUP BY carrier, days ORDER BY carrier, days",
    )?;
    let mut q = stmt.query(params![start, end])?;
    while let Some(r) = q.next()? {
        let text: String = r.get(0)?;
        let carrier = carriers.iter().find(|c| matches(c, &text));
        let key = carrier.map_or_else(|| text.trim().to_string(), |c| c.code.clone());
        let promise = carrier.map_or(default_promise, |c| c.promise_days);
        let row = rows.entry(key.clone()).or_insert_with(|| ReportRow {
            key,
            carrier: carrier.cloned(),
            figures: Figures::default(),
        });
        let f = &mut row.figures;
        f.add_row(r.get(1)?, r.get(2)?, promise);
        f.freight += r.get::<_, Money>(3)?;
        f.net_revenue += r.get::<_, Money>(4)?;
        f.quality_returns += r.get::<_, i64>(5)?;
    }
    Ok(rows.into_values().collect())
}

/// Shipped orders not delivered: (order id, carrier text, ship date), oldest first.
pub fn in_transit(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.id, COALESCE(o.carrier, ''), o.ship_date FROM orders o
         WHERE o.status = 'shipped' AND o.ship_date IS NOT NULL AND o.delivered_date IS NULL AND {COUNTING_SQL}
         ORDER BY o.ship_date, o.id"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deliveries dated `start..=end` (by delivery date) per carrier text and delivery days:
/// (carrier text, days, count), for the on-time share of a trailing window.
pub fn deliveries(conn: &Connection, start: &str, end: &str) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT COALESCE(o.carrier, ''), CAST(julianday(o.delivered_date) - julianday(o.ship_date) AS INTEGER),
                COUNT(*)
         FROM orders o WHERE o.delivered_date BETWEEN ?1 AND ?2 AND o.ship_date IS NOT NULL AND {COUNTING_SQL}
         GROUP BY 1, 2"
    ))?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
