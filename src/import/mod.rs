//! The one CSV import engine every entity uses (docs/manual.md, "CSV import and export"): encodings, header mapping, row errors
//! that name file, line, column and value, the rejects file, dry runs, progress and the summary line.
//! An entity supplies an `Importer`; the engine runs it inside the caller's single transaction.

mod input;
pub mod platforms;
mod xlsx;

pub use input::{CsvInput, ImportOptions, RowOrigin, Translated};

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::output::{Outcome, OutputFile};
use crate::store::{Conn, Tx};
use anyhow::{Context as _, Result};

use crate::context::Context;

/// One problem with one row.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    /// The column as the file names it (before `--map`), when one column is at fault.
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    pub fn describe(&self, file: &str) -> String {
        match &self.column {
            Some(col) => format!("{file}:{}: column \"{col}\": {}", self.line, self.message),
            None => format!("{file}:{}: {}", self.line, self.message),
        }
    }
}

/// Why a row (or a group of rows, such as an order) could not be taken.
pub enum RowFail {
    /// Bad data: reported with its line; the import goes on to find the other errors.
    Invalid(Vec<RowError>),
    /// Anything else (I/O, SQLite): the import stops.
    Fatal(anyhow::Error),
}

impl From<anyhow::Error> for RowFail {
    fn from(e: anyhow::Error) -> Self {
        RowFail::Fatal(e)
    }
}

impl From<crate::store::sql::Error> for RowFail {
    fn from(e: crate::store::sql::Error) -> Self {
        RowFail::Fatal(e.into())
    }
}

impl From<RowError> for RowFail {
    fn from(e: RowError) -> Self {
        RowFail::Invalid(vec![e])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Skipped,
}

#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub read: u64,
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub rejected: u64,
    /// Rows of empty cells, read and passed over.
    pub blank: u64,
}

impl Counts {
    pub fn add(&mut self, w: Written, n: u64) {
        match w {
            Written::Created => self.created += n,
            Written::Updated => self.updated += n,
            Written::Skipped => self.skipped += n,
        }
    }
}

/// Rows that failed, kept for the report (the first 20) and, with `--skip-invalid`, the rejects file.
pub struct Rejects {
    pub errors: Vec<RowError>,
    pub total: usize,
    writer: Option<csv::Writer<RejectsFile>>,
}

/// The rejects file as it is written: straight through in UTF-8, or, for an input written in a
/// legacy Chinese encoding, kept and encoded into it at the end, so the rejects of a GB18030 file
/// open in the same spreadsheet program, the same way, as the file did.
struct RejectsFile {
    file: OutputFile,
    legacy: Option<&'static encoding_rs::Encoding>,
    kept: Vec<u8>,
}

impl std::io::Write for RejectsFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.legacy {
            None => self.file.write(bytes),
            Some(_) => {
                self.kept.extend_from_slice(bytes);
                Ok(bytes.len())
            }
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl RejectsFile {
    /// Write what was kept in the legacy encoding (every character the input could hold has a form
    /// there) and put the file in place.
    fn commit(mut self) -> Result<()> {
        use std::io::Write as _;
        if let Some(enc) = self.legacy {
            let text = String::from_utf8_lossy(&self.kept);
            let (bytes, _, _) = enc.encode(&text);
            self.file.write_all(&bytes)?;
        }
        self.file.commit()
    }
}

impl Rejects {
    /// Record failed rows: `rows` are (line, raw fields) of the rows that go to the rejects file.
    pub fn record(&mut self, errors: Vec<RowError>, rows: &[(u64, Vec<String>)]) -> Result<()> {
        let message = errors
            .iter()
            .map(|e| match &e.column {
                Some(c) => format!("column \"{c}\": {}", e.message),
                None => e.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let message = crate::error::cut_values(&message);
        if let Some(w) = self.writer.as_mut() {
            // A translated file's later rows made from one source row carry no raw row of their own.
            for (_, raw) in rows.iter().filter(|(_, raw)| !raw.is_empty()) {
                let mut rec = raw.clone();
                rec.push(message.clone());
                w.write_record(&rec)?;
            }
        }
        self.total += errors.len();
        for e in errors {
            if self.errors.len() < 20 {
                self.errors.push(e);
            }
        }
        Ok(())
    }
}

/// What an entity's import does with the rows of a file.
pub trait Importer {
    /// Every field the entity reads, and those a file must have.
    fn fields(&self) -> &'static [&'static str];
    fn required(&self) -> &'static [&'static str];
    /// Take one row. Implementations validate a row (or group) fully before writing any of it.
    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail>;
    /// After the last row (an importer that groups rows writes its last group here).
    fn finish(
        &mut self,
        _conn: &Conn,
        _counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        Ok(())
    }
}

/// The result of an import, for the caller's audit line, and the summary line for the person, which
/// the caller prints once the transaction has committed (a failed commit must not follow "created").
pub struct ImportReport {
    pub counts: Counts,
    pub summary: String,
}

/// Run `importer` over the file inside `conn`'s open transaction. Invalid rows make it fail (exit 3,
/// naming the first 20) unless `--skip-invalid`; the caller commits only on `Ok`, or never on a dry run.
pub fn run(
    ctx: &Context,
    conn: &Conn,
    opts: &ImportOptions,
    importer: &mut dyn Importer,
) -> Result<ImportReport> {
    let input = CsvInput::open(
        opts,
        importer.fields(),
        importer.required(),
        ctx.interactive,
    )?;
    run_input(ctx, conn, opts, importer, input)
}

/// `run` over an input already opened (a platform's export translated by `import::platforms`).
pub fn run_input(
    ctx: &Context,
    conn: &Conn,
    opts: &ImportOptions,
    importer: &mut dyn Importer,
    input: CsvInput,
) -> Result<ImportReport> {
    run_pass(ctx, conn, opts, importer, input, Pass::Only)
}

/// Which pass over a file this is: a file read once, or the two passes of a large import (a check
/// against a snapshot before the write lock, then the writing pass inside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Only,
    Check,
    Write,
}

/// The first pass of a large import, run against a read snapshot by an importer that writes nothing:
/// every row checked as the writing pass checks it, its warnings said, and the same refusal (exit 3,
/// the first 20 errors with file, line, column and value) when a row is invalid. No rejects file (a
/// file checked first is one imported without `--skip-invalid`). Returns the rows read.
pub fn check(
    ctx: &Context,
    conn: &Conn,
    opts: &ImportOptions,
    importer: &mut dyn Importer,
) -> Result<u64> {
    let input = CsvInput::open(
        opts,
        importer.fields(),
        importer.required(),
        ctx.interactive,
    )?;
    let report = run_pass(ctx, conn, opts, importer, input, Pass::Check)?;
    Ok(report.counts.read)
}

/// The writing pass after `check`: `run`, without saying the file's warnings again.
pub fn run_checked(
    ctx: &Context,
    conn: &Conn,
    opts: &ImportOptions,
    importer: &mut dyn Importer,
) -> Result<ImportReport> {
    let input = CsvInput::open(
        opts,
        importer.fields(),
        importer.required(),
        ctx.interactive,
    )?;
    run_pass(ctx, conn, opts, importer, input, Pass::Write)
}

fn run_pass(
    ctx: &Context,
    conn: &Conn,
    opts: &ImportOptions,
    importer: &mut dyn Importer,
    mut input: CsvInput,
    pass: Pass,
) -> Result<ImportReport> {
    let started = Instant::now();
    if pass != Pass::Write {
        for warning in input.warnings() {
            ctx.note(&format!("warning: {warning}"));
        }
    }
    let display = input.display_name().to_string();
    let rejects_path = (opts.skip_invalid && pass != Pass::Check).then(|| rejects_path(&opts.file));
    let writer = match &rejects_path {
        Some(p) if !opts.dry_run => {
            // Written beside the input as every output is: a temporary file renamed over the rejects
            // file (a symlink there is replaced, never written through), and only when rows failed.
            let mut w = csv::Writer::from_writer(RejectsFile {
                file: OutputFile::create(p)?,
                legacy: input.legacy_encoding(),
                kept: Vec::new(),
            });
            let mut header = input.rejects_header().to_vec();
            header.push("error".into());
            w.write_record(&header)?;
            Some(w)
        }
        _ => None,
    };
    let mut rejects = Rejects {
        errors: Vec::new(),
        total: 0,
        writer,
    };
    let mut counts = Counts::default();
    let outcome = (|| -> Result<(), RowFail> {
        while input.next_record().map_err(RowFail::from)? {
            counts.read += 1;
            // A platform row the translator refused carries its errors (and may have no cells).
            if let Some(errors) = input.translation_errors() {
                counts.rejected += 1;
                let raw = vec![(input.line(), input.raw_fields())];
                rejects
                    .record(errors.to_vec(), &raw)
                    .map_err(RowFail::from)?;
                input.tick();
                continue;
            }
            if input.is_blank() {
                counts.blank += 1;
                continue;
            }
            match importer.row(conn, &input, &mut counts, &mut rejects) {
                Ok(()) => {}
                Err(RowFail::Invalid(errors)) => {
                    counts.rejected += 1;
                    let raw = vec![(input.line(), input.raw_fields())];
                    rejects.record(errors, &raw).map_err(RowFail::from)?;
                }
                Err(fatal) => return Err(fatal),
            }
            input.tick();
        }
        importer.finish(conn, &mut counts, &mut rejects)
    })();
    input.finish_progress();
    match outcome {
        Ok(()) => {}
        Err(RowFail::Fatal(e)) => return Err(e),
        Err(RowFail::Invalid(errors)) => rejects
            .record(errors, &[])
            .map_err(|e| e.context("rejects"))?,
    }
    if rejects.total > 0 && (!opts.skip_invalid || pass == Pass::Check) {
        return Err(crate::error::input(invalid_message(&display, &rejects)));
    }
    if let Some(w) = rejects.writer.take() {
        if rejects.total > 0 {
            w.into_inner()
                .map_err(|e| anyhow::Error::new(e.into_error()))
                .context("cannot write the rejects file")?
                .commit()?;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let blank = if counts.blank > 0 {
        format!(", {} blank", counts.blank)
    } else {
        String::new()
    };
    let mut line = format!(
        "{display}: {} rows read, {} created, {} updated, {} skipped, {} rejected{blank} in {secs:.2} s",
        counts.read, counts.created, counts.updated, counts.skipped, counts.rejected
    );
    if opts.dry_run {
        line.push_str(" (dry run: nothing written)");
    }
    if let Some(p) = &rejects_path {
        if rejects.total > 0 && !opts.dry_run {
            line.push_str(&format!("; rejected rows are in {}", p.display()));
        } else if !opts.dry_run {
            // A rejects file left by an earlier run no longer describes this file (a link there is
            // removed, not what it leads to; a pipe or device is left alone).
            let stale = std::fs::symlink_metadata(p)
                .is_ok_and(|m| m.file_type().is_file() || m.file_type().is_symlink());
            if stale {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    Ok(ImportReport {
        counts,
        summary: line,
    })
}

/// The end every import shares: commit with its audit line (or roll back a dry run), then print the
/// summary, so that "created" never follows a failed commit. `what` names the entity in both.
pub fn finish_import(
    ctx: &Context,
    tx: Tx<'_>,
    opts: &ImportOptions,
    report: &ImportReport,
    what: &str,
) -> Result<Outcome> {
    if opts.dry_run {
        tx.rollback()?;
    } else {
        ctx.audit(
            &tx,
            &format!("{what} import {}: {}", opts.file.display(), report.counts),
        )?;
        // A failed commit (a full disk) rolls the whole import back.
        tx.commit()
            .with_context(|| format!("the {what} import was not written, nothing changed"))?;
    }
    ctx.note(&report.summary);
    Ok(Outcome::nothing())
}

fn invalid_message(file: &str, rejects: &Rejects) -> String {
    let mut msg = format!(
        "{file}: {} invalid {}, nothing written (fix them, or use --skip-invalid to import the rest)",
        rejects.total,
        if rejects.total == 1 { "value" } else { "values" }
    );
    for e in &rejects.errors {
        msg.push_str("\n  ");
        msg.push_str(&e.describe(file));
    }
    if rejects.total > rejects.errors.len() {
        msg.push_str(&format!(
            "\n  … and {} more",
            rejects.total - rejects.errors.len()
        ));
    }
    msg
}

/// `orders.csv` → `orders.rejects.csv` beside it.
pub fn rejects_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// Shared by importers: a required cell.
pub fn required<'a>(
    input: &'a CsvInput,
    col: Option<usize>,
    field: &str,
) -> Result<&'a str, RowError> {
    match input.cell(col)? {
        Some(v) => Ok(v),
        None => Err(input.error(col, format!("{field} is required"))),
    }
}

/// Shared by importers: a cell holding one of a closed set of words (a status, a channel, a tier:
/// `domain::values`), parsed with its `FromStr`. A word outside the set is an error worded by `message`,
/// pushed on `errors` so that the row's other cells are still checked; a cell that cannot be read at
/// all stops the row.
pub fn word<T: std::str::FromStr>(
    input: &CsvInput,
    col: Option<usize>,
    errors: &mut Vec<RowError>,
    message: impl FnOnce(&str) -> String,
) -> Result<Option<T>, RowError> {
    let Some(text) = input.cell(col)? else {
        return Ok(None);
    };
    match text.parse() {
        Ok(word) => Ok(Some(word)),
        Err(_) => {
            errors.push(input.error(col, message(text)));
            Ok(None)
        }
    }
}

/// A row's key (code, SKU): present, not mangled by Excel, a code (`domain::text::code`: normalised,
/// no invisible characters), and not seen before in this file.
pub fn row_key(
    input: &CsvInput,
    field: &str,
    seen: &std::collections::BTreeMap<String, u64>,
) -> Result<String, RowError> {
    let col = input.column(field);
    let key = code_cell(input, col, required(input, col, field)?, field)?;
    if let Some(first) = seen.get(&key) {
        return Err(input.error(
            col,
            format!("\"{key}\" appears twice (first on line {first})"),
        ));
    }
    Ok(key)
}

/// A cell holding a code (a key or a reference): not mangled by Excel, and in its stored form
/// (`domain::text::code`); `field` names it in the message.
pub fn code_cell(
    input: &CsvInput,
    col: Option<usize>,
    value: &str,
    field: &str,
) -> Result<String, RowError> {
    check_key(input, col, value)?;
    crate::domain::text::code(value, field).map_err(|e| input.error(col, e))
}

/// A name cell: trimmed, without control characters, at most 200 characters (`domain::text::name`).
pub fn name_cell(input: &CsvInput, field: &str) -> Result<Option<String>, RowError> {
    let col = input.column(field);
    match input.cell(col)? {
        Some(v) => crate::domain::text::name(v, field)
            .map(Some)
            .map_err(|e| input.error(col, e)),
        None => Ok(None),
    }
}

/// Keys, references and phones that Excel turned into scientific notation (`1.23457E+17`,
/// `1.38E+10`) are lost digits, never turned back into digits (they would be the wrong ones).
pub fn check_key(input: &CsvInput, col: Option<usize>, value: &str) -> Result<(), RowError> {
    if crate::domain::text::is_scientific(value) {
        return Err(input.error(
            col,
            format!(
                "\"{}\" is a number Excel wrote in scientific notation: its digits are lost; format the column as text (设置单元格格式 → 文本), type the digits again and save",
                value.trim()
            ),
        ));
    }
    Ok(())
}

/// A cell holding a reference to a key (a rep, a region) or a phone: its text, refused when Excel
/// turned it into scientific notation.
pub fn key_text<'a>(input: &'a CsvInput, field: &str) -> Result<Option<&'a str>, RowError> {
    let col = input.column(field);
    let value = input.cell(col)?;
    if let Some(v) = value {
        check_key(input, col, v)?;
    }
    Ok(value)
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} read, {} created, {} updated, {} skipped, {} rejected",
            self.read, self.created, self.updated, self.skipped, self.rejected
        )
    }
}
