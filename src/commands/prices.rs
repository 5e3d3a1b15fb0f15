//! `prices …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum PricesCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: PricesCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`prices` is not built yet")
}
