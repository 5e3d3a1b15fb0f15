mod common;

use common::Env;

#[test]
fn missing_database_names_path_and_init_and_creates_nothing() {
    if common::sqlite_only("a database file that does not exist yet") {
        return;
    }
    let env = Env::bare();
    let err = env.err(&["regions", "list"], 1);
    assert!(err.contains(&env.db.display().to_string()), "{err}");
    assert!(err.contains("salesops init"), "{err}");
    assert!(!env.db.exists());
}
