//! Price findings of a period, for `prices check` and the violation counts of a report: the order lines
//! and observations of `store::prices` (and, for whole months, the price marks and product rollups)
//! judged by the rules of `domain::pricing`.

use std::collections::HashSet;

use crate::store::sql::Connection;
use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::domain::period::{decompose, Decomposed, Period};
use crate::domain::policy::Policy;
use crate::domain::pricing::{
    add_sums, in_scope, judged_by_marks, kind_rank, line_breaches, market_breach, spread_findings,
    Finding, SpreadSums, KINDS,
};
use crate::store;

/// The findings of the lines dated `start..=end`, and their sums for the regional spread.
fn line_findings(
    conn: &Connection,
    policy: &Policy,
    (start, end): (NaiveDate, NaiveDate),
    scope: Option<&HashSet<String>>,
    found: &mut Vec<Finding>,
    sums: &mut SpreadSums,
) -> Result<()> {
    store::prices::for_each_priced_line(conn, start, end, |l| {
        add_sums(sums, &l.sku, l.region.as_ref(), l.amount, l.quantity);
        if !in_scope(scope, l.region.as_ref()) {
            return Ok(());
        }
        for b in line_breaches(&l.facts(), policy) {
            found.push(Finding {
                kind: b.kind,
                subject: format!("{}#{}", l.order_id, l.line_no),
                detail: b.detail,
                key: format!("{}|{}|{}", b.kind, l.order_id, l.line_no),
                order_id: Some(l.order_id.clone()),
                line_no: Some(l.line_no),
                sku: Some(l.sku.clone()),
                rep: l.rep.clone(),
                region: l.region.clone(),
                date: l.order_date.clone(),
            });
        }
        Ok(())
    })
}
/// Observed market prices below the floor.
fn market_findings(
    conn: &Connection,
    period: &Period,
    scope: Option<&HashSet<String>>,
) -> Result<Vec<Finding>> {
    let mut found = Vec::new();
    store::prices::for_each_observation(conn, period.start, period.end, |o| {
        if !in_scope(scope, o.region.as_ref()) {
            return Ok(());
        }
        if let Some(b) = market_breach(o.price, o.floor_price) {
            let seen: Vec<&str> = [&o.platform, &o.seller, &o.area_name]
                .into_iter()
                .filter_map(|x| x.as_deref())
                .collect();
            let detail = if seen.is_empty() {
                b.detail
            } else {
                format!("{} ({})", b.detail, seen.join(", "))
            };
            found.push(Finding {
                kind: b.kind,
                subject: format!("observation {}", o.id),
                detail,
                key: format!("{}|{}", b.kind, o.id),
                order_id: None,
                line_no: None,
                sku: Some(o.sku.clone()),
                rep: None,
                region: o.region.clone(),
                date: o.date.clone(),
            });
        }
        Ok(())
    })?;
    Ok(found)
}

/// Every finding of the period, in the order of the kinds; `scope` limits the subjects to some regions.
pub fn collect(
    conn: &Connection,
    policy: &Policy,
    period: &Period,
    scope: Option<&HashSet<String>>,
) -> Result<Vec<Finding>> {
    let mut found = Vec::new();
    let mut sums = SpreadSums::new();
    let span = (period.start, period.end);
    line_findings(conn, policy, span, scope, &mut found, &mut sums)?;
    found.extend(spread_findings(&sums, policy, period, scope));
    found.extend(market_findings(conn, period, scope)?);
    // Stable: within a kind, lines stay in (date, order, line) order.
    found.sort_by_key(|f| kind_rank(f.kind));
    Ok(found)
}

/// The price findings of a period by kind, every kind in the order of the spec (0 when none), as
/// `prices check` finds them without `--all` (findings resolved in the ledger are left out). Whole
/// months come from the price marks and product rollups under today's policy, the days of a period
/// that cut a month from their lines; the regional spread and the observations are judged here.
pub fn counts(conn: &Connection, policy: &Policy, period: &Period) -> Result<Vec<(String, i64)>> {
    let mut counts: Vec<(String, i64)> = KINDS.iter().map(|k| (k.to_string(), 0)).collect();
    let mut count = |kind: &str, n: i64| counts[kind_rank(kind)].1 += n;
    let mut parts = decompose(period.start, period.end);
    if !judged_by_marks(policy) {
        // A threshold finer than the marks' grid: the whole period is judged from its lines.
        parts = Decomposed {
            months: None,
            edges: vec![(period.start, period.end)],
        };
    }
    let mut sums = SpreadSums::new();
    if let Some((m1, m2)) = &parts.months {
        for (mark, n) in store::rollup::marks(conn, m1, m2)? {
            if let Some(kind) = mark.finding(policy) {
                count(kind, n);
            }
        }
        for (sku, region, amount, qty) in store::report::sold(conn, m1, m2)? {
            let region = (!region.is_empty()).then_some(region);
            add_sums(
                &mut sums,
                &sku,
                region.as_ref(),
                Money::from_units(amount),
                qty,
            );
        }
    }
    let mut edge_found = Vec::new();
    for edge in parts.edges {
        line_findings(conn, policy, edge, None, &mut edge_found, &mut sums)?;
    }
    for f in &edge_found {
        count(f.kind, 1);
    }
    let mut keyed = spread_findings(&sums, policy, period, None);
    keyed.extend(market_findings(conn, period, None)?);
    for f in &keyed {
        count(f.kind, 1);
    }
    let keys: HashSet<&str> = keyed.iter().map(|f| f.key.as_str()).collect();
    for r in store::prices::resolved_in(conn, period.start, period.end)? {
        let live = match &r.line {
            Some((order, line)) => store::prices::priced_line(conn, order, *line)?
                .filter(|l| {
                    NaiveDate::parse_from_str(&l.order_date, "%Y-%m-%d")
                        .is_ok_and(|d| period.contains(d))
                })
                .is_some_and(|l| {
                    line_breaches(&l.facts(), policy)
                        .iter()
                        .any(|b| b.kind == r.kind)
                }),
            None => keys.contains(r.key.as_str()),
        };
        if live {
            count(&r.kind, -1);
        }
    }
    Ok(counts)
}
