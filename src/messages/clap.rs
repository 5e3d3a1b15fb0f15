//! clap's own messages (a wrong flag, a missing argument, an invalid value, a missing subcommand) in
//! Chinese. clap renders them in English before any command runs; `clap_zh` takes that rendering line
//! by line and finds each line's template here. What clap quotes (`'--foo'`, `'x'`, the usage line)
//! is what someone typed or what they must type, so it is kept as it is; only a reason after the last
//! colon (our own value parsers' message) goes through the catalogue. A line no template covers (a
//! flag under "cannot be used with:", `  <CODE>`) is kept as it is. The lines are clap_builder 4.6's
//! (`src/error/format.rs`, `src/error/mod.rs`; the version is pinned in Cargo.lock), and a test
//! through the binary pins them.

use super::{fill, matches, zh};

/// clap's lines after `error: ` or `tip: `, and its headings.
pub const CLAP: &[(&str, &str)] = &[
    ("unexpected argument '{}' found", "无法识别的参数 '{}'"),
    ("unrecognized subcommand '{}'", "无法识别的子命令 '{}'"),
    ("invalid value '{}' for '{}'", "'{1}' 的值 '{0}' 无效"),
    (
        "invalid value '{}' for '{}': {}",
        "'{1}' 的值 '{0}' 无效：{2}",
    ),
    (
        "a value is required for '{}' but none was supplied",
        "'{}' 需要一个值，但没有给出",
    ),
    (
        "the following required arguments were not provided:",
        "缺少以下必需的参数：",
    ),
    (
        "'{}' requires a subcommand but one was not provided",
        "'{}' 需要一个子命令，但没有给出",
    ),
    (
        "the argument '{}' cannot be used multiple times",
        "参数 '{}' 不能重复使用",
    ),
    (
        "the argument '{}' cannot be used with:",
        "参数 '{}' 不能与以下参数同时使用：",
    ),
    (
        "the argument '{}' cannot be used with '{}'",
        "参数 '{}' 不能与 '{}' 同时使用",
    ),
    (
        "the argument '{}' cannot be used with one or more of the other specified arguments",
        "参数 '{}' 不能与所给的其他参数同时使用",
    ),
    (
        "the subcommand '{}' cannot be used with:",
        "子命令 '{}' 不能与以下参数同时使用：",
    ),
    (
        "the subcommand '{}' cannot be used with '{}'",
        "子命令 '{}' 不能与 '{}' 同时使用",
    ),
    (
        "the subcommand '{}' cannot be used with one or more of the other specified arguments",
        "子命令 '{}' 不能与所给的其他参数同时使用",
    ),
    (
        "equal sign is needed when assigning values to '{}'",
        "给 '{}' 赋值时需要等号",
    ),
    (
        "unexpected value '{}' for '{}' found; no more were expected",
        "'{1}' 多出了值 '{0}'；不再需要更多的值",
    ),
    (
        "{} values required by '{}'; only {} was provided",
        "'{1}' 需要 {0} 个值；只给了 {2} 个",
    ),
    (
        "{} values required by '{}'; only {} were provided",
        "'{1}' 需要 {0} 个值；只给了 {2} 个",
    ),
    (
        "{} values required for '{}' but {} was provided",
        "'{1}' 需要 {0} 个值，但给了 {2} 个",
    ),
    (
        "{} values required for '{}' but {} were provided",
        "'{1}' 需要 {0} 个值，但给了 {2} 个",
    ),
    (
        "invalid UTF-8 was detected in one or more arguments",
        "参数中有无效的 UTF-8",
    ),
    ("[possible values: {}]", "[可选值：{}]"),
    ("[subcommands: {}]", "[子命令：{}]"),
    ("a similar argument exists: '{}'", "有一个相近的参数：'{}'"),
    (
        "a similar subcommand exists: '{}'",
        "有一个相近的子命令：'{}'",
    ),
    ("a similar value exists: '{}'", "有一个相近的值：'{}'"),
    ("some similar arguments exist: {}", "有几个相近的参数：{}"),
    (
        "some similar subcommands exist: {}",
        "有几个相近的子命令：{}",
    ),
    ("some similar values exist: {}", "有几个相近的值：{}"),
    (
        "to pass '{}' as a value, use '{}'",
        "要把 '{}' 当作值传入，请写 '{}'",
    ),
    ("'{}' exists", "可以用 '{}'"),
    (
        "subcommand '{}' exists; to use it, remove the '--' before it",
        "子命令 '{}' 存在；要使用它，请去掉它前面的 '--'",
    ),
    ("For more information, try '{}'.", "更多信息请运行 '{}'。"),
    ("Usage: {}", "用法：{}"),
    // The headings of the help clap shows for a missing subcommand (and `--help`): the commands and
    // flags under them stay as the reference writes them.
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("Global options:", "全局选项："),
    // What stands before the help clap shows for a group called without its subcommand.
    (
        "a subcommand is missing; the commands are below",
        "缺少子命令；可用的命令如下",
    ),
    (
        "an argument is missing; the usage is below",
        "缺少参数；用法如下",
    ),
];

/// What kind of text clap rendered: an error, or help (asked for, or shown for a missing subcommand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClapText {
    Error,
    Help,
    MissingSubcommand,
}

/// clap's rendered `text` in Chinese: each line's template filled with the same flags and values.
pub fn clap_zh(text: &str, kind: ClapText) -> String {
    let lines = text.split('\n').map(|line| match kind {
        ClapText::Error => line_zh(line),
        // Help: only the headings and the usage line; the rest is the reference.
        ClapText::Help | ClapText::MissingSubcommand => heading_zh(line),
    });
    let body = lines.collect::<Vec<_>>().join("\n");
    if kind != ClapText::MissingSubcommand {
        return body;
    }
    let missing = if text.contains("<COMMAND>") {
        "a subcommand is missing; the commands are below"
    } else {
        "an argument is missing; the usage is below"
    };
    format!(
        "错误：{}\n\n{body}",
        template_zh(missing).unwrap_or_default()
    )
}

fn heading_zh(line: &str) -> String {
    if line.starts_with("Usage: ") || (!line.starts_with(' ') && line.ends_with(':')) {
        template_zh(line).unwrap_or_else(|| line.to_string())
    } else {
        line.to_string()
    }
}

fn line_zh(line: &str) -> String {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let (prefix, rest) = if let Some(rest) = body.strip_prefix("error: ") {
        ("错误：", rest)
    } else if let Some(rest) = body.strip_prefix("tip: ") {
        ("提示：", rest)
    } else {
        ("", body)
    };
    match template_zh(rest) {
        Some(done) => format!("{indent}{prefix}{done}"),
        // clap's generic text for a kind (`ErrorKind::as_str`), or a message of our own that reached
        // clap (a value parser's): the catalogue.
        None if !prefix.is_empty() => format!("{indent}{prefix}{}", zh(rest, 1)),
        None => line.to_string(),
    }
}

/// `text` by the clap template that covers most of it: what clap quotes kept, a reason after the last
/// `: ` translated by the catalogue.
fn template_zh(text: &str) -> Option<String> {
    let mut best: Option<(usize, &str, Vec<String>)> = None;
    for (en, cn) in CLAP {
        let literal = en.len() - 2 * en.matches("{}").count();
        if best.as_ref().is_some_and(|(len, _, _)| *len >= literal) {
            continue;
        }
        let Some(holes) = matches(en, text) else {
            continue;
        };
        let reason = en.ends_with(": {}");
        let last = holes.len().saturating_sub(1);
        let values = holes
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if reason && i == last {
                    zh(h.text, 1)
                } else {
                    h.text.to_string()
                }
            })
            .collect();
        best = Some((literal, cn, values));
    }
    best.map(|(_, cn, values)| fill(cn, &values))
}
