//! The rules of stock: what is available, when an order is short, what `stock check` finds, how a
//! stock-take becomes a move and how a period's moves add up. Pure: the store supplies the figures.

use std::collections::BTreeMap;

/// The most units one move may carry either way: sums over years of moves stay far inside an i64.
pub const MAX_MOVE: i64 = 1_000_000_000;

/// A signed number of units (`-5`, `+3`, `12`): not zero, at most `MAX_MOVE` either way.
pub fn parse_units(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let n: i64 = t
        .strip_prefix('+')
        .unwrap_or(t)
        .parse()
        .map_err(|_| format!("\"{t}\" is not a whole number"))?;
    if n == 0 {
        return Err(format!("\"{t}\" moves nothing: give a number other than 0"));
    }
    if n.abs() > MAX_MOVE {
        return Err(format!(
            "\"{t}\" is beyond the {MAX_MOVE} units one move may carry"
        ));
    }
    Ok(n)
}

/// The figures of one SKU at one warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Level {
    /// The sum of its moves up to today.
    pub on_hand: i64,
    /// Units of confirmed orders not yet shipped.
    pub reserved: i64,
}

impl Level {
    /// What can still be promised: on hand less what confirmed orders hold.
    pub fn available(self) -> i64 {
        self.on_hand - self.reserved
    }
}

/// A line (or the lines of one SKU) an order needs more of than the warehouse has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub sku: String,
    pub warehouse: String,
    /// What the warehouse has to give: available units when an order is confirmed, units on hand
    /// when it is shipped.
    pub have: i64,
    pub needed: i64,
}

impl Shortfall {
    /// The message names SKU, warehouse, what it has and what is needed; `what` says which figure
    /// (`available` or `on hand`).
    pub fn describe(&self, what: &str) -> String {
        format!(
            "{} at warehouse {}: {what} {}, needed {}",
            self.sku, self.warehouse, self.have, self.needed
        )
    }
}

/// The units an order needs per SKU (lines of one SKU together), in SKU order.
pub fn needs<'a>(lines: impl IntoIterator<Item = (&'a str, i64)>) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for (sku, quantity) in lines {
        *out.entry(sku.to_string()).or_insert(0) += quantity;
    }
    out
}

/// The SKUs whose need is above what the warehouse has (`have` gives it per SKU).
pub fn shortfalls(
    warehouse: &str,
    needs: &BTreeMap<String, i64>,
    mut have: impl FnMut(&str) -> i64,
) -> Vec<Shortfall> {
    needs
        .iter()
        .filter_map(|(sku, &needed)| {
            let have = have(sku);
            (needed > have).then(|| Shortfall {
                sku: sku.clone(),
                warehouse: warehouse.to_string(),
                have,
                needed,
            })
        })
        .collect()
}

/// A stock-take: the counted level (`--to`) or a signed difference (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    To(i64),
    By(i64),
}

impl Count {
    /// The move that brings `on_hand` where the count says.
    pub fn delta(self, on_hand: i64) -> i64 {
        match self {
            Count::To(n) => n - on_hand,
            Count::By(d) => d,
        }
    }
}

/// What `stock check` finds for one SKU at one warehouse: (kind, detail), in the order negative,
/// short, reorder.
pub fn findings(level: Level, reorder_at: Option<i64>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if level.on_hand < 0 {
        out.push((
            "negative",
            format!("on hand {} is below zero", level.on_hand),
        ));
    }
    // Short means orders hold units that are not there; a negative level with nothing reserved is
    // the negative finding alone.
    if level.reserved > 0 && level.reserved > level.on_hand {
        out.push((
            "short",
            format!(
                "reserved {} is above on hand {}",
                level.reserved, level.on_hand
            ),
        ));
    }
    if let Some(point) = reorder_at {
        if level.available() <= point {
            out.push((
                "reorder",
                format!(
                    "available {} is at or below the reorder point {point}",
                    level.available()
                ),
            ));
        }
    }
    out
}

/// A warehouse's units over a period, by kind of move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flow {
    pub opening: i64,
    pub received: i64,
    /// Positive: units that left to customers.
    pub shipped: i64,
    pub returned: i64,
    pub adjusted: i64,
    /// Net of transfers in and out.
    pub transferred: i64,
}

impl Flow {
    /// Add the signed sum of one kind of move (as stored: a shipment is negative).
    pub fn add(&mut self, kind: super::values::MoveKind, quantity: i64) {
        use super::values::MoveKind::*;
        match kind {
            Receive => self.received += quantity,
            Ship => self.shipped -= quantity,
            Return => self.returned += quantity,
            Adjust => self.adjusted += quantity,
            Transfer => self.transferred += quantity,
        }
    }

    /// Add another flow of the same period (a warehouse's flow is the sum of its SKUs').
    pub fn merge(&mut self, other: &Flow) {
        self.opening += other.opening;
        self.received += other.received;
        self.shipped += other.shipped;
        self.returned += other.returned;
        self.adjusted += other.adjusted;
        self.transferred += other.transferred;
    }

    /// Closing units: the opening and every move of the period.
    pub fn closing(&self) -> i64 {
        self.opening + self.received - self.shipped
            + self.returned
            + self.adjusted
            + self.transferred
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::values::MoveKind;
    use proptest::prelude::*;

    #[test]
    fn available_is_on_hand_less_reserved() {
        let l = Level {
            on_hand: 10,
            reserved: 4,
        };
        assert_eq!(l.available(), 6);
    }

    #[test]
    fn a_need_above_what_is_there_is_short_and_named() {
        let n = needs([("TEA", 3), ("CUP", 2), ("TEA", 4)]);
        assert_eq!(n["TEA"], 7);
        let short = shortfalls("W1", &n, |sku| if sku == "TEA" { 6 } else { 2 });
        assert_eq!(short.len(), 1);
        assert_eq!(
            short[0].describe("available"),
            "TEA at warehouse W1: available 6, needed 7"
        );
        // Exactly what is there is enough.
        assert!(shortfalls("W1", &n, |_| 7).is_empty());
    }

    #[test]
    fn units_are_signed_whole_and_not_zero() {
        assert_eq!(parse_units("+3"), Ok(3));
        assert_eq!(parse_units(" -5 "), Ok(-5));
        assert!(parse_units("0").is_err());
        assert!(parse_units("2.5").is_err());
        assert!(parse_units("1000000001").is_err());
    }

    #[test]
    fn a_count_is_a_move() {
        assert_eq!(Count::To(8).delta(10), -2);
        assert_eq!(Count::To(12).delta(10), 2);
        assert_eq!(Count::By(-3).delta(10), -3);
    }

    #[test]
    fn check_finds_negative_short_and_reorder() {
        let kinds = |on_hand, reserved, point| {
            findings(Level { on_hand, reserved }, point)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(-1, 0, None), vec!["negative"]);
        assert_eq!(kinds(5, 6, None), vec!["short"]);
        assert_eq!(kinds(10, 0, Some(10)), vec!["reorder"]);
        assert!(kinds(11, 0, Some(10)).is_empty());
        assert_eq!(kinds(-2, 1, Some(0)), vec!["negative", "short", "reorder"]);
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn closing_is_opening_plus_every_move(
            opening in -1000i64..1000,
            moves in proptest::collection::vec((0usize..5, -500i64..500), 0..40),
        ) {
            let mut f = Flow { opening, ..Flow::default() };
            for (k, q) in &moves {
                f.add(MoveKind::ALL[*k], *q);
            }
            prop_assert_eq!(f.closing(), opening + moves.iter().map(|(_, q)| q).sum::<i64>());
        }
    }
}
