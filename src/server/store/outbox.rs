//! The outbox: every email is a row, written in the transaction that causes it;
//! delivery claims rows under a lease, sends outside any transaction, then
//! records the outcome.

use super::{Store, ts};
use crate::mailbox::{MailboxLink, MailboxMessage};
use crate::server::mail::Email;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A row claimed for delivery.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: i64,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub attempts: i64,
}

/// Writes an email inside the caller's transaction. The dedupe key makes a
/// repeated write of the same email a no-op.
pub(crate) async fn enqueue(
    tx: &mut sqlx::SqliteConnection,
    dedupe_key: &str,
    order_id: Option<&str>,
    email: &Email,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let links = serde_json::to_string(&email.links).context("serialising links")?;
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, order_id, kind, recipient, subject, body_text, links_json, created_at, next_attempt_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(dedupe_key)
    .bind(order_id)
    .bind(email.kind)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(links)
    .bind(ts(now))
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .context("writing to the outbox")?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// The built-in mailbox: messages, oldest first, optionally for one address.
    pub async fn mailbox(
        &self,
        to: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<MailboxMessage>> {
        let rows = match to {
            Some(to) => sqlx::query(
                "SELECT id, recipient, subject, body_text, links_json, created_at FROM outbox \
                 WHERE recipient = ? ORDER BY id LIMIT ?",
            )
            .bind(to.trim().to_lowercase())
            .bind(limit),
            None => sqlx::query(
                "SELECT * FROM (SELECT id, recipient, subject, body_text, links_json, created_at FROM outbox \
                 ORDER BY id DESC LIMIT ?) ORDER BY id",
            )
            .bind(limit),
        }
        .fetch_all(&self.pool)
        .await
        .context("reading the mailbox")?;
        rows.iter()
            .map(|row| {
                let links: Vec<MailboxLink> =
                    serde_json::from_str(row.get::<&str, _>("links_json"))
                        .context("stored links")?;
                Ok(MailboxMessage {
                    id: row.get("id"),
                    to: row.get("recipient"),
                    subject: row.get("subject"),
                    text: row.get("body_text"),
                    links,
                    created_at: row.get("created_at"),
                })
            })
            .collect()
    }

    /// Claims up to `limit` unsent emails whose time has come and whose lease (if
    /// any) ran out. The claim commits before anything is sent.
    pub async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> anyhow::Result<Vec<OutboxItem>> {
        let rows = sqlx::query(
            "UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox \
             WHERE sent_at IS NULL AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) \
             ORDER BY id LIMIT ?) RETURNING id, dedupe_key, recipient, subject, body_text, attempts",
        )
        .bind(ts(now + lease))
        .bind(ts(now))
        .bind(ts(now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .context("claiming outbox rows")?;
        Ok(rows
            .iter()
            .map(|row| OutboxItem {
                id: row.get("id"),
                dedupe_key: row.get("dedupe_key"),
                recipient: row.get("recipient"),
                subject: row.get("subject"),
                text: row.get("body_text"),
                attempts: row.get("attempts"),
            })
            .collect())
    }

    /// Records a delivered email.
    pub async fn outbox_sent(&self, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE outbox SET sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
        )
        .bind(ts(now))
        .bind(id)
        .execute(&self.pool)
        .await
        .context("recording a delivery")?;
        Ok(())
    }

    /// Records a failed attempt and when to try again.
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE outbox SET lease_until = NULL, last_error = ?, next_attempt_at = ? WHERE id = ?")
            .bind(error)
            .bind(ts(retry_at))
            .bind(id)
            .execute(&self.pool)
            .await
            .context("recording a failed delivery")?;
        Ok(())
    }

    /// Delivery state of one email: (attempts, sent, last error).
    pub async fn outbox_state(&self, id: i64) -> anyhow::Result<(i64, bool, Option<String>)> {
        let row = sqlx::query("SELECT attempts, sent_at, last_error FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok((
            row.get("attempts"),
            row.get::<Option<String>, _>("sent_at").is_some(),
            row.get("last_error"),
        ))
    }
}
