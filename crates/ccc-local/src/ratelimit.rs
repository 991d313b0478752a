//! Per-action, per-application rate limiting, as the spec documents it.
//!
//! Each (action, key) pair, where the key is the request's `SdkAppId` (or the
//! caller's SecretId for an action without one), has a token bucket holding
//! at most `rate` tokens and refilled at `rate` per second: a burst of `rate`
//! calls passes at once, and the steady rate is `rate` per second. A call that
//! finds the bucket empty gets `RequestLimitExceeded`. Time comes from the
//! emulator's [`Clock`](crate::Clock), so tests with a manual clock are exact.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: f64,
}

/// Token buckets keyed by action and application.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: Mutex<HashMap<(String, String), Bucket>>,
}

impl RateLimiter {
    /// Takes one token for `(action, key)` at time `now` (seconds); false when none is left.
    pub(crate) fn try_acquire(&self, action: &str, key: &str, rate: u32, now: f64) -> bool {
        if rate == 0 {
            return true;
        }
        let rate = f64::from(rate);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets
            .entry((action.to_owned(), key.to_owned()))
            .or_insert(Bucket {
                tokens: rate,
                updated: now,
            });
        let elapsed = (now - bucket.updated).max(0.0);
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.updated = bucket.updated.max(now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let limiter = RateLimiter::default();
        let passed = (0..25)
            .filter(|_| limiter.try_acquire("A", "1", 20, 100.0))
            .count();
        assert_eq!(passed, 20);
        // Another application has its own bucket.
        assert!(limiter.try_acquire("A", "2", 20, 100.0));
        // 0.125 s later, two and a half more tokens.
        assert!(limiter.try_acquire("A", "1", 20, 100.125));
        assert!(limiter.try_acquire("A", "1", 20, 100.125));
        assert!(!limiter.try_acquire("A", "1", 20, 100.125));
    }
}
