//! Deterministic generator of a large company for benchmarks:
//!   cargo run --release --example gen -- --lines 1000000 --seed 1 --out /tmp/bench-1m [--shape market]
//! writes regions.csv, reps.csv, products.csv, customers.csv, orders.csv (one row per line, three
//! years ending 2026-10-31), payments.csv and returns.csv, in the formats `salesops … import` reads.
//! Same arguments, same bytes.
//!
//! Two shapes of the same size. `tidy` (the default): 500 SKUs, a customer per hundred lines, lines at
//! list price with a few standard discounts and the cost from the product table. `market`, as real
//! order files are: 2,000 SKUs and 5,000 customers, unit prices spread ±5% around the list price, 40% of
//! lines discounted by 1-30%, and each line giving its own unit cost.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

/// SplitMix64: tiny, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const PROVINCES: [&str; 34] = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
];
/// Region code and its provinces (indexes into PROVINCES).
const REGIONS: [(&str, &str, &[usize]); 7] = [
    ("NORTH", "华北区", &[0, 1, 2, 3, 4]),
    ("NE", "东北区", &[5, 6, 7]),
    ("EAST", "华东区", &[8, 9, 10, 11, 12, 13, 14, 31]),
    ("SOUTH", "华南区", &[18, 19, 20, 32, 33]),
    ("CENTRAL", "华中区", &[15, 16, 17]),
    ("SW", "西南区", &[21, 22, 23, 24, 25]),
    ("NW", "西北区", &[26, 27, 28, 29, 30]),
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "勇", "艳", "杰", "涛",
];
const CATEGORIES: [&str; 6] = ["绿茶", "红茶", "乌龙茶", "普洱茶", "茶具", "礼盒"];

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Tidy,
    Market,
}

struct Args {
    lines: u64,
    seed: u64,
    out: PathBuf,
    shape: Shape,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        lines: 1_000_000,
        seed: 1,
        out: PathBuf::from("bench-data"),
        shape: Shape::Tidy,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--lines" => a.lines = value.parse().map_err(|_| format!("--lines: {value}"))?,
            "--seed" => a.seed = value.parse().map_err(|_| format!("--seed: {value}"))?,
            "--out" => a.out = PathBuf::from(value),
            "--shape" => {
                a.shape = match value.as_str() {
                    "tidy" => Shape::Tidy,
                    "market" => Shape::Market,
                    _ => return Err(format!("--shape: {value} (tidy or market)")),
                }
            }
            _ => {
                return Err(format!(
                    "unknown flag {flag} (use --lines N --seed S --out DIR --shape tidy|market)"
                ))
            }
        }
    }
    Ok(a)
}

fn writer(dir: &std::path::Path, name: &str) -> std::io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(dir.join(name))?,
    ))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let mut rng = Rng(a.seed);
    // Regions and reps: a manager, a supervisor and eight reps per region.
    let mut w = writer(&a.out, "regions.csv")?;
    writeln!(w, "code,name,parent,manager,areas")?;
    for (code, name, provinces) in REGIONS {
        let areas: Vec<&str> = provinces.iter().map(|i| PROVINCES[*i]).collect();
        writeln!(w, "{code},{name},,{code}-M,{}", areas.join(";"))?;
    }
    w.flush()?;
    let mut w = writer(&a.out, "reps.csv")?;
    writeln!(w, "code,name,region,role,manager,phone,email,status")?;
    let mut reps: Vec<Vec<String>> = Vec::new();
    for (code, _, _) in REGIONS {
        let mut mine = Vec::new();
        writeln!(
            w,
            "{code}-M,{}{},{code},manager,,,,active",
            SURNAMES[rng.below(12) as usize],
            GIVEN[rng.below(12) as usize]
        )?;
        writeln!(
            w,
            "{code}-S,{}{},{code},supervisor,{code}-M,,,active",
            SURNAMES[rng.below(12) as usize],
            GIVEN[rng.below(12) as usize]
        )?;
        for i in 1..=8 {
            let rep = format!("{code}-{i:02}");
            writeln!(
                w,
                "{rep},{}{},{code},rep,{code}-S,,,active",
                SURNAMES[rng.below(12) as usize],
                GIVEN[rng.below(12) as usize]
            )?;
            mine.push(rep);
        }
        reps.push(mine);
    }
    w.flush()?;
    // Products.
    let market = a.shape == Shape::Market;
    let n_products = if market { 2000u64 } else { 500 };
    let mut prices = Vec::new();
    let mut costs = Vec::new();
    let mut w = writer(&a.out, "products.csv")?;
    writeln!(w, "sku,name,category,unit,list_price,floor_price,cost")?;
    for i in 0..n_products {
        let cat = CATEGORIES[(i % 6) as usize];
        let list = 2000 + rng.below(200_000); // cents
        let floor = list * 85 / 100;
        let cost = list * (35 + rng.below(25)) / 100;
        writeln!(
            w,
            "P{i:05},{cat} {i},{cat},盒,{}.{:02},{}.{:02},{}.{:02}",
            list / 100,
            list % 100,
            floor / 100,
            floor % 100,
            cost / 100,
            cost % 100
        )?;
        prices.push(list);
        costs.push(cost);
    }
    w.flush()?;
    // Customers: one per hundred lines, owned by a rep of their province's region.
    let n_customers = if market {
        5000
    } else {
        (a.lines / 100).max(50)
    };
    let mut customers = Vec::with_capacity(n_customers as usize);
    let mut w = writer(&a.out, "customers.csv")?;
    writeln!(w, "code,name,area,city,company,phone,email,channel,segment,owner,tier,status,terms_days,created")?;
    for i in 0..n_customers {
        let r = rng.below(REGIONS.len() as u64) as usize;
        let (_, _, provinces) = REGIONS[r];
        let province = PROVINCES[provinces[rng.below(provinces.len() as u64) as usize]];
        let owner = &reps[r][rng.below(8) as usize];
        let channel = ["online", "offline", "agent"][rng.below(3) as usize];
        writeln!(
            w,
            "C{i:07},客户{i},{province},,,,,{channel},,{owner},,active,,2023-01-01"
        )?;
        customers.push((owner.clone(), channel));
    }
    w.flush()?;
    // Orders over three years: 2023-11-01 .. 2026-10-31.
    let start = NaiveDate::from_ymd_opt(2023, 11, 1).ok_or("date")?;
    let days = 1096i64;
    let mut orders = writer(&a.out, "orders.csv")?;
    writeln!(orders, "order_id,order_date,customer,customer_name,rep,channel,province,status,sku,product_name,category,quantity,unit_price,discount,amount,unit_cost,profit,ship_date,carrier,tracking")?;
    let mut payments = writer(&a.out, "payments.csv")?;
    writeln!(payments, "order_id,date,amount,method,reference")?;
    let mut returns = writer(&a.out, "returns.csv")?;
    writeln!(returns, "order_id,sku,quantity,date,reason,kind")?;
    let (mut written, mut order_no, mut n_returns) = (0u64, 0u64, 0u64);
    let per_day = a.lines as f64 / days as f64;
    for day in 0..days {
        let date = start + Duration::days(day);
        let target = ((day + 1) as f64 * per_day) as u64;
        while written < target.min(a.lines) {
            order_no += 1;
            let id = format!("B{order_no:09}");
            let c = rng.below(n_customers) as usize;
            let (owner, channel) = &customers[c];
            let n = (1 + rng.below(6)).min(a.lines - written);
            let mut total_cents: u64 = 0;
            let mut first_line = None;
            for _ in 0..n {
                let p = rng.below(n_products) as usize;
                let qty = 1 + rng.below(10);
                let line = if market {
                    market_line(&mut rng, prices[p], costs[p], qty)
                } else {
                    tidy_line(&mut rng, prices[p], qty)
                };
                total_cents += line.amount;
                writeln!(
                    orders,
                    "{id},{date},C{c:07},,{owner},{channel},,completed,P{p:05},,,{qty},{},{},,{},,,,",
                    yuan(line.unit_price),
                    line.discount,
                    line.unit_cost.map(yuan).unwrap_or_default()
                )?;
                first_line.get_or_insert((p, qty));
            }
            written += n;
            if rng.chance(97) {
                let paid = date + Duration::days(rng.below(60) as i64);
                writeln!(
                    payments,
                    "{id},{paid},{}.{:02},transfer,",
                    total_cents / 100,
                    total_cents % 100
                )?;
            }
            if n_returns < 200 && rng.below(5000) == 0 {
                if let Some((p, _)) = first_line {
                    writeln!(
                        returns,
                        "{id},P{p:05},1,{},损坏,quality",
                        date + Duration::days(10)
                    )?;
                    n_returns += 1;
                }
            }
        }
    }
    orders.flush()?;
    payments.flush()?;
    returns.flush()?;
    eprintln!("gen: {} lines in {order_no} orders, {n_customers} customers, {n_products} products, {n_returns} returns in {}", written, a.out.display());
    Ok(())
}

/// Cents as yuan with two decimals.
fn yuan(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// One generated order line: its cells and the amount it comes to, in cents.
struct Line {
    unit_price: u64,
    /// The discount cell: empty or a percentage ("5%").
    discount: String,
    unit_cost: Option<u64>,
    amount: u64,
}

/// amount = gross × (1 − percent) rounded half away from zero to the cent, as salesops derives it.
fn discounted(gross: u64, percent: u64) -> u64 {
    (gross * (100 - percent) + 50) / 100
}

fn percent_cell(percent: u64) -> String {
    if percent == 0 {
        String::new()
    } else {
        format!("{percent}%")
    }
}

/// A tidy line: at list price, 40% of lines with one of three standard discounts, no unit cost.
fn tidy_line(rng: &mut Rng, list: u64, qty: u64) -> Line {
    let discount = match rng.below(100) {
        0..=59 => 0,
        60..=89 => 5,
        90..=98 => 8,
        _ => 15,
    };
    Line {
        unit_price: list,
        discount: percent_cell(discount),
        unit_cost: None,
        amount: discounted(list * qty, discount),
    }
}

/// A market line: the unit price within ±5% of list (to the cent), 40% of lines discounted by 1-30%,
/// and its own unit cost within ±10% of the product's.
fn market_line(rng: &mut Rng, list: u64, cost: u64, qty: u64) -> Line {
    let unit_price = list * (9500 + rng.below(1001)) / 10000;
    let discount = if rng.chance(40) { 1 + rng.below(30) } else { 0 };
    let unit_cost = cost * (90 + rng.below(21)) / 100;
    Line {
        unit_price,
        discount: percent_cell(discount),
        unit_cost: Some(unit_cost),
        amount: discounted(unit_price * qty, discount),
    }
}
