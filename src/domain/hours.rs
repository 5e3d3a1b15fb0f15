//! Business-hours arithmetic for service times: the clock runs only inside the daily business hours
//! (`calendar.hours`, such as 09:00-18:00) of working days (the policy calendar), to the minute.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::calendar::Calendar;

/// The daily business hours on working days, as minutes after midnight: `start` < `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyHours {
    start: u32,
    end: u32,
}

impl Default for DailyHours {
    fn default() -> DailyHours {
        DailyHours {
            start: 9 * 60,
            end: 18 * 60,
        }
    }
}

impl DailyHours {
    /// `HH:MM-HH:MM` with the start before the end (`09:00-18:00`).
    pub fn parse(text: &str) -> Result<DailyHours, String> {
        let bad = || {
            format!("\"{text}\" is not business hours: expected HH:MM-HH:MM such as 09:00-18:00")
        };
        let (a, b) = text.trim().split_once('-').ok_or_else(bad)?;
        let minute = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .ok()
                .map(|t| t.hour() * 60 + t.minute())
        };
        match (minute(a), minute(b)) {
            (Some(start), Some(end)) if start < end => Ok(DailyHours { start, end }),
            (Some(_), Some(_)) => Err(format!(
                "\"{text}\" is not business hours: the start must be before the end"
            )),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for DailyHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// The service clock: daily business hours on the working days of a calendar.
#[derive(Debug, Clone, Default)]
pub struct BusinessClock {
    pub calendar: Calendar,
    pub hours: DailyHours,
}

fn at(day: NaiveDate, minute: u32) -> NaiveDateTime {
    day.and_hms_opt(minute / 60, minute % 60, 0)
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN))
}

fn minute_of(t: NaiveDateTime) -> u32 {
    t.hour() * 60 + t.minute()
}

impl BusinessClock {
    /// The next working day after `day`; `None` past chrono's last date.
    fn next_working_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        let mut d = day.succ_opt()?;
        while !self.calendar.is_working_day(d) {
            d = d.succ_opt()?;
        }
        Some(d)
    }

    /// Whether `t` lies in business time, the closing minute included (a due time may be 18:00).
    pub fn is_business_time(&self, t: NaiveDateTime) -> bool {
        let m = minute_of(t);
        self.calendar.is_working_day(t.date()) && m >= self.hours.start && m <= self.hours.end
    }

    /// When the clock starts for something that happens at `t`: `t` itself inside business hours,
    /// else the next opening (a ticket opened at 07:00 starts at 09:00, one at 19:00 the next working
    /// morning). The closing minute itself is no time to work in: 18:00 starts the next morning.
    pub fn start_at(&self, t: NaiveDateTime) -> NaiveDateTime {
        let day = t.date();
        let m = minute_of(t);
        if self.calendar.is_working_day(day) {
            if m < self.hours.start {
                return at(day, self.hours.start);
            }
            if m < self.hours.end {
                return t;
            }
        }
        match self.next_working_day(day) {
            Some(d) => at(d, self.hours.start),
            None => t,
        }
    }

    /// `t` plus `minutes` of business time. The result is always business time; a result at the
    /// closing minute stays there (Friday 14:00 + 4 h is Friday 18:00, not Monday 09:00), so adding
    /// h1 then h2 equals adding h1 + h2. Zero minutes from a time already in business time is that time.
    pub fn add_minutes(&self, t: NaiveDateTime, minutes: u64) -> NaiveDateTime {
        if minutes == 0 && self.is_business_time(t) {
            return t;
        }
        let mut cur = self.start_at(t);
        let mut left = minutes;
        loop {
            let room = u64::from(self.hours.end - minute_of(cur));
            if left <= room {
                return cur + Duration::minutes(left as i64);
            }
            left -= room;
            match self.next_working_day(cur.date()) {
                Some(d) => cur = at(d, self.hours.start),
                None => return at(cur.date(), self.hours.end),
            }
        }
    }

    /// `t` plus whole business hours.
    pub fn add_hours(&self, t: NaiveDateTime, hours: u32) -> NaiveDateTime {
        self.add_minutes(t, u64::from(hours) * 60)
    }

    /// Minutes of business time from `from` to `to` (0 when `to` is not after `from`).
    pub fn minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> u64 {
        if to <= from {
            return 0;
        }
        let mut total = 0u64;
        let mut day = from.date();
        while day <= to.date() {
            if self.calendar.is_working_day(day) {
                let open = if day == from.date() {
                    minute_of(from).max(self.hours.start)
                } else {
                    self.hours.start
                };
                let close = if day == to.date() {
                    minute_of(to).min(self.hours.end)
                } else {
                    self.hours.end
                };
                if close > open {
                    total += u64::from(close - open);
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn clock() -> BusinessClock {
        BusinessClock::default()
    }

    #[test]
    fn friday_17_plus_4_hours_is_monday_noon() {
        // 2026-03-13 is a Friday: 1 hour on Friday, 3 on Monday.
        assert_eq!(
            clock().add_hours(t("2026-03-13 17:00"), 4),
            t("2026-03-16 12:00")
        );
    }

    #[test]
    fn a_holiday_in_between_is_skipped() {
        let c = BusinessClock {
            calendar: Calendar {
                holidays: BTreeSet::from([d("2026-03-16")]),
                workdays: BTreeSet::new(),
            },
            ..clock()
        };
        assert_eq!(c.add_hours(t("2026-03-13 17:00"), 4), t("2026-03-17 12:00"));
        // A make-up Saturday works.
        let c = BusinessClock {
            calendar: Calendar {
                holidays: BTreeSet::new(),
                workdays: BTreeSet::from([d("2026-03-14")]),
            },
            ..clock()
        };
        assert_eq!(c.add_hours(t("2026-03-13 17:00"), 4), t("2026-03-14 12:00"));
    }

    #[test]
    fn outside_hours_starts_at_the_next_opening() {
        let c = clock();
        assert_eq!(c.start_at(t("2026-03-10 07:00")), t("2026-03-10 09:00"));
        assert_eq!(c.start_at(t("2026-03-10 19:00")), t("2026-03-11 09:00"));
        assert_eq!(c.start_at(t("2026-03-10 18:00")), t("2026-03-11 09:00"));
        assert_eq!(c.start_at(t("2026-03-14 10:00")), t("2026-03-16 09:00"));
        assert_eq!(c.add_hours(t("2026-03-10 07:00"), 4), t("2026-03-10 13:00"));
        assert_eq!(c.add_hours(t("2026-03-10 19:00"), 4), t("2026-03-11 13:00"));
        // 24 business hours from Tuesday 10:00: 8 on Tuesday, 9 Wednesday, 7 Thursday.
        assert_eq!(
            c.add_hours(t("2026-03-10 10:00"), 24),
            t("2026-03-12 16:00")
        );
        // Ending at the close stays on that day.
        assert_eq!(c.add_hours(t("2026-03-13 14:00"), 4), t("2026-03-13 18:00"));
    }

    #[test]
    fn minutes_between_counts_business_time_only() {
        let c = clock();
        assert_eq!(
            c.minutes_between(t("2026-03-13 17:00"), t("2026-03-16 12:00")),
            240
        );
        assert_eq!(
            c.minutes_between(t("2026-03-13 19:00"), t("2026-03-14 10:00")),
            0
        );
        assert_eq!(
            c.minutes_between(t("2026-03-10 07:00"), t("2026-03-10 09:30")),
            30
        );
        assert_eq!(
            c.minutes_between(t("2026-03-10 12:00"), t("2026-03-10 11:00")),
            0
        );
    }

    #[test]
    fn hours_parse_and_print() {
        assert_eq!(DailyHours::parse("09:00-18:00"), Ok(DailyHours::default()));
        assert_eq!(
            DailyHours::parse(" 8:30 - 17:30 ").map(|h| h.to_string()),
            Ok("08:30-17:30".into())
        );
        assert!(DailyHours::parse("18:00-09:00").is_err());
        assert!(DailyHours::parse("09:00").is_err());
        assert!(DailyHours::parse("9-18").is_err());
    }

    fn any_time() -> impl Strategy<Value = NaiveDateTime> {
        // Three years of minutes from 2026-01-01.
        (0i64..3 * 366 * 24 * 60).prop_map(|m| t("2026-01-01 00:00") + Duration::minutes(m))
    }

    fn any_clock() -> impl Strategy<Value = BusinessClock> {
        (
            proptest::collection::btree_set(0i64..1100, 0..40),
            proptest::collection::btree_set(0i64..1100, 0..10),
            0u32..12 * 60,
            1u32..12 * 60,
        )
            .prop_map(|(h, w, start, len)| {
                let day = |n: i64| d("2026-01-01") + Duration::days(n);
                BusinessClock {
                    calendar: Calendar {
                        holidays: h.into_iter().map(day).collect(),
                        workdays: w.into_iter().map(day).collect(),
                    },
                    hours: DailyHours {
                        start,
                        end: start + len,
                    },
                }
            })
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]

        #[test]
        fn a_due_time_is_never_in_a_non_working_period(c in any_clock(), at in any_time(), m in 0u64..200 * 60) {
            let due = c.add_minutes(at, m);
            prop_assert!(c.is_business_time(due), "{} + {} min = {}", at, m, due);
            prop_assert!(due >= at);
        }

        #[test]
        fn adding_h1_then_h2_equals_adding_h1_plus_h2(c in any_clock(), at in any_time(), h1 in 0u32..120, h2 in 0u32..120) {
            prop_assert_eq!(c.add_hours(c.add_hours(at, h1), h2), c.add_hours(at, h1 + h2));
        }

        #[test]
        fn the_time_between_is_the_time_added(c in any_clock(), at in any_time(), m in 0u64..200 * 60) {
            let start = c.start_at(at);
            prop_assert_eq!(c.minutes_between(start, c.add_minutes(start, m)), m);
            prop_assert_eq!(c.minutes_between(at, c.add_minutes(at, m)), m);
        }
    }
}
