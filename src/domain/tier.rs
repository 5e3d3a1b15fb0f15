//! Customer grading: the tier a customer's trailing-window activity earns under the policy
//! thresholds. Thresholds are reached at equality.

use super::money::Money;
use super::policy::Policy;

pub const TIERS: [&str; 3] = ["normal", "important", "key"];

/// `key` if revenue or orders reach the key thresholds, else `important` if they reach the important
/// ones, else `normal`.
pub fn grade(policy: &Policy, net_revenue: Money, orders: i64) -> &'static str {
    if net_revenue >= policy.key_revenue || orders >= i64::from(policy.key_orders) {
        "key"
    } else if net_revenue >= policy.important_revenue
        || orders >= i64::from(policy.important_orders)
    {
        "important"
    } else {
        "normal"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy::from_values(&[]).expect("defaults")
    }

    fn m(s: &str) -> Money {
        s.parse().expect("money")
    }

    #[test]
    fn thresholds_are_reached_at_equality() {
        let p = policy();
        assert_eq!(grade(&p, m("100000"), 0), "key");
        assert_eq!(grade(&p, m("99999.9999"), 23), "important");
        assert_eq!(grade(&p, m("0"), 24), "key");
        assert_eq!(grade(&p, m("20000"), 0), "important");
        assert_eq!(grade(&p, m("19999.99"), 5), "normal");
        assert_eq!(grade(&p, m("0"), 6), "important");
    }

    #[test]
    fn negative_net_revenue_is_normal() {
        assert_eq!(grade(&policy(), m("-5"), 0), "normal");
    }
}
