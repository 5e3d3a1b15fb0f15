//! Refunds: those in full recorded as returns through the ledger, the rest listed in `NAME.refunds.csv`
//! beside the file for a person to settle; and orders the platform closed, cancelled.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use super::Beside;
use crate::domain::money::Money;
use crate::domain::values::ReturnKind;
use crate::import::ImportOptions;
use crate::output::OutputFile;
use crate::store::{self, ledger::Ledger, orders::NewReturn};

/// A refund recorded as returns: every unit of the lines named (0-based), on the date.
#[derive(Debug, Clone)]
pub struct FullRefund {
    pub lines: Vec<usize>,
    pub date: NaiveDate,
    pub reason: String,
}

/// A refund listed in `NAME.refunds.csv` for a person to settle.
#[derive(Debug, Clone)]
pub struct Listed {
    pub order_id: String,
    pub amount: Option<Money>,
    pub status: String,
}

/// `orders.csv` → `orders.refunds.csv` beside it.
fn refunds_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.refunds.csv"))
}

/// Write the refunds listed (UTF-8 with a BOM, so a spreadsheet opens the Chinese right), replacing
/// the file atomically; with none listed, a file left by an earlier import of this file is removed.
fn write_refunds(file: &Path, listed: &[Listed]) -> Result<Option<PathBuf>> {
    let path = refunds_path(file);
    if listed.is_empty() {
        let stale = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.file_type().is_file() || m.file_type().is_symlink());
        if stale {
            let _ = std::fs::remove_file(&path);
        }
        return Ok(None);
    }
    let mut out = OutputFile::create(&path)?;
    std::io::Write::write_all(&mut out, "\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["order_id", "amount", "status"])?;
    for l in listed {
        w.write_record([
            l.order_id.as_str(),
            &l.amount.map(|m| m.to_string()).unwrap_or_default(),
            l.status.as_str(),
        ])?;
    }
    w.into_inner()
        .map_err(|e| anyhow::Error::new(e.into_error()))?
        .commit()?;
    Ok(Some(path))
}

/// Record a full refund as returns of what is not returned yet of the lines it names (kind customer),
/// through the ledger as `orders return` does; a second import adds nothing. The count of returns.
pub fn record_refund(ledger: &Ledger, id: &str, refund: &FullRefund) -> Result<u64> {
    let Some(order) = store::orders::get(ledger, id)? else {
        return Ok(0);
    };
    if !order.status.counts()
        || !matches!(
            order.status,
            crate::domain::values::OrderStatus::Delivered
                | crate::domain::values::OrderStatus::Completed
        )
    {
        return Ok(0);
    }
    let lines = store::orders::lines(ledger, id)?;
    let day = refund
        .date
        .max(NaiveDate::parse_from_str(&order.order_date, "%Y-%m-%d").unwrap_or(refund.date));
    let day = day.to_string();
    let mut added = 0;
    for &i in &refund.lines {
        let Some(line) = lines.get(i) else { continue };
        let left = line.quantity - store::orders::returned_quantity(ledger, id, line.line_no)?;
        if left <= 0 {
            continue;
        }
        let amount = Money::prorate(line.amount, left, line.quantity).unwrap_or(line.amount);
        let cost = Money::prorate(line.cost, left, line.quantity).unwrap_or(line.cost);
        ledger.add_return(
            &order,
            line,
            &NewReturn {
                quantity: left,
                amount,
                cost,
                date: &day,
                reason: &refund.reason,
                kind: ReturnKind::Customer,
                ticket: None,
                // Refunds become returns only of shipped orders: their goods come back to the
                // warehouse they left, as with `orders return`.
                restock: true,
            },
        )?;
        added += 1;
    }
    Ok(added)
}

/// Cancel an order a platform closed before paying or shipping it, if an earlier export brought it in
/// while it was open (`confirmed`); one that shipped, or was never imported, is left as it is. True
/// when it was cancelled.
fn cancel_closed(ledger: &Ledger, id: &str, reason: &str) -> Result<bool> {
    use crate::domain::values::OrderStatus;
    let Some(order) = store::orders::get(ledger, id)? else {
        return Ok(false);
    };
    if order.status == OrderStatus::Cancelled || !order.status.can_move_to(OrderStatus::Cancelled) {
        return Ok(false);
    }
    ledger.set_status(
        &order,
        &store::orders::Move {
            status: OrderStatus::Cancelled,
            date: None,
            approved_by: None,
            carrier: None,
            tracking: None,
            cancel_reason: Some(reason),
        },
    )?;
    Ok(true)
}

/// After the order rows are written: cancel the closed orders an earlier export brought in open, write
/// the refunds file (never on a dry run), and say what was done, for the end of the summary line.
/// `returns` is the count of returns the import recorded for refunds.
pub fn finish(
    ledger: &Ledger,
    beside: &Beside,
    returns: u64,
    opts: &ImportOptions,
) -> Result<String> {
    let mut cancelled = 0;
    for (id, reason) in &beside.closed {
        cancelled += u64::from(cancel_closed(ledger, id, reason)?);
    }
    let mut said = format!(
        "; skipped: {} unpaid or closed; returns for refunds: {returns}",
        beside.skipped
    );
    if cancelled > 0 {
        said.push_str(&format!("; cancelled as closed: {cancelled}"));
    }
    let listed = &beside.listed;
    if opts.dry_run {
        if !listed.is_empty() {
            said.push_str(&format!("; refunds to list: {}", listed.len()));
        }
    } else if let Some(path) = write_refunds(&opts.file, listed)? {
        said.push_str(&format!(
            "; refunds listed: {} in {}",
            listed.len(),
            path.display()
        ));
    }
    Ok(said)
}
