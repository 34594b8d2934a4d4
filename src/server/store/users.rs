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
    pub async fn create_session(
        &self,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
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
    pub async fn session_user(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<SessionUser>> {
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
    pub async fn password_of(
        &self,
        email: &str,
    ) -> anyhow::Result<Option<(String, Option<String>)>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .context("looking up a user")?;
        Ok(row.map(|r| (r.get("id"), r.get("password_hash"))))
    }

    /// Failed sign-ins under `key` within `window` before `now`.
    pub async fn recent_failures(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: chrono::Duration,
    ) -> anyhow::Result<i64> {
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
    pub async fn record_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: chrono::Duration,
    ) -> anyhow::Result<()> {
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

impl Store {
    /// Orders the user may see in the hub: a partner user sees every order of
    /// its partner (by party id); a customer administrator those of its
    /// organization. Each with its customer organization's name.
    pub async fn hub_orders(
        &self,
        user: &SessionUser,
    ) -> anyhow::Result<Vec<(String, crate::orders::OrderSummary)>> {
        let columns = super::orders::SUMMARY_COLUMNS;
        let rows = match (&user.partner_org_id, &user.customer_org_id) {
            (Some(partner), _) => {
                sqlx::query(&format!(
                    "SELECT {columns}, COALESCE(c.name, o.customer_name) AS org_name FROM orders o \
                     LEFT JOIN customer_orgs c ON c.id = o.customer_org_id \
                     WHERE o.partner_party_id = (SELECT party_id FROM partner_orgs WHERE id = ?) \
                     ORDER BY org_name, o.created_at"
                ))
                .bind(partner)
                .fetch_all(&self.pool)
                .await?
            }
            (None, Some(customer)) => {
                sqlx::query(&format!(
                    "SELECT {columns}, c.name AS org_name FROM orders o JOIN customer_orgs c ON c.id = o.customer_org_id \
                     WHERE o.customer_org_id = ? ORDER BY o.created_at"
                ))
                .bind(customer)
                .fetch_all(&self.pool)
                .await?
            }
            (None, None) => Vec::new(),
        };
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("org_name")?,
                    super::orders::summary_from_row(row)?,
                ))
            })
            .collect()
    }

    /// Whether the user is a partner user of the partner that placed the order.
    pub async fn is_partner_of_order(
        &self,
        user: &SessionUser,
        order_id: &str,
    ) -> anyhow::Result<bool> {
        let Some(partner) = &user.partner_org_id else {
            return Ok(false);
        };
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM orders o JOIN partner_orgs p ON p.party_id = o.partner_party_id WHERE o.id = ? AND p.id = ?",
        )
        .bind(order_id)
        .bind(partner)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}
