//! Building a report: every figure comes from `store::report` (rollups and indexed ranges).

use std::collections::HashMap;

use crate::store::Conn;
use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use crate::context::Context;
use crate::domain::aging::Receivables;
use crate::domain::campaign::{Campaign, Figures as CampaignFigures};
use crate::domain::carrier::{Carrier, Figures as CarrierFigures};
use crate::domain::date::add_months_clamped;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::domain::target::{achievement_ranks, ranked_first};
use crate::domain::values::{Channel, Tier};
use crate::store::{
    self,
    report::{By, Figures, NameTable},
};

pub struct Summary {
    pub figures: Figures,
    pub customers: i64,
    pub new_customers: i64,
    pub prev_net: Option<Money>,
    pub last_year_net: Option<Money>,
    /// The previous period's figures and new customers, for the HTML headline's directions.
    pub prev: Option<(Figures, i64)>,
    /// The company's revenue target: the sum over regions without a parent, when any has one.
    pub target: Option<Money>,
}

/// One month of the 13-month trend. `None` is a month before the company's first order (nothing to
/// draw), or a month without a target.
pub struct TrendMonth {
    pub month: String,
    pub net: Option<Money>,
    pub last_year: Option<Money>,
    pub target: Option<Money>,
}

/// A region or rep against its target.
pub struct Scored {
    pub code: Option<String>,
    pub name: String,
    pub region: Option<String>,
    /// A sub-region's parent region: its figures are in the parent's row too, so a sum over the rows
    /// leaves it out.
    pub parent: Option<String>,
    pub figures: Figures,
    pub new_customers: i64,
    pub target: Option<Money>,
    pub band: Option<&'static str>,
    pub rank: Option<usize>,
}

pub struct Report {
    pub period: Period,
    pub summary: Summary,
    pub regions: Vec<Scored>,
    pub reps: Vec<Scored>,
    pub products: Vec<(String, String, Figures)>,
    pub channels: Vec<(Channel, Figures)>,
    pub tiers: Vec<(Tier, i64, Money)>,
    pub receivables: Receivables,
    /// What was overdue at the end of the previous period, when there was history then: the headline
    /// shows which way overdue receivables moved.
    pub prev_overdue: Option<Money>,
    pub violations: Vec<(String, i64)>,
    /// Net revenue of the 13 months ending with the period's last month.
    pub trend: Vec<TrendMonth>,
    pub service: super::service::ServiceSection,
    pub campaigns: Vec<(Campaign, CampaignFigures)>,
    pub carriers: Vec<(String, Option<Carrier>, CarrierFigures)>,
    pub stock: Vec<super::stock::StockRow>,
    /// The regions' scorecards: quarterly, annual and period reports only.
    pub scorecard: Option<Vec<crate::domain::scorecard::Card>>,
}

pub fn build(ctx: &Context, conn: &Conn, period: &Period) -> Result<Report> {
    let policy = ctx.policy(conn)?;
    let (start, end) = (period.start, period.end);
    let total = store::report::total(conn, start, end)?;
    let new_by_rep = store::report::new_customers_by_rep(conn, start, end)?;
    let first = store::report::first_order_date(conn)?;
    let has_history = |p: &Period| first.as_ref().is_some_and(|f| *f <= p.end.to_string());
    let prev = period.previous();
    let last_year = period.same_last_year();
    let mut tiers = store::report::tiers(conn, start, end)?;
    let prev_figures = if has_history(&prev) {
        Some(store::report::total(conn, prev.start, prev.end)?)
    } else {
        None
    };
    let prev_new = if has_history(&prev) {
        Some(
            store::report::new_customers_by_rep(conn, prev.start, prev.end)?
                .values()
                .sum(),
        )
    } else {
        None
    };
    let summary = Summary {
        figures: total,
        // Every customer has one tier: the period's customers are the sum over tiers.
        customers: tiers.iter().map(|t| t.1).sum(),
        new_customers: new_by_rep.values().sum(),
        prev_net: prev_figures.map(|f| f.net()),
        last_year_net: if has_history(&last_year) {
            Some(store::report::total(conn, last_year.start, last_year.end)?.net())
        } else {
            None
        },
        prev: prev_figures.zip(prev_new),
        target: company_target(conn, period)?,
    };
    let regions = regions(conn, period, &policy)?;
    let reps = reps(conn, period, &policy, &new_by_rep)?;
    let product_names = store::report::names(conn, NameTable::Products)?;
    // Rows that add up to nothing (left by a cancelled order) are not shown: a report depends on
    // what the database holds, not on the order of the writes that led there.
    let mut products: Vec<(String, String, Figures)> = store::report::products(conn, start, end)?
        .into_iter()
        .filter(|(_, f)| *f != Figures::default())
        .map(|(sku, f)| {
            let name = product_names.get(&sku).cloned().unwrap_or_default();
            (sku, name, f)
        })
        .collect();
    products.sort_by(|a, b| b.2.net().cmp(&a.2.net()).then_with(|| a.0.cmp(&b.0)));
    products.truncate(10);
    let mut channels = store::report::sales(conn, start, end, By::Channel)?;
    channels.retain(|(_, f)| *f != Figures::default());
    // The highest tier first.
    tiers.sort_by_key(|(t, _, _)| std::cmp::Reverse(*t));
    let as_of = end.min(ctx.today);
    let receivables = store::report::aging_totals(conn, as_of)?;
    let prev_overdue = if has_history(&prev) {
        Some(
            store::report::aging_totals(conn, prev.end.min(ctx.today))?
                .total
                .overdue(),
        )
    } else {
        None
    };
    let violations = store::findings::counts(conn, &policy, period)?;
    let trend = trend_13_months(conn, end, first.as_deref())?;
    let campaigns = super::campaigns::build(conn, period)?;
    let carriers = super::carriers::build(conn, period, &policy)?;
    Ok(Report {
        period: period.clone(),
        summary,
        regions,
        reps,
        products,
        channels,
        tiers,
        receivables,
        prev_overdue,
        violations,
        trend,
        service: super::service::build(conn, &policy, period)?,
        campaigns,
        carriers,
        stock: super::stock::build(conn, period)?,
        scorecard: None,
    })
}

/// Rank scored rows by achievement (actual / target, exact), ties by code; rows without a target last,
/// by net revenue.
pub fn rank(rows: &mut [Scored], policy: &Policy) {
    let entries: Vec<(&str, Money, Option<Money>)> = rows
        .iter()
        .map(|r| (r.code.as_deref().unwrap_or(""), r.figures.net(), r.target))
        .collect();
    let ranks = achievement_ranks(&entries);
    for (r, rank) in rows.iter_mut().zip(ranks) {
        r.band = r.target.and_then(|t| policy.band(r.figures.net(), t));
        r.rank = rank;
    }
    rows.sort_by(|a, b| {
        ranked_first(a.rank, b.rank, || {
            b.figures
                .net()
                .cmp(&a.figures.net())
                .then_with(|| a.code.cmp(&b.code))
        })
    });
}

fn regions(conn: &Conn, period: &Period, policy: &Policy) -> Result<Vec<Scored>> {
    let by_region: HashMap<String, Figures> =
        store::report::sales(conn, period.start, period.end, By::Region)?
            .into_iter()
            .collect();
    let targets = store::report::revenue_targets(conn, "region", period)?;
    let parents: HashMap<String, Option<String>> =
        store::regions::parents(conn)?.into_iter().collect();
    let mut rows = Vec::new();
    for (code, name) in store::regions::names(conn)? {
        let parent = parents.get(&code).cloned().flatten();
        let mut f = Figures::default();
        for sub in store::regions::descendants(conn, &code)? {
            if let Some(x) = by_region.get(&sub) {
                f.add(x);
            }
        }
        let target = targets.get(&code).copied();
        rows.push(Scored {
            code: Some(code),
            name,
            region: None,
            parent,
            figures: f,
            new_customers: 0,
            target,
            band: None,
            rank: None,
        });
    }
    rank(&mut rows, policy);
    if let Some(f) = by_region.get("") {
        rows.push(Scored {
            code: None,
            name: "(unassigned)".into(),
            region: None,
            parent: None,
            figures: *f,
            new_customers: 0,
            target: None,
            band: None,
            rank: None,
        });
    }
    Ok(rows)
}

fn reps(
    conn: &Conn,
    period: &Period,
    policy: &Policy,
    new_by_rep: &HashMap<String, i64>,
) -> Result<Vec<Scored>> {
    let by_rep: HashMap<String, Figures> =
        store::report::sales(conn, period.start, period.end, By::Rep)?
            .into_iter()
            .collect();
    let targets = store::report::revenue_targets(conn, "rep", period)?;
    let mut rows = Vec::new();
    for rep in store::reps::list(conn, period.end)? {
        let f = by_rep.get(&rep.code).copied().unwrap_or_default();
        let target = targets.get(&rep.code).copied();
        // A rep with no sales and no (or a zero) target has nothing to report.
        if f == Figures::default() && target.is_none_or(|t| t.units() == 0) {
            continue;
        }
        let new = new_by_rep.get(&rep.code).copied().unwrap_or(0);
        rows.push(Scored {
            code: Some(rep.code),
            name: rep.name,
            region: Some(rep.region),
            parent: None,
            figures: f,
            new_customers: new,
            target,
            band: None,
            rank: None,
        });
    }
    rank(&mut rows, policy);
    Ok(rows)
}

/// The sum of the top-level regions' revenue targets for `period`, if any region has one.
fn company_target(conn: &Conn, period: &Period) -> Result<Option<Money>> {
    let targets = store::report::revenue_targets(conn, "region", period)?;
    let top = store::regions::top_level(conn)?;
    let mut sum: Option<Money> = None;
    for code in top {
        if let Some(t) = targets.get(&code) {
            sum = Some(sum.unwrap_or_default() + *t);
        }
    }
    Ok(sum)
}

/// The 13 months ending with the month of `end`: net revenue, the same month a year earlier and the
/// company's target. Months before the first order (`first`, a date) have no figures.
fn trend_13_months(conn: &Conn, end: NaiveDate, first: Option<&str>) -> Result<Vec<TrendMonth>> {
    let last = NaiveDate::from_ymd_opt(end.year(), end.month(), 1).unwrap_or(end);
    let first_month = add_months_clamped(last, -12);
    let label = |d: NaiveDate| d.format("%Y-%m").to_string();
    let totals: HashMap<String, Figures> = store::report::monthly_totals(
        conn,
        &label(add_months_clamped(first_month, -12)),
        &label(last),
    )?
    .into_iter()
    .collect();
    let started = |m: &str| first.is_some_and(|f| f.get(..7).is_some_and(|fm| fm <= m));
    let net = |m: &str| started(m).then(|| totals.get(m).map(|f| f.net()).unwrap_or_default());
    let mut out = Vec::new();
    for i in 0..13 {
        let d = add_months_clamped(first_month, i);
        let m = label(d);
        let ly = label(add_months_clamped(d, -12));
        let target = company_target(conn, &Period::month(d.year(), d.month()))?;
        out.push(TrendMonth {
            net: net(&m),
            last_year: net(&ly),
            target,
            month: m,
        });
    }
    Ok(out)
}
