//! Every test named in `FAULTS.md` exists, so the fault matrix stays true.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_test_in_the_fault_matrix_exists() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let matrix = std::fs::read_to_string(crate_dir.join("FAULTS.md")).expect("FAULTS.md");
    let mut files = Vec::new();
    for dir in ["src", "tests", "../../tests/tests", "../ccc-api/examples"] {
        rust_files(&crate_dir.join(dir), &mut files);
    }
    let sources: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let mut checked = 0;
    for row in matrix
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| fault"))
    {
        let tests = row
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .unwrap_or_default();
        for name in tests.split('`').skip(1).step_by(2) {
            assert!(
                sources.contains(&format!("fn {name}(")),
                "FAULTS.md names `{name}`, which is not a test"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "only {checked} test names found in FAULTS.md"
    );
}
