//! After-sales tickets: the times they are given in, the status flow and its refusals, their due
//! times, and the service KPIs (处理及时率, 客户满意度, 投诉解决率) over a set of tickets.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::decimal::div_round_half_away;
use super::hours::BusinessClock;
use super::policy::ServiceTimes;
use super::values::{TicketChannel, TicketKind, TicketStatus};

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

/// The service KPIs of a set of tickets (those opened in a period).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kpi {
    pub opened: i64,
    pub responded: i64,
    pub responded_on_time: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub complaints: i64,
    pub complaints_resolved: i64,
    pub scores: i64,
    pub score_sum: i64,
    pub satisfied: i64,
    pub reopened: i64,
    /// Business minutes from opening to response, of each responded ticket.
    pub response_minutes: Vec<u64>,
}

impl Kpi {
    /// Add one ticket. `period_end` is the last minute of the period: a complaint counts as resolved
    /// when its first resolution came by then.
    pub fn add(&mut self, t: &Ticket, clock: &BusinessClock, period_end: NaiveDateTime) {
        self.opened += 1;
        if let Some(r) = t.responded_at {
            self.responded += 1;
            if r <= t.response_due {
                self.responded_on_time += 1;
            }
            self.response_minutes
                .push(clock.minutes_between(t.opened_at, r));
        }
        if let Some(r) = t.first_resolved_at {
            self.resolved += 1;
            if r <= t.resolve_due {
                self.resolved_on_time += 1;
            }
        }
        if t.kind == TicketKind::Complaint {
            self.complaints += 1;
            if t.first_resolved_at.is_some_and(|r| r <= period_end) {
                self.complaints_resolved += 1;
            }
        }
        if let Some(s) = t.satisfaction {
            self.scores += 1;
            self.score_sum += i64::from(s);
            if s >= 4 {
                self.satisfied += 1;
            }
        }
        if t.reopened > 0 {
            self.reopened += 1;
        }
    }

    pub fn response_on_time_pct(&self) -> Option<f64> {
        pct(self.responded_on_time, self.responded)
    }
    pub fn resolve_on_time_pct(&self) -> Option<f64> {
        pct(self.resolved_on_time, self.resolved)
    }
    pub fn complaint_resolution_pct(&self) -> Option<f64> {
        pct(self.complaints_resolved, self.complaints)
    }
    pub fn satisfied_pct(&self) -> Option<f64> {
        pct(self.satisfied, self.scores)
    }

    /// The mean score, two decimals (half away from zero).
    pub fn satisfaction_avg(&self) -> Option<f64> {
        if self.scores == 0 {
            return None;
        }
        let hundredths =
            div_round_half_away(i128::from(self.score_sum) * 100, i128::from(self.scores));
        Some(hundredths as f64 / 100.0)
    }

    /// The median business hours to respond, one decimal (half away from zero); the mean of the two
    /// middle values when the count is even.
    pub fn median_response_hours(&self) -> Option<f64> {
        let mut m = self.response_minutes.clone();
        if m.is_empty() {
            return None;
        }
        m.sort_unstable();
        let n = m.len();
        // Tenths of an hour = minutes / 6; the even case halves the sum of the middle two.
        let tenths = if n % 2 == 1 {
            div_round_half_away(i128::from(m[n / 2]), 6)
        } else {
            div_round_half_away(i128::from(m[n / 2 - 1]) + i128::from(m[n / 2]), 12)
        };
        Some(tenths as f64 / 10.0)
    }
}

/// What `service kpi` groups tickets by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KpiBy {
    Region,
    Rep,
    Kind,
}

impl KpiBy {
    /// The key column of a row (`rep` is the assignee).
    pub fn column(self) -> &'static str {
        match self {
            KpiBy::Region => "region",
            KpiBy::Rep => "rep",
            KpiBy::Kind => "kind",
        }
    }

    /// The groups a ticket counts in: its region and every region above it (a parent region's
    /// figures include its sub-regions), its assignee, or its kind; none is the group without a key.
    fn keys(self, t: &Ticket, parents: &BTreeMap<String, Option<String>>) -> Vec<Option<String>> {
        match self {
            KpiBy::Region => {
                let Some(mut code) = t.region.clone() else {
                    return vec![None];
                };
                let mut out = vec![Some(code.clone())];
                // A cycle in a damaged file must not loop: a chain is never deeper than 64.
                while let Some(Some(parent)) = parents.get(&code) {
                    if out.len() > 64 || out.contains(&Some(parent.clone())) {
                        break;
                    }
                    out.push(Some(parent.clone()));
                    code = parent.clone();
                }
                out
            }
            KpiBy::Rep => vec![t.assignee.clone()],
            KpiBy::Kind => vec![Some(t.kind.as_str().to_string())],
        }
    }
}

/// The KPIs of `tickets` per group (key order, the group without a key last) and of all of them.
/// `parents` maps each region to its parent, for `KpiBy::Region`.
pub fn kpi_by(
    tickets: &[Ticket],
    by: KpiBy,
    parents: &BTreeMap<String, Option<String>>,
    clock: &BusinessClock,
    period_end: NaiveDateTime,
) -> (Vec<(Option<String>, Kpi)>, Kpi) {
    let mut groups: BTreeMap<(bool, Option<String>), Kpi> = BTreeMap::new();
    let mut total = Kpi::default();
    for t in tickets {
        for key in by.keys(t, parents) {
            groups
                .entry((key.is_none(), key))
                .or_default()
                .add(t, clock, period_end);
        }
        total.add(t, clock, period_end);
    }
    (
        groups.into_iter().map(|((_, k), v)| (k, v)).collect(),
        total,
    )
}

/// The KPI columns, in the order every listing and report shows them.
pub const KPI_COLUMNS: &[&str] = &[
    "opened",
    "responded",
    "response_on_time_pct",
    "resolved",
    "resolve_on_time_pct",
    "complaints",
    "complaint_resolution_pct",
    "satisfaction_avg",
    "satisfied_pct",
    "reopened",
    "median_response_hours",
];

/// One KPI figure: a count, or a number (percentage, mean, hours) that is null on a zero base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Count(i64),
    Number(Option<f64>),
}

impl Kpi {
    /// The figures in the order of `KPI_COLUMNS`.
    pub fn figures(&self) -> [Figure; 11] {
        use Figure::{Count, Number};
        [
            Count(self.opened),
            Count(self.responded),
            Number(self.response_on_time_pct()),
            Count(self.resolved),
            Number(self.resolve_on_time_pct()),
            Count(self.complaints),
            Number(self.complaint_resolution_pct()),
            Number(self.satisfaction_avg()),
            Number(self.satisfied_pct()),
            Count(self.reopened),
            Number(self.median_response_hours()),
        ]
    }
}

/// part / whole as a percentage with one decimal (half away from zero); None on a zero base.
fn pct(part: i64, whole: i64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    Some(div_round_half_away(i128::from(part) * 1000, i128::from(whole)) as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(text: &str) -> NaiveDateTime {
        parse_time(text).unwrap()
    }

    fn ticket(kind: TicketKind) -> Ticket {
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

    #[test]
    fn kpi_figures_of_a_small_set() {
        let clock = BusinessClock::default();
        let end = t("2026-03-31 23:59");
        let mut k = Kpi::default();
        // On time, 1 h; scored 5.
        let mut a = ticket(TicketKind::Complaint);
        a.responded_at = Some(t("2026-03-10 11:00"));
        a.first_resolved_at = Some(t("2026-03-11 10:00"));
        a.satisfaction = Some(5);
        k.add(&a, &clock, end);
        // Late, 5 h 30 min; resolved late; scored 2; reopened.
        let mut b = ticket(TicketKind::Repair);
        b.responded_at = Some(t("2026-03-10 15:30"));
        b.first_resolved_at = Some(t("2026-03-13 10:00"));
        b.satisfaction = Some(2);
        b.reopened = 1;
        k.add(&b, &clock, end);
        // A complaint with no answer yet.
        k.add(&ticket(TicketKind::Complaint), &clock, end);
        assert_eq!(
            (k.opened, k.responded, k.resolved, k.complaints, k.reopened),
            (3, 2, 2, 2, 1)
        );
        assert_eq!(k.response_on_time_pct(), Some(50.0));
        assert_eq!(k.resolve_on_time_pct(), Some(50.0));
        assert_eq!(k.complaint_resolution_pct(), Some(50.0));
        assert_eq!(k.satisfaction_avg(), Some(3.5));
        assert_eq!(k.satisfied_pct(), Some(50.0));
        // Median of 60 and 330 minutes: 195 min = 3.25 h → 3.3.
        assert_eq!(k.median_response_hours(), Some(3.3));
        assert_eq!(Kpi::default().response_on_time_pct(), None);
        assert_eq!(Kpi::default().median_response_hours(), None);
        assert_eq!(Kpi::default().satisfaction_avg(), None);
    }

    #[test]
    fn a_parent_region_counts_its_sub_regions() {
        let clock = BusinessClock::default();
        let end = t("2026-03-31 23:59");
        let mut a = ticket(TicketKind::Inquiry);
        a.region = Some("EAST-SH".into());
        let mut b = ticket(TicketKind::Inquiry);
        b.region = Some("EAST".into());
        let c = ticket(TicketKind::Inquiry);
        let parents = BTreeMap::from([
            ("EAST".to_string(), None),
            ("EAST-SH".to_string(), Some("EAST".to_string())),
        ]);
        let (groups, total) = kpi_by(&[a, b, c], KpiBy::Region, &parents, &clock, end);
        let counts: Vec<(Option<String>, i64)> =
            groups.iter().map(|(k, v)| (k.clone(), v.opened)).collect();
        assert_eq!(
            counts,
            vec![
                (Some("EAST".to_string()), 2),
                (Some("EAST-SH".to_string()), 1),
                (None, 1)
            ]
        );
        assert_eq!(total.opened, 3);
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]

        #[test]
        fn the_median_lies_between_the_extremes(mut m in proptest::collection::vec(0u64..100_000, 1..50)) {
            let k = Kpi { response_minutes: m.clone(), ..Kpi::default() };
            let median = k.median_response_hours().unwrap_or(-1.0);
            m.sort_unstable();
            let lo = (m[0] as f64 / 60.0 * 10.0).floor() / 10.0;
            let hi = (m[m.len() - 1] as f64 / 60.0 * 10.0).ceil() / 10.0;
            prop_assert!(median >= lo && median <= hi, "{} not in {}..{}", median, lo, hi);
        }

        #[test]
        fn percentages_stay_between_0_and_100(part in 0i64..10_000, extra in 0i64..10_000) {
            let whole = part + extra;
            match pct(part, whole) {
                None => prop_assert_eq!(whole, 0),
                Some(p) => prop_assert!((0.0..=100.0).contains(&p)),
            }
        }
    }
}
