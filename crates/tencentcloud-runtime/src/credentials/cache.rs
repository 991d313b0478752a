//! The caching, refreshing provider.

use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;
use crate::clock::ServiceClock;

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
/// yet, those are returned instead of the error. Otherwise the failure is
/// shared: every caller asking within [`FAILURE_HOLD`] of it (doubling after
/// each further failure, up to [`MAX_FAILURE_HOLD`]) gets the same error
/// without asking the inner provider again, so a broken source is not
/// hammered by each waiting caller in turn. The first success ends the hold.
///
/// Expiry is judged by the local clock, or by a [`ServiceClock`] given with
/// [`with_clock`](Self::with_clock) (the default chain of a
/// [`Config`](crate::Config) uses the client's, corrected for skew).
#[derive(Debug)]
pub struct CachingProvider<P> {
    inner: P,
    margin: Duration,
    clock: Option<ServiceClock>,
    cached: RwLock<Option<Credentials>>,
    failed: Mutex<Option<Failed>>,
    refreshing: tokio::sync::Mutex<()>,
}

/// How long a failed refresh is shared before the inner provider is asked again.
pub const FAILURE_HOLD: Duration = Duration::from_secs(1);
/// The longest a failure is shared, however many in a row.
pub const MAX_FAILURE_HOLD: Duration = Duration::from_secs(16);

/// The latest failed refresh.
#[derive(Debug)]
struct Failed {
    error: CredentialsError,
    until: Instant,
    in_a_row: u32,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches `inner`'s credentials with the default refresh margin.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            margin: DEFAULT_REFRESH_MARGIN,
            clock: None,
            cached: RwLock::new(None),
            failed: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes credentials once they are within `margin` of expiry.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Judges expiry by `clock` (e.g. a client's, corrected for skew against the service).
    pub fn with_clock(mut self, clock: ServiceClock) -> Self {
        self.clock = Some(clock);
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
        *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn now(&self) -> SystemTime {
        self.clock
            .as_ref()
            .map_or_else(SystemTime::now, ServiceClock::system_time)
    }

    /// The failure still being shared, if any.
    fn held_failure(&self) -> Option<CredentialsError> {
        let failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        failed
            .as_ref()
            .filter(|f| Instant::now() < f.until)
            .map(|f| f.error.clone())
    }

    fn record_failure(&self, error: &CredentialsError) {
        let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        let in_a_row = failed.as_ref().map_or(1, |f| f.in_a_row.saturating_add(1));
        let factor = 1u32.checked_shl(in_a_row - 1).unwrap_or(u32::MAX);
        let hold = FAILURE_HOLD.saturating_mul(factor).min(MAX_FAILURE_HOLD);
        *failed = Some(Failed {
            error: error.clone(),
            until: Instant::now() + hold,
            in_a_row,
        });
    }

    fn cached(&self) -> Option<Credentials> {
        self.cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn fresh_cached(&self) -> Option<Credentials> {
        self.cached()
            .filter(|c| is_fresh(c, self.margin, self.now()))
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        if let Some(error) = self.held_failure() {
            return Err(error);
        }
        let _guard = self.refreshing.lock().await;
        // Another caller may have refreshed, or failed to, while this one waited.
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        if let Some(error) = self.held_failure() {
            return Err(error);
        }
        match self.inner.provide().await {
            Ok(credentials) => {
                *self.cached.write().unwrap_or_else(PoisonError::into_inner) =
                    Some(credentials.clone());
                *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = None;
                Ok(credentials)
            }
            Err(error) => match self.cached().filter(|c| !is_expired(c, self.now())) {
                Some(still_valid) => {
                    tracing::warn!(
                        %error,
                        "credentials refresh failed; using cached credentials until they expire"
                    );
                    Ok(still_valid)
                }
                None => {
                    self.record_failure(&error);
                    Err(error)
                }
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
