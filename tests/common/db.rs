//! The tests' own handle on a test database, on either engine: what `Env::conn()` returns. It offers
//! the few methods of `rusqlite::Connection` that tests use to read figures or back-date rows
//! (`execute_batch`, `execute`, `query_row`, `prepare` → `query_map`), with the same shapes, so that
//! one call site runs on SQLite and on PostgreSQL. Parameters are rusqlite's (`[]`, `[x]`,
//! `params![…]`); on PostgreSQL they are written into the SQL as literals (`?1` → `'text'`, `42`,
//! `NULL`) and the query runs through the simple protocol, whose values come back as text and are read
//! as `i64`, `String`, `Option<…>` or `f64`: the SQL of tests is plain enough for that, and it spares
//! every call site PostgreSQL's strict parameter types.

use std::cell::RefCell;
use std::fmt;

use rusqlite::types::{FromSql, ToSqlOutput, Value, ValueRef};
use rusqlite::ToSql;

pub use rusqlite::params;

/// Why a test's SQL failed, from either engine.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error(format!("sqlite: {e}"))
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        // The server's own message (and its detail) says more than the client's summary.
        match e.as_db_error() {
            Some(db) => Error(format!(
                "postgres: {}: {}{}",
                db.severity(),
                db.message(),
                db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
            )),
            None => Error(format!("postgres: {e}")),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A connection to a test database: a SQLite file or a PostgreSQL database.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    // The client's methods take `&mut self`; rusqlite's (which call sites use) take `&self`.
    Postgres(RefCell<postgres::Client>),
}

impl Connection {
    /// The database file at `path`.
    pub fn sqlite(path: &std::path::Path) -> Connection {
        Connection::Sqlite(
            rusqlite::Connection::open(path)
                .unwrap_or_else(|e| panic!("open test db {}: {e}", path.display())),
        )
    }

    /// The database file at `path`, opened read-only (so that looking cannot change it).
    pub fn sqlite_read_only(path: &std::path::Path) -> Connection {
        Connection::Sqlite(
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap_or_else(|e| panic!("open {} read-only: {e}", path.display())),
        )
    }

    /// The PostgreSQL database at `url`.
    pub fn postgres(url: &str) -> Connection {
        Connection::Postgres(RefCell::new(super::pg::connect(url)))
    }

    /// Several statements with no parameters (`UPDATE …; INSERT …;`).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Connection::Postgres(c) => Ok(c.borrow_mut().batch_execute(sql)?),
        }
    }

    /// One statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        let values = params.values()?;
        match self {
            Connection::Sqlite(c) => Ok(c.execute(sql, rusqlite::params_from_iter(values.iter()))?),
            Connection::Postgres(c) => {
                let sql = inline(sql, &values)?;
                Ok(c.borrow_mut().execute(sql.as_str(), &[])? as usize)
            }
        }
    }

    /// The first row of a query, read by `f`; an error when there is none.
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let values = params.values()?;
        match self {
            Connection::Sqlite(c) => {
                let mut stmt = c.prepare(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(row) => f(&Row::Sqlite(row)),
                    None => Err(Error(format!("no row: {sql}"))),
                }
            }
            Connection::Postgres(_) => {
                let rows = self.pg_rows(sql, &values)?;
                match rows.first() {
                    Some(row) => f(&Row::Postgres(row)),
                    None => Err(Error(format!("no row: {sql}"))),
                }
            }
        }
    }

    /// A query to run with `query_map`.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(c) => Ok(Statement {
                conn: self,
                sql: sql.to_string(),
                sqlite: Some(c.prepare(sql)?),
            }),
            Connection::Postgres(_) => Ok(Statement {
                conn: self,
                sql: sql.to_string(),
                sqlite: None,
            }),
        }
    }

    /// SQL for the whole days from the date `earlier` to the date `later` (two SQL expressions of
    /// `YYYY-MM-DD` dates): the one place where tests' SQL differs between the engines.
    pub fn days_between(&self, later: &str, earlier: &str) -> String {
        match self {
            Connection::Sqlite(_) => {
                format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)")
            }
            Connection::Postgres(_) => format!("(CAST({later} AS date) - CAST({earlier} AS date))"),
        }
    }

    /// The names of the tables (not views), sorted: what a test compares whole.
    pub fn tables(&self) -> Result<Vec<String>> {
        let sql = match self {
            Connection::Sqlite(_) => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 ORDER BY name"
            }
            Connection::Postgres(_) => {
                "SELECT table_name FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            }
        };
        self.prepare(sql)?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_>>()
    }

    fn pg_rows(&self, sql: &str, values: &[Value]) -> Result<Vec<postgres::SimpleQueryRow>> {
        let Connection::Postgres(c) = self else {
            unreachable!("pg_rows on SQLite")
        };
        let sql = inline(sql, values)?;
        let messages = c.borrow_mut().simple_query(&sql)?;
        Ok(messages
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => Some(row),
                _ => None,
            })
            .collect())
    }
}

/// A query of `Connection::prepare`.
pub struct Statement<'c> {
    conn: &'c Connection,
    sql: String,
    sqlite: Option<rusqlite::Statement<'c>>,
}

impl Statement<'_> {
    /// Every row read by `f`, in order (all read at once: tests' queries are small).
    pub fn query_map<T, P, F>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        let values = params.values()?;
        let mut out = Vec::new();
        match &mut self.sqlite {
            Some(stmt) => {
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::Sqlite(row)));
                }
            }
            None => {
                for row in self.conn.pg_rows(&self.sql, &values)? {
                    out.push(f(&Row::Postgres(&row)));
                }
            }
        }
        Ok(out.into_iter())
    }

    /// The first row read by `f`.
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let sql = self.sql.clone();
        self.conn.query_row(&sql, params, f)
    }

    /// The number of columns of the query's result.
    pub fn column_count(&self) -> usize {
        match &self.sqlite {
            Some(stmt) => stmt.column_count(),
            None => {
                // The simple protocol names the columns only with a row: describe the query instead.
                let Connection::Postgres(c) = self.conn else {
                    unreachable!()
                };
                c.borrow_mut()
                    .prepare(&self.sql)
                    .map(|s| s.columns().len())
                    .unwrap_or_else(|e| panic!("describe {}: {e}", self.sql))
            }
        }
    }
}

/// One row of a result.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::SimpleQueryRow),
}

impl Row<'_> {
    /// Column `idx` (from 0) as a `T`.
    pub fn get<I: RowIndex, T: Cell>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        match self {
            Row::Sqlite(r) => Ok(r.get::<_, T>(idx)?),
            Row::Postgres(r) => {
                let text = r
                    .try_get(idx)
                    .map_err(|e| Error(format!("column {idx}: {e}")))?;
                T::from_text(text).map_err(|e| Error(format!("column {idx} ({text:?}): {e}")))
            }
        }
    }

    /// Column `idx` as text, whatever its type (`NULL` → `None`): for comparing whole rows.
    pub fn text(&self, idx: usize) -> Result<Option<String>> {
        match self {
            Row::Sqlite(r) => Ok(match r.get_ref(idx)? {
                ValueRef::Null => None,
                ValueRef::Integer(n) => Some(n.to_string()),
                ValueRef::Real(x) => Some(x.to_string()),
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Some(format!("{b:02x?}")),
            }),
            Row::Postgres(r) => Ok(r
                .try_get(idx)
                .map_err(|e| Error(format!("column {idx}: {e}")))?
                .map(str::to_string)),
        }
    }
}

/// A column's place in a row, from 0 (a trait, as rusqlite's, so that a bare `0` is a `usize`).
pub trait RowIndex {
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// A value a test reads from a column: rusqlite's conversion on SQLite, and from the text of the
/// simple protocol on PostgreSQL (`None` is SQL `NULL`).
pub trait Cell: FromSql + Sized {
    fn from_text(text: Option<&str>) -> Result<Self, String>;
}

fn not_null(text: Option<&str>) -> Result<&str, String> {
    text.ok_or_else(|| "NULL where a value was expected".to_string())
}

macro_rules! parsed_cell {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn from_text(text: Option<&str>) -> Result<Self, String> {
                // A comparison is a boolean on PostgreSQL and 1 or 0 on SQLite: read it as SQLite does.
                match not_null(text)? {
                    "t" => Ok(1),
                    "f" => Ok(0),
                    number => number.parse().map_err(|e| format!("{e}")),
                }
            }
        }
    )*};
}
parsed_cell!(i64, i32, u32, u64, usize);

impl Cell for f64 {
    fn from_text(text: Option<&str>) -> Result<Self, String> {
        not_null(text)?.parse().map_err(|e| format!("{e}"))
    }
}

impl Cell for String {
    fn from_text(text: Option<&str>) -> Result<Self, String> {
        Ok(not_null(text)?.to_string())
    }
}

impl Cell for bool {
    fn from_text(text: Option<&str>) -> Result<Self, String> {
        match not_null(text)? {
            "t" | "true" | "1" => Ok(true),
            "f" | "false" | "0" => Ok(false),
            other => Err(format!("not a boolean: {other}")),
        }
    }
}

impl<T: Cell> Cell for Option<T> {
    fn from_text(text: Option<&str>) -> Result<Self, String> {
        text.map(|t| T::from_text(Some(t))).transpose()
    }
}

/// The parameters of a query, as rusqlite takes them: `[]`, `[a, b]` of one type, `params![…]`.
pub trait Params {
    fn values(&self) -> Result<Vec<Value>>;
}

fn value_of(p: &dyn ToSql) -> Result<Value> {
    Ok(match p.to_sql()? {
        ToSqlOutput::Borrowed(v) => v.into(),
        ToSqlOutput::Owned(v) => v,
        other => return Err(Error(format!("unsupported test parameter {other:?}"))),
    })
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn values(&self) -> Result<Vec<Value>> {
        Ok(Vec::new())
    }
}

impl Params for &[&dyn ToSql] {
    fn values(&self) -> Result<Vec<Value>> {
        self.iter().map(|p| value_of(*p)).collect()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn values(&self) -> Result<Vec<Value>> {
                self.iter().map(|p| value_of(p)).collect()
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn values(&self) -> Result<Vec<Value>> {
                self.iter().map(|p| value_of(p)).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8);

/// `sql` with its parameters (`?1`, `?2`…, or `?` for the next one) written in as PostgreSQL
/// literals; a `?` inside a quoted string or name is text, not a parameter.
pub fn inline(sql: &str, values: &[Value]) -> Result<String> {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let index = if digits.is_empty() {
                    next += 1;
                    next
                } else {
                    digits.parse::<usize>().map_err(|e| Error(e.to_string()))?
                };
                next = next.max(index);
                let value = values.get(index.wrapping_sub(1)).ok_or_else(|| {
                    Error(format!(
                        "parameter ?{index} has no value ({} given): {sql}",
                        values.len()
                    ))
                })?;
                out.push_str(&literal(value));
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// A value as a PostgreSQL literal (standard strings: a quote is doubled, a backslash is itself).
fn literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => format!("{x:?}"),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
        Value::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("'\\x{hex}'::bytea")
        }
    }
}
