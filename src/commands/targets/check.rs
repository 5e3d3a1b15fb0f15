//! `targets check`: parts that do not add up to their whole, and scopes with no target.

use super::describe;
use crate::context::Context;
use crate::domain::decimal::format_decimal;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::output::{s, Outcome, Records};
use crate::store;
use crate::store::targets::{Scope, Target};
use anyhow::Result;

pub(super) fn is_month_label(p: &str) -> bool {
    p.len() == 7 && !p.contains('Q')
}

pub(super) fn is_quarter_label(p: &str) -> bool {
    p.len() == 7 && p.contains('Q')
}

/// The three measures of a target as comparable integers (money in 1e-4 units) with their names.
pub(super) fn measure_values(t: &Target) -> [(&'static str, Option<i64>, bool); 3] {
    [
        ("revenue", t.revenue.map(Money::units), true),
        ("quantity", t.quantity, false),
        ("profit", t.profit.map(Money::units), true),
    ]
}

/// A measure as stored values are shown; a sum of parts is exact however large (i128).
pub(super) fn show_measure(v: i128, money: bool) -> String {
    if money {
        format_decimal(v, 4, 2)
    } else {
        v.to_string()
    }
}

/// Per measure set on `whole` and on any of `parts`: (measure, parts' sum, whole) when they differ.
pub(super) fn mismatches(whole: &Target, parts: &[&Target]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (name, value, money)) in measure_values(whole).into_iter().enumerate() {
        let Some(value) = value else { continue };
        let given: Vec<i64> = parts
            .iter()
            .filter_map(|p| measure_values(p)[i].1)
            .collect();
        if given.is_empty() {
            continue;
        }
        // Parts are summed exactly: many parts near the largest target must not wrap.
        let sum: i128 = given.iter().map(|&v| i128::from(v)).sum();
        let value = i128::from(value);
        if sum != value {
            out.push(format!(
                "{name}: the parts add up to {}, the whole is {}",
                show_measure(sum, money),
                show_measure(value, money)
            ));
        }
    }
    out
}

pub(super) fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let targets = store::targets::all(&db)?;
    let reps = store::reps::list(&db, ctx.today)?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    let mut finding = |kind: &str, subject: String, detail: String| {
        out.push(vec![s(kind), s(subject), s(detail)]);
    };
    for year in targets.iter().filter(|t| t.period.len() == 4) {
        let same = |t: &&Target| t.scope == year.scope && t.code == year.code;
        let prefix = format!("{}-", year.period);
        let months: Vec<&Target> = targets
            .iter()
            .filter(same)
            .filter(|t| is_month_label(&t.period) && t.period.starts_with(&prefix))
            .collect();
        let quarters: Vec<&Target> = targets
            .iter()
            .filter(same)
            .filter(|t| is_quarter_label(&t.period) && t.period.starts_with(&prefix))
            .collect();
        let subject = describe(year.scope, &year.code, &year.period);
        for d in mismatches(year, &months) {
            finding(
                "months_mismatch",
                subject.clone(),
                format!("{d} ({} of 12 months set)", months.len()),
            );
        }
        for d in mismatches(year, &quarters) {
            finding(
                "quarters_mismatch",
                subject.clone(),
                format!("{d} ({} of 4 quarters set)", quarters.len()),
            );
        }
    }
    // A quarter's months must add up to the quarter too.
    for quarter in targets.iter().filter(|t| is_quarter_label(&t.period)) {
        let Ok(q) = Period::parse(&quarter.period, ctx.today) else {
            continue;
        };
        let months: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                t.scope == quarter.scope && t.code == quarter.code && is_month_label(&t.period)
            })
            .filter(|t| q.months().iter().any(|m| m.label() == t.period))
            .collect();
        for d in mismatches(quarter, &months) {
            finding(
                "months_mismatch",
                describe(quarter.scope, &quarter.code, &quarter.period),
                format!("{d} ({} of 3 months set)", months.len()),
            );
        }
    }
    for region in targets.iter().filter(|t| t.scope == Scope::Region) {
        let parts: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                t.scope == Scope::Rep
                    && t.period == region.period
                    && reps
                        .iter()
                        .any(|r| r.code == t.code && r.region == region.code)
            })
            .collect();
        let names: Vec<&str> = parts.iter().map(|t| t.code.as_str()).collect();
        for d in mismatches(region, &parts) {
            finding(
                "reps_mismatch",
                describe(region.scope, &region.code, &region.period),
                format!("{d} (reps {})", names.join(", ")),
            );
        }
    }
    let year = ctx.today.format("%Y").to_string();
    let has_target = |scope: Scope, code: &str| {
        targets
            .iter()
            .any(|t| t.scope == scope && t.code == code && t.start.starts_with(&year))
    };
    for (code, _) in store::regions::names(&db)? {
        if !has_target(Scope::Region, &code) {
            finding(
                "missing",
                format!("region {code}"),
                format!("no target in {year}"),
            );
        }
    }
    for r in reps.iter().filter(|r| r.status == "active") {
        if !has_target(Scope::Rep, &r.code) {
            finding(
                "missing",
                format!("rep {}", r.code),
                format!("no target in {year}"),
            );
        }
    }
    Ok(Outcome::findings(out))
}
