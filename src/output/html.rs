//! Self-contained HTML for reports: inline CSS, charts drawn as inline SVG, no script and no network,
//! so the file reads the same opened from disk or attached to a mail.

use std::fmt::Write as _;

use super::{label, Cell, Section};
use crate::output::Lang;

/// One headline figure: what it is, its value (and the exact figure when the value is rounded, as
/// in 万元), and how it moved.
#[derive(Debug, Clone)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    pub exact: Option<String>,
    pub deltas: Vec<Delta>,
}

/// A movement shown by an arrow and a sign as well as colour: `value` in `unit` (`%` or `pts`)
/// against `against`; `up_is_good` chooses green or red.
#[derive(Debug, Clone)]
pub struct Delta {
    pub value: f64,
    pub unit: String,
    pub against: String,
    pub up_is_good: bool,
}

/// One bar: a category's actual against its target, with the figures people read.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub target: Option<f64>,
    /// The achievement as people read it (`103.1%`), empty without a target.
    pub note: String,
}

/// A chart's data. Values are for drawing only; the numbers shown are the formatted labels.
#[derive(Debug, Clone)]
pub enum Chart {
    /// Bars of actual against a target marker, in the order given (best achievement first).
    Bars { title: String, items: Vec<Bar> },
    /// Months of net revenue, the same months a year earlier and the target; `None` is not drawn.
    Trend {
        title: String,
        months: Vec<String>,
        actual: Vec<Option<f64>>,
        last_year: Vec<Option<f64>>,
        target: Vec<Option<f64>>,
        /// The last month's figure as people read it.
        latest: String,
    },
    /// The scorecard: a bar per region or rep, its grade and what pulled it down.
    Scores {
        title: String,
        items: Vec<super::scorecard::ScoreBar>,
    },
    /// Shares of a whole: (label, value, shown value).
    Pie {
        title: String,
        slices: Vec<(String, f64, String)>,
    },
}

pub struct HtmlPage<'a> {
    pub title: &'a str,
    pub headline: &'a [Kpi],
    pub charts: &'a [Chart],
    pub sections: &'a [Section],
    pub lang: Lang,
}

const PALETTE: [&str; 8] = [
    "#2f6fb3", "#e08a2c", "#3a9b5c", "#c2413b", "#7b5ea7", "#8c6d4f", "#d46aa8", "#6b7b8c",
];
/// Gridlines, axes and the last year's line: quiet greys so the figures stand out.
const GRID: &str = "#e4e7eb";
const AXIS: &str = "#8a939c";
const LAST_YEAR: &str = "#9aa4ae";
const TARGET: &str = "#222";

/// Text for HTML: markup characters as entities, control characters as escapes (`render::visible`).
pub fn escape(s: &str) -> String {
    super::render::visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "\
body{font-family:-apple-system,\"Segoe UI\",\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin-bottom:12px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;margin:8px 0} th,td{border:1px solid #ddd;padding:4px 8px}
th{background:#f3f5f8;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px;margin:0 0 18px}
.kpi{border:1px solid #e3e3e3;border-radius:4px;padding:10px 12px}
.kpi .k{font-size:12px;color:#555} .kpi .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums;margin-top:2px}
.kpi .x{font-size:11px;color:#666;font-variant-numeric:tabular-nums} .kpi .d{font-size:12px;margin-top:4px;font-variant-numeric:tabular-nums}
.good{color:#1e7b3c} .bad{color:#b3261e} .flat{color:#555}
.charts{display:flex;flex-wrap:wrap;gap:16px} .chart{border:1px solid #e3e3e3;padding:8px}
svg text{font-size:11px;fill:#333}
@page{size:A4 portrait;margin:14mm 12mm 16mm;@bottom-center{content:counter(page) \" / \" counter(pages);font-size:9pt;color:#666}}
@media print{body{margin:0;max-width:none;font-size:11pt} .kpis{grid-template-columns:repeat(3,1fr)}
.kpi,.chart,section,tr{break-inside:avoid} h1,h2{break-after:avoid} .chart svg{max-width:100%;height:auto}
th{background:#f3f5f8 !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

pub fn page(p: &HtmlPage) -> String {
    let mut out = String::new();
    let lang = if p.lang == Lang::Zh { "zh" } else { "en" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(p.title),
        escape(p.title)
    );
    if !p.headline.is_empty() {
        out.push_str("<div class=\"kpis\">\n");
        for k in p.headline {
            out.push_str(&kpi(k));
        }
        out.push_str("</div>\n");
    }
    out.push_str("<div class=\"charts\">\n");
    for chart in p.charts {
        out.push_str("<div class=\"chart\">\n");
        out.push_str(&match chart {
            Chart::Bars { title, items } => bars(title, items, p.lang),
            Chart::Trend {
                title,
                months,
                actual,
                last_year,
                target,
                latest,
            } => trend(title, months, [actual, last_year, target], latest, p.lang),
            Chart::Pie { title, slices } => pie(title, slices),
            Chart::Scores { title, items } => super::scorecard::svg(title, items, p.lang),
        });
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
    for section in p.sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&section.title));
        let records = section.for_people(p.lang);
        if records.is_empty() {
            let _ = writeln!(
                out,
                "<p>{}</p>\n</section>",
                if p.lang == Lang::Zh {
                    "（无）"
                } else {
                    "(none)"
                }
            );
            continue;
        }
        out.push_str("<table>\n<tr>");
        for c in &records.columns {
            let _ = write!(out, "<th>{}</th>", escape(&label(c, p.lang)));
        }
        out.push_str("</tr>\n");
        for row in &records.rows {
            out.push_str("<tr>");
            for v in row {
                let text = v.shown(", ");
                let numeric = v.is_number()
                    || matches!(v, Cell::Money(_) | Cell::Amount(_))
                    || (!text.is_empty()
                        && text
                            .trim_start_matches('-')
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == '.'));
                let _ = write!(
                    out,
                    "<td{}>{}</td>",
                    if numeric { " class=\"n\"" } else { "" },
                    escape(&text)
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// An arrow and a signed number, so a movement reads without colour: `▲ +3.2%`, `▼ −50.1%`, `▶ 0.0%`.
pub fn arrow(value: f64, unit: &str) -> String {
    let sign = if value > 0.0 { "+" } else { "" };
    let head = if value > 0.0 {
        "▲"
    } else if value < 0.0 {
        "▼"
    } else {
        "▶"
    };
    if unit.is_empty() && value.fract() == 0.0 {
        // A count moves by whole numbers.
        return format!("{head} {sign}{value:.0}");
    }
    format!("{head} {sign}{value:.1}{unit}")
}

fn kpi(k: &Kpi) -> String {
    let mut s = format!(
        "<div class=\"kpi\"><div class=\"k\">{}</div><div class=\"v\">{}</div>",
        escape(&k.label),
        escape(&k.value)
    );
    if let Some(x) = &k.exact {
        let _ = write!(s, "<div class=\"x\">{}</div>", escape(x));
    }
    for d in &k.deltas {
        let class = if d.value == 0.0 {
            "flat"
        } else if (d.value > 0.0) == d.up_is_good {
            "good"
        } else {
            "bad"
        };
        let _ = write!(
            s,
            "<div class=\"d {class}\">{} <span class=\"flat\">{}</span></div>",
            escape(&arrow(d.value, &d.unit)),
            escape(&d.against)
        );
    }
    s.push_str("</div>\n");
    s
}

/// Gridline values from zero: a step of 1, 2, 2.5 or 5 times a power of ten, about `n` steps to
/// cover `max`.
pub fn ticks(max: f64, n: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| step * i as f64).collect()
}

/// A tick label on a readable scale: `2.5M`, `500K` in English; `250万`, `1.2亿` in Chinese.
pub fn tick_label(v: f64, lang: Lang) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let a = v.abs();
    match lang {
        Lang::Zh if a >= 1e8 => format!("{}亿", trim(v / 1e8)),
        Lang::Zh if a >= 1e4 => format!("{}万", trim(v / 1e4)),
        Lang::En if a >= 1e9 => format!("{}B", trim(v / 1e9)),
        Lang::En if a >= 1e6 => format!("{}M", trim(v / 1e6)),
        Lang::En if a >= 1e3 => format!("{}K", trim(v / 1e3)),
        _ => trim(v),
    }
}

fn svg_open(w: u32, h: u32, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\">\n<text x=\"8\" y=\"16\" style=\"font-size:13px;font-weight:bold\">{t}</text>\n",
        t = escape(title)
    )
}

fn bars(title: &str, items: &[Bar], lang: Lang) -> String {
    // Names on the left, the plot in the middle, the figures in their own columns on the right: a
    // label never sits on a bar's end, so it never covers a target marker.
    let row_h = 24.0;
    let (w, left, plot_w) = (560.0, 96.0, 290.0);
    let (value_x, note_x) = (left + plot_w + 104.0, w - 6.0);
    let top = 30.0;
    let h = top + row_h * items.len().max(1) as f64 + 44.0;
    let max = items
        .iter()
        .map(|b| b.value.max(b.target.unwrap_or(0.0)))
        .fold(0.0_f64, f64::max);
    let grid = ticks(max, 4);
    let top_value = grid.last().copied().unwrap_or(1.0).max(1.0);
    let scale = plot_w / top_value;
    let bottom = top + row_h * items.len().max(1) as f64;
    let mut s = svg_open(w as u32, h as u32, title);
    for v in &grid {
        let x = left + v * scale;
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"{GRID}\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            bottom + 13.0,
            escape(&tick_label(*v, lang))
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left:.1}\" y1=\"{top:.1}\" x2=\"{left:.1}\" y2=\"{bottom:.1}\" stroke=\"{AXIS}\"/>"
    );
    for (i, b) in items.iter().enumerate() {
        let y = top + row_h * i as f64;
        let bw = b.value.max(0.0) * scale;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 15.0,
            escape(&b.label)
        );
        let _ = writeln!(
            s,
            "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            y + 5.0,
            row_h - 10.0,
            PALETTE[0]
        );
        if let Some(t) = b.target {
            let tx = left + t * scale;
            let _ = writeln!(
                s,
                "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"{TARGET}\" stroke-width=\"2.5\"/>",
                y + 1.0,
                y + row_h - 1.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{value_x:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            y + 15.0,
            escape(&b.shown)
        );
        if !b.note.is_empty() {
            let _ = writeln!(
                s,
                "<text x=\"{note_x:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
                y + 15.0,
                escape(&b.note)
            );
        }
    }
    let ly = h - 8.0;
    let _ = writeln!(
        s,
        "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"12\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>\n<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{TARGET}\" stroke-width=\"2.5\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>\n<text x=\"{note_x:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
        ly - 9.0,
        PALETTE[0],
        left + 16.0,
        label("actual", lang),
        left + 96.0,
        ly - 11.0,
        left + 96.0,
        left + 102.0,
        label("target", lang),
        label("achievement_pct", lang)
    );
    s.push_str("</svg>\n");
    s
}

/// Polylines through the months that have a value; a month without one breaks the line.
fn segments(
    values: &[Option<f64>],
    x: impl Fn(usize) -> f64,
    y: impl Fn(f64) -> f64,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => cur.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur).join(" ")),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

fn trend(
    title: &str,
    months: &[String],
    [actual, last_year, target]: [&Vec<Option<f64>>; 3],
    latest: &str,
    lang: Lang,
) -> String {
    let (w, h, left, right, top, bottom) = (1080.0, 280.0, 56.0, 16.0, 30.0, 64.0);
    let max = actual
        .iter()
        .chain(last_year.iter())
        .chain(target.iter())
        .flatten()
        .fold(0.0_f64, |a, b| a.max(*b));
    let grid = ticks(max, 5);
    let top_value = grid.last().copied().unwrap_or(1.0).max(1.0);
    let n = months.len().max(2) as f64;
    let plot_w = w - left - right;
    let x = |i: usize| left + plot_w * (i as f64 + 0.5) / n;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / top_value);
    let mut s = svg_open(w as u32, h as u32, title);
    for v in &grid {
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"{}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
            w - right,
            if *v == 0.0 { AXIS } else { GRID },
            left - 6.0,
            y(*v) + 4.0,
            escape(&tick_label(*v, lang)),
            yy = y(*v)
        );
    }
    for (i, m) in months.iter().enumerate() {
        let (year, month) = m.split_once('-').unwrap_or((m.as_str(), ""));
        let month_no: u32 = month.parse().unwrap_or(0);
        let text = match lang {
            Lang::Zh => format!("{month_no}月"),
            Lang::En => [
                "", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec",
            ]
            .get(month_no as usize)
            .copied()
            .unwrap_or(month)
            .to_string(),
        };
        let base = h - bottom + 14.0;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{base:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            x(i),
            escape(&text)
        );
        if i == 0 || month_no == 1 {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                x(i),
                base + 13.0,
                escape(year)
            );
        }
    }
    for pts in segments(target, x, y) {
        let _ = writeln!(s, "<polyline fill=\"none\" stroke=\"{TARGET}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\" points=\"{pts}\"/>");
    }
    for pts in segments(last_year, x, y) {
        let _ = writeln!(s, "<polyline fill=\"none\" stroke=\"{LAST_YEAR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"{pts}\"/>");
    }
    for pts in segments(actual, x, y) {
        let _ = writeln!(
            s,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" points=\"{pts}\"/>",
            PALETTE[0]
        );
    }
    for (i, v) in actual.iter().enumerate() {
        if let Some(v) = v {
            let _ = writeln!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{}\"/>",
                x(i),
                y(*v),
                PALETTE[0]
            );
        }
    }
    if let Some((i, Some(v))) = actual.iter().enumerate().next_back() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" style=\"font-weight:600\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">{}</text>",
            x(i) - 6.0,
            (y(*v) - 10.0).max(top + 10.0),
            escape(latest)
        );
    }
    let ly = h - 8.0;
    let (l1, l2, l3) = match lang {
        Lang::Zh => ("本期", "去年同期", "目标"),
        Lang::En => ("net revenue", "a year earlier", "target"),
    };
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2.5\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{l1}</text>\n<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{LAST_YEAR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{l2}</text>",
        ly - 4.0,
        left + 20.0,
        ly - 4.0,
        PALETTE[0],
        left + 24.0,
        left + 120.0,
        ly - 4.0,
        left + 140.0,
        ly - 4.0,
        left + 144.0,
    );
    if target.iter().any(Option::is_some) {
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TARGET}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{l3}</text>",
            left + 250.0,
            ly - 4.0,
            left + 270.0,
            ly - 4.0,
            left + 274.0,
        );
    }
    s.push_str("</svg>\n");
    s
}

fn pie(title: &str, slices: &[(String, f64, String)]) -> String {
    let (w, h, cx, cy, r) = (440.0, 220.0, 100.0, 120.0, 80.0);
    let total: f64 = slices.iter().map(|s| s.1.max(0.0)).sum();
    let mut s = svg_open(w as u32, h as u32, title);
    if total <= 0.0 {
        let _ = writeln!(
            s,
            "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"#eee\"/>"
        );
    }
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (i, (name, v, shown)) in slices.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        if total > 0.0 && *v > 0.0 {
            let frac = v / total;
            if frac >= 0.9999 {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{color}\"/>"
                );
            } else {
                let end = angle + frac * std::f64::consts::TAU;
                let (x1, y1, x2, y2) = (
                    cx + r * angle.cos(),
                    cy + r * angle.sin(),
                    cx + r * end.cos(),
                    cy + r * end.sin(),
                );
                let large = if frac > 0.5 { 1 } else { 0 };
                let _ = writeln!(s, "<path d=\"M{cx},{cy} L{x1:.2},{y1:.2} A{r},{r} 0 {large} 1 {x2:.2},{y2:.2} Z\" fill=\"{color}\"/>");
                angle = end;
            }
        }
        let ly = 50.0 + 22.0 * i as f64;
        let _ = writeln!(
            s,
            "<rect x=\"200\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{color}\"/>",
            ly - 10.0
        );
        let _ = writeln!(
            s,
            "<text x=\"218\" y=\"{ly:.1}\">{} {}</text>",
            escape(name),
            escape(shown)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ticks_step_by_one_two_two_and_a_half_or_five() {
        assert_eq!(ticks(5_153_344.0, 5), vec![0.0, 2e6, 4e6, 6e6]);
        assert_eq!(ticks(0.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(900.0, 4), vec![0.0, 250.0, 500.0, 750.0, 1000.0]);
    }

    #[test]
    fn tick_labels_read_on_the_languages_scale() {
        assert_eq!(tick_label(2_500_000.0, Lang::En), "2.5M");
        assert_eq!(tick_label(500_000.0, Lang::En), "500K");
        assert_eq!(tick_label(2_500_000.0, Lang::Zh), "250万");
        assert_eq!(tick_label(120_000_000.0, Lang::Zh), "1.2亿");
        assert_eq!(tick_label(0.0, Lang::Zh), "0");
    }

    #[test]
    fn movements_show_an_arrow_and_a_sign() {
        assert_eq!(arrow(-50.1, "%"), "▼ -50.1%");
        assert_eq!(arrow(3.0, ""), "▲ +3");
        assert_eq!(arrow(0.0, " pts"), "▶ 0.0 pts");
    }
}
