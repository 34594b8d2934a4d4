//! The people of a partner organization (contract section 12): who they
//! are and in which role, role changes and removals (never of the last
//! administrator), invitations by link, and what happened to them.

use super::Conn;
use super::people::insert_user;
use super::{Store, Write, parse_ts, ts, unexpected};
use crate::domain::{DomainError, Role};
use crate::error::{AppError, Refusal};
use crate::model::activity::ActivityEntry;
use crate::model::people::{InvitationRow, JoinRequestRow, JoinView, PeopleView, PersonRow};
use crate::server::tokens;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// Entries of the organization's activity the page shows.
const ACTIVITY_ENTRIES: i64 = 50;

/// The user `user_id` of `org` and their role, or `NotFound`; locks the
/// organization's people for the rest of the transaction.
async fn member_of(conn: &mut Conn, org: &str, user_id: &str) -> Result<(String, Role), AppError> {
    super::lock_keys(conn, &mut vec![format!("people:{org}")])
        .await
        .map_err(unexpected)?;
    let row = sqlx::query("SELECT email, role FROM users WHERE id = $1 AND partner_org_id = $2")
        .bind(user_id)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::NotFound)?;
    Ok((
        row.get("email"),
        Role::from_code(row.get("role")).unwrap_or(Role::Guest),
    ))
}

/// Refuses to leave `org` without an administrator when `user_id` stops
/// being one.
async fn keep_an_administrator(conn: &mut Conn, org: &str, user_id: &str) -> Result<(), AppError> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE partner_org_id = $1 AND role = 'admin' AND id <> $2",
    )
    .bind(org)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(unexpected)?;
    if others == 0 {
        Err(AppError::Refused(Refusal::LastAdministrator))
    } else {
        Ok(())
    }
}

impl Store {
    /// What `/hub/people` shows an administrator of `org`.
    pub async fn people_view(
        &self,
        org: &str,
        me: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<PeopleView> {
        let mut conn = self.pool.acquire().await?;
        let organization: String =
            sqlx::query_scalar("SELECT name FROM partner_orgs WHERE id = $1")
                .bind(org)
                .fetch_one(&mut *conn)
                .await?;
        let people = sqlx::query(
            "SELECT id, email, role, CASE WHEN password_hash IS NOT NULL THEN 1 ELSE 0 END AS has_password FROM users \
             WHERE partner_org_id = $1 ORDER BY email",
        )
        .bind(org)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| PersonRow {
            user_id: r.get("id"),
            is_me: r.get::<&str, _>("email") == me,
            email: r.get("email"),
            role: Role::from_code(r.get("role")).unwrap_or(Role::Guest),
            has_password: r.get::<i64, _>("has_password") == 1,
        })
        .collect();
        let requests = sqlx::query(
            "SELECT a.request_id, MIN(a.subject_email) AS email, MIN(a.created_at) AS created_at, \
             MIN(o.order_number) AS order_number \
             FROM approvals a LEFT JOIN orders o ON o.id = a.order_id \
             WHERE a.kind = 'join' AND a.partner_org_id = $1 AND a.answered_at IS NULL AND a.expires_at > $2 \
             GROUP BY a.request_id ORDER BY MIN(a.created_at)",
        )
        .bind(org)
        .bind(ts(now))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| JoinRequestRow {
            request_id: r.get("request_id"),
            email: r.get("email"),
            order_number: r.get("order_number"),
            created_at: r.get("created_at"),
        })
        .collect();
        let invitations = sqlx::query(
            "SELECT email, role, expires_at FROM invitations \
             WHERE partner_org_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(org)
        .bind(ts(now))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| InvitationRow {
            email: r.get("email"),
            role: Role::from_code(r.get("role")).unwrap_or(Role::ReadOnly),
            expires_at: r.get("expires_at"),
        })
        .collect();
        let activity = sqlx::query(
            "SELECT at, actor, action, detail FROM audit WHERE partner_org_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(org)
        .bind(ACTIVITY_ENTRIES)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| ActivityEntry {
            at: r.get("at"),
            who: r.get("actor"),
            action: r.get("action"),
            detail: r.get("detail"),
        })
        .collect();
        Ok(PeopleView {
            organization,
            people,
            requests,
            invitations,
            activity,
        })
    }

    /// Gives `user_id` of `org` a new role, at once (their next request
    /// reads it); the last administrator keeps theirs.
    pub async fn change_role(
        &self,
        org: &str,
        user_id: &str,
        role: Role,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let (email, old) = member_of(&mut tx, org, user_id).await?;
        if old == role {
            return Ok(());
        }
        if old == Role::Administrator {
            keep_an_administrator(&mut tx, org, user_id).await?;
        }
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.code())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
        if old == Role::Guest {
            // Let in by hand: their open request is answered with it.
            sqlx::query(
                "UPDATE approvals SET answered_at = $1, answer = 'approved', answered_by = $2 \
                 WHERE kind = 'join' AND partner_org_id = $3 AND subject_email = $4 AND answered_at IS NULL",
            )
            .bind(ts(now))
            .bind(by)
            .bind(org)
            .bind(&email)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
        }
        Store::audit_people(
            &mut tx,
            now,
            by,
            "role_changed",
            org,
            None,
            &format!("{email}: {} → {}", old.code(), role.code()),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)
    }

    /// Removes `user_id` from `org`: their sessions end at once and their
    /// address belongs to nobody again; never the last administrator.
    pub async fn remove_person(
        &self,
        org: &str,
        user_id: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let (email, role) = member_of(&mut tx, org, user_id).await?;
        if role == Role::Administrator {
            keep_an_administrator(&mut tx, org, user_id).await?;
        }
        for statement in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM password_resets WHERE user_id = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
        }
        sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = 'cancelled', answered_by = $2 \
             WHERE kind = 'join' AND partner_org_id = $3 AND subject_email = $4 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(by)
        .bind(org)
        .bind(&email)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        Store::audit_people(&mut tx, now, by, "person_removed", org, None, &email)
            .await
            .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)
    }

    /// What `/join/{token}` shows: 404 unknown, 410 used or expired.
    pub async fn join_view(&self, token: &str, now: DateTime<Utc>) -> Result<JoinView, AppError> {
        let row = sqlx::query(
            "SELECT i.email, i.role, i.expires_at, i.used_at, p.name FROM invitations i \
             JOIN partner_orgs p ON p.id = i.partner_org_id WHERE i.token_hash = $1",
        )
        .bind(tokens::hash_token(token))
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::NotFound)?;
        let expired = parse_ts(row.get("expires_at")).map_err(unexpected)? <= now;
        if expired || row.get::<Option<String>, _>("used_at").is_some() {
            return Err(AppError::Gone);
        }
        Ok(JoinView {
            organization: row.get("name"),
            email: row.get("email"),
            role: Role::from_code(row.get("role")).unwrap_or(Role::ReadOnly),
        })
    }

    /// Uses a "Join" link, once: the invited address becomes a user of the
    /// organization, in the role given, with this password. Returns the
    /// user's id.
    pub async fn accept_join(
        &self,
        token: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let row = sqlx::query(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING partner_org_id, email, role",
        )
        .bind(ts(now))
        .bind(tokens::hash_token(token))
        .bind(ts(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?;
        let Some(row) = row else {
            drop(tx);
            self.join_view(token, now).await?;
            return Err(AppError::Gone);
        };
        let org: String = row.get("partner_org_id");
        let email: String = row.get("email");
        let role = Role::from_code(row.get("role")).unwrap_or(Role::ReadOnly);
        super::lock_keys(&mut tx, &mut vec![format!("email:{email}")])
            .await
            .map_err(unexpected)?;
        // A guest of this organization is let in; anyone else with an
        // account belongs elsewhere.
        let guest: Option<String> = sqlx::query_scalar(
            "UPDATE users SET role = $1, password_hash = $2 \
             WHERE email = $3 AND partner_org_id = $4 AND role = 'guest' RETURNING id",
        )
        .bind(role.code())
        .bind(password_hash)
        .bind(&email)
        .bind(&org)
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?;
        let user_id = match guest {
            Some(id) => id,
            None => insert_user(
                &mut tx,
                &email,
                Some(&org),
                None,
                role,
                Some(password_hash),
                now,
            )
            .await
            .map_err(unexpected)?
            .ok_or_else(|| AppError::field("email", DomainError::EmailBelongsToOtherOrg))?,
        };
        sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = 'approved', answered_by = $2 \
             WHERE kind = 'join' AND partner_org_id = $3 AND subject_email = $2 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(&email)
        .bind(&org)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        Store::audit_people(
            &mut tx,
            now,
            &email,
            "invitation_accepted",
            &org,
            None,
            role.code(),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(user_id)
    }
}

/// The people page's writes inside a service's transaction.
impl Write<'_> {
    /// The organization and role of the user with this address, if any.
    pub(crate) async fn membership(
        &mut self,
        email: &str,
    ) -> anyhow::Result<Option<(Option<String>, String)>> {
        sqlx::query_as("SELECT partner_org_id, role FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await
            .context("reading whom an address belongs to")
    }

    /// A partner organization's name and country.
    pub(crate) async fn partner_org(&mut self, org: &str) -> anyhow::Result<(String, String)> {
        sqlx::query_as("SELECT name, country FROM partner_orgs WHERE id = $1")
            .bind(org)
            .fetch_one(&mut *self.tx)
            .await
            .context("reading an organization")
    }

    /// Records an invitation into `org` (its link's hash).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_invitation(
        &mut self,
        token_hash: &str,
        org: &str,
        email: &str,
        role: Role,
        by: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO invitations (token_hash, partner_org_id, email, role, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(org)
        .bind(email)
        .bind(role.code())
        .bind(by)
        .bind(ts(now))
        .bind(ts(expires))
        .execute(&mut *self.tx)
        .await
        .context("recording an invitation")?;
        Ok(())
    }
}
