//! Reading an import file: encoding detection and decoding, delimiter, header mapping, and cell access
//! by column index so that a row costs no allocation.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};

use super::RowError;

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Gbk,
    Gb18030,
}

/// The flags every `import` takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ImportOptions {
    /// The CSV (or .tsv) file
    pub file: PathBuf,
    /// Read foreign headers: 'Source Header=field,...' or @FILE with one mapping a line
    #[arg(long, value_name = "MAP")]
    pub map: Option<String>,
    /// Input encoding (default: UTF-8, BOM stripped; a file that is not UTF-8 is read as GB18030)
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// Field delimiter (default ',', tab for .tsv; 'tab' or '\t' for tab)
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,
    /// Date format of the file, strftime style such as %m/%d/%Y
    #[arg(long, value_name = "F")]
    pub date_format: Option<String>,
    /// Check and count everything, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows; write the invalid ones to FILE.rejects.csv with an error column
    #[arg(long)]
    pub skip_invalid: bool,
}

pub struct CsvInput {
    name: String,
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::ByteRecord,
    raw_header: Vec<String>,
    /// field name → column index
    columns: HashMap<String, usize>,
    warnings: Vec<String>,
    date_format: Option<String>,
    line: u64,
    progress: Option<ProgressBar>,
    ticks: u64,
}

const SNIFF: usize = 1 << 20;

impl CsvInput {
    pub fn open(
        opts: &ImportOptions,
        fields: &[&str],
        required: &[&str],
        interactive: bool,
    ) -> Result<CsvInput> {
        let path = &opts.file;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut file =
            File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = Vec::with_capacity(SNIFF.min(size as usize + 1));
        (&mut file)
            .take(SNIFF as u64)
            .read_to_end(&mut head)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let source: Box<dyn Read> = match opts.encoding {
            Some(Encoding::Gbk) => Box::new(Cursor::new(decode_all(
                head,
                file,
                encoding_rs::GBK,
                path,
                false,
            )?)),
            Some(Encoding::Gb18030) => Box::new(Cursor::new(decode_all(
                head,
                file,
                encoding_rs::GB18030,
                path,
                false,
            )?)),
            Some(Encoding::Utf8) => Box::new(Cursor::new(strip_bom(head)).chain(file)),
            None => {
                let invalid = match std::str::from_utf8(&head) {
                    Ok(_) => false,
                    // An error at the very end may be a character cut by the sniff window.
                    Err(e) => e.error_len().is_some(),
                };
                if invalid {
                    Box::new(Cursor::new(decode_all(
                        head,
                        file,
                        encoding_rs::GB18030,
                        path,
                        true,
                    )?))
                } else {
                    Box::new(Cursor::new(strip_bom(head)).chain(file))
                }
            }
        };
        let delimiter = delimiter(opts)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(source);
        let header = reader
            .byte_headers()
            .with_context(|| format!("cannot read the header line of {name}"))?
            .clone();
        if header.iter().any(|h| std::str::from_utf8(h).is_err()) {
            crate::bail_input!(
                "{name}: the header line is not valid UTF-8: give the file's encoding with --encoding gbk (or gb18030)"
            );
        }
        let raw_header: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        if raw_header.iter().all(|h| h.is_empty()) {
            crate::bail_input!("{name}: the file is empty or has no header line");
        }
        let map = parse_map(opts.map.as_deref())?;
        let mut columns = HashMap::new();
        let mut unknown = Vec::new();
        for (idx, h) in raw_header.iter().enumerate() {
            let mapped = map
                .iter()
                .find(|(src, _)| src.eq_ignore_ascii_case(h) || src == h)
                .map(|(_, field)| field.clone())
                .unwrap_or_else(|| h.to_ascii_lowercase());
            if fields.contains(&mapped.as_str()) {
                if columns.contains_key(&mapped) {
                    crate::bail_input!("{name}: two columns give \"{mapped}\"");
                }
                columns.insert(mapped, idx);
            } else if !h.is_empty() {
                unknown.push(h.clone());
            }
        }
        for (src, field) in &map {
            if !fields.contains(&field.as_str()) {
                crate::bail_usage!("--map: \"{field}\" (for \"{src}\") is not a field of this import; the fields are: {}", fields.join(", "));
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|f| !columns.contains_key(*f))
            .collect();
        if !missing.is_empty() {
            crate::bail_input!(
                "{name}: missing column{} {} (the header line has: {}); use --map 'Header=field' for other names",
                if missing.len() > 1 { "s" } else { "" },
                missing.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", "),
                raw_header.join(", ")
            );
        }
        let mut warnings = Vec::new();
        if !unknown.is_empty() {
            warnings.push(format!(
                "{name}: ignoring unknown column{} {}",
                if unknown.len() > 1 { "s" } else { "" },
                unknown.join(", ")
            ));
        }
        let progress = (interactive && size > 4 << 20).then(|| {
            let bar = ProgressBar::new(size);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(name.clone());
            bar
        });
        Ok(CsvInput {
            name,
            reader,
            record: csv::ByteRecord::new(),
            raw_header,
            columns,
            warnings,
            date_format: opts.date_format.clone(),
            line: 1,
            progress,
            ticks: 0,
        })
    }

    pub fn display_name(&self) -> &str {
        &self.name
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn raw_header(&self) -> &[String] {
        &self.raw_header
    }

    pub fn column(&self, field: &str) -> Option<usize> {
        self.columns.get(field).copied()
    }

    /// Advance to the next row; false at the end. Blank lines are skipped by the CSV reader.
    pub fn next_record(&mut self) -> Result<bool> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                self.line = self
                    .record
                    .position()
                    .map(|p| p.line())
                    .unwrap_or(self.line + 1);
                Ok(more)
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(self.line + 1);
                Err(crate::error::input(format!(
                    "{}:{line}: unreadable CSV: {e}",
                    self.name
                )))
            }
        }
    }

    /// The current row's line number in the file (1 is the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// A cell, trimmed; None when the column is absent or the cell empty.
    pub fn cell(&self, col: Option<usize>) -> Result<Option<&str>, RowError> {
        let Some(idx) = col else { return Ok(None) };
        let Some(bytes) = self.record.get(idx) else {
            return Ok(None);
        };
        let text = std::str::from_utf8(bytes).map_err(|_| {
            self.error(
                col,
                "is not valid UTF-8: give the file's encoding with --encoding gbk (or gb18030)"
                    .to_string(),
            )
        })?;
        let text = text.trim();
        Ok(if text.is_empty() { None } else { Some(text) })
    }

    /// An error about the current row, naming the column as the file does.
    pub fn error(&self, col: Option<usize>, message: String) -> RowError {
        RowError {
            line: self.line,
            column: col.and_then(|i| self.raw_header.get(i).cloned()),
            message,
        }
    }

    /// A cell parsed with `parse`, whose error is reported against the cell.
    pub fn parse<T>(
        &self,
        col: Option<usize>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, RowError> {
        match self.cell(col)? {
            None => Ok(None),
            Some(text) => parse(text).map(Some).map_err(|m| self.error(col, m)),
        }
    }

    /// A date cell in the file's `--date-format`, or any accepted form.
    pub fn date(&self, col: Option<usize>) -> Result<Option<NaiveDate>, RowError> {
        self.parse(col, |t| {
            crate::domain::date::parse_date_with(t, self.date_format.as_deref())
        })
    }

    pub fn raw_fields(&self) -> Vec<String> {
        self.record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    pub fn tick(&mut self) {
        self.ticks += 1;
        if self.ticks.is_multiple_of(4096) {
            if let Some(bar) = &self.progress {
                bar.set_position(self.record.position().map(|p| p.byte()).unwrap_or(0));
            }
        }
    }

    pub fn finish_progress(&mut self) {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
    }
}

fn strip_bom(mut head: Vec<u8>) -> Vec<u8> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        head.drain(..3);
    }
    head
}

/// Decode a whole file from a legacy encoding into UTF-8. Such files are spreadsheets saved by Excel,
/// small enough to hold; large machine exports are UTF-8 and stream. Bytes that are not valid in the
/// encoding are an input error, never replaced: a silently stored U+FFFD is a corrupted name or key.
fn decode_all(
    mut head: Vec<u8>,
    mut rest: File,
    enc: &'static encoding_rs::Encoding,
    path: &std::path::Path,
    detected: bool,
) -> Result<Vec<u8>> {
    rest.read_to_end(&mut head)
        .with_context(|| format!("cannot read {}", path.display()))?;
    // The decoder honours a UTF-8 or UTF-16 BOM (Excel's "Unicode text") and removes it.
    let mut decoder = enc.new_decoder();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(head.len())
        .context("the file is too large to decode")?;
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(&head, &mut text, true);
    if let encoding_rs::DecoderResult::Malformed(bad, after) = result {
        let at = read.saturating_sub(usize::from(bad) + usize::from(after));
        let line = 1 + head[..at].iter().filter(|b| **b == b'\n').count();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let what = if detected {
            "neither UTF-8 nor GB18030".to_string()
        } else {
            format!("not valid {}", enc.name())
        };
        crate::bail_input!(
            "{name}:{line}: the file is {what} (near byte {at}): save it as UTF-8, or give its encoding with --encoding utf-8|gbk|gb18030"
        );
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.as_bytes().to_vec())
}

fn delimiter(opts: &ImportOptions) -> Result<u8> {
    match opts.delimiter.as_deref() {
        None => Ok(
            if opts
                .file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
            {
                b'\t'
            } else {
                b','
            },
        ),
        Some("tab") | Some("\\t") | Some("\t") => Ok(b'\t'),
        Some(d) if d.len() == 1 => Ok(d.as_bytes()[0]),
        Some(d) => {
            crate::bail_usage!("--delimiter takes one ASCII character (or 'tab'), not \"{d}\"")
        }
    }
}

/// `Source Header=field,...` or `@FILE` with one `Source Header=field` a line.
fn parse_map(map: Option<&str>) -> Result<Vec<(String, String)>> {
    let Some(map) = map else {
        return Ok(Vec::new());
    };
    let text = match map.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the --map file {path}"))?,
        None => map.replace(',', "\n"),
    };
    let mut pairs = Vec::new();
    for part in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let Some((src, field)) = part.rsplit_once('=') else {
            crate::bail_usage!("--map: \"{part}\" is not of the form 'Source Header=field'");
        };
        pairs.push((src.trim().to_string(), field.trim().to_ascii_lowercase()));
    }
    Ok(pairs)
}
