//! Statements as the store writes them (SQLite) rewritten for PostgreSQL, node by node over the tree
//! of groups: functions, operators, clauses and names that differ. Placeholders stay where they are.

use std::collections::HashSet;

use super::clauses::{group_order, joins, order_by, qualify_upsert, recursive_anchors};
use super::functions;
use super::tokens::{
    next_sig, prev_sig, split_at, split_commas, text, tokenize, tree, trimmed, Kind, Node, Tok,
};

/// Words that are never a column or an alias.
const KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COLLATE",
    "CROSS",
    "DESC",
    "DISTINCT",
    "DO",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXISTS",
    "FALSE",
    "FROM",
    "FULL",
    "GLOB",
    "GROUP",
    "HAVING",
    "ILIKE",
    "IN",
    "INNER",
    "INTERSECT",
    "IS",
    "ISNULL",
    "JOIN",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NATURAL",
    "NOT",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "RETURNING",
    "RIGHT",
    "SELECT",
    "SET",
    "THEN",
    "TRUE",
    "UNION",
    "USING",
    "VALUES",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "INDEXED",
    "FILTER",
    "PARTITION",
    "RECURSIVE",
];

pub fn keyword(n: &Node) -> bool {
    n.tok().is_some_and(|t| {
        t.kind == Kind::Word && KEYWORDS.iter().any(|k| t.text.eq_ignore_ascii_case(k))
    })
}

/// What the translation knows of the schema: the column names that are NOT NULL in every table that
/// has them (an ORDER BY on one of those needs no NULLS clause).
pub struct Names {
    pub not_null: HashSet<String>,
}

pub fn translate(sql: &str, names: &Names) -> String {
    let nodes = tree(tokenize(sql));
    let statements = split_at(&nodes, |n| n.is_punct(";"));
    let out: Vec<String> = statements
        .into_iter()
        .map(|s| text(&statement(s, names)))
        .collect();
    out.join(";")
}

/// One statement; also used for fragments (a CHECK expression, a view's query).
pub fn statement(nodes: &[Node], names: &Names) -> Vec<Node> {
    let mut nodes = nodes.to_vec();
    qualify_upsert(&mut nodes);
    let mut aliases = 0;
    let v = level(&nodes, names, &mut aliases);
    match group_order(&v) {
        Some(ordered) => order_by(ordered, names),
        None => v,
    }
}

fn level(nodes: &[Node], names: &Names, aliases: &mut usize) -> Vec<Node> {
    let v: Vec<Node> = nodes
        .iter()
        .map(|n| match n {
            Node::G(g) => Node::G(level(g, names, aliases)),
            other => other.clone(),
        })
        .collect();
    let v = words(v);
    let v = calls(v);
    let v = shifts(v);
    let v = operators(v);
    let v = joins(v, aliases);
    let v = order_by(v, names);
    let v = recursive_anchors(v);
    truth_values(v)
}

/// A comparison (or EXISTS, IS NULL, AND …) chosen as a column is 1 or 0 in SQLite and a boolean in
/// PostgreSQL, which neither sums it, nor unites it with a number, nor reads it as an integer: such a
/// select-list item becomes `CAST((…) AS INTEGER)`, the same 1, 0 or NULL. Runs last, on the
/// translated item.
fn truth_values(v: Vec<Node>) -> Vec<Node> {
    const END: &[&str] = &[
        "FROM",
        "WHERE",
        "GROUP",
        "HAVING",
        "ORDER",
        "LIMIT",
        "UNION",
        "EXCEPT",
        "INTERSECT",
        "WINDOW",
    ];
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        out.push(v[i].clone());
        if !v[i].is("SELECT") {
            i += 1;
            continue;
        }
        let mut start = i + 1;
        if let Some(d) = next_sig(&v, start).filter(|&d| v[d].is("DISTINCT") || v[d].is("ALL")) {
            out.extend(v[start..=d].iter().cloned());
            start = d + 1;
        }
        let end = (start..v.len())
            .find(|&k| END.iter().any(|w| v[k].is(w)) || v[k].is_punct(";"))
            .unwrap_or(v.len());
        let items = split_commas(&v[start..end]);
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                out.push(Node::T(Tok::new(Kind::Punct, ",")));
            }
            out.extend(truth_item(item));
        }
        i = end;
    }
    out
}

fn truth_item(item: &[Node]) -> Vec<Node> {
    let alias = item.iter().rposition(|n| n.is("AS"));
    let expr = &item[..alias.unwrap_or(item.len())];
    let mut cases = 0usize;
    let mut truth = false;
    for n in expr {
        if n.is("CASE") {
            cases += 1;
        } else if n.is("END") {
            cases = cases.saturating_sub(1);
        } else if cases == 0 {
            truth |= match n {
                Node::T(t) if t.kind == Kind::Punct => {
                    ["=", "<>", "!=", "<", ">", "<=", ">="].contains(&t.text.as_str())
                }
                Node::T(t) => [
                    "IS", "IN", "BETWEEN", "EXISTS", "AND", "OR", "NOT", "ISNULL", "NOTNULL",
                ]
                .iter()
                .any(|w| t.is(w)),
                Node::Raw(r) => ["IS ", "ILIKE", "~ ", "!~ "]
                    .iter()
                    .any(|p| r.starts_with(p)),
                Node::G(_) => false,
            };
        }
    }
    if !truth {
        return item.to_vec();
    }
    let lead: Vec<&Node> = expr.iter().take_while(|n| !n.significant()).collect();
    let mut out: Vec<Node> = lead.into_iter().cloned().collect();
    out.push(Node::raw(format!(
        "CAST(({}) AS INTEGER)",
        text(trimmed(expr))
    )));
    let tail = expr
        .iter()
        .rposition(|n| n.significant())
        .map_or(expr.len(), |p| p + 1);
    out.extend(item[tail..].iter().cloned());
    out
}

/// A column name as PostgreSQL must read it: `user` is one of its keywords, so it is quoted.
pub fn ident(name: &str) -> String {
    if name.eq_ignore_ascii_case("user") {
        "\"user\"".to_string()
    } else {
        name.to_string()
    }
}

/// Names and literals: `user` is a column (a keyword in PostgreSQL), `temp.` is `pg_temp.`, a float
/// literal is a float (PostgreSQL reads 1.5 as numeric), `==` is `=`.
fn words(v: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::with_capacity(v.len());
    for (i, n) in v.iter().enumerate() {
        let next_is_dot = next_sig(&v, i + 1).is_some_and(|j| v[j].is_punct("."));
        out.push(match n {
            Node::T(t) if t.is("user") => Node::T(Tok::new(Kind::Ident, "\"user\"")),
            Node::T(t) if t.is("temp") && next_is_dot => Node::T(Tok::new(Kind::Word, "pg_temp")),
            Node::T(t)
                if t.kind == Kind::Number
                    && !t.text.starts_with("0x")
                    && !t.text.starts_with("0X")
                    && t.text.contains(['.', 'e', 'E']) =>
            {
                Node::raw(format!("CAST({} AS DOUBLE PRECISION)", t.text))
            }
            Node::T(t) if t.is_punct("==") => Node::T(Tok::new(Kind::Punct, "=")),
            other => other.clone(),
        });
    }
    out
}

/// Function calls: a word, then a group.
fn calls(v: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if let (Node::T(t), Some(j)) = (&v[i], next_sig(&v, i + 1)) {
            let qualified = prev_sig(&v, i).is_some_and(|p| v[p].is_punct("."));
            if let (Kind::Word, Node::G(g), false) = (t.kind, &v[j], qualified) {
                if let Some(pg) = functions::call(&t.text, g) {
                    out.push(Node::raw(pg));
                    i = j + 1;
                    continue;
                }
            }
        }
        out.push(v[i].clone());
        i += 1;
    }
    out
}

/// `a << b`: SQLite shifts 64-bit integers; PostgreSQL has `bigint << integer` but no shift by a
/// bigint (what an INTEGER cast is here), so a literal on the left is a bigint and the right side an
/// integer.
fn shifts(mut v: Vec<Node>) -> Vec<Node> {
    for i in 0..v.len() {
        if !(v[i].is_punct("<<") || v[i].is_punct(">>")) {
            continue;
        }
        if let Some(l) = prev_sig(&v, i) {
            if v[l].tok().is_some_and(|t| t.kind == Kind::Number) {
                v[l] = Node::raw(format!("CAST({} AS BIGINT)", text(&v[l..=l])));
            }
        }
        if let Some(r) = next_sig(&v, i + 1) {
            let operand = matches!(&v[r], Node::G(_))
                || v[r].tok().is_some_and(|t| {
                    matches!(
                        t.kind,
                        Kind::Number | Kind::Param | Kind::Word | Kind::Ident
                    )
                });
            let qualified = next_sig(&v, r + 1).is_some_and(|d| v[d].is_punct("."));
            if operand && !qualified && !keyword(&v[r]) {
                v[r] = Node::raw(format!("CAST({} AS INTEGER)", text(&v[r..=r])));
            }
        }
    }
    v
}

/// IS [NOT] with a value, unary plus, INDEXED BY, GLOB, LIKE.
fn operators(v: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        let n = &v[i];
        let next = next_sig(&v, i + 1);
        if n.is("IS") {
            let (not, k) = match next {
                Some(j) if v[j].is("NOT") => (true, next_sig(&v, j + 1)),
                _ => (false, next),
            };
            let plain = k.is_none_or(|k| {
                ["NULL", "TRUE", "FALSE", "DISTINCT", "UNKNOWN"]
                    .iter()
                    .any(|w| v[k].is(w))
            });
            if !plain {
                // SQLite's `a IS b` compares with NULL equal to NULL.
                out.push(Node::raw(if not {
                    "IS DISTINCT FROM"
                } else {
                    "IS NOT DISTINCT FROM"
                }));
                i = if not {
                    next.map_or(v.len(), |j| j + 1)
                } else {
                    i + 1
                };
                continue;
            }
        } else if n.is_punct("+") && unary_position(&v, i) {
            // `+col` only keeps SQLite from using an index; PostgreSQL has no unary plus on text.
            i += 1;
            continue;
        } else if n.is("INDEXED") && next.is_some_and(|j| v[j].is("BY")) {
            // An index hint: PostgreSQL's planner takes none.
            let name = next.and_then(|j| next_sig(&v, j + 1));
            i = name.map_or(v.len(), |k| k + 1);
            continue;
        } else if n.is("NOT") && next.is_some_and(|j| v[j].is("INDEXED")) {
            i = next.map_or(v.len(), |j| j + 1);
            continue;
        } else if n.is("GLOB") {
            let negated = pop_not(&mut out);
            if let Some(Node::T(p)) = next.map(|j| &v[j]) {
                if p.kind == Kind::Str {
                    let re = glob_regex(&p.text[1..p.text.len() - 1].replace("''", "'"));
                    let op = if negated { "!~" } else { "~" };
                    out.push(Node::raw(format!("{op} '{}'", re.replace('\'', "''"))));
                    i = next.map_or(v.len(), |j| j + 1);
                    continue;
                }
            }
            if negated {
                out.push(Node::raw("NOT "));
            }
        } else if n.is("LIKE") {
            // SQLite's LIKE ignores the case of ASCII letters only and has no escape character: ILIKE
            // under the "C" collation (the columns') with ESCAPE '' is the same match.
            out.push(Node::raw("ILIKE"));
            let end = operand_end(&v, i + 1);
            out.extend(v[i + 1..end].iter().cloned());
            if !next_sig(&v, end).is_some_and(|j| v[j].is("ESCAPE")) {
                out.push(Node::raw(" ESCAPE ''"));
            }
            i = end;
            continue;
        }
        out.push(n.clone());
        i += 1;
    }
    out
}

/// Removes a NOT just pushed (for `NOT GLOB`); whether there was one.
fn pop_not(out: &mut Vec<Node>) -> bool {
    match prev_sig(out, out.len()) {
        Some(p) if out[p].is("NOT") => {
            out.truncate(p);
            true
        }
        _ => false,
    }
}

fn unary_position(v: &[Node], i: usize) -> bool {
    match prev_sig(v, i) {
        None => true,
        Some(p) => match &v[p] {
            Node::T(t) if t.kind == Kind::Punct => true,
            n => keyword(n),
        },
    }
}

/// The end (exclusive) of the operand that starts after `from`: up to a word or punctuation that
/// binds less tightly than a comparison.
fn operand_end(v: &[Node], from: usize) -> usize {
    const STOP: &[&str] = &[
        "AND",
        "OR",
        "ESCAPE",
        "THEN",
        "ELSE",
        "END",
        "WHEN",
        "ORDER",
        "GROUP",
        "LIMIT",
        "HAVING",
        "UNION",
        "EXCEPT",
        "INTERSECT",
        "FROM",
        "WHERE",
        "ON",
        "RETURNING",
        "ASC",
        "DESC",
        "IS",
        "NOT",
        "COLLATE",
    ];
    let mut end = from;
    for (j, n) in v.iter().enumerate().skip(from) {
        if STOP.iter().any(|w| n.is(w)) || n.is_punct(",") || n.is_punct(";") {
            break;
        }
        if n.significant() {
            end = j + 1;
        }
    }
    end
}

/// SQLite's GLOB pattern as an anchored regular expression.
pub fn glob_regex(glob: &str) -> String {
    let mut re = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'^') {
                    re.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    re.push_str("\\]");
                    chars.next();
                }
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    if d == '\\' || d == '[' {
                        re.push('\\');
                    }
                    re.push(d);
                }
                re.push(']');
            }
            c if "\\.^$|+(){}]".contains(c) => {
                re.push('\\');
                re.push(c);
            }
            c => re.push(c),
        }
    }
    re.push('$');
    re
}

/// The columns of a table's definitions split at top-level commas (used by the schema translation).
pub fn defs(group: &[Node]) -> Vec<&[Node]> {
    split_commas(group)
        .into_iter()
        .map(trimmed)
        .filter(|d| !d.is_empty())
        .collect()
}
