//! The demo company in examples/demo is exactly what examples/gen_demo.rs writes: generating it
//! afresh gives every committed CSV file byte for byte, and the generator's self-check passes.

use std::fs;
use std::path::Path;

#[allow(dead_code)]
#[path = "../examples/gen_demo.rs"]
mod gen_demo;

/// The CSV files in a folder, sorted by name.
fn csv_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    names
}

#[test]
fn generator_writes_the_committed_demo_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    gen_demo::generate(dir.path()).expect("generate the demo data");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");

    let committed = csv_files(&demo);
    assert!(!committed.is_empty(), "no CSV files in {}", demo.display());
    assert_eq!(
        csv_files(dir.path()),
        committed,
        "the generator writes other files than committed"
    );
    for name in &committed {
        let want = fs::read(demo.join(name)).expect("read a committed file");
        let got = fs::read(dir.path().join(name)).expect("read a generated file");
        if got == want {
            continue;
        }
        let (want, got) = (
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got),
        );
        let (mut want_lines, mut got_lines) = (want.split('\n'), got.split('\n'));
        for line in 1.. {
            match (want_lines.next(), got_lines.next()) {
                (Some(w), Some(g)) if w == g => continue,
                (w, g) => panic!(
                    "examples/demo/{name} differs from the generator's output at line {line}:\n  \
                     committed: {w:?}\n  generated: {g:?}\n\
                     (cargo run --example gen_demo rewrites examples/demo)"
                ),
            }
        }
    }

    let report = gen_demo::self_check(dir.path()).expect("read the generated files back");
    assert!(report.ends_with("self-check OK\n"), "{report}");
}
