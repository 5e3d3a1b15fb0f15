//! `campaigns report` and `campaigns check`: what the campaigns spent and brought back, by campaign,
//! channel or region, and the campaigns over budget or without a single order. Figures come from
//! the daily records and the `campaign_daily` rollup (`store::campaigns::figures`).

use std::collections::BTreeMap;

use anyhow::Result;

use crate::context::Context;
use crate::domain::campaign::{self, Figures};
use crate::domain::period::Period;
use crate::output::{opt, s, trade, Outcome, Records};
use crate::store;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Campaign,
    Channel,
    Region,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The period (default: this month)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Rows: one per group of this kind
    #[arg(long, value_enum, default_value = "campaign")]
    pub by: By,
}

/// The rows of a campaign report over `period`: by campaign (code, name, channel, region), by channel
/// or by region (campaigns without a region under null).
fn rows(conn: &store::Conn, period: &Period, by: By) -> Result<Records> {
    let all = store::campaigns::figures(conn, &period.start.to_string(), &period.end.to_string())?;
    if by == By::Campaign {
        return Ok(trade::campaign_rows(all));
    }
    let mut groups: BTreeMap<Option<String>, Figures> = BTreeMap::new();
    for (c, f) in all {
        let key = match by {
            By::Channel => Some(c.channel.as_str().to_string()),
            _ => c.region.clone(),
        };
        let g = groups.entry(key).or_insert(Figures {
            budget: None,
            ..Figures::default()
        });
        g.add(&f);
    }
    let key = if by == By::Channel {
        "channel"
    } else {
        "region"
    };
    let mut columns = vec![key];
    columns.extend(trade::CAMPAIGN_FIGURES);
    let mut out = Records::new(&columns);
    for (k, f) in groups {
        let mut row = vec![opt(k)];
        row.extend(trade::campaign_cells(&f));
        out.push(row);
    }
    Ok(out)
}

pub(super) fn report(ctx: &Context, a: ReportArgs) -> Result<Outcome> {
    let text = a.period.unwrap_or_else(|| "this-month".to_string());
    let period = Period::parse(&text, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    Ok(Outcome::records(rows(&db, &period, a.by)?))
}

pub(super) fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let today = ctx.today.to_string();
    let to_date = store::campaigns::to_date(&db, &today)?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for c in store::campaigns::list(&db)? {
        let (spend, orders) = to_date.get(&c.code).copied().unwrap_or_default();
        if campaign::over_budget(spend, c.budget) {
            out.push(vec![
                s("over_budget"),
                s(&c.code),
                s(format!(
                    "spend to date {} is above the budget {}",
                    spend.to_report(),
                    c.budget.unwrap_or_default().to_report()
                )),
            ]);
        }
        if campaign::no_orders(&c.end, &today, spend, orders) {
            out.push(vec![
                s("no_orders"),
                s(&c.code),
                s(format!(
                    "ended {} after spending {} without a counting order",
                    c.end,
                    spend.to_report()
                )),
            ]);
        }
    }
    Ok(Outcome::findings(out))
}
