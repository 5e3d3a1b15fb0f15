//! `stock …`: one inventory for online and offline sales. Goods received, stock-takes and transfers
//! are moves made here; shipments and restocked returns are made by the order flow. Levels, the
//! moves themselves and the check of what went wrong (negative, short, reorder) are read here.

mod levels;
mod moves;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::import::ImportOptions;
use crate::output::{Format, Outcome};

#[derive(Subcommand, Debug)]
pub enum StockCommand {
    /// Goods received into a warehouse
    Receive(moves::ReceiveArgs),
    /// A stock-take: the counted level (--to N) or a difference (--by ±N), with a reason
    Adjust(moves::AdjustArgs),
    /// Move units from one warehouse to another (a pair of moves)
    Transfer(moves::TransferArgs),
    /// Every SKU at every warehouse: on hand, reserved, available, reorder point, value at cost
    List(levels::ListArgs),
    /// Stock moves, in date order
    Moves(moves::MovesArgs),
    /// Findings: negative (on hand below zero), short (reserved above on hand), reorder
    Check,
    /// Import receive, adjust and transfer moves from CSV (date, warehouse, sku, quantity, kind, reference, note)
    Import(ImportOptions),
    /// Export the receive, adjust and transfer moves as CSV (shipments and returns come with their orders)
    Export,
}

pub fn run(ctx: &Context, cmd: StockCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        StockCommand::Receive(args) => (moves::receive(ctx, args)?, table),
        StockCommand::Adjust(args) => (moves::adjust(ctx, args)?, table),
        StockCommand::Transfer(args) => (moves::transfer(ctx, args)?, table),
        StockCommand::List(args) => (levels::list(ctx, args)?, table),
        StockCommand::Moves(args) => (moves::list(ctx, args)?, table),
        StockCommand::Check => (levels::check(ctx)?, table),
        StockCommand::Import(opts) => (moves::import_file(ctx, &opts)?, table),
        StockCommand::Export => (moves::export(ctx)?, Format::Csv),
    })
}
