//! After the commit: what a replay of it answers (whole only to the browser
//! that committed), and the first password, set once, in that browser.

use super::SetupActor;
use super::{Store, ts, unexpected};
use crate::error::AppError;
use crate::model::setup::{AfterCommit, CommitResult};
use crate::server::tokens;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// The result of the commit that spent this link, if one did: whole for
    /// the browser that committed, with nothing personal (no address, no
    /// order, no next step) for any other.
    pub(crate) async fn replayed_commit(
        &self,
        hash: &str,
        actor: &SetupActor,
    ) -> Result<Option<CommitResult>, AppError> {
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
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?;
        let Some(r) = row else {
            return Ok(None);
        };
        let order_id: String = r.get("order_id");
        let setter: String = r.get("used_by_email");
        let customer_mode = r.get::<Option<String>, _>("setup_mode").as_deref() == Some("customer");
        let partner_link = r.get::<&str, _>("audience") == "partner";
        let awaiting_approval = r
            .get::<Option<String>, _>("approval_requested_at")
            .is_some();
        let committer: Option<String> = r.get("committer_hash");
        if committer.is_none() || committer != actor.committer_presented {
            return Ok(Some(CommitResult {
                order_id: String::new(),
                setter_email: String::new(),
                next: AfterCommit::Elsewhere,
                continue_to: "/hub".into(),
                customer_invited: None,
                managed_by_customer: customer_mode,
                awaiting_approval,
            }));
        }
        let next = if super::flag(&r, "needs_password").map_err(unexpected)? {
            AfterCommit::CreatePassword
        } else if actor.signed_in.as_deref() == Some(setter.as_str()) {
            AfterCommit::Continue
        } else {
            AfterCommit::SignIn
        };
        Ok(Some(CommitResult {
            customer_invited: if customer_mode && partner_link && !awaiting_approval {
                r.get("customer_email")
            } else {
                None
            },
            order_id,
            setter_email: setter,
            next,
            // Decided above storage (`access::continue_to`).
            continue_to: "/hub".into(),
            managed_by_customer: customer_mode,
            awaiting_approval,
        }))
    }

    /// The order and the person whose first password this link may still set
    /// (checked before a password is hashed): only in the browser that
    /// committed, whose commit cookie hashes to `committer`.
    pub async fn first_password_target(
        &self,
        token: &str,
        committer: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, String), AppError> {
        let row = sqlx::query(
            "SELECT l.order_id, l.used_by_email FROM setup_links l JOIN users u ON u.email = l.used_by_email \
             WHERE l.token_hash = $1 AND l.spent_at IS NOT NULL AND l.spent_at > $2 AND u.password_hash IS NULL \
             AND l.committer_hash = $3",
        )
        .bind(tokens::hash_token(token))
        .bind(ts(now - chrono::Duration::days(1)))
        .bind(committer)
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Gone)?;
        Ok((row.get("order_id"), row.get("used_by_email")))
    }

    /// Sets the first password of the person who committed with this link,
    /// once, within a day of the commit (later, "Forgot password?" serves),
    /// in the browser that committed. Returns the user's id.
    pub async fn set_first_password(
        &self,
        token: &str,
        committer: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let hash = tokens::hash_token(token);
        let row = sqlx::query(
            "UPDATE users SET password_hash = $1 WHERE password_hash IS NULL AND email = \
             (SELECT used_by_email FROM setup_links WHERE token_hash = $2 AND spent_at IS NOT NULL AND spent_at > $3 \
              AND committer_hash = $4) \
             RETURNING id",
        )
        .bind(password_hash)
        .bind(&hash)
        .bind(ts(now - chrono::Duration::days(1)))
        .bind(committer)
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?;
        let user_id: String = row.map(|r| r.get("id")).ok_or(AppError::Gone)?;
        // For the Activity: the person has a way back in.
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let order: Option<(String, String)> =
            sqlx::query_as("SELECT order_id, used_by_email FROM setup_links WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(unexpected)?;
        if let Some((order_id, email)) = order {
            Store::audit(
                &mut tx,
                now,
                &email,
                "password_created",
                Some(&order_id),
                "",
            )
            .await
            .map_err(unexpected)?;
        }
        tx.commit().await.map_err(unexpected)?;
        Ok(user_id)
    }
}
