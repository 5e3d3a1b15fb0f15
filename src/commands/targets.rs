//! `targets …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum TargetsCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: TargetsCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`targets` is not built yet")
}
