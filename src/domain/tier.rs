//! Customer grading: the tier a customer's trailing-window activity earns under the policy
//! thresholds. Thresholds are reached at equality.

use super::money::Money;
use super::policy::Policy;
use super::values::Tier;

/// `key` if revenue or orders reach the key thresholds, else `important` if they reach the important
/// ones, else `normal`.
pub fn grade(policy: &Policy, net_revenue: Money, orders: i64) -> Tier {
    if net_revenue >= policy.key_revenue || orders >= i64::from(policy.key_orders) {
        Tier::Key
    } else if net_revenue >= policy.important_revenue
        || orders >= i64::from(policy.important_orders)
    {
        Tier::Important
    } else {
        Tier::Normal
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
        assert_eq!(grade(&p, m("100000"), 0), Tier::Key);
        assert_eq!(grade(&p, m("99999.9999"), 23), Tier::Important);
        assert_eq!(grade(&p, m("0"), 24), Tier::Key);
        assert_eq!(grade(&p, m("20000"), 0), Tier::Important);
        assert_eq!(grade(&p, m("19999.99"), 5), Tier::Normal);
        assert_eq!(grade(&p, m("0"), 6), Tier::Important);
    }

    #[test]
    fn negative_net_revenue_is_normal() {
        assert_eq!(grade(&policy(), m("-5"), 0), Tier::Normal);
    }
}
