//! `reps …`: salespeople, their roles, suspensions and departures.

mod edit;
mod import;
mod list;
mod suspend;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::import::ImportOptions;
use crate::output::{Format, Outcome};

#[derive(Subcommand, Debug)]
pub enum RepsCommand {
    /// Add a rep
    Add(edit::AddArgs),
    /// List reps with their status as of today
    List(list::ListArgs),
    /// One rep
    Show(list::ShowArgs),
    /// Change a rep; --left records a departure, --active undoes it
    Edit(edit::EditArgs),
    /// Remove a rep (refused while customers, orders, targets or other reps refer to it)
    Remove(edit::RemoveArgs),
    /// Suspend a rep's right to sell through a date
    Suspend(suspend::SuspendArgs),
    /// End a rep's suspension today
    Reinstate(suspend::ReinstateArgs),
    /// Import reps from CSV (code, name, region, role, manager, phone, email, status)
    Import(ImportOptions),
    /// Export reps as CSV
    Export,
}

/// A rep's fields in listings, exports and imports.
const COLUMNS: &[&str] = &[
    "code", "name", "region", "role", "manager", "phone", "email", "status",
];

pub fn run(ctx: &Context, cmd: RepsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        RepsCommand::Add(args) => (edit::add(ctx, args)?, table),
        RepsCommand::List(args) => (Outcome::records(list::list(ctx, args)?), table),
        RepsCommand::Export => (
            Outcome::records(list::list(ctx, list::ListArgs::default())?),
            Format::Csv,
        ),
        RepsCommand::Show(args) => (list::show(ctx, &args.code)?, table),
        RepsCommand::Edit(args) => (edit::edit(ctx, args)?, table),
        RepsCommand::Remove(args) => (edit::remove(ctx, &args.code)?, table),
        RepsCommand::Suspend(args) => (suspend::suspend(ctx, args)?, table),
        RepsCommand::Reinstate(args) => (suspend::reinstate(ctx, &args.code)?, table),
        RepsCommand::Import(opts) => (import::import_file(ctx, &opts)?, table),
    })
}
