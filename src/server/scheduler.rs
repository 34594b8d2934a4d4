//! The background work inside the server: scheduler passes on an interval, and
//! the outbox worker that delivers email over SMTP.

use super::{mail::SmtpSender, state::AppState, store::PassReport};
use std::time::Duration;

/// One pass, now (as the clock reads it).
pub async fn run_pass(state: &AppState) -> anyhow::Result<PassReport> {
    let report = state
        .store
        .run_scheduler_pass(state.clock.now().await, &state.config.public_url)
        .await?;
    if report.invitations + report.escalations + report.closed > 0 {
        state.wake_workers();
        tracing::info!(?report, "scheduler pass");
    }
    Ok(report)
}

/// Runs a pass every `interval` until the process ends.
pub fn spawn_scheduler(state: AppState) -> tokio::task::JoinHandle<()> {
    let interval = state.config.scheduler_interval;
    tokio::spawn(async move {
        // The first pass comes one interval after the start, not at once: a
        // pass at start raced with whatever the starter did next (tests set
        // the clock, then ran their own pass and found it already done).
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(err) = run_pass(&state).await {
                tracing::error!(error = format!("{err:#}"), "scheduler pass failed");
            }
        }
    })
}

/// Wait before the next attempt after `attempts` failures: 30 s doubling, at
/// most an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let exp = attempts.clamp(1, 8) - 1;
    chrono::Duration::seconds((30i64 << exp).min(3600))
}

/// Claims due emails, sends each outside any transaction, records the outcome.
/// Returns how many were sent.
pub async fn deliver_due(state: &AppState, sender: &SmtpSender) -> anyhow::Result<usize> {
    let lease = chrono::Duration::from_std(state.config.outbox_lease)?;
    let items = state
        .store
        .claim_outbox(state.clock.now().await, lease, 20)
        .await?;
    let mut sent = 0;
    for item in items {
        let message_id = format!("<{}@setup-now>", item.dedupe_key.replace([':', ' '], "."));
        match sender
            .send(
                &message_id,
                &item.recipient,
                &item.subject,
                &item.text,
                item.html.as_deref(),
            )
            .await
        {
            Ok(()) => {
                let now = state.clock.now().await;
                if state.store.outbox_sent(item.id, &item.lease, now).await? {
                    sent += 1;
                } else {
                    // Another instance claimed it after our lease ran out;
                    // it may send it again (at-least-once within the lease).
                    tracing::warn!(id = item.id, "email sent after its lease ended");
                }
            }
            Err(err) => {
                let now = state.clock.now().await;
                let error = format!("{err:#}");
                let given_up = state
                    .store
                    .outbox_failed(
                        item.id,
                        &item.lease,
                        &error,
                        now + backoff(item.attempts),
                        now,
                    )
                    .await?;
                if given_up {
                    tracing::error!(
                        id = item.id,
                        attempts = item.attempts,
                        error,
                        "email undeliverable: given up"
                    );
                } else {
                    tracing::warn!(id = item.id, error, "email delivery failed");
                }
            }
        }
    }
    Ok(sent)
}

/// Delivers the outbox over SMTP whenever woken, and at least every 15 s.
pub fn spawn_outbox_worker(state: AppState, sender: SmtpSender) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&state, &sender).await {
                Ok(20..) => continue,
                Ok(_) => {}
                Err(err) => tracing::error!(error = format!("{err:#}"), "outbox delivery failed"),
            }
            let _ =
                tokio::time::timeout(Duration::from_secs(15), state.outbox_signal.notified()).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff(1).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 60);
        assert_eq!(backoff(3).num_seconds(), 120);
        assert_eq!(backoff(50).num_seconds(), 3600);
    }
}
