//! `orders …`: recording orders, moving them along the status flow, returns, payments, receivables,
//! listings, import and export.

mod add;
pub mod build;
mod entry;
mod flow;
mod import;
mod import_check;
pub mod listing;
mod stocked;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::values::OrderStatus;
use crate::import::ImportOptions;
use crate::output::Format;
use crate::output::Outcome;

#[derive(Subcommand, Debug)]
pub enum OrdersCommand {
    /// Record an order; prints its id
    Add(add::AddArgs),
    /// One row per order
    List(listing::ListArgs),
    /// An order with its lines, returns and payments
    Show(listing::ShowArgs),
    /// Approve an order waiting for approval (a supervisor or manager of its region or above)
    Approve(flow::ApproveArgs),
    /// confirmed → shipped
    Ship(flow::ShipArgs),
    /// shipped → delivered
    Deliver(flow::AdvanceArgs),
    /// delivered → completed
    Complete(flow::AdvanceArgs),
    /// Cancel an order that has not shipped
    Cancel(flow::CancelArgs),
    /// Return delivered goods: --line SKU:QTY (or #N:QTY for line N)
    Return(flow::ReturnArgs),
    /// Record a payment
    Pay(flow::PayArgs),
    /// Open balances by age (not_due, 0-30, 31-60, 61-90, 90+ days past due), or the overdue orders
    Receivables(listing::ReceivablesArgs),
    /// Recompute the stored region of orders from today's region map
    ReassignRegions(flow::ReassignArgs),
    /// Import order lines from CSV (one row per line)
    Import(ImportArgs),
    /// Export order lines as CSV (one row per line)
    Export,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub opts: ImportOptions,
    /// Create customers the file names but the database lacks (from customer_name and province)
    #[arg(long)]
    pub create_customers: bool,
    /// Create products the file names but the database lacks (from product_name, category, prices)
    #[arg(long)]
    pub create_products: bool,
    /// Replace orders that differ from the stored ones
    #[arg(long)]
    pub replace: bool,
    /// Read a platform's order export as downloaded (no --map)
    #[arg(long, value_enum, value_name = "PLATFORM")]
    pub from: Option<crate::import::platforms::Preset>,
    /// With --from taobao: the item list (宝贝报表) holding the orders' lines
    #[arg(long, value_name = "FILE")]
    pub details: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Context, cmd: OrdersCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        OrdersCommand::Add(args) => (add::add(ctx, args)?, table),
        OrdersCommand::List(args) => (listing::list(ctx, args)?, table),
        OrdersCommand::Show(args) => (listing::show(ctx, &args.id)?, table),
        OrdersCommand::Approve(args) => (flow::approve(ctx, &args.id, &args.by)?, table),
        OrdersCommand::Ship(args) => (flow::ship(ctx, args)?, table),
        OrdersCommand::Deliver(args) => (flow::advance(ctx, args, OrderStatus::Delivered)?, table),
        OrdersCommand::Complete(args) => (flow::advance(ctx, args, OrderStatus::Completed)?, table),
        OrdersCommand::Cancel(args) => (flow::cancel(ctx, &args.id, &args.reason)?, table),
        OrdersCommand::Return(args) => (flow::return_goods(ctx, args)?, table),
        OrdersCommand::Pay(args) => (flow::pay(ctx, args)?, table),
        OrdersCommand::Receivables(args) => (listing::receivables(ctx, args)?, table),
        OrdersCommand::ReassignRegions(args) => (flow::reassign_regions(ctx, args.period)?, table),
        OrdersCommand::Import(args) => (import::import_file(ctx, args)?, table),
        OrdersCommand::Export => (listing::export(ctx)?, Format::Csv),
    })
}

/// A date flag, or today.
pub fn date_or_today(ctx: &Context, text: Option<&str>, flag: &str) -> Result<chrono::NaiveDate> {
    match text {
        Some(t) => crate::domain::date::parse_date(t)
            .map_err(|e| crate::error::usage(format!("{flag}: {e}"))),
        None => Ok(ctx.today),
    }
}

/// An order that must exist.
pub fn must_get(conn: &crate::store::Conn, id: &str) -> Result<crate::domain::order::Order> {
    crate::store::found(crate::store::orders::get(conn, id)?, "order", id)
}
