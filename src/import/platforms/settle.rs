//! What becomes of one platform order once its rows are read: skipped (unpaid, closed), refused (its
//! errors, an unknown status), or the rows of an order file, with its amount spread over its lines and
//! its refunds sorted into returns to record and refunds to list.

use super::{AfterSale, FullRefund, Head, Listed, PLine, POrder, Preset, Stage, MADE};
use crate::domain::money::Money;
use crate::domain::split::allocate_money;
use crate::import::{RowError, RowOrigin};
use std::collections::HashMap;

/// The rows made so far, with where each came from and what travels beside them.
#[derive(Default)]
pub(super) struct Made {
    pub rows: Vec<Vec<String>>,
    pub origins: Vec<RowOrigin>,
    pub refunds: HashMap<String, FullRefund>,
    pub listed: Vec<Listed>,
    pub skipped: u64,
    pub closed: Vec<(String, String)>,
}

impl Made {
    /// An order the import must refuse: its source rows, the first carrying the errors.
    fn invalid(&mut self, order: &POrder, errors: Vec<RowError>) {
        let mut errors = Some(errors);
        for (line, raw) in &order.raws {
            self.rows.push(vec![String::new(); MADE.len()]);
            self.origins.push(RowOrigin {
                line: *line,
                raw: raw.clone(),
                errors: Some(errors.take().unwrap_or_default()),
            });
        }
    }
}

/// Decide what becomes of one platform order: skipped, refused, or rows of an order file.
pub(super) fn settle(preset: Preset, mut order: POrder, made: &mut Made) {
    if !order.errors.is_empty() {
        let errors = order.errors.clone();
        made.invalid(&order, errors);
        return;
    }
    let names = preset.names();
    let err = |col: usize, message: String| RowError {
        line: order.first_line,
        column: Some(names[col].to_string()),
        message,
    };
    // 淘宝 marks a line closed when its money went back, which only a paid order can have.
    if preset == Preset::Taobao && !order.head.paid_at {
        for l in &mut order.lines {
            l.after_sale = AfterSale::None;
        }
    }
    let head = &order.head;
    let Some(stage) = preset.stage(&head.status) else {
        let e = err(
            6,
            format!(
                "\"{}\" is not a {} order status this preset knows ({}): nothing is guessed",
                head.status,
                preset.platform(),
                preset.known_statuses()
            ),
        );
        made.invalid(&order, vec![e]);
        return;
    };
    let every_line_refunded = !order.lines.is_empty()
        && order
            .lines
            .iter()
            .all(|l| l.after_sale == AfterSale::Refunded);
    let refund = head.refund.unwrap_or(Money::ZERO);
    let refunded_in_full = stage == Stage::Refunded
        || every_line_refunded
        || (refund > Money::ZERO && refund >= head.paid.unwrap_or(Money::ZERO))
        || (stage == Stage::Closed && preset == Preset::Taobao && head.paid_at);
    match stage {
        Stage::Unpaid => {
            made.skipped += 1;
            return;
        }
        Stage::Closed if !refunded_in_full => {
            made.skipped += 1;
            made.closed.push((
                format!("{}-{}", preset.prefix(), order.no),
                format!("{} {}", preset.platform(), head.status),
            ));
            return;
        }
        _ => {}
    }
    let Some(date) = head.date else {
        made.invalid(&order, vec![err(1, format!("{} is required", names[1]))]);
        return;
    };
    if order.lines.is_empty() {
        let why = match preset {
            Preset::Taobao => format!(
                "order {} has no rows in the item list (宝贝报表) given with --details",
                order.no
            ),
            _ => format!("order {} has no line", order.no),
        };
        made.invalid(&order, vec![err(0, why)]);
        return;
    }
    // A closed order shows what was refunded when it no longer shows what was paid.
    let paid = match head.paid {
        Some(p) if stage == Stage::Closed => p.max(refund),
        Some(p) => p,
        None if refund > Money::ZERO => refund,
        None => {
            made.invalid(&order, vec![err(11, format!("{} is required", names[11]))]);
            return;
        }
    };
    let postage = head.postage.unwrap_or(Money::ZERO);
    let goods = match paid.checked_sub(postage) {
        Some(g) if !g.is_negative() => g,
        _ => {
            made.invalid(
                &order,
                vec![err(
                    11,
                    format!("the buyer paid {paid}, less than the postage {postage}"),
                )],
            );
            return;
        }
    };
    let amounts = match spread(goods, &order.lines) {
        Ok(a) => a,
        Err(e) => {
            made.invalid(&order, vec![err(11, e)]);
            return;
        }
    };
    let id = format!("{}-{}", preset.prefix(), order.no);
    let status = if refunded_in_full {
        "completed"
    } else {
        match stage {
            Stage::Shipped => "shipped",
            Stage::Done => "completed",
            _ => "confirmed",
        }
    };
    // The latest date the order's rows give.
    let latest = head
        .dates
        .iter()
        .copied()
        .chain(std::iter::once(date))
        .max()
        .unwrap_or(date);
    let reason = |text: &str| format!("{} {}", preset.platform(), text);
    if refunded_in_full {
        made.refunds.insert(
            id.clone(),
            FullRefund {
                lines: (0..order.lines.len()).collect(),
                date: latest,
                reason: reason(if stage == Stage::Closed || stage == Stage::Refunded {
                    &head.status
                } else {
                    "退款成功"
                }),
            },
        );
    } else {
        let refunded: Vec<usize> = order
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.after_sale == AfterSale::Refunded)
            .map(|(i, _)| i)
            .collect();
        if !refunded.is_empty() && status == "completed" {
            made.refunds.insert(
                id.clone(),
                FullRefund {
                    lines: refunded,
                    date: latest,
                    reason: reason("退款成功"),
                },
            );
        } else {
            // Goods are returned only once received: a line refunded before is listed until then.
            for &i in &refunded {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: Some(amounts[i]),
                    status: format!("退款成功 ({})", head.status),
                });
            }
            let lines_marked = order.lines.iter().any(|l| l.after_sale != AfterSale::None);
            if refund > Money::ZERO && !lines_marked {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: Some(refund),
                    status: head.status.clone(),
                });
            }
        }
        for l in &order.lines {
            if let AfterSale::Other(text) = &l.after_sale {
                made.listed.push(Listed {
                    order_id: id.clone(),
                    amount: None,
                    status: text.clone(),
                });
            }
        }
    }
    let (customer, customer_name) = customer(preset, head);
    let mut first_row_of: Vec<u64> = Vec::new();
    for (i, l) in order.lines.iter().enumerate() {
        let line = order.line_rows.get(i).copied().unwrap_or(order.first_line);
        // The source row goes to a rejects file once, with the first line made from it.
        let raw = if first_row_of.contains(&line) {
            Vec::new()
        } else {
            first_row_of.push(line);
            order
                .raws
                .iter()
                .find(|(n, _)| *n == line)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        };
        made.origins.push(RowOrigin {
            line,
            raw,
            errors: None,
        });
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        made.rows.push(vec![
            id.clone(),
            date.to_string(),
            customer.clone(),
            customer_name.clone(),
            "online".into(),
            opt(&head.province),
            status.into(),
            l.sku.clone(),
            opt(&l.title),
            l.quantity.to_string(),
            l.unit_price.to_string(),
            amounts[i].to_string(),
            head.ship_date.map(|d| d.to_string()).unwrap_or_default(),
            opt(&head.carrier),
            opt(&head.tracking),
        ]);
    }
}

/// The goods amount of an order spread over its lines in proportion to quantity × unit price, cents
/// by the largest remainder (ties to the earlier line): the parts add up to it exactly.
fn spread(goods: Money, lines: &[PLine]) -> Result<Vec<Money>, String> {
    let weights: Vec<u128> = lines
        .iter()
        .map(|l| {
            u128::try_from(l.unit_price.units()).unwrap_or(0)
                * u128::try_from(l.quantity).unwrap_or(0)
        })
        .collect();
    allocate_money(goods, &weights)
}

/// The customer of a platform order: the buyer's account, prefixed like the order id; where the
/// platform masks buyers, one customer per platform and province.
fn customer(preset: Preset, head: &Head) -> (String, String) {
    let prefix = preset.prefix();
    match head.buyer.as_deref() {
        Some(b) if !super::province::masked(b) => (format!("{prefix}-{b}"), b.to_string()),
        _ => {
            let place = head.province.as_deref().unwrap_or(UNKNOWN_PLACE);
            (
                format!("{prefix}-{place}"),
                format!("{}买家（{place}）", preset.platform()),
            )
        }
    }
}

/// Where a masked buyer with a masked province lives.
const UNKNOWN_PLACE: &str = "地区未知";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(cents: i64, quantity: i64) -> PLine {
        PLine {
            sku: "S".into(),
            title: None,
            quantity,
            unit_price: Money::from_cents(cents),
            after_sale: AfterSale::None,
        }
    }

    #[test]
    fn three_lines_share_what_was_paid_to_the_cent() {
        // 262.00 paid less 10.00 postage over 100.00, 2 × 35.50 and 120.00.
        let parts = spread(
            Money::from_cents(25_200),
            &[line(10_000, 1), line(3_550, 2), line(12_000, 1)],
        )
        .expect("spread");
        let cents: Vec<i64> = parts.iter().map(|m| m.units() / 100).collect();
        assert_eq!(cents, [8_660, 6_148, 10_392]);
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn the_lines_add_up_to_the_goods_and_each_is_within_a_cent_of_its_share(
            goods in 0i64..10_000_000,
            lines in proptest::collection::vec((0i64..200_000, 1i64..50), 1..8),
        ) {
            let lines: Vec<PLine> = lines.iter().map(|&(p, q)| line(p, q)).collect();
            let parts = spread(Money::from_cents(goods), &lines).expect("spread");
            let total: i64 = parts.iter().map(|m| m.units()).sum();
            prop_assert_eq!(total, goods * 100);
            let weight: i128 = lines.iter().map(|l| i128::from(l.unit_price.units()) * i128::from(l.quantity)).sum();
            if weight > 0 {
                for (l, part) in lines.iter().zip(&parts) {
                    let exact = i128::from(goods) * i128::from(l.unit_price.units()) * i128::from(l.quantity);
                    let got = i128::from(part.units() / 100) * weight;
                    prop_assert!((got - exact).abs() < weight, "a part more than a cent off its share");
                }
            }
        }
    }
}
