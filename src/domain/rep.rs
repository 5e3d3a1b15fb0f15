//! Reps (salespeople) as plain values.

use super::values::Role;

/// A rep as stored, with their standing on the day asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rep {
    pub code: String,
    pub name: String,
    pub region: String,
    pub role: Role,
    pub manager: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `active`, `suspended` or `left`, as of the date asked for.
    pub status: String,
    pub suspended_until: Option<String>,
}
