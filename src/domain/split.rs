//! Exact proportional splitting of an integer total (e.g. a target in cents)
//! by the largest-remainder method, so the parts always add back up to the
//! total and no part is off from its exact share by a whole unit.

use super::money::Money;

/// Split `total` (any integer unit, e.g. cents) into parts proportional to
/// `weights`, exactly: parts sum to total, each within one unit of its exact
/// share; leftover units go by the largest remainder, ties to the earlier
/// index. All weights zero → even split (same tie rule). A negative total is
/// split as the mirror image of the positive one. Empty weights → Err.
pub fn allocate(total: i64, weights: &[u128]) -> Result<Vec<i64>, String> {
    if weights.is_empty() {
        return Err(format!(
            "cannot split {total} over no weights: expected at least one weight"
        ));
    }
    let sum = weights
        .iter()
        .try_fold(0u128, |acc, &w| acc.checked_add(w))
        .ok_or_else(|| {
            format!(
                "the {} weights add up to more than {}: expected smaller weights",
                weights.len(),
                u128::MAX
            )
        })?;
    if sum == 0 {
        return allocate_even(total, weights.len());
    }
    let magnitude = u128::from(total.unsigned_abs());
    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for &w in weights {
        let product = magnitude.checked_mul(w).ok_or_else(|| {
            format!(
                "weight {w} is too large to split {total} exactly: expected total × weight below {}",
                u128::MAX
            )
        })?;
        floors.push(product / sum);
        remainders.push(product % sum);
    }
    // Each floor is at most the magnitude, and fewer than n units are left.
    let given: u128 = floors.iter().sum();
    let leftover = usize::try_from(magnitude - given).unwrap_or(usize::MAX);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort keeps the earlier index first among equal remainders.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    for &i in order.iter().take(leftover) {
        floors[i] += 1;
    }
    Ok(apply_sign(total, &floors))
}

/// Split an amount of money exactly by `weights`: in whole cents when the
/// amount is whole cents (so no part gets a fraction of a cent), else in the
/// 1e-4 units it was given in. Parts add up to the amount; each is within one
/// cent (or one unit) of its exact share.
pub fn allocate_money(total: Money, weights: &[u128]) -> Result<Vec<Money>, String> {
    let units = total.units();
    if units % UNITS_PER_CENT == 0 {
        let cents = allocate(units / UNITS_PER_CENT, weights)?;
        Ok(cents.into_iter().map(Money::from_cents).collect())
    } else {
        Ok(allocate(units, weights)?
            .into_iter()
            .map(Money::from_units)
            .collect())
    }
}

/// Split a run of periods (a region's months, in order) among parts (its reps) by `weights`, carrying
/// the rounding from one period to the next: every period's parts add up to it exactly, each part's
/// total over the run is its exact share of the run's total rounded by the largest remainder (so no
/// part gains more than one unit over its share), and no part of a period is negative. Rows are parts,
/// columns periods. Columns must not be negative.
pub fn allocate_carried(columns: &[i64], weights: &[u128]) -> Result<Vec<Vec<i64>>, String> {
    if let Some(c) = columns.iter().find(|c| **c < 0) {
        return Err(format!(
            "cannot carry the rounding over a negative period ({c}): expected amounts of 0 or more"
        ));
    }
    let total = columns
        .iter()
        .try_fold(0i64, |acc, &c| acc.checked_add(c))
        .ok_or("the periods add up to more than can be split")?;
    let n = weights.len();
    let whole = allocate(total, weights)?;
    let mut given = vec![0i64; n];
    let mut running = 0i64;
    let mut rows = vec![vec![0i64; columns.len()]; n];
    for (m, &c) in columns.iter().enumerate() {
        running += c;
        // Each part aims at its rounded share of the running total, never beyond its share of the
        // whole run; what that leaves over or short goes to the parts furthest behind (or ahead).
        let goal = allocate(running, weights)?;
        let room = |r: usize, given: &[i64]| whole[r] - given[r];
        let mut cell: Vec<i64> = (0..n)
            .map(|r| (goal[r] - given[r]).clamp(0, room(r, &given)))
            .collect();
        let mut short = c - cell.iter().sum::<i64>();
        while short != 0 {
            let behind = |r: usize| goal[r] - given[r] - cell[r];
            let pick = if short > 0 {
                (0..n)
                    .filter(|&r| cell[r] < room(r, &given))
                    .max_by(|&a, &b| behind(a).cmp(&behind(b)).then(b.cmp(&a)))
            } else {
                (0..n)
                    .filter(|&r| cell[r] > 0)
                    .min_by(|&a, &b| behind(a).cmp(&behind(b)).then(b.cmp(&a)))
            };
            let Some(r) = pick else {
                return Err("cannot carry the rounding: no part can take the difference".into());
            };
            let step = short.signum();
            cell[r] += step;
            short -= step;
        }
        for r in 0..n {
            rows[r][m] = cell[r];
            given[r] += cell[r];
        }
    }
    Ok(rows)
}

/// `allocate_carried` for money: in whole cents when every period is whole cents, else in the 1e-4
/// units the amounts were given in.
pub fn allocate_money_carried(
    columns: &[Money],
    weights: &[u128],
) -> Result<Vec<Vec<Money>>, String> {
    let cents = columns.iter().all(|c| c.units() % UNITS_PER_CENT == 0);
    let unit = if cents { UNITS_PER_CENT } else { 1 };
    let raw: Vec<i64> = columns.iter().map(|c| c.units() / unit).collect();
    Ok(allocate_carried(&raw, weights)?
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| Money::from_units(v * unit))
                .collect()
        })
        .collect())
}

const UNITS_PER_CENT: i64 = 100;

/// Split `total` into `n` parts that differ by at most one unit, the larger
/// parts first. n == 0 → Err.
pub fn allocate_even(total: i64, n: usize) -> Result<Vec<i64>, String> {
    if n == 0 {
        return Err(format!(
            "cannot split {total} into 0 parts: expected at least one part"
        ));
    }
    let magnitude = u128::from(total.unsigned_abs());
    let count = n as u128;
    let base = magnitude / count;
    let extra = magnitude % count;
    let parts: Vec<u128> = (0..count)
        .map(|i| if i < extra { base + 1 } else { base })
        .collect();
    Ok(apply_sign(total, &parts))
}

/// Each part is at most |total|, so it fits i64 once the sign is restored
/// (i64::MIN's magnitude only ever appears as a single whole part).
fn apply_sign(total: i64, parts: &[u128]) -> Vec<i64> {
    parts
        .iter()
        .map(|&p| {
            let signed = if total < 0 { -(p as i128) } else { p as i128 };
            signed as i64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn carried_quantity_100_over_three_reps_adds_up_every_way() {
        // A year of 100 split into months (9 months of 8, 3 of 9... as `targets split` gives), then to
        // three reps: each month adds up, each rep's year is its share within one unit.
        let months = allocate(100, &[1; 12]).expect("months");
        let rows = allocate_carried(&months, &[1, 1, 1]).expect("carried");
        for (m, &c) in months.iter().enumerate() {
            assert_eq!(rows.iter().map(|r| r[m]).sum::<i64>(), c);
        }
        let years: Vec<i64> = rows.iter().map(|r| r.iter().sum()).collect();
        assert_eq!(years, vec![34, 33, 33]);
        assert!(rows.iter().flatten().all(|&v| v >= 0));
    }

    #[test]
    fn carried_refuses_a_negative_period() {
        assert!(allocate_carried(&[5, -1], &[1, 1]).is_err());
    }

    #[test]
    fn hand_cases() {
        assert_eq!(allocate(100, &[1, 1, 1]), Ok(vec![34, 33, 33]));
        assert_eq!(allocate(10, &[0, 0]), Ok(vec![5, 5]));
        assert_eq!(allocate(-100, &[1, 1, 1]), Ok(vec![-34, -33, -33]));
        assert_eq!(allocate(11, &[0, 0, 0]), Ok(vec![4, 4, 3]));
        assert_eq!(allocate(100, &[1, 3]), Ok(vec![25, 75]));
        assert_eq!(allocate(100, &[0, 5, 0]), Ok(vec![0, 100, 0]));
        // Remainders 2/3 of a unit beat 1/3 regardless of index.
        assert_eq!(allocate(10, &[1, 2]), Ok(vec![3, 7]));
        assert_eq!(allocate(0, &[4, 1]), Ok(vec![0, 0]));
        assert_eq!(allocate(1, &[1, 1, 1, 1]), Ok(vec![1, 0, 0, 0]));
        assert_eq!(allocate(7, &[1u128 << 100]), Ok(vec![7]));
        assert_eq!(allocate(i64::MIN, &[1]), Ok(vec![i64::MIN]));
        assert_eq!(
            allocate(i64::MAX, &[1, 1]),
            Ok(vec![i64::MAX / 2 + 1, i64::MAX / 2])
        );
        assert!(allocate(10, &[]).is_err());
        assert!(allocate(10, &[u128::MAX, 1])
            .unwrap_err()
            .contains("weights add up"));
        assert!(allocate(10, &[u128::MAX / 2, 1])
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn money_goes_by_whole_cents_unless_given_finer() {
        let m = |s: &str| s.parse::<Money>().unwrap();
        let parts = allocate_money(m("100"), &[1, 1, 1]).unwrap();
        assert_eq!(parts, vec![m("33.34"), m("33.33"), m("33.33")]);
        let parts = allocate_money(m("0.0101"), &[1, 1]).unwrap();
        assert_eq!(parts, vec![m("0.0051"), m("0.005")]);
    }

    #[test]
    fn even_split() {
        assert_eq!(allocate_even(10, 3), Ok(vec![4, 3, 3]));
        assert_eq!(allocate_even(-10, 3), Ok(vec![-4, -3, -3]));
        assert_eq!(allocate_even(2, 4), Ok(vec![1, 1, 0, 0]));
        assert_eq!(allocate_even(i64::MIN, 1), Ok(vec![i64::MIN]));
        let e = allocate_even(10, 0).unwrap_err();
        assert!(e.contains("0 parts"), "{e}");
    }

    proptest! {

        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn carried_parts_add_up_by_period_and_by_part(
            columns in proptest::collection::vec(0i64..5_000, 1..13),
            weights in proptest::collection::vec(0u128..50, 1..8),
        ) {
            let rows = allocate_carried(&columns, &weights).expect("carried");
            for (m, &c) in columns.iter().enumerate() {
                prop_assert_eq!(rows.iter().map(|r| r[m]).sum::<i64>(), c);
            }
            let total: i64 = columns.iter().sum();
            let years: Vec<i64> = rows.iter().map(|r| r.iter().sum()).collect();
            prop_assert_eq!(years, allocate(total, &weights).expect("whole"));
            prop_assert!(rows.iter().flatten().all(|&v| v >= 0));
        }

        #[test]
        fn parts_are_exact_and_fair(
            total in -10_000_000_000_000i64..=10_000_000_000_000i64,
            weights in proptest::collection::vec(0u128..=1_000_000_000_000u128, 1..24),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let parts = allocate(total, &weights);
            prop_assert!(parts.is_ok());
            let parts = parts.unwrap_or_default();
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(total));
            let sum: i128 = weights.iter().map(|&w| w as i128).sum();
            for (&p, &w) in parts.iter().zip(&weights) {
                // |p − total·w/W| < 1  ⇔  |p·W − total·w| < W
                let diff = i128::from(p) * sum - i128::from(total) * w as i128;
                prop_assert!(diff.abs() < sum, "part {} weight {} of {}", p, w, sum);
            }
        }

        #[test]
        fn money_parts_are_whole_cents_exact_and_fair(
            cents in -1_000_000_000_000i64..=1_000_000_000_000i64,
            weights in proptest::collection::vec(0u128..=1_000_000_000u128, 1..13),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let total = Money::from_cents(cents);
            let parts = allocate_money(total, &weights).unwrap_or_default();
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().copied().sum::<Money>(), total);
            let sum: i128 = weights.iter().map(|&w| w as i128).sum();
            for (&p, &w) in parts.iter().zip(&weights) {
                prop_assert_eq!(p.units() % 100, 0, "part {} is not whole cents", p);
                // Within one cent (100 units) of the exact share.
                let diff = i128::from(p.units()) * sum - i128::from(total.units()) * w as i128;
                prop_assert!(diff.abs() < 100 * sum, "part {} weight {} of {}", p, w, sum);
            }
        }

        #[test]
        fn sub_cent_money_is_split_in_its_own_units(
            units in -1_000_000_000_000i64..=1_000_000_000_000i64,
            weights in proptest::collection::vec(0u128..=1_000_000u128, 1..13),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let total = Money::from_units(units);
            let parts = allocate_money(total, &weights).unwrap_or_default();
            prop_assert_eq!(parts.iter().copied().sum::<Money>(), total);
            let sum: i128 = weights.iter().map(|&w| w as i128).sum();
            for (&p, &w) in parts.iter().zip(&weights) {
                let diff = i128::from(p.units()) * sum - i128::from(total.units()) * w as i128;
                prop_assert!(diff.abs() < 100 * sum, "part {} weight {} of {}", p, w, sum);
            }
        }

        #[test]
        fn even_parts_sum_to_total(total in any::<i64>(), n in 1usize..50) {
            let parts = allocate_even(total, n).unwrap_or_default();
            prop_assert_eq!(parts.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(total));
            let max = parts.iter().max().copied().unwrap_or(0);
            let min = parts.iter().min().copied().unwrap_or(0);
            prop_assert!(max - min <= 1);
        }
    }
}
