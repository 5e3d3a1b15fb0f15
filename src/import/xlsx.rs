//! Excel workbooks as import files: the first sheet becomes CSV text in memory, so every import reads a
//! `.xlsx` exactly as it reads a CSV file, with errors numbered by the sheet's own rows.

use std::io::{Read, Seek};
use std::path::Path;

use anyhow::Result;
use calamine::{Data, Range, Reader, Xlsx};

/// Is this file a workbook (by its extension, as a spreadsheet program decides)?
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// The first sheet of the workbook at `path` as CSV text, and for each CSV record after the header the
/// sheet row it came from (1-based, as Excel numbers rows), so errors name the row a user sees.
pub fn first_sheet_as_csv(path: &Path, name: &str) -> Result<(Vec<u8>, Vec<u64>)> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    sheet_as_csv(std::io::BufReader::new(file), name)
}

fn sheet_as_csv<R: Read + Seek>(reader: R, name: &str) -> Result<(Vec<u8>, Vec<u64>)> {
    let mut book: Xlsx<R> = calamine::open_workbook_from_rs(reader).map_err(|e| {
        crate::error::input(format!(
            "{name}: not a readable .xlsx workbook ({e}): save it again from the spreadsheet, or as CSV"
        ))
    })?;
    let range: Range<Data> = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => crate::bail_input!("{name}: the first sheet cannot be read: {e}"),
        None => crate::bail_input!("{name}: the workbook has no sheet"),
    };
    let first_row = range.start().map(|(row, _)| u64::from(row)).unwrap_or(0);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        writer.write_record(&cells)?;
        if i > 0 {
            rows.push(first_row + i as u64 + 1);
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{name}: {}", e.error()))?;
    Ok((bytes, rows))
}

/// A cell as the text a CSV export of it would hold. A number too large for its digits to be exact
/// (an order number saved as a number) is written as Excel shows it, in scientific notation, so that
/// a key made of it is refused as digits lost rather than stored wrong.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                if (h, mi, s) == (0, 0, 0) {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }
            } else {
                number_text(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Integers below 2^53 are exact in a float; beyond that the last digits are gone.
fn number_text(f: f64) -> String {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if f.fract() == 0.0 && f.abs() < EXACT {
        format!("{}", f as i64)
    } else if f.abs() >= EXACT {
        // As Excel shows it, exponent signed (`2.6123456789012346E+17`), so a key made of it is
        // refused as digits lost.
        format!("{f:E}").replacen("E", "E+", 1).replace("E+-", "E-")
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_spreadsheet_shows_them() {
        assert_eq!(number_text(35.0), "35");
        assert_eq!(number_text(35.5), "35.5");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(-12.25), "-12.25");
        assert_eq!(number_text(123_456_789_012_345.0), "123456789012345");
        // An 18-digit order number stored as a number has lost its last digits.
        assert_eq!(
            number_text(261_234_567_890_123_456.0),
            "2.6123456789012346E+17"
        );
    }
}
