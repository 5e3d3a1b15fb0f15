//! Plain types and pure rules: no SQL, no printing.

pub mod aging;
pub mod area;
pub mod calendar;
pub mod campaign;
pub mod carrier;
pub mod customer;
pub mod date;
pub mod decimal;
pub mod hours;
pub mod money;
pub mod order;
pub mod period;
pub mod policy;
pub mod pricing;
pub mod rate;
pub mod rep;
pub mod scorecard;
pub mod service;
pub mod split;
pub mod stock;
pub mod target;
pub mod text;
pub mod tier;
pub mod values;

/// Property tests of the domain run with a seed that is printed and can be given back
/// (`SALESOPS_TEST_SEED`), so a failure found once can be replayed.
#[cfg(test)]
pub(crate) fn proptest_config() -> proptest::test_runner::Config {
    let seed = match std::env::var("SALESOPS_TEST_SEED") {
        Ok(text) => text.trim().parse().unwrap_or(0),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7),
    };
    eprintln!("proptest seed {seed} (replay with SALESOPS_TEST_SEED={seed})");
    proptest::test_runner::Config {
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
