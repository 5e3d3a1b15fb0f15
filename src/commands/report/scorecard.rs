//! The `scorecard` section of the quarterly, annual and period reports: every region's scorecard for
//! the report's period, as `scorecard --by region` gives it (store::scorecard gathers, domain scores,
//! output::scorecard shows). A monthly report has none: the assessment is the longer periods' page.

use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::domain::scorecard::{Card, Scope};
use crate::store::{self, Conn};

pub fn build(conn: &Conn, policy: &Policy, period: &Period, today: NaiveDate) -> Result<Vec<Card>> {
    store::scorecard::cards(conn, policy, period, Scope::Region, today)
}
