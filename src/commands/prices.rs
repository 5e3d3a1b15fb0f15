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

/// Price findings in a period by kind (built with `prices check`).
pub fn finding_counts(
    _conn: &rusqlite::Connection,
    _policy: &crate::domain::policy::Policy,
    _period: &crate::domain::period::Period,
) -> Result<Vec<(String, i64)>> {
    Ok(Vec::new())
}
