//! Exact fractions (discounts, tolerances) as a count of millionths.
//! A rate is written as a percent ("15%") or a fraction no greater than 1
//! ("0.15"); a bare "12" is refused because it could mean either.

use std::fmt;
use std::str::FromStr;

use super::decimal::{
    div_round_half_away, format_decimal, normalize_width, parse_scaled, DecimalError,
};

/// A fraction such as a discount or a tolerance, exact in millionths (0.15 = 150_000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(pub i64);

impl Rate {
    pub const ZERO: Rate = Rate(0);
    pub const ONE: Rate = Rate(1_000_000);

    pub fn from_millionths(m: i64) -> Rate {
        Rate(m)
    }

    pub fn millionths(self) -> i64 {
        self.0
    }

    /// Rounded half away from zero to `decimals` places of the fraction
    /// (4 places of 0.123456 is 0.1235); 6 or more changes nothing.
    pub fn round_to(self, decimals: u32) -> Rate {
        if decimals >= 6 {
            return self;
        }
        let step = 10i128.pow(6 - decimals);
        let rounded = div_round_half_away(i128::from(self.0), step) * step;
        // Rounding away from zero can step past i64 only at its very ends.
        Rate(i64::try_from(rounded).unwrap_or(if self.0 < 0 { i64::MIN } else { i64::MAX }))
    }

    /// As reports show a percentage, one decimal rounded half away from zero: "15.0%", "16.3%"
    /// (finding details, which people read beside the reports' columns).
    pub fn to_report(self) -> String {
        let tenths = div_round_half_away(i128::from(self.0), 1_000);
        format!("{}%", format_decimal(tenths, 1, 1))
    }

    /// As a percent with trailing zeros trimmed: "15%", "12.5%", "0.5%".
    pub fn pct_display(self) -> String {
        format!("{}%", format_decimal(i128::from(self.0), 4, 0))
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Rate, String> {
        let shown = s.trim();
        let expected = "expected a percent such as 15% or 12.5%, or a fraction such as 0.15";
        let normalized = normalize_width(s);
        let t = normalized.trim();
        let (number, is_percent) = match t.strip_suffix('%') {
            Some(n) => (n.trim_end(), true),
            None => (t, false),
        };
        if number.starts_with('-') {
            return Err(format!("\"{shown}\" is negative: {expected}"));
        }
        let number = number.strip_prefix('+').unwrap_or(number);
        // A percent has two fewer places to spare, since 1% is 0.01.
        let scale = if is_percent { 4 } else { 6 };
        let value = parse_scaled(number, scale).map_err(|e| match e {
            DecimalError::NotANumber => format!("\"{shown}\" is not a rate: {expected}"),
            DecimalError::TooManyDecimals if is_percent => format!(
                "\"{shown}\" has more than 4 decimal places in the percent: a rate is exact to millionths"
            ),
            DecimalError::TooManyDecimals => format!(
                "\"{shown}\" has more than 6 decimal places: a rate is exact to millionths"
            ),
            DecimalError::TooLarge => format!("\"{shown}\" is too large for a rate: {expected}"),
        })?;
        // Both scales land on millionths: 4 places of a percent are 6 of the fraction.
        let millionths = value;
        if !is_percent && millionths > i128::from(Rate::ONE.0) {
            // The bare number was most likely meant as a percent; offer both readings.
            return Err(format!(
                "\"{shown}\" is above 1: write {}% or {}",
                format_decimal(value, 6, 0),
                format_decimal(value, 8, 0)
            ));
        }
        i64::try_from(millionths)
            .map(Rate)
            .map_err(|_| format!("\"{shown}\" is too large for a rate: {expected}"))
    }
}

impl fmt::Display for Rate {
    /// The stored form is the percent, which is exact for any millionth.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.pct_display())
    }
}

impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(s: &str) -> Rate {
        match s.parse::<Rate>() {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn percent_and_fraction_agree() {
        assert_eq!(r("15%"), Rate(150_000));
        assert_eq!(r("0.15"), Rate(150_000));
        assert_eq!(r("12.5%"), Rate(125_000));
        assert_eq!(r("0"), Rate::ZERO);
        assert_eq!(r("0%"), Rate::ZERO);
        assert_eq!(r("1"), Rate::ONE);
        assert_eq!(r("100%"), Rate::ONE);
        assert_eq!(r(" 15 % "), Rate(150_000));
        assert_eq!(r("１５％"), Rate(150_000));
        assert_eq!(r("15％"), Rate(150_000));
        assert_eq!(r("0.123456"), Rate(123_456));
        assert_eq!(r("12.3456%"), Rate(123_456));
        assert_eq!(r("0.5%"), Rate(5_000));
        assert_eq!(r("150%"), Rate(1_500_000));
    }

    #[test]
    fn rejects_bad_rates() {
        assert_eq!(
            "12".parse::<Rate>(),
            Err("\"12\" is above 1: write 12% or 0.12".to_string())
        );
        assert_eq!(
            "1.5".parse::<Rate>(),
            Err("\"1.5\" is above 1: write 1.5% or 0.015".to_string())
        );
        let e = "-5%".parse::<Rate>().unwrap_err();
        assert!(e.contains("\"-5%\" is negative"), "{e}");
        assert!("-0.1".parse::<Rate>().is_err());
        let e = "0.1234567".parse::<Rate>().unwrap_err();
        assert!(e.contains("more than 6 decimal places"), "{e}");
        let e = "12.34567%".parse::<Rate>().unwrap_err();
        assert!(e.contains("more than 4 decimal places"), "{e}");
        for bad in ["", "%", "abc", "15%%", "1,5", "0.1.2", "x%"] {
            let e = bad.parse::<Rate>().unwrap_err();
            assert!(e.contains("is not a rate"), "{bad:?}: {e}");
        }
        assert!("99999999999999999999%".parse::<Rate>().is_err());
    }

    #[test]
    fn display_forms() {
        assert_eq!(Rate(150_000).to_string(), "15%");
        assert_eq!(Rate(125_000).pct_display(), "12.5%");
        assert_eq!(Rate(5_000).pct_display(), "0.5%");
        assert_eq!(Rate(1).pct_display(), "0.0001%");
        // Reports' form: one decimal, half away from zero.
        assert_eq!(Rate(150_000).to_report(), "15.0%");
        assert_eq!(Rate(163_339).to_report(), "16.3%");
        assert_eq!(Rate(619_800).to_report(), "62.0%");
        assert_eq!(Rate(500).to_report(), "0.1%");
        assert_eq!(Rate(-500).to_report(), "-0.1%");
        assert_eq!(Rate::ZERO.to_string(), "0%");
        assert_eq!(
            serde_json::to_string(&Rate(125_000)).ok(),
            Some("\"12.5%\"".into())
        );
        assert_eq!(Rate::from_millionths(7).millionths(), 7);
    }

    #[test]
    fn rounding() {
        assert_eq!(Rate(123_456).round_to(4), Rate(123_500));
        assert_eq!(Rate(123_449).round_to(4), Rate(123_400));
        assert_eq!(Rate(123_450).round_to(4), Rate(123_500));
        assert_eq!(Rate(-123_450).round_to(4), Rate(-123_500));
        assert_eq!(Rate(123_456).round_to(0), Rate::ZERO);
        assert_eq!(Rate(500_000).round_to(0), Rate::ONE);
        assert_eq!(Rate(123_456).round_to(6), Rate(123_456));
        assert_eq!(Rate(123_456).round_to(9), Rate(123_456));
        assert_eq!(Rate(i64::MAX).round_to(0), Rate(i64::MAX));
    }

    proptest! {

        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn display_parse_round_trip(m in 0i64..=1_000_000_000_000i64) {
            prop_assert_eq!(Rate(m).to_string().parse::<Rate>(), Ok(Rate(m)));
        }

        #[test]
        fn fraction_and_percent_forms_agree(m in 0i64..=1_000_000i64) {
            let fraction = format_decimal(i128::from(m), 6, 0);
            prop_assert_eq!(fraction.parse::<Rate>(), Ok(Rate(m)));
        }
    }
}
