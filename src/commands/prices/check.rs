//! `prices check`: every line of the period's counting orders against the prices in force on its order
//! date, every region's average price of each SKU against the all-region average, and every market
//! observation against the floor. Findings go into the violations ledger once, keyed by what they are
//! about. The lines stream from one query; only findings and per-(SKU, region) sums are kept.

use std::collections::HashSet;

use anyhow::Result;

use super::period_flag;
use crate::context::Context;
use crate::domain::period::Period;
use crate::output::Cell;
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{self, prices::NewViolation};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The period of the order and observation dates (default: the last full month before today)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Only this region and its sub-regions (the all-region average still covers every region)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// Show the findings without recording them in the violations ledger
    #[arg(long)]
    pub no_record: bool,
    /// Also show findings already resolved in the ledger
    #[arg(long)]
    pub all: bool,
}

const COLUMNS: &[&str] = &[
    "kind", "subject", "detail", "order_id", "line_no", "sku", "rep", "region", "date",
];

pub fn check(ctx: &Context, a: CheckArgs) -> Result<Outcome> {
    let period = period_flag(
        ctx,
        a.period.as_deref(),
        Period::last_full_month_before(ctx.today),
    )?;
    let mut db = ctx.open()?;
    let scope = match &a.region {
        Some(code) => {
            let region = lookup::code(&db, Kind::Region, code)?;
            Some(
                store::regions::descendants(&db, &region)?
                    .into_iter()
                    .collect::<HashSet<_>>(),
            )
        }
        None => None,
    };
    let policy = ctx.policy(&db)?;
    let found = store::findings::collect(&db, &policy, &period, scope.as_ref())?;
    let mut recorded = 0;
    if !a.no_record && !found.is_empty() {
        // The reading is done: the write lock is held only for the ledger inserts.
        let tx = db.begin()?;
        for f in &found {
            let new = store::prices::record_violation(
                &tx,
                &NewViolation {
                    key: &f.key,
                    kind: f.kind,
                    order_id: f.order_id.as_deref(),
                    line_no: f.line_no,
                    sku: f.sku.as_deref(),
                    rep: f.rep.as_deref(),
                    region: f.region.as_deref(),
                    date: &f.date,
                    detail: &f.detail,
                },
            )?;
            if new {
                recorded += 1;
            }
        }
        if recorded > 0 {
            ctx.audit(
                &tx,
                &format!(
                    "prices check {}: {recorded} new violations recorded",
                    period.label()
                ),
            )?;
            tx.commit()?;
        }
    }
    let resolved: HashSet<String> = store::prices::resolved_in(&db, period.start, period.end)?
        .into_iter()
        .map(|r| r.key)
        .collect();
    let mut out = Records::new(COLUMNS);
    let mut hidden = 0;
    for f in found {
        if !a.all && resolved.contains(&f.key) {
            hidden += 1;
            continue;
        }
        out.push(vec![
            s(f.kind),
            s(f.subject),
            s(f.detail),
            opt(f.order_id),
            f.line_no.map(int).unwrap_or(Cell::Null),
            opt(f.sku),
            opt(f.rep),
            opt(f.region),
            s(f.date),
        ]);
    }
    let mut summary = format!(
        "prices check {}: {} {}",
        period.label(),
        out.len(),
        if out.len() == 1 {
            "finding"
        } else {
            "findings"
        }
    );
    if hidden > 0 {
        summary.push_str(&format!(", {hidden} resolved not shown (--all shows them)"));
    }
    if a.no_record {
        summary.push_str("; nothing recorded (--no-record)");
    } else {
        summary.push_str(&format!("; {recorded} new in the violations ledger"));
    }
    ctx.note(&summary);
    Ok(Outcome::findings(out))
}
