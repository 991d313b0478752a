//! `state_file`: what an application created survives a restart of the
//! emulator, and a corrupt file stops the start instead of being replaced.

use std::path::PathBuf;

use ccc_api::Client;
use ccc_api::models::SeatUserInfo;
use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, RunningEmulator, StartError};
use e2e_tests::start_with;

const ID: &str = "AKIDe2eState";
const KEY: &str = "e2e-state-key";
const APP: i64 = DEMO_SDK_APP_ID as i64;

/// A fresh, empty folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccc-local-state-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn start(path: &PathBuf) -> Result<(RunningEmulator, Client), StartError> {
    start_with(ID, KEY, |builder| builder.state_file(path)).await
}

/// A task of the demo application that starts in 2100, so it stays Created.
async fn create_task(client: &Client, name: &str, callee: &str) -> u64 {
    client
        .create_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .name(name)
        .not_before(4_102_444_800)
        .callees(vec![callee.to_owned()])
        .callers(vec!["008601012345678".to_owned()])
        .ivr_id(7)
        .send()
        .await
        .unwrap()
        .task_id
}

#[tokio::test]
async fn created_data_survives_a_restart() {
    let dir = scratch("restart");
    let path = dir.join("state.json");

    let (emulator, client) = start(&path).await.unwrap();
    let group = client
        .create_ccc_skill_group()
        .sdk_app_id(APP)
        .skill_group_name("Kept group")
        .skill_group_type(1)
        .max_concurrency(3)
        .send()
        .await
        .unwrap()
        .skill_group_id;
    let mut seat = SeatUserInfo::default();
    seat.name = "Kept".to_owned();
    seat.mail = "kept@example.com".to_owned();
    seat.staff_number = "K1".to_owned();
    seat.skill_group_name_list = Some(vec!["Kept group".to_owned()]);
    client
        .create_staff()
        .sdk_app_id(APP)
        .staffs(vec![seat])
        .send()
        .await
        .unwrap();
    let task = create_task(&client, "Kept task", "008613900000009").await;
    client
        .pause_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID as i64)
        .task_id(task as i64)
        .send()
        .await
        .unwrap();
    assert!(!path.exists(), "nothing is written before the stop");
    emulator.stop().await.unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        saved["Applications"][0]["Staff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["Mail"] == "kept@example.com")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        ["state.json"],
        "no temporary file is left behind"
    );

    let (emulator, client) = start(&path).await.unwrap();
    let staff = client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(10)
        .page_number(0)
        .staff_mail("kept@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(staff.total_count, 1);
    assert_eq!(
        staff.staff_list[0].skill_group_list[0].skill_group_id,
        Some(group)
    );
    let restored = client
        .describe_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .task_id(task)
        .send()
        .await
        .unwrap();
    assert_eq!(restored.name, "Kept task");
    assert_eq!(u64::from(restored.state), 5, "still paused");
    let tasks = client
        .describe_auto_callout_tasks()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .page_size(1)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(tasks.total_count, DEMO_TASK_COUNT + 1);
    // The next task ID continues from the restored ones.
    let next = create_task(&client, "Next", "008613900000010").await;
    assert_eq!(next, task + 1);
    emulator.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_start_and_is_kept() {
    let dir = scratch("corrupt");
    let path = dir.join("state.json");
    for text in [
        "{not json",
        r#"{"Applications":[{"SdkAppId":1,"Staff":[{"Mail":"a@b"}]}]}"#,
    ] {
        std::fs::write(&path, text).unwrap();
        let error = start(&path).await.expect_err("the start fails");
        let message = error.to_string();
        assert!(matches!(error, StartError::State(_)), "{message}");
        assert!(message.contains("state.json"), "{message}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "the file is left as it was"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn save_every_writes_while_running() {
    let dir = scratch("periodic");
    let path = dir.join("state.json");
    let every = std::time::Duration::from_millis(50);
    let (emulator, client) = start_with(ID, KEY, |b| b.state_file(&path).save_every(every))
        .await
        .unwrap();
    client
        .create_ccc_skill_group()
        .sdk_app_id(APP)
        .skill_group_name("Written while running")
        .skill_group_type(0)
        .send()
        .await
        .unwrap();
    // Bounded wait: at most 5 s for a save that comes every 50 ms.
    let mut written = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if std::fs::read_to_string(&path).is_ok_and(|text| text.contains("Written while running")) {
            written = true;
            break;
        }
    }
    assert!(written, "the state file was not written while running");
    drop(emulator);
    let _ = std::fs::remove_dir_all(&dir);
}
