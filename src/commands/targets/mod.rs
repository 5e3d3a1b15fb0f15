//! `targets …`: revenue, quantity and profit targets per region or rep and period; breaking a year
//! into months or quarters, handing a region's target to its reps, checking that the parts add up,
//! and progress against them.

use std::collections::BTreeMap;

use crate::output::Cell;
use crate::store::lookup::{self, Kind};
use crate::store::Conn;
use anyhow::Result;
use clap::{Subcommand, ValueEnum};

use crate::context::Context;
use crate::domain::decimal::normalize_width;
use crate::domain::money::{parse_non_negative, Money};
use crate::domain::period::{Period, PeriodKind};
use crate::import::{self, finish_import, ImportOptions};
use crate::output::Format;
use crate::output::{amount, int, s, Outcome, Records};
use crate::store::{
    self,
    targets::{Measures, Scope, Target},
};

#[derive(Subcommand, Debug)]
pub enum TargetsCommand {
    /// Set a region's or rep's target for a year, quarter or month (measures not given are kept)
    Set(SetArgs),
    /// Targets whose period lies inside --period
    List(ListArgs),
    /// Remove one target
    Remove(RemoveArgs),
    /// Break a year's target into months or quarters, exactly
    Split(SplitArgs),
    /// Hand a region's target for a period to its active reps, exactly
    Cascade(CascadeArgs),
    /// Findings: months_mismatch, quarters_mismatch, reps_mismatch, missing (exit 4 on any)
    Check,
    /// Target against actual net revenue per region or rep, with projection, band and rank
    Progress(ProgressArgs),
    /// Import targets from CSV (scope, code, period, revenue, quantity, profit)
    Import(ImportOptions),
    /// Export targets as CSV
    Export,
}

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    #[command(flatten)]
    pub who: Who,
    /// A year (2026), quarter (2026-Q3) or month (2026-10)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
    /// Revenue target
    // Hyphen values are taken so that a negative amount is refused with a reason.
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub revenue: Option<String>,
    /// Quantity target
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub quantity: Option<String>,
    /// Profit target
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub profit: Option<String>,
}

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub who: Who,
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
}

#[derive(clap::Args, Debug)]
pub struct SplitArgs {
    #[command(flatten)]
    pub who: SplitWho,
    /// The year
    #[arg(long, value_name = "YYYY")]
    pub year: i32,
    /// What the year is broken into: months or quarters
    #[arg(long, value_enum, default_value = "months")]
    pub into: Into,
    /// How: evenly, by last year's net revenue per part, or by weights
    #[arg(
        long,
        value_name = "even|last-year|weights:W1,W2,...",
        default_value = "even"
    )]
    pub by: String,
}

#[derive(clap::Args, Debug)]
pub struct CascadeArgs {
    /// The region (code or name)
    #[arg(
        long,
        value_name = "CODE|NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub region: Option<String>,
    /// Cascade every region that has a target for the period
    #[arg(long)]
    pub all: bool,
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
    /// How: evenly, by each rep's net revenue a year earlier, or by weights
    #[arg(
        long,
        value_name = "even|last-year|weights:REP=W,...",
        default_value = "even"
    )]
    pub by: String,
}

#[derive(clap::Args, Debug)]
pub struct ProgressArgs {
    /// Default: this-year
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Rows: one per region or per rep
    #[arg(long, value_enum, default_value = "region")]
    pub by: ProgressBy,
}

#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Who {
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
}

#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct SplitWho {
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
    /// Every region and rep with a target for the year
    #[arg(long)]
    pub all: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Into {
    // `month` and `quarter` also read, as `report trend --by` spells them (not doc comments: those
    // would turn the help screen into its long form).
    #[value(alias = "month")]
    Months,
    #[value(alias = "quarter")]
    Quarters,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressBy {
    Region,
    Rep,
}

mod check;
mod csv;
mod progress;
mod split;

use check::check;
use csv::TargetsImport;
use progress::progress;
use split::{cascade, split};

const COLUMNS: &[&str] = &["scope", "code", "period", "revenue", "quantity", "profit"];

pub fn run(ctx: &Context, cmd: TargetsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        TargetsCommand::Set(args) => (set(ctx, args)?, table),
        TargetsCommand::List(args) => (list(ctx, args)?, table),
        TargetsCommand::Export => (list(ctx, ListArgs::default())?, Format::Csv),
        TargetsCommand::Remove(args) => (remove(ctx, args.who, &args.period)?, table),
        TargetsCommand::Split(a) => (split(ctx, a.who, a.year, a.into, &a.by)?, table),
        TargetsCommand::Cascade(a) => (
            cascade(ctx, a.region.as_deref(), a.all, &a.period, &a.by)?,
            table,
        ),
        TargetsCommand::Check => (check(ctx)?, table),
        TargetsCommand::Progress(args) => (progress(ctx, args.period, args.by)?, table),
        TargetsCommand::Import(opts) => {
            let mut db = ctx.open()?;
            let tx = db.begin()?;
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
    parse_non_negative(text, "target")
}

/// The scope and code named by --region or --rep, which must exist.
fn resolve(conn: &Conn, region: Option<String>, rep: Option<String>) -> Result<(Scope, String)> {
    match (region, rep) {
        (Some(r), _) => {
            let r = lookup::code(conn, Kind::Region, &r)?;
            Ok((Scope::Region, r))
        }
        (None, Some(p)) => {
            let p = lookup::code(conn, Kind::Rep, &p)?;
            Ok((Scope::Rep, p))
        }
        (None, None) => crate::bail_usage!("give --region or --rep"),
    }
}

fn money_cell(m: Option<Money>) -> Cell {
    m.map(amount).into()
}

fn target_row(t: &Target) -> Vec<Cell> {
    vec![
        s(t.scope.as_str()),
        s(t.code.clone()),
        s(t.period.clone()),
        money_cell(t.revenue),
        t.quantity.map(int).unwrap_or(Cell::Null),
        money_cell(t.profit),
    ]
}

fn describe(scope: Scope, code: &str, period: &str) -> String {
    format!("{} {code} {period}", scope.as_str())
}

fn set(ctx: &Context, args: SetArgs) -> Result<Outcome> {
    let SetArgs {
        who,
        period,
        revenue,
        quantity,
        profit,
    } = args;
    let period = target_period(&period, ctx.today)
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
    let tx = db.begin()?;
    let (scope, code) = resolve(&tx, who.region, who.rep)?;
    store::targets::upsert(&tx, scope, &code, &period, &measures)?;
    let what = describe(scope, &code, &period.label());
    ctx.audit(&tx, &format!("target {what} set"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("target {what} set")))
}

fn list(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let ListArgs {
        period,
        region,
        rep,
    } = args;
    let db = ctx.open()?;
    let period = period
        .map(|p| Period::parse(&p, ctx.today))
        .transpose()
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let region = lookup::code_opt(&db, Kind::Region, region.as_deref())?;
    let rep = lookup::code_opt(&db, Kind::Rep, rep.as_deref())?;
    let mut out = Records::new(COLUMNS);
    for t in store::targets::all(&db)? {
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
    let (scope, code) = resolve(&db, who.region, who.rep)?;
    let what = describe(scope, &code, &label);
    if store::targets::get(&db, scope, &code, &label)?.is_none() {
        crate::bail_input!("no target {what} (see `salesops targets list`)");
    }
    ctx.confirm(&format!("remove target {what}"))?;
    let tx = db.begin()?;
    store::targets::delete(&tx, scope, &code, &label)?;
    ctx.audit(&tx, &format!("target {what} removed"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("target {what} removed")))
}
