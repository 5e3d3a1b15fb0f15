//! A built report in every format: its exact JSON shape, its headed tables (table, Markdown, one CSV
//! section) and its HTML page with charts.

use serde_json::{json, Map, Value};

use super::build::{Report, Scored};
use crate::domain::aging::BUCKETS;
use crate::domain::money::Money;
use crate::output::html::Chart;
use crate::output::Lang;
use crate::output::{int, money, opt, pct, s, Cell, Document, Records, Section};

pub fn title(kind: &str, r: &Report, lang: Lang) -> String {
    let p = &r.period;
    match lang {
        Lang::Zh => {
            let k = match kind {
                "Monthly" => "月度",
                "Quarterly" => "季度",
                "Annual" => "年度",
                _ => "期间",
            };
            format!("{k}销售报告 {}（{} 至 {}）", p.label(), p.start, p.end)
        }
        Lang::En => format!(
            "{kind} sales report {} ({} to {})",
            p.label(),
            p.start,
            p.end
        ),
    }
}

fn opt_money(m: Option<Money>) -> Cell {
    m.map(money).into()
}

fn change(now: Money, base: Option<Money>) -> Cell {
    pct(base.and_then(|b| (now - b).pct_of(b)))
}

fn achievement(r: &Scored) -> Cell {
    pct(r.target.and_then(|t| r.figures.net().pct_of(t)))
}

fn summary_records(r: &Report) -> Records {
    let f = &r.summary.figures;
    let net = f.net();
    let mut out = Records::new(&[
        "revenue",
        "returns",
        "net_revenue",
        "quantity",
        "cost",
        "profit",
        "margin_pct",
        "orders",
        "customers",
        "new_customers",
        "prev_net_revenue",
        "change_pct",
        "last_year_net_revenue",
        "yoy_pct",
    ]);
    out.push(vec![
        money(Money::from_units(f.revenue)),
        money(Money::from_units(f.returns)),
        money(net),
        int(f.quantity),
        money(Money::from_units(f.cost)),
        money(f.profit()),
        pct(f.profit().pct_of(net)),
        int(f.orders),
        int(r.summary.customers),
        int(r.summary.new_customers),
        opt_money(r.summary.prev_net),
        change(net, r.summary.prev_net),
        opt_money(r.summary.last_year_net),
        change(net, r.summary.last_year_net),
    ]);
    out
}

fn regions_records(r: &Report) -> Records {
    let mut out = Records::new(&[
        "region",
        "name",
        "net_revenue",
        "quantity",
        "profit",
        "orders",
        "target_revenue",
        "achievement_pct",
        "band",
        "rank",
    ]);
    for x in &r.regions {
        out.push(vec![
            opt(x.code.clone()),
            s(&x.name),
            money(x.figures.net()),
            int(x.figures.quantity),
            money(x.figures.profit()),
            int(x.figures.orders),
            opt_money(x.target),
            achievement(x),
            opt(x.band),
            x.rank.map(|n| int(n as i64)).into(),
        ]);
    }
    out
}

fn reps_records(r: &Report) -> Records {
    let mut out = Records::new(&[
        "rep",
        "name",
        "region",
        "net_revenue",
        "quantity",
        "profit",
        "orders",
        "new_customers",
        "target_revenue",
        "achievement_pct",
        "band",
        "rank",
    ]);
    for x in &r.reps {
        out.push(vec![
            opt(x.code.clone()),
            s(&x.name),
            opt(x.region.clone()),
            money(x.figures.net()),
            int(x.figures.quantity),
            money(x.figures.profit()),
            int(x.figures.orders),
            int(x.new_customers),
            opt_money(x.target),
            achievement(x),
            opt(x.band),
            x.rank.map(|n| int(n as i64)).into(),
        ]);
    }
    out
}

fn products_records(r: &Report) -> Records {
    let mut out = Records::new(&["sku", "name", "net_revenue", "quantity", "profit"]);
    for (sku, name, f) in &r.products {
        out.push(vec![
            s(sku),
            s(name),
            money(f.net()),
            int(f.quantity),
            money(f.profit()),
        ]);
    }
    out
}

fn channels_records(r: &Report) -> Records {
    let mut out = Records::new(&["channel", "net_revenue", "orders"]);
    for (c, f) in &r.channels {
        out.push(vec![s(c.as_str()), money(f.net()), int(f.orders)]);
    }
    out
}

fn tiers_records(r: &Report) -> Records {
    let mut out = Records::new(&["tier", "customers", "net_revenue"]);
    for (t, c, net) in &r.tiers {
        out.push(vec![s(t.as_str()), int(*c), money(*net)]);
    }
    out
}

fn receivables_records(r: &Report) -> Records {
    let mut cols = vec!["as_of", "outstanding", "overdue"];
    cols.extend(BUCKETS);
    let mut out = Records::new(&cols);
    let a = &r.receivables.total;
    let mut row = vec![
        s(r.receivables.as_of.to_string()),
        money(a.outstanding()),
        money(a.overdue()),
    ];
    row.extend(a.buckets.iter().map(|m| money(*m)));
    out.push(row);
    out
}

fn violations_records(r: &Report) -> Records {
    let mut out = Records::new(&["kind", "count"]);
    for (k, n) in &r.violations {
        out.push(vec![s(k), int(*n)]);
    }
    out
}

fn first_object(records: &Records) -> Value {
    records
        .to_json()
        .as_array()
        .and_then(|a| a.first().cloned())
        .unwrap_or(Value::Null)
}

pub fn json(r: &Report) -> Value {
    let receivables = {
        let a = &r.receivables.total;
        let mut buckets = Map::new();
        for (name, m) in BUCKETS.iter().zip(a.buckets.iter()) {
            buckets.insert((*name).to_string(), Value::String(m.to_report()));
        }
        json!({"as_of": r.receivables.as_of.to_string(), "outstanding": a.outstanding().to_report(), "overdue": a.overdue().to_report(), "buckets": buckets})
    };
    json!({
        "period": {"label": r.period.label(), "start": r.period.start.to_string(), "end": r.period.end.to_string()},
        "summary": first_object(&summary_records(r)),
        "regions": regions_records(r).to_json(),
        "reps": reps_records(r).to_json(),
        "products": products_records(r).to_json(),
        "channels": channels_records(r).to_json(),
        "tiers": tiers_records(r).to_json(),
        "receivables": receivables,
        "violations": violations_records(r).to_json(),
    })
}

pub fn sections(r: &Report, lang: Lang) -> Vec<Section> {
    let zh = lang == Lang::Zh;
    let t = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    let sec = |name: &str, title: String, records: Records, bar: Option<&str>| Section {
        bar_column: bar.map(str::to_string),
        ..Section::new(name, title, records)
    };
    vec![
        Section {
            transposed: true,
            ..sec("summary", t("Summary", "概况"), summary_records(r), None)
        },
        sec(
            "regions",
            t("Regions against target", "大区目标达成"),
            regions_records(r),
            Some("achievement_pct"),
        ),
        sec(
            "reps",
            t("Reps", "销售人员"),
            reps_records(r),
            Some("achievement_pct"),
        ),
        sec(
            "products",
            t("Top 10 products", "前十产品"),
            products_records(r),
            None,
        ),
        sec("channels", t("Channels", "渠道"), channels_records(r), None),
        sec(
            "tiers",
            t("Customer tiers", "客户等级"),
            tiers_records(r),
            None,
        ),
        sec(
            "receivables",
            t("Receivables", "应收账款"),
            receivables_records(r),
            None,
        ),
        sec(
            "violations",
            t("Price findings", "价格违规"),
            violations_records(r),
            None,
        ),
    ]
}

pub fn document(r: &Report, title: &str, lang: Lang) -> Document {
    Document {
        title: title.to_string(),
        json: json(r),
        sections: sections(r, lang),
        html: Some(crate::output::Html {
            charts: charts(r, lang),
        }),
    }
}

fn to_f64(m: Money) -> f64 {
    // Drawing only: a bar's length, never a figure anyone reads.
    m.units() as f64 / 10_000.0
}

fn charts(r: &Report, lang: Lang) -> Vec<Chart> {
    let zh = lang == Lang::Zh;
    let items = r
        .regions
        .iter()
        .map(|x| {
            (
                x.name.clone(),
                to_f64(x.figures.net()),
                x.figures.net().to_report(),
                x.target.map(to_f64),
            )
        })
        .collect();
    let points = r
        .trend
        .iter()
        .map(|(m, net)| (m.clone(), to_f64(*net), net.to_report()))
        .collect();
    let slices = r
        .tiers
        .iter()
        .map(|(t, _, net)| (t.to_string(), to_f64(*net), net.to_report()))
        .collect();
    vec![
        Chart::Bars {
            title: if zh {
                "各大区收入与目标".into()
            } else {
                "Net revenue against target by region".into()
            },
            items,
        },
        Chart::Line {
            title: if zh {
                "近13个月净收入".into()
            } else {
                "Net revenue, 13 months".into()
            },
            points,
        },
        Chart::Pie {
            title: if zh {
                "客户等级收入构成".into()
            } else {
                "Net revenue by customer tier".into()
            },
            slices,
        },
    ]
}
