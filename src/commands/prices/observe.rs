//! `prices observe FILE`: market prices seen on platforms, through the import engine. Observations are
//! keyed by all their columns, so identical rows (in the file or already stored) are skipped.

use anyhow::Result;

use crate::context::Context;
use crate::domain::money::parse_price;
use crate::import::{
    self, finish_import, required, Counts, CsvInput, ImportOptions, Importer, Rejects, RowFail,
    Written,
};
use crate::output::Outcome;
use crate::store::{self, prices::Observation, Conn};

const FIELDS: &[&str] = &["date", "sku", "price", "platform", "seller", "area", "url"];

pub fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let report = import::run(ctx, &tx, opts, &mut ObservationsImport)?;
    finish_import(ctx, tx, opts, &report, "observations")
}

struct ObservationsImport;

impl Importer for ObservationsImport {
    fn fields(&self) -> &'static [&'static str] {
        FIELDS
    }
    fn required(&self) -> &'static [&'static str] {
        &["date", "sku", "price"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let mut errors = Vec::new();
        let c_date = input.column("date");
        let date = match required(input, c_date, "date").and_then(|_| input.date(c_date)) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let c_sku = input.column("sku");
        let sku = match required(input, c_sku, "sku") {
            Ok(sku) => {
                if !store::products::exists(conn, sku)? {
                    errors.push(input.error(c_sku, format!("no product \"{sku}\"")));
                }
                Some(sku.to_string())
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let c_price = input.column("price");
        let price = match required(input, c_price, "price")
            .and_then(|_| input.parse(c_price, parse_price))
        {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let c_area = input.column("area");
        let area = match input.cell(c_area)? {
            Some(typed) => match store::areas::find(conn, typed)? {
                Some(a) => Some(a.code),
                None => {
                    errors.push(input.error(
                        c_area,
                        format!("unknown area \"{typed}\" (see `salesops areas list`)"),
                    ));
                    None
                }
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(date), Some(sku), Some(price)) = (date, sku, price) else {
            return Err(input.error(None, "incomplete row".into()).into());
        };
        let text = |field: &str| -> Result<Option<String>, RowFail> {
            Ok(input.cell(input.column(field))?.map(str::to_string))
        };
        let o = Observation {
            date: date.to_string(),
            sku,
            price,
            platform: text("platform")?,
            seller: text("seller")?,
            area,
            url: text("url")?,
        };
        let written = if store::prices::observation_exists(conn, &o)? {
            Written::Skipped
        } else {
            store::prices::insert_observation(conn, &o)?;
            Written::Created
        };
        counts.add(written, 1);
        Ok(())
    }
}
