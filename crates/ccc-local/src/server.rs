//! The HTTP side: one handler answering every action on the API 3.0 wire protocol.

use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Map, Value};

use crate::answer::{self, Members};
use crate::auth::Verifier;
use crate::clock::{Clock, imf_fixdate, new_request_id, unix_f64, unix_seconds};
use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::request::{self, Call, Seen};
use crate::spec::{ActionDef, Spec};
use crate::tasks::{self, Store};

/// The largest request body accepted: 10 MB, as the cloud documents.
pub const MAX_REQUEST_BYTES: usize = 10 * 1024 * 1024;

/// Everything the handler shares between requests.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) spec: &'static Spec,
    pub(crate) verifier: Verifier,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) rate_limit: bool,
    pub(crate) limiter: RateLimiter,
    pub(crate) store: RwLock<Store>,
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let request_id = new_request_id();
    let mut seen = Seen::default();
    let result = process(&shared, request, &mut seen).await;
    let (text, failure) = match result {
        Ok(members) => (answer::success(members, &request_id), None),
        Err(error) => (answer::failure(&error, &request_id), Some(error)),
    };
    tracing::info!(
        action = %seen.action.as_deref().unwrap_or("-"),
        sdk_app_id = %OrDash(seen.sdk_app_id),
        outcome = %failure.as_ref().map_or("Success", |error| error.code.as_str()),
        latency_ms = %Millis(started.elapsed()),
        request_id = %request_id,
        "request"
    );
    let mut http = Response::new(Body::from(text));
    *http.status_mut() = StatusCode::OK;
    let headers = http.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(date) = date_header(unix_seconds(shared.clock.now())) {
        headers.insert(header::DATE, date);
    }
    http
}

/// A number in the log, or `-` without one.
struct OrDash(Option<u64>);

impl fmt::Display for OrDash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("-"),
        }
    }
}

/// A duration in milliseconds with three decimals, without going through a float.
struct Millis(Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0.as_micros();
        write!(f, "{}.{:03}", micros / 1000, micros % 1000)
    }
}

/// The `Date` header for `unix_seconds`, written once per second per thread.
fn date_header(unix_seconds: i64) -> Option<HeaderValue> {
    thread_local! {
        static LAST: RefCell<Option<(i64, HeaderValue)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((seconds, value)) = &*last
            && *seconds == unix_seconds
        {
            return Some(value.clone());
        }
        let value = HeaderValue::from_str(&imf_fixdate(unix_seconds)).ok()?;
        *last = Some((unix_seconds, value.clone()));
        Some(value)
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
}

fn too_large() -> ApiError {
    ApiError::new(
        "RequestSizeLimitExceeded",
        format!("The request body is larger than the {MAX_REQUEST_BYTES}-byte limit."),
    )
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_REQUEST_BYTES as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(e) => Err(ApiError::new(
            "InvalidRequest",
            format!("The request body could not be read: {e}."),
        )),
    }
}

async fn process(shared: &Shared, request: Request, seen: &mut Seen) -> Result<Members, ApiError> {
    let (parts, body) = request.into_parts();
    seen.action = header_text(&parts.headers, "x-tc-action");
    let body = read_body(&parts.headers, body).await?;
    // `now` is the request's time: for the signature check and for the actions.
    let now = unix_seconds(shared.clock.now());
    let Call {
        def,
        input,
        secret_id,
    } = request::read(shared, &parts, &body, now, seen)?;
    let spec = shared.spec;

    if shared.rate_limit {
        let key = seen.sdk_app_id.map_or(secret_id, |id| id.to_string());
        let now = unix_f64(shared.clock.now());
        if !shared
            .limiter
            .try_acquire(def.name, &key, def.rate_limit_per_second, now)
        {
            return Err(ApiError::new(
                "RequestLimitExceeded",
                format!(
                    "Calls to {} for `{key}` exceeded the limit of {} per second; slow down and retry.",
                    def.name, def.rate_limit_per_second
                ),
            ));
        }
    }

    // A page of tasks is written under the read lock, from the store itself;
    // the other answers are small maps.
    match def.name {
        "DescribeAutoCalloutTasks" => tasks::list(&shared.read(), &input),
        "CreateAutoCalloutTask" => {
            tasks::create(&mut shared.write(), &input, now).map(Members::from)
        }
        "DescribeAutoCalloutTask" => {
            tasks::describe(def, &shared.read(), &input).map(Members::from)
        }
        "PauseAutoCalloutTask" => {
            tasks::change_state(spec, def, &mut shared.write(), &input, tasks::PAUSE)
                .map(Members::from)
        }
        "ResumeAutoCalloutTask" => {
            tasks::change_state(spec, def, &mut shared.write(), &input, tasks::RESUME)
                .map(Members::from)
        }
        "StopAutoCalloutTask" => {
            tasks::change_state(spec, def, &mut shared.write(), &input, tasks::STOP)
                .map(Members::from)
        }
        _ => crate::stateful_actions::route(def, &shared.store, &input, now)
            .unwrap_or_else(|| example_response(def))
            .map(Members::from),
    }
}

impl Shared {
    // A panic cannot leave the store half-changed (every change is one
    // insert), so a poisoned lock is still good to use.
    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The first example response of the spec, for actions the emulator keeps no state for.
fn example_response(def: &ActionDef) -> Result<Map<String, Value>, ApiError> {
    let Some(Value::Object(example)) = def.examples.first().map(|e| e.response.value()) else {
        return Err(ApiError::new(
            "InternalError",
            format!("The spec has no example response for {}.", def.name),
        ));
    };
    let mut example = example.clone();
    example.remove("RequestId");
    Ok(example)
}
