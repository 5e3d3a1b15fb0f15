//! After-sales tickets: the times they are given in, the status flow and its refusals, their due
//! times; the KPIs over a set of tickets are in `kpi`.

use chrono::{NaiveDate, NaiveDateTime};

use super::hours::BusinessClock;
use super::policy::ServiceTimes;
use super::values::{TicketChannel, TicketKind, TicketStatus};

mod kpi;
pub use kpi::{kpi_by, Figure, Kpi, KpiBy, KPI_COLUMNS};

/// How ticket times are stored and shown: local time to the minute.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// A time as people type it: `YYYY-MM-DD HH:MM`, also with `T` between date and time.
pub fn parse_time(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .map_err(|_| format!("\"{t}\" is not a time: expected YYYY-MM-DD HH:MM"))
}

pub fn show_time(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    pub customer: String,
    pub kind: TicketKind,
    pub summary: String,
    pub order_id: Option<String>,
    pub channel: Option<TicketChannel>,
    pub assignee: Option<String>,
    pub region: Option<String>,
    pub status: TicketStatus,
    pub opened_at: NaiveDateTime,
    pub response_due: NaiveDateTime,
    pub resolve_due: NaiveDateTime,
    pub responded_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub first_resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<u8>,
    pub reopened: i64,
}

/// The id of the `seq`-th ticket opened on `day`: `T20260306-001`.
pub fn ticket_id(day: NaiveDate, seq: u32) -> String {
    format!("T{}-{seq:03}", day.format("%Y%m%d"))
}

/// The response and resolution due times of a ticket of `kind` opened at `opened`.
pub fn due_times(
    clock: &BusinessClock,
    times: &ServiceTimes,
    kind: TicketKind,
    opened: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let resolve = if kind == TicketKind::Complaint {
        times.complaint_resolve_hours
    } else {
        times.resolve_hours
    };
    (
        clock.add_hours(opened, times.response_hours),
        clock.add_hours(opened, resolve),
    )
}

/// A move of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Respond,
    Resolve,
    Close,
    Reopen,
    Assign,
}

impl Step {
    fn verb(self) -> &'static str {
        match self {
            Step::Respond => "responded to",
            Step::Resolve => "resolved",
            Step::Close => "closed",
            Step::Reopen => "reopened",
            Step::Assign => "assigned",
        }
    }

    /// The states the step may start from.
    fn from(self) -> &'static [TicketStatus] {
        use TicketStatus::*;
        match self {
            Step::Respond => &[Open],
            // Resolving an open ticket responds to it at the same time.
            Step::Resolve => &[Open, Responded],
            Step::Close => &[Resolved],
            Step::Reopen => &[Resolved, Closed],
            Step::Assign => &[Open, Responded, Resolved],
        }
    }
}

/// Whether `step` may move a ticket in `status`; the refusal names the state and what is allowed.
pub fn allowed(id: &str, status: TicketStatus, step: Step) -> Result<(), String> {
    if step.from().contains(&status) {
        return Ok(());
    }
    let from: Vec<&str> = step.from().iter().map(|s| s.as_str()).collect();
    Err(format!(
        "ticket {id} is {status}: only a ticket that is {} can be {}",
        super::values::or_list(&from.join(", ")),
        step.verb()
    ))
}

/// Moves keep their order: a time may not be before the last one the ticket has.
pub fn not_before(
    id: &str,
    what: &str,
    at: NaiveDateTime,
    last_what: &str,
    last: NaiveDateTime,
) -> Result<(), String> {
    if at < last {
        return Err(format!(
            "ticket {id}: the {what} time {} is before its {last_what} time {}",
            show_time(at),
            show_time(last)
        ));
    }
    Ok(())
}

/// The latest time on the ticket, and what happened then: a new move may not come before it.
pub fn last_time(t: &Ticket) -> (&'static str, NaiveDateTime) {
    let mut last = ("opening", t.opened_at);
    for (what, at) in [
        ("response", t.responded_at),
        ("resolution", t.resolved_at),
        ("closing", t.closed_at),
    ] {
        if let Some(at) = at.filter(|a| *a >= last.1) {
            last = (what, at);
        }
    }
    last
}

/// The status the times of a ticket say it is in (an import row without a status): the last of
/// opened, responded, resolved, closed that has a time.
pub fn status_of_times(responded: bool, resolved: bool, closed: bool) -> TicketStatus {
    if closed {
        TicketStatus::Closed
    } else if resolved {
        TicketStatus::Resolved
    } else if responded {
        TicketStatus::Responded
    } else {
        TicketStatus::Open
    }
}

/// Whether the times of an imported ticket fit its status (every state it went through has its time,
/// none it has not reached has one) and come in order; the error says what does not.
pub fn check_times(t: &Ticket) -> Result<(), String> {
    use TicketStatus::*;
    let need = |has: bool, field: &str, status: TicketStatus| -> Result<(), String> {
        if !has {
            return Err(format!("a {status} ticket needs {field}"));
        }
        Ok(())
    };
    let none = |has: bool, field: &str| -> Result<(), String> {
        if has {
            return Err(format!("a {} ticket has no {field}", t.status));
        }
        Ok(())
    };
    let (responded, resolved, closed) = (
        t.responded_at.is_some(),
        t.resolved_at.is_some(),
        t.closed_at.is_some(),
    );
    match t.status {
        Open => {
            none(responded, "responded_at")?;
            none(resolved, "resolved_at")?;
            none(closed, "closed_at")?;
        }
        Responded => {
            need(responded, "responded_at", Responded)?;
            none(resolved, "resolved_at")?;
            none(closed, "closed_at")?;
        }
        Resolved => {
            need(responded, "responded_at", Resolved)?;
            need(resolved, "resolved_at", Resolved)?;
            none(closed, "closed_at")?;
        }
        Closed => {
            need(responded, "responded_at", Closed)?;
            need(resolved, "resolved_at", Closed)?;
            need(closed, "closed_at", Closed)?;
        }
    }
    let mut last = ("opened_at", t.opened_at);
    for (name, at) in [
        ("responded_at", t.responded_at),
        ("resolved_at", t.resolved_at),
        ("closed_at", t.closed_at),
    ] {
        if let Some(at) = at {
            if at < last.1 {
                return Err(format!(
                    "{name} {} is before {} {}",
                    show_time(at),
                    last.0,
                    show_time(last.1)
                ));
            }
            last = (name, at);
        }
    }
    Ok(())
}

/// A satisfaction score: a whole number from 1 to 5.
pub fn parse_satisfaction(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err(format!(
            "\"{}\" is not a satisfaction score: a whole number from 1 to 5",
            text.trim()
        )),
    }
}

/// An open ticket opened 2026-03-10 10:00 (response due 14:00, resolution due 03-12 10:00), for the
/// unit tests of the flow and the KPIs.
#[cfg(test)]
pub(crate) fn sample_ticket(kind: TicketKind) -> Ticket {
    let t = |text: &str| parse_time(text).expect("a test time");
    Ticket {
        id: "T20260310-001".into(),
        customer: "K1".into(),
        kind,
        summary: "s".into(),
        order_id: None,
        channel: None,
        assignee: None,
        region: None,
        status: TicketStatus::Open,
        opened_at: t("2026-03-10 10:00"),
        response_due: t("2026-03-10 14:00"),
        resolve_due: t("2026-03-12 10:00"),
        responded_at: None,
        resolved_at: None,
        first_resolved_at: None,
        closed_at: None,
        satisfaction: None,
        reopened: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveDateTime {
        parse_time(text).unwrap()
    }

    fn ticket(kind: TicketKind) -> Ticket {
        sample_ticket(kind)
    }

    #[test]
    fn times_parse_with_a_space_or_t() {
        assert_eq!(t("2026-03-06T09:05"), t("2026-03-06 09:05"));
        assert!(parse_time("2026-03-06").is_err());
        assert!(parse_time("2026-03-06 25:00").is_err());
        assert_eq!(
            ticket_id(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(), 1),
            "T20260306-001"
        );
    }

    #[test]
    fn the_flow_refuses_naming_the_state() {
        use TicketStatus::*;
        assert!(allowed("T1", Open, Step::Respond).is_ok());
        assert!(allowed("T1", Open, Step::Resolve).is_ok());
        assert_eq!(
            allowed("T1", Open, Step::Close),
            Err("ticket T1 is open: only a ticket that is resolved can be closed".into())
        );
        assert_eq!(
            allowed("T1", Open, Step::Reopen),
            Err(
                "ticket T1 is open: only a ticket that is resolved or closed can be reopened"
                    .into()
            )
        );
        assert!(allowed("T1", Responded, Step::Respond).is_err());
        assert!(allowed("T1", Closed, Step::Resolve).is_err());
        assert!(allowed("T1", Closed, Step::Assign).is_err());
        assert!(allowed("T1", Closed, Step::Reopen).is_ok());
    }

    #[test]
    fn imported_times_must_fit_the_status() {
        let mut x = ticket(TicketKind::Inquiry);
        assert!(check_times(&x).is_ok());
        x.status = TicketStatus::Resolved;
        assert_eq!(
            check_times(&x),
            Err("a resolved ticket needs responded_at".into())
        );
        x.responded_at = Some(t("2026-03-10 09:00"));
        x.resolved_at = Some(t("2026-03-10 12:00"));
        assert_eq!(
            check_times(&x),
            Err("responded_at 2026-03-10 09:00 is before opened_at 2026-03-10 10:00".into())
        );
        x.responded_at = Some(t("2026-03-10 11:00"));
        assert!(check_times(&x).is_ok());
        // A reopened ticket keeps its score: any status may have one.
        x.satisfaction = Some(5);
        assert!(check_times(&x).is_ok());
    }
}
