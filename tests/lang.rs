//! `--lang zh` end to end (docs/manual.md, "In Chinese"): tables, Markdown and HTML read in Chinese, with no English label
//! left; errors, confirmations and import summaries in Chinese with the same exit codes; CSV and JSON
//! the same bytes in either language.

mod common;

use std::collections::BTreeSet;

use common::{demo, Env};

/// The words people read in `text` that are English: ASCII words of two letters or more that are not
/// codes (all capitals, like `NORTH`, `SKU`, `EMS`) and not inside a code (`SO26-005004`).
fn english_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .filter(|w| w.len() >= 2 && w.chars().any(|c| c.is_ascii_lowercase()))
        .map(str::to_string)
        .collect()
}

fn stderr_of(env: &Env, args: &[&str], code: i32) -> String {
    let out = env.run(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "salesops {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_monthly_report_in_chinese_has_no_english_label_left() {
    let env = demo();
    let en = env.ok(&["report", "monthly"]);
    let labels = english_words(&en);
    assert!(
        labels.contains("revenue") && labels.contains("Summary"),
        "{labels:?}"
    );
    for format in ["table", "md", "html"] {
        let zh = env.ok(&["report", "monthly", "--lang", "zh", "--format", format]);
        let left: Vec<&String> = if format == "html" {
            // The page's own markup is English by nature; what it shows between tags is not.
            let body = match (zh.find("<style"), zh.find("</style>")) {
                (Some(a), Some(b)) => format!("{}{}", &zh[..a], &zh[b..]),
                _ => zh.clone(),
            };
            let shown: String = body
                .split('<')
                .filter_map(|piece| piece.split_once('>').map(|(_, text)| text))
                .collect::<Vec<_>>()
                .join(" ");
            let shown = english_words(&shown);
            labels.iter().filter(|w| shown.contains(*w)).collect()
        } else {
            let words = english_words(&zh);
            labels.iter().filter(|w| words.contains(*w)).collect()
        };
        assert!(left.is_empty(), "--format {format}: English left: {left:?}");
    }
    // The figures are the same ones.
    let zh = env.ok(&["report", "monthly", "--lang", "zh"]);
    assert!(en.contains("2,577,736.69") && zh.contains("2,577,736.69"));
    assert!(zh.contains("概况") && zh.contains("（未分配）") && zh.contains("未达成"));
}

#[test]
fn listings_and_findings_read_in_chinese_while_csv_and_json_do_not_change() {
    let env = demo();
    let table = env.ok(&["customers", "list", "--lang", "zh"]);
    assert!(table.contains("关键") && table.contains("线下"), "{table}");
    for args in [
        &["customers", "list"][..],
        &["prices", "check", "--no-record"][..],
        &["customers", "check"][..],
    ] {
        for format in ["csv", "json"] {
            let mut en: Vec<&str> = args.to_vec();
            en.extend(["--format", format]);
            let mut zh = en.clone();
            zh.extend(["--lang", "zh"]);
            let code = if args[1] == "check" { 4 } else { 0 };
            assert_eq!(
                env.expect_code(&en, code),
                env.expect_code(&zh, code),
                "{en:?}"
            );
        }
    }
    let findings = env.expect_code(&["prices", "check", "--no-record", "--lang", "zh"], 4);
    assert!(findings.contains("| 低于底价"), "{findings}");
    assert!(
        findings.contains("金额 66.92 低于底价 75.00 × 2 = 150.00"),
        "{findings}"
    );
    assert!(!findings.contains("is below"), "{findings}");
    let customers = env.expect_code(&["customers", "check", "--lang", "zh"], 4);
    assert!(customers.contains("关键客户没有负责人"), "{customers}");
    let carriers = env.expect_code(&["carriers", "check", "--lang", "zh", "--format", "md"], 4);
    assert!(
        carriers.contains(
            "| 滞留 | SO26-005011 | 2026-10-05 由 JD 发出，已 49 天，未送达（承诺 2 + 7 天） |"
        ),
        "{carriers}"
    );
}

#[test]
fn finding_details_show_percentages_and_money_as_the_reports_do() {
    let env = demo();
    let csv = env.expect_code(&["prices", "check", "--no-record", "--format", "csv"], 4);
    // One decimal for a percentage, two for money, in every format.
    assert!(
        csv.contains("discount 62.0% (amount 66.92 against list 88.00 × 2 = 176.00) is above the maximum 30.0%"),
        "{csv}"
    );
    assert!(
        csv.contains("average price 69.82 (6 units) is 16.3% below the all-region average 83.45 (allowed 15.0%)"),
        "{csv}"
    );
    for line in csv.lines() {
        for word in line.split([' ', '(', ')', ',']) {
            if let Some(number) = word.strip_suffix('%') {
                let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
                assert_eq!(decimals, 1, "{word} in {line}");
            }
        }
    }
}

#[test]
fn errors_are_said_in_chinese_with_the_same_exit_code() {
    let env = demo();
    let en = stderr_of(env, &["regions", "show", "NOPE"], 3);
    assert_eq!(
        en,
        "error: no region \"NOPE\" (see `salesops regions list`)\n"
    );
    let zh = stderr_of(env, &["regions", "show", "NOPE", "--lang", "zh"], 3);
    assert_eq!(
        zh,
        "错误：没有大区 \"NOPE\"（见 `salesops regions list`）\n"
    );
    // SALESOPS_LANG chooses it too, for a whole session.
    let out = env
        .cmd(&["orders", "show", "NOPE"])
        .env("SALESOPS_LANG", "zh_CN.UTF-8")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "错误：没有订单 \"NOPE\"（见 `salesops orders list`）\n"
    );
    // A bad flag value: usage, exit 2, and the value's own reason in Chinese too.
    let zh = stderr_of(
        env,
        &["report", "monthly", "--month", "2026-13", "--lang", "zh"],
        2,
    );
    assert!(
        zh.starts_with("错误：") && !zh.contains("takes a month"),
        "{zh}"
    );
}

#[test]
fn confirmations_and_import_summaries_are_in_chinese() {
    let env = common::demo_copy();
    // Without a terminal and without --yes: refused, exit 2, the question said in Chinese.
    let zh = stderr_of(&env, &["regions", "unassign", "广东", "--lang", "zh"], 2);
    assert_eq!(
        zh,
        "错误：把 广东 (SOUTH) 移出其大区：没有终端，已拒绝；加 --yes 确认\n"
    );
    let en = stderr_of(&env, &["regions", "unassign", "广东"], 2);
    assert_eq!(
        en,
        "error: take 广东 (SOUTH) out of their regions: refused without a terminal; add --yes to confirm\n"
    );
    env.write(
        "p.csv",
        "sku,name,list_price,cost\nNEW-1,新茶,10,5\n,,,\nNEW-2,新杯,20,8\n",
    );
    let zh = stderr_of(&env, &["products", "import", "p.csv", "--lang", "zh"], 0);
    assert!(
        zh.starts_with("p.csv: 读取 3 行，新建 2，更新 0，跳过 0，拒收 0，空行 1，用时 "),
        "{zh}"
    );
    assert!(zh.trim_end().ends_with(" 秒"), "{zh}");
}

/// clap's own errors (exit 2), asked for in Chinese by `--lang zh` anywhere on the line, by
/// `--lang=zh`, or by SALESOPS_LANG: said in Chinese with the flags, values and usage line as typed.
#[test]
fn clap_errors_are_said_in_chinese_with_the_flags_intact() {
    let env = Env::bare();
    // A wrong flag, with clap's suggestion.
    let zh = stderr_of(
        &env,
        &["report", "monthly", "--formt", "csv", "--lang", "zh"],
        2,
    );
    assert_eq!(
        zh,
        "错误：无法识别的参数 '--formt'\n\n  提示：有一个相近的参数：'--format'\n\n\
         用法：salesops report monthly --format <FORMAT>\n\n更多信息请运行 '--help'。\n"
    );
    // An invalid value, `--lang=zh` before the command.
    let zh = stderr_of(
        &env,
        &["--lang=zh", "report", "monthly", "--format", "x"],
        2,
    );
    assert_eq!(
        zh,
        "错误：'--format <FORMAT>' 的值 'x' 无效\n  [可选值：table, csv, json, md, html]\n\n\
         更多信息请运行 '--help'。\n"
    );
    // A missing argument, the language from the environment.
    let out = env
        .cmd(&["customers", "add"])
        .env("SALESOPS_LANG", "zh_CN.UTF-8")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "错误：缺少以下必需的参数：\n  <CODE>\n\n用法：salesops customers add <CODE>\n\n\
         更多信息请运行 '--help'。\n"
    );
    // A value parser's own reason, through the catalogue.
    let zh = stderr_of(
        &env,
        &[
            "report", "trend", "--period", "2026", "--by", "week", "--lang", "zh",
        ],
        2,
    );
    assert!(
        zh.starts_with(
            "错误：'--by <month|quarter>' 的值 'week' 无效：\"week\" 不是 month 或 quarter\n"
        ),
        "{zh}"
    );
    // A group without its subcommand: clap's error, or (nothing else on the line) its help under
    // a Chinese error line.
    let zh = stderr_of(&env, &["report", "--lang", "zh"], 2);
    assert!(
        zh.starts_with("错误：'salesops report' 需要一个子命令，但没有给出\n  [子命令：monthly, "),
        "{zh}"
    );
    let out = env
        .cmd(&["report"])
        .env("SALESOPS_LANG", "zh")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let zh = String::from_utf8_lossy(&out.stderr);
    assert!(zh.starts_with("错误：缺少子命令；可用的命令如下\n"), "{zh}");
    assert!(
        zh.contains("用法：salesops report [OPTIONS] <COMMAND>")
            && zh.contains("命令：\n  monthly"),
        "{zh}"
    );
    // `--lang en` on the line wins over the environment, as after a good parse.
    let out = env
        .cmd(&["report", "monthly", "--foo", "--lang", "en"])
        .env("SALESOPS_LANG", "zh")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: unexpected argument '--foo' found"));
}

#[test]
fn clap_errors_in_english_are_unchanged() {
    let env = Env::bare();
    assert_eq!(
        stderr_of(&env, &["report", "monthly", "--formt", "csv"], 2),
        "error: unexpected argument '--formt' found\n\n  tip: a similar argument exists: '--format'\n\n\
         Usage: salesops report monthly --format <FORMAT>\n\nFor more information, try '--help'.\n"
    );
    assert_eq!(
        stderr_of(&env, &["report", "monthly", "--format", "x"], 2),
        "error: invalid value 'x' for '--format <FORMAT>'\n  [possible values: table, csv, json, md, html]\n\n\
         For more information, try '--help'.\n"
    );
    assert_eq!(
        stderr_of(&env, &["customers", "add"], 2),
        "error: the following required arguments were not provided:\n  <CODE>\n\n\
         Usage: salesops customers add <CODE>\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn a_refused_remove_lists_its_references_in_chinese() {
    let env = demo();
    let zh = stderr_of(env, &["regions", "remove", "NORTH", "--lang", "zh"], 3);
    assert_eq!(
        zh,
        "错误：大区 NORTH 仍被 4 名销售（N01, N02, N03, N04）、1366 个订单（CP26-0025, CP26-0026, \
         CP26-0027, CP26-0031, CP26-0038, …）、14 个目标（2025, 2026, 2026-01, 2026-02, 2026-03, …） \
         引用；请先移走或删除它们\n"
    );
    let zh = stderr_of(env, &["reps", "remove", "E01", "--lang", "zh"], 3);
    assert!(
        zh.starts_with("错误：销售 E01 仍被 1 个由其管理的大区（EAST）、1 名由其管理的销售（E02）、13 个目标（"),
        "{zh}"
    );
    let zh = stderr_of(env, &["warehouses", "remove", "WH-BJ", "--lang", "zh"], 3);
    assert_eq!(
        zh,
        "错误：仓库 WH-BJ 仍被 2832 个订单、4837 条库存变动 引用；其库存历史保留\n"
    );
    assert!(english_words(&stderr_of(
        env,
        &["products", "remove", "BT-001", "--lang", "zh"],
        3
    ))
    .is_empty());
    // English keeps its list as it was.
    let en = stderr_of(env, &["regions", "remove", "NORTH"], 3);
    assert!(
        en.starts_with("error: region NORTH is still referred to by 4 reps (N01, N02, N03, N04), 1366 orders ("),
        "{en}"
    );
}

/// What a clerk reads in a month besides the reports: a record's fields, titles built in English,
/// total rows, yes/no fields, the violations ledger's actions.
#[test]
fn records_titles_and_totals_read_in_chinese() {
    let env = demo();
    for args in [
        &["orders", "show", "SO25-000003"][..],
        &["customers", "show", "C0001"][..],
        &["orders", "receivables"][..],
        &["targets", "progress"][..],
        &["targets", "list"][..],
        &["report", "trend", "--period", "2026"][..],
        &["areas", "list"][..],
        &["prices", "check", "--no-record"][..],
    ] {
        let mut zh = args.to_vec();
        zh.extend(["--lang", "zh", "--format", "md"]);
        let out = env.run(&zh);
        let text = String::from_utf8_lossy(&out.stdout);
        // (e-mail addresses are what they are)
        let shown: String = text.lines().filter(|l| !l.contains('@')).collect();
        let left: Vec<String> = english_words(&shown)
            .into_iter()
            // A country code, the flag the summary names.
            .filter(|w| !matches!(w.as_str(), "cn" | "no" | "record"))
            .collect();
        assert!(left.is_empty(), "{args:?}: English left: {left:?}\n{text}");
    }
    let receivables = env.ok(&["orders", "receivables", "--lang", "zh"]);
    assert!(
        receivables.starts_with("应收账款，截至 2026-11-23\n"),
        "{receivables}"
    );
    assert!(receivables.contains("| 合计"), "{receivables}");
}

#[test]
fn an_import_with_bad_rows_is_refused_in_chinese() {
    let env = common::demo_copy();
    env.write(
        "c.csv",
        "code,name,area,phone\nC9001,新客户,上海,13800000000\nC9002,坏客户,上海,1.38E+10\n",
    );
    let zh = stderr_of(&env, &["customers", "import", "c.csv", "--lang", "zh"], 3);
    assert!(
        zh.contains(
            "  c.csv:3: 列 \"phone\"：\"1.38E+10\" 是 Excel 写成科学计数法的数字：其数字已丢失；"
        ),
        "{zh}"
    );
    // Only the file's name, the column as its header names it, and Excel are left in English.
    let left = english_words(&zh.replace("--skip-invalid", ""));
    assert!(
        left.iter()
            .all(|w| ["csv", "phone", "Excel"].contains(&w.as_str())),
        "{left:?}: {zh}"
    );
}
