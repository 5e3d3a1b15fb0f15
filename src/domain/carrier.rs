//! Carriers as plain values and the rules of their delivery record: on time, stuck,
//! and the ratios of a carrier report, exact and null on a zero base.

use chrono::NaiveDate;

use super::campaign::{count_pct, per};
use super::decimal::div_round_half_away;
use super::money::Money;
use super::rate::Rate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carrier {
    pub code: String,
    pub name: String,
    pub promise_days: i64,
}

/// The delivery days of a shipment stored in the rollup: -1 while in transit.
pub const IN_TRANSIT: i64 = -1;
/// Delivered (or completed) with no delivery date: delivered, but neither on time nor late.
pub const UNDATED: i64 = -2;

/// On time: delivered within the promise, the promise day itself included.
pub fn on_time(days: i64, promise: i64) -> bool {
    days <= promise
}

/// A shipment not delivered is stuck when more than promise + `stuck_days` days have passed since it
/// was shipped, as of `today`.
pub fn stuck(shipped: NaiveDate, promise: i64, stuck_days: i64, today: NaiveDate) -> bool {
    (today - shipped).num_days() > promise + stuck_days
}

/// A carrier's shipments of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub shipments: i64,
    pub delivered: i64,
    /// Delivered with a delivery date (the base of on time and average days).
    pub dated: i64,
    pub on_time: i64,
    pub days_sum: i64,
    pub in_transit: i64,
    pub freight: Money,
    pub net_revenue: Money,
    pub quality_returns: i64,
}

impl Figures {
    /// Add `n` shipments of one rollup row (delivery `days`, or IN_TRANSIT / UNDATED).
    pub fn add_row(&mut self, days: i64, n: i64, promise: i64) {
        self.shipments += n;
        match days {
            IN_TRANSIT => self.in_transit += n,
            UNDATED => self.delivered += n,
            d => {
                self.delivered += n;
                self.dated += n;
                self.days_sum += d * n;
                if on_time(d, promise) {
                    self.on_time += n;
                }
            }
        }
    }

    /// Delivered later than the promise.
    pub fn late(&self) -> i64 {
        self.dated - self.on_time
    }

    pub fn on_time_pct(&self) -> Option<f64> {
        count_pct(self.on_time, self.dated)
    }

    /// Average delivery days, one decimal.
    pub fn avg_days(&self) -> Option<f64> {
        (self.dated != 0).then(|| {
            div_round_half_away(i128::from(self.days_sum) * 10, i128::from(self.dated)) as f64
                / 10.0
        })
    }

    pub fn freight_per_shipment(&self) -> Option<Money> {
        per(self.freight, self.shipments)
    }

    pub fn freight_pct(&self) -> Option<f64> {
        self.freight.pct_of(self.net_revenue)
    }

    /// `late_rate`: at least `min_deliveries` dated deliveries and an on-time share strictly below
    /// `min_on_time`.
    pub fn late_rate(&self, min_on_time: Rate, min_deliveries: i64) -> bool {
        self.dated >= min_deliveries
            && i128::from(self.on_time) * 1_000_000
                < i128::from(min_on_time.millionths()) * i128::from(self.dated)
    }
}

/// Deliveries a carrier needs in the window before its on-time share is judged.
pub const LATE_RATE_MIN_DELIVERIES: i64 = 20;
/// The trailing window of `late_rate`, in days.
pub const LATE_RATE_WINDOW_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_promise_day_is_on_time_and_the_next_is_late() {
        assert!(on_time(2, 2));
        assert!(!on_time(3, 2));
        assert!(on_time(0, 2));
    }

    #[test]
    fn stuck_only_after_promise_plus_stuck_days() {
        // promise 2 + 7 = 9 days: the 9th day after shipping is not stuck, the 10th is.
        assert!(!stuck(d("2026-03-05"), 2, 7, d("2026-03-14")));
        assert!(stuck(d("2026-03-05"), 2, 7, d("2026-03-15")));
    }

    #[test]
    fn figures_count_each_kind_of_shipment() {
        let mut f = Figures::default();
        f.add_row(1, 2, 2);
        f.add_row(4, 1, 2);
        f.add_row(IN_TRANSIT, 1, 2);
        f.add_row(UNDATED, 1, 2);
        f.freight = "50".parse().unwrap();
        f.net_revenue = "1000".parse().unwrap();
        assert_eq!(
            (f.shipments, f.delivered, f.on_time, f.late(), f.in_transit),
            (5, 4, 2, 1, 1)
        );
        assert_eq!(f.on_time_pct(), Some(66.7));
        assert_eq!(f.avg_days(), Some(2.0));
        assert_eq!(f.freight_per_shipment(), Some("10".parse().unwrap()));
        assert_eq!(f.freight_pct(), Some(5.0));
        let none = Figures::default();
        assert_eq!(none.on_time_pct(), None);
        assert_eq!(none.avg_days(), None);
        assert_eq!(none.freight_per_shipment(), None);
        assert_eq!(none.freight_pct(), None);
    }

    proptest::proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        // However the rows come, the shipments split exactly into on time, late, undated and in
        // transit, and the on-time share is the exact ratio rounded half away from zero.
        #[test]
        fn shipments_split_exactly(rows in proptest::collection::vec((-2i64..10, 1i64..50), 0..20), promise in 0i64..6) {
            let mut f = Figures::default();
            for (days, n) in &rows {
                f.add_row(*days, *n, promise);
            }
            let undated: i64 = rows.iter().filter(|(d, _)| *d == UNDATED).map(|(_, n)| n).sum();
            proptest::prop_assert_eq!(f.shipments, f.on_time + f.late() + undated + f.in_transit);
            proptest::prop_assert_eq!(f.delivered, f.dated + undated);
            if f.dated > 0 {
                let exact = f.on_time as f64 * 100.0 / f.dated as f64;
                let shown = f.on_time_pct().unwrap_or_default();
                proptest::prop_assert!((shown - exact).abs() <= 0.05 + 1e-9);
            } else {
                proptest::prop_assert_eq!(f.on_time_pct(), None);
            }
        }
    }

    #[test]
    fn late_rate_needs_enough_deliveries_and_a_share_below_the_minimum() {
        let rate: Rate = "90%".parse().unwrap();
        let mut f = Figures::default();
        f.add_row(1, 18, 2);
        f.add_row(5, 2, 2);
        assert!(!f.late_rate(rate, 20)); // 18/20 = 90%: reached at equality
        f.add_row(5, 1, 2);
        assert!(f.late_rate(rate, 20)); // 18/21
        let mut few = Figures::default();
        few.add_row(5, 19, 2);
        assert!(!few.late_rate(rate, 20));
    }
}
