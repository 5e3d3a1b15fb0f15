//! `demo`: build a database from the sample company in examples/ and show what it holds.

use anyhow::Result;

use crate::context::Context;
use crate::output::Outcome;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

pub fn run(_ctx: &Context, _args: DemoArgs) -> Result<Outcome> {
    Ok(Outcome::nothing())
}
