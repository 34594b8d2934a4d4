//! What proving an address (contract section 11) reads and writes: the
//! codes sent, the tries, the proofs. Only hashes of the code and of the
//! browser's cookie are kept; the rules are `server/services/proofs.rs`.

use super::{Conn, PROOF_HOURS, PROOF_TRIES, Store, Write, ts};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

/// The address an entered code proves to the browser whose proof cookie
/// hashes to `browser`, for this link, while the proof lasts.
pub(crate) async fn proven_by_code(
    conn: &mut Conn,
    link_hash: &str,
    browser: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT email FROM email_proofs WHERE link_hash = $1 AND browser_hash = $2 AND proven_at > $3 \
         ORDER BY proven_at DESC LIMIT 1",
    )
    .bind(link_hash)
    .bind(browser)
    .bind(ts(now - Duration::hours(PROOF_HOURS)))
    .fetch_optional(&mut *conn)
    .await
    .context("reading a proof")
}

impl Store {
    /// The address this browser proved with a code for this link, if any.
    pub async fn proven_address(
        &self,
        link_hash: &str,
        browser: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        proven_by_code(&mut conn, link_hash, browser, now).await
    }

    /// Whether a code that can still be entered was sent to `email` for the
    /// link since `since`.
    pub(crate) async fn code_sent_since(
        &self,
        link_hash: &str,
        email: &str,
        since: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let recent: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM email_proofs WHERE link_hash = $1 AND email = $2 \
             AND proven_at IS NULL AND attempts < $3 AND created_at > $4) THEN 1 ELSE 0 END",
        )
        .bind(link_hash)
        .bind(email)
        .bind(PROOF_TRIES)
        .bind(ts(since))
        .fetch_one(&self.pool)
        .await
        .context("reading whether a code was sent")?;
        Ok(recent == 1)
    }
}

/// A code in use: its row, stored hash and wrong tries so far.
pub struct CodeInUse {
    pub id: String,
    pub code_hash: String,
    pub attempts: i64,
}

/// Codes' writes inside a service's transaction.
impl Write<'_> {
    /// Ends the codes sent to `email` for the link and not used.
    pub(crate) async fn end_codes(&mut self, link_hash: &str, email: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE email_proofs SET attempts = $1 WHERE link_hash = $2 AND email = $3 AND proven_at IS NULL",
        )
        .bind(PROOF_TRIES)
        .bind(link_hash)
        .bind(email)
        .execute(&mut *self.tx)
        .await
        .context("ending earlier codes")?;
        Ok(())
    }

    /// Records a code sent (its hash).
    pub(crate) async fn insert_code(
        &mut self,
        id: &str,
        link_hash: &str,
        email: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO email_proofs (id, link_hash, email, code_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(link_hash)
        .bind(email)
        .bind(code_hash)
        .bind(ts(now))
        .bind(ts(expires))
        .execute(&mut *self.tx)
        .await
        .context("recording a code")?;
        Ok(())
    }

    /// The code in use for `email` and the link: the newest sent (sending
    /// one ends the ones before), unexpired and with tries left; locked for
    /// the transaction.
    pub(crate) async fn code_in_use(
        &mut self,
        link_hash: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<CodeInUse>> {
        let row = sqlx::query(&format!(
            "SELECT id, code_hash, attempts FROM email_proofs \
             WHERE link_hash = $1 AND email = $2 AND proven_at IS NULL AND attempts < $3 AND expires_at > $4 \
             ORDER BY created_at DESC LIMIT 1{}",
            self.store.engine.for_update()
        ))
        .bind(link_hash)
        .bind(email)
        .bind(PROOF_TRIES)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading the code in use")?;
        Ok(row.map(|row| CodeInUse {
            id: row.get("id"),
            code_hash: row.get("code_hash"),
            attempts: row.get("attempts"),
        }))
    }

    /// Counts a wrong try of a code.
    pub(crate) async fn wrong_try(&mut self, id: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE email_proofs SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .context("counting a wrong code")?;
        Ok(())
    }

    /// The code proves its address to the browser whose cookie hashes to
    /// `browser`.
    pub(crate) async fn prove(
        &mut self,
        id: &str,
        browser: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE email_proofs SET proven_at = $1, browser_hash = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(browser)
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .context("recording a proof")?;
        Ok(())
    }
}
