//! OIDC web identity: temporary credentials for a workload that holds an
//! identity token, as TKE (Tencent Kubernetes Engine) gives its pods.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::env::Env;
use super::sts::StsCall;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// Variable holding the region of the STS call (set by TKE).
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// Variable holding the identity provider's ID (set by TKE).
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// Variable naming the file that holds the OIDC token (set by TKE; the name
/// Tencent's Python SDK reads).
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// Shorter name for [`ENV_TKE_WEB_IDENTITY_TOKEN_FILE`], also accepted; the
/// longer name wins when both are set.
pub const ENV_TKE_IDENTITY_TOKEN_FILE: &str = "TKE_IDENTITY_TOKEN_FILE";
/// Variable holding the ARN of the role to assume (set by TKE).
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// The largest token file read; OIDC tokens are a few kilobytes.
pub const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;

const PROVIDER: &str = "web identity";

/// Exchanges an OIDC token for temporary credentials with STS
/// `AssumeRoleWithWebIdentity`.
///
/// The token is read from its file on every call, since the platform rotates
/// it. The call is sent unsigned (`Authorization: SKIP`), as Tencent's SDKs
/// send it: the token is the proof of identity. Put the provider behind a
/// [`CachingProvider`](super::CachingProvider) to reuse the credentials until
/// shortly before they expire (the default chain does).
///
/// [`WebIdentityProvider::from_tke_env`] takes everything from the variables
/// TKE sets in a pod: `TKE_REGION`, `TKE_PROVIDER_ID`,
/// `TKE_WEB_IDENTITY_TOKEN_FILE` (or `TKE_IDENTITY_TOKEN_FILE`) and `TKE_ROLE_ARN`.
/// With none of them set the source is absent; with only some, it is an
/// error naming the missing ones.
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    settings: Settings,
    call: StsCall,
    session_name: Option<String>,
}

#[derive(Debug, Clone)]
enum Settings {
    Given {
        provider_id: String,
        token_file: PathBuf,
        role_arn: String,
    },
    FromTkeEnv,
}

impl WebIdentityProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by identity
    /// provider `provider_id`, calling STS in `region`.
    pub fn new(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Self {
        let mut call = StsCall::new(PROVIDER);
        call.region = region.into();
        Self {
            settings: Settings::Given {
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
            },
            call,
            session_name: None,
        }
    }

    /// Reads its settings from the TKE variables of `env` at each call.
    pub fn from_tke_env(env: Env) -> Self {
        let mut call = StsCall::new(PROVIDER);
        call.env = env;
        Self {
            settings: Settings::FromTkeEnv,
            call,
            session_name: None,
        }
    }

    /// The session name (default: `tencentcloud-rust-sdk-` and the time in microseconds).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials should last (default [`DEFAULT_ROLE_DURATION`](super::DEFAULT_ROLE_DURATION)).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.call.duration = duration;
        self
    }

    /// Calls STS at this endpoint URL (default: `TENCENTCLOUD_STS_ENDPOINT_URL`,
    /// else `https://sts.tencentcloudapi.com`).
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.call.endpoint = Some(url.into());
        self
    }

    /// Reads `TENCENTCLOUD_STS_ENDPOINT_URL` and the proxy variables (and,
    /// from [`from_tke_env`](Self::from_tke_env), the TKE variables) from `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.call.env = env;
        self
    }

    /// The region, provider, token file and role, from the settings given or the TKE variables.
    fn resolve(&self) -> Result<(String, String, PathBuf, String), CredentialsError> {
        match &self.settings {
            Settings::Given {
                provider_id,
                token_file,
                role_arn,
            } => Ok((
                self.call.region.clone(),
                provider_id.clone(),
                token_file.clone(),
                role_arn.clone(),
            )),
            Settings::FromTkeEnv => {
                let env = &self.call.env;
                let token_file = env
                    .get(ENV_TKE_WEB_IDENTITY_TOKEN_FILE)
                    .or_else(|| env.get(ENV_TKE_IDENTITY_TOKEN_FILE));
                match (
                    env.get(ENV_TKE_REGION),
                    env.get(ENV_TKE_PROVIDER_ID),
                    token_file,
                    env.get(ENV_TKE_ROLE_ARN),
                ) {
                    (Some(region), Some(provider_id), Some(token_file), Some(role_arn)) => {
                        Ok((region, provider_id, PathBuf::from(token_file), role_arn))
                    }
                    (None, None, None, None) => Err(CredentialsError::not_configured(
                        PROVIDER,
                        format!("{ENV_TKE_ROLE_ARN} and the other TKE variables are not set"),
                    )),
                    (region, provider_id, token_file, role_arn) => {
                        let missing: Vec<&str> = [
                            (ENV_TKE_REGION, region.is_none()),
                            (ENV_TKE_PROVIDER_ID, provider_id.is_none()),
                            (ENV_TKE_WEB_IDENTITY_TOKEN_FILE, token_file.is_none()),
                            (ENV_TKE_ROLE_ARN, role_arn.is_none()),
                        ]
                        .into_iter()
                        .filter_map(|(name, missing)| missing.then_some(name))
                        .collect();
                        Err(CredentialsError::invalid(
                            PROVIDER,
                            format!(
                                "TKE variables are set but {} missing or empty",
                                missing.join(", ")
                            ),
                        ))
                    }
                }
            }
        }
    }

    async fn exchange(&self) -> Result<Credentials, CredentialsError> {
        let (region, provider_id, token_file, role_arn) = self.resolve()?;
        let token = read_token(token_file).await?;
        let session_name = self.session_name.clone().unwrap_or_else(|| {
            let micros = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_micros();
            format!("tencentcloud-rust-sdk-{micros}")
        });
        let request = WebIdentityRequest {
            provider_id: &provider_id,
            web_identity_token: &token,
            role_arn: &role_arn,
            role_session_name: &session_name,
            duration_seconds: self.call.duration.as_secs(),
        };
        let mut call = self.call.clone();
        call.region = region;
        call.send("AssumeRoleWithWebIdentity", None, &request).await
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.exchange())
    }
}

#[derive(Serialize)]
struct WebIdentityRequest<'a> {
    #[serde(rename = "ProviderId")]
    provider_id: &'a str,
    #[serde(rename = "WebIdentityToken")]
    web_identity_token: &'a str,
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    role_session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration_seconds: u64,
}

/// Reads the token file (bounded, off the async executor), trimmed.
async fn read_token(path: PathBuf) -> Result<zeroize::Zeroizing<String>, CredentialsError> {
    let shown = path.display().to_string();
    let read = move || -> Result<String, String> {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let mut text = String::new();
        file.take(MAX_TOKEN_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        if text.len() as u64 > MAX_TOKEN_FILE_BYTES {
            return Err(format!("it is larger than {MAX_TOKEN_FILE_BYTES} bytes"));
        }
        Ok(text)
    };
    let text = tokio::task::spawn_blocking(read)
        .await
        .map_err(|e| e.to_string())
        .and_then(|result| result)
        .map_err(|e| {
            CredentialsError::invalid(PROVIDER, format!("cannot read the token file {shown}: {e}"))
        })?;
    let text = zeroize::Zeroizing::new(text);
    let token = text.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid(
            PROVIDER,
            format!("the token file {shown} is empty"),
        ));
    }
    Ok(zeroize::Zeroizing::new(token.to_owned()))
}
