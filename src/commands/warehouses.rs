//! `warehouses …`: where stock is held, the regions each serves (an order's warehouse follows from its
//! region) and the day it opened (orders dated before it never touch its stock).

use std::collections::BTreeMap;

use anyhow::Result;
use clap::Subcommand;

use super::{clean_code, non_empty_name};
use crate::context::Context;
use crate::domain::date::parse_date;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::{names, s, Format, Outcome, Records};
use crate::store::{self, warehouses::Warehouse, Conn};

#[derive(Subcommand, Debug)]
pub enum WarehousesCommand {
    /// Add a warehouse: the regions it serves and the day it opened
    Add(AddArgs),
    /// List warehouses
    List,
    /// One warehouse
    Show(CodeArg),
    /// Change a warehouse's name, regions or opening date
    Edit(EditArgs),
    /// Remove a warehouse (refused while orders or stock moves refer to it)
    Remove(CodeArg),
    /// Import warehouses from CSV (code, name, serves, opened)
    Import(ImportOptions),
    /// Export warehouses as CSV
    Export,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The warehouse's code
    pub code: String,
    /// The warehouse's name
    #[arg(long)]
    pub name: Option<String>,
    /// Regions it serves, by code or name, comma-separated
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub serves: Vec<String>,
    /// The first day its stock counts (default today)
    #[arg(long, value_name = "DATE")]
    pub opened: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CodeArg {
    /// The warehouse's code
    pub code: String,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The warehouse's code
    pub code: String,
    /// The warehouse's name
    #[arg(long)]
    pub name: Option<String>,
    /// The whole set of regions it serves ("" for none)
    #[arg(long, value_name = "REGION,...")]
    pub serves: Option<String>,
    /// Refused once orders or moves refer to the warehouse: it decides which of them touch stock
    #[arg(long, value_name = "DATE")]
    pub opened: Option<String>,
}

const COLUMNS: &[&str] = &["code", "name", "serves", "opened"];

pub fn run(ctx: &Context, cmd: WarehousesCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        WarehousesCommand::Add(args) => (add(ctx, args)?, table),
        WarehousesCommand::List => (Outcome::records(list(ctx)?), table),
        WarehousesCommand::Export => (Outcome::records(list(ctx)?), Format::Csv),
        WarehousesCommand::Show(args) => (show(ctx, &args.code)?, table),
        WarehousesCommand::Edit(args) => (edit(ctx, args)?, table),
        WarehousesCommand::Remove(args) => (remove(ctx, &args.code)?, table),
        WarehousesCommand::Import(opts) => (import_file(ctx, &opts)?, table),
    })
}

fn row(w: Warehouse) -> Vec<crate::output::Cell> {
    vec![s(w.code), s(w.name), names(w.serves), s(w.opened)]
}

fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for w in store::warehouses::list(&db)? {
        out.push(row(w));
    }
    Ok(out)
}

fn must_get(conn: &Conn, typed: &str) -> Result<Warehouse> {
    let code = store::warehouses::must_find(conn, typed)?;
    store::found(store::warehouses::get(conn, &code)?, "warehouse", &code)
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    out.push(row(must_get(&db, code)?));
    Ok(Outcome::record(out))
}

/// Regions as typed, by code or name, each of which must exist; in code order, once each.
fn regions(conn: &Conn, typed: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match store::warehouses::find_region(conn, t) {
            Ok(Some(code)) => out.push(code),
            Ok(None) => return Err(format!("no region \"{t}\"")),
            Err(e) => return Err(format!("{e:#}")),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn opened_date(text: &str, flag: &str) -> Result<String> {
    parse_date(text)
        .map(|d| d.to_string())
        .map_err(|e| crate::error::usage(format!("{flag}: {e}")))
}

fn add(ctx: &Context, args: AddArgs) -> Result<Outcome> {
    let code = clean_code(&args.code, "warehouse")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(args.name, "--name", "Name")?)?;
    let opened = match &args.opened {
        Some(t) => opened_date(t, "--opened")?,
        None => ctx.today.to_string(),
    };
    let tx = db.begin()?;
    if store::warehouses::get(&tx, &code)?.is_some() {
        crate::bail_input!(
            "warehouse \"{code}\" exists already (change it with `salesops warehouses edit`)"
        );
    }
    let serves =
        regions(&tx, &args.serves).map_err(|e| crate::error::input(format!("--serves: {e}")))?;
    store::warehouses::insert(
        &tx,
        &Warehouse {
            code: code.clone(),
            name,
            opened,
            serves,
        },
    )?;
    ctx.audit(&tx, &format!("warehouse {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

/// The opening date decides which recorded orders and moves count: it is fixed once any refer to
/// the warehouse.
fn opened_may_change(conn: &Conn, w: &Warehouse, new: &str) -> Result<(), String> {
    if w.opened == new {
        return Ok(());
    }
    let refs = store::warehouses::referrers(conn, &w.code).map_err(|e| format!("{e:#}"))?;
    if refs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "warehouse {} opened on {}: its opening date is fixed while {} refer to it",
            w.code,
            w.opened,
            refs.join(" and ")
        ))
    }
}

fn edit(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let old = must_get(&tx, &args.code)?;
    let mut w = old.clone();
    if let Some(name) = args.name {
        w.name = non_empty_name(&name)?;
    }
    if let Some(list) = args.serves {
        let typed: Vec<String> = list.split(',').map(str::to_string).collect();
        w.serves =
            regions(&tx, &typed).map_err(|e| crate::error::input(format!("--serves: {e}")))?;
    }
    if let Some(opened) = args.opened {
        w.opened = opened_date(&opened, "--opened")?;
        opened_may_change(&tx, &old, &w.opened).map_err(crate::error::input)?;
    }
    let what = format!("warehouse {}", w.code);
    super::save_edit(ctx, tx, &what, &old, &w, |conn, w| {
        store::warehouses::update(conn, w)
    })
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let w = must_get(&db, code)?;
    let refs = store::warehouses::referrers(&db, &w.code)?;
    super::remove_record(
        ctx,
        &mut db,
        &format!("warehouse {}", w.code),
        &refs,
        "its stock history is kept",
        &format!("remove warehouse {} {}", w.code, w.name),
        |tx| {
            store::warehouses::delete(tx, &w.code)?;
            Ok(format!("warehouse {} removed", w.code))
        },
    )
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut importer = WarehousesImport {
        seen: BTreeMap::new(),
    };
    let report = import::run(ctx, &tx, opts, &mut importer)?;
    finish_import(ctx, tx, opts, &report, "warehouses")
}

struct WarehousesImport {
    seen: BTreeMap<String, u64>,
}

impl Importer for WarehousesImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["code", "name"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let name = import::name_cell(input, "name")?;
        let serves_col = input.column("serves");
        let serves = match input.cell(serves_col)? {
            Some(cell) => {
                let typed: Vec<String> = cell.split(';').map(str::to_string).collect();
                let found = regions(conn, &typed).map_err(|m| input.error(serves_col, m))?;
                for region in &found {
                    if let Some(other) =
                        store::warehouses::served_by(conn, region)?.filter(|o| *o != code)
                    {
                        return Err(input
                            .error(
                                serves_col,
                                format!("region {region} is served by warehouse {other} already"),
                            )
                            .into());
                    }
                }
                Some(found)
            }
            None => None,
        };
        let opened_col = input.column("opened");
        let opened = input.date(opened_col)?.map(|d| d.to_string());
        let written = match store::warehouses::get(conn, &code)? {
            None => {
                let Some(name) = name else {
                    let e: RowError = input.error(
                        input.column("name"),
                        "name is required for a new warehouse".into(),
                    );
                    return Err(e.into());
                };
                let Some(opened) = opened else {
                    let e: RowError =
                        input.error(opened_col, "opened is required for a new warehouse".into());
                    return Err(e.into());
                };
                store::warehouses::insert(
                    conn,
                    &Warehouse {
                        code: code.clone(),
                        name,
                        opened,
                        serves: serves.unwrap_or_default(),
                    },
                )?;
                Written::Created
            }
            Some(old) => {
                let w = Warehouse {
                    code: code.clone(),
                    name: name.unwrap_or(old.name.clone()),
                    opened: opened.unwrap_or(old.opened.clone()),
                    serves: serves.unwrap_or(old.serves.clone()),
                };
                opened_may_change(conn, &old, &w.opened).map_err(|m| input.error(opened_col, m))?;
                if w == old {
                    Written::Skipped
                } else {
                    store::warehouses::update(conn, &w)?;
                    Written::Updated
                }
            }
        };
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
