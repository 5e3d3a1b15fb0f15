//! The CSV import engine through `regions import` and `reps import`: encodings, BOM, header mapping,
//! unknown and missing columns, rejects, dry runs, and export → import round trips.

mod common;

use common::{gbk, Company, Env};
use serde_json::{json, Value};

fn env_with_regions() -> Env {
    Company::new().region("E", "华东").build()
}

const REPS_ZH: &str = "code,name,region,role\nE01,张伟,E,manager\nE02,欧阳娜娜,E,rep\n";

fn rep_names(env: &Env) -> Vec<String> {
    env.column(&["reps", "list"], "name")
}

#[test]
fn gbk_reps_file_with_encoding_gbk_imports_chinese_names_intact() {
    let env = env_with_regions();
    let file = env.write_bytes("reps.csv", &gbk(REPS_ZH));
    env.ok(&[
        "reps",
        "import",
        &file.to_string_lossy(),
        "--encoding",
        "gbk",
    ]);
    assert_eq!(rep_names(&env), vec!["张伟", "欧阳娜娜"]);
}

#[test]
fn gbk_reps_file_without_encoding_is_detected_and_imports_intact() {
    let env = env_with_regions();
    let file = env.write_bytes("reps.csv", &gbk(REPS_ZH));
    env.ok(&["reps", "import", &file.to_string_lossy()]);
    assert_eq!(rep_names(&env), vec!["张伟", "欧阳娜娜"]);
}

#[test]
fn gbk_regions_file_with_chinese_headers_and_areas_is_detected() {
    let env = Env::new();
    let text = "编码,名称,省份\nS,华南,广东;广西\nE,华东,上海;江苏\n";
    let file = env.write_bytes("regions.csv", &gbk(text));
    env.ok(&[
        "regions",
        "import",
        &file.to_string_lossy(),
        "--map",
        "编码=code,名称=name,省份=areas",
    ]);
    assert_eq!(
        env.json(&["regions", "list"]),
        json!([
            {"code": "E", "name": "华东", "parent": null, "manager": null, "areas": ["上海", "江苏"]},
            {"code": "S", "name": "华南", "parent": null, "manager": null, "areas": ["广东", "广西"]}
        ])
    );
}

#[test]
fn utf8_file_with_a_bom_keeps_its_first_header() {
    let env = env_with_regions();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(REPS_ZH.as_bytes());
    let file = env.write_bytes("reps.csv", &bytes);
    let out = env.run(&["reps", "import", &file.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("unknown column"), "{stderr}");
    assert_eq!(rep_names(&env), vec!["张伟", "欧阳娜娜"]);
    // Also with an explicit --encoding utf-8.
    let env = env_with_regions();
    let file = env.write_bytes("reps.csv", &bytes);
    env.ok(&[
        "reps",
        "import",
        &file.to_string_lossy(),
        "--encoding",
        "utf-8",
    ]);
    assert_eq!(rep_names(&env), vec!["张伟", "欧阳娜娜"]);
}

#[test]
fn map_reads_foreign_headers_and_warns_once_about_unknown_columns() {
    let env = Env::new();
    let file = env.write(
        "regions.csv",
        "Region Code,Region Name,Notes,areas\nS,South,hot,广东\nE,East,cold,上海\n",
    );
    let out = env.run(&[
        "regions",
        "import",
        &file.to_string_lossy(),
        "--map",
        "Region Code=code,Region Name=name",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("Notes").count(), 1, "{stderr}");
    assert!(
        stderr.contains("warning: regions.csv: ignoring unknown column Notes"),
        "{stderr}"
    );
    let list = env.json(&["regions", "list"]);
    assert_eq!(list[0]["code"], "E");
    assert_eq!(list[1]["name"], "South");
    assert_eq!(list[1]["areas"], json!(["广东"]));
}

#[test]
fn map_from_a_file_reads_one_mapping_a_line() {
    let env = Env::new();
    let file = env.write("regions.csv", "Region Code,Region Name\nS,South\n");
    env.write(
        "map.txt",
        "# regions from the ERP\nRegion Code=code\nRegion Name=name\n",
    );
    env.ok(&[
        "regions",
        "import",
        &file.to_string_lossy(),
        "--map",
        "@map.txt",
    ]);
    assert_eq!(env.json(&["regions", "list"])[0]["name"], "South");
}

#[test]
fn a_missing_required_column_is_refused_naming_it() {
    let env = Env::new();
    let file = env.write("regions.csv", "Region Code,name\nS,South\n");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("missing column \"code\""), "{err}");
    assert!(err.contains("--map"), "{err}");
    assert_eq!(env.json(&["regions", "list"]), json!([]));
}

#[test]
fn map_to_a_field_that_does_not_exist_is_a_usage_error() {
    let env = Env::new();
    let file = env.write("regions.csv", "Region Code,name\nS,South\n");
    let err = env.err(
        &[
            "regions",
            "import",
            &file.to_string_lossy(),
            "--map",
            "Region Code=kode",
        ],
        2,
    );
    assert!(err.contains("\"kode\""), "{err}");
}

#[test]
fn dry_run_counts_and_writes_nothing() {
    let env = Env::new();
    let file = env.write("regions.csv", "code,name,areas\nS,South,广东\n");
    let out = env.run(&["regions", "import", &file.to_string_lossy(), "--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 rows read, 1 created"), "{stderr}");
    assert!(stderr.contains("dry run"), "{stderr}");
    assert_eq!(env.json(&["regions", "list"]), json!([]));
}

#[test]
fn tsv_files_are_tab_separated() {
    let env = Env::new();
    let file = env.write(
        "regions.tsv",
        "code\tname\tareas\nS\tSouth, China\t广东;广西\n",
    );
    env.ok(&["regions", "import", &file.to_string_lossy()]);
    assert_eq!(env.json(&["regions", "list"])[0]["name"], "South, China");
}

#[test]
fn a_key_in_scientific_notation_is_refused() {
    let env = Env::new();
    let file = env.write("regions.csv", "code,name\n1.23457E+17,South\n");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("regions.csv:2: column \"code\""), "{err}");
    assert!(err.contains("scientific notation"), "{err}");
}

#[test]
fn an_area_claimed_by_two_rows_is_refused_naming_both() {
    let env = Env::new();
    let file = env.write(
        "regions.csv",
        "code,name,areas\nS,South,广东\nE,East,廣東\n",
    );
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(
        err.contains("regions.csv:3: column \"areas\": 广东 is also given to S on line 2"),
        "{err}"
    );
}

#[test]
fn rejects_file_gives_each_row_its_own_error() {
    let env = Env::new();
    let file = env.write(
        "regions.csv",
        "code,name,parent\nA,Alpha,NOPE1\nB,Beta,\nC,Gamma,NOPE2\n",
    );
    env.ok(&[
        "regions",
        "import",
        &file.to_string_lossy(),
        "--skip-invalid",
    ]);
    let codes: Vec<Value> = env
        .json(&["regions", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].clone())
        .collect();
    assert_eq!(codes, vec![json!("B")]);
    let mut rejects = csv::Reader::from_path(env.path("regions.rejects.csv")).unwrap();
    let rows: Vec<Vec<String>> = rejects
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "A",
                "Alpha",
                "NOPE1",
                "column \"parent\": no region \"NOPE1\""
            ],
            vec![
                "C",
                "Gamma",
                "NOPE2",
                "column \"parent\": no region \"NOPE2\""
            ],
        ]
    );
}

#[test]
fn import_of_an_existing_region_updates_only_what_the_row_gives() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东", "广西"]);
    let file = env.write("regions.csv", "code,name\nS,华南\n");
    env.ok(&["regions", "import", &file.to_string_lossy()]);
    assert_eq!(
        env.json(&["regions", "show", "S"])["areas"],
        json!(["广东", "广西"])
    );
    // An areas cell is the region's whole set.
    let file = env.write("regions.csv", "code,areas\nS,海南\n");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("missing column \"name\""), "{err}");
    let file = env.write("regions.csv", "code,name,areas\nS,华南,海南\n");
    env.ok(&["regions", "import", &file.to_string_lossy()]);
    let show = env.json(&["regions", "show", "S"]);
    assert_eq!(show["name"], "华南");
    assert_eq!(show["areas"], json!(["海南"]));
}

#[test]
fn export_then_import_into_a_new_database_gives_identical_exports() {
    let src = Env::new();
    src.ok(&["regions", "add", "E", "--name", "华东"]);
    src.ok(&[
        "regions",
        "add",
        "EC",
        "--name",
        "华东一区",
        "--parent",
        "E",
    ]);
    src.ok(&["regions", "add", "S", "--name", "华南"]);
    src.ok(&["regions", "assign", "EC", "上海", "江苏", "浙江"]);
    src.ok(&["regions", "assign", "S", "广东", "广西", "海南"]);
    src.ok(&[
        "reps", "add", "E01", "--name", "张伟", "--region", "E", "--role", "manager",
    ]);
    src.ok(&[
        "reps",
        "add",
        "E02",
        "--name",
        "李娜",
        "--region",
        "EC",
        "--manager",
        "E01",
        "--phone",
        "13800000000",
        "--email",
        "li@example.com",
    ]);
    src.ok(&[
        "reps",
        "add",
        "S01",
        "--name",
        "王芳",
        "--region",
        "S",
        "--role",
        "supervisor",
    ]);
    src.ok(&["reps", "add", "S02", "--name", "刘洋", "--region", "S"]);
    src.ok(&["reps", "edit", "S02", "--left"]);
    src.ok(&["regions", "edit", "E", "--manager", "E01"]);
    src.ok(&["regions", "edit", "S", "--manager", "S01"]);
    let regions = src.ok(&["regions", "export"]);
    let reps = src.ok(&["reps", "export"]);
    assert!(
        regions.starts_with("code,name,parent,manager,areas\n"),
        "{regions}"
    );
    assert!(
        reps.starts_with("code,name,region,role,manager,phone,email,status\n"),
        "{reps}"
    );

    let dst = Env::new();
    let regions_file = dst.write("regions.csv", &regions);
    let reps_file = dst.write("reps.csv", &reps);
    let out = dst.run(&["regions", "import", &regions_file.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: managers not set"), "{stderr}");
    assert!(stderr.contains("E → E01"), "{stderr}");
    dst.ok(&["reps", "import", &reps_file.to_string_lossy()]);
    let out = dst.run(&["regions", "import", &regions_file.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    assert_eq!(dst.ok(&["regions", "export"]), regions);
    assert_eq!(dst.ok(&["reps", "export"]), reps);
    dst.db_check_clean();
}

#[test]
fn reimporting_an_export_changes_nothing() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "华南"]);
    env.ok(&["regions", "assign", "S", "广东"]);
    env.ok(&["reps", "add", "S01", "--name", "王芳", "--region", "S"]);
    env.ok(&["regions", "edit", "S", "--manager", "S01"]);
    let regions = env.write("regions.csv", &env.ok(&["regions", "export"]));
    let reps = env.write("reps.csv", &env.ok(&["reps", "export"]));
    let out = env.run(&["regions", "import", &regions.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 rows read, 0 created, 0 updated, 1 skipped"),
        "{stderr}"
    );
    let out = env.run(&["reps", "import", &reps.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 rows read, 0 created, 0 updated, 1 skipped"),
        "{stderr}"
    );
}

#[test]
fn reps_import_with_an_unknown_manager_is_refused_naming_line_and_column() {
    let env = env_with_regions();
    let file = env.write(
        "reps.csv",
        "code,name,region,manager\nE01,张伟,E,\nE02,李娜,E,NOBODY\n",
    );
    let err = env.err(&["reps", "import", &file.to_string_lossy()], 3);
    assert!(
        err.contains("reps.csv:3: column \"manager\": no rep \"NOBODY\""),
        "{err}"
    );
    assert_eq!(env.json(&["reps", "list"]), json!([]));
}

#[test]
fn a_file_that_does_not_exist_is_a_runtime_error_naming_it() {
    let env = Env::new();
    let err = env.err(&["regions", "import", "nope.csv"], 1);
    assert!(err.contains("nope.csv"), "{err}");
}

#[test]
fn an_empty_file_is_refused() {
    let env = Env::new();
    let file = env.write("regions.csv", "");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("regions.csv"), "{err}");
}

#[test]
fn reps_import_skip_invalid_puts_a_row_with_an_unknown_manager_in_the_rejects_file() {
    let env = env_with_regions();
    let file = env.write(
        "reps.csv",
        "code,name,region,manager\nE01,张伟,E,\nE02,李娜,E,NOBODY\n",
    );
    let out = env.run(&["reps", "import", &file.to_string_lossy(), "--skip-invalid"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 rejected"), "{stderr}");
    let mut rejects = csv::Reader::from_path(env.path("reps.rejects.csv")).unwrap();
    let rows: Vec<Vec<String>> = rejects
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "E02");
    assert!(rows[0][4].contains("no rep \"NOBODY\""), "{rows:?}");
}

#[test]
fn an_empty_areas_cell_leaves_the_regions_areas_as_they_are() {
    let env = Env::new();
    env.ok(&["regions", "add", "S", "--name", "South"]);
    env.ok(&["regions", "assign", "S", "广东", "广西"]);
    let file = env.write("regions.csv", "code,name,areas\nS,华南,\n");
    env.ok(&["regions", "import", &file.to_string_lossy()]);
    let show = env.json(&["regions", "show", "S"]);
    assert_eq!(show["name"], "华南");
    assert_eq!(show["areas"], json!(["广东", "广西"]));
}

#[test]
fn regions_import_refuses_parents_that_make_a_cycle() {
    let env = Env::new();
    let file = env.write("regions.csv", "code,name,parent\nA,Alpha,B\nB,Beta,A\n");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("ancestor"), "{err}");
    assert_eq!(env.json(&["regions", "list"]), json!([]));

    env.ok(&["regions", "add", "P", "--name", "Parent"]);
    env.ok(&["regions", "add", "C", "--name", "Child", "--parent", "P"]);
    let file = env.write("regions.csv", "code,name,parent\nP,Parent,C\n");
    let err = env.err(&["regions", "import", &file.to_string_lossy()], 3);
    assert!(err.contains("regions.csv:2: column \"parent\""), "{err}");
    assert!(err.contains("ancestor"), "{err}");
    env.db_check_clean();
}
