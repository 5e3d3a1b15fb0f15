//! `reps suspend|reinstate`: a rep's right to sell, suspended through a date or given back.

use anyhow::Result;

use crate::context::Context;
use crate::domain::date::parse_date;
use crate::output::Outcome;
use crate::store;
use crate::store::lookup::{self, Kind};

#[derive(clap::Args, Debug)]
pub struct SuspendArgs {
    /// The rep's code
    pub code: String,
    /// Last day of the suspension
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: String,
    /// Why: kept with the record
    #[arg(long)]
    pub reason: String,
}

#[derive(clap::Args, Debug)]
pub struct ReinstateArgs {
    /// The rep's code
    pub code: String,
}

pub(super) fn suspend(ctx: &Context, args: SuspendArgs) -> Result<Outcome> {
    let (code, reason) = (args.code.as_str(), args.reason.as_str());
    let until =
        parse_date(&args.until).map_err(|e| crate::error::usage(format!("--until: {e}")))?;
    if until < ctx.today {
        crate::bail_input!("--until {until} is before today ({})", ctx.today);
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = &lookup::code(&tx, Kind::Rep, code)?;
    let rep = store::reps::must_get(&tx, code, ctx.today)?;
    if rep.status == "left" {
        crate::bail_input!("rep {code} has left the company");
    }
    store::reps::suspend(&tx, code, ctx.today, until, reason, None)?;
    ctx.audit(
        &tx,
        &format!("rep {code} suspended through {until}: {reason}"),
    )?;
    tx.commit()?;
    Ok(Outcome::text(format!(
        "rep {code} suspended through {until}"
    )))
}

pub(super) fn reinstate(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = &lookup::code(&tx, Kind::Rep, code)?;
    let lifted = store::reps::reinstate(&tx, code, ctx.today)?;
    if lifted == 0 {
        return Ok(Outcome::text(format!("rep {code} was not suspended")));
    }
    ctx.audit(&tx, &format!("rep {code} reinstated"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("rep {code} reinstated")))
}
