//! `orders …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum OrdersCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: OrdersCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`orders` is not built yet")
}
