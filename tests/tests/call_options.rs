//! Per-call options reach the runtime through the generated builder, the
//! `Stub` and the transport: a small HTTP server on 127.0.0.1 answers late or
//! with a retryable error, and the call's own timeout and attempt count decide
//! the outcome, not the client's configuration.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ccc_api::runtime::{Error, RateLimit, RetryConfig};
use ccc_api::{CallOptions, Client, Config, Credentials, ErrorCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ANSWER: &str = r#"{"Response":{"TotalCount":0,"Tasks":[],"RequestId":"r-ok"}}"#;
const RETRYABLE: &str =
    r#"{"Response":{"Error":{"Code":"InternalError","Message":"try again"},"RequestId":"r-err"}}"#;

/// Answers every request (at most `limit`) with `body` after `delay`; counts the requests.
async fn serve(body: &'static str, delay: Duration, limit: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    tokio::spawn(async move {
        for _ in 0..limit {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                read_request(&mut socket).await;
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(response.as_bytes()).await.ok();
                socket.shutdown().await.ok();
            });
        }
    });
    (url, count)
}

/// Reads one request: its head, then as many body bytes as it declares.
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    while buffer.len() < head_end + 4 + length {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
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
    let (url, count) = serve(ANSWER, Duration::from_millis(300), 8).await;
    let client = client(&url);
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
    assert_eq!(count.load(Ordering::SeqCst), 1);

    let limit = Duration::from_millis(50);
    let options = CallOptions::new().attempt_timeout(limit).max_attempts(1);
    let err = builder().send_with(options).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == limit),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // The override was for that call only.
    builder()
        .send()
        .await
        .expect("the next call has the configured timeout again");
}

#[tokio::test]
async fn a_per_call_max_attempts_of_one_is_not_retried() {
    let (url, count) = serve(RETRYABLE, Duration::ZERO, 8).await;
    let client = client(&url);
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
    assert_eq!(count.load(Ordering::SeqCst), 3);

    let err = builder()
        .send_with(CallOptions::new().max_attempts(1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 4, "one attempt, no retry");

    // The options of a walk apply to each of its pages.
    let mut pages = builder()
        .into_pages_with(CallOptions::new().max_attempts(1))
        .unwrap();
    let first = pages.next().await.expect("a first page");
    assert!(first.is_err());
    assert_eq!(
        count.load(Ordering::SeqCst),
        5,
        "one attempt for the page, no retry"
    );
}
