//! `service import`: tickets from CSV (the headers `service export` writes). A new ticket gets its
//! region (its customer's) and its due times as `service open` gives them; a ticket that exists is
//! updated with the cells its row gives, and its times must still fit its status.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDateTime;

use super::listing::COLUMNS;
use crate::context::Context;
use crate::domain::hours::BusinessClock;
use crate::domain::policy::ServiceTimes;
use crate::domain::service::{
    check_times, due_times, parse_satisfaction, parse_time, status_of_times, Ticket,
};
use crate::domain::values::{or_list, TicketChannel, TicketKind, TicketStatus};
use crate::import::{
    self, finish_import, required, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError,
    RowFail, Written,
};
use crate::output::Outcome;
use crate::store::{self, service::Event, Conn};

pub(super) fn import(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let policy = ctx.policy(&tx)?;
    let mut importer = TicketsImport {
        now: ctx.now,
        clock: policy.clock(),
        times: policy.service.clone(),
        seen: BTreeMap::new(),
    };
    let report = import::run(ctx, &tx, opts, &mut importer)?;
    finish_import(ctx, tx, opts, &report, "tickets")
}

struct TicketsImport {
    now: NaiveDateTime,
    clock: BusinessClock,
    times: ServiceTimes,
    seen: BTreeMap<String, u64>,
}

/// A time cell: `YYYY-MM-DD HH:MM` (or with `T`).
fn time_cell(
    input: &CsvInput,
    field: &str,
    errors: &mut Vec<RowError>,
) -> Result<Option<NaiveDateTime>, RowError> {
    let col = input.column(field);
    Ok(match input.cell(col)? {
        None => None,
        Some(text) => match parse_time(text) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(input.error(col, e));
                None
            }
        },
    })
}

impl Importer for TicketsImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["id", "customer", "kind", "summary"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let id = import::row_key(input, "id", &self.seen)?;
        let mut errors = Vec::new();
        let c_customer = input.column("customer");
        let customer = required(input, c_customer, "customer")?.to_string();
        crate::import::check_key(input, c_customer, &customer)?;
        if store::customers::get(conn, &customer)?.is_none() {
            errors.push(input.error(c_customer, format!("no customer \"{customer}\"")));
        }
        let c_kind = input.column("kind");
        let kind: Option<TicketKind> = import::word(input, c_kind, &mut errors, |k| {
            format!("\"{k}\" is not a kind: {}", or_list(&TicketKind::words()))
        })?;
        let summary = import::name_cell(input, "summary")?;
        let c_order = input.column("order_id");
        let order_id = input.cell(c_order)?.map(str::to_string);
        if let Some(o) = &order_id {
            match store::service::order_customer(conn, o)? {
                None => errors.push(input.error(c_order, format!("no order \"{o}\""))),
                Some(c) if c != customer => errors.push(input.error(
                    c_order,
                    format!("order {o} is an order of customer {c}, not of {customer}"),
                )),
                Some(_) => {}
            }
        }
        let channel: Option<TicketChannel> =
            import::word(input, input.column("channel"), &mut errors, |c| {
                format!(
                    "\"{c}\" is not a channel: {}",
                    or_list(&TicketChannel::words())
                )
            })?;
        let c_assignee = input.column("assignee");
        let assignee = input.cell(c_assignee)?.map(str::to_string);
        if let Some(a) = &assignee {
            if !store::reps::exists(conn, a)? {
                errors.push(input.error(c_assignee, format!("no rep \"{a}\"")));
            }
        }
        let c_status = input.column("status");
        let status: Option<TicketStatus> = import::word(input, c_status, &mut errors, |s| {
            format!(
                "\"{s}\" is not a status: {}",
                or_list(&TicketStatus::words())
            )
        })?;
        let opened_at = time_cell(input, "opened_at", &mut errors)?;
        let responded_at = time_cell(input, "responded_at", &mut errors)?;
        let resolved_at = time_cell(input, "resolved_at", &mut errors)?;
        let closed_at = time_cell(input, "closed_at", &mut errors)?;
        let c_score = input.column("satisfaction");
        let satisfaction = match input.cell(c_score)? {
            None => None,
            Some(text) => match parse_satisfaction(text) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(input.error(c_score, e));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(kind), Some(summary)) = (kind, summary) else {
            return Err(input.error(None, "incomplete row".into()).into());
        };
        let stored = store::service::get(conn, &id)?;
        let mut t = match &stored {
            Some(old) => old.clone(),
            None => {
                let opened = opened_at.unwrap_or(self.now);
                let (response_due, resolve_due) = due_times(&self.clock, &self.times, kind, opened);
                Ticket {
                    id: id.clone(),
                    customer: customer.clone(),
                    kind,
                    summary: summary.clone(),
                    order_id: None,
                    channel: None,
                    assignee: None,
                    region: store::service::customer_region(conn, &customer)?,
                    status: TicketStatus::Open,
                    opened_at: opened,
                    response_due,
                    resolve_due,
                    responded_at: None,
                    resolved_at: None,
                    first_resolved_at: None,
                    closed_at: None,
                    satisfaction: None,
                    reopened: 0,
                }
            }
        };
        t.customer = customer;
        t.kind = kind;
        t.summary = summary;
        if order_id.is_some() {
            t.order_id = order_id;
        }
        if channel.is_some() {
            t.channel = channel;
        }
        if assignee.is_some() {
            t.assignee = assignee;
        }
        if let Some(o) = opened_at {
            t.opened_at = o;
        }
        if responded_at.is_some() {
            t.responded_at = responded_at;
        }
        if resolved_at.is_some() {
            t.resolved_at = resolved_at;
        }
        if closed_at.is_some() {
            t.closed_at = closed_at;
        }
        if satisfaction.is_some() {
            t.satisfaction = satisfaction;
        }
        t.status = status.unwrap_or_else(|| {
            status_of_times(
                t.responded_at.is_some(),
                t.resolved_at.is_some(),
                t.closed_at.is_some(),
            )
        });
        // The first resolution is the earliest the ticket is known to have had.
        t.first_resolved_at = match (t.first_resolved_at, t.resolved_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(old) = &stored {
            if old.opened_at != t.opened_at || old.kind != t.kind {
                (t.response_due, t.resolve_due) =
                    due_times(&self.clock, &self.times, t.kind, t.opened_at);
            }
        }
        if let Err(e) = check_times(&t) {
            return Err(input.error(c_status, format!("ticket {id}: {e}")).into());
        }
        self.seen.insert(id.clone(), input.line());
        let written = match &stored {
            Some(old) if *old == t => Written::Skipped,
            Some(_) => {
                store::service::update(conn, &t)?;
                Written::Updated
            }
            None => {
                store::service::insert(conn, &t)?;
                Written::Created
            }
        };
        if written != Written::Skipped {
            write_timeline(conn, &t, stored.is_some())?;
        }
        counts.add(written, 1);
        Ok(())
    }
}

/// The timeline of an imported ticket, from its times (an update writes it anew).
fn write_timeline(conn: &Conn, t: &Ticket, rewrite: bool) -> Result<()> {
    if rewrite {
        store::service::clear_events(conn, &t.id)?;
    }
    let steps = [
        ("opened", Some(t.opened_at)),
        ("responded", t.responded_at),
        ("resolved", t.resolved_at),
        ("closed", t.closed_at),
    ];
    for (event, at) in steps {
        if let Some(at) = at {
            store::service::add_event(
                conn,
                &t.id,
                &Event {
                    at,
                    event: event.into(),
                    rep: t.assignee.clone(),
                    note: Some("imported".into()),
                },
            )?;
        }
    }
    Ok(())
}
