//! TC3-HMAC-SHA256 verification, as the cloud does it.
//!
//! The verifier recomputes the signature with the steps of
//! [`tencentcloud_runtime::sign`], over exactly the headers the request's
//! `SignedHeaders` lists (Tencent's SDKs sign `content-type;host`, Tencent's
//! documentation also signs `x-tc-action`; any set containing `content-type`
//! and `host` is honoured), each header name and value trimmed and lowercased.
//!
//! The checks, in order, and the code each failure gets:
//!
//! | check | code |
//! | --- | --- |
//! | `Authorization` present and of the form `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`, signing `content-type` and `host` | `AuthFailure.InvalidAuthorization` |
//! | `X-TC-Timestamp` an integer | `InvalidParameter` |
//! | the SecretId is configured | `AuthFailure.SecretIdNotFound` |
//! | the timestamp within [`MAX_SKEW_SECONDS`] of the server's clock | `AuthFailure.SignatureExpire` |
//! | every signed header present, scope date = UTC date of the timestamp, scope service = the service, signature equal | `AuthFailure.SignatureFailure` |
//! | `X-TC-Token`, when sent, accepted by the [`TokenPolicy`] | `AuthFailure.TokenFailure` |

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use axum::http::HeaderMap;
use tencentcloud_runtime::sign::{
    ALGORITHM, UNSIGNED_PAYLOAD, canonical_request, canonical_request_digest, credential_scope,
    hex_digest, payload_hash, signature_digest, signing_key, utc_date,
};

use crate::error::ApiError;

/// How far `X-TC-Timestamp` may be from the server's clock, either way: five minutes.
pub const MAX_SKEW_SECONDS: i64 = 300;

/// What to do with `X-TC-Token`, the session token of temporary credentials.
///
/// The emulator cannot check a token against an STS service, so by default
/// it refuses every request that carries one (`AuthFailure.TokenFailure`):
/// a test that forgets to clear temporary credentials notices. Requests
/// without a token are unaffected by the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TokenPolicy {
    /// Any request carrying `X-TC-Token` fails with `AuthFailure.TokenFailure` (the default).
    #[default]
    Reject,
    /// Any token is accepted, as long as the signature is right.
    AcceptAny,
    /// Only these tokens are accepted.
    AcceptOnly(Vec<String>),
}

/// Checks signatures against a set of configured key pairs.
#[derive(Clone)]
pub struct Verifier {
    keys: HashMap<String, String>,
    token_policy: TokenPolicy,
    service: String,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        // Never the secret keys.
        f.debug_struct("Verifier")
            .field("secret_ids", &ids)
            .field("token_policy", &self.token_policy)
            .field("service", &self.service)
            .finish()
    }
}

/// The parts of a request that its signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method as received, e.g. `POST`.
    pub method: &'a str,
    /// The path, `/` for API 3.0.
    pub path: &'a str,
    /// The query string without `?`, empty for POST.
    pub query: &'a str,
    /// Every request header.
    pub headers: &'a HeaderMap,
    /// The body exactly as received.
    pub body: &'a [u8],
}

/// The Authorization header, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: Vec<String>,
    signature: &'a str,
}

fn invalid_authorization(detail: &str) -> ApiError {
    ApiError::new(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is invalid: {detail}."),
    )
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let Some(rest) = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
    else {
        return Err(invalid_authorization(&format!(
            "it must start with `{ALGORITHM} `"
        )));
    };
    let (mut credential, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let Some((key, value)) = part.trim().split_once('=') else {
            return Err(invalid_authorization(&format!(
                "`{}` is not a key=value pair",
                part.trim()
            )));
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut sig,
            other => return Err(invalid_authorization(&format!("unknown part `{other}`"))),
        };
        if slot.replace(value.trim()).is_some() {
            return Err(invalid_authorization(&format!("`{key}` appears twice")));
        }
    }
    let credential = credential.ok_or_else(|| invalid_authorization("`Credential` is missing"))?;
    let signed = signed.ok_or_else(|| invalid_authorization("`SignedHeaders` is missing"))?;
    let sig = sig.ok_or_else(|| invalid_authorization("`Signature` is missing"))?;
    let mut scope = credential.split('/');
    let (Some(secret_id), Some(date), Some(service), Some("tc3_request"), None) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(invalid_authorization(
            "`Credential` must be SecretId/YYYY-MM-DD/service/tc3_request",
        ));
    };
    if secret_id.is_empty() || sig.is_empty() {
        return Err(invalid_authorization(
            "the SecretId and the Signature must not be empty",
        ));
    }
    let signed_headers: Vec<String> = signed
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if signed_headers.iter().any(String::is_empty) {
        return Err(invalid_authorization("`SignedHeaders` has an empty name"));
    }
    for needed in ["content-type", "host"] {
        if !signed_headers.iter().any(|h| h == needed) {
            return Err(invalid_authorization(&format!(
                "`SignedHeaders` must include `{needed}`"
            )));
        }
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature: sig,
    })
}

/// Compares a signature with the one sent in time independent of where they
/// first differ, taking ASCII letters of `sent` in either case (hex digits
/// of a signature may come in upper case).
fn constant_time_eq_ignore_case(expected: &[u8], sent: &[u8]) -> bool {
    expected.len() == sent.len()
        && expected
            .iter()
            .zip(sent)
            .fold(0u8, |acc, (x, y)| acc | (x ^ y.to_ascii_lowercase()))
            == 0
}

/// [`utc_date`] of `timestamp`, written once a day on each thread: every
/// request needs it, and formatting it cost more than the rest of the check.
fn scope_date(timestamp: i64) -> String {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let day = timestamp.div_euclid(86_400);
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != day {
            *last = (day, utc_date(timestamp));
        }
        last.1.clone()
    })
}

/// A header's value as text, borrowed unless it is not UTF-8.
fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<Cow<'h, str>> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
}

/// What a TC3 signature covers, for one request, with the signed headers
/// sorted by name and the `host` to use given per check (see [`host_variants`]).
struct Signed<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a [(&'a str, Cow<'a, str>)],
    /// Hex SHA-256 of the body (or of `UNSIGNED-PAYLOAD`).
    body_hash: &'a str,
    timestamp: i64,
    date: &'a str,
    service: &'a str,
}

impl Signed<'_> {
    /// The signed headers, with `host` as given.
    fn headers<'h>(&'h self, host: &'h str) -> Vec<(&'h str, &'h str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, if *name == "host" { host } else { value }))
            .collect()
    }

    /// The canonical request written out, for an error message.
    fn canonical_request(&self, host: &str) -> String {
        canonical_request(
            self.method,
            self.path,
            self.query,
            &self.headers(host),
            self.body_hash,
        )
    }

    /// The signature as hex digits: every answer pays for this check, so the
    /// canonical request and the string to sign are hashed as they are
    /// produced rather than written out.
    fn signature(&self, key: &[u8; 32], host: &str) -> [u8; 64] {
        let canonical = canonical_request_digest(
            self.method,
            self.path,
            self.query,
            &self.headers(host),
            self.body_hash.as_bytes(),
        );
        let signature = signature_digest(key, self.timestamp, self.date, self.service, &canonical);
        let mut hex = [0u8; 64];
        hex_digest(&signature, &mut hex);
        hex
    }
}

impl Verifier {
    /// A verifier for `service` (the credential scope's service, e.g. `ccc`)
    /// accepting the given (SecretId, SecretKey) pairs.
    pub fn new(
        service: impl Into<String>,
        keys: impl IntoIterator<Item = (String, String)>,
        token_policy: TokenPolicy,
    ) -> Self {
        Verifier {
            keys: keys.into_iter().collect(),
            token_policy,
            service: service.into(),
        }
    }

    /// Verifies `request` at server time `now` (Unix seconds) and returns the caller's SecretId.
    pub fn verify(&self, request: &SignedRequest<'_>, now: i64) -> Result<String, ApiError> {
        let headers = request.headers;
        let Some(raw) = headers.get("authorization") else {
            return Err(invalid_authorization(
                "it is missing; sign with TC3-HMAC-SHA256 in this header, or send a form-encoded \
                 request with the `Signature` parameters of the HmacSHA1/HmacSHA256 scheme",
            ));
        };
        let raw = raw
            .to_str()
            .map_err(|_| invalid_authorization("it is not ASCII"))?;
        let auth = parse_authorization(raw)?;

        let timestamp_text = header_str(headers, "x-tc-timestamp").ok_or_else(|| {
            ApiError::new(
                "MissingParameter",
                "The request is missing a required parameter `Timestamp` (header X-TC-Timestamp).",
            )
        })?;
        let timestamp: i64 = timestamp_text.trim().parse().map_err(|_| {
            ApiError::new("InvalidParameter", format!("The parameter `Timestamp` (header X-TC-Timestamp) must be an integer, got `{timestamp_text}`."))
        })?;

        let secret_key = self.secret_key(auth.secret_id)?;
        self.check_time(timestamp, now, "X-TC-Timestamp")?;

        // Each signed header as received, sorted by name as the canonical
        // request lists them (stable, as `sign::canonical_request` sorts).
        let mut received = Vec::with_capacity(auth.signed_headers.len());
        for name in &auth.signed_headers {
            let Some(value) = header_str(headers, name) else {
                return Err(ApiError::new(
                    "AuthFailure.SignatureFailure",
                    format!("The signed header `{name}` is not in the request."),
                ));
            };
            received.push((name.as_str(), value));
        }
        received.sort_by(|a, b| a.0.cmp(b.0));
        let host = received
            .iter()
            .find(|(name, _)| *name == "host")
            .map(|(_, value)| value.trim())
            .unwrap_or_default();

        let date = scope_date(timestamp);
        if auth.date != date {
            return Err(ApiError::new(
                "AuthFailure.SignatureFailure",
                format!(
                    "The credential scope date `{}` is not the UTC date `{date}` of X-TC-Timestamp {timestamp}.",
                    auth.date
                ),
            ));
        }
        if auth.service != self.service {
            return Err(ApiError::new(
                "AuthFailure.SignatureFailure",
                format!(
                    "The credential scope service `{}` is not `{}`. Clients that take the service from the \
                     endpoint's first host label (Tencent's Node.js SDK) need an endpoint such as `{}.localhost:PORT`.",
                    auth.service, self.service, self.service
                ),
            ));
        }
        let unsigned = header_str(headers, "x-tc-content-sha256")
            .is_some_and(|v| v.trim() == UNSIGNED_PAYLOAD);
        let body_hash = payload_hash(request.body, unsigned);
        let key = signing_key(secret_key, &date, &self.service);
        let signed = Signed {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: &received,
            body_hash: &body_hash,
            timestamp,
            date: &date,
            service: &self.service,
        };
        // Every answer pays for this check, so it hashes the canonical request
        // as it goes instead of writing it out; only a failure writes it, for
        // the message.
        for host in host_variants(host) {
            let expected = signed.signature(&key, host);
            if constant_time_eq_ignore_case(&expected, auth.signature.as_bytes()) {
                self.check_token(header_str(headers, "x-tc-token").as_deref())?;
                return Ok(auth.secret_id.to_owned());
            }
        }
        let canonicals: Vec<String> = host_variants(host)
            .map(|host| format!("{:?}", signed.canonical_request(host)))
            .collect();
        let scope = credential_scope(&date, &self.service);
        Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            format!(
                "The signature does not match. The emulator expects TC3-HMAC-SHA256 over the canonical request {} \
                 (string to sign: algorithm, X-TC-Timestamp {timestamp}, scope `{scope}`, SHA-256 of the canonical request); \
                 check the SecretKey and what was signed.",
                canonicals.join(" or ")
            ),
        ))
    }

    /// The SecretKey of `secret_id`, or `AuthFailure.SecretIdNotFound`.
    pub(crate) fn secret_key(&self, secret_id: &str) -> Result<&str, ApiError> {
        self.keys.get(secret_id).map(String::as_str).ok_or_else(|| {
            ApiError::new(
                "AuthFailure.SecretIdNotFound",
                format!(
                    "The SecretId `{secret_id}` is not found; check that it is right and the key is enabled."
                ),
            )
        })
    }

    /// `AuthFailure.SignatureExpire` when `timestamp` (from `source`) is more
    /// than [`MAX_SKEW_SECONDS`] from `now`.
    pub(crate) fn check_time(
        &self,
        timestamp: i64,
        now: i64,
        source: &str,
    ) -> Result<(), ApiError> {
        if timestamp.abs_diff(now) > MAX_SKEW_SECONDS.unsigned_abs() {
            return Err(ApiError::new(
                "AuthFailure.SignatureExpire",
                format!(
                    "The request signature has expired: {source} {timestamp} is more than {MAX_SKEW_SECONDS} s from the server time {now}; check the client's clock."
                ),
            ));
        }
        Ok(())
    }

    /// Applies the [`TokenPolicy`] to a session token, if the request sent one.
    pub(crate) fn check_token(&self, token: Option<&str>) -> Result<(), ApiError> {
        let Some(token) = token else {
            return Ok(());
        };
        let accepted = match &self.token_policy {
            TokenPolicy::Reject => false,
            TokenPolicy::AcceptAny => true,
            TokenPolicy::AcceptOnly(tokens) => tokens.iter().any(|t| t == token),
        };
        if accepted {
            Ok(())
        } else {
            Err(ApiError::new(
                "AuthFailure.TokenFailure",
                "The session token is invalid or has expired (this emulator accepts only the tokens it is configured with).",
            ))
        }
    }
}

/// The `host` values a client may have signed: as sent (`name:port`), and
/// the host name alone, which Tencent's Node.js SDK signs.
pub(crate) fn host_variants(host: &str) -> impl Iterator<Item = &str> {
    let name = host.rsplit_once(':').and_then(|(name, port)| {
        let is_port = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        let is_name = !name.contains(':') || (name.starts_with('[') && name.ends_with(']'));
        (is_port && is_name).then_some(name)
    });
    std::iter::once(host).chain(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sdk_header() {
        let a = parse_authorization(
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/ccc/tc3_request, SignedHeaders=content-type;host, Signature=abc",
        )
        .unwrap();
        assert_eq!(
            (a.secret_id, a.date, a.service, a.signature),
            ("AKID", "2023-11-14", "ccc", "abc")
        );
        assert_eq!(a.signed_headers, ["content-type", "host"]);
    }

    #[test]
    fn hashes_what_the_reference_steps_write() {
        use tencentcloud_runtime::sign::{
            canonical_request, payload_hash, signature, string_to_sign,
        };
        let body_hash = payload_hash(b"{}", false);
        let received = [
            (
                "content-type",
                Cow::Borrowed(" Application/JSON; charset=utf-8"),
            ),
            (
                "host",
                Cow::Borrowed("ignored: the host is given per check"),
            ),
            ("x-tc-action", Cow::Borrowed("DescribeAutoCalloutTasks ")),
        ];
        let signed = Signed {
            method: "POST",
            path: "/",
            query: "a=1",
            headers: &received,
            body_hash: &body_hash,
            timestamp: 1_700_000_000,
            date: "2023-11-14",
            service: "ccc",
        };
        let reference = canonical_request(
            "POST",
            "/",
            "a=1",
            &[
                ("x-tc-action", "DescribeAutoCalloutTasks "),
                ("Host", "CCC.localhost:8080"),
                ("content-type", " Application/JSON; charset=utf-8"),
            ],
            &body_hash,
        );
        assert_eq!(signed.canonical_request("CCC.localhost:8080"), reference);
        let key = signing_key("secret", "2023-11-14", "ccc");
        let hex = signed.signature(&key, "CCC.localhost:8080");
        let scope = credential_scope("2023-11-14", "ccc");
        assert_eq!(
            std::str::from_utf8(&hex).unwrap(),
            signature(&key, &string_to_sign(1_700_000_000, &scope, &reference))
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        for bad in [
            "",
            "HMAC Credential=a/b/c/tc3_request, SignedHeaders=content-type;host, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=content-type;host, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=host, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request SignedHeaders=content-type;host Signature=x",
        ] {
            let err = parse_authorization(bad).unwrap_err();
            assert_eq!(err.code, "AuthFailure.InvalidAuthorization", "{bad}");
        }
    }
}
