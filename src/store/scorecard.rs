//! The scorecard's figures and its ratings. `inputs` gathers what each region or rep did in a period
//! from the figures the product already keeps (sales and targets as reports read them, receivables
//! as `orders receivables` ages them, the violations ledger, the service KPIs, the campaign figures);
//! the one query of its own is the delivery record per region, which the carrier rollup does not
//! keep. The ratings (`scorecard_ratings`) are written here, in their command's transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::aging::Aging;
use crate::domain::carrier::{Figures as Deliveries, IN_TRANSIT, UNDATED};
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::domain::scorecard::{Inputs, Scope};
use crate::domain::service::{kpi_by, KpiBy};
use crate::store::orders::Debtors;
use crate::store::report::{By, Figures};
use crate::store::types::COUNTING_SQL;

/// A scored subject: code, name and what it did.
pub struct Subject {
    pub code: String,
    pub name: String,
    pub inputs: Inputs,
}

/// Every region (by code; a parent region's figures include its sub-regions, as in the reports), or
/// every rep still with the company at the period's end or with orders in it, with their figures
/// for `period`. Receivables are as of the period's end, or today when that is earlier.
pub fn inputs(
    conn: &Connection,
    policy: &Policy,
    period: &Period,
    scope: Scope,
    today: NaiveDate,
) -> Result<Vec<Subject>> {
    let as_of = period.end.min(today);
    let ratings = ratings_of(conn, scope, &period.label())?;
    let resolved = confirmed_violations(conn, policy, period)?;
    let tickets = crate::store::service::opened_in(conn, period)?;
    let parents: BTreeMap<String, Option<String>> =
        crate::store::regions::parents(conn)?.into_iter().collect();
    let end_minute = period.end.and_hms_opt(23, 59, 0).unwrap_or_default();
    let by = match scope {
        Scope::Region => KpiBy::Region,
        Scope::Rep => KpiBy::Rep,
    };
    let (groups, _) = kpi_by(&tickets, by, &parents, &policy.clock(), end_minute);
    let service: HashMap<String, _> = groups
        .into_iter()
        .filter_map(|(k, v)| k.map(|k| (k, v)))
        .collect();
    let mut out = Vec::new();
    match scope {
        Scope::Region => {
            let sales: HashMap<String, Figures> =
                crate::store::report::sales(conn, period.start, period.end, By::Region)?
                    .into_iter()
                    .collect();
            let targets = crate::store::report::revenue_targets(conn, "region", period)?;
            let deliveries = deliveries_by_region(conn, period, i64::from(policy.promise_days))?;
            let campaigns = crate::store::campaigns::figures(
                conn,
                &period.start.to_string(),
                &period.end.to_string(),
            )?;
            for (code, name) in crate::store::regions::names(conn)? {
                let within: HashSet<String> = crate::store::regions::descendants(conn, &code)?
                    .into_iter()
                    .collect();
                let mut f = Figures::default();
                let mut d = Deliveries::default();
                for sub in &within {
                    if let Some(x) = sales.get(sub) {
                        f.add(x);
                    }
                    if let Some(x) = deliveries.get(sub) {
                        d.on_time += x.on_time;
                        d.dated += x.dated;
                    }
                }
                let (mut spend, mut profit) = (Money::ZERO, Money::ZERO);
                for (c, cf) in &campaigns {
                    if c.region.as_ref().is_some_and(|r| within.contains(r)) {
                        spend += cf.spend;
                        profit += cf.profit;
                    }
                }
                let aging = aging(
                    conn,
                    as_of,
                    &Debtors {
                        regions: Some(within.iter().cloned().collect()),
                        ..Debtors::default()
                    },
                )?;
                let kpi = service.get(&code).cloned().unwrap_or_default();
                let inputs = Inputs {
                    net: f.net(),
                    profit: f.profit(),
                    orders: f.orders,
                    target: targets.get(&code).copied(),
                    outstanding: aging.outstanding(),
                    overdue: aging.overdue(),
                    violations: resolved
                        .iter()
                        .filter(|(region, _)| region.as_ref().is_some_and(|r| within.contains(r)))
                        .count() as i64,
                    responded: kpi.responded,
                    responded_on_time: kpi.responded_on_time,
                    scores: kpi.scores,
                    score_sum: kpi.score_sum,
                    delivered: d.dated,
                    on_time: d.on_time,
                    campaign_spend: spend,
                    campaign_profit: profit,
                    rating: ratings.get(&code).copied(),
                };
                out.push(Subject { code, name, inputs });
            }
        }
        Scope::Rep => {
            let sales: HashMap<String, Figures> =
                crate::store::report::sales(conn, period.start, period.end, By::Rep)?
                    .into_iter()
                    .collect();
            let targets = crate::store::report::revenue_targets(conn, "rep", period)?;
            for rep in crate::store::reps::list(conn, period.end)? {
                let f = sales.get(&rep.code).copied().unwrap_or_default();
                // A rep who left before the period's end is scored only on what they sold in it.
                if rep.status == "left" && f.orders == 0 {
                    continue;
                }
                let aging = aging(
                    conn,
                    as_of,
                    &Debtors {
                        rep: Some(rep.code.clone()),
                        ..Debtors::default()
                    },
                )?;
                let kpi = service.get(&rep.code).cloned().unwrap_or_default();
                let inputs = Inputs {
                    net: f.net(),
                    profit: f.profit(),
                    orders: f.orders,
                    target: targets.get(&rep.code).copied(),
                    outstanding: aging.outstanding(),
                    overdue: aging.overdue(),
                    violations: resolved
                        .iter()
                        .filter(|(_, r)| r.as_deref() == Some(rep.code.as_str()))
                        .count() as i64,
                    responded: kpi.responded,
                    responded_on_time: kpi.responded_on_time,
                    scores: kpi.scores,
                    score_sum: kpi.score_sum,
                    rating: ratings.get(&rep.code).copied(),
                    ..Inputs::default()
                };
                out.push(Subject {
                    code: rep.code,
                    name: rep.name,
                    inputs,
                });
            }
        }
    }
    Ok(out)
}

/// The aging of the open balances of `d` as of `as_of` (as `orders receivables` ages them).
fn aging(conn: &Connection, as_of: NaiveDate, d: &Debtors) -> Result<Aging> {
    let mut total = Aging::default();
    for b in crate::store::orders::open_balances(conn, as_of, d)? {
        let due = NaiveDate::parse_from_str(&b.due_date, "%Y-%m-%d").unwrap_or(as_of);
        total.add(due, as_of, b.balance);
    }
    Ok(total)
}

/// The violations of the period resolved in the ledger as warning, fine or suspend: (region, rep)
/// of each.
fn confirmed_violations(
    conn: &Connection,
    policy: &Policy,
    period: &Period,
) -> Result<Vec<(Option<String>, Option<String>)>> {
    let filter = crate::store::prices::ViolationFilter {
        status: Some("resolved".into()),
        range: Some((period.start, period.end)),
        ..Default::default()
    };
    Ok(
        crate::store::prices::violations(conn, &filter, policy.violation_window_days)?
            .into_iter()
            .filter(|v| {
                matches!(
                    v.action.as_deref(),
                    Some("warning") | Some("fine") | Some("suspend")
                )
            })
            .map(|v| (v.region, v.rep))
            .collect(),
    )
}

/// The delivery record of the counting orders shipped in the period, per order region, each judged
/// by its carrier's promise (`default_promise` for a carrier text no carrier matches), as
/// `carriers report` judges them.
fn deliveries_by_region(
    conn: &Connection,
    period: &Period,
    default_promise: i64,
) -> Result<HashMap<String, Deliveries>> {
    let carriers = crate::store::carriers::list(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT COALESCE(o.region, ''), COALESCE(o.carrier, ''),
                CASE WHEN o.delivered_date IS NOT NULL
                     THEN CAST(julianday(o.delivered_date) - julianday(o.ship_date) AS INTEGER)
                     WHEN o.status = 'shipped' THEN {IN_TRANSIT} ELSE {UNDATED} END,
                COUNT(*)
         FROM orders o WHERE o.ship_date BETWEEN ?1 AND ?2 AND {COUNTING_SQL}
         GROUP BY 1, 2, 3"
    ))?;
    let mut rows = stmt.query(params![period.start.to_string(), period.end.to_string()])?;
    let mut out: HashMap<String, Deliveries> = HashMap::new();
    while let Some(r) = rows.next()? {
        let region: String = r.get(0)?;
        let text: String = r.get(1)?;
        let promise = carriers
            .iter()
            .find(|c| crate::store::carriers::matches(c, &text))
            .map_or(default_promise, |c| c.promise_days);
        out.entry(region)
            .or_default()
            .add_row(r.get(2)?, r.get(3)?, promise);
    }
    Ok(out)
}

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub scope: String,
    pub code: String,
    pub period: String,
    pub score: i64,
    pub note: String,
    pub rated_on: String,
}

fn ratings_of(conn: &Connection, scope: Scope, period: &str) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, score FROM scorecard_ratings WHERE scope = ?1 AND period = ?2",
    )?;
    let rows = stmt.query_map(params![scope.as_str(), period], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn rating(conn: &Connection, scope: Scope, code: &str, period: &str) -> Result<Option<Rating>> {
    Ok(conn
        .prepare_cached(
            "SELECT scope, code, period, score, note, rated_on FROM scorecard_ratings
             WHERE scope = ?1 AND code = ?2 AND period = ?3",
        )?
        .query_row(params![scope.as_str(), code, period], row_to_rating)
        .optional()?)
}

fn row_to_rating(r: &crate::store::sql::Row) -> crate::store::sql::Result<Rating> {
    Ok(Rating {
        scope: r.get(0)?,
        code: r.get(1)?,
        period: r.get(2)?,
        score: r.get(3)?,
        note: r.get(4)?,
        rated_on: r.get(5)?,
    })
}

/// Record a rating, replacing the one of the same scope, code and period.
pub fn set_rating(conn: &Connection, x: &Rating) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO scorecard_ratings (scope, code, period, score, note, rated_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (scope, code, period) DO UPDATE SET score = excluded.score,
             note = excluded.note, rated_on = excluded.rated_on",
    )?
    .execute(params![
        x.scope, x.code, x.period, x.score, x.note, x.rated_on
    ])?;
    Ok(())
}

/// Every rating, of one period label when given, by period, scope and code.
pub fn ratings(conn: &Connection, period: Option<&str>) -> Result<Vec<Rating>> {
    let mut stmt = conn.prepare_cached(
        "SELECT scope, code, period, score, note, rated_on FROM scorecard_ratings
         WHERE ?1 IS NULL OR period = ?1 ORDER BY period, scope, code",
    )?;
    let rows = stmt.query_map(params![period], row_to_rating)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The scorecards of every region or rep for `period`, scored under the policy's rules and ranked.
pub fn cards(
    conn: &Connection,
    policy: &Policy,
    period: &Period,
    scope: Scope,
    today: NaiveDate,
) -> Result<Vec<crate::domain::scorecard::Card>> {
    let mut cards: Vec<_> = inputs(conn, policy, period, scope, today)?
        .iter()
        .map(|x| crate::domain::scorecard::card(scope, &x.code, &x.name, &x.inputs, &policy.scores))
        // Every region is shown (one with nothing is itself a finding); a rep with no figure at all
        // in the period (a manager who sells nothing, say) has nothing to be assessed on.
        .filter(|c| scope == Scope::Region || c.indicators.iter().any(|i| i.value.is_some()))
        .collect();
    crate::domain::scorecard::rank(&mut cards);
    Ok(cards)
}
