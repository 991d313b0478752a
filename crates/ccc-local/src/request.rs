//! Reading a call off the wire, in any of the forms Tencent's clients send:
//!
//! | form | action and version | parameters | signature |
//! |---|---|---|---|
//! | TC3 `POST` | `X-TC-Action`, `X-TC-Version` headers | JSON body | TC3-HMAC-SHA256 `Authorization` |
//! | TC3 `GET` | the same headers | the query string, flattened | the same, over the query |
//! | older `POST` | `Action`, `Version` parameters | form-encoded body, flattened | `Signature` parameter, `HmacSHA1`/`HmacSHA256` ([`crate::legacy_sign`]) |
//! | older `GET` | the same parameters | the query string, flattened | the same |
//!
//! A request without an `Authorization` header that is a `GET` or has a
//! form-encoded body is of the older kind; anything else is checked as TC3.
//! Flattened parameters are typed by the spec ([`crate::form_params`]), so
//! every form then goes through the same validation.

use std::borrow::Cow;

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use serde_json::{Map, Value};

use crate::auth::SignedRequest;
use crate::error::ApiError;
use crate::form_params;
use crate::legacy_sign::LegacyRequest;
use crate::server::Shared;
use crate::spec::ActionDef;

const FORM: &str = "application/x-www-form-urlencoded";

/// A header's value, trimmed; borrowed unless it is not UTF-8.
fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<Cow<'h, str>> {
    headers
        .get(name)
        .map(|v| match String::from_utf8_lossy(v.as_bytes()) {
            Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
            Cow::Owned(text) => Cow::Owned(text.trim().to_owned()),
        })
}

fn content_type(headers: &HeaderMap) -> Cow<'_, str> {
    match header_text(headers, "content-type") {
        Some(text) if text.bytes().any(|b| b.is_ascii_uppercase()) => {
            Cow::Owned(text.to_ascii_lowercase())
        }
        Some(text) => text,
        None => Cow::Borrowed(""),
    }
}

fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().map_or("", str::trim)
}

fn missing_header(name: &str, header: &str) -> ApiError {
    ApiError::new(
        "MissingParameter",
        format!(
            "The request is missing a required parameter `{name}` (header {header} with a TC3-HMAC-SHA256 \
             signature, or parameter `{name}` with HmacSHA1/HmacSHA256)."
        ),
    )
}

/// A call read and checked: its action and its parameters as JSON, validated
/// against the spec.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) def: &'static ActionDef,
    pub(crate) input: Value,
    /// The SecretId the call was signed with.
    pub(crate) secret_id: String,
}

/// What the log line knows of a request even when it fails.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub(crate) action: Option<String>,
    pub(crate) sdk_app_id: Option<u64>,
}

/// Reads, authenticates and validates one call at server time `now`.
pub(crate) fn read(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    now: i64,
    seen: &mut Seen,
) -> Result<Call, ApiError> {
    if parts.method != Method::POST && parts.method != Method::GET {
        return Err(ApiError::new(
            "UnsupportedProtocol",
            format!(
                "The method {} is not supported; send a POST (JSON body with TC3-HMAC-SHA256, or a \
                 form-encoded body with HmacSHA1/HmacSHA256) or a GET with the parameters in the query.",
                parts.method
            ),
        ));
    }
    let headers = &parts.headers;
    let content_type = content_type(headers);
    let legacy = !headers.contains_key("authorization")
        && (parts.method == Method::GET || media_type(&content_type) == FORM);
    let input = if legacy {
        read_legacy(shared, parts, body, now, seen)?
    } else {
        read_tc3(shared, parts, body, &content_type, now, seen)?
    };
    let (def, input, secret_id) = input;
    seen.sdk_app_id = input.get("SdkAppId").and_then(Value::as_u64);
    shared.spec.validate_input(def, &input)?;
    Ok(Call {
        def,
        input,
        secret_id,
    })
}

/// The action of the spec for `version` and `action`: `NoSuchVersion`, then `InvalidAction`.
fn action_def(
    shared: &Shared,
    version: &str,
    action: &str,
) -> Result<&'static ActionDef, ApiError> {
    let spec = shared.spec;
    if version != spec.version {
        return Err(ApiError::new(
            "NoSuchVersion",
            format!(
                "The API version `{version}` does not exist for {}; use `{}`.",
                spec.service, spec.version
            ),
        ));
    }
    spec.action(action).ok_or_else(|| {
        ApiError::new(
            "InvalidAction",
            format!(
                "The action `{action}` does not exist for {} {}.",
                spec.service, spec.version
            ),
        )
    })
}

fn read_tc3(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    content_type: &str,
    now: i64,
    seen: &mut Seen,
) -> Result<(&'static ActionDef, Value, String), ApiError> {
    let headers = &parts.headers;
    let action = header_text(headers, "x-tc-action")
        .ok_or_else(|| missing_header("Action", "X-TC-Action"))?;
    seen.action = Some(action.to_string());
    let version = header_text(headers, "x-tc-version")
        .ok_or_else(|| missing_header("Version", "X-TC-Version"))?;
    if !headers.contains_key("x-tc-timestamp") {
        return Err(missing_header("Timestamp", "X-TC-Timestamp"));
    }
    let query = parts.uri.query().unwrap_or("");
    let signed = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query,
        headers,
        body,
    };
    let secret_id = shared.verifier.verify(&signed, now)?;
    let def = action_def(shared, &version, &action)?;

    if parts.method == Method::GET {
        let pairs = form_params::decode(query.as_bytes());
        return Ok((
            def,
            form_params::to_json(shared.spec, def, &pairs)?,
            secret_id,
        ));
    }
    if media_type(content_type) != "application/json" {
        return Err(ApiError::new(
            "InvalidRequest",
            format!(
                "The Content-Type `{content_type}` is not supported with TC3-HMAC-SHA256 over POST; send application/json."
            ),
        ));
    }
    let input = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::new(
                "InvalidRequest",
                format!("The request body is not valid JSON: {e}."),
            )
        })?
    };
    Ok((def, input, secret_id))
}

fn read_legacy(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    now: i64,
    seen: &mut Seen,
) -> Result<(&'static ActionDef, Value, String), ApiError> {
    let params = if parts.method == Method::GET {
        form_params::decode(parts.uri.query().unwrap_or("").as_bytes())
    } else {
        form_params::decode(body)
    };
    seen.action = params
        .iter()
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.clone());
    let host = header_text(&parts.headers, "host").unwrap_or_default();
    let request = LegacyRequest {
        method: parts.method.as_str(),
        host: &host,
        path: parts.uri.path(),
        params: &params,
    };
    let call = shared.verifier.verify_legacy(&request, now)?;
    let def = action_def(shared, &call.version, &call.action)?;
    let input = form_params::to_json(shared.spec, def, &call.params)?;
    Ok((def, input, call.secret_id))
}
