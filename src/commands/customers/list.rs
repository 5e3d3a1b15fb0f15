//! `customers list|show|export`: customers with their area names, filtered; one customer in full.

use std::collections::BTreeSet;

use anyhow::Result;

use super::COLUMNS;
use crate::context::Context;
use crate::domain::values::{CustomerStatus, Tier};
use crate::output::Cell;
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{self, customers::Listed};

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// normal, important or key
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
    /// Customers whose area lies in this region or one of its sub-regions
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep who owns the customer (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub owner: Option<String>,
    /// lead, active or inactive
    #[arg(long, value_enum)]
    pub status: Option<CustomerStatus>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The customer's code
    pub code: String,
}

fn customer_row(l: Listed) -> Vec<Cell> {
    let c = l.customer;
    vec![
        s(c.code),
        s(c.name),
        opt(l.area_name.or(c.area)),
        opt(c.city),
        opt(c.company),
        opt(c.phone),
        opt(c.email),
        s(c.channel.as_str()),
        opt(c.segment),
        opt(c.owner),
        s(c.tier.as_str()),
        s(c.status.as_str()),
        c.terms_days.map(int).unwrap_or(Cell::Null),
        s(c.created),
        opt(c.campaign),
    ]
}

pub(super) fn list(ctx: &Context, f: &ListArgs) -> Result<Records> {
    let db = ctx.open()?;
    let regions: Option<BTreeSet<String>> = match &f.region {
        Some(r) => {
            let r = lookup::code(&db, Kind::Region, r)?;
            Some(store::regions::descendants(&db, &r)?.into_iter().collect())
        }
        None => None,
    };
    // An owner no rep has by code or name filters everything out, as it always did.
    let owner = match &f.owner {
        Some(o) => Some(lookup::find(&db, Kind::Rep, o)?.unwrap_or_else(|| o.clone())),
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for l in store::customers::list(&db)? {
        let c = &l.customer;
        let keep = f.tier.is_none_or(|t| t == c.tier)
            && f.status.is_none_or(|st| st == c.status)
            && owner.as_ref().is_none_or(|o| Some(o) == c.owner.as_ref())
            && regions
                .as_ref()
                .is_none_or(|rs| l.region.as_ref().is_some_and(|r| rs.contains(r)));
        if keep {
            out.push(customer_row(l));
        }
    }
    Ok(out)
}

pub(super) fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Customer, code)?;
    let c = store::customers::must_get(&db, code)?;
    let area = match &c.area {
        Some(a) => store::areas::get(&db, a)?,
        None => None,
    };
    let first_order = store::customers::first_order(&db, code)?;
    let follow_ups = store::customers::follow_up_count(&db, code)?;
    let locked = c.tier_locked;
    let mut columns = COLUMNS.to_vec();
    columns.extend(["tier_locked", "region", "first_order", "follow_ups"]);
    let mut out = Records::new(&columns);
    let region = area.as_ref().and_then(|a| a.region.clone());
    let mut row = customer_row(Listed {
        customer: c,
        area_name: area.map(|a| a.name),
        region: None,
    });
    row.extend([
        Cell::Bool(locked),
        opt(region),
        opt(first_order),
        int(follow_ups),
    ]);
    out.push(row);
    Ok(Outcome::record(out))
}
