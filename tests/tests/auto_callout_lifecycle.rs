//! An automated outbound-call task's whole life through the generated Rust
//! client against the embedded `ccc-local` emulator: create, read, list,
//! pause, resume, stop, and the typed errors of the moves its state refuses.

use ccc_api::models::AutoCalloutTaskState;
use ccc_api::{Client, Error, ErrorCode};
use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT};
use e2e_tests::{refused, start};

const ID: &str = "AKIDe2eLifecycle";
const KEY: &str = "e2e-lifecycle-key";
/// 2023-11-14: already past, so a task starting then is Running at once.
const PAST: i64 = 1_700_000_000;
/// 2100-01-01: far enough ahead that a task starting then stays Created.
const FUTURE: i64 = 4_102_444_800;

/// The moves of a task of the demo application.
async fn pause(client: &Client, task_id: u64) -> Result<(), Error> {
    client
        .pause_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID as i64)
        .task_id(task_id as i64)
        .send()
        .await
        .map(drop)
}

async fn resume(client: &Client, task_id: u64) -> Result<(), Error> {
    client
        .resume_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID as i64)
        .task_id(task_id as i64)
        .send()
        .await
        .map(drop)
}

async fn stop(client: &Client, task_id: u64) -> Result<(), Error> {
    client
        .stop_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .task_id(task_id)
        .send()
        .await
        .map(drop)
}

async fn state(client: &Client, task_id: u64) -> AutoCalloutTaskState {
    client
        .describe_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .task_id(task_id)
        .send()
        .await
        .expect("the task exists")
        .state
}

#[tokio::test]
async fn a_task_from_creation_to_its_end() {
    let (emulator, client) = start(ID, KEY).await;
    let app = DEMO_SDK_APP_ID;

    let created = client
        .create_auto_callout_task()
        .sdk_app_id(app)
        .name("Renewal reminders")
        .description("Calls customers whose contract ends this month")
        .not_before(FUTURE)
        .not_after(FUTURE + 8 * 3600)
        .callees(vec!["008613912340001".into(), "008613912340002".into()])
        .callers(vec!["0086010123456".into()])
        .ivr_id(12)
        .max_ring_timeout_second(30)
        .send()
        .await
        .expect("the task is created");
    let task_id = created.task_id;
    assert_eq!(task_id, 1000 + DEMO_TASK_COUNT + 1, "above every demo task");
    assert!(!created.request_id.is_empty());

    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(app)
        .task_id(task_id)
        .send()
        .await
        .expect("the new task is there");
    assert_eq!(task.name, "Renewal reminders");
    assert_eq!(
        task.description,
        "Calls customers whose contract ends this month"
    );
    assert_eq!(task.not_before, FUTURE);
    assert_eq!(task.not_after, Some(FUTURE + 8 * 3600));
    assert_eq!(task.callers, ["0086010123456"]);
    assert_eq!(task.ivr_id, 12);
    assert_eq!(task.max_ring_timeout_second, Some(30));
    assert_eq!(task.state, AutoCalloutTaskState::Created);
    let callees: Vec<_> = task
        .callees
        .iter()
        .map(|c| (c.callee.as_deref(), c.state, c.sessions.as_deref()))
        .collect();
    let none: &[String] = &[];
    assert_eq!(
        callees,
        [
            (Some("008613912340001"), Some(0), Some(none)),
            (Some("008613912340002"), Some(0), Some(none)),
        ]
    );

    // The listing has it on the last page, after the demo tasks.
    let page = client
        .describe_auto_callout_tasks()
        .sdk_app_id(app)
        .page_size(10)
        .page_number(DEMO_TASK_COUNT / 10)
        .send()
        .await
        .expect("the last page");
    assert_eq!(page.total_count, DEMO_TASK_COUNT + 1);
    let last = page.tasks.last().expect("a task on the last page");
    assert_eq!(
        (last.task_id, last.callee_count, last.state),
        (task_id, 2, AutoCalloutTaskState::Created)
    );

    // Created: it cannot be resumed, but it can be paused.
    let (code, message) = refused(resume(&client, task_id).await);
    assert_eq!(code, ErrorCode::UnsupportedOperation);
    assert!(message.contains("Created (0)"), "{message}");

    pause(&client, task_id)
        .await
        .expect("a Created task pauses");
    assert_eq!(state(&client, task_id).await, AutoCalloutTaskState::Paused);
    let (code, message) = refused(pause(&client, task_id).await);
    assert_eq!(code, ErrorCode::UnsupportedOperation);
    assert!(message.contains("Paused (5)"), "{message}");

    resume(&client, task_id)
        .await
        .expect("a Paused task resumes");
    assert_eq!(state(&client, task_id).await, AutoCalloutTaskState::Running);

    pause(&client, task_id)
        .await
        .expect("a Running task pauses");
    assert_eq!(state(&client, task_id).await, AutoCalloutTaskState::Paused);

    stop(&client, task_id).await.expect("a Paused task stops");
    assert_eq!(state(&client, task_id).await, AutoCalloutTaskState::Ended);

    // Ended is for good.
    let (code, message) = refused(stop(&client, task_id).await);
    assert_eq!(code, ErrorCode::UnsupportedOperation);
    assert!(message.contains("Ended (4)"), "{message}");
    let (code, _) = refused(resume(&client, task_id).await);
    assert_eq!(code, ErrorCode::UnsupportedOperation);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_task_whose_start_has_passed_runs_at_once_and_stops() {
    let (emulator, client) = start(ID, KEY).await;
    let task_id = client
        .create_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .not_before(PAST)
        .callees(vec!["008613912340009".into()])
        .callers(vec!["0086010123456".into()])
        .ai_agent_id(973)
        .send()
        .await
        .expect("the task is created")
        .task_id;
    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .task_id(task_id)
        .send()
        .await
        .expect("the task is there");
    assert_eq!(task.state, AutoCalloutTaskState::Running);
    assert_eq!((task.name.as_str(), task.not_after), ("", None));
    stop(&client, task_id).await.expect("a Running task stops");
    assert_eq!(state(&client, task_id).await, AutoCalloutTaskState::Ended);
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_tasks_and_applications_are_typed_errors() {
    let (emulator, client) = start(ID, KEY).await;
    let (code, message) = refused(
        client
            .describe_auto_callout_task()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .task_id(99)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert!(message.contains("99"), "{message}");
    let (code, _) = refused(
        client
            .pause_auto_callout_task()
            .sdk_app_id(DEMO_SDK_APP_ID as i64)
            .task_id(99)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    let (code, _) = refused(
        client
            .stop_auto_callout_task()
            .sdk_app_id(7)
            .task_id(1001)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValueInstanceNotExist);
    let (code, message) = refused(
        client
            .create_auto_callout_task()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .not_before(PAST)
            .callees(Vec::new())
            .callers(vec!["0086010123456".into()])
            .ivr_id(1)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert!(message.contains("Callees"), "{message}");
    emulator.shutdown().await;
}
