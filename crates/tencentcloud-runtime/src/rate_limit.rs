//! The client-side rate limiter.
//!
//! Tencent Cloud limits each action to a number of calls per second per
//! account and answers `RequestLimitExceeded` beyond it. Recovering from that
//! costs a round trip and a backoff, so the client paces itself instead: no
//! more than the limit is sent in any one-second window.
//!
//! The limiter is a sliding-window log rather than a plain token bucket (or
//! GCRA, as in the `governor` crate): a bucket holding `rate` tokens lets
//! `rate` calls through at once and then `rate` more within the same second as
//! it refills, twice the limit. The log remembers the send times of the last
//! `rate` calls of each action; a call may go when the oldest of them is a
//! window old, so a burst of `rate` calls still goes out at once but no
//! one-second window ever holds more.
//!
//! Three properties keep the limiter useful under overload:
//!
//! * **Nothing is booked ahead.** A call takes its place in the log only at
//!   the moment it is let through. Waiting callers stand in a first-come,
//!   first-served queue; one that is dropped (cancelled, or cut short by its
//!   operation timeout) leaves the queue and the callers behind it move up.
//!   An earlier design booked a future send time on arrival and never gave it
//!   back, so under sustained overload the bookings ran further ahead than any
//!   deadline and nothing was sent at all.
//! * **Deadlines are known in advance.** On arrival a caller with a deadline
//!   is told the earliest time it could be let through if everyone ahead of it
//!   goes; if that lies at or past the deadline (the client passes the
//!   operation deadline less a quarter of the operation timeout, the time
//!   left for the request itself), it fails at once
//!   ([`Error::RateLimited`](crate::Error::RateLimited)) instead of waiting to
//!   time out. The estimate never undershoots: callers ahead who give up only
//!   make the turn come sooner.
//! * **Only the head of the queue watches the clock**; the others wait to be
//!   told that the queue moved, so a long queue costs no timers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
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

/// A caller whose turn would come only at or after its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PastDeadline {
    /// How long it would have had to wait.
    pub(crate) wait: Duration,
}

/// Pacing state of every action, shared by all clients built from one config.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    mode: RateLimit,
    actions: Mutex<HashMap<(&'static str, &'static str), Arc<Pace>>>,
}

/// The pacing of one action.
#[derive(Debug, Default)]
struct Pace {
    state: Mutex<PaceState>,
    /// Signalled whenever the queue moves (a caller let through or gone).
    moved: Notify,
}

#[derive(Debug, Default)]
struct PaceState {
    /// When the latest calls were let through, oldest first; at most `limit`
    /// entries, none older than a window.
    sent: VecDeque<Instant>,
    /// Tickets of the callers waiting, first come first.
    queue: VecDeque<u64>,
    next_ticket: u64,
}

impl PaceState {
    fn forget_old(&mut self, now: Instant) {
        while self.sent.front().is_some_and(|&at| at + WINDOW <= now) {
            self.sent.pop_front();
        }
    }

    fn let_through(&mut self, now: Instant, limit: usize) {
        self.sent.push_back(now);
        while self.sent.len() > limit {
            self.sent.pop_front();
        }
    }

    /// The earliest time the caller at `position` in the queue (0 = head) can
    /// be let through, if every caller ahead of it goes when its turn comes.
    ///
    /// Caller `k` takes the place of the `k mod limit`-th oldest entry of the
    /// log (free places counting as infinitely old), `k / limit` windows after
    /// that entry's own successor would have.
    fn turn_of(&self, position: usize, limit: usize, now: Instant) -> Instant {
        let free = limit - self.sent.len().min(limit);
        let index = position % limit;
        let first = if index < free {
            now
        } else {
            (self.sent[index - free] + WINDOW).max(now)
        };
        let rounds = u32::try_from(position / limit).unwrap_or(u32::MAX);
        first + WINDOW.saturating_mul(rounds)
    }
}

impl RateLimiter {
    pub(crate) fn new(mode: RateLimit) -> Self {
        Self {
            mode,
            actions: Mutex::new(HashMap::new()),
        }
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

    fn pace(&self, service: &'static str, action: &'static str) -> Arc<Pace> {
        let mut actions = self.actions.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(actions.entry((service, action)).or_default())
    }

    /// Waits until one more call of the action may be sent, and counts it as sent.
    ///
    /// Fails at once, without queueing, when the caller's turn could not come
    /// before `deadline`. Dropping the returned future gives up the caller's
    /// place in the queue.
    pub(crate) async fn acquire(
        &self,
        service: &'static str,
        action: &'static str,
        documented: u32,
        deadline: Option<Instant>,
    ) -> Result<(), PastDeadline> {
        let Some(limit) = self.limit(documented) else {
            return Ok(());
        };
        let pace = self.pace(service, action);
        let ticket = {
            let mut state = pace.lock();
            let now = Instant::now();
            state.forget_old(now);
            if state.queue.is_empty() && state.sent.len() < limit {
                state.let_through(now, limit);
                return Ok(());
            }
            let turn = state.turn_of(state.queue.len(), limit, now);
            if let Some(deadline) = deadline
                && turn >= deadline
            {
                return Err(PastDeadline { wait: turn - now });
            }
            let ticket = state.next_ticket;
            state.next_ticket += 1;
            state.queue.push_back(ticket);
            tracing::debug!(
                wait_ms = u64::try_from((turn - now).as_millis()).unwrap_or(u64::MAX),
                queued = state.queue.len(),
                "pacing to stay under the rate limit"
            );
            ticket
        };
        let mut place = Place {
            pace: &pace,
            ticket,
            served: false,
        };
        place.wait_for_turn(limit).await;
        Ok(())
    }
}

impl Pace {
    fn lock(&self) -> MutexGuard<'_, PaceState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A caller's place in the queue; leaving it (by being dropped) lets the
/// callers behind move up.
struct Place<'a> {
    pace: &'a Pace,
    ticket: u64,
    served: bool,
}

impl Place<'_> {
    async fn wait_for_turn(&mut self, limit: usize) {
        loop {
            // Registered before looking at the queue, so that a move made
            // between the look and the wait is not missed.
            let moved = self.pace.moved.notified();
            tokio::pin!(moved);
            moved.as_mut().enable();
            let wake_at = {
                let mut state = self.pace.lock();
                if state.queue.front() != Some(&self.ticket) {
                    None
                } else {
                    let now = Instant::now();
                    state.forget_old(now);
                    if state.sent.len() < limit {
                        state.queue.pop_front();
                        state.let_through(now, limit);
                        self.served = true;
                        drop(state);
                        self.pace.moved.notify_waiters();
                        return;
                    }
                    Some(state.sent[state.sent.len() - limit] + WINDOW)
                }
            };
            match wake_at {
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = &mut moved => {}
                    }
                }
                None => moved.await,
            }
        }
    }
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if self.served {
            return;
        }
        let mut state = self.pace.lock();
        if let Some(index) = state.queue.iter().position(|&t| t == self.ticket) {
            state.queue.remove(index);
        }
        drop(state);
        self.pace.moved.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    limiter
                        .acquire("ccc", "DescribeThing", 20, None)
                        .await
                        .unwrap();
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
            limiter.acquire("ccc", "A", 2, None).await.unwrap();
            limiter.acquire("ccc", "B", 2, None).await.unwrap();
            limiter.acquire("cvm", "A", 2, None).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
        limiter.acquire("ccc", "A", 2, None).await.unwrap();
        assert_eq!(Instant::now() - start, WINDOW);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_frees_the_window() {
        let limiter = RateLimiter::new(RateLimit::PerSecond(1));
        limiter.acquire("ccc", "A", 50, None).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = Instant::now();
        limiter.acquire("ccc", "A", 50, None).await.unwrap();
        assert_eq!(Instant::now(), before);
        limiter.acquire("ccc", "A", 50, None).await.unwrap();
        assert_eq!(Instant::now() - before, WINDOW);
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_or_unknown_limits_do_not_pace() {
        let start = Instant::now();
        let limiter = RateLimiter::new(RateLimit::Disabled);
        for _ in 0..50 {
            limiter.acquire("ccc", "A", 20, None).await.unwrap();
        }
        let limiter = RateLimiter::new(RateLimit::ServiceLimits);
        for _ in 0..50 {
            limiter.acquire("ccc", "A", 0, None).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
        let limiter = RateLimiter::new(RateLimit::PerSecond(3));
        for _ in 0..4 {
            limiter.acquire("ccc", "A", 0, None).await.unwrap();
        }
        assert_eq!(Instant::now() - start, WINDOW);
    }

    /// A caller whose turn lies past its deadline is told so at once.
    #[tokio::test(start_paused = true)]
    async fn a_turn_past_the_deadline_fails_at_once() {
        let limiter = RateLimiter::new(RateLimit::PerSecond(2));
        let start = Instant::now();
        let soon = Some(start + Duration::from_millis(500));
        limiter.acquire("ccc", "A", 0, soon).await.unwrap();
        limiter.acquire("ccc", "A", 0, soon).await.unwrap();
        let err = limiter.acquire("ccc", "A", 0, soon).await.unwrap_err();
        assert_eq!(err.wait, WINDOW);
        assert_eq!(Instant::now(), start, "it did not wait");
        // With a deadline past its turn, it waits for it.
        limiter
            .acquire("ccc", "A", 0, Some(start + Duration::from_secs(2)))
            .await
            .unwrap();
        assert_eq!(Instant::now() - start, WINDOW);
    }

    /// Callers who give up leave the queue: nothing they were waiting for is
    /// lost, and later callers are let through at the full rate.
    #[tokio::test(start_paused = true)]
    async fn dropped_callers_give_their_place_back() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::PerSecond(2)));
        let start = Instant::now();
        limiter.acquire("ccc", "A", 0, None).await.unwrap();
        limiter.acquire("ccc", "A", 0, None).await.unwrap();
        // Ten callers queue up, then all give up after 50 ms.
        for _ in 0..10 {
            let limiter = Arc::clone(&limiter);
            let gave_up = tokio::time::timeout(
                Duration::from_millis(50),
                limiter.acquire("ccc", "A", 0, None),
            )
            .await;
            assert!(gave_up.is_err());
        }
        // The next caller is the head of an empty queue: its turn is a window
        // after the first two, not five windows later.
        limiter.acquire("ccc", "A", 0, None).await.unwrap();
        assert_eq!(Instant::now() - start, WINDOW);
        let state = limiter.pace("ccc", "A");
        assert!(state.lock().queue.is_empty());
    }

    #[test]
    fn turns_are_estimated_from_the_log() {
        let now = Instant::now();
        let mut state = PaceState::default();
        // Two free places of three: the first two in the queue go now.
        state.sent.push_back(now - Duration::from_millis(400));
        assert_eq!(state.turn_of(0, 3, now), now);
        assert_eq!(state.turn_of(1, 3, now), now);
        assert_eq!(state.turn_of(2, 3, now), now + Duration::from_millis(600));
        assert_eq!(state.turn_of(3, 3, now), now + WINDOW);
        assert_eq!(state.turn_of(5, 3, now), now + Duration::from_millis(1_600));
    }
}
