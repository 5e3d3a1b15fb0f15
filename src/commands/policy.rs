//! `policy list|set`: the company's rules with their defaults.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::policy;
use crate::output::{s, Outcome, Records};
use crate::store;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Every key with its value and default
    List,
    /// Set a key (validated)
    Set(SetArgs),
}

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    /// Policy key (salesops policy list shows them)
    pub key: String,
    /// The new value, e.g. 12% or 2026-10-01;2026-10-02 (empty for none)
    #[arg(allow_hyphen_values = true)]
    pub value: String,
}

pub fn run(ctx: &Context, cmd: PolicyCommand) -> Result<Outcome> {
    match cmd {
        PolicyCommand::List => {
            let db = ctx.open()?;
            let stored = store::policy::stored(&db)?;
            let mut out = Records::new(&["key", "value", "default"]);
            for (key, default) in policy::keys() {
                let value = stored
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or(default);
                out.push(vec![s(key), s(value), s(default)]);
            }
            Ok(Outcome::records(out))
        }
        PolicyCommand::Set(SetArgs { key, value }) => {
            let value = policy::validate(&key, &value).map_err(crate::error::input)?;
            let mut db = ctx.open()?;
            let tx = db.begin()?;
            store::policy::set(&tx, &key, &value)?;
            ctx.audit(&tx, &format!("policy {key} = {value}"))?;
            tx.commit()?;
            Ok(Outcome::text(format!("{key} = {value}")))
        }
    }
}
