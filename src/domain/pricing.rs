//! The price policy's rules (docs/manual.md, `prices check`): what is wrong with one order line, with a
//! region's average price of a SKU, and with an observed market price. Pure and exact: the caller brings
//! the prices in force and the policy; comparisons are strict ("above" >, "below" <).

use std::collections::{BTreeMap, HashSet};

use super::decimal::div_round_half_away;
use super::money::Money;
use super::order::effective_discount;
use super::period::Period;
use super::policy::Policy;
use super::rate::Rate;

/// Every finding kind, in the order of the spec (listings and report counts follow it).
pub const KINDS: [&str; 7] = [
    "below_floor",
    "below_cost",
    "unapproved_discount",
    "over_max_discount",
    "off_list",
    "regional_spread",
    "market_below_floor",
];

/// Position of a kind in `KINDS` (unknown kinds last).
pub fn kind_rank(kind: &str) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len())
}

/// One order line with the prices in force on its order date.
#[derive(Debug, Clone)]
pub struct LineFacts {
    pub quantity: i64,
    pub amount: Money,
    pub cost: Money,
    pub list_price: Money,
    pub floor_price: Option<Money>,
    /// Somebody approved the order (`orders approve`).
    pub approved: bool,
}

/// A rule broken: its kind and a detail naming the expected and the actual values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub kind: &'static str,
    pub detail: String,
}

fn breach(kind: &'static str, detail: String) -> Breach {
    Breach { kind, detail }
}

/// A percentage and the limit it passed, as the reports show percentages (one decimal); both exact
/// when one decimal would show them equal (15.0006% past 15% is not "15.0% past 15.0%").
fn past(value: Rate, limit: Rate) -> (String, String) {
    let (v, l) = (value.to_report(), limit.to_report());
    if v == l {
        (value.pct_display(), limit.pct_display())
    } else {
        (v, l)
    }
}

/// Every rule a line breaks, in the order of `KINDS`.
pub fn line_breaches(l: &LineFacts, p: &Policy) -> Vec<Breach> {
    let mut out = Vec::new();
    if let Some(floor) = l.floor_price {
        if let Some(min) = floor.checked_mul_qty(l.quantity) {
            if l.amount < min {
                out.push(breach(
                    "below_floor",
                    format!(
                        "amount {} is below the floor price {} × {} = {}",
                        l.amount.to_report(),
                        floor.to_report(),
                        l.quantity,
                        min.to_report()
                    ),
                ));
            }
        }
    }
    if l.amount < l.cost {
        out.push(breach(
            "below_cost",
            format!(
                "amount {} is below the line cost {}",
                l.amount.to_report(),
                l.cost.to_report()
            ),
        ));
    }
    if let Some(d) = effective_discount(l.amount, l.quantity, l.list_price) {
        let gross = l
            .list_price
            .checked_mul_qty(l.quantity)
            .unwrap_or(Money::ZERO);
        if d > p.approval_above && !l.approved {
            let (d, above) = past(d, p.approval_above);
            out.push(breach(
                "unapproved_discount",
                format!(
                    "discount {} (amount {} against list {} × {} = {}) is above the {} that needs approval, and nobody approved the order",
                    d,
                    l.amount.to_report(),
                    l.list_price.to_report(),
                    l.quantity,
                    gross.to_report(),
                    above
                ),
            ));
        }
        if d > p.max_discount {
            let (d, max) = past(d, p.max_discount);
            out.push(breach(
                "over_max_discount",
                format!(
                    "discount {} (amount {} against list {} × {} = {}) is above the maximum {}",
                    d,
                    l.amount.to_report(),
                    l.list_price.to_report(),
                    l.quantity,
                    gross.to_report(),
                    max
                ),
            ));
        }
    }
    if let Some((over, gross)) = above_list(l) {
        // (net unit − list) / list > tolerance  ⇔  (amount − list × qty) × 1e6 > tolerance × list × qty.
        if over * 1_000_000 > i128::from(p.price_tolerance.millionths()) * gross {
            let off = Rate::from_millionths(
                i64::try_from(div_round_half_away(over * 1_000_000, gross)).unwrap_or(i64::MAX),
            );
            let net = Money::from_units(
                i64::try_from(div_round_half_away(
                    i128::from(l.amount.units()),
                    i128::from(l.quantity),
                ))
                .unwrap_or(i64::MAX),
            );
            let (off, tolerance) = past(off, p.price_tolerance);
            out.push(breach(
                "off_list",
                format!(
                    "net unit price {} is {} above the list price {} (tolerance {})",
                    net.to_report(),
                    off,
                    l.list_price.to_report(),
                    tolerance
                ),
            ));
        }
    }
    out
}

/// What a line's price says whatever the policy is: the report keeps these per month and applies the
/// policy's thresholds when it counts, so a change of policy needs no recount of the lines.
///
/// A ratio (a discount, how far above list) is kept graded on a grid of `MARK_GRID` millionths (0.01%):
/// 2 × floor(ratio / grid), plus 1 when the ratio is not a whole number of grid steps. Against a
/// threshold T on the grid, ratio > T exactly when the graded value is above 2T / grid (see `finding`),
/// so a mark breaks a rule exactly when `line_breaches` reports it; and a month holds at most a few
/// thousand distinct values whatever the number of distinct prices (market data spreads them).
/// Thresholds off the grid (finer than 0.01%) cannot be judged from marks: `judged_by_marks` says so,
/// and the report then reads the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    BelowFloor,
    BelowCost,
    /// The effective discount, graded (above zero: a discount at or below zero breaks nothing).
    Discount(i64),
    /// The same, for an order nobody approved.
    UnapprovedDiscount(i64),
    /// For a net unit price above list: (net unit − list) / list, graded.
    OffList(i64),
}

/// The grid ratios are graded on, in millionths: 0.01%.
pub const MARK_GRID: i64 = 100;

/// Off-list ratios beyond this many grid steps (a billion percent) are kept as this: no tolerance
/// anyone sets is that large.
const GRADE_CAP: i128 = 100_000_000_000;

/// numerator / denominator (a ratio, both positive) graded: 2 × floor(ratio in grid steps), plus 1
/// when it is not a whole number of steps.
fn graded(numerator: i128, denominator: i128) -> i64 {
    let scaled = numerator * 1_000_000;
    let step = denominator * i128::from(MARK_GRID);
    let whole = (scaled / step).min(GRADE_CAP);
    i64::try_from(2 * whole + i128::from(scaled % step != 0)).unwrap_or(i64::MAX)
}

/// Whether ratio > threshold for a graded ratio and a threshold (millionths) on the grid.
fn graded_above(graded: i64, threshold: Rate) -> bool {
    i128::from(graded) > 2 * i128::from(threshold.millionths() / MARK_GRID)
}

/// Whether the policy's price thresholds all lie on the marks' grid, so that counting marks finds
/// exactly what `line_breaches` finds.
pub fn judged_by_marks(p: &Policy) -> bool {
    [p.approval_above, p.max_discount, p.price_tolerance]
        .iter()
        .all(|t| t.millionths() % MARK_GRID == 0)
}

impl Mark {
    pub fn name(self) -> &'static str {
        match self {
            Mark::BelowFloor => "below_floor",
            Mark::BelowCost => "below_cost",
            Mark::Discount(_) => "discount",
            Mark::UnapprovedDiscount(_) => "unapproved_discount",
            Mark::OffList(_) => "off_list",
        }
    }

    pub fn value(self) -> i64 {
        match self {
            Mark::BelowFloor | Mark::BelowCost => 0,
            Mark::Discount(v) | Mark::UnapprovedDiscount(v) | Mark::OffList(v) => v,
        }
    }

    pub fn from_parts(name: &str, value: i64) -> Option<Mark> {
        Some(match name {
            "below_floor" => Mark::BelowFloor,
            "below_cost" => Mark::BelowCost,
            "discount" => Mark::Discount(value),
            "unapproved_discount" => Mark::UnapprovedDiscount(value),
            "off_list" => Mark::OffList(value),
            _ => return None,
        })
    }

    /// The finding this mark is under a policy whose thresholds are on the grid (`judged_by_marks`),
    /// if it is one. With value = 2q + r (q whole grid steps, r = [a part step remains]) and a
    /// threshold of t whole steps: ratio > threshold ⇔ q > t or (q = t and r = 1) ⇔ value > 2t.
    pub fn finding(self, p: &Policy) -> Option<&'static str> {
        match self {
            Mark::BelowFloor => Some("below_floor"),
            Mark::BelowCost => Some("below_cost"),
            Mark::UnapprovedDiscount(d) => {
                graded_above(d, p.approval_above).then_some("unapproved_discount")
            }
            Mark::Discount(d) => graded_above(d, p.max_discount).then_some("over_max_discount"),
            Mark::OffList(v) => graded_above(v, p.price_tolerance).then_some("off_list"),
        }
    }
}

/// Every mark of a line, in the order of `Mark`.
pub fn line_marks(l: &LineFacts, mut each: impl FnMut(Mark)) {
    if let Some(min) = l.floor_price.and_then(|f| f.checked_mul_qty(l.quantity)) {
        if l.amount < min {
            each(Mark::BelowFloor);
        }
    }
    if l.amount < l.cost {
        each(Mark::BelowCost);
    }
    if let Some(d) = effective_discount(l.amount, l.quantity, l.list_price) {
        if d.millionths() > 0 {
            // The discount rules compare the discount in whole millionths (as `line_breaches` does).
            let value = graded(i128::from(d.millionths()), 1_000_000);
            each(Mark::Discount(value));
            if !l.approved {
                each(Mark::UnapprovedDiscount(value));
            }
        }
    }
    if let Some((over, gross)) = above_list(l) {
        each(Mark::OffList(graded(over, gross)));
    }
}

/// How far a line's amount lies above its list price × quantity, with that gross, in raw money units;
/// none when it is at or below list (a price below list is a discount, judged by the discount rules).
fn above_list(l: &LineFacts) -> Option<(i128, i128)> {
    let gross = i128::from(l.list_price.units()) * i128::from(l.quantity);
    let over = i128::from(l.amount.units()) - gross;
    (gross > 0 && over > 0).then_some((over, gross))
}

/// Σ amount (raw money units) and Σ quantity of some lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub amount: i128,
    pub quantity: i128,
}

impl Sums {
    pub fn add(&mut self, amount: Money, quantity: i64) {
        self.amount += i128::from(amount.units());
        self.quantity += i128::from(quantity);
    }

    /// Σ amount / Σ quantity to 4 decimals (a derived unit price).
    pub fn average(&self) -> Option<Money> {
        if self.quantity == 0 {
            return None;
        }
        i64::try_from(div_round_half_away(self.amount, self.quantity))
            .ok()
            .map(Money::from_units)
    }
}

/// A region's average price of a SKU below the all-region average by more than `price.regional_spread`.
pub fn spread_breach(region: Sums, all: Sums, p: &Policy) -> Option<Breach> {
    if region.quantity <= 0 || all.quantity <= 0 || all.amount <= 0 {
        return None;
    }
    // ra/rq < aa/aq × (1 − s)  ⇔  ra × aq × 1e6 < aa × rq × (1e6 − s), exact in i128.
    let lhs = region.amount * all.quantity * 1_000_000;
    let rhs = all.amount * region.quantity * i128::from(1_000_000 - p.regional_spread.millionths());
    if lhs >= rhs {
        return None;
    }
    // How far below: 1 − (ra × aq) / (aa × rq).
    let base = all.amount * region.quantity;
    let gap = div_round_half_away((base - region.amount * all.quantity) * 1_000_000, base);
    let gap = Rate::from_millionths(i64::try_from(gap).unwrap_or(i64::MAX));
    let show = |s: Sums| s.average().map(|m| m.to_report()).unwrap_or_default();
    let (gap, allowed) = past(gap, p.regional_spread);
    Some(breach(
        "regional_spread",
        format!(
            "average price {} ({} units) is {} below the all-region average {} (allowed {})",
            show(region),
            region.quantity,
            gap,
            show(all),
            allowed
        ),
    ))
}

/// A floor price above the list price would make every sale at list a violation.
pub fn check_floor(list_price: Money, floor_price: Option<Money>) -> Result<(), String> {
    match floor_price {
        Some(f) if f > list_price => Err(format!(
            "the floor price {f} is above the list price {list_price}"
        )),
        _ => Ok(()),
    }
}

/// An observed market price below the floor price in force on the observation date.
pub fn market_breach(price: Money, floor: Option<Money>) -> Option<Breach> {
    let floor = floor?;
    (price < floor).then(|| {
        breach(
            "market_below_floor",
            format!(
                "observed price {} is below the floor price {}",
                price.to_report(),
                floor.to_report()
            ),
        )
    })
}

/// One finding, with the ledger key that identifies it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: &'static str,
    pub subject: String,
    pub detail: String,
    pub order_id: Option<String>,
    pub line_no: Option<i64>,
    pub sku: Option<String>,
    pub rep: Option<String>,
    pub region: Option<String>,
    pub date: String,
    pub key: String,
}

#[derive(Default)]
pub struct SkuSums {
    pub all: Sums,
    pub by_region: BTreeMap<String, Sums>,
}

/// Per SKU: Σ amount and Σ quantity of its lines, in all and per region.
pub type SpreadSums = BTreeMap<String, SkuSums>;

pub fn add_sums(
    sums: &mut SpreadSums,
    sku: &str,
    region: Option<&String>,
    amount: Money,
    qty: i64,
) {
    let entry = match sums.get_mut(sku) {
        Some(e) => e,
        None => sums.entry(sku.to_string()).or_default(),
    };
    entry.all.add(amount, qty);
    if let Some(region) = region {
        match entry.by_region.get_mut(region) {
            Some(r) => r.add(amount, qty),
            None => {
                let mut r = Sums::default();
                r.add(amount, qty);
                entry.by_region.insert(region.clone(), r);
            }
        }
    }
}

/// `scope` limits the subjects to some regions; the sums always cover every region.
pub fn in_scope(scope: Option<&HashSet<String>>, region: Option<&String>) -> bool {
    match scope {
        None => true,
        Some(set) => region.is_some_and(|r| set.contains(r)),
    }
}
/// Regions whose average price of a SKU over the period is too far below the all-region average.
pub fn spread_findings(
    sums: &SpreadSums,
    policy: &Policy,
    period: &Period,
    scope: Option<&HashSet<String>>,
) -> Vec<Finding> {
    let label = period.label();
    let mut found = Vec::new();
    for (sku, s) in sums {
        for (region, r) in &s.by_region {
            if !in_scope(scope, Some(region)) {
                continue;
            }
            if let Some(b) = spread_breach(*r, s.all, policy) {
                found.push(Finding {
                    kind: b.kind,
                    subject: format!("{region}/{sku}"),
                    detail: b.detail,
                    key: format!("{}|{region}|{sku}|{label}", b.kind),
                    order_id: None,
                    line_no: None,
                    sku: Some(sku.clone()),
                    rep: None,
                    region: Some(region.clone()),
                    date: period.end.to_string(),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn a_floor_may_equal_the_list_price_but_not_exceed_it() {
        assert_eq!(check_floor(m("100"), None), Ok(()));
        assert_eq!(check_floor(m("100"), Some(m("100"))), Ok(()));
        assert_eq!(
            check_floor(m("100"), Some(m("100.01"))),
            Err("the floor price 100.01 is above the list price 100.00".to_string())
        );
    }

    fn policy() -> Policy {
        Policy::from_values(&[]).unwrap()
    }

    /// A line of `qty` at a typed unit price (only the amount counts) for `amount`.
    fn line(qty: i64, _unit: &str, amount: &str) -> LineFacts {
        LineFacts {
            quantity: qty,
            amount: m(amount),
            cost: m("10"),
            list_price: m("100"),
            floor_price: Some(m("80")),
            approved: false,
        }
    }

    fn kinds(l: &LineFacts) -> Vec<&'static str> {
        line_breaches(l, &policy())
            .into_iter()
            .map(|b| b.kind)
            .collect()
    }

    #[test]
    fn a_price_equal_to_the_floor_is_not_below_it() {
        assert!(kinds(&line(10, "100", "800")).contains(&"unapproved_discount"));
        assert!(!kinds(&line(10, "100", "800")).contains(&"below_floor"));
        assert!(kinds(&line(10, "100", "799.99")).contains(&"below_floor"));
    }

    #[test]
    fn a_discount_equal_to_the_threshold_is_not_above_it() {
        assert!(kinds(&line(10, "100", "900")).is_empty());
        // 10.004% rounds to 10.00%: not above.
        assert!(kinds(&line(1, "100", "89.996")).is_empty());
        // 10.0051% rounds to 10.01%: above.
        assert_eq!(
            kinds(&line(1, "100", "89.9949")),
            vec!["unapproved_discount"]
        );
        let mut approved = line(1, "100", "70");
        approved.approved = true;
        approved.floor_price = None;
        assert!(kinds(&approved).is_empty());
        approved.amount = m("69.99");
        assert_eq!(kinds(&approved), vec!["over_max_discount"]);
    }

    #[test]
    fn off_list_is_a_net_unit_price_strictly_above_list_beyond_the_tolerance() {
        assert!(kinds(&line(1, "100.5", "100.5")).is_empty());
        let b = line_breaches(&line(1, "100.51", "100.51"), &policy());
        assert_eq!(b.len(), 1);
        assert_eq!(
            b[0].detail,
            "net unit price 100.51 is 0.51% above the list price 100.00 (tolerance 0.5%)"
        );
        // Below list is a discount however it was typed: never off_list.
        assert!(!kinds(&line(1, "99.49", "99.49")).contains(&"off_list"));
        assert!(!kinds(&line(1, "95", "95")).contains(&"off_list"));
        // The net unit price counts, not the typed one: 2 × 100 at 1% off is 198 (a discount) ...
        assert!(!kinds(&line(2, "100", "198")).contains(&"off_list"));
        // ... and 2 at a typed 100 with an amount of 202 is 1% above list.
        assert_eq!(kinds(&line(2, "100", "202")), vec!["off_list"]);
    }

    #[test]
    fn below_cost_compares_with_the_line_cost() {
        let mut l = line(2, "100", "200");
        l.cost = m("200");
        assert!(kinds(&l).is_empty());
        l.cost = m("200.01");
        assert_eq!(kinds(&l), vec!["below_cost"]);
    }

    #[test]
    fn regional_spread_at_exactly_the_limit_is_allowed() {
        let sums = |a: &str, q: i128| Sums {
            amount: i128::from(m(a).units()),
            quantity: q,
        };
        // All-region average 100, region 85: exactly 15% below.
        assert_eq!(
            spread_breach(sums("850", 10), sums("2000", 20), &policy()),
            None
        );
        let b = spread_breach(sums("849.99", 10), sums("1999.99", 20), &policy()).unwrap();
        assert_eq!(
            b.detail,
            "average price 85.00 (10 units) is 15.0006% below the all-region average 100.00 (allowed 15%)"
        );
    }

    #[test]
    fn market_price_equal_to_the_floor_is_not_below_it() {
        assert_eq!(market_breach(m("80"), Some(m("80"))), None);
        assert_eq!(market_breach(m("1"), None), None);
        assert!(market_breach(m("79.99"), Some(m("80"))).is_some());
    }

    fn facts() -> impl Strategy<Value = (LineFacts, Policy)> {
        let money = || (0i64..5_000_000).prop_map(Money::from_units);
        // Thresholds on the marks' grid (0.01%), as `judged_by_marks` asks of the report's policy.
        let rate = || (0i64..4_000).prop_map(|steps| Rate::from_millionths(steps * MARK_GRID));
        (
            (1i64..50, money(), money(), money()),
            (proptest::option::of(money()), any::<bool>()),
            (rate(), rate(), rate()),
        )
            .prop_map(
                |((quantity, amount, cost, list_price), (floor_price, approved), (a, m, t))| {
                    let mut p = policy();
                    p.approval_above = a;
                    p.max_discount = m;
                    p.price_tolerance = t;
                    (
                        LineFacts {
                            quantity,
                            amount: Money::from_units(amount.units() * quantity / 7),
                            cost,
                            list_price,
                            floor_price,
                            approved,
                        },
                        p,
                    )
                },
            )
    }

    proptest! {

        #![proptest_config(crate::domain::proptest_config())]
        // The report counts marks under today's policy; `prices check` applies the rules to the line.
        // Both must find the same, for every line and every policy.
        #[test]
        fn marks_under_a_policy_are_exactly_the_breaches((line, p) in facts()) {
            let mut from_marks = Vec::new();
            line_marks(&line, |m| from_marks.extend(m.finding(&p)));
            from_marks.sort_by_key(|k| kind_rank(k));
            prop_assert_eq!(from_marks, kinds_under(&line, &p));
        }

        #[test]
        fn a_mark_reads_back_from_its_parts((line, _p) in facts()) {
            line_marks(&line, |m| assert_eq!(Mark::from_parts(m.name(), m.value()), Some(m)));
        }
    }

    fn kinds_under(l: &LineFacts, p: &Policy) -> Vec<&'static str> {
        line_breaches(l, p).into_iter().map(|b| b.kind).collect()
    }

    #[test]
    fn off_list_at_exactly_the_tolerance_is_not_a_mark_above_it() {
        let at = line(1, "100.5", "100.5");
        let mut found = Vec::new();
        line_marks(&at, |m| found.push(m));
        // 0.5 / 100 = 5000 millionths exactly: value 2 × 5000.
        assert!(found.contains(&Mark::OffList(100)));
        assert_eq!(Mark::OffList(100).finding(&policy()), None);
        assert_eq!(Mark::OffList(101).finding(&policy()), Some("off_list"));
        // A millionth above: still 50 whole steps, with a part step left over.
        let above = line(1, "100.5001", "100.5001");
        let mut found = Vec::new();
        line_marks(&above, |m| found.push(m));
        assert!(found.contains(&Mark::OffList(101)));
    }

    #[test]
    fn graded_ratios_are_whole_steps_and_a_remainder_bit() {
        // 15% = 1500 steps exactly; 15.0001% = 1500 steps and a part.
        assert_eq!(graded(15, 100), 3000);
        assert_eq!(graded(150_001, 1_000_000), 3001);
        assert_eq!(graded(1, 3), 2 * 3333 + 1);
        assert!(!graded_above(3000, Rate::from_millionths(150_000)));
        assert!(graded_above(3001, Rate::from_millionths(150_000)));
        assert!(judged_by_marks(&policy()));
        let mut fine = policy();
        fine.price_tolerance = Rate::from_millionths(1_250);
        assert!(!judged_by_marks(&fine));
    }
}
