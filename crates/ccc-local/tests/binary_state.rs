//! `ccc-local --state FILE`: the binary writes its data on SIGTERM, and a
//! corrupt file stops it at start with one line naming the file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ID: &str = "AKIDbinaryState";
const KEY: &str = "binary-state-key";

fn run_until_sigterm(state: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccc-local"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
        ])
        .arg("--state")
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ccc-local starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("listening on "), "{first:?}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "ccc-local did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
}

#[test]
fn state_is_written_on_sigterm_and_a_corrupt_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("ccc-local-binary-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");

    run_until_sigterm(&state);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let app = &saved["Applications"][0];
    assert_eq!(app["SdkAppId"], 1_400_000_000);
    assert_eq!(app["AutoCalloutTasks"].as_array().unwrap().len(), 36);
    assert_eq!(app["Staff"].as_array().unwrap().len(), 8);
    assert_eq!(app["SkillGroups"].as_array().unwrap().len(), 4);
    // A second run starts from the file and writes the same data back.
    run_until_sigterm(&state);
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(again, saved);

    std::fs::write(&state, "{\"Applications\": [").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ccc-local"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
        ])
        .arg("--state")
        .arg(&state)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid state file") && stderr.contains("state.json"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "it never listened");
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        "{\"Applications\": ["
    );
    let _ = std::fs::remove_dir_all(&dir);
}
