//! Rules of sales targets that need no database: how `--by` is read, the run-rate projection, the
//! amount needed per remaining day, and ranking by the unrounded achievement ratio.

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::decimal::{div_round_half_away, normalize_width, parse_scaled};
use super::money::Money;
use super::period::Period;

/// Weights are read with up to 6 decimals and kept as integers, so splitting stays exact.
const WEIGHT_SCALE: u32 = 6;

/// Who a target, or a scorecard, is for: a region or a rep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Region,
    Rep,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Region => "region",
            Scope::Rep => "rep",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text.trim().to_ascii_lowercase().as_str() {
            "region" => Some(Scope::Region),
            "rep" => Some(Scope::Rep),
            _ => None,
        }
    }
}

/// How a year is split into its months or quarters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitBy {
    Even,
    LastYear,
    /// One weight per part, scaled by 10^6.
    Weights(Vec<u128>),
}

/// How a region's target is handed to its reps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CascadeBy {
    Even,
    LastYear,
    /// (rep code, weight scaled by 10^6), in the order given.
    Weights(Vec<(String, u128)>),
}

/// A non-negative decimal weight ("3", "0.25", "15%" is not a weight).
pub fn parse_weight(text: &str) -> Result<u128, String> {
    let t = normalize_width(text);
    let t = t.trim();
    parse_scaled(t, WEIGHT_SCALE)
        .ok()
        .and_then(|v| u128::try_from(v).ok())
        .ok_or_else(|| {
            format!("\"{t}\" is not a weight: expected a non-negative number such as 3 or 0.25")
        })
}

/// `even`, `last-year` or `weights:W1,W2,...` with exactly `parts` weights (12 months or 4 quarters).
pub fn parse_split_by(text: &str, parts: usize) -> Result<SplitBy, String> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "even" => return Ok(SplitBy::Even),
        "last-year" | "last_year" => return Ok(SplitBy::LastYear),
        _ => {}
    }
    let Some(list) = strip_prefix_ci(t, "weights:") else {
        return Err(format!(
            "\"{t}\" is not a way to split: expected even, last-year or weights:W1,W2,..."
        ));
    };
    let weights = list
        .split(',')
        .map(parse_weight)
        .collect::<Result<Vec<_>, _>>()?;
    if weights.len() != parts {
        return Err(format!(
            "weights: {} given, expected {parts} (one per {})",
            weights.len(),
            if parts == 4 { "quarter" } else { "month" }
        ));
    }
    if weights.iter().all(|&w| w == 0) {
        return Err("weights: all are zero: expected at least one above zero".into());
    }
    Ok(SplitBy::Weights(weights))
}

/// `even`, `last-year` or `weights:REP=W,...` (each rep once).
pub fn parse_cascade_by(text: &str) -> Result<CascadeBy, String> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "even" => return Ok(CascadeBy::Even),
        "last-year" | "last_year" => return Ok(CascadeBy::LastYear),
        _ => {}
    }
    let Some(list) = strip_prefix_ci(t, "weights:") else {
        return Err(format!(
            "\"{t}\" is not a way to cascade: expected even, last-year or weights:REP=W,..."
        ));
    };
    let mut out: Vec<(String, u128)> = Vec::new();
    for item in list.split(',') {
        let Some((rep, w)) = item.split_once('=') else {
            return Err(format!(
                "\"{}\" is not REP=WEIGHT: expected weights:E01=3,E02=1",
                item.trim()
            ));
        };
        let rep = rep.trim();
        if rep.is_empty() {
            return Err(format!("\"{}\" names no rep", item.trim()));
        }
        if out.iter().any(|(r, _)| r == rep) {
            return Err(format!("rep {rep} is weighted twice"));
        }
        out.push((rep.to_string(), parse_weight(w)?));
    }
    if out.iter().all(|(_, w)| *w == 0) {
        return Err("weights: all are zero: expected at least one above zero".into());
    }
    Ok(CascadeBy::Weights(out))
}

fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}

/// Weights from last year's net revenue: a negative amount counts as zero.
pub fn history_weights(amounts: &[Money]) -> Vec<u128> {
    amounts
        .iter()
        .map(|m| u128::try_from(m.units().max(0)).unwrap_or(0))
        .collect()
}

/// Where today falls in a period that contains it: (days elapsed with today, days left after today).
pub fn days_elapsed_and_left(period: &Period, today: NaiveDate) -> Option<(i64, i64)> {
    if !period.contains(today) {
        return None;
    }
    let elapsed = (today - period.start).num_days() + 1;
    Some((elapsed, period.days() - elapsed))
}

/// Run-rate projection to the period's end: actual × days in the period / days elapsed (today
/// included), rounded half away from zero to the 1e-4 unit. None when today is outside the period.
pub fn projected(actual: Money, period: &Period, today: NaiveDate) -> Option<Money> {
    let (elapsed, _) = days_elapsed_and_left(period, today)?;
    let v = div_round_half_away(
        i128::from(actual.units()) * i128::from(period.days()),
        i128::from(elapsed),
    );
    i64::try_from(v).ok().map(Money::from_units)
}

/// What must be sold on each day left after today to close the gap: zero when the target is already
/// reached, None when today is outside the period or no day is left.
pub fn needed_per_day(gap: Money, period: &Period, today: NaiveDate) -> Option<Money> {
    let (_, left) = days_elapsed_and_left(period, today)?;
    if left <= 0 {
        return None;
    }
    let positive = gap.units().max(0);
    let v = div_round_half_away(i128::from(positive), i128::from(left));
    i64::try_from(v).ok().map(Money::from_units)
}

/// Order two achievements (actual / target, targets above zero) by their exact ratio, highest first.
pub fn by_achievement_desc(a: (Money, Money), b: (Money, Money)) -> Ordering {
    let lhs = i128::from(b.0.units()) * i128::from(a.1.units());
    let rhs = i128::from(a.0.units()) * i128::from(b.1.units());
    lhs.cmp(&rhs)
}

/// Places by achievement: 1, 2, … for the entries with a target above zero (those a band is given to),
/// by the exact ratio actual / target, highest first, ties by code; None for the others. An entry is
/// (code, actual, target). `targets progress` and the reports rank regions and reps with it.
pub fn achievement_ranks(entries: &[(&str, Money, Option<Money>)]) -> Vec<Option<usize>> {
    let target = |i: usize| entries[i].2.filter(|t| t.units() > 0);
    let mut ranked: Vec<usize> = (0..entries.len())
        .filter(|&i| target(i).is_some())
        .collect();
    ranked.sort_by(|&a, &b| {
        let key = |i: usize| (entries[i].1, target(i).unwrap_or(Money::ZERO));
        by_achievement_desc(key(a), key(b)).then_with(|| entries[a].0.cmp(entries[b].0))
    });
    let mut ranks = vec![None; entries.len()];
    for (n, &i) in ranked.iter().enumerate() {
        ranks[i] = Some(n + 1);
    }
    ranks
}

/// The order of ranked rows: ranked ones first, in rank order, then the others as `rest` orders them.
pub fn ranked_first<T: Ord>(
    a: Option<T>,
    b: Option<T>,
    rest: impl FnOnce() -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => rest(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn split_by_forms() {
        assert_eq!(parse_split_by("even", 12), Ok(SplitBy::Even));
        assert_eq!(parse_split_by("Last-Year", 4), Ok(SplitBy::LastYear));
        assert_eq!(
            parse_split_by("weights:1,2,0.5,0", 4),
            Ok(SplitBy::Weights(vec![1_000_000, 2_000_000, 500_000, 0]))
        );
        assert!(parse_split_by("weights:1,2,3", 4)
            .unwrap_err()
            .contains("expected 4"));
        assert!(parse_split_by("weights:1,-2,3,4", 4).is_err());
        assert!(parse_split_by("weights:0,0,0,0", 4).is_err());
        assert!(parse_split_by("seasonal", 12).is_err());
    }

    #[test]
    fn cascade_by_forms() {
        assert_eq!(
            parse_cascade_by("weights:E01=3, E02=1"),
            Ok(CascadeBy::Weights(vec![
                ("E01".into(), 3_000_000),
                ("E02".into(), 1_000_000)
            ]))
        );
        assert!(parse_cascade_by("weights:E01=3,E01=1").is_err());
        assert!(parse_cascade_by("weights:E01").is_err());
        assert_eq!(parse_cascade_by("even"), Ok(CascadeBy::Even));
    }

    #[test]
    fn projection_and_needed_per_day() {
        let march = Period::month(2026, 3);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 16 days elapsed of 31: 1600 × 31 / 16 = 3100.
        assert_eq!(
            projected(m("1600"), &march, d("2026-03-16")),
            Some(m("3100"))
        );
        assert_eq!(projected(m("1600"), &march, d("2026-04-01")), None);
        // 15 days left after the 16th.
        assert_eq!(
            needed_per_day(m("1500"), &march, d("2026-03-16")),
            Some(m("100"))
        );
        assert_eq!(
            needed_per_day(m("-5"), &march, d("2026-03-16")),
            Some(Money::ZERO)
        );
        assert_eq!(needed_per_day(m("5"), &march, d("2026-03-31")), None);
    }

    #[test]
    fn ranking_uses_the_exact_ratio() {
        // 1/3 against 33/100: 0.3333… is above 0.33.
        assert_eq!(
            by_achievement_desc((m("1"), m("3")), (m("33"), m("100"))),
            Ordering::Less
        );
        assert_eq!(
            by_achievement_desc((m("2"), m("4")), (m("1"), m("2"))),
            Ordering::Equal
        );
    }

    #[test]
    fn ranks_go_to_positive_targets_by_exact_ratio_then_code() {
        let rows = [
            ("B", m("50"), Some(m("100"))),
            ("A", m("1"), Some(m("2"))),
            ("C", m("900"), None),
            ("D", m("5"), Some(Money::ZERO)),
            ("E", m("34"), Some(m("100"))),
            ("F", m("1"), Some(m("3"))),
        ];
        assert_eq!(
            achievement_ranks(&rows),
            vec![Some(2), Some(1), None, None, Some(3), Some(4)]
        );
        let by_code = || Ordering::Equal;
        assert_eq!(ranked_first(Some(2), Some(1), by_code), Ordering::Greater);
        assert_eq!(ranked_first(Some(9), None, by_code), Ordering::Less);
        assert_eq!(ranked_first::<usize>(None, None, by_code), Ordering::Equal);
    }

    #[test]
    fn history_weights_floor_negatives_at_zero() {
        assert_eq!(history_weights(&[m("-3"), m("0.0001")]), vec![0, 1]);
    }
}
