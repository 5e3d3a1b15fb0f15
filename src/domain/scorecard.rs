//! The scorecard (考核评分; docs/scorecard.md): each indicator's value from a scope's figures, its score
//! 0–100 on a straight line between a zero point and a full point (clamped), the weighted total over
//! the indicators that have data, the grade and the rank. Exact integers throughout: a value is a
//! fraction, a score and a total are counted in tenths, a weight in hundredths.

use std::cmp::Ordering;

use super::decimal::{div_round_half_away, format_decimal, normalize_width, parse_scaled};
use super::money::Money;

/// The indicators, in the order of the spec's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    Achievement,
    Margin,
    Overdue,
    Violations,
    ResponseOnTime,
    Satisfaction,
    OnTimeDelivery,
    CampaignRoi,
    Qualitative,
}

/// What a value is counted in, which decides how it is written in policy and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A percentage: policy points carry `%`, the value shows one decimal.
    Pct,
    /// A whole count (violations).
    Count,
    /// A mean score 1–5 (satisfaction), two decimals.
    Mean,
    /// A manager's rating 0–100 (qualitative).
    Points,
}

impl Indicator {
    pub const ALL: [Indicator; 9] = [
        Indicator::Achievement,
        Indicator::Margin,
        Indicator::Overdue,
        Indicator::Violations,
        Indicator::ResponseOnTime,
        Indicator::Satisfaction,
        Indicator::OnTimeDelivery,
        Indicator::CampaignRoi,
        Indicator::Qualitative,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Indicator::Achievement => "achievement",
            Indicator::Margin => "margin",
            Indicator::Overdue => "overdue",
            Indicator::Violations => "violations",
            Indicator::ResponseOnTime => "response_on_time",
            Indicator::Satisfaction => "satisfaction",
            Indicator::OnTimeDelivery => "on_time_delivery",
            Indicator::CampaignRoi => "campaign_roi",
            Indicator::Qualitative => "qualitative",
        }
    }

    pub fn parse(name: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.name() == name)
    }

    pub fn unit(self) -> Unit {
        match self {
            Indicator::Violations => Unit::Count,
            Indicator::Satisfaction => Unit::Mean,
            Indicator::Qualitative => Unit::Points,
            _ => Unit::Pct,
        }
    }

    /// `WEIGHT,ZERO,FULL` as the spec's table gives it.
    pub const fn default_rule(self) -> &'static str {
        match self {
            Indicator::Achievement => "40,60%,120%",
            Indicator::Margin => "10,0%,30%",
            Indicator::Overdue => "10,30%,0%",
            Indicator::Violations => "10,5,0",
            Indicator::ResponseOnTime => "10,50%,100%",
            Indicator::Satisfaction => "10,3,5",
            Indicator::OnTimeDelivery => "5,70%,100%",
            Indicator::CampaignRoi => "5,-50%,100%",
            Indicator::Qualitative => "10,0,100",
        }
    }

    /// Whether a scope is scored on it: a rep has no carrier record and no campaigns of their own.
    pub fn applies_to(self, scope: Scope) -> bool {
        scope == Scope::Region
            || !matches!(self, Indicator::OnTimeDelivery | Indicator::CampaignRoi)
    }
}

/// Who is scored: a region or a rep, as for targets.
pub use super::target::Scope;

/// An indicator's weight and its zero and full points. Points are in ten-thousandths of the
/// indicator's unit (60% is 600_000; a satisfaction of 3 is 30_000), the weight in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub weight: i64,
    pub zero: i64,
    pub full: i64,
}

const POINT_SCALE: u32 = 4;
const WEIGHT_SCALE: u32 = 2;

/// A signed decimal with at most `scale` places, as an integer of that scale.
fn signed(text: &str, scale: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let v = i64::try_from(parse_scaled(digits, scale).ok()?).ok()?;
    // A point beyond a million of its unit is no point anyone means, and keeps the products in range.
    (v <= 1_000_000 * 10i64.pow(scale)).then_some(if negative { -v } else { v })
}

impl Rule {
    /// Read `WEIGHT,ZERO,FULL` for `ind`: a weight of 0 or more (up to 2 decimals), and two different
    /// points, written with `%` for a percentage indicator and without it for the others.
    pub fn parse(ind: Indicator, text: &str) -> Result<Rule, String> {
        let normalized = normalize_width(text);
        let parts: Vec<&str> = normalized.split(',').map(str::trim).collect();
        let [weight, zero, full] = parts.as_slice() else {
            return Err("three values WEIGHT,ZERO,FULL separated by commas".into());
        };
        if weight.starts_with('-') {
            return Err(format!("the weight \"{weight}\" is negative"));
        }
        let weight = signed(weight, WEIGHT_SCALE)
            .ok_or_else(|| format!("the weight \"{weight}\" is not a number of 0 or more"))?;
        let point = |p: &str, what: &str| -> Result<i64, String> {
            let (number, is_pct) = match p.strip_suffix('%') {
                Some(n) => (n.trim_end(), true),
                None => (p, false),
            };
            let wants_pct = ind.unit() == Unit::Pct;
            if is_pct != wants_pct {
                return Err(if wants_pct {
                    format!("the {what} point \"{p}\" must be a percentage such as 60% ({} is a percentage)", ind.name())
                } else {
                    format!(
                        "the {what} point \"{p}\" must be a plain number ({} is not a percentage)",
                        ind.name()
                    )
                });
            }
            signed(number, POINT_SCALE)
                .ok_or_else(|| format!("the {what} point \"{p}\" is not a number"))
        };
        let zero = point(zero, "zero")?;
        let full = point(full, "full")?;
        if zero == full {
            return Err("the zero and full points are the same".into());
        }
        Ok(Rule { weight, zero, full })
    }

    /// The canonical text: `40,60%,120%`.
    pub fn to_text(self, ind: Indicator) -> String {
        let pct = if ind.unit() == Unit::Pct { "%" } else { "" };
        format!(
            "{},{}{pct},{}{pct}",
            format_decimal(i128::from(self.weight), WEIGHT_SCALE, 0),
            format_decimal(i128::from(self.zero), POINT_SCALE, 0),
            format_decimal(i128::from(self.full), POINT_SCALE, 0)
        )
    }

    /// The score of `v` in tenths (0..=1000): 100 × (v − zero) / (full − zero), clamped, rounded
    /// half away from zero to one decimal.
    pub fn score(self, v: Value) -> i64 {
        let scale = 10i128.pow(POINT_SCALE);
        let num = (v.num * scale - i128::from(self.zero) * v.den) * 1000;
        let den = v.den * (i128::from(self.full) - i128::from(self.zero));
        div_round_half_away(num, den).clamp(0, 1000) as i64
    }
}

/// An exact value: `num / den` in the indicator's unit (a percentage counts in percent), den > 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub num: i128,
    pub den: i128,
}

impl Value {
    /// `100 × n / d` (a percentage), None on a zero base.
    pub fn pct(n: i64, d: i64) -> Option<Value> {
        Value::fraction(i128::from(n) * 100, i128::from(d))
    }

    pub fn count(n: i64) -> Value {
        Value {
            num: i128::from(n),
            den: 1,
        }
    }

    /// `sum / n` (a mean), None when there is nothing to average.
    pub fn mean(sum: i64, n: i64) -> Option<Value> {
        Value::fraction(i128::from(sum), i128::from(n))
    }

    fn fraction(num: i128, den: i128) -> Option<Value> {
        match den.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Value { num, den }),
            Ordering::Less => Some(Value {
                num: -num,
                den: -den,
            }),
        }
    }

    /// Rounded half away from zero to `decimals` places, as an integer of that scale.
    pub fn rounded(self, decimals: u32) -> i128 {
        div_round_half_away(self.num * 10i128.pow(decimals), self.den)
    }
}

/// What a scope did in the period, from the figures the product keeps (store::scorecard gathers
/// them). A field that cannot be known is None.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub net: Money,
    pub profit: Money,
    /// Counting orders in the period: `violations` has data only when there are some.
    pub orders: i64,
    pub target: Option<Money>,
    /// Outstanding and overdue receivables of its orders at the period's end.
    pub outstanding: Money,
    pub overdue: Money,
    pub violations: i64,
    pub responded: i64,
    pub responded_on_time: i64,
    pub scores: i64,
    pub score_sum: i64,
    /// Deliveries with a date, and those on time (regions only).
    pub delivered: i64,
    pub on_time: i64,
    /// Its campaigns' spend and the profit of their orders (regions only).
    pub campaign_spend: Money,
    pub campaign_profit: Money,
    pub rating: Option<i64>,
}

impl Inputs {
    /// The value of an indicator, None without data (no target, no tickets, no rating, a zero base…).
    pub fn value(&self, ind: Indicator) -> Option<Value> {
        let u = |m: Money| m.units();
        match ind {
            Indicator::Achievement => self
                .target
                .filter(|t| t.units() > 0)
                .and_then(|t| Value::pct(u(self.net), u(t))),
            Indicator::Margin => Value::pct(u(self.profit), u(self.net)),
            Indicator::Overdue => (self.outstanding.units() > 0)
                .then(|| Value::pct(u(self.overdue), u(self.outstanding)))
                .flatten(),
            Indicator::Violations => (self.orders > 0).then(|| Value::count(self.violations)),
            Indicator::ResponseOnTime => Value::pct(self.responded_on_time, self.responded),
            Indicator::Satisfaction => Value::mean(self.score_sum, self.scores),
            Indicator::OnTimeDelivery => Value::pct(self.on_time, self.delivered),
            Indicator::CampaignRoi => (self.campaign_spend.units() > 0)
                .then(|| {
                    Value::pct(
                        u(self.campaign_profit - self.campaign_spend),
                        u(self.campaign_spend),
                    )
                })
                .flatten(),
            Indicator::Qualitative => self.rating.map(Value::count),
        }
    }
}

/// One indicator of a scorecard: None value and score when it has no data (it is then left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub indicator: Indicator,
    pub value: Option<Value>,
    /// Tenths, 0..=1000.
    pub score: Option<i64>,
    /// Hundredths, as the policy gives it.
    pub weight: i64,
}

/// A scope's scorecard: its indicators, the total in tenths (None when no indicator with a weight
/// has data), its grade and rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub scope: Scope,
    pub code: String,
    pub name: String,
    pub indicators: Vec<Scored>,
    pub total: Option<i64>,
    pub grade: Option<char>,
    pub rank: Option<usize>,
}

/// Score every indicator that applies to `scope` under `rules` (in `Indicator::ALL` order).
pub fn card(scope: Scope, code: &str, name: &str, inputs: &Inputs, rules: &[Rule; 9]) -> Card {
    let indicators: Vec<Scored> = Indicator::ALL
        .iter()
        .zip(rules)
        .filter(|(ind, _)| ind.applies_to(scope))
        .map(|(&ind, rule)| {
            let value = inputs.value(ind);
            Scored {
                indicator: ind,
                value,
                score: value.map(|v| rule.score(v)),
                weight: rule.weight,
            }
        })
        .collect();
    let total = total(&indicators);
    Card {
        scope,
        code: code.to_string(),
        name: name.to_string(),
        indicators,
        total,
        grade: total.map(grade),
        rank: None,
    }
}

/// Σ weight × score / Σ weight over the indicators with data, in tenths, rounded half away from
/// zero; the scores are taken as shown (one decimal), so the total can be worked again from the page.
pub fn total(indicators: &[Scored]) -> Option<i64> {
    let (mut sum, mut weights) = (0i128, 0i128);
    for i in indicators {
        if let Some(s) = i.score {
            sum += i128::from(i.weight) * i128::from(s);
            weights += i128::from(i.weight);
        }
    }
    (weights > 0).then(|| div_round_half_away(sum, weights) as i64)
}

/// A ≥ 90, B ≥ 75, C ≥ 60, else D (a total in tenths).
pub fn grade(total: i64) -> char {
    match total {
        900.. => 'A',
        750.. => 'B',
        600.. => 'C',
        _ => 'D',
    }
}

/// The points an indicator cost the total, in hundredths: weight × (100 − score) / Σ weight over
/// the indicators with data. What "pulled it down" lists, the largest first.
pub fn lost(card: &Card) -> Vec<(Indicator, i64)> {
    let weights: i128 = card
        .indicators
        .iter()
        .filter(|i| i.score.is_some())
        .map(|i| i128::from(i.weight))
        .sum();
    if weights == 0 {
        return Vec::new();
    }
    let mut out: Vec<(Indicator, i64)> = card
        .indicators
        .iter()
        .filter_map(|i| {
            let s = i.score?;
            // weight × (1000 − s) tenths / Σ weight is tenths of a point; ×10 gives hundredths.
            let hundredths =
                div_round_half_away(i128::from(i.weight) * i128::from(1000 - s) * 10, weights);
            (hundredths > 0).then_some((i.indicator, hundredths as i64))
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Rank by total (highest first), ties by code; cards without a total come last, unranked, by code.
pub fn rank(cards: &mut [Card]) {
    cards.sort_by(|a, b| match (a.total, b.total) {
        (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.code.cmp(&b.code)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.code.cmp(&b.code),
    });
    for (i, c) in cards.iter_mut().enumerate() {
        c.rank = c.total.map(|_| i + 1);
    }
}

/// The rules of every indicator from the policy texts (`score.NAME`), in `Indicator::ALL` order.
pub fn rules(text_of: impl Fn(Indicator) -> String) -> Result<[Rule; 9], String> {
    let mut out = [Rule {
        weight: 0,
        zero: 0,
        full: 1,
    }; 9];
    for (slot, ind) in out.iter_mut().zip(Indicator::ALL) {
        *slot = Rule::parse(ind, &text_of(ind))
            .map_err(|e| format!("policy score.{}: {e}", ind.name()))?;
    }
    Ok(out)
}

/// The rating a manager gives (`scorecard rate --score`): a whole number 0 to 100.
pub fn parse_rating(text: &str) -> Result<i64, String> {
    let t = normalize_width(text);
    match t.trim().parse::<i64>() {
        Ok(n) if (0..=100).contains(&n) => Ok(n),
        _ => Err(format!(
            "--score \"{}\" is not a whole number from 0 to 100",
            text.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(ind: Indicator) -> Rule {
        Rule::parse(ind, ind.default_rule()).unwrap()
    }

    #[test]
    fn defaults_parse_and_print_back() {
        for ind in Indicator::ALL {
            let r = rule(ind);
            assert_eq!(r.to_text(ind), ind.default_rule());
        }
        assert_eq!(
            rule(Indicator::Achievement),
            Rule {
                weight: 4000,
                zero: 600_000,
                full: 1_200_000
            }
        );
        assert_eq!(rule(Indicator::CampaignRoi).zero, -500_000);
    }

    #[test]
    fn bad_rules_are_refused() {
        let a = Indicator::Achievement;
        assert!(Rule::parse(a, "40,60%").is_err());
        assert!(Rule::parse(a, "-1,60%,120%")
            .unwrap_err()
            .contains("negative"));
        assert!(Rule::parse(a, "x,60%,120%").is_err());
        assert!(Rule::parse(a, "40,60,120")
            .unwrap_err()
            .contains("percentage"));
        assert!(Rule::parse(a, "40,60%,60%").unwrap_err().contains("same"));
        assert!(Rule::parse(Indicator::Violations, "10,5%,0")
            .unwrap_err()
            .contains("plain number"));
        assert!(Rule::parse(a, "40,60.00001%,120%").is_err());
        assert_eq!(
            Rule::parse(a, " 7.5 , 50% ,１１０％").unwrap().to_text(a),
            "7.5,50%,110%"
        );
    }

    #[test]
    fn scores_are_linear_clamped_and_rounded() {
        let a = rule(Indicator::Achievement);
        // 60% → 0, 120% → 100, 90% → 50, beyond → clamped.
        assert_eq!(a.score(Value::pct(60, 100).unwrap()), 0);
        assert_eq!(a.score(Value::pct(120, 100).unwrap()), 1000);
        assert_eq!(a.score(Value::pct(90, 100).unwrap()), 500);
        assert_eq!(a.score(Value::pct(150, 100).unwrap()), 1000);
        assert_eq!(a.score(Value::pct(10, 100).unwrap()), 0);
        // 100/120 = 83.33…% → (83.33 − 60) / 60 = 38.88… → 38.9.
        assert_eq!(a.score(Value::pct(100, 120).unwrap()), 389);
        // A falling line: overdue 30% → 0, 0% → 100; 12% → 60.0.
        let o = rule(Indicator::Overdue);
        assert_eq!(o.score(Value::pct(12, 100).unwrap()), 600);
        assert_eq!(o.score(Value::pct(45, 100).unwrap()), 0);
        // Violations 5 → 0, 0 → 100: 2 → 60.0.
        let v = rule(Indicator::Violations);
        assert_eq!(v.score(Value::count(2)), 600);
        // Satisfaction 3 → 0, 5 → 100: mean 4.25 → 62.5.
        let s = rule(Indicator::Satisfaction);
        assert_eq!(s.score(Value::mean(17, 4).unwrap()), 625);
        // ROI −50% → 0, 100% → 100: 0% → 33.3.
        let r = rule(Indicator::CampaignRoi);
        assert_eq!(r.score(Value::pct(0, 1).unwrap()), 333);
        // Half a tenth rounds away from zero: 1/16 of the line is 6.25 → 6.3.
        let q = Rule {
            weight: 100,
            zero: 0,
            full: 160_000,
        };
        assert_eq!(q.score(Value::count(1)), 63);
    }

    fn scored(score: Option<i64>, weight: i64) -> Scored {
        Scored {
            indicator: Indicator::Margin,
            value: None,
            score,
            weight,
        }
    }

    #[test]
    fn totals_rescale_over_the_indicators_with_data() {
        // 40 × 50.0 + 10 × 100.0, with a 10-weight indicator left out: 3000 / 50 = 60.0.
        let t = total(&[
            scored(Some(500), 4000),
            scored(Some(1000), 1000),
            scored(None, 1000),
        ]);
        assert_eq!(t, Some(600));
        assert_eq!(total(&[scored(None, 1000)]), None);
        assert_eq!(total(&[scored(Some(500), 0)]), None);
        // (10 × 33.3 + 20 × 66.7) / 30 = 55.566… → 55.6.
        assert_eq!(
            total(&[scored(Some(333), 1000), scored(Some(667), 2000)]),
            Some(556)
        );
    }

    #[test]
    fn grades_at_their_edges() {
        assert_eq!(grade(1000), 'A');
        assert_eq!(grade(900), 'A');
        assert_eq!(grade(899), 'B');
        assert_eq!(grade(750), 'B');
        assert_eq!(grade(749), 'C');
        assert_eq!(grade(600), 'C');
        assert_eq!(grade(599), 'D');
        assert_eq!(grade(0), 'D');
    }

    #[test]
    fn ranks_by_total_then_code() {
        let c = |code: &str, total: Option<i64>| Card {
            scope: Scope::Region,
            code: code.into(),
            name: code.into(),
            indicators: Vec::new(),
            total,
            grade: total.map(grade),
            rank: None,
        };
        let mut cards = vec![
            c("B", Some(800)),
            c("Z", None),
            c("A", Some(800)),
            c("C", Some(900)),
        ];
        rank(&mut cards);
        let order: Vec<(&str, Option<usize>)> =
            cards.iter().map(|c| (c.code.as_str(), c.rank)).collect();
        assert_eq!(
            order,
            vec![("C", Some(1)), ("A", Some(2)), ("B", Some(3)), ("Z", None)]
        );
    }

    #[test]
    fn values_need_their_base() {
        let m = |t: &str| t.parse::<Money>().unwrap();
        let mut i = Inputs::default();
        assert_eq!(i.value(Indicator::Achievement), None);
        assert_eq!(i.value(Indicator::Margin), None);
        assert_eq!(i.value(Indicator::Violations), None);
        assert_eq!(i.value(Indicator::Overdue), None);
        i.orders = 1;
        i.net = m("900");
        i.profit = m("270");
        i.target = Some(m("1000"));
        assert_eq!(i.value(Indicator::Violations), Some(Value::count(0)));
        assert_eq!(i.value(Indicator::Achievement).unwrap().rounded(1), 900);
        assert_eq!(i.value(Indicator::Margin).unwrap().rounded(1), 300);
        i.campaign_spend = m("100");
        i.campaign_profit = m("150");
        assert_eq!(i.value(Indicator::CampaignRoi).unwrap().rounded(1), 500);
    }

    #[test]
    fn what_pulled_it_down() {
        let rules: [Rule; 9] = Indicator::ALL.map(rule);
        let inputs = Inputs {
            orders: 1,
            violations: 5,
            responded: 2,
            responded_on_time: 1,
            ..Inputs::default()
        };
        let c = card(Scope::Rep, "E01", "x", &inputs, &rules);
        // violations 0.0 (w 10), response 0.0 (w 10): each lost 50 of 100 points.
        assert_eq!(c.total, Some(0));
        assert_eq!(
            lost(&c),
            vec![
                (Indicator::Violations, 5000),
                (Indicator::ResponseOnTime, 5000)
            ]
        );
        assert_eq!(c.indicators.len(), 7);
    }

    #[test]
    fn ratings_are_whole_numbers_to_100() {
        assert_eq!(parse_rating("80"), Ok(80));
        assert_eq!(parse_rating("１００"), Ok(100));
        assert!(parse_rating("101").is_err());
        assert!(parse_rating("-1").is_err());
        assert!(parse_rating("85.5").is_err());
    }
}
