//! `products …`: the catalogue. A product's prices live in a dated history (`prices`); listings and
//! exports show the prices in force today, and a change made here takes effect today.

use std::collections::BTreeMap;

use anyhow::Result;
use clap::Subcommand;

use super::{clean_code, money_flag};
use crate::context::Context;
use crate::domain::money::{parse_price, Money};
use crate::domain::pricing::check_floor;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::amount;
use crate::output::Cell;
use crate::output::Format;
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    ledger::Ledger,
    products::{must_get, Price, Product, ALWAYS},
    Conn,
};

#[derive(Subcommand, Debug)]
pub enum ProductsCommand {
    /// Add a product with its first prices (in force from the earliest date)
    Add(AddArgs),
    /// List products with the prices in force today
    List,
    /// One product, with the prices in force today and the number of price changes
    Show(ShowArgs),
    /// Change a product; a price change takes effect today (see `prices set` for other dates)
    Edit(EditArgs),
    /// Remove a product and its prices (refused while order lines or observations refer to it)
    Remove(RemoveArgs),
    /// Import products from CSV (sku, name, category, unit, list_price, floor_price, cost)
    Import(ImportOptions),
    /// Export products as CSV, with the prices in force today
    Export,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The product's SKU
    pub sku: String,
    /// The product's name
    #[arg(long)]
    pub name: Option<String>,
    /// List price (such as 128 or ¥1,280.50)
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub list_price: Option<String>,
    /// Unit cost
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub cost: Option<String>,
    /// Floor price: the lowest net unit price allowed
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub floor_price: Option<String>,
    /// Product category, free text
    #[arg(long)]
    pub category: Option<String>,
    /// Unit of sale, free text (盒, 件 …)
    #[arg(long)]
    pub unit: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The product's SKU
    pub sku: String,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The product's SKU
    pub sku: String,
    /// The product's name
    #[arg(long)]
    pub name: Option<String>,
    /// "" clears it
    #[arg(long)]
    pub category: Option<String>,
    /// "" clears it
    #[arg(long)]
    pub unit: Option<String>,
    /// List price (such as 128 or ¥1,280.50)
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub list_price: Option<String>,
    /// Floor price: the lowest net unit price allowed
    #[arg(
        long,
        value_name = "MONEY",
        allow_hyphen_values = true,
        conflicts_with = "no_floor_price"
    )]
    pub floor_price: Option<String>,
    /// The product has no floor price from today
    #[arg(long)]
    pub no_floor_price: bool,
    /// Unit cost
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub cost: Option<String>,
    /// Stock: the reorder point, at --warehouse W or else at every warehouse ("" clears it)
    #[arg(long, value_name = "N")]
    pub reorder_at: Option<String>,
    /// The warehouse of --reorder-at
    #[arg(long, value_name = "CODE|NAME", requires = "reorder_at")]
    pub warehouse: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The product's SKU
    pub sku: String,
}

const COLUMNS: &[&str] = &[
    "sku",
    "name",
    "category",
    "unit",
    "list_price",
    "floor_price",
    "cost",
];

pub fn run(ctx: &Context, cmd: ProductsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        ProductsCommand::Add(args) => (add(ctx, args)?, table),
        ProductsCommand::List => (Outcome::records(list(ctx)?), table),
        ProductsCommand::Export => (Outcome::records(list(ctx)?), Format::Csv),
        ProductsCommand::Show(args) => (show(ctx, &args.sku)?, table),
        ProductsCommand::Edit(args) => (edit_product(ctx, args)?, table),
        ProductsCommand::Remove(args) => (remove(ctx, &args.sku)?, table),
        ProductsCommand::Import(opts) => (import_file(ctx, &opts)?, table),
    })
}

fn product_row(p: Product, price: Option<&Price>) -> Vec<Cell> {
    vec![
        s(p.sku),
        s(p.name),
        opt(p.category),
        opt(p.unit),
        price.map(|x| amount(x.list_price)).into(),
        price.and_then(|x| x.floor_price).map(amount).into(),
        price.map(|x| amount(x.cost)).into(),
    ]
}

fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for (p, price) in store::products::list(&db, ctx.today)? {
        out.push(product_row(p, price.as_ref()));
    }
    Ok(out)
}

fn show(ctx: &Context, sku: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let sku = &lookup::code(&db, Kind::Product, sku)?;
    let p = must_get(&db, sku)?;
    let price = store::products::price_in_force(&db, sku, ctx.today)?;
    let changes = (store::products::price_count(&db, sku)? - 1).max(0);
    let mut columns = COLUMNS.to_vec();
    columns.extend(["price_since", "price_reason", "price_changes"]);
    let mut out = Records::new(&columns);
    let mut row = product_row(p, price.as_ref());
    let since = price
        .as_ref()
        .map(|x| x.effective.clone())
        .filter(|e| e != ALWAYS);
    row.extend([opt(since), opt(price.and_then(|x| x.reason)), int(changes)]);
    out.push(row);
    Ok(Outcome::record(out))
}

fn add(ctx: &Context, args: AddArgs) -> Result<Outcome> {
    let AddArgs {
        sku,
        name,
        list_price,
        cost,
        floor_price,
        category,
        unit,
    } = args;
    let sku = clean_code(&sku, "product")?;
    let mut db = ctx.open()?;
    let name = super::non_empty_name(&ctx.require_text(name, "--name", "Name")?)?;
    let list_price = money_flag(
        &ctx.require_text(list_price, "--list-price", "List price")?,
        "--list-price",
    )?;
    let cost = money_flag(&ctx.require_text(cost, "--cost", "Cost")?, "--cost")?;
    let floor_price = floor_price
        .map(|f| money_flag(&f, "--floor-price"))
        .transpose()?;
    let price = Price {
        effective: ALWAYS.into(),
        list_price,
        floor_price,
        cost,
        reason: Some("initial".into()),
    };
    check_floor(price.list_price, price.floor_price).map_err(crate::error::input)?;
    let ledger = Ledger::begin(&mut db)?;
    if store::products::exists(&ledger, &sku)? {
        crate::bail_input!(
            "product \"{sku}\" exists already (change it with `salesops products edit`)"
        );
    }
    let nonempty = |v: Option<String>| v.map(|x| x.trim().to_string()).filter(|x| !x.is_empty());
    ledger.add_product(
        &Product {
            sku: sku.clone(),
            name,
            category: nonempty(category),
            unit: nonempty(unit),
        },
        &price,
    )?;
    ctx.audit(&ledger, &format!("product {sku} added"))?;
    ledger.commit()?;
    Ok(Outcome::text(sku))
}

/// The changes `edit` asks for: None leaves a field, Some(None) clears an optional one.
struct Edit {
    name: Option<String>,
    category: Option<Option<String>>,
    unit: Option<Option<String>>,
    list_price: Option<Money>,
    floor_price: Option<Option<Money>>,
    cost: Option<Money>,
}

impl Edit {
    /// The flags of `edit` as changes; a price that does not parse is a usage error.
    fn from_args(a: EditArgs) -> Result<Edit> {
        let floor = if a.no_floor_price {
            Some(None)
        } else {
            a.floor_price
                .map(|f| money_flag(&f, "--floor-price"))
                .transpose()?
                .map(Some)
        };
        Ok(Edit {
            name: a.name,
            category: a
                .category
                .map(|c| Some(c.trim().to_string()).filter(|c| !c.is_empty())),
            unit: a
                .unit
                .map(|u| Some(u.trim().to_string()).filter(|u| !u.is_empty())),
            list_price: a
                .list_price
                .map(|p| money_flag(&p, "--list-price"))
                .transpose()?,
            floor_price: floor,
            cost: a.cost.map(|c| money_flag(&c, "--cost")).transpose()?,
        })
    }
}

/// The price in force today with the given changes, or None when nothing changes.
fn changed_price(
    current: Option<&Price>,
    list_price: Option<Money>,
    floor_price: Option<Option<Money>>,
    cost: Option<Money>,
    today: &str,
    reason: &str,
) -> Option<Price> {
    let base = current.cloned().unwrap_or(Price {
        effective: today.into(),
        list_price: Money::ZERO,
        floor_price: None,
        cost: Money::ZERO,
        reason: None,
    });
    let new = Price {
        effective: today.into(),
        list_price: list_price.unwrap_or(base.list_price),
        floor_price: floor_price.unwrap_or(base.floor_price),
        cost: cost.unwrap_or(base.cost),
        reason: Some(reason.into()),
    };
    let same = current.is_some_and(|c| {
        c.list_price == new.list_price && c.floor_price == new.floor_price && c.cost == new.cost
    });
    (!same).then_some(new)
}

fn edit_product(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let sku = args.sku.clone();
    let sku = sku.as_str();
    let reorder = (args.reorder_at.clone(), args.warehouse.clone());
    let e = Edit::from_args(args)?;
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let sku = &lookup::code(&ledger, Kind::Product, sku)?;
    let old = must_get(&ledger, sku)?;
    let reorder_done = set_reorder(&ledger, sku, reorder)?;
    let mut p = old.clone();
    if let Some(name) = e.name {
        p.name = super::non_empty_name(&name)?;
    }
    if let Some(c) = e.category {
        p.category = c;
    }
    if let Some(u) = e.unit {
        p.unit = u;
    }
    let today = ctx.today.to_string();
    let current = store::products::price_in_force(&ledger, sku, ctx.today)?;
    let new_price = changed_price(
        current.as_ref(),
        e.list_price,
        e.floor_price,
        e.cost,
        &today,
        "edited",
    );
    if let Some(price) = &new_price {
        check_floor(price.list_price, price.floor_price).map_err(crate::error::input)?;
        ledger.reprice(sku, price)?;
    }
    if p != old {
        store::products::update(&ledger, &p)?;
    }
    if p == old && new_price.is_none() && reorder_done.is_none() {
        return Ok(Outcome::text(format!("product {sku}: nothing changed")));
    }
    let mut what = if new_price.is_some() {
        format!("product {sku} updated, new prices in force from {today}")
    } else {
        format!("product {sku} updated")
    };
    if let Some(done) = reorder_done {
        what.push_str(&format!(", {done}"));
    }
    ctx.audit(&ledger, &what)?;
    ledger.commit()?;
    Ok(Outcome::text(what))
}

fn remove(ctx: &Context, sku: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let sku = &lookup::code(&db, Kind::Product, sku)?;
    let p = must_get(&db, sku)?;
    let refs = store::products::referrers(&db, sku)?;
    super::remove_record(
        ctx,
        &mut db,
        &format!("product {sku}"),
        &refs,
        "it is kept for their history",
        &format!("remove product {sku} {} and its prices", p.name),
        |tx| {
            store::products::delete(tx, sku)?;
            Ok(format!("product {sku} removed"))
        },
    )
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let mut importer = ProductsImport {
        ledger: &ledger,
        today: ctx.today,
        seen: BTreeMap::new(),
    };
    let report = import::run(ctx, &ledger, opts, &mut importer)?;
    // The ledger recomputes the price marks the changed prices reach once, for the whole file.
    let tx = ledger.into_tx()?;
    finish_import(ctx, tx, opts, &report, "products")
}

struct ProductsImport<'l, 'db> {
    ledger: &'l Ledger<'db>,
    today: chrono::NaiveDate,
    seen: BTreeMap<String, u64>,
}

impl Importer for ProductsImport<'_, '_> {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["sku", "name", "list_price", "cost"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let sku = import::row_key(input, "sku", &self.seen)?;
        let mut errors: Vec<RowError> = Vec::new();
        let mut money = |field: &str| -> Option<Money> {
            input
                .parse(input.column(field), parse_price)
                .unwrap_or_else(|e| {
                    errors.push(e);
                    None
                })
        };
        let list_price = money("list_price");
        let floor_price = money("floor_price");
        let cost = money("cost");
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let text = |field: &str| -> Result<Option<String>, RowError> {
            Ok(input.cell(input.column(field))?.map(str::to_string))
        };
        let name = import::name_cell(input, "name")?;
        let category = text("category")?;
        let unit = text("unit")?;
        let floor_error = |price: &Price| -> Result<(), RowFail> {
            check_floor(price.list_price, price.floor_price)
                .map_err(|m| RowFail::from(input.error(input.column("floor_price"), m)))
        };
        let written = match store::products::get(conn, &sku)? {
            None => {
                let missing = [
                    ("name", name.is_none()),
                    ("list_price", list_price.is_none()),
                    ("cost", cost.is_none()),
                ];
                let errors: Vec<RowError> = missing
                    .iter()
                    .filter(|(_, absent)| *absent)
                    .map(|(f, _)| {
                        input.error(
                            input.column(f),
                            format!("{f} is required for a new product"),
                        )
                    })
                    .collect();
                if !errors.is_empty() {
                    return Err(RowFail::Invalid(errors));
                }
                let price = Price {
                    effective: ALWAYS.into(),
                    list_price: list_price.unwrap_or_default(),
                    floor_price,
                    cost: cost.unwrap_or_default(),
                    reason: Some("initial".into()),
                };
                floor_error(&price)?;
                self.ledger.add_product(
                    &Product {
                        sku: sku.clone(),
                        name: name.unwrap_or_default(),
                        category,
                        unit,
                    },
                    &price,
                )?;
                Written::Created
            }
            Some(old) => {
                let today = self.today.to_string();
                let current = store::products::price_in_force(conn, &sku, self.today)?;
                let new_price = changed_price(
                    current.as_ref(),
                    list_price,
                    floor_price.map(Some),
                    cost,
                    &today,
                    &format!("imported from {}", input.display_name()),
                );
                let p = Product {
                    sku: sku.clone(),
                    name: name.unwrap_or(old.name.clone()),
                    category: category.or(old.category.clone()),
                    unit: unit.or(old.unit.clone()),
                };
                if let Some(price) = &new_price {
                    floor_error(price)?;
                    self.ledger.reprice(&sku, price)?;
                }
                if p != old {
                    store::products::update(conn, &p)?;
                }
                if p == old && new_price.is_none() {
                    Written::Skipped
                } else {
                    Written::Updated
                }
            }
        };
        self.seen.insert(sku, input.line());
        counts.add(written, 1);
        Ok(())
    }
}

/// `--reorder-at N [--warehouse W]`: the reorder point of stock at one warehouse, or at every
/// warehouse when none is named; what was set, for the message and the audit.
fn set_reorder(
    conn: &Conn,
    sku: &str,
    (at, warehouse): (Option<String>, Option<String>),
) -> Result<Option<String>> {
    let Some(at) = at else {
        return Ok(None);
    };
    let at = at.trim();
    let point = if at.is_empty() {
        None
    } else {
        match at.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => crate::bail_input!("--reorder-at: \"{at}\" is not a count of 0 or more"),
        }
    };
    let warehouses = match warehouse {
        Some(w) => vec![store::warehouses::must_find(conn, &w)?],
        None => store::warehouses::list(conn)?
            .into_iter()
            .map(|w| w.code)
            .collect(),
    };
    if warehouses.is_empty() {
        crate::bail_input!("--reorder-at: there is no warehouse yet (salesops warehouses add)");
    }
    for w in &warehouses {
        store::stock::set_reorder(conn, w, sku, point)?;
    }
    let what = match point {
        Some(n) => format!("reorder point {n}"),
        None => "reorder point cleared".into(),
    };
    Ok(Some(format!("{what} at {}", warehouses.join(", "))))
}
