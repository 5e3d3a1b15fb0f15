//! One module per command group. Each has its clap types and `run` functions that return an `Outcome`;
//! `run` here builds the context, dispatches, and emits the outcome.

pub mod admin;
pub mod areas;
pub mod customers;
pub mod demo;
pub mod orders;
pub mod payments;
pub mod policy;
pub mod prices;
pub mod products;
pub mod regions;
pub mod report;
pub mod reps;
pub mod targets;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::output::Format;
use crate::output::Outcome;

pub fn run(cli: Cli) -> Result<u8> {
    let is_demo = matches!(cli.command, Command::Demo(_));
    let ctx = Context::new(cli.global, is_demo)?;
    let (outcome, default) = dispatch(&ctx, cli.command)?;
    ctx.emit(outcome, default)
}

/// Run one command: its outcome and its default format.
pub fn dispatch(ctx: &Context, command: Command) -> Result<(Outcome, Format)> {
    Ok(match command {
        Command::Init(args) => (admin::init(ctx, args)?, Format::Table),
        Command::Demo(args) => (demo::run(ctx, args)?, Format::Table),
        Command::Areas(cmd) => (areas::run(ctx, cmd)?, Format::Table),
        Command::Regions(cmd) => regions::run(ctx, cmd)?,
        Command::Reps(cmd) => reps::run(ctx, cmd)?,
        Command::Customers(cmd) => customers::run(ctx, cmd)?,
        Command::Products(cmd) => products::run(ctx, cmd)?,
        Command::Prices(cmd) => prices::run(ctx, cmd)?,
        Command::Orders(cmd) => orders::run(ctx, cmd)?,
        Command::Payments(cmd) => payments::run(ctx, cmd)?,
        Command::Targets(cmd) => targets::run(ctx, cmd)?,
        Command::Report(cmd) => report::run(ctx, cmd)?,
        Command::Policy(cmd) => (policy::run(ctx, cmd)?, Format::Table),
        Command::Backup(args) => (admin::backup(ctx, args)?, Format::Table),
        Command::Db(cmd) => (admin::db(ctx, cmd)?, Format::Table),
        Command::Audit(args) => (admin::audit(ctx, args)?, Format::Table),
        Command::Completions(args) => (
            admin::completions(args, <Cli as clap::CommandFactory>::command())?,
            Format::Table,
        ),
    })
}

/// Codes are typed by people: surrounding spaces are never part of them, and an empty one is no code.
pub fn clean_code(code: &str, what: &str) -> Result<String> {
    let code = code.trim();
    if code.is_empty() {
        crate::bail_usage!("the {what} code is empty");
    }
    if code.chars().any(|c| c.is_control()) {
        crate::bail_input!(
            "the {what} code \"{}\" has control characters",
            code.escape_debug()
        );
    }
    Ok(code.to_string())
}

/// The shape every `remove` shares: refused (exit 3) while other records refer to this one, naming them
/// with `advice`; then confirmed; then `delete` runs and is audited in one transaction. `delete` returns
/// what was done, which is also what the command prints.
pub fn remove_record(
    ctx: &Context,
    db: &mut crate::store::Db,
    subject: &str,
    refs: &[String],
    advice: &str,
    question: &str,
    delete: impl FnOnce(&crate::store::Conn) -> Result<String>,
) -> Result<Outcome> {
    if !refs.is_empty() {
        crate::bail_input!(
            "{subject} is still referred to by {}; {advice}",
            refs.join(", ")
        );
    }
    ctx.confirm(question)?;
    let tx = db.begin()?;
    let done = delete(&tx)?;
    ctx.audit(&tx, &done)?;
    tx.commit()?;
    Ok(Outcome::text(done))
}

/// A pair of opposite flags (`--lock`/`--unlock`, `--left`/`--active`): Some(true), Some(false), or
/// None when neither was given.
pub fn switch(on: bool, off: bool) -> Option<bool> {
    if on {
        Some(true)
    } else if off {
        Some(false)
    } else {
        None
    }
}

/// A name as given, trimmed; an empty one is a usage error.
pub fn non_empty_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        crate::bail_usage!("--name is empty");
    }
    Ok(name.to_string())
}
