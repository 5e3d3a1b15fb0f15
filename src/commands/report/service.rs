//! The report's `service` section: the after-sales KPIs of the tickets opened in the period, by
//! region (a parent region's row includes its sub-regions), with a total row (region null).

use std::collections::BTreeMap;

use anyhow::Result;

use crate::domain::period::Period;
use crate::domain::policy::Policy;
use crate::domain::service::{kpi_by, Figure, Kpi, KpiBy, KPI_COLUMNS};
use crate::output::{int, opt, s, Cell, Lang, Records, Section};
use crate::store::{self, Conn};

/// One row: region code (None for tickets of no region), name, parent, figures.
pub struct ServiceRow {
    pub region: Option<String>,
    pub name: String,
    pub parent: Option<String>,
    pub kpi: Kpi,
}

pub struct ServiceSection {
    pub rows: Vec<ServiceRow>,
    pub total: Kpi,
}

pub fn build(conn: &Conn, policy: &Policy, period: &Period) -> Result<ServiceSection> {
    let tickets = store::service::opened_in(conn, period)?;
    let regions = store::service::region_names(conn)?;
    let parents: BTreeMap<String, Option<String>> = regions
        .iter()
        .map(|(c, _, p)| (c.clone(), p.clone()))
        .collect();
    let names: BTreeMap<String, String> = regions.into_iter().map(|(c, n, _)| (c, n)).collect();
    let end = period.end.and_hms_opt(23, 59, 0).unwrap_or_default();
    let (groups, total) = kpi_by(&tickets, KpiBy::Region, &parents, &policy.clock(), end);
    let rows = groups
        .into_iter()
        .map(|(region, kpi)| ServiceRow {
            name: match &region {
                Some(code) => names.get(code).cloned().unwrap_or_else(|| code.clone()),
                None => "(unassigned)".to_string(),
            },
            parent: region
                .as_ref()
                .and_then(|c| parents.get(c).cloned().flatten()),
            region,
            kpi,
        })
        .collect();
    Ok(ServiceSection { rows, total })
}

fn cells(k: &Kpi) -> Vec<Cell> {
    k.figures()
        .iter()
        .map(|f| match f {
            Figure::Count(n) => int(*n),
            Figure::Number(Some(x)) => Cell::Pct(*x),
            Figure::Number(None) => Cell::Null,
        })
        .collect()
}

fn columns() -> Vec<&'static str> {
    let mut c = vec!["region", "name", "parent"];
    c.extend(KPI_COLUMNS);
    c
}

fn total_row(x: &ServiceSection) -> Vec<Cell> {
    let mut row = vec![Cell::Null, s("(total)"), Cell::Null];
    row.extend(cells(&x.total));
    row
}

/// The region rows (CSV gets these; the total row would be counted twice by a spreadsheet sum).
pub fn records(x: &ServiceSection) -> Records {
    let mut out = Records::new(&columns());
    for r in &x.rows {
        let mut row = vec![opt(r.region.clone()), s(&r.name), opt(r.parent.clone())];
        row.extend(cells(&r.kpi));
        out.push(row);
    }
    out
}

/// JSON: the region rows and the total row (region null) last.
pub fn json(x: &ServiceSection) -> serde_json::Value {
    let mut all = records(x);
    all.push(total_row(x));
    all.to_json()
}

pub fn section(x: &ServiceSection, lang: Lang) -> Section {
    let title = if lang == Lang::Zh {
        "售后服务"
    } else {
        "After-sales service"
    };
    // The parent is for a script summing rows; people see the tree in the names.
    let shown = columns()
        .into_iter()
        .filter(|c| *c != "parent")
        .map(str::to_string)
        .collect();
    // The total row as people see it: the shown columns only.
    let mut people_total = total_row(x);
    people_total.remove(2);
    Section {
        totals: Some(people_total),
        shown: Some(shown),
        ..Section::new("service", title, records(x))
    }
}
