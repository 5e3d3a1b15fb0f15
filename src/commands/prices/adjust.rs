//! `prices set`, `prices history` and `prices notice`: dated price adjustments and the notice that
//! announces them to the region teams.

use anyhow::Result;

use crate::context::Context;
use crate::domain::date::parse_date;
use crate::domain::money::Money;
use crate::output::amount;
use crate::output::Cell;
use crate::output::Lang;
use crate::output::{opt, pct, s, Document, Outcome, Records, Section};
use crate::store::lookup::{self, Kind};
use crate::store::{
    self,
    ledger::Ledger,
    prices::Change,
    products::{must_get, Price},
};

use super::super::money_flag;
use crate::domain::pricing::check_floor;

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    /// The product's SKU
    pub sku: String,
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
    /// The product has no floor price from the effective date
    #[arg(long)]
    pub no_floor_price: bool,
    /// Unit cost
    #[arg(long, value_name = "MONEY", allow_hyphen_values = true)]
    pub cost: Option<String>,
    /// The first day the new prices apply (default today; may be in the future)
    #[arg(long, value_name = "DATE")]
    pub effective: Option<String>,
    /// Why the prices change (required; shown in the history and the notice)
    #[arg(long)]
    pub reason: Option<String>,
}

/// The keys of `prices history` and `prices notice` (their JSON shape in docs/manual.md).
const COLUMNS: &[&str] = &[
    "sku",
    "name",
    "effective",
    "reason",
    "old_list_price",
    "new_list_price",
    "list_change_pct",
    "old_floor_price",
    "new_floor_price",
    "old_cost",
    "new_cost",
];

pub fn set(ctx: &Context, a: SetArgs) -> Result<Outcome> {
    let effective = match &a.effective {
        Some(t) => parse_date(t).map_err(|e| crate::error::usage(format!("--effective: {e}")))?,
        None => ctx.today,
    };
    if a.list_price.is_none() && a.floor_price.is_none() && !a.no_floor_price && a.cost.is_none() {
        crate::bail_usage!(
            "nothing to set: give --list-price, --floor-price, --no-floor-price or --cost"
        );
    }
    let list_price = a
        .list_price
        .as_deref()
        .map(|t| money_flag(t, "--list-price"))
        .transpose()?;
    let floor_price = if a.no_floor_price {
        Some(None)
    } else {
        a.floor_price
            .as_deref()
            .map(|t| money_flag(t, "--floor-price"))
            .transpose()?
            .map(Some)
    };
    let cost = a
        .cost
        .as_deref()
        .map(|t| money_flag(t, "--cost"))
        .transpose()?;
    let reason = ctx.require_text(a.reason, "--reason", "Reason for the change")?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        crate::bail_usage!("--reason is empty: say why the prices change");
    }
    let mut db = ctx.open()?;
    let ledger = Ledger::begin(&mut db)?;
    let sku = must_get(&ledger, &lookup::code(&ledger, Kind::Product, &a.sku)?)?.sku;
    let day = effective.to_string();
    let base = store::products::price_in_force(&ledger, &sku, effective)?;
    let new = match &base {
        Some(b) => Price {
            effective: day.clone(),
            list_price: list_price.unwrap_or(b.list_price),
            floor_price: floor_price.unwrap_or(b.floor_price),
            cost: cost.unwrap_or(b.cost),
            reason: Some(reason.clone()),
        },
        None => match (list_price, cost) {
            (Some(list_price), Some(cost)) => Price {
                effective: day.clone(),
                list_price,
                floor_price: floor_price.flatten(),
                cost,
                reason: Some(reason.clone()),
            },
            _ => crate::bail_input!(
                "{sku} has no price in force on {day} to carry over: give both --list-price and --cost"
            ),
        },
    };
    check_floor(new.list_price, new.floor_price)
        .map_err(|e| crate::error::input(format!("{sku} from {day}: {e}")))?;
    if let Some(b) = &base {
        if b.list_price == new.list_price && b.floor_price == new.floor_price && b.cost == new.cost
        {
            crate::bail_input!(
                "nothing changes: the prices of {sku} in force on {day} are already {}",
                describe(&new)
            );
        }
    }
    ledger.reprice(&sku, &new)?;
    let next = store::prices::history(&ledger, &sku)?
        .into_iter()
        .find(|c| c.new.effective > day);
    ctx.audit(
        &ledger,
        &format!(
            "price of {sku} set from {day}: {} ({reason})",
            describe(&new)
        ),
    )?;
    ledger.commit()?;
    if let Some(next) = next {
        ctx.note(&format!(
            "note: these prices apply until the change of {} ({}), which keeps its own prices",
            next.new.effective,
            describe(&next.new)
        ));
    }
    Ok(Outcome::text(format!(
        "{sku} from {day}: {}",
        describe(&new)
    )))
}

fn describe(p: &Price) -> String {
    format!(
        "list {}, floor {}, cost {}",
        p.list_price,
        p.floor_price
            .map(|f| f.to_string())
            .unwrap_or_else(|| "none".into()),
        p.cost
    )
}

fn change_row(c: &Change) -> Vec<Cell> {
    let old = c.old.as_ref();
    let change = old.and_then(|o| (c.new.list_price - o.list_price).pct_of(o.list_price));
    vec![
        s(&c.sku),
        s(&c.name),
        opt((c.new.effective != store::products::ALWAYS).then(|| c.new.effective.clone())),
        opt(c.new.reason.clone()),
        old.map(|o| amount(o.list_price)).into(),
        amount(c.new.list_price),
        pct(change),
        old.and_then(|o| o.floor_price).map(amount).into(),
        c.new.floor_price.map(amount).into(),
        old.map(|o| amount(o.cost)).into(),
        amount(c.new.cost),
    ]
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// The product's SKU
    pub sku: String,
}

pub fn history(ctx: &Context, sku: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let sku = must_get(&db, &lookup::code(&db, Kind::Product, sku)?)?.sku;
    let mut out = Records::new(COLUMNS);
    for c in store::prices::history(&db, &sku)? {
        out.push(change_row(&c));
    }
    Ok(Outcome::records(out))
}

#[derive(clap::Args, Debug)]
pub struct NoticeArgs {
    /// First effective date to include (default today)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

pub fn notice(ctx: &Context, since: Option<&str>) -> Result<Outcome> {
    let since = match since {
        Some(t) => parse_date(t).map_err(|e| crate::error::usage(format!("--since: {e}")))?,
        None => ctx.today,
    };
    let db = ctx.open()?;
    let changes = store::prices::changes_since(&db, since)?;
    let mut out = Records::new(COLUMNS);
    for c in &changes {
        out.push(change_row(c));
    }
    // In Markdown, as an email: a heading, then one readable row per change (old → new); costs stay internal.
    let zh = ctx.lang == Lang::Zh;
    let arrow = |old: Option<Money>, new: Option<Money>, none: &str| -> String {
        let show = |m: Option<Money>| m.map(|x| x.to_report()).unwrap_or_else(|| none.into());
        if old == new {
            show(new)
        } else {
            format!("{} → {}", show(old), show(new))
        }
    };
    let none = if zh { "无" } else { "none" };
    let mut people = Records::new(&[
        "sku",
        "name",
        "effective",
        "list_price",
        "change",
        "floor_price",
        "reason",
    ]);
    for c in &changes {
        let old = c.old.as_ref();
        let change = match old {
            None => if zh { "新品" } else { "new" }.to_string(),
            Some(o) if o.list_price == c.new.list_price => {
                if zh { "不变" } else { "unchanged" }.to_string()
            }
            Some(o) => (c.new.list_price - o.list_price)
                .pct_of(o.list_price)
                .map(|p| format!("{p:+.1}%"))
                .unwrap_or_default(),
        };
        people.push(vec![
            s(&c.sku),
            s(&c.name),
            opt((c.new.effective != store::products::ALWAYS).then(|| c.new.effective.clone())),
            s(arrow(
                old.map(|o| o.list_price),
                Some(c.new.list_price),
                none,
            )),
            s(change),
            s(arrow(
                old.and_then(|o| o.floor_price),
                c.new.floor_price,
                none,
            )),
            opt(c.new.reason.clone()),
        ]);
    }
    let (title, heading) = if zh {
        (
            format!("价格调整通知：自 {since} 起生效的调整"),
            if changes.is_empty() {
                "没有调整".to_string()
            } else {
                format!("共 {} 项调整，按生效日期排列", changes.len())
            },
        )
    } else {
        (
            format!("Price adjustment notice: changes effective from {since}"),
            if changes.is_empty() {
                "No price changes".to_string()
            } else {
                format!(
                    "{} {}, by effective date",
                    changes.len(),
                    if changes.len() == 1 {
                        "change"
                    } else {
                        "changes"
                    }
                )
            },
        )
    };
    let letter = Document {
        title,
        json: out.to_json(),
        sections: vec![Section::new("changes", heading, people)],
        html: None,
    };
    Ok(Outcome {
        body: crate::output::Body::RecordsWithLetter(out, Box::new(letter)),
        exit: 0,
    })
}
