//! One lease queue for what leaves the server (emails, status events): how
//! long to wait after a failed attempt and when to give up ([`Retry`]), and
//! the one worker loop that delivers whatever is due ([`spawn_worker`]). The
//! claim and the record of each outcome are one statement each in storage
//! (`store/sql/queue.rs`): claimed under a lease, sent with no transaction
//! open, settled by the lease's holder only.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use std::future::Future;
use std::sync::Arc;

/// When a failed delivery is tried again, and when it is given up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retry {
    /// The wait after the first failure; it doubles with each attempt.
    pub first_wait: Duration,
    /// The longest wait.
    pub longest_wait: Duration,
    /// ±20 % on each wait, so that many receivers' retries spread.
    pub jitter: bool,
    pub give_up: GiveUp,
}

/// When a delivery stops being tried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GiveUp {
    /// After this many attempts.
    AfterAttempts(i64),
    /// Once the thing delivered is this old.
    AfterAge(Duration),
}

impl Retry {
    /// When to try again after `attempts` failed attempts of something made
    /// at `since`; `None`: given up.
    pub fn after(
        &self,
        attempts: i64,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let exhausted = match self.give_up {
            GiveUp::AfterAttempts(max) => attempts >= max,
            GiveUp::AfterAge(age) => now - since > age,
        };
        if exhausted {
            return None;
        }
        Some(now + self.wait(attempts))
    }

    /// The wait after `attempts` failed attempts.
    pub fn wait(&self, attempts: i64) -> Duration {
        let doublings = (attempts.clamp(1, 21) - 1) as i32;
        let wait = (self.first_wait * (1i32 << doublings.min(20))).min(self.longest_wait);
        if !self.jitter {
            return wait;
        }
        let factor = rand::rng().random_range(0.8..1.2);
        Duration::milliseconds(((wait.num_milliseconds() as f64 * factor) as i64).max(1))
    }
}

/// Emails: 30 s doubling up to an hour, ten attempts.
pub const EMAILS: Retry = Retry {
    first_wait: Duration::seconds(30),
    longest_wait: Duration::hours(1),
    jitter: false,
    give_up: GiveUp::AfterAttempts(10),
};

/// Events: from the configured first wait, doubling up to an hour with
/// jitter, for three days.
pub fn events(first_wait: Duration) -> Retry {
    Retry {
        first_wait,
        longest_wait: Duration::hours(1),
        jitter: true,
        give_up: GiveUp::AfterAge(Duration::days(3)),
    }
}

/// How many rows one claim takes; a full batch is followed by another at
/// once.
pub const BATCH: usize = 20;

/// Delivers what is due whenever `signal` wakes it, and at least every
/// `every`; at once again after a full batch; until `stopping` (a delivery
/// under way ends first: `deliver` itself hands back what it has not done).
/// `deliver` answers how many it took.
pub fn spawn_worker<F, Fut>(
    what: &'static str,
    signal: Arc<tokio::sync::Notify>,
    stopping: tokio_util::sync::CancellationToken,
    every: std::time::Duration,
    mut deliver: F,
) -> tokio::task::JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<usize>> + Send,
{
    tokio::spawn(async move {
        while !stopping.is_cancelled() {
            match deliver().await {
                Ok(n) if n >= BATCH => continue,
                Ok(_) => {}
                Err(err) => tracing::error!(error = format!("{err:#}"), what, "delivery failed"),
            }
            tokio::select! {
                _ = tokio::time::timeout(every, signal.notified()) => {}
                _ = stopping.cancelled() => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        "2026-12-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn email_waits_double_and_are_capped_at_an_hour_and_ten_attempts_end_them() {
        let waits: Vec<i64> = [1, 2, 3, 50]
            .iter()
            .map(|n| EMAILS.wait(*n).num_seconds())
            .collect();
        assert_eq!(waits, [30, 60, 120, 3600]);
        assert!(EMAILS.after(9, t0(), t0()).is_some());
        assert_eq!(EMAILS.after(10, t0(), t0()), None);
    }

    #[test]
    fn event_waits_grow_with_jitter_and_stop_after_three_days() {
        let retry = events(Duration::seconds(5));
        for n in 1..=5 {
            let wait = (retry.after(n, t0(), t0()).unwrap() - t0()).num_milliseconds() as f64;
            let nominal = 5_000.0 * f64::from(1 << (n - 1));
            assert!(
                wait >= nominal * 0.8 && wait <= nominal * 1.2,
                "{n}: {wait}"
            );
        }
        let late = t0() + Duration::days(2);
        assert!(retry.after(30, t0(), late).unwrap() - late <= Duration::minutes(72));
        assert_eq!(
            retry.after(3, t0(), t0() + Duration::days(3) + Duration::seconds(1)),
            None
        );
    }
}
