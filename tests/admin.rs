//! Admin commands and the conventions every command shares: init, areas, policy, backup, db check,
//! audit, completions, output formats, --output, --bom, --lang, and the database file itself.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Company, Env};
use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A database with two Chinese-named regions.
fn env_with_regions() -> Env {
    Company::new()
        .region("E", "华东大区")
        .region("S", "South")
        .assign("E", &["上海", "江苏", "浙江"])
        .assign("S", &["广东"])
        .build()
}

// ---- init and the database file ----

#[test]
fn init_creates_a_private_file_and_is_idempotent() {
    let env = Env::bare();
    let out = env.ok(&["init"]);
    assert!(out.contains("created"), "{out}");
    assert!(out.contains("34 areas"), "{out}");
    // The file is private (on PostgreSQL, the server's roles decide who may read).
    if env.engine() == common::Engine::Sqlite {
        assert_eq!(mode(&env.db), 0o600);
    }
    let out = env.ok(&["init"]);
    assert!(out.contains("up to date"), "{out}");
    assert_eq!(env.json(&["areas", "list"]).as_array().unwrap().len(), 34);
}

#[test]
fn init_shared_makes_the_file_group_writable() {
    if common::sqlite_only("the database file's mode") {
        return;
    }
    let env = Env::bare();
    env.ok(&["init", "--shared"]);
    assert_eq!(mode(&env.db), 0o660);
}

#[test]
fn init_with_us_areas_loads_the_states_and_dc() {
    let env = Env::bare();
    env.ok(&["init", "--areas", "us"]);
    let areas = env.json(&["areas", "list"]);
    assert_eq!(areas.as_array().unwrap().len(), 51);
    env.ok(&["regions", "add", "W", "--name", "West"]);
    env.ok(&["regions", "assign", "W", "AK", "california"]);
    assert_eq!(
        env.json(&["regions", "show", "W"])["areas"],
        json!(["Alaska", "California"])
    );
    // The universe of an existing database cannot be switched.
    let err = env.err(&["init", "--areas", "cn"], 2);
    assert!(err.contains("--areas us"), "{err}");
}

#[test]
fn init_with_no_areas_starts_empty_and_areas_add_makes_custom_ones() {
    let env = Env::bare();
    env.ok(&["init", "--areas", "none"]);
    assert_eq!(env.json(&["areas", "list"]), json!([]));
    let out = env.ok(&[
        "areas",
        "add",
        "Metro",
        "--code",
        "M1",
        "--alias",
        "Metropolis",
    ]);
    assert_eq!(out.trim(), "M1");
    env.ok(&["regions", "add", "X", "--name", "X"]);
    env.ok(&["regions", "assign", "X", "metropolis"]);
    assert_eq!(
        env.json(&["regions", "show", "X"])["areas"],
        json!(["Metro"])
    );
    let err = env.err(&["areas", "add", "Other", "--alias", "METRO"], 3);
    assert!(err.contains("Metro"), "{err}");
}

#[test]
fn areas_list_unassigned_leaves_out_the_assigned() {
    let env = env_with_regions();
    let free = env.json(&["areas", "list", "--unassigned"]);
    assert_eq!(free.as_array().unwrap().len(), 30);
    assert!(free
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["region"].is_null()));
    let all = env.json(&["areas", "list"]);
    let gd = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "44")
        .unwrap();
    assert_eq!(
        gd,
        &json!({"code": "44", "name": "广东", "official": "广东省", "universe": "cn", "region": "S", "excluded": false})
    );
}

#[test]
fn missing_database_fails_naming_the_path_and_init_and_creates_nothing() {
    if common::sqlite_only("a database file that does not exist yet") {
        return;
    }
    let env = Env::bare();
    for args in [
        vec!["regions", "list"],
        vec!["policy", "set", "violation.fine", "600"],
        vec!["db", "check"],
        vec!["audit"],
    ] {
        let err = env.err(&args, 1);
        assert!(err.contains(&env.db.display().to_string()), "{err}");
        assert!(err.contains("salesops init"), "{err}");
    }
    assert_eq!(env.files(), Vec::<String>::new());
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    if common::sqlite_only("the file's PRAGMA user_version") {
        return;
    }
    let env = Env::new();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let err = env.err(&["regions", "list"], 3);
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains("upgrade salesops"), "{err}");
    let err = env.err(&["init"], 3);
    assert!(err.contains("schema version 99"), "{err}");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

// ---- policy ----

const POLICY: &[(&str, &str, &str, &str)] = &[
    // key, default, valid, invalid
    ("discount.approval_above", "10%", "12%", "150%"),
    ("discount.max", "30%", "0.25", "2"),
    ("price.tolerance", "0.5%", "1%", "abc"),
    ("price.regional_spread", "15%", "20%", "-5%"),
    ("tier.window_months", "12", "6", "1.5"),
    ("tier.key.revenue", "100000", "¥150,000", "lots"),
    ("tier.key.orders", "24", "30", "-1"),
    ("tier.important.revenue", "20000", "25000.50", "12.345678"),
    ("tier.important.orders", "6", "8", "six"),
    ("lead.first_contact_days", "2", "3", "two"),
    (
        "calendar.holidays",
        "",
        "2026-10-01;2026-10-02",
        "2026-13-01",
    ),
    ("calendar.workdays", "", "2026-10-10", "someday"),
    ("payment.terms_days", "30", "45", "30d"),
    (
        "target.bands",
        "120%,100%,80%",
        "110%,100%,90%",
        "80%,100%,120%",
    ),
    ("violation.window_days", "90", "60", "ninety"),
    (
        "violation.ladder",
        "warning,fine,suspend",
        "warning,suspend",
        "warning,jail",
    ),
    ("violation.fine", "500", "800", "-500"),
    ("violation.suspend_days", "30", "14", "2 weeks"),
    (
        "calendar.hours",
        "09:00-18:00",
        "08:30-17:30",
        "18:00-09:00",
    ),
    ("service.response_hours", "4", "2", "4h"),
    ("service.resolve_hours", "24", "48", "-1"),
    ("service.complaint_resolve_hours", "16", "8", "one day"),
    ("logistics.promise_days", "3", "2", "three"),
    ("logistics.stuck_days", "7", "5", "-1"),
    ("logistics.min_on_time", "90%", "95%", "120%"),
    ("stock.shortage", "allow", "refuse", "warn"),
    ("stock.default_warehouse", "", "WH-1", "W\u{200b}1"),
    (
        "score.achievement",
        "40,60%,120%",
        "30,50%,110%",
        "40,60,120",
    ),
    ("score.margin", "10,0%,30%", "15,5%,25%", "-10,0%,30%"),
    ("score.overdue", "10,30%,0%", "10,40%,0%", "10,30%,30%"),
    ("score.violations", "10,5,0", "10,3,0", "10,5%,0"),
    (
        "score.response_on_time",
        "10,50%,100%",
        "10,60%,100%",
        "10,50%",
    ),
    ("score.satisfaction", "10,3,5", "12.5,2.5,5", "10,three,5"),
    (
        "score.on_time_delivery",
        "5,70%,100%",
        "0,70%,100%",
        "5,70%,100",
    ),
    (
        "score.campaign_roi",
        "5,-50%,100%",
        "5,-20%,80%",
        "5,-50,100",
    ),
    ("score.qualitative", "10,0,100", "20,0,100", "10,0%,100%"),
];

#[test]
fn policy_list_shows_every_key_with_value_and_default() {
    let env = Env::new();
    let list = env.json(&["policy", "list"]);
    let expected: Vec<Value> = POLICY
        .iter()
        .map(|(k, d, _, _)| json!({"key": k, "value": d, "default": d}))
        .collect();
    assert_eq!(list, Value::Array(expected));
}

#[test]
fn policy_set_accepts_valid_values_and_refuses_invalid_ones_showing_the_form() {
    let env = Env::new();
    for (key, default, valid, invalid) in POLICY {
        let err = env.err(&["policy", "set", key, invalid], 3);
        assert!(
            err.contains(&format!("is not a valid {key}: expected ")),
            "{key}: {err}"
        );
        env.ok(&["policy", "set", key, valid]);
        let list = env.json(&["policy", "list"]);
        let row = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == *key)
            .unwrap();
        // Values are stored in their canonical form.
        let stored = match *valid {
            "0.25" => "25%",
            "¥150,000" => "150000",
            v => v,
        };
        assert_eq!(row["value"], stored, "{key}");
        assert_eq!(row["default"], *default, "{key}");
    }
    let err = env.err(&["policy", "set", "discount.maximum", "20%"], 3);
    assert!(err.contains("unknown policy key"), "{err}");
    assert!(err.contains("discount.max"), "{err}");
}

#[test]
fn policy_set_of_an_empty_date_list_clears_it() {
    let env = Env::new();
    env.ok(&["policy", "set", "calendar.holidays", "2026-10-01"]);
    env.ok(&["policy", "set", "calendar.holidays", ""]);
    let list = env.json(&["policy", "list"]);
    assert_eq!(
        list[10],
        json!({"key": "calendar.holidays", "value": "", "default": ""})
    );
}

// ---- backup, db check, audit, completions ----

#[test]
fn backup_writes_a_consistent_copy_and_needs_yes_to_overwrite() {
    let env = env_with_regions();
    let out = env.ok(&["backup", "copy.db"]);
    assert!(out.contains("copy.db"), "{out}");
    // The backup is a SQLite file on either engine.
    let copy = Env::on_file(
        tempfile::tempdir().unwrap(),
        env.path("copy.db"),
        &env.today,
    );
    assert_eq!(
        copy.ok(&["regions", "export"]),
        env.ok(&["regions", "export"])
    );
    let err = env.err(&["backup", "copy.db"], 2);
    assert!(err.contains("--yes"), "{err}");
    env.ok(&["backup", "copy.db", "--yes"]);
    assert!(
        !env.files().iter().any(|f| f.contains(".tmp-")),
        "{:?}",
        env.files()
    );
}

#[test]
fn db_check_is_clean_on_a_fresh_database_and_after_imports() {
    let env = Env::new();
    env.db_check_clean();
    let regions = env.write(
        "regions.csv",
        "code,name,parent,areas\nE,East,,上海;江苏\nEC,East 1,E,浙江\n",
    );
    let reps = env.write(
        "reps.csv",
        "code,name,region,role,manager\nE01,张伟,E,manager,\nE02,李娜,EC,rep,E01\n",
    );
    env.ok(&["regions", "import", &regions.to_string_lossy()]);
    env.ok(&["reps", "import", &reps.to_string_lossy()]);
    env.db_check_clean();
    assert_eq!(env.ok(&["db", "check"]).trim(), "(none)");
}

#[test]
fn audit_lists_the_commands_that_wrote_with_user_command_and_summary() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东"]);
    env.ok(&["regions", "list"]);
    env.ok(&["policy", "set", "violation.fine", "800"]);
    let audit = env.json(&["audit"]);
    let entries = audit.as_array().unwrap();
    let summaries: Vec<&str> = entries
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        vec![
            "init: 34 areas loaded",
            "region S added",
            "1 areas assigned to S: 广东",
            "policy violation.fine = 800"
        ]
    );
    let e = &entries[1];
    assert_eq!(
        e.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["at", "user", "command", "summary"]
    );
    assert!(
        e["command"]
            .as_str()
            .unwrap()
            .ends_with("regions add S --name South"),
        "{e}"
    );
    assert!(!e["user"].as_str().unwrap().is_empty());
    // `at` is when it happened (the wall clock), so --period filters on the real date.
    let at = e["at"].as_str().unwrap();
    let year = &at[..4];
    assert_eq!(
        env.json(&["audit", "--period", year])
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(env.json(&["audit", "--period", "2001"]), json!([]));
    let month = &at[..7];
    assert_eq!(
        env.json(&["audit", "--period", month])
            .as_array()
            .unwrap()
            .len(),
        4
    );
    env.err(&["audit", "--period", "someday"], 2);
}

#[test]
fn a_refused_command_writes_no_audit_entry() {
    let env = Env::new();
    env.err(&["regions", "assign", "NOPE", "广东"], 3);
    env.err(&["policy", "set", "discount.max", "200%"], 3);
    assert_eq!(env.json(&["audit"]).as_array().unwrap().len(), 1);
}

#[test]
fn completions_bash_prints_a_script_naming_salesops() {
    let env = Env::bare();
    let out = env.ok(&["completions", "bash"]);
    assert!(out.contains("_salesops"), "{out}");
    assert!(out.contains("complete"), "{out}");
    assert!(out.contains("regions"), "{out}");
    assert_eq!(env.files(), Vec::<String>::new());
}

// ---- output conventions ----

#[test]
fn table_with_chinese_names_is_aligned() {
    let env = env_with_regions();
    for lang in ["en", "zh"] {
        let out = env.ok(&["regions", "list", "--lang", lang]);
        let widths: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
        assert!(widths.len() >= 5, "{out}");
        assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{out}");
        assert!(out.contains("华东大区"), "{out}");
        assert!(out.contains("上海, 江苏, 浙江"), "{out}");
    }
}

#[test]
fn regions_list_as_csv_and_markdown() {
    let env = env_with_regions();
    assert_eq!(
        env.ok(&["regions", "list", "--format", "csv"]),
        "code,name,parent,manager,areas\nE,华东大区,,,上海;江苏;浙江\nS,South,,,广东\n"
    );
    assert_eq!(
        env.ok(&["regions", "list", "--format", "md"]),
        "| code | name | parent | manager | areas |\n\
         |---|---|---|---|---|\n\
         | E | 华东大区 |  |  | 上海, 江苏, 浙江 |\n\
         | S | South |  |  | 广东 |\n"
    );
    let zh = env.ok(&["regions", "list", "--format", "md", "--lang", "zh"]);
    assert!(
        zh.starts_with("| 编码 | 名称 | 上级 | 经理 | 区域省份 |\n"),
        "{zh}"
    );
}

#[test]
fn bom_puts_a_utf8_bom_first_in_csv() {
    let env = env_with_regions();
    let out = env.cmd(&["regions", "export", "--bom"]).output().unwrap();
    assert!(out
        .stdout
        .starts_with(&[0xEF, 0xBB, 0xBF, b'c', b'o', b'd', b'e']));
    let out = env.cmd(&["regions", "export"]).output().unwrap();
    assert!(out.stdout.starts_with(b"code,"));
    // A BOM exported for Excel imports back as it was.
    let env2 = Env::new();
    let file = env2.path("regions.csv");
    std::fs::write(
        &file,
        env.cmd(&["regions", "export", "--bom"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    env2.ok(&["regions", "import", &file.to_string_lossy()]);
    assert_eq!(
        env2.ok(&["regions", "export"]),
        env.ok(&["regions", "export"])
    );
}

#[test]
fn lang_zh_changes_table_headings_but_not_json_keys_or_csv_headers() {
    let env = env_with_regions();
    let table = env.ok(&["regions", "list", "--lang", "zh"]);
    assert!(table.contains("编码"), "{table}");
    assert!(table.contains("区域省份"), "{table}");
    let en = env.ok(&["regions", "list"]);
    assert!(en.contains("| code"), "{en}");
    assert_eq!(
        env.json(&["regions", "list", "--lang", "zh"]),
        env.json(&["regions", "list"])
    );
    assert_eq!(
        env.ok(&["regions", "export", "--lang", "zh"]),
        env.ok(&["regions", "export"])
    );
    // The environment variable does the same.
    let out = env
        .cmd(&["regions", "list"])
        .env("SALESOPS_LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("编码"));
}

#[test]
fn output_writes_the_file_and_leaves_no_temporary_file() {
    let env = env_with_regions();
    let out = env.ok(&["regions", "export", "--output", "regions.csv"]);
    assert_eq!(out, "");
    assert_eq!(
        std::fs::read_to_string(env.path("regions.csv")).unwrap(),
        env.ok(&["regions", "export"])
    );
    // Over an existing file too.
    env.ok(&[
        "regions",
        "list",
        "--format",
        "json",
        "--output",
        "regions.csv",
    ]);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("regions.csv")).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(
        env.files(),
        vec!["regions.csv", "t.db", "t.db-shm", "t.db-wal"]
            .into_iter()
            .filter(|f| env.path(f).exists())
            .map(String::from)
            .collect::<Vec<_>>()
    );
    assert!(
        !env.files().iter().any(|f| f.contains("tmp")),
        "{:?}",
        env.files()
    );
}

#[test]
fn output_into_a_missing_folder_fails_and_leaves_nothing() {
    let env = env_with_regions();
    let before = env.files();
    let err = env.err(
        &["regions", "export", "--output", "no/such/dir/regions.csv"],
        1,
    );
    assert!(err.contains("no/such/dir"), "{err}");
    assert_eq!(env.files(), before);
    assert!(!env.path("no").exists());
}

#[test]
fn json_of_a_message_is_an_object() {
    let env = Env::new();
    let v = env.json(&["regions", "add", "S", "--name", "South"]);
    assert_eq!(v, json!({"message": "S"}));
}

#[test]
fn check_findings_render_as_a_table_with_exit_4() {
    let env = Env::new();
    env.ok(&["regions", "add", "E", "--name", "East"]);
    let out = env.expect_code(&["regions", "check"], 4);
    assert!(out.contains("empty_region"), "{out}");
    assert!(out.contains("no_manager"), "{out}");
    let csv = env.expect_code(&["regions", "check", "--format", "csv"], 4);
    assert!(csv.starts_with("kind,subject,detail\n"), "{csv}");
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let env = Env::new();
    let err = env.err(&["regions", "list", "--today", "2026-02-30"], 2);
    assert!(err.contains("--today"), "{err}");
}

#[test]
fn html_is_refused_for_listings() {
    let env = Env::new();
    let err = env.err(&["regions", "list", "--format", "html"], 2);
    assert!(err.contains("html"), "{err}");
}
