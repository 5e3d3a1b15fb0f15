//! Customers as plain values: the kinds of follow-up, and what a new customer starts as, however it is
//! added (`customers add`, a customers import, an orders import).

use super::values::{Channel, CustomerStatus, Tier};

pub const FOLLOW_UPS: [&str; 4] = ["call", "visit", "email", "message"];

/// A new customer buys offline unless told otherwise.
pub const NEW_CHANNEL: Channel = Channel::Offline;
/// A new customer starts in the lowest tier, unlocked, until `customers regrade` grades it.
pub const NEW_TIER: Tier = Tier::Normal;
/// A new customer is active (a lead is added as such on purpose).
pub const NEW_STATUS: CustomerStatus = CustomerStatus::Active;

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub code: String,
    pub name: String,
    /// Area code.
    pub area: Option<String>,
    pub city: Option<String>,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub channel: Channel,
    pub segment: Option<String>,
    pub owner: Option<String>,
    pub tier: Tier,
    pub tier_locked: bool,
    pub status: CustomerStatus,
    pub terms_days: Option<i64>,
    pub created: String,
    /// The campaign that brought the customer or lead.
    pub campaign: Option<String>,
}

impl Customer {
    /// A customer with nothing but its code, name and creation date, and what every new customer starts
    /// as: offline, tier normal and unlocked, active.
    pub fn new(code: &str, name: &str, created: &str) -> Customer {
        Customer {
            code: code.to_string(),
            name: name.to_string(),
            area: None,
            city: None,
            company: None,
            phone: None,
            email: None,
            channel: NEW_CHANNEL,
            segment: None,
            owner: None,
            tier: NEW_TIER,
            tier_locked: false,
            status: NEW_STATUS,
            terms_days: None,
            created: created.to_string(),
            campaign: None,
        }
    }
}
