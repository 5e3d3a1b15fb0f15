//! `regions check`: coverage findings (areas in no region, orders recorded without one, empty regions,
//! regions without a manager).

use anyhow::Result;

use crate::context::Context;
use crate::output::{s, Outcome, Records};
use crate::store;

pub(super) fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for (_, name) in store::areas::gaps(&db)? {
        out.push(vec![s("gap"), s(name), s("area in no region")]);
    }
    for (area, count, now) in store::regions::unassigned_orders(&db)? {
        let detail = match now {
            Some(region) => format!(
                "{count} orders recorded while {area} had no region; it is in {region} now: `salesops orders reassign-regions` moves them"
            ),
            None => format!("{count} orders recorded in an area with no region"),
        };
        out.push(vec![s("unassigned_orders"), s(area), s(detail)]);
    }
    for (code, name) in store::regions::empty_regions(&db)? {
        out.push(vec![
            s("empty_region"),
            s(code),
            s(format!("{name} has no areas and no sub-regions")),
        ]);
    }
    for (code, name) in store::regions::without_manager(&db)? {
        out.push(vec![
            s("no_manager"),
            s(code),
            s(format!("{name} has no manager")),
        ]);
    }
    Ok(Outcome::findings(out))
}
