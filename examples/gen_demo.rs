//! Generates the demo company's data for salesops: 茗源茶业 (a Chinese tea company).
//!
//!     cargo run --example gen_demo                # rewrites every CSV in examples/demo/
//!     cargo run --example gen_demo -- --out DIR   # writes them into DIR instead
//!
//! Deterministic (fixed seed, no wall clock, sorted output): the same bytes every run. It prints
//! the row counts and runs a self-check on the files it wrote.
//!
//! The data was first drawn by a Python 3.11 script with `random.Random(20261123)` and `decimal`.
//! This is its port, draw for draw: [`PyRandom`] reproduces CPython's `random` and [`Dec`] its
//! `Decimal` rounding, so the committed files keep their bytes (the demo's reports are pinned by
//! tests, and tests/demo_data.rs checks that this writes exactly the committed files). Any change
//! that adds, drops or reorders a draw changes the data from there on.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::ops::{Add, Div, Mul, Sub};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};

// ---------------------------------------------------------------------------
// CPython's random
// ---------------------------------------------------------------------------

/// CPython 3.11's `random.Random`, the methods the generator uses.
///
/// The committed demo data was drawn by exactly these algorithms, so they are reproduced draw for
/// draw rather than replaced by a Rust generator: the Mersenne Twister MT19937 of
/// `Modules/_randommodule.c` (an int seed goes through `init_by_array` as its 32-bit words) and
/// the methods of `Lib/random.py` on top of it. Floats are computed in the same order with the
/// same libm functions (`exp`, `log`, `pow`) as CPython.
struct PyRandom {
    mt: [u32; Self::N],
    index: usize,
}

impl PyRandom {
    const N: usize = 624;
    const M: usize = 397;

    /// `random.Random(seed)`: `init_by_array` over the seed's 32-bit words, least significant
    /// first.
    fn new(seed: u64) -> PyRandom {
        let mut key = vec![seed as u32];
        if seed >> 32 != 0 {
            key.push((seed >> 32) as u32);
        }
        let mut r = PyRandom {
            mt: [0; Self::N],
            index: Self::N,
        };
        r.init_by_array(&key);
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..Self::N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = Self::N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1, 0);
        for _ in 0..Self::N.max(key.len()) {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= Self::N {
                self.mt[0] = self.mt[Self::N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..Self::N - 1 {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= Self::N {
                self.mt[0] = self.mt[Self::N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x8000_0000;
    }

    /// `genrand_uint32`: the next 32 bits of MT19937.
    fn next_u32(&mut self) -> u32 {
        const MATRIX_A: u32 = 0x9908_b0df;
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        if self.index >= Self::N {
            for k in 0..Self::N {
                let y = (self.mt[k] & UPPER) | (self.mt[(k + 1) % Self::N] & LOWER);
                let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
                self.mt[k] = self.mt[(k + Self::M) % Self::N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: 53 random bits, `(a >> 5, b >> 6)` of two words, as a float in [0, 1).
    fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (a as f64 * 67_108_864.0 + b as f64) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 1 <= k <= 64: whole words from the least significant end, the last
    /// one shifted down to the bits still wanted.
    fn getrandbits(&mut self, k: u32) -> u64 {
        if k <= 32 {
            return u64::from(self.next_u32() >> (32 - k));
        }
        let (mut bits, mut left, mut shift) = (0u64, k, 0);
        while left > 0 {
            let mut r = self.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            bits |= u64::from(r) << shift;
            shift += 32;
            left = left.saturating_sub(32);
        }
        bits
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): draws of `n.bit_length()` bits until one
    /// is below n.
    fn randbelow(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }

    /// `randint(a, b)` = `randrange(a, b + 1)` = `a + _randbelow(b - a + 1)`.
    fn randint(&mut self, a: i64, b: i64) -> i64 {
        assert!(a <= b, "empty range for randint({a}, {b})");
        a + self.randbelow((b - a + 1) as u64) as i64
    }

    /// `choice(seq)`: `seq[_randbelow(len(seq))]`.
    fn choice<T: Clone>(&mut self, seq: &[T]) -> T {
        seq[self.randbelow(seq.len() as u64) as usize].clone()
    }

    /// The index `choices(population, weights)[0]` takes: the cumulative float sums of the
    /// weights (`itertools.accumulate`), then `bisect_right(cum, random() * total, 0, n - 1)`.
    fn weighted_index(&mut self, weights: &[f64]) -> usize {
        let mut cum = Vec::with_capacity(weights.len());
        for (i, &w) in weights.iter().enumerate() {
            cum.push(if i == 0 { w } else { cum[i - 1] + w });
        }
        let total = cum[cum.len() - 1];
        let x = self.random() * total;
        cum[..cum.len() - 1].partition_point(|&c| c <= x)
    }

    /// `choices(population, weights=weights)[0]`.
    fn choices<T: Clone>(&mut self, population: &[T], weights: &[f64]) -> T {
        assert_eq!(population.len(), weights.len());
        population[self.weighted_index(weights)].clone()
    }

    /// `sample(population, k)` with CPython 3.11's two algorithms: a shrinking pool when the
    /// population is no bigger than a k-element set would be (`setsize`), else redraws of indices
    /// until one has not been selected yet.
    fn sample<T: Clone>(&mut self, population: &[T], k: usize) -> Vec<T> {
        let n = population.len();
        assert!(k <= n, "sample larger than population");
        let mut setsize = 21;
        if k > 5 {
            // 4 ** ceil(log(k * 3, 4)), log(x, base) being log(x) / log(base)
            let e = ((k * 3) as f64).ln() / 4f64.ln();
            setsize += 4usize.pow(e.ceil() as u32);
        }
        let mut result = Vec::with_capacity(k);
        if n <= setsize {
            let mut pool = population.to_vec();
            for i in 0..k {
                let j = self.randbelow((n - i) as u64) as usize;
                result.push(pool[j].clone());
                pool[j] = pool[n - i - 1].clone();
            }
        } else {
            let mut selected = HashSet::new();
            for _ in 0..k {
                let mut j = self.randbelow(n as u64) as usize;
                while selected.contains(&j) {
                    j = self.randbelow(n as u64) as usize;
                }
                selected.insert(j);
                result.push(population[j].clone());
            }
        }
        result
    }

    /// `shuffle(x)`: Fisher-Yates from the end, `j = _randbelow(i + 1)`.
    fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }

    /// `normalvariate(mu, sigma)`: Kinderman and Monahan's ratio of uniforms.
    fn normalvariate(&mut self, mu: f64, sigma: f64) -> f64 {
        let nv_magicconst = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
        loop {
            let u1 = self.random();
            let u2 = 1.0 - self.random();
            let z = nv_magicconst * (u1 - 0.5) / u2;
            let zz = z * z / 4.0;
            if zz <= -u2.ln() {
                return mu + z * sigma;
            }
        }
    }

    /// `lognormvariate(mu, sigma)` = `exp(normalvariate(mu, sigma))`.
    fn lognormvariate(&mut self, mu: f64, sigma: f64) -> f64 {
        self.normalvariate(mu, sigma).exp()
    }
}

// ---------------------------------------------------------------------------
// Python's Decimal
// ---------------------------------------------------------------------------

/// A Python `decimal.Decimal` (coefficient times 10^exp) under the default context: 28
/// significant digits, results rounded half to even. Only what the generator uses: + - * / (with
/// CPython's rounding of inexact results), `quantize`, comparisons and `format(d, "f")`.
#[derive(Clone, Copy, Debug)]
struct Dec {
    coef: i128,
    exp: i32,
}

/// The default context's precision.
const PREC: u32 = 28;
/// `Decimal("0.01")`'s exponent, for `quantize(CENT)`.
const CENT: i32 = -2;

#[derive(Clone, Copy)]
enum Rounding {
    /// `ROUND_HALF_UP`: halves away from zero.
    HalfUp,
    /// `ROUND_HALF_EVEN`, the default context's rounding (a bare `quantize(CENT)`).
    HalfEven,
}

fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

fn num_digits(x: i128) -> u32 {
    x.unsigned_abs().checked_ilog10().unwrap_or(0) + 1
}

/// x / 10^n rounded to an integer.
fn shift_round(x: i128, n: u32, mode: Rounding) -> i128 {
    let d = pow10(n);
    let (q, r) = (x / d, x % d);
    let twice = r.abs() * 2;
    let up = match mode {
        Rounding::HalfUp => twice >= d,
        Rounding::HalfEven => twice > d || (twice == d && q % 2 != 0),
    };
    if up {
        q + x.signum()
    } else {
        q
    }
}

impl Dec {
    fn int(v: i64) -> Dec {
        Dec {
            coef: v.into(),
            exp: 0,
        }
    }

    /// `Decimal("69.9")`.
    fn parse(s: &str) -> Dec {
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let coef = format!("{whole}{frac}")
            .parse()
            .unwrap_or_else(|_| panic!("not a decimal: {s:?}"));
        Dec {
            coef,
            exp: -(frac.len() as i32),
        }
    }

    /// The context's rounding of a result to 28 significant digits (`_fix`).
    fn fix(self) -> Dec {
        let digits = num_digits(self.coef);
        if digits <= PREC {
            return self;
        }
        let drop = digits - PREC;
        let mut coef = shift_round(self.coef, drop, Rounding::HalfEven);
        let mut exp = self.exp + drop as i32;
        if num_digits(coef) > PREC {
            coef /= 10;
            exp += 1;
        }
        Dec { coef, exp }
    }

    /// The coefficient scaled to exponent `exp` (<= self.exp), exactly.
    fn coef_at(self, exp: i32) -> i128 {
        self.coef
            .checked_mul(pow10((self.exp - exp) as u32))
            .expect("decimal overflow")
    }

    /// `quantize(Decimal(10) ** exp, rounding)`.
    fn quantize(self, exp: i32, mode: Rounding) -> Dec {
        let coef = if exp <= self.exp {
            self.coef_at(exp)
        } else {
            shift_round(self.coef, (exp - self.exp) as u32, mode)
        };
        Dec { coef, exp }
    }

    /// `math.floor(d)`.
    fn floor(self) -> i64 {
        if self.exp >= 0 {
            return self.coef_at(0) as i64;
        }
        self.coef.div_euclid(pow10(-self.exp as u32)) as i64
    }

    /// `math.ceil(d)`.
    fn ceil(self) -> i64 {
        -Dec {
            coef: -self.coef,
            exp: self.exp,
        }
        .floor()
    }
}

impl Add for Dec {
    type Output = Dec;
    fn add(self, o: Dec) -> Dec {
        let exp = self.exp.min(o.exp);
        Dec {
            coef: self.coef_at(exp) + o.coef_at(exp),
            exp,
        }
        .fix()
    }
}

impl Sub for Dec {
    type Output = Dec;
    fn sub(self, o: Dec) -> Dec {
        self + Dec {
            coef: -o.coef,
            exp: o.exp,
        }
    }
}

impl Mul for Dec {
    type Output = Dec;
    #[allow(clippy::suspicious_arithmetic_impl)] // the exponents add
    fn mul(self, o: Dec) -> Dec {
        Dec {
            coef: self.coef.checked_mul(o.coef).expect("decimal overflow"),
            exp: self.exp + o.exp,
        }
        .fix()
    }
}

impl Div for Dec {
    type Output = Dec;
    /// CPython's division: a quotient of 29 or 30 digits, nudged off a 5 when inexact so that the
    /// rounding to 28 digits is right; an exact quotient keeps the exponent nearest the ideal one.
    fn div(self, o: Dec) -> Dec {
        assert!(o.coef != 0, "decimal division by zero");
        let ideal = self.exp - o.exp;
        if self.coef == 0 {
            return Dec {
                coef: 0,
                exp: ideal,
            };
        }
        let negative = (self.coef < 0) != (o.coef < 0);
        let (a, b) = (self.coef.abs(), o.coef.abs());
        let shift = num_digits(b) as i32 - num_digits(a) as i32 + PREC as i32 + 1;
        let mut exp = ideal - shift;
        let (mut q, r) = if shift >= 0 {
            let a = a
                .checked_mul(pow10(shift as u32))
                .expect("decimal overflow");
            (a / b, a % b)
        } else {
            let b = b * pow10(-shift as u32);
            (a / b, a % b)
        };
        if r != 0 {
            if q % 5 == 0 {
                q += 1;
            }
        } else {
            while exp < ideal && q % 10 == 0 {
                q /= 10;
                exp += 1;
            }
        }
        Dec {
            coef: if negative { -q } else { q },
            exp,
        }
        .fix()
    }
}

impl PartialEq for Dec {
    fn eq(&self, o: &Dec) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Dec {}

impl PartialOrd for Dec {
    fn partial_cmp(&self, o: &Dec) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Dec {
    fn cmp(&self, o: &Dec) -> Ordering {
        let exp = self.exp.min(o.exp);
        self.coef_at(exp).cmp(&o.coef_at(exp))
    }
}

/// `format(d, "f")` (and `str(d)` for the exponents used here).
impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.coef < 0 { "-" } else { "" };
        let digits = self.coef.unsigned_abs().to_string();
        if self.exp >= 0 {
            return write!(f, "{sign}{digits}{}", "0".repeat(self.exp as usize));
        }
        let scale = -self.exp as usize;
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (whole, frac) = digits.split_at(digits.len() - scale);
        write!(f, "{sign}{whole}.{frac}")
    }
}

/// `money(x)`: 2 decimals, half up.
fn money(x: Dec) -> String {
    x.quantize(CENT, Rounding::HalfUp).to_string()
}

/// `scaled(v, f)`: the amount v times the factor f, 2 decimals, half up.
fn scaled(v: &str, f: &str) -> String {
    money(Dec::parse(v) * Dec::parse(f))
}

/// `line_amount(q, price, disc)`: quantity x unit price x (1 - discount), 2 decimals, half up.
fn line_amount(q: i64, price: &str, disc: &str) -> Dec {
    let rate = match disc.strip_suffix('%') {
        Some(pct) => Dec::parse(pct) / Dec::int(100),
        None => Dec::int(0),
    };
    (Dec::int(q) * Dec::parse(price) * (Dec::int(1) - rate)).quantize(CENT, Rounding::HalfUp)
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The first order date.
fn start() -> NaiveDate {
    ymd(2025, 1, 1)
}

/// The last order date and "as of" date for aging.
fn cutoff() -> NaiveDate {
    ymd(2026, 10, 31)
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

fn plus(d: NaiveDate, n: i64) -> NaiveDate {
    d + Duration::days(n)
}

// ---------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const ALL_PROVINCES: [&str; 34] = [
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川",
    "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
];
const UNCOVERED: [&str; 2] = ["台湾", "澳门"];

struct Region {
    code: &'static str,
    name: &'static str,
    parent: &'static str,
    /// Rep-code prefix.
    prefix: &'static str,
    areas: &'static [&'static str],
}

/// (code, name, parent, rep-code prefix, areas)
const fn region(
    code: &'static str,
    name: &'static str,
    parent: &'static str,
    prefix: &'static str,
    areas: &'static [&'static str],
) -> Region {
    Region {
        code,
        name,
        parent,
        prefix,
        areas,
    }
}

#[rustfmt::skip]
const REGIONS: [Region; 8] = [
    region("NORTH", "华北区", "", "N", &["北京", "天津", "河北", "山西", "内蒙古"]),
    region("NE", "东北区", "", "NE", &["辽宁", "吉林", "黑龙江"]),
    region("EAST", "华东区", "", "E", &["江苏", "浙江", "安徽", "福建", "江西", "山东"]),
    region("EAST-SH", "上海大区", "EAST", "SH", &["上海"]),
    region("SOUTH", "华南区", "", "S", &["广东", "广西", "海南", "香港"]),
    region("CENTRAL", "华中区", "", "C", &["河南", "湖北", "湖南"]),
    region("SW", "西南区", "", "SW", &["重庆", "四川", "贵州", "云南", "西藏"]),
    region("NW", "西北区", "", "NW", &["陕西", "甘肃", "青海", "宁夏", "新疆"]),
];

/// `AREA_REGION.get(area)`: the region covering a province.
fn area_region(area: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|r| r.areas.contains(&area))
        .map(|r| r.code)
}

/// Yearly growth by region (overall roughly +15%); 1.1 for customers outside every region.
fn region_growth(region: &str) -> f64 {
    match region {
        "NORTH" => 1.10,
        "NE" => 1.04,
        "EAST" => 1.13,
        "EAST-SH" => 1.18,
        "SOUTH" => 1.15,
        "CENTRAL" => 1.22,
        "SW" => 1.38,
        "NW" => 1.26,
        _ => 1.1,
    }
}

#[rustfmt::skip]
const CITIES: [(&str, &[&str]); 34] = [
    ("北京", &["北京"]), ("天津", &["天津"]), ("河北", &["石家庄", "唐山", "保定", "廊坊", "邯郸"]),
    ("山西", &["太原", "大同", "运城"]), ("内蒙古", &["呼和浩特", "包头", "鄂尔多斯"]),
    ("辽宁", &["沈阳", "大连", "鞍山"]), ("吉林", &["长春", "吉林", "延吉"]),
    ("黑龙江", &["哈尔滨", "大庆", "齐齐哈尔"]), ("上海", &["上海"]),
    ("江苏", &["南京", "苏州", "无锡", "常州", "南通", "扬州", "徐州"]),
    ("浙江", &["杭州", "宁波", "温州", "绍兴", "金华", "湖州", "嘉兴"]),
    ("安徽", &["合肥", "芜湖", "黄山", "六安"]),
    ("福建", &["福州", "厦门", "泉州", "宁德", "南平"]),
    ("江西", &["南昌", "九江", "赣州", "景德镇"]),
    ("山东", &["济南", "青岛", "烟台", "潍坊", "临沂", "日照"]),
    ("河南", &["郑州", "洛阳", "信阳", "开封"]), ("湖北", &["武汉", "宜昌", "襄阳", "恩施"]),
    ("湖南", &["长沙", "株洲", "岳阳", "常德"]),
    ("广东", &["广州", "深圳", "东莞", "佛山", "潮州", "汕头", "珠海"]),
    ("广西", &["南宁", "桂林", "柳州"]), ("海南", &["海口", "三亚"]), ("香港", &["香港"]),
    ("重庆", &["重庆"]), ("四川", &["成都", "绵阳", "雅安", "宜宾"]),
    ("贵州", &["贵阳", "遵义", "都匀"]), ("云南", &["昆明", "普洱", "大理", "临沧", "景洪"]),
    ("西藏", &["拉萨", "林芝"]), ("陕西", &["西安", "宝鸡", "咸阳", "汉中"]),
    ("甘肃", &["兰州", "天水"]), ("青海", &["西宁"]), ("宁夏", &["银川"]),
    ("新疆", &["乌鲁木齐", "喀什"]), ("台湾", &["台北", "高雄"]), ("澳门", &["澳门"]),
];

fn cities(area: &str) -> &'static [&'static str] {
    CITIES
        .iter()
        .find(|(a, _)| *a == area)
        .map(|(_, c)| *c)
        .expect("area has cities")
}

/// How many customers a covered province draws.
#[rustfmt::skip]
const AREA_WEIGHT: [(&str, f64); 32] = [
    ("北京", 12.0), ("天津", 5.0), ("河北", 6.0), ("山西", 3.0), ("内蒙古", 2.0), ("辽宁", 5.0),
    ("吉林", 3.0), ("黑龙江", 3.0), ("上海", 14.0), ("江苏", 14.0), ("浙江", 15.0), ("安徽", 5.0),
    ("福建", 10.0), ("江西", 3.0), ("山东", 10.0), ("河南", 6.0), ("湖北", 6.0), ("湖南", 5.0),
    ("广东", 20.0), ("广西", 4.0), ("海南", 2.0), ("香港", 2.0), ("重庆", 5.0), ("四川", 8.0),
    ("贵州", 3.0), ("云南", 4.0), ("西藏", 1.0), ("陕西", 4.0), ("甘肃", 2.0), ("青海", 1.0),
    ("宁夏", 1.0), ("新疆", 2.0),
];

fn area_weight(area: &str) -> f64 {
    let w = AREA_WEIGHT.iter().find(|(a, _)| *a == area);
    w.expect("a covered province").1
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

/// (characters, pinyin)
type Name = (&'static str, &'static str);

#[rustfmt::skip]
const SURNAMES: [Name; 59] = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("潘", "pan"),
    ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"), ("杜", "du"), ("叶", "ye"),
    ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"),
    ("姚", "yao"), ("钟", "zhong"), ("方", "fang"), ("陆", "lu"), ("范", "fan"), ("金", "jin"),
    ("廖", "liao"), ("夏", "xia"), ("崔", "cui"), ("任", "ren"), ("欧阳", "ouyang"),
];

#[rustfmt::skip]
const GIVEN: [Name; 65] = [
    ("敏", "min"), ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂英", "guiying"),
    ("建华", "jianhua"), ("晓东", "xiaodong"), ("海燕", "haiyan"), ("志强", "zhiqiang"),
    ("文静", "wenjing"), ("丹", "dan"), ("鹏", "peng"), ("浩", "hao"), ("婷", "ting"),
    ("雪", "xue"), ("琳", "lin"), ("宇", "yu"), ("欣怡", "xinyi"), ("子涵", "zihan"),
    ("俊杰", "junjie"), ("思远", "siyuan"), ("嘉怡", "jiayi"), ("建国", "jianguo"),
    ("国强", "guoqiang"), ("玉兰", "yulan"), ("春梅", "chunmei"), ("红", "hong"), ("亮", "liang"),
    ("斌", "bin"), ("慧", "hui"), ("颖", "ying"), ("晨", "chen"), ("博", "bo"), ("凯", "kai"),
    ("梦瑶", "mengyao"), ("雨桐", "yutong"), ("一鸣", "yiming"), ("立新", "lixin"),
    ("卫东", "weidong"), ("淑珍", "shuzhen"), ("佳", "jia"), ("倩", "qian"), ("萍", "ping"),
    ("振华", "zhenhua"), ("晓燕", "xiaoyan"), ("文博", "wenbo"), ("海涛", "haitao"),
    ("丽华", "lihua"),
];

#[rustfmt::skip]
const BRANDS: [Name; 45] = [
    ("茗香", "mingxiang"), ("清源", "qingyuan"), ("一叶", "yiye"), ("品茗", "pinming"),
    ("聚福", "jufu"), ("瑞丰", "ruifeng"), ("德馨", "dexin"), ("雅韵", "yayun"), ("和记", "heji"),
    ("隆兴", "longxing"), ("鸿运", "hongyun"), ("松风", "songfeng"), ("竹韵", "zhuyun"),
    ("云水", "yunshui"), ("静心", "jingxin"), ("悦来", "yuelai"), ("嘉禾", "jiahe"),
    ("润泽", "runze"), ("兰亭", "lanting"), ("福满", "fuman"), ("永盛", "yongsheng"),
    ("泰和", "taihe"), ("怡然", "yiran"), ("古道", "gudao"), ("山野", "shanye"),
    ("茶缘", "chayuan"), ("知味", "zhiwei"), ("仁和", "renhe"), ("金叶", "jinye"),
    ("春晓", "chunxiao"), ("望月", "wangyue"), ("南山", "nanshan"), ("东篱", "dongli"),
    ("听泉", "tingquan"), ("问茶", "wencha"), ("归朴", "guipu"), ("善水", "shanshui"),
    ("明德", "mingde"), ("华茂", "huamao"), ("宏达", "hongda"), ("锦程", "jincheng"),
    ("百川", "baichuan"), ("新禾", "xinhe"), ("博雅", "boya"), ("天元", "tianyuan"),
];

#[rustfmt::skip]
const MOBILE_PREFIXES: [&str; 16] = [
    "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "188",
    "189", "177", "180",
];

/// `"13900001111"` with spaces: `139 0000 1111`.
fn spaced(p: &str) -> String {
    format!("{} {} {}", &p[..3], &p[3..7], &p[7..])
}

// ---------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------

/// (name, unit, list price as the Python source wrote it)
type Item = (&'static str, &'static str, &'static str);

struct Category {
    name: &'static str,
    prefix: &'static str,
    items: &'static [Item],
}

#[rustfmt::skip]
const CATALOG: [Category; 8] = [
    Category {
        name: "绿茶",
        prefix: "GT",
        items: &[
            ("西湖龙井 明前特级 250g", "盒", "1280"), ("西湖龙井 雨前一级 250g", "盒", "568"),
            ("洞庭碧螺春 特级 250g", "盒", "498"), ("黄山毛峰 一级 200g", "罐", "168"),
            ("六安瓜片 特级 250g", "盒", "388"), ("信阳毛尖 明前 250g", "盒", "298"),
            ("太平猴魁 特级 200g", "盒", "680"), ("安吉白茶 明前 125g", "罐", "238"),
            ("峨眉竹叶青 论道 120g", "盒", "458"), ("恩施玉露 一级 200g", "罐", "218"),
            ("都匀毛尖 特级 250g", "盒", "268"), ("庐山云雾 一级 250g", "罐", "198"),
            ("日照绿茶 口粮罐 250g", "罐", "69.9"), ("龙井 口粮装 100g", "罐", "49.9"),
        ],
    },
    Category {
        name: "红茶",
        prefix: "BT",
        items: &[
            ("正山小种 特级 250g", "罐", "198"), ("金骏眉 特级 250g", "盒", "888"),
            ("祁门红茶 祁红香螺 200g", "罐", "268"), ("滇红金芽 一级 250g", "罐", "238"),
            ("英德红茶 英红九号 250g", "盒", "188"), ("坦洋工夫 特级 250g", "罐", "228"),
            ("宜兴红茶 150g", "罐", "128"), ("九曲红梅 一级 200g", "罐", "178"),
            ("川红工夫 特级 250g", "盒", "218"), ("古树红茶 滇红 357g 饼", "饼", "328"),
            ("红茶 口粮袋泡 50袋", "盒", "39.9"), ("正山小种 口粮罐 200g", "罐", "89.9"),
        ],
    },
    Category {
        name: "乌龙茶",
        prefix: "OT",
        items: &[
            ("安溪铁观音 清香型 250g", "罐", "198"), ("安溪铁观音 浓香型 250g", "罐", "218"),
            ("武夷大红袍 特级 250g", "盒", "598"), ("武夷肉桂 正岩 250g", "盒", "688"),
            ("武夷水仙 老枞 250g", "盒", "458"), ("凤凰单丛 鸭屎香 250g", "罐", "268"),
            ("凤凰单丛 蜜兰香 250g", "罐", "288"), ("冻顶乌龙 300g", "罐", "368"),
            ("漳平水仙 茶饼 250g", "盒", "158"), ("东方美人 特级 150g", "罐", "498"),
            ("高山乌龙 300g", "罐", "328"), ("铁观音 口粮装 500g", "盒", "128"),
        ],
    },
    Category {
        name: "普洱茶",
        prefix: "PE",
        items: &[
            ("勐海 经典熟茶饼 357g", "饼", "168"), ("冰岛 古树生茶饼 357g", "饼", "2680"),
            ("老班章 古树生茶饼 357g", "饼", "2380"), ("易武 古树生茶饼 357g", "饼", "980"),
            ("布朗山 熟茶饼 357g", "饼", "238"), ("宫廷普洱 熟散茶 250g", "罐", "158"),
            ("新会小青柑 普洱 250g", "罐", "198"), ("普洱沱茶 熟茶 250g", "盒", "88"),
            ("昔归 古树生茶饼 357g", "饼", "1680"), ("景迈山 古树生茶饼 357g", "饼", "780"),
            ("2015年 老熟茶饼 357g", "饼", "598"), ("普洱 口粮砖 250g", "件", "78"),
        ],
    },
    Category {
        name: "白茶",
        prefix: "WT",
        items: &[
            ("福鼎 白毫银针 特级 200g", "盒", "1180"), ("福鼎 白牡丹 一级 300g", "饼", "368"),
            ("福鼎 寿眉饼 350g", "饼", "198"), ("政和 贡眉 250g", "罐", "168"),
            ("2018年 老白茶饼 350g", "饼", "588"), ("荒野白茶 牡丹 300g", "饼", "428"),
            ("白茶 小方片 200g", "盒", "138"), ("白毫银针 口粮罐 100g", "罐", "268"),
            ("老寿眉 散茶 500g", "盒", "228"), ("月光白 200g", "饼", "158"),
        ],
    },
    Category {
        name: "花茶",
        prefix: "FT",
        items: &[
            ("茉莉花茶 飘雪 250g", "罐", "128"), ("茉莉龙珠 特级 250g", "罐", "198"),
            ("桂花乌龙 200g", "罐", "98"), ("玫瑰花茶 平阴重瓣 100g", "罐", "58"),
            ("桐乡胎菊 80g", "罐", "48"), ("金银花 50g", "罐", "38"),
            ("碧潭飘雪 特级 150g", "罐", "238"), ("桂花红茶 200g", "罐", "88"),
            ("茉莉银针 150g", "罐", "168"), ("养生花草茶 组合装", "盒", "68"),
        ],
    },
    Category {
        name: "茶具",
        prefix: "TW",
        items: &[
            ("宜兴紫砂壶 西施 原矿朱泥", "件", "980"), ("宜兴紫砂壶 石瓢", "件", "1280"),
            ("景德镇 青花盖碗", "件", "128"), ("汝窑 品茗杯 (6只)", "套", "168"),
            ("建盏 兔毫 束口", "件", "388"), ("耐热玻璃公道杯", "件", "48"),
            ("竹制储水茶盘", "件", "268"), ("便携旅行茶具套装", "套", "158"),
            ("白瓷功夫茶具套装", "套", "298"), ("日式手工铸铁壶 1.2L", "件", "880"),
            ("黑檀茶道六君子", "套", "98"), ("白瓷品茗杯 (6只)", "套", "88"),
            ("静音电陶炉", "件", "458"), ("锡制茶叶罐", "件", "368"), ("粗陶茶洗", "件", "78"),
            ("青瓷侧把壶", "件", "198"),
        ],
    },
    Category {
        name: "礼盒",
        prefix: "GB",
        items: &[
            ("明前龙井 臻品礼盒", "盒", "1680"), ("金骏眉 尊享礼盒", "盒", "1280"),
            ("普洱 珍藏礼盒", "盒", "1880"), ("中秋 月满茶香礼盒", "盒", "498"),
            ("春节 福运茶礼", "盒", "398"), ("企业定制 茶礼套装", "套", "688"),
            ("白茶 岁月礼盒", "盒", "598"), ("茶具茶叶 组合礼盒", "套", "888"),
            ("大红袍 岩韵礼盒", "盒", "768"), ("花茶 四季礼盒", "盒", "198"),
            ("名茶品鉴 八味礼盒", "盒", "328"), ("新春 年货礼盒", "盒", "258"),
        ],
    },
];

// ---------------------------------------------------------------------------
// The generated records
// ---------------------------------------------------------------------------

const LEFT_REP: &str = "E05";
const N_ACTIVE: usize = 305;
const N_LEADS: usize = 15;
/// Orders per day at the start of 2025 (before seasonality).
const BASE: f64 = 12.3;

struct Rep {
    code: String,
    name: String,
    region: &'static str,
    role: &'static str,
    manager: String,
    phone: String,
    email: String,
    status: &'static str,
}

struct Product {
    sku: String,
    name: &'static str,
    category: &'static str,
    unit: &'static str,
    list_price: String,
    floor_price: String,
    cost: String,
    /// Popularity: cheaper items sell more often.
    w: f64,
}

#[derive(Clone)]
struct Customer {
    /// Position in creation order, to find the duplicate pairs again after sorting.
    serial: usize,
    code: String,
    name: String,
    area: &'static str,
    city: &'static str,
    company: String,
    phone: String,
    email: String,
    channel: &'static str,
    segment: &'static str,
    owner: String,
    status: &'static str,
    terms_days: &'static str,
    created: NaiveDate,
    /// What company_names made it (茶行, 茶楼, …), empty for online buyers.
    kind: &'static str,
    /// A key offline account (terms 45 days, weight x2.5).
    key: bool,
    /// Order weight.
    w: f64,
}

struct Line {
    /// Index into products.
    product: usize,
    quantity: i64,
    discount: String,
    unit_price: String,
}

struct Order {
    id: String,
    date: NaiveDate,
    /// Index into customers.
    cust: usize,
    lines: Vec<Line>,
    province: &'static str,
    status: &'static str,
    ship: Option<NaiveDate>,
    carrier: &'static str,
    tracking: String,
    amount: Dec,
}

impl Order {
    fn new(date: NaiveDate, cust: usize, lines: Vec<Line>) -> Order {
        Order {
            id: String::new(),
            date,
            cust,
            lines,
            province: "",
            status: "",
            ship: None,
            carrier: "",
            tracking: String::new(),
            amount: Dec::int(0),
        }
    }
}

struct Payment {
    /// Index into orders.
    order: usize,
    date: NaiveDate,
    amount: Dec,
    method: &'static str,
    reference: String,
}

struct Return {
    order: usize,
    product: usize,
    quantity: i64,
    date: NaiveDate,
    reason: &'static str,
    kind: &'static str,
}

/// The generator's state: the random source, the values already used, and the records so far.
struct Demo {
    rng: PyRandom,
    /// Normalised 11-digit numbers.
    used_phones: HashSet<String>,
    /// Lower-cased.
    used_emails: HashSet<String>,
    used_cust_names: HashSet<String>,
    used_tracking: HashSet<String>,
    /// The provinces of the regions, in region order.
    covered: Vec<&'static str>,
    reps: Vec<Rep>,
    products: Vec<Product>,
    customers: Vec<Customer>,
    orders: Vec<Order>,
    price_changes: Vec<Vec<String>>,
    payments: Vec<Payment>,
    returns: Vec<Return>,
}

/// Writes every CSV of the demo company into `out` (created if missing).
pub fn generate(out: &Path) -> io::Result<()> {
    let mut g = Demo::new();
    g.make_reps();
    g.make_products();
    g.make_customers();
    g.make_orders();
    g.make_prices();
    g.order_fields();
    g.make_payments();
    g.make_returns();
    g.write(out)?;
    g.write_tickets(out)?;
    trade(out)?;
    stock_story(out)
}

impl Demo {
    fn new() -> Demo {
        Demo {
            rng: PyRandom::new(20_261_123),
            used_phones: HashSet::new(),
            used_emails: HashSet::new(),
            used_cust_names: HashSet::new(),
            used_tracking: HashSet::new(),
            covered: REGIONS
                .iter()
                .flat_map(|r| r.areas.iter().copied())
                .collect(),
            reps: Vec::new(),
            products: Vec::new(),
            customers: Vec::new(),
            orders: Vec::new(),
            price_changes: Vec::new(),
            payments: Vec::new(),
            returns: Vec::new(),
        }
    }

    fn rand_date(&mut self, a: NaiveDate, b: NaiveDate) -> NaiveDate {
        plus(a, self.rng.randint(0, days(a, b)))
    }

    // -----------------------------------------------------------------------
    // Names
    // -----------------------------------------------------------------------

    fn person_name(&mut self) -> (Name, Name) {
        let weights: Vec<f64> = (0..SURNAMES.len())
            .map(|i| match i {
                0..=9 => 6.0,
                10..=29 => 2.0,
                _ => 1.0,
            })
            .collect();
        let s = self.rng.choices(&SURNAMES, &weights);
        let g = self.rng.choice(&GIVEN);
        (s, g)
    }

    fn new_mobile(&mut self) -> String {
        loop {
            let mut num = self.rng.choice(&MOBILE_PREFIXES).to_string();
            for _ in 0..8 {
                num.push_str(&self.rng.randint(0, 9).to_string());
            }
            if !self.used_phones.contains(&num) && num != "13900001111" {
                self.used_phones.insert(num.clone());
                return num;
            }
        }
    }

    fn unique_email(&mut self, local: &str, domain: &str) -> String {
        let mut email = format!("{local}@{domain}");
        let mut n = 1;
        while self.used_emails.contains(&email.to_lowercase()) {
            n += 1;
            email = format!("{local}{n}@{domain}");
        }
        self.used_emails.insert(email.to_lowercase());
        email
    }

    // -----------------------------------------------------------------------
    // Reps
    // -----------------------------------------------------------------------

    fn make_reps(&mut self) {
        let mut used_rep_names = HashSet::new();
        for region in &REGIONS {
            let n_rep = match region.code {
                "EAST" | "SOUTH" => 3,
                _ => 2,
            };
            let roles = ["manager", "supervisor"]
                .into_iter()
                .chain(std::iter::repeat_n("rep", n_rep));
            for (i, role) in (1..).zip(roles) {
                let (s, g) = loop {
                    let (s, g) = self.person_name();
                    if used_rep_names.insert(format!("{}{}", s.0, g.0)) {
                        break (s, g);
                    }
                };
                let code = format!("{}{i:02}", region.prefix);
                let manager = match role {
                    "manager" => String::new(),
                    "supervisor" => format!("{}01", region.prefix),
                    _ => format!("{}02", region.prefix),
                };
                let p = self.new_mobile();
                let email = self.unique_email(&format!("{}.{}", s.1, g.1), "mingyuan.cn");
                let status = if code == LEFT_REP { "left" } else { "active" };
                self.reps.push(Rep {
                    code,
                    name: format!("{}{}", s.0, g.0),
                    region: region.code,
                    role,
                    manager,
                    phone: spaced(&p),
                    email,
                    status,
                });
            }
        }
        let left = self.reps.iter().find(|r| r.code == LEFT_REP);
        assert_eq!(left.map(|r| r.role), Some("rep"));
    }

    fn region_manager(&self, region: &str) -> &str {
        let m = self
            .reps
            .iter()
            .find(|r| r.region == region && r.role == "manager");
        &m.expect("every region has a manager").code
    }

    // -----------------------------------------------------------------------
    // Products
    // -----------------------------------------------------------------------

    fn make_products(&mut self) {
        let all: Vec<usize> = (0..98).collect();
        let no_floor: HashSet<usize> = self.rng.sample(&all, 10).into_iter().collect();
        let mut idx = 0;
        for cat in &CATALOG {
            for (n, &(name, unit, price)) in (1..).zip(cat.items) {
                let lp = Dec::parse(price);
                let (lo, hi) = (lp * Dec::parse("0.35"), lp * Dec::parse("0.60"));
                let r = Dec::int(self.rng.randint(15, 85));
                let cost = (lo + (hi - lo) * r / Dec::int(100)).quantize(CENT, Rounding::HalfEven);
                let floor = if no_floor.contains(&idx) {
                    String::new()
                } else {
                    let f_lo = (lp * Dec::parse("0.80")).ceil();
                    let f_hi = (lp * Dec::parse("0.90")).floor();
                    money(Dec::int(self.rng.randint(f_lo, f_hi)))
                };
                self.products.push(Product {
                    sku: format!("{}-{n:03}", cat.prefix),
                    name,
                    category: cat.name,
                    unit,
                    list_price: money(lp),
                    floor_price: floor,
                    cost: money(cost),
                    w: 0.0,
                });
                idx += 1;
            }
        }
        assert_eq!(self.products.len(), 98);
        for p in &mut self.products {
            let lp: f64 = p.list_price.parse().expect("a price");
            let factor = if lp < 300.0 {
                1.0
            } else if lp < 1000.0 {
                0.6
            } else {
                0.3
            };
            p.w = self.rng.lognormvariate(0.0, 0.5) * factor;
        }
    }

    fn product_index(&self, sku: &str) -> usize {
        let i = self.products.iter().position(|p| p.sku == sku);
        i.expect("a known SKU")
    }

    // -----------------------------------------------------------------------
    // Customers
    // -----------------------------------------------------------------------

    /// (display name, legal company name, brand pinyin, kind)
    fn company_names(
        &mut self,
        city: &str,
        channel: &str,
    ) -> (String, String, &'static str, &'static str) {
        loop {
            let (b, bpy) = self.rng.choice(&BRANDS);
            let (name, legal, kind);
            if channel == "agent" {
                kind = self.rng.choice(&["商贸", "茶业"]);
                name = format!("{city}{b}{kind}有限公司");
                legal = name.clone();
            } else {
                kind = self.rng.choices(
                    &["茶行", "茶楼", "商贸", "酒店", "科技"],
                    &[40.0, 15.0, 20.0, 15.0, 10.0],
                );
                (name, legal) = match kind {
                    "茶行" => (format!("{city}{b}茶行"), format!("{city}{b}茶叶有限公司")),
                    "茶楼" => (
                        format!("{b}茶楼({city})"),
                        format!("{city}{b}餐饮管理有限公司"),
                    ),
                    "商贸" => (
                        format!("{city}{b}商贸有限公司"),
                        format!("{city}{b}商贸有限公司"),
                    ),
                    "酒店" => (
                        format!("{city}{b}大酒店"),
                        format!("{city}{b}酒店管理有限公司"),
                    ),
                    _ => (
                        format!("{city}{b}科技有限公司"),
                        format!("{city}{b}科技有限公司"),
                    ),
                };
            }
            if self.used_cust_names.insert(name.clone()) {
                return (name, legal, bpy, kind);
            }
        }
    }

    /// (name, surname pinyin, given-name pinyin)
    fn personal_name(&mut self) -> (String, &'static str, &'static str) {
        loop {
            let (s, g) = self.person_name();
            let name = format!("{}{}", s.0, g.0);
            if self.used_cust_names.insert(name.clone()) {
                return (name, s.1, g.1);
            }
        }
    }

    fn make_customer(
        &mut self,
        area: &'static str,
        channel: &'static str,
        status: &'static str,
        created: NaiveDate,
    ) -> Customer {
        let city = self.rng.choice(cities(area));
        let (name, company, segment, email, phone, kind);
        if channel == "online" {
            let (n, spy, gpy) = self.personal_name();
            name = n;
            company = if self.rng.random() < 0.15 {
                self.company_names(city, "offline").1
            } else {
                String::new()
            };
            segment = self
                .rng
                .choices(&["电商", "零售", "企业礼品", ""], &[45.0, 25.0, 10.0, 20.0]);
            email = if self.rng.random() < 0.5 {
                let local = self.rng.randint(10_000_000, 2_999_999_999).to_string();
                self.unique_email(&local, "qq.com")
            } else {
                let local = format!("{gpy}{spy}{}", self.rng.randint(1, 99));
                let domain = self.rng.choice(&["163.com", "126.com", "qq.com"]);
                self.unique_email(&local, domain)
            };
            phone = self.new_mobile();
            kind = "";
        } else {
            let (n, legal, bpy, k) = self.company_names(city, channel);
            (name, company, kind) = (n, legal, k);
            let mut seg = if channel == "agent" {
                self.rng
                    .choices(&["零售", "企业礼品", "电商"], &[60.0, 30.0, 10.0])
            } else {
                // The Python looked the segment up in a dict literal: it drew this for every kind.
                let trade = self.rng.choice(&["零售", "企业礼品"]);
                match kind {
                    "茶行" => "零售",
                    "茶楼" | "酒店" => "餐饮酒店",
                    "商贸" => trade,
                    _ => "企业礼品",
                }
            };
            if channel != "agent" && self.rng.random() < 0.08 {
                seg = "";
            }
            segment = seg;
            email = if self.rng.random() < 0.06 {
                String::new()
            } else {
                let locals = [bpy.to_string(), format!("{bpy}tea"), format!("{bpy}.sales")];
                let local = self.rng.choice(&locals);
                let domain = self
                    .rng
                    .choice(&["163.com", "126.com", "qq.com", "sina.com"]);
                self.unique_email(&local, domain)
            };
            let ph = self.new_mobile();
            phone = if self.rng.random() < 0.3 {
                spaced(&ph)
            } else {
                ph
            };
        }
        Customer {
            serial: 0,
            code: String::new(),
            name,
            area,
            city,
            company,
            phone,
            email,
            channel,
            segment,
            owner: String::new(),
            status,
            terms_days: "",
            created,
            kind,
            key: false,
            w: 0.0,
        }
    }

    fn push_customer(&mut self, mut c: Customer) {
        c.serial = self.customers.len();
        self.customers.push(c);
    }

    fn make_customers(&mut self) {
        let covered = self.covered.clone();
        let mut areas = covered.clone(); // at least one customer in every covered province
        let weights: Vec<f64> = covered.iter().map(|a| area_weight(a)).collect();
        while areas.len() < N_ACTIVE + N_LEADS - 3 {
            areas.push(self.rng.choices(&covered, &weights));
        }
        self.rng.shuffle(&mut areas);

        const CHANNELS: [&str; 3] = ["online", "offline", "agent"];
        const CHANNEL_WEIGHTS: [f64; 3] = [45.0, 40.0, 15.0];
        // active customers: created 2024-10..2026-10 (before their first order)
        for &area in &areas[..N_ACTIVE - 3] {
            let ch = self.rng.choices(&CHANNELS, &CHANNEL_WEIGHTS);
            let early = if ch == "agent" { 0.65 } else { 0.4 };
            let cr = if self.rng.random() < early {
                self.rand_date(ymd(2024, 10, 1), ymd(2024, 12, 31))
            } else {
                self.rand_date(ymd(2025, 1, 1), ymd(2026, 10, 20))
            };
            let c = self.make_customer(area, ch, "active", cr);
            self.push_customer(c);
        }
        // exactly 3 customers in uncovered areas (no owner)
        let uncovered = [
            ("台湾", "online", ymd(2025, 1, 1), ymd(2025, 12, 31)),
            ("台湾", "online", ymd(2025, 3, 1), ymd(2026, 6, 30)),
            ("澳门", "offline", ymd(2024, 10, 1), ymd(2025, 8, 31)),
        ];
        for (area, ch, a, b) in uncovered {
            let cr = self.rand_date(a, b);
            let c = self.make_customer(area, ch, "active", cr);
            self.push_customer(c);
        }
        // leads: created 2026-11-05..2026-11-20, never ordered
        for &area in &areas[N_ACTIVE - 3..] {
            let ch = self.rng.choices(&CHANNELS, &CHANNEL_WEIGHTS);
            let cr = self.rand_date(ymd(2026, 11, 5), ymd(2026, 11, 20));
            let c = self.make_customer(area, ch, "lead", cr);
            self.push_customer(c);
        }

        // duplicate pair 1: same person, same phone written two ways
        let i1 = self
            .customers
            .iter()
            .position(|c| c.channel == "online" && c.area == "浙江" && c.status == "active");
        let i1 = i1.expect("an online customer in 浙江");
        let c1 = &mut self.customers[i1];
        self.used_phones.remove(&c1.phone);
        c1.phone = "+86 139-0000-1111".into();
        let mut d1 = c1.clone();
        d1.phone = "13900001111".into();
        d1.email = String::new();
        d1.created = plus(c1.created, 200);
        let d1_serial = self.customers.len();
        self.push_customer(d1);
        // duplicate pair 2: same shop twice, emails differ only in case
        let i2 = self.customers.iter().position(|c| {
            c.channel == "offline" && c.area == "福建" && c.status == "active" && c.kind == "茶行"
        });
        let i2 = i2.expect("an offline 茶行 in 福建");
        let c2 = &mut self.customers[i2];
        self.used_emails.remove(&c2.email.to_lowercase());
        c2.city = "厦门";
        c2.name = "厦门鹭茗茶行".into();
        c2.company = "厦门鹭茗茶叶有限公司".into();
        c2.email = "luming.tea@163.com".into();
        let mut d2 = c2.clone();
        d2.name = "鹭茗茶行(厦门总店)".into();
        d2.phone = self.new_mobile();
        d2.email = "LuMing.Tea@163.com".into();
        d2.created = plus(d2.created, 150);
        let d2_serial = self.customers.len();
        self.push_customer(d2);
        let pairs = [(i1, d1_serial), (i2, d2_serial)]; // serials of (original, duplicate)

        // codes in creation order
        self.customers
            .sort_by(|a, b| (a.created, &a.name, &a.phone).cmp(&(b.created, &b.name, &b.phone)));
        for (i, c) in (1..).zip(&mut self.customers) {
            c.code = format!("C{i:04}");
        }
        let at = |cs: &[Customer], serial: usize| cs.iter().position(|c| c.serial == serial);
        let pairs = pairs.map(|(c, d)| {
            let c = at(&self.customers, c).expect("the original");
            (c, at(&self.customers, d).expect("the duplicate"))
        });

        // owners
        let mut plain_reps: HashMap<&str, Vec<String>> = HashMap::new();
        for r in &self.reps {
            if r.role == "rep" && r.status == "active" {
                plain_reps.entry(r.region).or_default().push(r.code.clone());
            }
        }
        let sup_of = |reps: &[Rep], region: &str| {
            let s = reps
                .iter()
                .find(|r| r.region == region && r.role == "supervisor");
            s.expect("every region has a supervisor").code.clone()
        };
        for i in 0..self.customers.len() {
            let (area, channel) = (self.customers[i].area, self.customers[i].channel);
            let owner = match area_region(area) {
                None => String::new(),
                Some(_) if channel == "online" && self.rng.random() < 0.10 => String::new(),
                // key accounts with the supervisor
                Some(reg) if channel != "online" && self.rng.random() < 0.12 => {
                    sup_of(&self.reps, reg)
                }
                Some(reg) => self.rng.choice(&plain_reps[reg]),
            };
            self.customers[i].owner = owner;
        }
        // the departed rep still owns a few early EAST customers
        let in_pair = |i: usize| pairs.iter().any(|&(c, d)| i == c || i == d);
        let east_early: Vec<usize> = (0..self.customers.len())
            .filter(|&i| {
                let c = &self.customers[i];
                area_region(c.area) == Some("EAST")
                    && c.status == "active"
                    && !c.owner.is_empty()
                    && c.created < ymd(2025, 3, 1)
                    && !in_pair(i)
            })
            .collect();
        for i in self.rng.sample(&east_early, 4) {
            self.customers[i].owner = LEFT_REP.into();
        }
        // duplicates share the owner of the original
        for (c, d) in pairs {
            self.customers[d].owner = self.customers[c].owner.clone();
        }

        // terms: agents 60, some key offline accounts 45
        for c in &mut self.customers {
            if c.channel == "agent" {
                c.terms_days = "60";
            }
        }
        let key_offline: Vec<usize> = (0..self.customers.len())
            .filter(|&i| {
                let c = &self.customers[i];
                c.channel == "offline"
                    && c.status == "active"
                    && ["商贸", "酒店", "科技"].contains(&c.kind)
                    && !c.owner.is_empty()
            })
            .collect();
        for i in self.rng.sample(&key_offline, 8) {
            self.customers[i].terms_days = "45";
            self.customers[i].key = true;
        }

        for c in &mut self.customers {
            let mut w = self.rng.lognormvariate(0.0, 0.7);
            if c.channel == "agent" {
                w *= 0.8;
            }
            if c.key {
                w *= 2.5;
            }
            c.w = w;
        }
    }

    // -----------------------------------------------------------------------
    // Orders
    // -----------------------------------------------------------------------

    fn poisson(&mut self, lam: f64) -> u32 {
        let l = (-lam).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.rng.random();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }

    fn pick_lines(&mut self, ci: usize, tag: &str) -> Vec<Line> {
        let (channel, segment) = (self.customers[ci].channel, self.customers[ci].segment);
        let n = self
            .rng
            .choices(&[1, 2, 3, 4, 5, 6], &[24.0, 28.0, 21.0, 13.0, 8.0, 6.0]);
        let weights: Vec<f64> = self
            .products
            .iter()
            .map(|p| {
                let mut w = p.w;
                if tag == "gift" && p.category == "礼盒" {
                    w *= 3.5;
                }
                if channel == "agent" && ["礼盒", "茶具"].contains(&p.category) {
                    w *= 1.5;
                }
                if segment == "企业礼品" && p.category == "礼盒" {
                    w *= 2.0;
                }
                w
            })
            .collect();
        let (mut lines, mut seen) = (Vec::new(), Vec::new());
        while lines.len() < n {
            let pi = if !seen.is_empty() && self.rng.random() < 0.012 {
                self.rng.choice(&seen) // rare repeated SKU in one order
            } else {
                let pi = self.rng.weighted_index(&weights);
                if seen.contains(&pi) {
                    continue;
                }
                pi
            };
            seen.push(pi);
            let p = &self.products[pi];
            let lp: f64 = p.list_price.parse().expect("a price");
            let q = if channel == "agent" && ["礼盒", "茶具"].contains(&p.category) {
                if lp >= 1000.0 {
                    self.rng.choice(&[5, 6, 10, 12, 20])
                } else if lp >= 500.0 {
                    self.rng.choice(&[10, 12, 20, 24, 30, 50])
                } else {
                    self.rng
                        .choice(&[10, 12, 20, 24, 30, 40, 50, 60, 80, 100, 120, 150, 200])
                }
            } else if channel == "agent" {
                self.rng.randint(5, 20)
            } else if channel == "online" {
                self.rng.choices(
                    &[1, 2, 3, 4, 5, 6, 10],
                    &[50.0, 22.0, 10.0, 6.0, 5.0, 3.0, 4.0],
                )
            } else {
                let qs: Vec<i64> = (1..=20).collect();
                let ws: Vec<f64> = (1..=20).map(|k| 1.0 / f64::from(k).powf(0.9)).collect();
                self.rng.choices(&qs, &ws)
            };
            let r = self.rng.random();
            let disc = if r < 0.70 {
                ""
            } else {
                self.rng.choice(&["3%", "5%", "5%", "8%"])
            };
            lines.push(Line {
                product: pi,
                quantity: q,
                discount: disc.into(),
                unit_price: String::new(),
            });
        }
        lines
    }

    fn make_orders(&mut self) {
        // Customer groups by (region or OTHER, channel), in the order they first appear.
        let mut groups: Vec<((&str, &str), Vec<usize>)> = Vec::new();
        for (i, c) in self.customers.iter().enumerate() {
            if c.status != "active" {
                continue;
            }
            let g = (area_region(c.area).unwrap_or("OTHER"), c.channel);
            match groups.iter_mut().find(|(k, _)| *k == g) {
                Some((_, cs)) => cs.push(i),
                None => groups.push((g, vec![i])),
            }
        }
        // Float sums in order, as Python 3.11's sum() does them.
        let share: Vec<f64> = groups
            .iter()
            .map(|(_, cs)| cs.iter().fold(0.0, |s, &i| s + self.customers[i].w))
            .collect();
        let tot = share.iter().fold(0.0, |s, &x| s + x);
        let mut sorted: Vec<usize> = (0..groups.len()).collect();
        sorted.sort_by_key(|&i| groups[i].0);

        let mut d = start();
        while d <= cutoff() {
            let (mut mult, tag) = festival(d);
            if d.weekday().num_days_from_monday() >= 5 {
                mult *= 0.92;
            }
            let t = days(start(), d) as f64 / 365.0;
            for &gi in &sorted {
                let growth = region_growth(groups[gi].0 .0).powf(t);
                let lam = BASE * share[gi] / tot * mult * growth;
                let k = self.poisson(lam);
                if k == 0 {
                    continue;
                }
                let elig: Vec<usize> = groups[gi]
                    .1
                    .iter()
                    .copied()
                    .filter(|&i| self.customers[i].created < d)
                    .collect();
                if elig.is_empty() {
                    continue;
                }
                let ws: Vec<f64> = elig
                    .iter()
                    .map(|&i| {
                        let c = &self.customers[i];
                        let promo = tag == "promo" && c.channel == "online";
                        let gift = tag == "gift" && c.segment == "企业礼品";
                        c.w * (if promo { 2.0 } else { 1.0 }) * (if gift { 1.6 } else { 1.0 })
                    })
                    .collect();
                for _ in 0..k {
                    let ci = self.rng.choices(&elig, &ws);
                    let lines = self.pick_lines(ci, tag);
                    self.orders.push(Order::new(d, ci, lines));
                }
            }
            d = plus(d, 1);
        }

        // every active customer orders at least once
        let has_order: HashSet<usize> = self.orders.iter().map(|o| o.cust).collect();
        for ci in 0..self.customers.len() {
            let (status, created) = (self.customers[ci].status, self.customers[ci].created);
            if status == "active" && !has_order.contains(&ci) {
                let od = self.rand_date(plus(created, 1), cutoff());
                let lines = self.pick_lines(ci, festival(od).1);
                self.orders.push(Order::new(od, ci, lines));
            }
        }

        let customers = &self.customers;
        self.orders.sort_by(|a, b| {
            (a.date, &customers[a.cust].code).cmp(&(b.date, &customers[b.cust].code))
        });
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for o in &mut self.orders {
            let y = o.date.year() % 100;
            let n = seq.entry(y).or_default();
            *n += 1;
            o.id = format!("SO{y}-{n:06}");
        }

        // policy-breaking discounts: ~40 lines 12-25%, 3 lines 35%
        let all_lines: Vec<(usize, usize)> = (self.orders.iter().enumerate())
            .flat_map(|(oi, o)| (0..o.lines.len()).map(move |li| (oi, li)))
            .collect();
        let special = self.rng.sample(&all_lines, 43);
        for (n, (oi, li)) in special.into_iter().enumerate() {
            let disc = if n < 3 {
                "35%"
            } else {
                self.rng.choice(&["12%", "15%", "18%", "20%", "22%", "25%"])
            };
            self.orders[oi].lines[li].discount = disc.into();
        }
    }

    /// Prices. Every line gets its unit price: the list price in force on its date. Three SKUs
    /// were raised on 2026-06-01 (products.csv holds the price before, price_changes.csv the
    /// change); two more are raised on 2026-12-01, an upcoming change for the adjustment notice.
    fn make_prices(&mut self) {
        let price_raised = ymd(2026, 6, 1);
        let with_floor: Vec<String> = (self.products.iter())
            .filter(|p| !p.floor_price.is_empty())
            .map(|p| p.sku.clone())
            .collect();
        let mut raised = self.rng.sample(&with_floor, 3);
        raised.sort();
        let rest: Vec<String> = (with_floor.iter())
            .filter(|s| !raised.contains(s))
            .cloned()
            .collect();
        let mut upcoming = self.rng.sample(&rest, 2);
        upcoming.sort();

        for sku in &raised {
            let p = &self.products[self.product_index(sku)];
            self.price_changes.push(vec![
                sku.clone(),
                price_raised.to_string(),
                scaled(&p.list_price, "1.08"),
                scaled(&p.floor_price, "1.08"),
                scaled(&p.cost, "1.06"),
                "原料成本上涨".into(),
            ]);
        }
        for sku in &upcoming {
            let p = &self.products[self.product_index(sku)];
            self.price_changes.push(vec![
                sku.clone(),
                "2026-12-01".into(),
                scaled(&p.list_price, "1.05"),
                scaled(&p.floor_price, "1.05"),
                String::new(),
                "春节备货调价".into(),
            ]);
        }
        // NEW_LIST: product -> its list price from 2026-06-01
        let new_list: HashMap<usize, String> = (self.price_changes.iter())
            .filter(|r| r[1] == price_raised.to_string())
            .map(|r| (self.product_index(&r[0]), r[2].clone()))
            .collect();
        for o in &mut self.orders {
            for ln in &mut o.lines {
                ln.unit_price = match new_list.get(&ln.product) {
                    Some(price) if o.date >= price_raised => price.clone(),
                    _ => self.products[ln.product].list_price.clone(),
                };
            }
        }

        // Policy breaks in October 2026, so that `prices check --period 2026-10` shows every kind
        // of finding: a few lines sold under the floor price (also off the list price), two under
        // cost, and one region that sells one SKU far below the others (regional spread).
        let october_start = ymd(2026, 10, 1);
        let october: Vec<(usize, usize)> = (self.orders.iter().enumerate())
            .filter(|(_, o)| o.date >= october_start)
            .flat_map(|(oi, o)| {
                (o.lines.iter().enumerate())
                    .filter(|(_, ln)| !new_list.contains_key(&ln.product) && ln.discount.is_empty())
                    .map(move |(li, _)| (oi, li))
            })
            .collect();
        for (n, (oi, li)) in self.rng.sample(&october, 6).into_iter().enumerate() {
            let ln = &mut self.orders[oi].lines[li];
            let p = &self.products[ln.product];
            ln.unit_price = if n < 2 {
                scaled(&p.cost, "0.90")
            } else {
                scaled(&p.list_price, "0.80")
            };
        }
        let customers = &self.customers;
        let sw_october = |o: &Order| {
            o.date >= october_start && area_region(customers[o.cust].area) == Some("SW")
        };
        let spread = (0..self.products.len())
            .filter(|pi| !new_list.contains_key(pi))
            .map(|pi| {
                let n = (self.orders.iter().filter(|o| sw_october(o)))
                    .flat_map(|o| &o.lines)
                    .filter(|ln| ln.product == pi)
                    .count();
                (pi, n)
            })
            .max_by(|a, b| (a.1, &self.products[a.0].sku).cmp(&(b.1, &self.products[b.0].sku)))
            .expect("some SKU")
            .0;
        let spread_price = scaled(&self.products[spread].list_price, "0.82");
        for o in &mut self.orders {
            if sw_october(o) {
                for ln in &mut o.lines {
                    if ln.product == spread && ln.discount.is_empty() {
                        ln.unit_price = spread_price.clone();
                    }
                }
            }
        }
    }

    // -----------------------------------------------------------------------
    // Order-level fields
    // -----------------------------------------------------------------------

    fn tracking(&mut self, carrier: &str) -> String {
        loop {
            let t = match carrier {
                "顺丰" => format!("SF14{:08}", self.rng.randint(0, 10i64.pow(8) - 1)),
                "京东物流" => {
                    format!("JDV{}", self.rng.randint(10i64.pow(11), 10i64.pow(12) - 1))
                }
                "中通" => format!("7{}", self.rng.randint(10i64.pow(12), 10i64.pow(13) - 1)),
                _ => format!("1{}", self.rng.randint(10i64.pow(11), 10i64.pow(12) - 1)),
            };
            if self.used_tracking.insert(t.clone()) {
                return t;
            }
        }
    }

    fn order_fields(&mut self) {
        const CARRIERS: [&str; 4] = ["顺丰", "京东物流", "中通", "EMS"];
        const CARRIER_WEIGHTS: [f64; 4] = [45.0, 25.0, 20.0, 10.0];
        for oi in 0..self.orders.len() {
            let (date, area) = (
                self.orders[oi].date,
                self.customers[self.orders[oi].cust].area,
            );
            let age = days(date, cutoff());
            let mut province = "";
            if self.rng.random() < 0.05 {
                let others: Vec<&str> = (self.covered.iter().copied())
                    .filter(|&a| a != area)
                    .collect();
                province = self.rng.choice(&others);
            }
            let mut st = if self.rng.random() < 0.02 {
                "cancelled"
            } else if date < ymd(2026, 10, 1) {
                if self.rng.random() < 0.03 {
                    "delivered"
                } else {
                    "completed"
                }
            } else if age <= 2 {
                self.rng.choices(&["confirmed", "shipped"], &[70.0, 30.0])
            } else if age <= 7 {
                self.rng
                    .choices(&["confirmed", "shipped", "delivered"], &[15.0, 55.0, 30.0])
            } else {
                self.rng
                    .choices(&["confirmed", "shipped", "delivered"], &[5.0, 10.0, 85.0])
            };
            if ["shipped", "delivered", "completed"].contains(&st) {
                let maxd = age.min(3);
                if maxd < 1 {
                    st = "confirmed";
                } else {
                    let ship = plus(date, self.rng.randint(1, maxd));
                    let carrier = self.rng.choices(&CARRIERS, &CARRIER_WEIGHTS);
                    let tracking = self.tracking(carrier);
                    let o = &mut self.orders[oi];
                    (o.ship, o.carrier, o.tracking) = (Some(ship), carrier, tracking);
                }
            }
            let o = &mut self.orders[oi];
            (o.province, o.status) = (province, st);
        }
        for o in &mut self.orders {
            o.amount = (o.lines.iter()).fold(Dec::int(0), |sum, ln| {
                sum + line_amount(ln.quantity, &ln.unit_price, &ln.discount)
            });
        }
    }

    // -----------------------------------------------------------------------
    // Payments
    // -----------------------------------------------------------------------

    fn method_for(&mut self, ci: usize) -> &'static str {
        match self.customers[ci].channel {
            "online" => self
                .rng
                .choice(&["alipay", "alipay", "wechat", "wechat", "card"]),
            "agent" => "transfer",
            _ => self.rng.choices(
                &["transfer", "wechat", "alipay", "card"],
                &[45.0, 20.0, 15.0, 20.0],
            ),
        }
    }

    fn pay(&mut self, order: usize, date: NaiveDate, amount: Dec, method: &'static str) {
        self.payments.push(Payment {
            order,
            date,
            amount,
            method,
            reference: String::new(),
        });
    }

    /// One payment, or two partial payments summing exactly to the amount.
    fn pay_full(&mut self, oi: usize, latest: NaiveDate) {
        let (a, d0, ci) = (
            self.orders[oi].amount,
            self.orders[oi].date,
            self.orders[oi].cust,
        );
        let span = days(d0, latest.min(cutoff())).max(0);
        if self.rng.random() < 0.2 && a >= Dec::int(100) {
            let r = Dec::int(self.rng.randint(30, 70));
            let first = (a * r / Dec::int(100)).quantize(CENT, Rounding::HalfEven);
            let p1 = plus(d0, self.rng.randint(0, span));
            let p2 = plus(
                p1,
                self.rng.randint(0, days(p1, latest.min(cutoff())).max(0)),
            );
            let m = self.method_for(ci);
            self.pay(oi, p1, first, m);
            self.pay(oi, p2, a - first, m);
        } else {
            let date = plus(d0, self.rng.randint(0, span));
            let m = self.method_for(ci);
            self.pay(oi, date, a, m);
        }
    }

    fn pay_part(&mut self, oi: usize, latest: NaiveDate) {
        let (a, d0, ci) = (
            self.orders[oi].amount,
            self.orders[oi].date,
            self.orders[oi].cust,
        );
        let r = Dec::int(self.rng.randint(20, 70));
        let part = (a * r / Dec::int(100)).quantize(CENT, Rounding::HalfEven);
        if part > Dec::int(0) {
            let span = days(d0, latest.min(cutoff())).max(0);
            let date = plus(d0, self.rng.randint(0, span));
            let m = self.method_for(ci);
            self.pay(oi, date, part, m);
        }
    }

    fn make_payments(&mut self) {
        for oi in 0..self.orders.len() {
            let o = &self.orders[oi];
            if o.status == "cancelled" {
                continue;
            }
            let (date, amount, ci) = (o.date, o.amount, o.cust);
            let c = &self.customers[ci];
            let terms: i64 = if c.terms_days.is_empty() {
                30
            } else {
                c.terms_days.parse().expect("terms in days")
            };
            let age = days(date, cutoff());
            if c.channel == "online" && self.rng.random() < 0.96 {
                let m = self.method_for(ci);
                self.pay(oi, date, amount, m);
                continue;
            }
            let latest = plus(date, terms + 20);
            let r = self.rng.random();
            if age > 90 {
                if r < 0.97 {
                    self.pay_full(oi, latest);
                } else if r < 0.985 {
                    self.pay_part(oi, latest);
                } // else: stays unpaid
            } else {
                let p_full = if age > terms {
                    0.75
                } else {
                    0.20 + 0.5 * age as f64 / terms as f64
                };
                if r < p_full {
                    self.pay_full(oi, latest);
                } else if r < p_full + 0.12 {
                    self.pay_part(oi, latest);
                }
            }
        }
        let orders = &self.orders;
        self.payments.sort_by(|a, b| {
            (a.date, &orders[a.order].id, a.amount).cmp(&(b.date, &orders[b.order].id, b.amount))
        });
        for (i, p) in (1..).zip(&mut self.payments) {
            p.reference = format!("PAY-{i:06}");
        }
    }

    // -----------------------------------------------------------------------
    // Returns
    // -----------------------------------------------------------------------

    fn make_returns(&mut self) {
        const REASONS: [(&str, &str); 6] = [
            ("破损", "quality"),
            ("包装破损", "quality"),
            ("发错货", "quality"),
            ("茶叶受潮", "quality"),
            ("口味不符", "customer"),
            ("客户取消", "customer"),
        ];
        const REASON_WEIGHTS: [f64; 6] = [30.0, 10.0, 15.0, 8.0, 22.0, 15.0];
        let mut eligible = Vec::new();
        for (oi, o) in self.orders.iter().enumerate() {
            let shipped_3_days = o.ship.is_some_and(|s| days(s, cutoff()) >= 3);
            if !["delivered", "completed"].contains(&o.status) || !shipped_3_days {
                continue;
            }
            for ln in &o.lines {
                if o.lines.iter().filter(|l| l.product == ln.product).count() == 1 {
                    eligible.push((oi, ln.product, ln.quantity));
                }
            }
        }
        for (oi, pi, q) in self.rng.sample(&eligible, 150) {
            let rq = if q == 1 || self.rng.random() < 0.5 {
                1
            } else {
                let hi = if self.rng.random() < 0.9 { q.min(5) } else { q };
                self.rng.randint(1, hi)
            };
            let ship = self.orders[oi].ship.expect("shipped");
            let rd = plus(ship, self.rng.randint(3, days(ship, cutoff()).min(20)));
            let (reason, kind) = self.rng.choices(&REASONS, &REASON_WEIGHTS);
            self.returns.push(Return {
                order: oi,
                product: pi,
                quantity: rq,
                date: rd,
                reason,
                kind,
            });
        }
        let (orders, products) = (&self.orders, &self.products);
        self.returns.sort_by(|a, b| {
            let key = |r: &Return| (r.date, &orders[r.order].id, &products[r.product].sku);
            key(a).cmp(&key(b))
        });
    }

    // -----------------------------------------------------------------------
    // Write
    // -----------------------------------------------------------------------

    fn write(&mut self, out: &Path) -> io::Result<()> {
        fs::create_dir_all(out)?;
        let regions: Vec<Vec<String>> = (REGIONS.iter())
            .map(|r| {
                let areas = r.areas.join(";");
                let m = self.region_manager(r.code);
                [r.code, r.name, r.parent, m, &areas]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        write_csv(
            out,
            "regions.csv",
            "code,name,parent,manager,areas",
            regions,
        )?;

        let mut reps: Vec<&Rep> = self.reps.iter().collect();
        reps.sort_by(|a, b| a.code.cmp(&b.code));
        let reps = reps.into_iter().map(|r| {
            let [code, name, manager, phone, email] =
                [&r.code, &r.name, &r.manager, &r.phone, &r.email].map(String::clone);
            vec![
                code,
                name,
                r.region.into(),
                r.role.into(),
                manager,
                phone,
                email,
                r.status.into(),
            ]
        });
        write_csv(
            out,
            "reps.csv",
            "code,name,region,role,manager,phone,email,status",
            reps,
        )?;

        let mut products: Vec<&Product> = self.products.iter().collect();
        products.sort_by(|a, b| a.sku.cmp(&b.sku));
        let products = products.into_iter().map(|p| {
            vec![
                p.sku.clone(),
                p.name.into(),
                p.category.into(),
                p.unit.into(),
                p.list_price.clone(),
                p.floor_price.clone(),
                p.cost.clone(),
            ]
        });
        let header = "sku,name,category,unit,list_price,floor_price,cost";
        write_csv(out, "products.csv", header, products)?;

        let customers = self.customers.iter().map(|c| {
            vec![
                c.code.clone(),
                c.name.clone(),
                c.area.into(),
                c.city.into(),
                c.company.clone(),
                c.phone.clone(),
                c.email.clone(),
                c.channel.into(),
                c.segment.into(),
                c.owner.clone(),
                String::new(), // tier: left empty for grading to fill in
                c.status.into(),
                c.terms_days.into(),
                c.created.to_string(),
            ]
        });
        let header = "code,name,area,city,company,phone,email,channel,segment,owner,tier,status,\
                      terms_days,created";
        write_csv(out, "customers.csv", header, customers)?;

        let (orders, customers, products) = (&self.orders, &self.customers, &self.products);
        let order_rows = orders.iter().flat_map(|o| {
            let c = &customers[o.cust];
            o.lines.iter().map(move |ln| {
                let p = &products[ln.product];
                vec![
                    o.id.clone(),
                    o.date.to_string(),
                    c.code.clone(),
                    c.name.clone(),
                    c.owner.clone(),
                    c.channel.into(),
                    o.province.into(),
                    o.status.into(),
                    p.sku.clone(),
                    p.name.into(),
                    p.category.into(),
                    ln.quantity.to_string(),
                    ln.unit_price.clone(),
                    ln.discount.clone(),
                    String::new(), // amount, unit_cost and profit: the tool derives them
                    String::new(),
                    String::new(),
                    o.ship.map(|d| d.to_string()).unwrap_or_default(),
                    o.carrier.into(),
                    o.tracking.clone(),
                ]
            })
        });
        let header = "order_id,order_date,customer,customer_name,rep,channel,province,status,sku,\
                      product_name,category,quantity,unit_price,discount,amount,unit_cost,profit,\
                      ship_date,carrier,tracking";
        write_csv(out, "orders.csv", header, order_rows)?;

        let payments = self.payments.iter().map(|p| {
            vec![
                orders[p.order].id.clone(),
                p.date.to_string(),
                money(p.amount),
                p.method.into(),
                p.reference.clone(),
            ]
        });
        write_csv(
            out,
            "payments.csv",
            "order_id,date,amount,method,reference",
            payments,
        )?;
        let header = "sku,effective,list_price,floor_price,cost,reason";
        write_csv(out, "price_changes.csv", header, self.price_changes.clone())?;

        // Market observations in autumn 2026; three are below the floor price.
        const PLATFORMS: [(&str, &str); 4] = [
            ("天猫", "tmall.com"),
            ("京东", "jd.com"),
            ("拼多多", "pinduoduo.com"),
            ("抖音", "douyin.com"),
        ];
        const SELLERS: [&str; 5] = ["茗香小铺", "茶缘旗舰店", "好茶直营", "山野茶庄", "闽南茶行"];
        let with_floor: Vec<String> = (self.products.iter())
            .filter(|p| !p.floor_price.is_empty())
            .map(|p| p.sku.clone())
            .collect();
        let mut obs_skus = self.rng.sample(&with_floor, 12);
        obs_skus.sort();
        let mut observations = Vec::new();
        for (n, sku) in obs_skus.into_iter().enumerate() {
            let list_price = self.products[self.product_index(&sku)].list_price.clone();
            let factor = if n < 3 {
                "0.75"
            } else {
                self.rng.choice(&["0.92", "0.95", "0.98", "1.00"])
            };
            let (plat, host) = self.rng.choice(&PLATFORMS);
            let od = plus(ymd(2026, 9, 1), self.rng.randint(0, 60));
            let seller = self.rng.choice(&SELLERS);
            let area = self.rng.choice(&self.covered);
            let item = self.rng.randint(10i64.pow(8), 10i64.pow(9) - 1);
            observations.push(vec![
                od.to_string(),
                sku,
                scaled(&list_price, factor),
                plat.into(),
                seller.into(),
                area.into(),
                format!("https://{host}/item/{item}"),
            ]);
        }
        observations.sort();
        let header = "date,sku,price,platform,seller,area,url";
        write_csv(out, "observations.csv", header, observations)?;

        // Annual revenue targets per region: each year's is last year's sales times a stretch,
        // some regions stretched harder than they can grow (they fall behind), others less (they
        // run ahead).
        let mut region_year: HashMap<(Option<&str>, i32), Dec> = HashMap::new();
        for o in &self.orders {
            if o.status != "cancelled" {
                let key = (area_region(self.customers[o.cust].area), o.date.year());
                let sum = region_year.entry(key).or_insert(Dec::int(0));
                *sum = *sum + o.amount;
            }
        }
        let stretch = |code: &str| match code {
            "NORTH" => "1.18",
            "NE" => "1.15",
            "EAST" => "1.08",
            "EAST-SH" => "1.10",
            "SOUTH" => "1.20",
            "CENTRAL" => "1.12",
            "SW" => "1.05",
            _ => "1.25", // NW
        };
        let mut targets = Vec::new();
        for region in &REGIONS {
            // A parent region's figures include its sub-regions, so its target does too.
            let base25 = (REGIONS.iter())
                .filter(|r| r.code == region.code || r.parent == region.code)
                .fold(Dec::int(0), |sum, r| {
                    let v = region_year.get(&(Some(r.code), 2025));
                    sum + v.copied().unwrap_or(Dec::int(0))
                });
            for (year, base) in [(2025, base25 / Dec::parse("1.12")), (2026, base25)] {
                let t = (base * Dec::parse(stretch(region.code)) / Dec::int(10000))
                    .quantize(0, Rounding::HalfUp)
                    * Dec::int(10000);
                targets.push(vec![
                    "region".into(),
                    region.code.into(),
                    year.to_string(),
                    format!("{t}.00"),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        let header = "scope,code,period,revenue,quantity,profit";
        write_csv(out, "targets.csv", header, targets)?;

        let returns = self.returns.iter().map(|r| {
            vec![
                self.orders[r.order].id.clone(),
                self.products[r.product].sku.clone(),
                r.quantity.to_string(),
                r.date.to_string(),
                r.reason.into(),
                r.kind.into(),
            ]
        });
        write_csv(
            out,
            "returns.csv",
            "order_id,sku,quantity,date,reason,kind",
            returns,
        )
    }
}

// ---------------------------------------------------------------------------
// Campaigns and carriers (a stream of their own, so every file above stays as it was)
// ---------------------------------------------------------------------------

/// The seed of the campaigns' and carriers' random stream.
const TRADE_SEED: u64 = 20_261_500;

/// November 2026's two campaigns and the company's carriers: the live-stream campaign (直播带货)
/// pays, the search campaign (搜索推广) does not; 顺丰 delivers within its 2 days, 中通 is often
/// late against its 3. New customers the campaigns brought, their orders (attributed, shipped, with
/// freight), and the deliveries of those orders, which `demo` records with `orders deliver`.
fn trade(out: &Path) -> io::Result<()> {
    let mut rng = PyRandom::new(TRADE_SEED);
    write_csv(
        out,
        "campaigns.csv",
        "code,name,channel,region,start,end,budget",
        [
            [
                "C-LIVE",
                "双十一直播带货",
                "social",
                "EAST",
                "2026-11-01",
                "2026-11-15",
                "6000",
            ],
            [
                "C-SEARCH",
                "搜索推广",
                "search",
                "",
                "2026-11-01",
                "2026-11-20",
                "8000",
            ],
        ]
        .map(|r| r.map(str::to_string).to_vec()),
    )?;
    write_csv(
        out,
        "carriers.csv",
        "code,name,promise_days",
        [
            ["SF", "顺丰", "2"],
            ["ZT", "中通", "3"],
            ["JD", "京东物流", "2"],
            ["EMS", "EMS", "5"],
        ]
        .map(|r| r.map(str::to_string).to_vec()),
    )?;
    // Daily spend and traffic: the live stream converts its visits, search buys clicks that leave.
    let mut records = Vec::new();
    for (code, first, last, spend, ctr) in [
        ("C-LIVE", 1, 15, (250, 450), (40, 60)),
        ("C-SEARCH", 1, 20, (300, 500), (10, 20)),
    ] {
        for day in first..=last {
            let impressions = rng.randint(8_000, 15_000);
            let clicks = impressions * rng.randint(ctr.0, ctr.1) / 1000;
            let visits = clicks * rng.randint(60, 90) / 100;
            records.push(vec![
                code.to_string(),
                ymd(2026, 11, day).to_string(),
                rng.randint(spend.0, spend.1).to_string(),
                impressions.to_string(),
                clicks.to_string(),
                visits.to_string(),
            ]);
        }
    }
    write_csv(
        out,
        "campaign_records.csv",
        "campaign,date,spend,impressions,clicks,visits",
        records,
    )?;
    // Customers the campaigns brought; each buys once or twice, well under the important tier.
    let areas = ["上海", "浙江", "江苏", "广东", "四川", "北京"];
    let products: Vec<(String, String)> = read(out, "products.csv")?
        .into_iter()
        .map(|r| (r["sku"].clone(), r["list_price"].clone()))
        .filter(|(_, price)| Dec::parse(price) <= Dec::int(600))
        .collect();
    let mut customers = Vec::new();
    let mut orders = Vec::new();
    let mut deliveries = Vec::new();
    let mut n = 0;
    for (i, (campaign, count, buys)) in [("C-LIVE", 24, 2), ("C-SEARCH", 6, 1)]
        .into_iter()
        .enumerate()
    {
        for k in 1..=count {
            let code = format!("CP{}{k:02}", i + 1);
            let area = rng.choice(&areas);
            customers.push(vec![
                code.clone(),
                format!("{area}{}号茶友", k + 100 * (i + 1)),
                area.to_string(),
                "online".to_string(),
                "2026-11-01".to_string(),
                campaign.to_string(),
            ]);
            for _ in 0..rng.randint(1, buys) {
                n += 1;
                let id = format!("CP26-{n:04}");
                let date = ymd(2026, 11, rng.randint(2, 15) as u32);
                let shipped = plus(date, 1);
                let (carrier, late) = if rng.random() < 0.5 {
                    ("顺丰", false)
                } else {
                    ("中通", true)
                };
                let days = if late {
                    rng.randint(2, 6)
                } else {
                    rng.randint(1, 2)
                };
                let tracking = format!(
                    "{}{:010}",
                    if late { "ZT" } else { "SF" },
                    rng.randint(0, 9_999_999_999)
                );
                let freight = rng.randint(8, 20).to_string();
                let lines = rng.randint(1, 2);
                for _ in 0..lines {
                    let (sku, price) = rng.choice(&products);
                    orders.push(vec![
                        id.clone(),
                        date.to_string(),
                        code.clone(),
                        "online".to_string(),
                        "shipped".to_string(),
                        sku,
                        rng.randint(1, 3).to_string(),
                        price,
                        shipped.to_string(),
                        carrier.to_string(),
                        tracking.clone(),
                        campaign.to_string(),
                        freight.clone(),
                    ]);
                }
                // Most arrive before today; a few are still on the way.
                let arrived = plus(shipped, days);
                if arrived <= ymd(2026, 11, 20) && rng.random() < 0.9 {
                    deliveries.push(vec![id.clone(), arrived.to_string()]);
                }
            }
        }
    }
    // Rows of one order stay together; orders in date order, as an export gives them.
    orders.sort_by(|a, b| (&a[1], &a[0]).cmp(&(&b[1], &b[0])));
    write_csv(
        out,
        "campaign_customers.csv",
        "code,name,area,channel,created,campaign",
        customers,
    )?;
    write_csv(
        out,
        "campaign_orders.csv",
        "order_id,order_date,customer,channel,status,sku,quantity,unit_price,ship_date,carrier,tracking,campaign,freight",
        orders,
    )?;
    deliveries.sort();
    write_csv(
        out,
        "campaign_deliveries.csv",
        "order_id,delivered",
        deliveries,
    )
}

// ---------------------------------------------------------------------------
// Stock: warehouses and a year of their moves
// ---------------------------------------------------------------------------

/// The warehouses: code, name, the regions each serves, opened. Stock counts from December 2025, so
/// the demo holds a year of moves.
const WAREHOUSES: &[(&str, &str, &[&str])] = &[
    ("WH-BJ", "北京仓", &["NORTH", "NE", "NW"]),
    ("WH-GZ", "广州仓", &["SOUTH", "CENTRAL", "SW"]),
    ("WH-SH", "上海仓", &["EAST"]),
];
const STOCK_OPENED: &str = "2025-12-01";

/// warehouses.csv and stock_moves.csv, drawn from a random stream of their own (so every other file
/// keeps its bytes) and from the orders just written: each month's goods are received on its first
/// day to cover what that month ships with a margin. The story: the gift boxes run out at 上海仓 in
/// the busy weeks before 春节 2026 (January's delivery covers 70% of them), the half-year stock-take
/// at 北京仓 finds a few tins missing, and 北京仓 helps 上海仓 out before 中秋 with a transfer.
fn stock_story(out: &Path) -> io::Result<()> {
    let mut rng = PyRandom::new(20_261_201);
    let warehouse_of = |region: &str| -> Option<&'static str> {
        // A sub-region ships from the warehouse of the region above it (EAST-SH from EAST's).
        let region = if region == "EAST-SH" { "EAST" } else { region };
        WAREHOUSES
            .iter()
            .find(|w| w.2.contains(&region))
            .map(|w| w.0)
    };
    let customer_area: HashMap<String, String> = read(out, "customers.csv")?
        .into_iter()
        .map(|c| (c["code"].clone(), c["area"].clone()))
        .collect();
    let products = read(out, "products.csv")?;
    let gift: HashSet<String> = products
        .iter()
        .filter(|p| p["category"] == "礼盒")
        .map(|p| p["sku"].clone())
        .collect();
    // Units shipped per (warehouse, sku, month), and units still reserved by confirmed orders.
    let mut shipped: std::collections::BTreeMap<(String, String, String), i64> = Default::default();
    let mut reserved: std::collections::BTreeMap<(String, String), i64> = Default::default();
    for o in read(out, "orders.csv")? {
        if o["order_date"].as_str() < STOCK_OPENED {
            continue;
        }
        let area = if o["province"].is_empty() {
            customer_area
                .get(&o["customer"])
                .cloned()
                .unwrap_or_default()
        } else {
            o["province"].clone()
        };
        let Some(w) = area_region(&area).and_then(warehouse_of) else {
            continue;
        };
        let q: i64 = o["quantity"].parse().unwrap_or(0);
        match o["status"].as_str() {
            "shipped" | "delivered" | "completed" => {
                let date = if o["ship_date"].is_empty() {
                    &o["order_date"]
                } else {
                    &o["ship_date"]
                };
                *shipped
                    .entry((w.to_string(), o["sku"].clone(), date[..7].to_string()))
                    .or_default() += q;
            }
            "confirmed" => {
                *reserved
                    .entry((w.to_string(), o["sku"].clone()))
                    .or_default() += q
            }
            _ => {}
        }
    }
    let months: Vec<String> = (0..12)
        .map(|i| {
            let d = ymd(2025, 12, 1) + chrono::Months::new(i);
            d.format("%Y-%m").to_string()
        })
        .collect();
    let mut moves: Vec<Vec<String>> = Vec::new();
    let mut on_hand: HashMap<(String, String), i64> = HashMap::new();
    let row =
        |date: String, w: &str, sku: &str, q: i64, kind: &str, reference: &str, note: &str| {
            vec![
                date,
                w.to_string(),
                sku.to_string(),
                q.to_string(),
                kind.to_string(),
                reference.to_string(),
                note.to_string(),
            ]
        };
    for (i, month) in months.iter().enumerate() {
        for (w, _, _) in WAREHOUSES {
            for p in &products {
                let sku = &p["sku"];
                let need = shipped
                    .get(&(w.to_string(), sku.clone(), month.clone()))
                    .copied()
                    .unwrap_or(0);
                // The last month also holds what confirmed orders wait for.
                let waiting = if i + 1 == months.len() {
                    reserved
                        .get(&(w.to_string(), sku.clone()))
                        .copied()
                        .unwrap_or(0)
                } else {
                    0
                };
                let margin = 1.1 + 0.25 * rng.random();
                // A safety stock of a dozen units on top of the month's needs and a margin.
                let target = ((need + waiting) as f64 * margin).ceil() as i64 + 12;
                // The stock-out: the first delivery covers 70%, the rest arrives on the 20th.
                let short = *w == "WH-SH" && month == "2026-01" && gift.contains(sku);
                let first = if short {
                    (need as f64 * 0.7).floor() as i64
                } else {
                    target
                };
                let have = on_hand.entry((w.to_string(), sku.clone())).or_default();
                let po = format!("PO-{}-{}", &month.replace('-', ""), &w[3..]);
                let receive = first - *have;
                if receive > 0 {
                    let date = format!("{month}-01");
                    moves.push(row(date, w, sku, receive, "receive", &po, ""));
                    *have += receive;
                }
                if short && target > *have {
                    let late = target - *have;
                    let date = format!("{month}-20");
                    let po = format!("{po}-2");
                    moves.push(row(date, w, sku, late, "receive", &po, "春节补货"));
                    *have += late;
                }
                *have -= need;
                if month == "2026-06" && *w == "WH-BJ" && need > 0 && rng.random() < 0.08 {
                    let diff = rng.choice(&[-3, -2, -1, -1, 1]);
                    moves.push(row(
                        "2026-06-30".into(),
                        w,
                        sku,
                        diff,
                        "adjust",
                        "",
                        "半年盘点",
                    ));
                    *have += diff;
                }
            }
        }
        if month == "2026-09" {
            // Before 中秋: 北京仓 sends the best-selling gift box's spare tins to 上海仓.
            let top = products
                .iter()
                .filter(|p| gift.contains(&p["sku"]))
                .max_by_key(|p| {
                    shipped
                        .get(&("WH-SH".to_string(), p["sku"].clone(), month.clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .map(|p| p["sku"].clone())
                .unwrap_or_default();
            let spare = on_hand
                .get(&("WH-BJ".to_string(), top.clone()))
                .copied()
                .unwrap_or(0)
                .clamp(0, 20);
            if spare > 0 {
                for (w, q) in [("WH-BJ", -spare), ("WH-SH", spare)] {
                    moves.push(row(
                        "2026-09-10".into(),
                        w,
                        &top,
                        q,
                        "transfer",
                        "WH-BJ>WH-SH",
                        "中秋调拨",
                    ));
                    *on_hand.entry((w.to_string(), top.clone())).or_default() += q;
                }
            }
        }
    }
    moves.sort_by(|a, b| (&a[0], &a[1], &a[2], &a[4]).cmp(&(&b[0], &b[1], &b[2], &b[4])));
    let warehouses = WAREHOUSES.iter().map(|(code, name, serves)| {
        vec![
            code.to_string(),
            name.to_string(),
            serves.join(";"),
            STOCK_OPENED.to_string(),
        ]
    });
    write_csv(out, "warehouses.csv", "code,name,serves,opened", warehouses)?;
    write_csv(
        out,
        "stock_moves.csv",
        "date,warehouse,sku,quantity,kind,reference,note",
        moves,
    )
}

/// `festival(d)`: (volume multiplier, tag)
fn festival(d: NaiveDate) -> (f64, &'static str) {
    let (y, m) = (d.year(), d.month());
    let within = |a: NaiveDate, b: NaiveDate| a <= d && d <= b;
    if within(ymd(2025, 1, 2), ymd(2025, 1, 26)) {
        return (2.0, "gift"); // before 春节 2025-01-29
    }
    if within(ymd(2025, 1, 27), ymd(2025, 2, 5)) {
        return (0.45, "");
    }
    if within(ymd(2026, 1, 5), ymd(2026, 2, 14)) {
        return (1.9, "gift"); // before 春节 2026-02-17
    }
    if within(ymd(2026, 2, 15), ymd(2026, 2, 24)) {
        return (0.45, "");
    }
    if m == 6 && d.day() <= 18 {
        return (1.8, "promo"); // 618
    }
    if within(ymd(2025, 9, 5), ymd(2025, 10, 5)) {
        return (1.9, "gift"); // before 中秋 2025-10-06
    }
    if within(ymd(2026, 8, 28), ymd(2026, 9, 24)) {
        return (1.9, "gift"); // before 中秋 2026-09-25
    }
    if y == 2025 && m == 11 && d.day() <= 11 {
        return (2.3, "promo"); // 双十一
    }
    if within(ymd(2026, 10, 1), ymd(2026, 10, 7)) {
        return (0.8, "");
    }
    match m {
        7 | 8 => (0.85, ""),
        12 => (1.15, ""),
        1 => (1.3, "gift"),
        _ => (1.0, ""),
    }
}

// ---------------------------------------------------------------------------
// After-sales tickets (their own random stream: the files above keep their bytes)
// ---------------------------------------------------------------------------

/// The day the demo's story stops (its "today"): tickets are opened up to that morning.
fn service_today() -> NaiveDate {
    ymd(2026, 11, 23)
}

/// `t`, or when it falls outside 09:00-18:00 on Monday to Friday, a few minutes after the next
/// weekday's 09:00: people answer in office hours.
fn in_office(rng: &mut PyRandom, t: NaiveDateTime) -> NaiveDateTime {
    let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    if !weekend(t.date()) && t.hour() >= 9 && t.hour() < 18 {
        return t;
    }
    let mut d = if t.hour() < 9 {
        t.date()
    } else {
        t.date() + Duration::days(1)
    };
    while weekend(d) {
        d += Duration::days(1);
    }
    d.and_hms_opt(9, 0, 0).expect("09:00") + Duration::minutes(rng.randint(0, 40))
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl Demo {
    /// tickets.csv (a few hundred requests over the demo's months: late answers, complaints, low
    /// scores, some still open on its last day) and ticket_reopens.csv (tickets reopened after they
    /// were closed, which `service reopen` records).
    fn write_tickets(&self, out: &Path) -> io::Result<()> {
        let mut rng = PyRandom::new(20_261_208);
        let kinds = ["inquiry", "complaint", "repair", "exchange", "refund"];
        let channels = ["phone", "online", "platform", "email", "visit"];
        let summaries: [&[&str]; 5] = [
            &[
                "询问冲泡方法",
                "询问发票开具",
                "询问物流进度",
                "询问礼盒定制",
                "询问批发价格",
            ],
            &["包装破损", "发货延迟", "茶叶受潮", "少发货品", "客服态度差"],
            &["茶具破裂", "礼盒锁扣损坏", "茶罐密封不严"],
            &["口味不符要求换货", "规格发错", "礼盒款式换货"],
            &["退款未到账", "未收到货申请退款", "重复付款退款"],
        ];
        let left: HashSet<&str> = self
            .reps
            .iter()
            .filter(|r| r.status == "left")
            .map(|r| r.code.as_str())
            .collect();
        // The delivered or completed orders of each customer, in date order.
        let mut orders_of: HashMap<usize, Vec<&Order>> = HashMap::new();
        for o in &self.orders {
            if ["delivered", "completed"].contains(&o.status) {
                orders_of.entry(o.cust).or_default().push(o);
            }
        }
        let today = service_today();
        let mut tickets: Vec<(NaiveDateTime, Vec<String>)> = Vec::new();
        let mut day = ymd(2025, 1, 6);
        while day <= today {
            let n = rng.choices(&[0i64, 1, 2], &[45.0, 40.0, 15.0]);
            for _ in 0..n {
                // Most requests come in office hours; some early, some in the evening.
                let (from, to) = rng.choices(&[(7, 8), (9, 17), (18, 21)], &[8.0, 80.0, 12.0]);
                let opened = day.and_hms_opt(0, 0, 0).expect("midnight")
                    + Duration::minutes(rng.randint(from, to) * 60 + rng.randint(0, 59));
                if day == today && opened.hour() >= 9 {
                    continue;
                }
                let cust = rng.randint(0, self.customers.len() as i64 - 1) as usize;
                let c = &self.customers[cust];
                if c.created > day || c.status == "lead" {
                    continue;
                }
                let k = rng.choices(&[0usize, 1, 2, 3, 4], &[35.0, 20.0, 10.0, 15.0, 20.0]);
                let kind = kinds[k];
                let summary = rng.choice(summaries[k]);
                let channel = rng.choices(&channels, &[35.0, 25.0, 25.0, 10.0, 5.0]);
                let order = match orders_of.get(&cust) {
                    Some(list) if kind != "inquiry" => list
                        .iter()
                        .rev()
                        .find(|o| o.date < day && days(o.date, day) <= 60)
                        .map(|o| o.id.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let age = days(day, today);
                let assignee =
                    if (age <= 3 && rng.random() < 0.3) || left.contains(c.owner.as_str()) {
                        String::new()
                    } else {
                        c.owner.clone()
                    };
                let late = rng.random() < 0.15;
                let wait = if late {
                    rng.randint(260, 900)
                } else {
                    rng.randint(10, 200)
                };
                let responded = in_office(&mut rng, opened + Duration::minutes(wait));
                let slow = rng.random() < 0.12;
                let work = if kind == "inquiry" {
                    rng.randint(30, 400)
                } else {
                    rng.randint(120, 2400)
                } + if slow { rng.randint(2000, 5000) } else { 0 };
                let resolved = in_office(&mut rng, responded + Duration::minutes(work));
                let wait = rng.randint(60, 4000);
                let closed = in_office(&mut rng, resolved + Duration::minutes(wait));
                let now = today.and_hms_opt(10, 0, 0).expect("10:00");
                // What has happened by the story's last morning; a few old tickets were never
                // resolved (answered, then forgotten).
                let forgotten = age > 10 && rng.random() < 0.01;
                let waiting = age <= 4 && rng.random() < 0.6;
                let (status, r, v, x) = if responded > now || waiting {
                    ("open", None, None, None)
                } else if resolved > now || forgotten {
                    ("responded", Some(responded), None, None)
                } else if closed > now || rng.random() < 0.04 {
                    ("resolved", Some(responded), Some(resolved), None)
                } else {
                    ("closed", Some(responded), Some(resolved), Some(closed))
                };
                let score = if status == "closed" && rng.random() < 0.8 {
                    let w: [f64; 5] = if kind == "complaint" || slow || late {
                        [10.0, 15.0, 20.0, 30.0, 25.0]
                    } else {
                        [3.0, 5.0, 12.0, 35.0, 45.0]
                    };
                    rng.choices(&[1, 2, 3, 4, 5], &w).to_string()
                } else {
                    String::new()
                };
                tickets.push((
                    opened,
                    vec![
                        String::new(),
                        c.code.clone(),
                        kind.to_string(),
                        summary.to_string(),
                        order,
                        channel.to_string(),
                        assignee,
                        status.to_string(),
                        stamp(opened),
                        r.map(stamp).unwrap_or_default(),
                        v.map(stamp).unwrap_or_default(),
                        x.map(stamp).unwrap_or_default(),
                        score,
                    ],
                ));
            }
            day += Duration::days(1);
        }
        tickets.sort_by_key(|t| t.0);
        let mut seq: HashMap<NaiveDate, u32> = HashMap::new();
        for (opened, row) in &mut tickets {
            let n = seq.entry(opened.date()).or_insert(0);
            *n += 1;
            row[0] = format!("T{}-{:03}", opened.format("%Y%m%d"), n);
        }
        // Reopened: closed tickets scored 1 or 2, a day or two after closing; those reopened before
        // November were resolved and closed again (with a new score), the later ones are still open.
        let mut reopens = Vec::new();
        for (_, row) in &tickets {
            if row[7] == "closed" && (row[12] == "1" || row[12] == "2") && rng.random() < 0.25 {
                let closed =
                    NaiveDateTime::parse_from_str(&row[11], "%Y-%m-%d %H:%M").expect("closed_at");
                let wait = rng.randint(600, 3000);
                let at = in_office(&mut rng, closed + Duration::minutes(wait));
                if at.date() >= today {
                    continue;
                }
                let mut again = vec![String::new(); 3];
                if at.date() < ymd(2026, 11, 1) {
                    let wait = rng.randint(120, 1800);
                    let resolved = in_office(&mut rng, at + Duration::minutes(wait));
                    let wait = rng.randint(60, 2000);
                    let closed = in_office(&mut rng, resolved + Duration::minutes(wait));
                    let score = rng.choices(&[2, 3, 4, 5], &[10.0, 30.0, 35.0, 25.0]);
                    again = vec![stamp(resolved), stamp(closed), score.to_string()];
                }
                let mut line = vec![row[0].clone(), stamp(at), "客户反馈问题未解决".to_string()];
                line.extend(again);
                reopens.push(line);
            }
        }
        // The third quarter's scorecard tells a story: 华东 sells below its target but its customers
        // are pleased (its scores there lifted to at least 4, after every draw above, so no other
        // row changes); 华南 sells well past its target and answers slowly (as drawn).
        let reopened: HashSet<String> = reopens.iter().map(|r| r[0].clone()).collect();
        let customer_region: HashMap<&str, &str> = self
            .customers
            .iter()
            .filter_map(|c| area_region(c.area).map(|r| (c.code.as_str(), r)))
            .collect();
        for (opened, row) in &mut tickets {
            let q3 = opened.date() >= ymd(2026, 7, 1) && opened.date() <= ymd(2026, 9, 30);
            if q3
                && customer_region.get(row[1].as_str()) == Some(&"EAST")
                && !reopened.contains(&row[0])
                && matches!(row[12].as_str(), "1" | "2" | "3")
            {
                row[12] = "4".to_string();
            }
        }
        write_csv(
            out,
            "ticket_reopens.csv",
            "id,reopened_at,reason,resolved_at,closed_at,satisfaction",
            reopens,
        )?;
        write_csv(
            out,
            "tickets.csv",
            "id,customer,kind,summary,order_id,channel,assignee,status,opened_at,responded_at,resolved_at,closed_at,satisfaction",
            tickets.into_iter().map(|(_, row)| row),
        )?;
        // The managers' ratings (定性评价) of the regions for the third quarter, which `demo` records
        // with `scorecard rate`.
        write_csv(
            out,
            "scorecard_ratings.csv",
            "scope,code,period,score,note",
            [
                ("EAST", "88", "服务口碑好，客户满意；新客户开拓不足"),
                ("EAST-SH", "82", "上海大区增长快，回款需加强"),
                ("SOUTH", "58", "销售冲劲足，但客诉响应慢、满意度低"),
                ("NORTH", "75", "稳定"),
                ("SW", "80", "区域价差整改到位"),
                ("CENTRAL", "72", "回款偏慢"),
                ("NW", "78", "配合良好"),
                ("NE", "70", "响应需提速"),
            ]
            .into_iter()
            .map(|(code, score, note)| {
                ["region", code, "2026-Q3", score, note]
                    .map(str::to_string)
                    .to_vec()
            }),
        )
    }
}

/// A CSV file as Python's `csv.writer(f, lineterminator="\n")` writes it: fields quoted only when
/// they hold a comma, a quote or a line break.
fn write_csv(
    out: &Path,
    name: &str,
    header: &str,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    let mut w = BufWriter::new(File::create(out.join(name))?);
    writeln!(w, "{header}")?;
    for row in rows {
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            if field.contains([',', '"', '\n', '\r']) {
                write!(w, "\"{}\"", field.replace('"', "\"\""))?;
            } else {
                w.write_all(field.as_bytes())?;
            }
        }
        w.write_all(b"\n")?;
    }
    w.flush()
}

// ---------------------------------------------------------------------------
// Self-check (re-reads the written files)
// ---------------------------------------------------------------------------

type Row = HashMap<String, String>;

fn read(out: &Path, name: &str) -> io::Result<Vec<Row>> {
    let mut r = csv::Reader::from_path(out.join(name)).map_err(io::Error::other)?;
    r.deserialize()
        .map(|row| row.map_err(io::Error::other))
        .collect()
}

/// Checks the files in `out` for what the demo promises (coverage, reference integrity, payment and
/// return limits, the duplicate pairs, the policy breaks, money in every aging bucket) and returns
/// the row counts and receivables; panics on a broken promise.
pub fn self_check(out: &Path) -> io::Result<String> {
    let [r_, p_, pr, c_, o_, pay, ret] = [
        "regions.csv",
        "reps.csv",
        "products.csv",
        "customers.csv",
        "orders.csv",
        "payments.csv",
        "returns.csv",
    ]
    .map(|n| read(out, n));
    let (r_, p_, pr, c_, o_, pay, ret) = (r_?, p_?, pr?, c_?, o_?, pay?, ret?);
    let mut order_ids: Vec<&str> = Vec::new();
    let mut first: HashMap<&str, &Row> = HashMap::new();
    let mut lines_of: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in &o_ {
        let id = r["order_id"].as_str();
        if !first.contains_key(id) {
            order_ids.push(id);
            first.insert(id, r);
        }
        lines_of.entry(id).or_default().push(r);
    }
    let mut report = format!(
        "regions   {}\nreps      {}\nproducts  {}\ncustomers {}\norders    {}\nlines     {}\n\
         payments  {}\nreturns   {}\n",
        r_.len(),
        p_.len(),
        pr.len(),
        c_.len(),
        order_ids.len(),
        o_.len(),
        pay.len(),
        ret.len()
    );

    // coverage
    let mut region_of_area: HashMap<&str, &str> = HashMap::new();
    for r in &r_ {
        for a in r["areas"].split(';') {
            let twice = region_of_area.insert(a, &r["code"]).is_some();
            assert!(!twice, "an area is in two regions");
        }
    }
    let mut wanted: Vec<&str> = (ALL_PROVINCES.iter().copied())
        .filter(|a| !UNCOVERED.contains(a))
        .collect();
    let mut have: Vec<&str> = region_of_area.keys().copied().collect();
    wanted.sort();
    have.sort();
    assert_eq!(have, wanted);
    // reference integrity
    let rcodes: HashSet<&str> = r_.iter().map(|r| r["code"].as_str()).collect();
    let repm: HashMap<&str, &Row> = p_.iter().map(|p| (p["code"].as_str(), p)).collect();
    assert!(p_.iter().all(|p| rcodes.contains(p["region"].as_str())));
    for r in &r_ {
        let m = repm
            .get(r["manager"].as_str())
            .expect("the manager is a rep");
        assert!(m["role"] == "manager" && m["region"] == r["code"]);
        assert!(r["parent"].is_empty() || rcodes.contains(r["parent"].as_str()));
    }
    for reg in &rcodes {
        let count = |role: &str| {
            let n = p_
                .iter()
                .filter(|p| p["region"] == *reg && p["role"] == role);
            n.count()
        };
        assert!(count("manager") == 1 && count("supervisor") == 1);
        assert!((2..=3).contains(&count("rep")));
    }
    let distinct =
        |rows: &[Row], col: &str| rows.iter().map(|r| &r[col]).collect::<HashSet<_>>().len();
    assert!(distinct(&p_, "phone") == p_.len() && distinct(&p_, "email") == p_.len());
    assert_eq!(p_.iter().filter(|p| p["status"] == "left").count(), 1);
    let custm: HashMap<&str, &Row> = c_.iter().map(|c| (c["code"].as_str(), c)).collect();
    let skus: HashSet<&str> = pr.iter().map(|p| p["sku"].as_str()).collect();
    for c in &c_ {
        if !c["owner"].is_empty() {
            let owner = repm.get(c["owner"].as_str()).expect("the owner is a rep");
            let region = region_of_area.get(c["area"].as_str()).copied();
            assert_eq!(Some(owner["region"].as_str()), region, "{c:?}");
        }
        assert_eq!(c["tier"], "");
    }
    let in_uncovered = c_
        .iter()
        .filter(|c| UNCOVERED.contains(&c["area"].as_str()));
    assert_eq!(in_uncovered.count(), 3);
    assert!(c_.iter().any(|c| c["owner"] == LEFT_REP));
    for r in &o_ {
        let c = custm[r["customer"].as_str()];
        assert!(skus.contains(r["sku"].as_str()) && r["rep"] == c["owner"]);
        assert!(r["rep"].is_empty() || repm.contains_key(r["rep"].as_str()));
        assert!(r["customer_name"] == c["name"] && r["channel"] == c["channel"]);
        assert!(c["status"] == "active" && c["created"] < r["order_date"]);
        let bulk = c["channel"] == "agent" && ["礼盒", "茶具"].contains(&r["category"].as_str());
        let q: i64 = r["quantity"].parse().expect("a quantity");
        assert!((1..=if bulk { 200 } else { 20 }).contains(&q));
    }
    let ordering: HashSet<&str> = o_.iter().map(|r| r["customer"].as_str()).collect();
    for c in &c_ {
        assert_eq!(
            ordering.contains(c["code"].as_str()),
            c["status"] == "active"
        );
    }
    // order-level columns agree
    const OL: [&str; 10] = [
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
    ];
    for r in &o_ {
        let f = first[r["order_id"].as_str()];
        assert!(OL.iter().all(|&k| f[k] == r[k]));
    }
    let dated: Vec<(&str, &str)> = (order_ids.iter())
        .map(|&i| (first[i]["order_date"].as_str(), i))
        .collect();
    assert!(dated.is_sorted());
    let trk: Vec<&str> = (order_ids.iter())
        .map(|&i| first[i]["tracking"].as_str())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(trk.iter().collect::<HashSet<_>>().len(), trk.len());
    // order amounts (exact decimal)
    let mut amt: HashMap<&str, Dec> = HashMap::new();
    for r in &o_ {
        let q = r["quantity"].parse().expect("a quantity");
        let line = line_amount(q, &r["unit_price"], &r["discount"]);
        let sum = amt.entry(&r["order_id"]).or_insert(Dec::int(0));
        *sum = *sum + line;
    }
    let mut paid: HashMap<&str, Dec> = HashMap::new();
    let cut = cutoff().to_string();
    for p in &pay {
        let o = first[p["order_id"].as_str()];
        assert!(o["status"] != "cancelled" && o["order_date"] <= p["date"] && p["date"] <= cut);
        let sum = paid.entry(&p["order_id"]).or_insert(Dec::int(0));
        *sum = *sum + Dec::parse(&p["amount"]);
    }
    assert!(paid.iter().all(|(i, p)| *p <= amt[i]), "overpaid order");
    assert_eq!(distinct(&pay, "reference"), pay.len());
    // returns
    let mut seen_ret = HashSet::new();
    for r in &ret {
        let ls: Vec<&&Row> = (lines_of[r["order_id"].as_str()].iter())
            .filter(|l| l["sku"] == r["sku"])
            .collect();
        assert_eq!(ls.len(), 1);
        let (q, line_q): (i64, i64) = (
            r["quantity"].parse().unwrap(),
            ls[0]["quantity"].parse().unwrap(),
        );
        assert!(q <= line_q);
        assert!(["delivered", "completed"].contains(&ls[0]["status"].as_str()));
        assert!(r["date"] <= cut);
        assert!(seen_ret.insert((&r["order_id"], &r["sku"])));
    }
    // duplicates present
    let mut norm: HashMap<String, usize> = HashMap::new();
    for c in c_.iter().filter(|c| !c["phone"].is_empty()) {
        let digits: String = c["phone"].chars().filter(char::is_ascii_digit).collect();
        let digits = digits.strip_prefix("86").unwrap_or(&digits);
        let last11 = &digits[digits.len().saturating_sub(11)..];
        *norm.entry(last11.to_string()).or_default() += 1;
    }
    assert_eq!(norm.values().filter(|&&v| v > 1).count(), 1);
    assert_eq!(norm.get("13900001111"), Some(&2));
    let mut em: HashMap<String, usize> = HashMap::new();
    let emails: Vec<&String> = c_
        .iter()
        .map(|c| &c["email"])
        .filter(|e| !e.is_empty())
        .collect();
    for e in &emails {
        *em.entry(e.to_lowercase()).or_default() += 1;
    }
    assert_eq!(em.values().filter(|&&v| v > 1).count(), 1);
    assert_eq!(em.get("luming.tea@163.com"), Some(&2));
    assert_eq!(emails.iter().collect::<HashSet<_>>().len(), emails.len()); // exact case differs
                                                                           // discounts
    let pct = |r: &&Row| {
        r["discount"]
            .strip_suffix('%')
            .map(|p| p.parse::<i64>().unwrap())
    };
    assert_eq!(o_.iter().filter(|r| pct(r) == Some(35)).count(), 3);
    let high = o_
        .iter()
        .filter(|r| pct(r).is_some_and(|p| (12..=25).contains(&p)));
    assert_eq!(high.count(), 40);
    // aging buckets as of the cutoff (terms default 30)
    const BUCKETS: [&str; 5] = ["not_due", "0-30", "31-60", "61-90", "90+"];
    let mut buckets = [Dec::int(0); 5];
    for &i in &order_ids {
        let o = first[i];
        if o["status"] == "cancelled" {
            continue;
        }
        let owed = amt[i] - paid.get(i).copied().unwrap_or(Dec::int(0));
        if owed <= Dec::int(0) {
            continue;
        }
        let terms = &custm[o["customer"].as_str()]["terms_days"];
        let terms: i64 = if terms.is_empty() {
            30
        } else {
            terms.parse().unwrap()
        };
        let ordered: NaiveDate = o["order_date"].parse().expect("a date");
        let dpd = days(plus(ordered, terms), cutoff());
        let b = match dpd {
            ..=-1 => 0,
            0..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        buckets[b] = buckets[b] + owed;
    }
    for (b, sum) in BUCKETS.iter().zip(&buckets) {
        assert!(*sum > Dec::int(0), "{b}");
    }
    let shown: Vec<String> = (BUCKETS.iter().zip(&buckets))
        .map(|(b, sum)| format!("'{b}': '{}'", money(*sum)))
        .collect();
    report += &format!(
        "receivables as of {} {{{}}}\nself-check OK\n",
        cutoff(),
        shown.join(", ")
    );
    Ok(report)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--out", Some(dir)) => out = PathBuf::from(dir),
            _ => {
                eprintln!("usage: cargo run --example gen_demo [-- --out DIR]");
                std::process::exit(2);
            }
        }
    }
    let report = generate(&out).and_then(|()| self_check(&out));
    match report {
        Ok(report) => print!("{report}"),
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
