//! `customers add|edit|remove`: a customer's details, area, owner, status and tier.

use anyhow::Result;

use crate::commands::{clean_code, non_empty_name, remove_record, switch};
use crate::context::Context;
use crate::domain::customer::Customer;
use crate::domain::values::{Channel, CustomerStatus, Tier};
use crate::output::Outcome;
use crate::store::lookup::{self, Kind};
use crate::store::{self, customers::Event, ledger::Ledger};

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The customer's code
    pub code: String,
    /// The customer's name
    #[arg(long)]
    pub name: Option<String>,
    /// Province or state, by any name: 广东, 廣東, Guangdong, 44
    #[arg(long, value_name = "NAME|CODE")]
    pub area: Option<String>,
    /// City
    #[arg(long)]
    pub city: Option<String>,
    /// Company name
    #[arg(long)]
    pub company: Option<String>,
    /// Phone number
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address
    #[arg(long)]
    pub email: Option<String>,
    /// online, offline or agent [default: offline]
    #[arg(long, value_enum)]
    pub channel: Option<Channel>,
    /// Customer segment, free text (零售, 企业礼品 …)
    #[arg(long)]
    pub segment: Option<String>,
    /// The rep who owns the customer
    #[arg(long, value_name = "CODE|NAME")]
    pub owner: Option<String>,
    /// Payment terms in days (default: policy payment.terms_days)
    #[arg(long, value_name = "DAYS")]
    pub terms_days: Option<u32>,
    /// Record a lead (status lead) awaiting first contact
    #[arg(long)]
    pub lead: bool,
    /// The campaign that brought the customer or lead (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub campaign: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The customer's code
    pub code: String,
    /// The customer's name
    #[arg(long)]
    pub name: Option<String>,
    /// The area: a province name or code (广东, 44)
    #[arg(long, value_name = "NAME|CODE")]
    pub area: Option<String>,
    /// City
    #[arg(long)]
    pub city: Option<String>,
    /// Company name
    #[arg(long)]
    pub company: Option<String>,
    /// Phone number
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address
    #[arg(long)]
    pub email: Option<String>,
    /// Sales channel
    #[arg(long, value_enum)]
    pub channel: Option<Channel>,
    /// Customer segment, free text (零售, 企业礼品 …)
    #[arg(long)]
    pub segment: Option<String>,
    /// The rep who owns the customer (code or name)
    #[arg(long, value_name = "CODE|NAME", conflicts_with = "no_owner")]
    pub owner: Option<String>,
    /// The customer has no owner
    #[arg(long)]
    pub no_owner: bool,
    /// Payment terms in days
    #[arg(long, value_name = "DAYS")]
    pub terms_days: Option<u32>,
    /// Make it a lead again (status lead)
    #[arg(long, conflicts_with = "status")]
    pub lead: bool,
    /// lead, active or inactive
    #[arg(long, value_enum)]
    pub status: Option<CustomerStatus>,
    /// Set the tier by hand (kept in the history)
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
    /// Keep the tier through `customers regrade`
    #[arg(long, conflicts_with = "unlock")]
    pub lock: bool,
    /// Let `customers regrade` grade it again
    #[arg(long)]
    pub unlock: bool,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The customer's code
    pub code: String,
}

/// An optional text flag: surrounding spaces dropped, an empty value is no value.
fn nonempty(v: Option<String>) -> Option<String> {
    v.map(|x| x.trim().to_string()).filter(|x| !x.is_empty())
}

/// An optional field of `edit`: absent leaves it, "" clears it, anything else sets it.
fn clearable(v: Option<String>) -> Option<Option<String>> {
    v.map(|x| Some(x.trim().to_string()).filter(|x| !x.is_empty()))
}

pub(super) fn add(ctx: &Context, n: AddArgs) -> Result<Outcome> {
    let code = clean_code(&n.code, "customer")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(n.name, "--name", "Name")?)?;
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
    let area = store::areas::must_find(&tx, &area)?;
    let owner = lookup::code_opt(&tx, Kind::Rep, nonempty(n.owner).as_deref())?;
    let mut c = Customer::new(&code, &name, &ctx.today.to_string());
    if let Some(typed) = &n.campaign {
        c.campaign = Some(store::campaigns::must_find(&tx, typed)?.code);
    }
    c.area = Some(area.code);
    c.city = nonempty(n.city);
    c.company = nonempty(n.company);
    c.phone = nonempty(n.phone);
    c.email = nonempty(n.email);
    if let Some(channel) = n.channel {
        c.channel = channel;
    }
    c.segment = nonempty(n.segment);
    c.owner = owner;
    if n.lead {
        c.status = CustomerStatus::Lead;
    }
    c.terms_days = n.terms_days.map(i64::from);
    store::customers::insert(&tx, &c)?;
    let what = if n.lead { "lead" } else { "customer" };
    ctx.audit(&tx, &format!("{what} {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

/// The changes `edit` asks for: None leaves a field, Some(None) clears an optional one.
struct Edit {
    name: Option<String>,
    area: Option<String>,
    city: Option<Option<String>>,
    company: Option<Option<String>>,
    phone: Option<Option<String>>,
    email: Option<Option<String>>,
    channel: Option<Channel>,
    segment: Option<Option<String>>,
    owner: Option<Option<String>>,
    terms_days: Option<u32>,
    status: Option<CustomerStatus>,
    tier: Option<Tier>,
    locked: Option<bool>,
}

impl From<EditArgs> for Edit {
    fn from(a: EditArgs) -> Edit {
        Edit {
            name: a.name,
            area: a.area,
            city: clearable(a.city),
            company: clearable(a.company),
            phone: clearable(a.phone),
            email: clearable(a.email),
            channel: a.channel,
            segment: clearable(a.segment),
            owner: if a.no_owner {
                Some(None)
            } else {
                clearable(a.owner)
            },
            terms_days: a.terms_days,
            status: if a.lead {
                Some(CustomerStatus::Lead)
            } else {
                a.status
            },
            tier: a.tier,
            locked: switch(a.lock, a.unlock),
        }
    }
}

pub(super) fn edit(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let code = args.code.clone();
    let code = code.as_str();
    let e = Edit::from(args);
    let mut db = ctx.open()?;
    // The ledger: a new tier moves the customer's figures between tiers.
    let ledger = Ledger::begin(&mut db)?;
    let code = &lookup::code(&ledger, Kind::Customer, code)?;
    let old = store::customers::must_get(&ledger, code)?;
    let mut c = old.clone();
    if let Some(name) = e.name {
        c.name = non_empty_name(&name)?;
    }
    if let Some(a) = e.area {
        c.area = Some(store::areas::must_find(&ledger, &a)?.code);
    }
    let owner = match e.owner {
        Some(Some(o)) => Some(Some(lookup::code(&ledger, Kind::Rep, &o)?)),
        other => other,
    };
    let sets = [
        (&mut c.city, e.city),
        (&mut c.company, e.company),
        (&mut c.phone, e.phone),
        (&mut c.email, e.email),
        (&mut c.segment, e.segment),
        (&mut c.owner, owner),
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
    store::customers::update(&ledger, &c)?;
    if c.tier != old.tier {
        ledger.set_tier(code, c.tier)?;
        let event = Event::tier_change(
            ctx.today.to_string(),
            "set by hand".into(),
            old.tier,
            c.tier,
        );
        store::customers::add_event(&ledger, code, &event)?;
    }
    ctx.audit(&ledger, &format!("customer {code} edited"))?;
    ledger.commit()?;
    Ok(Outcome::text(format!("customer {code} updated")))
}

pub(super) fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Customer, code)?;
    let c = store::customers::must_get(&db, code)?;
    let orders = store::customers::orders_of(&db, code)?;
    let refs: Vec<String> = if orders.is_empty() {
        Vec::new()
    } else {
        vec![store::regions::describe_refs("order", &orders)]
    };
    remove_record(
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
