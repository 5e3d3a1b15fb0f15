//! Exact money: an amount is a count of ten-thousandths of the currency unit.
//! Floating point never touches a stored or summed amount; it appears only in
//! `pct_of`, whose result is a displayed ratio.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use super::decimal::{
    div_round_half_away, format_decimal, normalize_width, parse_scaled, DecimalError,
};

/// Raw units per cent.
pub(super) const UNITS_PER_CENT: i64 = 100;

/// Exact money in ten-thousandths of the currency unit (4 decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

/// The largest amount a person or a file may give, either way: 10^12 (a trillion) in the currency.
/// Every money value stored on a row (a price, a line's amount or cost, a return, a payment, a target)
/// is within it, so that export → import gives back every value.
pub const MAX_AMOUNT: Money = Money(1_000_000_000_000 * UNITS_PER_UNIT);

/// The range salesops holds for totals: 10^14 in the currency. The magnitudes of every figure of the
/// counting orders added up (the book, `store::ledger`) stay within it, and so does any total a
/// report, a check or a listing takes of them, with room to spare in an i64.
pub const HELD: Money = Money(100_000_000_000_000 * UNITS_PER_UNIT);

/// Raw units per unit of the currency.
const UNITS_PER_UNIT: i64 = 10_000;

impl Money {
    pub const ZERO: Money = Money(0);

    /// The amount as a message shows a limit: "1,000,000,000,000".
    pub fn grouped(self) -> String {
        grouped_units(i128::from(self.0))
    }

    /// Is this a value salesops stores on a row (within ±`MAX_AMOUNT`)?
    pub fn is_storable(self) -> bool {
        self.0.unsigned_abs() <= MAX_AMOUNT.0.unsigned_abs()
    }

    /// From raw 1e-4 units.
    pub fn from_units(u: i64) -> Money {
        Money(u)
    }

    /// Raw 1e-4 units.
    pub fn units(self) -> i64 {
        self.0
    }

    /// Saturates instead of panicking: a cent count that large is already
    /// far outside any real amount, and callers should not crash on it.
    pub fn from_cents(c: i64) -> Money {
        Money(c.saturating_mul(UNITS_PER_CENT))
    }

    /// Rounded half away from zero to the cent.
    pub fn round_to_cents(self) -> Money {
        // |i64| / 100 rounded up still fits after multiplying back by 100,
        // because i64::MAX and i64::MIN end in 07 and 08.
        let cents = div_round_half_away(i128::from(self.0), i128::from(UNITS_PER_CENT));
        Money((cents * i128::from(UNITS_PER_CENT)) as i64)
    }

    /// Two decimals, rounded half away from zero: "1234.50", "-0.01", "0.00".
    pub fn to_report(self) -> String {
        let cents = i128::from(self.round_to_cents().0 / UNITS_PER_CENT);
        format_decimal(cents, 2, 2)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    pub fn checked_sub(self, o: Money) -> Option<Money> {
        self.0.checked_sub(o.0).map(Money)
    }

    pub fn checked_mul_qty(self, q: i64) -> Option<Money> {
        self.0.checked_mul(q).map(Money)
    }

    /// Value of part of a line: amount × part / whole, rounded half away from
    /// zero to the cent (returns are valued so). None if whole is 0.
    pub fn prorate(amount: Money, part: i64, whole: i64) -> Option<Money> {
        if whole == 0 {
            return None;
        }
        // i64 × i64 always fits in i128, and so does whole × 100.
        let numerator = i128::from(amount.0) * i128::from(part);
        let denominator = i128::from(whole) * i128::from(UNITS_PER_CENT);
        let cents = div_round_half_away(numerator, denominator);
        let units = cents.checked_mul(i128::from(UNITS_PER_CENT))?;
        i64::try_from(units).ok().map(Money)
    }

    /// `self / base` as a percentage with one decimal, None when base is zero.
    /// The rounding is done exactly; f64 only carries the displayed result.
    pub fn pct_of(self, base: Money) -> Option<f64> {
        if base.0 == 0 {
            return None;
        }
        let tenths = div_round_half_away(i128::from(self.0) * 1000, i128::from(base.0));
        Some(tenths as f64 / 10.0)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}

impl FromStr for Money {
    type Err = String;

    /// Accepts what spreadsheets and Chinese ERP exports produce: "1234",
    /// "-3.25", "1,234.50", "¥1,234.5", "￥12", full-width "１２３．５".
    fn from_str(s: &str) -> Result<Money, String> {
        let shown = s.trim();
        let not_amount = || {
            format!("\"{shown}\" is not an amount: expected a number such as 1234.50 or ¥1,234.50")
        };
        let normalized = normalize_width(s);
        let mut t = normalized.trim();
        // Exports write the sign on either side of the currency symbol.
        let mut negative = false;
        let mut signed = false;
        if let Some((neg, rest)) = strip_sign(t) {
            negative = neg;
            signed = true;
            t = rest;
        }
        if let Some(rest) = t.strip_prefix(['¥', '￥']) {
            t = rest.trim_start();
            if !signed {
                if let Some((neg, rest)) = strip_sign(t) {
                    negative = neg;
                    t = rest;
                }
            }
        }
        let (int_part, frac_part) = match t.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (t, None),
        };
        let int_digits = strip_thousands(int_part).ok_or_else(not_amount)?;
        let plain = match frac_part {
            Some(f) => format!("{int_digits}.{f}"),
            None => int_digits,
        };
        let magnitude = parse_scaled(&plain, 4).map_err(|e| match e {
            DecimalError::NotANumber => not_amount(),
            DecimalError::TooManyDecimals => format!("\"{shown}\" has more than 4 decimal places"),
            DecimalError::TooLarge => too_large(shown),
        })?;
        if magnitude > i128::from(MAX_AMOUNT.0) {
            return Err(too_large(shown));
        }
        let value = if negative { -magnitude } else { magnitude };
        i64::try_from(value)
            .map(Money)
            .map_err(|_| too_large(shown))
    }
}

/// Raw 1e-4 units as a message shows an amount, with thousands separators and no trailing zeros:
/// "1,000,000,000,000", "-1,234.5". Takes i128 so that a sum past an i64 is shown as it is.
pub fn grouped_units(units: i128) -> String {
    let plain = format_decimal(units, 4, 0);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    format!("{sign}{out}")
}

/// An amount that is 0 or more (a price, a target), parsed as `Money` is; `what` names it in the error.
pub fn parse_non_negative(text: &str, what: &str) -> Result<Money, String> {
    let m: Money = text.parse()?;
    if m.is_negative() {
        return Err(format!(
            "\"{}\" is negative: a {what} is 0 or more",
            text.trim()
        ));
    }
    Ok(m)
}

/// A price: exact, at most 4 decimals, not negative. Shared by flags and import cells.
pub fn parse_price(text: &str) -> Result<Money, String> {
    parse_non_negative(text, "price")
}

fn too_large(shown: &str) -> String {
    format!(
        "\"{shown}\" is beyond the range of an amount: at most {} either way",
        MAX_AMOUNT.grouped()
    )
}

/// A leading '-' or '+' and the rest after it; None when there is no sign.
fn strip_sign(t: &str) -> Option<(bool, &str)> {
    if let Some(rest) = t.strip_prefix('-') {
        Some((true, rest.trim_start()))
    } else {
        t.strip_prefix('+').map(|rest| (false, rest.trim_start()))
    }
}

/// Removes thousands separators, insisting on groups of three so that a
/// European "1,5" (one and a half) is rejected instead of read as 15.
fn strip_thousands(int_part: &str) -> Option<String> {
    if !int_part.contains(',') {
        return Some(int_part.to_string());
    }
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

impl fmt::Display for Money {
    /// The stored form: 2 to 4 decimals, so that parsing it gives back the
    /// same value while whole-cent amounts still read like money.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_decimal(i128::from(self.0), 4, 2))
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        match s.parse::<Money>() {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn prices_and_targets_are_never_negative() {
        assert_eq!(parse_price(" 12.5 "), Ok(m("12.5")));
        assert_eq!(parse_price("0"), Ok(Money::ZERO));
        assert_eq!(
            parse_price(" -1 "),
            Err("\"-1\" is negative: a price is 0 or more".to_string())
        );
        assert_eq!(
            parse_non_negative("-0.01", "target"),
            Err("\"-0.01\" is negative: a target is 0 or more".to_string())
        );
        assert!(parse_price("abc").unwrap_err().contains("is not an amount"));
    }

    #[test]
    fn parses_plain_forms() {
        assert_eq!(m("1234"), Money(12_340_000));
        assert_eq!(m("1234.5"), Money(12_345_000));
        assert_eq!(m("-3.25"), Money(-32_500));
        assert_eq!(m("  7.0001 "), Money(70_001));
        assert_eq!(m("+2"), Money(20_000));
        assert_eq!(m(".5"), Money(5_000));
        assert_eq!(m("0"), Money::ZERO);
        assert_eq!(m("-0"), Money::ZERO);
        assert_eq!(m("1.50000"), Money(15_000));
    }

    #[test]
    fn parses_currency_commas_and_full_width() {
        assert_eq!(m("1,234.50"), Money(12_345_000));
        assert_eq!(m("¥1,234.5"), Money(12_345_000));
        assert_eq!(m("￥12"), Money(120_000));
        assert_eq!(m("¥ 12"), Money(120_000));
        assert_eq!(m("-¥3"), Money(-30_000));
        assert_eq!(m("¥-3"), Money(-30_000));
        assert_eq!(m("１２３．５"), Money(1_235_000));
        assert_eq!(m("－１，２３４"), Money(-12_340_000));
        assert_eq!(m("\u{3000}12\u{3000}"), Money(120_000));
        assert_eq!(m("1,234,567"), Money(12_345_670_000));
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(
            "12.34567".parse::<Money>(),
            Err("\"12.34567\" has more than 4 decimal places".to_string())
        );
        let e = "3x".parse::<Money>().unwrap_err();
        assert!(e.starts_with("\"3x\" is not an amount"), "{e}");
        for bad in [
            "",
            " ",
            "-",
            ".",
            "1.2.3",
            "1,5",
            "12,34",
            ",123",
            "1,,234",
            "¥",
            "--1",
            "-¥-1",
            "1 000",
            "1e3",
            "0x10",
            "1,234.5,6",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            "922337203685478".parse::<Money>(),
            Err("\"922337203685478\" is beyond the range of an amount: at most 1,000,000,000,000 either way".to_string())
        );
        assert!("99999999999999999999999999999999999999999"
            .parse::<Money>()
            .unwrap_err()
            .contains("beyond the range"));
        assert!("-1000000000000.0001"
            .parse::<Money>()
            .unwrap_err()
            .contains("beyond the range"));
        assert!("￥1,000,000,000,001"
            .parse::<Money>()
            .unwrap_err()
            .contains("beyond the range"));
        assert_eq!("1,000,000,000,000".parse::<Money>(), Ok(MAX_AMOUNT));
        assert_eq!("-1000000000000".parse::<Money>(), Ok(-MAX_AMOUNT));
    }

    #[test]
    fn exact_decimal_arithmetic() {
        assert_eq!(m("0.1") + m("0.2"), m("0.3"));
        let total: Money = ["0.1", "0.1", "0.1"].iter().map(|s| m(s)).sum();
        assert_eq!(total, m("0.3"));
        let mut x = m("10");
        x -= m("0.01");
        x += m("0.02");
        assert_eq!(x, m("10.01"));
        assert_eq!(-m("1.5"), m("-1.5"));
        assert_eq!(m("1") - m("2"), m("-1"));
        assert!(m("-0.0001").is_negative());
        assert_eq!(Money(i64::MIN).checked_sub(Money(1)), None);
        assert_eq!(m("2.5").checked_mul_qty(3), Some(m("7.5")));
        assert_eq!(Money(i64::MAX).checked_mul_qty(2), None);
        assert_eq!(Money::from_cents(150), m("1.5"));
        assert_eq!(Money::from_units(5).units(), 5);
        let refs = [m("1"), m("2")];
        assert_eq!(refs.iter().sum::<Money>(), m("3"));
    }

    #[test]
    fn limits_are_shown_grouped() {
        assert_eq!(MAX_AMOUNT.grouped(), "1,000,000,000,000");
        assert_eq!(HELD.grouped(), "100,000,000,000,000");
        assert_eq!(m("-1234.5").grouped(), "-1,234.5");
        assert_eq!(m("999").grouped(), "999");
        assert!(MAX_AMOUNT.is_storable() && (-MAX_AMOUNT).is_storable());
        assert!(!Money(MAX_AMOUNT.0 + 1).is_storable());
    }

    #[test]
    fn display_is_the_stored_form() {
        assert_eq!(m("1234.5").to_string(), "1234.50");
        assert_eq!(m("12.3456").to_string(), "12.3456");
        assert_eq!(m("12.345").to_string(), "12.345");
        assert_eq!(m("-0.5").to_string(), "-0.50");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(Money(-1).to_string(), "-0.0001");
        assert_eq!(Money(i64::MIN).to_string(), "-922337203685477.5808");
        assert_eq!(format!("{:>8}", m("1.5")), "    1.50");
        assert_eq!(
            serde_json::to_string(&m("1234.5")).ok(),
            Some("\"1234.50\"".into())
        );
    }

    #[test]
    fn report_rounds_half_away_from_zero() {
        assert_eq!(m("1234.5").to_report(), "1234.50");
        assert_eq!(m("-0.005").to_report(), "-0.01");
        assert_eq!(m("-0.0049").to_report(), "0.00");
        assert_eq!(m("0.005").to_report(), "0.01");
        assert_eq!(m("2.0049").to_report(), "2.00");
        assert_eq!(Money::ZERO.to_report(), "0.00");
        assert_eq!(m("-0.005").round_to_cents(), m("-0.01"));
        assert_eq!(m("1.9951").round_to_cents(), m("2"));
        assert_eq!(
            Money(i64::MAX).round_to_cents(),
            Money(9_223_372_036_854_775_800)
        );
        assert_eq!(
            Money(i64::MIN).round_to_cents(),
            Money(-9_223_372_036_854_775_800)
        );
    }

    #[test]
    fn prorate_values_part_of_a_line() {
        assert_eq!(Money::prorate(m("100"), 1, 3), Some(m("33.33")));
        assert_eq!(Money::prorate(m("100"), 2, 3), Some(m("66.67")));
        assert_eq!(Money::prorate(m("-100"), 2, 3), Some(m("-66.67")));
        assert_eq!(Money::prorate(m("0.03"), 1, 2), Some(m("0.02")));
        assert_eq!(Money::prorate(m("100"), 3, 3), Some(m("100")));
        assert_eq!(Money::prorate(m("100"), 1, 0), None);
        assert_eq!(Money::prorate(Money(i64::MAX), i64::MAX, 1), None);
    }

    #[test]
    fn pct_of_rounds_to_one_decimal() {
        assert_eq!(m("1").pct_of(m("3")), Some(33.3));
        assert_eq!(m("2").pct_of(m("3")), Some(66.7));
        assert_eq!(m("-1").pct_of(m("8")), Some(-12.5));
        assert_eq!(m("150").pct_of(m("100")), Some(150.0));
        assert_eq!(m("1").pct_of(Money::ZERO), None);
    }

    proptest! {

        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn display_parse_round_trip(u in -1_000_000_000_000i64..=1_000_000_000_000i64) {
            let money = Money(u);
            prop_assert_eq!(money.to_string().parse::<Money>(), Ok(money));
        }

        #[test]
        fn display_parse_round_trip_full_range(u in -MAX_AMOUNT.0..=MAX_AMOUNT.0) {
            prop_assert_eq!(Money(u).to_string().parse::<Money>(), Ok(Money(u)));
        }

        #[test]
        fn nothing_beyond_the_range_parses(u in any::<i64>()) {
            let parsed = Money(u).to_string().parse::<Money>();
            prop_assert_eq!(parsed.is_ok(), Money(u).is_storable());
        }

        #[test]
        fn report_matches_rounded_display(u in -1_000_000_000_000i64..=1_000_000_000_000i64) {
            let money = Money(u);
            let report = money.to_report();
            let back = report.parse::<Money>();
            prop_assert_eq!(back, Ok(money.round_to_cents()));
            prop_assert!((money.round_to_cents().0 - u).abs() <= 50);
        }
    }
}
