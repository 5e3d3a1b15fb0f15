//! Customer values: the channels a customer buys through, its statuses, the kinds of follow-up, and what
//! a new customer starts as, however it is added (`customers add`, a customers import, an orders import).

pub const CHANNELS: [&str; 3] = ["online", "offline", "agent"];
pub const STATUSES: [&str; 3] = ["lead", "active", "inactive"];
pub const FOLLOW_UPS: [&str; 4] = ["call", "visit", "email", "message"];

/// A new customer buys offline unless told otherwise.
pub const NEW_CHANNEL: &str = "offline";
/// A new customer starts in the lowest tier, unlocked, until `customers regrade` grades it.
pub const NEW_TIER: &str = "normal";
/// A new customer is active (a lead is added as such on purpose).
pub const NEW_STATUS: &str = "active";
