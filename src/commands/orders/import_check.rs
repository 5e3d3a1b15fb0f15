//! The check before the write lock (issue 17): a large `orders import` reads its whole file once
//! against a read snapshot, with the same importer in a mode that writes nothing, and is refused there
//! (exit 3, the same errors, nothing written) when a row is invalid. Only a clean file goes on to take
//! the write lock, so other commands wait for the write phase alone. The write phase checks every
//! row again inside the lock, as a one-pass import does: another command may have changed a customer,
//! a product or a stored order in between, and an order's rules that depend on the file's earlier
//! orders (rows of one order apart, created customers and products) can only be judged there.

use anyhow::Result;

use super::build::Resolver;
use super::import::OrdersImport;
use super::ImportArgs;
use crate::context::Context;
use crate::import::{self, ImportOptions};
use crate::store::{self, Db};

/// Files at least this large are checked before the lock. A smaller one is written in one pass: its
/// lock is held for well under a second (about 15,000 lines), less than reading it twice would cost
/// a person at the terminal to notice.
const CHECK_FIRST_FROM: u64 = 1 << 20;

/// Whether this import checks its file before it takes the write lock: a large order file (or
/// workbook) imported all-or-nothing. With `--skip-invalid` invalid rows are not a refusal, so a check
/// could stop nothing; a platform's export (`--from`) is translated inside the transaction.
pub(super) fn checks_first(opts: &ImportOptions, from_platform: bool) -> bool {
    !opts.skip_invalid
        && !from_platform
        && std::fs::metadata(&opts.file).is_ok_and(|m| m.len() >= CHECK_FIRST_FROM)
}

/// Check every row of the file against a snapshot, saying on standard error when it starts and
/// what it found; an invalid row is the import's refusal, before any lock is taken.
pub(super) fn check(ctx: &Context, db: &Db, args: &ImportArgs) -> Result<()> {
    let name = args
        .opts
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.opts.file.display().to_string());
    ctx.note(&format!(
        "{name}: checking every row before taking the write lock (other commands can still write)"
    ));
    let snapshot = db.snapshot()?;
    let policy = ctx.policy(&snapshot)?;
    let mut importer = OrdersImport {
        ledger: None,
        resolver: Resolver::new(policy),
        start_rowid: store::orders::max_rowid(&snapshot)?,
        columns: None,
        group: None,
        create_customers: args.create_customers,
        create_products: args.create_products,
        replace: args.replace,
        keep_raw: false,
        refunds: None,
        returns: 0,
    };
    let rows = import::check(ctx, &snapshot, &args.opts, &mut importer)?;
    drop(snapshot);
    ctx.note(&format!("{name}: {rows} rows checked; writing"));
    Ok(())
}
