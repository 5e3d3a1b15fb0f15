//! SQLite DDL (schema.sql, a migration file) as PostgreSQL DDL, statement by statement.

use std::collections::HashSet;

use super::functions::column_type;
use super::query::{defs, ident, statement, translate, Names};
use super::tokens::{next_sig, text, tokenize, tree, trimmed, Node, Tok};

/// PL/pgSQL versions of the SQLite triggers, one section per trigger (`-- trigger NAME on TABLE`).
const TRIGGERS: &str = include_str!("../postgres_triggers.sql");

/// Tables whose SQLite rowid the store reads (an insertion counter): on PostgreSQL a column of its own.
const ROWID_TABLES: &[&str] = &["orders"];

/// Words that start a column constraint (the type name ends before them).
const CONSTRAINT_WORDS: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

pub fn translate_schema(ddl: &str, names: &Names) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut foreign: Vec<String> = Vec::new();
    let mut triggers: Vec<String> = Vec::new();
    for stmt in statements(ddl) {
        let nodes = tree(stmt);
        let nodes = trimmed(&nodes);
        let sig: Vec<&Node> = nodes.iter().filter(|n| n.significant()).collect();
        let word = |k: usize| {
            sig.get(k).map_or(String::new(), |n| {
                text(std::slice::from_ref(*n)).to_ascii_uppercase()
            })
        };
        let (w0, w1, w2) = (word(0), word(1), word(2));
        let temp = w1 == "TEMP" || w1 == "TEMPORARY";
        if sig.is_empty()
            || w0 == "PRAGMA"
            || ["BEGIN", "COMMIT", "END", "VACUUM"].contains(&w0.as_str())
        {
            continue;
        }
        if w0 == "CREATE" && (w1 == "TRIGGER" || (temp && w2 == "TRIGGER")) {
            let name = word(if temp { 3 } else { 2 });
            let name = if name == "IF" {
                word(if temp { 6 } else { 5 })
            } else {
                name
            };
            triggers.push(trigger_section(&name).map_or_else(
                || format!("DO $$ BEGIN RAISE EXCEPTION 'no PostgreSQL version of trigger {}'; END $$;", name.to_lowercase()),
                |(_, body)| body,
            ));
        } else if w0 == "DROP" && w1 == "TRIGGER" {
            let name = if word(2) == "IF" { word(4) } else { word(2) };
            let table = trigger_section(&name).map_or_else(|| "missing_table".into(), |(t, _)| t);
            out.push(format!(
                "DROP TRIGGER IF EXISTS {} ON {table}",
                name.to_lowercase()
            ));
        } else if w0 == "CREATE"
            && (w1 == "TABLE" || (temp && w2 == "TABLE"))
            && nodes.iter().any(|n| matches!(n, Node::G(_)))
            && !sig.iter().any(|n| n.is("AS"))
        {
            out.push(create_table(nodes, temp, names, &mut foreign));
        } else if w0 == "ALTER"
            && w1 == "TABLE"
            && sig.get(3).is_some_and(|n| n.is("ADD"))
            && !sig.get(4).is_some_and(|n| {
                ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
                    .iter()
                    .any(|w| n.is(w))
            })
        {
            let table = text(&[sig[2].clone()]);
            let start = nodes.iter().position(|n| n.is("ADD")).map_or(0, |p| p + 1);
            let start = next_sig(nodes, start)
                .filter(|&c| nodes[c].is("COLUMN"))
                .map_or(start, |c| c + 1);
            let col = column(trimmed(&nodes[start..]), &table, false, names, &mut foreign);
            out.push(format!("ALTER TABLE {table} ADD COLUMN {col}"));
        } else if w0 == "CREATE" && (w1 == "INDEX" || (w1 == "UNIQUE" && w2 == "INDEX")) {
            out.push(create_index(nodes, names));
        } else if w0 == "CREATE" && (w1 == "VIEW" || (temp && w2 == "VIEW")) {
            out.push(create_view(nodes, names));
        } else {
            out.push(translate(&text(nodes), names));
        }
    }
    let mut sql = String::new();
    for s in out.iter().chain(&foreign).chain(&triggers) {
        sql.push_str(s.trim_end().trim_end_matches(';'));
        sql.push_str(";\n\n");
    }
    sql
}

/// The statements of a script, split at `;` outside triggers' BEGIN … END bodies.
fn statements(ddl: &str) -> Vec<Vec<Tok>> {
    let mut out = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    let (mut trigger, mut body, mut cases) = (false, false, 0usize);
    for t in tokenize(ddl) {
        let first = !cur.iter().any(Tok::significant);
        if t.is("TRIGGER")
            && cur.iter().filter(|c| c.significant()).count() <= 2
            && cur.iter().any(|c| c.is("CREATE"))
        {
            trigger = true;
        }
        if trigger && t.is("BEGIN") {
            body = true;
        } else if body && t.is("CASE") {
            cases += 1;
        } else if body && t.is("END") {
            if cases == 0 {
                body = false;
                trigger = false;
            } else {
                cases -= 1;
            }
        }
        if t.is_punct(";") && !body {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        if !first || t.significant() {
            cur.push(t);
        }
    }
    out.push(cur);
    out.retain(|s| s.iter().any(Tok::significant));
    out
}

fn trigger_section(name: &str) -> Option<(String, String)> {
    let mut sections = TRIGGERS.split("\n-- trigger ").skip(1);
    sections.find_map(|s| {
        let header = s.lines().next()?;
        let mut words = header.split_whitespace();
        let (n, on, table) = (words.next()?, words.next()?, words.next()?);
        (n.eq_ignore_ascii_case(name) && on == "on")
            .then(|| (table.to_string(), format!("-- trigger {s}")))
    })
}

fn create_table(nodes: &[Node], temp: bool, names: &Names, foreign: &mut Vec<String>) -> String {
    let g = nodes
        .iter()
        .position(|n| matches!(n, Node::G(_)))
        .unwrap_or(0);
    let head = text(trimmed(&nodes[..g]));
    let table = nodes[..g]
        .iter()
        .rev()
        .find(|n| n.significant())
        .map_or(String::new(), |n| text(std::slice::from_ref(n)));
    let Node::G(body) = &nodes[g] else {
        return text(nodes);
    };
    let mut cols: Vec<String> = Vec::new();
    for def in defs(body) {
        let first = &def[0];
        if first.is("FOREIGN") {
            let fk = text(def);
            if !temp {
                foreign.push(format!("ALTER TABLE {table} ADD {}", deferrable(&fk)));
            }
        } else if ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK"]
            .iter()
            .any(|w| first.is(w))
        {
            cols.push(text(&statement(def, names)));
        } else {
            cols.push(column(def, &table, temp, names, foreign));
        }
    }
    if ROWID_TABLES.iter().any(|t| table.eq_ignore_ascii_case(t)) {
        // The store reads orders' rowid as an insertion counter; PostgreSQL tables have none.
        cols.push("rowid BIGSERIAL".to_string());
    }
    format!("{head} (\n    {}\n)", cols.join(",\n    "))
}

/// One column definition; its REFERENCES clause becomes a foreign key added after every table exists
/// (SQLite accepts a reference to a table created later, PostgreSQL does not).
fn column(
    def: &[Node],
    table: &str,
    temp: bool,
    names: &Names,
    foreign: &mut Vec<String>,
) -> String {
    let name = ident(&text(&def[..1]));
    let sig: Vec<&Node> = def[1..].iter().filter(|n| n.significant()).collect();
    let ty_end = sig
        .iter()
        .position(|n| CONSTRAINT_WORDS.iter().any(|w| n.is(w)))
        .unwrap_or(sig.len());
    let sqlite_type: Vec<String> = sig[..ty_end]
        .iter()
        .map(|n| text(std::slice::from_ref(*n)))
        .collect();
    let sqlite_type = sqlite_type.join(" ");
    let rest = &sig[ty_end..];
    let is_pk = rest.iter().any(|n| n.is("PRIMARY"));
    let mut out = match column_type(&sqlite_type) {
        Some("BIGINT") if is_pk && sqlite_type.eq_ignore_ascii_case("INTEGER") => {
            // SQLite's INTEGER PRIMARY KEY is the rowid: numbered when not given, one more than the
            // largest (so an id freed at the top is given again). A sequence would never give it
            // again, and the ids a command shows would differ between the engines: a trigger numbers
            // the row as SQLite does (one writer at a time holds the lock, so no two race).
            if !temp {
                foreign.push(rowid_numbering(table, &name));
            }
            "BIGINT".to_string()
        }
        Some("TEXT") | None => "TEXT COLLATE \"C\"".to_string(),
        Some(t) => t.to_string(),
    };
    let mut k = 0;
    while k < rest.len() {
        let n = rest[k];
        if n.is("PRIMARY") {
            out.push_str(" PRIMARY KEY");
            k += 2;
            while k < rest.len()
                && ["ASC", "DESC", "AUTOINCREMENT"]
                    .iter()
                    .any(|w| rest[k].is(w))
            {
                k += 1;
            }
        } else if n.is("CHECK") || n.is("DEFAULT") {
            let expr = rest.get(k + 1).map_or(String::new(), |e| {
                let mut e: Vec<Node> = vec![(*e).clone()];
                // A signed default: `DEFAULT -1`.
                if e[0].is_punct("-") || e[0].is_punct("+") {
                    e.extend(rest.get(k + 2).map(|x| (*x).clone()));
                    k += 1;
                }
                text(&statement(&e, names))
            });
            out.push_str(&format!(
                " {} {expr}",
                text(std::slice::from_ref(n)).to_ascii_uppercase()
            ));
            k += 2;
        } else if n.is("COLLATE") {
            // Every text column sorts by bytes, as SQLite's BINARY does.
            k += 2;
        } else if n.is("REFERENCES") {
            let end = (k + 1..rest.len())
                .find(|&e| {
                    [
                        "CONSTRAINT",
                        "PRIMARY",
                        "UNIQUE",
                        "CHECK",
                        "DEFAULT",
                        "COLLATE",
                    ]
                    .iter()
                    .any(|w| rest[e].is(w))
                        || (rest[e].is("NOT") && rest.get(e + 1).is_some_and(|x| x.is("NULL")))
                        || rest[e].is("NULL")
                })
                .unwrap_or(rest.len());
            let clause: Vec<Node> = rest[k..end].iter().map(|x| (*x).clone()).collect();
            let clause: Vec<String> = clause
                .iter()
                .map(|x| text(std::slice::from_ref(x)))
                .collect();
            if !temp {
                foreign.push(format!(
                    "ALTER TABLE {table} ADD FOREIGN KEY ({name}) {}",
                    deferrable(&clause.join(" "))
                ));
            }
            k = end;
        } else {
            out.push(' ');
            out.push_str(&text(std::slice::from_ref(n)));
            k += 1;
        }
    }
    format!("{name} {out}")
}

/// The function and trigger that number a row of `table` in `column` when it is given none: the largest
/// number there plus one, as SQLite numbers an INTEGER PRIMARY KEY.
fn rowid_numbering(table: &str, column: &str) -> String {
    let bare = |s: &str| s.trim_matches('"').to_string();
    let function = format!("{}_next_{}", bare(table), bare(column));
    format!(
        "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN\n    NEW.{column} := (SELECT coalesce(max({column}), 0) + 1 FROM {table});\n    \
         RETURN NEW;\nEND\n$$;\n\
         CREATE TRIGGER {function} BEFORE INSERT ON {table} FOR EACH ROW WHEN (NEW.{column} IS NULL) \
         EXECUTE FUNCTION {function}()"
    )
}

/// A foreign key that an import can defer: DEFERRABLE INITIALLY IMMEDIATE unless it says otherwise.
fn deferrable(fk: &str) -> String {
    if fk.to_ascii_uppercase().contains("DEFERRABLE") {
        fk.to_string()
    } else {
        format!("{fk} DEFERRABLE INITIALLY IMMEDIATE")
    }
}

/// CREATE INDEX with each nullable column's NULLs first, as SQLite orders them, so an ORDER BY
/// translated to NULLS FIRST can still read the index in order.
fn create_index(nodes: &[Node], names: &Names) -> String {
    let Some(g) = nodes.iter().position(|n| matches!(n, Node::G(_))) else {
        return text(nodes);
    };
    let Node::G(cols) = &nodes[g] else {
        return text(nodes);
    };
    let cols: Vec<String> = defs(cols)
        .into_iter()
        .map(|c| {
            let sig: Vec<&Node> = c.iter().filter(|n| n.significant()).collect();
            let name = sig.first().map_or(String::new(), |n| {
                text(std::slice::from_ref(*n))
                    .trim_matches('"')
                    .to_ascii_lowercase()
            });
            let desc = sig.last().is_some_and(|n| n.is("DESC"));
            if sig.len() <= 2
                && !names.not_null.contains(&name)
                && !sig.iter().any(|n| n.is("NULLS"))
            {
                format!(
                    "{} {}",
                    text(&statement(c, names)),
                    if desc { "NULLS LAST" } else { "NULLS FIRST" }
                )
            } else {
                text(&statement(c, names))
            }
        })
        .collect();
    let rest = &nodes[g + 1..];
    let rest = match rest.iter().position(|n| n.is("WHERE")) {
        Some(w) => format!(
            " WHERE {}",
            text(&statement(trimmed(&rest[w + 1..]), names))
        ),
        None => String::new(),
    };
    format!("{} ({}){rest}", text(trimmed(&nodes[..g])), cols.join(", "))
}

fn create_view(nodes: &[Node], names: &Names) -> String {
    let Some(a) = nodes.iter().position(|n| n.is("AS")) else {
        return text(nodes);
    };
    let head = text(trimmed(&nodes[..a]));
    // PostgreSQL has no CREATE VIEW IF NOT EXISTS.
    let head = match head.to_ascii_uppercase().find(" IF NOT EXISTS") {
        Some(p) => format!(
            "CREATE OR REPLACE VIEW{}",
            &head[p + " IF NOT EXISTS".len()..]
        ),
        None => head,
    };
    format!(
        "{head} AS\n{}",
        text(&statement(trimmed(&nodes[a + 1..]), names))
    )
}

/// The column names that are NOT NULL (or a primary key) in every table that has them; a name that
/// any table has nullable is left out. Views do not count: the store never reads one.
pub fn not_null_names(ddl: &str) -> HashSet<String> {
    let (mut not_null, mut nullable) = (HashSet::new(), HashSet::new());
    for stmt in statements(ddl) {
        let nodes = tree(stmt);
        let nodes = trimmed(&nodes);
        let sig: Vec<&Node> = nodes.iter().filter(|n| n.significant()).collect();
        let table_def = sig.first().is_some_and(|n| n.is("CREATE"))
            && sig.iter().take(3).any(|n| n.is("TABLE"));
        let add_col = sig.first().is_some_and(|n| n.is("ALTER")) && sig.iter().any(|n| n.is("ADD"));
        let mut cols: Vec<Vec<Node>> = Vec::new();
        if table_def {
            if let Some(Node::G(body)) = nodes.iter().find(|n| matches!(n, Node::G(_))) {
                cols = defs(body).into_iter().map(<[Node]>::to_vec).collect();
            }
        } else if add_col {
            let start = nodes.iter().position(|n| n.is("ADD")).map_or(0, |p| p + 1);
            let start = next_sig(nodes, start)
                .filter(|&c| nodes[c].is("COLUMN"))
                .map_or(start, |c| c + 1);
            cols.push(trimmed(&nodes[start..]).to_vec());
        }
        for def in cols {
            let Some(Node::T(first)) = def.first() else {
                continue;
            };
            if ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
                .iter()
                .any(|w| first.is(w))
            {
                continue;
            }
            let name = t_lower(first);
            let sig: Vec<&Node> = def.iter().filter(|n| n.significant()).collect();
            let nn = sig.windows(2).any(|w| {
                (w[0].is("NOT") && w[1].is("NULL")) || (w[0].is("PRIMARY") && w[1].is("KEY"))
            });
            if nn {
                not_null.insert(name);
            } else {
                nullable.insert(name);
            }
        }
    }
    not_null.retain(|n| !nullable.contains(n));
    not_null
}

fn t_lower(t: &Tok) -> String {
    t.text.trim_matches('"').to_ascii_lowercase()
}
