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

use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT};
use e2e_tests::{run_script, start};

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
    // `start` turns the rate limits off: the script makes dozens of calls a
    // second; the limits are tested in crates/ccc-local/tests/emulator.rs.
    let (emulator, _) = start(ID, KEY).await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/interop.py");
    let mut command = Command::new(&python);
    command.args([
        script.display().to_string(),
        emulator.addr().to_string(),
        ID.to_owned(),
        KEY.to_owned(),
        DEMO_SDK_APP_ID.to_string(),
        DEMO_TASK_COUNT.to_string(),
    ]);
    let wanted = "python interop ok: 4 signing modes; 36 tasks paged (4 pages";
    run_script(command, "interop.py", wanted).await;
    emulator.shutdown().await;
}
