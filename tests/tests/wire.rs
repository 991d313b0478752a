//! The generated client on the wire: a small HTTP server on 127.0.0.1 checks
//! what `ccc-api` sends (headers, signature, body) and answers with the
//! documentation's example, then with an error envelope.

// The runtime's test server, which records what it receives.
#[path = "../../crates/tencentcloud-runtime/tests/support/mod.rs"]
mod support;

use ccc_api::actions::DescribeAutoCalloutTasksResponse;
use ccc_api::models::AutoCalloutTaskState;
use ccc_api::{Client, Config, Credentials, ErrorCode, Language};
use support::{FaultServer, Recorded, Reply};
use tencentcloud_runtime::sign;

const SECRET_ID: &str = "AKIDEXAMPLEEXAMPLEEXAMPLE0000000";
const SECRET_KEY: &str = "ExampleSecretKeyExampleSecret000";

/// The documented example response of DescribeAutoCalloutTasks, taken from the spec.
fn documented_example() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-spec/ccc/2020-02-10/actions/DescribeAutoCalloutTasks.json"
    );
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["examples"][0]["response"].clone()
}

fn client(url: &str) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).with_token("session-token"))
        .endpoint(url)
        .region("ap-guangzhou")
        .language(Language::EnUs)
        .build()
        .unwrap();
    Client::new(config)
}

/// A page of `page_size` tasks, asked of a server that answers with `answer`.
async fn tasks_answered_with(
    answer: &str,
    page_size: u64,
) -> ccc_api::Result<DescribeAutoCalloutTasksResponse> {
    let server = FaultServer::start(vec![Reply::json(answer)]).await;
    client(&server.url)
        .describe_auto_callout_tasks()
        .sdk_app_id(1400000000)
        .page_size(page_size)
        .page_number(0)
        .send()
        .await
}

/// Recomputes the signature of a received request and compares it with its `Authorization` header.
fn assert_signed(seen: &Recorded) {
    let h = |name: &str| {
        seen.headers
            .get(name)
            .unwrap_or_else(|| panic!("missing header {name}"))
            .as_str()
    };
    let authorization = h("authorization");
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert_eq!(signed_headers, "content-type;host");
    let timestamp: i64 = h("x-tc-timestamp").parse().unwrap();
    let date = sign::utc_date(timestamp);
    let canonical = sign::canonical_request(
        "POST",
        "/",
        "",
        &[("content-type", h("content-type")), ("host", h("host"))],
        &sign::sha256_hex(&seen.body),
    );
    let scope = sign::credential_scope(&date, "ccc");
    let to_sign = sign::string_to_sign(timestamp, &scope, &canonical);
    let signature = sign::signature(&sign::signing_key(SECRET_KEY, &date, "ccc"), &to_sign);
    assert_eq!(
        authorization,
        sign::authorization(SECRET_ID, &scope, signed_headers, &signature)
    );
}

#[tokio::test]
async fn signed_request_decodes_the_documented_example() {
    let answer = serde_json::json!({ "Response": documented_example() }).to_string();
    let server = FaultServer::start(vec![Reply::json(&answer)]).await;
    let url = &server.url;

    let page = client(url)
        .describe_auto_callout_tasks()
        .sdk_app_id(1400000000)
        .page_size(10)
        .page_number(0)
        .send()
        .await
        .unwrap();

    assert_eq!(page.total_count, 1);
    assert_eq!(page.request_id, "foo-bar");
    let task = &page.tasks[0];
    assert_eq!((task.task_id, task.ivr_id, task.callee_count), (3241, 1, 1));
    assert_eq!(task.name, "foobar");
    assert_eq!(task.state, AutoCalloutTaskState::Running);
    assert_eq!(task.callers, vec!["008612345123456".to_owned()]);
    assert_eq!((task.not_before, task.not_after), (0, Some(0)));
    assert_eq!(task.max_ring_timeout_second, None);

    let seen = server.requests().remove(0);
    assert_eq!(seen.method, "POST");
    let h = |name: &str| seen.headers.get(name).map(String::as_str);
    assert_eq!(h("content-type"), Some("application/json"));
    assert_eq!(h("host"), Some(url.trim_start_matches("http://")));
    assert_eq!(h("x-tc-action"), Some("DescribeAutoCalloutTasks"));
    assert_eq!(h("x-tc-version"), Some("2020-02-10"));
    assert_eq!(h("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(h("x-tc-token"), Some("session-token"));
    assert_eq!(h("x-tc-language"), Some("en-US"));
    let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "SdkAppId": 1400000000u64, "PageSize": 10, "PageNumber": 0 })
    );
    assert_signed(&seen);
}

#[tokio::test]
async fn error_envelope_becomes_a_typed_service_error() {
    let answer = r#"{"Response":{"Error":{"Code":"InvalidParameterValue","Message":"PageSize out of range"},"RequestId":"req-42"}}"#;
    let err = tasks_answered_with(answer, 1000).await.unwrap_err();

    assert_eq!(err.code(), Some(&ErrorCode::InvalidParameterValue));
    assert_eq!(err.message(), Some("PageSize out of range"));
    assert_eq!(err.request_id(), Some("req-42"));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "InvalidParameterValue: PageSize out of range (request id req-42)"
    );
}

#[tokio::test]
async fn unknown_error_codes_are_kept_as_sent() {
    let answer = r#"{"Response":{"Error":{"Code":"FailedOperation.SomethingNew","Message":"new"},"RequestId":"r"}}"#;
    let err = tasks_answered_with(answer, 1).await.unwrap_err();

    let code = err.code().unwrap();
    assert!(matches!(code, ErrorCode::Unknown(_)), "{code:?}");
    assert_eq!(code.as_str(), "FailedOperation.SomethingNew");
    assert_eq!(
        format!("{code:?}"),
        r#"Unknown("FailedOperation.SomethingNew")"#
    );
}

#[tokio::test]
async fn a_missing_required_parameter_fails_before_any_io() {
    // Nothing listens on this endpoint: reaching the network would be a transport error instead.
    let err = client("http://127.0.0.1:9")
        .describe_auto_callout_tasks()
        .sdk_app_id(1400000000)
        .page_number(0)
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(err, ccc_api::Error::InvalidRequest { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("PageSize"), "{err}");
}

#[tokio::test]
async fn answers_that_drift_from_the_definition_decode_by_the_documented_policy() {
    // Numbers as strings and integral floats, `null` for a list: see `tencentcloud_runtime::de`.
    let answer = r#"{"Response":{"TotalCount":"2","Tasks":[
        {"TaskId":7.0,"IvrId":"1","CalleeCount":1,"Name":"a","NotBefore":"-5","NotAfter":null,"State":"5","Callers":null},
        {"TaskId":8,"IvrId":1,"CalleeCount":1,"Name":"b","NotBefore":0,"State":9,"Callers":["1"],"Unknown":{"x":1}}
    ],"RequestId":"r"}}"#;
    let page = tasks_answered_with(answer, 2).await.unwrap();

    assert_eq!(page.total_count, 2);
    let (a, b) = (&page.tasks[0], &page.tasks[1]);
    assert_eq!(
        (a.task_id, a.ivr_id, a.not_before, a.not_after),
        (7, 1, -5, None)
    );
    assert_eq!(a.state, AutoCalloutTaskState::Paused);
    assert!(a.callers.is_empty());
    assert!(
        matches!(b.state, AutoCalloutTaskState::Unknown(v) if v.get() == 9),
        "{:?}",
        b.state
    );
    assert_eq!(b.state.value(), 9);
}

#[tokio::test]
async fn a_mismatch_names_its_path() {
    let answer = r#"{"Response":{"TotalCount":1,"Tasks":[{"TaskId":1,"IvrId":1,"CalleeCount":1,"Name":5,"NotBefore":0,"State":1,"Callers":[]}],"RequestId":"r"}}"#;
    let err = tasks_answered_with(answer, 1).await.unwrap_err();

    match &err {
        ccc_api::Error::Decode { path, .. } => assert_eq!(path, "Tasks[0].Name"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_decode_error_of_an_answer_holding_a_password_does_not_quote_it() {
    // `RequestId` does not fit, next to the new password.
    let answer = r#"{"Response":{"Password":"Hunter2-Secret","RequestId":{"not":"a string"}}}"#;
    let server = FaultServer::start(vec![Reply::json(answer)]).await;

    let err = client(&server.url)
        .reset_extension_password()
        .sdk_app_id(1400000000)
        .extension_id("8001")
        .send()
        .await
        .unwrap_err();

    let shown = format!("{err} {err:?}");
    assert!(
        matches!(&err, ccc_api::Error::Decode { path, .. } if path == "RequestId"),
        "{err:?}"
    );
    assert!(!shown.contains("Hunter2"), "{shown}");
}
