//! How domain values are stored: money and rates as integers (exact), dates as ISO text.

use crate::store::sql::{FromSql, FromSqlError, FromSqlResult, ToSql, ValueRef};

use crate::domain::money::Money;
use crate::domain::rate::Rate;
use crate::domain::values::{
    Channel, CustomerStatus, MediaChannel, MoveKind, OrderStatus, PaymentMethod, ReturnKind, Role,
    TicketChannel, TicketKind, TicketStatus, Tier,
};

impl ToSql for Money {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(self.units())
    }
}

impl FromSql for Money {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Money::from_units)
    }
}

impl ToSql for Rate {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(self.millionths())
    }
}

impl FromSql for Rate {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Rate::from_millionths)
    }
}

/// The stored words (`domain::values`) go to SQL as their text and come back parsed; a word the enum
/// does not know is a corrupt row, reported by column like any other conversion error.
macro_rules! stored_word_sql {
    ($($name:ty),+) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> ValueRef<'_> {
                ValueRef::Text(self.as_str())
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: String| FromSqlError::Other(e.into()))
            }
        }
    )+};
}

stored_word_sql!(
    OrderStatus,
    Channel,
    Tier,
    CustomerStatus,
    Role,
    PaymentMethod,
    ReturnKind,
    TicketKind,
    TicketStatus,
    TicketChannel,
    MediaChannel,
    MoveKind
);

/// The SQL condition of a counting order, on `orders` aliased `o`: the rule of
/// `OrderStatus::counts`, which the test below ties it to. Every query that counts orders says it with
/// this (aliasing `orders` as `o`); only the frozen migration code spells it out.
pub const COUNTING_SQL: &str = "o.status NOT IN ('cancelled', 'pending_approval')";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_sql_says_what_counts_says() {
        // Ask SQLite itself which statuses the fragment lets through.
        let conn = crate::store::sql::Connection::Sqlite(
            rusqlite::Connection::open_in_memory().expect("in-memory database"),
        );
        conn.execute_batch("CREATE TABLE orders (status TEXT)")
            .expect("table");
        for s in OrderStatus::ALL {
            conn.execute("INSERT INTO orders VALUES (?1)", [s])
                .expect("insert");
        }
        let mut stmt = conn
            .prepare(&format!("SELECT status FROM orders o WHERE {COUNTING_SQL}"))
            .expect("prepare");
        let through: Vec<OrderStatus> = stmt
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let counting: Vec<OrderStatus> = OrderStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.counts())
            .collect();
        assert_eq!(through, counting);
    }

    #[test]
    fn an_unknown_stored_word_is_an_error_not_a_default() {
        let conn = crate::store::sql::Connection::Sqlite(
            rusqlite::Connection::open_in_memory().expect("in-memory database"),
        );
        let got: crate::store::sql::Result<Tier> = conn.query_row("SELECT 'vip'", [], |r| r.get(0));
        assert!(got.is_err());
    }
}
