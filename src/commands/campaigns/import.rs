//! `campaigns import` and `campaigns records-import`: campaigns by code (a row updates the fields it
//! gives), and daily records by campaign and day (a row replaces the values it gives, as `record`).

use std::collections::BTreeMap;

use anyhow::Result;

use super::{COLUMNS, RECORD_COLUMNS};
use crate::context::Context;
use crate::domain::campaign::{Campaign, DayFigures};
use crate::domain::money::{parse_non_negative, Money};
use crate::domain::values::MediaChannel;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::store::{self, Conn};

pub(super) fn campaigns(ctx: &Context, opts: &ImportOptions) -> Result<crate::output::Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let report = import::run(
        ctx,
        &tx,
        opts,
        &mut CampaignsImport {
            seen: BTreeMap::new(),
        },
    )?;
    finish_import(ctx, tx, opts, &report, "campaigns")
}

pub(super) fn records(ctx: &Context, opts: &ImportOptions) -> Result<crate::output::Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let report = import::run(
        ctx,
        &tx,
        opts,
        &mut RecordsImport {
            seen: BTreeMap::new(),
        },
    )?;
    finish_import(ctx, tx, opts, &report, "campaign records")
}

struct CampaignsImport {
    seen: BTreeMap<String, u64>,
}

/// The money cell of `field`: at least zero.
fn money_cell(input: &CsvInput, field: &str, errors: &mut Vec<RowError>) -> Option<Money> {
    input
        .parse(input.column(field), |t| parse_non_negative(t, field))
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        })
}

/// The date cell of `field`, as stored.
fn date_cell(input: &CsvInput, field: &str, errors: &mut Vec<RowError>) -> Option<String> {
    input
        .date(input.column(field))
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        })
        .map(|d| d.to_string())
}

impl Importer for CampaignsImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["code", "name", "channel", "start", "end"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let mut errors = Vec::new();
        let channel: Option<MediaChannel> =
            import::word(input, input.column("channel"), &mut errors, |v| {
                format!(
                    "\"{v}\" is not a campaign channel: {}",
                    MediaChannel::words()
                )
            })?;
        let c_region = input.column("region");
        let region = match input.cell(c_region)? {
            Some(r) => match store::regions::get(conn, r)? {
                Some(found) => Some(found.code),
                None => {
                    errors.push(input.error(c_region, format!("no region \"{r}\"")));
                    None
                }
            },
            None => None,
        };
        let start = date_cell(input, "start", &mut errors);
        let end = date_cell(input, "end", &mut errors);
        let budget = money_cell(input, "budget", &mut errors);
        let name = import::name_cell(input, "name")?;
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let old = store::campaigns::get(conn, &code)?;
        let new = match &old {
            None => {
                let missing: Vec<RowError> = [
                    ("name", name.is_none()),
                    ("channel", channel.is_none()),
                    ("start", start.is_none()),
                    ("end", end.is_none()),
                ]
                .iter()
                .filter(|(_, absent)| *absent)
                .map(|(f, _)| {
                    input.error(
                        input.column(f),
                        format!("{f} is required for a new campaign"),
                    )
                })
                .collect();
                if !missing.is_empty() {
                    return Err(RowFail::Invalid(missing));
                }
                Campaign {
                    code: code.clone(),
                    name: name.unwrap_or_default(),
                    channel: channel.unwrap_or(MediaChannel::Other),
                    region,
                    start: start.unwrap_or_default(),
                    end: end.unwrap_or_default(),
                    budget,
                }
            }
            Some(o) => Campaign {
                code: code.clone(),
                name: name.unwrap_or(o.name.clone()),
                channel: channel.unwrap_or(o.channel),
                region: region.or(o.region.clone()),
                start: start.unwrap_or(o.start.clone()),
                end: end.unwrap_or(o.end.clone()),
                budget: budget.or(o.budget),
            },
        };
        if new.end < new.start {
            return Err(input
                .error(
                    input.column("end"),
                    format!("the end {} is before the start {}", new.end, new.start),
                )
                .into());
        }
        let written = match old {
            None => {
                store::campaigns::insert(conn, &new)?;
                Written::Created
            }
            Some(o) if o == new => Written::Skipped,
            Some(_) => {
                store::campaigns::update(conn, &new)?;
                Written::Updated
            }
        };
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }
}

struct RecordsImport {
    /// (campaign, date) → the line that recorded it first in this file.
    seen: BTreeMap<String, u64>,
}

impl Importer for RecordsImport {
    fn fields(&self) -> &'static [&'static str] {
        RECORD_COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["campaign", "date"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let c_campaign = input.column("campaign");
        let typed = import::required(input, c_campaign, "campaign")?.to_string();
        let mut errors = Vec::new();
        let campaign = match store::campaigns::find(conn, &typed) {
            Ok(Some(code)) => Some(code),
            Ok(None) => {
                errors.push(input.error(c_campaign, format!("no campaign \"{typed}\"")));
                None
            }
            Err(e) if crate::error::exit_code(&e) == 3 => {
                errors.push(input.error(c_campaign, e.to_string()));
                None
            }
            Err(e) => return Err(e.into()),
        };
        let date = date_cell(input, "date", &mut errors);
        let spend = money_cell(input, "spend", &mut errors);
        let mut count = |field: &str| -> Option<i64> {
            input
                .parse(input.column(field), |t| {
                    t.parse::<u32>()
                        .map(i64::from)
                        .map_err(|_| format!("\"{t}\" is not a whole number of 0 or more"))
                })
                .unwrap_or_else(|e| {
                    errors.push(e);
                    None
                })
        };
        let given = DayFigures {
            spend,
            impressions: count("impressions"),
            clicks: count("clicks"),
            visits: count("visits"),
        };
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(campaign), Some(date)) = (campaign, date) else {
            return Err(input
                .error(input.column("date"), "date is required".to_string())
                .into());
        };
        let key = format!("{campaign} {date}");
        if let Some(first) = self.seen.get(&key) {
            return Err(input
                .error(
                    input.column("date"),
                    format!("campaign {campaign} {date} appears twice (first on line {first})"),
                )
                .into());
        }
        let (existed, changed) = store::campaigns::record_day(conn, &campaign, &date, given)?;
        let written = match (existed, changed) {
            (_, false) => Written::Skipped,
            (true, true) => Written::Updated,
            (false, true) => Written::Created,
        };
        self.seen.insert(key, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
