//! The rate limiter under overload, against a healthy server on 127.0.0.1:
//! calls offered faster than the limit must neither stop the client nor
//! break the limit, and calls that give up must not cost later ones.

mod support;

use std::time::Duration;

use tencentcloud_runtime::{Error, RateLimit};
use tokio::time::Instant;

use support::{FaultServer, READ, call, config, new_client};

/// Five times the limit (100 calls/s against 20/s) for four seconds, each
/// call with a 500 ms operation timeout. Every second after the first must
/// still see at least 80 % of the limit succeed, and no more than the limit
/// may have been sent per second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sustained_overload_keeps_sending_at_the_allowed_rate() {
    const LIMIT: usize = 20;
    const SECONDS: u64 = 4;
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url).operation_timeout(Duration::from_millis(500)));
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(10));
    let mut calls = Vec::new();
    for _ in 0..SECONDS * 100 {
        ticks.tick().await;
        let client = client.clone();
        calls.push(tokio::spawn(async move {
            let result = call(&client, &READ).await;
            (Instant::now(), result)
        }));
    }
    let mut succeeded = vec![0usize; SECONDS as usize + 1];
    let mut refused_at_once = 0;
    for task in calls {
        let (done, result) = task.await.unwrap();
        match result {
            Ok(_) => {
                let second = ((done - started).as_secs() as usize).min(SECONDS as usize);
                succeeded[second] += 1;
            }
            Err(Error::RateLimited { .. }) => refused_at_once += 1,
            Err(other) => panic!("only the rate limiter may refuse a call here: {other}"),
        }
    }
    for (second, &count) in succeeded.iter().enumerate().take(SECONDS as usize).skip(1) {
        assert!(
            count >= LIMIT * 8 / 10,
            "second {second}: {count} calls succeeded; per second: {succeeded:?}"
        );
    }
    assert!(
        refused_at_once > 0,
        "the overload was refused, not queued without end"
    );
    // A request arrives after the limiter lets it go, late by however long
    // its connection takes, which a loaded machine stretches unevenly: a
    // sliding window over arrivals can then hold a late one from the window
    // before, and judge the machine instead of the limiter. Counting from the
    // start cannot be fooled: no one-second window holds more than the limit
    // of sends, so by the end of second `k` at most `k` times the limit can
    // have been sent, and no more can have arrived.
    let arrivals: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    for k in 1..=SECONDS as usize + 1 {
        let by = started + Duration::from_secs(k as u64);
        let arrived = arrivals.iter().filter(|&&at| at < by).count();
        assert!(
            arrived <= k * LIMIT,
            "{arrived} requests arrived within the first {k} s; successes per second: {succeeded:?}"
        );
    }
}

/// A call whose turn would come too late fails at once, saying why.
#[tokio::test(start_paused = true)]
async fn a_call_that_cannot_get_its_turn_in_time_fails_at_once() {
    let server = FaultServer::start(vec![]).await;
    let client = new_client(
        config(&server.url)
            .rate_limit(RateLimit::PerSecond(1))
            .operation_timeout(Duration::from_millis(500)),
    );
    call(&client, &READ).await.unwrap();
    let before = Instant::now();
    let err = call(&client, &READ).await.unwrap_err();
    assert_eq!(Instant::now(), before, "it did not wait");
    assert!(
        matches!(
            err,
            Error::RateLimited {
                action: "DescribeThings",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("rate limit"), "{err}");
    assert!(err.is_retryable());
    assert_eq!(server.count(), 1, "it was not sent");
}

/// Callers that give up (dropped, or cut short by a timeout) leave the queue:
/// the next caller is sent as soon as the limit allows, not after their turns.
#[tokio::test(start_paused = true)]
async fn dropped_calls_give_their_turn_back() {
    let server = FaultServer::start(vec![]).await;
    let client = new_client(config(&server.url).rate_limit(RateLimit::PerSecond(2)));
    let started = Instant::now();
    call(&client, &READ).await.unwrap();
    call(&client, &READ).await.unwrap();
    let waiting: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client, &READ).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    for task in &waiting {
        task.abort();
    }
    for task in waiting {
        assert!(task.await.unwrap_err().is_cancelled());
    }
    call(&client, &READ).await.unwrap();
    let sent_after = Instant::now() - started;
    assert!(
        sent_after < Duration::from_millis(1_100),
        "sent after {sent_after:?}, not after the dropped turns"
    );
    assert_eq!(server.count(), 3);
}
