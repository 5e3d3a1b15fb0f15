//! `reps …` through the binary: status as of today, suspensions, departures, removal.

mod common;

use common::{Company, Env};
use serde_json::json;

fn env_with_region() -> Env {
    Company::new()
        .region("E", "East")
        .assign("E", &["上海"])
        .rep("E01", "张伟", "E")
        .build()
}

fn status(env: &Env, code: &str, today: &str) -> String {
    let list = env.json(&["reps", "list", "--today", today]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list:#}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn add_prints_the_code_and_list_shows_the_rep() {
    let env = env_with_region();
    let out = env.ok(&[
        "reps",
        "add",
        "E02",
        "--name",
        "李娜",
        "--region",
        "E",
        "--role",
        "supervisor",
        "--phone",
        "13800000000",
        "--email",
        "li@example.com",
        "--manager",
        "E01",
    ]);
    assert_eq!(out.trim(), "E02");
    let list = env.json(&["reps", "list"]);
    assert_eq!(
        list[1],
        json!({"code": "E02", "name": "李娜", "region": "E", "role": "supervisor", "manager": "E01",
               "phone": "13800000000", "email": "li@example.com", "status": "active"})
    );
}

#[test]
fn add_refuses_an_unknown_region_a_bad_role_and_a_missing_flag() {
    let env = env_with_region();
    let err = env.err(&["reps", "add", "X1", "--name", "X", "--region", "NOPE"], 3);
    assert!(err.contains("no region \"NOPE\""), "{err}");
    env.err(
        &[
            "reps", "add", "X1", "--name", "X", "--region", "E", "--role", "boss",
        ],
        2,
    );
    let err = env.err(&["reps", "add", "X1", "--name", "X"], 2);
    assert!(err.contains("--region"), "{err}");
    let err = env.err(&["reps", "add", "E01", "--name", "X", "--region", "E"], 3);
    assert!(err.contains("exists already"), "{err}");
}

#[test]
fn suspended_rep_is_suspended_through_the_date_and_active_after() {
    let env = env_with_region();
    env.ok(&[
        "reps",
        "suspend",
        "E01",
        "--until",
        "2026-03-31",
        "--reason",
        "price violation",
    ]);
    assert_eq!(status(&env, "E01", "2026-03-16"), "suspended");
    assert_eq!(status(&env, "E01", "2026-03-31"), "suspended");
    assert_eq!(status(&env, "E01", "2026-04-01"), "active");
    let show = env.json(&["reps", "show", "E01"]);
    assert_eq!(show["suspended_until"], "2026-03-31");
    let suspended = env.json(&["reps", "list", "--status", "suspended"]);
    assert_eq!(suspended.as_array().unwrap().len(), 1);
}

#[test]
fn suspend_until_a_past_date_is_refused() {
    let env = env_with_region();
    let err = env.err(
        &[
            "reps",
            "suspend",
            "E01",
            "--until",
            "2026-03-01",
            "--reason",
            "x",
        ],
        3,
    );
    assert!(err.contains("before today"), "{err}");
    assert_eq!(status(&env, "E01", "2026-03-16"), "active");
}

#[test]
fn reinstate_ends_a_suspension_today() {
    let env = env_with_region();
    env.ok(&[
        "reps",
        "suspend",
        "E01",
        "--until",
        "2026-06-30",
        "--reason",
        "fine unpaid",
    ]);
    let out = env.ok(&["reps", "reinstate", "E01", "--today", "2026-04-01"]);
    assert!(out.contains("reinstated"), "{out}");
    assert_eq!(status(&env, "E01", "2026-03-20"), "suspended");
    assert_eq!(status(&env, "E01", "2026-04-01"), "active");
    assert_eq!(status(&env, "E01", "2026-05-01"), "active");
    let out = env.ok(&["reps", "reinstate", "E01", "--today", "2026-04-02"]);
    assert!(out.contains("was not suspended"), "{out}");
}

#[test]
fn edit_left_marks_the_rep_as_left_and_active_undoes_it() {
    let env = env_with_region();
    env.ok(&["reps", "edit", "E01", "--left"]);
    assert_eq!(status(&env, "E01", "2026-03-16"), "left");
    let err = env.err(
        &[
            "reps",
            "suspend",
            "E01",
            "--until",
            "2026-04-01",
            "--reason",
            "x",
        ],
        3,
    );
    assert!(err.contains("has left"), "{err}");
    env.ok(&["reps", "edit", "E01", "--active"]);
    assert_eq!(status(&env, "E01", "2026-03-16"), "active");
}

#[test]
fn edit_changes_the_fields_given_and_refuses_self_management() {
    let env = env_with_region();
    env.ok(&["regions", "add", "W", "--name", "West"]);
    env.ok(&[
        "reps",
        "edit",
        "E01",
        "--name",
        "张伟伟",
        "--region",
        "W",
        "--role",
        "manager",
    ]);
    let rep = env.json(&["reps", "show", "E01"]);
    assert_eq!(rep["name"], "张伟伟");
    assert_eq!(rep["region"], "W");
    assert_eq!(rep["role"], "manager");
    let err = env.err(&["reps", "edit", "E01", "--manager", "E01"], 3);
    assert!(err.contains("own manager"), "{err}");
    let err = env.err(&["reps", "edit", "E01", "--region", "NOPE"], 3);
    assert!(err.contains("no region \"NOPE\""), "{err}");
}

#[test]
fn remove_is_refused_while_a_region_names_the_rep_as_manager() {
    let env = env_with_region();
    env.ok(&["regions", "edit", "E", "--manager", "E01"]);
    let err = env.err(&["reps", "remove", "E01", "--yes"], 3);
    assert!(err.contains("1 region managed (E)"), "{err}");
    assert!(err.contains("--left"), "{err}");
    assert_eq!(env.json(&["reps", "list"]).as_array().unwrap().len(), 1);

    env.ok(&["regions", "edit", "E", "--no-manager"]);
    env.err(&["reps", "remove", "E01"], 2);
    env.ok(&["reps", "remove", "E01", "--yes"]);
    assert_eq!(env.json(&["reps", "list"]), json!([]));
}

#[test]
fn remove_is_refused_while_another_rep_names_the_rep_as_manager() {
    let env = env_with_region();
    env.ok(&[
        "reps",
        "add",
        "E02",
        "--name",
        "李娜",
        "--region",
        "E",
        "--manager",
        "E01",
    ]);
    let err = env.err(&["reps", "remove", "E01", "--yes"], 3);
    assert!(err.contains("1 rep managed (E02)"), "{err}");
}

#[test]
fn list_filters_by_region_including_sub_regions() {
    let env = env_with_region();
    env.ok(&[
        "regions",
        "add",
        "EC",
        "--name",
        "East China",
        "--parent",
        "E",
    ]);
    env.ok(&["regions", "add", "W", "--name", "West"]);
    env.ok(&["reps", "add", "EC1", "--name", "刘洋", "--region", "EC"]);
    env.ok(&["reps", "add", "W01", "--name", "陈静", "--region", "W"]);
    assert_eq!(
        env.column(&["reps", "list", "--region", "E"], "code"),
        vec!["E01", "EC1"]
    );
    assert_eq!(
        env.column(&["reps", "list", "--region", "W"], "code"),
        vec!["W01"]
    );
    let err = env.err(&["reps", "list", "--region", "NOPE"], 3);
    assert!(err.contains("NOPE"), "{err}");
}

#[test]
fn import_creates_reps_and_sets_managers_named_later_in_the_file() {
    let env = env_with_region();
    let file = env.write(
        "reps.csv",
        "code,name,region,role,manager,phone,email,status\n\
         E02,李娜,E,rep,E03,,,active\n\
         E03,王芳,E,supervisor,,,,\n\
         E04,刘洋,E,rep,,,,left\n",
    );
    env.ok(&["reps", "import", file.to_str().unwrap()]);
    let list = env.json(&["reps", "list"]);
    assert_eq!(list[1]["manager"], "E03");
    assert_eq!(list[2]["role"], "supervisor");
    assert_eq!(list[3]["status"], "left");
}

#[test]
fn import_refuses_an_unknown_region_and_role_naming_line_and_column() {
    let env = env_with_region();
    let file = env.write(
        "reps.csv",
        "code,name,region,role\nE02,李娜,E,rep\nE03,王芳,NOPE,boss\n",
    );
    let err = env.err(&["reps", "import", file.to_str().unwrap()], 3);
    assert!(
        err.contains("reps.csv:3: column \"region\": no region \"NOPE\""),
        "{err}"
    );
    assert!(
        err.contains("reps.csv:3: column \"role\": \"boss\" is not a role"),
        "{err}"
    );
    assert_eq!(env.json(&["reps", "list"]).as_array().unwrap().len(), 1);
}
