//! The automated outbound-call task family over real HTTP: creating, reading,
//! listing, and every move of the state machine, allowed or refused.
//!
//! The emulator runs on a [`ManualClock`], so which tasks start Running is
//! decided by the test, not by the wall clock.

use std::collections::BTreeSet;

mod support;

use ccc_local::spec::Spec;
use ccc_local::{DEMO_SDK_APP_ID, Emulator, ManualClock, RunningEmulator, Seed};
use serde_json::{Value, json};
use support::Caller;

const ID: &str = "AKIDlocaltasks";
const KEY: &str = "local-tasks-secret";
const NOW: i64 = 1_717_200_000;
/// The application of [`seed`], and one without tasks.
const APP: u64 = 1_400_000_001;
const OTHER_APP: u64 = 1_400_000_002;

// AutoCalloutTaskState.
const CREATED: u64 = 0;
const RUNNING: u64 = 1;
const COMPLETED: u64 = 2;
const FINISHING: u64 = 3;
const ENDED: u64 = 4;
const PAUSED: u64 = 5;
const STATE_NAMES: [&str; 6] = [
    "Created",
    "Running",
    "Completed",
    "Finishing",
    "Ended",
    "Paused",
];

/// The moves under test: action, the states it moves a task from, and where to.
const MOVES: [(&str, &[u64], u64); 3] = [
    ("PauseAutoCalloutTask", &[CREATED, RUNNING], PAUSED),
    ("ResumeAutoCalloutTask", &[PAUSED], RUNNING),
    ("StopAutoCalloutTask", &[CREATED, RUNNING, PAUSED], ENDED),
];

/// A seed task of [`APP`]: `TaskId` `id` in `state`.
fn seed_task(id: u64, state: u64) -> Value {
    json!({
        "TaskId": id, "Name": format!("task {id}"), "CalleeCount": 2,
        "Callers": ["0086010000001"], "NotBefore": NOW - 3600, "NotAfter": null,
        "IvrId": 3, "State": state,
    })
}

/// [`APP`] has, for move `m` (0-based in [`MOVES`]) and state `s`, task
/// `10 * (m + 1) + s`, plus task 500 with listed callees and a description;
/// [`OTHER_APP`] has none.
fn seed() -> Seed {
    let mut tasks: Vec<Value> = (0..MOVES.len() as u64)
        .flat_map(|m| (CREATED..=PAUSED).map(move |s| seed_task(10 * (m + 1) + s, s)))
        .collect();
    let mut listed = seed_task(500, COMPLETED);
    listed["Description"] = json!("Listed callees");
    listed["Callees"] = json!([
        {"Callee": "008613900000001", "State": 1, "Sessions": ["s-1"]},
        {"Callee": "008613900000002", "State": 2, "Sessions": ["s-2", "s-3"]},
    ]);
    tasks.push(listed);
    Seed::from_json(
        &json!({"Applications": [
            {"SdkAppId": APP, "AutoCalloutTasks": tasks},
            {"SdkAppId": OTHER_APP},
        ]})
        .to_string(),
    )
    .unwrap()
}

struct Api {
    emulator: RunningEmulator,
    caller: Caller,
}

impl Api {
    async fn start(seed: Seed) -> Api {
        let emulator = Emulator::builder()
            .credentials(ID, KEY)
            .clock(ManualClock::at(NOW))
            .rate_limit(false)
            .seed(seed)
            .start()
            .await
            .expect("the emulator starts");
        let caller = Caller::new(emulator.url(), ID, KEY, NOW);
        Api { emulator, caller }
    }

    /// Signs and sends one call; returns the `Response` object.
    async fn call(&self, action: &str, body: Value) -> Value {
        self.caller.call(action, body).await
    }

    /// A call that must succeed; its answer must fit the spec's output.
    async fn ok(&self, action: &str, body: Value) -> Value {
        self.caller.ok(action, body).await
    }

    /// A call that must fail: (code, message).
    async fn err(&self, action: &str, body: Value) -> (String, String) {
        let response = self.call(action, body.clone()).await;
        let error = &response["Error"];
        assert!(error.is_object(), "{action} {body} succeeded: {response}");
        (
            error["Code"].as_str().unwrap().to_owned(),
            error["Message"].as_str().unwrap().to_owned(),
        )
    }

    async fn describe(&self, app: u64, task: u64) -> Value {
        self.ok(
            "DescribeAutoCalloutTask",
            json!({"SdkAppId": app, "TaskId": task}),
        )
        .await
    }

    async fn state(&self, app: u64, task: u64) -> u64 {
        self.describe(app, task).await["State"].as_u64().unwrap()
    }

    async fn list(&self, app: u64) -> Value {
        self.ok(
            "DescribeAutoCalloutTasks",
            json!({"SdkAppId": app, "PageSize": 100, "PageNumber": 0}),
        )
        .await
    }

    async fn create(&self, body: Value) -> u64 {
        self.ok("CreateAutoCalloutTask", body).await["TaskId"]
            .as_u64()
            .unwrap()
    }
}

/// A valid `CreateAutoCalloutTask` body for [`APP`] starting at `not_before`.
fn new_task(not_before: i64) -> Value {
    json!({
        "SdkAppId": APP,
        "NotBefore": not_before,
        "Callees": ["008613911110001", "008613911110002", "008613911110003"],
        "Callers": ["0086010000001"],
        "IvrId": 7,
    })
}

#[tokio::test]
async fn create_stores_the_task_and_picks_its_state_by_the_clock() {
    let api = Api::start(seed()).await;
    let mut body = new_task(NOW + 60);
    body["Name"] = json!("Renewals");
    body["Description"] = json!("June renewals");
    body["NotAfter"] = json!(NOW + 7200);
    body["MaxRingTimeoutSecond"] = json!(25);
    body["Tries"] = json!(2);
    let future = api.create(body).await;
    assert_eq!(future, 501, "one above the largest seeded TaskId");

    let task = api.describe(APP, future).await;
    assert_eq!(task["Name"], "Renewals");
    assert_eq!(task["Description"], "June renewals");
    assert_eq!(task["NotBefore"], NOW + 60);
    assert_eq!(task["NotAfter"], NOW + 7200);
    assert_eq!(task["Callers"], json!(["0086010000001"]));
    assert_eq!(task["IvrId"], 7);
    assert_eq!(task["MaxRingTimeoutSecond"], 25);
    assert_eq!(task["State"], CREATED);
    assert_eq!(
        task["Callees"],
        json!([
            {"Callee": "008613911110001", "State": 0, "Sessions": []},
            {"Callee": "008613911110002", "State": 0, "Sessions": []},
            {"Callee": "008613911110003", "State": 0, "Sessions": []},
        ])
    );

    // NotBefore at the clock, or before it: the task is Running at once.
    let now = api.create(new_task(NOW)).await;
    let past = api.create(new_task(NOW - 1)).await;
    assert_eq!((now, past), (502, 503));
    assert_eq!(api.state(APP, now).await, RUNNING);
    assert_eq!(api.state(APP, past).await, RUNNING);

    // Optional fields left out: an empty name and description, no end time, no ring timeout.
    let bare = api.describe(APP, now).await;
    assert_eq!(
        (&bare["Name"], &bare["Description"], &bare["NotAfter"]),
        (&json!(""), &json!(""), &Value::Null)
    );
    assert!(bare.get("MaxRingTimeoutSecond").is_none());

    // The listing shows them after the seeded tasks, in TaskId order, with CalleeCount.
    let page = api.list(APP).await;
    let tasks = page["Tasks"].as_array().unwrap();
    assert_eq!(page["TotalCount"], tasks.len());
    let ids: Vec<u64> = tasks
        .iter()
        .map(|t| t["TaskId"].as_u64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert_eq!(ids[ids.len() - 3..], [501, 502, 503]);
    let listed = &tasks[tasks.len() - 3];
    assert_eq!(listed["CalleeCount"], 3);
    assert_eq!(listed["Name"], "Renewals");
    assert_eq!(listed["State"], CREATED);

    // IDs are unique across applications too; an AI-agent task has IvrId 0.
    let mut agent = new_task(NOW + 60);
    agent["SdkAppId"] = json!(OTHER_APP);
    agent.as_object_mut().unwrap().remove("IvrId");
    agent["AIAgentId"] = json!(973);
    let other = api.create(agent).await;
    assert_eq!(other, 504);
    assert_eq!(api.describe(OTHER_APP, other).await["IvrId"], 0);
    assert_eq!(api.list(OTHER_APP).await["TotalCount"], 1);
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn create_refuses_what_the_cloud_refuses_and_uses_no_id_for_it() {
    let api = Api::start(seed()).await;
    let edit = |f: fn(&mut Value)| {
        let mut body = new_task(NOW);
        f(&mut body);
        body
    };
    let cases: [(Value, &str, &str); 9] = [
        (
            edit(|b| b["Callees"] = json!([])),
            "InvalidParameterValue",
            "`Callees`",
        ),
        (
            edit(|b| b["Callers"] = json!([])),
            "InvalidParameterValue",
            "`Callers`",
        ),
        (
            edit(|b| b["Callees"] = json!(["1", " "])),
            "InvalidParameterValue",
            "`Callees`",
        ),
        (
            edit(|b| {
                b.as_object_mut().unwrap().remove("IvrId");
            }),
            "MissingParameter",
            "`IvrId` or `AIAgentId`",
        ),
        (
            edit(|b| b["NotAfter"] = json!(NOW)),
            "InvalidParameterValue",
            "`NotAfter`",
        ),
        (
            edit(|b| b["Tries"] = json!(4)),
            "InvalidParameterValue",
            "`Tries`",
        ),
        (
            edit(|b| b["RetryInterval"] = json!(599)),
            "InvalidParameterValue",
            "`RetryInterval`",
        ),
        (
            edit(|b| b["SdkAppId"] = json!(42)),
            "InvalidParameterValue.InstanceNotExist",
            "42",
        ),
        // The spec-driven checks run first.
        (
            edit(|b| b["Callees"] = json!("1")),
            "InvalidParameter",
            "`Callees`",
        ),
    ];
    for (body, code, needle) in cases {
        let (got, message) = api.err("CreateAutoCalloutTask", body.clone()).await;
        assert_eq!(got, code, "{body}: {message}");
        assert!(message.contains(needle), "{body}: {message}");
    }
    // Nothing was stored and no ID was used up.
    assert_eq!(api.list(APP).await["TotalCount"], 19);
    assert_eq!(api.create(new_task(NOW)).await, 501);
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn every_move_from_every_state_is_made_or_refused() {
    let api = Api::start(seed()).await;
    let spec = Spec::ccc();
    for (m, (action, from, to)) in MOVES.iter().enumerate() {
        for state in CREATED..=PAUSED {
            let task = 10 * (m as u64 + 1) + state;
            let body = json!({"SdkAppId": APP, "TaskId": task});
            if from.contains(&state) {
                let response = api.ok(action, body).await;
                assert_eq!(response.as_object().unwrap().len(), 1, "only RequestId");
                assert_eq!(api.state(APP, task).await, *to, "{action} from {state}");
            } else {
                let (code, message) = api.err(action, body).await;
                let expected = spec.action(action).unwrap();
                assert!(expected.errors.iter().any(|e| e == &code), "{code}");
                assert_eq!(code, "UnsupportedOperation", "{action} from {state}");
                let current = format!("is {} ({state})", STATE_NAMES[state as usize]);
                assert!(message.contains(&current), "{message}");
                assert!(
                    message.starts_with(&format!("The task {task} is")),
                    "{message}"
                );
                assert_eq!(api.state(APP, task).await, state, "unchanged");
            }
        }
    }
    // The listing agrees with Describe.
    let page = api.list(APP).await;
    for listed in page["Tasks"].as_array().unwrap() {
        let id = listed["TaskId"].as_u64().unwrap();
        assert_eq!(listed["State"].as_u64().unwrap(), api.state(APP, id).await);
    }
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn a_full_lifecycle_and_the_refusals_along_it() {
    let api = Api::start(seed()).await;
    let task = api.create(new_task(NOW + 600)).await;
    let id = json!({"SdkAppId": APP, "TaskId": task});
    assert_eq!(api.state(APP, task).await, CREATED);
    let (code, message) = api.err("ResumeAutoCalloutTask", id.clone()).await;
    assert_eq!(code, "UnsupportedOperation");
    assert!(message.contains("is Created (0)"), "{message}");

    api.ok("PauseAutoCalloutTask", id.clone()).await;
    assert_eq!(api.state(APP, task).await, PAUSED);
    let (code, message) = api.err("PauseAutoCalloutTask", id.clone()).await;
    assert_eq!(code, "UnsupportedOperation");
    assert!(message.contains("is Paused (5)"), "{message}");

    api.ok("ResumeAutoCalloutTask", id.clone()).await;
    assert_eq!(api.state(APP, task).await, RUNNING);
    api.ok("PauseAutoCalloutTask", id.clone()).await;
    api.ok("ResumeAutoCalloutTask", id.clone()).await;
    api.ok("StopAutoCalloutTask", id.clone()).await;
    assert_eq!(api.state(APP, task).await, ENDED);

    for action in [
        "PauseAutoCalloutTask",
        "ResumeAutoCalloutTask",
        "StopAutoCalloutTask",
    ] {
        let (code, message) = api.err(action, id.clone()).await;
        assert_eq!(code, "UnsupportedOperation");
        assert!(message.contains("is Ended (4)"), "{message}");
    }
    // The emulator places no calls: the callees were never called.
    let callees = api.describe(APP, task).await["Callees"].clone();
    assert!(
        callees
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["State"] == 0 && c["Sessions"] == json!([]))
    );
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_tasks_and_applications_are_refused_alike() {
    let api = Api::start(seed()).await;
    let actions = [
        "DescribeAutoCalloutTask",
        "PauseAutoCalloutTask",
        "ResumeAutoCalloutTask",
        "StopAutoCalloutTask",
    ];
    for action in actions {
        // No such task; a task of another application; a negative ID (the
        // Pause and Resume IDs are i64 in the spec, the others u64).
        for (app, task) in [(APP, 999), (OTHER_APP, 11)] {
            let (code, message) = api
                .err(action, json!({"SdkAppId": app, "TaskId": task}))
                .await;
            assert_eq!(code, "InvalidParameterValue", "{action}");
            assert!(
                message.contains(&format!("(TaskId) {task} does not exist")),
                "{message}"
            );
        }
        let (code, message) = api
            .err(action, json!({"SdkAppId": APP, "TaskId": -1}))
            .await;
        assert_eq!(code, "InvalidParameterValue", "{action}");
        if action.starts_with("Pause") || action.starts_with("Resume") {
            // A valid i64 that names no task.
            assert!(message.contains("(TaskId) -1 does not exist"), "{message}");
        } else {
            // Out of range for a u64, caught by the spec-driven checks.
            assert!(message.contains("out of range"), "{message}");
        }
        let (code, message) = api.err(action, json!({"SdkAppId": 77, "TaskId": 11})).await;
        assert_eq!(code, "InvalidParameterValue.InstanceNotExist", "{action}");
        assert!(message.contains("77"), "{message}");
    }
    // Nothing changed.
    assert_eq!(api.state(APP, 11).await, RUNNING);
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn seeded_callees_are_listed_or_made_up_to_fit_the_task() {
    let api = Api::start(seed()).await;
    let listed = api.describe(APP, 500).await;
    assert_eq!(listed["Description"], "Listed callees");
    assert_eq!(listed["Callees"][1]["Sessions"], json!(["s-2", "s-3"]));

    // The demo tasks list only CalleeCount; their callees are made up.
    let demo = Api::start(Seed::demo()).await;
    let page = demo
        .ok(
            "DescribeAutoCalloutTasks",
            json!({"SdkAppId": DEMO_SDK_APP_ID, "PageSize": 6, "PageNumber": 0}),
        )
        .await;
    for info in page["Tasks"].as_array().unwrap() {
        let (id, state) = (
            info["TaskId"].as_u64().unwrap(),
            info["State"].as_u64().unwrap(),
        );
        let task = demo.describe(DEMO_SDK_APP_ID, id).await;
        let callees = task["Callees"].as_array().unwrap();
        assert_eq!(callees.len() as u64, info["CalleeCount"].as_u64().unwrap());
        let states: BTreeSet<u64> = callees
            .iter()
            .map(|c| c["State"].as_u64().unwrap())
            .collect();
        let expected: BTreeSet<u64> = match state {
            COMPLETED => [1].into(),
            FINISHING => [1, 3].into(),
            _ => [0].into(),
        };
        assert_eq!(states, expected, "task {id} in state {state}");
        let numbers: BTreeSet<&str> = callees
            .iter()
            .map(|c| c["Callee"].as_str().unwrap())
            .collect();
        assert_eq!(numbers.len(), callees.len(), "distinct numbers");
        for field in ["Name", "NotBefore", "NotAfter", "Callers", "IvrId", "State"] {
            assert_eq!(task[field], info[field], "{field}");
        }
        assert_eq!(
            task.get("MaxRingTimeoutSecond"),
            info.get("MaxRingTimeoutSecond")
        );
    }
    // The demo's first new task comes after its 36 tasks.
    let mut body = new_task(NOW);
    body["SdkAppId"] = json!(DEMO_SDK_APP_ID);
    assert_eq!(demo.create(body).await, 1037);
    api.emulator.shutdown().await;
    demo.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_get_distinct_consecutive_ids() {
    let api = std::sync::Arc::new(Api::start(seed()).await);
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let api = api.clone();
            tokio::spawn(async move { api.create(new_task(NOW)).await })
        })
        .collect();
    let mut ids = Vec::new();
    for handle in handles {
        ids.push(handle.await.unwrap());
    }
    ids.sort_unstable();
    assert_eq!(ids, (501..517).collect::<Vec<_>>());
    assert_eq!(api.list(APP).await["TotalCount"], 19 + 16);
}
