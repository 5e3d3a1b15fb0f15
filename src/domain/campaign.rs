//! Promotion campaigns as plain values, and the figures of their return: every ratio of a campaign
//! report computed exactly from whole counts and money, null on a zero base.

use super::decimal::div_round_half_away;
use super::money::Money;
use super::values::MediaChannel;

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub code: String,
    pub name: String,
    pub channel: MediaChannel,
    pub region: Option<String>,
    pub start: String,
    pub end: String,
    pub budget: Option<Money>,
}

/// A day's figures as given: a field not given leaves the stored value of that day as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayFigures {
    pub spend: Option<Money>,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub visits: Option<i64>,
}

/// A day's record as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayRecord {
    pub spend: Money,
    pub impressions: i64,
    pub clicks: i64,
    pub visits: i64,
}

impl DayRecord {
    /// The record of a day after a second record of it: what the new one gives replaces the old,
    /// what it leaves out stays.
    pub fn replaced_by(self, new: DayFigures) -> DayRecord {
        DayRecord {
            spend: new.spend.unwrap_or(self.spend),
            impressions: new.impressions.unwrap_or(self.impressions),
            clicks: new.clicks.unwrap_or(self.clicks),
            visits: new.visits.unwrap_or(self.visits),
        }
    }
}

/// What a campaign (or a group of them) spent and brought in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// None when no campaign of the group has a budget.
    pub budget: Option<Money>,
    pub spend: Money,
    /// All spend up to the period's end (for the budget used).
    pub spend_to_date: Money,
    pub impressions: i64,
    pub clicks: i64,
    pub visits: i64,
    pub leads: i64,
    pub orders: i64,
    pub net_revenue: Money,
    pub profit: Money,
    pub new_customers: i64,
}

/// The ratios of a campaign report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratios {
    pub budget_used_pct: Option<f64>,
    pub ctr_pct: Option<f64>,
    pub conversion_pct: Option<f64>,
    /// Net revenue per unit of spend, two decimals.
    pub roas: Option<f64>,
    pub roi_pct: Option<f64>,
    pub cost_per_order: Option<Money>,
    pub cac: Option<Money>,
}

/// `n / d` as a percentage with one decimal, rounded half away from zero; None when `d` is zero.
pub fn count_pct(n: i64, d: i64) -> Option<f64> {
    (d != 0).then(|| div_round_half_away(i128::from(n) * 1000, i128::from(d)) as f64 / 10.0)
}

/// `n / d` with two decimals, rounded half away from zero; None when `d` is zero.
pub fn money_ratio(n: Money, d: Money) -> Option<f64> {
    (d.units() != 0).then(|| {
        div_round_half_away(i128::from(n.units()) * 100, i128::from(d.units())) as f64 / 100.0
    })
}

/// `m / n` rounded to the cent; None when `n` is zero.
pub fn per(m: Money, n: i64) -> Option<Money> {
    if n == 0 {
        None
    } else {
        Money::prorate(m, 1, n)
    }
}

impl Figures {
    pub fn ratios(&self) -> Ratios {
        Ratios {
            budget_used_pct: self.budget.and_then(|b| self.spend_to_date.pct_of(b)),
            ctr_pct: count_pct(self.clicks, self.impressions),
            conversion_pct: count_pct(self.orders, self.visits),
            roas: money_ratio(self.net_revenue, self.spend),
            roi_pct: (self.profit - self.spend).pct_of(self.spend),
            cost_per_order: per(self.spend, self.orders),
            cac: per(self.spend, self.new_customers),
        }
    }

    /// Anything happened in the period: spend, traffic, leads, orders or their returns. (A campaign
    /// that does not run in a period is shown for it only then.)
    pub fn has_activity(&self) -> bool {
        self.spend != Money::ZERO
            || self.impressions != 0
            || self.clicks != 0
            || self.visits != 0
            || self.leads != 0
            || self.orders != 0
            || self.net_revenue != Money::ZERO
            || self.profit != Money::ZERO
            || self.new_customers != 0
    }

    /// Two campaigns' figures together (a report by channel or region).
    pub fn add(&mut self, o: &Figures) {
        self.budget = match (self.budget, o.budget) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.spend += o.spend;
        self.spend_to_date += o.spend_to_date;
        self.impressions += o.impressions;
        self.clicks += o.clicks;
        self.visits += o.visits;
        self.leads += o.leads;
        self.orders += o.orders;
        self.net_revenue += o.net_revenue;
        self.profit += o.profit;
        self.new_customers += o.new_customers;
    }
}

/// `over_budget`: spend to date strictly above the budget (a campaign without a budget never is).
pub fn over_budget(spend_to_date: Money, budget: Option<Money>) -> bool {
    budget.is_some_and(|b| spend_to_date > b)
}

/// `no_orders`: a campaign that has ended (its end before today), spent something, and brought no
/// counting order.
pub fn no_orders(end: &str, today: &str, spend: Money, orders: i64) -> bool {
    end < today && spend > Money::ZERO && orders == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn ratios_are_exact_and_null_on_a_zero_base() {
        let f = Figures {
            budget: Some(m("5000")),
            spend: m("800"),
            spend_to_date: m("1200"),
            impressions: 20000,
            clicks: 401,
            visits: 300,
            leads: 2,
            orders: 3,
            net_revenue: m("2000"),
            profit: m("1000"),
            new_customers: 2,
        };
        let r = f.ratios();
        assert_eq!(r.budget_used_pct, Some(24.0));
        assert_eq!(r.ctr_pct, Some(2.0)); // 2.005% rounds half away to 2.0 (tenths of 20.05 → 20)
        assert_eq!(r.conversion_pct, Some(1.0));
        assert_eq!(r.roas, Some(2.5));
        assert_eq!(r.roi_pct, Some(25.0));
        assert_eq!(r.cost_per_order, Some(m("266.67")));
        assert_eq!(r.cac, Some(m("400")));
        let zero = Figures::default().ratios();
        assert_eq!(zero.budget_used_pct, None);
        assert_eq!(zero.ctr_pct, None);
        assert_eq!(zero.conversion_pct, None);
        assert_eq!(zero.roas, None);
        assert_eq!(zero.roi_pct, None);
        assert_eq!(zero.cost_per_order, None);
        assert_eq!(zero.cac, None);
    }

    #[test]
    fn a_second_record_of_a_day_replaces_only_what_it_gives() {
        let day = DayRecord {
            spend: m("100"),
            impressions: 1000,
            clicks: 10,
            visits: 5,
        };
        let next = day.replaced_by(DayFigures {
            spend: Some(m("120")),
            clicks: Some(12),
            ..DayFigures::default()
        });
        assert_eq!(next.spend, m("120"));
        assert_eq!(next.impressions, 1000);
        assert_eq!(next.clicks, 12);
        assert_eq!(next.visits, 5);
    }

    #[test]
    fn budget_and_orders_rules_hold_at_their_edges() {
        assert!(!over_budget(m("5000"), Some(m("5000"))));
        assert!(over_budget(m("5000.01"), Some(m("5000"))));
        assert!(!over_budget(m("9999"), None));
        assert!(no_orders("2026-03-31", "2026-04-01", m("1"), 0));
        assert!(!no_orders("2026-03-31", "2026-03-31", m("1"), 0));
        assert!(!no_orders("2026-03-31", "2026-04-01", Money::ZERO, 0));
        assert!(!no_orders("2026-03-31", "2026-04-01", m("1"), 1));
    }

    #[test]
    fn roas_keeps_two_decimals_half_away_from_zero() {
        assert_eq!(money_ratio(m("1"), m("3")), Some(0.33));
        assert_eq!(money_ratio(m("2"), m("3")), Some(0.67));
        assert_eq!(money_ratio(m("-1"), m("8")), Some(-0.13));
    }
}
