//! `campaigns …`: promotion campaigns, their daily spend and traffic, and what they returned.
//! The catalogue and the daily records live here; `import` reads both kinds of file, `report` the
//! report and the check.

mod import;
mod report;

use anyhow::Result;
use clap::Subcommand;

use super::{clean_code, money_flag, non_empty_name};
use crate::context::Context;
use crate::domain::campaign::{Campaign, DayFigures};
use crate::domain::date::parse_date;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::values::MediaChannel;
use crate::import::ImportOptions;
use crate::output::{amount, int, opt, s, Cell, Format, Outcome, Records};
use crate::store;
use crate::store::lookup::{self, Kind};

#[derive(Subcommand, Debug)]
pub enum CampaignsCommand {
    /// Add a campaign
    Add(AddArgs),
    /// List campaigns
    List,
    /// One campaign, with its spend and traffic to date
    Show(CodeArg),
    /// Change a campaign
    Edit(EditArgs),
    /// Remove a campaign and its daily records (refused while orders or customers name it)
    Remove(CodeArg),
    /// Import campaigns from CSV (code, name, channel, region, start, end, budget)
    Import(ImportOptions),
    /// Export campaigns as CSV
    Export,
    /// Record a campaign's figures for one day (a second record of a day replaces what it gives)
    Record(RecordArgs),
    /// List daily records
    Records(RecordsArgs),
    /// Import daily records from CSV (campaign, date, spend, impressions, clicks, visits)
    RecordsImport(ImportOptions),
    /// Spend, traffic and return by campaign, channel or region
    Report(report::ReportArgs),
    /// Findings: over_budget, no_orders (exit 4 on any)
    Check,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The campaign's code
    pub code: String,
    /// The campaign's name
    #[arg(long)]
    pub name: Option<String>,
    /// Where it runs (media channel)
    #[arg(long, value_enum)]
    pub channel: Option<MediaChannel>,
    /// The region the campaign serves
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// First day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Last day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub end: Option<String>,
    /// Budget for the whole campaign (money)
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub budget: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The campaign's code
    pub code: String,
    /// The campaign's name
    #[arg(long)]
    pub name: Option<String>,
    /// Where it runs (media channel)
    #[arg(long, value_enum)]
    pub channel: Option<MediaChannel>,
    /// "" clears it
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// First day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Last day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub end: Option<String>,
    /// "" clears it
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub budget: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CodeArg {
    /// The campaign's code
    pub code: String,
}

#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    /// The campaign's code
    pub code: String,
    /// The date (default today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// Spend to record
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub spend: Option<String>,
    /// Impressions to record
    #[arg(long, value_name = "N")]
    pub impressions: Option<i64>,
    /// Clicks to record
    #[arg(long, value_name = "N")]
    pub clicks: Option<i64>,
    /// Visits to record
    #[arg(long, value_name = "N")]
    pub visits: Option<i64>,
}

#[derive(clap::Args, Debug)]
pub struct RecordsArgs {
    /// One campaign (default: all)
    pub code: Option<String>,
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

/// A campaign's fields in listings, exports and imports.
const COLUMNS: &[&str] = &[
    "code", "name", "channel", "region", "start", "end", "budget",
];
/// A daily record's fields.
const RECORD_COLUMNS: &[&str] = &[
    "campaign",
    "date",
    "spend",
    "impressions",
    "clicks",
    "visits",
];

pub fn run(ctx: &Context, cmd: CampaignsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        CampaignsCommand::Add(args) => (add(ctx, args)?, table),
        CampaignsCommand::List => (Outcome::records(list(ctx)?), table),
        CampaignsCommand::Export => (Outcome::records(list(ctx)?), Format::Csv),
        CampaignsCommand::Show(args) => (show(ctx, &args.code)?, table),
        CampaignsCommand::Edit(args) => (edit(ctx, args)?, table),
        CampaignsCommand::Remove(args) => (remove(ctx, &args.code)?, table),
        CampaignsCommand::Import(opts) => (import::campaigns(ctx, &opts)?, table),
        CampaignsCommand::Record(args) => (record(ctx, args)?, table),
        CampaignsCommand::Records(args) => (records(ctx, args)?, table),
        CampaignsCommand::RecordsImport(opts) => (import::records(ctx, &opts)?, table),
        CampaignsCommand::Report(args) => (report::report(ctx, args)?, table),
        CampaignsCommand::Check => (report::check(ctx)?, table),
    })
}

fn campaign_row(c: Campaign) -> Vec<Cell> {
    vec![
        s(c.code),
        s(c.name),
        s(c.channel.as_str()),
        opt(c.region),
        s(c.start),
        s(c.end),
        c.budget.map(amount).into(),
    ]
}

fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for c in store::campaigns::list(&db)? {
        out.push(campaign_row(c));
    }
    Ok(out)
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let c = store::campaigns::must_find(&db, code)?;
    let today = ctx.today.to_string();
    let (spend, orders) = store::campaigns::to_date(&db, &today)?
        .remove(&c.code)
        .unwrap_or_default();
    let days = store::campaigns::records(&db, Some(&c.code), "0001-01-01", &today)?.len();
    let mut columns = COLUMNS.to_vec();
    columns.extend(["spend_to_date", "orders", "days_recorded"]);
    let mut out = Records::new(&columns);
    let mut row = campaign_row(c);
    row.extend([amount(spend), int(orders), int(days as i64)]);
    out.push(row);
    Ok(Outcome::record(out))
}

/// A date flag: a bad date is a usage error naming the flag.
fn date_flag(text: &str, flag: &str) -> Result<String> {
    parse_date(text)
        .map(|d| d.to_string())
        .map_err(|e| crate::error::usage(format!("{flag}: {e}")))
}

/// A budget or spend: a negative amount is invalid input naming the flag.
fn non_negative_flag(text: &str, flag: &str) -> Result<Money> {
    let m = money_flag(text, flag)?;
    if m.is_negative() {
        crate::bail_input!("{flag}: \"{text}\" is negative");
    }
    Ok(m)
}

/// The end of a campaign may not come before its start.
fn check_dates(c: &Campaign) -> Result<()> {
    if c.end < c.start {
        crate::bail_input!(
            "campaign {}: the end {} is before the start {}",
            c.code,
            c.end,
            c.start
        );
    }
    Ok(())
}

fn add(ctx: &Context, a: AddArgs) -> Result<Outcome> {
    let code = clean_code(&a.code, "campaign")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(a.name, "--name", "Name")?)?;
    let channel = match a.channel {
        Some(c) => c,
        None => {
            let choices: Vec<(String, String)> = MediaChannel::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), c.as_str().to_string()))
                .collect();
            ctx.require_choice(None, "--channel", "Channel", &choices)?
                .parse()
                .map_err(crate::error::usage)?
        }
    };
    let start = date_flag(
        &ctx.require_text(a.start, "--start", "Start date")?,
        "--start",
    )?;
    let end = date_flag(&ctx.require_text(a.end, "--end", "End date")?, "--end")?;
    let budget = a
        .budget
        .map(|b| non_negative_flag(&b, "--budget"))
        .transpose()?;
    let tx = db.begin()?;
    if store::campaigns::get(&tx, &code)?.is_some() {
        crate::bail_input!(
            "campaign \"{code}\" exists already (change it with `salesops campaigns edit`)"
        );
    }
    let region = match a.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(lookup::code(&tx, Kind::Region, r)?),
        None => None,
    };
    let c = Campaign {
        code: code.clone(),
        name,
        channel,
        region,
        start,
        end,
        budget,
    };
    check_dates(&c)?;
    store::campaigns::insert(&tx, &c)?;
    ctx.audit(&tx, &format!("campaign {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

fn edit(ctx: &Context, a: EditArgs) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let old = store::campaigns::must_find(&tx, &a.code)?;
    let mut c = old.clone();
    if let Some(name) = a.name {
        c.name = non_empty_name(&name)?;
    }
    if let Some(channel) = a.channel {
        c.channel = channel;
    }
    if let Some(r) = a.region {
        c.region = match r.trim() {
            "" => None,
            r => Some(lookup::code(&tx, Kind::Region, r)?),
        };
    }
    if let Some(start) = a.start {
        c.start = date_flag(&start, "--start")?;
    }
    if let Some(end) = a.end {
        c.end = date_flag(&end, "--end")?;
    }
    if let Some(b) = a.budget {
        c.budget = match b.trim() {
            "" => None,
            b => Some(non_negative_flag(b, "--budget")?),
        };
    }
    check_dates(&c)?;
    let what = format!("campaign {}", c.code);
    super::save_edit(ctx, tx, &what, &old, &c, |conn, c| {
        store::campaigns::update(conn, c)
    })
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let c = store::campaigns::must_find(&db, code)?;
    let refs = store::campaigns::referrers(&db, &c.code)?;
    let code = c.code.clone();
    super::remove_record(
        ctx,
        &mut db,
        &format!("campaign {code}"),
        &refs,
        "it is kept for their attribution",
        &format!("remove campaign {code} {} and its daily records", c.name),
        |tx| {
            store::campaigns::delete(tx, &code)?;
            Ok(format!("campaign {code} removed"))
        },
    )
}

/// A count flag of `record`: never negative.
fn count_flag(n: Option<i64>, flag: &str) -> Result<Option<i64>> {
    match n {
        Some(n) if n < 0 => crate::bail_input!("{flag}: {n} is negative"),
        n => Ok(n),
    }
}

fn record(ctx: &Context, a: RecordArgs) -> Result<Outcome> {
    let date = date_flag(&a.date, "--date")?;
    let given = DayFigures {
        spend: a
            .spend
            .map(|x| non_negative_flag(&x, "--spend"))
            .transpose()?,
        impressions: count_flag(a.impressions, "--impressions")?,
        clicks: count_flag(a.clicks, "--clicks")?,
        visits: count_flag(a.visits, "--visits")?,
    };
    if given == DayFigures::default() {
        crate::bail_usage!("give at least one of --spend, --impressions, --clicks, --visits");
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let c = store::campaigns::must_find(&tx, &a.code)?;
    let (existed, changed) = store::campaigns::record_day(&tx, &c.code, &date, given)?;
    let what = match (existed, changed) {
        (_, false) => {
            return Ok(Outcome::text(format!(
                "campaign {} {date}: nothing changed",
                c.code
            )))
        }
        (true, true) => format!("campaign {} {date}: record replaced", c.code),
        (false, true) => format!("campaign {} {date}: recorded", c.code),
    };
    ctx.audit(&tx, &what)?;
    tx.commit()?;
    Ok(Outcome::text(what))
}

fn records(ctx: &Context, a: RecordsArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let (start, end) = match &a.period {
        Some(p) => {
            let p = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            (p.start.to_string(), p.end.to_string())
        }
        None => ("0001-01-01".to_string(), "9999-12-31".to_string()),
    };
    let code = match &a.code {
        Some(c) => Some(store::campaigns::must_find(&db, c)?.code),
        None => None,
    };
    let mut out = Records::new(RECORD_COLUMNS);
    for (campaign, date, r) in store::campaigns::records(&db, code.as_deref(), &start, &end)? {
        out.push(vec![
            s(campaign),
            s(date),
            amount(r.spend),
            int(r.impressions),
            int(r.clicks),
            int(r.visits),
        ]);
    }
    Ok(Outcome::records(out))
}
