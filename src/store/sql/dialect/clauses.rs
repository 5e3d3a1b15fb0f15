//! Clause-level rewrites: joins and subqueries PostgreSQL reads otherwise, NULL ordering, recursive
//! CTEs' collations, and the columns of an upsert's SET.

use super::query::{keyword, Names};
use super::tokens::{next_sig, prev_sig, text, trimmed, Kind, Node};

/// A JOIN with no ON or USING is a cross join (SQLite allows it, PostgreSQL does not); a subquery in
/// FROM or JOIN gets an alias if it has none (PostgreSQL 15 requires one).
pub fn joins(mut v: Vec<Node>, aliases: &mut usize) -> Vec<Node> {
    let mut in_from = false;
    let mut i = 0;
    while i < v.len() {
        let n = &v[i];
        if n.is("FROM") {
            in_from = true;
        } else if [
            "WHERE",
            "GROUP",
            "ORDER",
            "HAVING",
            "LIMIT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "WINDOW",
            "SET",
            "RETURNING",
            "SELECT",
            "VALUES",
        ]
        .iter()
        .any(|w| n.is(w))
        {
            in_from = false;
        }
        let opens_ref = n.is("FROM") || n.is("JOIN") || (in_from && n.is_punct(","));
        if n.is("JOIN") {
            let before = prev_sig(&v, i);
            let joined = before.is_some_and(|p| {
                ["LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL"]
                    .iter()
                    .any(|w| v[p].is(w))
            });
            if !joined && !has_condition(&v, i) {
                match before {
                    Some(p) if v[p].is("INNER") => v[p] = Node::raw("CROSS"),
                    _ => {
                        v.insert(i, Node::raw("CROSS "));
                        i += 1;
                    }
                }
            }
        }
        if opens_ref {
            if let Some(j) = next_sig(&v, i + 1) {
                if let Node::G(g) = &v[j] {
                    let subquery = trimmed(g)
                        .first()
                        .is_some_and(|f| f.is("SELECT") || f.is("WITH") || f.is("VALUES"));
                    let named = next_sig(&v, j + 1).is_some_and(|k| {
                        v[k].is("AS")
                            || (v[k]
                                .tok()
                                .is_some_and(|t| matches!(t.kind, Kind::Word | Kind::Ident))
                                && !keyword(&v[k]))
                    });
                    if subquery && !named {
                        *aliases += 1;
                        v.insert(j + 1, Node::raw(format!(" AS salesops_sub{aliases}")));
                    }
                }
            }
        }
        i += 1;
    }
    v
}

/// Whether the table reference after the JOIN at `i` is followed by ON or USING.
fn has_condition(v: &[Node], i: usize) -> bool {
    let Some(mut j) = next_sig(v, i + 1) else {
        return false;
    };
    // The table (schema-qualified or not) or subquery.
    if let Some(k) = next_sig(v, j + 1).filter(|&k| v[k].is_punct(".")) {
        j = next_sig(v, k + 1).unwrap_or(k);
    }
    let mut k = next_sig(v, j + 1);
    if let Some(a) = k.filter(|&a| v[a].is("AS")) {
        k = next_sig(v, a + 1).and_then(|b| next_sig(v, b + 1));
    } else if let Some(a) = k.filter(|&a| {
        !keyword(&v[a])
            && v[a]
                .tok()
                .is_some_and(|t| matches!(t.kind, Kind::Word | Kind::Ident))
    }) {
        k = next_sig(v, a + 1);
    }
    k.is_some_and(|k| v[k].is("ON") || v[k].is("USING"))
}

/// SQLite sorts NULL before every value, PostgreSQL after: each ORDER BY term says where NULLs go,
/// unless it is a column that is NOT NULL wherever it exists.
pub fn order_by(mut v: Vec<Node>, names: &Names) -> Vec<Node> {
    let mut i = 0;
    while i < v.len() {
        let by = next_sig(&v, i + 1).filter(|&j| v[i].is("ORDER") && v[j].is("BY"));
        let Some(by) = by else {
            i += 1;
            continue;
        };
        const STOP: &[&str] = &[
            "LIMIT",
            "OFFSET",
            "FETCH",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "WINDOW",
            "RETURNING",
        ];
        let end = (by + 1..v.len())
            .find(|&k| STOP.iter().any(|w| v[k].is(w)) || v[k].is_punct(";"))
            .unwrap_or(v.len());
        // Term ends (exclusive), last first so insertions keep earlier indexes.
        let mut ends = Vec::new();
        let mut start = by + 1;
        let commas = (by + 1..end).filter(|&k| v[k].is_punct(","));
        for k in commas.chain([end]) {
            ends.push((start, k));
            start = k + 1;
        }
        for &(s, e) in ends.iter().rev() {
            let term: Vec<&Node> = v[s..e].iter().filter(|n| n.significant()).collect();
            if term.is_empty() || term.iter().any(|n| n.is("NULLS")) {
                continue;
            }
            let desc = term.last().is_some_and(|n| n.is("DESC"));
            let dir = usize::from(desc || term.last().is_some_and(|n| n.is("ASC")));
            let expr = &term[..term.len() - dir];
            let column = match expr {
                [Node::T(c)] | [Node::T(_), Node::T(_), Node::T(c)]
                    if matches!(c.kind, Kind::Word | Kind::Ident) =>
                {
                    Some(c.text.trim_matches('"').to_ascii_lowercase())
                }
                _ => None,
            };
            if column.is_some_and(|c| names.not_null.contains(&c)) {
                continue;
            }
            let last = (s..e).rev().find(|&k| v[k].significant()).unwrap_or(s);
            v.insert(
                last + 1,
                Node::raw(if desc { " NULLS LAST" } else { " NULLS FIRST" }),
            );
        }
        i = by + 1;
    }
    v
}

/// In WITH RECURSIVE, a string or placeholder in the first SELECT of a CTE gets the "C" collation of
/// the columns the recursive part reads (PostgreSQL refuses a recursive CTE whose collations differ).
pub fn recursive_anchors(mut v: Vec<Node>) -> Vec<Node> {
    let Some(w) = (0..v.len()).find(|&i| v[i].is("WITH")) else {
        return v;
    };
    if !next_sig(&v, w + 1).is_some_and(|j| v[j].is("RECURSIVE")) {
        return v;
    }
    for i in w..v.len() {
        let after_as = prev_sig(&v, i).is_some_and(|p| v[p].is("AS"));
        if let (true, Node::G(body)) = (after_as, &mut v[i]) {
            collate_anchor(body);
        }
    }
    v
}

fn collate_anchor(body: &mut [Node]) {
    let Some(sel) = body.iter().position(|n| n.is("SELECT")) else {
        return;
    };
    const STOP: &[&str] = &[
        "FROM",
        "UNION",
        "WHERE",
        "GROUP",
        "ORDER",
        "LIMIT",
        "EXCEPT",
        "INTERSECT",
    ];
    let end = (sel + 1..body.len())
        .find(|&k| STOP.iter().any(|w| body[k].is(w)))
        .unwrap_or(body.len());
    let mut start = sel + 1;
    for k in sel + 1..=end {
        if k == end || body[k].is_punct(",") {
            let item: Vec<usize> = (start..k).filter(|&x| body[x].significant()).collect();
            if let [only] = item[..] {
                let lone = body[only]
                    .tok()
                    .is_some_and(|t| matches!(t.kind, Kind::Param | Kind::Str) || t.is("NULL"));
                if lone {
                    body[only] = Node::raw(format!("{} COLLATE \"C\"", text(&body[only..=only])));
                }
            }
            start = k + 1;
        }
    }
}

/// In `ON CONFLICT … DO UPDATE SET col = expr [WHERE …]`, PostgreSQL finds a bare column ambiguous
/// (the target row or `excluded`): SQLite means the target row's, so it is qualified with the table.
pub fn qualify_upsert(v: &mut [Node]) {
    let Some(into) = (0..v.len()).find(|&i| {
        v[i].is("INTO")
            && prev_sig(v, i)
                .is_some_and(|p| v[p].is("INSERT") || v[p].is("REPLACE") || v[p].is("IGNORE"))
    }) else {
        return;
    };
    let Some(t) = next_sig(v, into + 1) else {
        return;
    };
    let mut target = text(&v[t..=t]);
    if let Some(a) = next_sig(v, t + 1).filter(|&a| v[a].is("AS")) {
        if let Some(alias) = next_sig(v, a + 1) {
            target = text(&v[alias..=alias]);
        }
    }
    let Some(set) = (0..v.len()).find(|&i| {
        v[i].is("SET")
            && prev_sig(v, i).is_some_and(|p| v[p].is("UPDATE"))
            && (0..i).any(|k| v[k].is("CONFLICT"))
    }) else {
        return;
    };
    let mut left = true;
    for i in set + 1..v.len() {
        if v[i].is("RETURNING") {
            break;
        }
        if v[i].is("WHERE") {
            left = false;
            continue;
        }
        if v[i].is_punct("=") && left {
            left = false;
            continue;
        }
        if v[i].is_punct(",") {
            left = true;
            continue;
        }
        if !left {
            qualify(v, i, &target);
        }
    }
}

fn qualify(v: &mut [Node], i: usize, target: &str) {
    let bare = v[i]
        .tok()
        .is_some_and(|t| t.kind == Kind::Word && !keyword(&v[i]))
        && !prev_sig(v, i).is_some_and(|p| v[p].is_punct(".") || v[p].is("AS"))
        && !next_sig(v, i + 1).is_some_and(|n| v[n].is_punct(".") || matches!(v[n], Node::G(_)));
    if bare {
        v[i] = Node::raw(format!("{target}.{}", text(&v[i..=i])));
        return;
    }
    if let Node::G(g) = &mut v[i] {
        if !trimmed(g).first().is_some_and(|f| f.is("SELECT")) {
            for k in 0..g.len() {
                qualify(g, k, target);
            }
        }
    }
}

/// A SELECT that groups and does not say its order gives its groups in key order on SQLite (the
/// sorter or index its GROUP BY reads) and in any order on PostgreSQL (a hash): the same order is
/// asked for, so a caller that keeps the rows in the order they come sees the same on both. Only the
/// statement's own GROUP BY (not a subquery's, not an arm of a UNION).
pub fn group_order(v: &[Node]) -> Option<Vec<Node>> {
    let first = v.iter().find(|n| n.significant())?;
    if !(first.is("SELECT") || first.is("WITH")) {
        return None;
    }
    const SET_OPS: &[&str] = &["UNION", "EXCEPT", "INTERSECT"];
    if v.iter()
        .any(|n| SET_OPS.iter().any(|w| n.is(w)) || n.is("ORDER"))
    {
        return None;
    }
    let group = (0..v.len())
        .find(|&i| v[i].is("GROUP") && next_sig(v, i + 1).is_some_and(|j| v[j].is("BY")))?;
    let by = next_sig(v, group + 1)?;
    const AFTER: &[&str] = &["HAVING", "WINDOW", "LIMIT", "OFFSET", "FETCH"];
    let end = (by + 1..v.len())
        .find(|&k| AFTER.iter().any(|w| v[k].is(w)))
        .unwrap_or(v.len());
    let keys = text(trimmed(&v[by + 1..end]));
    let limit =
        (by + 1..v.len()).find(|&k| ["LIMIT", "OFFSET", "FETCH"].iter().any(|w| v[k].is(w)));
    let at = limit.unwrap_or_else(|| {
        (0..v.len())
            .rev()
            .find(|&k| v[k].significant())
            .map_or(v.len(), |k| k + 1)
    });
    let mut out = v.to_vec();
    let order = super::tokens::tokenize(&format!(" ORDER BY {keys} "));
    out.splice(at..at, order.into_iter().map(Node::T));
    Some(out)
}
