//! The Activity of an order: its audit entries, emails and events.

use super::Store;
use crate::model::activity::{ActivityEntry, ActivityView, EmailState};
use anyhow::Context;
use sqlx::Row;

impl Store {
    /// An order's Activity: its first `limit` audit entries, its emails and
    /// its events, oldest first; `None` for an unknown order.
    pub async fn order_activity(
        &self,
        order_id: &str,
        limit: i64,
    ) -> anyhow::Result<Option<ActivityView>> {
        let number: Option<String> =
            sqlx::query_scalar("SELECT order_number FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_optional(&self.pool)
                .await
                .context("loading an order for its activity")?;
        let Some(order_number) = number else {
            return Ok(None);
        };
        let entries = self
            .activity_page(order_id, 0, limit)
            .await?
            .into_iter()
            .map(|(_, entry)| entry)
            .collect();
        let emails = sqlx::query(
            "SELECT kind, recipient, created_at, sent_at, attempts, abandoned_at FROM outbox \
             WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await
        .context("reading an order's emails")?
        .iter()
        .map(|r| EmailState {
            kind: r.get("kind"),
            recipient: r.get("recipient"),
            created_at: r.get("created_at"),
            sent_at: r.get("sent_at"),
            attempts: r.get("attempts"),
            abandoned_at: r.get("abandoned_at"),
        })
        .collect();
        Ok(Some(ActivityView {
            order_id: order_id.into(),
            order_number,
            entries,
            emails,
            events: self.order_events(order_id).await?,
        }))
    }

    /// Up to `limit` audit entries of an order after entry `after`, oldest
    /// first, each with its id (to page on without loading them all).
    pub async fn activity_page(
        &self,
        order_id: &str,
        after: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<(i64, ActivityEntry)>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, detail FROM audit WHERE order_id = $1 AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(order_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .context("reading an order's activity")?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get("id"),
                    ActivityEntry {
                        at: r.get("at"),
                        who: r.get("actor"),
                        action: r.get("action"),
                        detail: r.get("detail"),
                    },
                )
            })
            .collect())
    }
}
