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
mod refunds;
mod settle;
mod taobao;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::import::{CsvInput, ImportOptions, RowError, Translated};
use crate::store::Conn;

use clean::Cells;
use province::Provinces;
pub use refunds::{finish, record_refund, FullRefund, Listed};
use settle::{settle, Made};

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

/// Per source row, what a preset's reader gives: the row, or its order number (when readable) and
/// its errors.
type ReadResult = Result<Result<Row, (Option<String>, Vec<RowError>)>>;

/// The BTreeMap the item list is gathered in (order number → its items, in file order).
type Items = BTreeMap<String, Vec<taobao::Item>>;
