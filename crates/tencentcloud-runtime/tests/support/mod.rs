//! A fault-injecting HTTP/1.1 server for the runtime's tests, and helpers to
//! point a client at it.
//!
//! The server answers each request it receives with the next [`Reply`] of its
//! script (a success envelope once the script is exhausted) and records every
//! request, so tests can count attempts and inspect their headers.

#![allow(dead_code)] // Each test binary uses a different subset.

pub mod sts;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::credentials::Env;
use tencentcloud_runtime::{
    ActionInfo, Config, ConfigBuilder, Credentials, Error, RetryConfig, ServiceClient, ServiceInfo,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const SECRET_ID: &str = "AKIDtest";
pub const SECRET_KEY: &str = "secret-key-for-tests";

pub const SERVICE: ServiceInfo = ServiceInfo {
    name: "ccc",
    version: "2020-02-10",
    default_host: "ccc.tencentcloudapi.com",
};

/// A read-only action: failures after sending are retried.
pub const READ: ActionInfo = ActionInfo {
    name: "DescribeThings",
    read_only: true,
    rate_limit_per_second: 20,
    sensitive_output: false,
};
/// An action that changes something: failures after sending are not retried.
pub const WRITE: ActionInfo = ActionInfo {
    name: "CreateThing",
    read_only: false,
    rate_limit_per_second: 20,
    sensitive_output: false,
};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer with a `Content-Length`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// An answer without `Content-Length`, its end marked by closing the connection.
    CloseDelimited { status: u16, body: Vec<u8> },
    /// The head and a part of the declared body, then the connection is closed.
    DropMidResponse,
    /// Waits, then does the inner reply.
    Delay(Duration, Box<Reply>),
    /// Waits until a new wall-clock second has begun (plus a little), then does the inner reply.
    InNextSecond(Box<Reply>),
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json(body: &str) -> Self {
        Self::with_type(200, "application/json", body)
    }

    /// A success envelope.
    pub fn ok(request_id: &str) -> Self {
        Self::json(&format!(
            r#"{{"Response":{{"TotalCount":1,"RequestId":"{request_id}"}}}}"#
        ))
    }

    /// 200 with a service error envelope.
    pub fn error(code: &str, message: &str, request_id: &str) -> Self {
        Self::json(&format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{request_id}"}}}}"#
        ))
    }

    /// Any status, content type and body.
    pub fn with_type(status: u16, content_type: &str, body: &str) -> Self {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// The same reply with one more header.
    pub fn header(self, name: &str, value: &str) -> Self {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => panic!("cannot add a header to {other:?}"),
        }
    }

    /// The same reply after `delay`.
    pub fn after(self, delay: Duration) -> Self {
        Reply::Delay(delay, Box::new(self))
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// When it arrived, on tokio's clock (virtual when the test pauses time).
    pub at: tokio::time::Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn timestamp(&self) -> i64 {
        self.header("x-tc-timestamp")
            .parse()
            .expect("X-TC-Timestamp is an integer")
    }
}

/// Computes the answer to a request (instead of a script).
pub type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

struct State {
    script: VecDeque<Reply>,
    requests: Vec<Recorded>,
    handler: Option<Handler>,
}

/// The server; it stops when dropped.
pub struct FaultServer {
    pub url: String,
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// A server on a free port of 127.0.0.1 answering with `script`.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        Self::serve(listener, script)
    }

    /// A server on `listener`.
    pub fn serve(listener: TcpListener, script: Vec<Reply>) -> Self {
        Self::serve_with(listener, script, None)
    }

    /// A server on a free port of 127.0.0.1 answering each request with `handler`'s reply.
    pub async fn start_with(handler: Handler) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        Self::serve_with(listener, Vec::new(), Some(handler))
    }

    fn serve_with(listener: TcpListener, script: Vec<Reply>, handler: Option<Handler>) -> Self {
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            requests: Vec::new(),
            handler,
        }));
        let accepting = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut connections = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.push(AbortOnDrop(tokio::spawn(connection(
                    stream,
                    Arc::clone(&accepting),
                ))));
            }
        });
        FaultServer {
            url: format!("http://{addr}"),
            addr,
            state,
            task,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn count(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }
}

/// Aborts the connection tasks with the accept loop, so nothing outlives the server.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Serves the requests of one keep-alive connection.
async fn connection(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let reply = {
            let mut state = state.lock().unwrap();
            let handled = state.handler.as_ref().map(|handler| handler(&request));
            state.requests.push(request);
            let n = state.requests.len();
            handled.unwrap_or_else(|| {
                state
                    .script
                    .pop_front()
                    .unwrap_or_else(|| Reply::ok(&format!("req-default-{n}")))
            })
        };
        if !answer(&mut stream, reply).await {
            return;
        }
    }
}

/// Reads one request head and its `Content-Length` body; `None` at the end of the connection.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        read_more(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let headers: HashMap<String, String> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        read_more(stream, buffer).await?;
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Recorded {
        method: head.split(' ').next().unwrap_or_default().to_owned(),
        headers,
        body,
        at: tokio::time::Instant::now(),
    })
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// Carries out `reply`; false when the connection is closed afterwards.
async fn answer(stream: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n",
                reason(status),
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Reply::CloseDelimited { status, body } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
            false
        }
        Reply::DropMidResponse => {
            let partial = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"Response\":{\"Total";
            let _ = stream.write_all(partial).await;
            let _ = stream.flush().await;
            false
        }
        Reply::Delay(delay, inner) => {
            tokio::time::sleep(delay).await;
            Box::pin(answer(stream, *inner)).await
        }
        Reply::InNextSecond(inner) => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            let next = Duration::from_secs(now.as_secs() + 1) + Duration::from_millis(50);
            tokio::time::sleep(next - now).await;
            Box::pin(answer(stream, *inner)).await
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        307 => "Temporary Redirect",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// Retries as by default, but with waits short enough for tests.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::new()
        .initial_backoff(Duration::from_millis(10))
        .throttling_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

/// A config for `url` with the test credentials, no proxy, an empty
/// environment and [`fast_retry`].
pub fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint(url)
        .no_proxy()
        .env(Env::from_map(Vec::<(String, String)>::new()))
        .retry(fast_retry())
}

pub fn new_client(config: ConfigBuilder) -> ServiceClient {
    ServiceClient::new(SERVICE, config.build().expect("valid config"))
}

/// Calls `action` untyped, as the tests do.
pub async fn call(
    client: &ServiceClient,
    action: &ActionInfo,
) -> Result<serde_json::Value, Error<String>> {
    client
        .call::<_, serde_json::Value, String>(action, &serde_json::json!({ "Limit": 10 }))
        .await
}

/// A server answering with `script`, and the result of one call of `action` to
/// it with [`config`]; the server is returned to count what it received.
pub async fn serve_and_call(
    script: Vec<Reply>,
    action: &ActionInfo,
) -> (FaultServer, Result<serde_json::Value, Error<String>>) {
    let server = FaultServer::start(script).await;
    let result = call(&new_client(config(&server.url)), action).await;
    (server, result)
}

/// Makes `n` calls of `action` at once, from clones of `client` (which share
/// its rate limiter); their results in order.
pub async fn call_at_once(
    client: &ServiceClient,
    action: &'static ActionInfo,
    n: usize,
) -> Vec<Result<serde_json::Value, Error<String>>> {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client, action).await })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in calls {
        results.push(task.await.expect("the call's task runs"));
    }
    results
}

/// The most requests that arrived within any window of `window`.
pub fn busiest_window(mut times: Vec<tokio::time::Instant>, window: Duration) -> usize {
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}
