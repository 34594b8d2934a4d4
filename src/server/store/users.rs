//! Users, sessions and the record of failed sign-ins.

use super::{Store, parse_ts, ts};
use crate::server::tokens;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 7;

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: String,
    pub email: String,
    pub partner_org_id: Option<String>,
    pub customer_org_id: Option<String>,
}

impl Store {
    /// Starts a session; returns the secret for the cookie.
    pub async fn create_session(&self, user_id: &str, now: DateTime<Utc>) -> anyhow::Result<String> {
        let (token, hash) = tokens::new_token()?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(&hash)
            .bind(user_id)
            .bind(ts(now))
            .bind(ts(now + chrono::Duration::days(SESSION_DAYS)))
            .execute(&self.pool)
            .await
            .context("creating a session")?;
        Ok(token)
    }

    /// The user of a session that has not expired.
    pub async fn session_user(&self, token: &str, now: DateTime<Utc>) -> anyhow::Result<Option<SessionUser>> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.partner_org_id, u.customer_org_id FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(tokens::hash_token(token))
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await
        .context("reading a session")?;
        Ok(row.map(|r| SessionUser {
            user_id: r.get("id"),
            email: r.get("email"),
            partner_org_id: r.get("partner_org_id"),
            customer_org_id: r.get("customer_org_id"),
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(tokens::hash_token(token))
            .execute(&self.pool)
            .await
            .context("ending a session")?;
        Ok(())
    }

    /// The id and password hash of the user with this address, if any.
    pub async fn password_of(&self, email: &str) -> anyhow::Result<Option<(String, Option<String>)>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .context("looking up a user")?;
        Ok(row.map(|r| (r.get("id"), r.get("password_hash"))))
    }

    /// Failed sign-ins under `key` within `window` before `now`.
    pub async fn recent_failures(&self, key: &str, now: DateTime<Utc>, window: chrono::Duration) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT failures, last_failure FROM sign_in_failures WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) if parse_ts(r.get("last_failure"))? > now - window => r.get("failures"),
            _ => 0,
        })
    }

    /// Counts a failed sign-in under `key` (a fresh count once the window passed).
    pub async fn record_failure(&self, key: &str, now: DateTime<Utc>, window: chrono::Duration) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO sign_in_failures (key, failures, last_failure) VALUES (?, 1, ?) \
             ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN last_failure > ? THEN failures + 1 ELSE 1 END, \
             last_failure = excluded.last_failure",
        )
        .bind(key)
        .bind(ts(now))
        .bind(ts(now - window))
        .execute(&self.pool)
        .await
        .context("recording a failed sign-in")?;
        Ok(())
    }

    /// Forgets failures under `key` after a successful sign-in.
    pub async fn clear_failures(&self, key: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
