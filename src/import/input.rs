//! Reading an import file: encoding detection and decoding, delimiter, header mapping, and cell access
//! by column index so that a row costs no allocation.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

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
    /// The CSV file (.tsv: tab-separated; .xlsx: its first sheet)
    pub file: PathBuf,
    /// Read foreign headers: 'Source Header=field,...' or @FILE with one mapping a line
    #[arg(long, value_name = "HEADER=FIELD,...|@FILE")]
    pub map: Option<String>,
    /// Input encoding (default: UTF-8, BOM stripped; a file that is not UTF-8 is read as GB18030)
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// Field delimiter (default ',', tab for .tsv; 'tab' or '\t' for tab)
    #[arg(long, value_name = "CHAR|tab")]
    pub delimiter: Option<String>,
    /// Date format of the file, strftime style such as %m/%d/%Y
    #[arg(long, value_name = "STRFTIME")]
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
    /// Where lines and records start, as an editor numbers lines (the CSV reader's own count is off
    /// by one after a CRLF).
    lines: Rc<RefCell<Lines>>,
    progress: Option<ProgressBar>,
    ticks: u64,
    /// Where the records came from, when not straight from a CSV file.
    origin: Origin,
    /// Data records read so far: the current one is number `records_read - 1` after the header.
    records_read: usize,
    /// The legacy Chinese encoding the file was written in (GBK or GB18030, read as GB18030, its
    /// superset), when it was not UTF-8: the rejects file is written back in it.
    legacy: Option<&'static encoding_rs::Encoding>,
}

/// Where an input's records come from.
enum Origin {
    File,
    /// A workbook's first sheet: the sheet row of each record.
    Sheet(Vec<u64>),
    Translated(Translated),
}

/// What a translator (`import::platforms`) says about the rows it made from a source file.
pub struct Translated {
    /// For each field of the made rows, the source column that gave it (named in errors).
    pub names: Vec<String>,
    /// The source file's header, for a rejects file.
    pub source_header: Vec<String>,
    /// One per made row.
    pub rows: Vec<RowOrigin>,
}

/// Where one made row came from.
pub struct RowOrigin {
    pub line: u64,
    /// The source row, for a rejects file; empty for the later rows made from one source row.
    pub raw: Vec<String>,
    /// Problems the translator found in the row's order: the whole order is invalid (an order's
    /// other rows carry an empty list).
    pub errors: Option<Vec<RowError>>,
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
        if super::xlsx::is_workbook(path) {
            let (bytes, rows) = super::xlsx::first_sheet_as_csv(path, &name)?;
            let size = bytes.len() as u64;
            let mut input = CsvInput::over(
                name,
                Box::new(Cursor::new(bytes)),
                b',',
                size,
                opts,
                fields,
                required,
                interactive,
            )?;
            input.origin = Origin::Sheet(rows);
            return Ok(input);
        }
        let mut file =
            File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = Vec::with_capacity(SNIFF.min(size as usize + 1));
        (&mut file)
            .take(SNIFF as u64)
            .read_to_end(&mut head)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut legacy = None;
        let source: Box<dyn Read> = match opts.encoding {
            Some(Encoding::Gbk) => Box::new(Cursor::new(decode_legacy(
                &mut legacy,
                &read_rest(head, file, path)?,
                encoding_rs::GBK,
                &name,
                false,
            )?)),
            Some(Encoding::Gb18030) => Box::new(Cursor::new(decode_legacy(
                &mut legacy,
                &read_rest(head, file, path)?,
                encoding_rs::GB18030,
                &name,
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
                    let bytes = read_rest(head, file, path)?;
                    if let Some((other, utf8)) = mixed_lines(&bytes) {
                        crate::bail_input!(
                            "{name}:{other}: this line is not UTF-8, but line {utf8} is: the file mixes \
                             encodings, and read as one its other text would be garbled; save it again \
                             in one encoding, or give --encoding utf-8|gbk|gb18030 to read it all as that"
                        );
                    }
                    Box::new(Cursor::new(decode_legacy(
                        &mut legacy,
                        &bytes,
                        encoding_rs::GB18030,
                        &name,
                        true,
                    )?))
                } else {
                    Box::new(Cursor::new(strip_bom(head)).chain(file))
                }
            }
        };
        let delimiter = delimiter(opts)?;
        let mut input = CsvInput::over(
            name,
            source,
            delimiter,
            size,
            opts,
            fields,
            required,
            interactive,
        )?;
        input.legacy = legacy;
        Ok(input)
    }

    /// The legacy encoding the file was written in, when it was not UTF-8 (see `legacy`).
    pub fn legacy_encoding(&self) -> Option<&'static encoding_rs::Encoding> {
        self.legacy
    }

    /// Rows a translator made from another file (a platform's order export): `header` are the fields
    /// the rows give, `translated` says for each row where it came from. Errors name the source's
    /// lines and columns, and a rejects file holds the source's rows.
    pub fn translated(
        name: String,
        header: &[&str],
        translated: Translated,
        rows: &[Vec<String>],
        opts: &ImportOptions,
        fields: &[&str],
        required: &[&str],
    ) -> Result<CsvInput> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{name}: {}", e.error()))?;
        let size = bytes.len() as u64;
        let plain = ImportOptions {
            map: None,
            delimiter: None,
            ..opts.clone()
        };
        let mut input = CsvInput::over(
            name,
            Box::new(Cursor::new(bytes)),
            b',',
            size,
            &plain,
            fields,
            required,
            false,
        )?;
        input.raw_header = translated.names.clone();
        input.warnings.clear();
        input.origin = Origin::Translated(translated);
        Ok(input)
    }

    #[allow(clippy::too_many_arguments)]
    fn over(
        name: String,
        source: Box<dyn Read>,
        delimiter: u8,
        size: u64,
        opts: &ImportOptions,
        fields: &[&str],
        required: &[&str],
        interactive: bool,
    ) -> Result<CsvInput> {
        let lines = Rc::new(RefCell::new(Lines::new(delimiter)));
        let source: Box<dyn Read> = Box::new(Watch {
            inner: source,
            lines: Rc::clone(&lines),
        });
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(source);
        let header = reader
            .byte_headers()
            .with_context(|| format!("cannot read the header line of {name}"))?
            .clone();
        lines.borrow_mut().records.pop_front();
        unclosed_quote(&lines.borrow(), &name)?;
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
            lines,
            progress,
            ticks: 0,
            origin: Origin::File,
            records_read: 0,
            legacy: None,
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

    /// The header a rejects file repeats: the source file's own.
    pub fn rejects_header(&self) -> &[String] {
        match &self.origin {
            Origin::Translated(t) => &t.source_header,
            _ => &self.raw_header,
        }
    }

    fn translated_row(&self) -> Option<&RowOrigin> {
        match &self.origin {
            Origin::Translated(t) => self.records_read.checked_sub(1).and_then(|i| t.rows.get(i)),
            _ => None,
        }
    }

    /// The errors a translator found in the current row's order: the row is invalid as a whole.
    pub fn translation_errors(&self) -> Option<&[RowError]> {
        self.translated_row().and_then(|o| o.errors.as_deref())
    }

    pub fn column(&self, field: &str) -> Option<usize> {
        self.columns.get(field).copied()
    }

    /// Advance to the next row; false at the end. Blank lines are skipped by the CSV reader. A quoted
    /// field still open at the end of the file is an input error at the line where it opened.
    pub fn next_record(&mut self) -> Result<bool> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                let mut lines = self.lines.borrow_mut();
                if more {
                    self.line = lines.records.pop_front().unwrap_or(self.line + 1);
                    self.records_read += 1;
                    match &self.origin {
                        Origin::File => {}
                        Origin::Sheet(rows) => {
                            self.line = rows
                                .get(self.records_read - 1)
                                .copied()
                                .unwrap_or(self.line)
                        }
                        Origin::Translated(t) => {
                            if let Some(o) = t.rows.get(self.records_read - 1) {
                                self.line = o.line;
                            }
                        }
                    }
                }
                unclosed_quote(&lines, &self.name)?;
                Ok(more)
            }
            Err(e) => {
                let line = self
                    .lines
                    .borrow()
                    .records
                    .front()
                    .copied()
                    .unwrap_or(self.line + 1);
                Err(crate::error::input(format!(
                    "{}:{line}: unreadable CSV: {e}",
                    self.name
                )))
            }
        }
    }

    /// A row of empty cells (`,,,`, or spaces only): what a spreadsheet leaves between blocks of data.
    /// The engine skips and counts it.
    pub fn is_blank(&self) -> bool {
        self.record
            .iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace))
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
        // No text a person types holds a NUL: it is a damaged file (or a binary one), and PostgreSQL
        // text cannot hold one at all.
        if text.contains('\0') {
            return Err(self.error(
                col,
                "holds a NUL character: the file is damaged or not a text file".to_string(),
            ));
        }
        let text = crate::output::unguard_formula(text.trim());
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

    /// The current row as the source file has it (for a rejects file).
    pub fn raw_fields(&self) -> Vec<String> {
        if let Some(o) = self.translated_row() {
            return o.raw.clone();
        }
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

/// The rest of a file after its first bytes, `head`, all in memory.
fn read_rest(mut head: Vec<u8>, mut rest: File, path: &Path) -> Result<Vec<u8>> {
    rest.read_to_end(&mut head)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(head)
}

/// The lines of `bytes` as an editor shows them: ended by LF, CRLF or a lone CR.
fn editor_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.iter().position(|b| *b == b'\n' || *b == b'\r') {
            None => {
                rest = None;
                (!text.is_empty()).then_some(text)
            }
            Some(i) => {
                let skip = if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                rest = Some(&text[i + skip..]);
                Some(&text[..i])
            }
        }
    })
}

/// The line (as an editor numbers them: after LF, CRLF or a lone CR) of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    let before = &bytes[..at.min(bytes.len())];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, b)| *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    1 + breaks
}

/// In a file that is not all UTF-8: the first line that is not UTF-8, and the first that is UTF-8
/// text beyond ASCII (a BOM counts), when it has both. Plain ASCII lines say nothing: they read the
/// same in every encoding.
fn mixed_lines(bytes: &[u8]) -> Option<(usize, usize)> {
    let (mut other, mut utf8) = (None, None);
    for (i, line) in editor_lines(bytes).enumerate() {
        match std::str::from_utf8(line) {
            Ok(text) if !text.is_ascii() => {
                utf8.get_or_insert(i + 1);
            }
            Ok(_) => {}
            Err(_) => {
                other.get_or_insert(i + 1);
            }
        }
        if other.is_some() && utf8.is_some() {
            break;
        }
    }
    Some((other?, utf8?))
}

/// `decode`, noting the encoding the file was in (GB18030 for GBK too: its superset, the same bytes
/// for every character GBK has).
fn decode_legacy(
    legacy: &mut Option<&'static encoding_rs::Encoding>,
    bytes: &[u8],
    enc: &'static encoding_rs::Encoding,
    name: &str,
    detected: bool,
) -> Result<Vec<u8>> {
    *legacy = Some(encoding_rs::GB18030);
    decode(bytes, enc, name, detected)
}

/// Decode a whole file from a legacy encoding into UTF-8. Such files are spreadsheets saved by Excel,
/// small enough to hold; large machine exports are UTF-8 and stream. Bytes that are not valid in the
/// encoding are an input error, never replaced: a silently stored U+FFFD is a corrupted name or key.
fn decode(
    bytes: &[u8],
    enc: &'static encoding_rs::Encoding,
    name: &str,
    detected: bool,
) -> Result<Vec<u8>> {
    // The decoder honours a UTF-8 or UTF-16 BOM (Excel's "Unicode text") and removes it.
    let mut decoder = enc.new_decoder();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .context("the file is too large to decode")?;
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    if let encoding_rs::DecoderResult::Malformed(bad, after) = result {
        let at = read.saturating_sub(usize::from(bad) + usize::from(after));
        let line = line_of(bytes, at);
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

/// A quoted field still open at the end of the file swallowed every line after it: an input error
/// at the line where it opened, never rows silently joined into one value.
fn unclosed_quote(lines: &Lines, name: &str) -> Result<()> {
    if lines.eof && lines.state == Place::Quoted {
        crate::bail_input!(
            "{name}:{}: a quoted field opens on this line and is never closed, so the rest of the \
             file would be read as one value; close it (a quote inside a quoted value is written twice)",
            lines.quote_line
        );
    }
    Ok(())
}

/// Where the CSV reader is in the grammar it reads (quote `"`, doubled inside a quoted field; records
/// end at LF, CR or CRLF, and empty lines are no records).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    StartRecord,
    StartField,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
    QuoteInQuoted,
}

/// What `Watch` learns from the bytes as they pass: the line each record starts on, the line a quoted
/// field opened on, and whether the end of the file came inside one.
pub struct Lines {
    delimiter: u8,
    /// The current line, as an editor numbers them.
    line: u64,
    /// A CR ended the last bytes read: a line break, unless an LF follows.
    pending_cr: bool,
    state: Place,
    quote_line: u64,
    /// The lines on which records start, read ahead of the CSV reader.
    records: VecDeque<u64>,
    eof: bool,
}

impl Lines {
    fn new(delimiter: u8) -> Lines {
        Lines {
            delimiter,
            line: 1,
            pending_cr: false,
            state: Place::StartRecord,
            quote_line: 0,
            records: VecDeque::new(),
            eof: false,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            // Only a quote or a line end can change what follows, so the bytes up to the next one
            // are skipped at memchr's speed. Outside quotes, a quote opens a field only right after
            // a delimiter: the byte before it says where the reader is.
            if !self.pending_cr {
                let rest = &bytes[i..];
                let next = memchr::memchr3(b'"', b'\n', b'\r', rest).unwrap_or(rest.len());
                match self.state {
                    Place::StartField | Place::Unquoted if next > 0 => {
                        self.state = if rest[next - 1] == self.delimiter {
                            Place::StartField
                        } else {
                            Place::Unquoted
                        };
                        i += next;
                    }
                    Place::Quoted => i += next,
                    _ => {}
                }
                if i == bytes.len() {
                    break;
                }
            }
            self.step(bytes[i]);
            i += 1;
        }
    }

    fn step(&mut self, b: u8) {
        if self.pending_cr {
            self.pending_cr = false;
            if b != b'\n' {
                self.line += 1;
            }
        }
        let end = b == b'\n' || b == b'\r';
        self.state = match self.state {
            Place::StartRecord if end => Place::StartRecord,
            Place::StartRecord | Place::StartField => {
                if self.state == Place::StartRecord {
                    self.records.push_back(self.line);
                }
                if b == b'"' {
                    self.quote_line = self.line;
                    Place::Quoted
                } else if b == self.delimiter {
                    Place::StartField
                } else if end {
                    Place::StartRecord
                } else {
                    Place::Unquoted
                }
            }
            Place::Unquoted if end => Place::StartRecord,
            Place::Unquoted if b == self.delimiter => Place::StartField,
            Place::Unquoted => Place::Unquoted,
            Place::Quoted if b == b'"' => Place::QuoteInQuoted,
            Place::Quoted => Place::Quoted,
            Place::QuoteInQuoted if b == b'"' => Place::Quoted,
            Place::QuoteInQuoted if end => Place::StartRecord,
            Place::QuoteInQuoted if b == self.delimiter => Place::StartField,
            Place::QuoteInQuoted => Place::Unquoted,
        };
        match b {
            b'\n' => self.line += 1,
            b'\r' => self.pending_cr = true,
            _ => {}
        }
    }
}

/// The input as the CSV reader reads it, watched by `Lines` on the way.
struct Watch {
    inner: Box<dyn Read>,
    lines: Rc<RefCell<Lines>>,
}

impl Read for Watch {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        if n == 0 {
            lines.eof = true;
        } else {
            lines.scan(&buf[..n]);
        }
        Ok(n)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes of a CSV-like alphabet from a seed (a small LCG: the test needs no crate).
    fn csvish(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                const ALPHABET: &[u8] = b"ab,,\"\"\r\n\n x";
                ALPHABET[(x >> 33) as usize % ALPHABET.len()]
            })
            .collect()
    }

    /// What `scan` learns, whatever the chunks: the same as one step per byte.
    fn learned(bytes: &[u8], chunk: usize) -> (u64, bool, u64, Vec<u64>) {
        let mut lines = Lines::new(b',');
        for part in bytes.chunks(chunk.max(1)) {
            lines.scan(part);
        }
        let quoted = lines.state == Place::Quoted;
        (lines.line, quoted, lines.quote_line, lines.records.into())
    }

    #[test]
    fn scanning_skips_ahead_exactly_as_stepping_byte_by_byte() {
        for seed in 0..400 {
            let bytes = csvish(seed, 300);
            let mut slow = Lines::new(b',');
            for &b in &bytes {
                slow.step(b);
            }
            let expected = (
                slow.line,
                slow.state == Place::Quoted,
                slow.quote_line,
                Vec::from(slow.records),
            );
            for chunk in [1, 2, 3, 7, 64, 1000] {
                assert_eq!(
                    learned(&bytes, chunk),
                    expected,
                    "seed {seed}, chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn records_start_where_the_csv_reader_finds_them() {
        for seed in 0..400 {
            let bytes = csvish(seed, 200);
            let lines = Rc::new(RefCell::new(Lines::new(b',')));
            let source = Watch {
                inner: Box::new(Cursor::new(bytes.clone())),
                lines: Rc::clone(&lines),
            };
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(source);
            let read = reader.byte_records().count();
            let lines = lines.borrow();
            assert_eq!(lines.records.len(), read, "seed {seed}: {bytes:?}");
            // The line of each record is the line of its first byte, counting LF, CRLF and CR.
            let mut starts = Vec::new();
            let mut place = Lines::new(b',');
            for (i, &b) in bytes.iter().enumerate() {
                if place.state == Place::StartRecord && b != b'\n' && b != b'\r' {
                    starts.push(line_of(&bytes, i) as u64);
                }
                place.step(b);
            }
            assert_eq!(Vec::from(lines.records.clone()), starts, "seed {seed}");
        }
    }
}
