//! `regions …`: sales regions, the areas each covers, and the coverage check.

use std::collections::{BTreeMap, BTreeSet};

use crate::store::Conn;
use anyhow::Result;
use clap::Subcommand;
use serde_json::Value;

use super::clean_code;
use crate::context::Context;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::Format;
use crate::output::{opt, s, Outcome, Records};
use crate::store::{self, regions::Region};

#[derive(Subcommand, Debug)]
pub enum RegionsCommand {
    /// Add a region
    Add {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// The region it belongs to
        #[arg(long)]
        parent: Option<String>,
        /// Its manager (a rep code)
        #[arg(long)]
        manager: Option<String>,
    },
    /// List regions with their areas
    List,
    /// One region: its areas, sub-regions and reps
    Show { code: String },
    /// Change a region's name, parent or manager
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, conflicts_with = "no_parent")]
        parent: Option<String>,
        /// Make it a top-level region
        #[arg(long)]
        no_parent: bool,
        #[arg(long, conflicts_with = "no_manager")]
        manager: Option<String>,
        #[arg(long)]
        no_manager: bool,
    },
    /// Remove a region, freeing its areas (refused while anything refers to it)
    Remove { code: String },
    /// Give areas to a region
    Assign {
        code: String,
        /// Areas by any name: 广东, 廣東, Guangdong, 44, 440000
        #[arg(required = true)]
        areas: Vec<String>,
        /// Take areas from the region that holds them
        #[arg(long = "move")]
        move_: bool,
    },
    /// Take areas out of their region
    Unassign {
        #[arg(required = true)]
        areas: Vec<String>,
    },
    /// Coverage findings: gap, unassigned_orders, empty_region, no_manager (exit 4 on any)
    Check,
    /// Import regions from CSV (code, name, parent, manager, areas)
    Import(ImportOptions),
    /// Export regions as CSV
    Export,
}

const COLUMNS: &[&str] = &["code", "name", "parent", "manager", "areas"];

pub fn run(ctx: &Context, cmd: RegionsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        RegionsCommand::Add {
            code,
            name,
            parent,
            manager,
        } => (add(ctx, code, name, parent, manager)?, table),
        RegionsCommand::List => (Outcome::records(list(ctx)?), table),
        RegionsCommand::Export => (Outcome::records(list(ctx)?), Format::Csv),
        RegionsCommand::Show { code } => (show(ctx, &code)?, table),
        RegionsCommand::Edit {
            code,
            name,
            parent,
            no_parent,
            manager,
            no_manager,
        } => {
            let parent = if no_parent {
                Some(None)
            } else {
                parent.map(Some)
            };
            let manager = if no_manager {
                Some(None)
            } else {
                manager.map(Some)
            };
            (edit(ctx, &code, name, parent, manager)?, table)
        }
        RegionsCommand::Remove { code } => (remove(ctx, &code)?, table),
        RegionsCommand::Assign { code, areas, move_ } => {
            (assign(ctx, &code, &areas, move_)?, table)
        }
        RegionsCommand::Unassign { areas } => (unassign(ctx, &areas)?, table),
        RegionsCommand::Check => (check(ctx)?, table),
        RegionsCommand::Import(opts) => (import_file(ctx, &opts)?, table),
    })
}

fn region_row(r: Region) -> Vec<Value> {
    vec![
        s(r.code),
        s(r.name),
        opt(r.parent),
        opt(r.manager),
        Value::Array(r.areas.into_iter().map(Value::String).collect()),
    ]
}

fn list(ctx: &Context) -> Result<Records> {
    let db = ctx.open()?;
    let mut out = Records::new(COLUMNS);
    for r in store::regions::list(&db)? {
        out.push(region_row(r));
    }
    Ok(out)
}

/// A parent must exist and must not be the region itself or one of its sub-regions.
fn check_parent(conn: &Conn, code: &str, parent: &str) -> Result<()> {
    store::regions::must_get(conn, parent)?;
    if store::regions::ancestors(conn, parent)?
        .iter()
        .any(|a| a == code)
    {
        crate::bail_input!(
            "region \"{parent}\" is {code} or lies under it: a region cannot be its own ancestor"
        );
    }
    Ok(())
}

fn add(
    ctx: &Context,
    code: String,
    name: Option<String>,
    parent: Option<String>,
    manager: Option<String>,
) -> Result<Outcome> {
    let code = clean_code(&code, "region")?;
    let mut db = ctx.open()?;
    let name = ctx.require_text(name, "--name", "Region name")?;
    let tx = db.begin()?;
    if store::regions::exists(&tx, &code)? {
        crate::bail_input!(
            "region \"{code}\" exists already (change it with `salesops regions edit`)"
        );
    }
    if let Some(p) = &parent {
        store::regions::must_get(&tx, p)?;
    }
    if let Some(m) = &manager {
        store::reps::must_exist(&tx, m)?;
    }
    store::regions::insert(
        &tx,
        &code,
        name.trim(),
        parent.as_deref(),
        manager.as_deref(),
    )?;
    ctx.audit(&tx, &format!("region {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let region = store::regions::must_get(&db, code)?;
    let subs: Vec<String> = store::regions::descendants(&db, code)?
        .into_iter()
        .filter(|c| c != code)
        .collect();
    let reps: Vec<Value> = store::reps::list(&db, ctx.today)?
        .into_iter()
        .filter(|r| r.region == code)
        .map(|r| s(format!("{} {} ({})", r.code, r.name, r.role)))
        .collect();
    let mut out = Records::new(&[
        "code",
        "name",
        "parent",
        "manager",
        "areas",
        "sub_regions",
        "reps",
    ]);
    let mut row = region_row(region);
    row.push(Value::Array(subs.into_iter().map(Value::String).collect()));
    row.push(Value::Array(reps));
    out.push(row);
    Ok(Outcome::record(out))
}

fn edit(
    ctx: &Context,
    code: &str,
    name: Option<String>,
    parent: Option<Option<String>>,
    manager: Option<Option<String>>,
) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    store::regions::must_get(&tx, code)?;
    if let Some(Some(p)) = &parent {
        check_parent(&tx, code, p)?;
    }
    if let Some(Some(m)) = &manager {
        store::reps::must_exist(&tx, m)?;
    }
    store::regions::update(
        &tx,
        code,
        name.as_deref().map(str::trim),
        parent.as_ref().map(|p| p.as_deref()),
        manager.as_ref().map(|m| m.as_deref()),
    )?;
    ctx.audit(&tx, &format!("region {code} edited"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("region {code} updated")))
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let region = store::regions::must_get(&db, code)?;
    let refs = store::regions::referrers(&db, code)?;
    let areas = if region.areas.is_empty() {
        String::new()
    } else {
        format!(" and free its areas {}", region.areas.join(", "))
    };
    super::remove_record(
        ctx,
        &mut db,
        &format!("region {code}"),
        &refs,
        "move or remove them first",
        &format!("remove region {code} {}{areas}", region.name),
        |tx| {
            let freed = store::regions::delete(tx, code)?;
            Ok(format!("region {code} removed, {freed} areas freed"))
        },
    )
}

fn region_label(conn: &Conn, code: &str) -> Result<String> {
    Ok(match store::regions::get(conn, code)? {
        Some(r) => format!("{} {}", r.code, r.name),
        None => code.to_string(),
    })
}

fn assign(ctx: &Context, code: &str, inputs: &[String], move_: bool) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    store::regions::must_get(&tx, code)?;
    let mut changed = Vec::new();
    for input in inputs {
        let area = store::areas::must_find(&tx, input)?;
        match area.region.as_deref() {
            Some(holder) if holder == code => continue,
            Some(holder) if !move_ => {
                crate::bail_input!(
                    "{} is held by region {}; add --move to move it to {code}",
                    area.name,
                    region_label(&tx, holder)?
                );
            }
            _ => {}
        }
        store::areas::set_region(&tx, &area.code, Some(code))?;
        changed.push(area.name);
    }
    if changed.is_empty() {
        // Nothing was written, so there is nothing to audit.
        return Ok(Outcome::text(format!(
            "0 areas assigned to {code} (it has them already)"
        )));
    }
    let summary = format!(
        "{} areas assigned to {code}: {}",
        changed.len(),
        changed.join(", ")
    );
    ctx.audit(&tx, &summary)?;
    tx.commit()?;
    Ok(Outcome::text(summary))
}

fn unassign(ctx: &Context, inputs: &[String]) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let mut areas = Vec::new();
    for input in inputs {
        let area = store::areas::must_find(&db, input)?;
        if area.region.is_some() {
            areas.push(area);
        }
    }
    if areas.is_empty() {
        return Ok(Outcome::text("0 areas unassigned (none was in a region)"));
    }
    let names: Vec<String> = areas
        .iter()
        .map(|a| format!("{} ({})", a.name, a.region.clone().unwrap_or_default()))
        .collect();
    ctx.confirm(&format!("take {} out of their regions", names.join(", ")))?;
    let tx = db.begin()?;
    for a in &areas {
        store::areas::set_region(&tx, &a.code, None)?;
    }
    let summary = format!("{} areas unassigned: {}", areas.len(), names.join(", "));
    ctx.audit(&tx, &summary)?;
    tx.commit()?;
    Ok(Outcome::text(summary))
}

fn check(ctx: &Context) -> Result<Outcome> {
    let db = ctx.open()?;
    let mut out = Records::new(&["kind", "subject", "detail"]);
    for (_, name) in store::areas::gaps(&db)? {
        out.push(vec![s("gap"), s(name), s("area in no region")]);
    }
    for (area, count, now) in store::regions::unassigned_orders(&db)? {
        let detail = match now {
            Some(region) => format!(
                "{count} orders recorded while {area} had no region; it is in {region} now: `salesops orders reassign-regions` moves them"
            ),
            None => format!("{count} orders recorded in an area with no region"),
        };
        out.push(vec![s("unassigned_orders"), s(area), s(detail)]);
    }
    for (code, name) in store::regions::empty_regions(&db)? {
        out.push(vec![
            s("empty_region"),
            s(code),
            s(format!("{name} has no areas and no sub-regions")),
        ]);
    }
    for (code, name) in store::regions::without_manager(&db)? {
        out.push(vec![
            s("no_manager"),
            s(code),
            s(format!("{name} has no manager")),
        ]);
    }
    Ok(Outcome::findings(out))
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut importer = RegionsImport::default();
    let report = import::run(ctx, &tx, opts, &mut importer)?;
    if !importer.unknown_managers.is_empty() {
        ctx.note(&format!(
            "warning: managers not set, no such rep yet: {}; import the reps, then this file again",
            importer.unknown_managers.join(", ")
        ));
    }
    finish_import(ctx, tx, opts, &report, "regions")
}

/// Regions refer to each other (parent) and to areas held by other rows of the same file, so the
/// importer validates each row, keeps the (small) file, and applies it whole at the end.
#[derive(Default)]
struct RegionsImport {
    rows: Vec<RegionRow>,
    seen: BTreeMap<String, u64>,
    unknown_managers: Vec<String>,
}

struct RegionRow {
    line: u64,
    code: String,
    name: Option<String>,
    parent: Option<String>,
    manager: Option<String>,
    /// (area code, area name, column) when the file has an areas cell for the row.
    areas: Option<Vec<(String, String)>>,
    raw: Vec<String>,
    areas_col: Option<String>,
    parent_col: Option<String>,
}

impl Importer for RegionsImport {
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
        _counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let mut errors = Vec::new();
        let mut areas = None;
        let c_areas = input.column("areas");
        if c_areas.is_some() {
            // An empty cell leaves the region's areas as they are (SPEC 4); a cell is the whole set.
            if let Some(cell) = input.cell(c_areas)? {
                let mut list = Vec::new();
                for part in cell
                    .split([';', '；'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    match store::areas::find(conn, part).map_err(RowFail::Fatal)? {
                        Some(a) => list.push((a.code, a.name)),
                        None => {
                            errors.push(input.error(c_areas, format!("unknown area \"{part}\"")))
                        }
                    }
                }
                areas = Some(list);
            }
        }
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        self.seen.insert(code.clone(), input.line());
        self.rows.push(RegionRow {
            line: input.line(),
            code,
            name: input.cell(input.column("name"))?.map(str::to_string),
            parent: input.cell(input.column("parent"))?.map(str::to_string),
            manager: input.cell(input.column("manager"))?.map(str::to_string),
            areas,
            raw: input.raw_fields(),
            areas_col: c_areas.and_then(|i| input.raw_header().get(i).cloned()),
            parent_col: input
                .column("parent")
                .and_then(|i| input.raw_header().get(i).cloned()),
        });
        Ok(())
    }

    fn finish(
        &mut self,
        conn: &Conn,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        // Who claims each area in this file.
        let mut claims: BTreeMap<String, &RegionRow> = BTreeMap::new();
        let mut errors: Vec<(RowError, &RegionRow)> = Vec::new();
        let in_file: BTreeSet<&str> = self.rows.iter().map(|r| r.code.as_str()).collect();
        for row in &self.rows {
            if let Some(list) = &row.areas {
                for (code, name) in list {
                    if let Some(other) = claims.get(code) {
                        errors.push((
                            RowError {
                                line: row.line,
                                column: row.areas_col.clone(),
                                message: format!(
                                    "{name} is also given to {} on line {}",
                                    other.code, other.line
                                ),
                            },
                            row,
                        ));
                        continue;
                    }
                    claims.insert(code.clone(), row);
                }
            }
            if let Some(p) = &row.parent {
                if !in_file.contains(p.as_str()) && !store::regions::exists(conn, p)? {
                    errors.push((
                        RowError {
                            line: row.line,
                            column: row.parent_col.clone(),
                            message: format!("no region \"{p}\""),
                        },
                        row,
                    ));
                }
            }
        }
        // Parents as they will be once the file is applied: the file's, else the database's.
        let mut parent_of: BTreeMap<String, Option<String>> =
            store::regions::parents(conn)?.into_iter().collect();
        for row in &self.rows {
            if let Some(p) = &row.parent {
                parent_of.insert(row.code.clone(), Some(p.clone()));
            }
        }
        for row in &self.rows {
            let Some(p) = &row.parent else { continue };
            let mut cur = Some(p.as_str());
            // Every step up visits a different region, or the walk has looped.
            for _ in 0..=parent_of.len() {
                let Some(code) = cur else { break };
                if code == row.code {
                    errors.push((
                        RowError {
                            line: row.line,
                            column: row.parent_col.clone(),
                            message: format!(
                                "region \"{p}\" is {} or lies under it: a region cannot be its own ancestor",
                                row.code
                            ),
                        },
                        row,
                    ));
                    break;
                }
                cur = parent_of.get(code).and_then(|p| p.as_deref());
            }
        }
        // An area held by a region outside this file (or one whose row gives no areas cell) cannot move silently.
        for (code, row) in &claims {
            if let Some(area) = store::areas::get(conn, code)? {
                if let Some(holder) = &area.region {
                    let holder_releases = self
                        .rows
                        .iter()
                        .any(|r| &r.code == holder && r.areas.is_some());
                    if holder != &row.code && !holder_releases {
                        errors.push((
                            RowError { line: row.line, column: row.areas_col.clone(), message: format!("{} is held by region {holder}, which this file does not redraw", area.name) },
                            row,
                        ));
                    }
                }
            }
        }
        if !errors.is_empty() {
            // One record per row, so that each rejected row carries its own errors only.
            let mut by_row: BTreeMap<u64, (Vec<RowError>, &RegionRow)> = BTreeMap::new();
            for (e, row) in errors {
                by_row
                    .entry(row.line)
                    .or_insert((Vec::new(), row))
                    .0
                    .push(e);
            }
            let bad: BTreeSet<u64> = by_row.keys().copied().collect();
            counts.rejected += by_row.len() as u64;
            for (line, (errors, row)) in by_row {
                rejects.record(errors, &[(line, row.raw.clone())])?;
            }
            // With --skip-invalid the rest is still applied; a region row that fails stays out.
            self.rows.retain(|r| !bad.contains(&r.line));
        }
        self.apply(conn, counts)
    }
}

impl RegionsImport {
    fn apply(&mut self, conn: &Conn, counts: &mut Counts) -> Result<(), RowFail> {
        let mut written = Vec::new();
        for row in &self.rows {
            let w = match store::regions::get(conn, &row.code)? {
                None => {
                    store::regions::insert(
                        conn,
                        &row.code,
                        row.name.as_deref().unwrap_or(&row.code),
                        None,
                        None,
                    )?;
                    Written::Created
                }
                Some(existing) => {
                    let same = row.name.as_ref().is_none_or(|n| *n == existing.name)
                        && row
                            .parent
                            .as_ref()
                            .is_none_or(|p| Some(p) == existing.parent.as_ref())
                        && row
                            .manager
                            .as_ref()
                            .is_none_or(|m| Some(m) == existing.manager.as_ref())
                        && row.areas.as_ref().is_none_or(|a| {
                            a.iter().map(|(_, n)| n.clone()).collect::<BTreeSet<_>>()
                                == existing.areas.iter().cloned().collect()
                        });
                    if same {
                        Written::Skipped
                    } else {
                        if let Some(n) = &row.name {
                            store::regions::update(conn, &row.code, Some(n), None, None)?;
                        }
                        Written::Updated
                    }
                }
            };
            written.push(w);
        }
        for row in &self.rows {
            if let Some(p) = &row.parent {
                store::regions::update(conn, &row.code, None, Some(Some(p)), None)?;
            }
            if let Some(m) = &row.manager {
                if store::reps::exists(conn, m)? {
                    store::regions::update(conn, &row.code, None, None, Some(Some(m)))?;
                } else {
                    self.unknown_managers.push(format!("{} → {m}", row.code));
                }
            }
            if let Some(list) = &row.areas {
                store::areas::clear_region(conn, &row.code)?;
                for (code, _) in list {
                    store::areas::set_region(conn, code, Some(&row.code))?;
                }
            }
        }
        for w in written {
            counts.add(w, 1);
        }
        Ok(())
    }
}
