//! `regions import`: regions with their parents, managers and areas from CSV, applied as a whole.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use super::COLUMNS;
use crate::context::Context;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::Outcome;
use crate::store::{self, Conn};

pub(super) fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
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
            // An empty cell leaves the region's areas as they are (docs/manual.md, "File formats"); a cell is the whole set.
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
            name: import::name_cell(input, "name")?,
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
