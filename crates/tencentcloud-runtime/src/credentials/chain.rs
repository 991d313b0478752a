//! Provider chains and the default chain.

use std::sync::Arc;

use super::cache::CachingProvider;
use super::env::{Env, EnvironmentProvider};
use super::instance_role::InstanceRoleProvider;
use super::profile::ProfileFileProvider;
use super::web_identity::WebIdentityProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;
use crate::clock::ServiceClock;

/// Tries providers in order and returns the first credentials obtained.
///
/// Only a source that is absent ([`CredentialsError::NotConfigured`]) moves
/// the chain on to the next. A source that is present but broken (a secret id
/// without its key, an unreadable or malformed profile file, a role the
/// service refuses) ends the chain with its own error, naming it: falling
/// through would silently sign as another identity. If every source is
/// absent, the result is a [`CredentialsError::Chain`] holding each one's
/// error in order.
#[derive(Debug, Clone, Default)]
pub struct ChainProvider {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl ChainProvider {
    /// An empty chain (which always fails until providers are added).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a provider, tried after those already in the chain.
    pub fn with(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Appends an already shared provider.
    pub fn with_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.providers.push(provider);
        self
    }

    async fn first(&self) -> Result<Credentials, CredentialsError> {
        let mut attempts = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.provide().await {
                Ok(credentials) => return Ok(credentials),
                Err(error) if error.is_not_configured() => {
                    tracing::debug!(%error, "credentials source absent; trying the next");
                    attempts.push(error);
                }
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError::Chain { attempts })
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.first())
    }
}

/// The standard way to find credentials, in the order of Tencent's Python
/// SDK: the environment ([`EnvironmentProvider`]), the credentials file
/// ([`ProfileFileProvider`], which may assume a role), the CVM instance role
/// ([`InstanceRoleProvider`]), then the TKE web identity
/// ([`WebIdentityProvider::from_tke_env`]), the whole behind a
/// [`CachingProvider`]. Only absent sources are skipped (see [`ChainProvider`]).
#[derive(Debug)]
pub struct DefaultChain {
    inner: CachingProvider<ChainProvider>,
}

impl DefaultChain {
    /// The default chain over the process environment and the standard
    /// metadata endpoint.
    pub fn new() -> Self {
        Self::from_parts(Env::process(), InstanceRoleProvider::new())
    }

    /// The default chain reading the given environment.
    pub fn from_env(env: Env) -> Self {
        Self::from_parts(env, InstanceRoleProvider::new())
    }

    /// The default chain reading the given environment and using the given
    /// instance-role provider (e.g. one pointed at another base URL).
    pub fn from_parts(env: Env, instance_role: InstanceRoleProvider) -> Self {
        let chain = ChainProvider::new()
            .with(EnvironmentProvider::from_env(env.clone()))
            .with(ProfileFileProvider::from_env(env.clone()))
            .with(instance_role)
            .with(WebIdentityProvider::from_tke_env(env));
        Self {
            inner: CachingProvider::new(chain),
        }
    }

    /// Judges the expiry of cached credentials by `clock` (a [`Config`](crate::Config)
    /// passes its own, corrected for skew against the service).
    pub fn with_clock(self, clock: ServiceClock) -> Self {
        Self {
            inner: self.inner.with_clock(clock),
        }
    }

    pub(crate) fn from_env_with_clock(env: Env, clock: ServiceClock) -> Self {
        Self::from_env(env).with_clock(clock)
    }

    /// The cache in front of the chain (e.g. to invalidate it).
    pub fn cache(&self) -> &CachingProvider<ChainProvider> {
        &self.inner
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.inner.provide()
    }
}

/// The [`DefaultChain`] over the process environment: environment variables,
/// the credentials file, the CVM instance role, then the TKE web identity, cached.
pub fn default_provider() -> DefaultChain {
    DefaultChain::new()
}
