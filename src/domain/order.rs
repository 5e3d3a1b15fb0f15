//! Orders as plain values (`Order`, `Line`, `Payment`) and their rules: the `SKU:QTY[@PRICE][-DISCOUNT]`
//! line syntax, a line's arithmetic, deriving a line's amount, unit price and discount from what was
//! given, and the status flow (on `OrderStatus`).

use super::decimal::div_round_half_away;
use super::money::{Money, UNITS_PER_CENT};
use super::rate::Rate;
use super::values::{Channel, OrderStatus, PaymentMethod};

/// An order as stored, with the totals kept beside it (lines, quantity, amount and cost from its lines;
/// returned and paid from its returns and payments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub order_date: String,
    pub customer: String,
    pub rep: Option<String>,
    pub area: Option<String>,
    pub region: Option<String>,
    /// The ship-to area when one was given (else the customer's area was used).
    pub province: Option<String>,
    pub channel: Channel,
    pub status: OrderStatus,
    pub due_date: String,
    pub approved_by: Option<String>,
    pub ship_date: Option<String>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub delivered_date: Option<String>,
    pub completed_date: Option<String>,
    pub cancel_reason: Option<String>,
    pub lines: i64,
    pub quantity: i64,
    pub amount: Money,
    pub cost: Money,
    pub returned: Money,
    pub paid: Money,
    /// The campaign the order is attributed to.
    pub campaign: Option<String>,
    /// What the company paid to ship it.
    pub freight: Option<Money>,
    /// The warehouse it ships from (stock), resolved when it is recorded.
    pub warehouse: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line_no: i64,
    pub sku: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub discount: Option<Rate>,
    pub amount: Money,
    pub unit_cost: Option<Money>,
    pub profit: Option<Money>,
    pub cost: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub order_id: String,
    pub date: String,
    pub amount: Money,
    pub method: PaymentMethod,
    pub reference: Option<String>,
}

/// The most pieces the counting orders may add up to (sold and returned), as `money::HELD` is for
/// their money: 10^14.
pub const HELD_QUANTITY: i64 = 100_000_000_000_000;

/// Millionths per whole, the scale of `Rate`.
const RATE_ONE: i128 = Rate::ONE.0 as i128;

// A line's arithmetic takes money and rates together, so it lives with the order rules: `money` and
// `rate` then need not know each other.
impl Money {
    /// Amount of a line: qty × unit_price × (1 − discount), rounded half away
    /// from zero to the cent. None on overflow.
    pub fn line_amount(qty: i64, unit_price: Money, discount: Rate) -> Option<Money> {
        // Multiply everything first and divide once, so the only rounding is
        // the final one to the cent.
        let numerator = i128::from(qty)
            .checked_mul(i128::from(unit_price.0))?
            .checked_mul(RATE_ONE.checked_sub(i128::from(discount.0))?)?;
        let cents = div_round_half_away(numerator, RATE_ONE * i128::from(UNITS_PER_CENT));
        let units = cents.checked_mul(i128::from(UNITS_PER_CENT))?;
        i64::try_from(units).ok().map(Money)
    }

    /// Unit price derived from an amount: amount / (qty × (1 − discount)),
    /// rounded half away from zero to 4 decimals. None if qty is 0, the
    /// discount is 100%, or the result overflows.
    pub fn derive_unit_price(amount: Money, qty: i64, discount: Rate) -> Option<Money> {
        let denominator =
            i128::from(qty).checked_mul(RATE_ONE.checked_sub(i128::from(discount.0))?)?;
        if denominator == 0 {
            return None;
        }
        let numerator = i128::from(amount.0).checked_mul(RATE_ONE)?;
        i64::try_from(div_round_half_away(numerator, denominator))
            .ok()
            .map(Money)
    }
}

impl Rate {
    /// 1 − amount / (qty × unit_price), rounded half away from zero to
    /// millionths; None when qty × unit_price is 0 or the result overflows.
    pub fn discount_from(amount: Money, qty: i64, unit_price: Money) -> Option<Rate> {
        let gross = i128::from(qty) * i128::from(unit_price.units());
        if gross == 0 {
            return None;
        }
        let numerator = (gross - i128::from(amount.units())).checked_mul(1_000_000)?;
        i64::try_from(div_round_half_away(numerator, gross))
            .ok()
            .map(Rate)
    }
}

/// A line as typed on `orders add --line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSpec {
    pub sku: String,
    pub quantity: i64,
    pub price: Option<Money>,
    pub discount: Option<Rate>,
}

impl LineSpec {
    /// `SKU:QTY[@PRICE][-DISCOUNT]`; the SKU is everything before the last `:` (it may contain `-`).
    pub fn parse(text: &str) -> Result<LineSpec, String> {
        let form =
            "expected SKU:QTY[@PRICE][-DISCOUNT], such as TEA-01:3, TEA-01:3@180 or TEA-01:3-5%";
        let Some((sku, rest)) = text.trim().rsplit_once(':') else {
            return Err(format!("\"{text}\": {form}"));
        };
        let sku = sku.trim();
        if sku.is_empty() {
            return Err(format!("\"{text}\" has no SKU: {form}"));
        }
        // After the colon no '-' belongs to a SKU, so the first '-' starts the discount.
        let (before_discount, discount) = match rest.split_once('-') {
            Some((b, d)) => (b, Some(d)),
            None => (rest, None),
        };
        let (qty, price) = match before_discount.split_once('@') {
            Some((q, p)) => (q, Some(p)),
            None => (before_discount, None),
        };
        let quantity = parse_quantity(qty)?;
        let price = price.map(|p| p.trim().parse::<Money>()).transpose()?;
        if price.is_some_and(|p| p.is_negative()) {
            return Err(format!("\"{text}\": the price is negative"));
        }
        let discount = discount.map(parse_discount).transpose()?;
        Ok(LineSpec {
            sku: sku.to_string(),
            quantity,
            price,
            discount,
        })
    }
}

/// A positive whole quantity.
pub fn parse_quantity(text: &str) -> Result<i64, String> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(q) if q > 0 => Ok(q),
        Ok(_) => Err(format!("\"{t}\" is not a quantity above 0")),
        Err(_) => Err(format!("\"{t}\" is not a whole number")),
    }
}

/// A discount: a rate from 0 to 100%.
pub fn parse_discount(text: &str) -> Result<Rate, String> {
    let r: Rate = text.trim().parse()?;
    if r > Rate::ONE {
        return Err(format!("\"{}\" is above 100%", text.trim()));
    }
    Ok(r)
}

/// A line's stored values once derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineValues {
    pub unit_price: Money,
    pub discount: Option<Rate>,
    pub amount: Money,
}

/// Derive a line from what was given (docs/manual.md, "CSV import and export"): with only a unit price the amount is
/// qty × price × (1 − discount) rounded to the cent; with only an amount the unit price is derived to
/// 4 decimals; with both the amount is kept and a missing discount is 1 − amount / (qty × price).
pub fn derive_line(
    qty: i64,
    unit_price: Option<Money>,
    discount: Option<Rate>,
    amount: Option<Money>,
) -> Result<LineValues, String> {
    let overflow = || "the amount is too large".to_string();
    match (unit_price, amount) {
        (Some(price), None) => {
            let amount = Money::line_amount(qty, price, discount.unwrap_or(Rate::ZERO))
                .ok_or_else(overflow)?;
            Ok(LineValues {
                unit_price: price,
                discount,
                amount,
            })
        }
        (None, Some(amount)) => {
            let d = discount.unwrap_or(Rate::ZERO);
            if d == Rate::ONE {
                return Err("a 100% discount with no unit price leaves no price to derive".into());
            }
            let price = Money::derive_unit_price(amount, qty, d).ok_or_else(overflow)?;
            Ok(LineValues {
                unit_price: price,
                discount,
                amount,
            })
        }
        (Some(price), Some(amount)) => {
            let discount = match discount {
                Some(d) => Some(d),
                None if price == Money::ZERO => None,
                // A derived discount of nothing (or a surcharge) is no discount: stored as absent, as
                // `orders add` stores a line without one, so export → import gives the same line.
                None => Rate::discount_from(amount, qty, price).filter(|d| d.millionths() > 0),
            };
            Ok(LineValues {
                unit_price: price,
                discount,
                amount,
            })
        }
        (None, None) => Err("give unit_price or amount".into()),
    }
}

/// The effective discount against the list price: 1 − amount / (list × qty), rounded to 4 decimals.
pub fn effective_discount(amount: Money, qty: i64, list_price: Money) -> Option<Rate> {
    Rate::discount_from(amount, qty, list_price).map(|r| r.round_to(4))
}

/// A payment recorded without saying how it was made was a bank transfer.
pub const DEFAULT_METHOD: PaymentMethod = PaymentMethod::Transfer;

/// The status flow: pending_approval → confirmed → shipped → delivered → completed, and cancelled from
/// either of the first two.
impl OrderStatus {
    /// May an order move from this status to `to`?
    pub fn can_move_to(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (PendingApproval, Confirmed)
                | (Confirmed, Shipped)
                | (Shipped, Delivered)
                | (Delivered, Completed)
                | (PendingApproval, Cancelled)
                | (Confirmed, Cancelled)
        )
    }

    /// The position of a status along the flow, for imports that jump ahead (confirmed → delivered);
    /// a cancelled order is off it.
    pub fn rank(self) -> Option<usize> {
        match self {
            OrderStatus::PendingApproval => Some(0),
            OrderStatus::Confirmed => Some(1),
            OrderStatus::Shipped => Some(2),
            OrderStatus::Delivered => Some(3),
            OrderStatus::Completed => Some(4),
            OrderStatus::Cancelled => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn money(s: &str) -> Money {
        m(s)
    }

    #[test]
    fn line_amount_rounds_to_the_cent() {
        // 3 × 0.3350 = 1.005 → 1.01
        assert_eq!(
            Money::line_amount(3, m("0.335"), Rate::ZERO),
            Some(m("1.01"))
        );
        assert_eq!(
            Money::line_amount(-3, m("0.335"), Rate::ZERO),
            Some(m("-1.01"))
        );
        assert_eq!(
            Money::line_amount(1, m("-0.005"), Rate::ZERO),
            Some(m("-0.01"))
        );
        // 10 × 19.99 × 0.85 = 169.915 → 169.92
        let fifteen = Rate(150_000);
        assert_eq!(
            Money::line_amount(10, m("19.99"), fifteen),
            Some(m("169.92"))
        );
        assert_eq!(Money::line_amount(7, m("3"), Rate::ONE), Some(Money::ZERO));
        assert_eq!(Money::line_amount(0, m("3"), fifteen), Some(Money::ZERO));
        assert_eq!(Money::line_amount(i64::MAX, Money(i64::MAX), fifteen), None);
    }

    #[test]
    fn derive_unit_price_inverts_line_amount() {
        let fifteen = Rate(150_000);
        assert_eq!(
            Money::derive_unit_price(m("169.92"), 10, fifteen),
            Some(m("19.9906"))
        );
        assert_eq!(
            Money::derive_unit_price(m("100"), 3, Rate::ZERO),
            Some(m("33.3333"))
        );
        assert_eq!(
            Money::derive_unit_price(m("200"), 3, Rate::ZERO),
            Some(m("66.6667"))
        );
        assert_eq!(
            Money::derive_unit_price(m("-200"), 3, Rate::ZERO),
            Some(m("-66.6667"))
        );
        assert_eq!(Money::derive_unit_price(m("100"), 0, Rate::ZERO), None);
        assert_eq!(Money::derive_unit_price(m("100"), 3, Rate::ONE), None);
    }

    #[test]
    fn discount_from_amount() {
        let d = Rate::discount_from(money("169.92"), 10, money("19.99"));
        assert_eq!(d, Some(Rate(149_975)));
        assert_eq!(d.map(|d| d.round_to(4)), Some(Rate(150_000)));
        assert_eq!(
            Rate::discount_from(money("30"), 3, money("10")),
            Some(Rate::ZERO)
        );
        assert_eq!(
            Rate::discount_from(money("0"), 3, money("10")),
            Some(Rate::ONE)
        );
        assert_eq!(
            Rate::discount_from(money("40"), 3, money("10")),
            Some(Rate(-333_333))
        );
        assert_eq!(Rate::discount_from(money("1"), 0, money("10")), None);
        assert_eq!(Rate::discount_from(money("1"), 3, Money::ZERO), None);
    }

    #[test]
    fn line_syntax_takes_the_sku_before_the_last_colon() {
        let l = LineSpec::parse("CUP-02:10-5%").unwrap();
        assert_eq!(
            (l.sku.as_str(), l.quantity, l.price, l.discount),
            ("CUP-02", 10, None, Some("5%".parse().unwrap()))
        );
        let l = LineSpec::parse("A:B-1:2@180.5-0.1").unwrap();
        assert_eq!(
            (l.sku.as_str(), l.quantity, l.price),
            ("A:B-1", 2, Some(m("180.5")))
        );
        assert_eq!(l.discount, Some("10%".parse().unwrap()));
        assert!(LineSpec::parse("TEA-01").is_err());
        assert!(LineSpec::parse("TEA-01:0").is_err());
        assert!(LineSpec::parse("TEA-01:-3").is_err());
        assert!(LineSpec::parse("TEA-01:3x")
            .unwrap_err()
            .contains("whole number"));
        assert!(LineSpec::parse("TEA-01:3-150%")
            .unwrap_err()
            .contains("above 100%"));
    }

    #[test]
    fn amount_with_discount_keeps_the_amount_and_derives_the_price() {
        let v = derive_line(4, None, Some("15%".parse().unwrap()), Some(m("680"))).unwrap();
        assert_eq!(v.amount, m("680"));
        assert_eq!(v.unit_price, m("200"));
        let v = derive_line(3, None, None, Some(m("100"))).unwrap();
        assert_eq!(v.unit_price, m("33.3333"));
    }

    #[test]
    fn both_given_derive_the_missing_discount() {
        let v = derive_line(4, Some(m("200")), None, Some(m("680"))).unwrap();
        assert_eq!(v.discount, Some("15%".parse().unwrap()));
        assert_eq!(v.amount, m("680"));
    }

    #[test]
    fn both_given_at_the_full_price_derive_no_discount() {
        let v = derive_line(2, Some(m("100")), None, Some(m("200"))).unwrap();
        assert_eq!(v.discount, None);
        let v = derive_line(2, Some(m("100")), None, Some(m("210"))).unwrap();
        assert_eq!(v.discount, None);
    }

    #[test]
    fn price_with_discount_rounds_the_amount_half_away_from_zero() {
        let v = derive_line(3, Some(m("0.335")), None, None).unwrap();
        assert_eq!(v.amount, m("1.01"));
        let v = derive_line(10, Some(m("35.5")), Some("5%".parse().unwrap()), None).unwrap();
        assert_eq!(v.amount, m("337.25"));
    }

    #[test]
    fn status_flow() {
        use OrderStatus::*;
        assert!(PendingApproval.can_move_to(Confirmed));
        assert!(Confirmed.can_move_to(Cancelled));
        assert!(!Shipped.can_move_to(Cancelled));
        assert!(!Completed.can_move_to(Shipped));
        assert!(Shipped.counts() && !Cancelled.counts() && !PendingApproval.counts());
    }

    #[test]
    fn rank_follows_the_flow_and_leaves_cancelled_off_it() {
        let ranked: Vec<OrderStatus> = OrderStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.rank().is_some())
            .collect();
        assert!(ranked
            .windows(2)
            .all(|w| w[0].can_move_to(w[1]) && w[0].rank() < w[1].rank()));
        assert_eq!(OrderStatus::Cancelled.rank(), None);
    }
}
