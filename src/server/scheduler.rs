//! The background work inside the server: scheduler passes on an interval, and
//! the outbox worker that delivers email over SMTP.

use super::metrics::{Delivery, Outcome};
use super::{mail::SmtpSender, queue, state::AppState, store::PassReport};
use std::time::Duration;

/// One pass, now (as the clock reads it).
pub async fn run_pass(state: &AppState) -> anyhow::Result<PassReport> {
    let now = state.clock.now().await;
    let started = std::time::Instant::now();
    let report = super::services::pass::run(&state.store, now, &state.config.public_url).await?;
    // Only passes that finished: passes that keep failing show as none.
    state.metrics.scheduler_pass(started.elapsed());
    if report.invitations
        + report.escalations
        + report.closed
        + report.close_warnings
        + report.provision_reminders
        > 0
    {
        state.wake_workers();
        tracing::info!(?report, "scheduler pass");
    }
    Ok(report)
}

/// Runs a pass every `interval` until the server stops (a pass under way
/// finishes first).
pub fn spawn_scheduler(state: AppState) -> tokio::task::JoinHandle<()> {
    let interval = state.config.scheduler_interval;
    tokio::spawn(async move {
        // The first pass comes one interval after the start, not at once: a
        // pass at start raced with whatever the starter did next (tests set
        // the clock, then ran their own pass and found it already done).
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = state.stopping.cancelled() => return,
            }
            if let Err(err) = run_pass(&state).await {
                tracing::error!(error = format!("{err:#}"), "scheduler pass failed");
            }
        }
    })
}

/// Claims due emails, sends each outside any transaction, records the outcome
/// (the lease queue: [`super::queue`]). Returns how many it took.
pub async fn deliver_emails(state: &AppState, sender: &SmtpSender) -> anyhow::Result<usize> {
    let lease = chrono::Duration::from_std(state.config.outbox_lease)?;
    let items = state
        .store
        .claim_outbox(state.clock.now().await, lease, queue::BATCH as i64)
        .await?;
    let taken = items.len();
    for item in items {
        // Stopping: the rest of the claim goes back at once, for another
        // instance (or the next start) to send.
        if state.stopping.is_cancelled() {
            let released = state.store.release_outbox(&item.lease).await?;
            tracing::info!(released, "stopping: emails handed back");
            break;
        }
        let message_id = format!("<{}@setup-now>", item.dedupe_key.replace([':', ' '], "."));
        let sent = sender
            .send(
                &message_id,
                &item.recipient,
                &item.subject,
                &item.text,
                item.html.as_deref(),
            )
            .await;
        let now = state.clock.now().await;
        match sent {
            Ok(()) => {
                state.metrics.delivery(Delivery::Email, Outcome::Delivered);
                if !state.store.outbox_sent(item.id, &item.lease, now).await? {
                    // Another instance claimed it after our lease ran out;
                    // it may send it again (at-least-once within the lease).
                    tracing::warn!(id = item.id, "email sent after its lease ended");
                }
            }
            Err(err) => {
                let error = format!("{err:#}");
                // Emails are tried a number of times, whatever their age.
                let retry_at = queue::EMAILS.after(item.attempts, now, now);
                state
                    .store
                    .outbox_failed(item.id, &item.lease, &error, retry_at, now)
                    .await?;
                state.metrics.delivery(
                    Delivery::Email,
                    if retry_at.is_none() {
                        Outcome::GivenUp
                    } else {
                        Outcome::Failed
                    },
                );
                if retry_at.is_none() {
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
    Ok(taken)
}

/// Delivers the outbox over SMTP whenever woken, and at least every 15 s.
pub fn spawn_outbox_worker(state: AppState, sender: SmtpSender) -> tokio::task::JoinHandle<()> {
    let signal = state.outbox_signal.clone();
    let stopping = state.stopping.clone();
    queue::spawn_worker(
        "emails",
        signal,
        stopping,
        Duration::from_secs(15),
        move || {
            let (state, sender) = (state.clone(), sender.clone());
            async move { deliver_emails(&state, &sender).await }
        },
    )
}
