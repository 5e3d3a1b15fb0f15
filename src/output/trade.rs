//! The rows of a campaign report and a carrier report: one value for `campaigns report`, `carriers
//! report` and the `campaigns` and `carriers` sections of every report, so the three cannot drift.

use crate::domain::campaign::{Campaign, Figures as CampaignFigures};
use crate::domain::carrier::{Carrier, Figures as CarrierFigures};

use super::{int, money, opt, pct, s, Cell, Records};

/// The figures of a campaign report row, after its key columns.
pub const CAMPAIGN_FIGURES: &[&str] = &[
    "budget",
    "spend",
    "budget_used_pct",
    "impressions",
    "clicks",
    "ctr_pct",
    "visits",
    "leads",
    "orders",
    "conversion_pct",
    "net_revenue",
    "profit",
    "roas",
    "roi_pct",
    "cost_per_order",
    "new_customers",
    "cac",
];

/// The figure cells of one campaign row, in `CAMPAIGN_FIGURES` order.
pub fn campaign_cells(f: &CampaignFigures) -> Vec<Cell> {
    let r = f.ratios();
    vec![
        f.budget.map(money).into(),
        money(f.spend),
        pct(r.budget_used_pct),
        int(f.impressions),
        int(f.clicks),
        pct(r.ctr_pct),
        int(f.visits),
        int(f.leads),
        int(f.orders),
        pct(r.conversion_pct),
        money(f.net_revenue),
        money(f.profit),
        // A plain number with two decimals, already rounded exactly; JSON writes it as a number.
        r.roas.map(Cell::Pct).into(),
        pct(r.roi_pct),
        r.cost_per_order.map(money).into(),
        int(f.new_customers),
        r.cac.map(money).into(),
    ]
}

/// A campaign report by campaign: code, name, channel, region and the figures.
pub fn campaign_rows(all: Vec<(Campaign, CampaignFigures)>) -> Records {
    let mut columns = vec!["campaign", "name", "channel", "region"];
    columns.extend(CAMPAIGN_FIGURES);
    let mut out = Records::new(&columns);
    for (c, f) in all {
        let mut row = vec![s(c.code), s(c.name), s(c.channel.as_str()), opt(c.region)];
        row.extend(campaign_cells(&f));
        out.push(row);
    }
    out
}

/// The figures of a carrier report row, after `carrier` and `name`.
pub const CARRIER_FIGURES: &[&str] = &[
    "shipments",
    "delivered",
    "on_time",
    "on_time_pct",
    "avg_days",
    "late",
    "in_transit",
    "freight",
    "freight_per_shipment",
    "freight_pct",
    "quality_returns",
];

/// A carrier report: per carrier (or carrier text no carrier matches, with a null name; null for
/// shipments without a carrier) the figures.
pub fn carrier_rows(all: Vec<(String, Option<Carrier>, CarrierFigures)>) -> Records {
    let mut columns = vec!["carrier", "name"];
    columns.extend(CARRIER_FIGURES);
    let mut out = Records::new(&columns);
    for (key, carrier, f) in all {
        let row = vec![
            if key.is_empty() { Cell::Null } else { s(key) },
            opt(carrier.map(|c| c.name)),
            int(f.shipments),
            int(f.delivered),
            int(f.on_time),
            pct(f.on_time_pct()),
            // Days with one decimal, already rounded exactly.
            f.avg_days().map(Cell::Pct).into(),
            int(f.late()),
            int(f.in_transit),
            money(f.freight),
            f.freight_per_shipment().map(money).into(),
            pct(f.freight_pct()),
            int(f.quality_returns),
        ];
        out.push(row);
    }
    out
}
