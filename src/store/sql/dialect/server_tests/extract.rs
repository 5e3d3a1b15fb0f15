//! Reads the store's query texts from its source: the string literal passed to prepare,
//! prepare_cached, execute, execute_batch or query_row, and the format! strings passed to them with
//! their `{…}` filled from the file's constants or, for local values, from the table of cases below.

use std::path::Path;

pub struct Query {
    pub place: String,
    pub sql: String,
}

pub struct Found {
    pub queries: Vec<Query>,
    /// Calls whose text is a variable or a format! this table cannot fill.
    pub skipped: Vec<String>,
}

const CALLS: &[&str] = &[
    ".prepare(",
    ".prepare_cached(",
    ".execute(",
    ".execute_batch(",
    ".query_row(",
];

/// What the local values of a format! string stand for: by file, a piece of the format string that
/// picks the call, the names (`{}` is `#0`, `#1` … by position) and their values together, each
/// alternative (`|` between the names' values) checked.
const CASES: &[(&str, &str, &str, &[&str])] = &[
    ("campaigns.rs", "{orders}", "orders,returns", &["|", "AND o.order_date BETWEEN ?1 AND ?2|AND r.date BETWEEN ?1 AND ?2"]),
    ("invariants.rs", "typeof", "key_sql,col,quoted,want", &["code|created|\"customers\"|text", "'row ' §§ rowid|amount|\"payments\"|integer"]),
    ("lookup.rs", "{key}", "key,table", &["code|regions", "sku|products", "code|customers"]),
    ("mod.rs", "sqlite_master", "#0", &["'orders', 'regions'"]),
    ("orders.rs", "UPDATE orders SET {col}", "col", &["delivered_date", "completed_date"]),
    ("orders.rs", "{filter}{more}", "filter,more", &["|", " AND o.customer = ?2| AND instr(char(31) §§ ?3 §§ char(31), char(31) §§ o.region §§ char(31)) > 0"]),
    ("orders.rs", "{orders}", "orders", &["SELECT o.id, o.customer, o.order_date, o.due_date, o.amount AS balance FROM orders o WHERE o.order_date <= ?1"]),
    ("orders.rs", "VALUES {}", "#0", &["(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10), (?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"]),
    ("orders.rs", "SELECT {}, l.line_no", "#0", &["o.id, o.order_date, o.customer, o.rep, o.region, o.channel, o.status"]),
    ("orders.rs", "DROP INDEX", "#0", &["orders_date"]),
    ("prices.rs", "{rest}", "rest", &["WHERE sku = ?1 ORDER BY effective", "ORDER BY effective, sku"]),
    ("prices.rs", "{by_id}", "by_id", &["v.id = ?2", "?2 IS NULL"]),
    ("reps.rs", "SET {col}", "col", &["left_on", "phone"]),
    ("marks.rs", "WHERE {}", "#0", &["month BETWEEN ?1 AND ?2"]),
    ("report.rs", "{months}", "months,i,j", &["SELECT region, rep, '', channel, revenue, returns, cost, quantity, orders FROM sales_monthly_groups WHERE month BETWEEN ?1 AND ?2|3|4"]),
    ("report.rs", "{cte}", "cte,key,join", &[
        "WITH p(region, rep, customer, channel, revenue, returns, cost, quantity, orders) AS (SELECT region, rep, '', channel, revenue, returns, cost, quantity, orders FROM sales_monthly_groups WHERE month BETWEEN ?1 AND ?2)|p.region|",
        "WITH p(region, rep, customer, channel, revenue, returns, cost, quantity, orders) AS (SELECT '', '', customer, '', revenue, returns, 0, 0, orders FROM customer_monthly WHERE month BETWEEN ?1 AND ?2)|COALESCE(t.tier, '')| LEFT JOIN customers t ON t.code = p.customer",
    ]),
    ("report.rs", "SUM(sold) FROM product_monthly", "#0", &["month BETWEEN ?1 AND ?2"]),
    ("report.rs", "WITH p(sku", "#0,i,j", &["month BETWEEN ?1 AND ?2|3|4"]),
    ("stock/mod.rs", "VALUES {}", "#0", &["(?1, ?2, ?3, ?4, ?5, ?6), (?7, ?8, ?9, ?10, ?11, ?12)"]),
    ("verify.rs", "{truth}", "truth,kept,key", &["SELECT month, customer FROM customer_monthly|SELECT month, customer FROM customer_monthly|month, customer"]),
    ("verify.rs", "{sales}", "sales", &["SELECT * FROM temp.sales_truth"]),
    ("verify.rs", "{receivable_events}", "receivable_events", &["SELECT due_date, event_date, amount FROM receivables_daily"]),
    ("verify.rs", "SELECT * FROM ({})", "#0", &["SELECT campaign, date, orders, revenue, cost, returns, returns_cost, new_customers FROM campaign_daily"]),
    ("campaigns.rs", "SELECT * FROM ({})", "#0", &["SELECT campaign, date, orders, revenue, cost, returns, returns_cost, new_customers FROM campaign_daily"]),
];

pub fn queries(root: &Path) -> Found {
    let mut found = Found {
        queries: Vec::new(),
        skipped: Vec::new(),
    };
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .map_or_else(|_| file.display().to_string(), |p| p.display().to_string());
        if rel.starts_with("sql/") {
            continue;
        }
        let src = std::fs::read_to_string(&file).expect("source file");
        // A file's unit tests build their own tables: only what the program runs counts.
        let src = src
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default()
            .to_string();
        let consts = constants(&src);
        for call in CALLS {
            for (at, _) in src.match_indices(call) {
                let line = src[..at].matches('\n').count() + 1;
                let place = format!("src/store/{rel}:{line}");
                let rest = src[at + call.len()..].trim_start();
                let (is_format, rest) = match rest
                    .strip_prefix("&format!(")
                    .or_else(|| rest.strip_prefix("format!("))
                {
                    Some(r) => (true, r.trim_start()),
                    None => (false, rest),
                };
                let Some(lit) = literal(rest) else {
                    // A prepared statement's execute or query_row takes parameters, not SQL.
                    let parameters = ["params!", "rusqlite::params!", "[", "(", "&[", "|"]
                        .iter()
                        .any(|p| rest.starts_with(p));
                    if !parameters {
                        found.skipped.push(format!("{place} (not a literal)"));
                    }
                    continue;
                };
                if !is_format {
                    found.queries.push(Query { place, sql: lit });
                    continue;
                }
                match expand(&lit, &rel, &consts) {
                    Some(all) => found.queries.extend(all.into_iter().map(|sql| Query {
                        place: place.clone(),
                        sql,
                    })),
                    None => found
                        .skipped
                        .push(format!("{place} (format! with a value not in the table)")),
                }
            }
        }
        // Then every other literal that is a statement: texts handed to a helper (`db check`'s pairs of
        // truth and rollup), returned by a function, or kept in a constant.
        let mut at = 0;
        while let Some(q) = src[at..].find('"').map(|q| at + q) {
            let raw_start = if src[..q].ends_with("r#") {
                q - 2
            } else if src[..q].ends_with('r') {
                q - 1
            } else {
                q
            };
            let Some(lit) = literal(&src[raw_start..]) else {
                break;
            };
            let len = rust_literal_len(&src[raw_start..]);
            at = raw_start + len.max(1);
            let head = lit.trim_start().to_ascii_uppercase();
            let statement = [
                "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH ", "CREATE ", "DROP ",
            ]
            .iter()
            .any(|k| head.starts_with(k));
            // A constant's text is completed where it is used (`{SELECT} WHERE …`).
            let before = src[..raw_start].trim_end();
            let constant = before.ends_with('=')
                && before
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.contains("const "));
            if !statement
                || constant
                || fragment(&lit)
                || found.queries.iter().any(|x| x.sql == lit)
            {
                continue;
            }
            let line = src[..raw_start].matches('\n').count() + 1;
            let place = format!("src/store/{rel}:{line}");
            let in_format = src[..raw_start].trim_end().ends_with("format!(");
            if !in_format {
                found.queries.push(Query { place, sql: lit });
                continue;
            }
            match expand(&lit, &rel, &consts) {
                Some(all) => {
                    for sql in all {
                        if !found.queries.iter().any(|x| x.sql == sql) {
                            found.queries.push(Query {
                                place: place.clone(),
                                sql,
                            });
                        }
                    }
                }
                None => found
                    .skipped
                    .push(format!("{place} (format! with a value not in the table)")),
            }
        }
    }
    found
}

/// A piece of a statement that code completes (`WITH p AS (` …, a CTE without its SELECT, the
/// SELECT list a constant starts): checked as part of the statements that use it.
fn fragment(sql: &str) -> bool {
    let t = sql.trim();
    t.matches('(').count() != t.matches(')').count()
        || (t.to_ascii_uppercase().starts_with("WITH") && t.ends_with(')'))
        || (t.to_ascii_uppercase().starts_with("SELECT")
            && !t.to_ascii_uppercase().contains("FROM"))
        || !t.to_ascii_uppercase().contains(" FROM ")
            && t.to_ascii_uppercase().starts_with("SELECT")
            && t.ends_with(',')
}

/// The length in bytes of the Rust string literal at the start of `s`.
fn rust_literal_len(s: &str) -> usize {
    if let Some(raw) = s.strip_prefix('r') {
        let hashes = raw.chars().take_while(|&c| c == '#').count();
        let close = format!("\"{}", "#".repeat(hashes));
        let body = 1 + hashes + 1;
        return s[body..]
            .find(&close)
            .map_or(s.len(), |e| body + e + close.len());
    }
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    s.len()
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/store").flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `const NAME: T = "text";` or `= number;` of a file.
fn constants(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in src.match_indices("const ") {
        let rest = &src[at + 6..];
        let Some(colon) = rest.find(':') else {
            continue;
        };
        let name = rest[..colon].trim().to_string();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        {
            continue;
        }
        let Some(eq) = rest.find('=') else { continue };
        let value = rest[eq + 1..].trim_start();
        if let Some(text) = literal(value) {
            out.push((name, text));
        } else if let Some(end) = value.find(';') {
            out.push((name, value[..end].trim().to_string()));
        }
    }
    // Constants that live outside the store.
    out.push((
        "COUNTING_SQL".into(),
        crate::store::types::COUNTING_SQL.into(),
    ));
    out.push((
        "IN_TRANSIT".into(),
        crate::domain::carrier::IN_TRANSIT.to_string(),
    ));
    out.push((
        "UNDATED".into(),
        crate::domain::carrier::UNDATED.to_string(),
    ));
    out
}

/// A Rust string literal at the start of `s` (plain or raw), its escapes resolved.
fn literal(s: &str) -> Option<String> {
    if let Some(raw) = s.strip_prefix('r') {
        let hashes = raw.chars().take_while(|&c| c == '#').count();
        let body = raw[hashes..].strip_prefix('"')?;
        let close = format!("\"{}", "#".repeat(hashes));
        return Some(body[..body.find(&close)?].to_string());
    }
    let body = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\n' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every text a format! string can give (one per alternative of its case), or None when a `{…}` is
/// neither a constant nor in CASES.
fn expand(fmt: &str, file: &str, consts: &[(String, String)]) -> Option<Vec<String>> {
    let case = CASES
        .iter()
        .find(|(f, pick, _, _)| file.ends_with(f) && fmt.contains(pick));
    let alternatives = case.map_or(1, |c| c.3.len());
    (0..alternatives)
        .map(|k| fill_format(fmt, consts, case.map(|c| (c.2, c.3[k]))))
        .collect()
}

fn fill_format(
    fmt: &str,
    consts: &[(String, String)],
    case: Option<(&str, &str)>,
) -> Option<String> {
    let mut out = String::new();
    let mut positional = 0;
    let mut rest = fmt;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let close = tail.find('}')?;
        let name = tail[1..close].split(':').next().unwrap_or("");
        let key = if name.is_empty() {
            positional += 1;
            format!("#{}", positional - 1)
        } else {
            name.to_string()
        };
        if let Some((_, v)) = consts.iter().find(|(n, _)| *n == key) {
            out.push_str(v);
        } else {
            let (names, values) = case?;
            let k = names.split(',').position(|n| n == key)?;
            // `§§` stands for `||` inside a value (`|` separates the values).
            out.push_str(&values.split('|').nth(k).unwrap_or("").replace("§§", "||"));
        }
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Statements about SQLite's own machinery, which the PostgreSQL engine answers its own way.
pub fn sqlite_only(sql: &str) -> bool {
    let upper = sql.to_ascii_uppercase();
    upper.contains("PRAGMA")
        || upper.contains("SQLITE_MASTER")
        || upper.contains("WHERE ROWID = ")
        || upper.starts_with("BEGIN ")
        || upper.starts_with("DROP INDEX")
        // db check's type check: SQLite's dynamic types (the engine skips it on PostgreSQL).
        || upper.contains("TYPEOF(")
        // The engine's own statements in PostgreSQL's dialect, sent untranslated.
        || upper.contains("SALESOPS_SCHEMA")
}

/// Failures this test expects, by place: statements whose SQLite form cannot be translated
/// mechanically. None now: the ones there were are written in a form both engines take.
pub const KNOWN_FAILURES: &[&str] = &[];

/// The translated statement with its placeholders as values: 0 where an operator needs a number
/// (`~?3`, `+ ?1`), NULL elsewhere.
pub fn fill(pg: &str) -> String {
    let numeric = numeric_placeholders(pg);
    fill_with(pg, |name| {
        if numeric.iter().any(|n| n == name) {
            "0".into()
        } else {
            "NULL".into()
        }
    })
}

/// The placeholders (`?3`; a bare `?` as `?` and its position) that an arithmetic operator precedes.
pub fn numeric_placeholders(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    placeholders(sql, |name, before| {
        if before.ends_with(['~', '+', '-', '*', '&', '|']) && !before.ends_with("||") {
            out.push(name.to_string());
        }
    });
    out
}

/// `sql` with each placeholder replaced by `value(name)`.
pub fn fill_with(sql: &str, mut value: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut last = 0;
    let mut spans = Vec::new();
    placeholders(sql, |name, before| {
        spans.push((before.len(), name.to_string()))
    });
    for (start, name) in spans {
        let at = sql[start..].find('?').map_or(start, |q| start + q);
        out.push_str(&sql[last..at]);
        out.push_str(&value(&name));
        last = at + 1 + sql[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
    }
    out.push_str(&sql[last..]);
    out
}

/// Calls `each(name, text before it)` for every placeholder outside string literals.
fn placeholders(sql: &str, mut each: impl FnMut(&str, &str)) {
    let b = sql.as_bytes();
    let (mut in_str, mut bare) = (false, 0);
    for i in 0..b.len() {
        if b[i] == b'\'' {
            in_str = !in_str;
        } else if b[i] == b'?' && !in_str {
            let digits = sql[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
            let name = if digits == 0 {
                bare += 1;
                format!("?#{bare}")
            } else {
                sql[i..i + 1 + digits].to_string()
            };
            each(&name, sql[..i].trim_end());
        }
    }
}
