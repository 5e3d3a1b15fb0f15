//! The moves made by hand (`receive`, `adjust`, `transfer`, a moves file) and the listing of all
//! moves. Each writes through the ledger, which keeps the monthly stock rollup with it.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use crate::context::Context;
use crate::domain::date::parse_date;
use crate::domain::order::parse_quantity;
use crate::domain::period::Period;
use crate::domain::stock::{parse_units, Count, MAX_MOVE};
use crate::domain::values::MoveKind;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowFail, Written,
};
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    ledger::Ledger,
    stock::{MoveFilter, NewMove},
    Conn,
};

const COLUMNS: &[&str] = &[
    "date",
    "warehouse",
    "sku",
    "quantity",
    "kind",
    "reference",
    "note",
];

#[derive(clap::Args, Debug)]
pub struct ReceiveArgs {
    /// The product's SKU
    pub sku: String,
    /// Units received (above 0)
    #[arg(value_name = "N")]
    pub quantity: String,
    /// The warehouse (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub warehouse: String,
    /// Default today
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// A note in free text
    #[arg(long)]
    pub note: Option<String>,
    /// A delivery note or purchase order number
    #[arg(long)]
    pub reference: Option<String>,
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("count").required(true).args(["to", "by"])))]
pub struct AdjustArgs {
    /// The product's SKU
    pub sku: String,
    /// The warehouse (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub warehouse: String,
    /// The counted level: the move is the difference from on hand
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// A signed difference, such as -3 or +2
    #[arg(long, value_name = "±N", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// Why: kept with the record
    #[arg(long)]
    pub reason: String,
    /// Default today
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct TransferArgs {
    /// The product's SKU
    pub sku: String,
    /// Units moved (above 0)
    #[arg(value_name = "N")]
    pub quantity: String,
    /// The warehouse the units leave (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub from: String,
    /// The warehouse they go to (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub to: String,
    /// Default today
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// A note in free text
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct MovesArgs {
    /// The warehouse (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub warehouse: Option<String>,
    /// The product's SKU
    #[arg(long)]
    pub sku: Option<String>,
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Only moves of this kind
    #[arg(long, value_enum)]
    pub kind: Option<MoveKind>,
}

fn date_or_today(ctx: &Context, text: Option<&str>) -> Result<NaiveDate> {
    match text {
        Some(t) => parse_date(t).map_err(|e| crate::error::usage(format!("--date: {e}"))),
        None => Ok(ctx.today),
    }
}

/// The warehouse (open on `date`) and the product a move names; exit 3 naming what is wrong.
fn place(conn: &Conn, warehouse: &str, sku: &str, date: NaiveDate) -> Result<(String, String)> {
    let code = store::warehouses::must_find(conn, warehouse)?;
    let opened = store::warehouses::get(conn, &code)?
        .map(|w| w.opened)
        .unwrap_or_default();
    if date.to_string() < opened {
        crate::bail_input!("warehouse {code} opened on {opened}: a move dated {date} is before it");
    }
    let Some(sku) = lookup::find(conn, Kind::Product, sku)? else {
        crate::bail_input!("unknown SKU \"{}\"", sku.trim());
    };
    Ok((code, sku))
}

pub fn receive(ctx: &Context, args: ReceiveArgs) -> Result<Outcome> {
    let quantity = parse_quantity(&args.quantity).map_err(crate::error::input)?;
    if quantity > MAX_MOVE {
        crate::bail_input!("{quantity} is beyond the {MAX_MOVE} units one move may carry");
    }
    let date = date_or_today(ctx, args.date.as_deref())?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let (warehouse, sku) = place(&ledger, &args.warehouse, &args.sku, date)?;
    let day = date.to_string();
    ledger.stock_move(&NewMove {
        date: &day,
        warehouse: &warehouse,
        sku: &sku,
        quantity,
        kind: MoveKind::Receive,
        reference: args.reference.as_deref(),
        note: args.note.as_deref(),
    })?;
    let done = format!("{quantity} × {sku} received at {warehouse} on {day}");
    ctx.audit(&ledger, &done)?;
    ledger.commit()?;
    Ok(Outcome::text(done))
}

pub fn adjust(ctx: &Context, args: AdjustArgs) -> Result<Outcome> {
    let count = match (&args.to, &args.by) {
        (Some(to), _) => {
            let t = to.trim();
            match t.parse::<i64>() {
                Ok(n) if (0..=MAX_MOVE).contains(&n) => Count::To(n),
                _ => crate::bail_input!("--to: \"{t}\" is not a count of 0 or more"),
            }
        }
        (None, Some(by)) => {
            Count::By(parse_units(by).map_err(|e| crate::error::input(format!("--by: {e}")))?)
        }
        (None, None) => crate::bail_usage!("give --to N or --by ±N"),
    };
    if args.reason.trim().is_empty() {
        crate::bail_usage!("--reason is empty: say why the stock is adjusted");
    }
    let date = date_or_today(ctx, args.date.as_deref())?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let (warehouse, sku) = place(&ledger, &args.warehouse, &args.sku, date)?;
    let on_hand = store::stock::level(&ledger, &warehouse, &sku, date)?.on_hand;
    let delta = count.delta(on_hand);
    if delta == 0 {
        return Ok(Outcome::text(format!(
            "{sku} at {warehouse}: on hand {on_hand} on {date} agrees with the count; nothing changed"
        )));
    }
    if delta.abs() > MAX_MOVE {
        crate::bail_input!(
            "an adjustment of {delta} is beyond the {MAX_MOVE} units one move may carry"
        );
    }
    let day = date.to_string();
    ledger.stock_move(&NewMove {
        date: &day,
        warehouse: &warehouse,
        sku: &sku,
        quantity: delta,
        kind: MoveKind::Adjust,
        reference: None,
        note: Some(args.reason.trim()),
    })?;
    let done = format!(
        "{sku} at {warehouse} adjusted by {delta:+} on {day}: on hand {on_hand} → {}",
        on_hand + delta
    );
    ctx.audit(&ledger, &done)?;
    ledger.commit()?;
    Ok(Outcome::text(done))
}

pub fn transfer(ctx: &Context, args: TransferArgs) -> Result<Outcome> {
    let quantity = parse_quantity(&args.quantity).map_err(crate::error::input)?;
    if quantity > MAX_MOVE {
        crate::bail_input!("{quantity} is beyond the {MAX_MOVE} units one move may carry");
    }
    let date = date_or_today(ctx, args.date.as_deref())?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let (from, sku) = place(&ledger, &args.from, &args.sku, date)?;
    let (to, _) = place(&ledger, &args.to, &args.sku, date)?;
    if from == to {
        crate::bail_input!("--from and --to are both warehouse {from}");
    }
    // Units that are not there cannot leave: the same rule as a shipment.
    let on_hand = store::stock::level(&ledger, &from, &sku, date)?.on_hand;
    if on_hand < quantity {
        crate::bail_input!(
            "{sku} at warehouse {from}: on hand {on_hand} on {date}, needed {quantity}; nothing was written"
        );
    }
    let day = date.to_string();
    let reference = format!("{from}>{to}");
    for (warehouse, q) in [(&from, -quantity), (&to, quantity)] {
        ledger.stock_move(&NewMove {
            date: &day,
            warehouse,
            sku: &sku,
            quantity: q,
            kind: MoveKind::Transfer,
            reference: Some(&reference),
            note: args.note.as_deref(),
        })?;
    }
    let done = format!("{quantity} × {sku} transferred from {from} to {to} on {day}");
    ctx.audit(&ledger, &done)?;
    ledger.commit()?;
    Ok(Outcome::text(done))
}

fn rows(conn: &Conn, filter: &MoveFilter, only_made_here: bool) -> Result<Records> {
    let mut out = Records::new(COLUMNS);
    for m in store::stock::moves(conn, filter)? {
        if only_made_here && matches!(m.kind, MoveKind::Ship | MoveKind::Return) {
            continue;
        }
        out.push(vec![
            s(m.date),
            s(m.warehouse),
            s(m.sku),
            int(m.quantity),
            s(m.kind.as_str()),
            opt(m.reference),
            opt(m.note),
        ]);
    }
    Ok(out)
}

pub fn list(ctx: &Context, args: MovesArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let (from, to) = match &args.period {
        Some(p) => {
            let p = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            (Some(p.start), Some(p.end))
        }
        None => (None, None),
    };
    let filter = MoveFilter {
        warehouse: match &args.warehouse {
            Some(w) => Some(store::warehouses::must_find(&db, w)?),
            None => None,
        },
        // A SKU no product has by SKU or name filters everything out, as it always did.
        sku: match args.sku {
            Some(s) => {
                Some(lookup::find(&db, Kind::Product, &s)?.unwrap_or_else(|| s.trim().to_string()))
            }
            None => None,
        },
        from,
        to,
        kind: args.kind,
    };
    Ok(Outcome::records(rows(&db, &filter, false)?))
}

pub fn export(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    Ok(Outcome::records(rows(&db, &MoveFilter::default(), true)?))
}

pub fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let mut importer = MovesImport {
        ledger: &ledger,
        opened: BTreeMap::new(),
    };
    let report = import::run(ctx, &ledger, opts, &mut importer)?;
    let tx = ledger.into_tx()?;
    finish_import(ctx, tx, opts, &report, "stock moves")
}

struct MovesImport<'l, 'db> {
    ledger: &'l Ledger<'db>,
    /// warehouse as typed → (code, opened)
    opened: BTreeMap<String, Option<(String, String)>>,
}

impl Importer for MovesImport<'_, '_> {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["date", "warehouse", "sku", "quantity", "kind"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let mut errors = Vec::new();
        let date_col = input.column("date");
        let date = input.date(date_col).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let wh_col = input.column("warehouse");
        let typed = input.cell(wh_col)?.unwrap_or_default().to_string();
        if !self.opened.contains_key(&typed) {
            let found = match store::warehouses::find(conn, &typed) {
                Ok(Some(code)) => store::warehouses::get(conn, &code)?.map(|w| (w.code, w.opened)),
                Ok(None) => None,
                Err(e) => return Err(input.error(wh_col, format!("{e:#}")).into()),
            };
            self.opened.insert(typed.clone(), found);
        }
        let warehouse = self.opened.get(&typed).cloned().flatten();
        if warehouse.is_none() {
            errors.push(input.error(wh_col, format!("no warehouse \"{typed}\"")));
        }
        let sku_col = input.column("sku");
        let sku = input.cell(sku_col)?.unwrap_or_default().to_string();
        if !store::products::exists(conn, &sku)? {
            errors.push(input.error(sku_col, format!("unknown SKU \"{sku}\"")));
        }
        let quantity = input
            .parse(input.column("quantity"), parse_units)
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let kind_col = input.column("kind");
        let kind = input
            .parse(kind_col, |t| {
                match t.trim().parse::<MoveKind>()? {
                    k @ (MoveKind::Receive | MoveKind::Adjust | MoveKind::Transfer) => Ok(k),
                    k => Err(format!(
                        "a {k} move is made by its order (orders ship, orders return), not imported: the kinds here are receive, adjust and transfer"
                    )),
                }
            })
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        if let (Some(d), Some((code, opened))) = (date, &warehouse) {
            if d.to_string() < *opened {
                errors.push(input.error(
                    date_col,
                    format!("warehouse {code} opened on {opened}: a move dated {d} is before it"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(date), Some((warehouse, _)), Some(quantity), Some(kind)) =
            (date, warehouse, quantity, kind)
        else {
            return Err(RowFail::Invalid(vec![
                input.error(None, "incomplete row".into())
            ]));
        };
        let reference = input.cell(input.column("reference"))?.map(str::to_string);
        let note = input.cell(input.column("note"))?.map(str::to_string);
        let day = date.to_string();
        let m = NewMove {
            date: &day,
            warehouse: &warehouse,
            sku: &sku,
            quantity,
            kind,
            reference: reference.as_deref(),
            note: note.as_deref(),
        };
        if store::stock::move_exists(conn, &m)? {
            counts.add(Written::Skipped, 1);
        } else {
            self.ledger.stock_move(&m)?;
            counts.add(Written::Created, 1);
        }
        Ok(())
    }
}
