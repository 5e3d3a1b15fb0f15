//! One module per command group. Each has its clap types and `run` functions that return an `Outcome`;
//! `run` here builds the context, dispatches, and emits the outcome.
//!
//! No group imports another (tests/architecture.rs holds them to it): what groups share lives in
//! `store` (lookups, queries), `domain` (rules), `import` (finishing an import), or here when it is about
//! the command line itself: the values of flags (`clean_code`, `non_empty_name`, `money_flag`, `switch`,
//! `set_or_clear`) and the refuse–confirm–audit protocol every `remove` follows (`remove_record`).
//! `demo` runs the other commands only as command lines, through `run_line`.

pub mod admin;
pub mod areas;
pub mod campaigns;
pub mod carriers;
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
pub mod scorecard;
pub mod service;
pub mod stock;
pub mod targets;
pub mod warehouses;

use std::ffi::OsString;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::domain::money::{parse_price, Money};
use crate::domain::text;
use crate::output::Format;
use crate::output::Outcome;

pub fn run(cli: Cli) -> Result<u8> {
    let is_demo = matches!(cli.command, Command::Demo(_));
    let ctx = Context::new(cli.global, is_demo)?;
    // Before the command: a bad --output must fail while nothing has been written.
    let output = ctx.open_output()?;
    let (outcome, default) = dispatch(&ctx, cli.command).map_err(|e| ctx.explain(e))?;
    ctx.emit(outcome, default, output)
}

/// Run one command: its outcome and its default format.
fn dispatch(ctx: &Context, command: Command) -> Result<(Outcome, Format)> {
    Ok(match command {
        Command::Init(args) => (admin::init(ctx, args)?, Format::Table),
        Command::Demo(args) => (demo::run(ctx, args, &run_line)?, Format::Table),
        Command::Areas(cmd) => (areas::run(ctx, cmd)?, Format::Table),
        Command::Regions(cmd) => regions::run(ctx, cmd)?,
        Command::Reps(cmd) => reps::run(ctx, cmd)?,
        Command::Customers(cmd) => customers::run(ctx, cmd)?,
        Command::Products(cmd) => products::run(ctx, cmd)?,
        Command::Warehouses(cmd) => warehouses::run(ctx, cmd)?,
        Command::Stock(cmd) => stock::run(ctx, cmd)?,
        Command::Prices(cmd) => prices::run(ctx, cmd)?,
        Command::Orders(cmd) => orders::run(ctx, cmd)?,
        Command::Payments(cmd) => payments::run(ctx, cmd)?,
        Command::Service(cmd) => service::run(ctx, cmd)?,
        Command::Targets(cmd) => targets::run(ctx, cmd)?,
        Command::Campaigns(cmd) => campaigns::run(ctx, cmd)?,
        Command::Carriers(cmd) => carriers::run(ctx, cmd)?,
        Command::Scorecard(args) => scorecard::run(ctx, args)?,
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

/// Parse `words` as the command line after `salesops` and run it with `ctx`: how `demo` runs the other
/// commands without naming them. A line that does not parse is a bug in its caller, reported as clap's
/// error.
fn run_line(ctx: &Context, words: &[OsString]) -> Result<Outcome> {
    let line = std::iter::once(OsString::from("salesops")).chain(words.iter().cloned());
    let cli = <Cli as clap::Parser>::try_parse_from(line)?;
    Ok(dispatch(ctx, cli.command)?.0)
}

/// Codes are typed by people: surrounding spaces are never part of them, an empty one is no code, and
/// the stored form is the normalised one (`domain::text::code`: full-width `ＺＥ２` is `ZE2`; a code with
/// an invisible character is refused).
pub fn clean_code(code: &str, what: &str) -> Result<String> {
    if code.trim().is_empty() {
        crate::bail_usage!("the {what} code is empty");
    }
    text::code(code, &format!("{what} code")).map_err(crate::error::input)
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

/// The end every `edit` of a plain record shares: when nothing changed it says so and writes (and
/// audits) nothing; else `write` stores the record, and the change is audited and committed in the
/// command's one transaction. `what` names the record ("carrier SF").
pub fn save_edit<T: PartialEq>(
    ctx: &Context,
    tx: crate::store::Tx<'_>,
    what: &str,
    old: &T,
    new: &T,
    write: impl FnOnce(&crate::store::Conn, &T) -> Result<()>,
) -> Result<Outcome> {
    if new == old {
        return Ok(Outcome::text(format!("{what}: nothing changed")));
    }
    write(&tx, new)?;
    let done = format!("{what} updated");
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

/// A price given on the command line: a bad value is invalid input (exit 3) naming the flag.
pub fn money_flag(text: &str, flag: &str) -> Result<Money> {
    parse_price(text).map_err(|e| crate::error::input(format!("{flag}: {e}")))
}

/// A value flag and its `--no-…` twin (`--parent P`, `--no-parent`): Some(Some(P)) sets the field,
/// Some(None) clears it, None leaves it as it is.
pub fn set_or_clear(value: Option<String>, clear: bool) -> Option<Option<String>> {
    if clear {
        Some(None)
    } else {
        value.map(Some)
    }
}

/// A name as given, trimmed; an empty one is a usage error, one with a control character or over 200
/// characters invalid input (`domain::text::name`).
pub fn non_empty_name(name: &str) -> Result<String> {
    if name.trim().is_empty() {
        crate::bail_usage!("--name is empty");
    }
    text::name(name, "name").map_err(|e| crate::error::input(format!("--name: {e}")))
}
