//! The three ways a command can fail, each with its exit code (docs/manual.md, "Conventions").
//! Everything else that goes wrong (I/O, SQLite) is a runtime failure, exit 1.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Exit 2: a usage error or a refused confirmation.
    Usage,
    /// Exit 3: invalid input data or a business rule refused the command.
    Input,
}

#[derive(Debug)]
pub struct UserError {
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UserError {
        kind: Kind::Usage,
        message: message.into(),
    }
    .into()
}

pub fn input(message: impl Into<String>) -> anyhow::Error {
    UserError {
        kind: Kind::Input,
        message: message.into(),
    }
    .into()
}

/// The exit code for an error chain: the first `UserError` in it decides, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(user) = cause.downcast_ref::<UserError>() {
            return match user.kind {
                Kind::Usage => 2,
                Kind::Input => 3,
            };
        }
    }
    1
}

/// The most characters of a value a message quotes: a 10 MB cell must not make a 10 MB error line.
const SHOWN_CHARS: usize = 80;

/// `text` with every quoted value (`"…"`) longer than `SHOWN_CHARS` characters cut to that many and
/// an ellipsis. Messages quote the values they are about in double quotes (a quote inside one is
/// escaped as `\"`), and nothing else.
pub fn cut_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        let value = &rest[open + 1..];
        let bytes = value.as_bytes();
        let close =
            (0..bytes.len()).find(|&i| bytes[i] == b'"' && (i == 0 || bytes[i - 1] != b'\\'));
        let Some(close) = close else {
            rest = value;
            break;
        };
        match value[..close].char_indices().nth(SHOWN_CHARS) {
            Some((cut, _)) => {
                out.push_str(&value[..cut]);
                out.push('…');
            }
            None => out.push_str(&value[..close]),
        }
        out.push('"');
        rest = &value[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `bail_input!("...", args)` returns an input error (exit 3) from the current function.
#[macro_export]
macro_rules! bail_input {
    ($($arg:tt)*) => { return Err($crate::error::input(format!($($arg)*))) };
}

/// `bail_usage!("...", args)` returns a usage error (exit 2) from the current function.
#[macro_export]
macro_rules! bail_usage {
    ($($arg:tt)*) => { return Err($crate::error::usage(format!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::cut_values;

    #[test]
    fn long_quoted_values_are_cut_and_the_rest_is_kept() {
        let long = "x".repeat(1000);
        let cut = cut_values(&format!("f.csv:2: column \"name\": \"{long}\" is too long"));
        assert_eq!(
            cut,
            format!(
                "f.csv:2: column \"name\": \"{}…\" is too long",
                "x".repeat(80)
            )
        );
        let short = "no region \"NOPE\" (see `salesops regions list`)";
        assert_eq!(cut_values(short), short);
        // Characters, not bytes; an escaped quote does not end the value.
        let chinese = "中".repeat(100);
        assert_eq!(
            cut_values(&format!("\"{chinese}\\\"\" x")),
            format!("\"{}…\" x", "中".repeat(80))
        );
    }
}
