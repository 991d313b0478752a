//! TC3-HMAC-SHA256 request signing, as Tencent Cloud API 3.0 defines it.
//!
//! The algorithm is split into small pure functions, one per step, so that each
//! step can be checked on its own against reference vectors and so that a
//! server-side verifier can reuse the same steps with whatever headers a client
//! chose to sign:
//!
//! 1. [`canonical_request`] from the method, path, query, signed headers and
//!    [`payload_hash`];
//! 2. [`string_to_sign`] from the timestamp, the [`credential_scope`] (whose
//!    date is [`utc_date`] of the timestamp) and the canonical request;
//! 3. [`signing_key`], an HMAC chain over the date and the service, then
//!    [`signature`] of the string to sign;
//! 4. [`authorization`], the `Authorization` header value.
//!
//! [`sign`] runs all of them for a request as Tencent's SDKs send it, signing
//! `content-type` and `host` only.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name, first word of the `Authorization` header and first line
/// of the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Literal sent in `X-TC-Content-SHA256` to leave the body out of the
/// signature; its SHA-256 then stands in for the body's hash.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Last component of the credential scope and the data of the last HMAC step.
const TERMINATOR: &str = "tc3_request";

const SECONDS_PER_DAY: i64 = 86_400;

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp in seconds.
///
/// The credential scope must carry the UTC date of `X-TC-Timestamp`, not the
/// local one: near midnight the two differ and the server rejects the
/// signature. The conversion is done with plain integer arithmetic (proleptic
/// Gregorian calendar) rather than a date crate. It is total: any `i64` gives
/// a date, with years outside `0..=9999` written with a sign or more digits.
pub fn utc_date(timestamp: i64) -> String {
    let (year, month, day) = civil_from_days(timestamp.div_euclid(SECONDS_PER_DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Converts days since 1970-01-01 into a (year, month, day) triple.
///
/// Howard Hinnant's `civil_from_days`: shift the epoch to 0000-03-01 so that
/// the leap day ends the year, split into 400-year eras of 146 097 days, then
/// into years and March-based months. With `days` derived from an `i64`
/// timestamp divided by 86 400, no intermediate value can overflow.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let mp = (5 * day_of_year + 2) / 153; // [0, 11], March-based month
    let day = day_of_year - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Lowercase hexadecimal SHA-256 of `data`.
///
/// Used for the payload hash and for the hash of the canonical request.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The hashed payload line of the canonical request.
///
/// With `unsigned_payload` the body is left out of the signature and the hash
/// of the literal [`UNSIGNED_PAYLOAD`] is used instead (this is what Tencent's
/// SDKs do; the request must then carry `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`).
/// Otherwise it is the hash of the exact bytes sent as the body, which is empty
/// for a GET request.
pub fn payload_hash(payload: &[u8], unsigned_payload: bool) -> String {
    if unsigned_payload {
        sha256_hex(UNSIGNED_PAYLOAD.as_bytes())
    } else {
        sha256_hex(payload)
    }
}

/// Headers normalised for signing: name and value trimmed and lowercased,
/// sorted by name (stable, so repeated names keep their order).
fn normalized_headers(headers: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut normalized: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| (name.trim().to_lowercase(), value.trim().to_lowercase()))
        .collect();
    normalized.sort_by(|a, b| a.0.cmp(&b.0));
    normalized
}

fn join_names(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The `SignedHeaders` list: the header names trimmed, lowercased, sorted in
/// ASCII order and joined with `;` (for example `content-type;host`).
///
/// It names the headers that [`canonical_request`] puts in the canonical
/// headers, in the same order, so both must be given the same `headers`.
pub fn signed_headers(headers: &[(&str, &str)]) -> String {
    join_names(&normalized_headers(headers))
}

/// The canonical request, whose hash the string to sign carries.
///
/// Its lines are: `method`, `path` (the canonical URI, `/` for API 3.0),
/// `query` (the query string exactly as sent, empty for POST), the canonical
/// headers, the signed headers and `hashed_payload` (see [`payload_hash`]).
///
/// `headers` are the headers to sign as (name, value) pairs, in any order and
/// with any names: a client signs `content-type` and `host`, but a verifier
/// must honour whatever `SignedHeaders` a request lists, such as
/// `content-type;host;x-tc-action`. Each becomes
/// `lowercase(trim(name)):lowercase(trim(value))\n`, sorted by name, so that
/// `X-TC-Action: DescribeAutoCalloutTasks` is signed as
/// `x-tc-action:describeautocallouttasks`, as Tencent's documentation shows.
/// `method`, `path` and `query` are used verbatim: they must be what is sent.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    hashed_payload: &str,
) -> String {
    let headers = normalized_headers(headers);
    let mut canonical_headers = String::new();
    for (name, value) in &headers {
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    // The canonical headers end with their own newline, so the join leaves an
    // empty-looking line before the signed headers, as the algorithm requires.
    [
        method,
        path,
        query,
        &canonical_headers,
        &join_names(&headers),
        hashed_payload,
    ]
    .join("\n")
}

/// The credential scope `{date}/{service}/tc3_request`.
///
/// `date` must be [`utc_date`] of the request timestamp and `service` the
/// product's short name (`ccc`, `cvm`), not the endpoint host.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/{TERMINATOR}")
}

/// The string to sign: the algorithm, the timestamp (the value sent in
/// `X-TC-Timestamp`), the credential scope and the hex SHA-256 of the
/// canonical request, one per line.
pub fn string_to_sign(timestamp: i64, credential_scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of every length (longer keys are hashed, shorter
    // ones padded), and the hmac crate's `new_from_slice` for `Hmac<D>` always
    // returns `Ok`: `InvalidLength` exists only for MACs with a fixed key size.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The signing key derived from the secret key, the UTC date and the service.
///
/// It is the HMAC-SHA256 chain `"TC3" + secret_key` → `date` → `service` →
/// `tc3_request`. It depends only on the day and the service, so it may be
/// cached for a day; the secret key itself never enters the signature.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut prefixed = Vec::with_capacity(3 + secret_key.len());
    prefixed.extend_from_slice(b"TC3");
    prefixed.extend_from_slice(secret_key.as_bytes());
    let date_key = hmac_sha256(&prefixed, date.as_bytes());
    let service_key = hmac_sha256(&date_key, service.as_bytes());
    hmac_sha256(&service_key, TERMINATOR.as_bytes())
}

/// The signature: lowercase hex HMAC-SHA256 of the string to sign under the
/// [`signing_key`].
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// The `Authorization` header value:
/// `TC3-HMAC-SHA256 Credential={secret_id}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}`.
pub fn authorization(
    secret_id: &str,
    credential_scope: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{credential_scope}, \
         SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// What [`sign`] needs to know about one request.
///
/// Every field must be what is actually sent, since the server signs what it
/// receives. `Debug` prints `***` in place of the secret key so that the
/// parameters can be logged.
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// HTTP method, uppercase (`POST`, `GET`).
    pub method: &'a str,
    /// The `Host` header: the endpoint host, with the port if one is sent.
    pub host: &'a str,
    /// Canonical URI of the request; `/` for every API 3.0 call.
    pub path: &'a str,
    /// Query string as sent, without `?`; empty for POST.
    pub query: &'a str,
    /// The `Content-Type` header as sent (`application/json` for POST).
    pub content_type: &'a str,
    /// The request body as sent; empty for GET.
    pub payload: &'a [u8],
    /// Leave the body out of the signature. The request must then carry
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    pub unsigned_payload: bool,
    /// Unix time in seconds, sent as `X-TC-Timestamp`; its UTC date is the
    /// credential scope date.
    pub timestamp: i64,
    /// The product's short name (`ccc`), part of the credential scope.
    pub service: &'a str,
    /// The SecretId, sent in clear in the `Authorization` header.
    pub secret_id: &'a str,
    /// The SecretKey. It is never sent and never printed by `Debug`.
    pub secret_key: &'a str,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("content_type", &self.content_type)
            .field("payload_len", &self.payload.len())
            .field("unsigned_payload", &self.unsigned_payload)
            .field("timestamp", &self.timestamp)
            .field("service", &self.service)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"***")
            .finish()
    }
}

/// The result of [`sign`]: the `Authorization` header value and the
/// intermediate strings, kept for debugging signature mismatches (the server's
/// `AuthFailure.SignatureFailure` says nothing about which step differs).
///
/// `Debug` shows the canonical request and the string to sign but neither the
/// signature nor the `Authorization` value: within the service's five-minute
/// window they would let whoever reads a log replay the request.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The value to send in the `Authorization` header.
    pub authorization: String,
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &"***")
            .field("authorization", &"***")
            .finish()
    }
}

/// Signs a request the way Tencent's SDKs do, signing the `content-type` and
/// `host` headers only.
///
/// The other `X-TC-*` headers (action, version, region, timestamp, token) are
/// not signed; the timestamp is covered by the string to sign instead. The
/// caller must send `Content-Type`, `Host` and `X-TC-Timestamp` with exactly
/// the values in `params`.
pub fn sign(params: &SigningParams<'_>) -> SigningOutput {
    let headers = [("content-type", params.content_type), ("host", params.host)];
    let canonical_request = canonical_request(
        params.method,
        params.path,
        params.query,
        &headers,
        &payload_hash(params.payload, params.unsigned_payload),
    );
    let date = utc_date(params.timestamp);
    let scope = credential_scope(&date, params.service);
    let string_to_sign = string_to_sign(params.timestamp, &scope, &canonical_request);
    let mut key = signing_key(params.secret_key, &date, params.service);
    let signature = signature(&key, &string_to_sign);
    // The derived key signs anything for the day: leave no copy behind.
    zeroize::Zeroize::zeroize(&mut key);
    let authorization = authorization(
        params.secret_id,
        &scope,
        &signed_headers(&headers),
        &signature,
    );
    SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The SHA-256 of [`canonical_request`], fed to the hash as it is produced
/// instead of being written out: what a client or a verifier computes on
/// every request.
///
/// `headers` must already be in name order (after trimming and
/// lowercasing), as `canonical_request` would sort them; names and values are
/// trimmed and lowercased here. `hashed_payload` is the hex digest of the
/// payload (see [`payload_hash`], or [`hex_digest`] of its SHA-256).
pub fn canonical_request_digest(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    hashed_payload: &[u8],
) -> [u8; 32] {
    let mut canonical = Sha256::new();
    for part in [method, "\n", path, "\n", query, "\n"] {
        canonical.update(part.as_bytes());
    }
    for (name, value) in headers {
        canonical.update(lowercase(name.trim()).as_bytes());
        canonical.update(b":");
        canonical.update(lowercase(value.trim()).as_bytes());
        canonical.update(b"\n");
    }
    canonical.update(b"\n");
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            canonical.update(b";");
        }
        canonical.update(lowercase(name.trim()).as_bytes());
    }
    canonical.update(b"\n");
    canonical.update(hashed_payload);
    canonical.finalize().into()
}

/// The signature over [`string_to_sign`] as raw bytes, the string to sign
/// fed to the HMAC as it is produced; `canonical_request_digest` is
/// [`canonical_request_digest`] of the request.
pub fn signature_digest(
    signing_key: &[u8; 32],
    timestamp: i64,
    date: &str,
    service: &str,
    canonical_request_digest: &[u8; 32],
) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(signing_key)
        .expect("HMAC-SHA256 accepts keys of any length");
    let mut timestamp_digits = itoa_buffer();
    for part in [
        ALGORITHM.as_bytes(),
        b"\n",
        format_i64(timestamp, &mut timestamp_digits),
        b"\n",
        date.as_bytes(),
        b"/",
        service.as_bytes(),
        b"/",
        TERMINATOR.as_bytes(),
        b"\n",
    ] {
        mac.update(part);
    }
    let mut hex_buffer = [0u8; 64];
    mac.update(hex_digest(canonical_request_digest, &mut hex_buffer));
    mac.finalize().into_bytes().into()
}

/// The `Authorization` header value that [`sign`] computes, without keeping
/// the intermediate strings (see [`canonical_request_digest`] and
/// [`signature_digest`]). This is what a client sends on every call; [`sign`]
/// is for looking at the steps.
pub fn authorization_header(params: &SigningParams<'_>) -> String {
    let mut hex_buffer = [0u8; 64];
    let payload = if params.unsigned_payload {
        UNSIGNED_PAYLOAD.as_bytes()
    } else {
        params.payload
    };
    let payload_hash = hex_digest(&Sha256::digest(payload).into(), &mut hex_buffer);
    // The two signed headers, already in name order.
    let canonical = canonical_request_digest(
        params.method,
        params.path,
        params.query,
        &[("content-type", params.content_type), ("host", params.host)],
        payload_hash,
    );
    let date = utc_date(params.timestamp);
    let key = signing_key(params.secret_key, &date, params.service);
    let signature = signature_digest(&key, params.timestamp, &date, params.service, &canonical);

    let signature = hex_digest(&signature, &mut hex_buffer);
    let mut header = String::with_capacity(
        ALGORITHM.len() + params.secret_id.len() + date.len() + params.service.len() + 120,
    );
    for part in [
        ALGORITHM,
        " Credential=",
        params.secret_id,
        "/",
        &date,
        "/",
        params.service,
        "/",
        TERMINATOR,
        ", SignedHeaders=content-type;host, Signature=",
    ] {
        header.push_str(part);
    }
    // Hex digits are ASCII.
    header.push_str(std::str::from_utf8(signature).unwrap_or_default());
    header
}

/// `text` lowercased as `canonical_request` does, borrowed when it already is.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Lowercase hex of a digest, written into `buffer`.
pub fn hex_digest<'b>(digest: &[u8; 32], buffer: &'b mut [u8; 64]) -> &'b [u8] {
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(digest, buffer);
    buffer
}

fn itoa_buffer() -> [u8; 20] {
    [0u8; 20]
}

/// The decimal digits of `n` (with its sign), written into the end of `buffer`.
fn format_i64(n: i64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut rest = n.unsigned_abs();
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        start -= 1;
        buffer[start] = b'-';
    }
    &buffer[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_known_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(-1), "1969-12-31");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(951_868_800), "2000-03-01");
        assert_eq!(utc_date(4_107_456_000), "2100-02-28");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(253_402_300_799), "9999-12-31");
    }

    #[test]
    fn utc_date_is_total() {
        // Must not panic or overflow at the extremes.
        for ts in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let date = utc_date(ts);
            assert!(!date.is_empty(), "{ts}");
        }
    }

    #[test]
    fn signs_any_header_set_lowercased_and_sorted() {
        let headers = [
            ("X-TC-Action", " DescribeAutoCalloutTasks "),
            ("Host", "ccc.tencentcloudapi.com"),
            (" Content-Type", "application/json"),
        ];
        assert_eq!(signed_headers(&headers), "content-type;host;x-tc-action");
        assert_eq!(
            canonical_request("POST", "/", "", &headers, "h"),
            "POST\n/\n\ncontent-type:application/json\nhost:ccc.tencentcloudapi.com\n\
             x-tc-action:describeautocallouttasks\n\ncontent-type;host;x-tc-action\nh"
        );
    }

    #[test]
    fn the_header_alone_is_what_sign_computes() {
        let long_key = "k".repeat(200);
        for (host, content_type, payload, unsigned, timestamp, key) in [
            (
                "ccc.tencentcloudapi.com",
                "application/json",
                &b"{\"SdkAppId\":1}"[..],
                false,
                1_700_000_000,
                "key",
            ),
            (
                " CCC.TencentCloudAPI.com:8080 ",
                "Application/JSON; charset=utf-8",
                b"",
                false,
                0,
                "key",
            ),
            (
                "127.0.0.1:8080",
                "application/json",
                b"{}",
                true,
                -1,
                long_key.as_str(),
            ),
            ("h", "application/json", b"{}", false, i64::MIN, "k"),
            ("h", "application/json", b"{}", false, i64::MAX, "k"),
        ] {
            let params = SigningParams {
                method: "POST",
                host,
                path: "/",
                query: "",
                content_type,
                payload,
                unsigned_payload: unsigned,
                timestamp,
                service: "ccc",
                secret_id: "AKIDexample",
                secret_key: key,
            };
            assert_eq!(
                authorization_header(&params),
                sign(&params).authorization,
                "{params:?}"
            );
        }
    }

    #[test]
    fn streamed_steps_hash_what_the_written_steps_write() {
        // Any signed headers, untrimmed and in mixed case, given in name order.
        let headers = [
            ("Content-Type ", " Application/JSON; charset=utf-8"),
            ("host", "CCC.localhost:8080"),
            ("x-tc-action", "DescribeAutoCalloutTasks "),
        ];
        let hashed_payload = payload_hash(b"{}", false);
        let written = canonical_request("POST", "/", "a=1", &headers, &hashed_payload);
        let digest =
            canonical_request_digest("POST", "/", "a=1", &headers, hashed_payload.as_bytes());
        let mut hex = [0u8; 64];
        assert_eq!(
            hex_digest(&digest, &mut hex),
            sha256_hex(written.as_bytes()).as_bytes()
        );

        let key = signing_key("secret", "2023-11-14", "ccc");
        let scope = credential_scope("2023-11-14", "ccc");
        for timestamp in [1_700_000_000, -1, 0] {
            let streamed = signature_digest(&key, timestamp, "2023-11-14", "ccc", &digest);
            assert_eq!(
                hex_digest(&streamed, &mut hex),
                signature(&key, &string_to_sign(timestamp, &scope, &written)).as_bytes()
            );
        }
    }

    #[test]
    fn hmac_accepts_long_keys() {
        // Longer than the 64-byte SHA-256 block: must be hashed, not rejected.
        let long_key = "k".repeat(200);
        let key = signing_key(&long_key, "2023-11-14", "ccc");
        assert_eq!(signature(&key, "x").len(), 64);
    }
}
