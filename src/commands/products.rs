//! `products …` (being built).

use anyhow::Result;
use clap::Subcommand;

use crate::cli::Format;
use crate::context::Context;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum ProductsCommand {
    /// Not built yet
    List,
}

pub fn run(_ctx: &Context, _cmd: ProductsCommand) -> Result<(Outcome, Format)> {
    crate::bail_usage!("`products` is not built yet")
}
