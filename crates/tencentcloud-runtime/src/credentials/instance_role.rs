//! The CVM instance-role provider (instance metadata service).

use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// Where the CVM metadata service lists the CAM role bound to the instance.
pub const DEFAULT_METADATA_BASE_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

const PROVIDER: &str = "instance role";
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// The largest metadata answer read: a role name or a credentials document is
/// well under a kilobyte.
pub const MAX_METADATA_BYTES: usize = 64 * 1024;

/// Fetches temporary credentials of the CAM role bound to the CVM instance
/// this program runs on.
///
/// It asks `{base}` for the role name, then `{base}{role}` for a JSON
/// document with `TmpSecretId`, `TmpSecretKey`, `Token` and `ExpiredTime`
/// (Unix seconds). Timeouts are short (1 s to connect, 3 s in all) because
/// off CVM the metadata host does not answer. System HTTP proxies are not
/// used for these requests.
#[derive(Debug, Clone)]
pub struct InstanceRoleProvider {
    base_url: String,
    role: Option<String>,
    client: Result<reqwest::Client, String>,
}

impl Default for InstanceRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl InstanceRoleProvider {
    /// A provider querying the standard CVM metadata endpoint.
    pub fn new() -> Self {
        Self {
            base_url: DEFAULT_METADATA_BASE_URL.to_owned(),
            role: None,
            client: build_client(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT),
        }
    }

    /// Queries another base URL (for tests or proxies). A trailing `/` is
    /// added if missing.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        self.base_url = base_url;
        self
    }

    /// Uses this role name instead of asking the metadata service for it.
    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Replaces the connect timeout and the whole-request timeout.
    pub fn with_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.client = build_client(connect, total);
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let client = self.client.as_ref().map_err(|e| {
            CredentialsError::unavailable(PROVIDER, format!("cannot build HTTP client: {e}"))
        })?;

        let role = match &self.role {
            Some(role) => role.trim().to_owned(),
            None => {
                let (status, body) = get(client, &self.base_url).await?;
                if status == reqwest::StatusCode::NOT_FOUND {
                    return Err(CredentialsError::not_configured(
                        PROVIDER,
                        format!(
                            "no CAM role is bound to this instance ({} returned 404)",
                            self.base_url
                        ),
                    ));
                }
                if !status.is_success() {
                    return Err(CredentialsError::unavailable(
                        PROVIDER,
                        format!("{} returned HTTP {status}", self.base_url),
                    ));
                }
                let text = String::from_utf8_lossy(&body);
                text.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or_default()
                    .to_owned()
            }
        };
        if role.is_empty() {
            return Err(CredentialsError::not_configured(
                PROVIDER,
                format!(
                    "no CAM role is bound to this instance ({} is empty)",
                    self.base_url
                ),
            ));
        }
        if !role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        {
            return Err(CredentialsError::unavailable(
                PROVIDER,
                "the metadata service returned a role name with unexpected characters",
            ));
        }

        let url = format!("{}{role}", self.base_url);
        let (status, body) = get(client, &url).await?;
        if !status.is_success() {
            return Err(CredentialsError::unavailable(
                PROVIDER,
                format!("{url} returned HTTP {status}"),
            ));
        }
        parse_role_credentials(&url, &body)
    }
}

impl ProvideCredentials for InstanceRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

fn build_client(connect: Duration, total: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(total)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())
}

async fn get(
    client: &reqwest::Client,
    url: &str,
) -> Result<(reqwest::StatusCode, Vec<u8>), CredentialsError> {
    let failed = |e: reqwest::Error| {
        if e.is_connect() {
            // Off CVM nothing answers at the metadata address: the source is
            // absent, and the chain may go on to the next one.
            return CredentialsError::not_configured(
                PROVIDER,
                format!(
                    "no metadata service answers (GET {url}: {})",
                    describe_reqwest_error(e)
                ),
            );
        }
        let what = if e.is_timeout() {
            "timed out"
        } else {
            "failed"
        };
        CredentialsError::unavailable(
            PROVIDER,
            format!("GET {url} {what}: {}", describe_reqwest_error(e)),
        )
    };
    let mut response = client.get(url).send().await.map_err(failed)?;
    let status = response.status();
    let too_large = || {
        CredentialsError::unavailable(
            PROVIDER,
            format!("GET {url}: the answer is larger than {MAX_METADATA_BYTES} bytes"),
        )
    };
    if response
        .content_length()
        .is_some_and(|len| len > MAX_METADATA_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > MAX_METADATA_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

/// The error and its causes, without the URL (the caller states it once).
fn describe_reqwest_error(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredentials {
    tmp_secret_id: Option<String>,
    tmp_secret_key: Option<String>,
    token: Option<String>,
    expired_time: Option<i64>,
    code: Option<String>,
}

fn parse_role_credentials(url: &str, body: &[u8]) -> Result<Credentials, CredentialsError> {
    let bad = |what: String| {
        CredentialsError::unavailable(PROVIDER, format!("unusable response from {url}: {what}"))
    };
    // serde_json's messages can quote values, so only the position is reported.
    let raw: RoleCredentials = serde_json::from_slice(body).map_err(|e| {
        bad(format!(
            "not the expected JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    if let Some(code) = raw.code.as_deref() {
        if !code.eq_ignore_ascii_case("success") {
            return Err(bad(format!("Code is `{code}`, not `Success`")));
        }
    }
    let non_empty = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| bad(format!("`{name}` is missing or empty")))
    };
    let id = non_empty(raw.tmp_secret_id, "TmpSecretId")?;
    let key = non_empty(raw.tmp_secret_key, "TmpSecretKey")?;
    let token = non_empty(raw.token, "Token")?;
    let expired = raw
        .expired_time
        .ok_or_else(|| bad("`ExpiredTime` is missing".to_owned()))?;
    let expires_at = u64::try_from(expired)
        .ok()
        .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .ok_or_else(|| bad(format!("`ExpiredTime` {expired} is out of range")))?;
    Ok(Credentials::new(id, key)
        .with_token(token)
        .with_expiry(expires_at))
}
