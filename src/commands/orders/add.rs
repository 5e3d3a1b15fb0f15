//! `orders add`: one order from flags, or line by line at a terminal.

use anyhow::Result;

use super::build::{Draft, DraftLine, Resolver};
use super::date_or_today;
use super::entry;
use crate::context::Context;
use crate::domain::order::LineSpec;
use crate::domain::values::{Channel, OrderStatus};
use crate::output::Outcome;
use crate::store::{
    self,
    ledger::Ledger,
    lookup::{self, Kind},
};

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The order id (default: O<date>-NNN)
    #[arg(long, value_name = "ORDER_ID")]
    pub id: Option<String>,
    /// The customer (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub customer: Option<String>,
    /// The rep (default: the customer's owner)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
    /// Order date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// online, offline or agent (default: the customer's channel)
    #[arg(long, value_enum)]
    pub channel: Option<Channel>,
    /// Ship-to province (default: the customer's area)
    #[arg(long, value_name = "NAME|CODE")]
    pub province: Option<String>,
    /// SKU:QTY[@PRICE][-DISCOUNT], repeatable: TEA-01:3, TEA-01:3@180, CUP-02:10-5%
    #[arg(long = "line", value_name = "LINE", allow_hyphen_values = true)]
    pub lines: Vec<String>,
    /// The campaign the order came through (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub campaign: Option<String>,
    /// The warehouse it ships from (default: the one serving its region, else policy
    /// stock.default_warehouse)
    #[arg(long, value_name = "CODE|NAME")]
    pub warehouse: Option<String>,
}

pub fn add(ctx: &Context, args: AddArgs) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let date = date_or_today(ctx, args.date.as_deref(), "--date")?;
    let typing = args.lines.is_empty();
    // Codes first, then exact names; what matches neither is reported by the builder with the rest.
    let customer = match args.customer {
        // Lines typed one by one are checked against the customer's order: it must exist first.
        Some(typed) if typing && ctx.interactive => lookup::code(&db, Kind::Customer, &typed)?,
        Some(typed) => lookup::find(&db, Kind::Customer, &typed)?.unwrap_or(typed),
        None => {
            let customers: Vec<(String, String)> = if ctx.interactive {
                store::customers::choices(&db)?
            } else {
                Vec::new()
            };
            ctx.require_choice(None, "--customer", "Customer", &customers)?
        }
    };
    let rep = match args.rep {
        Some(typed) => Some(lookup::find(&db, Kind::Rep, &typed)?.unwrap_or(typed)),
        None => None,
    };
    let mut draft = Draft {
        date,
        customer,
        rep,
        channel: args.channel,
        province: args.province,
        campaign: args.campaign,
        warehouse: args.warehouse,
        ..Draft::default()
    };
    let line_texts = if typing {
        let policy = ctx.policy(&db)?;
        let (texts, lines) = entry::ask_lines(ctx, &db, &draft, policy)?;
        draft.lines = lines;
        texts
    } else {
        for text in &args.lines {
            let spec =
                LineSpec::parse(text).map_err(|e| crate::error::input(format!("--line {e}")))?;
            draft.lines.push(DraftLine {
                sku: lookup::find(&db, Kind::Product, &spec.sku)?.unwrap_or(spec.sku),
                quantity: spec.quantity,
                unit_price: spec.price,
                discount: spec.discount,
                ..DraftLine::default()
            });
        }
        args.lines
    };
    if typing {
        // Shown and confirmed before the write lock is taken: a person reading the summary never
        // holds up a cron job's import.
        let policy = ctx.policy(&db)?;
        // An order with problems of its own (a barred rep …) is not asked about: the save names them.
        let whole = entry::summary(ctx, &db, &draft, policy)?;
        if whole && !ctx.global.yes && !ctx.ask_yes_no("Save this order?")? {
            crate::bail_usage!("the order was not saved");
        }
    }
    let ledger = Ledger::begin(&mut db)?;
    let id = match args.id {
        Some(id) => super::super::clean_code(&id, "order")?,
        None => store::orders::next_id(&ledger, date)?,
    };
    if store::orders::get(&ledger, &id)?.is_some() {
        crate::bail_input!("order \"{id}\" exists already");
    }
    draft.id = id.clone();
    let policy = ctx.policy(&ledger)?;
    let approval_above = policy.approval_above;
    let shortage = policy.shortage;
    let mut resolver = Resolver::new(policy);
    let mut built = match resolver.build(&ledger, &draft)? {
        Ok(b) => b,
        Err(problems) => {
            let msgs: Vec<String> = problems
                .iter()
                .map(|p| match p.line {
                    Some(i) => format!(
                        "--line {}: {}",
                        line_texts.get(i).map(String::as_str).unwrap_or(""),
                        p.message
                    ),
                    None => p.message.clone(),
                })
                .collect();
            crate::bail_input!("{}", msgs.join("\n  "));
        }
    };
    let held = built.max_discount.is_some_and(|d| d > approval_above);
    if held {
        built.order.status = OrderStatus::PendingApproval;
    }
    if !held {
        super::stocked::confirm(ctx, &ledger, &built.order, &built.lines, shortage)?;
    }
    // A held order is stored but counts nowhere until it is approved.
    ledger.record(&built.order, &built.lines)?;
    let total = super::build::total(&built.lines);
    ctx.audit(
        &ledger,
        &format!(
            "order {id} added: {} lines, {}",
            built.lines.len(),
            total.to_report()
        ),
    )?;
    ledger.commit()?;
    if held {
        ctx.note(&format!(
            "order {id} waits for approval: a discount of {} is above the {} that needs approval (salesops orders approve {id} --by REP)",
            built.max_discount.map(|d| d.pct_display()).unwrap_or_default(),
            approval_above.pct_display()
        ));
    }
    Ok(Outcome::text(id))
}
