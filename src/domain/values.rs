//! The closed sets of values the database stores as text: order status, channel, tier, customer
//! status, role, payment method and return kind. Each is an enum that parses from and prints as its
//! stored word; `store::types` converts them to and from SQL in one place, and clap takes its value
//! lists from them, so a word is spelled once.

use std::fmt;
use std::str::FromStr;

/// An enum of stored words: `as_str` and `Display` print the word, `FromStr` reads it back (exactly,
/// as the database and the spec write it), `ALL` lists every value in order (`words` as text, for a
/// message), and clap offers the same words as a flag's possible values.
macro_rules! stored_words {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and shown in CSV and JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// Every word in order, as a message lists them: "a, b, c".
            pub fn words() -> String {
                [$($word),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<$name, String> {
                match text {
                    $($word => Ok($name::$variant),)+
                    _ => Err(format!("\"{text}\" is not a {}: {}", $what, $name::words())),
                }
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                $name::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.as_str()))
            }
        }
    };
}

stored_words! {
    /// Where an order stands in its flow.
    OrderStatus, "order status" {
        PendingApproval = "pending_approval",
        Confirmed = "confirmed",
        Shipped = "shipped",
        Delivered = "delivered",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

stored_words! {
    /// How a customer buys, and so how its orders are counted.
    Channel, "channel" {
        Online = "online",
        Offline = "offline",
        Agent = "agent",
    }
}

stored_words! {
    /// A customer's grade.
    Tier, "tier" {
        Normal = "normal",
        Important = "important",
        Key = "key",
    }
}

stored_words! {
    /// A customer's standing: a lead awaits first contact.
    CustomerStatus, "customer status" {
        Lead = "lead",
        Active = "active",
        Inactive = "inactive",
    }
}

stored_words! {
    /// A rep's role, which decides who may approve.
    Role, "role" {
        Rep = "rep",
        Supervisor = "supervisor",
        Manager = "manager",
    }
}

stored_words! {
    /// How a payment was made.
    PaymentMethod, "payment method" {
        Alipay = "alipay",
        Wechat = "wechat",
        Card = "card",
        Transfer = "transfer",
        Cheque = "cheque",
        Cash = "cash",
        Other = "other",
    }
}

stored_words! {
    /// Why goods came back: a quality return counts against the product (and the carrier).
    ReturnKind, "return kind" {
        Quality = "quality",
        Customer = "customer",
    }
}

stored_words! {
    /// What moved stock: goods received, shipped to a customer, returned by one, counted at a
    /// stock-take, or moved between warehouses.
    MoveKind, "stock move kind" {
        Receive = "receive",
        Ship = "ship",
        Return = "return",
        Adjust = "adjust",
        Transfer = "transfer",
    }
}

stored_words! {
    /// What an order beyond the stock available gets when it is confirmed.
    Shortage, "stock.shortage value" {
        Allow = "allow",
        Refuse = "refuse",
    }
}

/// A list of words ("a, b, c", as `words` gives it) as a sentence offers them: "a, b or c".
pub fn or_list(words: &str) -> String {
    match words.rsplit_once(", ") {
        Some((rest, last)) => format!("{rest} or {last}"),
        None => words.to_string(),
    }
}

impl OrderStatus {
    /// A counting order is in the figures: sales, receivables, targets, new customers. Confirmed and
    /// every later state count; an order waiting for approval or cancelled does not.
    /// `store::types::COUNTING_SQL` says the same in SQL; a test there ties the two.
    pub fn counts(self) -> bool {
        !matches!(self, OrderStatus::PendingApproval | OrderStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(*s));
        }
        for c in Channel::ALL {
            assert_eq!(c.to_string().parse::<Channel>(), Ok(*c));
        }
        for t in Tier::ALL {
            assert_eq!(t.to_string().parse::<Tier>(), Ok(*t));
        }
        for s in CustomerStatus::ALL {
            assert_eq!(s.to_string().parse::<CustomerStatus>(), Ok(*s));
        }
        for r in Role::ALL {
            assert_eq!(r.to_string().parse::<Role>(), Ok(*r));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(m.to_string().parse::<PaymentMethod>(), Ok(*m));
        }
        for k in ReturnKind::ALL {
            assert_eq!(k.to_string().parse::<ReturnKind>(), Ok(*k));
        }
    }

    #[test]
    fn words_are_listed_in_order() {
        assert_eq!(Role::words(), "rep, supervisor, manager");
        assert_eq!(or_list(&Channel::words()), "online, offline or agent");
        assert_eq!(or_list(&ReturnKind::words()), "quality or customer");
        assert_eq!(or_list("one"), "one");
    }

    #[test]
    fn an_unknown_word_is_refused_naming_the_words() {
        assert_eq!(
            "vip".parse::<Tier>(),
            Err("\"vip\" is not a tier: normal, important, key".to_string())
        );
    }
}
