//! What an operator watches, read from the tables: the queues' depth and age,
//! and the orders by status. Read for `/metrics` at most once per scrape
//! interval, never for a page.

use super::{QueueGauges, Store, parse_ts, queue};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// An order's status key, in the precedence the hub lists them by
/// (`summary_from_row`).
const STATUS_OF_ORDER: &str = "CASE WHEN closed_at IS NOT NULL THEN 'closed' \
     WHEN provisioned_at IS NOT NULL THEN 'provisioned' \
     WHEN setup_at IS NOT NULL THEN 'set_up' \
     WHEN approval_requested_at IS NOT NULL THEN 'awaiting_approval' \
     WHEN escalated_at IS NOT NULL THEN 'escalated' \
     WHEN invited_at IS NOT NULL THEN 'invited' ELSE 'scheduled' END";

impl Store {
    /// The queues' depth, the oldest waiting email's age and the orders by
    /// status, as of `now`.
    pub async fn queue_gauges(&self, now: DateTime<Utc>) -> anyhow::Result<QueueGauges> {
        let outbox = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox \
             WHERE sent_at IS NULL AND abandoned_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await
        .context("counting waiting emails")?;
        let oldest = outbox
            .try_get::<Option<String>, _>("oldest")?
            .map(|at| parse_ts(&at))
            .transpose()?;
        let events: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE delivered_at IS NULL AND abandoned_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await
        .context("counting waiting events")?;
        let orders = sqlx::query(&format!(
            "SELECT {STATUS_OF_ORDER} AS status, COUNT(*) AS n FROM orders GROUP BY 1"
        ))
        .fetch_all(&self.pool)
        .await
        .context("counting orders by status")?
        .iter()
        .map(|row| Ok((row.try_get("status")?, row.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(QueueGauges {
            outbox_pending: outbox.try_get("n")?,
            outbox_oldest_pending_seconds: oldest
                .map(|at| ((now - at).num_milliseconds().max(0) as f64) / 1000.0)
                .unwrap_or(0.0),
            events_pending: events,
            orders,
        })
    }

    /// Hands back what a claim of emails still holds unsent (an instance
    /// stopping between two emails): another instance sends them at once,
    /// and the attempt the claim counted is not counted. How many.
    pub async fn release_outbox(&self, lease: &str) -> anyhow::Result<u64> {
        queue::release(&self.pool, &queue::EMAILS, lease).await
    }

    /// [`Store::release_outbox`] for status events.
    pub async fn release_events(&self, lease: &str) -> anyhow::Result<u64> {
        queue::release(&self.pool, &queue::EVENTS, lease).await
    }
}
