//! `targets split` and `targets cascade`: exact breakdowns of a target into periods or reps.

use super::{describe, resolve, target_period, target_row, Into, SplitWho, COLUMNS};
use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::split::{allocate, allocate_carried, allocate_money, allocate_money_carried};
use crate::domain::target::{
    history_weights, parse_cascade_by, parse_split_by, CascadeBy, SplitBy,
};
use crate::output::{Outcome, Records};
use crate::store;
use crate::store::lookup::{self, Kind};
use crate::store::targets::{Measures, Scope, Target};
use crate::store::Conn;
use anyhow::Result;

/// One target to write: a part of a split or a cascade.
pub(super) struct Part {
    scope: Scope,
    code: String,
    period: Period,
    measures: Measures,
}

/// Split each measure of `whole` exactly by `weights`: money in cents, quantities in units.
pub(super) fn allocate_measures(whole: &Target, weights: &[u128]) -> Result<Vec<Measures>> {
    let n = weights.len();
    let mut out = vec![Measures::default(); n];
    let fail = |e: String| anyhow::anyhow!("cannot split the target: {e}");
    if let Some(r) = whole.revenue {
        for (m, v) in out
            .iter_mut()
            .zip(allocate_money(r, weights).map_err(fail)?)
        {
            m.revenue = Some(v);
        }
    }
    if let Some(q) = whole.quantity {
        for (m, v) in out.iter_mut().zip(allocate(q, weights).map_err(fail)?) {
            m.quantity = Some(v);
        }
    }
    if let Some(p) = whole.profit {
        for (m, v) in out
            .iter_mut()
            .zip(allocate_money(p, weights).map_err(fail)?)
        {
            m.profit = Some(v);
        }
    }
    Ok(out)
}

pub(super) fn split(
    ctx: &Context,
    who: SplitWho,
    year: i32,
    into: Into,
    by: &str,
) -> Result<Outcome> {
    if !(1..=9999).contains(&year) {
        crate::bail_usage!("--year {year}: expected a year such as 2026");
    }
    let whole_year = Period::year(year);
    let parts: Vec<Period> = match into {
        Into::Months => whole_year.months(),
        Into::Quarters => whole_year.quarters(),
    };
    let by =
        parse_split_by(by, parts.len()).map_err(|e| crate::error::usage(format!("--by: {e}")))?;
    let mut db = ctx.open()?;
    let label = whole_year.label();
    let wholes: Vec<Target> = if who.all {
        let found: Vec<Target> = store::targets::all(&db)?
            .into_iter()
            .filter(|t| t.period == label)
            .collect();
        if found.is_empty() {
            crate::bail_input!(
                "no targets for {label} to split (set them with `salesops targets set`)"
            );
        }
        found
    } else {
        let (scope, code) = resolve(&db, who.region, who.rep)?;
        match store::targets::get(&db, scope, &code, &label)? {
            Some(t) => vec![t],
            None => crate::bail_input!(
                "no target {} to split (set it with `salesops targets set --{} {code} --period {label} --revenue …`)",
                describe(scope, &code, &label),
                scope.as_str()
            ),
        }
    };
    let mut plan = Vec::new();
    for whole in &wholes {
        let weights = match &by {
            SplitBy::Even => vec![1; parts.len()],
            SplitBy::Weights(w) => w.clone(),
            SplitBy::LastYear => {
                let w = last_year_weights(&db, whole, year, into)?;
                if w.iter().all(|&x| x == 0) {
                    ctx.note(&format!(
                        "{} {} has no net revenue in {}: split evenly",
                        whole.scope.as_str(),
                        whole.code,
                        year - 1
                    ));
                    vec![1; parts.len()]
                } else {
                    w
                }
            }
        };
        for (period, measures) in parts.iter().zip(allocate_measures(whole, &weights)?) {
            plan.push(Part {
                scope: whole.scope,
                code: whole.code.clone(),
                period: period.clone(),
                measures,
            });
        }
    }
    let unit = match into {
        Into::Months => "month",
        Into::Quarters => "quarter",
    };
    write_parts(ctx, &mut db, plan, &format!("{unit} targets of {label}"))
}

/// Last year's net revenue of a scope per month, or per quarter, as weights (negative counts as 0).
pub(super) fn last_year_weights(
    conn: &Conn,
    whole: &Target,
    year: i32,
    into: Into,
) -> Result<Vec<u128>> {
    let prev = year - 1;
    let mut months = [Money::ZERO; 12];
    let rows = store::targets::monthly(
        conn,
        whole.scope,
        &whole.code,
        &format!("{prev:04}-01"),
        &format!("{prev:04}-12"),
    )?;
    for (month, a) in rows {
        if let Some(i) = month.get(5..7).and_then(|m| m.parse::<usize>().ok()) {
            if (1..=12).contains(&i) {
                months[i - 1] = a.net_revenue;
            }
        }
    }
    let amounts: Vec<Money> = match into {
        Into::Months => months.to_vec(),
        // A quarter's weight is its net revenue: a negative month still lowers its quarter.
        Into::Quarters => months.chunks(3).map(|c| c.iter().copied().sum()).collect(),
    };
    Ok(history_weights(&amounts))
}

/// Ask before overwriting, then write every part in one transaction and show what is stored.
pub(super) fn write_parts(
    ctx: &Context,
    db: &mut crate::store::Db,
    plan: Vec<Part>,
    what: &str,
) -> Result<Outcome> {
    let mut existing = Vec::new();
    for p in &plan {
        if store::targets::get(db, p.scope, &p.code, &p.period.label())?.is_some() {
            existing.push(describe(p.scope, &p.code, &p.period.label()));
        }
    }
    if !existing.is_empty() {
        let shown: Vec<&str> = existing.iter().take(3).map(String::as_str).collect();
        let more = if existing.len() > 3 { ", …" } else { "" };
        ctx.confirm(&format!(
            "overwrite {} existing target{} ({}{more})",
            existing.len(),
            if existing.len() == 1 { "" } else { "s" },
            shown.join(", ")
        ))?;
    }
    let tx = db.begin()?;
    let mut out = Records::new(COLUMNS);
    for p in &plan {
        store::targets::upsert(&tx, p.scope, &p.code, &p.period, &p.measures)?;
        if let Some(t) = store::targets::get(&tx, p.scope, &p.code, &p.period.label())? {
            out.push(target_row(&t));
        }
    }
    ctx.audit(
        &tx,
        &format!(
            "{what}: {} written, {} overwritten",
            plan.len(),
            existing.len()
        ),
    )?;
    tx.commit()?;
    Ok(Outcome::records(out))
}

/// `targets cascade`: one region (`--region`) or every region with a target for the period (`--all`),
/// written in one transaction.
pub(super) fn cascade(
    ctx: &Context,
    region: Option<&str>,
    all: bool,
    period: &str,
    by: &str,
) -> Result<Outcome> {
    let period = target_period(period, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let by = parse_cascade_by(by).map_err(|e| crate::error::usage(format!("--by: {e}")))?;
    if all && matches!(by, CascadeBy::Weights(_)) {
        crate::bail_usage!("--by weights:… names the reps of one region: give --region, not --all");
    }
    let mut db = ctx.open()?;
    let label = period.label();
    let targets = store::targets::all(&db)?;
    let regions: Vec<String> = match region {
        Some(code) => {
            vec![lookup::code(&db, Kind::Region, code)?]
        }
        None => {
            let with_target: Vec<String> = targets
                .iter()
                .filter(|t| t.scope == Scope::Region && t.period == label)
                .map(|t| t.code.clone())
                .collect();
            if with_target.is_empty() {
                crate::bail_input!(
                    "no region has a target for {label} to cascade (set them with `salesops targets set --region R --period {label} --revenue …`)"
                );
            }
            with_target
        }
    };
    let mut plan = Vec::new();
    for region in &regions {
        plan.extend(region_plan(ctx, &db, &targets, region, &period, &by)?);
    }
    let what = match region {
        Some(_) => format!("region {} {label} cascaded to its reps", regions[0]),
        None => format!(
            "{} regions' {label} targets cascaded to their reps",
            regions.len()
        ),
    };
    write_parts(ctx, &mut db, plan, &what)
}

/// What cascading one region's target for `period` writes. A year whose months (else quarters) have
/// region targets is cascaded month by month (quarter by quarter) with the rounding carried, and each
/// rep's quarters and year are set to the sums of its months, so everything adds up both ways.
fn region_plan(
    ctx: &Context,
    db: &Conn,
    targets: &[Target],
    region: &str,
    period: &Period,
    by: &CascadeBy,
) -> Result<Vec<Part>> {
    let label = period.label();
    let Some(whole) = targets
        .iter()
        .find(|t| t.scope == Scope::Region && t.code == region && t.period == label)
    else {
        crate::bail_input!(
            "no target region {region} {label} to cascade (set it with `salesops targets set --region {region} --period {label} --revenue …`)"
        );
    };
    // Reps come sorted by code, so the allocation's ties go to the lower code.
    let reps: Vec<String> = store::reps::list(db, ctx.today)?
        .into_iter()
        .filter(|r| r.region == region && r.status == "active")
        .map(|r| r.code)
        .collect();
    if reps.is_empty() {
        crate::bail_input!("region {region} has no active reps to cascade to");
    }
    let weights = cascade_weights(ctx, db, region, &reps, period, by)?;
    let columns = year_columns(targets, region, period);
    if columns.is_empty() {
        return Ok(reps
            .iter()
            .zip(allocate_measures(whole, &weights)?)
            .map(|(code, measures)| Part {
                scope: Scope::Rep,
                code: code.clone(),
                period: period.clone(),
                measures,
            })
            .collect());
    }
    carried_plan(ctx, &reps, &weights, &columns, period)
}

fn cascade_weights(
    ctx: &Context,
    db: &Conn,
    region: &str,
    reps: &[String],
    period: &Period,
    by: &CascadeBy,
) -> Result<Vec<u128>> {
    Ok(match by {
        CascadeBy::Even => vec![1; reps.len()],
        CascadeBy::Weights(named) => {
            for (rep, _) in named {
                if !reps.contains(rep) {
                    crate::bail_input!(
                        "--by: rep {rep} is not an active rep of region {region} (active: {})",
                        reps.join(", ")
                    );
                }
            }
            reps.iter()
                .map(|r| {
                    named
                        .iter()
                        .find(|(n, _)| n == r)
                        .map(|(_, w)| *w)
                        .unwrap_or(0)
                })
                .collect()
        }
        CascadeBy::LastYear => {
            let before = period.same_last_year();
            let last_year = store::targets::actuals(db, Scope::Rep, &before)?;
            let amounts: Vec<Money> = reps
                .iter()
                .map(|r| last_year.get(r).map(|a| a.net_revenue).unwrap_or_default())
                .collect();
            let w = history_weights(&amounts);
            if w.iter().all(|&x| x == 0) {
                ctx.note(&format!(
                    "the reps of {region} have no net revenue in {}: split evenly",
                    before.label()
                ));
                vec![1; reps.len()]
            } else {
                w
            }
        }
    })
}

/// The region's targets for the months of a year, else for its quarters, in order; none when the
/// period is not a year or the region has neither.
fn year_columns(targets: &[Target], region: &str, period: &Period) -> Vec<Target> {
    if period.kind != PeriodKind::Year {
        return Vec::new();
    }
    let of_region = |labels: Vec<String>| -> Vec<Target> {
        labels
            .iter()
            .filter_map(|l| {
                targets
                    .iter()
                    .find(|t| t.scope == Scope::Region && t.code == region && &t.period == l)
                    .cloned()
            })
            .collect()
    };
    let months = of_region(period.months().iter().map(Period::label).collect());
    if !months.is_empty() {
        return months;
    }
    of_region(period.quarters().iter().map(Period::label).collect())
}

/// Cascade each column (month or quarter) with the rounding carried over the year, then give each rep
/// its quarters (when the columns are months) and its year as the sums of its columns.
fn carried_plan(
    ctx: &Context,
    reps: &[String],
    weights: &[u128],
    columns: &[Target],
    year: &Period,
) -> Result<Vec<Part>> {
    let fail = |e: String| anyhow::anyhow!("cannot cascade the target: {e}");
    let money_rows = |pick: fn(&Target) -> Option<Money>| -> Result<Option<Vec<Vec<Money>>>> {
        if columns.iter().all(|c| pick(c).is_none()) {
            return Ok(None);
        }
        let values: Vec<Money> = columns
            .iter()
            .map(|c| pick(c).unwrap_or_default())
            .collect();
        Ok(Some(
            allocate_money_carried(&values, weights).map_err(fail)?,
        ))
    };
    let revenue = money_rows(|t| t.revenue)?;
    let profit = money_rows(|t| t.profit)?;
    let quantity = if columns.iter().all(|c| c.quantity.is_none()) {
        None
    } else {
        let values: Vec<i64> = columns.iter().map(|c| c.quantity.unwrap_or(0)).collect();
        Some(allocate_carried(&values, weights).map_err(fail)?)
    };
    let periods: Vec<Period> = columns
        .iter()
        .map(|c| {
            Period::parse(&c.period, ctx.today)
                .map_err(|e| anyhow::anyhow!("target period {}: {e}", c.period))
        })
        .collect::<Result<_>>()?;
    // The measures of rep `r` over the columns `keep` selects: a measure the region's columns there do
    // not set stays unset.
    let sum_of = |r: usize, keep: &dyn Fn(usize) -> bool| -> Measures {
        let chosen: Vec<usize> = (0..columns.len()).filter(|&m| keep(m)).collect();
        let has = |pick: fn(&Target) -> bool| chosen.iter().any(|&m| pick(&columns[m]));
        Measures {
            revenue: revenue
                .as_ref()
                .filter(|_| has(|t| t.revenue.is_some()))
                .map(|rows| chosen.iter().map(|&m| rows[r][m]).sum()),
            quantity: quantity
                .as_ref()
                .filter(|_| has(|t| t.quantity.is_some()))
                .map(|rows| chosen.iter().map(|&m| rows[r][m]).sum()),
            profit: profit
                .as_ref()
                .filter(|_| has(|t| t.profit.is_some()))
                .map(|rows| chosen.iter().map(|&m| rows[r][m]).sum()),
        }
    };
    let months = periods.iter().all(|p| p.kind == PeriodKind::Month);
    let mut plan = Vec::new();
    for (r, code) in reps.iter().enumerate() {
        let part = |period: &Period, measures: Measures| Part {
            scope: Scope::Rep,
            code: code.clone(),
            period: period.clone(),
            measures,
        };
        for (m, p) in periods.iter().enumerate() {
            plan.push(part(p, sum_of(r, &|k| k == m)));
        }
        if months {
            for q in year.quarters() {
                if periods.iter().any(|p| q.contains(p.start)) {
                    plan.push(part(&q, sum_of(r, &|k| q.contains(periods[k].start))));
                }
            }
        }
        plan.push(part(year, sum_of(r, &|_| true)));
    }
    Ok(plan)
}
