//! The prompts in a real terminal: `tests/tools/prompts.sh` drives salesops in tmux (a fuzzy-filtered
//! province list, an order typed line by line with a wrong SKU corrected on the spot, a summary and a
//! yes/no question that waits for Enter). Without tmux the test says so and passes; CI (`.ci/run`)
//! installs it.

mod common;

use std::process::Command;

#[test]
fn prompts_work_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux is not installed, the terminal prompts were not driven (apt-get install tmux)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // The database (on the engine of the run), apart from tmux's folder.
    let db = common::Env::bare();
    let script = common::root().join("tests/tools/prompts.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(assert_cmd::cargo::cargo_bin("salesops"))
        .arg(dir.path())
        .arg(db.target())
        .env_remove("SALESOPS_LANG")
        .env_remove("TMUX")
        .output()
        .expect("run prompts.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "prompts.sh failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        3,
        "{stdout}"
    );
}

#[test]
fn without_a_terminal_nothing_prompts_and_the_missing_flag_is_named() {
    let env = common::Company::new()
        .region("S", "华南")
        .assign("S", &["广东"])
        .customer("C1", "张三贸易", "广东")
        .product("TEA-01", "龙井", "100", "40")
        .build();
    let err = env.err(&["orders", "add", "--customer", "张三贸易"], 2);
    assert!(
        err.contains("missing --line (SKU:QTY[@PRICE][-DISCOUNT])"),
        "{err}"
    );
    let err = env.err(&["orders", "add", "--line", "龙井:1"], 2);
    assert!(err.contains("missing --customer"), "{err}");
    let err = env.err(&["customers", "add", "C2", "--name", "新客户"], 2);
    assert!(err.contains("missing --area"), "{err}");
    assert_eq!(env.json(&["orders", "list"]), serde_json::json!([]));
}
