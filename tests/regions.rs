//! `regions …` through the binary: coverage check, assign/unassign, area names, remove, and the
//! regions CSV import.

mod common;

use common::Env;
use serde_json::{json, Value};

/// Every area name of the database, in `areas list` order.
fn area_names(env: &Env) -> Vec<String> {
    env.column(&["areas", "list"], "name")
}

fn region(env: &Env, code: &str) -> Value {
    env.json(&["regions", "show", code])
}

fn areas_of(env: &Env, code: &str) -> Vec<String> {
    region(env, code)["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn kinds(findings: &Value, kind: &str) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["subject"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_finds_exactly_the_uncovered_provinces_as_gaps_and_exits_4() {
    let env = Env::new();
    let names = area_names(&env);
    assert_eq!(names.len(), 34);
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["reps", "add", "E01", "--name", "张伟", "--region", "E"]);
    env.ok(&["regions", "edit", "E", "--manager", "E01"]);
    let left_out = ["海南", "西藏", "台湾"];
    let mut args = vec!["regions", "assign", "E"];
    args.extend(
        names
            .iter()
            .map(String::as_str)
            .filter(|n| !left_out.contains(n)),
    );
    env.ok(&args);

    let findings = env.json_code(&["regions", "check"], 4);
    let mut gaps = kinds(&findings, "gap");
    gaps.sort();
    let mut expected: Vec<String> = left_out.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(gaps, expected);
    assert_eq!(findings.as_array().unwrap().len(), 3, "{findings:#}");
    assert_eq!(
        findings[0],
        json!({"kind": "gap", "subject": findings[0]["subject"], "detail": "area in no region"})
    );

    env.ok(&["regions", "assign", "E", "海南", "西藏", "台湾"]);
    assert_eq!(env.json(&["regions", "check"]), json!([]));
}

#[test]
fn check_reports_empty_region_and_no_manager() {
    let env = Env::new();
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["regions", "add", "W", "--name", "West"]);
    env.ok(&["reps", "add", "W01", "--name", "李娜", "--region", "W"]);
    env.ok(&["regions", "edit", "W", "--manager", "W01"]);
    env.ok(&["regions", "assign", "W", "四川"]);
    let findings = env.json_code(&["regions", "check"], 4);
    assert_eq!(kinds(&findings, "empty_region"), vec!["E"]);
    assert_eq!(kinds(&findings, "no_manager"), vec!["E"]);
    assert_eq!(kinds(&findings, "gap").len(), 33);
    let empty = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "empty_region")
        .unwrap();
    assert_eq!(empty["detail"], "East has no areas and no sub-regions");

    // A parent with only sub-regions is not empty.
    env.ok(&[
        "regions",
        "add",
        "EC",
        "--name",
        "East China",
        "--parent",
        "E",
    ]);
    let findings = env.json_code(&["regions", "check"], 4);
    assert_eq!(kinds(&findings, "empty_region"), vec!["EC"]);
}

#[test]
fn check_on_a_fresh_database_reports_every_area_as_a_gap() {
    let env = Env::new();
    let findings = env.json_code(&["regions", "check"], 4);
    assert_eq!(kinds(&findings, "gap").len(), 34);
}

#[test]
fn assign_of_an_area_held_by_another_region_is_refused_naming_it() {
    let env = Env::new();
    env.ok(&["regions", "add", "E", "--name", "East"]);
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东"]);
    let err = env.err(&["regions", "assign", "E", "上海", "广东"], 3);
    assert!(err.contains("广东 is held by region S South"), "{err}");
    assert!(err.contains("--move"), "{err}");
    // Nothing was written: not even the free 上海.
    assert_eq!(areas_of(&env, "E"), Vec::<String>::new());
    assert_eq!(areas_of(&env, "S"), vec!["广东"]);

    env.ok(&["regions", "assign", "E", "上海", "广东", "--move"]);
    assert_eq!(areas_of(&env, "E"), vec!["上海", "广东"]);
    assert_eq!(areas_of(&env, "S"), Vec::<String>::new());
}

#[test]
fn assign_of_an_area_the_region_has_is_a_no_op() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东"]);
    let out = env.ok(&["regions", "assign", "S", "广东"]);
    assert!(out.contains("0 areas assigned"), "{out}");
    assert_eq!(areas_of(&env, "S"), vec!["广东"]);
    // A no-op wrote nothing, so it leaves no audit entry.
    let audit = env.json(&["audit"]);
    assert_eq!(audit.as_array().unwrap().len(), 3, "{audit:#}");
}

#[test]
fn every_name_of_guangdong_resolves_to_the_one_area() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    for name in [
        "广东",
        "广东省",
        "廣東",
        "Guangdong",
        "44",
        "440000",
        " guang dong ",
    ] {
        env.ok(&["regions", "assign", "S", name]);
    }
    let list = env.json(&["regions", "list"]);
    assert_eq!(
        list,
        json!([{"code": "S", "name": "South", "parent": null, "manager": null, "areas": ["广东"]}])
    );
}

#[test]
fn shanxi_and_shaanxi_are_different_areas() {
    let env = Env::new();
    env.ok(&["regions", "add", "N", "--name", "North"]);
    env.ok(&["regions", "add", "W", "--name", "West"]);
    env.ok(&["regions", "assign", "N", "Shanxi"]);
    env.ok(&["regions", "assign", "W", "Shaanxi"]);
    assert_eq!(areas_of(&env, "N"), vec!["山西"]);
    assert_eq!(areas_of(&env, "W"), vec!["陕西"]);
}

#[test]
fn an_unknown_area_is_refused_naming_it() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    let err = env.err(&["regions", "assign", "S", "广东", "Atlantis"], 3);
    assert!(err.contains("unknown area \"Atlantis\""), "{err}");
    assert_eq!(areas_of(&env, "S"), Vec::<String>::new());
    // Nothing fuzzy: a near miss is not a match.
    let err = env.err(&["regions", "assign", "S", "Guangdon"], 3);
    assert!(err.contains("Guangdon"), "{err}");
}

#[test]
fn unassign_without_a_terminal_needs_yes() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东", "广西"]);
    let err = env.err(&["regions", "unassign", "广西"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(areas_of(&env, "S"), vec!["广东", "广西"]);
    env.ok(&["regions", "unassign", "广西", "--yes"]);
    assert_eq!(areas_of(&env, "S"), vec!["广东"]);
}

#[test]
fn remove_of_a_region_with_areas_needs_yes_without_a_terminal() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东", "广西"]);
    let err = env.err(&["regions", "remove", "S"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(areas_of(&env, "S"), vec!["广东", "广西"]);

    env.ok(&["regions", "remove", "S", "--yes"]);
    assert_eq!(env.json(&["regions", "list"]), json!([]));
    let free = env.json(&["areas", "list", "--unassigned"]);
    assert_eq!(free.as_array().unwrap().len(), 34);
}

#[test]
fn remove_is_refused_while_reps_or_sub_regions_refer_to_the_region() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东"]);
    env.ok(&["reps", "add", "S01", "--name", "王芳", "--region", "S"]);
    env.ok(&["reps", "add", "S02", "--name", "刘洋", "--region", "S"]);
    let err = env.err(&["regions", "remove", "S", "--yes"], 3);
    assert!(err.contains("2 reps (S01, S02)"), "{err}");
    assert_eq!(areas_of(&env, "S"), vec!["广东"]);

    env.ok(&["regions", "add", "P", "--name", "Parent"]);
    env.ok(&["regions", "add", "C", "--name", "Child", "--parent", "P"]);
    let err = env.err(&["regions", "remove", "P", "--yes"], 3);
    assert!(err.contains("1 sub-region (C)"), "{err}");
}

#[test]
fn add_refuses_a_duplicate_code_and_an_unknown_parent_or_manager() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    let err = env.err(&["regions", "add", "S", "--name", "Again"], 3);
    assert!(err.contains("exists already"), "{err}");
    let err = env.err(
        &["regions", "add", "X", "--name", "X", "--parent", "NOPE"],
        3,
    );
    assert!(err.contains("no region \"NOPE\""), "{err}");
    let err = env.err(
        &["regions", "add", "X", "--name", "X", "--manager", "NOBODY"],
        3,
    );
    assert!(err.contains("no rep \"NOBODY\""), "{err}");
    // Missing --name without a terminal is a usage error naming the flag.
    let err = env.err(&["regions", "add", "X"], 2);
    assert!(err.contains("--name"), "{err}");
}

#[test]
fn edit_refuses_a_parent_that_would_make_a_cycle() {
    let env = Env::new();
    env.ok(&["regions", "add", "A", "--name", "A"]);
    env.ok(&["regions", "add", "B", "--name", "B", "--parent", "A"]);
    let err = env.err(&["regions", "edit", "A", "--parent", "B"], 3);
    assert!(err.contains("ancestor"), "{err}");
    let err = env.err(&["regions", "edit", "A", "--parent", "A"], 3);
    assert!(err.contains("ancestor"), "{err}");
}

// ---- import ----

fn many_regions_csv(bad_line_area: &str) -> String {
    let mut csv = String::from("code,name,parent,manager,areas\n");
    csv.push_str("E,East,,,上海;江苏;浙江\n");
    csv.push_str("S,South,,,广东;广西\n");
    csv.push_str(&format!("X,Bad,,,海南;{bad_line_area}\n"));
    csv.push_str("W,West,,,四川;重庆\n");
    csv.push_str("N,North,,,北京;天津\n");
    csv
}

#[test]
fn import_with_one_bad_row_imports_nothing_and_names_file_line_column_value() {
    let env = Env::new();
    let file = env.write("regions.csv", &many_regions_csv("Atlantis"));
    let err = env.err(&["regions", "import", file.to_str().unwrap()], 3);
    assert!(
        err.contains("regions.csv:4: column \"areas\": unknown area \"Atlantis\""),
        "{err}"
    );
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(env.json(&["regions", "list"]), json!([]));
    assert!(!env.path("regions.rejects.csv").exists());
}

#[test]
fn import_with_skip_invalid_imports_the_rest_and_writes_rejects() {
    let env = Env::new();
    let file = env.write("regions.csv", &many_regions_csv("Atlantis"));
    let out = env.run(&[
        "regions",
        "import",
        file.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("5 rows read, 4 created"), "{stderr}");
    assert!(stderr.contains("regions.rejects.csv"), "{stderr}");
    let codes: Vec<Value> = env
        .json(&["regions", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].clone())
        .collect();
    assert_eq!(codes, vec![json!("E"), json!("N"), json!("S"), json!("W")]);
    let mut rejects = csv::Reader::from_path(env.path("regions.rejects.csv")).unwrap();
    assert_eq!(
        rejects.headers().unwrap().iter().collect::<Vec<_>>(),
        vec!["code", "name", "parent", "manager", "areas", "error"]
    );
    let rows: Vec<csv::StringRecord> = rejects.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        vec![
            "X",
            "Bad",
            "",
            "",
            "海南;Atlantis",
            "column \"areas\": unknown area \"Atlantis\""
        ]
    );
}

/// A mainland company does not sell in 香港, 澳门 and 台湾: excluded, they are no gaps, so once the 31
/// mainland provinces are covered `regions check` is clean (exit 0) and a cron job can alert on exit 4.
#[test]
fn excluded_areas_are_no_gaps_and_no_region_may_hold_them() {
    let env = Env::new();
    env.ok(&["regions", "add", "CN", "--name", "全国"]);
    env.ok(&["reps", "add", "R1", "--name", "张伟", "--region", "CN"]);
    env.ok(&["regions", "edit", "CN", "--manager", "R1"]);
    let mainland: Vec<String> = area_names(&env)
        .into_iter()
        .filter(|n| !["香港", "澳门", "台湾"].contains(&n.as_str()))
        .collect();
    assert_eq!(mainland.len(), 31);
    let mut args = vec!["regions", "assign", "CN"];
    args.extend(mainland.iter().map(String::as_str));
    env.ok(&args);
    let findings = env.json_code(&["regions", "check"], 4);
    assert_eq!(kinds(&findings, "gap"), vec!["台湾", "香港", "澳门"]);

    // Any name finds an area: traditional, English, code.
    assert_eq!(
        env.ok(&["areas", "exclude", "香港", "澳門", "Taiwan"])
            .trim(),
        "3 areas excluded: 香港, 澳门, 台湾"
    );
    assert_eq!(env.json(&["regions", "check"]), serde_json::json!([]));
    assert_eq!(
        env.ok(&["areas", "list", "--unassigned", "--format", "csv"])
            .trim(),
        "code,name,official,universe,region,excluded"
    );
    let listed = env.json(&["areas", "list"]);
    let hk = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "香港")
        .unwrap();
    assert_eq!(hk["excluded"], true);
    assert_eq!(hk["region"], serde_json::Value::Null);
    // Again: nothing changes, nothing is audited.
    let audited = env.json(&["audit"]).as_array().unwrap().len();
    assert_eq!(
        env.ok(&["areas", "exclude", "香港"]).trim(),
        "0 areas excluded (they were already)"
    );
    assert_eq!(env.json(&["audit"]).as_array().unwrap().len(), audited);

    // An excluded area cannot be given to a region, nor a held area excluded; each refusal names
    // what to do and changes nothing.
    let err = env.err(&["regions", "assign", "CN", "香港"], 3);
    assert!(
        err.contains("香港 is excluded") && err.contains("salesops areas include 香港"),
        "{err}"
    );
    let err = env.err(&["areas", "exclude", "台湾", "广东"], 3);
    assert!(
        err.contains("广东 is held by region CN") && err.contains("regions unassign 广东"),
        "{err}"
    );
    assert_eq!(env.json(&["regions", "check"]), serde_json::json!([]));

    // Included again, 香港 is a gap again.
    assert_eq!(
        env.ok(&["areas", "include", "香港"]).trim(),
        "1 areas included: 香港"
    );
    let findings = env.json_code(&["regions", "check"], 4);
    assert_eq!(kinds(&findings, "gap"), vec!["香港"]);
    env.db_check_clean();
}
