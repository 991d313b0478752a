//! Fault injection: a real client against a scripted HTTP/1.1 server on
//! 127.0.0.1. Every fault must end in the right error (or in success after a
//! retry), never in a panic or a hang.

mod support;

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use tencentcloud_runtime::credentials::{
    CachingProvider, Credentials, CredentialsError, ProvideCredentials,
};
use tencentcloud_runtime::de::{self, Decode, Member, Members, Reader};
use tencentcloud_runtime::sign::{SigningParams, sign};
use tencentcloud_runtime::{BoxFuture, Error, REQUEST_CLIENT, RateLimit, RetryConfig};
use tokio::net::TcpListener;

use support::{
    FaultServer, READ, Reply, SECRET_KEY, WRITE, busiest_window, call, call_at_once, config,
    new_client, serve_and_call,
};

/// A date decades off: no clock correction believes it.
const FAR_OFF_DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An HTTP `Date` (IMF-fixdate) for Unix time `at`.
fn imf_date(at: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = tencentcloud_runtime::sign::utc_date(at);
    let (year, rest) = date.split_once('-').unwrap();
    let (month, day) = rest.split_once('-').unwrap();
    let seconds = at.rem_euclid(86_400);
    format!(
        "{}, {day} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[at.div_euclid(86_400).rem_euclid(7) as usize],
        MONTHS[month.parse::<usize>().unwrap() - 1],
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

fn html(status: u16) -> Reply {
    Reply::with_type(
        status,
        "text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )
}

// ----------------------------------------------------------------- throttling

#[tokio::test]
async fn throttling_then_success_is_retried_even_for_writes() {
    let server = FaultServer::start(vec![
        Reply::error("RequestLimitExceeded", "too fast", "req-1"),
        Reply::ok("req-2"),
    ])
    .await;
    let client = new_client(config(&server.url));
    let answer = call(&client, &WRITE)
        .await
        .expect("retried past throttling");
    assert_eq!(answer["RequestId"], "req-2");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn throttling_that_outlasts_the_retries_is_throttled() {
    let throttle = Reply::error("RequestLimitExceeded.UinLimitExceeded", "too fast", "req-t");
    let server = FaultServer::start(vec![throttle.clone(), throttle.clone(), throttle]).await;
    let client = new_client(config(&server.url));
    let err = call(&client, &READ).await.unwrap_err();
    let Error::Throttled(service) = &err else {
        panic!("expected Throttled, got {err:?}")
    };
    assert_eq!(service.code, "RequestLimitExceeded.UinLimitExceeded");
    assert_eq!(server.count(), 3, "the default is 3 attempts");
    // Display names the code, the message and the request ID.
    let shown = err.to_string();
    for part in [
        "throttled",
        "RequestLimitExceeded.UinLimitExceeded",
        "too fast",
        "req-t",
    ] {
        assert!(shown.contains(part), "{shown}");
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let throttle = Reply::error("RequestLimitExceeded", "too fast", "req-t");
    let server = FaultServer::start(vec![throttle; 5]).await;
    let client = new_client(config(&server.url).retry(support::fast_retry().max_attempts(5)));
    assert!(matches!(
        call(&client, &READ).await,
        Err(Error::Throttled(_))
    ));
    assert_eq!(server.count(), 5);

    let server = FaultServer::start(vec![Reply::error("RequestLimitExceeded", "x", "r")]).await;
    let client = new_client(config(&server.url).retry(RetryConfig::disabled()));
    assert!(matches!(
        call(&client, &READ).await,
        Err(Error::Throttled(_))
    ));
    assert_eq!(server.count(), 1);
}

// -------------------------------------------------------------- server errors

#[tokio::test]
async fn bad_gateway_then_success_for_reads() {
    let server = FaultServer::start(vec![html(502), Reply::ok("req-2")]).await;
    let client = new_client(config(&server.url));
    let answer = call(&client, &READ).await.expect("retried past 502");
    assert_eq!(answer["RequestId"], "req-2");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn bad_gateway_is_not_retried_for_writes_unless_asked() {
    let server = FaultServer::start(vec![html(502), Reply::ok("req-2")]).await;
    let client = new_client(config(&server.url));
    let err = call(&client, &WRITE).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus { status: 502, .. }),
        "{err:?}"
    );
    assert_eq!(
        server.count(),
        1,
        "the service may have acted: not repeated"
    );

    let server = FaultServer::start(vec![html(502), Reply::ok("req-2")]).await;
    let client =
        new_client(config(&server.url).retry(support::fast_retry().retry_non_idempotent(true)));
    call(&client, &WRITE)
        .await
        .expect("opted in to retrying writes");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn internal_error_is_retried_for_reads_only() {
    let internal = Reply::error("InternalError.DBError", "db down", "req-1");
    let (server, result) = serve_and_call(vec![internal.clone(), Reply::ok("req-2")], &READ).await;
    result.expect("retried past InternalError");
    assert_eq!(server.count(), 2);

    let (server, result) = serve_and_call(vec![internal, Reply::ok("req-2")], &WRITE).await;
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.code == "InternalError.DBError"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "InternalError.DBError: db down (request id req-1)"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn html_page_with_502_is_unexpected_status_after_retries() {
    let (server, result) = serve_and_call(vec![html(502), html(502), html(502)], &READ).await;
    let err = result.unwrap_err();
    let Error::UnexpectedStatus {
        status,
        body_excerpt,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 502);
    assert!(body_excerpt.contains("Bad Gateway"), "{body_excerpt}");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn permanent_errors_are_not_retried() {
    let (server, result) = serve_and_call(
        vec![Reply::error("InvalidParameter", "bad Limit", "req-1")],
        &READ,
    )
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.code().map(String::as_str), Some("InvalidParameter"));
    assert_eq!(err.request_id(), Some("req-1"));
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);
}

// ------------------------------------------------------------ broken answers

#[tokio::test]
async fn connection_dropped_mid_response_is_retried_for_reads() {
    let (server, result) =
        serve_and_call(vec![Reply::DropMidResponse, Reply::ok("req-2")], &READ).await;
    let answer = result.expect("retried past the broken answer");
    assert_eq!(answer["RequestId"], "req-2");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn connection_dropped_mid_response_is_a_transport_error_for_writes() {
    let (server, result) =
        serve_and_call(vec![Reply::DropMidResponse, Reply::ok("req-2")], &WRITE).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.source().is_some(), "the underlying error is chained");
    assert!(err.is_retryable());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn slow_answer_past_the_attempt_timeout_is_a_timeout() {
    let limit = Duration::from_millis(200);
    let server = FaultServer::start(vec![Reply::ok("slow").after(Duration::from_secs(5))]).await;
    let started = Instant::now();
    let err = call(
        &new_client(config(&server.url).attempt_timeout(limit)),
        &WRITE,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == limit),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        server.count(),
        1,
        "a write that may have arrived is not repeated"
    );

    // A read is repeated, and the second answer comes in time.
    let server = FaultServer::start(vec![
        Reply::ok("slow").after(Duration::from_secs(5)),
        Reply::ok("fast"),
    ])
    .await;
    let answer = call(
        &new_client(config(&server.url).attempt_timeout(limit)),
        &READ,
    )
    .await
    .unwrap();
    assert_eq!(answer["RequestId"], "fast");
}

#[tokio::test]
async fn operation_timeout_bounds_every_attempt_and_wait() {
    let slow = Reply::ok("slow").after(Duration::from_secs(5));
    let server = FaultServer::start(vec![slow.clone(), slow.clone(), slow]).await;
    let limit = Duration::from_millis(300);
    let client = new_client(
        config(&server.url)
            .attempt_timeout(Duration::from_secs(10))
            .operation_timeout(limit),
    );
    let started = Instant::now();
    let err = call(&client, &READ).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == limit),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let (server, result) =
        serve_and_call(vec![Reply::json(r#"{"Response":{"TotalCount":1,"#)], &READ).await;
    let err = result.unwrap_err();
    let Error::Decode {
        path,
        body_excerpt,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "");
    assert!(message.contains("not JSON"), "{message}");
    assert!(
        body_excerpt.starts_with(r#"{"Response":{"TotalCount""#),
        "{body_excerpt}"
    );
    assert_eq!(server.count(), 1, "decoding fails the same way every time");
}

#[tokio::test]
async fn wrong_field_type_names_the_path() {
    #[derive(Debug)]
    struct Things;
    impl Decode for Things {
        fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
            static MEMBERS: Members = Members::new("Things", &[Member::sent("TotalCount")]);
            reader.object(&MEMBERS, &mut |reader, _| reader.read(&mut 0u64))?;
            Ok(Things)
        }
    }
    let server = FaultServer::start(vec![Reply::json(
        r#"{"Response":{"TotalCount":"many","RequestId":"r"}}"#,
    )])
    .await;
    let err = new_client(config(&server.url))
        .call::<_, Things, String>(&READ, &())
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "TotalCount");
    assert!(err.to_string().contains("`TotalCount`"), "{err}");
}

#[tokio::test]
async fn html_page_with_200_is_a_decode_error() {
    let (server, result) = serve_and_call(vec![html(200)], &READ).await;
    let err = result.unwrap_err();
    let Error::Decode { body_excerpt, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(body_excerpt.contains("<html>"), "{body_excerpt}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn empty_body_is_a_decode_error() {
    let (_, result) = serve_and_call(vec![Reply::json("")], &READ).await;
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { body_excerpt, .. } if body_excerpt.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_not_buffered() {
    let limit = 1024;
    let big = format!(
        r#"{{"Response":{{"Padding":"{}","RequestId":"r"}}}}"#,
        "x".repeat(4 * limit)
    );
    // Declared too large: refused from the Content-Length.
    let server = FaultServer::start(vec![Reply::json(&big)]).await;
    let err = call(
        &new_client(config(&server.url).max_response_bytes(limit)),
        &READ,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024 }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
    // Undeclared: refused once the limit is passed while reading.
    let server = FaultServer::start(vec![Reply::CloseDelimited {
        status: 200,
        body: big.into_bytes(),
    }])
    .await;
    let err = call(
        &new_client(config(&server.url).max_response_bytes(limit)),
        &READ,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024 }),
        "{err:?}"
    );
    // Within the limit, a close-delimited answer is fine.
    let small = br#"{"Response":{"RequestId":"r"}}"#.to_vec();
    let server = FaultServer::start(vec![Reply::CloseDelimited {
        status: 200,
        body: small,
    }])
    .await;
    call(
        &new_client(config(&server.url).max_response_bytes(limit)),
        &READ,
    )
    .await
    .unwrap();
}

/// Decision: the `Content-Type` of an answer is not checked. The body is
/// judged by what it is: a mislabelled envelope is still the service's
/// answer (and for a write, the action was carried out), while anything
/// that is not the envelope fails to decode anyway.
#[tokio::test]
async fn wrong_content_type_with_a_valid_envelope_is_decoded() {
    let envelope = r#"{"Response":{"TotalCount":7,"RequestId":"req-text"}}"#;
    let (_, result) =
        serve_and_call(vec![Reply::with_type(200, "text/plain", envelope)], &WRITE).await;
    let answer = result.expect("decoded despite text/plain");
    assert_eq!(answer["TotalCount"], 7);
    // And a mislabelled error envelope is still the service's error.
    let error =
        r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#;
    let (_, result) =
        serve_and_call(vec![Reply::with_type(400, "text/plain", error)], &WRITE).await;
    let err = result.unwrap_err();
    assert_eq!(err.code().map(String::as_str), Some("InvalidParameter"));
}

// ---------------------------------------------------------- connection faults

#[tokio::test]
async fn connection_refused_is_retried_even_for_writes() {
    // Find a free port, leave it closed for a moment, then start serving on it.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{addr}");
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(30)).await;
        FaultServer::serve(
            TcpListener::bind(addr).await.unwrap(),
            vec![Reply::ok("late")],
        )
    });
    let retry = RetryConfig::new()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(200));
    let answer = call(&new_client(config(&url).retry(retry)), &WRITE)
        .await
        .expect("nothing was sent, so retried");
    assert_eq!(answer["RequestId"], "late");
    assert_eq!(late_server.await.unwrap().count(), 1);
}

#[tokio::test]
async fn connection_refused_for_good_is_a_transport_error() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let err = call(&new_client(config(&format!("http://{addr}"))), &WRITE)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}

// ------------------------------------------------------ credentials and clock

/// Hands out a new key pair on every call, each valid for a minute.
#[derive(Debug, Default)]
struct Rotating {
    calls: AtomicUsize,
    valid_for: Duration,
}

impl ProvideCredentials for Rotating {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let expiry = SystemTime::now() + self.valid_for;
        Box::pin(async move {
            Ok(Credentials::new(format!("AKIDgen{n}"), SECRET_KEY).with_expiry(expiry))
        })
    }
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_between_attempts() {
    // Valid for a minute: inside the cache's 5-minute margin, so each attempt refreshes.
    let provider = Arc::new(CachingProvider::new(Rotating {
        valid_for: Duration::from_secs(60),
        ..Default::default()
    }));
    let server = FaultServer::start(vec![
        Reply::error("RequestLimitExceeded", "x", "r1"),
        Reply::ok("r2"),
    ])
    .await;
    let client = new_client(config(&server.url).credentials(Arc::clone(&provider)));
    call(&client, &WRITE).await.unwrap();
    assert_eq!(provider.inner().calls.load(Ordering::SeqCst), 2);
    let requests = server.requests();
    assert!(
        requests[0]
            .header("authorization")
            .contains("Credential=AKIDgen1/"),
        "{:?}",
        requests[0]
    );
    assert!(
        requests[1]
            .header("authorization")
            .contains("Credential=AKIDgen2/"),
        "{:?}",
        requests[1]
    );

    // Valid for an hour: cached across calls.
    let provider = Arc::new(CachingProvider::new(Rotating {
        valid_for: Duration::from_secs(3600),
        ..Default::default()
    }));
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url).credentials(Arc::clone(&provider)));
    call(&client, &READ).await.unwrap();
    call(&client, &READ).await.unwrap();
    assert_eq!(provider.inner().calls.load(Ordering::SeqCst), 1);
}

#[test]
fn imf_dates_are_formatted_as_servers_send_them() {
    assert_eq!(imf_date(784_111_777), FAR_OFF_DATE);
}

#[tokio::test]
async fn signature_expire_corrects_the_clock_from_the_date_header() {
    // The service's clock is two hours ahead of this host's.
    let imf_date_unix = unix_now() + 7_200;
    let expired = Reply::error("AuthFailure.SignatureExpire", "signature expired", "r1")
        .header("Date", &imf_date(imf_date_unix));
    let server = FaultServer::start(vec![expired]).await;
    let client = new_client(config(&server.url));
    // A write: the service refused the signature without acting, so it may be repeated.
    call(&client, &WRITE)
        .await
        .expect("retried with the corrected timestamp");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        (requests[0].timestamp() - unix_now()).abs() <= 5,
        "first attempt uses the local clock"
    );
    assert!(
        (requests[1].timestamp() - imf_date_unix).abs() <= 2,
        "second attempt: {}",
        requests[1].timestamp()
    );
    let offset = client.config().clock_offset_seconds();
    assert!((offset - 7_200).abs() <= 2, "{offset}");
    // The correction sticks, for this client and its clones.
    call(&client.clone(), &READ).await.unwrap();
    assert!((server.requests()[2].timestamp() - imf_date_unix).abs() <= 2);
}

/// A `Date` decades away (a broken or hostile server or proxy) is not
/// believed: the clock stays as it is and the refusal is returned.
#[tokio::test]
async fn clock_correction_is_bounded() {
    let expired = Reply::error("AuthFailure.SignatureExpire", "signature expired", "r1")
        .header("Date", FAR_OFF_DATE);
    let server = FaultServer::start(vec![expired]).await;
    let client = new_client(config(&server.url));
    let err = call(&client, &WRITE).await.unwrap_err();
    assert_eq!(
        err.code().map(String::as_str),
        Some("AuthFailure.SignatureExpire")
    );
    assert_eq!(server.count(), 1);
    assert_eq!(client.config().clock_offset_seconds(), 0);
}

/// Temporary credentials that the local clock thinks have 30 minutes left
/// have expired by the service's clock (two hours ahead): after the clock is
/// corrected, a cache sharing the client's clock (as the default chain does)
/// fetches new ones instead of sending them.
#[tokio::test]
async fn expiry_is_judged_by_the_corrected_clock() {
    let clock = tencentcloud_runtime::ServiceClock::new();
    let provider = Arc::new(
        CachingProvider::new(Rotating {
            valid_for: Duration::from_secs(1800),
            ..Default::default()
        })
        .with_clock(clock.clone()),
    );
    let expired = Reply::error("AuthFailure.SignatureExpire", "signature expired", "r1")
        .header("Date", &imf_date(unix_now() + 7_200));
    let server = FaultServer::start(vec![expired]).await;
    let client = new_client(
        config(&server.url)
            .credentials(Arc::clone(&provider))
            .clock(clock),
    );
    call(&client, &READ).await.unwrap();
    let requests = server.requests();
    assert!(
        requests[0]
            .header("authorization")
            .contains("Credential=AKIDgen1/")
    );
    assert!(
        requests[1]
            .header("authorization")
            .contains("Credential=AKIDgen2/"),
        "{:?}",
        requests[1]
    );
    assert_eq!(provider.inner().calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn signature_expire_is_corrected_only_once() {
    let expired = Reply::error("AuthFailure.SignatureExpire", "signature expired", "r1")
        .header("Date", &imf_date(unix_now() + 600));
    let (server, result) = serve_and_call(vec![expired.clone(), expired], &READ).await;
    let err = result.unwrap_err();
    assert_eq!(
        err.code().map(String::as_str),
        Some("AuthFailure.SignatureExpire")
    );
    assert_eq!(server.count(), 2);

    // Without a Date there is nothing to correct with.
    let (server, result) = serve_and_call(
        vec![Reply::error("AuthFailure.SignatureExpire", "expired", "r1")],
        &READ,
    )
    .await;
    let err = result.unwrap_err();
    assert_eq!(
        err.code().map(String::as_str),
        Some("AuthFailure.SignatureExpire")
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    // The first answer comes in the next second, so the retry's timestamp must differ.
    let throttled = Reply::InNextSecond(Box::new(Reply::error("RequestLimitExceeded", "x", "r1")));
    let server = FaultServer::start(vec![throttled]).await;
    let client = new_client(
        config(&server.url)
            .app_id_suffix("faults-test")
            .region("ap-guangzhou"),
    );
    call(&client, &WRITE).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[1].timestamp() > requests[0].timestamp(),
        "{} then {}",
        requests[0].timestamp(),
        requests[1].timestamp()
    );
    assert_ne!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
    for request in &requests {
        // Each signature is the one for its own timestamp.
        let expected = sign(&SigningParams {
            method: "POST",
            host: request.header("host"),
            path: "/",
            query: "",
            content_type: request.header("content-type"),
            payload: &request.body,
            unsigned_payload: false,
            timestamp: request.timestamp(),
            service: "ccc",
            secret_id: "AKIDtest",
            secret_key: SECRET_KEY,
        });
        assert_eq!(request.header("authorization"), expected.authorization);
        assert_eq!(request.header("x-tc-action"), "CreateThing");
        assert_eq!(request.header("x-tc-version"), "2020-02-10");
        assert_eq!(request.header("x-tc-region"), "ap-guangzhou");
        assert_eq!(
            request.header("x-tc-requestclient"),
            format!("{REQUEST_CLIENT}_faults-test")
        );
    }
}

// ---------------------------------------------------------------- rate limits

/// On tokio's paused clock the limiter's sleeps take no real time, while the
/// requests still cross real sockets.
#[tokio::test(start_paused = true)]
async fn rate_limiter_holds_a_burst_of_100_under_20_per_second() {
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url));
    let started = tokio::time::Instant::now();
    for result in call_at_once(&client, &READ, 100).await {
        result.expect("no call fails");
    }
    let arrivals: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 100, "no retries were needed");
    assert!(busiest_window(arrivals.clone(), Duration::from_secs(1)) <= 20);
    let last = arrivals.iter().max().unwrap();
    assert!(
        *last - started >= Duration::from_secs(4),
        "{:?}",
        *last - started
    );
}

/// The same on the real clock, briefly: 30 calls at 20 per second take a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limiter_paces_on_the_real_clock_and_can_be_turned_off() {
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url));
    let started = Instant::now();
    for result in call_at_once(&client, &READ, 30).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    // A request arrives after the limiter lets it go, never before, however
    // slowly its connection opens on a loaded machine; so no more than a
    // second's 20 can have arrived within the first second (less a margin
    // for the clocks' granularity). A sliding window over arrivals would
    // judge the network's delays instead of the limiter.
    let first_second = tokio::time::Instant::from_std(started) + Duration::from_millis(950);
    let early = server
        .requests()
        .iter()
        .filter(|r| r.at < first_second)
        .count();
    assert!(
        early <= 20,
        "{early} requests arrived within the first second"
    );

    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url).rate_limit(RateLimit::Disabled));
    let started = Instant::now();
    for result in call_at_once(&client, &READ, 30).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------- observability

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_of_a_failing_call_name_the_action_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    // The test runs on one thread (current-thread runtime), so a thread-local default sees it all.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = FaultServer::start(vec![
        Reply::error("InternalError", "try again", "req-a1"),
        Reply::error(
            "AuthFailure.SecretIdNotFound",
            "unknown secret id",
            "req-a2",
        ),
    ])
    .await;
    let credentials = Credentials::new("AKIDtest", SECRET_KEY).with_token("session-token-secret");
    let client = new_client(config(&server.url).credentials(credentials));
    tracing::info!(client = ?client, "client ready");
    let err = call(&client, &READ).await.unwrap_err();
    tracing::error!(error = %err, debug = ?err, "call failed");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for wanted in [
        "DescribeThings",
        "tencentcloud.call",
        "tencentcloud.attempt",
        "req-a1",
        "req-a2",
        "latency_ms",
        "AuthFailure.SecretIdNotFound",
    ] {
        assert!(logs.contains(wanted), "`{wanted}` missing from:\n{logs}");
    }
    for secret in [SECRET_KEY, "session-token-secret", "Signature="] {
        assert!(!logs.contains(secret), "`{secret}` leaked into:\n{logs}");
    }
}

// ------------------------------------------------------- hostile configuration

/// A redirect is an answer, not an instruction: the signed request, its token
/// and its body are never sent anywhere else (here: to a plain-http host).
#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = FaultServer::start(vec![]).await;
    let redirect = Reply::with_type(307, "text/plain", "moved")
        .header("Location", &format!("{}/", elsewhere.url));
    let server = FaultServer::start(vec![redirect.clone(), redirect]).await;
    let credentials = Credentials::new("AKIDtest", SECRET_KEY).with_token("session-token-secret");
    let client = new_client(
        config(&server.url)
            .credentials(credentials)
            .retry(RetryConfig::disabled()),
    );
    let err = call(&client, &WRITE).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus { status: 307, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
    assert_eq!(
        elsewhere.count(),
        0,
        "nothing was resent to the redirect target"
    );
}

#[derive(serde::Serialize)]
struct Weighted {
    #[serde(rename = "SdkAppId")]
    sdk_app_id: u64,
    #[serde(rename = "Weights")]
    weights: Vec<f64>,
}

#[tokio::test]
async fn nan_or_infinite_numbers_are_refused_before_sending() {
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url));
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let request = Weighted {
            sdk_app_id: 1,
            weights: vec![0.5, bad],
        };
        let err = client
            .call::<_, serde_json::Value, String>(&READ, &request)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
        assert!(err.to_string().contains("`Weights[1]`"), "{err}");
    }
    assert_eq!(server.count(), 0);
    let fine = Weighted {
        sdk_app_id: 1,
        weights: vec![0.5, 1e300],
    };
    client
        .call::<_, serde_json::Value, String>(&READ, &fine)
        .await
        .unwrap();
}

/// A control character in a header value would end the header early or forge another.
#[tokio::test]
async fn credentials_that_cannot_travel_in_a_header_are_refused_before_sending() {
    let server = FaultServer::start(vec![]).await;
    for (credentials, named) in [
        (
            Credentials::new("AKIDtest", SECRET_KEY).with_token("token\r\nX-Evil: 1"),
            "X-TC-Token",
        ),
        (Credentials::new("AKID\ntest", SECRET_KEY), "SecretId"),
    ] {
        let client = new_client(config(&server.url).credentials(credentials));
        let err = call(&client, &READ).await.unwrap_err();
        assert!(matches!(err, Error::Credentials(_)), "{err:?}");
        assert!(err.to_string().contains(named), "{err}");
    }
    assert_eq!(server.count(), 0);
}

/// Even configured with no backoff at all, a throttled call waits before its retry.
#[tokio::test]
async fn throttled_calls_never_retry_without_a_wait() {
    let server = FaultServer::start(vec![
        Reply::error("RequestLimitExceeded", "slow down", "r1"),
        Reply::error("RequestLimitExceeded", "slow down", "r2"),
    ])
    .await;
    let no_backoff = RetryConfig::new()
        .throttling_backoff(Duration::ZERO)
        .max_backoff(Duration::ZERO);
    let client = new_client(config(&server.url).retry(no_backoff));
    call(&client, &READ).await.unwrap();
    let arrivals: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 3);
    for pair in arrivals.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(5),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

#[test]
fn debug_of_signing_output_hides_the_signature() {
    let signed = sign(&SigningParams {
        method: "POST",
        host: "ccc.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json",
        payload: b"{}",
        unsigned_payload: false,
        timestamp: 1_700_000_000,
        service: "ccc",
        secret_id: "AKIDtest",
        secret_key: SECRET_KEY,
    });
    let shown = format!("{signed:?}");
    assert!(!shown.contains(&signed.authorization), "{shown}");
    assert!(!shown.contains(&signed.signature), "{shown}");
    assert!(shown.contains("canonical_request"), "{shown}");
}
