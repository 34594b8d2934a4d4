//! Status events for the commerce system: one row per change of an order's
//! status, written in the transaction that makes the change, delivered by
//! [`crate::server::webhooks`] in order per order.

use super::{Conn, Store, new_id, parse_ts, queue, ts};
use super::{EventItem, EventOutcome, EventState, NewEvent};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// Records events inside the caller's transaction, in one statement.
pub(crate) async fn record_events(
    conn: &mut Conn,
    events: &[NewEvent<'_>],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let at = ts(now);
    let mut insert = sqlx::QueryBuilder::<super::Db>::new(
        "INSERT INTO events (event_id, order_id, type, occurred_at, payload, next_attempt_at) ",
    );
    let payloads: Vec<String> = events
        .iter()
        .map(|e| {
            serde_json::json!({
                "type": e.kind,
                "order_number": e.order_number,
                "occurred_at": at,
                "order_kind": e.order_kind,
            })
            .to_string()
        })
        .collect();
    insert.push_values(events.iter().zip(payloads), |mut row, (event, payload)| {
        row.push_bind(format!("msg_{}", new_id()))
            .push_bind(event.order_id.to_string())
            .push_bind(event.kind)
            .push_bind(at.clone())
            .push_bind(payload)
            .push_bind(at.clone());
    });
    let (sql, arguments) = super::numbered(&mut insert, super::engine_of(&*conn))?;
    sqlx::query_with(&sql, arguments)
        .execute(&mut *conn)
        .await
        .context("recording status events")?;
    Ok(())
}

/// Records one event inside the caller's transaction.
pub(crate) async fn record_event(
    conn: &mut Conn,
    order_id: &str,
    kind: &'static str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let (order_number, order_kind): (String, String) =
        sqlx::query_as("SELECT order_number, kind FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await
            .context("the order of an event")?;
    record_events(
        conn,
        &[NewEvent {
            order_id,
            order_number: &order_number,
            kind,
            order_kind: &order_kind,
        }],
        now,
    )
    .await
}

impl Store {
    /// Claims up to `limit` events due for delivery under a new lease (the
    /// one lease queue: `queue.rs`): for each order only its oldest
    /// undelivered event, so events arrive in order per order.
    pub async fn claim_events(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> anyhow::Result<Vec<EventItem>> {
        let (token, rows) = queue::claim(
            &self.pool,
            self.engine,
            &queue::EVENTS,
            now,
            now + lease,
            limit,
        )
        .await?;
        rows.iter()
            .map(|row| {
                Ok(EventItem {
                    id: row.get("id"),
                    lease: token.clone(),
                    event_id: row.get("event_id"),
                    payload: row.get("payload"),
                    attempts: row.get("attempts"),
                    occurred_at: parse_ts(row.get("occurred_at"))?,
                })
            })
            .collect()
    }

    /// Records an event's delivery attempt while its lease is held:
    /// delivered, or failed with when to try again (`None`: given up).
    pub async fn event_attempted(
        &self,
        item: &EventItem,
        outcome: EventOutcome,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let settled = match &outcome {
            EventOutcome::Delivered { status } => queue::Settled::Done {
                status: Some(*status),
            },
            EventOutcome::Failed {
                status,
                error,
                retry_at,
            } => queue::Settled::Failed {
                status: *status,
                error,
                retry_at: *retry_at,
            },
        };
        queue::settle(
            &self.pool,
            &queue::EVENTS,
            item.id,
            &item.lease,
            settled,
            now,
        )
        .await?;
        Ok(())
    }

    /// Queues again every event that occurred since `since` (same ids), and
    /// lets delivery run again if a receiver had switched it off (410).
    /// Returns how many.
    pub async fn replay_events(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<u64> {
        let mut tx = self.write_tx().await?;
        let replayed = sqlx::query(
            "UPDATE events SET delivered_at = NULL, abandoned_at = NULL, attempts = 0, \
             next_attempt_at = $1, lease_until = NULL, lease_token = NULL WHERE occurred_at >= $2",
        )
        .bind(ts(now))
        .bind(ts(since))
        .execute(&mut *tx)
        .await
        .context("replaying events")?
        .rows_affected();
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(WEBHOOK_DISABLED)
            .execute(&mut *tx)
            .await
            .context("enabling webhook delivery")?;
        tx.commit().await?;
        Ok(replayed)
    }

    /// Since when the receiver switched delivery off (it answered 410).
    pub async fn webhook_disabled(&self) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(WEBHOOK_DISABLED)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Switches delivery off (the receiver answered 410 Gone).
    pub async fn disable_webhook(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(WEBHOOK_DISABLED)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The events of one order with their delivery state, oldest first.
    pub async fn order_events(&self, order_id: &str) -> anyhow::Result<Vec<EventState>> {
        let rows = sqlx::query(
            "SELECT event_id, type, occurred_at, attempts, last_status, delivered_at, abandoned_at \
             FROM events WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await
        .context("reading an order's events")?;
        Ok(rows
            .iter()
            .map(|r| EventState {
                event_id: r.get("event_id"),
                kind: r.get("type"),
                occurred_at: r.get("occurred_at"),
                attempts: r.get("attempts"),
                last_status: r.get("last_status"),
                delivered_at: r.get("delivered_at"),
                abandoned_at: r.get("abandoned_at"),
            })
            .collect())
    }
}

const WEBHOOK_DISABLED: &str = "webhook_disabled_at";
