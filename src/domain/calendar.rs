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

    /// ";"-separated ISO dates or inclusive ranges ("2026-10-01..2026-10-07;2026-10-11"), as the
    /// official holiday notice gives them; empty pieces are ignored, so "" and a trailing ";" are fine.
    pub fn parse_dates(list: &str) -> Result<BTreeSet<NaiveDate>, String> {
        let mut out = BTreeSet::new();
        for piece in pieces(list) {
            let (first, last) = parse_piece(piece)?;
            let mut d = first;
            out.insert(d);
            while d < last {
                match d.succ_opt() {
                    Some(next) => d = next,
                    None => break,
                }
                out.insert(d);
            }
        }
        Ok(out)
    }

    /// The list as it is stored: each piece checked and written back in ISO form, ranges kept as
    /// ranges (a year's holidays stay one readable line).
    pub fn canonical_dates(list: &str) -> Result<String, String> {
        let mut out = Vec::new();
        for piece in pieces(list) {
            let (first, last) = parse_piece(piece)?;
            out.push(if first == last {
                first.to_string()
            } else {
                format!("{first}..{last}")
            });
        }
        Ok(out.join(";"))
    }
}

fn pieces(list: &str) -> impl Iterator<Item = &str> {
    list.split(';').map(str::trim).filter(|p| !p.is_empty())
}

/// One date, or a range `FIRST..LAST` with FIRST not after LAST (and at most ten years long, so a typo
/// cannot fill memory).
fn parse_piece(piece: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let date = |p: &str| {
        NaiveDate::parse_from_str(p.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "\"{}\" is not a date: expected YYYY-MM-DD or FIRST..LAST, separated by ';'",
                p.trim()
            )
        })
    };
    match piece.split_once("..") {
        None => date(piece).map(|d| (d, d)),
        Some((a, b)) => {
            let (first, last) = (date(a)?, date(b)?);
            if first > last {
                return Err(format!("\"{piece}\": the range ends before it starts"));
            }
            if (last - first).num_days() > 3660 {
                return Err(format!("\"{piece}\": a range of more than ten years"));
            }
            Ok((first, last))
        }
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
            Err(
                "\"2026-13-01\" is not a date: expected YYYY-MM-DD or FIRST..LAST, separated by ';'"
                    .into()
            )
        );
        assert_eq!(
            Calendar::parse_dates("2026-02-15..2026-02-17; 2026-10-01"),
            Ok(BTreeSet::from([
                ymd(2026, 2, 15),
                ymd(2026, 2, 16),
                ymd(2026, 2, 17),
                ymd(2026, 10, 1)
            ]))
        );
        assert!(Calendar::parse_dates("2026-02-17..2026-02-15").is_err());
        assert_eq!(
            Calendar::canonical_dates("2026-02-15 .. 2026-02-23;;2026-10-01..2026-10-01"),
            Ok("2026-02-15..2026-02-23;2026-10-01".into())
        );
        assert!(Calendar::parse_dates("2026-10-01,2026-10-02").is_err());
    }
}
