use std::collections::BTreeSet;
use std::path::Path;

use super::*;

/// Where a message for people starts in the source: the error constructors, the confirmation and
/// note calls, and domain errors (`Err(format!(…))`) that reach the user inside them.
const CALLS: &[&str] = &[
    "bail_usage!(",
    "bail_input!(",
    "error::input(",
    "error::usage(",
    "anyhow!(",
    "bail!(",
    ".context(",
    "with_context(",
    "Err(",
    "ok_or(",
    "ok_or_else(",
    ".error(",
    "confirm(",
    ".note(",
    "Outcome::text(",
    "let summary = ",
    "let mut summary = ",
    "let done = ",
    "let outcome = ",
    "let message = ",
];

/// A Rust string literal starting at `s[0] == '"'`: its text, escapes resolved, a line continuation
/// (`\` at the end of a line) taking the next line's indent with it.
fn literal(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s[1..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                '\n' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '0' => out.push('\0'),
                'u' => {
                    let code: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let code = code.trim_start_matches('{');
                    out.push(char::from_u32(u32::from_str_radix(code, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// A format string as the catalogue writes it: every `{name}`, `{:?}`, `{x:.2}` a `{}`, and `{{`/`}}`
/// the braces they stand for.
fn template(format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            out.push('}');
            rest = r;
        } else if c == '{' {
            let close = rest.find('}').unwrap_or(rest.len() - 1);
            out.push_str("{}");
            rest = &rest[close + 1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Every literal message in the source files under `dir` (test modules and comments left out).
fn source_messages(dir: &Path, found: &mut BTreeSet<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("messages") {
                source_messages(&path, found);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for call in CALLS {
            for (at, _) in code.match_indices(call) {
                let mut rest = code[at + call.len()..].trim_start();
                loop {
                    let before = rest;
                    rest = rest.trim_start_matches(['&', '|', ' ', '\n']);
                    rest = rest.strip_prefix("crate::").unwrap_or(rest);
                    rest = rest.strip_prefix("format!(").unwrap_or(rest);
                    if rest == before {
                        break;
                    }
                }
                if !rest.starts_with('"') {
                    continue;
                }
                let Some(lit) = literal(rest) else { continue };
                let t = template(&lit);
                if !t.chars().any(|c| c.is_ascii_alphabetic()) {
                    continue;
                }
                found.insert((t, path.display().to_string()));
            }
        }
    }
}

#[test]
fn every_message_in_the_source_has_a_chinese_text() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    source_messages(&src, &mut found);
    assert!(
        found.len() > 200,
        "the scan found only {} messages",
        found.len()
    );
    let known: BTreeSet<&str> = catalogue().map(|(en, _)| *en).collect();
    let missing: Vec<String> = found
        .iter()
        .filter(|(t, _)| !known.contains(t.as_str()))
        .map(|(t, file)| format!("{file}: {t:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "messages without a catalogue entry (src/messages/):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_entry_has_both_languages_once() {
    let mut seen = BTreeSet::new();
    for (en, cn) in catalogue() {
        assert!(seen.insert(*en), "{en:?} is in the catalogue twice");
        assert!(!en.trim().is_empty() && !cn.trim().is_empty(), "{en:?}");
        assert!(
            // (a flag before a value says the same in both)
            !cn.is_ascii() || (cn == en && en.starts_with("--")),
            "{en:?}: the Chinese text {cn:?} has no Chinese in it"
        );
        // The Chinese text uses every value of the English one, or says why not by its numbers.
        let holes = en.matches("{}").count();
        let plain = cn.matches("{}").count();
        let numbered = (0..holes)
            .filter(|i| cn.contains(&format!("{{{i}}}")) || cn.contains(&format!("{{={i}}}")))
            .count();
        assert!(
            plain == holes || (plain == 0 && numbered > 0),
            "{en:?}: {holes} values, the Chinese {cn:?} has {plain} {{}} and {numbered} {{N}}"
        );
    }
}

#[test]
fn messages_are_translated_with_their_values() {
    let z = |t: &str| tr(t, Lang::Zh);
    assert_eq!(
        z("no region \"NOPE\" (see `salesops regions list`)"),
        "没有大区 \"NOPE\"（见 `salesops regions list`）"
    );
    assert_eq!(z("no region \"x\""), "没有大区 \"x\"");
    // A file's place, a column, and the value's own reason.
    assert_eq!(
        z("orders.csv:17: column \"quantity\": \"3x\" is not a whole number"),
        "orders.csv:17: 列 \"quantity\"：\"3x\" 不是整数"
    );
    // Words inside values; quoted values kept as typed.
    assert_eq!(z("the customer code \"\" is empty"), "客户编码\"\" 为空");
    assert_eq!(z("no region \"region\""), "没有大区 \"region\"");
    // Values in another order.
    assert_eq!(
        z("the revenue targets of region NORTH 2026 would add up to 5, past the 9 salesops holds; nothing was written"),
        "大区 NORTH 2026 的收入目标合计将达 5，超出 salesops 可保存的 9；未写入任何内容"
    );
    // A confirmation refused, around its question.
    assert_eq!(
        z("cancel order SO-1 of C1 (2 lines): refused without a terminal; add --yes to confirm"),
        "取消订单 SO-1（C1，2 lines）：没有终端，已拒绝；加 --yes 确认"
    );
    // An import summary and what follows it.
    assert_eq!(
        z("r.csv: 8 rows read, 8 created, 0 updated, 0 skipped, 1 rejected in 0.00 s; rejected rows are in r.rejects.csv"),
        "r.csv: 读取 8 行，新建 8，更新 0，跳过 0，拒收 1，用时 0.00 秒；拒收的行在 r.rejects.csv"
    );
    // A summary's clauses each find their own entry.
    assert_eq!(
        z("prices check 2026-10: 31 findings; 0 new in the violations ledger"),
        "价格检查 2026-10：31 项发现；违规台账新增 0 条"
    );
    // Stored words fill values too.
    assert_eq!(z("key customer without an owner"), "关键客户没有负责人");
    // A value the Chinese marks `{=N}` is kept as it was (a file's own column name).
    assert_eq!(
        z("c.csv: ignoring unknown column region"),
        "c.csv：忽略未知列 region"
    );
    // What the catalogue does not know stays as it is; English is never touched.
    assert_eq!(z("something new"), "something new");
    assert_eq!(tr("no region \"x\"", Lang::En), "no region \"x\"");
}

#[test]
fn templates_fill_in_order_or_by_number() {
    assert_eq!(fill("{}-{}", &["a".into(), "b".into()]), "a-b");
    assert_eq!(fill("{1}-{0}", &["a".into(), "b".into()]), "b-a");
    assert_eq!(fill("{x}", &[]), "{x}");
}

#[test]
fn a_list_of_references_reads_as_its_items() {
    let z = |t: &str| tr(t, Lang::Zh);
    assert_eq!(
        z("region NORTH is still referred to by 4 reps (N01, N02, N03, N04), 1 order (SO-1), 14 targets (2025, 2026, …); move or remove them first"),
        "大区 NORTH 仍被 4 名销售（N01, N02, N03, N04）、1 个订单（SO-1）、14 个目标（2025, 2026, …） 引用；请先移走或删除它们"
    );
    assert_eq!(
        z("warehouse W1 is still referred to by 3 orders, 10 stock moves; its stock history is kept"),
        "仓库 W1 仍被 3 个订单、10 条库存变动 引用；其库存历史保留"
    );
    // A list with an item the catalogue does not know is one text, left as it is.
    assert_eq!(
        z("3 orders (A, B), something new"),
        "3 orders (A, B), something new"
    );
}

#[test]
fn clap_errors_keep_flags_values_and_usage() {
    let text = "error: unexpected argument '--formt' found\n\n  tip: a similar argument exists: '--format'\n\nUsage: salesops report monthly --format <FORMAT>\n\nFor more information, try '--help'.\n";
    assert_eq!(
        clap_zh(text, ClapText::Error),
        "错误：无法识别的参数 '--formt'\n\n  提示：有一个相近的参数：'--format'\n\n用法：salesops report monthly --format <FORMAT>\n\n更多信息请运行 '--help'。\n"
    );
    let text =
        "error: invalid value 'x' for '--format <FORMAT>'\n  [possible values: table, csv]\n";
    assert_eq!(
        clap_zh(text, ClapText::Error),
        "错误：'--format <FORMAT>' 的值 'x' 无效\n  [可选值：table, csv]\n"
    );
    // A value parser's own reason goes through the catalogue.
    assert_eq!(
        clap_zh("error: invalid value 'week' for '--by <month|quarter>': \"week\" is not month or quarter\n", ClapText::Error),
        "错误：'--by <month|quarter>' 的值 'week' 无效：\"week\" 不是 month 或 quarter\n"
    );
    // Help keeps its reference text; its headings and the usage label are Chinese.
    assert_eq!(
        clap_zh(
            "Usage: salesops [OPTIONS] <COMMAND>\n\nCommands:\n  report  Reports: monthly\n",
            ClapText::Help
        ),
        "用法：salesops [OPTIONS] <COMMAND>\n\n命令：\n  report  Reports: monthly\n"
    );
}

#[test]
fn a_place_keeps_a_reason_with_clauses_whole() {
    assert_eq!(
        tr("c.csv:3: column \"phone\": \"1.38E+10\" is a number Excel wrote in scientific notation: its digits are lost; format the column as text (设置单元格格式 → 文本), type the digits again and save", Lang::Zh),
        "c.csv:3: 列 \"phone\"：\"1.38E+10\" 是 Excel 写成科学计数法的数字：其数字已丢失；请把该列设为文本（设置单元格格式 → 文本），重新输入数字后保存"
    );
}
