//! Sending one action: sign, POST, unwrap the `{"Response": ...}` envelope.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::error::{Error, ErrorCode, ServiceError, excerpt};
use crate::retry::{Class, classify_code};
use crate::sign::{SigningParams, sign};

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
    /// The service's per-account limit, in calls per second.
    pub rate_limit_per_second: u32,
}

/// Sends actions of one service. Generated clients wrap it; cloning is cheap.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: ServiceInfo,
    config: Config,
    endpoint: String,
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

impl ServiceClient {
    /// A client for `service` configured by `config`.
    pub fn new(service: ServiceInfo, config: Config) -> Self {
        let endpoint = config.endpoint_for(service.name, service.default_host);
        ServiceClient { inner: Arc::new(Inner { service, config, endpoint }) }
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Calls `action` with `input` and decodes the answer's `Response` object as `O`.
    pub async fn call<I, O, C>(&self, action: &ActionInfo, input: &I) -> Result<O, Error<C>>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
        C: ErrorCode,
    {
        let payload = serde_json::to_vec(input)
            .map_err(|e| Error::InvalidRequest { message: format!("cannot encode the request: {e}") })?;
        let result = self.attempt::<O, C>(action, &payload).await;
        match result {
            Err(Error::Service(e)) if classify_code(e.code.as_str()) == Class::Throttling => Err(Error::Throttled(e)),
            other => other,
        }
    }

    /// One signed attempt.
    async fn attempt<O, C>(&self, action: &ActionInfo, payload: &[u8]) -> Result<O, Error<C>>
    where
        O: DeserializeOwned,
        C: ErrorCode,
    {
        let inner = &*self.inner;
        let config = &inner.config;
        let credentials = config.credentials.provide().await.map_err(Error::Credentials)?;
        let host = host_of(&inner.endpoint);
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_secs() as i64;
        let signed = sign(&SigningParams {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type: CONTENT_TYPE,
            payload,
            unsigned_payload: false,
            timestamp,
            service: inner.service.name,
            secret_id: credentials.secret_id(),
            secret_key: credentials.secret_key(),
        });

        let mut request = config
            .http
            .post(&inner.endpoint)
            .header("Content-Type", CONTENT_TYPE)
            .header("Host", host)
            .header("Authorization", signed.authorization)
            .header("X-TC-Action", action.name)
            .header("X-TC-Version", inner.service.version)
            .header("X-TC-Timestamp", timestamp.to_string())
            .body(payload.to_vec());
        if let Some(region) = &config.region {
            request = request.header("X-TC-Region", region);
        }
        if let Some(token) = credentials.token() {
            request = request.header("X-TC-Token", token);
        }
        if let Some(language) = config.language {
            request = request.header("X-TC-Language", language.as_str());
        }
        if let Some(timeout) = config.attempt_timeout {
            request = request.timeout(timeout);
        }

        let response = request.send().await.map_err(|e| transport(e, config.attempt_timeout))?;
        let status = response.status().as_u16();
        let body = read_limited(response, config.max_response_bytes, config.attempt_timeout).await?;
        decode_envelope(status, &body)
    }
}

/// The `Host` header for an endpoint URL: its authority, port included when given.
fn host_of(endpoint: &str) -> &str {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

fn transport<C>(error: reqwest::Error, timeout: Option<Duration>) -> Error<C> {
    if error.is_timeout() {
        return Error::Timeout { after: timeout.unwrap_or_default() };
    }
    Error::Transport { message: error.to_string(), source: Box::new(error) }
}

/// Reads the body, refusing to buffer more than `limit` bytes.
async fn read_limited<C>(mut response: reqwest::Response, limit: usize, timeout: Option<Duration>) -> Result<Vec<u8>, Error<C>> {
    if response.content_length().is_some_and(|len| len > limit as u64) {
        return Err(Error::ResponseTooLarge { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(e, timeout))? {
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Unwraps `{"Response": {...}}` into `O`, or into the service error it carries.
pub(crate) fn decode_envelope<O, C>(status: u16, body: &[u8]) -> Result<O, Error<C>>
where
    O: DeserializeOwned,
    C: ErrorCode,
{
    let not_envelope = |message: String| {
        if (200..300).contains(&status) {
            Error::Decode { message, path: String::new(), body_excerpt: excerpt(body) }
        } else {
            Error::UnexpectedStatus { status, body_excerpt: excerpt(body) }
        }
    };
    let mut envelope: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| not_envelope(format!("not JSON: {e}")))?;
    let Some(response) = envelope.get_mut("Response").map(serde_json::Value::take) else {
        return Err(not_envelope("no `Response` object".to_owned()));
    };
    let request_id = response.get("RequestId").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    if let Some(error) = response.get("Error") {
        let field = |name: &str| error.get(name).and_then(|v| v.as_str());
        let Some(code) = field("Code") else {
            return Err(Error::Decode {
                message: "`Response.Error` has no string `Code`".to_owned(),
                path: "Error.Code".to_owned(),
                body_excerpt: excerpt(body),
            });
        };
        return Err(Error::Service(ServiceError {
            code: C::from_code(code),
            message: field("Message").unwrap_or_default().to_owned(),
            request_id,
        }));
    }
    if !(200..300).contains(&status) {
        return Err(Error::UnexpectedStatus { status, body_excerpt: excerpt(body) });
    }
    serde_path_to_error::deserialize(response).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
        body_excerpt: excerpt(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Answer {
        #[serde(rename = "Count")]
        count: u64,
    }

    #[test]
    fn host_keeps_the_port() {
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(host_of("https://ccc.tencentcloudapi.com/"), "ccc.tencentcloudapi.com");
    }

    #[test]
    fn success_envelope_decodes() {
        let answer: Answer = decode_envelope::<_, String>(200, br#"{"Response":{"Count":3,"RequestId":"r"}}"#).unwrap();
        assert_eq!(answer.count, 3);
    }

    #[test]
    fn error_envelope_becomes_service_error() {
        let err = decode_envelope::<Answer, String>(
            200,
            br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r-1"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.code().map(String::as_str), Some("InvalidParameter"));
        assert_eq!(err.request_id(), Some("r-1"));
        assert_eq!(err.to_string(), "InvalidParameter: bad (request id r-1)");
    }

    #[test]
    fn wrong_type_names_the_path() {
        let err = decode_envelope::<Answer, String>(200, br#"{"Response":{"Count":"x"}}"#).unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "Count"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn html_error_page_is_unexpected_status() {
        let err = decode_envelope::<Answer, String>(502, b"<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(err, Error::UnexpectedStatus { status: 502, .. }), "{err:?}");
    }
}
