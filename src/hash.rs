//! A fast hash for maps keyed by short strings that the program itself looks up millions of times
//! during an import (codes, SKUs): rustc's FxHash, from `rustc-hash`. SipHash's protection against
//! crafted keys buys nothing there.

pub type Fx = rustc_hash::FxBuildHasher;
pub type FxHashMap<K, V> = rustc_hash::FxHashMap<K, V>;
