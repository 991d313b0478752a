//! The `ccc-local` binary serves many connections at once: on its default
//! single thread and with `--threads`, it holds many half-sent requests
//! open together and answers them in the order they complete, not the order
//! they arrived.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::sign::{SigningParams, sign};

const ID: &str = "AKIDconnectionsTest";
const KEY: &str = "connections-test-key";
const CONNECTIONS: usize = 24;

/// Kills the emulator when the test ends, even when it fails.
struct Emulator(Child);

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(extra: &[&str]) -> (Emulator, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccc-local"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
            "--no-rate-limit",
        ])
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
    (Emulator(child), host)
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
    let (_emulator, host) = start(extra);
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
