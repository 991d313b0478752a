//! The `ccc-local` binary: the first stdout line, a signed call, the request
//! log, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::sign::{SigningParams, sign};

const ID: &str = "AKIDbinaryTest";
const KEY: &str = "binary-test-key";

#[tokio::test]
async fn binary_serves_logs_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccc-local"))
        .args(["--listen", "127.0.0.1:0", "--secret-id", ID])
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ccc-local starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    let host = url.trim_start_matches("http://").to_owned();

    let body = br#"{"SdkAppId":1400000000,"PageSize":5,"PageNumber":1}"#;
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signed = sign(&SigningParams {
        method: "POST",
        host: &host,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: body,
        unsigned_payload: false,
        timestamp,
        service: "ccc",
        secret_id: ID,
        secret_key: KEY,
    });
    let response = reqwest::Client::new()
        .post(&url)
        .header("Content-Type", "application/json")
        .header("Authorization", signed.authorization)
        .header("X-TC-Action", "DescribeAutoCalloutTasks")
        .header("X-TC-Version", "2020-02-10")
        .header("X-TC-Timestamp", timestamp.to_string())
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("date"));
    let json: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(json["Response"]["TotalCount"], 36, "{json}");
    assert_eq!(json["Response"]["Tasks"][0]["TaskId"], 1006, "{json}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "ccc-local did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("request") && l.contains("DescribeAutoCalloutTasks"))
        .unwrap_or_else(|| panic!("no request log line in:\n{log}"));
    for part in ["sdk_app_id=1400000000", "outcome=Success", "latency_ms="] {
        assert!(line.contains(part), "`{part}` missing from {line}");
    }
    assert!(!log.contains(KEY), "the secret key is in the log:\n{log}");
}

#[test]
fn binary_without_credentials_fails_with_one_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_ccc-local"))
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--secret-id"), "{stderr}");
    assert!(output.stdout.is_empty());
}
