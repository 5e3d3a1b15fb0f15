//! Reading orders: `list`, `show`, `receivables`, `export`.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::must_get;
use crate::context::Context;
use crate::domain::aging::{Aging, Receivables, BUCKETS};
use crate::domain::period::Period;
use crate::domain::values::OrderStatus;
use crate::output::{amount, money};
use crate::output::{int, opt, s, Document, Outcome, Records, Section};
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    orders::{Debtors, Filter},
    Conn,
};

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Only orders with this status (English or Chinese: shipped, 已发货 …)
    #[arg(long, value_name = "STATUS|状态")]
    pub status: Option<String>,
    /// A region (with its sub-regions)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
    /// The customer (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub customer: Option<String>,
}

const LIST_COLUMNS: &[&str] = &[
    "order_id",
    "order_date",
    "customer",
    "rep",
    "region",
    "channel",
    "province",
    "status",
    "lines",
    "quantity",
    "amount",
    "returned",
    "paid",
    "balance",
    "due_date",
];

pub fn area_names(conn: &Conn) -> Result<HashMap<String, String>> {
    Ok(store::areas::list(conn, false)?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect())
}

pub fn list(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let range = match &args.period {
        Some(p) => {
            let p = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            Some((p.start, p.end))
        }
        None => None,
    };
    // Parsed here rather than by clap, so the help and the message stay as they have been.
    let status = match &args.status {
        Some(st) => Some(st.parse::<OrderStatus>().map_err(|_| {
            crate::error::usage(format!(
                "--status: \"{st}\" is not a status: {}",
                OrderStatus::words()
            ))
        })?),
        None => None,
    };
    let regions = match &args.region {
        Some(r) => {
            let r = lookup::code(&db, Kind::Region, r)?;
            Some(store::regions::descendants(&db, &r)?)
        }
        None => None,
    };
    // A rep or customer no record has by code or name filters everything out, as it always did.
    let named = |kind, typed: Option<String>| -> Result<Option<String>> {
        Ok(match typed {
            Some(t) => Some(lookup::find(&db, kind, &t)?.unwrap_or(t)),
            None => None,
        })
    };
    let filter = Filter {
        range,
        status,
        regions,
        rep: named(Kind::Rep, args.rep)?,
        customer: named(Kind::Customer, args.customer)?,
    };
    let names = area_names(&db)?;
    let mut out = Records::new(LIST_COLUMNS);
    for o in store::orders::list(&db, &filter)? {
        let balance = balance_of(&o);
        out.push(vec![
            s(&o.id),
            s(&o.order_date),
            s(&o.customer),
            opt(o.rep.clone()),
            opt(o.region.clone()),
            s(o.channel.as_str()),
            opt(o.area.as_ref().and_then(|a| names.get(a).cloned())),
            s(o.status.as_str()),
            int(o.lines),
            int(o.quantity),
            amount(o.amount),
            amount(o.returned),
            amount(o.paid),
            amount(balance),
            s(&o.due_date),
        ]);
    }
    Ok(Outcome::records(out))
}

/// What the customer still owes: nothing on a cancelled order (or one waiting for approval).
fn balance_of(o: &crate::domain::order::Order) -> crate::domain::money::Money {
    if o.status.counts() {
        o.amount - o.returned - o.paid
    } else {
        crate::domain::money::Money::ZERO - o.paid
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The order id
    #[arg(value_name = "ORDER_ID")]
    pub id: String,
}

pub fn show(ctx: &Context, id: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let o = must_get(&db, id)?;
    let names = area_names(&db)?;
    let mut head = Records::new(&[
        "order_id",
        "order_date",
        "customer",
        "rep",
        "region",
        "channel",
        "province",
        "status",
        "due_date",
        "approved_by",
        "ship_date",
        "carrier",
        "tracking",
        "delivered_date",
        "completed_date",
        "cancel_reason",
        "amount",
        "returned",
        "paid",
        "balance",
        "campaign",
        "freight",
    ]);
    head.push(vec![
        s(&o.id),
        s(&o.order_date),
        s(&o.customer),
        opt(o.rep.clone()),
        opt(o.region.clone()),
        s(o.channel.as_str()),
        opt(o.area.as_ref().and_then(|a| names.get(a).cloned())),
        s(o.status.as_str()),
        s(&o.due_date),
        opt(o.approved_by.clone()),
        opt(o.ship_date.clone()),
        opt(o.carrier.clone()),
        opt(o.tracking.clone()),
        opt(o.delivered_date.clone()),
        opt(o.completed_date.clone()),
        opt(o.cancel_reason.clone()),
        amount(o.amount),
        amount(o.returned),
        amount(o.paid),
        amount(balance_of(&o)),
        opt(o.campaign.clone()),
        o.freight.map(amount).into(),
    ]);
    let mut lines = Records::new(&[
        "line_no",
        "sku",
        "quantity",
        "unit_price",
        "discount",
        "amount",
        "cost",
    ]);
    for l in store::orders::lines(&db, id)? {
        lines.push(vec![
            int(l.line_no),
            s(l.sku),
            int(l.quantity),
            amount(l.unit_price),
            opt(l.discount.map(|d| d.to_string())),
            amount(l.amount),
            amount(l.cost),
        ]);
    }
    let mut returns = Records::new(&[
        "date", "line_no", "sku", "quantity", "amount", "kind", "reason",
    ]);
    for r in store::orders::returns_of(&db, id)? {
        returns.push(vec![
            s(r.date),
            int(r.line_no),
            s(r.sku),
            int(r.quantity),
            amount(r.amount),
            s(r.kind.as_str()),
            s(r.reason),
        ]);
    }
    let mut payments = Records::new(&["date", "amount", "method", "reference"]);
    for p in store::orders::payments(&db, None, Some(id))? {
        payments.push(vec![
            s(p.date),
            amount(p.amount),
            s(p.method.as_str()),
            opt(p.reference),
        ]);
    }
    let json = json!({
        "order": head.to_json().as_array().and_then(|a| a.first().cloned()).unwrap_or(Value::Null),
        "lines": lines.to_json(),
        "returns": returns.to_json(),
        "payments": payments.to_json(),
    });
    let section = |name: &str, title: &str, records: Records| Section::new(name, title, records);
    Ok(Outcome::document(Document {
        title: format!("Order {id}"),
        json,
        sections: vec![
            Section {
                transposed: true,
                ..section("order", "Order", head)
            },
            section("lines", "Lines", lines),
            section("returns", "Returns", returns),
            section("payments", "Payments", payments),
        ],
        html: None,
    }))
}

fn buckets_json(a: &Aging) -> Value {
    let mut m = Map::new();
    for (name, v) in BUCKETS.iter().zip(a.buckets.iter()) {
        m.insert((*name).to_string(), Value::String(v.to_report()));
    }
    Value::Object(m)
}

/// `per_customer` also ages each customer's balances (with their names); a report needs the total only.
pub fn aging(
    conn: &Conn,
    as_of: NaiveDate,
    debtors: &Debtors,
    per_customer: bool,
) -> Result<Receivables> {
    let mut total = Aging::default();
    let mut per: BTreeMap<String, Aging> = BTreeMap::new();
    for b in store::orders::open_balances(conn, as_of, debtors)? {
        let due = NaiveDate::parse_from_str(&b.due_date, "%Y-%m-%d").unwrap_or(as_of);
        total.add(due, as_of, b.balance);
        if per_customer {
            per.entry(b.customer)
                .or_default()
                .add(due, as_of, b.balance);
        }
    }
    let mut customers = Vec::with_capacity(per.len());
    for (code, a) in per {
        let name = store::customers::get(conn, &code)?
            .map(|c| c.name)
            .unwrap_or_default();
        customers.push((code, name, a));
    }
    Ok(Receivables {
        as_of,
        total,
        customers,
    })
}

pub fn receivables_json(r: &Receivables, with_customers: bool) -> Value {
    let mut v = json!({
        "as_of": r.as_of.to_string(),
        "outstanding": r.total.outstanding().to_report(),
        "overdue": r.total.overdue().to_report(),
        "buckets": buckets_json(&r.total),
    });
    if with_customers {
        v["customers"] = Value::Array(
            r.customers
                .iter()
                .map(|(c, n, a)| {
                    json!({"customer": c, "name": n, "outstanding": a.outstanding().to_report(),
                           "overdue": a.overdue().to_report(), "buckets": buckets_json(a)})
                })
                .collect(),
        );
    }
    v
}

/// The aging as a table: one row per customer (or one total row), bucket columns.
pub fn receivables_records(r: &Receivables, per_customer: bool) -> Records {
    let mut cols = vec!["customer", "name"];
    cols.extend(BUCKETS);
    cols.extend(["outstanding", "overdue"]);
    let mut out = Records::new(&cols);
    let row = |c: &str, n: &str, a: &Aging| {
        let mut row = vec![s(c), s(n)];
        row.extend(a.buckets.iter().map(|m| money(*m)));
        row.push(money(a.outstanding()));
        row.push(money(a.overdue()));
        row
    };
    if per_customer {
        for (c, n, a) in &r.customers {
            out.push(row(c, n, a));
        }
    }
    out.push(row("(total)", "", &r.total));
    out
}

#[derive(clap::Args, Debug)]
pub struct ReceivablesArgs {
    /// Only this customer's orders
    #[arg(long, value_name = "CODE|NAME")]
    pub customer: Option<String>,
    /// Only the orders this rep made
    #[arg(long, value_name = "CODE|NAME")]
    pub rep: Option<String>,
    /// Only the orders of this region (with its sub-regions), as recorded on each order
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The collection list instead: each overdue order, oldest due date first, with customer, phone,
    /// rep, days past due and balance
    #[arg(long)]
    pub overdue: bool,
}

/// The columns of the collection list (`orders receivables --overdue`).
const OVERDUE_COLUMNS: &[&str] = &[
    "order_id",
    "order_date",
    "customer",
    "name",
    "phone",
    "rep",
    "due_date",
    "days_past_due",
    "balance",
];

pub fn receivables(ctx: &Context, args: ReceivablesArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let customer = lookup::code_opt(&db, Kind::Customer, args.customer.as_deref())?;
    let rep = lookup::code_opt(&db, Kind::Rep, args.rep.as_deref())?;
    let regions = match &args.region {
        Some(r) => {
            let r = lookup::code(&db, Kind::Region, r)?;
            Some(store::regions::descendants(&db, &r)?)
        }
        None => None,
    };
    let debtors = Debtors {
        customer,
        rep,
        regions,
    };
    if args.overdue {
        return collection_list(&db, ctx.today, &debtors);
    }
    let r = aging(&db, ctx.today, &debtors, true)?;
    Ok(Outcome::document(Document {
        title: format!("Receivables as of {}", r.as_of),
        json: receivables_json(&r, true),
        sections: vec![Section::new(
            "receivables",
            String::new(),
            receivables_records(&r, true),
        )],
        html: None,
    }))
}

/// Who to call, oldest debt first: one row per overdue order as of `as_of`.
fn collection_list(db: &Conn, as_of: NaiveDate, debtors: &Debtors) -> Result<Outcome> {
    let mut out = Records::new(OVERDUE_COLUMNS);
    for o in store::orders::overdue_orders(db, as_of, debtors)? {
        let due = crate::domain::date::parse_date(&o.due_date)
            .map_err(|e| anyhow::anyhow!("order {}: due date: {e}", o.id))?;
        out.push(vec![
            s(o.id),
            s(o.order_date),
            s(o.customer),
            s(o.name),
            opt(o.phone),
            opt(o.rep),
            s(o.due_date),
            int((as_of - due).num_days()),
            money(o.balance),
        ]);
    }
    Ok(Outcome::records(out))
}

pub const EXPORT_COLUMNS: &[&str] = &[
    "order_id",
    "order_date",
    "customer",
    "customer_name",
    "rep",
    "channel",
    "province",
    "status",
    "sku",
    "product_name",
    "category",
    "quantity",
    "unit_price",
    "discount",
    "amount",
    "unit_cost",
    "profit",
    "ship_date",
    "carrier",
    "tracking",
    "campaign",
    "freight",
    "warehouse",
];

pub fn export(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let mut out = Records::new(EXPORT_COLUMNS);
    store::orders::export_lines(&db, |o, l, names| {
        out.push(vec![
            s(&o.id),
            s(&o.order_date),
            s(&o.customer),
            s(&names.customer),
            opt(o.rep.clone()),
            s(o.channel.as_str()),
            opt(names.province.clone()),
            s(o.status.as_str()),
            s(&l.sku),
            s(&names.product),
            opt(names.category.clone()),
            int(l.quantity),
            amount(l.unit_price),
            opt(l.discount.map(|d| d.to_string())),
            amount(l.amount),
            l.unit_cost.map(amount).into(),
            l.profit.map(amount).into(),
            opt(o.ship_date.clone()),
            opt(o.carrier.clone()),
            opt(o.tracking.clone()),
            opt(o.campaign.clone()),
            o.freight.map(amount).into(),
            opt(o.warehouse.clone()),
        ]);
        Ok(())
    })?;
    Ok(Outcome::records(out))
}
