//! `prices check`: every line of the period's counting orders against the prices in force on its order
//! date, every region's average price of each SKU against the all-region average, and every market
//! observation against the floor. Findings go into the violations ledger once, keyed by what they are
//! about. The lines stream from one query; only findings and per-(SKU, region) sums are kept.

use std::collections::{BTreeMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;

use super::period_flag;
use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::{decompose, Period};
use crate::domain::policy::Policy;
use crate::domain::pricing::{kind_rank, line_breaches, market_breach, spread_breach, Sums, KINDS};
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::{self, prices::NewViolation, Conn};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The period of the order and observation dates (default: the last full month before today)
    #[arg(long)]
    pub period: Option<String>,
    /// Only this region and its sub-regions (the all-region average still covers every region)
    #[arg(long)]
    pub region: Option<String>,
    /// Show the findings without recording them in the violations ledger
    #[arg(long)]
    pub no_record: bool,
    /// Also show findings already resolved in the ledger
    #[arg(long)]
    pub all: bool,
}

const COLUMNS: &[&str] = &[
    "kind", "subject", "detail", "order_id", "line_no", "sku", "rep", "region", "date",
];

/// One finding, with the ledger key that identifies it.
#[derive(Debug, Clone)]
struct Finding {
    kind: &'static str,
    subject: String,
    detail: String,
    order_id: Option<String>,
    line_no: Option<i64>,
    sku: Option<String>,
    rep: Option<String>,
    region: Option<String>,
    date: String,
    key: String,
}

#[derive(Default)]
struct SkuSums {
    all: Sums,
    by_region: BTreeMap<String, Sums>,
}

/// Per SKU: Σ amount and Σ quantity of its lines, in all and per region.
type SpreadSums = BTreeMap<String, SkuSums>;

fn add_sums(sums: &mut SpreadSums, sku: &str, region: Option<&String>, amount: Money, qty: i64) {
    let entry = match sums.get_mut(sku) {
        Some(e) => e,
        None => sums.entry(sku.to_string()).or_default(),
    };
    entry.all.add(amount, qty);
    if let Some(region) = region {
        match entry.by_region.get_mut(region) {
            Some(r) => r.add(amount, qty),
            None => {
                let mut r = Sums::default();
                r.add(amount, qty);
                entry.by_region.insert(region.clone(), r);
            }
        }
    }
}

/// `scope` limits the subjects to some regions; the sums always cover every region.
fn in_scope(scope: Option<&HashSet<String>>, region: Option<&String>) -> bool {
    match scope {
        None => true,
        Some(set) => region.is_some_and(|r| set.contains(r)),
    }
}

/// The findings of the lines dated `start..=end`, and their sums for the regional spread.
fn line_findings(
    conn: &Conn,
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

/// Regions whose average price of a SKU over the period is too far below the all-region average.
fn spread_findings(
    sums: &SpreadSums,
    policy: &Policy,
    period: &Period,
    scope: Option<&HashSet<String>>,
) -> Vec<Finding> {
    let label = period.label();
    let mut found = Vec::new();
    for (sku, s) in sums {
        for (region, r) in &s.by_region {
            if !in_scope(scope, Some(region)) {
                continue;
            }
            if let Some(b) = spread_breach(*r, s.all, policy) {
                found.push(Finding {
                    kind: b.kind,
                    subject: format!("{region}/{sku}"),
                    detail: b.detail,
                    key: format!("{}|{region}|{sku}|{label}", b.kind),
                    order_id: None,
                    line_no: None,
                    sku: Some(sku.clone()),
                    rep: None,
                    region: Some(region.clone()),
                    date: period.end.to_string(),
                });
            }
        }
    }
    found
}

/// Observed market prices below the floor.
fn market_findings(
    conn: &Conn,
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
fn collect(
    conn: &Conn,
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

pub fn check(ctx: &Context, a: CheckArgs) -> Result<Outcome> {
    let period = period_flag(
        ctx,
        a.period.as_deref(),
        Period::last_full_month_before(ctx.today),
    )?;
    let mut db = ctx.open()?;
    let scope = match &a.region {
        Some(code) => {
            let region = super::super::regions::must_get(&db, code.trim())?;
            Some(
                store::regions::descendants(&db, &region.code)?
                    .into_iter()
                    .collect::<HashSet<_>>(),
            )
        }
        None => None,
    };
    let policy = ctx.policy(&db)?;
    let found = collect(&db, &policy, &period, scope.as_ref())?;
    let mut recorded = 0;
    if !a.no_record && !found.is_empty() {
        // The reading is done: the write lock is held only for the ledger inserts.
        let tx = db.begin()?;
        for f in &found {
            let new = store::prices::record_violation(
                &tx,
                &NewViolation {
                    key: &f.key,
                    kind: f.kind,
                    order_id: f.order_id.as_deref(),
                    line_no: f.line_no,
                    sku: f.sku.as_deref(),
                    rep: f.rep.as_deref(),
                    region: f.region.as_deref(),
                    date: &f.date,
                    detail: &f.detail,
                },
            )?;
            if new {
                recorded += 1;
            }
        }
        if recorded > 0 {
            ctx.audit(
                &tx,
                &format!(
                    "prices check {}: {recorded} new violations recorded",
                    period.label()
                ),
            )?;
            tx.commit()?;
        }
    }
    let resolved: HashSet<String> = store::prices::resolved_in(&db, period.start, period.end)?
        .into_iter()
        .map(|r| r.key)
        .collect();
    let mut out = Records::new(COLUMNS);
    let mut hidden = 0;
    for f in found {
        if !a.all && resolved.contains(&f.key) {
            hidden += 1;
            continue;
        }
        out.push(vec![
            s(f.kind),
            s(f.subject),
            s(f.detail),
            opt(f.order_id),
            f.line_no.map(int).unwrap_or(serde_json::Value::Null),
            opt(f.sku),
            opt(f.rep),
            opt(f.region),
            s(f.date),
        ]);
    }
    let mut summary = format!(
        "prices check {}: {} {}",
        period.label(),
        out.len(),
        if out.len() == 1 {
            "finding"
        } else {
            "findings"
        }
    );
    if hidden > 0 {
        summary.push_str(&format!(", {hidden} resolved not shown (--all shows them)"));
    }
    if a.no_record {
        summary.push_str("; nothing recorded (--no-record)");
    } else {
        summary.push_str(&format!("; {recorded} new in the violations ledger"));
    }
    ctx.note(&summary);
    Ok(Outcome::findings(out))
}

/// The price findings of a period by kind, every kind in the order of the spec (0 when none), as
/// `prices check` finds them without `--all` (findings resolved in the ledger are left out). Whole
/// months come from the price marks and product rollups under today's policy, the days of a period
/// that cut a month from their lines; the regional spread and the observations are judged here.
pub fn finding_counts(conn: &Conn, policy: &Policy, period: &Period) -> Result<Vec<(String, i64)>> {
    let mut counts: Vec<(String, i64)> = KINDS.iter().map(|k| (k.to_string(), 0)).collect();
    let mut count = |kind: &str, n: i64| counts[kind_rank(kind)].1 += n;
    let parts = decompose(period.start, period.end);
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
