//! Formats: one function per format over the same `Records`, and the dispatch from an `Outcome`.

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use serde_json::Value;

use super::{label, Body, Cell, Document, Outcome, Records, Section};
use crate::output::{Format, Lang};

/// Write an outcome's body in `format`. `bom` prefixes CSV with a UTF-8 BOM.
pub fn render(
    out: &mut dyn Write,
    outcome: &Outcome,
    format: Format,
    lang: Lang,
    bom: bool,
) -> Result<()> {
    match &outcome.body {
        Body::Nothing => {}
        Body::Raw(text) => out.write_all(text.as_bytes())?,
        Body::Text(text) => match format {
            Format::Json => {
                let v = serde_json::json!({ "message": text });
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            }
            // What a write says it did, for people: in their language (JSON keeps the English).
            _ => writeln!(out, "{}", crate::messages::tr(text, lang))?,
        },
        Body::Records(records) => render_records(out, records, format, lang, bom)?,
        Body::RecordsWithLetter(_, letter) if format == Format::Md => {
            render_document(out, letter, format, lang, bom)?
        }
        Body::RecordsWithLetter(records, _) => render_records(out, records, format, lang, bom)?,
        Body::Record(record) => render_record(out, record, format, lang, bom)?,
        Body::Document(doc) => render_document(out, doc, format, lang, bom)?,
    }
    out.flush()?;
    Ok(())
}

pub fn render_records(
    out: &mut dyn Write,
    records: &Records,
    format: Format,
    lang: Lang,
    bom: bool,
) -> Result<()> {
    match format {
        Format::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&records.to_json())?)?;
        }
        Format::Csv => write_csv(out, records, bom)?,
        Format::Md => write_markdown(out, &for_people(records, lang), lang)?,
        Format::Table | Format::Html => {
            if records.is_empty() {
                writeln!(out, "{}", if lang == Lang::Zh { "(无)" } else { "(none)" })?;
            } else {
                writeln!(out, "{}", table(&for_people(records, lang), lang, None))?;
            }
        }
    }
    Ok(())
}

fn render_record(
    out: &mut dyn Write,
    record: &Records,
    format: Format,
    lang: Lang,
    bom: bool,
) -> Result<()> {
    match format {
        Format::Json => {
            let obj = match record.to_json() {
                Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
                _ => Value::Null,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&obj)?)?;
        }
        Format::Csv => write_csv(out, record, bom)?,
        Format::Table | Format::Md | Format::Html => {
            let mut pairs = Records::new(&["field", "value"]);
            let record = for_people(record, lang);
            if let Some(row) = record.rows.first() {
                for (col, v) in record.columns.iter().zip(row) {
                    pairs.push(vec![
                        Cell::Text(label(col, lang)),
                        Cell::Text(v.shown(", ")),
                    ]);
                }
            }
            if format == Format::Md {
                write_markdown(out, &pairs, lang)?;
            } else {
                let mut t = Table::new();
                t.load_preset(presets::ASCII_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Disabled)
                    .force_no_tty();
                for row in &pairs.rows {
                    t.add_row(
                        row.iter()
                            .map(|v| visible(&v.text(", ")).into_owned())
                            .collect::<Vec<_>>(),
                    );
                }
                writeln!(out, "{t}")?;
            }
        }
    }
    Ok(())
}

fn render_document(
    out: &mut dyn Write,
    doc: &Document,
    format: Format,
    lang: Lang,
    bom: bool,
) -> Result<()> {
    // A title a command builds in English (`Receivables as of 2026-11-23`) is said in Chinese by the
    // catalogue; one already in Chinese has no entry and stays. JSON and CSV carry no title.
    let translated;
    let doc = if lang == Lang::Zh && matches!(format, Format::Table | Format::Md | Format::Html) {
        let mut copy = doc.clone();
        copy.title = crate::messages::tr(&doc.title, lang);
        for section in &mut copy.sections {
            section.title = crate::messages::tr(&section.title, lang);
        }
        translated = copy;
        &translated
    } else {
        doc
    };
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&doc.json)?)?,
        Format::Html => match &doc.html {
            Some(html) => {
                let page = super::html::page(&super::html::HtmlPage {
                    title: &doc.title,
                    headline: &html.headline,
                    charts: &html.charts,
                    sections: &doc.sections,
                    lang,
                });
                out.write_all(page.as_bytes())?
            }
            None => crate::bail_usage!("--format html is only for reports"),
        },
        Format::Md => {
            writeln!(out, "# {}\n", doc.title)?;
            let headed =
                |section: &Section| !section.title.is_empty() && section.title != doc.title;
            for section in &doc.sections {
                if headed(section) {
                    writeln!(out, "## {}\n", section.title)?;
                }
                write_markdown(out, &section.for_people(lang), lang)?;
                writeln!(out)?;
            }
        }
        Format::Table => {
            writeln!(out, "{}", doc.title)?;
            let headed =
                |section: &Section| !section.title.is_empty() && section.title != doc.title;
            for section in &doc.sections {
                if headed(section) {
                    writeln!(out, "\n{}", section.title)?;
                }
                if section.records.is_empty() {
                    writeln!(out, "{}", if lang == Lang::Zh { "(无)" } else { "(none)" })?;
                } else {
                    writeln!(
                        out,
                        "{}",
                        table(
                            &section.for_people(lang),
                            lang,
                            section.bar_column.as_deref()
                        )
                    )?;
                }
            }
        }
        Format::Csv => match doc.sections.as_slice() {
            [only] => write_csv(out, &only.records, bom)?,
            sections => {
                let names: Vec<&str> = sections.iter().map(|s| s.name.as_str()).collect();
                let listed = match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => names.join(", "),
                };
                crate::bail_usage!(
                    "--format csv needs --section NAME (a CSV file is one table): {listed}"
                )
            }
        },
    }
    Ok(())
}

/// Records as people read them in `lang`: coded values (tiers, statuses, finding kinds) and findings'
/// text in the language; the records themselves (CSV, JSON) never change.
fn for_people(records: &Records, lang: Lang) -> std::borrow::Cow<'_, Records> {
    if lang == Lang::En {
        return std::borrow::Cow::Borrowed(records);
    }
    let mut people = records.clone();
    for row in &mut people.rows {
        for (col, cell) in people.columns.iter().zip(row.iter_mut()) {
            match cell {
                Cell::Text(v) => *v = super::value_label(col, v, lang),
                // A yes/no field (an area `excluded`, a customer's `tier_locked`).
                Cell::Bool(b) => *cell = Cell::Text(super::value_label(col, &b.to_string(), lang)),
                _ => {}
            }
        }
    }
    std::borrow::Cow::Owned(people)
}

fn is_numeric_column(records: &Records, idx: usize) -> bool {
    let mut seen = false;
    for row in &records.rows {
        let cell = &row[idx];
        match cell {
            Cell::Null => {}
            c if c.is_number() => seen = true,
            Cell::Text(_) | Cell::Money(_) | Cell::Amount(_) if looks_numeric(&cell.text("")) => {
                seen = true
            }
            _ => return false,
        }
    }
    seen
}

fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '%')
}

/// A text bar for an achievement percentage: one block per 10%, capped at 15 blocks.
fn bar(pct: &Cell) -> String {
    let Some(p) = pct.as_pct() else {
        return String::new();
    };
    let blocks = ((p / 10.0).round().clamp(0.0, 15.0)) as usize;
    format!("{} {:.1}%", "#".repeat(blocks), p)
}

pub(super) fn table(records: &Records, lang: Lang, bar_column: Option<&str>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    t.set_header(
        records
            .columns
            .iter()
            .map(|c| label(c, lang))
            .collect::<Vec<_>>(),
    );
    for row in &records.rows {
        let cells: Vec<String> = records
            .columns
            .iter()
            .zip(row)
            .map(|(col, v)| {
                if Some(col.as_str()) == bar_column {
                    bar(v)
                } else {
                    visible(&v.shown(", ")).into_owned()
                }
            })
            .collect();
        t.add_row(cells);
    }
    for idx in 0..records.columns.len() {
        if Some(records.columns[idx].as_str()) != bar_column && is_numeric_column(records, idx) {
            if let Some(col) = t.column_mut(idx) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    t.to_string()
}

/// CSV, and with `bom` (the Excel flag) a text cell that Excel would run as a formula written with a
/// leading `'`, which Excel shows and never runs (and which import takes off again).
fn write_csv(out: &mut dyn Write, records: &Records, bom: bool) -> Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&records.columns)?;
    for row in &records.rows {
        w.write_record(row.iter().map(|v| {
            let text = v.text(";");
            if bom && excel_would_run(&text) {
                format!("'{text}")
            } else {
                text
            }
        }))?;
    }
    w.flush()?;
    Ok(())
}

/// Whether Excel would take a cell as a formula: it starts with `=`, `+`, `-` or `@` and is not a
/// number (`-5`, `+1.5e3` are numbers and stay as they are).
fn excel_would_run(text: &str) -> bool {
    let number = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && text.parse::<f64>().is_ok_and(f64::is_finite);
    text.starts_with(['=', '+', '-', '@']) && !number
}

/// A cell as import reads it: the `'` that `--bom` CSV put before a would-be formula taken off; any
/// other text as it is.
pub fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if excel_would_run(rest) => rest,
        _ => text,
    }
}

/// Text a terminal shows as it is: a control character (an ESC that would start a sequence, a NUL, a
/// bell) or a bidirectional override is written as its escape, `\u{1b}`, never sent raw.
pub(super) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let raw =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(raw) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if raw(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A Markdown cell: `|` would end it, `<` and `>` open HTML in most renderers; line breaks become
/// spaces and other control characters escapes.
fn md_escape(s: &str) -> String {
    visible(&s.replace('\n', " "))
        .replace('|', "\\|")
        .replace('<', "\\<")
        .replace('>', "\\>")
}

fn write_markdown(out: &mut dyn Write, records: &Records, lang: Lang) -> Result<()> {
    let headers: Vec<String> = records
        .columns
        .iter()
        .map(|c| md_escape(&label(c, lang)))
        .collect();
    writeln!(out, "| {} |", headers.join(" | "))?;
    let aligns: Vec<&str> = (0..records.columns.len())
        .map(|i| {
            if is_numeric_column(records, i) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    writeln!(out, "|{}|", aligns.join("|"))?;
    for row in &records.rows {
        let cells: Vec<String> = row.iter().map(|v| md_escape(&v.shown(", "))).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}
