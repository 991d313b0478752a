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

use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT};
use e2e_tests::{run_script, start};

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
    // `start` turns the rate limits off: the script makes dozens of calls a
    // second; the limits are tested in crates/ccc-local/tests/emulator.rs.
    let (emulator, _) = start(ID, KEY).await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/interop.js");
    let mut node = Command::new("node");
    node.env("NODE_PATH", modules).args([
        script.display().to_string(),
        emulator.addr().port().to_string(),
        ID.to_owned(),
        KEY.to_owned(),
        DEMO_SDK_APP_ID.to_string(),
        DEMO_TASK_COUNT.to_string(),
    ]);
    let wanted = "node interop ok: 4 signing modes; 36 tasks paged";
    run_script(node, "interop.js", wanted).await;
    emulator.shutdown().await;
}
