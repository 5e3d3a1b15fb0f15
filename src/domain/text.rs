//! Keys and names as people type them. A code (of a region, rep, customer, product, order or area) is
//! trimmed and NFKC-normalised, so `ＺＥ２` (full-width) and `ZE2`, or a precomposed and a decomposed
//! `É`, are one code; a code holding a character no one can see (a control, zero-width or bidirectional
//! format character) or longer than 64 characters is refused, so two codes that look alike are never two
//! records. A name is trimmed and must hold no control character and at most 200 characters.

use unicode_normalization::UnicodeNormalization;

/// The longest code, in characters.
pub const MAX_CODE_CHARS: usize = 64;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Characters that show nothing, or only change how their neighbours show: zero-width spaces and
/// joiners, the byte order mark, bidirectional marks, embeddings, overrides and isolates, and the other
/// invisible format characters (soft hyphen, invisible operators, variation selectors, tags).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A value as a message shows it: quoted, with what cannot be seen written as an escape (`\u{200b}`),
/// and cut after 40 characters.
pub fn shown(value: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else if c == '"' || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// The stored form of a code, or why it is not one. `what` names it in the message ("customer code").
pub fn code(raw: &str, what: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    // Printable ASCII is its own NFKC form and holds nothing invisible: the codes of a large import
    // (order ids, customers, reps, SKUs; NFKC was a fifth of checking a market-shaped file) skip it.
    if !trimmed.is_empty()
        && trimmed.len() <= MAX_CODE_CHARS
        && trimmed.bytes().all(|b| (0x20..0x7f).contains(&b))
    {
        return Ok(trimmed.to_string());
    }
    normalised_code(trimmed, what)
}

/// `code` of a trimmed value by NFKC, whatever its characters.
fn normalised_code(trimmed: &str, what: &str) -> Result<String, String> {
    if let Some(c) = trimmed.chars().find(|&c| c.is_control() || is_invisible(c)) {
        return Err(format!(
            "the {what} {} holds an invisible or control character (U+{:04X}): type it without",
            shown(trimmed),
            c as u32
        ));
    }
    let count = trimmed.chars().count();
    if count > MAX_CODE_CHARS {
        return Err(format!(
            "the {what} {} is {count} characters long: a code has at most {MAX_CODE_CHARS}",
            shown(trimmed)
        ));
    }
    let normal: String = trimmed.nfkc().collect();
    let normal = normal.trim();
    // NFKC can make what it cannot see (a compatibility form of a control); checked again.
    if normal.is_empty() || normal.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(format!("the {what} {} is empty", shown(trimmed)));
    }
    if normal.chars().count() > MAX_CODE_CHARS {
        return Err(format!(
            "the {what} {} is longer than {MAX_CODE_CHARS} characters once normalised",
            shown(trimmed)
        ));
    }
    Ok(normal.to_string())
}

/// Whether a value is a number as Excel shows one in scientific notation (`1.38E+10`,
/// `1.3800138E+10`, `2.6123456789012346E+17`, `1E+16`): the digits of a long phone, order number or
/// code are lost in it. Digits, an optional point and digits, `E`, an exponent; without a point the
/// exponent must carry its sign as Excel writes it, so a code like `1E5` stays a code.
pub fn is_scientific(value: &str) -> bool {
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let Some((mantissa, exponent)) = value.trim().split_once(['E', 'e']) else {
        return false;
    };
    let mantissa = mantissa.strip_prefix('-').unwrap_or(mantissa);
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let (signed, digits) = match exponent.strip_prefix(['+', '-']) {
        Some(d) => (true, d),
        None => (false, exponent),
    };
    all_digits(whole)
        && fraction.is_none_or(all_digits)
        && all_digits(digits)
        && (fraction.is_some() || signed)
}

/// A name as stored (trimmed), or why it is not one: empty, over 200 characters, or holding a control
/// character (which would reach a terminal raw).
pub fn name(raw: &str, what: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err(format!(
            "the {what} {} holds a control character (U+{:04X})",
            shown(trimmed),
            c as u32
        ));
    }
    let count = trimmed.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(format!(
            "the {what} {} is {count} characters long: a name has at most {MAX_NAME_CHARS}",
            shown(trimmed)
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The ASCII fast path of `code` gives what NFKC gives.
        #[test]
        fn printable_ascii_codes_are_their_own_normal_form(raw in "[ -~]{0,70}") {
            prop_assert_eq!(code(&raw, "code"), normalised_code(raw.trim(), "code"));
        }
    }

    #[test]
    fn numbers_in_scientific_notation_are_seen() {
        for lost in [
            "1.38E+10",
            "1.3800138E+10",
            " 1.23457E+17 ",
            "2.6123456789012346E+17",
            "2.6123456789012346E17",
            "1E+16",
            "1.5e-3",
        ] {
            assert!(is_scientific(lost), "{lost}");
        }
        for kept in [
            "13800138000",
            "1E5",
            "E+10",
            "1.38E",
            "TEA-01",
            "1.2.3E+4",
            "138-0013-8000",
            "ZE2",
            "1.E+5",
        ] {
            assert!(!is_scientific(kept), "{kept}");
        }
    }

    #[test]
    fn codes_are_trimmed_and_normalised() {
        assert_eq!(code(" ZE2 ", "code"), Ok("ZE2".into()));
        assert_eq!(code("ＺＥ２", "code"), Ok("ZE2".into()));
        assert_eq!(code("\u{3000}C-1\u{3000}", "code"), Ok("C-1".into()));
        assert_eq!(code("E\u{301}", "code"), Ok("\u{c9}".into()));
        assert_eq!(code("华东-01", "code"), Ok("华东-01".into()));
    }

    #[test]
    fn invisible_and_control_characters_and_long_codes_are_refused() {
        for bad in [
            "ZE2\u{200b}",
            "\u{feff}ZE2",
            "Z\u{202e}E2",
            "ZE\u{0}2",
            "ZE\u{1b}[31m2",
            "Z\u{2066}E2",
        ] {
            let e = code(bad, "customer code").unwrap_err();
            assert!(e.contains("holds an invisible or control character"), "{e}");
        }
        assert_eq!(
            code("ZE2\u{200b}", "customer code"),
            Err("the customer code \"ZE2\\u{200b}\" holds an invisible or control character (U+200B): type it without".into())
        );
        let long = "A".repeat(65);
        assert!(code(&long, "code")
            .unwrap_err()
            .contains("65 characters long: a code has at most 64"));
        assert_eq!(code(&"A".repeat(64), "code"), Ok("A".repeat(64)));
        assert!(code("  ", "code").is_err());
    }

    #[test]
    fn names_refuse_control_characters_and_length() {
        assert_eq!(name(" Tea ", "name"), Ok("Tea".into()));
        assert!(name("Tea\u{1b}[2J", "name")
            .unwrap_err()
            .contains("control character (U+001B)"));
        assert!(name(&"名".repeat(201), "name")
            .unwrap_err()
            .contains("201 characters long"));
        assert!(name(&"名".repeat(200), "name").is_ok());
    }

    /// The forms of `c` that show like it: itself, its full-width form, its decomposed form.
    fn look_alikes(c: char) -> Vec<String> {
        let mut forms = vec![c.to_string(), c.to_string().nfd().collect()];
        if c.is_ascii_graphic() {
            forms.extend(char::from_u32(c as u32 + 0xFEE0).map(String::from));
        }
        forms
    }

    /// What a code may pick up on its way from a spreadsheet: invisible, bidirectional and control
    /// characters, and spaces at its ends.
    fn noise() -> impl Strategy<Value = String> {
        proptest::sample::select(vec![
            "", "", "", "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{202a}",
            "\u{202e}", "\u{2066}", "\u{2069}", "\u{200e}", "\u{200f}", "\u{61c}", "\u{0}",
            "\u{1b}", "\u{7}", "\u{ad}", "\u{fe0f}",
        ])
        .prop_map(String::from)
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]

        /// Two codes that display alike are one code, or one of them is refused.
        #[test]
        fn codes_that_look_alike_are_one_or_refused(
            base in "[A-Za-z0-9ÉéÅ华东_-]{1,12}",
            forms in proptest::collection::vec(any::<proptest::sample::Index>(), 12),
            picks in proptest::collection::vec((any::<proptest::sample::Index>(), noise()), 0..4),
            pad in proptest::sample::select(vec!["", " ", "\u{3000}", "\u{a0}"]),
        ) {
            let first = code(&base, "code").expect("a plain code");
            // The same code in look-alike forms, character by character, with noise put in.
            let mut chars: Vec<char> = Vec::new();
            for (c, form) in base.chars().zip(&forms) {
                let alikes = look_alikes(c);
                chars.extend(alikes[form.index(alikes.len())].chars());
            }
            for (at, extra) in &picks {
                let i = at.index(chars.len() + 1);
                for (k, e) in extra.chars().enumerate() {
                    chars.insert(i + k, e);
                }
            }
            let twin = format!("{pad}{}{pad}", chars.into_iter().collect::<String>());
            let noisy = picks.iter().any(|(_, e)| !e.is_empty());
            match code(&twin, "code") {
                Ok(second) => {
                    prop_assert!(!noisy, "{:?} taken as {:?}", twin, second);
                    prop_assert_eq!(second, first, "{:?} and {:?}", base, twin);
                }
                Err(e) => prop_assert!(noisy, "{:?} refused: {}", twin, e),
            }
        }
    }
}
