//! Tencent's official Node.js SDK (`tencentcloud-sdk-nodejs`) against the
//! embedded emulator: `tests/node/interop.js` signs in each of the SDK's four
//! ways (TC3 over POST and GET, HmacSHA256 over POST, HmacSHA1 over GET), pages
//! through the demo tasks, runs a task from creation to its end, and checks
//! the codes of a wrong key and a missing parameter.
//!
//! It runs only when `CCC_NODE_MODULES` names a `node_modules` folder with the
//! SDK installed (`.ci/run` installs `tests/node/package-lock.json` into
//! `target/node`); otherwise it prints a note and passes.

use std::path::Path;
use std::process::Command;

use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, Emulator};

const ID: &str = "AKIDnodeInterop";
const KEY: &str = "node-interop-key";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_sdk_signs_every_way_and_runs_a_task() {
    let Some(modules) = std::env::var_os("CCC_NODE_MODULES").filter(|p| !p.is_empty()) else {
        eprintln!(
            "note: CCC_NODE_MODULES is not set, skipping the Node.js SDK interop test \
             (mkdir -p target/node && cp tests/node/package*.json target/node && npm ci --prefix target/node, \
             then CCC_NODE_MODULES=target/node/node_modules)"
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
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/interop.js");
    let args = [
        script.display().to_string(),
        emulator.addr().port().to_string(),
        ID.to_owned(),
        KEY.to_owned(),
        DEMO_SDK_APP_ID.to_string(),
        DEMO_TASK_COUNT.to_string(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .env("NODE_PATH", modules)
            .args(&args)
            .output()
    })
    .await
    .expect("the blocking task runs")
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop.js failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("node interop ok: 4 signing modes; 36 tasks paged"),
        "{stdout}"
    );
    println!("{stdout}");
    emulator.shutdown().await;
}
