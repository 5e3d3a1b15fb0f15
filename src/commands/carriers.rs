//! `carriers …`: the carriers the company ships with, their delivery promise, their delivery record
//! and freight (`report`, from the `carrier_daily` rollup), and the shipments stuck on the way or the
//! carriers too often late (`check`).

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use clap::Subcommand;

use super::{clean_code, non_empty_name};
use crate::context::Context;
use crate::domain::carrier::{self, Carrier, Figures};
use crate::domain::period::Period;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::{int, s, trade, Cell, Format, Outcome, Records};
use crate::store::{self, Conn};

#[derive(Subcommand, Debug)]
pub enum CarriersCommand {
    /// Add a carrier with its delivery promise
    Add(AddArgs),
    /// List carriers
    List,
    /// One carrier
    Show(CodeArg),
    /// Change a carrier
    Edit(EditArgs),
    /// Remove a carrier (refused while shipped orders name it)
    Remove(CodeArg),
    /// Import carriers from CSV (code, name, promise_days)
    Import(ImportOptions),
    /// Export carriers as CSV
    Export,
    /// Delivery record and freight per carrier, over the orders shipped in a period
    Report(ReportArgs),
    /// Findings: stuck, late_rate (exit 4 on any)
    Check,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The carrier's code
    pub code: String,
    /// The carrier's name
    #[arg(long)]
    pub name: Option<String>,
    /// Calendar days from shipping to delivery (default: policy logistics.promise_days)
    #[arg(long, value_name = "N")]
    pub promise_days: Option<u32>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The carrier's code
    pub code: String,
    /// The carrier's name
    #[arg(long)]
    pub name: Option<String>,
    /// Promised delivery days
    #[arg(long, value_name = "N")]
    pub promise_days: Option<u32>,
}

#[derive(clap::Args, Debug)]
pub struct CodeArg {
    /// The carrier's code
    pub code: String,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The period of the ship dates (default: this month)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

const COLUMNS: &[&str] = &["code", "name", "promise_days"];

pub fn run(ctx: &Context, cmd: CarriersCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        CarriersCommand::Add(args) => (add(ctx, args)?, table),
        CarriersCommand::List => (Outcome::records(list(ctx)?), table),
        CarriersCommand::Export => (Outcome::records(list(ctx)?), Format::Csv),
        CarriersCommand::Show(args) => (show(ctx, &args.code)?, table),
        CarriersCommand::Edit(args) => (edit(ctx, args)?, table),
        CarriersCommand::Remove(args) => (remove(ctx, &args.code)?, table),
        CarriersCommand::Import(opts) => (import_file(ctx, &opts)?, table),
        CarriersCommand::Report(args) => (report(ctx, args)?, table),
        CarriersCommand::Check => (check(ctx)?, table),
    })
}

fn carrier_row(c: Carrier) -> Vec<Cell> {
    vec![s(c.code), s(c.name), int(c.promise_days)]
}

fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for c in store::carriers::list(&db)? {
        out.push(carrier_row(c));
    }
    Ok(out)
}

fn must_find(conn: &Conn, text: &str) -> Result<Carrier> {
    store::carriers::find(conn, text)?.ok_or_else(|| {
        crate::error::input(format!(
            "no carrier \"{}\" (see `salesops carriers list`)",
            text.trim()
        ))
    })
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let c = must_find(&db, code)?;
    let mut out = Records::new(COLUMNS);
    out.push(carrier_row(c));
    Ok(Outcome::record(out))
}

fn add(ctx: &Context, a: AddArgs) -> Result<Outcome> {
    let code = clean_code(&a.code, "carrier")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(a.name, "--name", "Name")?)?;
    let tx = db.begin()?;
    if store::carriers::get(&tx, &code)?.is_some() {
        crate::bail_input!(
            "carrier \"{code}\" exists already (change it with `salesops carriers edit`)"
        );
    }
    let promise_days = match a.promise_days {
        Some(n) => i64::from(n),
        None => i64::from(ctx.policy(&tx)?.promise_days),
    };
    store::carriers::insert(
        &tx,
        &Carrier {
            code: code.clone(),
            name,
            promise_days,
        },
    )?;
    ctx.audit(&tx, &format!("carrier {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

fn edit(ctx: &Context, a: EditArgs) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let old = must_find(&tx, &a.code)?;
    let mut c = old.clone();
    if let Some(name) = a.name {
        c.name = non_empty_name(&name)?;
    }
    if let Some(n) = a.promise_days {
        c.promise_days = i64::from(n);
    }
    let what = format!("carrier {}", c.code);
    super::save_edit(ctx, tx, &what, &old, &c, |conn, c| {
        store::carriers::update(conn, c)
    })
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let c = must_find(&db, code)?;
    let refs = store::carriers::referrers(&db, &c)?;
    let code = c.code.clone();
    super::remove_record(
        ctx,
        &mut db,
        &format!("carrier {code}"),
        &refs,
        "it is kept for their delivery record",
        &format!("remove carrier {code} {}", c.name),
        |tx| {
            store::carriers::delete(tx, &code)?;
            Ok(format!("carrier {code} removed"))
        },
    )
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let default_promise = i64::from(ctx.policy(&tx)?.promise_days);
    let report = import::run(
        ctx,
        &tx,
        opts,
        &mut CarriersImport {
            seen: BTreeMap::new(),
            default_promise,
        },
    )?;
    finish_import(ctx, tx, opts, &report, "carriers")
}

struct CarriersImport {
    seen: BTreeMap<String, u64>,
    default_promise: i64,
}

impl Importer for CarriersImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["code", "name"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let promise: Option<i64> = input
            .parse(input.column("promise_days"), |t| {
                t.parse::<u32>()
                    .map(i64::from)
                    .map_err(|_| format!("\"{t}\" is not a whole number of days"))
            })
            .map_err(|e: RowError| RowFail::Invalid(vec![e]))?;
        let name = import::name_cell(input, "name")?;
        let old = store::carriers::get(conn, &code)?;
        let written = match old {
            None => {
                let Some(name) = name else {
                    return Err(input
                        .error(
                            input.column("name"),
                            "name is required for a new carrier".into(),
                        )
                        .into());
                };
                store::carriers::insert(
                    conn,
                    &Carrier {
                        code: code.clone(),
                        name,
                        promise_days: promise.unwrap_or(self.default_promise),
                    },
                )?;
                Written::Created
            }
            Some(o) => {
                let new = Carrier {
                    code: code.clone(),
                    name: name.unwrap_or(o.name.clone()),
                    promise_days: promise.unwrap_or(o.promise_days),
                };
                if new == o {
                    Written::Skipped
                } else {
                    store::carriers::update(conn, &new)?;
                    Written::Updated
                }
            }
        };
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }
}

/// The rows of a carrier report over the orders shipped in `period`.
fn rows(conn: &Conn, period: &Period, default_promise: i64) -> Result<Records> {
    let all = store::carriers::report(
        conn,
        &period.start.to_string(),
        &period.end.to_string(),
        default_promise,
    )?;
    Ok(trade::carrier_rows(
        all.into_iter()
            .map(|r| (r.key, r.carrier, r.figures))
            .collect(),
    ))
}

fn report(ctx: &Context, a: ReportArgs) -> Result<Outcome> {
    let text = a.period.unwrap_or_else(|| "this-month".to_string());
    let period = Period::parse(&text, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    Ok(Outcome::records(rows(
        &db,
        &period,
        i64::from(policy.promise_days),
    )?))
}

fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let carriers = store::carriers::list(&db)?;
    let default_promise = i64::from(policy.promise_days);
    // A shipment's carrier: the one its text names (code or name, any case), else the text itself.
    let judge = |text: &str| -> (String, i64) {
        match carriers.iter().find(|c| store::carriers::matches(c, text)) {
            Some(c) => (c.code.clone(), c.promise_days),
            None => (text.trim().to_string(), default_promise),
        }
    };
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for (id, text, shipped) in store::carriers::in_transit(&db)? {
        let Ok(date) = shipped.parse::<NaiveDate>() else {
            continue;
        };
        let (carrier, promise) = judge(&text);
        if carrier::stuck(date, promise, i64::from(policy.stuck_days), ctx.today) {
            out.push(vec![
                s("stuck"),
                s(&id),
                s(format!(
                    "shipped {shipped} by {carrier}, {} days ago, not delivered (promise {promise} + {} days)",
                    (ctx.today - date).num_days(),
                    policy.stuck_days
                )),
            ]);
        }
    }
    // Deliveries of the trailing window: today − 90 days < delivered ≤ today.
    let start = ctx.today - Duration::days(carrier::LATE_RATE_WINDOW_DAYS - 1);
    let mut window: BTreeMap<String, Figures> = BTreeMap::new();
    for (text, days, n) in
        store::carriers::deliveries(&db, &start.to_string(), &ctx.today.to_string())?
    {
        let (carrier, promise) = judge(&text);
        window.entry(carrier).or_default().add_row(days, n, promise);
    }
    for (carrier, f) in window {
        if f.late_rate(policy.min_on_time, carrier::LATE_RATE_MIN_DELIVERIES) {
            out.push(vec![
                s("late_rate"),
                s(if carrier.is_empty() {
                    "(none)"
                } else {
                    &carrier
                }),
                s(format!(
                    "{} of {} deliveries on time in the last {} days ({:.1}%), below {}",
                    f.on_time,
                    f.dated,
                    carrier::LATE_RATE_WINDOW_DAYS,
                    f.on_time_pct().unwrap_or_default(),
                    policy.min_on_time.to_report()
                )),
            ]);
        }
    }
    Ok(Outcome::findings(out))
}
