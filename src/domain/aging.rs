//! Receivables aging: open balances by days past their due date.

use chrono::NaiveDate;

use super::money::Money;

pub const BUCKETS: [&str; 5] = ["not_due", "0-30", "31-60", "61-90", "90+"];

/// The bucket of a balance due on `due` as of `as_of`: not yet due, 1–30, 31–60, 61–90, 91+ days past.
pub fn bucket(due: NaiveDate, as_of: NaiveDate) -> usize {
    let late = (as_of - due).num_days();
    match late {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// The first due date not yet in the last bucket (90+) as of `as_of`.
pub fn recent_from(as_of: NaiveDate) -> NaiveDate {
    as_of - chrono::Days::new(90)
}

/// Balances added up by bucket; the buckets always add up to `outstanding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Aging {
    pub buckets: [Money; 5],
}

impl Aging {
    pub fn add(&mut self, due: NaiveDate, as_of: NaiveDate, balance: Money) {
        self.buckets[bucket(due, as_of)] += balance;
    }
    pub fn outstanding(&self) -> Money {
        self.buckets.iter().copied().sum()
    }
    /// The aging as of `as_of` from the balances due on each date since `recent_from(as_of)` and the
    /// total over every due date: what is not among the recent ones is 91 days or more past due.
    pub fn from_recent(as_of: NaiveDate, recent: &[(NaiveDate, Money)], total: Money) -> Aging {
        let mut a = Aging::default();
        let mut older = total;
        for (due, balance) in recent {
            a.add(*due, as_of, *balance);
            older -= *balance;
        }
        a.buckets[BUCKETS.len() - 1] += older;
        a
    }
    /// Everything past its due date.
    pub fn overdue(&self) -> Money {
        self.buckets[1..].iter().copied().sum()
    }
}

/// Aging of open balances as of a date, in total and per customer (code, name, aging).
pub struct Receivables {
    pub as_of: NaiveDate,
    pub total: Aging,
    pub customers: Vec<(String, String, Aging)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn bucket_edges() {
        let as_of = d("2026-10-31");
        assert_eq!(bucket(d("2026-10-31"), as_of), 0);
        assert_eq!(bucket(d("2026-10-30"), as_of), 1);
        assert_eq!(bucket(d("2026-10-01"), as_of), 1);
        assert_eq!(bucket(d("2026-09-30"), as_of), 2);
        assert_eq!(bucket(d("2026-09-01"), as_of), 2);
        assert_eq!(bucket(d("2026-08-31"), as_of), 3);
        assert_eq!(bucket(d("2026-08-02"), as_of), 3);
        assert_eq!(bucket(d("2026-08-01"), as_of), 4);
    }

    #[test]
    fn the_recent_due_dates_and_the_total_give_the_same_aging_as_every_balance() {
        let as_of = d("2026-10-31");
        let balances = [
            (d("2026-11-10"), Money::from_cents(100)),
            (d("2026-08-02"), Money::from_cents(70)),
            (d("2026-08-01"), Money::from_cents(40)),
            (d("2025-01-01"), Money::from_cents(-15)),
        ];
        let mut every = Aging::default();
        for (due, b) in balances {
            every.add(due, as_of, b);
        }
        let recent: Vec<_> = balances
            .iter()
            .copied()
            .filter(|(due, _)| *due >= recent_from(as_of))
            .collect();
        let total = balances.iter().map(|b| b.1).sum();
        assert_eq!(recent.len(), 2);
        assert_eq!(Aging::from_recent(as_of, &recent, total), every);
    }

    #[test]
    fn buckets_add_up() {
        let mut a = Aging::default();
        let as_of = d("2026-10-31");
        a.add(d("2026-11-10"), as_of, Money::from_cents(100));
        a.add(d("2026-06-10"), as_of, Money::from_cents(250));
        a.add(d("2026-10-10"), as_of, Money::from_cents(-50));
        assert_eq!(a.outstanding(), Money::from_cents(300));
        assert_eq!(a.overdue(), Money::from_cents(200));
    }
}
