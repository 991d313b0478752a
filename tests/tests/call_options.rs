//! Per-call options reach the runtime through the generated builder, the
//! `Stub` and the transport: a small HTTP server on 127.0.0.1 answers late or
//! with a retryable error, and the call's own timeout and attempt count decide
//! the outcome, not the client's configuration.

// The runtime's test server, which counts what it receives.
#[path = "../../crates/tencentcloud-runtime/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use ccc_api::runtime::{Error, RateLimit, RetryConfig};
use ccc_api::{CallOptions, Client, Config, Credentials, ErrorCode};
use support::{FaultServer, Reply};

const ANSWER: &str = r#"{"Response":{"TotalCount":0,"Tasks":[],"RequestId":"r-ok"}}"#;
const RETRYABLE: &str =
    r#"{"Response":{"Error":{"Code":"InternalError","Message":"try again"},"RequestId":"r-err"}}"#;

/// A server answering every request with `body` after `delay`; it counts the requests.
async fn serve(body: &'static str, delay: Duration) -> FaultServer {
    FaultServer::start_with(Arc::new(move |_| Reply::json(body).after(delay))).await
}

fn client(url: &str) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
        .endpoint(url)
        .rate_limit(RateLimit::Disabled)
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    Client::new(config)
}

#[tokio::test]
async fn a_per_call_timeout_shorter_than_the_answer_fails_while_the_default_succeeds() {
    let server = serve(ANSWER, Duration::from_millis(300)).await;
    let client = client(&server.url);
    let builder = || {
        client
            .describe_auto_callout_tasks()
            .sdk_app_id(1400000000)
            .page_size(10)
            .page_number(0)
    };

    let page = builder()
        .send()
        .await
        .expect("the configured 30 s per attempt is enough");
    assert_eq!(page.request_id, "r-ok");
    assert_eq!(server.count(), 1);

    let limit = Duration::from_millis(50);
    let options = CallOptions::new().attempt_timeout(limit).max_attempts(1);
    let err = builder().send_with(options).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == limit),
        "{err:?}"
    );
    assert_eq!(server.count(), 2);

    // The override was for that call only.
    builder()
        .send()
        .await
        .expect("the next call has the configured timeout again");
}

#[tokio::test]
async fn a_per_call_max_attempts_of_one_is_not_retried() {
    let server = serve(RETRYABLE, Duration::ZERO).await;
    let client = client(&server.url);
    let builder = || {
        client
            .describe_auto_callout_tasks()
            .sdk_app_id(1400000000)
            .page_size(10)
            .page_number(0)
    };

    // A read-only action is retried after `InternalError`: 3 attempts by default.
    let err = builder().send().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError), "{err:?}");
    assert_eq!(server.count(), 3);

    let err = builder()
        .send_with(CallOptions::new().max_attempts(1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError), "{err:?}");
    assert_eq!(server.count(), 4, "one attempt, no retry");

    // The options of a walk apply to each of its pages.
    let mut pages = builder()
        .into_pages_with(CallOptions::new().max_attempts(1))
        .unwrap();
    let first = pages.next().await.expect("a first page");
    assert!(first.is_err());
    assert_eq!(server.count(), 5, "one attempt for the page, no retry");
}
