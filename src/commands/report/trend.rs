//! `report trend`: one row per group, one column per month or quarter of net revenue, and a total.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use serde_json::json;

use crate::context::Context;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::output::{money, opt, s, Cell, Document, Outcome, Records, Section};
use crate::store::{
    self,
    report::{By, NameTable},
    Conn,
};

#[derive(clap::Args, Debug)]
pub struct TrendArgs {
    /// The period: a month, quarter, year or inclusive range of days
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
    /// Columns: month or quarter (`months` and `quarters` also read, as `targets split --into`
    /// spells them)
    #[arg(long, value_name = "month|quarter", value_parser = by_word, default_value = "month")]
    pub by: String,
    /// Rows: region, rep, product or channel
    #[arg(long, value_parser = ["region", "rep", "product", "channel"], default_value = "region")]
    pub group: String,
}

/// The column word as JSON and titles show it: `month` or `quarter`, whichever way it was spelled.
fn by_word(text: &str) -> std::result::Result<String, String> {
    match text {
        "month" | "months" => Ok("month".into()),
        "quarter" | "quarters" => Ok("quarter".into()),
        _ => Err(format!("\"{text}\" is not month or quarter")),
    }
}

pub fn run(ctx: &Context, args: TrendArgs) -> Result<Outcome> {
    let period = Period::parse(&args.period, ctx.today)
        .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
    let db = ctx.open()?;
    let conn = &db;
    let columns: Vec<Period> = if args.by == "quarter" {
        period.quarters()
    } else {
        period.months()
    };
    // Each column covers the part of the period inside it.
    let mut grid: BTreeMap<String, Vec<Money>> = BTreeMap::new();
    for (i, col) in columns.iter().enumerate() {
        let (a, b) = (col.start.max(period.start), col.end.min(period.end));
        let figures = match args.group.as_str() {
            "product" => store::report::products(conn, a, b)?,
            "rep" => store::report::sales(conn, a, b, By::Rep)?,
            "channel" => store::report::sales(conn, a, b, By::Channel)?,
            _ => store::report::sales(conn, a, b, By::Region)?,
        };
        for (key, f) in figures {
            grid.entry(key)
                .or_insert_with(|| vec![Money::ZERO; columns.len()])[i] = f.net();
        }
    }
    // By region, a parent's row takes in its sub-regions (as the monthly report's does) and a
    // sub-region's row names its parent, so the column totals count each sale once: only the rows
    // without a parent add up to them.
    let parents: HashMap<String, Option<String>> = if args.group == "region" {
        grid = rolled_up(conn, grid)?;
        store::regions::parents(conn)?.into_iter().collect()
    } else {
        HashMap::new()
    };
    let names: HashMap<String, String> = match args.group.as_str() {
        "product" => store::report::names(conn, NameTable::Products)?,
        "rep" => store::report::names(conn, NameTable::Reps)?,
        "region" => store::report::names(conn, NameTable::Regions)?,
        _ => HashMap::new(),
    };
    let labels: Vec<String> = columns.iter().map(|c| c.label()).collect();
    let mut rows = Vec::new();
    // The first column is named for what its rows are (region, rep, product, channel), so a
    // spreadsheet and a Chinese table both say it; JSON keeps `key`.
    let mut header = vec![args.group.clone(), "name".to_string()];
    if args.group == "region" {
        header.push("parent".into());
    }
    header.extend(labels.iter().cloned());
    header.push("total".into());
    let mut records = Records::new(&header);
    let mut column_totals = vec![Money::ZERO; columns.len()];
    for (key, values) in &grid {
        let total: Money = values.iter().copied().sum();
        let name = if key.is_empty() {
            if args.group == "region" {
                "(unassigned)".to_string()
            } else {
                "(none)".to_string()
            }
        } else {
            names.get(key).cloned().unwrap_or_else(|| key.clone())
        };
        let key_value = if key.is_empty() { Cell::Null } else { s(key) };
        let parent = parents.get(key).cloned().flatten();
        let mut row_json = json!({"key": key_value.to_json(), "name": name, "values": values.iter().map(|v| v.to_report()).collect::<Vec<_>>(), "total": total.to_report()});
        let mut row = vec![key_value, s(&name)];
        if args.group == "region" {
            row_json["parent"] = json!(parent);
            row.push(opt(parent.clone()));
        }
        rows.push(row_json);
        row.extend(values.iter().map(|v| money(*v)));
        row.push(money(total));
        records.push(row);
        if parent.is_none() {
            for (t, v) in column_totals.iter_mut().zip(values) {
                *t += *v;
            }
        }
    }
    let mut total_row = vec![s("(total)"), s("")];
    if args.group == "region" {
        total_row.push(s(""));
    }
    total_row.extend(column_totals.iter().map(|v| money(*v)));
    total_row.push(money(column_totals.iter().copied().sum::<Money>()));
    let json = json!({"period": period.label(), "by": args.by, "group": args.group, "columns": labels, "rows": rows});
    let title = format!(
        "Net revenue by {} and {}, {}",
        args.group,
        args.by,
        period.label()
    );
    let sections = vec![Section {
        totals: Some(total_row),
        ..Section::new("trend", "", records)
    }];
    Ok(Outcome::document(Document {
        title,
        json,
        sections,
        html: None,
    }))
}

/// Net revenue by region as sold (a sub-region's sales under the sub-region only) to net revenue by
/// region as reported: each region's row the sum of its own and its sub-regions' rows. Sales in no
/// region (key "") stay as they are.
fn rolled_up(
    conn: &Conn,
    sold: BTreeMap<String, Vec<Money>>,
) -> Result<BTreeMap<String, Vec<Money>>> {
    let mut out = BTreeMap::new();
    if let Some(unassigned) = sold.get("") {
        out.insert(String::new(), unassigned.clone());
    }
    let width = sold.values().next().map_or(0, Vec::len);
    for (code, _) in store::regions::names(conn)? {
        let mut sum: Option<Vec<Money>> = None;
        for sub in store::regions::descendants(conn, &code)? {
            if let Some(values) = sold.get(&sub) {
                let acc = sum.get_or_insert_with(|| vec![Money::ZERO; width]);
                for (a, v) in acc.iter_mut().zip(values) {
                    *a += *v;
                }
            }
        }
        if let Some(values) = sum {
            out.insert(code, values);
        }
    }
    Ok(out)
}
