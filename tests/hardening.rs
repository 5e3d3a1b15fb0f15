//! What an adversarial test broke, and two field bugs, one regression test each:
//! the file `--output` names, pipes and devices, symlinks planted where salesops writes, unclosed
//! quotes, mixed encodings, file modes, files that are not databases, the audit user, long values in
//! messages, failing backups, formulas in Excel files, the lock timeout and CRLF line numbers. Each
//! asserts the exit code, the message, and that the data (or the other file) is unchanged, then runs
//! `db check`.

mod common;

use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{gbk, Company, Env};
use serde_json::json;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The files of a folder whose names have `part`.
fn files_with(env: &Env, part: &str) -> Vec<String> {
    env.files()
        .into_iter()
        .filter(|f| f.contains(part))
        .collect()
}

/// Region E with two areas and a manager, a product and a customer.
fn company() -> Env {
    Company::east()
        .customer("C1", "One", "上海")
        .owner("E01")
        .build()
}

/// What the tests compare before and after a refused command: every region, rep and customer as
/// exported, and the number of audit entries.
fn data(env: &Env) -> (String, String, String, usize) {
    (
        env.ok(&["regions", "export"]),
        env.ok(&["reps", "export"]),
        env.ok(&["customers", "export"]),
        env.json(&["audit"]).as_array().unwrap().len(),
    )
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The read end of a FIFO, opened without waiting for a writer (Linux's O_NONBLOCK), so that a
/// command that never opens the FIFO makes the test fail instead of hang.
fn fifo_reader(path: &Path) -> std::fs::File {
    const O_NONBLOCK: i32 = 0o4000;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .unwrap()
}

fn read_all(mut file: std::fs::File) -> String {
    use std::io::Read;
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    text
}

// ---- --output never names the database ----

#[test]
fn output_naming_the_database_or_its_wal_or_shm_is_refused_for_every_command() {
    if common::sqlite_only("--output naming the database file, its -wal/-shm or a symlink to it") {
        return;
    }
    let env = company();
    let db = env.db.to_str().unwrap().to_string();
    let before = data(&env);
    let bytes = std::fs::read(&env.db).unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("link.db")).unwrap();
    let spellings = [
        db.clone(),
        "t.db".to_string(),
        "./sub/../t.db".to_string(),
        "link.db".to_string(),
        format!("{db}-wal"),
        format!("{db}-shm"),
    ];
    std::fs::create_dir(env.path("sub")).unwrap();
    for out in &spellings {
        for args in [
            vec!["customers", "list", "--format", "csv"],
            vec!["regions", "add", "X", "--name", "X"],
            vec!["init"],
        ] {
            let mut args = args.clone();
            args.extend(["--output", out.as_str()]);
            let err = env.err(&args, 2);
            assert!(
                err.starts_with(&format!("error: --output {out} is ")),
                "{err}"
            );
            assert!(err.contains("choose another file"), "{err}");
        }
    }
    assert_eq!(
        std::fs::read(&env.db).unwrap(),
        bytes,
        "the file is as it was"
    );
    assert_eq!(data(&env), before);
    assert!(files_with(&env, ".tmp-").is_empty(), "{:?}", env.files());
    // A database not made yet: `init` refuses before it creates anything.
    let err = env.err(&["init", "--db", "new.db", "--output", "new.db"], 2);
    assert!(err.contains("--output new.db is the database"), "{err}");
    assert!(files_with(&env, "new.db").is_empty(), "{:?}", env.files());
    env.db_check_clean();
}

// ---- pipes and devices are written into, symlinks are replaced ----

#[test]
fn output_into_a_pipe_or_device_writes_straight_through_and_a_symlink_is_replaced() {
    let env = company();
    let export = env.ok(&["regions", "export"]);

    // A FIFO gets the output and stays a FIFO.
    let fifo = env.path("reports.fifo");
    mkfifo(&fifo);
    let reader = fifo_reader(&fifo);
    env.ok(&["regions", "export", "--output", fifo.to_str().unwrap()]);
    assert_eq!(read_all(reader), export);
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    // So does a link to one (as /dev/stdout is a link to the process's output).
    std::os::unix::fs::symlink(&fifo, env.path("to-fifo")).unwrap();
    let reader = fifo_reader(&fifo);
    env.ok(&["regions", "export", "--output", "to-fifo"]);
    assert_eq!(read_all(reader), export);
    assert!(std::fs::symlink_metadata(env.path("to-fifo"))
        .unwrap()
        .file_type()
        .is_symlink());

    // A character device (/dev/null's numbers, made here so that no system file is at stake).
    if is_root() {
        let null = env.path("null");
        let made = Command::new("mknod")
            .arg(&null)
            .args(["c", "1", "3"])
            .status()
            .is_ok_and(|s| s.success());
        if made {
            env.ok(&["regions", "export", "--output", "null"]);
            let kind = std::fs::symlink_metadata(&null).unwrap().file_type();
            assert!(kind.is_char_device(), "the device is still a device");
        }
    }

    // A symlink to a regular file is replaced by the output; the file it led to is untouched.
    let victim = env.write("victim.txt", "private\n");
    std::os::unix::fs::symlink(&victim, env.path("report.csv")).unwrap();
    env.ok(&["regions", "export", "--output", "report.csv"]);
    assert!(std::fs::symlink_metadata(env.path("report.csv"))
        .unwrap()
        .file_type()
        .is_file());
    assert_eq!(
        std::fs::read_to_string(env.path("report.csv")).unwrap(),
        export
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "private\n");

    // A regular file replaced keeps its mode: a private report stays private.
    set_mode(&env.path("report.csv"), 0o600);
    env.ok(&["regions", "list", "--output", "report.csv"]);
    assert_eq!(mode(&env.path("report.csv")), 0o600);
    assert!(files_with(&env, ".tmp-").is_empty(), "{:?}", env.files());
    env.db_check_clean();
}

// ---- a write command checks its --output before it writes ----

#[test]
fn a_write_command_with_an_output_it_cannot_write_fails_before_writing_anything() {
    let env = company();
    let before = data(&env);
    let err = env.err(
        &[
            "regions",
            "add",
            "W",
            "--name",
            "West",
            "--output",
            "no/such/dir/out.txt",
        ],
        1,
    );
    assert_eq!(
        err.trim_end(),
        "error: cannot write no/such/dir/out.txt: the folder no/such/dir does not exist"
    );
    std::fs::create_dir(env.path("reports")).unwrap();
    let err = env.err(
        &[
            "customers",
            "add",
            "C2",
            "--name",
            "Two",
            "--output",
            "reports",
        ],
        1,
    );
    assert_eq!(
        err.trim_end(),
        "error: cannot write reports: it is a folder"
    );
    // Nothing was saved, so the same command runs once the output is fixed, and writes once.
    assert_eq!(data(&env), before);
    env.ok(&[
        "regions", "add", "W", "--name", "West", "--output", "out.txt",
    ]);
    assert_eq!(std::fs::read_to_string(env.path("out.txt")).unwrap(), "W\n");
    assert!(files_with(&env, ".tmp-").is_empty(), "{:?}", env.files());
    env.db_check_clean();
}

// ---- an unclosed quote ----

#[test]
fn an_unclosed_quote_is_an_input_error_at_the_line_where_the_field_opened() {
    let env = company();
    let before = data(&env);
    let file = env.write(
        "reps.csv",
        "code,name,region\nE02,Ann,E\nE03,\"Bob,E\nE04,Cy,E\nE05,Di,E\n",
    );
    for extra in [&[][..], &["--skip-invalid"], &["--dry-run"]] {
        let mut args = vec!["reps", "import", file.to_str().unwrap()];
        args.extend(extra);
        let err = env.err(&args, 3);
        assert_eq!(
            err.trim_end(),
            "error: reps.csv:3: a quoted field opens on this line and is never closed, so the rest of \
             the file would be read as one value; close it (a quote inside a quoted value is written \
             twice)"
        );
    }
    assert_eq!(data(&env), before, "no row was written");
    assert!(files_with(&env, "rejects").is_empty(), "{:?}", env.files());
    // Quotes that close, doubled quotes and a comma inside quotes are read as before (a name on two
    // lines holds a control character, which names may not).
    let file = env.write(
        "reps.csv",
        "code,name,region\nE02,\"Ann \"\"A\"\"\",E\nE03,\"Bob, B\",E\n",
    );
    env.ok(&["reps", "import", file.to_str().unwrap()]);
    assert_eq!(
        env.column(&["reps", "list"], "name"),
        vec!["E01", "Ann \"A\"", "Bob, B"]
    );
    env.db_check_clean();
}

// ---- a file mixing UTF-8 and GB18030 ----

#[test]
fn a_file_mixing_utf8_and_gb18030_is_refused_at_the_first_line_that_is_not_utf8() {
    let env = company();
    let before = data(&env);
    let mut bytes = "code,name,region\nE02,张伟,E\nE03,Ann,E\n"
        .as_bytes()
        .to_vec();
    bytes.extend(gbk("E04,李娜,E\n"));
    let file = env.write_bytes("reps.csv", &bytes);
    let err = env.err(&["reps", "import", file.to_str().unwrap()], 3);
    assert_eq!(
        err.trim_end(),
        "error: reps.csv:4: this line is not UTF-8, but line 2 is: the file mixes encodings, and \
         read as one its other text would be garbled; save it again in one encoding, or give \
         --encoding utf-8|gbk|gb18030 to read it all as that"
    );
    assert_eq!(data(&env), before);
    // --encoding says what to read: as UTF-8, the GB18030 line is the one invalid value.
    let err = env.err(
        &[
            "reps",
            "import",
            file.to_str().unwrap(),
            "--encoding",
            "utf-8",
        ],
        3,
    );
    assert!(
        err.contains("reps.csv:4: column \"name\": is not valid UTF-8"),
        "{err}"
    );
    assert_eq!(data(&env), before);
    // A file that is GB18030 throughout is still read as such.
    let file = env.write_bytes("reps-gbk.csv", &gbk("code,name,region\nE04,李娜,E\n"));
    env.ok(&["reps", "import", file.to_str().unwrap()]);
    assert_eq!(env.column(&["reps", "list"], "name"), vec!["E01", "李娜"]);
    env.db_check_clean();
}

// ---- init --shared changes the mode only of a database ----

#[test]
fn init_shared_changes_the_mode_only_of_the_database_it_created_or_verified() {
    if common::sqlite_only("file modes and symlinks of database files") {
        return;
    }
    let env = company();
    let key = env.write("key.pem", "-----BEGIN PRIVATE KEY-----\n");
    set_mode(&key, 0o600);
    let err = env.err(&["init", "--shared", "--db", "key.pem"], 1);
    assert_eq!(
        err.trim_end(),
        "error: key.pem is not a salesops database (not an SQLite file); `salesops init` creates \
         one in a new file"
    );
    assert_eq!(mode(&key), 0o600);
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        "-----BEGIN PRIVATE KEY-----\n"
    );
    // Through a symlink: not followed, whatever it leads to.
    std::os::unix::fs::symlink(&key, env.path("key.db")).unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("link.db")).unwrap();
    for link in ["key.db", "link.db"] {
        let err = env.err(&["init", "--shared", "--db", link], 2);
        assert!(
            err.starts_with(&format!(
                "error: init --shared: {link} is a symbolic link; give the database file itself"
            )),
            "{err}"
        );
    }
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&env.db), 0o600);
    // The database itself, verified: group-writable.
    let out = env.ok(&["init", "--shared"]);
    assert!(out.contains("up to date"), "{out}");
    assert_eq!(mode(&env.db), 0o660);
    // A new one is made whole with its mode, and nothing else is left beside it.
    env.ok(&["init", "--shared", "--db", "new.db"]);
    assert_eq!(mode(&env.path("new.db")), 0o660);
    assert_eq!(files_with(&env, "new.db"), vec!["new.db"]);
    env.db_check_clean();
    env.db_check_clean_of(&env.path("new.db"));
}

// ---- backups ----

#[test]
fn a_backup_gets_the_database_files_mode_and_a_missing_folder_is_named() {
    if common::sqlite_only("a backup takes the database file's mode") {
        return;
    }
    let env = company();
    // 0600 from init (a plain create under umask 022 would be 0644); 0640 and 0660 set by hand.
    for db_mode in [0o600, 0o640, 0o660] {
        set_mode(&env.db, db_mode);
        let copy = format!("copy-{db_mode:o}.db");
        env.ok(&["backup", &copy]);
        assert_eq!(mode(&env.path(&copy)), db_mode, "{copy}");
        env.db_check_clean_of(&env.path(&copy));
    }
    set_mode(&env.db, 0o600);
    let before = env.files();
    let err = env.err(&["backup", "no/such/copy.db"], 1);
    assert_eq!(
        err.trim_end(),
        "error: cannot write no/such/copy.db: the folder no/such does not exist"
    );
    assert_eq!(env.files(), before);
    // A backup onto the database itself is refused.
    let err = env.err(&["backup", "t.db", "--yes"], 2);
    assert!(err.contains("is the database itself"), "{err}");
    env.db_check_clean();
}

// ---- the rejects file and a planted symlink ----

#[test]
fn the_rejects_file_replaces_a_planted_symlink_instead_of_writing_through_it() {
    let env = company();
    let victim = env.write("victim.txt", "do not touch\n");
    let link = env.path("reps.rejects.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let file = env.write("reps.csv", "code,name,region\nE02,Ann,E\nE03,Bob,NOPE\n");
    let err = env.ok(&["reps", "import", file.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(err, "");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "do not touch\n");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_file());
    assert_eq!(
        std::fs::read_to_string(&link).unwrap(),
        "code,name,region,error\nE03,Bob,NOPE,\"column \"\"region\"\": no region \"\"NOPE\"\"\"\n"
    );
    // An import with no bad rows writes no rejects: a link planted there is removed, its target kept.
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let file = env.write("reps.csv", "code,name,region\nE04,Cy,E\n");
    env.ok(&["reps", "import", file.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "do not touch\n");
    assert!(std::fs::symlink_metadata(&link).is_err());
    assert!(files_with(&env, ".tmp-").is_empty(), "{:?}", env.files());
    assert_eq!(
        env.column(&["reps", "list"], "code"),
        vec!["E01", "E02", "E04"]
    );
    env.db_check_clean();
}

// ---- the smaller ones ----

#[test]
fn an_orders_invalid_first_row_gives_no_false_differs_message() {
    let env = company();
    let file = env.write(
        "orders.csv",
        "order_id,order_date,customer,sku,quantity,unit_price\n\
         A1,2026-02-03,C1,TEA-1,2x,100\n\
         A1,2026-02-03,C1,TEA-1,1,100\n\
         A1,2026/2/3,C1,TEA-1,1,100\n\
         A2,2026-02-30,C1,TEA-1,1,100\n\
         A2,2026-02-30,C1,TEA-1,1,100\n",
    );
    let err = env.err(&["orders", "import", file.to_str().unwrap()], 3);
    assert_eq!(
        err.trim_end(),
        "error: orders.csv: 3 invalid values, nothing written (fix them, or use --skip-invalid to \
         import the rest)\n  \
         orders.csv:2: column \"quantity\": \"2x\" is not a whole number\n  \
         orders.csv:5: column \"order_date\": \"2026-02-30\" is not a valid calendar date: no such day\n  \
         orders.csv:6: column \"order_date\": \"2026-02-30\" is not a valid calendar date: no such day"
    );
    assert_eq!(env.json(&["orders", "list"]), json!([]));
    env.db_check_clean();
}

#[test]
fn an_empty_or_foreign_file_is_not_a_salesops_database_and_is_left_as_it_was() {
    if common::sqlite_only("files that are not SQLite databases given as the database") {
        return;
    }
    let env = Env::bare();
    let empty = env.write("empty.db", "");
    let text = env.write("notes.txt", "a note\n");
    let foreign = env.path("other.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let cases = [
        (&empty, "it is empty"),
        (&text, "not an SQLite file"),
        (&foreign, "an SQLite file of another program"),
    ];
    for (file, why) in cases {
        let bytes = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap();
        for args in [
            &["regions", "list"][..],
            &["init"],
            &["regions", "add", "X", "--name", "X"],
        ] {
            let mut args = args.to_vec();
            args.extend(["--db", name]);
            let err = env.err(&args, 1);
            assert_eq!(
                err.trim_end(),
                format!(
                    "error: {name} is not a salesops database ({why}); `salesops init` creates one \
                     in a new file"
                )
            );
        }
        assert_eq!(std::fs::read(file).unwrap(), bytes, "{name} is as it was");
    }
    assert_eq!(env.files(), vec!["empty.db", "notes.txt", "other.db"]);
}

#[test]
fn the_audit_names_the_user_of_the_process_uid_whatever_user_says() {
    let env = company();
    let me = Command::new("id").arg("-un").output().unwrap();
    let me = String::from_utf8_lossy(&me.stdout).trim().to_string();
    assert_ne!(me, "ceo");
    env.cmd(&["regions", "add", "W", "--name", "West"])
        .env("USER", "ceo")
        .env("LOGNAME", "ceo")
        .assert()
        .success();
    let audit = env.json(&["audit"]);
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["summary"], "region W added");
    assert_eq!(last["user"], json!(me));
    env.db_check_clean();
}

#[test]
fn a_long_value_is_cut_in_error_messages() {
    let env = company();
    let before = data(&env);
    let long = "R".repeat(1_000_000);
    let file = env.write(
        "reps.csv",
        &format!("code,name,region\nE02,Ann,{long}\nE03,Bob,NOPE\n"),
    );
    let err = env.err(&["reps", "import", file.to_str().unwrap()], 3);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: reps.csv: 2 invalid values, nothing written (fix them, or use --skip-invalid to \
             import the rest)\n  \
             reps.csv:2: column \"region\": no region \"{}…\"\n  \
             reps.csv:3: column \"region\": no region \"NOPE\"",
            "R".repeat(80)
        )
    );
    assert_eq!(data(&env), before);
    env.db_check_clean();
}

#[test]
fn a_backup_that_fails_for_want_of_room_says_so_and_leaves_no_file() {
    let env = company();
    let bin = assert_cmd::cargo::cargo_bin("salesops");
    // With SIGXFSZ ignored, a write beyond the limit fails with EFBIG, as on a full disk. The limit
    // (200 blocks of 512 bytes) is above what opening the database writes, below the copy's size.
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 200; exec \"$0\" backup copy.db")
        .arg(bin)
        .current_dir(env.dir.path())
        .env("SALESOPS_DB", env.target())
        .env("SALESOPS_TODAY", &env.today)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.trim_end() == "error: cannot write the backup copy.db (nothing was written): the disk is full"
            || stderr.trim_end()
                == "error: cannot write the backup copy.db (nothing was written): the disk refused a write (I/O error)",
        "{stderr}"
    );
    assert!(files_with(&env, "copy").is_empty(), "{:?}", env.files());
    assert!(files_with(&env, "journal").is_empty(), "{:?}", env.files());
    env.ok(&["backup", "copy.db"]);
    env.db_check_clean_of(&env.path("copy.db"));
    env.db_check_clean();
}

#[test]
fn a_failed_command_leaves_no_temporary_output_file() {
    let env = company();
    let before = env.files();
    // The renderer refuses (a report in CSV needs a section), a write is refused, a read fails.
    env.err(
        &[
            "report", "monthly", "--month", "2026-02", "--format", "csv", "--output", "r.csv",
        ],
        2,
    );
    env.err(
        &["regions", "assign", "NOPE", "广东", "--output", "r.csv"],
        3,
    );
    env.err(&["orders", "show", "NOPE", "--output", "r.csv"], 3);
    assert_eq!(env.files(), before);
    env.db_check_clean();
}

#[test]
fn csv_with_bom_writes_formulas_as_text_and_import_reads_them_back() {
    let env = company();
    env.ok(&[
        "customers",
        "add",
        "C2",
        "--name",
        "=HYPERLINK(\"http://x.test\",\"click\")",
        "--area",
        "江苏",
        "--phone",
        "+86 139-0000-1111",
        "--email",
        "@handle",
        "--city=-5",
        "--company=-2+3",
    ]);
    env.ok(&["customers", "export", "--bom", "--output", "c.csv"]);
    let text = std::fs::read_to_string(env.path("c.csv")).unwrap();
    let row = text.lines().find(|l| l.starts_with("C2,")).unwrap();
    assert!(
        row.starts_with("C2,\"'=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\",江苏,-5,'-2+3,'+86 139-0000-1111,'@handle,"),
        "{row}"
    );
    // Without --bom the file is the data as stored.
    let plain = env.ok(&["customers", "export"]);
    assert!(
        plain.contains("\nC2,\"=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\",江苏,-5,-2+3,+86 139-0000-1111,@handle,"),
        "{plain}"
    );
    // Import takes the quote off again: the round trip into another database gives the same data.
    let other = company();
    let copy = other.write("c.csv", &text);
    other.ok(&["customers", "import", copy.to_str().unwrap()]);
    assert_eq!(other.ok(&["customers", "export"]), plain);
    other.db_check_clean();
    env.db_check_clean();
}

/// Waits out a busy timeout of 3 s (`SALESOPS_BUSY_TIMEOUT`) while this test holds the write lock with
/// a connection of its own: after 2 s the command says what it waits for (a program that left no
/// note), then gives up, saying so and changing nothing.
#[test]
fn a_write_that_times_out_on_the_lock_says_the_database_is_busy_and_what_to_do() {
    if common::sqlite_only("SQLite's write lock held with BEGIN IMMEDIATE") {
        return;
    }
    let env = company();
    let before = data(&env);
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = env
        .process(&["regions", "add", "W", "--name", "West"])
        .env("SALESOPS_BUSY_TIMEOUT", "3")
        .output()
        .unwrap();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end(),
        format!(
            "waiting for the database: another program with the file open is writing to it; this \
             command goes on when it has finished (waiting up to 3 s, SALESOPS_BUSY_TIMEOUT)\n\
             error: {} is busy: another salesops command (or another program with the file open) held \
             its lock for 3 s, so this command gave up and changed nothing; run it again when that one \
             has finished",
            env.db.display()
        )
    );
    assert_eq!(data(&env), before);
    env.db_check_clean();
}

// ---- line numbers of CRLF files ----

#[test]
fn a_crlf_files_errors_name_the_lines_an_editor_shows() {
    let env = company();
    let before = data(&env);
    // CRLF, a lone CR (old Mac files), a value over two lines and a blank line: the bad row is on
    // line 4 in each.
    let reps = [
        "code,name,region\r\nE02,Ann,E\r\nE03,Bob,E\r\nE04,Cy,NOPE\r\n",
        "code,name,region\rE02,Ann,E\rE03,Bob,E\rE04,Cy,NOPE\r",
        "code,name,region\r\nE02,\"Ann\r\nA\",E\r\nE04,Cy,NOPE\r\n",
        "code,name,region\r\nE02,Ann,E\r\n\r\nE04,Cy,NOPE\r\n",
    ];
    for content in reps {
        let file = env.write("reps.csv", content);
        let err = env.err(&["reps", "import", file.to_str().unwrap()], 3);
        assert!(
            err.ends_with("\n  reps.csv:4: column \"region\": no region \"NOPE\"\n"),
            "{content:?}: {err}"
        );
    }
    // Every import reads through the same engine: orders too.
    let orders = "order_id,order_date,customer,sku,quantity,unit_price\r\n\
                  A1,2026-02-03,C1,TEA-1,1,100\r\n\
                  A2,2026-02-03,C1,TEA-1,1,100\r\n\
                  A3,2026-02-03,C1,TEA-1,3x,100\r\n";
    let file = env.write("orders.csv", orders);
    let err = env.err(&["orders", "import", file.to_str().unwrap()], 3);
    assert!(
        err.ends_with("\n  orders.csv:4: column \"quantity\": \"3x\" is not a whole number\n"),
        "{err}"
    );
    assert_eq!(data(&env), before);
    assert_eq!(env.json(&["orders", "list"]), json!([]));
    env.db_check_clean();
}
