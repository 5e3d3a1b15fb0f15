//! `customers regrade`: every customer's tier from its trailing window, under the policy.

use anyhow::Result;

use crate::context::Context;
use crate::domain::date::trailing_window_start;
use crate::domain::tier::grade;
use crate::output::money;
use crate::output::{int, s, Outcome, Records};
use crate::store::{self, customers::Event};

#[derive(clap::Args, Debug)]
pub struct RegradeArgs {
    /// Show the changes, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub(super) fn regrade(ctx: &Context, dry_run: bool) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let start = trailing_window_start(ctx.today, policy.tier_window_months);
    let tx = store::ledger::Ledger::begin(&mut db)?;
    let mut out = Records::new(&[
        "code",
        "name",
        "old_tier",
        "new_tier",
        "window_revenue",
        "window_orders",
    ]);
    for a in store::customers::window_activity(&tx, start, ctx.today)? {
        if a.tier_locked {
            continue;
        }
        let new = grade(&policy, a.net_revenue, a.orders);
        if new == a.tier {
            continue;
        }
        if !dry_run {
            tx.set_tier(&a.code, new)?;
            let note = format!(
                "regrade: {} net revenue, {} orders from {start}",
                a.net_revenue.to_report(),
                a.orders
            );
            let event = Event::tier_change(ctx.today.to_string(), note, a.tier, new);
            store::customers::add_event(&tx, &a.code, &event)?;
        }
        out.push(vec![
            s(a.code),
            s(a.name),
            s(a.tier.as_str()),
            s(new.as_str()),
            money(a.net_revenue),
            int(a.orders),
        ]);
    }
    if dry_run {
        tx.rollback()?;
        ctx.note(&format!(
            "dry run: {} tier changes, nothing written",
            out.len()
        ));
    } else {
        ctx.audit(
            &tx,
            &format!("customers regraded: {} tier changes", out.len()),
        )?;
        tx.commit()?;
    }
    Ok(Outcome::records(out))
}
