//! `regions assign|unassign`: which region holds which areas.

use anyhow::Result;

use crate::context::Context;
use crate::output::Outcome;
use crate::store::lookup::{self, Kind};
use crate::store::{self, Conn};

#[derive(clap::Args, Debug)]
pub struct AssignArgs {
    /// The region's code
    pub code: String,
    /// Areas by any name: 广东, 廣東, Guangdong, 44, 440000
    #[arg(value_name = "NAME|CODE", required = true)]
    pub areas: Vec<String>,
    /// Take areas from the region that holds them
    #[arg(long = "move")]
    pub move_: bool,
}

#[derive(clap::Args, Debug)]
pub struct UnassignArgs {
    /// Areas: names or codes (广东, 44, Guangdong)
    #[arg(value_name = "NAME|CODE", required = true)]
    pub areas: Vec<String>,
}

fn region_label(conn: &Conn, code: &str) -> Result<String> {
    Ok(match store::regions::get(conn, code)? {
        Some(r) => format!("{} {}", r.code, r.name),
        None => code.to_string(),
    })
}

pub(super) fn assign(ctx: &Context, args: AssignArgs) -> Result<Outcome> {
    let (code, inputs, move_) = (args.code.as_str(), &args.areas, args.move_);
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = &lookup::code(&tx, Kind::Region, code)?;
    let mut changed = Vec::new();
    for input in inputs {
        let area = store::areas::must_find(&tx, input)?;
        if area.excluded {
            crate::bail_input!(
                "{} is excluded (the company does not sell there); `salesops areas include {}` first",
                area.name,
                area.name
            );
        }
        match area.region.as_deref() {
            Some(holder) if holder == code => continue,
            Some(holder) if !move_ => {
                crate::bail_input!(
                    "{} is held by region {}; add --move to move it to {code}",
                    area.name,
                    region_label(&tx, holder)?
                );
            }
            _ => {}
        }
        store::areas::set_region(&tx, &area.code, Some(code))?;
        changed.push(area.name);
    }
    if changed.is_empty() {
        // Nothing was written, so there is nothing to audit.
        return Ok(Outcome::text(format!(
            "0 areas assigned to {code} (it has them already)"
        )));
    }
    let summary = format!(
        "{} areas assigned to {code}: {}",
        changed.len(),
        changed.join(", ")
    );
    ctx.audit(&tx, &summary)?;
    tx.commit()?;
    Ok(Outcome::text(summary))
}

pub(super) fn unassign(ctx: &Context, inputs: &[String]) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let mut areas = Vec::new();
    for input in inputs {
        let area = store::areas::must_find(&db, input)?;
        if area.region.is_some() {
            areas.push(area);
        }
    }
    if areas.is_empty() {
        return Ok(Outcome::text("0 areas unassigned (none was in a region)"));
    }
    let names: Vec<String> = areas
        .iter()
        .map(|a| format!("{} ({})", a.name, a.region.clone().unwrap_or_default()))
        .collect();
    ctx.confirm(&format!("take {} out of their regions", names.join(", ")))?;
    let tx = db.begin()?;
    for a in &areas {
        store::areas::set_region(&tx, &a.code, None)?;
    }
    let summary = format!("{} areas unassigned: {}", areas.len(), names.join(", "));
    ctx.audit(&tx, &summary)?;
    tx.commit()?;
    Ok(Outcome::text(summary))
}
