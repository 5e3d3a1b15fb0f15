//! The scorecard as people and machines read it: one value for `scorecard` and the `scorecard`
//! section of the quarterly, annual and period reports, so the two cannot drift. JSON is the spec's
//! shape; CSV and tables one row per region or rep, the indicators' scores side by side; HTML a bar
//! per scope with its grade and what pulled it down.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::html::{escape, Chart};
use super::{int, opt, s, value_label, Cell, Lang, Records, Section};
use crate::domain::decimal::format_decimal;
use crate::domain::scorecard::{lost, Card, Indicator, Scope, Scored, Unit};

/// A tenths count as the number it is: 725 → 72.5.
fn tenths(t: i64) -> Cell {
    Cell::Pct(t as f64 / 10.0)
}

/// An indicator's value in its own form: a percentage with one decimal, a count, a mean with two
/// decimals, a rating.
fn value_cell(i: &Scored) -> Cell {
    let Some(v) = i.value else {
        return Cell::Null;
    };
    match i.indicator.unit() {
        Unit::Pct => Cell::Pct(v.rounded(1) as f64 / 10.0),
        Unit::Mean => Cell::Pct(v.rounded(2) as f64 / 100.0),
        Unit::Count | Unit::Points => int(v.rounded(0) as i64),
    }
}

/// A weight as JSON: a whole number when it is one (40), else its decimals (7.5).
fn weight_json(hundredths: i64) -> Value {
    if hundredths % 100 == 0 {
        Value::from(hundredths / 100)
    } else {
        serde_json::Number::from_f64(hundredths as f64 / 100.0)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// The indicators of a scope, in the spec's order.
pub fn indicators(scope: Scope) -> Vec<Indicator> {
    Indicator::ALL
        .into_iter()
        .filter(|i| i.applies_to(scope))
        .collect()
}

/// `[{"scope", "code", "name", "period", "indicators": [{"name", "value", "score", "weight"}],
/// "total", "grade", "rank"}]`.
pub fn json(cards: &[Card], period: &str) -> Value {
    Value::Array(
        cards
            .iter()
            .map(|c| {
                json!({
                    "scope": c.scope.as_str(),
                    "code": c.code,
                    "name": c.name,
                    "period": period,
                    "indicators": c.indicators.iter().map(|i| json!({
                        "name": i.indicator.name(),
                        "value": value_cell(i).to_json(),
                        "score": i.score.map_or(Cell::Null, tenths).to_json(),
                        "weight": weight_json(i.weight),
                    })).collect::<Vec<_>>(),
                    "total": c.total.map_or(Cell::Null, tenths).to_json(),
                    "grade": c.grade.map(String::from),
                    "rank": c.rank,
                })
            })
            .collect(),
    )
}

/// What cost a scope most: the two indicators that lost it the most weighted points, as
/// `overdue −6.0` (points of the total, one decimal).
fn pulled_down(c: &Card) -> Cell {
    let items: Vec<Cell> = lost(c)
        .into_iter()
        .take(2)
        .map(|(ind, hundredths)| {
            // Hundredths to tenths, half away from zero, for the one decimal shown.
            let t = crate::domain::decimal::div_round_half_away(i128::from(hundredths), 10);
            s(format!("{} -{}", ind.name(), format_decimal(t, 1, 1)))
        })
        .collect();
    if items.is_empty() {
        Cell::Null
    } else {
        Cell::List(items)
    }
}

/// One row per scope: its key columns, the value and score of every indicator, the total, grade,
/// rank and what pulled it down (indicator names as keys: people read them in their language through
/// `value_label`).
pub fn records(cards: &[Card], scope: Scope, period: &str) -> Records {
    let inds = indicators(scope);
    let mut cols: Vec<String> = ["scope", "code", "name", "period"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    for i in &inds {
        cols.push(format!("{}_value", i.name()));
        cols.push(i.name().to_string());
    }
    cols.extend(["total", "grade", "rank", "pulled_down"].map(String::from));
    let mut out = Records::new(&cols);
    for c in cards {
        let mut row = vec![s(c.scope.as_str()), s(&c.code), s(&c.name), s(period)];
        for ind in &inds {
            match c.indicators.iter().find(|x| x.indicator == *ind) {
                Some(x) => {
                    row.push(value_cell(x));
                    row.push(x.score.map_or(Cell::Null, tenths));
                }
                None => row.extend([Cell::Null, Cell::Null]),
            }
        }
        row.push(c.total.map_or(Cell::Null, tenths));
        row.push(opt(c.grade.map(String::from)));
        row.push(c.rank.map_or(Cell::Null, |r| int(r as i64)));
        row.push(pulled_down(c));
        out.push(row);
    }
    out
}

/// The columns people see: rank, code, name, total, grade, each indicator's score, what pulled it
/// down (values and the scope and period stay in CSV and JSON).
fn shown(scope: Scope) -> Vec<String> {
    let mut cols: Vec<String> = ["rank", "code", "name", "total", "grade"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    cols.extend(indicators(scope).iter().map(|i| i.name().to_string()));
    cols.push("pulled_down".into());
    cols
}

pub fn title(scope: Scope, lang: Lang) -> &'static str {
    match (scope, lang) {
        (Scope::Region, Lang::Zh) => "大区考核评分",
        (Scope::Rep, Lang::Zh) => "销售人员考核评分",
        (Scope::Region, Lang::En) => "Scorecard by region",
        (Scope::Rep, Lang::En) => "Scorecard by rep",
    }
}

/// The section `scorecard` of a document: CSV keeps every column, people see the scores.
pub fn section(cards: &[Card], scope: Scope, period: &str, title: &str) -> Section {
    Section {
        shown: Some(shown(scope)),
        ..Section::new("scorecard", title, records(cards, scope, period))
    }
}

/// The chart: a bar per scope by rank, its total and grade, and what pulled it down.
pub fn chart(cards: &[Card], scope: Scope, lang: Lang) -> Chart {
    Chart::Scores {
        title: title(scope, lang).to_string(),
        items: cards
            .iter()
            .filter(|c| c.total.is_some())
            .map(|c| ScoreBar {
                label: c.name.clone(),
                total: c.total.unwrap_or(0),
                grade: c.grade.unwrap_or('D'),
                note: match pulled_down(c) {
                    Cell::List(items) => items
                        .iter()
                        .map(|i| value_label("pulled_down", &i.text(""), lang))
                        .collect::<Vec<_>>()
                        .join(if lang == Lang::Zh { "，" } else { ", " }),
                    _ => String::new(),
                },
            })
            .collect(),
    }
}

/// One scope's bar.
#[derive(Debug, Clone)]
pub struct ScoreBar {
    pub label: String,
    /// Tenths.
    pub total: i64,
    pub grade: char,
    pub note: String,
}

fn grade_colour(g: char) -> &'static str {
    match g {
        'A' => "#3a9b5c",
        'B' => "#2f6fb3",
        'C' => "#e08a2c",
        _ => "#c2413b",
    }
}

/// The SVG of a `Chart::Scores`: names left, bars on a 0–100 scale with the grade lines at 60, 75
/// and 90, the total and grade, and what pulled it down on the right.
pub fn svg(title: &str, items: &[ScoreBar], lang: Lang) -> String {
    let row_h = 24.0;
    let (w, left, plot_w) = (760.0, 96.0, 260.0);
    let value_x = left + plot_w + 70.0;
    let note_x = value_x + 12.0;
    let top = 30.0;
    let bottom = top + row_h * items.len().max(1) as f64;
    let h = bottom + 40.0;
    let scale = plot_w / 100.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\">\n<text x=\"8\" y=\"16\" style=\"font-size:13px;font-weight:bold\">{t}</text>\n",
        t = escape(title)
    );
    for (v, g) in [
        (0.0, ""),
        (60.0, "C"),
        (75.0, "B"),
        (90.0, "A"),
        (100.0, ""),
    ] {
        let x = left + v * scale;
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#e4e7eb\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{v:.0}{}</text>",
            bottom + 13.0,
            if g.is_empty() { String::new() } else { format!(" {g}") }
        );
    }
    for (i, b) in items.iter().enumerate() {
        let y = top + row_h * i as f64;
        let bw = b.total as f64 / 10.0 * scale;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"/>\n<text x=\"{value_x:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} {}</text>",
            left - 6.0,
            y + 15.0,
            escape(&b.label),
            y + 5.0,
            row_h - 10.0,
            grade_colour(b.grade),
            y + 15.0,
            format_decimal(i128::from(b.total), 1, 1),
            b.grade
        );
        if !b.note.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{note_x:.1}\" y=\"{:.1}\" fill=\"#555\">{}</text>",
                y + 15.0,
                escape(&b.note)
            );
        }
    }
    let _ = writeln!(
        out,
        "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"#555\">{}</text>",
        h - 8.0,
        escape(if lang == Lang::Zh {
            "总分与等级（A ≥ 90，B ≥ 75，C ≥ 60）；右侧：失分最多的指标及所失分数"
        } else {
            "total and grade (A ≥ 90, B ≥ 75, C ≥ 60); right: the indicators that lost the most points"
        })
    );
    out.push_str("</svg>\n");
    out
}
