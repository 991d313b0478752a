//! Credentials used to sign Tencent Cloud API 3.0 requests, and the sources
//! they can come from.
//!
//! A [`Credentials`] value is a `SecretId` / `SecretKey` pair, optionally with
//! a session token and an expiry (temporary credentials from CAM roles carry
//! both). Anything that can produce credentials implements
//! [`ProvideCredentials`]:
//!
//! * [`Credentials`] itself (fixed credentials),
//! * [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`
//!   and optionally `TENCENTCLOUD_SESSION_TOKEN` / `TENCENTCLOUD_TOKEN`,
//! * [`ProfileFileProvider`]: an INI credentials file such as
//!   `~/.tencentcloud/credentials`,
//! * [`InstanceRoleProvider`]: the CAM role bound to a CVM instance, read from
//!   the instance metadata service,
//! * [`AssumeRoleProvider`]: a CAM role assumed with STS `AssumeRole` over
//!   base credentials (also what a profile with `role_arn` does),
//! * [`WebIdentityProvider`]: a role assumed with an OIDC token through STS
//!   `AssumeRoleWithWebIdentity`, as in TKE pods,
//! * [`ChainProvider`]: the first of several providers that serves,
//! * [`CachingProvider`]: caches another provider's answer and refreshes it
//!   shortly before it expires.
//!
//! [`default_provider`] returns a [`DefaultChain`]: environment, profile file,
//! instance role, then TKE web identity, behind a cache: the order Tencent
//! Cloud's Python SDK uses. The chain moves on only past a source that is
//! absent; a source that is present but broken is an error naming it.
//!
//! Secrets never appear in `Debug` output or in error messages.

mod cache;
mod chain;
mod env;
mod instance_role;
mod profile;
mod sts;
mod web_identity;

pub use cache::{CachingProvider, DEFAULT_REFRESH_MARGIN, FAILURE_HOLD, MAX_FAILURE_HOLD};
pub use chain::{ChainProvider, DefaultChain, default_provider};
pub use env::{
    ENV_CREDENTIALS_FILE, ENV_PROFILE, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, ENV_TOKEN,
    Env, EnvironmentProvider,
};
pub use instance_role::{DEFAULT_METADATA_BASE_URL, InstanceRoleProvider, MAX_METADATA_BYTES};
pub use profile::{MAX_PROFILE_FILE_BYTES, ProfileFileProvider};
pub use sts::{
    AssumeRoleProvider, DEFAULT_ROLE_DURATION, DEFAULT_STS_REGION, ENV_STS_ENDPOINT_URL,
};
pub use web_identity::{
    ENV_TKE_IDENTITY_TOKEN_FILE, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE, MAX_TOKEN_FILE_BYTES, WebIdentityProvider,
};

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use zeroize::Zeroizing;

use crate::BoxFuture;

/// What `Debug` prints in place of a secret.
const REDACTED: &str = "***";

/// A Tencent Cloud API key pair, optionally temporary.
///
/// `Debug` shows the `SecretId` but never the `SecretKey` or the token, and
/// both are wiped from memory when the last copy is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: Zeroizing<String>,
    token: Option<Zeroizing<String>>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived credentials made of a `SecretId` and a `SecretKey`, with no
    /// token and no expiry.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: Zeroizing::new(secret_key.into()),
            token: None,
            expires_at: None,
        }
    }

    /// Adds the session token that temporary credentials must send along
    /// (the `X-TC-Token` header).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Zeroizing::new(token.into()));
        self
    }

    /// Records when these credentials stop being valid.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The `SecretId` (public identifier of the key pair).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The `SecretKey` used to sign requests. Keep it out of logs.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token of temporary credentials, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_ref().map(|token| token.as_str())
    }

    /// When these credentials expire, if they do.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A source of [`Credentials`].
///
/// The trait is object safe: use `Arc<dyn ProvideCredentials>` or
/// `Box<dyn ProvideCredentials>` to pick a source at run time.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Produces credentials, or says why this source cannot.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }
}

/// Why a credentials source could not produce credentials.
///
/// Every variant names the source (see [`CredentialsError::provider`]); none
/// ever contains a secret key, a token or a line of a credentials file.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source is simply not set up here (variables unset, no file, no
    /// role bound). A chain moves on to the next source.
    #[error("{provider}: not configured: {reason}")]
    NotConfigured {
        /// Name of the source, e.g. `environment`.
        provider: String,
        /// What was looked for and not found.
        reason: String,
    },
    /// The source is set up but unusable: a variable or key is missing, a
    /// section does not exist, a file cannot be read.
    #[error("{provider}: invalid configuration: {reason}")]
    Invalid {
        /// Name of the source.
        provider: String,
        /// What is wrong, naming the variable, file, section or key.
        reason: String,
    },
    /// A credentials file is not valid INI.
    #[error("{provider}: malformed file {}, line {line}: {reason}", path.display())]
    Malformed {
        /// Name of the source.
        provider: String,
        /// The offending file.
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: usize,
        /// What was expected on that line (the line itself is not repeated,
        /// since it may hold a secret).
        reason: String,
    },
    /// A remote source (the instance metadata service) could not be reached
    /// or answered something unusable.
    #[error("{provider}: unavailable: {reason}")]
    Unavailable {
        /// Name of the source.
        provider: String,
        /// The transport error, HTTP status or response problem.
        reason: String,
    },
    /// Every source of a chain failed; holds each one's error, in order.
    #[error("{}", describe_chain(attempts))]
    Chain {
        /// The error of each source tried, in the order tried.
        attempts: Vec<CredentialsError>,
    },
}

impl CredentialsError {
    /// Name of the source that failed, or `None` for a [`CredentialsError::Chain`].
    pub fn provider(&self) -> Option<&str> {
        match self {
            Self::NotConfigured { provider, .. }
            | Self::Invalid { provider, .. }
            | Self::Malformed { provider, .. }
            | Self::Unavailable { provider, .. } => Some(provider),
            Self::Chain { .. } => None,
        }
    }

    /// Whether the source is merely absent here (as opposed to broken). For
    /// a chain: whether every source tried was absent.
    pub fn is_not_configured(&self) -> bool {
        match self {
            Self::NotConfigured { .. } => true,
            Self::Chain { attempts } => attempts.iter().all(Self::is_not_configured),
            _ => false,
        }
    }

    pub(crate) fn not_configured(provider: &str, reason: impl Into<String>) -> Self {
        Self::NotConfigured {
            provider: provider.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(provider: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            provider: provider.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn unavailable(provider: &str, reason: impl Into<String>) -> Self {
        Self::Unavailable {
            provider: provider.to_owned(),
            reason: reason.into(),
        }
    }
}

fn describe_chain(attempts: &[CredentialsError]) -> String {
    if attempts.is_empty() {
        return "no credentials found: the provider chain is empty".to_owned();
    }
    let mut out = format!(
        "no credentials found; tried {} source{}:",
        attempts.len(),
        if attempts.len() == 1 { "" } else { "s" }
    );
    for (i, attempt) in attempts.iter().enumerate() {
        out.push_str(&format!(" ({}) {attempt}", i + 1));
        if i + 1 < attempts.len() {
            out.push(';');
        }
    }
    out
}
