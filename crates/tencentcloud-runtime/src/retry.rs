//! Which failures are worth another attempt, and how long to wait before it.
//!
//! Every failure falls into one [`Class`]. Whether a failed attempt is
//! repeated also depends on whether the request may have reached the service:
//!
//! | failure | class | repeated |
//! | --- | --- | --- |
//! | `RequestLimitExceeded*` (or HTTP 429) | [`Class::Throttling`] | always: the service did not act |
//! | connection not established (refused, connect timeout) | [`Class::Transient`] | always: nothing was sent |
//! | timeout or broken connection after sending, HTTP 5xx, `InternalError*`, `ServiceUnavailable` | [`Class::Transient`] | only for read-only actions, unless [`RetryConfig::retry_non_idempotent`] |
//! | anything else | [`Class::Permanent`] | never |
//!
//! Waits grow exponentially with "full jitter": the n-th retry waits a random
//! time between zero and `base * 2^(n-1)` (capped), so that many clients
//! failing together do not retry together. After throttling the wait is
//! between half the ceiling and the ceiling, and never under
//! [`MIN_THROTTLING_BACKOFF`], whatever the settings: a throttled call
//! retried at once would only be throttled again.

use std::time::Duration;

use crate::error::{Error, ErrorCode};

/// How the retry loop treats a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The service refused because of its rate limit; it did not act, so retrying is always safe.
    Throttling,
    /// A passing fault (server error, broken connection, timeout): retrying may succeed.
    Transient,
    /// Retrying will fail the same way.
    Permanent,
}

/// Classifies a service error code by its family (the part before the first `.`).
pub fn classify_code(code: &str) -> Class {
    let family = code.split('.').next().unwrap_or(code);
    match family {
        "RequestLimitExceeded" => Class::Throttling,
        "InternalError" | "ServiceUnavailable" => Class::Transient,
        _ => Class::Permanent,
    }
}

/// Classifies any error a call can return.
pub fn classify<C: ErrorCode>(error: &Error<C>) -> Class {
    match error {
        Error::Service(e) => classify_code(e.code.as_str()),
        Error::Throttled(_) | Error::RateLimited { .. } => Class::Throttling,
        Error::Timeout { .. } | Error::Transport { .. } => Class::Transient,
        Error::UnexpectedStatus { status: 429, .. } => Class::Throttling,
        Error::UnexpectedStatus { status, .. } if *status >= 500 => Class::Transient,
        _ => Class::Permanent,
    }
}

/// The shortest wait before retrying after throttling.
pub const MIN_THROTTLING_BACKOFF: Duration = Duration::from_millis(10);

/// The default number of attempts per call, the first included.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// How failed attempts are repeated. Set it with
/// [`ConfigBuilder::retry`](crate::ConfigBuilder::retry).
///
/// The defaults: 3 attempts; waits starting at 100 ms after transient
/// failures and at 1 s after throttling (the service's limits are per
/// second), never above 20 s; actions that change something are not
/// repeated once the request may have reached the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) throttling_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Duration::from_millis(100),
            throttling_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            retry_non_idempotent: false,
        }
    }
}

impl RetryConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt per call: failures are returned at once.
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts per call, the first included (0 counts as 1).
    ///
    /// A correction of the timestamp after `AuthFailure.SignatureExpire` is
    /// not counted: it is at most one extra attempt.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest possible wait before the first retry after a transient failure; it doubles with each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest possible wait before the first retry after throttling; it doubles with each retry.
    pub fn throttling_backoff(mut self, backoff: Duration) -> Self {
        self.throttling_backoff = backoff;
        self
    }

    /// No wait is longer than this.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Also repeat actions that change something after failures where the
    /// request may have reached the service (timeouts, broken connections,
    /// 5xx, `InternalError`). The action may then be carried out twice: turn
    /// this on only when the actions used are idempotent in practice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The longest wait before retry number `retry` (1 for the first retry)
    /// after a failure of class `class`: the base for the class doubled
    /// `retry - 1` times, capped by the maximum.
    pub fn backoff_ceiling(&self, retry: u32, class: Class) -> Duration {
        let base = match class {
            Class::Throttling => self.throttling_backoff,
            Class::Transient | Class::Permanent => self.initial_backoff,
        };
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = base.saturating_mul(factor).min(self.max_backoff);
        match class {
            Class::Throttling => ceiling.max(MIN_THROTTLING_BACKOFF),
            Class::Transient | Class::Permanent => ceiling,
        }
    }

    /// A random wait up to [`backoff_ceiling`](Self::backoff_ceiling): from
    /// zero ("full jitter"), or from half the ceiling after throttling.
    pub fn backoff(&self, retry: u32, class: Class) -> Duration {
        let ceiling =
            u64::try_from(self.backoff_ceiling(retry, class).as_nanos()).unwrap_or(u64::MAX);
        let floor = match class {
            Class::Throttling => ceiling / 2,
            Class::Transient | Class::Permanent => 0,
        };
        Duration::from_nanos(fastrand::u64(floor..=ceiling))
    }

    /// Whether a failure of class `class` may be repeated, given whether the
    /// request may have reached the service and whether the action only reads.
    pub fn allows(&self, class: Class, may_have_reached_service: bool, read_only: bool) -> bool {
        match class {
            Class::Permanent => false,
            Class::Throttling => true,
            Class::Transient => !may_have_reached_service || read_only || self.retry_non_idempotent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

    #[test]
    fn codes_are_classified_by_family() {
        assert_eq!(classify_code("RequestLimitExceeded"), Class::Throttling);
        assert_eq!(
            classify_code("RequestLimitExceeded.UinLimitExceeded"),
            Class::Throttling
        );
        assert_eq!(
            classify_code("RequestLimitExceeded.GlobalRegionUinLimitExceeded"),
            Class::Throttling
        );
        assert_eq!(classify_code("InternalError"), Class::Transient);
        assert_eq!(classify_code("InternalError.DBError"), Class::Transient);
        assert_eq!(classify_code("ServiceUnavailable"), Class::Transient);
        assert_eq!(classify_code("InvalidParameter"), Class::Permanent);
        assert_eq!(
            classify_code("AuthFailure.SignatureExpire"),
            Class::Permanent
        );
        assert_eq!(classify_code("RequestLimitExceededX"), Class::Permanent);
        assert_eq!(classify_code(""), Class::Permanent);
    }

    fn service(code: &str) -> ServiceError<String> {
        ServiceError {
            code: code.to_owned(),
            message: String::new(),
            request_id: String::new(),
        }
    }

    #[test]
    fn errors_are_classified() {
        let cases: Vec<(Error<String>, Class)> = vec![
            (
                Error::Service(service("RequestLimitExceeded")),
                Class::Throttling,
            ),
            (
                Error::Throttled(service("RequestLimitExceeded")),
                Class::Throttling,
            ),
            (
                Error::Service(service("InternalError.DBError")),
                Class::Transient,
            ),
            (
                Error::Service(service("ResourceNotFound")),
                Class::Permanent,
            ),
            (
                Error::Timeout {
                    after: Duration::from_secs(1),
                },
                Class::Transient,
            ),
            (
                Error::Transport {
                    message: "reset".into(),
                    source: "reset".into(),
                },
                Class::Transient,
            ),
            (
                Error::UnexpectedStatus {
                    status: 502,
                    body_excerpt: String::new(),
                },
                Class::Transient,
            ),
            (
                Error::UnexpectedStatus {
                    status: 503,
                    body_excerpt: String::new(),
                },
                Class::Transient,
            ),
            (
                Error::UnexpectedStatus {
                    status: 429,
                    body_excerpt: String::new(),
                },
                Class::Throttling,
            ),
            (
                Error::UnexpectedStatus {
                    status: 404,
                    body_excerpt: String::new(),
                },
                Class::Permanent,
            ),
            (
                Error::Decode {
                    message: String::new(),
                    path: String::new(),
                    body_excerpt: String::new(),
                },
                Class::Permanent,
            ),
            (Error::ResponseTooLarge { limit: 1 }, Class::Permanent),
            (
                Error::InvalidRequest {
                    message: String::new(),
                },
                Class::Permanent,
            ),
            (Error::Unimplemented { action: "A" }, Class::Permanent),
        ];
        for (error, class) in cases {
            assert_eq!(classify(&error), class, "{error:?}");
            assert_eq!(error.is_retryable(), class != Class::Permanent, "{error:?}");
        }
    }

    #[test]
    fn only_safe_failures_of_writes_are_repeated() {
        let config = RetryConfig::default();
        // Reads: anything not permanent.
        assert!(config.allows(Class::Transient, true, true));
        assert!(config.allows(Class::Throttling, true, true));
        assert!(!config.allows(Class::Permanent, false, true));
        // Writes: only when the service certainly did not act.
        assert!(config.allows(Class::Throttling, true, false));
        assert!(config.allows(Class::Transient, false, false));
        assert!(!config.allows(Class::Transient, true, false));
        // Unless the caller opts in.
        assert!(
            config
                .clone()
                .retry_non_idempotent(true)
                .allows(Class::Transient, true, false)
        );
        assert!(
            !config
                .retry_non_idempotent(true)
                .allows(Class::Permanent, true, false)
        );
    }

    #[test]
    fn backoff_ceiling_doubles_up_to_the_cap() {
        let config = RetryConfig::default();
        let ms = Duration::from_millis;
        assert_eq!(config.backoff_ceiling(1, Class::Transient), ms(100));
        assert_eq!(config.backoff_ceiling(2, Class::Transient), ms(200));
        assert_eq!(config.backoff_ceiling(3, Class::Transient), ms(400));
        assert_eq!(config.backoff_ceiling(1, Class::Throttling), ms(1_000));
        assert_eq!(config.backoff_ceiling(3, Class::Throttling), ms(4_000));
        assert_eq!(config.backoff_ceiling(9, Class::Throttling), ms(20_000));
        // No overflow however many retries.
        assert_eq!(config.backoff_ceiling(40, Class::Transient), ms(20_000));
        assert_eq!(
            config.backoff_ceiling(u32::MAX, Class::Throttling),
            ms(20_000)
        );
        // Retry 0 is treated like the first.
        assert_eq!(config.backoff_ceiling(0, Class::Transient), ms(100));
    }

    #[test]
    fn backoff_is_jittered_within_bounds() {
        let config = RetryConfig::default();
        for retry in 1..=6 {
            let ceiling = config.backoff_ceiling(retry, Class::Transient);
            let samples: Vec<Duration> = (0..500)
                .map(|_| config.backoff(retry, Class::Transient))
                .collect();
            assert!(samples.iter().all(|d| *d <= ceiling), "retry {retry}");
            // Full jitter spreads over the whole range, not just near the ceiling.
            assert!(samples.iter().any(|d| *d < ceiling / 4), "retry {retry}");
            assert!(
                samples.iter().any(|d| *d > ceiling * 3 / 4),
                "retry {retry}"
            );
        }
        let zero = RetryConfig::default().initial_backoff(Duration::ZERO);
        assert_eq!(zero.backoff(3, Class::Transient), Duration::ZERO);
    }

    #[test]
    fn throttling_never_retries_without_a_wait() {
        let zero = RetryConfig::default()
            .throttling_backoff(Duration::ZERO)
            .max_backoff(Duration::ZERO);
        for retry in 1..=4 {
            assert_eq!(
                zero.backoff_ceiling(retry, Class::Throttling),
                MIN_THROTTLING_BACKOFF
            );
            let waits: Vec<Duration> = (0..200)
                .map(|_| zero.backoff(retry, Class::Throttling))
                .collect();
            assert!(
                waits.iter().all(|d| *d >= MIN_THROTTLING_BACKOFF / 2),
                "{waits:?}"
            );
        }
        let default = RetryConfig::default();
        let waits: Vec<Duration> = (0..200)
            .map(|_| default.backoff(1, Class::Throttling))
            .collect();
        assert!(
            waits.iter().all(|d| *d >= Duration::from_millis(500)),
            "{waits:?}"
        );
    }

    #[test]
    fn attempts_are_at_least_one() {
        assert_eq!(RetryConfig::new().max_attempts(0).max_attempts, 1);
        assert_eq!(RetryConfig::disabled().max_attempts, 1);
        assert_eq!(RetryConfig::new().max_attempts, DEFAULT_MAX_ATTEMPTS);
    }
}
