//! The PostgreSQL engine behind the seam. A statement's text is translated once (`dialect`) and cut
//! around its placeholders; each run writes the parameters into it as SQL literals and sends it by the
//! simple query protocol, whose results are all text. Why literals rather than server-side parameters:
//! PostgreSQL types a `$1` from its context and refuses a value of another type, where SQLite (and the
//! store's SQL, written for it) takes any; a quoted literal is typed by its context as SQLite does, so the
//! same SQL reads the same on both. Text is quoted by doubling quotes with `standard_conforming_strings`
//! on (set at connect), which leaves no way out of a literal; a NUL, which PostgreSQL text cannot hold,
//! is refused.
//!
//! Round trips: an import writes about nine statements a line, and on a server each statement sent
//! alone costs a round trip that is longer than the server's own work on it (about 75 µs against 40
//! µs on one machine). So inside a transaction a plain `INSERT … VALUES` (with or without `ON CONFLICT
//! … DO UPDATE`, whose count of rows is that of its tuples) is not sent at once: it is queued, and the
//! queue goes ahead of the next statement that must be answered (any query, any other statement, the
//! `COMMIT`) in the same message. The order of statements is unchanged and every read sees every
//! write before it; what changes is only when a failing insert reports: with the next statement sent,
//! which fails the command and rolls back its transaction the same way. A `ROLLBACK` drops the queue.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use postgres::error::SqlState;
use postgres::{Client, NoTls, SimpleQueryMessage};

use super::{Error, Result, ValueRef};

/// A row of a result: every column as text, or NULL.
pub type PgRow = postgres::SimpleQueryRow;

/// The most statement texts kept translated; a store runs a few hundred distinct ones.
const TEMPLATES_KEPT: usize = 2048;

/// The most inserts queued, and the most bytes of them, before they are sent without waiting for a
/// statement that needs an answer: enough to make round trips rare, little enough to keep memory flat.
const QUEUED_MAX: usize = 512;
const QUEUED_BYTES_MAX: usize = 1 << 20;

/// One connection to a PostgreSQL database.
pub struct PgConnection {
    client: RefCell<Client>,
    templates: RefCell<HashMap<String, Rc<Template>>>,
    /// Inserts not yet sent (statements ending with `;`), and how many.
    queued: RefCell<String>,
    queued_count: Cell<usize>,
    /// Whether a transaction block is open (seen from the `BEGIN`, `COMMIT` and `ROLLBACK` sent):
    /// outside one nothing is queued, since nothing would be sure to send it.
    in_transaction: Cell<bool>,
}

/// A failure on PostgreSQL: the server's (or the connection's) own, or a value that cannot be sent.
#[derive(Debug)]
pub enum PgError {
    Server(postgres::Error),
    Value(String),
}

impl PgError {
    /// The SQLSTATE of a server error.
    pub fn code(&self) -> Option<&SqlState> {
        match self {
            PgError::Server(e) => e.code(),
            PgError::Value(_) => None,
        }
    }

    pub fn is_overflow(&self) -> bool {
        self.code() == Some(&SqlState::NUMERIC_VALUE_OUT_OF_RANGE)
    }

    /// A serialization failure or a deadlock: the transaction was rolled back whole and may be run
    /// again.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.code(),
            Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
        )
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The server's message with its detail, as psql shows it, rather than "db error".
            PgError::Server(e) => match e.as_db_error() {
                Some(db) => {
                    write!(f, "{}", db.message())?;
                    if let Some(detail) = db.detail() {
                        write!(f, " ({detail})")?;
                    }
                    Ok(())
                }
                None => {
                    write!(f, "{e}")?;
                    match std::error::Error::source(e) {
                        Some(cause) => write!(f, ": {cause}"),
                        None => Ok(()),
                    }
                }
            },
            PgError::Value(m) => write!(f, "{m}"),
        }
    }
}

// The server's message is shown by `Display`; the client's error wraps nothing more to show.
impl std::error::Error for PgError {}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        Error::Postgres(PgError::Server(e))
    }
}

/// A statement's text cut around its placeholders.
#[derive(Debug, PartialEq)]
struct Template {
    pieces: Vec<Piece>,
    /// For an insert that may be queued: the rows it writes (its tuples).
    queued_rows: Option<usize>,
}

#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    /// Parameter number (from 0).
    Param(usize),
}

/// A statement ready to run with parameters.
pub struct PgStatement<'c> {
    conn: &'c PgConnection,
    template: Rc<Template>,
}

impl PgConnection {
    /// Connect with a configuration already complete (password, application name).
    pub fn connect(
        config: &postgres::Config,
    ) -> std::result::Result<PgConnection, postgres::Error> {
        let mut client = config.connect(NoTls)?;
        // Quotes doubled are the only escape in a literal; dates and numbers in the forms SQLite gives.
        client.batch_execute(
            "SET standard_conforming_strings = on; SET client_encoding = 'UTF8'; \
             SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1",
        )?;
        Ok(PgConnection {
            client: RefCell::new(client),
            templates: RefCell::new(HashMap::new()),
            queued: RefCell::new(String::new()),
            queued_count: Cell::new(0),
            in_transaction: Cell::new(false),
        })
    }

    pub(super) fn prepare(&self, sql: &str) -> Result<PgStatement<'_>> {
        let cached = self.templates.borrow().get(sql).cloned();
        let template = match cached {
            Some(t) => t,
            None => {
                let t = Rc::new(cut(&super::dialect::postgres_query(sql)));
                let mut templates = self.templates.borrow_mut();
                if templates.len() >= TEMPLATES_KEPT {
                    templates.clear();
                }
                templates.insert(sql.to_string(), t.clone());
                t
            }
        };
        Ok(PgStatement {
            conn: self,
            template,
        })
    }

    /// Statements in the store's dialect, separated by `;`, without parameters.
    pub(super) fn execute_batch(&self, sql: &str) -> Result<()> {
        self.execute_raw(&super::dialect::postgres_query(sql))
    }

    /// Statements in PostgreSQL's own dialect (the schema, transaction control), sent as they are
    /// (after the queued inserts, in the same message; a `ROLLBACK` drops them instead).
    pub fn execute_raw(&self, sql: &str) -> Result<()> {
        let word = sql
            .trim_start()
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if word == "ROLLBACK" {
            self.drop_queued();
        }
        let sent = self.send(sql).map(|_| ());
        match word.as_str() {
            "BEGIN" | "START" => self.in_transaction.set(sent.is_ok()),
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" => self.in_transaction.set(false),
            _ => {}
        }
        sent
    }

    /// Rows of a query in PostgreSQL's own dialect, without parameters.
    pub fn query_raw(&self, sql: &str) -> Result<Vec<PgRow>> {
        Ok(rows_of(self.send(sql)?))
    }

    fn run(&self, template: &Template, values: &[ValueRef<'_>]) -> Result<Vec<SimpleQueryMessage>> {
        let text = fill(template, values)?;
        self.send(&text)
    }

    /// Send `sql` behind the queued inserts in one message; the messages of `sql` alone.
    fn send(&self, sql: &str) -> Result<Vec<SimpleQueryMessage>> {
        let ahead = self.queued_count.replace(0);
        let queued = std::mem::take(&mut *self.queued.borrow_mut());
        let messages = if ahead == 0 {
            self.client.borrow_mut().simple_query(sql)?
        } else {
            let mut text = queued;
            text.push_str(sql);
            self.client.borrow_mut().simple_query(&text)?
        };
        // Each queued insert ends with its CommandComplete: what comes after the last of them is
        // `sql`'s.
        let mut completes = 0;
        let start = messages
            .iter()
            .position(|m| {
                if completes == ahead {
                    return true;
                }
                if matches!(m, SimpleQueryMessage::CommandComplete(_)) {
                    completes += 1;
                }
                false
            })
            .unwrap_or(messages.len());
        let mut messages = messages;
        Ok(messages.split_off(start))
    }

    /// Queue an insert (its text without the `;`), sending the queue when it is full.
    fn queue(&self, text: &str) -> Result<()> {
        let full = {
            let mut queued = self.queued.borrow_mut();
            queued.push_str(text);
            queued.push_str(";\n");
            self.queued_count.set(self.queued_count.get() + 1);
            self.queued_count.get() >= QUEUED_MAX || queued.len() >= QUEUED_BYTES_MAX
        };
        if full {
            let ahead = self.queued_count.replace(0);
            let queued = std::mem::take(&mut *self.queued.borrow_mut());
            debug_assert!(ahead > 0);
            self.client.borrow_mut().batch_execute(&queued)?;
        }
        Ok(())
    }

    fn drop_queued(&self) {
        self.queued.borrow_mut().clear();
        self.queued_count.set(0);
    }
}

impl PgStatement<'_> {
    pub(super) fn execute(&self, values: &[ValueRef<'_>]) -> Result<usize> {
        if let Some(rows) = self.template.queued_rows {
            if self.conn.in_transaction.get() {
                self.conn.queue(&fill(&self.template, values)?)?;
                return Ok(rows);
            }
        }
        let messages = self.conn.run(&self.template, values)?;
        let changed = messages
            .iter()
            .map(|m| match m {
                SimpleQueryMessage::CommandComplete(n) => *n,
                _ => 0,
            })
            .sum::<u64>();
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(super) fn query(&self, values: &[ValueRef<'_>]) -> Result<Vec<PgRow>> {
        Ok(rows_of(self.conn.run(&self.template, values)?))
    }
}

fn rows_of(messages: Vec<SimpleQueryMessage>) -> Vec<PgRow> {
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// Column `i` of a text row.
pub(super) fn column(row: &PgRow, i: usize) -> Result<ValueRef<'_>> {
    match row.try_get(i)? {
        Some(text) => Ok(ValueRef::Untyped(text)),
        None => Ok(ValueRef::Null),
    }
}

/// Cut a statement around its placeholders: `?N` is parameter N, a bare `?` the one after the largest
/// so far (SQLite's numbering). The dialect's tokenizer keeps quoted text, quoted names and comments
/// whole, so a `?` inside them stays text.
fn cut(sql: &str) -> Template {
    use super::dialect::tokens::{tokenize, Kind};
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut largest = 0usize;
    for tok in tokenize(sql) {
        let Some(digits) = tok
            .text
            .strip_prefix('?')
            .filter(|_| tok.kind == Kind::Param)
        else {
            text.push_str(&tok.text);
            continue;
        };
        let number = if digits.is_empty() {
            largest + 1
        } else {
            digits.parse().unwrap_or(usize::MAX)
        };
        largest = largest.max(number);
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Param(number.saturating_sub(1)));
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Template {
        pieces,
        queued_rows: insert_rows(sql),
    }
}

/// The rows a statement writes when it is a plain `INSERT INTO t (…) VALUES (…), (…)`, perhaps with
/// `ON CONFLICT (…) DO UPDATE SET …` (a row inserted or updated for each tuple), and nothing else that
/// could make the count differ or the statement answer (`RETURNING`, `SELECT`, `DO NOTHING`, a
/// `WHERE`); else None, and the statement is sent at once.
fn insert_rows(sql: &str) -> Option<usize> {
    let upper = sql.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_ascii_whitespace().collect();
    if words.first() != Some(&"INSERT")
        || words.get(1) != Some(&"INTO")
        || [
            "RETURNING",
            "SELECT",
            "NOTHING",
            "WHERE",
            "WITH",
            "DEFAULT",
            ";",
        ]
        .iter()
        .any(|w| upper.contains(w))
    {
        return None;
    }
    // The tuples after VALUES, counted on the dialect's tokens (quoted text stays whole), up to the
    // end or an ON CONFLICT clause; anything else there and the statement is not a plain insert.
    use super::dialect::tokens::{tokenize, Kind};
    let tokens = tokenize(sql);
    let values = tokens.iter().position(|t| t.is("VALUES"))?;
    let mut tuples = 0;
    let mut depth = 0usize;
    for t in &tokens[values + 1..] {
        match t.kind {
            Kind::Punct if t.text == "(" => {
                if depth == 0 {
                    tuples += 1;
                }
                depth += 1;
            }
            Kind::Punct if t.text == ")" => depth = depth.checked_sub(1)?,
            _ if depth > 0 => {}
            Kind::Space | Kind::Comment => {}
            Kind::Punct if t.text == "," => {}
            _ if t.is("ON") => break,
            _ => return None,
        }
    }
    (tuples > 0 && depth == 0).then_some(tuples)
}

/// The statement with each placeholder replaced by its value as a literal.
fn fill(template: &Template, values: &[ValueRef<'_>]) -> Result<String> {
    let mut out = String::new();
    for piece in &template.pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Param(n) => {
                let value = values.get(*n).ok_or_else(|| {
                    Error::Postgres(PgError::Value(format!(
                        "the statement has parameter ?{} but was given {}",
                        n + 1,
                        values.len()
                    )))
                })?;
                literal(&mut out, value)?;
            }
        }
    }
    Ok(out)
}

fn literal(out: &mut String, value: &ValueRef<'_>) -> Result<()> {
    use std::fmt::Write as _;
    match *value {
        ValueRef::Null => out.push_str("NULL"),
        // A negative number in parentheses: `x - -5` would start a comment.
        ValueRef::Integer(i) if i < 0 => {
            let _ = write!(out, "({i})");
        }
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Real(f) => {
            let _ = write!(out, "CAST('{f:?}' AS DOUBLE PRECISION)");
        }
        ValueRef::Text(t) | ValueRef::Untyped(t) => {
            if t.contains('\0') {
                return Err(Error::Postgres(PgError::Value(
                    "a text with a NUL character cannot be stored on PostgreSQL".into(),
                )));
            }
            out.push('\'');
            out.push_str(&t.replace('\'', "''"));
            out.push('\'');
        }
        ValueRef::Blob(b) => {
            out.push_str("'\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
            out.push_str("'::bytea");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(sql: &str, values: &[ValueRef<'_>]) -> String {
        fill(&cut(sql), values).expect("fill")
    }

    #[test]
    fn placeholders_are_replaced_by_literals_outside_quotes() {
        assert_eq!(
            filled(
                "SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?2 -- ?3\n AND c = ?",
                &[
                    ValueRef::Text("it's"),
                    ValueRef::Integer(-5),
                    ValueRef::Null
                ]
            ),
            "SELECT '?1', \"a?\" FROM t WHERE a = 'it''s' AND b = (-5) -- ?3\n AND c = NULL"
        );
        assert_eq!(
            filled(
                "VALUES (?, ?)",
                &[ValueRef::Integer(1), ValueRef::Real(0.5)]
            ),
            "VALUES (1, CAST('0.5' AS DOUBLE PRECISION))"
        );
        assert_eq!(
            filled("SELECT 'a''?1' || ?1", &[ValueRef::Text("华东")]),
            "SELECT 'a''?1' || '华东'"
        );
    }

    #[test]
    fn only_plain_inserts_and_upserts_of_values_are_queued_with_their_tuples_counted() {
        let rows = |sql: &str| cut(sql).queued_rows;
        assert_eq!(rows("INSERT INTO t (a, b) VALUES (?1, ?2)"), Some(1));
        assert_eq!(
            rows("insert into t (a, b)\n VALUES (?, '(x'), (?, coalesce(?, 1)) , (1, 2)"),
            Some(3)
        );
        assert_eq!(
            rows(
                "INSERT INTO m (k, v) VALUES (?1, ?2), (?3, ?4) ON CONFLICT (k) DO UPDATE SET \
                 v = m.v + excluded.v"
            ),
            Some(2)
        );
        for sql in [
            "INSERT INTO t (a) VALUES (?1) ON CONFLICT (a) DO NOTHING",
            "INSERT INTO t (a) VALUES (?1) RETURNING id",
            "INSERT INTO t (a) SELECT a FROM u",
            "INSERT INTO t DEFAULT VALUES",
            "INSERT INTO m (k) VALUES (?1) ON CONFLICT (k) DO UPDATE SET v = 1 WHERE m.v < 1",
            "INSERT INTO t (a) VALUES (1); DELETE FROM t",
            "UPDATE t SET a = 1",
            "DELETE FROM t",
            "SELECT 1",
        ] {
            assert_eq!(rows(sql), None, "{sql}");
        }
    }

    #[test]
    fn a_missing_parameter_or_a_nul_is_an_error_not_a_statement() {
        assert!(fill(&cut("SELECT ?2"), &[ValueRef::Integer(1)]).is_err());
        assert!(fill(&cut("SELECT ?1"), &[ValueRef::Text("a\0b")]).is_err());
    }
}
