//! The `campaigns` section of a report: every campaign's spend and return in the period, as
//! `campaigns report --by campaign` shows it (from the daily records and the campaign rollup).

use anyhow::Result;

use crate::domain::campaign::{Campaign, Figures};
use crate::domain::period::Period;
use crate::store::{self, Conn};

pub fn build(conn: &Conn, period: &Period) -> Result<Vec<(Campaign, Figures)>> {
    store::campaigns::figures(conn, &period.start.to_string(), &period.end.to_string())
}
