//! The `ccc-local` binary: the first stdout line, a signed call, the request
//! log, and a clean exit on SIGTERM; with `--state FILE`, its data written on
//! SIGTERM, and a corrupt file stopping it at start with one line naming the file;
//! many connections served at once, on one thread and on several.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::Caller;
use tencentcloud_runtime::sign::{SigningParams, sign};

const ID: &str = "AKIDbinaryTest";
const KEY: &str = "binary-test-key";

/// `ccc-local` on a free port of 127.0.0.1, accepting the test's SecretId.
fn ccc_local() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ccc-local"));
    command.args(["--listen", "127.0.0.1:0", "--secret-id", ID]);
    command
}

/// Sends SIGTERM and waits, at most 5 s, for a clean exit.
fn stop_with_sigterm(child: &mut Child) {
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
}

#[tokio::test]
async fn binary_serves_logs_and_stops_on_sigterm() {
    let mut child = ccc_local()
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
    let body = r#"{"SdkAppId":1400000000,"PageSize":5,"PageNumber":1}"#;
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let caller = Caller::new(url, ID, KEY, timestamp);
    let response = caller.post("DescribeAutoCalloutTasks", body).await;
    assert!(response.headers().contains_key("date"));
    let json: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(json["Response"]["TotalCount"], 36, "{json}");
    assert_eq!(json["Response"]["Tasks"][0]["TaskId"], 1006, "{json}");

    stop_with_sigterm(&mut child);
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

fn run_until_sigterm(state: &Path) {
    let mut child = ccc_local()
        .args(["--secret-key", KEY, "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ccc-local starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("listening on "), "{first:?}");
    stop_with_sigterm(&mut child);
}

#[test]
fn state_is_written_on_sigterm_and_a_corrupt_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("ccc-local-binary-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");

    run_until_sigterm(&state);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let app = &saved["Applications"][0];
    assert_eq!(app["SdkAppId"], 1_400_000_000);
    assert_eq!(app["AutoCalloutTasks"].as_array().unwrap().len(), 36);
    assert_eq!(app["Staff"].as_array().unwrap().len(), 8);
    assert_eq!(app["SkillGroups"].as_array().unwrap().len(), 4);
    // A second run starts from the file and writes the same data back.
    run_until_sigterm(&state);
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(again, saved);

    std::fs::write(&state, "{\"Applications\": [").unwrap();
    let output = ccc_local()
        .args(["--secret-key", KEY, "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid state file") && stderr.contains("state.json"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "it never listened");
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        "{\"Applications\": ["
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Half-sent requests the emulator holds open at once.
const CONNECTIONS: usize = 24;

/// Kills the emulator when the test ends, even when it fails.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_with(extra: &[&str]) -> (KillOnDrop, String) {
    let mut child = ccc_local()
        .args(["--secret-key", KEY, "--no-rate-limit"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ccc-local starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let host = first
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    (KillOnDrop(child), host)
}

/// A signed `DescribeAutoCalloutTasks` request for page `page` of 1 task, as bytes.
fn request(host: &str, page: usize) -> Vec<u8> {
    let body = format!(r#"{{"SdkAppId":1400000000,"PageSize":1,"PageNumber":{page}}}"#);
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signed = sign(&SigningParams {
        method: "POST",
        host,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: body.as_bytes(),
        unsigned_payload: false,
        timestamp,
        service: "ccc",
        secret_id: ID,
        secret_key: KEY,
    });
    format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Authorization: {}\r\nX-TC-Action: DescribeAutoCalloutTasks\r\nX-TC-Version: 2020-02-10\r\n\
         X-TC-Timestamp: {timestamp}\r\nContent-Length: {}\r\n\r\n{body}",
        signed.authorization,
        body.len()
    )
    .into_bytes()
}

/// Reads one answer and returns its body.
fn answer(stream: &mut TcpStream) -> serde_json::Value {
    let mut reader = BufReader::new(stream);
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("an answer in time");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length.expect("a Content-Length")];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn serves_connections_at_once(extra: &[&str]) {
    let (_emulator, host) = start_with(extra);
    // Every connection sends all of its request but the last byte, so the
    // emulator holds them all open, half received, at the same time.
    let mut streams: Vec<(TcpStream, Vec<u8>)> = (0..CONNECTIONS)
        .map(|page| {
            let mut stream = TcpStream::connect(&host).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let request = request(&host, page);
            stream.write_all(&request[..request.len() - 1]).unwrap();
            (stream, request)
        })
        .collect();
    // Finished last-opened first: a server that served one connection at a
    // time would still be waiting on the first and time out on these.
    for (page, (stream, request)) in streams.iter_mut().enumerate().rev() {
        stream.write_all(&request[request.len() - 1..]).unwrap();
        let json = answer(stream);
        let task_id = &json["Response"]["Tasks"][0]["TaskId"];
        // The demo's tasks of application 1400000000 are numbered from 1001.
        assert_eq!(task_id, 1001 + page, "page {page}: {json}");
    }
}

#[test]
fn one_thread_serves_many_connections_at_once() {
    serves_connections_at_once(&[]);
}

#[test]
fn several_threads_serve_many_connections_at_once() {
    serves_connections_at_once(&["--threads", "3"]);
}
