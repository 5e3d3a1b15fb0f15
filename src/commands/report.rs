//! `report …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: ReportCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`report` is not built yet")
}
