//! The client-side rate limiter.
//!
//! Tencent Cloud limits each action to a number of calls per second per
//! account and answers `RequestLimitExceeded` beyond it. Recovering from that
//! costs a round trip and a backoff, so the client paces itself instead: no
//! more than the limit is sent in any one-second window.
//!
//! The limiter is a sliding-window log rather than a plain token bucket: a
//! bucket holding `rate` tokens lets `rate` calls through at once and then
//! `rate` more within the same second as it refills, twice the limit. The log
//! remembers the send times of the last `rate` calls of each action and gives
//! the next call the slot one window after the oldest of them, so a burst of
//! `rate` calls still goes out at once but no one-second window ever holds more.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// How the client paces calls to keep under the service's rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// Keep each action under the limit the service documents for it
    /// ([`ActionInfo::rate_limit_per_second`](crate::ActionInfo::rate_limit_per_second)).
    /// The default.
    #[default]
    ServiceLimits,
    /// Keep each action under this many calls per second, whatever the service
    /// documents (e.g. when several processes share one account's limit).
    /// Must be at least 1.
    PerSecond(u32),
    /// Send as fast as the caller asks; rely on retries after `RequestLimitExceeded`.
    Disabled,
}

/// The window the service's limits are counted over.
const WINDOW: Duration = Duration::from_secs(1);

/// Pacing state of every action, shared by all clients built from one config.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    mode: RateLimit,
    /// Per (service, action): the send slots of the latest calls, oldest first,
    /// at most as many as the limit. Slots may lie in the future: they are
    /// reservations of callers still waiting for their turn.
    slots: Mutex<HashMap<(&'static str, &'static str), VecDeque<Instant>>>,
}

impl RateLimiter {
    pub(crate) fn new(mode: RateLimit) -> Self {
        Self { mode, slots: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn mode(&self) -> RateLimit {
        self.mode
    }

    /// The calls per second allowed for an action whose documented limit is `documented`
    /// (0 meaning unknown), or `None` when it is not limited.
    fn limit(&self, documented: u32) -> Option<usize> {
        let rate = match self.mode {
            RateLimit::ServiceLimits => documented,
            RateLimit::PerSecond(rate) => rate,
            RateLimit::Disabled => 0,
        };
        (rate > 0).then_some(rate as usize)
    }

    /// Reserves the earliest slot at which one more call of the action may be
    /// sent, or `None` when the action is not limited.
    ///
    /// Reserving (rather than waiting and re-checking) serves waiters in the
    /// order they arrived and wakes each exactly once.
    pub(crate) fn reserve(&self, service: &'static str, action: &'static str, documented: u32) -> Option<Instant> {
        let limit = self.limit(documented)?;
        let now = Instant::now();
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let log = slots.entry((service, action)).or_default();
        while log.front().is_some_and(|&slot| slot + WINDOW <= now) {
            log.pop_front();
        }
        // With `limit` slots in the log, the next one must come a window after
        // the oldest of them; with fewer, every slot is in the past, so now is free.
        let slot = if log.len() < limit { now } else { (log[log.len() - limit] + WINDOW).max(now) };
        log.push_back(slot);
        while log.len() > limit {
            log.pop_front();
        }
        Some(slot)
    }

    /// Waits until one more call of the action may be sent.
    pub(crate) async fn acquire(&self, service: &'static str, action: &'static str, documented: u32) {
        if let Some(slot) = self.reserve(service, action, documented)
            && slot > Instant::now()
        {
            tracing::debug!(
                wait_ms = (slot - Instant::now()).as_millis() as u64,
                "pacing to stay under the rate limit"
            );
            tokio::time::sleep_until(slot).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The most calls in any window of `window` among sorted send times.
    fn busiest_window(times: &[Instant], window: Duration) -> usize {
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= window {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_100_stays_under_20_per_second() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::ServiceLimits));
        let started = Instant::now();
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move {
                    limiter.acquire("ccc", "DescribeThing", 20).await;
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        assert_eq!(busiest_window(&times, WINDOW), 20);
        // 20 at once, then 20 more after each of the next four seconds.
        assert_eq!(times.iter().filter(|t| **t == started).count(), 20);
        assert_eq!(*times.last().unwrap() - started, Duration::from_secs(4));
    }

    #[tokio::test(start_paused = true)]
    async fn actions_are_paced_separately() {
        let limiter = RateLimiter::new(RateLimit::ServiceLimits);
        let start = Instant::now();
        for _ in 0..2 {
            limiter.acquire("ccc", "A", 2).await;
            limiter.acquire("ccc", "B", 2).await;
            limiter.acquire("cvm", "A", 2).await;
        }
        assert_eq!(Instant::now(), start);
        limiter.acquire("ccc", "A", 2).await;
        assert_eq!(Instant::now() - start, WINDOW);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_frees_the_window() {
        let limiter = RateLimiter::new(RateLimit::PerSecond(1));
        limiter.acquire("ccc", "A", 50).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = Instant::now();
        limiter.acquire("ccc", "A", 50).await;
        assert_eq!(Instant::now(), before);
        limiter.acquire("ccc", "A", 50).await;
        assert_eq!(Instant::now() - before, WINDOW);
    }

    #[test]
    fn disabled_or_unknown_limits_do_not_pace() {
        let limiter = RateLimiter::new(RateLimit::Disabled);
        assert!(limiter.reserve("ccc", "A", 20).is_none());
        let limiter = RateLimiter::new(RateLimit::ServiceLimits);
        assert!(limiter.reserve("ccc", "A", 0).is_none());
        let limiter = RateLimiter::new(RateLimit::PerSecond(3));
        assert!(limiter.reserve("ccc", "A", 0).is_some());
    }
}
