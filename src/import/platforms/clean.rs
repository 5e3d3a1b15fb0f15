//! The wrappers platforms put around their cells to keep Excel from mangling them (`="…"`, a leading
//! `'` or tab, a `¥` or `元` unit, `-` for nothing), taken off before a cell is read.

use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::import::{CsvInput, RowError};

/// A cell's text without its wrappers; None for nothing (empty, `-`).
pub fn clean(text: &str) -> Option<&str> {
    let mut t = text.trim();
    if let Some(inner) = t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        t = inner.trim();
    }
    let t = t.trim_start_matches(['\'', '\t']).trim();
    match t {
        "" | "-" | "--" => None,
        _ => Some(t),
    }
}

/// An amount with its unit taken off: `¥12.50`, `12.50元`.
pub fn money_text(t: &str) -> Result<Money, String> {
    let t = t.strip_suffix('元').unwrap_or(t).trim();
    t.parse()
}

/// Reading cleaned cells of the current row of a platform's file.
pub struct Cells<'a> {
    pub input: &'a CsvInput,
    pub date_format: Option<&'a str>,
}

impl Cells<'_> {
    pub fn text(&self, col: Option<usize>) -> Result<Option<String>, RowError> {
        Ok(self.input.cell(col)?.and_then(clean).map(str::to_string))
    }

    pub fn required(&self, col: Option<usize>, what: &str) -> Result<String, RowError> {
        self.text(col)?
            .ok_or_else(|| self.input.error(col, format!("{what} is required")))
    }

    pub fn money(&self, col: Option<usize>) -> Result<Option<Money>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(t) => match money_text(&t) {
                Ok(m) if m.is_negative() => {
                    Err(self.input.error(col, format!("\"{t}\" is negative")))
                }
                Ok(m) => Ok(Some(m)),
                Err(e) => Err(self.input.error(col, e)),
            },
        }
    }

    pub fn quantity(&self, col: Option<usize>) -> Result<Option<i64>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(t) => crate::domain::order::parse_quantity(&t)
                .map(Some)
                .map_err(|e| self.input.error(col, e)),
        }
    }

    pub fn date(&self, col: Option<usize>) -> Result<Option<NaiveDate>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(t) => crate::domain::date::parse_date_with(&t, self.date_format)
                .map(Some)
                .map_err(|e| self.input.error(col, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_come_off() {
        assert_eq!(clean("=\"3301234567890123\""), Some("3301234567890123"));
        assert_eq!(clean("'3301234567890123"), Some("3301234567890123"));
        assert_eq!(clean("\t3301234567890123 "), Some("3301234567890123"));
        assert_eq!(clean(" - "), None);
        assert_eq!(clean("=\"\""), None);
        assert_eq!(clean("茶杯"), Some("茶杯"));
    }

    #[test]
    fn amounts_lose_their_unit() {
        assert_eq!(
            money_text("12.50元").map(|m| m.to_string()),
            Ok("12.50".into())
        );
        assert_eq!(
            money_text("¥1,234.5").map(|m| m.to_string()),
            Ok("1234.50".into())
        );
        assert!(money_text("十元").is_err());
    }
}
