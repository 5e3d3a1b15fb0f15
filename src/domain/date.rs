//! Reading dates as they arrive in imports (ISO, slashes, 年月日, timestamps)
//! and month arithmetic that clamps to the end of shorter months, so that
//! windows such as "the last 3 months" are well defined on the 31st.

use chrono::{Datelike, NaiveDate};

use super::decimal::normalize_width;

const FORMS: &str = "expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日, optionally followed by a time";

/// Parses "2026-03-05", "2026/3/5", "2026.3.5", "20260305", "2026年3月5日",
/// and any of them followed by a time ("2026-03-05 13:45:00",
/// "2026-03-05T13:45:00Z", "2026/3/5 8:00"), keeping only the date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shown = s.trim();
    let not_a_date = || format!("\"{shown}\" is not a date: {FORMS}");
    let normalized = normalize_width(s);
    let t = normalized.trim();
    let (date_part, time_part) = split_time(t);
    if let Some(time) = time_part {
        // Only something that looks like a clock time may be dropped;
        // "2026-03-05 foo" is more likely a mistake than a timestamp.
        if !time.contains(':') || !time.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(not_a_date());
        }
    }
    let (y, m, d) = split_ymd(date_part).ok_or_else(not_a_date)?;
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| format!("\"{shown}\" is not a valid calendar date: no such day"))
}

/// Parses with a strftime format such as "%m/%d/%Y"; None (or an empty
/// format) falls back to `parse_date`. When the format has no time but the
/// value ends in one after a space, the time is dropped.
pub fn parse_date_with(s: &str, format: Option<&str>) -> Result<NaiveDate, String> {
    let format = match format {
        Some(f) if !f.trim().is_empty() => f,
        _ => return parse_date(s),
    };
    let normalized = normalize_width(s);
    let t = normalized.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, format) {
        return Ok(d);
    }
    if !format_has_time(format) {
        // Try cutting at each space from the right, so formats that contain
        // spaces themselves ("%d %b %Y") still work; only a cut-off part that
        // looks like a time may be dropped.
        for (i, _) in t.rmatch_indices(' ') {
            let (head, tail) = t.split_at(i);
            if tail.contains(':') {
                if let Ok(d) = NaiveDate::parse_from_str(head.trim_end(), format) {
                    return Ok(d);
                }
            }
        }
    }
    Err(format!(
        "\"{}\" does not match the date format \"{format}\"",
        s.trim()
    ))
}

/// `d` moved by `months`, with the day clamped to the target month's length
/// (2026-03-31 − 1 month = 2026-02-28). Saturates at chrono's date range.
pub fn add_months_clamped(d: NaiveDate, months: i32) -> NaiveDate {
    add_months_i64(d, i64::from(months))
}

/// First date in the trailing window of `months` months ending today:
/// the window is today − N months < d ≤ today.
pub fn trailing_window_start(today: NaiveDate, months: u32) -> NaiveDate {
    let back = add_months_i64(today, -i64::from(months));
    back.succ_opt().unwrap_or(back)
}

/// Days in the month, for callers that clamp days themselves.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month >= 12 {
        (year.saturating_add(1), 1)
    } else {
        (year, month + 1)
    };
    match (
        NaiveDate::from_ymd_opt(year, month, 1),
        NaiveDate::from_ymd_opt(ny, nm, 1),
    ) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        // Only December of chrono's last year lacks a following month.
        _ => 31,
    }
}

fn add_months_i64(d: NaiveDate, months: i64) -> NaiveDate {
    let index = i64::from(d.year()) * 12 + i64::from(d.month0()) + months;
    let year = index.div_euclid(12);
    let month = index.rem_euclid(12) as u32 + 1;
    let Ok(year) = i32::try_from(year) else {
        return if months < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        };
    };
    let day = d.day().min(days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if months < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Splits "date time" or "dateTtime" into the date and the trimmed time.
fn split_time(t: &str) -> (&str, Option<&str>) {
    match t.find(|c: char| c.is_whitespace() || c == 'T' || c == 't') {
        Some(i) => {
            let sep_len = t[i..].chars().next().map_or(1, char::len_utf8);
            (&t[..i], Some(t[i + sep_len..].trim()))
        }
        None => (t, None),
    }
}

/// Year, month and day of a date without a time, or None if it is in none
/// of the accepted shapes. Range checks are left to chrono.
fn split_ymd(t: &str) -> Option<(i32, u32, u32)> {
    let digits = |p: &str, min: usize, max: usize| {
        (p.len() >= min && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = if let Some(rest) = t.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (y.trim(), m.trim(), d.trim())
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..6], &t[6..])
    } else {
        let sep = t.chars().find(|c| !c.is_ascii_digit())?;
        if !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let mut parts = t.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let year = i32::try_from(digits(y, 4, 4)?).ok()?;
    Some((year, digits(m, 1, 2)?, digits(d, 1, 2)?))
}

/// Whether a strftime format reads a time of day, in which case a trailing
/// time is part of what the format expects and must not be cut off.
fn format_has_time(format: &str) -> bool {
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        // Skip padding flags, widths and chrono's ".3f"/":z" modifiers.
        for spec in chars.by_ref() {
            match spec {
                '-' | '_' | '0'..='9' | '^' | '#' | '.' | ':' => continue,
                'H' | 'I' | 'k' | 'l' | 'M' | 'S' | 'f' | 'p' | 'P' | 'T' | 'R' | 'r' | 'X'
                | 'c' | '+' | 's' | 'z' | 'Z' => return true,
                _ => break,
            }
        }
    }
    false
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
    fn parses_date_forms() {
        let want = Ok(ymd(2026, 3, 5));
        for s in [
            "2026-03-05",
            "2026-3-5",
            "2026/3/5",
            "2026/03/05",
            "2026.3.5",
            "20260305",
            "2026年3月5日",
            "2026年03月05日",
            "２０２６年３月５日",
            " 2026-03-05 ",
            "2026-03-05 13:45:00",
            "2026-03-05T13:45:00Z",
            "2026-03-05T13:45:00.123+08:00",
            "2026/3/5 8:00",
            "2026-03-05 13:45:00 +0800",
            "2026年3月5日 8:00",
        ] {
            assert_eq!(parse_date(s), want, "{s}");
        }
    }

    #[test]
    fn rejects_bad_dates() {
        for s in [
            "",
            "2026",
            "2026-03",
            "26-03-05",
            "2026-003-05",
            "2026-03-05-01",
            "2026-03/05",
            "2026-03-05 foo",
            "2026-03-05T",
            "03/05/2026",
            "2026年3月",
            "x",
            "46086",
        ] {
            let e = parse_date(s).unwrap_err();
            assert!(e.contains("expected YYYY-MM-DD"), "{s}: {e}");
            assert!(e.starts_with(&format!("\"{}\"", s.trim())), "{e}");
        }
        let e = parse_date("2026-02-30").unwrap_err();
        assert!(
            e.contains("\"2026-02-30\" is not a valid calendar date"),
            "{e}"
        );
        assert!(parse_date("2026-13-01").is_err());
        assert_eq!(parse_date("2024-02-29"), Ok(ymd(2024, 2, 29)));
        assert!(parse_date("2025-02-29").is_err());
    }

    #[test]
    fn parses_with_a_format() {
        let want = Ok(ymd(2026, 3, 5));
        assert_eq!(parse_date_with("03/05/2026", Some("%m/%d/%Y")), want);
        assert_eq!(parse_date_with("3/5/2026", Some("%m/%d/%Y")), want);
        assert_eq!(parse_date_with("03/05/2026 13:45", Some("%m/%d/%Y")), want);
        assert_eq!(
            parse_date_with("03/05/2026 1:45 PM", Some("%m/%d/%Y")),
            want
        );
        assert_eq!(parse_date_with("5 Mar 2026 13:45", Some("%d %b %Y")), want);
        assert_eq!(
            parse_date_with("03/05/2026 13:45", Some("%m/%d/%Y %H:%M")),
            want
        );
        assert_eq!(parse_date_with("2026/3/5", None), want);
        assert_eq!(parse_date_with("2026/3/5", Some("")), want);
        let e = parse_date_with("2026-03-05", Some("%m/%d/%Y")).unwrap_err();
        assert_eq!(
            e,
            "\"2026-03-05\" does not match the date format \"%m/%d/%Y\""
        );
        assert!(parse_date_with("03/05/2026 junk", Some("%m/%d/%Y")).is_err());
        assert!(format_has_time("%Y-%m-%d %-H:%M"));
        assert!(!format_has_time("%Y-%m-%d"));
        assert!(!format_has_time("100%% %Y"));
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months_clamped(ymd(2026, 3, 31), -1), ymd(2026, 2, 28));
        assert_eq!(add_months_clamped(ymd(2024, 3, 31), -1), ymd(2024, 2, 29));
        assert_eq!(add_months_clamped(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
        assert_eq!(add_months_clamped(ymd(2026, 1, 15), -1), ymd(2025, 12, 15));
        assert_eq!(add_months_clamped(ymd(2026, 11, 30), 14), ymd(2028, 1, 30));
        assert_eq!(add_months_clamped(ymd(2024, 2, 29), -12), ymd(2023, 2, 28));
        assert_eq!(add_months_clamped(ymd(2026, 5, 5), 0), ymd(2026, 5, 5));
        assert_eq!(
            add_months_clamped(ymd(2026, 5, 5), i32::MAX),
            NaiveDate::MAX
        );
        assert_eq!(
            add_months_clamped(ymd(2026, 5, 5), i32::MIN),
            NaiveDate::MIN
        );
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2026, 12), 31);
    }

    #[test]
    fn trailing_window() {
        assert_eq!(trailing_window_start(ymd(2026, 3, 31), 1), ymd(2026, 3, 1));
        assert_eq!(
            trailing_window_start(ymd(2026, 11, 23), 3),
            ymd(2026, 8, 24)
        );
        assert_eq!(
            trailing_window_start(ymd(2026, 1, 15), 12),
            ymd(2025, 1, 16)
        );
        assert_eq!(trailing_window_start(ymd(2026, 1, 15), 0), ymd(2026, 1, 16));
    }
}
