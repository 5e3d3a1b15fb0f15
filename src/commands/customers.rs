//! `customers …`: the one customer database for every channel: leads and follow-ups, grading into
//! tiers, the customer checks, and CSV import and export.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use clap::Subcommand;
use crate::store::Conn;
use serde_json::Value;

use super::clean_code;
use super::regions::{finish_import, must_get as must_region, resolve_area};
use crate::output::Format;
use crate::context::Context;
use crate::domain::date::{parse_date, trailing_window_start};
use crate::domain::tier::{grade, TIERS};
use crate::import::{
    self, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail, Written,
};
use crate::output::{int, opt, s, Outcome, Records};
use crate::store::{
    self,
    customers::{Customer, Event, Listed},
};

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// Add a customer (or, with --lead, a lead awaiting first contact)
    Add {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// Province or state, by any name: 广东, 廣東, Guangdong, 44
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// online, offline or agent [default: offline]
        #[arg(long, value_parser = CHANNELS)]
        channel: Option<String>,
        #[arg(long)]
        segment: Option<String>,
        /// The rep who owns the customer
        #[arg(long)]
        owner: Option<String>,
        /// Payment terms in days (default: policy payment.terms_days)
        #[arg(long)]
        terms_days: Option<u32>,
        /// Record a lead (status lead) awaiting first contact
        #[arg(long)]
        lead: bool,
    },
    /// List customers
    List {
        /// normal, important or key
        #[arg(long, value_parser = TIERS)]
        tier: Option<String>,
        /// Customers whose area lies in this region or one of its sub-regions
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// lead, active or inactive
        #[arg(long, value_parser = STATUSES)]
        status: Option<String>,
    },
    /// One customer, with its first order date and number of follow-ups
    Show { code: String },
    /// Change a customer; an empty value ("") clears an optional field
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long, value_parser = CHANNELS)]
        channel: Option<String>,
        #[arg(long)]
        segment: Option<String>,
        #[arg(long, conflicts_with = "no_owner")]
        owner: Option<String>,
        /// The customer has no owner
        #[arg(long)]
        no_owner: bool,
        #[arg(long)]
        terms_days: Option<u32>,
        /// Make it a lead again (status lead)
        #[arg(long, conflicts_with = "status")]
        lead: bool,
        /// lead, active or inactive
        #[arg(long, value_parser = STATUSES)]
        status: Option<String>,
        /// Set the tier by hand (kept in the history)
        #[arg(long, value_parser = TIERS)]
        tier: Option<String>,
        /// Keep the tier through `customers regrade`
        #[arg(long, conflicts_with = "unlock")]
        lock: bool,
        /// Let `customers regrade` grade it again
        #[arg(long)]
        unlock: bool,
    },
    /// Remove a customer (refused while orders refer to it)
    Remove { code: String },
    /// Record a follow-up; the first one on a lead makes it active
    Log {
        code: String,
        #[arg(long)]
        note: String,
        /// call, visit, email or message
        #[arg(long, value_parser = KINDS, default_value = "call")]
        kind: String,
        /// The day of the follow-up [default: today]
        #[arg(long)]
        date: Option<String>,
    },
    /// Follow-ups and tier changes in date order
    History { code: String },
    /// Grade every customer from its trailing window (policy tier.*); prints each change
    Regrade {
        /// Show the changes, write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Findings: no_owner, duplicate, uncovered, sla, inactive_owner (exit 4 on any)
    Check,
    /// Import customers from CSV (code, name, area, city, company, phone, email, channel, segment,
    /// owner, tier, status, terms_days, created)
    Import(ImportOptions),
    /// Export customers as CSV
    Export,
}

const CHANNELS: [&str; 3] = ["online", "offline", "agent"];
const STATUSES: [&str; 3] = ["lead", "active", "inactive"];
const KINDS: [&str; 4] = ["call", "visit", "email", "message"];
const COLUMNS: &[&str] = &[
    "code",
    "name",
    "area",
    "city",
    "company",
    "phone",
    "email",
    "channel",
    "segment",
    "owner",
    "tier",
    "status",
    "terms_days",
    "created",
];

pub fn run(ctx: &Context, cmd: CustomersCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        CustomersCommand::Add {
            code,
            name,
            area,
            city,
            company,
            phone,
            email,
            channel,
            segment,
            owner,
            terms_days,
            lead,
        } => {
            let new = NewCustomer {
                code,
                name,
                area,
                city: nonempty(city),
                company: nonempty(company),
                phone: nonempty(phone),
                email: nonempty(email),
                channel,
                segment: nonempty(segment),
                owner: nonempty(owner),
                terms_days,
                lead,
            };
            (add(ctx, new)?, table)
        }
        CustomersCommand::List {
            tier,
            region,
            owner,
            status,
        } => {
            let filter = Filter {
                tier,
                region,
                owner,
                status,
            };
            (Outcome::records(list(ctx, &filter)?), table)
        }
        CustomersCommand::Export => (
            Outcome::records(list(ctx, &Filter::default())?),
            Format::Csv,
        ),
        CustomersCommand::Show { code } => (show(ctx, &code)?, table),
        CustomersCommand::Edit {
            code,
            name,
            area,
            city,
            company,
            phone,
            email,
            channel,
            segment,
            owner,
            no_owner,
            terms_days,
            lead,
            status,
            tier,
            lock,
            unlock,
        } => {
            let edit = Edit {
                name,
                area,
                city: clearable(city),
                company: clearable(company),
                phone: clearable(phone),
                email: clearable(email),
                channel,
                segment: clearable(segment),
                owner: if no_owner {
                    Some(None)
                } else {
                    clearable(owner)
                },
                terms_days,
                status: if lead { Some("lead".into()) } else { status },
                tier,
                locked: super::switch(lock, unlock),
            };
            (edit_customer(ctx, &code, edit)?, table)
        }
        CustomersCommand::Remove { code } => (remove(ctx, &code)?, table),
        CustomersCommand::Log {
            code,
            note,
            kind,
            date,
        } => (log(ctx, &code, &note, &kind, date.as_deref())?, table),
        CustomersCommand::History { code } => (history(ctx, &code)?, table),
        CustomersCommand::Regrade { dry_run } => (regrade(ctx, dry_run)?, table),
        CustomersCommand::Check => (check(ctx)?, table),
        CustomersCommand::Import(opts) => (import_file(ctx, &opts)?, table),
    })
}

/// An optional text flag: surrounding spaces dropped, an empty value is no value.
fn nonempty(v: Option<String>) -> Option<String> {
    v.map(|x| x.trim().to_string()).filter(|x| !x.is_empty())
}

/// An optional field of `edit`: absent leaves it, "" clears it, anything else sets it.
fn clearable(v: Option<String>) -> Option<Option<String>> {
    v.map(|x| Some(x.trim().to_string()).filter(|x| !x.is_empty()))
}

pub fn must_get(conn: &Conn, code: &str) -> Result<Customer> {
    match store::customers::get(conn, code)? {
        Some(c) => Ok(c),
        None => crate::bail_input!("no customer \"{code}\" (see `salesops customers list`)"),
    }
}

fn must_rep(conn: &Conn, code: &str) -> Result<()> {
    if !store::reps::exists(conn, code)? {
        crate::bail_input!("no rep \"{code}\" (see `salesops reps list`)");
    }
    Ok(())
}

fn customer_row(l: Listed) -> Vec<Value> {
    let c = l.customer;
    vec![
        s(c.code),
        s(c.name),
        opt(l.area_name.or(c.area)),
        opt(c.city),
        opt(c.company),
        opt(c.phone),
        opt(c.email),
        s(c.channel),
        opt(c.segment),
        opt(c.owner),
        s(c.tier),
        s(c.status),
        c.terms_days.map(int).unwrap_or(Value::Null),
        s(c.created),
    ]
}

#[derive(Default)]
struct Filter {
    tier: Option<String>,
    region: Option<String>,
    owner: Option<String>,
    status: Option<String>,
}

fn list(ctx: &Context, f: &Filter) -> Result<Records> {
    let db = ctx.open()?;
    let regions: Option<BTreeSet<String>> = match &f.region {
        Some(r) => {
            must_region(&db, r)?;
            Some(
                store::regions::descendants(&db, r)?
                    .into_iter()
                    .collect(),
            )
        }
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for l in store::customers::list(&db)? {
        let c = &l.customer;
        let keep = f.tier.as_ref().is_none_or(|t| *t == c.tier)
            && f.status.as_ref().is_none_or(|st| *st == c.status)
            && f.owner.as_ref().is_none_or(|o| Some(o) == c.owner.as_ref())
            && regions
                .as_ref()
                .is_none_or(|rs| l.region.as_ref().is_some_and(|r| rs.contains(r)));
        if keep {
            out.push(customer_row(l));
        }
    }
    Ok(out)
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let c = must_get(&db, code)?;
    let area = match &c.area {
        Some(a) => store::areas::get(&db, a)?,
        None => None,
    };
    let first_order = store::customers::first_order(&db, code)?;
    let follow_ups = store::customers::follow_up_count(&db, code)?;
    let locked = c.tier_locked;
    let mut columns = COLUMNS.to_vec();
    columns.extend(["tier_locked", "region", "first_order", "follow_ups"]);
    let mut out = Records::new(&columns);
    let region = area.as_ref().and_then(|a| a.region.clone());
    let mut row = customer_row(Listed {
        customer: c,
        area_name: area.map(|a| a.name),
        region: None,
    });
    row.extend([
        Value::Bool(locked),
        opt(region),
        opt(first_order),
        int(follow_ups),
    ]);
    out.push(row);
    Ok(Outcome::record(out))
}

struct NewCustomer {
    code: String,
    name: Option<String>,
    area: Option<String>,
    city: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    channel: Option<String>,
    segment: Option<String>,
    owner: Option<String>,
    terms_days: Option<u32>,
    lead: bool,
}

fn add(ctx: &Context, n: NewCustomer) -> Result<Outcome> {
    let code = clean_code(&n.code, "customer")?;
    let mut db = ctx.open()?;
    let name = super::non_empty_name(&ctx.require_text(n.name, "--name", "Name")?)?;
    let area = ctx.require_choice(
        n.area,
        "--area",
        "Area",
        &store::areas::list(&db, false)?
            .into_iter()
            .map(|a| (a.code, a.name))
            .collect::<Vec<_>>(),
    )?;
    let tx = db.begin()?;
    if store::customers::exists(&tx, &code)? {
        crate::bail_input!(
            "customer \"{code}\" exists already (change it with `salesops customers edit`)"
        );
    }
    let area = resolve_area(&tx, &area)?;
    if let Some(o) = &n.owner {
        must_rep(&tx, o)?;
    }
    let status = if n.lead { "lead" } else { "active" };
    store::customers::insert(
        &tx,
        &Customer {
            code: code.clone(),
            name,
            area: Some(area.code),
            city: n.city,
            company: n.company,
            phone: n.phone,
            email: n.email,
            channel: n.channel.unwrap_or_else(|| "offline".into()),
            segment: n.segment,
            owner: n.owner,
            tier: "normal".into(),
            tier_locked: false,
            status: status.into(),
            terms_days: n.terms_days.map(i64::from),
            created: ctx.today.to_string(),
        },
    )?;
    let what = if n.lead { "lead" } else { "customer" };
    ctx.audit(&tx, &format!("{what} {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

struct Edit {
    name: Option<String>,
    area: Option<String>,
    city: Option<Option<String>>,
    company: Option<Option<String>>,
    phone: Option<Option<String>>,
    email: Option<Option<String>>,
    channel: Option<String>,
    segment: Option<Option<String>>,
    owner: Option<Option<String>>,
    terms_days: Option<u32>,
    status: Option<String>,
    tier: Option<String>,
    locked: Option<bool>,
}

fn edit_customer(ctx: &Context, code: &str, e: Edit) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let old = must_get(&tx, code)?;
    let mut c = old.clone();
    if let Some(name) = e.name {
        c.name = super::non_empty_name(&name)?;
    }
    if let Some(a) = e.area {
        c.area = Some(resolve_area(&tx, &a)?.code);
    }
    if let Some(Some(o)) = &e.owner {
        must_rep(&tx, o)?;
    }
    let sets = [
        (&mut c.city, e.city),
        (&mut c.company, e.company),
        (&mut c.phone, e.phone),
        (&mut c.email, e.email),
        (&mut c.segment, e.segment),
        (&mut c.owner, e.owner),
    ];
    for (field, value) in sets {
        if let Some(v) = value {
            *field = v;
        }
    }
    if let Some(ch) = e.channel {
        c.channel = ch;
    }
    if let Some(t) = e.terms_days {
        c.terms_days = Some(i64::from(t));
    }
    if let Some(st) = e.status {
        c.status = st;
    }
    if let Some(t) = e.tier {
        c.tier = t;
    }
    if let Some(l) = e.locked {
        c.tier_locked = l;
    }
    if c == old {
        return Ok(Outcome::text(format!("customer {code}: nothing changed")));
    }
    store::customers::update(&tx, &c)?;
    if c.tier != old.tier {
        store::customers::add_event(
            &tx,
            code,
            &Event {
                date: ctx.today.to_string(),
                kind: "tier".into(),
                note: Some("set by hand".into()),
                old_tier: Some(old.tier.clone()),
                new_tier: Some(c.tier.clone()),
            },
        )?;
    }
    ctx.audit(&tx, &format!("customer {code} edited"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("customer {code} updated")))
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let c = must_get(&db, code)?;
    let orders = store::customers::orders_of(&db, code)?;
    let refs: Vec<String> = if orders.is_empty() {
        Vec::new()
    } else {
        vec![store::regions::describe_refs("order", &orders)]
    };
    super::remove_record(
        ctx,
        &mut db,
        &format!("customer {code}"),
        &refs,
        &format!("orders are kept for history (mark the customer inactive with `salesops customers edit {code} --status inactive`)"),
        &format!("remove customer {code} {} and its history", c.name),
        |tx| {
            store::customers::delete(tx, code)?;
            Ok(format!("customer {code} removed"))
        },
    )
}

fn log(ctx: &Context, code: &str, note: &str, kind: &str, date: Option<&str>) -> Result<Outcome> {
    let date = match date {
        Some(d) => parse_date(d).map_err(|e| crate::error::usage(format!("--date: {e}")))?,
        None => ctx.today,
    };
    let note = note.trim();
    if note.is_empty() {
        crate::bail_usage!("--note is empty");
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let c = must_get(&tx, code)?;
    store::customers::add_event(
        &tx,
        code,
        &Event {
            date: date.to_string(),
            kind: kind.into(),
            note: Some(note.into()),
            old_tier: None,
            new_tier: None,
        },
    )?;
    let mut message = format!("{kind} on {date} logged for customer {code}");
    if c.status == "lead" {
        store::customers::set_status(&tx, code, "active")?;
        message.push_str("; first contact made, the lead is now active");
    }
    ctx.audit(&tx, &message)?;
    tx.commit()?;
    Ok(Outcome::text(message))
}

fn history(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    must_get(&db, code)?;
    let mut out = Records::new(&["date", "kind", "note", "old_tier", "new_tier"]);
    for e in store::customers::events(&db, code)? {
        out.push(vec![
            s(e.date),
            s(e.kind),
            opt(e.note),
            opt(e.old_tier),
            opt(e.new_tier),
        ]);
    }
    Ok(Outcome::records(out))
}

fn regrade(ctx: &Context, dry_run: bool) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let start = trailing_window_start(ctx.today, policy.tier_window_months);
    let tx = store::ledger::Ledger::begin(&mut db)?;
    let mut out = Records::new(&[
        "code",
        "name",
        "old_tier",
        "new_tier",
        "window_revenue",
        "window_orders",
    ]);
    for a in store::customers::window_activity(&tx, start, ctx.today)? {
        if a.tier_locked {
            continue;
        }
        let new = grade(&policy, a.net_revenue, a.orders);
        if new == a.tier {
            continue;
        }
        if !dry_run {
            tx.set_tier(&a.code, new)?;
            store::customers::add_event(
                &tx,
                &a.code,
                &Event {
                    date: ctx.today.to_string(),
                    kind: "tier".into(),
                    note: Some(format!(
                        "regrade: {} net revenue, {} orders from {start}",
                        a.net_revenue.to_report(),
                        a.orders
                    )),
                    old_tier: Some(a.tier.clone()),
                    new_tier: Some(new.into()),
                },
            )?;
        }
        out.push(vec![
            s(a.code),
            s(a.name),
            s(a.tier),
            s(new),
            s(a.net_revenue.to_report()),
            int(a.orders),
        ]);
    }
    if dry_run {
        tx.rollback()?;
        ctx.note(&format!(
            "dry run: {} tier changes, nothing written",
            out.len()
        ));
    } else {
        ctx.audit(
            &tx,
            &format!("customers regraded: {} tier changes", out.len()),
        )?;
        tx.commit()?;
    }
    Ok(Outcome::records(out))
}

fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let conn = &db;
    let policy = ctx.policy(conn)?;
    let customers = store::customers::list(conn)?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for l in &customers {
        let c = &l.customer;
        if c.tier != "normal" && c.owner.is_none() {
            out.push(vec![
                s("no_owner"),
                s(&c.code),
                s(format!("{} customer without an owner", c.tier)),
            ]);
        }
    }
    let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (a, b, what, value) in store::customers::duplicate_pairs(conn)? {
        pairs
            .entry((a, b))
            .or_default()
            .push(format!("same {what} {value}"));
    }
    for ((a, b), reasons) in pairs {
        out.push(vec![
            s("duplicate"),
            s(format!("{a}, {b}")),
            s(reasons.join("; ")),
        ]);
    }
    for l in &customers {
        let c = &l.customer;
        if l.region.is_none() {
            let detail = match &l.area_name {
                Some(a) => format!("area {a} is in no region"),
                None => "no area".to_string(),
            };
            out.push(vec![s("uncovered"), s(&c.code), s(detail)]);
        }
    }
    for (code, created, first_contact) in store::customers::leads(conn)? {
        let Ok(created) = parse_date(&created) else {
            continue;
        };
        let due = policy
            .calendar
            .add_working_days(created, policy.lead_first_contact_days);
        let contacted_in_time = first_contact
            .as_deref()
            .and_then(|d| parse_date(d).ok())
            .is_some_and(|d| d <= due);
        if ctx.today > due && !contacted_in_time {
            out.push(vec![
                s("sla"),
                s(&code),
                s(format!(
                    "lead created {created}, first contact was due by {due}; none logged"
                )),
            ]);
        }
    }
    let mut owner_status: BTreeMap<String, Option<store::reps::Rep>> = BTreeMap::new();
    for l in &customers {
        let c = &l.customer;
        let Some(owner) = &c.owner else { continue };
        if !owner_status.contains_key(owner) {
            let rep = store::reps::get(conn, owner, ctx.today)?;
            owner_status.insert(owner.clone(), rep);
        }
        if let Some(Some(rep)) = owner_status.get(owner) {
            let detail = match rep.status.as_str() {
                "left" => format!("owner {owner} has left"),
                "suspended" => format!(
                    "owner {owner} is suspended through {}",
                    rep.suspended_until.clone().unwrap_or_default()
                ),
                _ => continue,
            };
            out.push(vec![s("inactive_owner"), s(&c.code), s(detail)]);
        }
    }
    Ok(Outcome::findings(out))
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut importer = CustomersImport {
        today: ctx.today.to_string(),
        seen: BTreeMap::new(),
    };
    let report = import::run(ctx, &tx, opts, &mut importer)?;
    finish_import(ctx, tx, opts, &report, "customers")
}

struct CustomersImport {
    today: String,
    seen: BTreeMap<String, u64>,
}

/// A row's cells, validated; None where the file gives nothing.
struct CustomerCells {
    name: Option<String>,
    area: Option<String>,
    city: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    channel: Option<String>,
    segment: Option<String>,
    owner: Option<String>,
    tier: Option<String>,
    status: Option<String>,
    terms_days: Option<i64>,
    created: Option<String>,
}

/// A cell that must be one of `choices`.
fn choice(
    input: &CsvInput,
    field: &str,
    choices: &[&str],
    errors: &mut Vec<RowError>,
) -> Result<Option<String>, RowError> {
    let col = input.column(field);
    let value = input.cell(col)?;
    match value {
        Some(v) if !choices.contains(&v) => {
            errors.push(input.error(
                col,
                format!("\"{v}\" is not a {field}: {}", choices.join(", ")),
            ));
            Ok(None)
        }
        v => Ok(v.map(str::to_string)),
    }
}

impl CustomersImport {
    fn cells(&self, conn: &Conn, input: &CsvInput) -> Result<CustomerCells, RowFail> {
        let mut errors = Vec::new();
        let text = |field: &str| -> Result<Option<String>, RowError> {
            Ok(input.cell(input.column(field))?.map(str::to_string))
        };
        let c_area = input.column("area");
        let area = match input.cell(c_area)? {
            Some(a) => match store::areas::find(conn, a)? {
                Some(found) => Some(found.code),
                None => {
                    errors.push(input.error(
                        c_area,
                        format!("unknown area \"{a}\" (see `salesops areas list`)"),
                    ));
                    None
                }
            },
            None => None,
        };
        let c_owner = input.column("owner");
        let owner = input.cell(c_owner)?.map(str::to_string);
        if let Some(o) = &owner {
            if !store::reps::exists(conn, o)? {
                errors.push(input.error(c_owner, format!("no rep \"{o}\"")));
            }
        }
        let channel = choice(input, "channel", &CHANNELS, &mut errors)?;
        let tier = choice(input, "tier", &TIERS, &mut errors)?;
        let status = choice(input, "status", &STATUSES, &mut errors)?;
        let terms_days = input
            .parse(input.column("terms_days"), |t| {
                t.parse::<u32>()
                    .map(i64::from)
                    .map_err(|_| format!("\"{t}\" is not a whole number of days"))
            })
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let created = input
            .date(input.column("created"))
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            })
            .map(|d| d.to_string());
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        Ok(CustomerCells {
            name: text("name")?,
            area,
            city: text("city")?,
            company: text("company")?,
            phone: text("phone")?,
            email: text("email")?,
            channel,
            segment: text("segment")?,
            owner,
            tier,
            status,
            terms_days,
            created,
        })
    }
}

impl Importer for CustomersImport {
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
        let cells = self.cells(conn, input)?;
        let written = match store::customers::get(conn, &code)? {
            None => {
                let Some(name) = cells.name else {
                    return Err(input
                        .error(
                            input.column("name"),
                            "name is required for a new customer".into(),
                        )
                        .into());
                };
                let Some(area) = cells.area else {
                    return Err(input
                        .error(
                            input.column("area"),
                            "area is required for a new customer".into(),
                        )
                        .into());
                };
                store::customers::insert(
                    conn,
                    &Customer {
                        code: code.clone(),
                        name,
                        area: Some(area),
                        city: cells.city,
                        company: cells.company,
                        phone: cells.phone,
                        email: cells.email,
                        channel: cells.channel.unwrap_or_else(|| "offline".into()),
                        segment: cells.segment,
                        owner: cells.owner,
                        tier: cells.tier.unwrap_or_else(|| "normal".into()),
                        tier_locked: false,
                        status: cells.status.unwrap_or_else(|| "active".into()),
                        terms_days: cells.terms_days,
                        created: cells.created.unwrap_or_else(|| self.today.clone()),
                    },
                )?;
                Written::Created
            }
            Some(old) => {
                let mut c = old.clone();
                let sets = [
                    (&mut c.area, cells.area),
                    (&mut c.city, cells.city),
                    (&mut c.company, cells.company),
                    (&mut c.phone, cells.phone),
                    (&mut c.email, cells.email),
                    (&mut c.segment, cells.segment),
                    (&mut c.owner, cells.owner),
                ];
                for (field, value) in sets {
                    if value.is_some() {
                        *field = value;
                    }
                }
                let sets = [
                    (&mut c.name, cells.name),
                    (&mut c.channel, cells.channel),
                    (&mut c.tier, cells.tier),
                    (&mut c.status, cells.status),
                    (&mut c.created, cells.created),
                ];
                for (field, value) in sets {
                    if let Some(v) = value {
                        *field = v;
                    }
                }
                if cells.terms_days.is_some() {
                    c.terms_days = cells.terms_days;
                }
                if c == old {
                    Written::Skipped
                } else {
                    store::customers::update(conn, &c)?;
                    if c.tier != old.tier {
                        store::customers::add_event(
                            conn,
                            &code,
                            &Event {
                                date: self.today.clone(),
                                kind: "tier".into(),
                                note: Some(format!("imported from {}", input.display_name())),
                                old_tier: Some(old.tier),
                                new_tier: Some(c.tier),
                            },
                        )?;
                    }
                    Written::Updated
                }
            }
        };
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
