//! A built report in every format: its exact JSON shape, its headed tables (table, Markdown, one CSV
//! section) and its HTML page with charts.

use serde_json::{json, Map, Value};

use super::build::{Report, Scored};
use crate::domain::aging::BUCKETS;
use crate::domain::money::Money;
use crate::output::html::{Bar, Chart, Delta, Kpi};
use crate::output::trade;
use crate::output::Lang;
use crate::output::{
    grouped, int, money, opt, pct, s, value_label, wan, Cell, Document, Records, Section,
};

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
        "parent",
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
            opt(x.parent.clone()),
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
    let mut v = base_json(r);
    if let (Some(cards), Value::Object(map)) = (&r.scorecard, &mut v) {
        map.insert(
            "scorecard".into(),
            crate::output::scorecard::json(cards, &r.period.label()),
        );
    }
    v
}

fn base_json(r: &Report) -> Value {
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
        "stock": super::stock::records(&r.stock).to_json(),
        "service": super::service::json(&r.service),
        "campaigns": trade::campaign_rows(r.campaigns.clone()).to_json(),
        "carriers": trade::carrier_rows(r.carriers.clone()).to_json(),
    })
}

pub fn sections(r: &Report, lang: Lang) -> Vec<Section> {
    let zh = lang == Lang::Zh;
    let t = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    let sec = |name: &str, title: String, records: Records, bar: Option<&str>| Section {
        bar_column: bar.map(str::to_string),
        ..Section::new(name, title, records)
    };
    let mut sections = vec![
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
    ];
    // A company that keeps no stock in salesops gets no empty stock table.
    if !r.stock.is_empty() {
        sections.push(sec(
            "stock",
            t("Stock", "库存"),
            super::stock::records(&r.stock),
            None,
        ));
    }
    sections.push(super::service::section(&r.service, lang));
    sections.push(sec(
        "campaigns",
        t("Campaigns", "推广活动"),
        trade::campaign_rows(r.campaigns.clone()),
        None,
    ));
    sections.push(sec(
        "carriers",
        t("Carriers", "物流承运商"),
        trade::carrier_rows(r.carriers.clone()),
        None,
    ));
    if let Some(cards) = &r.scorecard {
        let scope = crate::domain::scorecard::Scope::Region;
        sections.push(crate::output::scorecard::section(
            cards,
            scope,
            &r.period.label(),
            crate::output::scorecard::title(scope, lang),
        ));
    }
    sections
}

pub fn document(r: &Report, title: &str, lang: Lang) -> Document {
    Document {
        title: title.to_string(),
        json: json(r),
        sections: sections(r, lang),
        html: Some(crate::output::Html {
            headline: headline(r, lang),
            charts: charts(r, lang),
        }),
    }
}

fn to_f64(m: Money) -> f64 {
    // Drawing only: a bar's length, never a figure anyone reads.
    m.units() as f64 / 10_000.0
}

/// A report figure as people read it: `2,577,736.69`.
fn shown(m: Money) -> String {
    grouped(&m.to_report())
}

/// The headline row: what a director reads first, each movement with its arrow and sign.
fn headline(r: &Report, lang: Lang) -> Vec<Kpi> {
    let zh = lang == Lang::Zh;
    let t = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    let f = &r.summary.figures;
    let net = f.net();
    // In Chinese a headline amount reads in 万元 (two decimals), the exact figure beside it.
    let amount = |m: Money| -> (String, Option<String>) {
        if zh {
            (
                format!("{} 万元", grouped(&wan(m))),
                Some(format!("¥{}", shown(m))),
            )
        } else {
            (shown(m), None)
        }
    };
    let delta = |v: Option<f64>, unit: &str, against: String, up_is_good: bool| {
        v.map(|value| Delta {
            value,
            unit: unit.to_string(),
            against,
            up_is_good,
        })
    };
    let label = r.period.label();
    let prev_word = if label.contains('Q') {
        t("vs last quarter", "环比上季")
    } else if label.len() == 7 {
        t("vs last month", "环比上月")
    } else if label.len() == 4 {
        t("vs last year", "较上年")
    } else {
        t("vs previous period", "环比上期")
    };
    let pct_change = |now: Money, base: Option<Money>| base.and_then(|b| (now - b).pct_of(b));
    let mut out = Vec::new();
    let (value, exact) = amount(net);
    out.push(Kpi {
        label: t("Net revenue", "净收入"),
        value,
        exact,
        deltas: [
            delta(
                pct_change(net, r.summary.prev_net),
                "%",
                prev_word.clone(),
                true,
            ),
            delta(
                pct_change(net, r.summary.last_year_net),
                "%",
                t("vs a year earlier", "同比"),
                true,
            ),
        ]
        .into_iter()
        .flatten()
        .collect(),
    });
    let achieved = r.summary.target.and_then(|target| net.pct_of(target));
    out.push(Kpi {
        label: t("Achievement against target", "目标达成率"),
        value: achieved.map_or_else(|| "—".to_string(), |a| format!("{a:.1}%")),
        exact: r
            .summary
            .target
            .map(|target| format!("{} {}", t("target", "目标"), shown(target))),
        deltas: delta(
            achieved.map(|a| ((a - 100.0) * 10.0).round() / 10.0),
            if zh { "个百分点" } else { " pts" },
            t("against 100%", "较100%"),
            true,
        )
        .into_iter()
        .collect(),
    });
    let margin = f.profit().pct_of(net);
    let prev_margin = r.summary.prev.and_then(|(p, _)| p.profit().pct_of(p.net()));
    out.push(Kpi {
        label: t("Margin", "毛利率"),
        value: margin.map_or_else(|| "—".to_string(), |m| format!("{m:.1}%")),
        exact: Some(format!("{} {}", t("profit", "利润"), shown(f.profit()))),
        deltas: delta(
            margin
                .zip(prev_margin)
                .map(|(m, p)| ((m - p) * 10.0).round() / 10.0),
            if zh { "个百分点" } else { " pts" },
            prev_word.clone(),
            true,
        )
        .into_iter()
        .collect(),
    });
    let prev_new = r.summary.prev.map(|(_, n)| n);
    out.push(Kpi {
        label: t("New customers", "新客户"),
        value: r.summary.new_customers.to_string(),
        exact: None,
        deltas: delta(
            prev_new.map(|p| (r.summary.new_customers - p) as f64),
            "",
            prev_word.clone(),
            true,
        )
        .into_iter()
        .collect(),
    });
    let a = &r.receivables.total;
    let (value, exact) = amount(a.overdue());
    out.push(Kpi {
        label: t("Overdue receivables", "逾期应收"),
        value,
        exact: Some(match (exact, a.overdue().pct_of(a.outstanding())) {
            (Some(e), Some(share)) => format!("{e}，占未收 {share:.1}%"),
            (None, Some(share)) => format!("{share:.1}% of outstanding"),
            (e, None) => e.unwrap_or_default(),
        }),
        // Overdue going down is good news.
        deltas: delta(
            pct_change(a.overdue(), r.prev_overdue),
            "%",
            prev_word.clone(),
            false,
        )
        .into_iter()
        .collect(),
    });
    out
}

fn charts(r: &Report, lang: Lang) -> Vec<Chart> {
    let zh = lang == Lang::Zh;
    // Regions come ranked by achievement (best first, those without a target last).
    let items = r
        .regions
        .iter()
        .map(|x| Bar {
            label: if x.code.is_none() && zh {
                "（未分配）".to_string()
            } else {
                x.name.clone()
            },
            value: to_f64(x.figures.net()),
            shown: shown(x.figures.net()),
            target: x.target.map(to_f64),
            note: x
                .target
                .and_then(|t| x.figures.net().pct_of(t))
                .map(|p| format!("{p:.1}%"))
                .unwrap_or_default(),
        })
        .collect();
    // Months before the first order are left out, not drawn as zero.
    let months: Vec<_> = r.trend.iter().filter(|m| m.net.is_some()).collect();
    let total: f64 = r
        .tiers
        .iter()
        .map(|(_, _, net)| to_f64(*net).max(0.0))
        .sum();
    let slices = r
        .tiers
        .iter()
        .map(|(t, _, net)| {
            let share = if total > 0.0 {
                format!(" ({:.1}%)", to_f64(*net).max(0.0) * 100.0 / total)
            } else {
                String::new()
            };
            (
                value_label("tier", t.as_str(), lang),
                to_f64(*net),
                format!("{}{share}", shown(*net)),
            )
        })
        .collect();
    let mut charts = vec![
        Chart::Trend {
            title: if zh {
                "近13个月净收入（与去年同期、目标对比）".into()
            } else {
                "Net revenue, 13 months, against a year earlier and target".into()
            },
            months: months.iter().map(|m| m.month.clone()).collect(),
            actual: months.iter().map(|m| m.net.map(to_f64)).collect(),
            last_year: months.iter().map(|m| m.last_year.map(to_f64)).collect(),
            target: months.iter().map(|m| m.target.map(to_f64)).collect(),
            latest: months
                .last()
                .and_then(|m| m.net)
                .map(shown)
                .unwrap_or_default(),
        },
        Chart::Bars {
            title: if zh {
                "各大区净收入与目标（按达成率排序）".into()
            } else {
                "Net revenue against target by region, by achievement".into()
            },
            items,
        },
        Chart::Pie {
            title: if zh {
                "客户等级收入构成".into()
            } else {
                "Net revenue by customer tier".into()
            },
            slices,
        },
    ];
    if let Some(cards) = &r.scorecard {
        charts.push(crate::output::scorecard::chart(
            cards,
            crate::domain::scorecard::Scope::Region,
            lang,
        ));
    }
    charts
}
