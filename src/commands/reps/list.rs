//! `reps list|show|export`: reps with their status as of today.

use anyhow::Result;

use super::COLUMNS;
use crate::context::Context;
use crate::domain::rep::Rep;
use crate::output::Cell;
use crate::output::{opt, s, Outcome, Records};
use crate::store;
use crate::store::lookup::{self, Kind};

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// Only reps with this status
    #[arg(long, value_name = "active|suspended|left")]
    pub status: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The rep's code
    pub code: String,
}

fn rep_row(r: Rep) -> Vec<Cell> {
    vec![
        s(r.code),
        s(r.name),
        s(r.region),
        s(r.role.as_str()),
        opt(r.manager),
        opt(r.phone),
        opt(r.email),
        s(r.status),
    ]
}

pub(super) fn list(ctx: &Context, args: ListArgs) -> Result<Records> {
    let ListArgs { region, status } = args;
    let db = ctx.open()?;
    let regions = match &region {
        Some(r) => {
            let r = lookup::code(&db, Kind::Region, r)?;
            Some(store::regions::descendants(&db, &r)?)
        }
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for r in store::reps::list(&db, ctx.today)? {
        if regions.as_ref().is_some_and(|rs| !rs.contains(&r.region))
            || status.as_ref().is_some_and(|st| *st != r.status)
        {
            continue;
        }
        out.push(rep_row(r));
    }
    Ok(out)
}

pub(super) fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Rep, code)?;
    let rep = store::reps::must_get(&db, code, ctx.today)?;
    // An open-ended suspension (imported as `suspended`) has no end date to show.
    let until = rep
        .suspended_until
        .clone()
        .filter(|u| !u.starts_with("9999"));
    let mut columns = COLUMNS.to_vec();
    columns.push("suspended_until");
    let mut out = Records::new(&columns);
    let mut row = rep_row(rep);
    row.push(opt(until));
    out.push(row);
    Ok(Outcome::record(out))
}
