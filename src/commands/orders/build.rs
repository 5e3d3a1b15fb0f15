//! Turning what a person typed or a file row gave into an order: references resolved (customer, rep,
//! area, region, products and the prices in force on the order date), lines derived, attribution fixed.
//! `orders add` and `orders import` share it, so both follow exactly the same rules.

use anyhow::Result;
use chrono::{Duration, NaiveDate};

use crate::domain::customer::Customer;
use crate::domain::money::{Money, HELD, MAX_AMOUNT};
use crate::domain::order::{derive_line, effective_discount, Line, Order, HELD_QUANTITY};
use crate::domain::policy::Policy;
use crate::domain::rate::Rate;
use crate::domain::values::{Channel, OrderStatus};
use crate::hash::FxHashMap;
use crate::store::{
    self,
    products::{Price, Product},
    Conn,
};

/// An order as given, before resolution.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub id: String,
    pub date: NaiveDate,
    pub customer: String,
    pub rep: Option<String>,
    pub channel: Option<Channel>,
    pub province: Option<String>,
    pub status: Option<OrderStatus>,
    pub ship_date: Option<NaiveDate>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub lines: Vec<DraftLine>,
    /// The campaign as given (code or name).
    pub campaign: Option<String>,
    pub freight: Option<Money>,
    /// The warehouse given (`--warehouse`, the `warehouse` column), else resolved from the region.
    pub warehouse: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DraftLine {
    pub sku: String,
    pub quantity: i64,
    pub unit_price: Option<Money>,
    pub discount: Option<Rate>,
    pub amount: Option<Money>,
    pub unit_cost: Option<Money>,
    pub profit: Option<Money>,
}

/// A problem with a draft: which line (index into `lines`) and which field, when known.
#[derive(Debug, Clone)]
pub struct Problem {
    pub line: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

fn problem(line: Option<usize>, field: &'static str, message: String) -> Problem {
    Problem {
        line,
        field,
        message,
    }
}

/// A built order: stored values, lines, and the largest effective discount against list prices.
pub struct Built {
    pub order: Order,
    pub lines: Vec<Line>,
    pub max_discount: Option<Rate>,
}

struct ProductFacts {
    product: Product,
    /// (effective, figures), oldest first.
    prices: Vec<(NaiveDate, PriceFigures)>,
}

/// The prices of a product in force on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceFigures {
    pub list_price: Money,
    pub floor_price: Option<Money>,
    pub cost: Money,
}

/// What an order needs of its customer. Kept small: an import caches one per customer.
#[derive(Debug, Clone)]
pub struct CustomerFacts {
    pub area: Option<String>,
    pub channel: Channel,
    pub owner: Option<String>,
    pub terms_days: Option<i64>,
}

/// Cached lookups: an import of millions of lines asks for the same customers, products, reps and areas
/// again and again.
pub struct Resolver {
    customers: FxHashMap<String, Option<CustomerFacts>>,
    products: FxHashMap<String, Option<ProductFacts>>,
    reps: FxHashMap<String, Option<crate::domain::rep::Standing>>,
    /// area code → region (today's map)
    area_regions: FxHashMap<String, Option<String>>,
    /// typed province → area code
    areas: FxHashMap<String, Option<String>>,
    /// typed campaign → its code, or why it names none
    campaigns: FxHashMap<String, std::result::Result<String, String>>,
    /// region code (or "=" + a typed warehouse) → warehouse code
    warehouses: FxHashMap<String, Option<String>>,
    pub policy: Policy,
}

impl Resolver {
    pub fn new(policy: Policy) -> Resolver {
        Resolver {
            customers: FxHashMap::default(),
            products: FxHashMap::default(),
            reps: FxHashMap::default(),
            area_regions: FxHashMap::default(),
            areas: FxHashMap::default(),
            campaigns: FxHashMap::default(),
            warehouses: FxHashMap::default(),
            policy,
        }
    }

    pub fn customer(&mut self, conn: &Conn, code: &str) -> Result<Option<&CustomerFacts>> {
        if !self.customers.contains_key(code) {
            let c = store::customers::get(conn, code)?.map(|c: Customer| CustomerFacts {
                area: c.area,
                channel: c.channel,
                owner: c.owner,
                terms_days: c.terms_days,
            });
            self.customers.insert(code.to_string(), c);
        }
        Ok(self.customers.get(code).and_then(|c| c.as_ref()))
    }

    /// Forget a cached customer (after creating it).
    pub fn forget_customer(&mut self, code: &str) {
        self.customers.remove(code);
    }

    pub fn forget_product(&mut self, sku: &str) {
        self.products.remove(sku);
    }

    pub fn product(&mut self, conn: &Conn, sku: &str) -> Result<Option<&Product>> {
        self.load_product(conn, sku)?;
        Ok(self
            .products
            .get(sku)
            .and_then(|p| p.as_ref())
            .map(|p| &p.product))
    }

    fn load_product(&mut self, conn: &Conn, sku: &str) -> Result<()> {
        if !self.products.contains_key(sku) {
            let facts = match store::products::get(conn, sku)? {
                Some(product) => Some(ProductFacts {
                    prices: store::products::prices(conn, sku)?
                        .into_iter()
                        .map(|p: Price| {
                            let figures = PriceFigures {
                                list_price: p.list_price,
                                floor_price: p.floor_price,
                                cost: p.cost,
                            };
                            (
                                NaiveDate::parse_from_str(&p.effective, "%Y-%m-%d")
                                    .unwrap_or(NaiveDate::MIN),
                                figures,
                            )
                        })
                        .collect(),
                    product,
                }),
                None => None,
            };
            self.products.insert(sku.to_string(), facts);
        }
        Ok(())
    }

    /// The price of a product in force on a date.
    pub fn price(&mut self, conn: &Conn, sku: &str, on: NaiveDate) -> Result<Option<PriceFigures>> {
        self.load_product(conn, sku)?;
        Ok(self
            .products
            .get(sku)
            .and_then(|p| p.as_ref())
            .and_then(|p| {
                p.prices
                    .iter()
                    .rev()
                    .find(|(effective, _)| *effective <= on)
                    .map(|(_, f)| *f)
            }))
    }

    fn rep(&mut self, conn: &Conn, code: &str) -> Result<Option<&crate::domain::rep::Standing>> {
        if !self.reps.contains_key(code) {
            let s = store::reps::standing(conn, code)?;
            self.reps.insert(code.to_string(), s);
        }
        Ok(self.reps.get(code).and_then(|r| r.as_ref()))
    }

    /// Why a rep may not sell on a date, if they may not.
    pub fn rep_barred(&mut self, conn: &Conn, code: &str, on: NaiveDate) -> Result<Option<String>> {
        let Some(rep) = self.rep(conn, code)? else {
            return Ok(Some(format!("no rep \"{code}\"")));
        };
        Ok(rep
            .barred(code, &on.to_string())
            .map(|why| format!("{why}: they cannot take orders")))
    }

    /// The area a typed province names.
    pub fn area(&mut self, conn: &Conn, typed: &str) -> Result<Option<String>> {
        if !self.areas.contains_key(typed) {
            let a = store::areas::find(conn, typed)?.map(|a| a.code);
            self.areas.insert(typed.to_string(), a);
        }
        Ok(self.areas.get(typed).cloned().flatten())
    }

    /// The region holding an area today.
    pub fn region_of(&mut self, conn: &Conn, area: &str) -> Result<Option<String>> {
        if !self.area_regions.contains_key(area) {
            let r = store::areas::get(conn, area)?.and_then(|a| a.region);
            self.area_regions.insert(area.to_string(), r);
        }
        Ok(self.area_regions.get(area).cloned().flatten())
    }

    /// The campaign a typed code or name stands for, or why it stands for none.
    fn campaign(
        &mut self,
        conn: &Conn,
        typed: &str,
    ) -> Result<std::result::Result<String, String>> {
        if !self.campaigns.contains_key(typed) {
            let found = match store::campaigns::find(conn, typed) {
                Ok(Some(code)) => Ok(code),
                Ok(None) => Err(format!("no campaign \"{}\"", typed.trim())),
                Err(e) if crate::error::exit_code(&e) == 3 => Err(e.to_string()),
                Err(e) => return Err(e),
            };
            self.campaigns.insert(typed.to_string(), found);
        }
        Ok(self.campaigns[typed].clone())
    }

    /// The warehouse an order ships from: the one given, else the one serving its region or the
    /// nearest region above it, else policy `stock.default_warehouse`. Err names what is unknown.
    pub fn warehouse(
        &mut self,
        conn: &Conn,
        given: Option<&str>,
        region: Option<&str>,
    ) -> Result<Result<Option<String>, String>> {
        if let Some(typed) = given {
            let key = format!("={typed}");
            if !self.warehouses.contains_key(&key) {
                let w = store::warehouses::find(conn, typed)?;
                self.warehouses.insert(key.clone(), w);
            }
            return Ok(match self.warehouses.get(&key).cloned().flatten() {
                Some(w) => Ok(Some(w)),
                None => Err(format!("no warehouse \"{}\"", typed.trim())),
            });
        }
        let served = match region {
            Some(r) => {
                if !self.warehouses.contains_key(r) {
                    let w = store::warehouses::for_region(conn, r)?;
                    self.warehouses.insert(r.to_string(), w);
                }
                self.warehouses.get(r).cloned().flatten()
            }
            None => None,
        };
        if served.is_some() {
            return Ok(Ok(served));
        }
        let Some(default) = self.policy.default_warehouse.clone() else {
            return Ok(Ok(None));
        };
        Ok(match store::warehouses::get(conn, &default)? {
            Some(_) => Ok(Some(default)),
            None => Err(format!(
                "policy stock.default_warehouse names no warehouse \"{default}\""
            )),
        })
    }

    /// Resolve and derive everything; every problem is reported, not just the first.
    pub fn build(&mut self, conn: &Conn, d: &Draft) -> Result<Result<Built, Vec<Problem>>> {
        let mut problems = Vec::new();
        let Some(customer) = self.customer(conn, &d.customer)?.cloned() else {
            problems.push(problem(
                None,
                "customer",
                format!("no customer \"{}\"", d.customer),
            ));
            return Ok(Err(problems));
        };
        let rep = d.rep.clone().or_else(|| customer.owner.clone());
        if let Some(code) = &rep {
            if let Some(why) = self.rep_barred(conn, code, d.date)? {
                problems.push(problem(None, "rep", why));
            }
        }
        let channel = d.channel.unwrap_or(customer.channel);
        let campaign = match &d.campaign {
            Some(typed) => match self.campaign(conn, typed)? {
                Ok(code) => Some(code),
                Err(why) => {
                    problems.push(problem(None, "campaign", why));
                    None
                }
            },
            None => None,
        };
        let province = match &d.province {
            Some(typed) => match self.area(conn, typed)? {
                Some(code) => Some(code),
                None => {
                    problems.push(problem(
                        None,
                        "province",
                        format!("unknown area \"{typed}\""),
                    ));
                    None
                }
            },
            None => None,
        };
        let area = province.clone().or_else(|| customer.area.clone());
        let region = match &area {
            Some(a) => self.region_of(conn, a)?,
            None => None,
        };
        let warehouse = self
            .warehouse(conn, d.warehouse.as_deref(), region.as_deref())?
            .unwrap_or_else(|why| {
                problems.push(problem(None, "warehouse", why));
                None
            });
        let terms = customer.terms_days.unwrap_or(self.policy.terms_days as i64);
        // Terms of millions of days pass the customer's import; a date past the calendar is refused here.
        let due_date = d
            .date
            .checked_add_signed(Duration::days(terms))
            .unwrap_or_else(|| {
                problems.push(problem(
                    None,
                    "customer",
                    format!("payment terms of {terms} days put the due date past the calendar"),
                ));
                d.date
            });
        let mut lines = Vec::with_capacity(d.lines.len());
        let mut max_discount: Option<Rate> = None;
        for (i, dl) in d.lines.iter().enumerate() {
            let Some(price) = self.price(conn, &dl.sku, d.date)? else {
                let why = if self.product(conn, &dl.sku)?.is_some() {
                    format!("product {} has no price in force on {}", dl.sku, d.date)
                } else {
                    format!("unknown SKU \"{}\"", dl.sku)
                };
                problems.push(problem(Some(i), "sku", why));
                continue;
            };
            let given_price = dl.unit_price.or(if dl.amount.is_none() {
                Some(price.list_price)
            } else {
                None
            });
            let values = match derive_line(dl.quantity, given_price, dl.discount, dl.amount) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(problem(Some(i), "amount", e));
                    continue;
                }
            };
            let (unit_cost, cost) = match (dl.unit_cost, dl.profit) {
                (Some(uc), _) => (Some(uc), uc.checked_mul_qty(dl.quantity)),
                (None, Some(profit)) => (None, values.amount.checked_sub(profit)),
                (None, None) => (Some(price.cost), price.cost.checked_mul_qty(dl.quantity)),
            };
            let Some(cost) = cost.filter(|c| c.is_storable()) else {
                problems.push(problem(
                    Some(i),
                    "unit_cost",
                    format!(
                        "the line's cost is beyond the range of an amount: at most {} either way",
                        MAX_AMOUNT.grouped()
                    ),
                ));
                continue;
            };
            // A derived amount is stored on the line, and export → import must give it back.
            if !values.amount.is_storable() {
                problems.push(problem(
                    Some(i),
                    "amount",
                    format!(
                        "the line's amount {} is beyond the range of an amount: at most {} either way",
                        values.amount,
                        MAX_AMOUNT.grouped()
                    ),
                ));
                continue;
            }
            if let Some(eff) = effective_discount(values.amount, dl.quantity, price.list_price) {
                max_discount = Some(max_discount.map_or(eff, |m| m.max(eff)));
            }
            lines.push(Line {
                line_no: i as i64 + 1,
                sku: dl.sku.clone(),
                quantity: dl.quantity,
                unit_price: values.unit_price,
                discount: values.discount,
                amount: values.amount,
                unit_cost,
                profit: if unit_cost.is_none() { dl.profit } else { None },
                cost,
            });
        }
        if d.lines.is_empty() {
            problems.push(problem(
                None,
                "sku",
                "an order needs at least one line".into(),
            ));
        }
        // Each line fits; the order's totals (stored with it, summed by reports) must stay in the
        // range salesops holds at every step, as `db check` sums them line by line.
        let totals = lines
            .iter()
            .try_fold((0i64, Money::ZERO, Money::ZERO), |(q, a, c), l| {
                let (q, a, c) = (
                    q.checked_add(l.quantity)?,
                    a.checked_add(l.amount)?,
                    c.checked_add(l.cost)?,
                );
                let held = q <= HELD_QUANTITY
                    && a.units().abs() <= HELD.units()
                    && c.units().abs() <= HELD.units();
                held.then_some((q, a, c))
            });
        if totals.is_none() {
            problems.push(problem(
                None,
                "amount",
                format!(
                    "the order's total quantity, amount or cost is beyond the range salesops holds: at most {} either way",
                    HELD.grouped()
                ),
            ));
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let order = Order {
            id: d.id.clone(),
            order_date: d.date.to_string(),
            customer: d.customer.clone(),
            rep,
            area,
            region,
            province,
            channel,
            status: d.status.unwrap_or(OrderStatus::Confirmed),
            due_date: due_date.to_string(),
            approved_by: None,
            ship_date: d.ship_date.map(|s| s.to_string()),
            carrier: d.carrier.clone(),
            tracking: d.tracking.clone(),
            delivered_date: None,
            completed_date: None,
            cancel_reason: None,
            // The stored totals are summed from the lines when the order is written.
            lines: 0,
            quantity: 0,
            amount: Money::ZERO,
            cost: Money::ZERO,
            returned: Money::ZERO,
            paid: Money::ZERO,
            campaign,
            freight: d.freight,
            warehouse,
        };
        Ok(Ok(Built {
            order,
            lines,
            max_discount,
        }))
    }
}

/// The stored total of lines.
pub fn total(lines: &[Line]) -> Money {
    lines.iter().map(|l| l.amount).sum()
}
