//! Sending one action: pace, sign, POST, unwrap the `{"Response": ...}`
//! envelope, and repeat what is worth repeating.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{self, HeaderName, HeaderValue};
use serde::Serialize;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

use crate::clock::parse_http_date;
use crate::config::Config;
use crate::de::Reader;
use crate::error::{Error, ErrorCode};
use crate::options::{CallOptions, Settings};
use crate::retry::{Class, classify};
use crate::sign::{SigningParams, authorization_header};

/// A service's identity: what goes into the host, the signature and `X-TC-Version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Short name, e.g. `ccc`.
    pub name: &'static str,
    /// API version, e.g. `2020-02-10`.
    pub version: &'static str,
    /// Default host, e.g. `ccc.tencentcloudapi.com`.
    pub default_host: &'static str,
}

/// What the runtime needs to know about one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    /// Wire name, sent in `X-TC-Action`.
    pub name: &'static str,
    /// True when the action only reads, so an attempt that may have reached the service can be repeated.
    pub read_only: bool,
    /// The service's per-account limit, in calls per second (0 when unknown: not paced).
    pub rate_limit_per_second: u32,
    /// True when a successful answer carries a secret (a password, a login token, credentials):
    /// errors then quote nothing of the answer's body (see [`Error::withhold_body`]).
    pub sensitive_output: bool,
}

/// Sends actions of one service. Generated clients wrap it; cloning is cheap.
///
/// Clones share the connection pool, the credentials cache, the rate limiter
/// and the clock correction; so do clients built from clones of one [`Config`].
///
/// Every call is traced with a `tencentcloud.call` span (fields `service`,
/// `action`, then `attempts` and `outcome`) holding one `tencentcloud.attempt`
/// span per attempt (`attempt`, then `request_id`, `latency_ms`, `outcome`).
/// Neither ever records a secret key, a token or a signature.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: ServiceInfo,
    config: Config,
    endpoint: String,
    /// `endpoint` parsed once, so that an attempt clones it instead of
    /// parsing the text again (with IDNA) on every request. `None` if it does
    /// not parse; reqwest then refuses the text itself, with its own error.
    url: Option<reqwest::Url>,
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish()
    }
}

const CONTENT_TYPE: &str = "application/json";

// The API's own headers (names are case-insensitive; `http` keeps them lower-case).
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");

/// A call waits for the rate limiter only if it would still have this
/// fraction (one over it) of its operation timeout left when sent.
const SEND_HEADROOM_DIVISOR: u32 = 4;

/// The code the service answers when `X-TC-Timestamp` is too far from its clock.
const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";

/// Decodes the `Response` object of an answer as the caller's output type and
/// keeps it where the caller can take it: the only part of a call that
/// depends on the action's output type (see [`crate::envelope::decode_into`]).
type Decode<'a> = dyn for<'de> FnMut(&mut Reader<'de>) -> crate::de::Result<()> + Send + 'a;

/// The request's JSON body; refuses a NaN or infinite number, naming its path.
fn encode<I: Serialize + ?Sized>(input: &I) -> Result<Bytes, Error> {
    if let Some(path) = crate::finite::non_finite_path(input) {
        return Err(Error::InvalidRequest {
            message: format!(
                "`{path}` is NaN or infinite, which JSON cannot carry; the request was not sent"
            ),
        });
    }
    serde_json::to_vec(input)
        .map(Bytes::from)
        .map_err(|e| Error::InvalidRequest {
            message: format!("cannot encode the request: {e}"),
        })
}

/// A failed attempt, with what the retry loop needs to judge it.
struct Failure {
    error: Error,
    /// False only when the request certainly never reached the service
    /// (no connection was established), so even a write can be repeated.
    may_have_reached: bool,
    /// The service's clock, from the answer's `Date` header, when it answered.
    server_time: Option<i64>,
}

impl Failure {
    fn not_sent(error: Error) -> Self {
        Failure {
            error,
            may_have_reached: false,
            server_time: None,
        }
    }
}

impl ServiceClient {
    /// A client for `service` configured by `config`.
    pub fn new(service: ServiceInfo, config: Config) -> Self {
        let endpoint = config.endpoint_for(service.name, service.default_host);
        let url = reqwest::Url::parse(&endpoint).ok();
        ServiceClient {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                url,
            }),
        }
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls `action` with `input` and decodes the answer's `Response` object as `O`.
    ///
    /// Waits for the rate limiter, then makes up to
    /// [`RetryConfig::max_attempts`](crate::RetryConfig::max_attempts)
    /// attempts, each signed afresh (current credentials, current timestamp),
    /// as [`crate::retry`] describes. After `AuthFailure.SignatureExpire` it
    /// corrects the clock from the answer's `Date` header and tries once more.
    /// Throttling that outlasts the retries ends in [`Error::Throttled`].
    pub async fn call<I, O, C>(&self, action: &ActionInfo, input: &I) -> Result<O, Error<C>>
    where
        I: Serialize + ?Sized,
        O: crate::de::Decode + Send,
        C: ErrorCode,
    {
        self.call_with(action, input, &CallOptions::default()).await
    }

    /// [`call`](Self::call), with `options` overriding the configured timeouts and retries.
    pub async fn call_with<I, O, C>(
        &self,
        action: &ActionInfo,
        input: &I,
        options: &CallOptions,
    ) -> Result<O, Error<C>>
    where
        I: Serialize + ?Sized,
        O: crate::de::Decode + Send,
        C: ErrorCode,
    {
        // Only encoding and decoding depend on the action's types, and of
        // decoding only the call to `O::decode`. Everything else
        // (pacing, signing, retries, tracing, the envelope) is compiled once,
        // in this crate, instead of once per action: with a whole service's
        // actions that is most of the generated crate's build time.
        let payload = encode(input);
        let mut output = None;
        let mut decode = |response: &mut Reader<'_>| {
            output = Some(O::decode(response)?);
            Ok(())
        };
        self.send_encoded(action, payload, options, &mut decode)
            .await
            .map_err(Error::map_code)?;
        output.ok_or_else(|| crate::envelope::never_decoded().map_code())
    }

    /// [`send`](Self::send) for an encoded request, boxed: the future of
    /// [`call_with`](Self::call_with), compiled once per action, then only
    /// holds a pointer to it.
    fn send_encoded<'a>(
        &'a self,
        action: &'a ActionInfo,
        payload: Result<Bytes, Error>,
        options: &'a CallOptions,
        decode: &'a mut Decode<'_>,
    ) -> crate::BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let payload = payload?;
            let settings = options.resolve(&self.inner.config);
            self.send(action, &payload, &settings, decode).await
        })
    }

    /// Paces, signs, sends and retries one call; `decode` turns the `Response`
    /// object of a successful answer into the caller's type.
    async fn send(
        &self,
        action: &ActionInfo,
        payload: &Bytes,
        settings: &Settings<'_>,
        decode: &mut Decode<'_>,
    ) -> Result<(), Error> {
        let span = tracing::info_span!(
            "tencentcloud.call",
            service = self.inner.service.name,
            action = action.name,
            attempts = Empty,
            outcome = Empty,
        );
        // Counted outside `run` so that it survives `run` being cut short by the deadline.
        let attempts = AtomicU32::new(0);
        let call = async {
            match settings.operation_timeout {
                // The deadline also covers what `run` cannot cut short itself:
                // waiting for the rate limiter or for credentials.
                Some(limit) => {
                    let deadline = Instant::now() + limit;
                    tokio::time::timeout_at(
                        deadline,
                        self.run(action, payload, settings, Some(deadline), &attempts, decode),
                    )
                    .await
                    .unwrap_or(Err(Error::Timeout { after: limit }))
                }
                None => {
                    self.run(action, payload, settings, None, &attempts, decode)
                        .await
                }
            }
        };
        let result = call.instrument(span.clone()).await;
        span.record("attempts", attempts.load(Ordering::Relaxed));
        span.record("outcome", outcome(&result));
        result
    }

    /// The retry loop.
    async fn run(
        &self,
        action: &ActionInfo,
        payload: &Bytes,
        settings: &Settings<'_>,
        deadline: Option<Instant>,
        attempts: &AtomicU32,
        decode: &mut Decode<'_>,
    ) -> Result<(), Error> {
        let config = &self.inner.config;
        let retry = &*settings.retry;
        // Failed attempts counted against `max_attempts`; the clock correction is not one.
        let mut failures = 0u32;
        let mut clock_corrected = false;
        // The error of the latest failed attempt, returned if a retry cannot get its turn in time.
        let mut last_error: Option<Error> = None;
        // The latest a call may leave the rate limiter's queue: sent later,
        // it would have too little time left to be answered.
        let send_by = deadline.map(|deadline| {
            let headroom = settings
                .operation_timeout
                .map_or(Duration::ZERO, |limit| limit / SEND_HEADROOM_DIVISOR);
            deadline.checked_sub(headroom).unwrap_or(deadline)
        });
        loop {
            // Retries pass the limiter too: they count against the same quota.
            let paced = config
                .shared
                .limiter
                .acquire(
                    self.inner.service.name,
                    action.name,
                    action.rate_limit_per_second,
                    send_by,
                )
                .await;
            if let Err(past) = paced {
                return Err(match last_error {
                    Some(error) => finish(error),
                    None => Error::RateLimited {
                        action: action.name,
                        wait: past.wait,
                    },
                });
            }
            let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
            let span = tracing::info_span!(
                "tencentcloud.attempt",
                attempt,
                request_id = Empty,
                latency_ms = Empty,
                outcome = Empty,
            );
            let started = Instant::now();
            let result = self
                .attempt(action, payload, settings, deadline, &mut *decode)
                .instrument(span.clone())
                .await;
            span.record(
                "latency_ms",
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            let failure = match result {
                Ok(()) => {
                    span.record("outcome", "ok");
                    return Ok(());
                }
                Err(failure) => failure,
            };

            if !clock_corrected
                && let Some(server_time) = failure.server_time
                && failure
                    .error
                    .code()
                    .is_some_and(|code| code.as_str() == SIGNATURE_EXPIRE)
            {
                // The service rejected the signature without acting, so even a
                // write may be repeated; once, since a second refusal means the
                // problem is not the clock.
                clock_corrected = true;
                match config.shared.clock.correct_to(server_time) {
                    Ok(offset) => {
                        span.record("outcome", "clock_skew");
                        tracing::warn!(
                            parent: &span,
                            offset_seconds = offset,
                            "the local clock differs from the service's; signing with the service's time from now on"
                        );
                        last_error = Some(failure.error);
                        continue;
                    }
                    Err(offset) => {
                        // A `Date` this far off is not a clock to trust: keep
                        // the local one and report the service's refusal.
                        tracing::warn!(
                            parent: &span,
                            offset_seconds = offset,
                            "the service's Date differs from the local clock by more than the accepted bound; not corrected"
                        );
                    }
                }
            }

            let class = classify(&failure.error);
            span.record("outcome", class_name(class));
            failures += 1;
            if failures >= retry.max_attempts
                || !retry.allows(class, failure.may_have_reached, action.read_only)
            {
                return Err(finish(failure.error));
            }
            let delay = retry.backoff(failures, class);
            if deadline.is_some_and(|deadline| Instant::now() + delay >= deadline) {
                // The retry could not even start in time: the real failure says more than a timeout.
                return Err(finish(failure.error));
            }
            tracing::debug!(
                parent: &span,
                error = %failure.error,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "attempt failed; retrying"
            );
            tokio::time::sleep(delay).await;
            last_error = Some(failure.error);
        }
    }

    /// One signed attempt.
    async fn attempt(
        &self,
        action: &ActionInfo,
        payload: &Bytes,
        settings: &Settings<'_>,
        deadline: Option<Instant>,
        decode: &mut Decode<'_>,
    ) -> Result<(), Failure> {
        let inner = &*self.inner;
        let config = &inner.config;
        // Asked on every attempt so that expiring credentials are replaced
        // between retries (a caching provider makes this cheap).
        let credentials = config
            .credentials
            .provide()
            .await
            .map_err(|e| Failure::not_sent(Error::Credentials(e)))?;
        check_header_safe(&credentials).map_err(|e| Failure::not_sent(Error::Credentials(e)))?;
        let host = host_of(&inner.endpoint);
        let timestamp = config.shared.clock.now();
        // Only STS's AssumeRoleWithWebIdentity goes unsigned, as Tencent's SDKs send it.
        let authorization = if config.unsigned {
            "SKIP".to_owned()
        } else {
            authorization_header(&SigningParams {
                method: "POST",
                host,
                path: "/",
                query: "",
                content_type: CONTENT_TYPE,
                payload: payload.as_ref(),
                unsigned_payload: false,
                timestamp,
                service: inner.service.name,
                secret_id: credentials.secret_id(),
                secret_key: credentials.secret_key(),
            })
        };

        let request = match &inner.url {
            Some(url) => config.http.post(url.clone()),
            None => config.http.post(&inner.endpoint),
        };
        // Header names as constants: reqwest would otherwise parse each name
        // from text on every attempt.
        let mut request = request
            .header(header::CONTENT_TYPE, CONTENT_TYPE)
            .header(header::HOST, host)
            .header(header::AUTHORIZATION, authorization)
            .header(X_TC_ACTION, action.name)
            .header(X_TC_VERSION, inner.service.version)
            .header(X_TC_TIMESTAMP, HeaderValue::from(timestamp))
            .header(X_TC_REQUEST_CLIENT, &config.request_client)
            // A reference-counted handle: each attempt sends the same bytes without copying them.
            .body(payload.clone());
        if let Some(region) = &config.region {
            request = request.header(X_TC_REGION, region);
        }
        if let Some(token) = credentials.token() {
            request = request.header(X_TC_TOKEN, token);
        }
        if let Some(language) = config.language {
            request = request.header(X_TC_LANGUAGE, language.as_str());
        }
        let limit = attempt_limit(settings, deadline);
        if let Some(timeout) = limit.timeout {
            request = request.timeout(timeout);
        }

        let response = request
            .send()
            .await
            .map_err(|e| transport(e, config, limit.reported))?;
        let status = response.status().as_u16();
        let server_time = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_http_date);
        // From here on the service has answered, so it may have acted.
        let answered = |error| Failure {
            error,
            may_have_reached: true,
            server_time,
        };
        let body = match read_limited(response, config.max_response_bytes).await {
            Ok(body) => body,
            Err(ReadError::TooLarge) => {
                return Err(answered(Error::ResponseTooLarge {
                    limit: config.max_response_bytes,
                }));
            }
            Err(ReadError::Http(e)) => {
                let mut failure = transport(e, config, limit.reported);
                failure.server_time = server_time;
                return Err(failure);
            }
        };
        // The `Content-Type` is not checked: the body is judged by what it is.
        // A proxy or gateway that mislabels the service's JSON must not turn an
        // action that was carried out into an error; an answer that is not the
        // API's envelope fails to decode anyway.
        let (result, request_id) = crate::envelope::decode_into(status, &body, decode);
        if !request_id.is_empty() {
            tracing::Span::current().record("request_id", request_id.as_str());
        }
        // Before the error is logged or returned: it must not quote a secret of the answer.
        let result = if action.sensitive_output {
            result.map_err(Error::withhold_body)
        } else {
            result
        };
        result.map_err(answered)
    }
}

/// Refuses credentials that cannot travel in a header (a control character
/// would end the header early or forge another), before anything is sent.
fn check_header_safe(credentials: &crate::Credentials) -> Result<(), crate::CredentialsError> {
    let bad = |value: &str| value.chars().any(|c| c.is_control());
    if bad(credentials.secret_id()) {
        return Err(crate::CredentialsError::invalid(
            "credentials",
            "the SecretId contains a control character and cannot be sent in `Authorization`",
        ));
    }
    if credentials.token().is_some_and(bad) {
        return Err(crate::CredentialsError::invalid(
            "credentials",
            "the session token contains a control character and cannot be sent in `X-TC-Token`",
        ));
    }
    Ok(())
}

/// The timeout of one attempt, and the limit to report when it fires.
struct AttemptLimit {
    timeout: Option<Duration>,
    reported: Duration,
}

/// The attempt's own timeout, cut short by the operation's deadline.
fn attempt_limit(settings: &Settings<'_>, deadline: Option<Instant>) -> AttemptLimit {
    let own = settings.attempt_timeout;
    let remaining = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
    match (own, remaining) {
        (Some(own), Some(remaining)) if remaining < own => AttemptLimit {
            timeout: Some(remaining),
            reported: settings.operation_timeout.unwrap_or(remaining),
        },
        (Some(own), _) => AttemptLimit {
            timeout: Some(own),
            reported: own,
        },
        (None, Some(remaining)) => AttemptLimit {
            timeout: Some(remaining),
            reported: settings.operation_timeout.unwrap_or(remaining),
        },
        (None, None) => AttemptLimit {
            timeout: None,
            reported: Duration::ZERO,
        },
    }
}

/// Turns the last failure into the error returned: throttling that retries
/// did not get past becomes [`Error::Throttled`].
fn finish(error: Error) -> Error {
    match error {
        Error::Service(e) if crate::retry::classify_code(&e.code) == Class::Throttling => {
            Error::Throttled(e)
        }
        other => other,
    }
}

fn class_name(class: Class) -> &'static str {
    match class {
        Class::Throttling => "throttled",
        Class::Transient => "transient_error",
        Class::Permanent => "permanent_error",
    }
}

/// A short word for the `outcome` field of the call span.
fn outcome<O, C>(result: &Result<O, Error<C>>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Service(_)) => "service_error",
        Err(Error::Throttled(_)) => "throttled",
        Err(Error::InvalidRequest { .. }) => "invalid_request",
        Err(Error::Credentials(_)) => "credentials_error",
        Err(Error::RateLimited { .. }) => "rate_limited",
        Err(Error::Timeout { .. }) => "timeout",
        Err(Error::Transport { .. }) => "transport_error",
        Err(Error::UnexpectedStatus { .. }) => "unexpected_status",
        Err(Error::Decode { .. }) => "decode_error",
        Err(Error::ResponseTooLarge { .. }) => "response_too_large",
        Err(Error::Unimplemented { .. }) => "unimplemented",
    }
}

/// The `Host` header for an endpoint URL: its authority, port included when given.
fn host_of(endpoint: &str) -> &str {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Judges a reqwest failure: whether the request may have reached the
/// service, and whether it was a timeout (`reported` being the limit that fired).
fn transport(error: reqwest::Error, config: &Config, reported: Duration) -> Failure {
    // A failure to connect means nothing was sent; anything later may have
    // been received and acted on even though no answer came back.
    let connect = error.is_connect();
    let error = if error.is_timeout() {
        let after = if connect {
            config.connect_timeout.unwrap_or(reported)
        } else {
            reported
        };
        Error::Timeout { after }
    } else {
        Error::Transport {
            message: describe(&error),
            source: Box::new(error),
        }
    };
    Failure {
        error,
        may_have_reached: !connect,
        server_time: None,
    }
}

/// reqwest's message with its innermost cause, which says what actually
/// happened ("Connection refused", "connection closed before message completed").
fn describe(error: &reqwest::Error) -> String {
    let mut root: &dyn std::error::Error = error;
    while let Some(source) = root.source() {
        root = source;
    }
    let (outer, inner) = (error.to_string(), root.to_string());
    if std::ptr::addr_eq(root, error) || outer.contains(&inner) {
        outer
    } else {
        format!("{outer}: {inner}")
    }
}

enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

/// Reads the body, refusing to buffer more than `limit` bytes: a declared
/// length over the limit is refused before reading anything, and an
/// undeclared one as soon as the limit is passed.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(ReadError::TooLarge);
    }
    // Room for the declared length up front (within the limit), so the body is copied once.
    let declared = response
        .content_length()
        .map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit));
    let mut body = Vec::with_capacity(declared);
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Http)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keeps_the_port() {
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(
            host_of("https://ccc.tencentcloudapi.com/"),
            "ccc.tencentcloudapi.com"
        );
    }
}
