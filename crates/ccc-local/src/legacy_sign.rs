//! The older signature scheme of Tencent Cloud API 3.0, `HmacSHA1` and
//! `HmacSHA256`, which Tencent's SDKs still offer (`signMethod`).
//!
//! Everything travels as form-encoded parameters, in the query of a `GET` or
//! the body of a `POST`: the action's own (flattened, see
//! [`crate::form_params`]) and the common ones, `Action`, `Version`,
//! `Timestamp`, `Nonce`, `SecretId`, `Signature`, and optionally
//! `SignatureMethod` (default `HmacSHA1`), `Region`, `Token`, `Language` and
//! `RequestClient`.
//!
//! The signature, as Tencent documents it: sort every parameter but
//! `Signature` by name, join them as `name=value` with `&` (values decoded,
//! not escaped), prefix that with the HTTP method, the host, the path and
//! `?` (`POSTccc.tencentcloudapi.com/?Action=...`), and take the base64 of
//! the HMAC of that text under the SecretKey. The host may be signed with or
//! without its port (`ccc.localhost:8080` or `ccc.localhost`): Tencent's
//! SDKs sign the endpoint as configured.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};

use crate::auth::{Verifier, host_variants};
use crate::error::ApiError;

/// Parameters of the scheme itself, as opposed to the action's.
pub(crate) const COMMON_PARAMETERS: [&str; 11] = [
    "Action",
    "Version",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Region",
    "Token",
    "Language",
    "RequestClient",
];

/// The hash of the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignMethod {
    /// `HmacSHA1` (the default when `SignatureMethod` is absent).
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl SignMethod {
    /// The method named by a `SignatureMethod` parameter.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "HmacSHA1" => Some(SignMethod::HmacSha1),
            "HmacSHA256" => Some(SignMethod::HmacSha256),
            _ => None,
        }
    }
}

/// The text that is signed: method, host, path, `?` and the sorted parameters
/// (every one but `Signature`), as `name=value` joined by `&`.
pub fn string_to_sign(method: &str, host: &str, path: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let joined: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{method}{host}{path}?{}", joined.join("&"))
}

/// The base64 HMAC of `text` under `secret_key`.
pub fn sign(method: SignMethod, secret_key: &str, text: &str) -> String {
    // HMAC takes a key of any length, so new_from_slice cannot fail.
    match method {
        SignMethod::HmacSha1 => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret_key.as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(text.as_bytes());
            BASE64.encode(mac.finalize().into_bytes())
        }
        SignMethod::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret_key.as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(text.as_bytes());
            BASE64.encode(mac.finalize().into_bytes())
        }
    }
}

/// A verified request of the older scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LegacyCall {
    /// `Action`.
    pub(crate) action: String,
    /// `Version`.
    pub(crate) version: String,
    /// The action's own parameters, still flattened.
    pub(crate) params: Vec<(String, String)>,
    /// `SecretId`.
    pub(crate) secret_id: String,
}

/// The parts of a request the older scheme signs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LegacyRequest<'a> {
    /// `GET` or `POST`.
    pub(crate) method: &'a str,
    /// The `Host` header as received.
    pub(crate) host: &'a str,
    /// The path, `/`.
    pub(crate) path: &'a str,
    /// Every parameter, decoded, in the order sent.
    pub(crate) params: &'a [(String, String)],
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        "MissingParameter",
        format!(
            "The request is missing a required parameter `{name}` (a common parameter of the HmacSHA1/HmacSHA256 signature)."
        ),
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Verifier {
    /// Verifies a request of the older scheme at server time `now` (Unix
    /// seconds). Codes, in the order checked: `MissingParameter` for a
    /// missing common parameter, `InvalidParameter` for a `Timestamp` that is
    /// not an integer, `InvalidParameterValue` for an unknown
    /// `SignatureMethod`, `AuthFailure.SecretIdNotFound`,
    /// `AuthFailure.SignatureExpire`, `AuthFailure.SignatureFailure` (whose
    /// message gives the text the emulator signed), `AuthFailure.TokenFailure`.
    pub(crate) fn verify_legacy(
        &self,
        request: &LegacyRequest<'_>,
        now: i64,
    ) -> Result<LegacyCall, ApiError> {
        let params = request.params;
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let action = get("Action").ok_or_else(|| missing("Action"))?;
        let version = get("Version").ok_or_else(|| missing("Version"))?;
        let timestamp_text = get("Timestamp").ok_or_else(|| missing("Timestamp"))?;
        get("Nonce").ok_or_else(|| missing("Nonce"))?;
        let secret_id = get("SecretId").ok_or_else(|| missing("SecretId"))?;
        let sent = get("Signature").ok_or_else(|| missing("Signature"))?;
        let timestamp: i64 = timestamp_text.trim().parse().map_err(|_| {
            ApiError::new(
                "InvalidParameter",
                format!("The parameter `Timestamp` must be an integer, got `{timestamp_text}`."),
            )
        })?;
        let method_name = get("SignatureMethod").unwrap_or("HmacSHA1");
        let method = SignMethod::from_name(method_name).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue",
                format!(
                    "The parameter `SignatureMethod` must be `HmacSHA1` or `HmacSHA256`, got `{method_name}`."
                ),
            )
        })?;
        let secret_key = self.secret_key(secret_id)?;
        self.check_time(timestamp, now, "Timestamp")?;

        let mut tried = Vec::new();
        for host in host_variants(request.host) {
            let text = string_to_sign(request.method, host, request.path, params);
            if constant_time_eq(sign(method, secret_key, &text).as_bytes(), sent.as_bytes()) {
                self.check_token(get("Token"))?;
                let own = params
                    .iter()
                    .filter(|(k, _)| !COMMON_PARAMETERS.contains(&k.as_str()))
                    .cloned()
                    .collect();
                return Ok(LegacyCall {
                    action: action.to_owned(),
                    version: version.to_owned(),
                    params: own,
                    secret_id: secret_id.to_owned(),
                });
            }
            tried.push(format!("`{text}`"));
        }
        Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            format!(
                "The signature does not match. The emulator expects the base64 {method_name} of {} \
                 under the SecretKey of `{secret_id}`.",
                tried.join(" or ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::TokenPolicy;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // Computed by hand with Python's standard library, independently of this
    // code: base64.b64encode(hmac.new(b"local-secret", TEXT.encode(),
    // hashlib.sha256 / hashlib.sha1).digest()), where TEXT is the line below.
    const TEXT: &str = "POSTccc.localhost:8080/?Action=DescribeAutoCalloutTasks&Nonce=11886&PageNumber=0&PageSize=10&SdkAppId=1400000000&SecretId=AKIDlocal&SignatureMethod=HmacSHA256&Timestamp=1717200000&Version=2020-02-10";
    const SHA256_SIGNATURE: &str = "ltQ9l/PLrf+Opb4of1qBcAaNdwtxx+sBWKdZZUpilC8=";
    const SHA1_SIGNATURE: &str = "6I6RhCh7zP0B/LRPSgXd77P0r+c=";

    fn params() -> Vec<(String, String)> {
        // In the order a client might send them, not sorted.
        pairs(&[
            ("SdkAppId", "1400000000"),
            ("PageSize", "10"),
            ("PageNumber", "0"),
            ("Action", "DescribeAutoCalloutTasks"),
            ("Version", "2020-02-10"),
            ("Timestamp", "1717200000"),
            ("Nonce", "11886"),
            ("SecretId", "AKIDlocal"),
            ("SignatureMethod", "HmacSHA256"),
        ])
    }

    #[test]
    fn string_to_sign_and_signatures_match_the_hand_computed_vector() {
        let text = string_to_sign("POST", "ccc.localhost:8080", "/", &params());
        assert_eq!(text, TEXT);
        assert_eq!(
            sign(SignMethod::HmacSha256, "local-secret", TEXT),
            SHA256_SIGNATURE
        );
        assert_eq!(
            sign(SignMethod::HmacSha1, "local-secret", TEXT),
            SHA1_SIGNATURE
        );
    }

    fn verifier() -> Verifier {
        Verifier::new(
            "ccc",
            [("AKIDlocal".to_owned(), "local-secret".to_owned())],
            TokenPolicy::Reject,
        )
    }

    #[test]
    fn verifies_with_or_without_the_port() {
        let mut signed = params();
        signed.push(("Signature".to_owned(), SHA256_SIGNATURE.to_owned()));
        let request = LegacyRequest {
            method: "POST",
            host: "ccc.localhost:8080",
            path: "/",
            params: &signed,
        };
        let call = verifier().verify_legacy(&request, 1_717_200_000).unwrap();
        assert_eq!(call.action, "DescribeAutoCalloutTasks");
        assert_eq!(
            call.params,
            pairs(&[
                ("SdkAppId", "1400000000"),
                ("PageSize", "10"),
                ("PageNumber", "0")
            ])
        );

        // Signed without the port, sent with it.
        let text = string_to_sign("GET", "ccc.localhost", "/", &params());
        let mut signed = params();
        signed.push((
            "Signature".to_owned(),
            sign(SignMethod::HmacSha256, "local-secret", &text),
        ));
        let request = LegacyRequest {
            method: "GET",
            ..request
        };
        let request = LegacyRequest {
            params: &signed,
            ..request
        };
        verifier().verify_legacy(&request, 1_717_200_000).unwrap();
    }

    #[test]
    fn failures_say_what_was_expected() {
        let mut signed = params();
        signed.push(("Signature".to_owned(), SHA1_SIGNATURE.to_owned()));
        let request = LegacyRequest {
            method: "POST",
            host: "ccc.localhost:8080",
            path: "/",
            params: &signed,
        };
        let e = verifier()
            .verify_legacy(&request, 1_717_200_000)
            .unwrap_err();
        assert_eq!(e.code, "AuthFailure.SignatureFailure");
        assert!(e.message.contains(TEXT), "{}", e.message);
        assert!(e.message.contains("HmacSHA256"), "{}", e.message);
        assert!(!e.message.contains("local-secret"), "{}", e.message);

        let e = verifier()
            .verify_legacy(&request, 1_717_200_000 + 301)
            .unwrap_err();
        assert_eq!(e.code, "AuthFailure.SignatureExpire");

        let no_nonce: Vec<_> = signed
            .iter()
            .filter(|(k, _)| k != "Nonce")
            .cloned()
            .collect();
        let e = verifier()
            .verify_legacy(
                &LegacyRequest {
                    params: &no_nonce,
                    ..request
                },
                1_717_200_000,
            )
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`Nonce`")),
            ("MissingParameter", true)
        );

        let mut bad_method = signed.clone();
        bad_method.retain(|(k, _)| k != "SignatureMethod");
        bad_method.push(("SignatureMethod".to_owned(), "MD5".to_owned()));
        let e = verifier()
            .verify_legacy(
                &LegacyRequest {
                    params: &bad_method,
                    ..request
                },
                1_717_200_000,
            )
            .unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
    }
}
