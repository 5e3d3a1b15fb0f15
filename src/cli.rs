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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Values whose name says their form: codes, names, files and free text.
    const FREE: &[&str] = &[
        "code",
        "name",
        "file",
        "sku",
        "reason",
        "note",
        "phone",
        "email",
        "company",
        "city",
        "segment",
        "category",
        "unit",
        "reference",
        "tracking",
        "summary",
        "key",
        "value",
        "section",
        "shell",
        "path",
    ];

    /// Every argument of every command, with the path of the command that has it.
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
        for arg in cmd.get_arguments() {
            out.push((path.to_string(), arg.clone()));
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    /// Help that explains: every flag says what it is for in one line, and a flag that takes a value
    /// shows its form (`--period <2026-03|2026-Q1|2026|A..B>`), or lists the values it takes.
    #[test]
    fn every_argument_has_help_and_a_value_form() {
        let mut cmd = super::Cli::command();
        cmd.build();
        let mut args = Vec::new();
        walk(&cmd, "salesops", &mut args);
        let mut bad = Vec::new();
        for (path, arg) in &args {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            if help.trim().is_empty() {
                bad.push(format!("{path} {id}: no help"));
            }
            let takes_value = arg.get_action().takes_values();
            if !takes_value {
                continue;
            }
            let listed = !arg.get_possible_values().is_empty();
            let names: Vec<String> = arg
                .get_value_names()
                .map(|n| n.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            let default_name = id.to_uppercase().replace('-', "_");
            // A code, a name, a file or a line of text: its name is its form.
            let free = FREE.contains(&id);
            let formed = free || names.iter().any(|n| *n != default_name);
            if !listed && !formed {
                bad.push(format!(
                    "{path} {id}: value shown as <{default_name}>, not its form"
                ));
            }
        }
        assert!(
            bad.is_empty(),
            "{} arguments without help or form:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }

    /// The command's own flags come first; the global ones after them under their own heading.
    #[test]
    fn global_flags_have_their_own_heading() {
        let cmd = super::Cli::command();
        for arg in cmd.get_arguments().filter(|a| a.is_global_set()) {
            assert_eq!(
                arg.get_help_heading(),
                Some("Global options"),
                "{}",
                arg.get_id()
            );
        }
    }
}
