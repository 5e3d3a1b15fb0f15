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

/// What decides whether a rep may act on a day: a departure, and suspensions as
/// (start, until, lifted on, reason); an open-ended suspension runs until 9999-12-31.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub left_on: Option<String>,
    pub suspensions: Vec<(String, String, Option<String>, String)>,
}

impl Standing {
    /// Why rep `code` may not act on `day` (left, or suspended that day), if they may not.
    pub fn barred(&self, code: &str, day: &str) -> Option<String> {
        if let Some(left) = &self.left_on {
            if left.as_str() <= day {
                return Some(format!("rep {code} left the company on {left}"));
            }
        }
        self.suspensions
            .iter()
            .find(|(start, until, lifted, _)| {
                start.as_str() <= day
                    && day <= until.as_str()
                    && lifted.as_deref().is_none_or(|l| l > day)
            })
            .map(|(_, until, _, reason)| {
                let until = if until.starts_with("9999") {
                    "further notice"
                } else {
                    until.as_str()
                };
                format!("rep {code} is suspended through {until} ({reason})")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(left: Option<&str>, suspended: &[(&str, &str, Option<&str>)]) -> Standing {
        Standing {
            left_on: left.map(str::to_string),
            suspensions: suspended
                .iter()
                .map(|(a, b, l)| {
                    (
                        a.to_string(),
                        b.to_string(),
                        l.map(str::to_string),
                        "r".into(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_rep_is_barred_from_the_day_they_leave_and_while_suspended() {
        let left = standing(Some("2026-03-10"), &[]);
        assert_eq!(left.barred("E1", "2026-03-09"), None);
        assert_eq!(
            left.barred("E1", "2026-03-10").as_deref(),
            Some("rep E1 left the company on 2026-03-10")
        );
        let s = standing(None, &[("2026-03-01", "2026-03-05", Some("2026-03-04"))]);
        assert_eq!(
            s.barred("E1", "2026-03-03").as_deref(),
            Some("rep E1 is suspended through 2026-03-05 (r)")
        );
        assert_eq!(s.barred("E1", "2026-03-04"), None, "lifted");
        let open = standing(None, &[("2026-03-01", "9999-12-31", None)]);
        assert_eq!(
            open.barred("E1", "2027-01-01").as_deref(),
            Some("rep E1 is suspended through further notice (r)")
        );
    }
}
