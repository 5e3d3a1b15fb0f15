//! `prices …`: dated price adjustments and their notice, market observations, the price check over
//! order lines and observations, and the violations ledger with its escalation ladder.

mod adjust;
mod check;
mod ledger;
mod observe;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::period::Period;
use crate::import::ImportOptions;
use crate::output::Format;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum PricesCommand {
    /// A price adjustment effective on a date (default today, future allowed); unchanged prices carry over
    Set(adjust::SetArgs),
    /// Every price of a product, each with the one before it
    History(adjust::HistoryArgs),
    /// The adjustment notice: every change effective from --since (default today) on, upcoming included
    Notice(adjust::NoticeArgs),
    /// Import observed market prices from CSV (date, sku, price, platform, seller, area, url)
    Observe(ImportOptions),
    /// Check order lines and observations of a period against the price policy; exit 4 on findings
    Check(check::CheckArgs),
    /// The violations ledger, with the suggested action of the escalation ladder
    Violations(ledger::ViolationsArgs),
    /// Resolve a violation: dismiss, warning, fine or suspend (suspends the rep from today)
    Resolve(ledger::ResolveArgs),
}

pub fn run(ctx: &Context, cmd: PricesCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        PricesCommand::Set(args) => (adjust::set(ctx, args)?, table),
        PricesCommand::History(args) => (adjust::history(ctx, &args.sku)?, table),
        PricesCommand::Notice(args) => (adjust::notice(ctx, args.since.as_deref())?, table),
        PricesCommand::Observe(opts) => (observe::import_file(ctx, &opts)?, table),
        PricesCommand::Check(args) => (check::check(ctx, args)?, table),
        PricesCommand::Violations(args) => (ledger::list(ctx, args)?, table),
        PricesCommand::Resolve(args) => (ledger::resolve(ctx, args)?, table),
    })
}

/// `--period P`, or `default` when absent; a bad period is a usage error.
fn period_flag(ctx: &Context, text: Option<&str>, default: Period) -> Result<Period> {
    match text {
        Some(t) => {
            Period::parse(t, ctx.today).map_err(|e| crate::error::usage(format!("--period: {e}")))
        }
        None => Ok(default),
    }
}
