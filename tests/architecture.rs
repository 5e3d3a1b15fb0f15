//! The house layering, checked over the sources (docs: STYLE.md, "Commands stand alone"): no command
//! module imports another command group (xsv's `cmd/*.rs` never import each other); commands and domain
//! never name the SQLite engine; only `main`, `cli` and the dispatcher (`commands/mod.rs`) know the
//! command line's types. Shared pieces live in `store`, `domain`, `import` or `commands/mod.rs`.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

/// The module path of a file under `src/`: `commands/regions/edit.rs` → ["commands", "regions", "edit"];
/// a `mod.rs` is its folder's module, `main.rs` the crate root.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The source with comments, string literals and char literals blanked out (newlines kept), so that
/// prose, messages and docs that mention a path do not count as naming it.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|&c| blank(c)));
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'', '\u{…}'), or else a lifetime, which is kept.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'' && k > i + 2)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    out.extend(std::iter::repeat_n(' ', e + 1 - i));
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A path as segments, and where its last segment starts.
type Named = (Vec<String>, usize);

/// Parse a path or use-tree at `i`: every path it names (`a::{b, c::d}` → [a, b], [a, c, d]; a glob
/// ends in "*"), and where the tree ends.
fn parse_tree(s: &[char], mut i: usize) -> (Vec<Named>, usize) {
    while s.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    if s.get(i) == Some(&'{') {
        i += 1;
        let mut all = Vec::new();
        loop {
            while s.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                i += 1;
            }
            match s.get(i) {
                None => return (all, i),
                Some('}') => return (all, i + 1),
                _ => {}
            }
            let (paths, j) = parse_tree(s, i);
            if j == i {
                // Not a path (should not happen in a use tree): step over it.
                i += 1;
                continue;
            }
            all.extend(paths);
            i = j;
            // `x as y`
            let mut k = i;
            while s.get(k).is_some_and(|c| c.is_whitespace()) {
                k += 1;
            }
            if s.get(k) == Some(&'a')
                && s.get(k + 1) == Some(&'s')
                && !s.get(k + 2).is_some_and(|c| is_ident(*c))
            {
                k += 2;
                while s.get(k).is_some_and(|c| c.is_whitespace() || is_ident(*c)) {
                    k += 1;
                }
                i = k;
            }
        }
    }
    if s.get(i) == Some(&'*') {
        return (vec![(vec!["*".to_string()], i)], i + 1);
    }
    let start = i;
    while s.get(i).is_some_and(|c| is_ident(*c)) {
        i += 1;
    }
    if i == start {
        return (Vec::new(), i);
    }
    let ident: String = s[start..i].iter().collect();
    let mut j = i;
    while s.get(j).is_some_and(|c| c.is_whitespace()) {
        j += 1;
    }
    if s.get(j) == Some(&':') && s.get(j + 1) == Some(&':') {
        let (subs, end) = parse_tree(s, j + 2);
        if subs.is_empty() {
            return (vec![(vec![ident], start)], end);
        }
        let paths = subs
            .into_iter()
            .map(|(mut p, at)| {
                p.insert(0, ident.clone());
                (p, at)
            })
            .collect();
        return (paths, end);
    }
    (vec![(vec![ident], start)], i)
}

/// Every `crate::…`, `super::…` and `self::…` path in `code`, resolved against the file's module path
/// to a path from the crate root, with its line number.
fn absolute_paths(code: &str, module: &[String]) -> Vec<(usize, Vec<String>)> {
    let s: Vec<char> = code.chars().collect();
    let line_at = |at: usize| 1 + s[..at].iter().filter(|c| **c == '\n').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let starts_word = i == 0 || !(is_ident(s[i - 1]) || s[i - 1] == ':');
        let at = |w: &str| w.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c));
        let rooted = ["crate::", "super::", "self::"].iter().any(|w| at(w));
        if !(starts_word && rooted) {
            i += 1;
            continue;
        }
        let (paths, end) = parse_tree(&s, i);
        for (p, at) in paths {
            let mut base: Vec<String> = Vec::new();
            let mut rest = p.as_slice();
            match rest.first().map(String::as_str) {
                Some("crate") => rest = &rest[1..],
                Some("self") => {
                    base = module.to_vec();
                    rest = &rest[1..];
                }
                _ => {
                    base = module.to_vec();
                    while rest.first().is_some_and(|x| x == "super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                }
            }
            base.extend(rest.iter().cloned());
            out.push((line_at(at), base));
        }
        i = end.max(i + 1);
    }
    out
}

/// The command groups: the folders and files of `src/commands` (but its `mod.rs`, the dispatcher).
fn command_groups(src: &Path) -> Vec<String> {
    let mut groups: Vec<String> = std::fs::read_dir(src.join("commands"))
        .expect("src/commands")
        .map(|e| e.expect("entry").path())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            if p.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs")
                    .filter(|n| *n != "mod")
                    .map(str::to_string)
            }
        })
        .collect();
    groups.sort();
    groups
}

/// What a file may not name: another command group (for a command module), the engine (in commands
/// and domain), the command line's types (outside main, cli and the dispatcher).
fn violations(rel: &Path, text: &str, groups: &[String]) -> Vec<String> {
    let module = module_path(rel);
    let code = code_only(text);
    let shown = rel.display();
    let mut out = Vec::new();
    let own_group = (module.first().is_some_and(|m| m == "commands") && module.len() > 1)
        .then(|| module[1].clone());
    for (line, path) in absolute_paths(&code, &module) {
        if let Some(own) = &own_group {
            if path.first().is_some_and(|p| p == "commands") {
                if let Some(named) = path.get(1) {
                    if named == "*" || (groups.contains(named) && named != own) {
                        out.push(format!(
                            "src/{shown}:{line}: the {own} command group names {}",
                            path.join("::")
                        ));
                    }
                }
            }
        }
        let cli_allowed = ["cli.rs", "main.rs", "commands/mod.rs"]
            .iter()
            .any(|f| rel == Path::new(f));
        if !cli_allowed && path.first().is_some_and(|p| p == "cli") {
            out.push(format!(
                "src/{shown}:{line}: only main, cli and the dispatcher name crate::cli ({})",
                path.join("::")
            ));
        }
    }
    let layer = module.first().map(String::as_str);
    if matches!(layer, Some("commands" | "domain")) {
        for (n, l) in code.lines().enumerate() {
            let named = l.match_indices("rusqlite").any(|(k, _)| {
                let before = l[..k].chars().last();
                let after = l[k + "rusqlite".len()..].chars().next();
                !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
            });
            if named {
                out.push(format!(
                    "src/{shown}:{}: {} names rusqlite (use crate::store::{{Conn, Db, Tx}})",
                    n + 1,
                    layer.unwrap_or_default()
                ));
            }
        }
    }
    out
}

#[test]
fn commands_stand_alone_and_layers_keep_their_room() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let groups = command_groups(&src);
    assert!(
        groups.iter().any(|g| g == "regions") && groups.iter().any(|g| g == "demo"),
        "command groups not found: {groups:?}"
    );
    let mut found = Vec::new();
    for path in rust_files(&src) {
        let rel = path.strip_prefix(&src).expect("under src");
        let text = std::fs::read_to_string(&path).expect("read source");
        found.extend(violations(rel, &text, &groups));
    }
    assert!(
        found.is_empty(),
        "{} layering violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_layering_check_sees_what_it_must_and_only_that() {
    let groups: Vec<String> = ["orders", "prices", "products", "regions", "report"]
        .iter()
        .map(|g| g.to_string())
        .collect();
    let check = |file: &str, text: &str| violations(Path::new(file), text, &groups);
    // Another group, however it is reached.
    assert_eq!(
        check("commands/payments.rs", "use super::regions::finish_import;").len(),
        1
    );
    assert_eq!(
        check(
            "commands/prices/adjust.rs",
            "use super::super::products::x;"
        )
        .len(),
        1
    );
    assert_eq!(
        check(
            "commands/report/build.rs",
            "use crate::commands::{clean_code, orders::listing::A};"
        )
        .len(),
        1
    );
    assert_eq!(
        check(
            "commands/regions/mod.rs",
            "let v = crate::commands::prices::finding_counts(c)?;"
        )
        .len(),
        1
    );
    assert_eq!(
        check("commands/prices/check.rs", "use crate::{\n    commands::regions::must_get,\n};")[0],
        "src/commands/prices/check.rs:2: the prices command group names commands::regions::must_get"
    );
    assert_eq!(check("commands/orders/mod.rs", "use super::*;").len(), 1);
    // The group's own modules, the dispatcher's helpers, and prose are fine.
    assert!(check(
        "commands/report/present.rs",
        "use super::build::{Report, Scored};"
    )
    .is_empty());
    assert!(check(
        "commands/regions/edit.rs",
        "use crate::commands::{clean_code, remove_record};"
    )
    .is_empty());
    assert!(check(
        "commands/orders/add.rs",
        "let id = super::super::clean_code(&id, \"order\")?;"
    )
    .is_empty());
    assert!(check(
        "commands/regions/mod.rs",
        "mod edit;\nuse super::clean_code;"
    )
    .is_empty());
    assert!(check(
        "commands/mod.rs",
        "Command::Regions(cmd) => regions::run(ctx, cmd)?,\nuse crate::cli::Cli;"
    )
    .is_empty());
    assert!(check(
        "commands/orders/listing.rs",
        "// was crate::commands::regions::must_get\nlet m = \"super::regions::x\"; let c = '\"'; let r = r#\"crate::commands::prices\"#;"
    )
    .is_empty());
    // The engine and the command line's types.
    assert_eq!(
        check("domain/money.rs", "impl rusqlite::ToSql for Money {}").len(),
        1
    );
    assert_eq!(
        check("commands/regions/list.rs", "use rusqlite::Connection;").len(),
        1
    );
    assert!(check("store/regions.rs", "use rusqlite::Connection;").is_empty());
    assert_eq!(
        check("commands/demo.rs", "use crate::cli::Command;").len(),
        1
    );
    assert_eq!(
        check("context.rs", "use crate::{cli::Global, store};").len(),
        1
    );
    assert!(check("cli.rs", "use crate::commands;").is_empty());
}
