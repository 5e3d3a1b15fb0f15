//! Plain types and pure rules: no SQL, no printing.

pub mod aging;
pub mod area;
pub mod calendar;
pub mod date;
pub mod decimal;
pub mod money;
pub mod order;
pub mod period;
pub mod policy;
pub mod pricing;
pub mod rate;
pub mod split;
pub mod target;
pub mod tier;
