//! The service KPIs of a set of tickets: response and resolution on time (处理及时率), complaints
//! resolved (投诉解决率), satisfaction (客户满意度), reopens and the median time to answer, in total
//! and per region, assignee or kind.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::Ticket;
use crate::domain::decimal::div_round_half_away;
use crate::domain::hours::BusinessClock;
use crate::domain::values::TicketKind;

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
    use crate::domain::service::{parse_time, Ticket};
    use proptest::prelude::*;

    fn t(text: &str) -> NaiveDateTime {
        parse_time(text).unwrap()
    }

    fn ticket(kind: TicketKind) -> Ticket {
        crate::domain::service::sample_ticket(kind)
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
