// The engine seam lands beside this module; until it uses the dialect, only the tests do.
#[cfg_attr(not(test), allow(dead_code))]
pub mod dialect;
