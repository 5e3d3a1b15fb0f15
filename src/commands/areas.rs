//! `areas list|add|exclude|include`: the provinces or states that regions divide among themselves, and
//! the ones the company does not sell in.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::area;
use crate::domain::text;
use crate::output::{opt, s, Cell, Outcome, Records};
use crate::store;

#[derive(Subcommand, Debug)]
pub enum AreasCommand {
    /// List areas with the region that holds each
    List(ListArgs),
    /// Add a custom area
    Add(AddArgs),
    /// Mark areas the company does not sell in (no gap in `regions check`)
    Exclude(ScopeArgs),
    /// Take excluded areas back into the map
    Include(ScopeArgs),
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only the gaps: areas in no region and not excluded
    #[arg(long)]
    pub unassigned: bool,
}

#[derive(clap::Args, Debug)]
pub struct ScopeArgs {
    /// Areas by any name: 香港, 澳門, Taiwan, 71
    #[arg(required = true, value_name = "AREA")]
    pub areas: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Its display name
    pub name: String,
    /// Its code (default: the name)
    #[arg(long)]
    pub code: Option<String>,
    /// Another name it is found by (repeatable)
    #[arg(value_name = "ALIAS", long = "alias")]
    pub aliases: Vec<String>,
}

pub fn run(ctx: &Context, cmd: AreasCommand) -> Result<Outcome> {
    match cmd {
        AreasCommand::List(ListArgs { unassigned }) => {
            let db = ctx.open()?;
            let mut out =
                Records::new(&["code", "name", "official", "universe", "region", "excluded"]);
            for a in store::areas::list(&db, unassigned)? {
                out.push(vec![
                    s(a.code),
                    s(a.name),
                    s(a.official),
                    s(a.universe),
                    opt(a.region),
                    Cell::Bool(a.excluded),
                ]);
            }
            Ok(Outcome::records(out))
        }
        AreasCommand::Exclude(ScopeArgs { areas }) => scope(ctx, &areas, true),
        AreasCommand::Include(ScopeArgs { areas }) => scope(ctx, &areas, false),
        AreasCommand::Add(AddArgs {
            name,
            code,
            aliases,
        }) => {
            let mut db = ctx.open()?;
            if name.trim().is_empty() {
                crate::bail_usage!("the area name is empty");
            }
            let name = text::name(&name, "area name").map_err(crate::error::input)?;
            let code = text::code(code.as_deref().unwrap_or(&name), "area code")
                .map_err(crate::error::input)?;
            let keys = area::custom_keys(&name, Some(&code), &aliases);
            let tx = db.begin()?;
            if store::areas::get(&tx, &code)?.is_some() {
                crate::bail_input!("an area with code \"{code}\" exists already");
            }
            if let Some((key, holder)) = store::areas::key_holder(&tx, &keys)? {
                crate::bail_input!("\"{key}\" already names the area {holder}");
            }
            store::areas::add_custom(&tx, &code, &name, &keys)?;
            ctx.audit(&tx, &format!("area {code} added"))?;
            tx.commit()?;
            Ok(Outcome::text(code))
        }
    }
}

/// `areas exclude` (`excluded` true) or `areas include`: one transaction for all the areas named. An
/// area a region holds cannot be excluded (the region would sell where the company does not): it is
/// refused, naming the region, and nothing changes.
fn scope(ctx: &Context, inputs: &[String], excluded: bool) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut changed = Vec::new();
    for input in inputs {
        let area = store::areas::must_find(&tx, input)?;
        if excluded {
            if let Some(region) = &area.region {
                crate::bail_input!(
                    "{} is held by region {region}; `salesops regions unassign {}` first",
                    area.name,
                    area.name
                );
            }
        }
        if area.excluded != excluded && !changed.contains(&area.name) {
            store::areas::set_excluded(&tx, &area.code, excluded)?;
            changed.push(area.name);
        }
    }
    let verb = if excluded { "excluded" } else { "included" };
    if changed.is_empty() {
        // Nothing was written, so there is nothing to audit.
        return Ok(Outcome::text(format!("0 areas {verb} (they were already)")));
    }
    let summary = format!("{} areas {verb}: {}", changed.len(), changed.join(", "));
    ctx.audit(&tx, &summary)?;
    tx.commit()?;
    Ok(Outcome::text(summary))
}
