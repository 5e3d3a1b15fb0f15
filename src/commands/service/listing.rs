//! Reading tickets: the listing (and export), one ticket with its timeline, the check and the KPIs.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDateTime;
use serde_json::{json, Value};

use super::kpi_cells;
use crate::context::Context;
use crate::domain::period::Period;
use crate::domain::service::{kpi_by, show_time, KpiBy, Ticket, KPI_COLUMNS};
use crate::domain::values::{TicketKind, TicketStatus};
use crate::output::{int, opt, s, Cell, Document, Outcome, Records, Section};
use crate::store::lookup::{self, Kind};
use crate::store::{self, service::Filter};

/// The columns of a listing, which are the headers of the tickets file.
pub const COLUMNS: &[&str] = &[
    "id",
    "customer",
    "kind",
    "summary",
    "order_id",
    "channel",
    "assignee",
    "status",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "satisfaction",
];

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// Only tickets with this status
    #[arg(long, value_enum)]
    pub status: Option<TicketStatus>,
    /// Only tickets of this kind
    #[arg(long, value_enum)]
    pub kind: Option<TicketKind>,
    /// A region (with its sub-regions)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// The rep the ticket is assigned to (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub assignee: Option<String>,
    /// Only tickets whose response or resolution is overdue now
    #[arg(long)]
    pub overdue: bool,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The ticket id
    #[arg(value_name = "TICKET_ID")]
    pub id: String,
}

#[derive(clap::Args, Debug)]
pub struct KpiArgs {
    /// Tickets opened in this period [default: this-month]
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Rows: one per group of this kind
    #[arg(long, value_enum, default_value = "region")]
    pub by: KpiBy,
}

fn t(v: Option<NaiveDateTime>) -> Cell {
    opt(v.map(show_time))
}

fn row(x: &Ticket) -> Vec<Cell> {
    vec![
        s(&x.id),
        s(&x.customer),
        s(x.kind.as_str()),
        s(&x.summary),
        opt(x.order_id.clone()),
        opt(x.channel.map(|c| c.as_str())),
        opt(x.assignee.clone()),
        s(x.status.as_str()),
        s(show_time(x.opened_at)),
        t(x.responded_at),
        t(x.resolved_at),
        t(x.closed_at),
        x.satisfaction.map_or(Cell::Null, |n| int(i64::from(n))),
    ]
}

/// Still waiting for a response after it was due, as of `now`.
fn response_overdue(x: &Ticket, now: NaiveDateTime) -> bool {
    x.status == TicketStatus::Open && now > x.response_due
}

/// Not resolved (or closed) after its resolution was due, as of `now`.
fn resolution_overdue(x: &Ticket, now: NaiveDateTime) -> bool {
    matches!(x.status, TicketStatus::Open | TicketStatus::Responded) && now > x.resolve_due
}

pub fn list(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let regions = match args.region.as_deref().map(str::trim) {
        None => None,
        Some(r) => {
            let r = lookup::code(&db, Kind::Region, r)?;
            Some(store::regions::descendants(&db, &r)?)
        }
    };
    let filter = Filter {
        status: args.status.map(|s| s.as_str().to_string()),
        kind: args.kind.map(|k| k.as_str().to_string()),
        regions,
        // An assignee no rep has by code or name filters everything out, as it always did.
        assignee: match args.assignee {
            Some(a) => {
                Some(lookup::find(&db, Kind::Rep, &a)?.unwrap_or_else(|| a.trim().to_string()))
            }
            None => None,
        },
        // Only a waiting ticket can be late.
        waiting: args.overdue,
        opened: None,
    };
    let mut out = Records::new(COLUMNS);
    for x in store::service::list(&db, &filter)? {
        if args.overdue && !response_overdue(&x, ctx.now) && !resolution_overdue(&x, ctx.now) {
            continue;
        }
        out.push(row(&x));
    }
    Ok(Outcome::records(out))
}

pub fn export(ctx: &Context) -> Result<Outcome> {
    list(ctx, ListArgs::default())
}

pub fn show(ctx: &Context, id: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let x = store::service::must_get(&db, id.trim())?;
    let mut head = Records::new(
        &[
            COLUMNS,
            &[
                "region",
                "response_due",
                "resolve_due",
                "first_resolved_at",
                "reopened",
            ],
        ]
        .concat(),
    );
    let mut cells = row(&x);
    cells.extend([
        opt(x.region.clone()),
        s(show_time(x.response_due)),
        s(show_time(x.resolve_due)),
        t(x.first_resolved_at),
        int(x.reopened),
    ]);
    head.push(cells);
    let mut timeline = Records::new(&["at", "event", "rep", "note"]);
    for e in store::service::events(&db, &x.id)? {
        timeline.push(vec![
            s(show_time(e.at)),
            s(e.event),
            opt(e.rep),
            opt(e.note),
        ]);
    }
    let mut returns = Records::new(&["order_id", "line_no", "quantity", "date"]);
    for (order, line, quantity, date) in store::service::returns_of(&db, &x.id)? {
        returns.push(vec![s(order), int(line), int(quantity), s(date)]);
    }
    let json = json!({
        "ticket": head.to_json().as_array().and_then(|a| a.first().cloned()).unwrap_or(Value::Null),
        "timeline": timeline.to_json(),
        "returns": returns.to_json(),
    });
    let zh = ctx.lang == crate::output::Lang::Zh;
    let t = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    Ok(Outcome::document(Document {
        title: format!("{} {}", t("Ticket", "工单"), x.id),
        json,
        sections: vec![
            Section {
                transposed: true,
                ..Section::new("ticket", t("Ticket", "工单"), head)
            },
            Section::new("timeline", t("Timeline", "处理记录"), timeline),
            Section::new("returns", t("Returns", "退货"), returns),
        ],
        html: None,
    }))
}

pub fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let now = ctx.now;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    let waiting = store::service::list(
        &db,
        &Filter {
            waiting: true,
            ..Filter::default()
        },
    )?;
    for x in &waiting {
        if response_overdue(x, now) {
            out.push(vec![
                s("response_overdue"),
                s(&x.id),
                s(format!(
                    "{} of {} opened {}: a response was due {}",
                    x.kind,
                    x.customer,
                    show_time(x.opened_at),
                    show_time(x.response_due)
                )),
            ]);
        }
    }
    for x in &waiting {
        if resolution_overdue(x, now) {
            out.push(vec![
                s("resolution_overdue"),
                s(&x.id),
                s(format!(
                    "{} of {} is {}: its resolution was due {}",
                    x.kind,
                    x.customer,
                    x.status,
                    show_time(x.resolve_due)
                )),
            ]);
        }
    }
    for x in &waiting {
        if x.assignee.is_none() {
            out.push(vec![
                s("unassigned"),
                s(&x.id),
                s(format!(
                    "{} of {} opened {} has no assignee",
                    x.kind,
                    x.customer,
                    show_time(x.opened_at)
                )),
            ]);
        }
    }
    Ok(Outcome::findings(out))
}

pub fn kpi(ctx: &Context, args: KpiArgs) -> Result<Outcome> {
    let period = Period::parse(args.period.as_deref().unwrap_or("this-month"), ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let tickets = store::service::opened_in(&db, &period)?;
    let end = period.end.and_hms_opt(23, 59, 0).unwrap_or_default();
    let regions = store::service::region_names(&db)?;
    let parents: BTreeMap<String, Option<String>> = regions
        .iter()
        .map(|(c, _, p)| (c.clone(), p.clone()))
        .collect();
    let (groups, total) = kpi_by(&tickets, args.by, &parents, &policy.clock(), end);
    let names: BTreeMap<String, String> = match args.by {
        KpiBy::Region => regions.into_iter().map(|(c, n, _)| (c, n)).collect(),
        KpiBy::Rep => store::service::rep_names(&db)?.into_iter().collect(),
        KpiBy::Kind => BTreeMap::new(),
    };
    let named = args.by != KpiBy::Kind;
    let by_region = args.by == KpiBy::Region;
    let mut columns = vec![args.by.column()];
    if named {
        columns.push("name");
    }
    if by_region {
        columns.push("parent");
    }
    columns.extend(KPI_COLUMNS);
    let mut out = Records::new(&columns);
    let mut push = |key: Option<String>, name: String, k| {
        let parent = key.as_ref().and_then(|c| parents.get(c).cloned().flatten());
        let mut cells = vec![opt(key)];
        if named {
            cells.push(s(name));
        }
        if by_region {
            cells.push(opt(parent));
        }
        cells.extend(kpi_cells(k));
        out.push(cells);
    };
    for (key, k) in &groups {
        let name = match key {
            Some(code) => names.get(code).cloned().unwrap_or_else(|| code.clone()),
            None => "(unassigned)".to_string(),
        };
        push(key.clone(), name, k);
    }
    push(None, "(total)".to_string(), &total);
    Ok(Outcome::records(out))
}
