//! `targets progress`: target against actual net revenue, with projection, band and rank.

use super::ProgressBy;
use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::target::{achievement_ranks, needed_per_day, projected, ranked_first};
use crate::output::money;
use crate::output::Cell;
use crate::output::Lang;
use crate::output::{int, opt, pct, s, Document, Outcome, Records, Section};
use crate::store;
use crate::store::targets::{Measures, Scope, Target};
use anyhow::Result;

use super::check::is_month_label;

/// A period's target per measure: the exact target set for it, else the sum of the month targets
/// inside it (None when neither has the measure).
pub(super) fn period_target(
    targets: &[Target],
    scope: Scope,
    code: &str,
    period: &Period,
) -> Measures {
    let mine: Vec<&Target> = targets
        .iter()
        .filter(|t| t.scope == scope && t.code == code)
        .collect();
    let exact = period
        .is_calendar_unit()
        .then(|| mine.iter().find(|t| t.period == period.label()))
        .flatten();
    let (start, end) = (period.start.to_string(), period.end.to_string());
    let months: Vec<&&Target> = mine
        .iter()
        .filter(|t| is_month_label(&t.period) && t.start >= start && t.end <= end)
        .collect();
    fn sum<T: Copy + std::iter::Sum<T>>(values: impl Iterator<Item = Option<T>>) -> Option<T> {
        let given: Vec<T> = values.flatten().collect();
        (!given.is_empty()).then(|| given.into_iter().sum())
    }
    Measures {
        revenue: exact
            .and_then(|t| t.revenue)
            .or_else(|| sum(months.iter().map(|t| t.revenue))),
        quantity: exact
            .and_then(|t| t.quantity)
            .or_else(|| sum(months.iter().map(|t| t.quantity))),
        profit: exact
            .and_then(|t| t.profit)
            .or_else(|| sum(months.iter().map(|t| t.profit))),
    }
}

pub(super) struct ProgressRow {
    scope: Scope,
    code: String,
    name: String,
    target: Measures,
    actual: store::targets::Actual,
    band: Option<&'static str>,
    rank: Option<i64>,
}

pub(super) const PROGRESS_COLUMNS: &[&str] = &[
    "scope",
    "code",
    "name",
    "period",
    "target_revenue",
    "net_revenue",
    "achievement_pct",
    "gap",
    "projected",
    "needed_per_day",
    "target_quantity",
    "quantity",
    "target_profit",
    "profit",
    "band",
    "rank",
];

pub(super) fn progress(ctx: &Context, period: Option<String>, by: ProgressBy) -> Result<Outcome> {
    let period = Period::parse(period.as_deref().unwrap_or("this-year"), ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let targets = store::targets::all(&db)?;
    let scopes: Vec<(Scope, String, String)> = match by {
        ProgressBy::Region => store::regions::names(&db)?
            .into_iter()
            .map(|(c, n)| (Scope::Region, c, n))
            .collect(),
        // Reps who left are shown only while they still have a target in the period.
        ProgressBy::Rep => store::reps::list(&db, ctx.today)?
            .into_iter()
            .filter(|r| {
                r.status != "left"
                    || period_target(&targets, Scope::Rep, &r.code, &period) != Measures::default()
            })
            .map(|r| (Scope::Rep, r.code, r.name))
            .collect(),
    };
    let scope_kind = match by {
        ProgressBy::Region => Scope::Region,
        ProgressBy::Rep => Scope::Rep,
    };
    let actuals = store::targets::actuals(&db, scope_kind, &period)?;
    let mut rows = Vec::with_capacity(scopes.len());
    for (scope, code, name) in scopes {
        let target = period_target(&targets, scope, &code, &period);
        let actual = actuals.get(&code).copied().unwrap_or_default();
        let band = target
            .revenue
            .and_then(|t| policy.band(actual.net_revenue, t));
        rows.push(ProgressRow {
            scope,
            code,
            name,
            target,
            actual,
            band,
            rank: None,
        });
    }
    // Rank by the exact achievement ratio, highest first, ties by code; only scopes with a target.
    let entries: Vec<(&str, Money, Option<Money>)> = rows
        .iter()
        .map(|r| (r.code.as_str(), r.actual.net_revenue, r.target.revenue))
        .collect();
    let ranks = achievement_ranks(&entries);
    for (r, rank) in rows.iter_mut().zip(ranks) {
        r.rank = rank.map(|n| n as i64);
    }
    // Ranked scopes first in rank order, then the others by code: who is behind shows at the bottom.
    rows.sort_by(|a, b| ranked_first(a.rank, b.rank, || a.code.cmp(&b.code)));

    let report = |m: Money| money(m);
    let mut full = Records::new(PROGRESS_COLUMNS);
    for r in &rows {
        let target = r.target.revenue;
        let actual = r.actual.net_revenue;
        let gap = target.map(|t| t - actual);
        full.push(vec![
            s(r.scope.as_str()),
            s(r.code.clone()),
            s(r.name.clone()),
            s(period.label()),
            target.map(report).unwrap_or(Cell::Null),
            report(actual),
            pct(target.and_then(|t| actual.pct_of(t))),
            gap.map(report).unwrap_or(Cell::Null),
            projected(actual, &period, ctx.today)
                .map(report)
                .unwrap_or(Cell::Null),
            gap.and_then(|g| needed_per_day(g, &period, ctx.today))
                .map(report)
                .unwrap_or(Cell::Null),
            r.target.quantity.map(int).unwrap_or(Cell::Null),
            r.target
                .quantity
                .map(|_| int(r.actual.quantity))
                .unwrap_or(Cell::Null),
            r.target.profit.map(report).unwrap_or(Cell::Null),
            r.target
                .profit
                .map(|_| report(r.actual.profit))
                .unwrap_or(Cell::Null),
            opt(r.band),
            r.rank.map(int).unwrap_or(Cell::Null),
        ]);
    }
    // The table leaves out what is the same on every row, and quantity and profit when no
    // scope has a target for them.
    let any = |col: &str| {
        let i = PROGRESS_COLUMNS.iter().position(|c| *c == col).unwrap_or(0);
        full.rows.iter().any(|r| !r[i].is_null())
    };
    let shown: Vec<&str> = PROGRESS_COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "scope" | "period"))
        .filter(|c| !matches!(*c, "projected" | "needed_per_day") || any(c))
        .filter(|c| !matches!(*c, "target_quantity" | "quantity") || any("target_quantity"))
        .filter(|c| !matches!(*c, "target_profit" | "profit") || any("target_profit"))
        .collect();
    let zh = ctx.lang == Lang::Zh;
    let (title, section) = match (by, zh) {
        (ProgressBy::Region, false) => (
            format!("Target progress {}, by region", period.label()),
            "Regions",
        ),
        (ProgressBy::Rep, false) => (
            format!("Target progress {}, by rep", period.label()),
            "Reps",
        ),
        (ProgressBy::Region, true) => (format!("目标达成 {}（按大区）", period.label()), "大区"),
        (ProgressBy::Rep, true) => (format!("目标达成 {}（按销售）", period.label()), "销售"),
    };
    Ok(Outcome::document(Document {
        title: format!("{title}, as of {}", ctx.today),
        json: full.to_json(),
        sections: vec![Section {
            bar_column: Some("achievement_pct".into()),
            shown: Some(shown.iter().map(|c| c.to_string()).collect()),
            ..Section::new("progress", section, full)
        }],
        html: None,
    }))
}
