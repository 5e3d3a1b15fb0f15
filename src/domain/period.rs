//! Reporting periods: calendar years, quarters, months and inclusive date
//! ranges, with the comparisons reports need (previous period, same period
//! last year) and the breakdowns into months and quarters.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate};

use super::date::{add_months_clamped, days_in_month, parse_date};
use super::decimal::normalize_width;

const FORMS: &str = "expected a year (2026), a quarter (2026-Q3), a month (2026-10), \
a date range (2026-01-05..2026-02-20), or this-month, last-month, this-quarter, \
last-quarter, this-year, last-year";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Year,
    Quarter,
    Month,
    Range,
}

/// A span of days; `end` is inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// Parses "2026", "2026-Q3" / "2026q3", "2026-10" / "2026-1",
    /// "2026-01-05..2026-02-20" (ends in any `parse_date` form), a single
    /// date (a one-day range), and the relative names, which are taken
    /// relative to `today`.
    pub fn parse(s: &str, today: NaiveDate) -> Result<Period, String> {
        let shown = s.trim();
        let not_a_period = || format!("\"{shown}\" is not a period: {FORMS}");
        let normalized = normalize_width(s);
        let t = normalized.trim();

        if let Some((a, b)) = t.split_once("..") {
            // Either end may be a date or a whole month, year or quarter (2026-01..2026-10).
            let bound = |part: &str, first: bool| -> Result<NaiveDate, String> {
                match parse_date(part) {
                    Ok(d) => Ok(d),
                    Err(e) => match Period::parse(part, today) {
                        Ok(p) if p.kind != PeriodKind::Range => {
                            Ok(if first { p.start } else { p.end })
                        }
                        _ => Err(format!("in the range \"{shown}\": {e}")),
                    },
                }
            };
            let start = bound(a, true)?;
            let end = bound(b, false)?;
            if end < start {
                return Err(format!(
                    "\"{shown}\" ends before it starts: expected START..END with START on or before END"
                ));
            }
            return Ok(Period::range(start, end));
        }

        let lower = t.to_ascii_lowercase().replace('_', "-");
        let relative = match lower.as_str() {
            "this-month" => Some(Period::month(today.year(), today.month())),
            "last-month" => Some(Period::month(today.year(), today.month()).previous()),
            "this-quarter" => Some(Period::quarter(today.year(), quarter_of(today))),
            "last-quarter" => Some(Period::quarter(today.year(), quarter_of(today)).previous()),
            "this-year" => Some(Period::year(today.year())),
            "last-year" => Some(Period::year(today.year()).previous()),
            _ => None,
        };
        if let Some(p) = relative {
            return Ok(p);
        }

        if let Some(p) = parse_calendar_unit(&lower) {
            return p.map_err(|why| format!("\"{shown}\" {why}: {FORMS}"));
        }
        // A lone date is a one-day range; it must be a full date, so that
        // "2026-10" above stays a month.
        if t.chars().filter(|c| c.is_ascii_digit()).count() >= 6 {
            if let Ok(d) = parse_date(t) {
                return Ok(Period::range(d, d));
            }
        }
        Err(not_a_period())
    }

    /// Calendar year `y`.
    pub fn year(y: i32) -> Period {
        Period {
            kind: PeriodKind::Year,
            start: ymd_clamped(y, 1, 1),
            end: ymd_clamped(y, 12, 31),
        }
    }

    /// Quarter `q` (1–4; out-of-range values are clamped) of year `y`.
    pub fn quarter(y: i32, q: u32) -> Period {
        let q = q.clamp(1, 4);
        let first = (q - 1) * 3 + 1;
        Period {
            kind: PeriodKind::Quarter,
            start: ymd_clamped(y, first, 1),
            end: ymd_clamped(y, first + 2, days_in_month(y, first + 2)),
        }
    }

    /// Month `m` (1–12; out-of-range values are clamped) of year `y`.
    pub fn month(y: i32, m: u32) -> Period {
        let m = m.clamp(1, 12);
        Period {
            kind: PeriodKind::Month,
            start: ymd_clamped(y, m, 1),
            end: ymd_clamped(y, m, days_in_month(y, m)),
        }
    }

    /// Inclusive range; the ends are swapped if given backwards, so a
    /// Period never has end before start.
    pub fn range(start: NaiveDate, end: NaiveDate) -> Period {
        Period {
            kind: PeriodKind::Range,
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// "2026", "2026-Q3", "2026-10", "2026-01-05..2026-02-20".
    pub fn label(&self) -> String {
        let y = self.start.year();
        match self.kind {
            PeriodKind::Year => format!("{y:04}"),
            PeriodKind::Quarter => format!("{y:04}-Q{}", quarter_of(self.start)),
            PeriodKind::Month => format!("{y:04}-{:02}", self.start.month()),
            PeriodKind::Range => format!(
                "{}..{}",
                self.start.format("%Y-%m-%d"),
                self.end.format("%Y-%m-%d")
            ),
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The month, quarter or year before; for a range, the span of equal
    /// length that ends the day before it starts.
    pub fn previous(&self) -> Period {
        let (y, m) = (self.start.year(), self.start.month());
        match self.kind {
            PeriodKind::Year => Period::year(y.saturating_sub(1)),
            PeriodKind::Quarter => {
                let q = quarter_of(self.start);
                if q == 1 {
                    Period::quarter(y.saturating_sub(1), 4)
                } else {
                    Period::quarter(y, q - 1)
                }
            }
            PeriodKind::Month => {
                if m == 1 {
                    Period::month(y.saturating_sub(1), 12)
                } else {
                    Period::month(y, m - 1)
                }
            }
            PeriodKind::Range => {
                let len = self.days().unsigned_abs();
                let end = self.start.pred_opt().unwrap_or(NaiveDate::MIN);
                let start = end
                    .checked_sub_days(Days::new(len - 1))
                    .unwrap_or(NaiveDate::MIN);
                Period::range(start, end)
            }
        }
    }

    /// The same period one year earlier; a range has both ends moved back
    /// 12 months, clamped to month ends (2024-02-29 → 2023-02-28).
    pub fn same_last_year(&self) -> Period {
        let (y, m) = (self.start.year().saturating_sub(1), self.start.month());
        match self.kind {
            PeriodKind::Year => Period::year(y),
            PeriodKind::Quarter => Period::quarter(y, quarter_of(self.start)),
            PeriodKind::Month => Period::month(y, m),
            PeriodKind::Range => Period::range(
                add_months_clamped(self.start, -12),
                add_months_clamped(self.end, -12),
            ),
        }
    }

    /// The months overlapping the period, in order.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = Period::month(self.start.year(), self.start.month());
        while p.start <= self.end {
            let next = p.end.succ_opt();
            out.push(p);
            match next {
                Some(n) => p = Period::month(n.year(), n.month()),
                None => break,
            }
        }
        out
    }

    /// The quarters overlapping the period, in order.
    pub fn quarters(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = Period::quarter(self.start.year(), quarter_of(self.start));
        while p.start <= self.end {
            let next = p.end.succ_opt();
            out.push(p);
            match next {
                Some(n) => p = Period::quarter(n.year(), quarter_of(n)),
                None => break,
            }
        }
        out
    }

    /// The last whole month that ended before `today`: the one before
    /// today's month, since today's month has not ended yet.
    pub fn last_full_month_before(today: NaiveDate) -> Period {
        Period::month(today.year(), today.month()).previous()
    }

    /// The last whole quarter that ended before `today`.
    pub fn last_full_quarter_before(today: NaiveDate) -> Period {
        Period::quarter(today.year(), quarter_of(today)).previous()
    }

    /// The last whole year that ended before `today`.
    pub fn last_full_year_before(today: NaiveDate) -> Period {
        Period::year(today.year().saturating_sub(1))
    }

    /// Year, Quarter or Month, as opposed to an arbitrary range.
    pub fn is_calendar_unit(&self) -> bool {
        self.kind != PeriodKind::Range
    }
}

/// A span split for reading: the whole months inside it (first and last month as "YYYY-MM"), and
/// the days at its edges that only cover part of a month. Rollups answer the months; the edges are
/// read from the orders themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decomposed {
    pub months: Option<(String, String)>,
    pub edges: Vec<(NaiveDate, NaiveDate)>,
}

/// The quarter ("2026-Q4") and year ("2026") labels of a month written "YYYY-MM", and its number.
pub fn quarter_and_year(month: &str) -> Option<(String, String, u32)> {
    let (y, m) = month.split_once('-')?;
    let number: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
    y.parse::<i32>().ok()?;
    Some((
        format!("{y}-Q{}", number.div_ceil(3)),
        y.to_string(),
        number,
    ))
}

/// The label of [start, end] when it is exactly one calendar month, quarter or year.
pub fn calendar_label(start: NaiveDate, end: NaiveDate) -> Option<String> {
    let d = decompose(start, end);
    let (m1, m2) = d.months.filter(|_| d.edges.is_empty())?;
    if m1 == m2 {
        return Some(m1);
    }
    let (q1, y1, n1) = quarter_and_year(&m1)?;
    let (q2, y2, n2) = quarter_and_year(&m2)?;
    if y1 != y2 {
        None
    } else if (n1, n2) == (1, 12) {
        Some(y1)
    } else if q1 == q2 && n1 % 3 == 1 && n2 == n1 + 2 {
        Some(q1)
    } else {
        None
    }
}

pub fn decompose(start: NaiveDate, end: NaiveDate) -> Decomposed {
    let first_full = if start.day() == 1 {
        start
    } else {
        Period::month(start.year(), start.month()).end + Days::new(1)
    };
    let last_full_end = if end == Period::month(end.year(), end.month()).end {
        end
    } else {
        NaiveDate::from_ymd_opt(end.year(), end.month(), 1)
            .map(|d| d - Days::new(1))
            .unwrap_or(end)
    };
    if first_full > last_full_end {
        return Decomposed {
            months: None,
            edges: vec![(start, end)],
        };
    }
    let mut edges = Vec::new();
    if start < first_full {
        edges.push((start, first_full - Days::new(1)));
    }
    if last_full_end < end {
        edges.push((last_full_end + Days::new(1), end));
    }
    Decomposed {
        months: Some((
            first_full.format("%Y-%m").to_string(),
            last_full_end.format("%Y-%m").to_string(),
        )),
        edges,
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.label())
    }
}

fn quarter_of(d: NaiveDate) -> u32 {
    d.month0() / 3 + 1
}

/// Saturates at chrono's date range instead of panicking on absurd years.
fn ymd_clamped(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(if y < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// A year, quarter or month written as `lower` (already lowercased).
/// None when it is not shaped like one; Some(Err(why)) when it is but the
/// quarter or month number is out of range.
fn parse_calendar_unit(lower: &str) -> Option<Result<Period, &'static str>> {
    let is_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let year_str = lower.get(..4)?;
    if !is_digits(year_str) {
        return None;
    }
    let year: i32 = year_str.parse().ok()?;
    let rest = &lower[4..];
    if rest.is_empty() {
        return Some(Ok(Period::year(year)));
    }
    // "2026-q3", "2026q3", "2026 q3"
    let after_sep = rest
        .strip_prefix(['-', '/', ' '])
        .unwrap_or(rest)
        .trim_start();
    if let Some(q) = after_sep.strip_prefix('q') {
        if !is_digits(q) || q.len() > 1 {
            return None;
        }
        let q: u32 = q.parse().ok()?;
        return Some(if (1..=4).contains(&q) {
            Ok(Period::quarter(year, q))
        } else {
            Err("has no such quarter (1 to 4)")
        });
    }
    // "2026-10", "2026-1", "2026/10", "2026年10月"
    let month_str = if let Some(r) = rest.strip_prefix('年') {
        r.strip_suffix('月')?
    } else {
        rest.strip_prefix(['-', '/'])?
    };
    if !is_digits(month_str) || month_str.len() > 2 {
        return None;
    }
    let m: u32 = month_str.parse().ok()?;
    Some(if (1..=12).contains(&m) {
        Ok(Period::month(year, m))
    } else {
        Err("has no such month (1 to 12)")
    })
}

#[cfg(test)]
mod decompose_tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn whole_months_and_edges() {
        let x = decompose(d("2026-01-05"), d("2026-03-20"));
        assert_eq!(x.months, Some(("2026-02".into(), "2026-02".into())));
        assert_eq!(
            x.edges,
            vec![
                (d("2026-01-05"), d("2026-01-31")),
                (d("2026-03-01"), d("2026-03-20"))
            ]
        );
        let x = decompose(d("2026-01-01"), d("2026-12-31"));
        assert_eq!(x.months, Some(("2026-01".into(), "2026-12".into())));
        assert!(x.edges.is_empty());
        let x = decompose(d("2026-02-03"), d("2026-02-10"));
        assert_eq!(x.months, None);
        assert_eq!(x.edges, vec![(d("2026-02-03"), d("2026-02-10"))]);
        let x = decompose(d("2026-01-15"), d("2026-02-28"));
        assert_eq!(x.months, Some(("2026-02".into(), "2026-02".into())));
        assert_eq!(x.edges, vec![(d("2026-01-15"), d("2026-01-31"))]);
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

    fn today() -> NaiveDate {
        ymd(2026, 11, 23)
    }

    fn p(s: &str) -> Period {
        match Period::parse(s, today()) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn parses_years_quarters_months() {
        assert_eq!(p("2026"), Period::year(2026));
        assert_eq!(p("2026").start, ymd(2026, 1, 1));
        assert_eq!(p("2026").end, ymd(2026, 12, 31));
        for s in [
            "2026-Q3",
            "2026q3",
            "2026Q3",
            "2026-q3",
            " 2026-Q3 ",
            "２０２６－Ｑ３",
        ] {
            assert_eq!(p(s), Period::quarter(2026, 3), "{s}");
        }
        let q3 = p("2026-Q3");
        assert_eq!((q3.start, q3.end), (ymd(2026, 7, 1), ymd(2026, 9, 30)));
        let q1 = p("2026-Q1");
        assert_eq!(q1.end, ymd(2026, 3, 31));
        assert_eq!(p("2026-Q4").end, ymd(2026, 12, 31));
        assert_eq!(p("2026-Q2").end, ymd(2026, 6, 30));
        assert_eq!(p("2026-10"), Period::month(2026, 10));
        assert_eq!(p("2026-1"), Period::month(2026, 1));
        assert_eq!(p("2026-01"), Period::month(2026, 1));
        assert_eq!(p("2026/02"), Period::month(2026, 2));
        assert_eq!(p("2026年2月"), Period::month(2026, 2));
        assert_eq!(p("2024-02").end, ymd(2024, 2, 29));
        assert_eq!(p("2025-02").end, ymd(2025, 2, 28));
        assert_eq!(p("2024").days(), 366);
        assert_eq!(p("2024-Q1").days(), 91);
        assert_eq!(p("2025-Q1").days(), 90);
    }

    #[test]
    fn parses_ranges() {
        let r = p("2026-01-05..2026-02-20");
        assert_eq!(r.kind, PeriodKind::Range);
        assert_eq!((r.start, r.end), (ymd(2026, 1, 5), ymd(2026, 2, 20)));
        assert_eq!(r.days(), 47);
        assert_eq!(p("2026/1/5..2026年2月20日"), r);
        assert_eq!(p("2026-01-05 .. 2026-02-20"), r);
        assert_eq!(p("2026-01-05..2026-01-05").days(), 1);
        assert_eq!(
            p("2026-03-05"),
            Period::range(ymd(2026, 3, 5), ymd(2026, 3, 5))
        );
        let e = Period::parse("2026-02-20..2026-01-05", today()).unwrap_err();
        assert!(e.contains("ends before it starts"), "{e}");
        let e = Period::parse("2026-01-05..x", today()).unwrap_err();
        assert!(e.contains("\"x\" is not a date"), "{e}");
        assert!(Period::parse("2026-01-05..", today()).is_err());
    }

    #[test]
    fn parses_relative_names() {
        assert_eq!(p("this-month"), Period::month(2026, 11));
        assert_eq!(p("last-month"), Period::month(2026, 10));
        assert_eq!(p("this-quarter"), Period::quarter(2026, 4));
        assert_eq!(p("last-quarter"), Period::quarter(2026, 3));
        assert_eq!(p("this-year"), Period::year(2026));
        assert_eq!(p("last-year"), Period::year(2025));
        assert_eq!(p("Last_Month"), Period::month(2026, 10));
        let jan = ymd(2026, 1, 15);
        assert_eq!(
            Period::parse("last-month", jan),
            Ok(Period::month(2025, 12))
        );
        assert_eq!(
            Period::parse("last-quarter", jan),
            Ok(Period::quarter(2025, 4))
        );
        assert_eq!(
            Period::parse("this-quarter", jan),
            Ok(Period::quarter(2026, 1))
        );
    }

    #[test]
    fn rejects_invalid_periods() {
        for s in [
            "",
            "x",
            "26",
            "202",
            "20261",
            "2026-Q5",
            "2026-Q0",
            "2026-Q",
            "2026-Q12",
            "2026-13",
            "2026-00",
            "2026-123",
            "2026-1-",
            "next-month",
            "2026-10-",
        ] {
            let e = Period::parse(s, today()).unwrap_err();
            assert!(e.contains("2026-Q3") && e.contains("last-year"), "{s}: {e}");
            assert!(e.starts_with(&format!("\"{s}\"")), "{e}");
        }
        let e = Period::parse("2026-Q5", today()).unwrap_err();
        assert!(e.contains("no such quarter"), "{e}");
        let e = Period::parse("2026-13", today()).unwrap_err();
        assert!(e.contains("no such month"), "{e}");
    }

    #[test]
    fn labels_round_trip() {
        for s in [
            "2026",
            "2026-Q3",
            "2026-10",
            "2026-01",
            "2026-01-05..2026-02-20",
        ] {
            assert_eq!(p(s).label(), s);
            assert_eq!(p(s).to_string(), s);
            assert_eq!(p(&p(s).label()), p(s));
        }
        assert_eq!(p("2026q3").label(), "2026-Q3");
        assert_eq!(p("2026-1").label(), "2026-01");
    }

    #[test]
    fn previous_of_each_kind() {
        assert_eq!(p("2026").previous(), Period::year(2025));
        assert_eq!(p("2026-Q3").previous(), Period::quarter(2026, 2));
        assert_eq!(p("2026-Q1").previous(), Period::quarter(2025, 4));
        assert_eq!(p("2026-10").previous(), Period::month(2026, 9));
        assert_eq!(p("2026-01").previous(), Period::month(2025, 12));
        assert_eq!(p("2024-03").previous().end, ymd(2024, 2, 29));
        let r = p("2026-01-05..2026-02-20").previous();
        assert_eq!(r, Period::range(ymd(2025, 11, 19), ymd(2026, 1, 4)));
        assert_eq!(r.days(), 47);
        assert_eq!(
            p("2026-03-01..2026-03-01").previous(),
            p("2026-02-28..2026-02-28")
        );
    }

    #[test]
    fn same_last_year_of_each_kind() {
        assert_eq!(p("2026").same_last_year(), Period::year(2025));
        assert_eq!(p("2026-Q3").same_last_year(), Period::quarter(2025, 3));
        assert_eq!(p("2025-02").same_last_year(), Period::month(2024, 2));
        assert_eq!(p("2025-02").same_last_year().end, ymd(2024, 2, 29));
        assert_eq!(
            p("2024-02-01..2024-02-29").same_last_year(),
            Period::range(ymd(2023, 2, 1), ymd(2023, 2, 28))
        );
    }

    #[test]
    fn breakdowns() {
        let r = p("2026-01-05..2026-04-02");
        let labels: Vec<String> = r.months().iter().map(Period::label).collect();
        assert_eq!(labels, ["2026-01", "2026-02", "2026-03", "2026-04"]);
        let labels: Vec<String> = r.quarters().iter().map(Period::label).collect();
        assert_eq!(labels, ["2026-Q1", "2026-Q2"]);
        assert_eq!(p("2026").months().len(), 12);
        assert_eq!(p("2026").quarters().len(), 4);
        assert_eq!(
            p("2026-Q4").months(),
            vec![
                Period::month(2026, 10),
                Period::month(2026, 11),
                Period::month(2026, 12)
            ]
        );
        assert_eq!(p("2026-11").quarters(), vec![Period::quarter(2026, 4)]);
        assert_eq!(p("2025-12-31..2026-01-01").months().len(), 2);
        assert_eq!(p("2025-12-31..2026-01-01").quarters().len(), 2);
    }

    #[test]
    fn last_full_units() {
        let t = ymd(2026, 11, 23);
        assert_eq!(Period::last_full_month_before(t), Period::month(2026, 10));
        assert_eq!(
            Period::last_full_quarter_before(t),
            Period::quarter(2026, 3)
        );
        assert_eq!(Period::last_full_year_before(t), Period::year(2025));
        let t = ymd(2026, 12, 1);
        assert_eq!(Period::last_full_month_before(t), Period::month(2026, 11));
        assert_eq!(
            Period::last_full_quarter_before(t),
            Period::quarter(2026, 3)
        );
        let t = ymd(2026, 1, 1);
        assert_eq!(Period::last_full_month_before(t), Period::month(2025, 12));
        assert_eq!(
            Period::last_full_quarter_before(t),
            Period::quarter(2025, 4)
        );
        assert_eq!(Period::last_full_year_before(t), Period::year(2025));
        // The last day of a month is not after its end, so it is not yet full.
        let t = ymd(2026, 10, 31);
        assert_eq!(Period::last_full_month_before(t), Period::month(2026, 9));
    }

    #[test]
    fn a_month_belongs_to_one_quarter_and_one_year() {
        assert_eq!(
            quarter_and_year("2026-10"),
            Some(("2026-Q4".into(), "2026".into(), 10))
        );
        assert_eq!(
            quarter_and_year("2026-03"),
            Some(("2026-Q1".into(), "2026".into(), 3))
        );
        assert_eq!(quarter_and_year("2026-13"), None);
        assert_eq!(quarter_and_year("2026"), None);
    }

    #[test]
    fn only_whole_calendar_periods_have_a_calendar_label() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let label = |a: &str, b: &str| calendar_label(d(a), d(b));
        assert_eq!(label("2026-10-01", "2026-10-31"), Some("2026-10".into()));
        assert_eq!(label("2026-07-01", "2026-09-30"), Some("2026-Q3".into()));
        assert_eq!(label("2025-01-01", "2025-12-31"), Some("2025".into()));
        assert_eq!(label("2026-08-01", "2026-10-31"), None);
        assert_eq!(label("2026-01-01", "2026-06-30"), None);
        assert_eq!(label("2026-10-01", "2026-10-30"), None);
        assert_eq!(label("2025-12-01", "2026-01-31"), None);
    }

    #[test]
    fn contains_and_kinds() {
        let q = p("2026-Q3");
        assert!(q.contains(ymd(2026, 7, 1)));
        assert!(q.contains(ymd(2026, 9, 30)));
        assert!(!q.contains(ymd(2026, 10, 1)));
        assert!(!q.contains(ymd(2026, 6, 30)));
        assert!(q.is_calendar_unit());
        assert!(p("2026").is_calendar_unit());
        assert!(p("2026-10").is_calendar_unit());
        assert!(!p("2026-01-01..2026-01-31").is_calendar_unit());
        assert_eq!(
            Period::range(ymd(2026, 2, 1), ymd(2026, 1, 1)).start,
            ymd(2026, 1, 1)
        );
        assert_eq!(Period::quarter(2026, 9), Period::quarter(2026, 4));
        assert_eq!(Period::month(2026, 0), Period::month(2026, 1));
    }
}
