//! `orders import`: one row per line, rows of an order together. It streams: an order is validated and
//! written through the ledger when its last row has been read (the ledger gathers rollup changes and
//! writes them in batches), and lookups are cached, so memory stays flat and the whole file is one
//! transaction.

use std::str::FromStr;

use anyhow::Result;
use chrono::NaiveDate;

use super::build::{Built, Draft, DraftLine, Problem, Resolver};
use super::ImportArgs;
use crate::context::Context;
use crate::domain::customer::Customer;
use crate::domain::money::{parse_non_negative, Money};
use crate::domain::order::{parse_discount, parse_quantity, Order};
use crate::domain::values::{or_list, Channel, OrderStatus};
use crate::import::{
    self, code_cell, finish_import, name_cell, platforms, required, Counts, CsvInput, Importer,
    Rejects, RowError, RowFail, Written,
};
use crate::output::Outcome;
use crate::store::{
    self,
    ledger::Ledger,
    orders::Move,
    products::{Price, Product},
    Conn,
};

pub const FIELDS: &[&str] = super::listing::EXPORT_COLUMNS;

/// Order-level columns: every row of an order must agree on them.
const ORDER_LEVEL: &[&str] = &[
    "order_date",
    "customer",
    "customer_name",
    "rep",
    "channel",
    "province",
    "status",
    "ship_date",
    "carrier",
    "tracking",
    "campaign",
    "freight",
    "warehouse",
];

pub fn import_file(ctx: &Context, args: ImportArgs) -> Result<Outcome> {
    let mut db = ctx.open()?;
    // Every reference (customer, rep, area, region, SKU) is resolved and checked by the importer before
    // a row is written, so SQLite's own per-row foreign-key lookups would only check them twice.
    // `db check` still verifies them all. (The pragma only takes effect outside a transaction.)
    store::set_foreign_keys(&db, false)?;
    // A large file is checked whole against a snapshot first: a bad row is refused before the write
    // lock is taken, and other commands wait for the write phase only (import_check.rs).
    let checked = super::import_check::checks_first(&args.opts, args.from.is_some())
        .then(|| super::import_check::check(ctx, &db, &args))
        .transpose()?
        .is_some();
    let ledger = Ledger::begin(&mut db)?;
    let policy = ctx.policy(&ledger)?;
    // A large file into an empty orders table: index after loading (one sort per index).
    let large = std::fs::metadata(&args.opts.file)
        .map(|m| m.len() > DEFER_INDEXES_ABOVE)
        .unwrap_or(false);
    if large && store::orders::is_empty(&ledger)? && !args.opts.dry_run {
        ledger.defer_indexes()?;
    }
    // A platform's export is translated into order rows first; what an order file cannot say (its
    // refunds, the orders skipped) travels beside them.
    let (input, mut beside) = match args.from {
        Some(preset) => {
            let t = platforms::translate(
                preset,
                &args.opts,
                args.details.as_deref(),
                ctx.interactive,
                &ledger,
                FIELDS,
                REQUIRED,
            )?;
            for w in &t.beside.warnings {
                ctx.note(&format!("warning: {w}"));
            }
            (Some(t.input), Some(t.beside))
        }
        None if args.details.is_some() => {
            crate::bail_usage!("--details goes with --from taobao")
        }
        None => (None, None),
    };
    let mut importer = OrdersImport {
        ledger: Some(&ledger),
        resolver: Resolver::new(policy),
        start_rowid: store::orders::max_rowid(&ledger)?,
        columns: None,
        group: None,
        create_customers: args.create_customers,
        create_products: args.create_products,
        replace: args.replace,
        keep_raw: args.opts.skip_invalid,
        refunds: beside.as_mut().map(|b| std::mem::take(&mut b.refunds)),
        returns: 0,
    };
    let mut report = match input {
        Some(input) => import::run_input(ctx, &ledger, &args.opts, &mut importer, input)?,
        None if checked => import::run_checked(ctx, &ledger, &args.opts, &mut importer)?,
        None => import::run(ctx, &ledger, &args.opts, &mut importer)?,
    };
    if let Some(beside) = &beside {
        let more = platforms::finish(&ledger, beside, importer.returns, &args.opts)?;
        report.summary.push_str(&more);
    }
    // The ledger writes its last rollups here, builds the deferred indexes, then the customers'
    // first-order dates.
    let tx = ledger.into_tx()?;
    finish_import(ctx, tx, &args.opts, &report, "orders")
}

/// One parsed row: its line-level values. Order-level values live once in the group.
struct Row {
    line: u64,
    sku: String,
    product_name: Option<String>,
    category: Option<String>,
    draft: DraftLine,
}

pub(super) struct Group {
    id: String,
    date: NaiveDate,
    ship_date: Option<NaiveDate>,
    /// The first row's order-level cells, in ORDER_LEVEL order.
    order_level: Vec<Option<String>>,
    first_line: u64,
    rows: Vec<Row>,
    errors: Vec<RowError>,
    raws: Vec<(u64, Vec<String>)>,
}

/// Column positions, found once per file: a row costs no header lookups.
pub(super) struct Columns {
    index: Vec<Option<usize>>,
    /// The file's own header per field, to name columns in errors.
    header: Vec<Option<String>>,
}

impl Columns {
    fn new(input: &CsvInput) -> Columns {
        let index: Vec<Option<usize>> = FIELDS.iter().map(|f| input.column(f)).collect();
        let header = index
            .iter()
            .map(|i| i.and_then(|i| input.raw_header().get(i).cloned()))
            .collect();
        Columns { index, header }
    }
    fn of(&self, field: &str) -> Option<usize> {
        FIELDS
            .iter()
            .position(|f| *f == field)
            .and_then(|i| self.index[i])
    }
    fn header(&self, field: &str) -> Option<String> {
        FIELDS
            .iter()
            .position(|f| *f == field)
            .and_then(|i| self.header[i].clone())
    }
}

pub(super) struct OrdersImport<'l, 'db> {
    /// The writer; none in the check before the write lock (import_check.rs), which writes nothing.
    pub(super) ledger: Option<&'l Ledger<'db>>,
    pub(super) resolver: Resolver,
    pub(super) start_rowid: i64,
    pub(super) columns: Option<std::rc::Rc<Columns>>,
    pub(super) group: Option<Group>,
    pub(super) create_customers: bool,
    pub(super) create_products: bool,
    pub(super) replace: bool,
    pub(super) keep_raw: bool,
    /// A platform's full refunds by order id (`--from`), recorded as returns once the order is written.
    pub(super) refunds: Option<std::collections::HashMap<String, platforms::FullRefund>>,
    pub(super) returns: u64,
}

/// Files above this size loaded into an empty orders table build its indexes after the load.
const DEFER_INDEXES_ABOVE: u64 = 32 << 20;

const REQUIRED: &[&str] = &["order_id", "order_date", "customer", "sku", "quantity"];

impl Importer for OrdersImport<'_, '_> {
    fn fields(&self) -> &'static [&'static str] {
        FIELDS
    }
    fn required(&self) -> &'static [&'static str] {
        REQUIRED
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let cols = self
            .columns
            .get_or_insert_with(|| std::rc::Rc::new(Columns::new(input)));
        let c_id = cols.of("order_id");
        let id = &code_cell(input, c_id, required(input, c_id, "order_id")?, "order_id")?;
        if self.group.as_ref().is_some_and(|g| g.id != *id) {
            self.flush_group(conn, counts, rejects)?;
        }
        let cols = self.columns.as_ref().expect("set above");
        let parsed = parse_row(input, cols);
        if self.group.is_none() {
            let mut errors = Vec::new();
            let order_level = ORDER_LEVEL
                .iter()
                .map(|f| match level_cell(input, cols, f) {
                    Ok(v) => v,
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                })
                .collect();
            // A row invalid elsewhere still gives its dates, which the order's other rows must match.
            let (date, ship_date) = match &parsed {
                Ok((_, d, s)) => (*d, *s),
                Err(_) => (
                    input
                        .date(cols.of("order_date"))
                        .ok()
                        .flatten()
                        .unwrap_or(NaiveDate::MIN),
                    input.date(cols.of("ship_date")).ok().flatten(),
                ),
            };
            self.group = Some(Group {
                id: id.to_string(),
                date,
                ship_date,
                order_level,
                first_line: input.line(),
                rows: Vec::new(),
                errors,
                raws: Vec::new(),
            });
        } else if let Some(group) = self.group.as_mut() {
            // Later rows must agree with the first on every order-level column.
            for (i, field) in ORDER_LEVEL.iter().enumerate() {
                let col = cols.of(field);
                let cell = level_cell(input, cols, field)?;
                let cell = cell.as_deref();
                let same = match (field, cell, group.order_level[i].as_deref()) {
                    (_, None, None) => true,
                    (&"order_date", Some(a), Some(b)) => {
                        a == b || input.date(col).ok().flatten() == Some(group.date)
                    }
                    (&"ship_date", Some(a), Some(b)) => {
                        a == b
                            || input
                                .date(col)
                                .ok()
                                .flatten()
                                .is_some_and(|d| Some(d) == group.ship_date)
                    }
                    (_, Some(a), Some(b)) => a == b,
                    _ => false,
                };
                if !same {
                    group.errors.push(input.error(
                        col,
                        format!(
                            "\"{}\" differs from line {} of order {id} (\"{}\"): the rows of one order must agree on {field}",
                            cell.unwrap_or_default(),
                            group.first_line,
                            group.order_level[i].clone().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        let Some(group) = self.group.as_mut() else {
            return Ok(());
        };
        if self.keep_raw {
            group.raws.push((input.line(), input.raw_fields()));
        }
        match parsed {
            Ok((row, _, _)) => group.rows.push(row),
            Err(mut errors) => group.errors.append(&mut errors),
        }
        Ok(())
    }

    fn finish(
        &mut self,
        conn: &Conn,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        self.flush_group(conn, counts, rejects)
    }
}

/// Parse one row's line-level values, its order date and ship date; or every error in it.
fn parse_row(
    input: &CsvInput,
    cols: &Columns,
) -> Result<(Row, NaiveDate, Option<NaiveDate>), Vec<RowError>> {
    let mut errors = Vec::new();
    macro_rules! take {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
    }
    let col = |f: &str| cols.of(f);
    let text = |f: &str| input.cell(col(f)).map(|v| v.map(str::to_string));
    let date = take!(required(input, col("order_date"), "order_date")
        .and_then(|_| input.date(col("order_date"))));
    // The customer's code is checked with the order-level cells (`level_cell`).
    if let Err(e) = required(input, col("customer"), "customer") {
        errors.push(e);
    }
    let sku = take!(required(input, col("sku"), "sku")
        .and_then(|s| code_cell(input, col("sku"), s, "sku"))
        .map(Some));
    let quantity = take!(required(input, col("quantity"), "quantity")
        .and_then(|_| input.parse(col("quantity"), parse_quantity)));
    let money = |f: &str| input.parse(col(f), |t| t.parse::<Money>());
    let non_negative = |f: &str| -> Result<Option<Money>, RowError> {
        match money(f)? {
            Some(m) if m.is_negative() => Err(input.error(col(f), format!("\"{m}\" is negative"))),
            v => Ok(v),
        }
    };
    let unit_price = take!(non_negative("unit_price"));
    let amount = take!(non_negative("amount"));
    let unit_cost = take!(non_negative("unit_cost"));
    let profit = take!(money("profit"));
    let discount = take!(input.parse(col("discount"), parse_discount));
    if unit_price.is_none()
        && amount.is_none()
        && matches!(input.cell(col("unit_price")), Ok(None))
        && matches!(input.cell(col("amount")), Ok(None))
    {
        errors.push(input.error(None, "give unit_price or amount (or both)".into()));
    }
    let ship_date = take!(input.date(col("ship_date")));
    // Order-level cells are kept as text (the rows of an order must agree on them); here they are
    // only checked, and `level_word` reads them once the order is complete.
    if let Some(st) = take!(input.cell(col("status"))) {
        if st.parse::<OrderStatus>().is_err() {
            errors.push(input.error(
                col("status"),
                format!("\"{st}\" is not a status: {}", OrderStatus::words()),
            ));
        }
    }
    if let Some(ch) = take!(input.cell(col("channel"))) {
        if ch.parse::<Channel>().is_err() {
            errors.push(input.error(
                col("channel"),
                format!("\"{ch}\" is not a channel: {}", or_list(&Channel::words())),
            ));
        }
    }
    let product_name = take!(name_cell(input, "product_name"));
    let category = take!(text("category"));
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(date), Some(sku), Some(quantity)) = (date, sku, quantity) else {
        return Err(vec![input.error(None, "incomplete row".into())]);
    };
    let draft = DraftLine {
        sku: sku.clone(),
        quantity,
        unit_price,
        discount,
        amount,
        unit_cost,
        profit,
    };
    Ok((
        Row {
            line: input.line(),
            sku,
            product_name,
            category,
            draft,
        },
        date,
        ship_date,
    ))
}

/// An order-level cell as the order keeps it: codes (customer, rep) in their stored form, the customer's
/// name checked as a name, the rest as given.
fn level_cell(input: &CsvInput, cols: &Columns, field: &str) -> Result<Option<String>, RowError> {
    let col = cols.of(field);
    let Some(value) = input.cell(col)? else {
        return Ok(None);
    };
    match field {
        "customer" | "rep" => code_cell(input, col, value, field).map(Some),
        "customer_name" => crate::domain::text::name(value, field)
            .map(Some)
            .map_err(|e| input.error(col, e)),
        _ => Ok(Some(value.to_string())),
    }
}

fn level<'a>(group: &'a Group, field: &str) -> Option<&'a str> {
    ORDER_LEVEL
        .iter()
        .position(|f| *f == field)
        .and_then(|i| group.order_level[i].as_deref())
}

/// An order-level cell holding a stored word (status, channel). `parse_row` refused a row whose cell is
/// not one, so a group that reaches here has none that fails to parse.
fn level_word<T: FromStr>(group: &Group, field: &str) -> Option<T> {
    level(group, field).and_then(|w| w.parse().ok())
}

impl OrdersImport<'_, '_> {
    fn flush_group(
        &mut self,
        conn: &Conn,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let Some(group) = self.group.take() else {
            return Ok(());
        };
        let n = group.rows.len().max(group.raws.len()) as u64;
        match self.write_group(conn, &group)? {
            Ok(mut written) => {
                let refund = self.refunds.as_ref().and_then(|r| r.get(&group.id));
                if let (Some(ledger), Some(refund)) = (self.ledger, refund) {
                    let added = platforms::record_refund(ledger, &group.id, refund)?;
                    self.returns += added;
                    if added > 0 && written == Written::Skipped {
                        written = Written::Updated;
                    }
                }
                counts.add(written, group.rows.len() as u64)
            }
            Err(errors) => {
                counts.rejected += n.max(1);
                rejects.record(errors, &group.raws)?;
            }
        }
        Ok(())
    }

    /// Validate and write one order; Ok(Err(errors)) when the order is invalid.
    fn write_group(
        &mut self,
        conn: &Conn,
        group: &Group,
    ) -> Result<Result<Written, Vec<RowError>>, RowFail> {
        if !group.errors.is_empty() {
            return Ok(Err(group.errors.clone()));
        }
        let Some(first) = group.rows.first() else {
            return Ok(Err(Vec::new()));
        };
        let columns = self.columns.clone();
        let err = |line: u64, field: &str, message: String| RowError {
            line,
            column: columns.as_ref().and_then(|c| c.header(field)),
            message,
        };
        // One look-up by id: most orders of a file are new, and a new one needs no other read.
        let stored = store::orders::rowid_of(conn, &group.id)?;
        if let Some(rowid) = stored {
            if rowid > self.start_rowid {
                return Ok(Err(vec![err(
                    first.line,
                    "order_id",
                    format!(
                        "the rows of order {} are not together: sort the file by order_id",
                        group.id
                    ),
                )]));
            }
        }
        let customer = level(group, "customer").unwrap_or_default().to_string();
        let mut errors = Vec::new();
        // In the check before the lock a customer or product the import would create does not exist
        // yet, so the order's checks that need it are left to the write phase.
        let mut to_create = false;
        if self.resolver.customer(conn, &customer)?.is_none() {
            if self.create_customers && self.ledger.is_none() {
                to_create = true;
            } else if self.create_customers {
                self.create_customer(conn, group, &customer)?;
            } else {
                errors.push(err(
                    first.line,
                    "customer",
                    format!("unknown customer \"{customer}\" (add it, or use --create-customers)"),
                ));
            }
        }
        for row in &group.rows {
            if self.resolver.product(conn, &row.sku)?.is_none() {
                if self.create_products && self.ledger.is_none() {
                    to_create = true;
                } else if self.create_products {
                    self.create_product(row)?;
                } else {
                    errors.push(err(
                        row.line,
                        "sku",
                        format!(
                            "unknown SKU \"{}\" (add it, or use --create-products)",
                            row.sku
                        ),
                    ));
                }
            }
        }
        let freight = match level(group, "freight") {
            Some(text) => match parse_non_negative(text, "freight") {
                Ok(m) => Some(m),
                Err(why) => {
                    errors.push(err(first.line, "freight", why));
                    None
                }
            },
            None => None,
        };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        if to_create {
            return Ok(Ok(Written::Created));
        }
        let draft = Draft {
            id: group.id.clone(),
            date: group.date,
            customer,
            rep: level(group, "rep").map(str::to_string),
            channel: level_word(group, "channel"),
            province: level(group, "province").map(str::to_string),
            status: level_word(group, "status"),
            ship_date: group.ship_date,
            carrier: level(group, "carrier").map(str::to_string),
            tracking: level(group, "tracking").map(str::to_string),
            lines: group.rows.iter().map(|r| r.draft.clone()).collect(),
            campaign: level(group, "campaign").map(str::to_string),
            freight,
            warehouse: level(group, "warehouse").map(str::to_string),
        };
        let built = match self.resolver.build(conn, &draft)? {
            Ok(b) => b,
            Err(problems) => {
                return Ok(Err(problems
                    .into_iter()
                    .map(|p| problem_error(self.columns.as_deref(), group, p))
                    .collect()))
            }
        };
        let old = match stored {
            Some(_) => store::orders::get(conn, &group.id)?,
            None => None,
        };
        match old {
            None => {
                if let Some(ledger) = self.ledger {
                    ledger.record(&built.order, &built.lines)?;
                }
                Ok(Ok(Written::Created))
            }
            Some(old) => self.update_existing(conn, group, old, built),
        }
    }

    fn update_existing(
        &mut self,
        conn: &Conn,
        group: &Group,
        old: Order,
        mut built: Built,
    ) -> Result<Result<Written, Vec<RowError>>, RowFail> {
        // A file without a campaign or freight leaves the stored one as it is.
        if built.order.campaign.is_none() {
            built.order.campaign = old.campaign.clone();
        }
        if built.order.freight.is_none() {
            built.order.freight = old.freight;
        }
        let line = group.rows.first().map(|r| r.line).unwrap_or(0);
        let columns = self.columns.clone();
        let err = |field: &str, message: String| RowError {
            line,
            column: columns.as_ref().and_then(|c| c.header(field)),
            message,
        };
        let new = &built.order;
        let old_lines = store::orders::lines(conn, &old.id)?;
        let same_core = old.order_date == new.order_date
            && old.customer == new.customer
            && old.rep == new.rep
            && old.area == new.area
            && old.province == new.province
            && old.channel == new.channel
            && old.campaign == new.campaign
            && old_lines == built.lines
            // A warehouse the file does not give is resolved again, so only a given one can differ.
            && (level(group, "warehouse").is_none() || old.warehouse == new.warehouse);
        let same_shipping = old.ship_date == new.ship_date
            && old.carrier == new.carrier
            && old.tracking == new.tracking
            && old.freight == new.freight;
        if same_core && same_shipping && old.status == new.status {
            return Ok(Ok(Written::Skipped));
        }
        if same_core {
            if old.status != new.status {
                let forward = match (old.status.rank(), new.status.rank()) {
                    (Some(a), Some(b)) => b > a,
                    _ => old.status.can_move_to(new.status),
                };
                if !forward {
                    return Ok(Err(vec![err(
                        "status",
                        format!(
                            "order {} is {}: it cannot become {}",
                            old.id, old.status, new.status
                        ),
                    )]));
                }
                let Some(ledger) = self.ledger else {
                    return Ok(Ok(Written::Updated));
                };
                ledger.set_status(
                    &old,
                    &Move {
                        status: new.status,
                        date: None,
                        approved_by: None,
                        carrier: None,
                        tracking: None,
                        cancel_reason: None,
                    },
                )?;
            }
            if let (false, Some(ledger)) = (same_shipping, self.ledger) {
                ledger.set_shipping(
                    &old.id,
                    new.ship_date.as_deref(),
                    new.carrier.as_deref(),
                    new.tracking.as_deref(),
                )?;
                if old.freight != new.freight {
                    ledger.set_freight(&old.id, new.freight)?;
                }
            }
            return Ok(Ok(Written::Updated));
        }
        if !self.replace {
            return Ok(Err(vec![err("order_id", format!("order {} differs from the stored one (lines, customer, rep, date, area or campaign): use --replace to replace it", old.id))]));
        }
        if !store::orders::returns_of(conn, &old.id)?.is_empty() {
            return Ok(Err(vec![err(
                "order_id",
                format!(
                    "order {} has returns recorded: it cannot be replaced",
                    old.id
                ),
            )]));
        }
        if let Some(ledger) = self.ledger {
            ledger.replace(&old, new, &built.lines)?;
        }
        Ok(Ok(Written::Updated))
    }

    fn create_customer(&mut self, conn: &Conn, group: &Group, code: &str) -> Result<(), RowFail> {
        let date = group.date;
        let area = match level(group, "province") {
            Some(p) => self.resolver.area(conn, p)?,
            None => None,
        };
        let name = level(group, "customer_name").unwrap_or(code);
        let mut c = Customer::new(code, name, &date.to_string());
        c.area = area;
        if let Some(channel) = level_word(group, "channel") {
            c.channel = channel;
        }
        store::customers::insert(conn, &c)?;
        self.resolver.forget_customer(code);
        Ok(())
    }

    fn create_product(&mut self, row: &Row) -> Result<(), RowFail> {
        let d = &row.draft;
        let list = d
            .unit_price
            .or_else(|| {
                d.amount.and_then(|a| {
                    Money::derive_unit_price(a, d.quantity, d.discount.unwrap_or_default())
                })
            })
            .unwrap_or_default();
        // The unit cost given, else the line cost (amount − profit) per unit, else nothing known: 0.
        let per_unit =
            |line_cost: Money| Money::derive_unit_price(line_cost, d.quantity, Default::default());
        let cost = d
            .unit_cost
            .or_else(|| {
                d.profit
                    .and_then(|p| d.amount.and_then(|a| a.checked_sub(p)))
                    .and_then(per_unit)
            })
            .unwrap_or_default();
        let cost = if cost.is_negative() {
            Money::ZERO
        } else {
            cost
        };
        let Some(ledger) = self.ledger else {
            return Ok(());
        };
        ledger.add_product(
            &Product {
                sku: row.sku.clone(),
                name: row.product_name.clone().unwrap_or_else(|| row.sku.clone()),
                category: row.category.clone(),
                unit: None,
            },
            &Price {
                effective: store::products::ALWAYS.into(),
                list_price: list,
                floor_price: None,
                cost,
                reason: Some("created by orders import".into()),
            },
        )?;
        self.resolver.forget_product(&row.sku);
        Ok(())
    }
}

fn problem_error(columns: Option<&Columns>, group: &Group, p: Problem) -> RowError {
    let line = p
        .line
        .and_then(|i| group.rows.get(i))
        .or(group.rows.first())
        .map(|r| r.line)
        .unwrap_or(0);
    RowError {
        line,
        column: columns.and_then(|c| c.header(p.field)),
        message: p.message,
    }
}
