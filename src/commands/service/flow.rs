//! Opening a ticket and moving it along its flow, each move one audited transaction.

use anyhow::Result;
use chrono::NaiveDateTime;

use super::at_or_now;
use crate::context::Context;
use crate::domain::service::{
    allowed, due_times, last_time, not_before, parse_satisfaction, show_time, Step, Ticket,
};
use crate::domain::text;
use crate::domain::values::{TicketChannel, TicketKind, TicketStatus};
use crate::output::Outcome;
use crate::store::lookup::{self, Kind};
use crate::store::{self, service::Event, Conn};

#[derive(clap::Args, Debug)]
pub struct OpenArgs {
    /// The customer's code
    #[arg(long, value_name = "CODE|NAME")]
    pub customer: String,
    /// What the ticket is about
    #[arg(long, value_enum)]
    pub kind: TicketKind,
    /// What the customer asks for
    #[arg(long)]
    pub summary: String,
    /// The order it is about (of the same customer)
    #[arg(long, value_name = "ORDER_ID")]
    pub order: Option<String>,
    /// How it came in
    #[arg(long, value_enum)]
    pub channel: Option<TicketChannel>,
    /// The rep who handles it
    #[arg(long, value_name = "CODE|NAME")]
    pub assign: Option<String>,
    /// When it came in: YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RespondArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
    /// A note in free text
    #[arg(long)]
    pub note: Option<String>,
    /// YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
    /// What was done
    #[arg(long)]
    pub note: String,
    /// YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
    /// The customer's score, 1 (worst) to 5 (best)
    #[arg(long, value_name = "1-5")]
    pub satisfaction: Option<String>,
    /// YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReopenArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
    /// Why: kept with the record
    #[arg(long)]
    pub reason: String,
    /// YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AssignArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
    /// The rep's code
    #[arg(value_name = "CODE|NAME")]
    pub rep: String,
    /// When it was handed over, for the timeline: YYYY-MM-DD HH:MM [default: now]
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

/// A rep who can take tickets: one that exists and has not left.
fn assignee(ctx: &Context, conn: &Conn, name: &str) -> Result<String> {
    let rep = store::reps::must_get(conn, &lookup::code(conn, Kind::Rep, name)?, ctx.today)?;
    if rep.status == "left" {
        crate::bail_input!(
            "rep {} has left: assign the ticket to an active rep",
            rep.code
        );
    }
    Ok(rep.code)
}

/// A note given on the command line: trimmed, none when empty, no control characters.
fn note(text: Option<&str>, flag: &str) -> Result<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => text::name(t, flag)
            .map(Some)
            .map_err(|e| crate::error::input(format!("{flag}: {e}"))),
    }
}

fn required_note(text: &str, flag: &str) -> Result<String> {
    match note(Some(text), flag)? {
        Some(n) => Ok(n),
        None => crate::bail_usage!("{flag} is empty"),
    }
}

pub fn open(ctx: &Context, args: OpenArgs) -> Result<Outcome> {
    let at = at_or_now(ctx, args.at.as_deref())?;
    let summary = required_note(&args.summary, "--summary")?;
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let policy = ctx.policy(&tx)?;
    let customer =
        store::customers::must_get(&tx, &lookup::code(&tx, Kind::Customer, &args.customer)?)?;
    let order_id = match args.order.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(o) => match store::service::order_customer(&tx, o)? {
            None => crate::bail_input!("no order \"{o}\" (see `salesops orders list`)"),
            Some(c) if c != customer.code => crate::bail_input!(
                "order {o} is an order of customer {c}, not of {}",
                customer.code
            ),
            Some(_) => Some(o.to_string()),
        },
    };
    let assignee = match args.assign.as_deref() {
        Some(rep) => Some(assignee(ctx, &tx, rep)?),
        None => None,
    };
    let (response_due, resolve_due) = due_times(&policy.clock(), &policy.service, args.kind, at);
    let ticket = Ticket {
        id: store::service::next_id(&tx, at)?,
        customer: customer.code.clone(),
        kind: args.kind,
        summary,
        order_id,
        channel: args.channel,
        assignee: assignee.clone(),
        region: store::service::customer_region(&tx, &customer.code)?,
        status: TicketStatus::Open,
        opened_at: at,
        response_due,
        resolve_due,
        responded_at: None,
        resolved_at: None,
        first_resolved_at: None,
        closed_at: None,
        satisfaction: None,
        reopened: 0,
    };
    store::service::insert(&tx, &ticket)?;
    store::service::add_event(
        &tx,
        &ticket.id,
        &Event {
            at,
            event: "opened".into(),
            rep: assignee,
            note: Some(ticket.summary.clone()),
        },
    )?;
    ctx.audit(
        &tx,
        &format!(
            "ticket {} opened for {} ({})",
            ticket.id, ticket.customer, ticket.kind
        ),
    )?;
    tx.commit()?;
    Ok(Outcome::text(ticket.id))
}

/// Load the ticket, check the move and its time, apply `change`, write it with its timeline entry,
/// audit, commit.
fn advance(
    ctx: &Context,
    id: &str,
    step: Step,
    at: Option<NaiveDateTime>,
    event: &str,
    note: Option<String>,
    change: impl FnOnce(&mut Ticket, NaiveDateTime),
) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut t = store::service::must_get(&tx, id.trim())?;
    allowed(&t.id, t.status, step).map_err(crate::error::input)?;
    let at = at.unwrap_or(ctx.now);
    let (last_what, last) = last_time(&t);
    not_before(&t.id, event_noun(event), at, last_what, last).map_err(crate::error::input)?;
    change(&mut t, at);
    store::service::update(&tx, &t)?;
    store::service::add_event(
        &tx,
        &t.id,
        &Event {
            at,
            event: event.into(),
            rep: t.assignee.clone(),
            note,
        },
    )?;
    let done = format!("ticket {} {} at {}", t.id, t.status, show_time(at));
    ctx.audit(&tx, &done)?;
    tx.commit()?;
    Ok(Outcome::text(done))
}

fn event_noun(event: &str) -> &'static str {
    match event {
        "responded" => "response",
        "resolved" => "resolution",
        "closed" => "closing",
        _ => "reopening",
    }
}

fn time_flag(at: Option<&str>) -> Result<Option<NaiveDateTime>> {
    at.map(|text| {
        crate::domain::service::parse_time(text)
            .map_err(|e| crate::error::usage(format!("--at: {e}")))
    })
    .transpose()
}

pub fn respond(ctx: &Context, args: RespondArgs) -> Result<Outcome> {
    let at = time_flag(args.at.as_deref())?;
    let note = note(args.note.as_deref(), "--note")?;
    advance(
        ctx,
        &args.id,
        Step::Respond,
        at,
        "responded",
        note,
        |t, at| {
            t.status = TicketStatus::Responded;
            t.responded_at = Some(at);
        },
    )
}

pub fn resolve(ctx: &Context, args: ResolveArgs) -> Result<Outcome> {
    let at = time_flag(args.at.as_deref())?;
    let note = required_note(&args.note, "--note")?;
    advance(
        ctx,
        &args.id,
        Step::Resolve,
        at,
        "resolved",
        Some(note),
        |t, at| {
            t.status = TicketStatus::Resolved;
            t.responded_at.get_or_insert(at);
            t.resolved_at = Some(at);
            t.first_resolved_at.get_or_insert(at);
        },
    )
}

pub fn close(ctx: &Context, args: CloseArgs) -> Result<Outcome> {
    let at = time_flag(args.at.as_deref())?;
    let score = args
        .satisfaction
        .as_deref()
        .map(parse_satisfaction)
        .transpose()
        .map_err(|e| crate::error::input(format!("--satisfaction: {e}")))?;
    let note = score.map(|s| format!("satisfaction {s}"));
    advance(ctx, &args.id, Step::Close, at, "closed", note, |t, at| {
        t.status = TicketStatus::Closed;
        t.closed_at = Some(at);
        // A reopened ticket keeps its score until it is closed again with a new one.
        if score.is_some() {
            t.satisfaction = score;
        }
    })
}

pub fn reopen(ctx: &Context, args: ReopenArgs) -> Result<Outcome> {
    let at = time_flag(args.at.as_deref())?;
    let reason = required_note(&args.reason, "--reason")?;
    advance(
        ctx,
        &args.id,
        Step::Reopen,
        at,
        "reopened",
        Some(reason),
        |t, _| {
            t.status = TicketStatus::Responded;
            t.resolved_at = None;
            t.closed_at = None;
            t.reopened += 1;
        },
    )
}

pub fn assign(ctx: &Context, args: AssignArgs) -> Result<Outcome> {
    let at = at_or_now(ctx, args.at.as_deref())?;
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut t = store::service::must_get(&tx, args.id.trim())?;
    allowed(&t.id, t.status, Step::Assign).map_err(crate::error::input)?;
    let rep = assignee(ctx, &tx, &args.rep)?;
    if t.assignee.as_deref() == Some(rep.as_str()) {
        return Ok(Outcome::text(format!("ticket {} is already {rep}'s", t.id)));
    }
    t.assignee = Some(rep.clone());
    store::service::update(&tx, &t)?;
    // The timeline keeps the moment of the assignment, never before the ticket came in.
    let at = at.max(t.opened_at);
    store::service::add_event(
        &tx,
        &t.id,
        &Event {
            at,
            event: "assigned".into(),
            rep: Some(rep.clone()),
            note: None,
        },
    )?;
    let done = format!("ticket {} assigned to {rep}", t.id);
    ctx.audit(&tx, &done)?;
    tx.commit()?;
    Ok(Outcome::text(done))
}
