//! Campaigns, their daily records, and the `campaign_daily` rollup of the orders attributed to them.
//! The rollup's rows are rewritten by the ledger (`refresh_day`) for every (campaign, day) a write
//! touches, from the same query `db check` recomputes the whole rollup with (`truth`).

use std::collections::BTreeMap;

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::{Context as _, Result};

use crate::domain::campaign::{Campaign, DayFigures, DayRecord, Figures};
use crate::domain::money::Money;
use crate::store::types::COUNTING_SQL;

const COLUMNS: &str = "code, name, channel, region, start_date, end_date, budget";

fn row_to_campaign(r: &crate::store::sql::Row) -> crate::store::sql::Result<Campaign> {
    Ok(Campaign {
        code: r.get(0)?,
        name: r.get(1)?,
        channel: r.get(2)?,
        region: r.get(3)?,
        start: r.get(4)?,
        end: r.get(5)?,
        budget: r.get(6)?,
    })
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Campaign>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM campaigns WHERE code = ?1"))?
        .query_row([code], row_to_campaign)
        .optional()?)
}

/// The campaign a person or a file names: by its code, else by its exact name. None when neither
/// matches; a name two campaigns share is invalid input naming both (`lookup::find`).
pub fn find(conn: &Connection, text: &str) -> Result<Option<String>> {
    super::lookup::find(conn, super::lookup::Kind::Campaign, text)
}

/// The campaign named, or invalid input naming what was given.
pub fn must_find(conn: &Connection, text: &str) -> Result<Campaign> {
    let code = find(conn, text)?.ok_or_else(|| {
        crate::error::input(format!(
            "no campaign \"{}\" (see `salesops campaigns list`)",
            text.trim()
        ))
    })?;
    get(conn, &code)?.with_context(|| format!("no campaign \"{code}\""))
}

pub fn list(conn: &Connection) -> Result<Vec<Campaign>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM campaigns ORDER BY code"))?;
    let rows = stmt.query_map([], row_to_campaign)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert(conn: &Connection, c: &Campaign) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO campaigns ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![
        c.code, c.name, c.channel, c.region, c.start, c.end, c.budget
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, c: &Campaign) -> Result<()> {
    conn.prepare_cached(
        "UPDATE campaigns SET name = ?2, channel = ?3, region = ?4, start_date = ?5, end_date = ?6,
             budget = ?7 WHERE code = ?1",
    )?
    .execute(params![
        c.code, c.name, c.channel, c.region, c.start, c.end, c.budget
    ])?;
    Ok(())
}

/// A campaign and its daily records.
pub fn delete(conn: &Connection, code: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM campaign_records WHERE campaign = ?1")?
        .execute([code])?;
    conn.prepare_cached("DELETE FROM campaigns WHERE code = ?1")?
        .execute([code])?;
    Ok(())
}

/// The orders and customers that name a campaign, described for a refused `remove`.
pub fn referrers(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let probes: [(&str, &str); 2] = [
        (
            "order",
            "SELECT id FROM orders WHERE campaign = ?1 ORDER BY id",
        ),
        (
            "customer",
            "SELECT code FROM customers WHERE campaign = ?1 ORDER BY code",
        ),
    ];
    for (what, sql) in probes {
        let mut stmt = conn.prepare_cached(sql)?;
        let keys: Vec<String> = stmt
            .query_map([code], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if !keys.is_empty() {
            out.push(super::regions::describe_refs(what, &keys));
        }
    }
    Ok(out)
}

/// The record of one day, if any.
pub fn day(conn: &Connection, campaign: &str, date: &str) -> Result<Option<DayRecord>> {
    Ok(conn
        .prepare_cached(
            "SELECT spend, impressions, clicks, visits FROM campaign_records
             WHERE campaign = ?1 AND date = ?2",
        )?
        .query_row(params![campaign, date], |r| {
            Ok(DayRecord {
                spend: r.get(0)?,
                impressions: r.get(1)?,
                clicks: r.get(2)?,
                visits: r.get(3)?,
            })
        })
        .optional()?)
}

/// Record a day's figures: what `given` gives replaces the day's stored values, the rest stay.
/// Returns whether a record of the day existed and whether anything changed.
pub fn record_day(
    conn: &Connection,
    campaign: &str,
    date: &str,
    given: DayFigures,
) -> Result<(bool, bool)> {
    let old = day(conn, campaign, date)?;
    let new = old.unwrap_or_default().replaced_by(given);
    if old == Some(new) {
        return Ok((true, false));
    }
    conn.prepare_cached(
        "INSERT INTO campaign_records (campaign, date, spend, impressions, clicks, visits)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (campaign, date) DO UPDATE SET spend = excluded.spend,
             impressions = excluded.impressions, clicks = excluded.clicks, visits = excluded.visits",
    )?
    .execute(params![
        campaign,
        date,
        new.spend,
        new.impressions,
        new.clicks,
        new.visits
    ])?;
    Ok((old.is_some(), true))
}

/// Daily records, by campaign and date: of one campaign or all, dated `start..=end`.
pub fn records(
    conn: &Connection,
    campaign: Option<&str>,
    start: &str,
    end: &str,
) -> Result<Vec<(String, String, DayRecord)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT campaign, date, spend, impressions, clicks, visits FROM campaign_records
         WHERE (?1 IS NULL OR campaign = ?1) AND date BETWEEN ?2 AND ?3 ORDER BY campaign, date",
    )?;
    let rows = stmt.query_map(params![campaign, start, end], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            DayRecord {
                spend: r.get(2)?,
                impressions: r.get(3)?,
                clicks: r.get(4)?,
                visits: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What `campaign_daily` holds, from the orders, returns and customers: per campaign and day, the
/// counting orders dated that day with their amount and cost, the customers whose first counting
/// order is one of them, and the returns of the campaign's counting orders dated that day. With
/// `one_day`, only the rows of campaign ?1 and day ?2.
pub(in crate::store) fn truth(one_day: bool) -> String {
    let (orders, returns) = if one_day {
        (
            "AND o.campaign = ?1 AND o.order_date = ?2",
            "AND o.campaign = ?1 AND r.date = ?2",
        )
    } else {
        ("", "")
    };
    format!(
        "SELECT campaign, date, SUM(orders) AS orders, SUM(revenue) AS revenue, SUM(cost) AS cost,
                SUM(returns) AS returns, SUM(returns_cost) AS returns_cost, SUM(new_customers) AS new_customers
         FROM (
             SELECT o.campaign, o.order_date AS date, COUNT(*) AS orders, SUM(o.amount) AS revenue,
                    SUM(o.cost) AS cost, 0 AS returns, 0 AS returns_cost, 0 AS new_customers
             FROM orders o WHERE o.campaign IS NOT NULL AND {COUNTING_SQL} {orders}
             GROUP BY 1, 2
             UNION ALL
             SELECT o.campaign, o.order_date, 0, 0, 0, 0, 0, COUNT(DISTINCT o.customer)
             FROM orders o JOIN customers c ON c.code = o.customer
             WHERE o.campaign IS NOT NULL AND {COUNTING_SQL} AND c.first_order = o.order_date {orders}
             GROUP BY 1, 2
             UNION ALL
             SELECT o.campaign, r.date, 0, 0, 0, SUM(r.amount), SUM(r.cost), 0
             FROM returns r JOIN orders o ON o.id = r.order_id
             WHERE o.campaign IS NOT NULL AND {COUNTING_SQL} {returns}
             GROUP BY 1, 2)
         GROUP BY campaign, date"
    )
}

/// Rewrite the rollup row of one campaign and day from the base rows (the ledger, when it settles).
pub(in crate::store) fn refresh_day(conn: &Connection, campaign: &str, date: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM campaign_daily WHERE campaign = ?1 AND date = ?2")?
        .execute(params![campaign, date])?;
    conn.prepare_cached(&format!(
        "INSERT INTO campaign_daily (campaign, date, orders, revenue, cost, returns, returns_cost, new_customers)
         SELECT * FROM ({}) WHERE orders <> 0 OR revenue <> 0 OR cost <> 0 OR returns <> 0
             OR returns_cost <> 0 OR new_customers <> 0",
        truth(true)
    ))?
    .execute(params![campaign, date])?;
    Ok(())
}

/// Whether any campaign exists (a ledger with none has no campaign rollup to keep).
pub(in crate::store) fn any(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM campaigns)")?
        .query_row([], |r| r.get(0))?)
}

/// The (campaign, order date) of a customer's campaign orders: their new-customer counts move with
/// the customer's first order.
pub(in crate::store) fn days_of_customer(
    conn: &Connection,
    customer: &str,
) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT campaign, order_date FROM orders WHERE customer = ?1 AND campaign IS NOT NULL",
    )?;
    let rows = stmt.query_map([customer], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every campaign's figures for `start..=end`: spend and traffic from its records, leads from its
/// customers, orders and their return from the rollup. Campaigns with nothing in the period are
/// included (with zeros) when they run during it.
pub fn figures(conn: &Connection, start: &str, end: &str) -> Result<Vec<(Campaign, Figures)>> {
    let mut out: BTreeMap<String, (Campaign, Figures)> = BTreeMap::new();
    for c in list(conn)? {
        let f = Figures {
            budget: c.budget,
            ..Figures::default()
        };
        out.insert(c.code.clone(), (c, f));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT campaign, SUM(CASE WHEN date >= ?1 THEN spend ELSE 0 END), SUM(spend),
                SUM(CASE WHEN date >= ?1 THEN impressions ELSE 0 END),
                SUM(CASE WHEN date >= ?1 THEN clicks ELSE 0 END),
                SUM(CASE WHEN date >= ?1 THEN visits ELSE 0 END)
         FROM campaign_records WHERE date <= ?2 GROUP BY campaign",
    )?;
    let mut rows = stmt.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        if let Some((_, f)) = out.get_mut(&code) {
            f.spend = r.get(1)?;
            f.spend_to_date = r.get(2)?;
            f.impressions = r.get(3)?;
            f.clicks = r.get(4)?;
            f.visits = r.get(5)?;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT campaign, COUNT(*) FROM customers WHERE campaign IS NOT NULL AND created BETWEEN ?1 AND ?2
         GROUP BY campaign",
    )?;
    let mut rows = stmt.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        if let Some((_, f)) = out.get_mut(&code) {
            f.leads = r.get(1)?;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT campaign, SUM(orders), SUM(revenue) - SUM(returns),
                SUM(revenue) - SUM(returns) - (SUM(cost) - SUM(returns_cost)), SUM(new_customers)
         FROM campaign_daily WHERE date BETWEEN ?1 AND ?2 GROUP BY campaign",
    )?;
    let mut rows = stmt.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        if let Some((_, f)) = out.get_mut(&code) {
            f.orders = r.get(1)?;
            f.net_revenue = r.get::<_, Money>(2)?;
            f.profit = r.get::<_, Money>(3)?;
            f.new_customers = r.get(4)?;
        }
    }
    Ok(out
        .into_values()
        .filter(|(c, f)| (c.start.as_str() <= end && c.end.as_str() >= start) || f.has_activity())
        .collect())
}

/// All spend of every campaign up to `today`, and its counting orders ever: what `campaigns check`
/// judges. (code, spend to date, orders)
pub fn to_date(conn: &Connection, today: &str) -> Result<BTreeMap<String, (Money, i64)>> {
    let mut out: BTreeMap<String, (Money, i64)> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT campaign, SUM(spend) FROM campaign_records WHERE date <= ?1 GROUP BY campaign",
    )?;
    let mut rows = stmt.query([today])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().0 = r.get(1)?;
    }
    let mut stmt =
        conn.prepare_cached("SELECT campaign, SUM(orders) FROM campaign_daily GROUP BY campaign")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().1 = r.get(1)?;
    }
    Ok(out)
}
