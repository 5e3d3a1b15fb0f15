//! `demo`: build a database from the sample company in examples/demo (embedded in the binary, so it
//! works from any folder) and print its monthly report for the latest full month of its data.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{Datelike, NaiveDate};

use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::output::Outcome;
use crate::store;

/// Runs a command line (the words after `salesops`) with a context, through the one parser and
/// dispatcher: the demo composes the other commands without naming any of them.
pub type Run<'a> = &'a dyn Fn(&Context, &[OsString]) -> Result<Outcome>;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

/// The demo company's files, in the order they load.
const FILES: &[(&str, &str)] = &[
    (
        "regions.csv",
        include_str!("../../examples/demo/regions.csv"),
    ),
    ("reps.csv", include_str!("../../examples/demo/reps.csv")),
    (
        "products.csv",
        include_str!("../../examples/demo/products.csv"),
    ),
    (
        "customers.csv",
        include_str!("../../examples/demo/customers.csv"),
    ),
    ("orders.csv", include_str!("../../examples/demo/orders.csv")),
    (
        "scorecard_ratings.csv",
        include_str!("../../examples/demo/scorecard_ratings.csv"),
    ),
    (
        "tickets.csv",
        include_str!("../../examples/demo/tickets.csv"),
    ),
    (
        "ticket_reopens.csv",
        include_str!("../../examples/demo/ticket_reopens.csv"),
    ),
    (
        "returns.csv",
        include_str!("../../examples/demo/returns.csv"),
    ),
    (
        "payments.csv",
        include_str!("../../examples/demo/payments.csv"),
    ),
    (
        "price_changes.csv",
        include_str!("../../examples/demo/price_changes.csv"),
    ),
    (
        "observations.csv",
        include_str!("../../examples/demo/observations.csv"),
    ),
    (
        "targets.csv",
        include_str!("../../examples/demo/targets.csv"),
    ),
    // Campaigns and carriers: November's two campaigns with the customers and orders they brought.
    (
        "campaigns.csv",
        include_str!("../../examples/demo/campaigns.csv"),
    ),
    (
        "carriers.csv",
        include_str!("../../examples/demo/carriers.csv"),
    ),
    (
        "campaign_records.csv",
        include_str!("../../examples/demo/campaign_records.csv"),
    ),
    (
        "campaign_customers.csv",
        include_str!("../../examples/demo/campaign_customers.csv"),
    ),
    (
        "campaign_orders.csv",
        include_str!("../../examples/demo/campaign_orders.csv"),
    ),
    (
        "campaign_deliveries.csv",
        include_str!("../../examples/demo/campaign_deliveries.csv"),
    ),
    (
        "warehouses.csv",
        include_str!("../../examples/demo/warehouses.csv"),
    ),
    (
        "stock_moves.csv",
        include_str!("../../examples/demo/stock_moves.csv"),
    ),
];

/// The demo's "today" unless --today says otherwise: the day its story stops, so the demo prints the
/// same report whenever it is run.
pub const DEMO_TODAY: &str = "2026-11-23";

pub fn run(ctx: &Context, _args: DemoArgs, run: Run) -> Result<Outcome> {
    let Some(path) = ctx.db.file().map(Path::to_path_buf) else {
        crate::bail_usage!(
            "demo writes a database file; to have the demo company on PostgreSQL, run `salesops \
             demo` and then `salesops --db demo.db db copy --to {}`",
            ctx.db
        );
    };
    if path.exists() {
        ctx.confirm(&format!(
            "{} exists: replace it with the demo database",
            path.display()
        ))?;
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("cannot remove {}", p.display()))?;
            }
        }
    }
    let today = if ctx.global.today.is_some() || std::env::var_os("SALESOPS_TODAY").is_some() {
        ctx.today
    } else {
        NaiveDate::parse_from_str(DEMO_TODAY, "%Y-%m-%d").unwrap_or(ctx.today)
    };
    let demo = Context {
        today,
        now: today.and_time(ctx.now.time()),
        global: crate::context::Global {
            yes: true,
            format: None,
            output: None,
            ..ctx.global.clone()
        },
        ..ctx.clone()
    };
    // A folder of its own, made exclusively: in a predictable one, planted symlinks would be written
    // through.
    let dir = tempfile::Builder::new()
        .prefix("salesops-demo-")
        .tempdir()
        .context("cannot create a temporary folder for the demo's files")?;
    let built = build(&demo, run, dir.path());
    drop(dir);
    if let Err(e) = built {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        return Err(e.context("the demo database could not be built"));
    }
    let month = latest_full_month(&demo)?;
    ctx.note(&format!(
        "demo database written to {}; its monthly report for {}:\n",
        path.display(),
        month.label()
    ));
    let month = format!("--month={}", month.label());
    run(
        &Context {
            global: ctx.global.clone(),
            ..demo.clone()
        },
        &words(&["report", "monthly", &month]),
    )
}

fn write_files(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text)
            .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
    }
    // Regions name their managers, who are reps of those regions: load regions without managers first.
    let mut reader = csv::Reader::from_reader(FILES[0].1.as_bytes());
    let mut writer = csv::Writer::from_path(dir.join("regions-first.csv"))?;
    writer.write_record(["code", "name", "parent", "areas"])?;
    for row in reader.records() {
        let row = row?;
        writer.write_record([&row[0], &row[1], &row[2], &row[4]])?;
    }
    writer.flush()?;
    Ok(())
}

/// A command line from its words.
fn words(words: &[&str]) -> Vec<OsString> {
    words.iter().map(OsString::from).collect()
}

fn build(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    write_files(dir)?;
    run(ctx, &words(&["init", "--areas", "cn"]))?;
    let import = |command: &[&str], name: &str| -> Result<()> {
        let mut line = words(command);
        line.push(dir.join(name).into_os_string());
        run(ctx, &line).map(|_| ())
    };
    import(&["regions", "import"], "regions-first.csv")?;
    import(&["reps", "import"], "reps.csv")?;
    import(&["regions", "import"], "regions.csv")?;
    import(&["products", "import"], "products.csv")?;
    import(&["customers", "import"], "customers.csv")?;
    // Price changes first: orders take their cost from the prices in force on their date.
    load_price_changes(ctx, run, dir)?;
    import(&["prices", "observe"], "observations.csv")?;
    // Warehouses before orders: each order takes the warehouse of its region, and its shipment
    // leaves that warehouse's stock.
    import(&["warehouses", "import"], "warehouses.csv")?;
    import(&["orders", "import"], "orders.csv")?;
    load_returns(ctx, run, dir)?;
    import(&["stock", "import"], "stock_moves.csv")?;
    // Reorder points for the two best sellers, at every warehouse.
    for sku in ["GB-011", "OT-001"] {
        run(ctx, &words(&["products", "edit", sku, "--reorder-at=20"]))?;
    }
    import(&["payments", "import"], "payments.csv")?;
    import(&["service", "import"], "tickets.csv")?;
    load_reopens(ctx, run, dir)?;
    import(&["campaigns", "import"], "campaigns.csv")?;
    import(&["carriers", "import"], "carriers.csv")?;
    import(&["campaigns", "records-import"], "campaign_records.csv")?;
    import(&["customers", "import"], "campaign_customers.csv")?;
    import(&["orders", "import"], "campaign_orders.csv")?;
    load_deliveries(ctx, run, dir)?;
    run(ctx, &words(&["customers", "regrade"]))?;
    load_targets(ctx, run, dir)?;
    // Record October's price findings in the violations ledger, as the monthly check would.
    run(ctx, &words(&["prices", "check", "--period", "2026-10"]))?;
    load_ratings(ctx, run, dir)?;
    Ok(())
}

/// scorecard_ratings.csv (scope, code, period, score, note) goes through `scorecard rate`.
fn load_ratings(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("scorecard_ratings.csv"))?;
    let mut count = 0;
    for row in reader.records() {
        let row = row?;
        count += 1;
        let mut line = with_values(
            &["scorecard", "rate"],
            &[
                ("--period", &row[2]),
                ("--score", &row[3]),
                ("--note", &row[4]),
            ],
            &row[1],
        );
        if &row[0] == "rep" {
            line.insert(2, OsString::from("--rep"));
        }
        run(ctx, &line)?;
    }
    ctx.note(&format!("scorecard_ratings.csv: {count} ratings recorded"));
    Ok(())
}

/// `--flag=value` for each value given (an empty cell gives none), then `--` and the positional
/// argument, so that no value from a file is ever read as a flag.
fn with_values(command: &[&str], values: &[(&str, &str)], positional: &str) -> Vec<OsString> {
    let mut line = words(command);
    for (flag, value) in values {
        if !value.is_empty() {
            line.push(format!("{flag}={value}").into());
        }
    }
    line.push("--".into());
    line.push(positional.into());
    line
}

/// price_changes.csv (sku, effective, list_price, floor_price, cost, reason) goes through `prices set`.
fn load_price_changes(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("price_changes.csv"))?;
    for row in reader.records() {
        let row = row?;
        let values = [
            ("--effective", &row[1]),
            ("--list-price", &row[2]),
            ("--floor-price", &row[3]),
            ("--cost", &row[4]),
            ("--reason", &row[5]),
        ];
        run(ctx, &with_values(&["prices", "set"], &values, &row[0]))?;
    }
    Ok(())
}

/// Annual region targets; this year's split into months by last year's seasonality and each month
/// cascaded to the reps, whose year is then the sum of their months, so every level adds up.
fn load_targets(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut import = words(&["targets", "import"]);
    import.push(dir.join("targets.csv").into_os_string());
    run(ctx, &import)?;
    let db = store::open_existing(&ctx.db)?;
    let regions: Vec<String> = store::regions::names(&db)?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    drop(db);
    let year = 2026;
    let split = format!("--year={year}");
    run(
        ctx,
        &words(&[
            "targets",
            "split",
            "--all",
            &split,
            "--into=months",
            "--by=last-year",
        ]),
    )?;
    for region in &regions {
        for month in 1..=12 {
            let region = format!("--region={region}");
            let period = format!("--period={year}-{month:02}");
            run(
                ctx,
                &words(&["targets", "cascade", &region, &period, "--by=last-year"]),
            )?;
        }
    }
    let db = store::open_existing(&ctx.db)?;
    let mut rep_years: std::collections::BTreeMap<String, Money> =
        std::collections::BTreeMap::new();
    for t in store::targets::all(&db)? {
        if t.scope == store::targets::Scope::Rep && t.period.starts_with(&format!("{year}-")) {
            *rep_years.entry(t.code).or_default() += t.revenue.unwrap_or_default();
        }
    }
    drop(db);
    for (rep, revenue) in rep_years {
        let set = [
            "targets".to_string(),
            "set".to_string(),
            format!("--rep={rep}"),
            format!("--period={year}"),
            format!("--revenue={revenue}"),
        ];
        run(ctx, &set.map(OsString::from))?;
    }
    Ok(())
}

/// returns.csv (order_id, sku, quantity, date, reason, kind) goes through `orders return`, one by one,
/// so the demo's returns obey the same rules as anyone's.
fn load_returns(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("returns.csv"))?;
    let mut count = 0;
    for row in reader.records() {
        count += 1;
        let row = row?;
        let mut line = words(&["orders", "return"]);
        line.extend(
            [
                format!("--line={}:{}", &row[1], &row[2]),
                format!("--reason={}", &row[4]),
                format!("--kind={}", &row[5]),
                format!("--date={}", &row[3]),
                "--".to_string(),
                row[0].to_string(),
            ]
            .map(OsString::from),
        );
        run(ctx, &line)?;
    }
    ctx.note(&format!("returns.csv: {count} returns recorded"));
    Ok(())
}

/// ticket_reopens.csv (id, reopened_at, reason, resolved_at, closed_at, satisfaction) goes through
/// `service reopen`, then `service resolve` and `service close` when the ticket was settled again.
fn load_reopens(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("ticket_reopens.csv"))?;
    for row in reader.records() {
        let row = row?;
        let id = &row[0];
        let reopen = [("--at", &row[1]), ("--reason", &row[2])];
        run(ctx, &with_values(&["service", "reopen"], &reopen, id))?;
        if !row[3].is_empty() {
            let resolve = [("--at", &row[3]), ("--note", "再次处理")];
            run(ctx, &with_values(&["service", "resolve"], &resolve, id))?;
            let close = [("--at", &row[4]), ("--satisfaction", &row[5])];
            run(ctx, &with_values(&["service", "close"], &close, id))?;
        }
    }
    Ok(())
}

/// campaign_deliveries.csv (order_id, delivered) goes through `orders deliver`.
fn load_deliveries(ctx: &Context, run: Run, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("campaign_deliveries.csv"))?;
    let mut count = 0;
    for row in reader.records() {
        count += 1;
        let row = row?;
        let line = with_values(&["orders", "deliver"], &[("--date", &row[1])], &row[0]);
        run(ctx, &line)?;
    }
    ctx.note(&format!(
        "campaign_deliveries.csv: {count} deliveries recorded"
    ));
    Ok(())
}

/// The last month of the demo's orders that is complete.
fn latest_full_month(ctx: &Context) -> Result<Period> {
    let db = store::open_existing(&ctx.db)?;
    let last = store::report::last_order_date(&db)?.unwrap_or(ctx.today);
    let month = Period::month(last.year(), last.month());
    Ok(if last == month.end {
        month
    } else {
        month.previous()
    })
}
