//! `report …`: monthly, quarterly, annual and period reports, and trends. A report is built once as a
//! typed value (`build`), then presented in every format from that one value (`present`).

mod build;
mod campaigns;
mod carriers;
mod present;
mod scorecard;
mod service;
mod stock;
mod trend;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::period::Period;
use crate::output::Format;
use crate::output::{Body, Outcome};

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// A month (default: the last full month before today)
    Monthly(MonthlyArgs),
    /// A quarter (default: the last full quarter)
    Quarterly(QuarterlyArgs),
    /// A year (default: the last full year)
    Annual(AnnualArgs),
    /// Any period: 2026, 2026-Q3, 2026-10, 2026-01-05..2026-02-20, last-month…
    Period(PeriodArgs),
    /// Net revenue per group (rows) and month or quarter (columns)
    Trend(trend::TrendArgs),
}

#[derive(clap::Args, Debug)]
pub struct MonthlyArgs {
    /// YYYY-MM
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    #[command(flatten)]
    pub section: SectionArg,
}

#[derive(clap::Args, Debug)]
pub struct QuarterlyArgs {
    /// YYYY-Qn
    #[arg(long, value_name = "YYYY-QN")]
    pub quarter: Option<String>,
    #[command(flatten)]
    pub section: SectionArg,
}

#[derive(clap::Args, Debug)]
pub struct AnnualArgs {
    /// The year
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub section: SectionArg,
}

#[derive(clap::Args, Debug)]
pub struct PeriodArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
    #[command(flatten)]
    pub section: SectionArg,
}

#[derive(clap::Args, Debug)]
pub struct SectionArg {
    /// With --format csv: the one section to write (summary, regions, reps, products, channels, tiers,
    /// receivables, violations, stock, service, campaigns, carriers, and scorecard except in a monthly report)
    #[arg(long)]
    pub section: Option<String>,
}

pub fn run(ctx: &Context, cmd: ReportCommand) -> Result<(Outcome, Format)> {
    let parse = |text: &str, flag: &str| {
        Period::parse(text, ctx.today).map_err(|e| crate::error::usage(format!("{flag}: {e}")))
    };
    let (period, section, kind) = match cmd {
        ReportCommand::Trend(args) => return Ok((trend::run(ctx, args)?, Format::Table)),
        ReportCommand::Monthly(MonthlyArgs { month, section }) => {
            let p = match month {
                Some(m) => Period::parse(&m, ctx.today).map_err(|_| {
                    crate::error::usage(format!(
                        "--month takes a month such as 2026-10, not \"{m}\""
                    ))
                })?,
                None => Period::last_full_month_before(ctx.today),
            };
            if p.kind != crate::domain::period::PeriodKind::Month {
                crate::bail_usage!("--month takes a month such as 2026-10");
            }
            (p, section, "Monthly")
        }
        ReportCommand::Quarterly(QuarterlyArgs { quarter, section }) => {
            let p = match quarter {
                Some(q) => parse(&q, "--quarter")?,
                None => Period::last_full_quarter_before(ctx.today),
            };
            if p.kind != crate::domain::period::PeriodKind::Quarter {
                crate::bail_usage!("--quarter takes a quarter such as 2026-Q3");
            }
            (p, section, "Quarterly")
        }
        ReportCommand::Annual(AnnualArgs { year, section }) => {
            let p = match year {
                Some(y) => Period::year(y),
                None => Period::last_full_year_before(ctx.today),
            };
            (p, section, "Annual")
        }
        ReportCommand::Period(PeriodArgs { period, section }) => {
            (parse(&period, "--period")?, section, "Period")
        }
    };
    let db = ctx.open()?;
    let mut report = build::build(ctx, &db, &period)?;
    if kind != "Monthly" {
        let policy = ctx.policy(&db)?;
        report.scorecard = Some(scorecard::build(&db, &policy, &period, ctx.today)?);
    }
    let title = present::title(kind, &report, ctx.lang);
    let doc = present::document(&report, &title, ctx.lang);
    if let Some(name) = section.section {
        let Some(found) = doc.sections.iter().find(|s| s.name == name) else {
            crate::bail_usage!(
                "--section: no section \"{name}\"; the sections are: {}",
                doc.sections
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        let records = found.records.clone();
        return Ok((
            Outcome {
                body: Body::Records(records),
                exit: 0,
            },
            Format::Table,
        ));
    }
    Ok((Outcome::document(doc), Format::Table))
}
