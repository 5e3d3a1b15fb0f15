//! `service …`: after-sales tickets. Open a ticket, move it along open → responded → resolved →
//! closed (and reopen it), list, show, check the response and resolution times, the KPIs, and
//! import and export tickets.

mod csv;
mod flow;
mod listing;

use anyhow::Result;
use chrono::NaiveDateTime;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::service::{parse_time, Figure, Kpi};
use crate::import::ImportOptions;
use crate::output::{int, Cell, Format, Outcome};

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    /// Open a ticket; prints its id (T + date + number of the day)
    Open(flow::OpenArgs),
    /// open → responded
    Respond(flow::RespondArgs),
    /// open or responded → resolved (resolving an open ticket responds to it too)
    Resolve(flow::ResolveArgs),
    /// resolved → closed, with the customer's satisfaction score
    Close(flow::CloseArgs),
    /// resolved or closed → responded
    Reopen(flow::ReopenArgs),
    /// Give a ticket to a rep
    Assign(flow::AssignArgs),
    /// Tickets in opening order
    List(listing::ListArgs),
    /// A ticket with its due times and its timeline
    Show(listing::ShowArgs),
    /// Findings: response_overdue, resolution_overdue, unassigned (as of now)
    Check,
    /// Response and resolution on time, complaints resolved, satisfaction, by region, rep or kind
    Kpi(listing::KpiArgs),
    /// Import tickets from CSV
    Import(ImportOptions),
    /// Export tickets as CSV
    Export,
}

pub fn run(ctx: &Context, cmd: ServiceCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        ServiceCommand::Open(args) => (flow::open(ctx, args)?, table),
        ServiceCommand::Respond(args) => (flow::respond(ctx, args)?, table),
        ServiceCommand::Resolve(args) => (flow::resolve(ctx, args)?, table),
        ServiceCommand::Close(args) => (flow::close(ctx, args)?, table),
        ServiceCommand::Reopen(args) => (flow::reopen(ctx, args)?, table),
        ServiceCommand::Assign(args) => (flow::assign(ctx, args)?, table),
        ServiceCommand::List(args) => (listing::list(ctx, args)?, table),
        ServiceCommand::Show(args) => (listing::show(ctx, &args.id)?, table),
        ServiceCommand::Check => (listing::check(ctx)?, table),
        ServiceCommand::Kpi(args) => (listing::kpi(ctx, args)?, table),
        ServiceCommand::Import(opts) => (csv::import(ctx, &opts)?, table),
        ServiceCommand::Export => (listing::export(ctx)?, Format::Csv),
    })
}

/// `--at TIME`, or now (with --today, that date at the current time of day).
fn at_or_now(ctx: &Context, at: Option<&str>) -> Result<NaiveDateTime> {
    match at {
        Some(text) => parse_time(text).map_err(|e| crate::error::usage(format!("--at: {e}"))),
        None => Ok(ctx.now),
    }
}

/// The KPI figures as cells, in the order of `KPI_COLUMNS`.
fn kpi_cells(k: &Kpi) -> Vec<Cell> {
    k.figures()
        .iter()
        .map(|f| match f {
            Figure::Count(n) => int(*n),
            Figure::Number(Some(x)) => Cell::Pct(*x),
            Figure::Number(None) => Cell::Null,
        })
        .collect()
}
