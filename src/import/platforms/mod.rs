//! Platform order exports (淘宝/天猫, 京东, 拼多多, 抖店) read as they are downloaded
//! (`orders import FILE --from PRESET`). A preset translates the platform's rows into the rows an order
//! file has (order, lines, status, shipping, province, customer), so the order import's own rules
//! (all-or-nothing, `--skip-invalid`, `--dry-run`, re-import, updates) hold unchanged. What an order
//! file cannot say travels beside it: the full refunds to record as returns, the refunds only listed,
//! and the orders skipped as unpaid or closed.

/// Gather a row's errors: `take!(errors, expr)` keeps the value or records the error.
macro_rules! take {
    ($errors:ident, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => {
                $errors.push(e);
                None
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use take;

mod clean;
mod douyin;
mod jd;
mod pdd;
mod province;
mod taobao;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::domain::split::allocate_money;
use crate::domain::values::ReturnKind;
use crate::import::{CsvInput, ImportOptions, RowError, RowOrigin, Translated};
use crate::output::OutputFile;
use crate::store::{self, ledger::Ledger, orders::NewReturn, Conn};

use clean::Cells;
use province::Provinces;

/// The platforms whose exports import as they are.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// 淘宝/天猫: the order list (订单报表), with its lines from the item list (宝贝报表) in --details
    Taobao,
    /// 京东: one row per line
    Jd,
    /// 拼多多: one row per order
    Pdd,
    /// 抖店 (抖音): one row per sub-order
    Douyin,
}

impl Preset {
    /// What order ids and customer codes start with, so two platforms' numbers never collide.
    pub fn prefix(self) -> &'static str {
        match self {
            Preset::Taobao => "TB",
            Preset::Jd => "JD",
            Preset::Pdd => "PDD",
            Preset::Douyin => "DY",
        }
    }

    /// The platform's name as its sellers say it.
    pub fn platform(self) -> &'static str {
        match self {
            Preset::Taobao => "淘宝",
            Preset::Jd => "京东",
            Preset::Pdd => "拼多多",
            Preset::Douyin => "抖店",
        }
    }

    /// The preset as `--from` names it.
    fn name(self) -> &'static str {
        match self {
            Preset::Taobao => "taobao",
            Preset::Jd => "jd",
            Preset::Pdd => "pdd",
            Preset::Douyin => "douyin",
        }
    }

    fn fields(self) -> &'static [&'static str] {
        match self {
            Preset::Taobao => taobao::FIELDS,
            Preset::Jd => jd::FIELDS,
            Preset::Pdd => pdd::FIELDS,
            Preset::Douyin => douyin::FIELDS,
        }
    }

    /// Columns the file must have; `ONE_OF` lists those of which one is enough.
    fn required(self) -> &'static [&'static str] {
        match self {
            Preset::Taobao => taobao::REQUIRED,
            Preset::Jd => jd::REQUIRED,
            Preset::Pdd => pdd::REQUIRED,
            Preset::Douyin => douyin::REQUIRED,
        }
    }

    fn one_of(self) -> &'static [&'static [&'static str]] {
        match self {
            Preset::Taobao => &[],
            Preset::Jd => jd::ONE_OF,
            Preset::Pdd => pdd::ONE_OF,
            Preset::Douyin => &[],
        }
    }

    /// The platform's column behind each field of the made rows (`MADE`), named in errors.
    fn names(self) -> &'static [&'static str; 15] {
        match self {
            Preset::Taobao => &taobao::NAMES,
            Preset::Jd => &jd::NAMES,
            Preset::Pdd => &pdd::NAMES,
            Preset::Douyin => &douyin::NAMES,
        }
    }

    fn stage(self, status: &str) -> Option<Stage> {
        let status = status.replace(',', "，");
        match self {
            Preset::Taobao => taobao::stage(&status),
            Preset::Jd => jd::stage(&status),
            Preset::Pdd => pdd::stage(&status),
            Preset::Douyin => douyin::stage(&status),
        }
    }

    fn known_statuses(self) -> &'static str {
        match self {
            Preset::Taobao => taobao::STATUSES,
            Preset::Jd => jd::STATUSES,
            Preset::Pdd => pdd::STATUSES,
            Preset::Douyin => douyin::STATUSES,
        }
    }
}

/// A field as the platform writes its header (the fields are matched with ASCII in lower case).
fn header_name(field: &str) -> String {
    match field {
        "商品id" => "商品ID".into(),
        "商家skuid" => "商家SKUID".into(),
        "商家编码-sku维度" => "商家编码-SKU维度".into(),
        other => other.into(),
    }
}

/// The fields of the rows a preset makes: what an order file gives.
const MADE: &[&str] = &[
    "order_id",
    "order_date",
    "customer",
    "customer_name",
    "channel",
    "province",
    "status",
    "sku",
    "product_name",
    "quantity",
    "unit_price",
    "amount",
    "ship_date",
    "carrier",
    "tracking",
];

/// What a platform's order status says about the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Awaiting payment: skipped.
    Unpaid,
    /// Closed: skipped, unless it was paid and refunded in full.
    Closed,
    Paid,
    Shipped,
    Done,
    /// The status itself says the buyer's money went back in full (拼多多 未发货，退款成功).
    Refunded,
}

/// What an after-sales cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AfterSale {
    None,
    /// Refunded in full (退款成功).
    Refunded,
    /// Anything else (under way, partial): listed, never guessed.
    Other(String),
}

fn after_sale(text: Option<&str>) -> AfterSale {
    match text {
        None => AfterSale::None,
        Some(t) => match t {
            "无售后或售后取消"
            | "无售后"
            | "售后取消"
            | "售后关闭"
            | "买家撤销"
            | "退款关闭"
            | "退款取消" => AfterSale::None,
            "退款成功" | "已全额退款" | "全额退款成功" => AfterSale::Refunded,
            other => AfterSale::Other(other.to_string()),
        },
    }
}

/// Order-level values of one row of a platform's file.
#[derive(Debug, Clone, Default)]
struct Head {
    date: Option<NaiveDate>,
    paid: Option<Money>,
    postage: Option<Money>,
    status: String,
    /// Proof of payment (淘宝's 订单付款时间): a closed order that has it was refunded.
    paid_at: bool,
    buyer: Option<String>,
    province: Option<String>,
    ship_date: Option<NaiveDate>,
    carrier: Option<String>,
    tracking: Option<String>,
    /// 淘宝's 退款金额.
    refund: Option<Money>,
    /// Every date the row gives: a refund is dated the latest.
    dates: Vec<NaiveDate>,
}

/// One line as the platform gives it.
#[derive(Debug, Clone)]
struct PLine {
    sku: String,
    title: Option<String>,
    quantity: i64,
    unit_price: Money,
    after_sale: AfterSale,
}

/// One row read: its order's number, its order-level values, and its line (淘宝's order list has none).
struct Row {
    no: String,
    head: Head,
    line: Option<PLine>,
}

/// What a preset reads a row with.
struct Reading<'a, 'c> {
    cells: Cells<'a>,
    conn: &'c Conn,
    provinces: &'a mut Provinces,
}

impl Reading<'_, '_> {
    fn col(&self, field: &str) -> Option<usize> {
        self.cells.input.column(field)
    }
    /// The first of `fields` the file has.
    fn col_of(&self, fields: &[&str]) -> Option<usize> {
        fields.iter().find_map(|f| self.col(f))
    }
}

/// An order gathered from its rows.
struct POrder {
    no: String,
    first_line: u64,
    raws: Vec<(u64, Vec<String>)>,
    head: Head,
    lines: Vec<PLine>,
    /// The line each of `lines` came from.
    line_rows: Vec<u64>,
    errors: Vec<RowError>,
}

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

/// A platform's file translated: the input the order import reads, and what travels beside it.
pub struct Translation {
    pub input: CsvInput,
    pub beside: Beside,
}

/// What an order file cannot say.
pub struct Beside {
    /// Full refunds by order id, to record as returns once the order is written.
    pub refunds: HashMap<String, FullRefund>,
    pub listed: Vec<Listed>,
    /// Orders skipped as awaiting payment or closed before it.
    pub skipped: u64,
    /// The closed orders among them (id, the platform's status): one imported before, when it was
    /// still open, is cancelled.
    pub closed: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Read a platform's export (and 淘宝's item list) and translate it.
pub fn translate(
    preset: Preset,
    opts: &ImportOptions,
    details: Option<&Path>,
    interactive: bool,
    conn: &Conn,
    fields: &[&str],
    required: &[&str],
) -> Result<Translation> {
    if opts.map.is_some() {
        crate::bail_usage!(
            "--map and --from do not go together: a preset reads the platform's own headers"
        );
    }
    match (preset, details) {
        (Preset::Taobao, None) => crate::bail_usage!(
            "--from taobao needs --details FILE: the item list (宝贝报表) that holds the orders' lines"
        ),
        (Preset::Taobao, Some(_)) => {}
        (_, Some(_)) => crate::bail_usage!(
            "--details is the item list of a 淘宝 export: only --from taobao takes it"
        ),
        (_, None) => {}
    }
    let mut input = CsvInput::open(opts, preset.fields(), &[], interactive)?;
    let name = input.display_name().to_string();
    // The headers are the platform's: a missing one names the preset, never --map.
    let missing: Vec<String> = preset
        .required()
        .iter()
        .map(|f| vec![*f])
        .chain(preset.one_of().iter().map(|g| g.to_vec()))
        .filter(|group| group.iter().all(|f| input.column(f).is_none()))
        .map(|group| {
            group
                .iter()
                .map(|f| format!("\"{}\"", header_name(f)))
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    if !missing.is_empty() {
        crate::bail_input!(
            "{name}: missing column{} {} for --from {}: is it a {} order export? (the header line has: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            preset.name(),
            preset.platform(),
            input.raw_header().join(", ")
        );
    }
    let mut provinces = Provinces::default();
    let mut warnings = Vec::new();
    let items = match details {
        Some(path) => {
            let (items, unread) = taobao::read_items(opts, path, interactive)?;
            Some((items, unread, path.to_path_buf()))
        }
        None => None,
    };
    // Orders in the order the file first names them; the rows of one order together.
    let mut orders: Vec<POrder> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let source_header = input.raw_header().to_vec();
    while input.next_record()? {
        let line = input.line();
        let raw = input.raw_fields();
        if raw.iter().all(|c| clean::clean(c).is_none()) {
            continue;
        }
        let mut reading = Reading {
            cells: Cells {
                input: &input,
                date_format: opts.date_format.as_deref(),
            },
            conn,
            provinces: &mut provinces,
        };
        let read = match preset {
            Preset::Taobao => taobao::read(&mut reading),
            Preset::Jd => jd::read(&mut reading),
            Preset::Pdd => pdd::read(&mut reading),
            Preset::Douyin => douyin::read(&mut reading),
        };
        let (no, result) = match read {
            Ok(Ok(row)) => (Some(row.no.clone()), Ok(row)),
            Ok(Err((no, errors))) => (no, Err(errors)),
            Err(fatal) => return Err(fatal),
        };
        // A row whose order number cannot be read is an order of its own.
        let key = no.clone().unwrap_or_else(|| format!("\0{line}"));
        let at = *index.entry(key).or_insert_with(|| {
            orders.push(POrder {
                no: no.clone().unwrap_or_default(),
                first_line: line,
                raws: Vec::new(),
                head: Head::default(),
                lines: Vec::new(),
                line_rows: Vec::new(),
                errors: Vec::new(),
            });
            orders.len() - 1
        });
        let order = &mut orders[at];
        order.raws.push((line, raw));
        match result {
            Err(mut errors) => order.errors.append(&mut errors),
            Ok(row) => {
                if order.raws.len() == 1 {
                    order.head = row.head;
                } else if let Some(e) = disagree(&input, preset, order, &row.head) {
                    order.errors.push(e);
                }
                if let Some(l) = row.line {
                    order.lines.push(l);
                    order.line_rows.push(line);
                }
            }
        }
    }
    if let Some((mut items, unread, path)) = items {
        let details_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for order in &mut orders {
            if let Some(its) = items.remove(&order.no) {
                for it in its {
                    match it.line {
                        Ok(l) => {
                            order.lines.push(l);
                            order.line_rows.push(order.first_line);
                        }
                        Err(e) => order.errors.push(RowError {
                            line: order.first_line,
                            column: e.column,
                            message: format!("{} ({details_name} line {})", e.message, e.line),
                        }),
                    }
                }
            }
        }
        let orphans: usize = items.values().map(Vec::len).sum();
        if orphans > 0 {
            warnings.push(format!(
                "{details_name}: {orphans} item row{} name orders that {name} does not list: ignored",
                if orphans == 1 { "" } else { "s" }
            ));
        }
        if unread > 0 {
            warnings.push(format!(
                "{details_name}: {unread} row{} without an 订单编号 skipped",
                if unread == 1 { "" } else { "s" }
            ));
        }
    }
    let mut made = Made::default();
    for order in orders {
        settle(preset, order, &mut made);
    }
    let translated = Translated {
        names: preset.names().iter().map(|s| s.to_string()).collect(),
        source_header,
        rows: made.origins,
    };
    let input = CsvInput::translated(name, MADE, translated, &made.rows, opts, fields, required)?;
    Ok(Translation {
        input,
        beside: Beside {
            refunds: made.refunds,
            listed: made.listed,
            skipped: made.skipped,
            closed: made.closed,
            warnings,
        },
    })
}

/// A later row of an order that disagrees with its first on what the order paid, its date or status.
fn disagree(input: &CsvInput, preset: Preset, order: &POrder, head: &Head) -> Option<RowError> {
    let first = &order.head;
    let checks: [(&str, bool, String, String); 4] = [
        (
            "paid",
            first.paid == head.paid,
            show(first.paid),
            show(head.paid),
        ),
        (
            "postage",
            first.postage == head.postage,
            show(first.postage),
            show(head.postage),
        ),
        (
            "status",
            first.status == head.status,
            first.status.clone(),
            head.status.clone(),
        ),
        (
            "date",
            first.date == head.date,
            first.date.map(|d| d.to_string()).unwrap_or_default(),
            head.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    let names = preset.names();
    checks
        .into_iter()
        .find(|(_, same, _, _)| !same)
        .map(|(what, _, a, b)| {
            let column = match what {
                "paid" | "postage" => names[11],
                "status" => names[6],
                _ => names[1],
            };
            RowError {
                line: input.line(),
                column: Some(column.to_string()),
                message: format!(
                    "\"{b}\" differs from line {} of order {} (\"{a}\"): the rows of one order must agree on it",
                    order.first_line, order.no
                ),
            }
        })
}

fn show(m: Option<Money>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

/// The rows made so far, with where each came from and what travels beside them.
#[derive(Default)]
struct Made {
    rows: Vec<Vec<String>>,
    origins: Vec<RowOrigin>,
    refunds: HashMap<String, FullRefund>,
    listed: Vec<Listed>,
    skipped: u64,
    closed: Vec<(String, String)>,
}

impl Made {
    /// An order the import must refuse: its source rows, the first carrying the errors.
    fn invalid(&mut self, order: &POrder, errors: Vec<RowError>) {
        let mut errors = Some(errors);
        for (line, raw) in &order.raws {
            self.rows.push(vec![String::new(); MADE.len()]);
            self.origins.push(RowOrigin {
                line: *line,
                raw: raw.clone(),
                errors: Some(errors.take().unwrap_or_default()),
            });
        }
    }
}

/// Decide what becomes of one platform order: skipped, refused, or rows of an order file.
fn settle(preset: Preset, mut order: POrder, made: &mut Made) {
    if !order.errors.is_empty() {
        let errors = order.errors.clone();
        made.invalid(&order, errors);
        return;
    }
    let names = preset.names();
    let err = |col: usize, message: String| RowError {
        line: order.first_line,
        column: Some(names[col].to_string()),
        message,
    };
    // 淘宝 marks a line closed when its money went back, which only a paid order can have.
    if preset == Preset::Taobao && !order.head.paid_at {
        for l in &mut order.lines {
            l.after_sale = AfterSale::None;
        }
    }
    let head = &order.head;
    let Some(stage) = preset.stage(&head.status) else {
        let e = err(
            6,
            format!(
                "\"{}\" is not a {} order status this preset knows ({}): nothing is guessed",
                head.status,
                preset.platform(),
                preset.known_statuses()
            ),
        );
        made.invalid(&order, vec![e]);
        return;
    };
    let every_line_refunded = !order.lines.is_empty()
        && order
            .lines
            .iter()
            .all(|l| l.after_sale == AfterSale::Refunded);
    let refund = head.refund.unwrap_or(Money::ZERO);
    let refunded_in_full = stage == Stage::Refunded
        || every_line_refunded
        || (refund > Money::ZERO && refund >= head.paid.unwrap_or(Money::ZERO))
        || (stage == Stage::Closed && preset == Preset::Taobao && head.paid_at);
    match stage {
        Stage::Unpaid => {
            made.skipped += 1;
            return;
        }
        Stage::Closed if !refunded_in_full => {
            made.skipped += 1;
            made.closed.push((
                format!("{}-{}", preset.prefix(), order.no),
                format!("{} {}", preset.platform(), head.status),
            ));
            return;
        }
        _ => {}
    }
    let Some(date) = head.date else {
        made.invalid(&order, vec![err(1, format!("{} is required", names[1]))]);
        return;
    };
    if order.lines.is_empty() {
        let why = match preset {
            Preset::Taobao => format!(
                "order {} has no rows in the item list (宝贝报表) given with --details",
                order.no
            ),
            _ => format!("order {} has no line", order.no),
        };
        made.invalid(&order, vec![err(0, why)]);
        return;
    }
    // A closed order shows what was refunded when it no longer shows what was paid.
    let paid = match head.paid {
        Some(p) if stage == Stage::Closed => p.max(refund),
        Some(p) => p,
        None if refund > Money::ZERO => refund,
        None => {
            made.invalid(&order, vec![err(11, format!("{} is required", names[11]))]);
            return;
        }
    };
    let postage = head.postage.unwrap_or(Money::ZERO);
    let goods = match paid.checked_sub(postage) {
        Some(g) if !g.is_negative() => g,
        _ => {
            made.invalid(
                &order,
                vec![err(
                    11,
                    format!("the buyer paid {paid}, less than the postage {postage}"),
                )],
            );
            return;
        }
    };
    let amounts = match spread(goods, &order.lines) {
        Ok(a) => a,
        Err(e) => {
            made.invalid(&order, vec![err(11, e)]);
            return;
        }
    };
    let id = format!("{}-{}", preset.prefix(), order.no);
    let status = if refunded_in_full {
        "completed"
    } else {
        match stage {
            Stage::Shipped => "shipped",
            Stage::Done => "completed",
            _ => "confirmed",
        }
    };
    // The latest date the order's rows give.
    let latest = head
        .dates
        .iter()
        .copied()
        .chain(std::iter::once(date))
        .max()
        .unwrap_or(date);
    let reason = |text: &str| format!("{} {}", preset.platform(), text);
    if refunded_in_full {
        made.refunds.insert(
            id.clone(),
            FullRefund {
                lines: (0..order.lines.len()).collect(),
                date: latest,
                reason: reason(if stage == Stage::Closed || stage == Stage::Refunded {
                    &head.status
                } else {
                    "退款成功"
                }),
            },
        );
    } else {
        let refunded: Vec<usize> = order
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.after_sale == AfterSale::Refunded)
            .map(|(i, _)| i)
            .collect();
        if !refunded.is_empty() && status == "completed" {
            made.refunds.insert(
                id.clone(),
                FullRefund {
                    lines: refunded,
                    date: latest,
                    reason: reason("退款成功"),
                },
            );
        } else {
            // Goods are returned only once received: a line refunded before is listed until then.
            for &i in &refunded {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: Some(amounts[i]),
                    status: format!("退款成功 ({})", head.status),
                });
            }
            let lines_marked = order.lines.iter().any(|l| l.after_sale != AfterSale::None);
            if refund > Money::ZERO && !lines_marked {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: Some(refund),
                    status: head.status.clone(),
                });
            }
        }
        for l in &order.lines {
            if let AfterSale::Other(text) = &l.after_sale {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: None,
                    status: text.clone(),
                });
            }
        }
    }
    let (customer, customer_name) = customer(preset, head);
    let mut first_row_of: Vec<u64> = Vec::new();
    for (i, l) in order.lines.iter().enumerate() {
        let line = order.line_rows.get(i).copied().unwrap_or(order.first_line);
        // The source row goes to a rejects file once, with the first line made from it.
        let raw = if first_row_of.contains(&line) {
            Vec::new()
        } else {
            first_row_of.push(line);
            order
                .raws
                .iter()
                .find(|(n, _)| *n == line)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        };
        made.origins.push(RowOrigin {
            line,
            raw,
            errors: None,
        });
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        made.rows.push(vec![
            id.clone(),
            date.to_string(),
            customer.clone(),
            customer_name.clone(),
            "online".into(),
            opt(&head.province),
            status.into(),
            l.sku.clone(),
            opt(&l.title),
            l.quantity.to_string(),
            l.unit_price.to_string(),
            amounts[i].to_string(),
            head.ship_date.map(|d| d.to_string()).unwrap_or_default(),
            opt(&head.carrier),
            opt(&head.tracking),
        ]);
    }
}

/// The goods amount of an order spread over its lines in proportion to quantity × unit price, cents
/// by the largest remainder (ties to the earlier line): the parts add up to it exactly.
fn spread(goods: Money, lines: &[PLine]) -> Result<Vec<Money>, String> {
    let weights: Vec<u128> = lines
        .iter()
        .map(|l| {
            u128::try_from(l.unit_price.units()).unwrap_or(0)
                * u128::try_from(l.quantity).unwrap_or(0)
        })
        .collect();
    allocate_money(goods, &weights)
}

/// The customer of a platform order: the buyer's account, prefixed like the order id; where the
/// platform masks buyers, one customer per platform and province.
fn customer(preset: Preset, head: &Head) -> (String, String) {
    let prefix = preset.prefix();
    match head.buyer.as_deref() {
        Some(b) if !province::masked(b) => (format!("{prefix}-{b}"), b.to_string()),
        _ => {
            let place = head.province.as_deref().unwrap_or(UNKNOWN_PLACE);
            (
                format!("{prefix}-{place}"),
                format!("{}买家（{place}）", preset.platform()),
            )
        }
    }
}

/// Where a masked buyer with a masked province lives.
const UNKNOWN_PLACE: &str = "地区未知";

/// `orders.csv` → `orders.refunds.csv` beside it.
pub fn refunds_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.refunds.csv"))
}

/// Write the refunds listed (UTF-8 with a BOM, so a spreadsheet opens the Chinese right), replacing
/// the file atomically; with none listed, a file left by an earlier import of this file is removed.
pub fn write_refunds(file: &Path, listed: &[Listed]) -> Result<Option<PathBuf>> {
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
            },
        )?;
        added += 1;
    }
    Ok(added)
}

/// Cancel an order a platform closed before paying or shipping it, if an earlier export brought it in
/// while it was open (`confirmed`); one that shipped, or was never imported, is left as it is. True
/// when it was cancelled.
pub fn cancel_closed(ledger: &Ledger, id: &str, reason: &str) -> Result<bool> {
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

/// Per source row, what a preset's reader gives: the row, or its order number (when readable) and
/// its errors.
type ReadResult = Result<Result<Row, (Option<String>, Vec<RowError>)>>;

/// The BTreeMap the item list is gathered in (order number → its items, in file order).
type Items = BTreeMap<String, Vec<taobao::Item>>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(cents: i64, quantity: i64) -> PLine {
        PLine {
            sku: "S".into(),
            title: None,
            quantity,
            unit_price: Money::from_cents(cents),
            after_sale: AfterSale::None,
        }
    }

    #[test]
    fn three_lines_share_what_was_paid_to_the_cent() {
        // 262.00 paid less 10.00 postage over 100.00, 2 × 35.50 and 120.00.
        let parts = spread(
            Money::from_cents(25_200),
            &[line(10_000, 1), line(3_550, 2), line(12_000, 1)],
        )
        .expect("spread");
        let cents: Vec<i64> = parts.iter().map(|m| m.units() / 100).collect();
        assert_eq!(cents, [8_660, 6_148, 10_392]);
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn the_lines_add_up_to_the_goods_and_each_is_within_a_cent_of_its_share(
            goods in 0i64..10_000_000,
            lines in proptest::collection::vec((0i64..200_000, 1i64..50), 1..8),
        ) {
            let lines: Vec<PLine> = lines.iter().map(|&(p, q)| line(p, q)).collect();
            let parts = spread(Money::from_cents(goods), &lines).expect("spread");
            let total: i64 = parts.iter().map(|m| m.units()).sum();
            prop_assert_eq!(total, goods * 100);
            let weight: i128 = lines.iter().map(|l| i128::from(l.unit_price.units()) * i128::from(l.quantity)).sum();
            if weight > 0 {
                for (l, part) in lines.iter().zip(&parts) {
                    let exact = i128::from(goods) * i128::from(l.unit_price.units()) * i128::from(l.quantity);
                    let got = i128::from(part.units() / 100) * weight;
                    prop_assert!((got - exact).abs() < weight, "a part more than a cent off its share");
                }
            }
        }
    }
}
