//! The 100-task page of the benchmarks, decoded the way a call decodes it:
//! the lenient policy gives what a strict decoder gives on well-typed input,
//! and a member that does not fit is named by its path.

use ccc_api::actions::DescribeAutoCalloutTasksResponse;
use ccc_api::models::AutoCalloutTaskState;
use ccc_api::runtime::{Error, envelope};
use serde_json::{Value, json};

const PAGE: &[u8] = include_bytes!("../benches/data/describe-auto-callout-tasks-100.json");

fn decode(body: &[u8]) -> Result<DescribeAutoCalloutTasksResponse, Error> {
    envelope::decode(200, body).map(|(output, _)| output)
}

fn page_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut page: Value = serde_json::from_slice(PAGE).unwrap();
    change(&mut page);
    serde_json::to_vec(&page).unwrap()
}

#[test]
fn the_page_decodes_whole() {
    let (page, request_id) =
        envelope::decode::<DescribeAutoCalloutTasksResponse>(200, PAGE).unwrap();
    assert_eq!(page.tasks.len(), 100);
    assert_eq!(page.total_count, 100);
    assert_eq!(request_id, page.request_id);
    assert_eq!(page.tasks[3].task_id, 1004);
    assert_eq!(page.tasks[3].state, AutoCalloutTaskState::from(3));
    assert_eq!(page.tasks[4].not_after, None);
}

#[test]
fn drifted_types_decode_to_the_same_page() {
    let strict = decode(PAGE).unwrap();
    let drifted = page_with(|page| {
        let task = &mut page["Response"]["Tasks"][3];
        task["TaskId"] = json!("1004");
        task["CalleeCount"] = json!(136.0);
        task["Callers"] = Value::Null;
    });
    let lenient = decode(&drifted).unwrap();
    assert_eq!(lenient.tasks[3].task_id, 1004);
    assert_eq!(lenient.tasks[3].callee_count, strict.tasks[3].callee_count);
    assert!(lenient.tasks[3].callers.is_empty());
    assert_eq!(lenient.tasks[..3], strict.tasks[..3]);
    assert_eq!(lenient.tasks[4..], strict.tasks[4..]);
}

#[test]
fn a_mismatch_deep_in_the_page_names_its_path() {
    let body = page_with(|page| page["Response"]["Tasks"][3]["State"] = json!("running"));
    let err = decode(&body).unwrap_err();
    let Error::Decode {
        path,
        message,
        body_excerpt,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "Tasks[3].State");
    assert_eq!(message, "invalid type: string \"running\", expected u64");
    assert!(body_excerpt.starts_with("{\"Response\""), "{body_excerpt}");

    let body = page_with(|page| {
        page["Response"]["Tasks"][97]["Callers"][1] = json!(5);
    });
    let err = decode(&body).unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "Tasks[97].Callers[1]"),
        "{err:?}"
    );

    // A member left out is no mismatch (see below), but one of the wrong type is.
    let body = page_with(|page| page["Response"]["Tasks"][0]["Name"] = json!(5));
    let err = decode(&body).unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "Tasks[0].Name"),
        "{err:?}"
    );
}

/// Collects what the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Decodes `body` and returns what was logged meanwhile.
fn decode_logged(body: &[u8]) -> (Result<DescribeAutoCalloutTasksResponse, Error>, String) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let result = tracing::subscriber::with_default(subscriber, || decode(body));
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    (result, logs)
}

#[test]
fn a_member_left_out_decodes_as_empty_with_a_warning_naming_its_path() {
    let strict = decode(PAGE).unwrap();
    let body = page_with(|page| {
        let task = page["Response"]["Tasks"][3].as_object_mut().unwrap();
        // `Name` is always sent by the definition; `NotAfter` may be absent or null.
        task.remove("Name").expect("the page has a name");
        task.remove("NotAfter");
    });
    let (result, logs) = decode_logged(&body);
    let page = result.expect("a member left out does not fail the answer");
    assert_eq!(page.tasks[3].name, "");
    assert_eq!(page.tasks[3].not_after, None);
    assert_eq!(page.tasks[3].task_id, strict.tasks[3].task_id);
    assert_eq!(page.tasks[4..], strict.tasks[4..]);
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("Tasks[3].Name"), "{logs}");
    assert_eq!(
        logs.lines().count(),
        1,
        "one warning, for `Name` only: {logs}"
    );

    // A whole page without its list: the list is empty, and said so.
    let body = page_with(|page| {
        page["Response"].as_object_mut().unwrap().remove("Tasks");
    });
    let (result, logs) = decode_logged(&body);
    assert!(result.unwrap().tasks.is_empty());
    assert!(logs.contains("`Tasks`"), "{logs}");

    // A complete page logs nothing.
    let (result, logs) = decode_logged(PAGE);
    assert_eq!(result.unwrap(), strict);
    assert!(logs.is_empty(), "{logs}");
}

#[test]
fn a_null_where_the_definition_allows_it_is_none() {
    let body = page_with(|page| page["Response"]["Tasks"][3]["NotAfter"] = Value::Null);
    let (result, logs) = decode_logged(&body);
    assert_eq!(result.unwrap().tasks[3].not_after, None);
    assert!(logs.is_empty(), "{logs}");
}

#[test]
fn serde_reads_answers_as_the_sdk_does() {
    // Answer types implement serde's `Deserialize` too, through the same lenient decoder.
    let strict = decode(PAGE).unwrap();
    let page: Value = serde_json::from_slice(PAGE).unwrap();
    let response = serde_json::to_string(&page["Response"]).unwrap();
    let read: DescribeAutoCalloutTasksResponse = serde_json::from_str(&response).unwrap();
    assert_eq!(read, strict);

    let drifted = r#"{"TotalCount":"2","Tasks":null,"RequestId":"r"}"#;
    let read: DescribeAutoCalloutTasksResponse = serde_json::from_str(drifted).unwrap();
    assert_eq!((read.total_count, read.tasks.len()), (2, 0));

    let wrong = r#"{"TotalCount":1,"Tasks":[{"TaskId":"x"}],"RequestId":"r"}"#;
    let err = serde_json::from_str::<DescribeAutoCalloutTasksResponse>(wrong).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Tasks[0].TaskId: invalid type: string \"x\", expected u64"),
        "{err}"
    );
}
