//! Tencent's official Python SDK (`tencentcloud-sdk-python-ccc`) against the
//! embedded emulator: `tests/python/interop.py` signs in four ways (TC3 over
//! POST and GET, HmacSHA256 over a form-encoded POST, HmacSHA1 over GET),
//! pages through the demo tasks, runs a task from creation to its end, and
//! checks the error codes of a wrong key and a missing parameter.
//!
//! It runs only when `CCC_PYTHON` names a Python with the SDK installed
//! (`.ci/run` makes one in `target/pyenv`); otherwise it prints a note and passes.

use std::path::Path;
use std::process::Command;

use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, Emulator};

const ID: &str = "AKIDpythonInterop";
const KEY: &str = "python-interop-key";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_sdk_signs_every_way_and_runs_a_task() {
    let Some(python) = std::env::var_os("CCC_PYTHON").filter(|p| !p.is_empty()) else {
        eprintln!(
            "note: CCC_PYTHON is not set, skipping the Python SDK interop test \
             (python3 -m venv target/pyenv && target/pyenv/bin/pip install tencentcloud-sdk-python-ccc, \
             then CCC_PYTHON=target/pyenv/bin/python)"
        );
        return;
    };
    // The script makes dozens of calls a second, more than the spec's rate
    // limits allow; those are tested in crates/ccc-local/tests/emulator.rs.
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .rate_limit(false)
        .start()
        .await
        .expect("the emulator starts");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/interop.py");
    let args = [
        script.display().to_string(),
        emulator.addr().to_string(),
        ID.to_owned(),
        KEY.to_owned(),
        DEMO_SDK_APP_ID.to_string(),
        DEMO_TASK_COUNT.to_string(),
    ];
    let output = tokio::task::spawn_blocking(move || Command::new(&python).args(&args).output())
        .await
        .expect("the blocking task runs")
        .expect("CCC_PYTHON runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("python interop ok: 4 signing modes; 36 tasks paged (4 pages"),
        "{stdout}"
    );
    println!("{stdout}");
    emulator.shutdown().await;
}
