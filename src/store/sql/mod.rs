//! The seam between the store and the database engines. Every query of `store` runs through this one
//! handle, shaped like the small part of rusqlite the store uses (prepare, bind, map rows), so the SQL
//! of each query is written once and runs on either engine:
//!
//! - **SQLite** (`Connection::Sqlite`): the statements go to rusqlite as they are written, with their
//!   parameters bound; nothing is translated and nothing is copied.
//! - **PostgreSQL** (`Connection::Postgres`, `postgres.rs`): each distinct statement text is translated
//!   once (`dialect`) and run through the simple query protocol, its parameters written into it as SQL
//!   literals; every value comes back as text and is read by the type the store asks for.
//!
//! Values cross the seam as `ValueRef` (what SQLite stores: null, integer, real, text, blob), through the
//! `ToSql` / `FromSql` traits that `store::types` implements for money, rates and the stored words.

pub mod dialect;
mod postgres;

use std::fmt;

pub use postgres::{PgConnection, PgError};

/// A database the store works on: the one handle every `store` function takes.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    // Boxed: one connection per process, and the SQLite variant, used far more, stays small.
    Postgres(Box<PgConnection>),
}

/// Which engine a connection talks to, for the few places where the engines differ in more than SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A value as the engines exchange it. `Untyped` is text from PostgreSQL's text protocol, which carries
/// every type as text: it is read as whatever type the store asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
    Untyped(&'a str),
}

impl<'a> ValueRef<'a> {
    /// The text of a text value (an error for any other type), as rusqlite's `as_str`.
    pub fn as_str(&self) -> FromSqlResult<&'a str> {
        match *self {
            ValueRef::Text(t) | ValueRef::Untyped(t) => Ok(t),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    fn from_sqlite(v: rusqlite::types::ValueRef<'a>) -> ValueRef<'a> {
        use rusqlite::types::ValueRef as V;
        match v {
            V::Null => ValueRef::Null,
            V::Integer(i) => ValueRef::Integer(i),
            V::Real(f) => ValueRef::Real(f),
            // SQLite keeps text as it was given; the store only ever writes UTF-8.
            V::Text(t) => match std::str::from_utf8(t) {
                Ok(s) => ValueRef::Text(s),
                Err(_) => ValueRef::Blob(t),
            },
            V::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// Why a stored value could not be read as the type asked for.
#[derive(Debug)]
pub enum FromSqlError {
    InvalidType,
    OutOfRange(i64),
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl fmt::Display for FromSqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromSqlError::InvalidType => write!(f, "a value of another type"),
            FromSqlError::OutOfRange(i) => write!(f, "{i} is out of range"),
            FromSqlError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FromSqlError {}

pub type FromSqlResult<T> = std::result::Result<T, FromSqlError>;

/// A failure of the engine, or of reading what it returned.
#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    Postgres(PgError),
    /// `query_row` found no row (`OptionalExtension::optional` makes it `None`).
    NoRows,
    /// Column `column` held a value that is not of the type asked for.
    Conversion {
        column: usize,
        cause: FromSqlError,
    },
}

impl Error {
    /// Whether the engine refused a computation because an integer overflowed (a sum past i64).
    pub fn is_overflow(&self) -> bool {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(_, Some(m))) => m.contains("overflow"),
            Error::Postgres(e) => e.is_overflow(),
            _ => false,
        }
    }

    /// Whether a stored value could not be read as the type asked for.
    pub fn is_conversion(&self) -> bool {
        matches!(
            self,
            Error::Conversion { .. }
                | Error::Sqlite(
                    rusqlite::Error::InvalidColumnType(..)
                        | rusqlite::Error::FromSqlConversionFailure(..)
                        | rusqlite::Error::IntegralValueOutOfRange(..)
                )
        )
    }

    /// A value of column `column` that the store's own reading refused (a malformed stored date).
    pub fn conversion(
        column: usize,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Conversion {
            column,
            cause: FromSqlError::Other(cause.into()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite(e) => write!(f, "{e}"),
            Error::Postgres(e) => write!(f, "{e}"),
            Error::NoRows => write!(f, "query returned no rows"),
            Error::Conversion { column, cause } => {
                write!(f, "column {column} cannot be read: {cause}")
            }
        }
    }
}

impl std::error::Error for Error {
    // The engine's error is shown by `Display` already: its own causes come next, not itself again.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(e) => e.source(),
            Error::Postgres(e) => e.source(),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            other => Error::Sqlite(other),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A value the store passes to a query.
pub trait ToSql {
    fn to_sql(&self) -> ValueRef<'_>;
}

/// A value the store reads from a column.
pub trait FromSql: Sized {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self>;
}

impl ToSql for i64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(*self)
    }
}

macro_rules! small_int_sql {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::from(*self))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let i = i64::column_result(value)?;
                <$t>::try_from(i).map_err(|_| FromSqlError::OutOfRange(i))
            }
        }
    )+};
}
small_int_sql!(i32, u32, u8, u16, i16);

impl ToSql for usize {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl FromSql for usize {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let i = i64::column_result(value)?;
        usize::try_from(i).map_err(|_| FromSqlError::OutOfRange(i))
    }
}

impl ToSql for bool {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}

impl ToSql for f64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

impl ToSql for str {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToSql for String {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.to_sql(),
            None => ValueRef::Null,
        }
    }
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> ValueRef<'_> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ?Sized> ToSql for Box<T> {
    fn to_sql(&self) -> ValueRef<'_> {
        (**self).to_sql()
    }
}

impl FromSql for i64 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(i) => Ok(i),
            ValueRef::Untyped(t) => parse_integer(t),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// An integer as PostgreSQL writes one in text: digits (a `numeric` sum of integers has no fraction),
/// or a boolean (`t`/`f`) where SQLite would have given 1/0.
fn parse_integer(text: &str) -> FromSqlResult<i64> {
    match text {
        "t" => return Ok(1),
        "f" => return Ok(0),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Ok(i);
    }
    // A whole `numeric` may come as "12.000"; anything else is not an integer.
    match text.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => {
            whole.parse::<i64>().map_err(|_| FromSqlError::InvalidType)
        }
        _ => Err(FromSqlError::InvalidType),
    }
}

impl FromSql for bool {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(|i| i != 0)
    }
}

impl FromSql for f64 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(i) => Ok(i as f64),
            ValueRef::Real(f) => Ok(f),
            ValueRef::Untyped(t) => t.parse().map_err(|_| FromSqlError::InvalidType),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl FromSql for String {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str().map(str::to_string)
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::column_result(v).map(Some),
        }
    }
}

/// Any value as it is stored, for reading a column of unknown type (a row's key in a finding).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl FromSql for Value {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) | ValueRef::Untyped(t) => Value::Text(t.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        })
    }
}

/// A statement's parameters: arrays and slices of values, `params![…]`, or `params_from_iter(…)`.
pub trait Params {
    fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R;
}

impl Params for [&dyn ToSql; 0] {
    fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        f(&[])
    }
}

impl Params for &[&dyn ToSql] {
    fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        let values: Vec<ValueRef<'_>> = self.iter().map(|p| p.to_sql()).collect();
        f(&values)
    }
}

macro_rules! array_params {
    ($($n:literal),+) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
                let values: Vec<ValueRef<'_>> = self.iter().map(|p| p.to_sql()).collect();
                f(&values)
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
                let values: Vec<ValueRef<'_>> = self.iter().map(|p| p.to_sql()).collect();
                f(&values)
            }
        }
    )+};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/// Parameters from an iterator of values.
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn with_values<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        let items: Vec<I::Item> = self.0.into_iter().collect();
        let values: Vec<ValueRef<'_>> = items.iter().map(|p| p.to_sql()).collect();
        f(&values)
    }
}

/// `params![a, b, …]`: a statement's parameters of different types, as rusqlite's macro.
#[macro_export]
macro_rules! sql_params {
    () => {
        &[] as &[&dyn $crate::store::sql::ToSql]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::store::sql::ToSql),+] as &[&dyn $crate::store::sql::ToSql]
    };
}
pub use crate::sql_params as params;

/// A value bound into a SQLite statement without a copy.
struct Bind<'a>(ValueRef<'a>);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as V};
        Ok(ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => V::Null,
            ValueRef::Integer(i) => V::Integer(i),
            ValueRef::Real(f) => V::Real(f),
            ValueRef::Text(t) | ValueRef::Untyped(t) => V::Text(t.as_bytes()),
            ValueRef::Blob(b) => V::Blob(b),
        }))
    }
}

fn sqlite_params<'v>(
    values: &'v [ValueRef<'v>],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bind<'v>> + 'v> {
    rusqlite::params_from_iter(values.iter().map(|v| Bind(*v)))
}

impl Connection {
    pub fn engine(&self) -> Engine {
        match self {
            Connection::Sqlite(_) => Engine::Sqlite,
            Connection::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection inside, for what only SQLite has (pragmas, the online backup).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(c) => Some(c),
            Connection::Postgres(_) => None,
        }
    }

    /// A statement kept prepared for the next use of the same text.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement(match self {
            Connection::Sqlite(c) => StatementInner::SqliteCached(c.prepare_cached(sql)?),
            Connection::Postgres(p) => StatementInner::Postgres(p.prepare(sql)?),
        }))
    }

    /// A statement used once (texts built at run time, which a cache would only fill).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement(match self {
            Connection::Sqlite(c) => StatementInner::Sqlite(c.prepare(sql)?),
            Connection::Postgres(p) => StatementInner::Postgres(p.prepare(sql)?),
        }))
    }

    /// Run one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Run statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Connection::Postgres(p) => p.execute_batch(sql),
        }
    }

    /// The first row of a query mapped by `f`; `Error::NoRows` when there is none.
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// A prepared statement of either engine.
pub struct Statement<'c>(StatementInner<'c>);

enum StatementInner<'c> {
    SqliteCached(rusqlite::CachedStatement<'c>),
    Sqlite(rusqlite::Statement<'c>),
    Postgres(postgres::PgStatement<'c>),
}

impl<'c> Statement<'c> {
    fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match &mut self.0 {
            StatementInner::SqliteCached(s) => Some(s),
            StatementInner::Sqlite(s) => Some(s),
            StatementInner::Postgres(_) => None,
        }
    }

    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        if let StatementInner::Postgres(p) = &self.0 {
            return params.with_values(|v| p.execute(v));
        }
        let Some(s) = self.sqlite() else {
            unreachable!("a statement is of one engine or the other")
        };
        params.with_values(|v| Ok(s.execute(sqlite_params(v))?))
    }

    /// The rows of a query, read one by one with `Rows::next`.
    pub fn query(&mut self, params: impl Params) -> Result<Rows<'_>> {
        if let StatementInner::Postgres(p) = &self.0 {
            let rows = params.with_values(|v| p.query(v))?;
            return Ok(Rows(RowsInner::Postgres { rows, at: 0 }));
        }
        let Some(s) = self.sqlite() else {
            unreachable!("a statement is of one engine or the other")
        };
        let rows = params.with_values(|v| s.query(sqlite_params(v)))?;
        Ok(Rows(RowsInner::Sqlite(rows)))
    }

    /// Every row of a query mapped by `f`, as an iterator of results.
    pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::NoRows),
        }
    }
}

/// The rows of a query.
pub struct Rows<'s>(RowsInner<'s>);

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        rows: Vec<postgres::PgRow>,
        at: usize,
    },
}

impl Rows<'_> {
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.0 {
            RowsInner::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            RowsInner::Postgres { rows, at } => {
                let row = rows.get(*at);
                *at += 1;
                Ok(row.map(Row::Postgres))
            }
        }
    }
}

/// The rows of a query mapped by a function.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row of a result.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::PgRow),
}

impl Row<'_> {
    /// Column `i` (from 0) as the type asked for.
    pub fn get<I: RowIndex, T: FromSql>(&self, i: I) -> Result<T> {
        let i = i.index();
        T::column_result(self.get_ref(i)?).map_err(|cause| Error::Conversion { column: i, cause })
    }

    /// Column `i` as it is stored.
    pub fn get_ref(&self, i: usize) -> Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(r) => Ok(ValueRef::from_sqlite(r.get_ref(i)?)),
            Row::Postgres(r) => postgres::column(r, i),
        }
    }
}

/// How a column is named: by its position, from 0.
pub trait RowIndex {
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// `.optional()` on a query of one row: no row is `None` rather than an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        Connection::Sqlite(rusqlite::Connection::open_in_memory().expect("in-memory database"))
    }

    #[test]
    fn values_round_trip_through_sqlite() {
        let conn = memory();
        conn.execute_batch("CREATE TABLE t (i INTEGER, s TEXT, f REAL, n TEXT)")
            .expect("table");
        let s = String::from("华东");
        conn.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
            params![-5i64, s, 1.5f64, None::<String>],
        )
        .expect("insert");
        let got: (i64, String, f64, Option<String>) = conn
            .query_row("SELECT i, s, f, n FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .expect("row");
        assert_eq!(got, (-5, "华东".to_string(), 1.5, None));
        let none = conn
            .query_row("SELECT i FROM t WHERE i = ?1", [7i64], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .expect("query");
        assert_eq!(none, None);
        let wrong = conn.query_row("SELECT s FROM t", [], |r| r.get::<_, i64>(0));
        assert!(wrong.is_err_and(|e| e.is_conversion()));
    }

    #[test]
    fn text_from_the_server_reads_as_any_type() {
        assert_eq!(i64::column_result(ValueRef::Untyped("-12")).ok(), Some(-12));
        assert_eq!(
            i64::column_result(ValueRef::Untyped("12.000")).ok(),
            Some(12)
        );
        assert_eq!(i64::column_result(ValueRef::Untyped("t")).ok(), Some(1));
        assert!(i64::column_result(ValueRef::Untyped("1.5")).is_err());
        assert_eq!(f64::column_result(ValueRef::Untyped("4.5")).ok(), Some(4.5));
        assert_eq!(
            String::column_result(ValueRef::Untyped("x")).ok(),
            Some("x".into())
        );
        // SQLite's own types stay strict: text is not an integer there.
        assert!(i64::column_result(ValueRef::Text("12")).is_err());
    }
}
