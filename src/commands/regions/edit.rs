//! `regions add|edit|remove`: a region's name, its place in the region tree and its manager.

use anyhow::Result;

use crate::commands::{clean_code, non_empty_name, remove_record, set_or_clear};
use crate::context::Context;
use crate::output::Outcome;
use crate::store::lookup::{self, Kind};
use crate::store::{self, Conn};

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The region's code
    pub code: String,
    /// The region's name
    #[arg(long)]
    pub name: Option<String>,
    /// The region it belongs to
    #[arg(long, value_name = "CODE|NAME")]
    pub parent: Option<String>,
    /// Its manager (a rep code)
    #[arg(long, value_name = "CODE|NAME")]
    pub manager: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The region's code
    pub code: String,
    /// The region's name
    #[arg(long)]
    pub name: Option<String>,
    /// The parent region (code or name)
    #[arg(long, value_name = "CODE|NAME", conflicts_with = "no_parent")]
    pub parent: Option<String>,
    /// Make it a top-level region
    #[arg(long)]
    pub no_parent: bool,
    /// The manager (a rep, code or name)
    #[arg(long, value_name = "CODE|NAME", conflicts_with = "no_manager")]
    pub manager: Option<String>,
    /// Clear the manager
    #[arg(long)]
    pub no_manager: bool,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The region's code
    pub code: String,
}

/// A parent must exist and must not be the region itself or one of its sub-regions.
fn check_parent(conn: &Conn, code: &str, parent: &str) -> Result<()> {
    store::regions::must_get(conn, parent)?;
    if store::regions::ancestors(conn, parent)?
        .iter()
        .any(|a| a == code)
    {
        crate::bail_input!(
            "region \"{parent}\" is {code} or lies under it: a region cannot be its own ancestor"
        );
    }
    Ok(())
}

pub(super) fn add(ctx: &Context, args: AddArgs) -> Result<Outcome> {
    let AddArgs {
        code,
        name,
        parent,
        manager,
    } = args;
    let code = clean_code(&code, "region")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(name, "--name", "Region name")?)?;
    let tx = db.begin()?;
    if store::regions::exists(&tx, &code)? {
        crate::bail_input!(
            "region \"{code}\" exists already (change it with `salesops regions edit`)"
        );
    }
    let parent = lookup::code_opt(&tx, Kind::Region, parent.as_deref())?;
    let manager = lookup::code_opt(&tx, Kind::Rep, manager.as_deref())?;
    store::regions::insert(&tx, &code, &name, parent.as_deref(), manager.as_deref())?;
    ctx.audit(&tx, &format!("region {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

pub(super) fn edit(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let EditArgs {
        code,
        name,
        parent,
        no_parent,
        manager,
        no_manager,
    } = args;
    let name = name.as_deref().map(non_empty_name).transpose()?;
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = &lookup::code(&tx, Kind::Region, &code)?;
    let parent = match set_or_clear(parent, no_parent) {
        Some(Some(p)) => Some(Some(lookup::code(&tx, Kind::Region, &p)?)),
        other => other,
    };
    let manager = match set_or_clear(manager, no_manager) {
        Some(Some(m)) => Some(Some(lookup::code(&tx, Kind::Rep, &m)?)),
        other => other,
    };
    if let Some(Some(p)) = &parent {
        check_parent(&tx, code, p)?;
    }
    store::regions::update(
        &tx,
        code,
        name.as_deref(),
        parent.as_ref().map(|p| p.as_deref()),
        manager.as_ref().map(|m| m.as_deref()),
    )?;
    ctx.audit(&tx, &format!("region {code} edited"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("region {code} updated")))
}

pub(super) fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Region, code)?;
    let region = store::regions::must_get(&db, code)?;
    let refs = store::regions::referrers(&db, code)?;
    let areas = if region.areas.is_empty() {
        String::new()
    } else {
        format!(" and free its areas {}", region.areas.join(", "))
    };
    remove_record(
        ctx,
        &mut db,
        &format!("region {code}"),
        &refs,
        "move or remove them first",
        &format!("remove region {code} {}{areas}", region.name),
        |tx| {
            let freed = store::regions::delete(tx, code)?;
            Ok(format!("region {code} removed, {freed} areas freed"))
        },
    )
}
