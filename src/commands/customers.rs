//! `customers …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: CustomersCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`customers` is not built yet")
}
