//! `areas list|add`: the provinces or states that regions divide among themselves.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::area;
use crate::domain::text;
use crate::output::{opt, s, Outcome, Records};
use crate::store;

#[derive(Subcommand, Debug)]
pub enum AreasCommand {
    /// List areas with the region that holds each
    List(ListArgs),
    /// Add a custom area
    Add(AddArgs),
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only areas in no region
    #[arg(long)]
    pub unassigned: bool,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Its display name
    pub name: String,
    /// Its code (default: the name)
    #[arg(long)]
    pub code: Option<String>,
    /// Another name it is found by (repeatable)
    #[arg(long = "alias")]
    pub aliases: Vec<String>,
}

pub fn run(ctx: &Context, cmd: AreasCommand) -> Result<Outcome> {
    match cmd {
        AreasCommand::List(ListArgs { unassigned }) => {
            let db = ctx.open()?;
            let mut out = Records::new(&["code", "name", "official", "universe", "region"]);
            for a in store::areas::list(&db, unassigned)? {
                out.push(vec![
                    s(a.code),
                    s(a.name),
                    s(a.official),
                    s(a.universe),
                    opt(a.region),
                ]);
            }
            Ok(Outcome::records(out))
        }
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
