//! An order typed at a terminal (`orders add` without `--line`): lines asked one by one, each checked
//! as it is entered by the same rules an order is built by (`build::Resolver`), so an unknown SKU or a
//! bad quantity, price or discount is said at once and asked again; then a summary of the lines, their
//! amounts and what the price policy will hold for approval, before the order is saved.

use anyhow::Result;

use super::build::{Draft, DraftLine, Resolver};
use crate::context::Context;
use crate::domain::order::{effective_discount, LineSpec};
use crate::domain::policy::Policy;
use crate::store::{
    self,
    lookup::{self, Kind},
    Conn,
};

/// The form of a line, as the prompt and the messages give it.
const FORM: &str = "SKU:QTY[@PRICE][-DISCOUNT]";

/// One typed line checked against the draft's customer and date: the line, or what is wrong with it.
fn check_line(
    conn: &Conn,
    resolver: &mut Resolver,
    draft: &Draft,
    text: &str,
) -> Result<Result<DraftLine, String>> {
    let spec = match LineSpec::parse(text) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    // A SKU or a product's exact name; a name two products share is refused naming both.
    let sku = match lookup::find(conn, Kind::Product, &spec.sku) {
        Ok(Some(sku)) => sku,
        Ok(None) => {
            return Ok(Err(format!(
                "unknown SKU \"{}\" (see `salesops products list`)",
                spec.sku
            )))
        }
        Err(e) if crate::error::exit_code(&e) == 3 => return Ok(Err(e.to_string())),
        Err(e) => return Err(e),
    };
    let line = DraftLine {
        sku,
        quantity: spec.quantity,
        unit_price: spec.price,
        discount: spec.discount,
        ..DraftLine::default()
    };
    let one = Draft {
        lines: vec![line.clone()],
        ..draft.clone()
    };
    // Only the line's own problems: the order's (rep, warehouse …) are reported once, at the end.
    if let Err(problems) = resolver.build(conn, &one)? {
        if let Some(p) = problems.iter().find(|p| p.line == Some(0)) {
            return Ok(Err(p.message.clone()));
        }
    }
    Ok(Ok(line))
}

/// Ask for lines until an empty answer; each is checked as it is entered and asked again when wrong.
/// Without a terminal this is a usage error naming `--line`.
pub fn ask_lines(
    ctx: &Context,
    conn: &Conn,
    draft: &Draft,
    policy: Policy,
) -> Result<(Vec<String>, Vec<DraftLine>)> {
    if !ctx.interactive {
        crate::bail_usage!("missing --line ({FORM})");
    }
    let mut resolver = Resolver::new(policy);
    let (mut texts, mut lines) = (Vec::new(), Vec::new());
    loop {
        let prompt = if lines.is_empty() {
            format!("Line 1 ({FORM}; a SKU or a product name)")
        } else {
            format!("Line {} ({FORM}; empty to finish)", lines.len() + 1)
        };
        let mut fault: Option<anyhow::Error> = None;
        let text = ctx.ask_checked(&prompt, !lines.is_empty(), |t| {
            match check_line(conn, &mut resolver, draft, t) {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(why)) => Err(why),
                Err(e) => {
                    let why = e.to_string();
                    fault = Some(e);
                    Err(why)
                }
            }
        })?;
        if let Some(e) = fault {
            return Err(e);
        }
        if text.trim().is_empty() {
            break;
        }
        match check_line(conn, &mut resolver, draft, &text)? {
            Ok(line) => {
                texts.push(text);
                lines.push(line);
            }
            Err(why) => crate::bail_input!("{why}"),
        }
    }
    Ok((texts, lines))
}

/// The order as it will be saved, on standard error: each line with its amount, the total, and what
/// needs approval under the price policy (a discount above `discount.approval_above` holds the order;
/// a price below the floor is reported by `prices check`). Problems of the order itself are left to the
/// save, which names them all: false when there are some, and nothing was shown.
pub fn summary(ctx: &Context, conn: &Conn, draft: &Draft, policy: Policy) -> Result<bool> {
    let approval_above = policy.approval_above;
    let mut resolver = Resolver::new(policy);
    let built = match resolver.build(conn, draft)? {
        Ok(b) => b,
        Err(_) => return Ok(false),
    };
    let customer = store::customers::get(conn, &draft.customer)?
        .map(|c| format!("{} {}", c.code, c.name))
        .unwrap_or_else(|| draft.customer.clone());
    let mut out = vec![format!("Order for {customer} on {}", draft.date)];
    if let Some(rep) = &built.order.rep {
        out[0].push_str(&format!(", rep {rep}"));
    }
    let mut holds = Vec::new();
    let mut below_floor = Vec::new();
    for l in &built.lines {
        let name = resolver
            .product(conn, &l.sku)?
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let discount = l
            .discount
            .map(|d| format!(" -{}", d.pct_display()))
            .unwrap_or_default();
        out.push(format!(
            "  {}. {} {name}  {} x {}{discount} = {}",
            l.line_no,
            l.sku,
            l.quantity,
            l.unit_price.to_report(),
            l.amount.to_report()
        ));
        if let Some(price) = resolver.price(conn, &l.sku, draft.date)? {
            if let Some(eff) = effective_discount(l.amount, l.quantity, price.list_price) {
                if eff > approval_above {
                    holds.push(format!(
                        "line {} is {} below the list price {}",
                        l.line_no,
                        eff.pct_display(),
                        price.list_price.to_report()
                    ));
                }
            }
            let floor = price
                .floor_price
                .and_then(|f| f.checked_mul_qty(l.quantity));
            if floor.is_some_and(|f| l.amount < f) {
                below_floor.push(format!(
                    "line {} is below the floor price {}",
                    l.line_no,
                    price.floor_price.unwrap_or_default().to_report()
                ));
            }
        }
    }
    let count = built.lines.len();
    let total = super::build::total(&built.lines).to_report();
    out.push(if count == 1 {
        format!("  Total {total} (1 line)")
    } else {
        format!("  Total {total} ({count} lines)")
    });
    if holds.is_empty() {
        out.push(format!(
            "  No approval needed: no discount above {}",
            approval_above.pct_display()
        ));
    } else {
        out.push(format!(
            "  Needs approval (a discount above {}): {}; the order will wait for `salesops orders approve`",
            approval_above.pct_display(),
            holds.join("; ")
        ));
    }
    if !below_floor.is_empty() {
        out.push(format!(
            "  Below the floor (`salesops prices check` will report it): {}",
            below_floor.join("; ")
        ));
    }
    ctx.note(&out.join("\n"));
    Ok(true)
}
