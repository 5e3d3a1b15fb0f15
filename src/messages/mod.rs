//! The one catalogue of messages for people, in English and Chinese, and the translation of a
//! message where it leaves the program (`--lang zh`).
//!
//! Messages are built in English where they arise (`bail_input!("no region \"{code}\"")`), as they
//! always were; the catalogue holds each one's template, `{}` for what the code fills in, beside its
//! Chinese text. `tr` finds the template a message was built from and fills the Chinese text with the
//! same values, each translated in turn when it is itself a catalogue text (a reason after a colon, a
//! word such as `region`); a value in quotes is what someone typed and stays as it was. A message no
//! template covers whole is cut at its `; ` and `: ` joints and the pieces translated, so a file's
//! `orders.csv:17: ` prefix or a chain of causes finds its parts. What no entry covers stays English.
//!
//! A test reads `src/` and fails on a literal message without an entry here (`tests` below), so a new
//! message cannot ship without its Chinese.

mod clap;
mod errors;
mod notes;
mod values;

pub use clap::{clap_zh, ClapText};

use crate::output::Lang;

/// Every (English template, Chinese text) pair: errors, then notes, findings and words.
fn catalogue() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    errors::ERRORS
        .iter()
        .chain(notes::NOTES)
        .chain(notes::DONE)
        .chain(values::VALUES)
        .chain(notes::FINDINGS)
        .chain(notes::WORDS)
        .chain(notes::REFERENCES)
        .chain(notes::TITLES)
        .chain(notes::MONTHLY)
        .chain(clap::CLAP)
}

/// `text` in `lang`: itself in English, its catalogue translation in Chinese.
pub fn tr(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Zh => zh(text, 0),
    }
}

/// How deep values inside values are translated: a message quoting a message quoting a message.
const MAX_DEPTH: usize = 8;

fn zh(text: &str, depth: usize) -> String {
    if depth > MAX_DEPTH || text.trim().is_empty() {
        return text.to_string();
    }
    if text.contains('\n') {
        return text
            .split('\n')
            .map(|line| zh(line, depth + 1))
            .collect::<Vec<_>>()
            .join("\n");
    }
    // An indented line (the rows under "3 invalid values") keeps its indent.
    let body = text.trim_start();
    let indent = &text[..text.len() - body.len()];
    // A list whose every item is known reads as its items: a template taking the whole list would
    // take the first items into its value (`{} targets ({})` over `4 reps (…), 14 targets (…)`).
    if let Some(done) = list(body, depth).or_else(|| whole(body, depth)) {
        return format!("{indent}{done}");
    }
    // A place first (`c.csv:3: `) when what follows it is one message with clauses of its own (a
    // reason with a `; `), which the joints below would cut apart.
    if let Some((head, tail)) = body.split_once(": ").filter(|(head, _)| is_location(head)) {
        if let Some(done) = whole(tail, depth + 1) {
            return format!("{indent}{head}: {done}");
        }
    }
    for joint in ["; ", ": "] {
        if let Some(at) = body.find(joint) {
            let (head, tail) = (&body[..at], &body[at + joint.len()..]);
            let sep = if joint == "; " { "；" } else { "：" };
            // A location (`orders.csv:17`, `--line`) keeps its ASCII colon: editors and people
            // search for it.
            let sep = if is_location(head) { joint } else { sep };
            return format!(
                "{indent}{}{sep}{}",
                zh(head, depth + 1),
                zh(tail, depth + 1)
            );
        }
    }
    text.to_string()
}

/// A list built from pieces (`4 reps (E01, E02, E03, E04), 12 orders (…)`): its items, cut at the
/// `, ` outside parentheses, each a whole catalogue text, joined the Chinese way. `None` when it is
/// not a list or an item is not known (then the text is not a list of things said, but one thing).
fn list(text: &str, depth: usize) -> Option<String> {
    let mut items = Vec::new();
    let (mut open, mut start) = (0usize, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => open += 1,
            ')' => open = open.checked_sub(1)?,
            ',' if open == 0 && text[at..].starts_with(", ") => {
                items.push(&text[start..at]);
                start = at + 2;
            }
            _ => {}
        }
    }
    if items.is_empty() {
        return None;
    }
    items.push(&text[start..]);
    let done: Option<Vec<String>> = items.iter().map(|item| whole(item, depth + 1)).collect();
    Some(done?.join("、"))
}

/// Whether the parentheses of `text` close in order and all close: a value of a template is a
/// whole phrase, never the end of one item and the start of the next (`E01), 3 orders (O1`).
fn balanced(text: &str) -> bool {
    let mut open = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => open += 1,
            ')' | '）' => match open.checked_sub(1) {
                Some(o) => open = o,
                None => return false,
            },
            _ => {}
        }
    }
    open == 0
}

/// A head that names a place rather than says something: a file and line, a flag, a key.
fn is_location(head: &str) -> bool {
    !head.contains(' ') || head.starts_with("--")
}

/// The best template for the whole of `text` (the one with the most literal text), filled in Chinese.
fn whole(text: &str, depth: usize) -> Option<String> {
    let mut best: Option<(usize, &str, Vec<Hole<'_>>)> = None;
    for (en, cn) in catalogue() {
        let literal = en.len() - 2 * en.matches("{}").count();
        if best.as_ref().is_some_and(|(len, _, _)| *len >= literal) {
            continue;
        }
        if let Some(holes) = matches(en, text) {
            best = Some((literal, cn, holes));
        }
    }
    let Some((_, cn, holes)) = best else {
        return word(text).map(str::to_string);
    };
    // `{=N}` in the Chinese: the Nth value as it was, though unquoted (a column as a file's header
    // names it: `region` there is not 大区).
    let kept = |i: usize| cn.contains(&format!("{{={i}}}"));
    let values: Vec<String> = holes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if h.quoted || kept(i) {
                h.text.to_string()
            } else {
                zh(h.text, depth + 1)
            }
        })
        .collect();
    Some(fill(&cn.replace("{=", "{"), &values))
}

/// What a `{}` of a template took from a message, and whether the template quotes it.
#[derive(Clone, Copy)]
struct Hole<'a> {
    text: &'a str,
    quoted: bool,
}

/// The values of `template`'s `{}`s in `text`, when the template's literal parts make up the rest of
/// it. Where parts could be found at more than one place (`the {} {} is empty` over
/// `the customer code "" is empty`), the split whose values read best wins: values the catalogue
/// knows, and values that are a whole quoted text.
fn matches<'a>(template: &str, text: &'a str) -> Option<Vec<Hole<'a>>> {
    let parts: Vec<&str> = template.split("{}").collect();
    if parts.len() == 1 {
        return (template == text).then(Vec::new);
    }
    // A template that is all values (`{}: {}`) would take any text: it says nothing to translate.
    if parts.iter().all(|p| p.trim().len() <= 2) {
        return None;
    }
    let rest = text.strip_prefix(parts[0])?;
    let mut found = Vec::new();
    split(&parts, 1, rest, &mut Vec::new(), &mut found);
    found.into_iter().max_by_key(|holes| {
        holes
            .iter()
            .map(|h| {
                let t = h.text;
                let quoted = t.len() >= 2 && t.starts_with('"') && t.ends_with('"');
                usize::from(quoted) + usize::from(!h.quoted && known(t))
            })
            .sum::<usize>()
    })
}

/// The ways to take `parts[i..]` out of `rest`, each pushed whole onto `found` (a few at most).
fn split<'a>(
    parts: &[&str],
    i: usize,
    rest: &'a str,
    holes: &mut Vec<Hole<'a>>,
    found: &mut Vec<Vec<Hole<'a>>>,
) {
    if found.len() >= 16 {
        return;
    }
    let part = parts[i];
    let quoted = parts[i - 1].ends_with('"') && part.starts_with('"');
    if i == parts.len() - 1 {
        if let Some(value) = rest.strip_suffix(part) {
            let leading = i == 1 && parts[0].is_empty();
            if leading && !quoted && (value.contains("; ") || value.contains(": ")) {
                return;
            }
            // The last value spans clauses only as the reason after a colon (a chain of causes).
            if !quoted && value.contains("; ") && !parts[i - 1].ends_with(": ") {
                return;
            }
            if !quoted && !balanced(value) {
                return;
            }
            let mut done = holes.clone();
            done.push(Hole {
                text: value,
                quoted,
            });
            found.push(done);
        }
        return;
    }
    if part.is_empty() {
        // Two values side by side: the first takes nothing (`target{}` where the plural's `s` is).
        holes.push(Hole { text: "", quoted });
        split(parts, i + 1, rest, holes, found);
        holes.pop();
        return;
    }
    for (at, _) in rest.match_indices(part) {
        // A value before more of the sentence never spans a clause (`; `), and a value that starts
        // the sentence never spans a place and its message (`r.csv: 8 rows read`).
        let value = &rest[..at];
        let leading = i == 1 && parts[0].is_empty();
        let clause = value.contains("; ") || value.ends_with(';');
        let place = value.contains(": ") || value.ends_with(':');
        if !quoted && (clause || (leading && place)) {
            break;
        }
        if !quoted && !balanced(value) {
            continue;
        }
        holes.push(Hole {
            text: &rest[..at],
            quoted,
        });
        split(parts, i + 1, &rest[at + part.len()..], holes, found);
        holes.pop();
    }
}

/// Whether the catalogue (or the stored words) has `text` whole, without values.
fn known(text: &str) -> bool {
    word(text).is_some() || catalogue().any(|(en, _)| *en == text)
}

/// A stored word (tier, status, ticket kind …) in Chinese.
fn word(text: &str) -> Option<&'static str> {
    crate::output::word_zh(text)
}

/// `cn` with its `{}` (in turn) or `{N}` (the Nth value) filled (`{=N}` is `{N}` by then).
fn fill(cn: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(cn.len() + 32);
    let mut next = 0;
    let mut rest = cn;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_digit()) => {
                let index = if close == 0 {
                    next += 1;
                    next - 1
                } else {
                    after[..close].parse().unwrap_or(usize::MAX)
                };
                out.push_str(values.get(index).map(String::as_str).unwrap_or(""));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
