//! `payments list|import|export`: money received against orders.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::order::{Payment, PAYMENT_METHODS};
use crate::domain::period::Period;
use crate::import::{
    self, check_key, finish_import, required, Counts, CsvInput, ImportOptions, Importer, Rejects,
    RowFail, Written,
};
use crate::output::amount;
use crate::output::Format;
use crate::output::{opt, s, Outcome, Records};
use crate::store::{self, ledger::Ledger, Conn};

#[derive(Subcommand, Debug)]
pub enum PaymentsCommand {
    /// Payments in date order
    List {
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        order: Option<String>,
    },
    /// Import payments from CSV (order_id, date, amount, method, reference)
    Import(ImportOptions),
    /// Export payments as CSV
    Export,
}

const COLUMNS: &[&str] = &["order_id", "date", "amount", "method", "reference"];

pub fn run(ctx: &Context, cmd: PaymentsCommand) -> Result<(Outcome, Format)> {
    Ok(match cmd {
        PaymentsCommand::List { period, order } => (list(ctx, period, order)?, Format::Table),
        PaymentsCommand::Export => (list(ctx, None, None)?, Format::Csv),
        PaymentsCommand::Import(opts) => {
            let mut db = ctx.open()?;
            let ledger = Ledger::begin(&mut db)?;
            let report = import::run(ctx, &ledger, &opts, &mut PaymentsImport { ledger: &ledger })?;
            let tx = ledger.into_tx()?;
            (
                finish_import(ctx, tx, &opts, &report, "payments")?,
                Format::Table,
            )
        }
    })
}

fn list(ctx: &Context, period: Option<String>, order: Option<String>) -> Result<Outcome> {
    let db = ctx.open()?;
    let range = match &period {
        Some(p) => {
            let p = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            Some((p.start, p.end))
        }
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for p in store::orders::payments(&db, range, order.as_deref())? {
        out.push(vec![
            s(p.order_id),
            s(p.date),
            amount(p.amount),
            s(p.method),
            opt(p.reference),
        ]);
    }
    Ok(Outcome::records(out))
}

struct PaymentsImport<'l, 'db> {
    ledger: &'l Ledger<'db>,
}

impl Importer for PaymentsImport<'_, '_> {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["order_id", "date", "amount"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let c_order = input.column("order_id");
        let order_id = required(input, c_order, "order_id")?.to_string();
        check_key(input, c_order, &order_id)?;
        let mut errors = Vec::new();
        let date = match required(input, input.column("date"), "date")
            .and_then(|_| input.date(input.column("date")))
        {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let amount = match required(input, input.column("amount"), "amount")
            .and_then(|_| input.parse(input.column("amount"), |t| t.parse::<Money>()))
        {
            Ok(a) => a,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let c_method = input.column("method");
        let method = input.cell(c_method)?.unwrap_or("transfer").to_string();
        if !PAYMENT_METHODS.contains(&method.as_str()) {
            errors.push(input.error(
                c_method,
                format!(
                    "\"{method}\" is not a method: {}",
                    PAYMENT_METHODS.join(", ")
                ),
            ));
        }
        match store::orders::get(conn, &order_id)? {
            None => errors.push(input.error(c_order, format!("no order \"{order_id}\""))),
            Some(o) if o.status == "cancelled" => errors.push(input.error(
                c_order,
                format!("order {order_id} is cancelled: it takes no payments"),
            )),
            Some(_) => {}
        }
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(date), Some(amount)) = (date, amount) else {
            return Err(input.error(None, "incomplete row".into()).into());
        };
        let p = Payment {
            order_id,
            date: date.to_string(),
            amount,
            method,
            reference: input.cell(input.column("reference"))?.map(str::to_string),
        };
        let written = match store::orders::payment_exists(conn, &p)? {
            Some(existing) if existing == p => Written::Skipped,
            Some(existing) => {
                self.ledger.replace_payment(&existing, &p)?;
                Written::Updated
            }
            None => {
                self.ledger.pay(&p)?;
                Written::Created
            }
        };
        counts.add(written, 1);
        Ok(())
    }
}
