//! Sign-in throttling as a pure decision: each attempt is counted *before* the
//! password is checked (so parallel guesses cannot all pass), a few attempts
//! are free within a window, and after them each further one must wait twice
//! as long as the one before, up to a ceiling. No hard lock-out.

use chrono::{DateTime, Duration, Utc};

/// What is counted under one key (an account, or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    pub attempts: i64,
    pub last_attempt: Option<DateTime<Utc>>,
    pub blocked_until: Option<DateTime<Utc>>,
}

/// How strict one kind of key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts within the window before waiting starts.
    pub free: i64,
    /// After this long without an attempt, counting starts again.
    pub window: Duration,
    /// The longest wait.
    pub ceiling: Duration,
}

/// Per account: five tries, then 1 s, 2 s, 4 s ... up to 15 minutes.
pub const ACCOUNT: Policy = Policy {
    free: 5,
    window: Duration::minutes(15),
    ceiling: Duration::minutes(15),
};

/// The key an account is counted under: a hash of its canonical address, so
/// that no input can make the key long, and no address is stored in it.
pub fn account_key(canonical_email: &str) -> String {
    format!("account:{}", super::tokens::hash_token(canonical_email))
}

/// Per client network (many people may share one): twenty, then the same.
pub const NETWORK: Policy = Policy {
    free: 20,
    window: Duration::minutes(15),
    ceiling: Duration::minutes(15),
};

/// Wrong bearer tokens on the order API, per client network: `free` (20 by
/// default, `SETUP_NOW_BEARER_ATTEMPTS`) in 15 minutes, then 1 s, 2 s, 4 s
/// ... up to 15 minutes, during which every request from that network is
/// refused, the right token too (else guessing would go on at full speed).
pub fn bearer(free: i64) -> Policy {
    Policy {
        free,
        window: Duration::minutes(15),
        ceiling: Duration::minutes(15),
    }
}

/// An attempt now: wait this long, or go and store the new counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Wait(Duration),
    Go(Counter),
}

pub fn attempt(counter: Counter, now: DateTime<Utc>, policy: Policy) -> Verdict {
    if let Some(until) = counter.blocked_until.filter(|until| *until > now) {
        return Verdict::Wait(until - now);
    }
    let fresh = counter
        .last_attempt
        .is_none_or(|last| last <= now - policy.window);
    let attempts = if fresh { 1 } else { counter.attempts + 1 };
    let over = attempts - policy.free;
    let blocked_until = (over >= 0).then(|| {
        let wait = Duration::seconds(1i64 << over.min(20)).min(policy.ceiling);
        now + wait
    });
    Verdict::Go(Counter {
        attempts,
        last_attempt: Some(now),
        blocked_until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn five_free_attempts_then_waits_that_double() {
        let mut counter = Counter::default();
        let mut now = 0;
        for _ in 0..5 {
            match attempt(counter, t(now), ACCOUNT) {
                Verdict::Go(next) => counter = next,
                Verdict::Wait(w) => panic!("waited {w} within the free attempts"),
            }
        }
        // The fifth set the first wait: the next attempt at once must wait 1 s.
        assert_eq!(
            attempt(counter, t(now), ACCOUNT),
            Verdict::Wait(Duration::seconds(1))
        );
        let mut waits = Vec::new();
        for _ in 0..4 {
            let Some(until) = counter.blocked_until else {
                panic!("no wait set")
            };
            now = (until - t(0)).num_seconds();
            match attempt(counter, t(now), ACCOUNT) {
                Verdict::Go(next) => {
                    waits.push((next.blocked_until.unwrap() - t(now)).num_seconds());
                    counter = next;
                }
                Verdict::Wait(w) => panic!("waited {w} after the wait ended"),
            }
        }
        assert_eq!(waits, [2, 4, 8, 16]);
    }

    #[test]
    fn the_wait_has_a_ceiling_and_counting_restarts_after_a_quiet_window() {
        let counter = Counter {
            attempts: 60,
            last_attempt: Some(t(0)),
            blocked_until: None,
        };
        let Verdict::Go(next) = attempt(counter, t(1), ACCOUNT) else {
            panic!("not blocked")
        };
        assert_eq!(next.blocked_until, Some(t(1) + Duration::minutes(15)));
        let quiet = attempt(next, t(1) + Duration::minutes(31), ACCOUNT);
        assert!(matches!(quiet, Verdict::Go(c) if c.attempts == 1 && c.blocked_until.is_none()));
    }
}
