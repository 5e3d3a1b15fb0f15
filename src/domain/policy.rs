//! The company policy (docs/manual.md, "Policy keys"): every key with its default and the form its value must take,
//! and the typed `Policy` that commands read.

use super::calendar::Calendar;
use super::hours::{BusinessClock, DailyHours};
use super::money::Money;
use super::rate::Rate;
use super::scorecard::{Indicator, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Rate,
    Money,
    Count,
    Dates,
    Bands,
    Ladder,
    Hours,
    Shortage,
    Code,
    /// A scorecard indicator's `WEIGHT,ZERO,FULL` (domain::scorecard).
    Score,
}

impl Form {
    fn describe(self) -> &'static str {
        match self {
            Form::Rate => "a percentage such as 10% or 0.1 (at most 100%)",
            Form::Money => "an amount such as 500 or 1234.50",
            Form::Count => "a whole number of 0 or more",
            Form::Dates => {
                "dates or inclusive ranges separated by ';' such as 2026-10-01..2026-10-07;2026-10-11 (or empty)"
            }
            Form::Hours => "business hours HH:MM-HH:MM such as 09:00-18:00",
            Form::Bands => "three descending percentages such as 120%,100%,80%",
            Form::Shortage => "allow or refuse",
            Form::Code => "a warehouse code (or empty for none)",
            Form::Score => "WEIGHT,ZERO,FULL such as 40,60%,120%",
            Form::Ladder => {
                "actions from warning, fine, suspend separated by ',' such as warning,fine,suspend"
            }
        }
    }
}

/// What an order beyond the stock available gets when it is confirmed (`stock.shortage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortage {
    /// Recorded, with a warning.
    Allow,
    /// Refused.
    Refuse,
}

impl std::str::FromStr for Shortage {
    type Err = String;
    fn from_str(text: &str) -> Result<Shortage, String> {
        match text {
            "allow" => Ok(Shortage::Allow),
            "refuse" => Ok(Shortage::Refuse),
            _ => Err(format!("\"{text}\" is not allow or refuse")),
        }
    }
}

/// Every key, its default, and its form.
const KEYS: &[(&str, &str, Form)] = &[
    ("discount.approval_above", "10%", Form::Rate),
    ("discount.max", "30%", Form::Rate),
    ("price.tolerance", "0.5%", Form::Rate),
    ("price.regional_spread", "15%", Form::Rate),
    ("tier.window_months", "12", Form::Count),
    ("tier.key.revenue", "100000", Form::Money),
    ("tier.key.orders", "24", Form::Count),
    ("tier.important.revenue", "20000", Form::Money),
    ("tier.important.orders", "6", Form::Count),
    ("lead.first_contact_days", "2", Form::Count),
    ("calendar.holidays", "", Form::Dates),
    ("calendar.workdays", "", Form::Dates),
    ("payment.terms_days", "30", Form::Count),
    ("target.bands", "120%,100%,80%", Form::Bands),
    ("violation.window_days", "90", Form::Count),
    ("violation.ladder", "warning,fine,suspend", Form::Ladder),
    ("violation.fine", "500", Form::Money),
    ("violation.suspend_days", "30", Form::Count),
    // After-sales service: the business hours its clock runs in, and the hours to respond and resolve.
    ("calendar.hours", "09:00-18:00", Form::Hours),
    ("service.response_hours", "4", Form::Count),
    ("service.resolve_hours", "24", Form::Count),
    ("service.complaint_resolve_hours", "16", Form::Count),
    // Carriers: the delivery promise a carrier gets unless it has its own, when a shipment is stuck,
    // and the on-time share a carrier must keep.
    ("logistics.promise_days", "3", Form::Count),
    ("logistics.stuck_days", "7", Form::Count),
    ("logistics.min_on_time", "90%", Form::Rate),
    ("stock.shortage", "allow", Form::Shortage),
    ("stock.default_warehouse", "", Form::Code),
    // The scorecard: each indicator's weight, and the values that score 0 and 100.
    (
        "score.achievement",
        Indicator::Achievement.default_rule(),
        Form::Score,
    ),
    (
        "score.margin",
        Indicator::Margin.default_rule(),
        Form::Score,
    ),
    (
        "score.overdue",
        Indicator::Overdue.default_rule(),
        Form::Score,
    ),
    (
        "score.violations",
        Indicator::Violations.default_rule(),
        Form::Score,
    ),
    (
        "score.response_on_time",
        Indicator::ResponseOnTime.default_rule(),
        Form::Score,
    ),
    (
        "score.satisfaction",
        Indicator::Satisfaction.default_rule(),
        Form::Score,
    ),
    (
        "score.on_time_delivery",
        Indicator::OnTimeDelivery.default_rule(),
        Form::Score,
    ),
    (
        "score.campaign_roi",
        Indicator::CampaignRoi.default_rule(),
        Form::Score,
    ),
    (
        "score.qualitative",
        Indicator::Qualitative.default_rule(),
        Form::Score,
    ),
];

/// All keys with their defaults, in the order of the spec.
pub fn keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    KEYS.iter().map(|(k, d, _)| (*k, *d))
}

/// Check a value for a key; returns the value as it will be stored (trimmed).
pub fn validate(key: &str, value: &str) -> Result<String, String> {
    let Some((_, _, form)) = KEYS.iter().find(|(k, _, _)| *k == key) else {
        if let Some(name) = key.strip_prefix("score.") {
            let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.name()).collect();
            return Err(format!(
                "unknown scorecard indicator \"{name}\"; the indicators are: {}",
                names.join(", ")
            ));
        }
        let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
        return Err(format!(
            "unknown policy key \"{key}\"; the keys are: {}",
            known.join(", ")
        ));
    };
    let value = value.trim();
    // The value is stored in its canonical form (¥150,000 → 150000.00; 0.12 → 12%).
    let canonical = match form {
        Form::Rate => value
            .parse::<Rate>()
            .ok()
            .filter(|r| *r <= Rate::ONE)
            .map(|r| r.to_string()),
        Form::Money => value
            .parse::<Money>()
            .ok()
            .filter(|m| !m.is_negative())
            .map(|m| {
                // Whole amounts read as the defaults do: 500, not 500.00.
                let text = m.to_string();
                text.strip_suffix(".00").map(str::to_string).unwrap_or(text)
            }),
        Form::Count => value.parse::<u32>().ok().map(|n| n.to_string()),
        Form::Dates => Calendar::canonical_dates(value).ok(),
        Form::Hours => DailyHours::parse(value).ok().map(|h| h.to_string()),
        Form::Bands => parse_bands(value)
            .ok()
            .map(|b| b.map(|r| r.to_string()).join(",")),
        Form::Ladder => parse_ladder(value).ok().map(|l| l.join(",")),
        Form::Shortage => value.parse::<Shortage>().ok().map(|_| value.to_string()),
        Form::Code => super::text::code(value, "warehouse code")
            .ok()
            .or_else(|| value.is_empty().then(String::new)),
        Form::Score => {
            // The indicator's own complaint says more than the generic form.
            let ind = key
                .strip_prefix("score.")
                .and_then(Indicator::parse)
                .ok_or_else(|| format!("unknown policy key \"{key}\""))?;
            let rule = Rule::parse(ind, value).map_err(|e| {
                format!(
                    "\"{value}\" is not a valid {key}: expected {}; {e}",
                    form.describe()
                )
            })?;
            Some(rule.to_text(ind))
        }
    };
    if let Some(v) = canonical {
        Ok(v)
    } else {
        Err(format!(
            "\"{value}\" is not a valid {key}: expected {}",
            form.describe()
        ))
    }
}

fn parse_bands(value: &str) -> Result<[Rate; 3], String> {
    let parts: Vec<Rate> = value
        .split(',')
        .map(|p| p.trim().parse::<Rate>())
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [a, b, c] if a >= b && b >= c => Ok([*a, *b, *c]),
        _ => Err("three descending percentages".into()),
    }
}

fn parse_ladder(value: &str) -> Result<Vec<String>, String> {
    let steps: Vec<String> = value.split(',').map(|s| s.trim().to_string()).collect();
    if steps.is_empty()
        || steps
            .iter()
            .any(|s| !matches!(s.as_str(), "warning" | "fine" | "suspend"))
    {
        return Err("actions".into());
    }
    Ok(steps)
}

/// The policy in force, typed. Built from stored values over the defaults.
#[derive(Debug, Clone)]
pub struct Policy {
    pub approval_above: Rate,
    pub max_discount: Rate,
    pub price_tolerance: Rate,
    pub regional_spread: Rate,
    pub tier_window_months: u32,
    pub key_revenue: Money,
    pub key_orders: u32,
    pub important_revenue: Money,
    pub important_orders: u32,
    pub lead_first_contact_days: u32,
    pub calendar: Calendar,
    pub terms_days: u32,
    /// excellent, achieved, warning limits.
    pub bands: [Rate; 3],
    pub violation_window_days: u32,
    pub ladder: Vec<String>,
    pub fine: Money,
    pub suspend_days: u32,
    pub service: ServiceTimes,
    pub promise_days: u32,
    pub stuck_days: u32,
    pub min_on_time: Rate,
    /// What an order beyond available stock gets when it is confirmed.
    pub shortage: Shortage,
    /// The warehouse of orders whose region no warehouse serves.
    pub default_warehouse: Option<String>,
    /// The scorecard's rule of each indicator, in `Indicator::ALL` order.
    pub scores: [Rule; 9],
}

/// The service level: business hours and the business hours allowed to respond and to resolve.
#[derive(Debug, Clone)]
pub struct ServiceTimes {
    pub hours: DailyHours,
    pub response_hours: u32,
    pub resolve_hours: u32,
    pub complaint_resolve_hours: u32,
}

impl Policy {
    /// `stored` holds the keys set by `policy set`; every other key takes its default.
    pub fn from_values(stored: &[(String, String)]) -> Result<Policy, String> {
        let get = |key: &str| -> String {
            stored
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    KEYS.iter()
                        .find(|(k, _, _)| *k == key)
                        .map(|(_, d, _)| d.to_string())
                })
                .unwrap_or_default()
        };
        let rate = |key: &str| {
            get(key)
                .parse::<Rate>()
                .map_err(|e| format!("policy {key}: {e}"))
        };
        let money = |key: &str| {
            get(key)
                .parse::<Money>()
                .map_err(|e| format!("policy {key}: {e}"))
        };
        let count = |key: &str| {
            get(key)
                .parse::<u32>()
                .map_err(|e| format!("policy {key}: {e}"))
        };
        let dates =
            |key: &str| Calendar::parse_dates(&get(key)).map_err(|e| format!("policy {key}: {e}"));
        Ok(Policy {
            approval_above: rate("discount.approval_above")?,
            max_discount: rate("discount.max")?,
            price_tolerance: rate("price.tolerance")?,
            regional_spread: rate("price.regional_spread")?,
            tier_window_months: count("tier.window_months")?,
            key_revenue: money("tier.key.revenue")?,
            key_orders: count("tier.key.orders")?,
            important_revenue: money("tier.important.revenue")?,
            important_orders: count("tier.important.orders")?,
            lead_first_contact_days: count("lead.first_contact_days")?,
            calendar: Calendar {
                holidays: dates("calendar.holidays")?,
                workdays: dates("calendar.workdays")?,
            },
            terms_days: count("payment.terms_days")?,
            bands: parse_bands(&get("target.bands"))
                .map_err(|e| format!("policy target.bands: {e}"))?,
            violation_window_days: count("violation.window_days")?,
            ladder: parse_ladder(&get("violation.ladder"))
                .map_err(|e| format!("policy violation.ladder: {e}"))?,
            fine: money("violation.fine")?,
            suspend_days: count("violation.suspend_days")?,
            service: ServiceTimes {
                hours: DailyHours::parse(&get("calendar.hours"))
                    .map_err(|e| format!("policy calendar.hours: {e}"))?,
                response_hours: count("service.response_hours")?,
                resolve_hours: count("service.resolve_hours")?,
                complaint_resolve_hours: count("service.complaint_resolve_hours")?,
            },
            promise_days: count("logistics.promise_days")?,
            stuck_days: count("logistics.stuck_days")?,
            min_on_time: rate("logistics.min_on_time")?,
            shortage: get("stock.shortage")
                .parse::<Shortage>()
                .map_err(|e| format!("policy stock.shortage: {e}"))?,
            default_warehouse: Some(get("stock.default_warehouse")).filter(|w| !w.is_empty()),
            scores: super::scorecard::rules(|ind| get(&format!("score.{}", ind.name())))?,
        })
    }

    /// The clock service times run on: business hours on the working days of the calendar.
    pub fn clock(&self) -> BusinessClock {
        BusinessClock {
            calendar: self.calendar.clone(),
            hours: self.service.hours,
        }
    }

    /// The band of an achievement ratio (actual / target), from the unrounded ratio.
    pub fn band(&self, actual: Money, target: Money) -> Option<&'static str> {
        if target.units() <= 0 {
            return None;
        }
        // actual/target ≥ limit  ⇔  actual × 1e6 ≥ limit_millionths × target, exact in i128.
        let reached = |limit: Rate| {
            (actual.units() as i128) * 1_000_000
                >= (limit.millionths() as i128) * (target.units() as i128)
        };
        Some(if reached(self.bands[0]) {
            "excellent"
        } else if reached(self.bands[1]) {
            "achieved"
        } else if reached(self.bands[2]) {
            "warning"
        } else {
            "under"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_make_a_policy() {
        let p = Policy::from_values(&[]).unwrap();
        assert_eq!(p.approval_above, "10%".parse().unwrap());
        assert_eq!(p.key_orders, 24);
        assert_eq!(p.ladder, vec!["warning", "fine", "suspend"]);
    }

    #[test]
    fn validation_names_the_expected_form() {
        assert!(validate("discount.approval_above", "12%").is_ok());
        let err = validate("discount.approval_above", "12").unwrap_err();
        assert!(err.contains("percentage"), "{err}");
        assert!(validate("no.such", "1")
            .unwrap_err()
            .contains("unknown policy key"));
        assert!(validate("target.bands", "120%,100%,80%").is_ok());
        assert!(validate("target.bands", "80%,100%,120%").is_err());
        assert!(validate("violation.ladder", "warning,fine").is_ok());
        assert!(validate("violation.ladder", "warning,jail").is_err());
        assert!(validate("calendar.holidays", "2026-10-01;2026-10-02").is_ok());
        assert!(validate("calendar.holidays", "2026-13-01").is_err());
        assert_eq!(
            validate("calendar.holidays", " 2026-10-01..2026-10-07 ;2026-10-11"),
            Ok("2026-10-01..2026-10-07;2026-10-11".into())
        );
        assert!(validate("calendar.holidays", "2026-10-07..2026-10-01").is_err());
        assert_eq!(
            validate("calendar.hours", "8:30-17:30"),
            Ok("08:30-17:30".into())
        );
        assert!(validate("calendar.hours", "18:00-09:00").is_err());
        assert!(validate("service.response_hours", "4.5").is_err());
        assert_eq!(
            validate("score.margin", "20, 5%, 25%"),
            Ok("20,5%,25%".into())
        );
        assert!(validate("score.speed", "1,2,3")
            .unwrap_err()
            .contains("unknown scorecard indicator"));
        assert!(validate("score.margin", "-1,0%,30%")
            .unwrap_err()
            .contains("negative"));
    }

    #[test]
    fn bands_are_reached_at_equality() {
        let p = Policy::from_values(&[]).unwrap();
        let m = |s: &str| s.parse::<Money>().unwrap();
        assert_eq!(p.band(m("120"), m("100")), Some("excellent"));
        assert_eq!(p.band(m("100"), m("100")), Some("achieved"));
        assert_eq!(p.band(m("99.99"), m("100")), Some("warning"));
        assert_eq!(p.band(m("79.99"), m("100")), Some("under"));
        assert_eq!(p.band(m("1"), m("0")), None);
    }
}
