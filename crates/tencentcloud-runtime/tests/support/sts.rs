//! A stand-in for Tencent Cloud STS (`sts`, API 2018-08-13) on 127.0.0.1.
//!
//! It answers `AssumeRole` only when the request is signed with TC3-HMAC-SHA256
//! for service `sts` and action `AssumeRole` by the expected key pair, and
//! `AssumeRoleWithWebIdentity` only when it comes unsigned
//! (`Authorization: SKIP`, as Tencent's Python SDK sends it) with the expected
//! token. Anything else gets the error envelope the real service would send.
//! Each success hands out a new temporary key pair (`AKIDsts-1`, `AKIDsts-2`, ...)
//! valid for the `DurationSeconds` asked.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::sign::{SigningParams, sign};

use super::{FaultServer, Recorded, Reply};

/// What the stand-in accepts.
#[derive(Debug, Clone)]
pub struct Expect {
    /// The base key pair `AssumeRole` must be signed with.
    pub secret_id: String,
    pub secret_key: String,
    /// The OIDC token `AssumeRoleWithWebIdentity` must carry.
    pub web_identity_token: String,
}

/// The running stand-in; `issued` counts the credentials handed out.
pub struct StsStandIn {
    pub server: FaultServer,
    pub issued: Arc<AtomicUsize>,
}

impl StsStandIn {
    pub async fn start(expect: Expect) -> Self {
        let issued = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&issued);
        let server = FaultServer::start_with(Arc::new(move |request: &Recorded| {
            answer(&expect, &counter, request)
        }))
        .await;
        StsStandIn { server, issued }
    }

    pub fn url(&self) -> &str {
        &self.server.url
    }
}

fn refuse(code: &str, message: &str) -> Reply {
    Reply::error(code, message, "sts-refused")
}

fn answer(expect: &Expect, issued: &AtomicUsize, request: &Recorded) -> Reply {
    if request.header("x-tc-version") != "2018-08-13" {
        return refuse("InvalidParameter", "X-TC-Version must be 2018-08-13");
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
        return refuse("InvalidParameter", "the body is not JSON");
    };
    let field = |name: &str| {
        body.get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    match request.header("x-tc-action") {
        "AssumeRole" => {
            if let Err(problem) = check_signature(expect, request) {
                return refuse("AuthFailure.SignatureFailure", &problem);
            }
            if field("RoleArn").is_empty() || field("RoleSessionName").is_empty() {
                return refuse(
                    "MissingParameter",
                    "RoleArn and RoleSessionName are required",
                );
            }
        }
        "AssumeRoleWithWebIdentity" => {
            if request.header("authorization") != "SKIP" {
                return refuse(
                    "InvalidParameter",
                    "AssumeRoleWithWebIdentity is sent unsigned",
                );
            }
            if field("WebIdentityToken") != expect.web_identity_token {
                return refuse("InvalidParameter.WebIdentityTokenError", "unknown token");
            }
            if field("ProviderId").is_empty()
                || field("RoleArn").is_empty()
                || field("RoleSessionName").is_empty()
            {
                return refuse(
                    "MissingParameter",
                    "ProviderId, RoleArn and RoleSessionName are required",
                );
            }
        }
        other => return refuse("InvalidAction", &format!("no action {other}")),
    }
    let duration = body
        .get("DurationSeconds")
        .and_then(|v| v.as_u64())
        .unwrap_or(7200);
    let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Reply::json(
        &serde_json::json!({
            "Response": {
                "Credentials": {
                    "Token": format!("sts-token-{n}"),
                    "TmpSecretId": format!("AKIDsts-{n}"),
                    "TmpSecretKey": format!("sts-key-{n}"),
                },
                "ExpiredTime": now + duration,
                "Expiration": "2030-01-01T00:00:00Z",
                "RequestId": format!("sts-{n}"),
            }
        })
        .to_string(),
    )
}

/// Recomputes the TC3 signature for service `sts` from what was received.
fn check_signature(expect: &Expect, request: &Recorded) -> Result<(), String> {
    let authorization = request.header("authorization");
    let timestamp: i64 = request
        .header("x-tc-timestamp")
        .parse()
        .map_err(|_| "no X-TC-Timestamp".to_owned())?;
    let host = request.header("host");
    let signed = sign(&SigningParams {
        method: "POST",
        host,
        path: "/",
        query: "",
        content_type: request.header("content-type"),
        payload: &request.body,
        unsigned_payload: false,
        timestamp,
        service: "sts",
        secret_id: &expect.secret_id,
        secret_key: &expect.secret_key,
    });
    if !authorization.contains("/sts/tc3_request") {
        return Err(format!("not signed for service sts: {authorization}"));
    }
    if authorization != signed.authorization {
        return Err("the signature does not match".to_owned());
    }
    Ok(())
}
