//! The caching, refreshing provider.

use std::sync::{PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// How long before expiry [`CachingProvider`] refreshes credentials by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Caches the credentials of another provider.
///
/// Cached credentials are returned until they come within the refresh margin
/// ([`DEFAULT_REFRESH_MARGIN`] unless changed) of their expiry; then the inner
/// provider is asked again. Credentials without an expiry are kept forever.
/// However many callers need a refresh at once, only one of them asks the
/// inner provider; the others wait for its answer.
///
/// If a refresh fails while the cached credentials have not actually expired
/// yet, those are returned instead of the error. Errors are never cached.
#[derive(Debug)]
pub struct CachingProvider<P> {
    inner: P,
    margin: Duration,
    cached: RwLock<Option<Credentials>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches `inner`'s credentials with the default refresh margin.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            margin: DEFAULT_REFRESH_MARGIN,
            cached: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes credentials once they are within `margin` of expiry.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The wrapped provider.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// Forgets the cached credentials, so the next call asks the inner
    /// provider (e.g. after the API rejected them).
    pub fn invalidate(&self) {
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn cached(&self) -> Option<Credentials> {
        self.cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn fresh_cached(&self) -> Option<Credentials> {
        self.cached()
            .filter(|c| is_fresh(c, self.margin, SystemTime::now()))
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        let _guard = self.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        match self.inner.provide().await {
            Ok(credentials) => {
                *self.cached.write().unwrap_or_else(PoisonError::into_inner) =
                    Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => match self.cached().filter(|c| !is_expired(c, SystemTime::now())) {
                Some(still_valid) => {
                    tracing::warn!(
                        %error,
                        "credentials refresh failed; using cached credentials until they expire"
                    );
                    Ok(still_valid)
                }
                None => Err(error),
            },
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachingProvider<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}

/// Valid for longer than `margin` from `now` (or forever).
fn is_fresh(credentials: &Credentials, margin: Duration, now: SystemTime) -> bool {
    match credentials.expires_at() {
        None => true,
        Some(at) => at.duration_since(now).is_ok_and(|left| left > margin),
    }
}

fn is_expired(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expires_at().is_some_and(|at| at <= now)
}
