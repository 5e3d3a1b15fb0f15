//! The command line: global flags and one enum variant per command group.
//! Each group's subcommands and flags live beside their `run` code in `commands/`.

use clap::{Parser, Subcommand};

use crate::commands;
pub use crate::context::Global;

#[derive(Parser, Debug)]
#[command(
    name = "salesops",
    version,
    about = "Sales operations over one SQLite file: regions, reps, customers, orders, prices, targets and reports",
    propagate_version = true,
    max_term_width = 110
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database, or migrate an older one (idempotent)
    Init(commands::admin::InitArgs),
    /// Build a demo database from the sample company in examples/ and print its monthly report
    Demo(commands::demo::DemoArgs),
    /// Provinces or states
    #[command(subcommand)]
    Areas(commands::areas::AreasCommand),
    /// Sales regions and the areas they cover
    #[command(subcommand)]
    Regions(commands::regions::RegionsCommand),
    /// Salespeople
    #[command(subcommand)]
    Reps(commands::reps::RepsCommand),
    /// The customer database: leads, follow-ups, grading, checks
    #[command(subcommand)]
    Customers(commands::customers::CustomersCommand),
    /// The product catalogue
    #[command(subcommand)]
    Products(commands::products::ProductsCommand),
    /// Warehouses: where stock is held and the regions each serves
    #[command(subcommand)]
    Warehouses(commands::warehouses::WarehousesCommand),
    /// Stock: receive, adjust, transfer, levels, moves, check
    #[command(subcommand)]
    Stock(commands::stock::StockCommand),
    /// Price adjustments, market observations, price checks and the violations ledger
    #[command(subcommand)]
    Prices(commands::prices::PricesCommand),
    /// Orders: add, approve, ship, deliver, complete, cancel, return, pay, receivables, import
    #[command(subcommand)]
    Orders(commands::orders::OrdersCommand),
    /// Payments received
    #[command(subcommand)]
    Payments(commands::payments::PaymentsCommand),
    /// After-sales tickets: open, respond, resolve, close, reopen, check, KPIs
    #[command(subcommand)]
    Service(commands::service::ServiceCommand),
    /// Sales targets: set, split, cascade, check, progress
    #[command(subcommand)]
    Targets(commands::targets::TargetsCommand),
    /// Promotion campaigns: spend, traffic, attribution and return
    #[command(subcommand)]
    Campaigns(commands::campaigns::CampaignsCommand),
    /// Carriers: delivery promise, delivery record and freight
    #[command(subcommand)]
    Carriers(commands::carriers::CarriersCommand),
    /// The periodic assessment of regions and reps: scores, grades, ranks, ratings
    Scorecard(commands::scorecard::ScorecardArgs),
    /// Monthly, quarterly, annual, period and trend reports
    #[command(subcommand)]
    Report(commands::report::ReportCommand),
    /// Company policy: discounts, prices, tiers, terms, calendar
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    /// Copy the database safely while others write
    Backup(commands::admin::BackupArgs),
    /// Database checks
    #[command(subcommand)]
    Db(commands::admin::DbCommand),
    /// The log of every command that wrote
    Audit(commands::admin::AuditArgs),
    /// Print a shell completion script
    Completions(commands::admin::CompletionsArgs),
}
