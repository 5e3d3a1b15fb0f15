//! `prices violations` and `prices resolve`: the violations ledger that `prices check` fills, the
//! action the escalation ladder suggests for each, and resolving them (a suspension suspends the rep).

use anyhow::Result;
use chrono::Duration;

use super::period_flag;
use crate::context::Context;
use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::output::Cell;
use crate::output::{amount, int, opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    prices::{Resolution, Violation, ViolationFilter},
};

#[derive(clap::Args, Debug)]
pub struct ViolationsArgs {
    /// Only violations with this status
    #[arg(long, value_parser = ["open", "resolved"])]
    pub status: Option<String>,
    /// The rep (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
    /// Violations dated in this period
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    /// The violation id (see `salesops prices violations`)
    #[arg(value_name = "VIOLATION_ID")]
    pub id: i64,
    /// How it is resolved: dismissed, a warning, a fine or a suspension
    #[arg(long, value_parser = ["dismiss", "warning", "fine", "suspend"])]
    pub action: String,
    /// The fine (default: policy violation.fine); only with --action fine
    #[arg(long, value_name = "MONEY")]
    pub amount: Option<String>,
    /// Days of suspension from today (default: policy violation.suspend_days); only with --action suspend
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// A note in free text
    #[arg(long)]
    pub note: Option<String>,
}

const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "order_id",
    "line_no",
    "sku",
    "rep",
    "region",
    "date",
    "detail",
    "status",
    "action",
    "suggested_action",
    "amount",
    "days",
    "note",
    "resolved_on",
];

/// Step k of the ladder, k = the rep's earlier confirmed violations in the window (the last step past
/// the end); none without a rep.
fn suggested(v: &Violation, policy: &Policy) -> Option<String> {
    v.rep.as_ref()?;
    let k = usize::try_from(v.prior_confirmed).unwrap_or(0);
    policy.ladder.get(k).or(policy.ladder.last()).cloned()
}

pub fn list(ctx: &Context, a: ViolationsArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let range = match a.period.as_deref() {
        Some(_) => {
            let p = period_flag(
                ctx,
                a.period.as_deref(),
                Period::range(ctx.today, ctx.today),
            )?;
            Some((p.start, p.end))
        }
        None => None,
    };
    let policy = ctx.policy(&db)?;
    let filter = ViolationFilter {
        id: None,
        status: a.status,
        // A rep no record has by code or name filters everything out, as it always did.
        rep: match a.rep {
            Some(r) => {
                Some(lookup::find(&db, Kind::Rep, &r)?.unwrap_or_else(|| r.trim().to_string()))
            }
            None => None,
        },
        range,
    };
    let mut out = Records::new(COLUMNS);
    for v in store::prices::violations(&db, &filter, policy.violation_window_days)? {
        let suggestion = suggested(&v, &policy);
        out.push(vec![
            int(v.id),
            s(v.kind),
            opt(v.order_id),
            v.line_no.map(int).unwrap_or(Cell::Null),
            opt(v.sku),
            opt(v.rep),
            opt(v.region),
            s(v.date),
            s(v.detail),
            s(v.status),
            opt(v.action),
            opt(suggestion),
            v.fine.map(amount).into(),
            v.days.map(int).into(),
            opt(v.note),
            opt(v.resolved_on),
        ]);
    }
    Ok(Outcome::records(out))
}

pub fn resolve(ctx: &Context, a: ResolveArgs) -> Result<Outcome> {
    if a.amount.is_some() && a.action != "fine" {
        crate::bail_usage!("--amount goes with --action fine");
    }
    if a.days.is_some() && a.action != "suspend" {
        crate::bail_usage!("--days goes with --action suspend");
    }
    if a.days == Some(0) {
        crate::bail_usage!("--days 0: a suspension lasts at least one day");
    }
    let amount = a
        .amount
        .as_deref()
        .map(|t| super::super::money_flag(t, "--amount"))
        .transpose()?;
    let note = ctx.require_text(a.note, "--note", "Note")?;
    let note = note.trim().to_string();
    if note.is_empty() {
        crate::bail_usage!("--note is empty: say why");
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let policy = ctx.policy(&tx)?;
    let filter = ViolationFilter {
        id: Some(a.id),
        ..ViolationFilter::default()
    };
    let Some(v) = store::prices::violations(&tx, &filter, policy.violation_window_days)?
        .into_iter()
        .next()
    else {
        crate::bail_input!("no violation {} (see `salesops prices violations`)", a.id);
    };
    if v.status != "open" {
        crate::bail_input!(
            "violation {} is already resolved ({}): nothing changed",
            v.id,
            v.action.as_deref().unwrap_or("resolved")
        );
    }
    let what = match (&v.order_id, v.line_no) {
        (Some(o), Some(l)) => format!("{} on {o}#{l}", v.kind),
        _ => format!("{} of {}", v.kind, v.sku.as_deref().unwrap_or("?")),
    };
    let mut fine = None;
    let mut days = None;
    let mut outcome = format!("violation {} resolved: {}", v.id, a.action);
    match a.action.as_str() {
        "fine" => {
            if v.rep.is_none() {
                crate::bail_input!(
                    "violation {} concerns no rep ({what}): there is nobody to fine",
                    v.id
                );
            }
            let f = amount.unwrap_or(policy.fine);
            outcome.push_str(&format!(" of {f}"));
            fine = Some(f);
        }
        "suspend" => {
            let Some(rep) = v.rep.as_deref() else {
                crate::bail_input!(
                    "violation {} concerns no rep ({what}): there is nobody to suspend",
                    v.id
                );
            };
            let n = a.days.unwrap_or(policy.suspend_days);
            if n == 0 {
                crate::bail_input!("policy violation.suspend_days is 0: give --days N");
            }
            let standing = store::reps::standing(&tx, rep)?;
            if standing.as_ref().is_some_and(|s| s.left_on.is_some()) {
                crate::bail_input!("rep {rep} has left the company: there is nobody to suspend");
            }
            let Some(until) = ctx
                .today
                .checked_add_signed(Duration::days(i64::from(n) - 1))
            else {
                crate::bail_usage!("--days {n}: the suspension would end past the calendar");
            };
            store::reps::suspend(
                &tx,
                rep,
                ctx.today,
                until,
                &format!("violation {}: {what}", v.id),
                Some(v.id),
            )?;
            outcome.push_str(&format!(
                "; rep {rep} suspended from {} through {until} ({n} days)",
                ctx.today
            ));
            days = Some(i64::from(n));
        }
        _ => {}
    }
    let resolution = Resolution {
        action: &a.action,
        fine,
        days,
        note: &note,
        on: ctx.today,
    };
    if !store::prices::resolve(&tx, v.id, &resolution)? {
        crate::bail_input!("violation {} is not open", v.id);
    }
    ctx.audit(&tx, &outcome)?;
    tx.commit()?;
    Ok(Outcome::text(outcome))
}
