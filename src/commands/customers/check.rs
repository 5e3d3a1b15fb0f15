//! `customers check`: findings about owners, duplicates, coverage, the lead contact SLA and owners who
//! are no longer active.

use std::collections::BTreeMap;

use anyhow::Result;

use crate::context::Context;
use crate::domain::date::parse_date;
use crate::domain::rep::Rep;
use crate::domain::values::Tier;
use crate::output::{s, Outcome, Records};
use crate::store;

pub(super) fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let conn = &db;
    let policy = ctx.policy(conn)?;
    let customers = store::customers::list(conn)?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for l in &customers {
        let c = &l.customer;
        if c.tier != Tier::Normal && c.owner.is_none() {
            out.push(vec![
                s("no_owner"),
                s(&c.code),
                s(format!("{} customer without an owner", c.tier)),
            ]);
        }
    }
    let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (a, b, what, value) in store::customers::duplicate_pairs(conn)? {
        pairs
            .entry((a, b))
            .or_default()
            .push(format!("same {what} {value}"));
    }
    for ((a, b), reasons) in pairs {
        out.push(vec![
            s("duplicate"),
            s(format!("{a}, {b}")),
            s(reasons.join("; ")),
        ]);
    }
    for l in &customers {
        let c = &l.customer;
        if l.region.is_none() {
            let detail = match &l.area_name {
                Some(a) => format!("area {a} is in no region"),
                None => "no area".to_string(),
            };
            out.push(vec![s("uncovered"), s(&c.code), s(detail)]);
        }
    }
    for (code, created, first_contact) in store::customers::leads(conn)? {
        let Ok(created) = parse_date(&created) else {
            continue;
        };
        let due = policy
            .calendar
            .add_working_days(created, policy.lead_first_contact_days);
        let contacted_in_time = first_contact
            .as_deref()
            .and_then(|d| parse_date(d).ok())
            .is_some_and(|d| d <= due);
        if ctx.today > due && !contacted_in_time {
            out.push(vec![
                s("sla"),
                s(&code),
                s(format!(
                    "lead created {created}, first contact was due by {due}; none logged"
                )),
            ]);
        }
    }
    let mut owner_status: BTreeMap<String, Option<Rep>> = BTreeMap::new();
    for l in &customers {
        let c = &l.customer;
        let Some(owner) = &c.owner else { continue };
        if !owner_status.contains_key(owner) {
            let rep = store::reps::get(conn, owner, ctx.today)?;
            owner_status.insert(owner.clone(), rep);
        }
        if let Some(Some(rep)) = owner_status.get(owner) {
            let detail = match rep.status.as_str() {
                "left" => format!("owner {owner} has left"),
                "suspended" => format!(
                    "owner {owner} is suspended through {}",
                    rep.suspended_until.clone().unwrap_or_default()
                ),
                _ => continue,
            };
            out.push(vec![s("inactive_owner"), s(&c.code), s(detail)]);
        }
    }
    Ok(Outcome::findings(out))
}
