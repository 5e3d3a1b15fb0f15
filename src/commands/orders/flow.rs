//! Moving orders along the status flow, returns, payments and region reassignment. Each writes through
//! the ledger, which keeps the stored totals and the report rollups current in the same transaction.

use anyhow::Result;

use super::{date_or_today, must_get};
use crate::context::Context;
use crate::domain::money::{parse_non_negative, Money};
use crate::domain::order::{Order, Payment, DEFAULT_METHOD};
use crate::domain::period::Period;
use crate::domain::values::{OrderStatus, PaymentMethod, ReturnKind, Role};
use crate::output::Outcome;
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    ledger::Ledger,
    orders::{Move, NewReturn},
};

fn refuse_move(o: &Order, to: OrderStatus) -> anyhow::Error {
    crate::error::input(format!(
        "order {} is {}: it cannot become {to}",
        o.id, o.status
    ))
}

#[derive(clap::Args, Debug)]
pub struct ApproveArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// The approver: a supervisor or manager of the order's region or a region above it
    #[arg(long, value_name = "REP")]
    pub by: String,
}

pub fn approve(ctx: &Context, id: &str, by: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, id)?;
    // The approver by code or name; what is neither is reported below as no rep.
    let by = &lookup::find(&ledger, Kind::Rep, by)?.unwrap_or_else(|| by.to_string());
    if o.status != OrderStatus::PendingApproval {
        crate::bail_input!(
            "order {id} is {}: only an order pending approval can be approved",
            o.status
        );
    }
    let Some((rep_region, role)) = store::reps::region_and_role(&ledger, by)? else {
        crate::bail_input!("no rep \"{by}\"");
    };
    if role == Role::Rep {
        crate::bail_input!("{by} is a rep: only a supervisor or manager of the order's region (or a region above it) can approve");
    }
    if o.rep.as_deref() == Some(by) {
        crate::bail_input!(
            "{by} is the order's own rep: a supervisor or manager of its region (or a region above it) must approve it, not the rep who took it"
        );
    }
    let today = ctx.today.to_string();
    if let Some(why) = store::reps::standing(&ledger, by)?.and_then(|s| s.barred(by, &today)) {
        crate::bail_input!("{why}: they cannot approve orders on {today}");
    }
    let Some(region) = &o.region else {
        crate::bail_input!("order {id} is in no region, so no one has the authority to approve it: assign its area to a region, then `salesops orders reassign-regions`");
    };
    let above = store::regions::ancestors(&ledger, region)?;
    if !above.contains(&rep_region) {
        crate::bail_input!("{by} is a {role} of {rep_region}, not of the order's region {region} or a region above it");
    }
    let lines = store::orders::lines(&ledger, &o.id)?;
    super::stocked::confirm(ctx, &ledger, &o, &lines, ctx.policy(&ledger)?.shortage)?;
    ledger.set_status(
        &o,
        &Move {
            status: OrderStatus::Confirmed,
            date: None,
            approved_by: Some(by),
            carrier: None,
            tracking: None,
            cancel_reason: None,
        },
    )?;
    ctx.audit(&ledger, &format!("order {id} approved by {by}"))?;
    ledger.commit()?;
    Ok(Outcome::text(format!("order {id} approved by {by}")))
}

#[derive(clap::Args, Debug)]
pub struct ShipArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// The carrier (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub carrier: String,
    /// Tracking number
    #[arg(long)]
    pub tracking: String,
    /// The date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// What the company paid to ship it
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub freight: Option<String>,
}

pub fn ship(ctx: &Context, args: ShipArgs) -> Result<Outcome> {
    let id = args.id.as_str();
    let carrier = args.carrier.trim();
    let tracking = args.tracking.trim();
    if carrier.is_empty() {
        crate::bail_usage!("--carrier is empty: name the carrier");
    }
    if tracking.is_empty() {
        crate::bail_usage!("--tracking is empty: give the tracking number");
    }
    let given = args
        .date
        .as_deref()
        .map(|d| date_or_today(ctx, Some(d), "--date"))
        .transpose()?
        .map(|d| d.to_string());
    let freight = args
        .freight
        .as_deref()
        .map(|f| parse_non_negative(f, "freight"))
        .transpose()
        .map_err(|e| crate::error::input(format!("--freight: {e}")))?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, id)?;
    // A shipped order not yet delivered takes corrections of its shipping fields.
    if o.status == OrderStatus::Shipped {
        let date = given.or_else(|| o.ship_date.clone()).unwrap_or_default();
        keep_order(&o, "ship date", &date, "order date", &o.order_date)?;
        let before = format!(
            "{} {} on {}",
            o.carrier.as_deref().unwrap_or(""),
            o.tracking.as_deref().unwrap_or(""),
            o.ship_date.as_deref().unwrap_or("")
        );
        let after = format!("{carrier} {tracking} on {date}");
        let new_freight = freight.filter(|f| Some(*f) != o.freight);
        if before == after && new_freight.is_none() {
            return Ok(Outcome::text(format!(
                "order {id} is shipped by {after} already: nothing changed"
            )));
        }
        ledger.set_shipping(id, Some(&date), Some(carrier), Some(tracking))?;
        let mut summary = format!("order {id} shipping corrected: {before} → {after}");
        if let Some(f) = new_freight {
            ledger.set_freight(id, Some(f))?;
            summary.push_str(&format!(", freight {}", f.to_report()));
        }
        ctx.audit(&ledger, &summary)?;
        ledger.commit()?;
        return Ok(Outcome::text(summary));
    }
    if !o.status.can_move_to(OrderStatus::Shipped) {
        return Err(refuse_move(&o, OrderStatus::Shipped));
    }
    let date = match given {
        Some(d) => d,
        None => ctx.today.to_string(),
    };
    keep_order(&o, "ship date", &date, "order date", &o.order_date)?;
    super::stocked::ship(ctx, &ledger, &o, &store::orders::lines(&ledger, &o.id)?)?;
    ledger.set_status(
        &o,
        &Move {
            status: OrderStatus::Shipped,
            date: Some(&date),
            approved_by: None,
            carrier: Some(carrier),
            tracking: Some(tracking),
            cancel_reason: None,
        },
    )?;
    if freight.is_some() {
        ledger.set_freight(id, freight)?;
    }
    ctx.audit(
        &ledger,
        &format!("order {id} shipped by {carrier} {tracking}"),
    )?;
    ledger.commit()?;
    Ok(Outcome::text(format!("order {id} shipped")))
}

/// Dates keep their order: `date` (the `what` of order `o`) may not be before `earlier` (its
/// `earlier_what`); otherwise exit 3 naming both.
fn keep_order(o: &Order, what: &str, date: &str, earlier_what: &str, earlier: &str) -> Result<()> {
    if date < earlier {
        crate::bail_input!(
            "the {what} {date} of order {} is before its {earlier_what} {earlier}",
            o.id
        );
    }
    Ok(())
}

/// The flags of `deliver` and `complete`, which differ only in the status they move to.
#[derive(clap::Args, Debug)]
pub struct AdvanceArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// The date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

/// `deliver` and `complete`.
pub fn advance(ctx: &Context, args: AdvanceArgs, to: OrderStatus) -> Result<Outcome> {
    let id = args.id.as_str();
    let date = date_or_today(ctx, args.date.as_deref(), "--date")?.to_string();
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, id)?;
    if !o.status.can_move_to(to) {
        return Err(refuse_move(&o, to));
    }
    match to {
        OrderStatus::Delivered => keep_order(
            &o,
            "delivery date",
            &date,
            "ship date",
            o.ship_date.as_deref().unwrap_or(&o.order_date),
        )?,
        _ => keep_order(
            &o,
            "completion date",
            &date,
            "delivery date",
            o.delivered_date.as_deref().unwrap_or(&o.order_date),
        )?,
    }
    ledger.set_status(
        &o,
        &Move {
            status: to,
            date: Some(&date),
            approved_by: None,
            carrier: None,
            tracking: None,
            cancel_reason: None,
        },
    )?;
    ctx.audit(&ledger, &format!("order {id} {to}"))?;
    ledger.commit()?;
    Ok(Outcome::text(format!("order {id} {to}")))
}

#[derive(clap::Args, Debug)]
pub struct CancelArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// Why: kept with the record
    #[arg(long)]
    pub reason: String,
}

pub fn cancel(ctx: &Context, id: &str, reason: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let o = must_get(&db, id)?;
    if !o.status.can_move_to(OrderStatus::Cancelled) {
        return Err(refuse_move(&o, OrderStatus::Cancelled));
    }
    ctx.confirm(&format!(
        "cancel order {id} of {} ({})",
        o.customer,
        o.amount.to_report()
    ))?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, id)?;
    ledger.set_status(
        &o,
        &Move {
            status: OrderStatus::Cancelled,
            date: None,
            approved_by: None,
            carrier: None,
            tracking: None,
            cancel_reason: Some(reason),
        },
    )?;
    ctx.audit(&ledger, &format!("order {id} cancelled: {reason}"))?;
    ledger.commit()?;
    Ok(Outcome::text(format!("order {id} cancelled")))
}

#[derive(clap::Args, Debug)]
pub struct ReturnArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// What comes back: SKU:QTY, or #N:QTY for line N
    #[arg(long, value_name = "SKU:QTY|#N:QTY")]
    pub line: String,
    /// Why: kept with the record
    #[arg(long)]
    pub reason: String,
    /// Why it comes back: quality (counts against the carrier) or customer
    #[arg(long, value_enum, default_value_t = ReturnKind::Customer)]
    pub kind: ReturnKind,
    /// The date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The after-sales ticket the return answers (of the order's customer)
    #[arg(long, value_name = "TICKET_ID")]
    pub ticket: Option<String>,
    /// The goods do not go back into stock (damaged, written off)
    #[arg(long)]
    pub no_restock: bool,
}

pub fn return_goods(ctx: &Context, args: ReturnArgs) -> Result<Outcome> {
    let date = date_or_today(ctx, args.date.as_deref(), "--date")?;
    let Some((which, qty)) = args.line.rsplit_once(':') else {
        crate::bail_usage!("--line \"{}\": expected SKU:QTY or #N:QTY", args.line);
    };
    let qty = crate::domain::order::parse_quantity(qty)
        .map_err(|e| crate::error::input(format!("--line: {e}")))?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, &args.id)?;
    if !matches!(o.status, OrderStatus::Delivered | OrderStatus::Completed) {
        crate::bail_input!(
            "order {} is {}: only delivered or completed goods can be returned",
            o.id,
            o.status
        );
    }
    keep_order(
        &o,
        "return date",
        &date.to_string(),
        "delivery date",
        o.delivered_date.as_deref().unwrap_or(&o.order_date),
    )?;
    let lines = store::orders::lines(&ledger, &o.id)?;
    let line = match which.strip_prefix('#') {
        Some(n) => {
            let n: i64 = n.trim().parse().map_err(|_| {
                crate::error::input(format!("--line: \"#{n}\" is not a line number"))
            })?;
            lines.iter().find(|l| l.line_no == n)
        }
        None => {
            let matching: Vec<_> = lines.iter().filter(|l| l.sku == which.trim()).collect();
            if matching.len() > 1 {
                crate::bail_input!(
                    "{} appears on {} lines of order {}: name the line with --line #N:{qty}",
                    which.trim(),
                    matching.len(),
                    o.id
                );
            }
            matching.into_iter().next()
        }
    };
    let Some(line) = line else {
        crate::bail_input!("order {} has no line {}", o.id, which);
    };
    if let Some(t) = args.ticket.as_deref() {
        store::service::check_return_ticket(&ledger, t.trim(), &o.customer)?;
    }
    let already = store::orders::returned_quantity(&ledger, &o.id, line.line_no)?;
    if qty > line.quantity - already {
        crate::bail_input!(
            "order {} line {} ({}) delivered {} and {} were returned already: at most {} can be returned",
            o.id, line.line_no, line.sku, line.quantity, already, line.quantity - already
        );
    }
    let amount = Money::prorate(line.amount, qty, line.quantity)
        .ok_or_else(|| crate::error::input("the return amount is too large"))?;
    let cost = Money::prorate(line.cost, qty, line.quantity)
        .ok_or_else(|| crate::error::input("the return cost is too large"))?;
    let day = date.to_string();
    ledger.add_return(
        &o,
        line,
        &NewReturn {
            quantity: qty,
            amount,
            cost,
            date: &day,
            reason: &args.reason,
            kind: args.kind,
            ticket: args.ticket.as_deref().map(str::trim),
            restock: !args.no_restock,
        },
    )?;
    let summary = format!(
        "order {} line {}: {qty} × {} returned, {}",
        o.id,
        line.line_no,
        line.sku,
        amount.to_report()
    );
    ctx.audit(&ledger, &summary)?;
    ledger.commit()?;
    Ok(Outcome::text(summary))
}

#[derive(clap::Args, Debug)]
pub struct PayArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
    /// The amount received (such as 1280 or ¥1,280.50)
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub amount: String,
    /// Payment method
    #[arg(long, value_enum, default_value_t = DEFAULT_METHOD)]
    pub method: PaymentMethod,
    /// The date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Payment reference (the bank or platform serial number)
    #[arg(long)]
    pub reference: Option<String>,
}

pub fn pay(ctx: &Context, args: PayArgs) -> Result<Outcome> {
    let date = date_or_today(ctx, args.date.as_deref(), "--date")?;
    let amount: Money = args
        .amount
        .parse()
        .map_err(|e| crate::error::input(format!("--amount: {e}")))?;
    if amount.units() == 0 {
        crate::bail_input!("--amount: a payment of 0 records nothing");
    }
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let o = must_get(&ledger, &args.id)?;
    if o.status == OrderStatus::Cancelled {
        crate::bail_input!("order {} is cancelled: it takes no payments", o.id);
    }
    keep_order(
        &o,
        "payment date",
        &date.to_string(),
        "order date",
        &o.order_date,
    )?;
    let p = Payment {
        order_id: o.id.clone(),
        date: date.to_string(),
        amount,
        method: args.method,
        reference: args.reference,
    };
    if let Some(r) = &p.reference {
        if store::orders::payment_exists(&ledger, &p)?.is_some() {
            crate::bail_input!("a payment with reference \"{r}\" is recorded already");
        }
    }
    ledger.pay(&p)?;
    let balance = must_get(&ledger, &o.id)?;
    let left = balance.amount - balance.returned - balance.paid;
    let summary = format!(
        "order {}: {} paid by {}, balance {}",
        o.id,
        amount.to_report(),
        p.method,
        left.to_report()
    );
    ctx.audit(&ledger, &summary)?;
    ledger.commit()?;
    Ok(Outcome::text(summary))
}

#[derive(clap::Args, Debug)]
pub struct ReassignArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

pub fn reassign_regions(ctx: &Context, period: Option<String>) -> Result<Outcome> {
    let range = match &period {
        Some(p) => {
            let p = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            Some((p.start, p.end))
        }
        None => None,
    };
    let mut db = ctx.open()?;
    let mut changes = Vec::new();
    for (id, area, region) in store::orders::attribution(&db, range)? {
        let now = match &area {
            Some(a) => store::areas::get(&db, a)?.and_then(|a| a.region),
            None => None,
        };
        if now != region {
            changes.push((id, region, now));
        }
    }
    if changes.is_empty() {
        return Ok(Outcome::text("0 orders changed region"));
    }
    ctx.confirm(&format!(
        "move {} orders to the region their area has today",
        changes.len()
    ))?;
    let ledger = Ledger::begin(&mut db)?;
    for (id, _, now) in &changes {
        ledger.reassign(&must_get(&ledger, id)?, now.as_deref())?;
    }
    let summary = format!("{} orders changed region", changes.len());
    ctx.audit(&ledger, &summary)?;
    ledger.commit()?;
    Ok(Outcome::text(summary))
}
