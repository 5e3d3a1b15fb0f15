//! SQLite's functions that PostgreSQL lacks or names otherwise, each written as the PostgreSQL
//! expression with the same result for the values the store passes.

use super::tokens::{split_commas, text, trimmed, Kind, Node};

/// `name(args)` in PostgreSQL, or None to leave the call as written. `args` are already translated.
pub fn call(name: &str, group: &[Node]) -> Option<String> {
    let parts: Vec<&[Node]> = split_commas(group).into_iter().map(trimmed).collect();
    let args: Vec<String> = parts.iter().map(|a| text(a)).collect();
    let n = if args.len() == 1 && args[0].is_empty() {
        0
    } else {
        args.len()
    };
    let a0 = || args[0].clone();
    Some(match (name.to_ascii_lowercase().as_str(), n) {
        // The scalar forms; with one argument they are the aggregates of both engines. SQLite's scalar
        // max is NULL when an argument is, GREATEST skips NULLs: the store passes no NULL to them.
        ("max", 2..) => format!("GREATEST({})", args.join(", ")),
        ("min", 2..) => format!("LEAST({})", args.join(", ")),
        ("julianday", 1) => julianday(parts[0]),
        ("date", 1..) => format!("to_char({}, 'YYYY-MM-DD')", moved(&parts)?),
        ("datetime", 1..) => format!("to_char({}, 'YYYY-MM-DD HH24:MI:SS')", moved(&parts)?),
        ("time", 1..) => format!("to_char({}, 'HH24:MI:SS')", moved(&parts)?),
        ("strftime", 2..) => strftime(&parts)?,
        // SQLite's total: a float sum that is 0.0, not NULL, over no rows.
        ("total", 1) => format!("CAST(COALESCE(SUM({}), 0) AS DOUBLE PRECISION)", a0()),
        ("instr", 2) => format!("strpos({}, {})", args[0], args[1]),
        ("unicode", 1) => format!("ascii({})", a0()),
        ("char", 1..) => {
            let chrs: Vec<String> = args.iter().map(|a| format!("chr({a})")).collect();
            format!("({})", chrs.join(" || "))
        }
        ("ifnull", 2) => format!("COALESCE({}, {})", args[0], args[1]),
        ("iif", 3) => format!("(CASE WHEN {} THEN {} ELSE {} END)", args[0], args[1], args[2]),
        ("group_concat", 1) => format!("string_agg(CAST({} AS TEXT), ',')", a0()),
        ("group_concat", 2) => format!("string_agg(CAST({} AS TEXT), {})", args[0], args[1]),
        // SQLite folds ASCII letters only; so does PostgreSQL under the "C" collation.
        ("lower" | "upper", 1) => format!("{name}(({}) COLLATE \"C\")", a0()),
        ("typeof", 1) => format!(
            "(CASE WHEN ({a}) IS NULL THEN 'null' ELSE CASE pg_typeof({a})::text \
             WHEN 'bigint' THEN 'integer' WHEN 'integer' THEN 'integer' WHEN 'smallint' THEN 'integer' \
             WHEN 'boolean' THEN 'integer' WHEN 'double precision' THEN 'real' WHEN 'real' THEN 'real' \
             WHEN 'numeric' THEN 'real' WHEN 'bytea' THEN 'blob' ELSE 'text' END END)",
            a = a0()
        ),
        ("cast", 1) => cast(group)?,
        _ => return None,
    })
}

/// A day number as SQLite's julianday gives it (days since noon of 24 November 4714 BC, a float).
fn julianday(arg: &[Node]) -> String {
    format!(
        "CAST(EXTRACT(EPOCH FROM {}) / 86400 + 2440587.5 AS DOUBLE PRECISION)",
        timestamp(arg)
    )
}

/// A time value as a PostgreSQL timestamp: 'now' is the current UTC time, as in SQLite.
fn timestamp(arg: &[Node]) -> String {
    match literal(arg) {
        Some(s) if s.eq_ignore_ascii_case("now") => "(now() AT TIME ZONE 'UTC')".to_string(),
        _ => format!("CAST({} AS TIMESTAMP)", text(arg)),
    }
}

/// The text of a lone string literal.
fn literal(arg: &[Node]) -> Option<String> {
    match arg {
        [Node::T(t)] if t.kind == Kind::Str => Some(t.text[1..t.text.len() - 1].replace("''", "'")),
        _ => None,
    }
}

/// The time value of date(), datetime() and time(): the first argument with SQLite's modifiers
/// applied in order. A modifier given as a parameter must be an interval ('-90 days').
fn moved(parts: &[&[Node]]) -> Option<String> {
    let mut x = timestamp(parts[0]);
    for m in &parts[1..] {
        x = match literal(m) {
            None => format!("({x} + CAST({} AS INTERVAL))", text(m)),
            Some(lit) => {
                let lit = lit.trim().to_ascii_lowercase();
                match lit.strip_prefix("start of ") {
                    Some(unit @ ("month" | "year" | "day")) => format!("date_trunc('{unit}', {x})"),
                    Some(_) => return None,
                    None if lit == "utc" || lit == "localtime" => x,
                    None => {
                        let mut words = lit.split_whitespace();
                        let (num, unit) = (words.next()?, words.next()?);
                        num.trim_start_matches(['+', '-']).parse::<f64>().ok()?;
                        format!("({x} + INTERVAL '{num} {unit}')")
                    }
                }
            }
        };
    }
    Some(x)
}

fn strftime(parts: &[&[Node]]) -> Option<String> {
    let fmt = literal(parts[0])?;
    let x = moved(&parts[1..])?;
    if fmt == "%s" {
        return Some(format!(
            "CAST(CAST(EXTRACT(EPOCH FROM {x}) AS BIGINT) AS TEXT)"
        ));
    }
    let mut out = String::new();
    let mut plain = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            plain.push(c);
            continue;
        }
        let spec = match chars.next()? {
            'Y' => "YYYY",
            'm' => "MM",
            'd' => "DD",
            'H' => "HH24",
            'M' => "MI",
            'S' => "SS",
            'j' => "DDD",
            '%' => {
                plain.push('%');
                continue;
            }
            _ => return None,
        };
        if !plain.is_empty() {
            out.push_str(&format!("\"{}\"", plain.replace('\'', "''")));
            plain.clear();
        }
        out.push_str(spec);
    }
    if !plain.is_empty() {
        out.push_str(&format!("\"{}\"", plain.replace('\'', "''")));
    }
    Some(format!("to_char({x}, '{out}')"))
}

/// CAST(x AS type) with SQLite's type names mapped; a float cast to an integer truncates in SQLite
/// and rounds in PostgreSQL, so a float expression (as this translation writes them) is truncated.
fn cast(group: &[Node]) -> Option<String> {
    let g = trimmed(group);
    let at = g.iter().rposition(|n| n.is("AS"))?;
    let ty = text(trimmed(&g[at + 1..])).to_ascii_uppercase();
    let expr = text(trimmed(&g[..at]));
    let pg = column_type(&ty)?;
    if pg == "BIGINT" && expr.contains("DOUBLE PRECISION") {
        return Some(format!("CAST(trunc({expr}) AS BIGINT)"));
    }
    Some(format!("CAST({expr} AS {pg})"))
}

/// SQLite's type affinity rules, as PostgreSQL types; None for an empty name.
pub fn column_type(sqlite: &str) -> Option<&'static str> {
    let t = sqlite.to_ascii_uppercase();
    Some(if t.trim().is_empty() {
        return None;
    } else if t.contains("INT") {
        "BIGINT"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "TEXT"
    } else if t.contains("BLOB") {
        "BYTEA"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "DOUBLE PRECISION"
    } else {
        "NUMERIC"
    })
}
