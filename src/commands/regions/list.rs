//! `regions list|show|export`: regions with their areas; one region with its sub-regions and reps.

use anyhow::Result;

use super::COLUMNS;
use crate::context::Context;
use crate::output::{names, Cell};
use crate::output::{opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{self, regions::Region};

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The region's code
    pub code: String,
}

fn region_row(r: Region) -> Vec<Cell> {
    vec![
        s(r.code),
        s(r.name),
        opt(r.parent),
        opt(r.manager),
        names(r.areas),
    ]
}

pub(super) fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for r in store::regions::list(&db)? {
        out.push(region_row(r));
    }
    Ok(out)
}

pub(super) fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Region, code)?;
    let region = store::regions::must_get(&db, code)?;
    let subs: Vec<String> = store::regions::descendants(&db, code)?
        .into_iter()
        .filter(|c| c != code)
        .collect();
    let reps: Vec<Cell> = store::reps::list(&db, ctx.today)?
        .into_iter()
        .filter(|r| r.region == *code)
        .map(|r| s(format!("{} {} ({})", r.code, r.name, r.role)))
        .collect();
    let mut out = Records::new(&[
        "code",
        "name",
        "parent",
        "manager",
        "areas",
        "sub_regions",
        "reps",
    ]);
    let mut row = region_row(region);
    row.push(names(subs));
    row.push(Cell::List(reps));
    out.push(row);
    Ok(Outcome::record(out))
}
