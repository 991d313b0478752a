//! Temporary credentials from Tencent Cloud STS (`sts`, API 2018-08-13):
//! `AssumeRole` over base credentials, and the call shared with the
//! web-identity provider.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::de::{self, Decode, Member, Members, Reader};

use super::env::Env;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::config::Config;
use crate::rate_limit::RateLimit;
use crate::{ActionInfo, BoxFuture, Error, ServiceClient, ServiceInfo};

/// STS as a service: what goes into the host, the signature and `X-TC-Version`.
const STS: ServiceInfo = ServiceInfo {
    name: "sts",
    version: "2018-08-13",
    default_host: "sts.tencentcloudapi.com",
};

/// Variable overriding the STS endpoint (checked like every endpoint). The
/// global `TENCENTCLOUD_ENDPOINT_URL` does not apply to STS: it usually
/// points at the service being called, not at STS.
pub const ENV_STS_ENDPOINT_URL: &str = "TENCENTCLOUD_STS_ENDPOINT_URL";

/// The validity asked for by default, as in Tencent's SDKs (the service allows up to 12 hours).
pub const DEFAULT_ROLE_DURATION: Duration = Duration::from_secs(7200);

/// The region STS calls are sent to when none is given, as in Tencent's Python SDK.
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";

/// Limit on one STS call, retries included.
const STS_TIMEOUT: Duration = Duration::from_secs(30);

/// Assumes a CAM role with STS `AssumeRole`, signing the call with base credentials.
///
/// Each [`provide`](ProvideCredentials::provide) asks STS for new temporary
/// credentials; put it behind a
/// [`CachingProvider`](super::CachingProvider) to reuse them until five
/// minutes before they expire (the default chain does). STS is reached at
/// `https://sts.tencentcloudapi.com` unless [`with_endpoint`](Self::with_endpoint)
/// or `TENCENTCLOUD_STS_ENDPOINT_URL` says otherwise.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    base: Arc<dyn ProvideCredentials>,
    call: StsCall,
    role_arn: String,
    session_name: String,
}

/// Where and how an STS call is made.
#[derive(Debug, Clone)]
pub(crate) struct StsCall {
    pub(crate) provider: &'static str,
    pub(crate) region: String,
    pub(crate) endpoint: Option<String>,
    pub(crate) duration: Duration,
    pub(crate) env: Env,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` (e.g. `qcs::cam::uin/100000000001:roleName/ops`) as
    /// session `session_name`, signing with `base`.
    pub fn new(
        base: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> Self {
        Self {
            base: Arc::new(base),
            call: StsCall::new("sts assume role"),
            role_arn: role_arn.into(),
            session_name: session_name.into(),
        }
    }

    /// How long the credentials should last (default [`DEFAULT_ROLE_DURATION`]).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.call.duration = duration;
        self
    }

    /// The region sent with the call (default [`DEFAULT_STS_REGION`]).
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.call.region = region.into();
        self
    }

    /// Calls STS at this endpoint URL (e.g. a regional one, or a test server).
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.call.endpoint = Some(url.into());
        self
    }

    /// Reads `TENCENTCLOUD_STS_ENDPOINT_URL` and the proxy variables from `env`
    /// instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.call.env = env;
        self
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let request = AssumeRoleRequest {
            role_arn: &self.role_arn,
            role_session_name: &self.session_name,
            duration_seconds: self.call.duration.as_secs(),
        };
        self.call
            .send("AssumeRole", Some(Arc::clone(&self.base)), &request)
            .await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.assume())
    }
}

#[derive(Serialize)]
struct AssumeRoleRequest<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    role_session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration_seconds: u64,
}

/// The part of STS's answer that matters. No `Debug`: it holds secrets.
#[derive(Default)]
struct StsAnswer {
    credentials: StsKeys,
    expired_time: i64,
}

impl Decode for StsAnswer {
    fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
        static MEMBERS: Members = Members::new(
            "StsAnswer",
            &[Member::sent("Credentials"), Member::sent("ExpiredTime")],
        );
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.credentials),
            1 => reader.read(&mut value.expired_time),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[derive(Default)]
struct StsKeys {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
}

impl Decode for StsKeys {
    fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
        static MEMBERS: Members = Members::new(
            "Credentials",
            &[
                Member::sent("TmpSecretId").secret(),
                Member::sent("TmpSecretKey").secret(),
                Member::sent("Token").secret(),
            ],
        );
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.tmp_secret_id),
            1 => reader.read(&mut value.tmp_secret_key),
            2 => reader.read(&mut value.token),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

impl StsCall {
    pub(crate) fn new(provider: &'static str) -> Self {
        Self {
            provider,
            region: DEFAULT_STS_REGION.to_owned(),
            endpoint: None,
            duration: DEFAULT_ROLE_DURATION,
            env: Env::process(),
        }
    }

    /// Calls `action` with `request`, signed with `signer` or, without one,
    /// unsigned (`Authorization: SKIP`), and reads the credentials out of the answer.
    pub(crate) async fn send<R: Serialize + Sync>(
        &self,
        action: &'static str,
        signer: Option<Arc<dyn ProvideCredentials>>,
        request: &R,
    ) -> Result<Credentials, CredentialsError> {
        let provider = self.provider;
        let endpoint = self
            .endpoint
            .clone()
            .or_else(|| self.env.get(ENV_STS_ENDPOINT_URL));
        let mut builder = Config::builder()
            .region(self.region.clone())
            .env(self.env.clone())
            .operation_timeout(STS_TIMEOUT)
            .rate_limit(RateLimit::Disabled);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint(endpoint);
        }
        let unsigned = signer.is_none();
        builder = match signer {
            Some(signer) => builder.credentials(signer),
            // Never asked for; set so that no default chain is built for nothing.
            None => builder.credentials(Credentials::new("", "")),
        };
        let mut config = builder
            .build()
            .map_err(|e| CredentialsError::invalid(provider, e.to_string()))?;
        if unsigned {
            config.unsigned = true;
        }
        let client = ServiceClient::new(STS, config);
        // Asking again only hands out another set of credentials, so the call
        // is retried like a read. The answer holds credentials: errors must not quote it.
        let info = ActionInfo {
            name: action,
            read_only: true,
            rate_limit_per_second: 0,
            sensitive_output: true,
        };
        let answer: StsAnswer = client
            .call::<_, StsAnswer, String>(&info, request)
            .await
            .map_err(|e| match e {
                Error::Credentials(e) => e,
                Error::Service(e) | Error::Throttled(e) => {
                    CredentialsError::invalid(provider, format!("STS refused {action}: {e}"))
                }
                other => {
                    CredentialsError::unavailable(provider, format!("STS {action} failed: {other}"))
                }
            })?;
        let bad = |what: &str| {
            CredentialsError::unavailable(provider, format!("STS answered {action} with {what}"))
        };
        let keys = answer.credentials;
        if keys.tmp_secret_id.trim().is_empty()
            || keys.tmp_secret_key.trim().is_empty()
            || keys.token.is_empty()
        {
            return Err(bad("empty credentials"));
        }
        let expires_at = u64::try_from(answer.expired_time)
            .ok()
            .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
            .ok_or_else(|| bad("an `ExpiredTime` out of range"))?;
        Ok(Credentials::new(keys.tmp_secret_id, keys.tmp_secret_key)
            .with_token(keys.token)
            .with_expiry(expires_at))
    }
}
