//! `targets …`: revenue, quantity and profit targets per region or rep and period; breaking a year
//! into months or quarters, handing a region's target to its reps, checking that the parts add up,
//! and progress against them.

use std::collections::BTreeMap;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use rusqlite::Connection;
use serde_json::Value;

use super::regions::{finish_import, must_get as must_region};
use super::reps::must_get as must_rep;
use crate::cli::{Format, Lang};
use crate::context::Context;
use crate::domain::money::{normalize_width, Money};
use crate::domain::period::{Period, PeriodKind};
use crate::domain::split::{allocate, allocate_money};
use crate::domain::target::{
    by_achievement_desc, history_weights, needed_per_day, parse_cascade_by, parse_split_by,
    projected, CascadeBy, SplitBy,
};
use crate::import::{
    self, check_key, required, Counts, CsvInput, ImportOptions, Importer, Rejects, RowFail, Written,
};
use crate::output::{int, opt, pct, s, Document, Outcome, Records, Section};
use crate::store::{
    self,
    targets::{Measures, Scope, Target},
};

#[derive(Subcommand, Debug)]
pub enum TargetsCommand {
    /// Set a region's or rep's target for a year, quarter or month (measures not given are kept)
    Set {
        #[command(flatten)]
        who: Who,
        /// A year (2026), quarter (2026-Q3) or month (2026-10)
        #[arg(long)]
        period: String,
        // Hyphen values are taken so that a negative amount is refused with a reason.
        #[arg(long, allow_hyphen_values = true)]
        revenue: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        quantity: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        profit: Option<String>,
    },
    /// Targets whose period lies inside --period
    List {
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        rep: Option<String>,
    },
    /// Remove one target
    Remove {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        period: String,
    },
    /// Break a year's target into months or quarters, exactly
    Split {
        #[command(flatten)]
        who: SplitWho,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value = "months")]
        into: Into,
        /// even, last-year (last year's net revenue per month) or weights:W1,W2,...
        #[arg(long, default_value = "even")]
        by: String,
    },
    /// Hand a region's target for a period to its active reps, exactly
    Cascade {
        #[arg(long)]
        region: String,
        #[arg(long)]
        period: String,
        /// even, last-year (each rep's net revenue a year earlier) or weights:REP=W,...
        #[arg(long, default_value = "even")]
        by: String,
    },
    /// Findings: months_mismatch, quarters_mismatch, reps_mismatch, missing (exit 4 on any)
    Check,
    /// Target against actual net revenue per region or rep, with projection, band and rank
    Progress {
        /// Default: this-year
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value = "region")]
        by: ProgressBy,
    },
    /// Import targets from CSV (scope, code, period, revenue, quantity, profit)
    Import(ImportOptions),
    /// Export targets as CSV
    Export,
}

#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Who {
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub rep: Option<String>,
}

#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct SplitWho {
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub rep: Option<String>,
    /// Every region and rep with a target for the year
    #[arg(long)]
    pub all: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Into {
    Months,
    Quarters,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressBy {
    Region,
    Rep,
}

const COLUMNS: &[&str] = &["scope", "code", "period", "revenue", "quantity", "profit"];

pub fn run(ctx: &Context, cmd: TargetsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        TargetsCommand::Set {
            who,
            period,
            revenue,
            quantity,
            profit,
        } => (set(ctx, who, &period, revenue, quantity, profit)?, table),
        TargetsCommand::List {
            period,
            region,
            rep,
        } => (list(ctx, period, region, rep)?, table),
        TargetsCommand::Export => (list(ctx, None, None, None)?, Format::Csv),
        TargetsCommand::Remove { who, period } => (remove(ctx, who, &period)?, table),
        TargetsCommand::Split {
            who,
            year,
            into,
            by,
        } => (split(ctx, who, year, into, &by)?, table),
        TargetsCommand::Cascade { region, period, by } => {
            (cascade(ctx, &region, &period, &by)?, table)
        }
        TargetsCommand::Check => (check(ctx)?, table),
        TargetsCommand::Progress { period, by } => (progress(ctx, period, by)?, table),
        TargetsCommand::Import(opts) => {
            let mut db = ctx.open()?;
            let tx = db.conn.transaction()?;
            let mut importer = TargetsImport {
                today: ctx.today,
                seen: BTreeMap::new(),
            };
            let report = import::run(ctx, &tx, &opts, &mut importer)?;
            (finish_import(ctx, tx, &opts, &report, "targets")?, table)
        }
    })
}

/// A target's period: a year, quarter or month, never a date range.
fn target_period(text: &str, today: chrono::NaiveDate) -> Result<Period, String> {
    let p = Period::parse(text, today)?;
    if p.kind == PeriodKind::Range {
        return Err(format!(
            "\"{}\" is a date range: a target is for a year (2026), a quarter (2026-Q3) or a month (2026-10)",
            text.trim()
        ));
    }
    Ok(p)
}

fn parse_quantity(text: &str) -> Result<i64, String> {
    let t = normalize_width(text).trim().replace(',', "");
    match t.parse::<i64>() {
        Ok(q) if q >= 0 => Ok(q),
        _ => Err(format!(
            "\"{}\" is not a quantity: expected a whole number, 0 or more",
            text.trim()
        )),
    }
}

fn parse_target_money(text: &str) -> Result<Money, String> {
    let m: Money = text.parse()?;
    if m.is_negative() {
        return Err(format!(
            "\"{}\" is negative: a target is 0 or more",
            text.trim()
        ));
    }
    Ok(m)
}

/// The scope and code named by --region or --rep, which must exist.
fn resolve(
    conn: &Connection,
    today: chrono::NaiveDate,
    region: Option<String>,
    rep: Option<String>,
) -> Result<(Scope, String)> {
    match (region, rep) {
        (Some(r), _) => {
            let r = super::clean_code(&r, "region")?;
            must_region(conn, &r)?;
            Ok((Scope::Region, r))
        }
        (None, Some(p)) => {
            let p = super::clean_code(&p, "rep")?;
            must_rep(conn, &p, today)?;
            Ok((Scope::Rep, p))
        }
        (None, None) => crate::bail_usage!("give --region or --rep"),
    }
}

fn money_cell(m: Option<Money>) -> Value {
    opt(m.map(|m| m.to_string()))
}

fn target_row(t: &Target) -> Vec<Value> {
    vec![
        s(t.scope.as_str()),
        s(t.code.clone()),
        s(t.period.clone()),
        money_cell(t.revenue),
        t.quantity.map(int).unwrap_or(Value::Null),
        money_cell(t.profit),
    ]
}

fn describe(scope: Scope, code: &str, period: &str) -> String {
    format!("{} {code} {period}", scope.as_str())
}

fn set(
    ctx: &Context,
    who: Who,
    period: &str,
    revenue: Option<String>,
    quantity: Option<String>,
    profit: Option<String>,
) -> Result<Outcome> {
    let period = target_period(period, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    if revenue.is_none() && quantity.is_none() && profit.is_none() {
        crate::bail_usage!("give at least one of --revenue, --quantity, --profit");
    }
    let flag = |name: &str, e: String| crate::error::input(format!("{name}: {e}"));
    let measures = Measures {
        revenue: revenue
            .as_deref()
            .map(parse_target_money)
            .transpose()
            .map_err(|e| flag("--revenue", e))?,
        quantity: quantity
            .as_deref()
            .map(parse_quantity)
            .transpose()
            .map_err(|e| flag("--quantity", e))?,
        profit: profit
            .as_deref()
            .map(parse_target_money)
            .transpose()
            .map_err(|e| flag("--profit", e))?,
    };
    let mut db = ctx.open()?;
    let tx = db.conn.transaction()?;
    let (scope, code) = resolve(&tx, ctx.today, who.region, who.rep)?;
    store::targets::upsert(&tx, scope, &code, &period, &measures)?;
    let what = describe(scope, &code, &period.label());
    ctx.audit(&tx, &format!("target {what} set"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("target {what} set")))
}

fn list(
    ctx: &Context,
    period: Option<String>,
    region: Option<String>,
    rep: Option<String>,
) -> Result<Outcome> {
    let db = ctx.open()?;
    let period = period
        .map(|p| Period::parse(&p, ctx.today))
        .transpose()
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    if let Some(r) = &region {
        must_region(&db.conn, r)?;
    }
    if let Some(p) = &rep {
        must_rep(&db.conn, p, ctx.today)?;
    }
    let mut out = Records::new(COLUMNS);
    for t in store::targets::all(&db.conn)? {
        let wanted_scope = match (&region, &rep) {
            (None, None) => true,
            (Some(r), _) if t.scope == Scope::Region && &t.code == r => true,
            (_, Some(p)) if t.scope == Scope::Rep && &t.code == p => true,
            _ => false,
        };
        let inside = period
            .as_ref()
            .is_none_or(|p| t.start >= p.start.to_string() && t.end <= p.end.to_string());
        if wanted_scope && inside {
            out.push(target_row(&t));
        }
    }
    Ok(Outcome::records(out))
}

fn remove(ctx: &Context, who: Who, period: &str) -> Result<Outcome> {
    let period = target_period(period, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let label = period.label();
    let mut db = ctx.open()?;
    let (scope, code) = resolve(&db.conn, ctx.today, who.region, who.rep)?;
    let what = describe(scope, &code, &label);
    if store::targets::get(&db.conn, scope, &code, &label)?.is_none() {
        crate::bail_input!("no target {what} (see `salesops targets list`)");
    }
    ctx.confirm(&format!("remove target {what}"))?;
    let tx = db.conn.transaction()?;
    store::targets::delete(&tx, scope, &code, &label)?;
    ctx.audit(&tx, &format!("target {what} removed"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("target {what} removed")))
}

/// One target to write: a part of a split or a cascade.
struct Part {
    scope: Scope,
    code: String,
    period: Period,
    measures: Measures,
}

/// Split each measure of `whole` exactly by `weights`: money in cents, quantities in units.
fn allocate_measures(whole: &Target, weights: &[u128]) -> Result<Vec<Measures>> {
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

fn split(ctx: &Context, who: SplitWho, year: i32, into: Into, by: &str) -> Result<Outcome> {
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
        let found: Vec<Target> = store::targets::all(&db.conn)?
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
        let (scope, code) = resolve(&db.conn, ctx.today, who.region, who.rep)?;
        match store::targets::get(&db.conn, scope, &code, &label)? {
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
                let w = last_year_weights(&db.conn, whole, year, into)?;
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
    write_parts(
        ctx,
        &mut db.conn,
        plan,
        &format!("{unit} targets of {label}"),
    )
}

/// Last year's net revenue of a scope per month, or per quarter, as weights (negative counts as 0).
fn last_year_weights(
    conn: &Connection,
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
fn write_parts(
    ctx: &Context,
    conn: &mut Connection,
    plan: Vec<Part>,
    what: &str,
) -> Result<Outcome> {
    let mut existing = Vec::new();
    for p in &plan {
        if store::targets::get(conn, p.scope, &p.code, &p.period.label())?.is_some() {
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
    let tx = conn.transaction()?;
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

fn cascade(ctx: &Context, region: &str, period: &str, by: &str) -> Result<Outcome> {
    let period = target_period(period, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let by = parse_cascade_by(by).map_err(|e| crate::error::usage(format!("--by: {e}")))?;
    let mut db = ctx.open()?;
    let region = super::clean_code(region, "region")?;
    must_region(&db.conn, &region)?;
    let label = period.label();
    let Some(whole) = store::targets::get(&db.conn, Scope::Region, &region, &label)? else {
        crate::bail_input!(
            "no target region {region} {label} to cascade (set it with `salesops targets set --region {region} --period {label} --revenue …`)"
        );
    };
    // Reps come sorted by code, so the allocation's ties go to the lower code.
    let reps: Vec<String> = store::reps::list(&db.conn, ctx.today)?
        .into_iter()
        .filter(|r| r.region == region && r.status == "active")
        .map(|r| r.code)
        .collect();
    if reps.is_empty() {
        crate::bail_input!("region {region} has no active reps to cascade to");
    }
    let weights: Vec<u128> = match &by {
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
            let mut amounts = Vec::with_capacity(reps.len());
            for r in &reps {
                amounts.push(store::targets::actual(&db.conn, Scope::Rep, r, &before)?.net_revenue);
            }
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
    };
    let plan: Vec<Part> = reps
        .iter()
        .zip(allocate_measures(&whole, &weights)?)
        .map(|(code, measures)| Part {
            scope: Scope::Rep,
            code: code.clone(),
            period: period.clone(),
            measures,
        })
        .collect();
    write_parts(
        ctx,
        &mut db.conn,
        plan,
        &format!("region {region} {label} cascaded to its reps"),
    )
}

// ---------------------------------------------------------------------------------------------
// check

fn is_month_label(p: &str) -> bool {
    p.len() == 7 && !p.contains('Q')
}

fn is_quarter_label(p: &str) -> bool {
    p.len() == 7 && p.contains('Q')
}

/// The three measures of a target as comparable integers (money in 1e-4 units) with their names.
fn measure_values(t: &Target) -> [(&'static str, Option<i64>, bool); 3] {
    [
        ("revenue", t.revenue.map(Money::units), true),
        ("quantity", t.quantity, false),
        ("profit", t.profit.map(Money::units), true),
    ]
}

fn show_measure(v: i64, money: bool) -> String {
    if money {
        Money::from_units(v).to_string()
    } else {
        v.to_string()
    }
}

/// Per measure set on `whole` and on any of `parts`: (measure, parts' sum, whole) when they differ.
fn mismatches(whole: &Target, parts: &[&Target]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (name, value, money)) in measure_values(whole).into_iter().enumerate() {
        let Some(value) = value else { continue };
        let given: Vec<i64> = parts
            .iter()
            .filter_map(|p| measure_values(p)[i].1)
            .collect();
        if given.is_empty() {
            continue;
        }
        let sum: i64 = given.iter().sum();
        if sum != value {
            out.push(format!(
                "{name}: the parts add up to {}, the whole is {}",
                show_measure(sum, money),
                show_measure(value, money)
            ));
        }
    }
    out
}

fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let targets = store::targets::all(&db.conn)?;
    let reps = store::reps::list(&db.conn, ctx.today)?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    let mut finding = |kind: &str, subject: String, detail: String| {
        out.push(vec![s(kind), s(subject), s(detail)]);
    };
    for year in targets.iter().filter(|t| t.period.len() == 4) {
        let same = |t: &&Target| t.scope == year.scope && t.code == year.code;
        let prefix = format!("{}-", year.period);
        let months: Vec<&Target> = targets
            .iter()
            .filter(same)
            .filter(|t| is_month_label(&t.period) && t.period.starts_with(&prefix))
            .collect();
        let quarters: Vec<&Target> = targets
            .iter()
            .filter(same)
            .filter(|t| is_quarter_label(&t.period) && t.period.starts_with(&prefix))
            .collect();
        let subject = describe(year.scope, &year.code, &year.period);
        for d in mismatches(year, &months) {
            finding(
                "months_mismatch",
                subject.clone(),
                format!("{d} ({} of 12 months set)", months.len()),
            );
        }
        for d in mismatches(year, &quarters) {
            finding(
                "quarters_mismatch",
                subject.clone(),
                format!("{d} ({} of 4 quarters set)", quarters.len()),
            );
        }
    }
    // A quarter's months must add up to the quarter too.
    for quarter in targets.iter().filter(|t| is_quarter_label(&t.period)) {
        let Ok(q) = Period::parse(&quarter.period, ctx.today) else {
            continue;
        };
        let months: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                t.scope == quarter.scope && t.code == quarter.code && is_month_label(&t.period)
            })
            .filter(|t| q.months().iter().any(|m| m.label() == t.period))
            .collect();
        for d in mismatches(quarter, &months) {
            finding(
                "months_mismatch",
                describe(quarter.scope, &quarter.code, &quarter.period),
                format!("{d} ({} of 3 months set)", months.len()),
            );
        }
    }
    for region in targets.iter().filter(|t| t.scope == Scope::Region) {
        let parts: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                t.scope == Scope::Rep
                    && t.period == region.period
                    && reps
                        .iter()
                        .any(|r| r.code == t.code && r.region == region.code)
            })
            .collect();
        let names: Vec<&str> = parts.iter().map(|t| t.code.as_str()).collect();
        for d in mismatches(region, &parts) {
            finding(
                "reps_mismatch",
                describe(region.scope, &region.code, &region.period),
                format!("{d} (reps {})", names.join(", ")),
            );
        }
    }
    let year = ctx.today.format("%Y").to_string();
    let has_target = |scope: Scope, code: &str| {
        targets
            .iter()
            .any(|t| t.scope == scope && t.code == code && t.start.starts_with(&year))
    };
    for (code, _) in store::regions::names(&db.conn)? {
        if !has_target(Scope::Region, &code) {
            finding(
                "missing",
                format!("region {code}"),
                format!("no target in {year}"),
            );
        }
    }
    for r in reps.iter().filter(|r| r.status == "active") {
        if !has_target(Scope::Rep, &r.code) {
            finding(
                "missing",
                format!("rep {}", r.code),
                format!("no target in {year}"),
            );
        }
    }
    Ok(Outcome::findings(out))
}

// ---------------------------------------------------------------------------------------------
// progress

/// A period's target per measure: the exact target set for it, else the sum of the month targets
/// inside it (None when neither has the measure).
fn period_target(targets: &[Target], scope: Scope, code: &str, period: &Period) -> Measures {
    let mine: Vec<&Target> = targets
        .iter()
        .filter(|t| t.scope == scope && t.code == code)
        .collect();
    let exact = period
        .is_calendar_unit()
        .then(|| mine.iter().find(|t| t.period == period.label()))
        .flatten();
    let (start, end) = (period.start.to_string(), period.end.to_string());
    let months: Vec<&&Target> = mine
        .iter()
        .filter(|t| is_month_label(&t.period) && t.start >= start && t.end <= end)
        .collect();
    fn sum<T: Copy + std::iter::Sum<T>>(values: impl Iterator<Item = Option<T>>) -> Option<T> {
        let given: Vec<T> = values.flatten().collect();
        (!given.is_empty()).then(|| given.into_iter().sum())
    }
    Measures {
        revenue: exact
            .and_then(|t| t.revenue)
            .or_else(|| sum(months.iter().map(|t| t.revenue))),
        quantity: exact
            .and_then(|t| t.quantity)
            .or_else(|| sum(months.iter().map(|t| t.quantity))),
        profit: exact
            .and_then(|t| t.profit)
            .or_else(|| sum(months.iter().map(|t| t.profit))),
    }
}

struct ProgressRow {
    scope: Scope,
    code: String,
    name: String,
    target: Measures,
    actual: store::targets::Actual,
    band: Option<&'static str>,
    rank: Option<i64>,
}

const PROGRESS_COLUMNS: &[&str] = &[
    "scope",
    "code",
    "name",
    "period",
    "target_revenue",
    "net_revenue",
    "achievement_pct",
    "gap",
    "projected",
    "needed_per_day",
    "target_quantity",
    "quantity",
    "target_profit",
    "profit",
    "band",
    "rank",
];

fn progress(ctx: &Context, period: Option<String>, by: ProgressBy) -> Result<Outcome> {
    let period = Period::parse(period.as_deref().unwrap_or("this-year"), ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    let policy = ctx.policy(&db.conn)?;
    let targets = store::targets::all(&db.conn)?;
    let scopes: Vec<(Scope, String, String)> = match by {
        ProgressBy::Region => store::regions::names(&db.conn)?
            .into_iter()
            .map(|(c, n)| (Scope::Region, c, n))
            .collect(),
        // Reps who left are shown only while they still have a target in the period.
        ProgressBy::Rep => store::reps::list(&db.conn, ctx.today)?
            .into_iter()
            .filter(|r| {
                r.status != "left"
                    || period_target(&targets, Scope::Rep, &r.code, &period) != Measures::default()
            })
            .map(|r| (Scope::Rep, r.code, r.name))
            .collect(),
    };
    let mut rows = Vec::with_capacity(scopes.len());
    for (scope, code, name) in scopes {
        let target = period_target(&targets, scope, &code, &period);
        let actual = store::targets::actual(&db.conn, scope, &code, &period)?;
        let band = target
            .revenue
            .and_then(|t| policy.band(actual.net_revenue, t));
        rows.push(ProgressRow {
            scope,
            code,
            name,
            target,
            actual,
            band,
            rank: None,
        });
    }
    // Rank by the exact achievement ratio, highest first, ties by code; only scopes with a target.
    let mut ranked: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].band.is_some())
        .collect();
    ranked.sort_by(|&a, &b| {
        let key = |i: usize| {
            (
                rows[i].actual.net_revenue,
                rows[i].target.revenue.unwrap_or(Money::ZERO),
            )
        };
        by_achievement_desc(key(a), key(b)).then_with(|| rows[a].code.cmp(&rows[b].code))
    });
    for (n, &i) in ranked.iter().enumerate() {
        rows[i].rank = Some(n as i64 + 1);
    }
    // Ranked scopes first in rank order, then the others by code: who is behind shows at the bottom.
    rows.sort_by(|a, b| match (a.rank, b.rank) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.code.cmp(&b.code),
    });

    let report = |m: Money| s(m.to_report());
    let mut full = Records::new(PROGRESS_COLUMNS);
    for r in &rows {
        let target = r.target.revenue;
        let actual = r.actual.net_revenue;
        let gap = target.map(|t| t - actual);
        full.push(vec![
            s(r.scope.as_str()),
            s(r.code.clone()),
            s(r.name.clone()),
            s(period.label()),
            target.map(report).unwrap_or(Value::Null),
            report(actual),
            pct(target.and_then(|t| actual.pct_of(t))),
            gap.map(report).unwrap_or(Value::Null),
            projected(actual, &period, ctx.today)
                .map(report)
                .unwrap_or(Value::Null),
            gap.and_then(|g| needed_per_day(g, &period, ctx.today))
                .map(report)
                .unwrap_or(Value::Null),
            r.target.quantity.map(int).unwrap_or(Value::Null),
            r.target
                .quantity
                .map(|_| int(r.actual.quantity))
                .unwrap_or(Value::Null),
            r.target.profit.map(report).unwrap_or(Value::Null),
            r.target
                .profit
                .map(|_| report(r.actual.profit))
                .unwrap_or(Value::Null),
            opt(r.band),
            r.rank.map(int).unwrap_or(Value::Null),
        ]);
    }
    if ctx.format(Format::Table) == Format::Csv {
        return Ok(Outcome::records(full));
    }
    // The table leaves out what is the same on every row, and quantity and profit when no
    // scope has a target for them.
    let any = |col: &str| {
        let i = PROGRESS_COLUMNS.iter().position(|c| *c == col).unwrap_or(0);
        full.rows.iter().any(|r| !r[i].is_null())
    };
    let shown: Vec<&str> = PROGRESS_COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "scope" | "period"))
        .filter(|c| !matches!(*c, "projected" | "needed_per_day") || any(c))
        .filter(|c| !matches!(*c, "target_quantity" | "quantity") || any("target_quantity"))
        .filter(|c| !matches!(*c, "target_profit" | "profit") || any("target_profit"))
        .collect();
    let mut table = Records::new(&shown);
    for row in &full.rows {
        table.push(
            shown
                .iter()
                .map(|c| {
                    let i = PROGRESS_COLUMNS.iter().position(|x| x == c).unwrap_or(0);
                    row[i].clone()
                })
                .collect(),
        );
    }
    let zh = ctx.lang == Lang::Zh;
    let (title, section) = match (by, zh) {
        (ProgressBy::Region, false) => (
            format!("Target progress {}, by region", period.label()),
            "Regions",
        ),
        (ProgressBy::Rep, false) => (
            format!("Target progress {}, by rep", period.label()),
            "Reps",
        ),
        (ProgressBy::Region, true) => (format!("目标达成 {}（按大区）", period.label()), "大区"),
        (ProgressBy::Rep, true) => (format!("目标达成 {}（按销售）", period.label()), "销售"),
    };
    Ok(Outcome::document(Document {
        title: format!("{title}, as of {}", ctx.today),
        json: full.to_json(),
        sections: vec![Section {
            name: "progress".into(),
            title: section.into(),
            records: table,
            bar_column: Some("achievement_pct".into()),
            transposed: false,
        }],
        html: None,
    }))
}

// ---------------------------------------------------------------------------------------------
// import

struct TargetsImport {
    today: chrono::NaiveDate,
    seen: BTreeMap<(Scope, String, String), u64>,
}

impl Importer for TargetsImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["scope", "code", "period"]
    }

    fn row(
        &mut self,
        conn: &Connection,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let mut errors = Vec::new();
        let c_scope = input.column("scope");
        let scope_text = required(input, c_scope, "scope")?;
        let scope = Scope::parse(scope_text);
        if scope.is_none() {
            errors.push(input.error(
                c_scope,
                format!("\"{scope_text}\" is not a scope: region or rep"),
            ));
        }
        let c_code = input.column("code");
        let code = required(input, c_code, "code")?.to_string();
        check_key(input, c_code, &code)?;
        match scope {
            Some(Scope::Region) if !store::regions::exists(conn, &code)? => {
                errors.push(input.error(c_code, format!("no region \"{code}\"")))
            }
            Some(Scope::Rep) if !store::reps::exists(conn, &code)? => {
                errors.push(input.error(c_code, format!("no rep \"{code}\"")))
            }
            _ => {}
        }
        let c_period = input.column("period");
        let today = self.today;
        let period = match required(input, c_period, "period")
            .and_then(|_| input.parse(c_period, |t| target_period(t, today)))
        {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let mut measures = Measures::default();
        match input.parse(input.column("revenue"), parse_target_money) {
            Ok(v) => measures.revenue = v,
            Err(e) => errors.push(e),
        }
        match input.parse(input.column("quantity"), parse_quantity) {
            Ok(v) => measures.quantity = v,
            Err(e) => errors.push(e),
        }
        match input.parse(input.column("profit"), parse_target_money) {
            Ok(v) => measures.profit = v,
            Err(e) => errors.push(e),
        }
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(scope), Some(period)) = (scope, period) else {
            return Err(input.error(None, "incomplete row".into()).into());
        };
        let key = (scope, code.clone(), period.label());
        if let Some(first) = self.seen.get(&key) {
            return Err(input
                .error(
                    c_period,
                    format!(
                        "{} appears twice (first on line {first})",
                        describe(scope, &code, &period.label())
                    ),
                )
                .into());
        }
        let written = match store::targets::get(conn, scope, &code, &period.label())? {
            None => {
                if measures == Measures::default() {
                    return Err(input
                        .error(
                            None,
                            "a new target needs at least one of revenue, quantity, profit".into(),
                        )
                        .into());
                }
                Written::Created
            }
            Some(old) => {
                let changed = measures.revenue.is_some_and(|v| Some(v) != old.revenue)
                    || measures.quantity.is_some_and(|v| Some(v) != old.quantity)
                    || measures.profit.is_some_and(|v| Some(v) != old.profit);
                if changed {
                    Written::Updated
                } else {
                    Written::Skipped
                }
            }
        };
        if written != Written::Skipped {
            store::targets::upsert(conn, scope, &code, &period, &measures)?;
        }
        self.seen.insert(key, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
