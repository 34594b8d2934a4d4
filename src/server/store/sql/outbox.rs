//! The outbox: every email is a row, written in the transaction that causes it;
//! delivery claims rows under a lease, sends outside any transaction, then
//! records the outcome.

use super::DbRow;
use super::{Conn, OutboxItem, Store, queue, ts};
use crate::model::mailbox::{MailboxLink, MailboxMessage};
use crate::server::mail::Email;
use crate::server::store::sealer::{LINK_PLACEHOLDER, Sealer};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// An email as the outbox keeps it: its link sealed, apart from the text.
struct Concealed {
    text: String,
    html: String,
    links_json: String,
    secret: Option<String>,
}

/// Takes the secret (its link, the same in every link of an email, or a code
/// it carries) out of the text and the links, and seals it.
fn conceal(sealer: &Sealer, email: &Email) -> anyhow::Result<Concealed> {
    let Some(url) = email.secret.clone() else {
        return Ok(Concealed {
            text: email.text.clone(),
            html: email.html.clone(),
            links_json: serde_json::to_string(&email.links).context("serialising links")?,
            secret: None,
        });
    };
    anyhow::ensure!(
        email.links.iter().all(|l| l.href == url),
        "an email carries one link, its secret"
    );
    let links: Vec<MailboxLink> = email
        .links
        .iter()
        .map(|l| MailboxLink {
            text: l.text.clone(),
            href: LINK_PLACEHOLDER.into(),
        })
        .collect();
    // In the HTML the link stands escaped.
    let escaped = crate::server::mail::escape(&url);
    Ok(Concealed {
        text: email.text.replace(&url, LINK_PLACEHOLDER),
        html: email.html.replace(&escaped, LINK_PLACEHOLDER),
        links_json: serde_json::to_string(&links).context("serialising links")?,
        secret: Some(sealer.seal(&url)?),
    })
}

/// The text with its link put back; once the link was forgotten, a note.
fn reveal(sealer: &Sealer, text: &str, secret: Option<&str>) -> anyhow::Result<String> {
    Ok(match secret {
        Some(secret) => text.replace(LINK_PLACEHOLDER, &sealer.open(secret)?),
        None => text.replace(LINK_PLACEHOLDER, "(link removed once sent)"),
    })
}

/// The HTML with its link put back (escaped).
fn reveal_html(sealer: &Sealer, html: &str, secret: Option<&str>) -> anyhow::Result<String> {
    Ok(match secret {
        Some(secret) => html.replace(
            LINK_PLACEHOLDER,
            &crate::server::mail::escape(&sealer.open(secret)?),
        ),
        None => html.replace(LINK_PLACEHOLDER, "#"),
    })
}

/// Writes an email inside the caller's transaction. The dedupe key makes a
/// repeated write of the same email a no-op.
pub(crate) async fn enqueue(
    tx: &mut Conn,
    sealer: &Sealer,
    dedupe_key: &str,
    order_id: Option<&str>,
    email: &Email,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let stored = conceal(sealer, email)?;
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, order_id, kind, recipient, subject, body_text, body_html, links_json, \
         secret, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(dedupe_key)
    .bind(order_id)
    .bind(email.kind)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(stored.text)
    .bind(stored.html)
    .bind(stored.links_json)
    .bind(stored.secret)
    .bind(ts(now))
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .context("writing to the outbox")?;
    Ok(done.rows_affected() == 1)
}

/// Writes several emails in one statement, each keyed as [`enqueue`] does
/// (`(dedupe key, order id, email)`).
pub(crate) async fn enqueue_all(
    tx: &mut Conn,
    sealer: &Sealer,
    emails: &[(String, Option<String>, Email)],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let created = ts(now);
    let mut insert = sqlx::QueryBuilder::<super::Db>::new(
        "INSERT INTO outbox (dedupe_key, order_id, kind, recipient, subject, body_text, body_html, links_json, \
         secret, created_at, next_attempt_at) ",
    );
    let mut stored = Vec::with_capacity(emails.len());
    for (_, _, email) in emails {
        stored.push(conceal(sealer, email)?);
    }
    insert.push_values(
        emails.iter().zip(stored),
        |mut row, ((key, order_id, email), stored)| {
            row.push_bind(key.clone())
                .push_bind(order_id.clone())
                .push_bind(email.kind)
                .push_bind(email.to.clone())
                .push_bind(email.subject.clone())
                .push_bind(stored.text)
                .push_bind(stored.html)
                .push_bind(stored.links_json)
                .push_bind(stored.secret)
                .push_bind(created.clone())
                .push_bind(created.clone());
        },
    );
    insert.push(" ON CONFLICT (dedupe_key) DO NOTHING");
    let (sql, arguments) = super::numbered(&mut insert, super::engine_of(&*tx))?;
    sqlx::query_with(&sql, arguments)
        .execute(&mut *tx)
        .await
        .context("writing to the outbox")?;
    Ok(())
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
                "SELECT id, kind, recipient, subject, body_text, body_html, links_json, secret, created_at \
                 FROM outbox WHERE recipient = $1 ORDER BY id LIMIT $2",
            )
            .bind(to.trim().to_lowercase())
            .bind(limit),
            None => sqlx::query(
                "SELECT * FROM (SELECT id, kind, recipient, subject, body_text, body_html, links_json, secret, \
                 created_at FROM outbox ORDER BY id DESC LIMIT $1) AS recent ORDER BY id",
            )
            .bind(limit),
        }
        .fetch_all(&self.pool)
        .await
        .context("reading the mailbox")?;
        rows.iter()
            .map(|row| message_from_row(&self.secrets.sealer, row))
            .collect()
    }

    /// One message of the built-in mailbox.
    pub async fn mailbox_message(&self, id: i64) -> anyhow::Result<Option<MailboxMessage>> {
        let row = sqlx::query(
            "SELECT id, kind, recipient, subject, body_text, body_html, links_json, secret, created_at \
             FROM outbox WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .context("reading a mailbox message")?;
        row.map(|row| message_from_row(&self.secrets.sealer, &row))
            .transpose()
    }

    /// Claims up to `limit` unsent emails whose time has come, under a new
    /// lease (the one lease queue: `queue.rs`).
    pub async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> anyhow::Result<Vec<OutboxItem>> {
        let (token, rows) = queue::claim(
            &self.pool,
            self.engine,
            &queue::EMAILS,
            now,
            now + lease,
            limit,
        )
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OutboxItem {
                    id: row.get("id"),
                    lease: token.clone(),
                    dedupe_key: row.get("dedupe_key"),
                    recipient: row.get("recipient"),
                    subject: row.get("subject"),
                    text: reveal(
                        &self.secrets.sealer,
                        row.get("body_text"),
                        row.get::<Option<&str>, _>("secret"),
                    )?,
                    html: row
                        .get::<Option<&str>, _>("body_html")
                        .map(|html| {
                            reveal_html(
                                &self.secrets.sealer,
                                html,
                                row.get::<Option<&str>, _>("secret"),
                            )
                        })
                        .transpose()?,
                    attempts: row.get("attempts"),
                })
            })
            .collect()
    }

    /// Records a delivered email while its lease is still held; `false` when
    /// another claim took it over meanwhile (it then decides). Outside
    /// development its link is forgotten once sent.
    pub async fn outbox_sent(
        &self,
        id: i64,
        lease: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let sent = queue::settle(
            &self.pool,
            &queue::EMAILS,
            id,
            lease,
            queue::Settled::Done { status: None },
            now,
        )
        .await?;
        if sent && self.secrets.forget_when_sent {
            sqlx::query("UPDATE outbox SET secret = NULL WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await
                .context("forgetting a sent link")?;
        }
        Ok(sent)
    }

    /// Records a failed attempt while the lease is held: tried again at
    /// `retry_at`, or given up as undeliverable (`None`).
    pub async fn outbox_failed(
        &self,
        id: i64,
        lease: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        queue::settle(
            &self.pool,
            &queue::EMAILS,
            id,
            lease,
            queue::Settled::Failed {
                status: None,
                error,
                retry_at,
            },
            now,
        )
        .await
    }

    /// Delivery state of one email: (attempts, sent, last error).
    pub async fn outbox_state(&self, id: i64) -> anyhow::Result<(i64, bool, Option<String>)> {
        let row = sqlx::query("SELECT attempts, sent_at, last_error FROM outbox WHERE id = $1")
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

/// A stored email as the mailbox shows it, its links revealed.
fn message_from_row(sealer: &Sealer, row: &DbRow) -> anyhow::Result<MailboxMessage> {
    let secret: Option<String> = row.get("secret");
    let links: Vec<MailboxLink> =
        serde_json::from_str(row.get::<&str, _>("links_json")).context("stored links")?;
    let links = links
        .into_iter()
        .map(|l| {
            Ok(MailboxLink {
                href: reveal(sealer, &l.href, secret.as_deref())?,
                text: l.text,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let html = row
        .get::<Option<&str>, _>("body_html")
        .map(|html| reveal_html(sealer, html, secret.as_deref()))
        .transpose()?;
    Ok(MailboxMessage {
        id: row.get("id"),
        kind: row.get("kind"),
        html,
        to: row.get("recipient"),
        subject: row.get("subject"),
        text: reveal(sealer, row.get("body_text"), secret.as_deref())?,
        links,
        created_at: row.get("created_at"),
    })
}
