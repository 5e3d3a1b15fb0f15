//! The one renderer: every command returns an `Outcome`, and this module turns it into a table, CSV,
//! JSON, Markdown or HTML, on standard output or atomically into `--output FILE`.

mod atomic;
mod cell;
pub mod html;
mod labels;
mod render;
pub mod scorecard;
pub mod trade;

pub use atomic::{check_replaceable, persist_over, same_file, temp_path_beside, OutputFile};
pub use cell::{amount, grouped, int, money, names, opt, pct, s, wan, Cell};
pub use labels::{label, value_label, word_zh};
pub use render::{render, unguard_formula};

use serde_json::Value;

/// How an outcome is rendered (`--format`).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    Html,
}

/// The language of headings, labels and messages for people (`--lang`); CSV and JSON never change.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

/// A listing: named columns and rows of typed cells.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Records {
    pub fn new<S: AsRef<str>>(columns: &[S]) -> Records {
        Records {
            columns: columns.iter().map(|c| c.as_ref().to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// These records with only the given columns, in the given order (a column not there is left out).
    pub fn project<S: AsRef<str>>(&self, columns: &[S]) -> Records {
        let picks: Vec<usize> = columns
            .iter()
            .filter_map(|c| self.columns.iter().position(|x| x == c.as_ref()))
            .collect();
        Records {
            columns: picks.iter().map(|&i| self.columns[i].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| picks.iter().map(|&i| row[i].clone()).collect())
                .collect(),
        }
    }

    /// The rows as JSON objects keyed by column.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    let mut obj = serde_json::Map::new();
                    for (col, v) in self.columns.iter().zip(row) {
                        obj.insert(col.clone(), v.to_json());
                    }
                    Value::Object(obj)
                })
                .collect(),
        )
    }
}

/// One headed part of a multi-part document such as a report.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub title: String,
    pub records: Records,
    /// Columns whose numbers are percentages to draw as a bar in tables (achievement).
    pub bar_column: Option<String>,
    /// A one-row section that people read as field/value pairs (CSV keeps the row).
    pub transposed: bool,
    /// The columns people see in tables and Markdown, when they are fewer than the records' (CSV and
    /// JSON keep every column).
    pub shown: Option<Vec<String>>,
    /// A total row people see under the records; CSV leaves it out (a spreadsheet sum would count it
    /// twice).
    pub totals: Option<Vec<Cell>>,
}

impl Section {
    pub fn new(name: &str, title: impl Into<String>, records: Records) -> Section {
        Section {
            name: name.to_string(),
            title: title.into(),
            records,
            bar_column: None,
            transposed: false,
            shown: None,
            totals: None,
        }
    }

    /// The records as people read them: the shown columns, the total row, one-row sections transposed.
    pub fn for_people(&self, lang: Lang) -> Records {
        if !self.transposed {
            let mut people = match &self.shown {
                None => self.records.clone(),
                Some(shown) => self.records.project(shown),
            };
            if let Some(totals) = &self.totals {
                people.push(totals.clone());
            }
            for row in &mut people.rows {
                for (col, cell) in people.columns.iter().zip(row.iter_mut()) {
                    match cell {
                        Cell::Text(v) => *v = labels::value_label(col, v, lang),
                        Cell::Bool(b) if lang == Lang::Zh => {
                            *cell = Cell::Text(labels::value_label(col, &b.to_string(), lang))
                        }
                        Cell::List(items) => {
                            for item in items {
                                if let Cell::Text(v) = item {
                                    *v = labels::value_label(col, v, lang);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            return people;
        }
        let mut out = Records::new(&["field", "value"]);
        if let Some(row) = self.records.rows.first() {
            for (c, v) in self.records.columns.iter().zip(row) {
                // The value as a listing shows it (a stored word in Chinese, yes/no).
                let v = match v {
                    Cell::Text(t) => Cell::Text(labels::value_label(c, t, lang)),
                    Cell::Bool(b) => Cell::Text(labels::value_label(c, &b.to_string(), lang)),
                    other => other.clone(),
                };
                out.push(vec![Cell::Text(label(c, lang)), v]);
            }
        }
        out
    }
}

/// A multi-section document: a report. `json` is its exact JSON shape; `sections` are its tables.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub json: Value,
    pub sections: Vec<Section>,
    /// The HTML page the document offers (a report), drawn only when `--format html` asks for it.
    pub html: Option<Html>,
}

/// What a document's HTML page shows besides its sections: its charts.
#[derive(Debug, Clone)]
pub struct Html {
    /// The headline figures above the charts.
    pub headline: Vec<html::Kpi>,
    pub charts: Vec<html::Chart>,
}

#[derive(Debug, Clone)]
pub enum Body {
    /// Nothing on standard output (messages went to standard error).
    Nothing,
    /// A line or more of text for people (`created K1`); JSON gets it as {"message": …}.
    Text(String),
    Records(Records),
    /// Records in every format but Markdown, which gets the letter: the same facts written for people to
    /// send (the price adjustment notice).
    RecordsWithLetter(Records, Box<Document>),
    /// One record shown as field/value pairs in tables; a JSON object; one CSV row.
    Record(Records),
    Document(Box<Document>),
    /// Bytes printed as they are, whatever the format (completion scripts).
    Raw(String),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub body: Body,
    pub exit: u8,
}

impl Outcome {
    pub fn nothing() -> Outcome {
        Outcome {
            body: Body::Nothing,
            exit: 0,
        }
    }
    pub fn text(s: impl Into<String>) -> Outcome {
        Outcome {
            body: Body::Text(s.into()),
            exit: 0,
        }
    }
    pub fn records(r: Records) -> Outcome {
        Outcome {
            body: Body::Records(r),
            exit: 0,
        }
    }
    /// The findings of a check: exit 4 when there is any.
    pub fn findings(r: Records) -> Outcome {
        let exit = if r.is_empty() { 0 } else { 4 };
        Outcome {
            body: Body::Records(r),
            exit,
        }
    }
    pub fn record(r: Records) -> Outcome {
        Outcome {
            body: Body::Record(r),
            exit: 0,
        }
    }
    pub fn document(d: Document) -> Outcome {
        Outcome {
            body: Body::Document(Box::new(d)),
            exit: 0,
        }
    }
}
