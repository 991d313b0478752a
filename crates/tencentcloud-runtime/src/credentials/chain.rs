//! Provider chains and the default chain.

use std::sync::Arc;

use super::cache::CachingProvider;
use super::env::{Env, EnvironmentProvider};
use super::instance_role::InstanceRoleProvider;
use super::profile::ProfileFileProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// Tries providers in order and returns the first credentials obtained.
///
/// Any error moves on to the next provider; if all fail, the result is a
/// [`CredentialsError::Chain`] holding each provider's error in order.
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
                Err(error) => {
                    tracing::debug!(%error, "credentials source did not serve");
                    attempts.push(error);
                }
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

/// The standard way to find credentials: the environment
/// ([`EnvironmentProvider`]), then the credentials file
/// ([`ProfileFileProvider`]), then the CVM instance role
/// ([`InstanceRoleProvider`]), the whole behind a [`CachingProvider`].
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
            .with(ProfileFileProvider::from_env(env))
            .with(instance_role);
        Self {
            inner: CachingProvider::new(chain),
        }
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
/// then the credentials file, then the CVM instance role, cached.
pub fn default_provider() -> DefaultChain {
    DefaultChain::new()
}
