//! Self-contained HTML for reports: inline CSS, charts drawn as inline SVG, no script and no network,
//! so the file reads the same opened from disk or attached to a mail.

use std::fmt::Write as _;

use super::{label, Section};
use crate::output::Lang;

/// A chart's data. Values are for drawing only; the numbers shown are the formatted labels.
#[derive(Debug, Clone)]
pub enum Chart {
    /// Bars of actual against a target marker, one per category: (label, value, shown value, target).
    Bars {
        title: String,
        items: Vec<(String, f64, String, Option<f64>)>,
    },
    /// A line over time: (label, value, shown value).
    Line {
        title: String,
        points: Vec<(String, f64, String)>,
    },
    /// Shares of a whole: (label, value, shown value).
    Pie {
        title: String,
        slices: Vec<(String, f64, String)>,
    },
}

pub struct HtmlPage<'a> {
    pub title: &'a str,
    pub charts: &'a [Chart],
    pub sections: &'a [Section],
    pub lang: Lang,
}

const PALETTE: [&str; 8] = [
    "#2f6fb3", "#e08a2c", "#3a9b5c", "#c2413b", "#7b5ea7", "#8c6d4f", "#d46aa8", "#6b7b8c",
];

/// Text for HTML: markup characters as entities, control characters as escapes (`render::visible`).
pub fn escape(s: &str) -> String {
    super::render::visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn page(p: &HtmlPage) -> String {
    let mut out = String::new();
    let lang = if p.lang == Lang::Zh { "zh" } else { "en" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
body{{font-family:-apple-system,\"Segoe UI\",\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;margin:24px;color:#222;max-width:1100px}}\n\
h1{{font-size:22px}} h2{{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}}\n\
table{{border-collapse:collapse;font-size:13px;margin:8px 0}} th,td{{border:1px solid #ddd;padding:4px 8px}}\n\
th{{background:#f3f5f8;text-align:left}} td.n{{text-align:right;font-variant-numeric:tabular-nums}}\n\
.charts{{display:flex;flex-wrap:wrap;gap:16px}} .chart{{border:1px solid #e3e3e3;padding:8px}}\n\
svg text{{font-size:11px;fill:#333}}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<div class=\"charts\">\n",
        escape(p.title),
        escape(p.title)
    );
    for chart in p.charts {
        out.push_str("<div class=\"chart\">\n");
        out.push_str(&match chart {
            Chart::Bars { title, items } => bars(title, items, p.lang),
            Chart::Line { title, points } => line(title, points),
            Chart::Pie { title, slices } => pie(title, slices),
        });
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
    for section in p.sections {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&section.title));
        let records = section.for_people(p.lang);
        if records.is_empty() {
            out.push_str("<p>(none)</p>\n");
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
                let text = v.text(", ");
                let numeric = v.is_number()
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
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn svg_open(w: u32, h: u32, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\">\n<text x=\"8\" y=\"16\" style=\"font-size:13px;font-weight:bold\">{t}</text>\n",
        t = escape(title)
    )
}

fn bars(title: &str, items: &[(String, f64, String, Option<f64>)], lang: Lang) -> String {
    let row_h = 22.0;
    let (w, left, right) = (520.0, 110.0, 90.0);
    let h = 30.0 + row_h * items.len().max(1) as f64 + 20.0;
    let max = items
        .iter()
        .map(|(_, v, _, t)| v.max(t.unwrap_or(0.0)))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let scale = (w - left - right) / max;
    let mut s = svg_open(w as u32, h as u32, title);
    for (i, (name, value, shown, target)) in items.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let bw = (value.max(0.0) * scale).max(0.0);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 14.0,
            escape(name)
        );
        let _ = writeln!(
            s,
            "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            y + 3.0,
            row_h - 8.0,
            PALETTE[0]
        );
        if let Some(t) = target {
            let tx = left + t * scale;
            let _ = writeln!(s, "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"#c2413b\" stroke-width=\"2\"/>", y, y + row_h - 2.0);
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left + bw + 4.0,
            y + 14.0,
            escape(shown)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{left:.1}\" y=\"{:.1}\">▮ {}   <tspan fill=\"#c2413b\">| {}</tspan></text>",
        h - 6.0,
        label("actual", lang),
        label("target", lang)
    );
    s.push_str("</svg>\n");
    s
}

fn line(title: &str, points: &[(String, f64, String)]) -> String {
    let (w, h, left, bottom, top) = (560.0, 240.0, 70.0, 40.0, 30.0);
    let max = points.iter().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0);
    let min = points.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let span = (max - min).max(1.0);
    let n = points.len().max(2) as f64;
    let x = |i: usize| left + (w - left - 20.0) * i as f64 / (n - 1.0);
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - min) / span);
    let mut s = svg_open(w as u32, h as u32, title);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\"/>",
        y(min),
        w - 20.0,
        y(min)
    );
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.1)))
        .collect();
    let _ = writeln!(
        s,
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
        PALETTE[0],
        path.join(" ")
    );
    for (i, (name, v, shown)) in points.iter().enumerate() {
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{}\"><title>{}: {}</title></circle>",
            x(i),
            y(*v),
            PALETTE[0],
            escape(name),
            escape(shown)
        );
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-35 {:.1} {:.1})\">{}</text>", x(i), h - bottom + 18.0, x(i), h - bottom + 18.0, escape(name));
    }
    let _ = writeln!(
        s,
        "<text x=\"4\" y=\"{:.1}\">{}</text>",
        y(max) + 4.0,
        escape(
            &points
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|p| p.2.clone())
                .unwrap_or_default()
        )
    );
    s.push_str("</svg>\n");
    s
}

fn pie(title: &str, slices: &[(String, f64, String)]) -> String {
    let (w, h, cx, cy, r) = (360.0, 220.0, 100.0, 120.0, 80.0);
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
