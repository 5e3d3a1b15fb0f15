//! `demo`: build a database from the sample company in examples/demo (embedded in the binary, so it
//! works from any folder) and print its monthly report for the latest full month of its data.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{Datelike, NaiveDate};

use super::dispatch;
use crate::cli::Command;
use crate::commands::{
    admin, customers, orders, payments, prices, products, regions, report, reps, targets,
};
use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::import::ImportOptions;
use crate::output::Outcome;
use crate::store;

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
];

/// The demo's "today" unless --today says otherwise: the day its story stops, so the demo prints the
/// same report whenever it is run.
pub const DEMO_TODAY: &str = "2026-11-23";

pub fn run(ctx: &Context, _args: DemoArgs) -> Result<Outcome> {
    let path = ctx.db_path.clone();
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
        global: crate::context::Global {
            yes: true,
            format: None,
            output: None,
            ..ctx.global.clone()
        },
        ..ctx.clone()
    };
    let dir = std::env::temp_dir().join(format!("salesops-demo-{}", std::process::id()));
    let built = build(&demo, &dir);
    let _ = std::fs::remove_dir_all(&dir);
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
    let (outcome, _) = dispatch(
        &Context {
            global: ctx.global.clone(),
            ..demo.clone()
        },
        Command::Report(report::ReportCommand::Monthly {
            month: Some(month.label()),
            section: report::SectionArg { section: None },
        }),
    )?;
    Ok(outcome)
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

fn options(dir: &Path, name: &str) -> ImportOptions {
    ImportOptions {
        file: dir.join(name),
        map: None,
        encoding: None,
        delimiter: None,
        date_format: None,
        dry_run: false,
        skip_invalid: false,
    }
}

fn build(ctx: &Context, dir: &Path) -> Result<()> {
    write_files(dir)?;
    admin::init(
        ctx,
        admin::InitArgs {
            areas: Some("cn".into()),
            shared: false,
        },
    )?;
    let run = |command: Command| dispatch(ctx, command).map(|_| ());
    run(Command::Regions(regions::RegionsCommand::Import(options(
        dir,
        "regions-first.csv",
    ))))?;
    run(Command::Reps(reps::RepsCommand::Import(options(
        dir, "reps.csv",
    ))))?;
    run(Command::Regions(regions::RegionsCommand::Import(options(
        dir,
        "regions.csv",
    ))))?;
    run(Command::Products(products::ProductsCommand::Import(
        options(dir, "products.csv"),
    )))?;
    run(Command::Customers(customers::CustomersCommand::Import(
        options(dir, "customers.csv"),
    )))?;
    // Price changes first: orders take their cost from the prices in force on their date.
    load_price_changes(ctx, dir)?;
    run(Command::Prices(prices::PricesCommand::Observe(options(
        dir,
        "observations.csv",
    ))))?;
    run(Command::Orders(orders::OrdersCommand::Import(
        orders::ImportArgs {
            opts: options(dir, "orders.csv"),
            create_customers: false,
            create_products: false,
            replace: false,
        },
    )))?;
    load_returns(ctx, dir)?;
    run(Command::Payments(payments::PaymentsCommand::Import(
        options(dir, "payments.csv"),
    )))?;
    run(Command::Customers(customers::CustomersCommand::Regrade {
        dry_run: false,
    }))?;
    load_targets(ctx, dir)?;
    // Record October's price findings in the violations ledger, as the monthly check would.
    let check = prices::CheckArgs {
        period: Some("2026-10".into()),
        region: None,
        no_record: false,
        all: false,
    };
    run(Command::Prices(prices::PricesCommand::Check(check)))?;
    Ok(())
}

/// price_changes.csv (sku, effective, list_price, floor_price, cost, reason) goes through `prices set`.
fn load_price_changes(ctx: &Context, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("price_changes.csv"))?;
    let given = |v: &str| (!v.is_empty()).then(|| v.to_string());
    for row in reader.records() {
        let row = row?;
        let args = prices::SetArgs {
            sku: row[0].to_string(),
            effective: given(&row[1]),
            list_price: given(&row[2]),
            floor_price: given(&row[3]),
            no_floor_price: false,
            cost: given(&row[4]),
            reason: given(&row[5]),
        };
        dispatch(ctx, Command::Prices(prices::PricesCommand::Set(args)))?;
    }
    Ok(())
}

/// Annual region targets; this year's split into months by last year's seasonality and each month
/// cascaded to the reps, whose year is then the sum of their months, so every level adds up.
fn load_targets(ctx: &Context, dir: &Path) -> Result<()> {
    use targets::{Into, SplitWho, TargetsCommand, Who};
    dispatch(
        ctx,
        Command::Targets(TargetsCommand::Import(options(dir, "targets.csv"))),
    )?;
    let db = store::open_existing(&ctx.db_path)?;
    let regions: Vec<String> = store::regions::names(&db)?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    drop(db);
    let year = 2026;
    let who = SplitWho {
        region: None,
        rep: None,
        all: true,
    };
    dispatch(
        ctx,
        Command::Targets(TargetsCommand::Split {
            who,
            year,
            into: Into::Months,
            by: "last-year".into(),
        }),
    )?;
    for region in &regions {
        for month in 1..=12 {
            let period = format!("{year}-{month:02}");
            let cascade = TargetsCommand::Cascade {
                region: region.clone(),
                period,
                by: "last-year".into(),
            };
            dispatch(ctx, Command::Targets(cascade))?;
        }
    }
    let db = store::open_existing(&ctx.db_path)?;
    let mut rep_years: std::collections::BTreeMap<String, Money> =
        std::collections::BTreeMap::new();
    for t in store::targets::all(&db)? {
        if t.scope == store::targets::Scope::Rep && t.period.starts_with(&format!("{year}-")) {
            *rep_years.entry(t.code).or_default() += t.revenue.unwrap_or_default();
        }
    }
    drop(db);
    for (rep, revenue) in rep_years {
        let who = Who {
            region: None,
            rep: Some(rep),
        };
        let set = TargetsCommand::Set {
            who,
            period: year.to_string(),
            revenue: Some(revenue.to_string()),
            quantity: None,
            profit: None,
        };
        dispatch(ctx, Command::Targets(set))?;
    }
    Ok(())
}

/// returns.csv (order_id, sku, quantity, date, reason, kind) goes through `orders return`, one by one,
/// so the demo's returns obey the same rules as anyone's.
fn load_returns(ctx: &Context, dir: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(dir.join("returns.csv"))?;
    let mut count = 0;
    for row in reader.records() {
        count += 1;
        let row = row?;
        let args = orders::ReturnArgs {
            id: row[0].to_string(),
            line: format!("{}:{}", &row[1], &row[2]),
            reason: row[4].to_string(),
            kind: row[5].to_string(),
            date: Some(row[3].to_string()),
        };
        dispatch(ctx, Command::Orders(orders::OrdersCommand::Return(args)))?;
    }
    ctx.note(&format!("returns.csv: {count} returns recorded"));
    Ok(())
}

/// The last month of the demo's orders that is complete.
fn latest_full_month(ctx: &Context) -> Result<Period> {
    let db = store::open_existing(&ctx.db_path)?;
    let last = store::report::last_order_date(&db)?.unwrap_or(ctx.today);
    let month = Period::month(last.year(), last.month());
    Ok(if last == month.end {
        month
    } else {
        month.previous()
    })
}
