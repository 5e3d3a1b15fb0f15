//! `regions …`: sales regions, the areas each covers, and the coverage check.

mod assign;
mod check;
mod edit;
mod import;
mod list;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::import::ImportOptions;
use crate::output::{Format, Outcome};

#[derive(Subcommand, Debug)]
pub enum RegionsCommand {
    /// Add a region
    Add(edit::AddArgs),
    /// List regions with their areas
    List,
    /// One region: its areas, sub-regions and reps
    Show(list::ShowArgs),
    /// Change a region's name, parent or manager
    Edit(edit::EditArgs),
    /// Remove a region, freeing its areas (refused while anything refers to it)
    Remove(edit::RemoveArgs),
    /// Give areas to a region
    Assign(assign::AssignArgs),
    /// Take areas out of their region
    Unassign(assign::UnassignArgs),
    /// Coverage findings: gap, unassigned_orders, empty_region, no_manager (exit 4 on any)
    Check,
    /// Import regions from CSV (code, name, parent, manager, areas)
    Import(ImportOptions),
    /// Export regions as CSV
    Export,
}

/// A region's fields in listings, exports and imports.
const COLUMNS: &[&str] = &["code", "name", "parent", "manager", "areas"];

pub fn run(ctx: &Context, cmd: RegionsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        RegionsCommand::Add(args) => (edit::add(ctx, args)?, table),
        RegionsCommand::List => (Outcome::records(list::list(ctx)?), table),
        RegionsCommand::Export => (Outcome::records(list::list(ctx)?), Format::Csv),
        RegionsCommand::Show(args) => (list::show(ctx, &args.code)?, table),
        RegionsCommand::Edit(args) => (edit::edit(ctx, args)?, table),
        RegionsCommand::Remove(args) => (edit::remove(ctx, &args.code)?, table),
        RegionsCommand::Assign(args) => (assign::assign(ctx, args)?, table),
        RegionsCommand::Unassign(args) => (assign::unassign(ctx, &args.areas)?, table),
        RegionsCommand::Check => (check::check(ctx)?, table),
        RegionsCommand::Import(opts) => (import::import_file(ctx, &opts)?, table),
    })
}
