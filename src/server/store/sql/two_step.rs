//! Two-step sign-in's rows: a user's sealed TOTP secret (and the one being
//! turned on), the last step accepted, recovery code hashes, and whether an
//! organization requires it. Reads and writes only; the decisions are in
//! `services::two_step`.

use super::{Store, Write, flag, ts};
use crate::server::tokens;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A user's two-step sign-in as stored (secrets still sealed).
#[derive(Debug, Clone, Default)]
pub struct TwoStepRecord {
    pub user_id: String,
    pub email: String,
    pub partner_org_id: Option<String>,
    /// The confirmed secret, sealed; `None` while two-step is off.
    pub secret: Option<String>,
    /// The secret being turned on, sealed.
    pub pending: Option<String>,
    pub last_step: Option<i64>,
    /// Whether the user's organization requires two-step sign-in.
    pub required: bool,
}

impl Store {
    /// The two-step record of user `user_id`.
    pub async fn two_step_of(&self, user_id: &str) -> anyhow::Result<Option<TwoStepRecord>> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.partner_org_id, u.totp_secret, u.totp_pending, u.totp_last_step, \
             CASE WHEN p.require_two_step = 1 THEN 1 ELSE 0 END AS required \
             FROM users u LEFT JOIN partner_orgs p ON p.id = u.partner_org_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("reading a user's two-step sign-in")?;
        row.map(|r| {
            Ok(TwoStepRecord {
                user_id: r.try_get("id")?,
                email: r.try_get("email")?,
                partner_org_id: r.try_get("partner_org_id")?,
                secret: r.try_get("totp_secret")?,
                pending: r.try_get("totp_pending")?,
                last_step: r.try_get("totp_last_step")?,
                required: flag(&r, "required")?,
            })
        })
        .transpose()
    }

    /// Keeps `sealed` as the secret being turned on for `user_id`.
    pub async fn set_pending_two_step(&self, user_id: &str, sealed: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
            .bind(sealed)
            .bind(user_id)
            .execute(&self.pool)
            .await
            .context("keeping a two-step secret to confirm")?;
        Ok(())
    }

    /// Seals every stored two-step secret again under the current key (a
    /// key rotation: the previous key still opens them now, and will not
    /// once it is dropped). A secret neither key opens is left as it is and
    /// counted. Answers (sealed again, unreadable).
    pub async fn reseal_two_step_secrets(&self) -> anyhow::Result<(u64, u64)> {
        let rows = sqlx::query(
            "SELECT id, totp_secret, totp_pending FROM users \
             WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading two-step secrets")?;
        let (mut done, mut unreadable) = (0, 0);
        for row in rows {
            let id: String = row.try_get("id")?;
            let mut reseal = |sealed: Option<String>| match sealed {
                None => Ok(None),
                Some(sealed) => match self.sealer().open(&sealed) {
                    Ok(secret) => self.sealer().seal(&secret).map(Some),
                    Err(_) => {
                        unreadable += 1;
                        Ok(Some(sealed))
                    }
                },
            };
            let secret = reseal(row.try_get("totp_secret")?)?;
            let pending = reseal(row.try_get("totp_pending")?)?;
            sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = $2 WHERE id = $3")
                .bind(secret)
                .bind(pending)
                .bind(&id)
                .execute(&self.pool)
                .await
                .context("sealing a two-step secret again")?;
            done += 1;
        }
        Ok((done, unreadable))
    }

    /// Whether organization `org` requires two-step sign-in.
    pub async fn two_step_required(&self, org: &str) -> anyhow::Result<bool> {
        let row = sqlx::query(
            "SELECT CASE WHEN require_two_step = 1 THEN 1 ELSE 0 END AS required \
             FROM partner_orgs WHERE id = $1",
        )
        .bind(org)
        .fetch_optional(&self.pool)
        .await
        .context("reading an organization's two-step rule")?;
        row.map_or(Ok(false), |r| flag(&r, "required"))
    }
}

impl Write<'_> {
    /// Records `step` as the last step a code of `user_id` was accepted at,
    /// unless a code of that step or a later one was accepted already (by a
    /// parallel request, or on another instance): then `false`.
    pub(crate) async fn use_step(&mut self, user_id: &str, step: i64) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await
        .context("using a two-step code")?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses recovery code `code_hash` of `user_id`: `false` when it is not
    /// theirs or was used.
    pub(crate) async fn use_recovery_code(
        &mut self,
        user_id: &str,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(ts(now))
        .bind(user_id)
        .bind(code_hash)
        .execute(&mut *self.tx)
        .await
        .context("using a recovery code")?;
        Ok(done.rows_affected() == 1)
    }

    /// Turns two-step sign-in on for `user_id` with `sealed`, the first
    /// code's `step` used, and new recovery codes (their hashes) in place of
    /// any before.
    pub(crate) async fn turn_on_two_step(
        &mut self,
        user_id: &str,
        sealed: &str,
        step: i64,
        recovery_hashes: &[String],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_enabled_at = $2, \
             totp_last_step = $3 WHERE id = $4",
        )
        .bind(sealed)
        .bind(ts(now))
        .bind(step)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await
        .context("turning two-step sign-in on")?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await
            .context("replacing recovery codes")?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *self.tx)
                .await
                .context("keeping a recovery code")?;
        }
        Ok(())
    }

    /// Turns two-step sign-in off for `user_id`; its recovery codes go.
    pub(crate) async fn turn_off_two_step(&mut self, user_id: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL \
             WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut *self.tx)
        .await
        .context("turning two-step sign-in off")?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await
            .context("ending recovery codes")?;
        Ok(())
    }

    /// Ends every session of `user_id` but the one whose secret is `keep`.
    pub(crate) async fn end_other_sessions(
        &mut self,
        user_id: &str,
        keep: Option<&str>,
    ) -> anyhow::Result<u64> {
        let keep = keep.map(tokens::hash_token).unwrap_or_default();
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *self.tx)
            .await
            .context("ending other sessions")?;
        Ok(done.rows_affected())
    }

    /// Sets whether organization `org` requires two-step sign-in; whether
    /// that changed anything.
    pub(crate) async fn set_two_step_required(
        &mut self,
        org: &str,
        required: bool,
    ) -> anyhow::Result<bool> {
        let value = i64::from(required);
        let done = sqlx::query(
            "UPDATE partner_orgs SET require_two_step = $1 WHERE id = $2 AND require_two_step <> $1",
        )
        .bind(value)
        .bind(org)
        .execute(&mut *self.tx)
        .await
        .context("setting an organization's two-step rule")?;
        Ok(done.rows_affected() == 1)
    }

    /// Appends an audit entry about a user's own sign-in settings: under
    /// their partner organization, where it has one.
    pub(crate) async fn audit_account(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        partner_org: Option<&str>,
    ) -> anyhow::Result<()> {
        super::insert_audit(&mut self.tx, at, actor, action, None, partner_org, "").await
    }
}
