//! Working-day arithmetic for due dates: weekends and listed holidays are
//! skipped, and listed make-up workdays (weekend days worked in exchange
//! for a holiday, as in China's calendar) count as working days.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// Holidays and make-up workdays on top of the Monday–Friday week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Monday–Friday, minus holidays, plus make-up workdays; a date listed as
    /// both counts as a working day, since a make-up day is the more
    /// specific statement.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The n-th working day after `start` (start itself not counted);
    /// n = 0 gives `start`. Stops at chrono's last date rather than panic.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// ";"-separated ISO dates ("2026-10-01;2026-10-02"); empty pieces are
    /// ignored, so "" and a trailing ";" are fine.
    pub fn parse_dates(list: &str) -> Result<BTreeSet<NaiveDate>, String> {
        list.split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                NaiveDate::parse_from_str(p, "%Y-%m-%d").map_err(|_| {
                    format!("\"{p}\" is not a date: expected YYYY-MM-DD, dates separated by ';'")
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(v) => v,
            None => panic!("bad test date {y}-{m}-{d}"),
        }
    }

    #[test]
    fn weekends_are_skipped() {
        let c = Calendar::default();
        // 2026-03-06 is a Friday.
        assert_eq!(ymd(2026, 3, 6).weekday(), Weekday::Fri);
        assert_eq!(c.add_working_days(ymd(2026, 3, 6), 2), ymd(2026, 3, 10));
        assert_eq!(c.add_working_days(ymd(2026, 3, 6), 1), ymd(2026, 3, 9));
        assert_eq!(c.add_working_days(ymd(2026, 3, 6), 0), ymd(2026, 3, 6));
        // Starting on a Saturday, the first working day is Monday.
        assert_eq!(c.add_working_days(ymd(2026, 3, 7), 1), ymd(2026, 3, 9));
        assert_eq!(c.add_working_days(ymd(2026, 3, 2), 10), ymd(2026, 3, 16));
        assert_eq!(c.add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
    }

    #[test]
    fn holidays_and_make_up_days() {
        let c = Calendar {
            holidays: BTreeSet::from([ymd(2026, 3, 9)]),
            workdays: BTreeSet::from([ymd(2026, 3, 14)]),
        };
        assert!(!c.is_working_day(ymd(2026, 3, 9)));
        assert!(c.is_working_day(ymd(2026, 3, 14)));
        assert!(!c.is_working_day(ymd(2026, 3, 15)));
        // Friday + 2 skips the Monday holiday: Tuesday, Wednesday.
        assert_eq!(c.add_working_days(ymd(2026, 3, 6), 2), ymd(2026, 3, 11));
        // Thursday 12th + 2: Friday 13th, then the make-up Saturday 14th.
        assert_eq!(c.add_working_days(ymd(2026, 3, 12), 2), ymd(2026, 3, 14));
        let both = Calendar {
            holidays: BTreeSet::from([ymd(2026, 3, 14)]),
            workdays: BTreeSet::from([ymd(2026, 3, 14)]),
        };
        assert!(both.is_working_day(ymd(2026, 3, 14)));
    }

    #[test]
    fn parses_date_lists() {
        assert_eq!(Calendar::parse_dates(""), Ok(BTreeSet::new()));
        assert_eq!(Calendar::parse_dates("  "), Ok(BTreeSet::new()));
        assert_eq!(
            Calendar::parse_dates("2026-10-01; 2026-10-02;"),
            Ok(BTreeSet::from([ymd(2026, 10, 1), ymd(2026, 10, 2)]))
        );
        assert_eq!(
            Calendar::parse_dates("2026-10-01;2026-13-01"),
            Err("\"2026-13-01\" is not a date: expected YYYY-MM-DD, dates separated by ';'".into())
        );
        assert!(Calendar::parse_dates("2026-10-01,2026-10-02").is_err());
    }
}
