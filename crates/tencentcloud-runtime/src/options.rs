//! Settings for one call that override the client's [`Config`].

use std::borrow::Cow;
use std::time::Duration;

use crate::config::Config;
use crate::retry::RetryConfig;

/// Overrides of the client's timeouts and retries for one call.
///
/// Unset settings keep the client's [`Config`]. Generated builders take them
/// with `send_with(options)`:
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_runtime::CallOptions;
///
/// // At most 2 s per attempt and no retries, for this call only.
/// let options = CallOptions::new().attempt_timeout(Duration::from_secs(2)).max_attempts(1);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    max_attempts: Option<u32>,
}

impl CallOptions {
    /// No overrides: the call behaves as the client's configuration says.
    pub fn new() -> Self {
        Self::default()
    }

    /// The longest one attempt may take (instead of
    /// [`ConfigBuilder::attempt_timeout`](crate::ConfigBuilder::attempt_timeout)).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The longest the whole call may take, waits and retries included (instead of
    /// [`ConfigBuilder::operation_timeout`](crate::ConfigBuilder::operation_timeout)).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How failed attempts are repeated (instead of
    /// [`ConfigBuilder::retry`](crate::ConfigBuilder::retry)).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Attempts for this call, the first included (0 counts as 1); the other
    /// retry settings stay as the client's (or [`retry`](Self::retry)'s).
    /// `max_attempts(1)` turns retries off.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The settings a call runs with: these overrides over `config`.
    pub(crate) fn resolve<'a>(&'a self, config: &'a Config) -> Settings<'a> {
        let mut retry = Cow::Borrowed(self.retry.as_ref().unwrap_or(&config.retry));
        if let Some(attempts) = self.max_attempts {
            retry = Cow::Owned(retry.into_owned().max_attempts(attempts));
        }
        Settings {
            attempt_timeout: self.attempt_timeout.or(config.attempt_timeout),
            operation_timeout: self.operation_timeout.or(config.operation_timeout),
            retry,
        }
    }
}

/// What one call runs with, after [`CallOptions`] are applied to the [`Config`].
pub(crate) struct Settings<'a> {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Cow<'a, RetryConfig>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_options_keep_the_config() {
        let config = Config::builder()
            .attempt_timeout(Duration::from_secs(7))
            .retry(RetryConfig::new().max_attempts(5))
            .build()
            .unwrap();
        let options = CallOptions::new();
        let settings = options.resolve(&config);
        assert_eq!(settings.attempt_timeout, Some(Duration::from_secs(7)));
        assert_eq!(settings.operation_timeout, None);
        assert_eq!(settings.retry.max_attempts, 5);

        let options = CallOptions::new()
            .attempt_timeout(Duration::from_millis(50))
            .operation_timeout(Duration::from_secs(1))
            .max_attempts(1);
        let settings = options.resolve(&config);
        assert_eq!(settings.attempt_timeout, Some(Duration::from_millis(50)));
        assert_eq!(settings.operation_timeout, Some(Duration::from_secs(1)));
        assert_eq!(settings.retry.max_attempts, 1);
        // Only the number of attempts changed.
        assert_eq!(settings.retry.initial_backoff, config.retry.initial_backoff);
    }
}
