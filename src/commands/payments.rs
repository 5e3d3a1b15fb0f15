//! `payments …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum PaymentsCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: PaymentsCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`payments` is not built yet")
}
