//! The generated Rust client against the embedded `ccc-local` emulator, over
//! real HTTP with real TC3 signatures.

use std::collections::BTreeSet;

use ccc_api::models::AutoCalloutTaskState;
use ccc_api::{Client, ErrorCode};
use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, RunningEmulator};

const ID: &str = "AKIDe2eEmulator";
const KEY: &str = "e2e-emulator-key";

/// The emulator with its rate limits on, as it runs by default.
async fn emulator() -> RunningEmulator {
    let started = e2e_tests::start_with(ID, KEY, |builder| builder.rate_limit(true)).await;
    started.expect("the emulator starts").0
}

fn client(endpoint: &str, key: &str) -> Client {
    e2e_tests::client(endpoint, ID, key)
}

#[tokio::test]
async fn pages_through_every_demo_task() {
    let emulator = emulator().await;
    let client = client(&emulator.url(), KEY);
    let mut ids = Vec::new();
    let mut states = BTreeSet::new();
    let (mut open_ended, mut without_ring_timeout) = (0, 0);
    let mut page_number = 0;
    loop {
        let page = client
            .describe_auto_callout_tasks()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .page_size(7)
            .page_number(page_number)
            .send()
            .await
            .expect("a page");
        assert_eq!(page.total_count, DEMO_TASK_COUNT);
        assert!(!page.request_id.is_empty());
        if page.tasks.is_empty() {
            break;
        }
        for task in &page.tasks {
            ids.push(task.task_id);
            states.insert(task.state.value());
            assert!(!matches!(task.state, AutoCalloutTaskState::Unknown(_)));
            open_ended += usize::from(task.not_after.is_none());
            without_ring_timeout += usize::from(task.max_ring_timeout_second.is_none());
        }
        page_number += 1;
    }
    // 36 tasks in pages of 7: six pages, the last one short, then an empty one.
    assert_eq!(page_number, 6);
    assert_eq!(ids, (1001..1001 + DEMO_TASK_COUNT).collect::<Vec<_>>());
    assert_eq!(states, (0..=5).collect());
    assert!(open_ended > 0 && without_ring_timeout > 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_key_is_a_typed_signature_failure() {
    let emulator = emulator().await;
    let error = client(&emulator.url(), "not-the-key")
        .describe_auto_callout_tasks()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .page_size(10)
        .page_number(0)
        .send()
        .await
        .expect_err("a wrong key is refused");
    let service = error
        .service_error()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"));
    assert_eq!(service.code, ErrorCode::AuthFailureSignatureFailure);
    assert!(!service.request_id.is_empty());
    assert!(
        !error.to_string().contains("not-the-key"),
        "the key leaked: {error}"
    );
}

#[tokio::test]
async fn out_of_range_page_size_is_a_typed_service_error() {
    let emulator = emulator().await;
    let error = client(&emulator.url(), KEY)
        .describe_auto_callout_tasks()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .page_size(0)
        .page_number(0)
        .send()
        .await
        .expect_err("PageSize 0 is refused");
    assert_eq!(error.code(), Some(&ErrorCode::InvalidParameterValue));
    assert!(
        error.message().unwrap_or_default().contains("PageSize"),
        "{error}"
    );
}

#[tokio::test]
async fn missing_parameter_is_caught_before_any_io() {
    // Nothing listens on port 1: a request that went out would fail as a transport error.
    let error = client("http://127.0.0.1:1", KEY)
        .describe_auto_callout_tasks()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .page_size(10)
        .send()
        .await
        .expect_err("PageNumber is required");
    match error {
        ccc_api::Error::InvalidRequest { message } => {
            assert!(message.contains("PageNumber"), "{message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}
