//! After the commit: what a link's commit left (a replay of it answers from
//! this, `server/services/commit.rs`), and the first password, set once.

use super::{SpentCommit, Store, Write, flag, ts};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

/// How long after the commit the first password may be set through the
/// link (later, "Forgot password?" serves).
const FIRST_PASSWORD_HOURS: i64 = 24;

impl Store {
    /// What the commit that spent this link left, if one did.
    pub(crate) async fn spent_commit(
        &self,
        token_hash: &str,
    ) -> anyhow::Result<Option<SpentCommit>> {
        let row = sqlx::query(
            "SELECT l.order_id, l.audience, l.used_by_email, l.committer_hash, o.setup_mode, o.approval_requested_at, \
             CASE WHEN (SELECT password_hash IS NULL FROM users WHERE email = l.used_by_email) THEN 1 ELSE 0 END \
               AS needs_password, \
             (SELECT email FROM setup_links c WHERE c.order_id = l.order_id AND c.audience = 'customer' \
                ORDER BY c.created_at DESC LIMIT 1) AS customer_email \
             FROM setup_links l JOIN orders o ON o.id = l.order_id \
             WHERE l.token_hash = $1 AND l.spent_at IS NOT NULL AND l.used_by_email IS NOT NULL \
             AND (o.setup_at IS NOT NULL OR o.approval_requested_at IS NOT NULL)",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .context("reading a link's commit")?;
        row.map(|r| {
            Ok(SpentCommit {
                order_id: r.try_get("order_id")?,
                partner_link: r.try_get::<&str, _>("audience")? == "partner",
                setter: r.try_get("used_by_email")?,
                committer_hash: r.try_get("committer_hash")?,
                customer_mode: r.try_get::<Option<String>, _>("setup_mode")?.as_deref()
                    == Some("customer"),
                awaiting_approval: r
                    .try_get::<Option<String>, _>("approval_requested_at")?
                    .is_some(),
                needs_password: flag(&r, "needs_password")?,
                customer_email: r.try_get("customer_email")?,
            })
        })
        .transpose()
    }

    /// The order and the person whose first password this link may still
    /// set (checked before a password is hashed): within a day of the
    /// commit, only in the browser whose commit cookie hashes to `committer`.
    pub(crate) async fn first_password_target(
        &self,
        token_hash: &str,
        committer: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT l.order_id, l.used_by_email FROM setup_links l JOIN users u ON u.email = l.used_by_email \
             WHERE l.token_hash = $1 AND l.spent_at IS NOT NULL AND l.spent_at > $2 AND u.password_hash IS NULL \
             AND l.committer_hash = $3",
        )
        .bind(token_hash)
        .bind(ts(now - Duration::hours(FIRST_PASSWORD_HOURS)))
        .bind(committer)
        .fetch_optional(&self.pool)
        .await
        .context("reading whose first password a link sets")?;
        Ok(row.map(|row| (row.get("order_id"), row.get("used_by_email"))))
    }
}

/// The first password's write inside a service's transaction.
impl Write<'_> {
    /// Sets the first password of whoever committed with this link, once,
    /// within a day of the commit, in the browser whose commit cookie
    /// hashes to `committer`: their id, address and order, or `None`.
    pub(crate) async fn set_first_password(
        &mut self,
        token_hash: &str,
        committer: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, String, String)>> {
        let link: Option<(String, String)> = sqlx::query_as(
            "SELECT used_by_email, order_id FROM setup_links WHERE token_hash = $1 AND spent_at IS NOT NULL \
             AND spent_at > $2 AND committer_hash = $3",
        )
        .bind(token_hash)
        .bind(ts(now - Duration::hours(FIRST_PASSWORD_HOURS)))
        .bind(committer)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading whose first password a link sets")?;
        let Some((email, order_id)) = link else {
            return Ok(None);
        };
        let user: Option<String> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1 WHERE password_hash IS NULL AND email = $2 RETURNING id",
        )
        .bind(password_hash)
        .bind(&email)
        .fetch_optional(&mut *self.tx)
        .await
        .context("setting a first password")?;
        Ok(user.map(|id| (id, email, order_id)))
    }
}
