//! `customers log|history`: follow-ups (the first one makes a lead active) and the customer's history.

use anyhow::Result;

use crate::context::Context;
use crate::domain::customer::FOLLOW_UPS;
use crate::domain::date::parse_date;
use crate::domain::values::{CustomerStatus, Tier};
use crate::output::{opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{self, customers::Event};

#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// The customer's code
    pub code: String,
    /// A note in free text
    #[arg(long)]
    pub note: String,
    /// call, visit, email or message
    #[arg(long, value_parser = FOLLOW_UPS, default_value = "call")]
    pub kind: String,
    /// The day of the follow-up [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// The customer's code
    pub code: String,
}

pub(super) fn log(ctx: &Context, args: LogArgs) -> Result<Outcome> {
    let (code, note, kind) = (args.code.as_str(), args.note.as_str(), args.kind.as_str());
    let date = match args.date.as_deref() {
        Some(d) => parse_date(d).map_err(|e| crate::error::usage(format!("--date: {e}")))?,
        None => ctx.today,
    };
    let note = note.trim();
    if note.is_empty() {
        crate::bail_usage!("--note is empty");
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = &lookup::code(&tx, Kind::Customer, code)?;
    let c = store::customers::must_get(&tx, code)?;
    store::customers::add_event(
        &tx,
        code,
        &Event {
            date: date.to_string(),
            kind: kind.into(),
            note: Some(note.into()),
            old_tier: None,
            new_tier: None,
        },
    )?;
    let mut message = format!("{kind} on {date} logged for customer {code}");
    if c.status == CustomerStatus::Lead {
        store::customers::set_status(&tx, code, CustomerStatus::Active)?;
        message.push_str("; first contact made, the lead is now active");
    }
    ctx.audit(&tx, &message)?;
    tx.commit()?;
    Ok(Outcome::text(message))
}

pub(super) fn history(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Customer, code)?;
    let mut out = Records::new(&["date", "kind", "note", "old_tier", "new_tier"]);
    for e in store::customers::events(&db, code)? {
        out.push(vec![
            s(e.date),
            s(e.kind),
            opt(e.note),
            opt(e.old_tier.map(Tier::as_str)),
            opt(e.new_tier.map(Tier::as_str)),
        ]);
    }
    Ok(Outcome::records(out))
}
