//! The closed sets of values the database stores as text: order status, channel, tier, customer
//! status, role, payment method and return kind. Each is an enum that parses from and prints as its
//! stored word; `store::types` converts them to and from SQL in one place, and clap takes its value
//! lists from them, so a word is spelled once.

use std::fmt;
use std::str::FromStr;

/// An enum of stored words: `as_str` and `Display` print the word, `FromStr` reads it back (the word
/// as the database and the spec write it, or one of its Chinese names, so a clerk's 线上 or 已发货 in
/// a file or a flag means what it says), `zh` gives the first Chinese name (what `--lang zh` shows),
/// `ALL` lists every value in order (`words` as text, for a message), and clap offers the words as a
/// flag's possible values, with the Chinese names as hidden aliases.
macro_rules! stored_words {
    ($(#[$doc:meta])* $name:ident, $what:literal {
        $($variant:ident = $word:literal [$($zh:literal),+]),+ $(,)?
    }) => {
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

            /// Its Chinese names, the first being the one tables show in `--lang zh`.
            pub fn zh_names(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($zh),+]),+
                }
            }

            /// The Chinese name tables show.
            pub fn zh(self) -> &'static str {
                self.zh_names()[0]
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
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text || v.zh_names().contains(&text))
                    .ok_or_else(|| format!("\"{text}\" is not a {}: {}", $what, $name::words()))
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                $name::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.as_str()).aliases(self.zh_names().iter().copied()))
            }
        }
    };
}

stored_words! {
    /// Where an order stands in its flow.
    OrderStatus, "order status" {
        PendingApproval = "pending_approval" ["待审批", "待审核"],
        Confirmed = "confirmed" ["已确认", "待发货"],
        Shipped = "shipped" ["已发货"],
        Delivered = "delivered" ["已送达", "已签收"],
        Completed = "completed" ["已完成", "交易成功"],
        Cancelled = "cancelled" ["已取消"],
    }
}

stored_words! {
    /// How a customer buys, and so how its orders are counted.
    Channel, "channel" {
        Online = "online" ["线上"],
        Offline = "offline" ["线下"],
        Agent = "agent" ["代理"],
    }
}

stored_words! {
    /// A customer's grade.
    Tier, "tier" {
        Normal = "normal" ["普通"],
        Important = "important" ["重要"],
        Key = "key" ["关键"],
    }
}

stored_words! {
    /// A customer's standing: a lead awaits first contact.
    CustomerStatus, "customer status" {
        Lead = "lead" ["线索", "潜在客户"],
        Active = "active" ["活跃", "正常"],
        Inactive = "inactive" ["停用", "不活跃"],
    }
}

stored_words! {
    /// A rep's role, which decides who may approve.
    Role, "role" {
        Rep = "rep" ["业务员", "销售代表"],
        Supervisor = "supervisor" ["主管"],
        Manager = "manager" ["经理"],
    }
}

stored_words! {
    /// How a payment was made.
    PaymentMethod, "payment method" {
        Alipay = "alipay" ["支付宝"],
        Wechat = "wechat" ["微信", "微信支付"],
        Card = "card" ["银行卡", "刷卡"],
        Transfer = "transfer" ["转账", "银行转账"],
        Cheque = "cheque" ["支票"],
        Cash = "cash" ["现金"],
        Other = "other" ["其他"],
    }
}

stored_words! {
    /// Why goods came back: a quality return counts against the product (and the carrier).
    ReturnKind, "return kind" {
        Quality = "quality" ["质量问题", "质量"],
        Customer = "customer" ["客户原因"],
    }
}

stored_words! {
    /// What an after-sales ticket asks for.
    TicketKind, "ticket kind" {
        Inquiry = "inquiry" ["咨询"],
        Complaint = "complaint" ["投诉"],
        Repair = "repair" ["维修"],
        Exchange = "exchange" ["换货"],
        Refund = "refund" ["退款"],
    }
}

stored_words! {
    /// Where an after-sales ticket stands: open → responded → resolved → closed.
    TicketStatus, "ticket status" {
        Open = "open" ["未处理", "待处理"],
        Responded = "responded" ["已响应"],
        Resolved = "resolved" ["已解决"],
        Closed = "closed" ["已关闭"],
    }
}

stored_words! {
    /// How a service request came in.
    TicketChannel, "ticket channel" {
        Phone = "phone" ["电话"],
        Online = "online" ["线上", "在线"],
        Email = "email" ["邮件"],
        Visit = "visit" ["上门"],
        Platform = "platform" ["平台"],
    }
}

stored_words! {
    /// Where a promotion campaign spends: search ads, social media, a marketplace, email, offline.
    MediaChannel, "campaign channel" {
        Search = "search" ["搜索"],
        Social = "social" ["社交媒体"],
        Platform = "platform" ["电商平台", "平台"],
        Email = "email" ["邮件"],
        Offline = "offline" ["线下"],
        Other = "other" ["其他"],
    }
}

stored_words! {
    /// What moved stock: goods received, shipped to a customer, returned by one, counted at a
    /// stock-take, or moved between warehouses.
    MoveKind, "stock move kind" {
        Receive = "receive" ["入库", "收货"],
        Ship = "ship" ["发货", "出库"],
        Return = "return" ["退货入库"],
        Adjust = "adjust" ["盘点调整", "盘点"],
        Transfer = "transfer" ["调拨"],
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
        for k in TicketKind::ALL {
            assert_eq!(k.to_string().parse::<TicketKind>(), Ok(*k));
        }
        for s in TicketStatus::ALL {
            assert_eq!(s.to_string().parse::<TicketStatus>(), Ok(*s));
        }
        for c in TicketChannel::ALL {
            assert_eq!(c.to_string().parse::<TicketChannel>(), Ok(*c));
        }
    }

    #[test]
    fn chinese_names_read_as_the_word_and_name_one_value_each() {
        assert_eq!("线上".parse::<Channel>(), Ok(Channel::Online));
        assert_eq!("代理".parse::<Channel>(), Ok(Channel::Agent));
        assert_eq!("重要".parse::<Tier>(), Ok(Tier::Important));
        assert_eq!("已发货".parse::<OrderStatus>(), Ok(OrderStatus::Shipped));
        assert_eq!("支付宝".parse::<PaymentMethod>(), Ok(PaymentMethod::Alipay));
        assert_eq!("主管".parse::<Role>(), Ok(Role::Supervisor));
        assert_eq!("质量问题".parse::<ReturnKind>(), Ok(ReturnKind::Quality));
        assert_eq!(OrderStatus::Shipped.zh(), "已发货");
        // Within one set no Chinese name is used twice, nor is one a stored word.
        fn distinct<T: Copy + fmt::Display>(all: &[T], names: fn(T) -> &'static [&'static str]) {
            let mut seen = std::collections::HashSet::new();
            for v in all {
                assert!(seen.insert(v.to_string()));
                for n in names(*v) {
                    assert!(seen.insert((*n).to_string()), "{n} twice");
                }
            }
        }
        distinct(OrderStatus::ALL, OrderStatus::zh_names);
        distinct(Channel::ALL, Channel::zh_names);
        distinct(Tier::ALL, Tier::zh_names);
        distinct(CustomerStatus::ALL, CustomerStatus::zh_names);
        distinct(Role::ALL, Role::zh_names);
        distinct(PaymentMethod::ALL, PaymentMethod::zh_names);
        distinct(ReturnKind::ALL, ReturnKind::zh_names);
        distinct(TicketKind::ALL, TicketKind::zh_names);
        distinct(TicketStatus::ALL, TicketStatus::zh_names);
        distinct(TicketChannel::ALL, TicketChannel::zh_names);
        distinct(MediaChannel::ALL, MediaChannel::zh_names);
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
