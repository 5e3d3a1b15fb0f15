//! After-sales tickets and their timeline (`tickets`, `ticket_events`). Tickets move no sales figure,
//! so they are written here directly, each write in its command's transaction.

use crate::store::sql::{params, Connection, OptionalExtension};
use anyhow::{Context as _, Result};
use chrono::NaiveDateTime;

use crate::domain::service::{parse_time, show_time, Ticket};
use crate::domain::values::TicketStatus;

const SELECT: &str = "SELECT id, customer, kind, summary, order_id, channel, assignee, region, status,
        opened_at, response_due, resolve_due, responded_at, resolved_at, first_resolved_at, closed_at,
        satisfaction, reopened
     FROM tickets";

fn time(r: &crate::store::sql::Row, i: usize) -> crate::store::sql::Result<NaiveDateTime> {
    let text: String = r.get(i)?;
    parse_time(&text).map_err(|e| crate::store::sql::Error::conversion(i, e))
}

fn opt_time(
    r: &crate::store::sql::Row,
    i: usize,
) -> crate::store::sql::Result<Option<NaiveDateTime>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| parse_time(&t).map_err(|e| crate::store::sql::Error::conversion(i, e)))
        .transpose()
}

fn row_to_ticket(r: &crate::store::sql::Row) -> crate::store::sql::Result<Ticket> {
    Ok(Ticket {
        id: r.get(0)?,
        customer: r.get(1)?,
        kind: r.get(2)?,
        summary: r.get(3)?,
        order_id: r.get(4)?,
        channel: r.get(5)?,
        assignee: r.get(6)?,
        region: r.get(7)?,
        status: r.get(8)?,
        opened_at: time(r, 9)?,
        response_due: time(r, 10)?,
        resolve_due: time(r, 11)?,
        responded_at: opt_time(r, 12)?,
        resolved_at: opt_time(r, 13)?,
        first_resolved_at: opt_time(r, 14)?,
        closed_at: opt_time(r, 15)?,
        satisfaction: r.get(16)?,
        reopened: r.get(17)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Ticket>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], row_to_ticket)
        .optional()?)
}

/// A ticket a person named, which must exist.
pub fn must_get(conn: &Connection, id: &str) -> Result<Ticket> {
    match get(conn, id)? {
        Some(t) => Ok(t),
        None => crate::bail_input!("no ticket \"{id}\" (see `salesops service list`)"),
    }
}

/// A return may name a ticket only when the ticket exists and is one of the order's customer.
pub fn check_return_ticket(conn: &Connection, ticket: &str, customer: &str) -> Result<()> {
    let t = must_get(conn, ticket)?;
    if t.customer != customer {
        crate::bail_input!(
            "ticket {ticket} is a ticket of customer {}, not of {customer}, the order's customer",
            t.customer
        );
    }
    Ok(())
}

/// What a listing asks for.
#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    /// Only tickets still waiting for an answer or a resolution (open or responded).
    pub waiting: bool,
    pub kind: Option<String>,
    /// The region and its sub-regions.
    pub regions: Option<Vec<String>>,
    pub assignee: Option<String>,
    /// Opened from (inclusive) and before (exclusive), as stored text.
    pub opened: Option<(String, String)>,
}

/// Tickets in id order (which is opening order within a day).
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<Ticket>> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut args: Vec<String> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: String| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(s) = &f.status {
        arg(&mut sql, " AND status = ?", s.clone());
    }
    if f.waiting {
        sql.push_str(" AND status IN ('open', 'responded')");
    }
    if let Some(k) = &f.kind {
        arg(&mut sql, " AND kind = ?", k.clone());
    }
    if let Some(a) = &f.assignee {
        arg(&mut sql, " AND assignee = ?", a.clone());
    }
    if let Some((from, before)) = &f.opened {
        arg(&mut sql, " AND opened_at >= ?", from.clone());
        arg(&mut sql, " AND opened_at < ?", before.clone());
    }
    if let Some(regions) = &f.regions {
        let mut marks = Vec::new();
        for r in regions {
            args.push(r.clone());
            marks.push(format!("?{}", args.len()));
        }
        sql.push_str(&format!(" AND region IN ({})", marks.join(", ")));
    }
    sql.push_str(" ORDER BY opened_at, id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        crate::store::sql::params_from_iter(args.iter()),
        row_to_ticket,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tickets opened in `period`: from its first minute to its last.
pub fn opened_in(conn: &Connection, period: &crate::domain::period::Period) -> Result<Vec<Ticket>> {
    let from = period.start.and_time(chrono::NaiveTime::MIN);
    let before = (period.end + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    list(
        conn,
        &Filter {
            opened: Some((show_time(from), show_time(before))),
            ..Filter::default()
        },
    )
}

/// The next id of a ticket opened on the day of `opened`: one above the highest number of that day.
pub fn next_id(conn: &Connection, opened: NaiveDateTime) -> Result<String> {
    let day = opened.date();
    let prefix = crate::domain::service::ticket_id(day, 0);
    let prefix = prefix.trim_end_matches('0');
    let mut stmt = conn.prepare_cached("SELECT id FROM tickets WHERE id LIKE ?1 || '%'")?;
    let ids: Vec<String> = stmt
        .query_map([prefix], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let highest = ids
        .iter()
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(crate::domain::service::ticket_id(day, highest + 1))
}

/// The region of a customer now: the region of its area.
pub fn customer_region(conn: &Connection, customer: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.region FROM customers c JOIN areas a ON a.code = c.area WHERE c.code = ?1",
        )?
        .query_row([customer], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The customer of an order, when the order exists.
pub fn order_customer(conn: &Connection, order_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT customer FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?)
}

fn t(v: Option<NaiveDateTime>) -> Option<String> {
    v.map(show_time)
}

/// Insert a new ticket.
pub fn insert(conn: &Connection, x: &Ticket) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO tickets (id, customer, kind, summary, order_id, channel, assignee, region, status,
             opened_at, response_due, resolve_due, responded_at, resolved_at, first_resolved_at, closed_at,
             satisfaction, reopened)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        x.id,
        x.customer,
        x.kind,
        x.summary,
        x.order_id,
        x.channel,
        x.assignee,
        x.region,
        x.status,
        show_time(x.opened_at),
        show_time(x.response_due),
        show_time(x.resolve_due),
        t(x.responded_at),
        t(x.resolved_at),
        t(x.first_resolved_at),
        t(x.closed_at),
        x.satisfaction,
        x.reopened,
    ])
    .with_context(|| format!("saving ticket {}", x.id))?;
    Ok(())
}

/// Write every field of a stored ticket but its id.
pub fn update(conn: &Connection, x: &Ticket) -> Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET customer = ?2, kind = ?3, summary = ?4, order_id = ?5, channel = ?6,
             assignee = ?7, region = ?8, status = ?9, opened_at = ?10, response_due = ?11,
             resolve_due = ?12, responded_at = ?13, resolved_at = ?14, first_resolved_at = ?15,
             closed_at = ?16, satisfaction = ?17, reopened = ?18
         WHERE id = ?1",
    )?
    .execute(params![
        x.id,
        x.customer,
        x.kind,
        x.summary,
        x.order_id,
        x.channel,
        x.assignee,
        x.region,
        x.status,
        show_time(x.opened_at),
        show_time(x.response_due),
        show_time(x.resolve_due),
        t(x.responded_at),
        t(x.resolved_at),
        t(x.first_resolved_at),
        t(x.closed_at),
        x.satisfaction,
        x.reopened,
    ])?;
    Ok(())
}

/// One entry of a ticket's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: NaiveDateTime,
    pub event: String,
    pub rep: Option<String>,
    pub note: Option<String>,
}

pub fn add_event(conn: &Connection, ticket: &str, e: &Event) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_events (ticket, at, event, rep, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![ticket, show_time(e.at), e.event, e.rep, e.note])?;
    Ok(())
}

/// Forget a ticket's timeline (an import that rewrites the ticket writes it again).
pub fn clear_events(conn: &Connection, ticket: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM ticket_events WHERE ticket = ?1")?
        .execute([ticket])?;
    Ok(())
}

/// A ticket's timeline in time order (and in the order written within a minute).
pub fn events(conn: &Connection, ticket: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, event, rep, note FROM ticket_events WHERE ticket = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([ticket], |r| {
        Ok(Event {
            at: time(r, 0)?,
            event: r.get(1)?,
            rep: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The returns recorded against a ticket: (order, line, quantity, date).
pub fn returns_of(conn: &Connection, ticket: &str) -> Result<Vec<(String, i64, i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT order_id, line_no, quantity, date FROM returns WHERE ticket = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([ticket], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The name of every region, by code.
pub fn region_names(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare_cached("SELECT code, name, parent FROM regions ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The name of every rep, by code.
pub fn rep_names(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT code, name FROM reps ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `db check`: every ticket's times fit its status and come in order, and a resolved or closed
/// ticket has its first resolution, no later than its latest one.
pub(in crate::store) fn findings(conn: &Connection) -> Result<Vec<super::invariants::Finding>> {
    let mut out = Vec::new();
    for t in list(conn, &Filter::default())? {
        let problem = crate::domain::service::check_times(&t).err().or_else(|| {
            let resolved = matches!(t.status, TicketStatus::Resolved | TicketStatus::Closed);
            match (t.first_resolved_at, t.resolved_at) {
                (None, Some(_)) if resolved => Some("no first_resolved_at".to_string()),
                (Some(first), Some(last)) if first > last => Some(format!(
                    "first_resolved_at {} is after resolved_at {}",
                    show_time(first),
                    show_time(last)
                )),
                _ => None,
            }
        });
        if let Some(p) = problem {
            out.push(("ticket_times".to_string(), format!("tickets {}", t.id), p));
        }
    }
    Ok(out)
}
