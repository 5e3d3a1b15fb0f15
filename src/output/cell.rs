//! One value of a listing or report, typed until it is rendered: money stays money (and knows whether it
//! is shown as stored or as a report figure), a count stays a count, a percentage a percentage. Each
//! format asks the cell for its JSON value or its text; only here is a value turned into characters.

use serde_json::Value;

use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value: null in JSON, empty in CSV and tables.
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    /// A report figure: two decimals, rounded half away from zero (`1234.50`).
    Money(Money),
    /// Money as stored (two to four decimals), so that an export imports back unchanged.
    Amount(Money),
    /// A percentage, already rounded to one decimal.
    Pct(f64),
    List(Vec<Cell>),
}

impl Cell {
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// A number in JSON (counts and percentages; money is a string there).
    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Pct(_))
    }

    /// The percentage, for drawing a bar.
    pub fn as_pct(&self) -> Option<f64> {
        match self {
            Cell::Pct(p) => Some(*p),
            Cell::Int(n) => Some(*n as f64),
            _ => None,
        }
    }

    /// The JSON value: money as a string such as `"1234.50"`, counts and percentages as numbers.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(t) => Value::String(t.clone()),
            Cell::Int(n) => Value::from(*n),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Money(m) => Value::String(m.to_report()),
            Cell::Amount(m) => Value::String(m.to_string()),
            Cell::Pct(p) => serde_json::Number::from_f64(*p)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Cell::List(items) => Value::Array(items.iter().map(Cell::to_json).collect()),
        }
    }

    /// The text people read in a table, Markdown or HTML: a report figure with thousands separators
    /// (`2,577,736.69`); everything else, stored amounts included, as `text` gives it (listings
    /// carry stored values unchanged, so a listing's table shows what its export writes).
    pub fn shown(&self, list_sep: &str) -> String {
        match self {
            Cell::Money(m) => grouped(&m.to_report()),
            Cell::List(items) => items
                .iter()
                .map(|i| i.shown(list_sep))
                .collect::<Vec<_>>()
                .join(list_sep),
            _ => self.text(list_sep),
        }
    }

    /// The text spreadsheets and machines read (CSV): null is empty, list items are joined by
    /// `list_sep`, money without separators.
    pub fn text(&self, list_sep: &str) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Money(m) => m.to_report(),
            Cell::Amount(m) => m.to_string(),
            // As JSON writes it, so every format shows the same digits (`50.0`, `103.1`).
            Cell::Pct(_) => self.to_json().to_string(),
            Cell::List(items) => items
                .iter()
                .map(|i| i.text(list_sep))
                .collect::<Vec<_>>()
                .join(list_sep),
        }
    }
}

/// A decimal written with a comma every three digits of its whole part: `-2577736.69` →
/// `-2,577,736.69`. Text that is not such a decimal comes back unchanged.
pub fn grouped(decimal: &str) -> String {
    let (sign, rest) = match decimal.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", decimal),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return decimal.to_string();
    }
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

impl From<Option<Cell>> for Cell {
    fn from(v: Option<Cell>) -> Cell {
        v.unwrap_or(Cell::Null)
    }
}

/// Shorthands for building rows.
pub fn s(v: impl Into<String>) -> Cell {
    Cell::Text(v.into())
}

pub fn opt(v: Option<impl Into<String>>) -> Cell {
    v.map(|x| Cell::Text(x.into())).into()
}

pub fn int(v: i64) -> Cell {
    Cell::Int(v)
}

/// A report figure (two decimals).
pub fn money(m: Money) -> Cell {
    Cell::Money(m)
}

/// Money as stored (listings and exports).
pub fn amount(m: Money) -> Cell {
    Cell::Amount(m)
}

/// A list of names (areas of a region, sub-regions).
pub fn names(items: impl IntoIterator<Item = String>) -> Cell {
    Cell::List(items.into_iter().map(Cell::Text).collect())
}

/// A percentage with one decimal, null on a zero base.
pub fn pct(v: Option<f64>) -> Cell {
    match v {
        Some(x) if x.is_finite() => Cell::Pct((x * 10.0).round() / 10.0),
        _ => Cell::Null,
    }
}

/// An amount in 万元 (ten thousand yuan) with two decimals, rounded half away from zero (`2572331.31` → `257.23`).
pub fn wan(m: Money) -> String {
    // Units are 1/10000 yuan; 1 万元 = 10^8 units; two decimals = 10^6 units.
    let u = i128::from(m.units());
    let step = 1_000_000_i128;
    let hundredths = if u >= 0 {
        (u + step / 2) / step
    } else {
        (u - step / 2) / step
    };
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.abs();
    format!("{sign}{}.{:02}", h / 100, h % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_rounds_half_away_from_zero_to_two_decimals() {
        let m = |t: &str| t.parse::<Money>().expect("money");
        assert_eq!(wan(m("2572331.31")), "257.23");
        assert_eq!(wan(m("50.00")), "0.01");
        assert_eq!(wan(m("-50.00")), "-0.01");
        assert_eq!(wan(m("49.99")), "0.00");
    }

    #[test]
    fn money_stays_money_until_rendered() {
        let m: Money = "1234.5".parse().expect("money");
        assert_eq!(money(m).text(","), "1234.50");
        assert_eq!(money(m).to_json(), Value::String("1234.50".into()));
        let stored: Money = "12.3456".parse().expect("money");
        assert_eq!(amount(stored).text(","), "12.3456");
        assert_eq!(money(stored).text(","), "12.35");
    }

    #[test]
    fn report_figures_read_with_separators_only_for_people() {
        let m: Money = "2577736.685".parse().expect("money");
        assert_eq!(money(m).shown(", "), "2,577,736.69");
        assert_eq!(money(m).text(","), "2577736.69");
        assert_eq!(money(m).to_json(), Value::String("2577736.69".into()));
        let stored: Money = "2577736.6850".parse().expect("money");
        assert_eq!(amount(stored).shown(", "), amount(stored).text(", "));
        assert_eq!(grouped("-1234567.00"), "-1,234,567.00");
        assert_eq!(grouped("999.50"), "999.50");
        assert_eq!(grouped("100"), "100");
        assert_eq!(grouped("n/a"), "n/a");
    }

    #[test]
    fn percentages_show_one_decimal_in_every_format() {
        assert_eq!(pct(Some(50.0)).text(","), "50.0");
        assert_eq!(pct(Some(103.14)).to_json(), serde_json::json!(103.1));
        assert_eq!(pct(None), Cell::Null);
        assert_eq!(pct(Some(f64::INFINITY)), Cell::Null);
    }

    #[test]
    fn lists_join_by_the_format_separator() {
        let l = names(vec!["上海".to_string(), "江苏".to_string()]);
        assert_eq!(l.text(", "), "上海, 江苏");
        assert_eq!(l.text(";"), "上海;江苏");
        assert_eq!(l.to_json(), serde_json::json!(["上海", "江苏"]));
    }
}
