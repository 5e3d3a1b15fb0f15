//! Scaled decimals shared by `money` (ten-thousandths) and `rate` (millionths): reading a plain decimal
//! as an integer of a given scale, writing it back, rounding half away from zero, and full-width forms
//! typed with a Chinese or Japanese IME. Exact integers throughout; no floating point.

/// Why a plain decimal could not be read; each caller words its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// Reads an unsigned ASCII decimal ("123", "123.45", ".5") as an integer
/// scaled by 10^scale. Trailing zeros beyond the scale are harmless
/// ("1.500000" is exact), so only significant extra digits are refused.
pub fn parse_scaled(s: &str, scale: u32) -> Result<i128, DecimalError> {
    let (int_part, frac_part) = s.split_once('.').unwrap_or((s, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(DecimalError::NotANumber);
    }
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !all_digits(frac_part) {
        return Err(DecimalError::NotANumber);
    }
    let frac = frac_part.trim_end_matches('0');
    if frac.len() > scale as usize {
        return Err(DecimalError::TooManyDecimals);
    }
    let mut value: i128 = 0;
    for b in int_part.bytes().chain(frac.bytes()) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(b - b'0')))
            .ok_or(DecimalError::TooLarge)?;
    }
    let pad = scale - frac.len() as u32;
    value
        .checked_mul(10i128.pow(pad))
        .ok_or(DecimalError::TooLarge)
}

/// Formats `v / 10^scale` with at least `min_decimals` decimals, trimming
/// trailing zeros beyond that.
pub fn format_decimal(v: i128, scale: u32, min_decimals: u32) -> String {
    let magnitude = v.unsigned_abs();
    let p = 10u128.pow(scale);
    let int = magnitude / p;
    let mut frac = magnitude % p;
    let mut digits = scale;
    while digits > min_decimals && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    let sign = if v < 0 { "-" } else { "" };
    if digits == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = digits as usize)
    }
}

/// `n / d` rounded half away from zero; `d` must not be zero.
pub fn div_round_half_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    // |r| < |d| ≤ 2^127, so doubling it cannot overflow u128.
    if r != 0 && 2 * r.unsigned_abs() >= d.unsigned_abs() {
        if (n < 0) == (d < 0) {
            q + 1
        } else {
            q - 1
        }
    } else {
        q
    }
}

/// Maps full-width ASCII forms (digits, '．', '，', '％', '－') and the
/// ideographic space to ASCII, as typed with a Chinese or Japanese IME.
pub fn normalize_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(div_round_half_away(5, 2), 3);
        assert_eq!(div_round_half_away(-5, 2), -3);
        assert_eq!(div_round_half_away(5, -2), -3);
        assert_eq!(div_round_half_away(-5, -2), 3);
        assert_eq!(div_round_half_away(4, 3), 1);
        assert_eq!(format_decimal(-5, 1, 0), "-0.5");
        assert_eq!(parse_scaled("1.23", 2), Ok(123));
        assert_eq!(parse_scaled("1.234", 2), Err(DecimalError::TooManyDecimals));
        assert_eq!(normalize_width("１２％"), "12%");
    }
}
