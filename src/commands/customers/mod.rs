//! `customers …`: the one customer database for every channel: leads and follow-ups, grading into
//! tiers, the customer checks, and CSV import and export.

mod check;
mod edit;
mod follow_up;
mod grade;
mod import;
mod list;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::import::ImportOptions;
use crate::output::{Format, Outcome};

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// Add a customer (or, with --lead, a lead awaiting first contact)
    Add(edit::AddArgs),
    /// List customers
    List(list::ListArgs),
    /// One customer, with its first order date and number of follow-ups
    Show(list::ShowArgs),
    /// Change a customer; an empty value ("") clears an optional field
    Edit(edit::EditArgs),
    /// Remove a customer (refused while orders refer to it)
    Remove(edit::RemoveArgs),
    /// Record a follow-up; the first one on a lead makes it active
    Log(follow_up::LogArgs),
    /// Follow-ups and tier changes in date order
    History(follow_up::HistoryArgs),
    /// Grade every customer from its trailing window (policy tier.*); prints each change
    Regrade(grade::RegradeArgs),
    /// Findings: no_owner, duplicate, uncovered, sla, inactive_owner (exit 4 on any)
    Check,
    /// Import customers from CSV (code, name, area, city, company, phone, email, channel, segment,
    /// owner, tier, status, terms_days, created)
    Import(ImportOptions),
    /// Export customers as CSV
    Export,
}

/// A customer's fields in listings, exports and imports.
const COLUMNS: &[&str] = &[
    "code",
    "name",
    "area",
    "city",
    "company",
    "phone",
    "email",
    "channel",
    "segment",
    "owner",
    "tier",
    "status",
    "terms_days",
    "created",
    "campaign",
];

pub fn run(ctx: &Context, cmd: CustomersCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        CustomersCommand::Add(args) => (edit::add(ctx, args)?, table),
        CustomersCommand::List(args) => (Outcome::records(list::list(ctx, &args)?), table),
        CustomersCommand::Export => (
            Outcome::records(list::list(ctx, &list::ListArgs::default())?),
            Format::Csv,
        ),
        CustomersCommand::Show(args) => (list::show(ctx, &args.code)?, table),
        CustomersCommand::Edit(args) => (edit::edit(ctx, args)?, table),
        CustomersCommand::Remove(args) => (edit::remove(ctx, &args.code)?, table),
        CustomersCommand::Log(args) => (follow_up::log(ctx, args)?, table),
        CustomersCommand::History(args) => (follow_up::history(ctx, &args.code)?, table),
        CustomersCommand::Regrade(args) => (grade::regrade(ctx, args.dry_run)?, table),
        CustomersCommand::Check => (check::check(ctx)?, table),
        CustomersCommand::Import(opts) => (import::import_file(ctx, &opts)?, table),
    })
}
