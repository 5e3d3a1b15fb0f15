//! The `carriers` section of a report: the delivery record and freight of the orders shipped in the
//! period, per carrier, as `carriers report` shows it (from the carrier rollup).

use anyhow::Result;

use crate::domain::carrier::{Carrier, Figures};
use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::store::{self, Conn};

pub fn build(
    conn: &Conn,
    period: &Period,
    policy: &Policy,
) -> Result<Vec<(String, Option<Carrier>, Figures)>> {
    Ok(store::carriers::report(
        conn,
        &period.start.to_string(),
        &period.end.to_string(),
        i64::from(policy.promise_days),
    )?
    .into_iter()
    .map(|r| (r.key, r.carrier, r.figures))
    .collect())
}
