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
