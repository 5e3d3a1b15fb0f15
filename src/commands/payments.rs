//! `payments list|import|export`: money received against orders.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::order::{Payment, DEFAULT_METHOD};
use crate::domain::period::Period;
use crate::domain::values::{OrderStatus, PaymentMethod};
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
    List(ListArgs),
    /// Import payments from CSV (order_id, date, amount, method, reference)
    Import(ImportOptions),
    /// Export payments as CSV
    Export,
}

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// The order id
    #[arg(long, value_name = "ORDER_ID")]
    pub order: Option<String>,
}

const COLUMNS: &[&str] = &["order_id", "date", "amount", "method", "reference"];

pub fn run(ctx: &Context, cmd: PaymentsCommand) -> Result<(Outcome, Format)> {
    Ok(match cmd {
        PaymentsCommand::List(args) => (list(ctx, args)?, Format::Table),
        PaymentsCommand::Export => (list(ctx, ListArgs::default())?, Format::Csv),
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

fn list(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let ListArgs { period, order } = args;
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
            s(p.method.as_str()),
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
        // A method that is not one leaves the row with an error, so the default never stands for it.
        let method: PaymentMethod = import::word(input, c_method, &mut errors, |m| {
            format!("\"{m}\" is not a method: {}", PaymentMethod::words())
        })?
        .unwrap_or(DEFAULT_METHOD);
        match store::orders::get(conn, &order_id)? {
            None => errors.push(input.error(c_order, format!("no order \"{order_id}\""))),
            Some(o) if o.status == OrderStatus::Cancelled => errors.push(input.error(
                c_order,
                format!("order {order_id} is cancelled: it takes no payments"),
            )),
            Some(o) => {
                if let Some(d) = date.filter(|d| d.to_string() < o.order_date) {
                    errors.push(input.error(
                        input.column("date"),
                        format!(
                            "the payment date {d} of order {order_id} is before its order date {}",
                            o.order_date
                        ),
                    ));
                }
            }
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
