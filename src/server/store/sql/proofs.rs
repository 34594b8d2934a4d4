//! Proving an address (contract section 11): a 6-digit code emailed to it
//! from the setup wizard, entered in the browser that asked for it. Only
//! hashes of the code and of that browser's cookie are kept.

use super::Conn;
use super::{
    PROOF_HOURS, PROOF_MINUTES, PROOF_SENDS_PER_ADDRESS, PROOF_SENDS_PER_LINK, PROOF_TRIES,
};
use super::{Store, new_id, ts, unexpected};
use crate::domain::{DomainError, EmailAddress, VerificationCode};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::{mail, tokens};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use rand::{TryRngCore, rngs::OsRng};
use sqlx::Row;

/// The stored form of a code: bound to its row, so equal codes of two rows
/// hash apart.
fn code_hash(id: &str, code: &str) -> String {
    tokens::hash_token(&format!("{id}:{code}"))
}

/// Six digits from the operating system's generator, every value equally
/// likely (draws above the last whole million are thrown away).
fn new_code() -> anyhow::Result<String> {
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = OsRng
            .try_next_u32()
            .map_err(|e| anyhow::anyhow!("operating system RNG failed: {e}"))?;
        if n < LIMIT {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

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

fn wrong(error: DomainError) -> AppError {
    AppError::field("code", error)
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

    /// Emails a code to `email` for the link, in `locale`: a few an hour per
    /// address and per link (a rate limit beyond). A code sent within the
    /// last two minutes is still on its way, so `fresh` alone sends another
    /// then ("Send a new code"). Whether one was sent.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_proof_code(
        &self,
        link_hash: &str,
        order_id: &str,
        email: &EmailAddress,
        locale: Locale,
        fresh: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        if !fresh {
            let recent: i64 = sqlx::query_scalar(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM email_proofs WHERE link_hash = $1 AND email = $2 \
                 AND proven_at IS NULL AND attempts < $3 AND created_at > $4) THEN 1 ELSE 0 END",
            )
            .bind(link_hash)
            .bind(email.as_str())
            .bind(PROOF_TRIES)
            .bind(ts(now - Duration::minutes(2)))
            .fetch_one(&self.pool)
            .await
            .map_err(unexpected)?;
            if recent == 1 {
                return Ok(false);
            }
        }
        for (key, max) in [
            (
                format!("proof:address:{}", tokens::hash_token(email.as_str())),
                PROOF_SENDS_PER_ADDRESS,
            ),
            (format!("proof:link:{link_hash}"), PROOF_SENDS_PER_LINK),
        ] {
            if let Some(wait) = self
                .hit_rate_limit(&key, now, Duration::hours(1), max)
                .await
                .map_err(unexpected)?
            {
                return Err(AppError::RateLimited {
                    retry_after_secs: wait.num_seconds().max(1) as u64,
                });
            }
        }
        let id = new_id();
        let code = new_code().map_err(unexpected)?;
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        // A new code ends the ones sent before.
        sqlx::query(
            "UPDATE email_proofs SET attempts = $1 WHERE link_hash = $2 AND email = $3 AND proven_at IS NULL",
        )
        .bind(PROOF_TRIES)
        .bind(link_hash)
        .bind(email.as_str())
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        sqlx::query(
            "INSERT INTO email_proofs (id, link_hash, email, code_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(link_hash)
        .bind(email.as_str())
        .bind(code_hash(&id, &code))
        .bind(ts(now))
        .bind(ts(now + Duration::minutes(PROOF_MINUTES)))
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        let letter = mail::verification_code(locale, email.as_str(), &code);
        super::enqueue(
            &mut tx,
            self.sealer(),
            &format!("proof:{id}"),
            Some(order_id),
            &letter,
            now,
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(true)
    }

    /// Checks a code against the newest one sent to `email` for the link:
    /// right, it proves the address to the browser whose cookie hashes to
    /// `browser`; wrong, it counts a try, and the fifth wrong try ends it.
    pub async fn verify_proof_code(
        &self,
        link_hash: &str,
        email: &EmailAddress,
        code: &VerificationCode,
        browser: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        // The code in use: the newest sent (sending one ends the ones before).
        let row = sqlx::query(&format!(
            "SELECT id, code_hash, attempts FROM email_proofs \
             WHERE link_hash = $1 AND email = $2 AND proven_at IS NULL AND attempts < $3 AND expires_at > $4 \
             ORDER BY created_at DESC LIMIT 1{}",
            self.engine.for_update()
        ))
        .bind(link_hash)
        .bind(email.as_str())
        .bind(PROOF_TRIES)
        .bind(ts(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?
        .ok_or(wrong(DomainError::CodeExpired))?;
        let id: String = row.get("id");
        let attempts: i64 = row.get("attempts");
        if row.get::<String, _>("code_hash") != code_hash(&id, code.as_str()) {
            sqlx::query("UPDATE email_proofs SET attempts = attempts + 1 WHERE id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
            tx.commit().await.map_err(unexpected)?;
            return Err(wrong(if attempts + 1 >= PROOF_TRIES {
                DomainError::CodeExpired
            } else {
                DomainError::CodeWrong
            }));
        }
        sqlx::query("UPDATE email_proofs SET proven_at = $1, browser_hash = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(browser)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)
    }
}
