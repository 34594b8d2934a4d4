//! The people of a partner organization (contract section 12): who they
//! are and in which role, role changes and removals (never of the last
//! administrator), invitations by link, and what happened to them.

use super::people::insert_user;
use super::{Store, Write, parse_ts, ts};
use crate::domain::Role;
use crate::model::activity::ActivityEntry;
use crate::model::people::{InvitationRow, JoinRequestRow, JoinView, PeopleView, PersonRow};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// Entries of the organization's activity the page shows.
const ACTIVITY_ENTRIES: i64 = 50;

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
            two_step_required: self.two_step_required(org).await?,
        })
    }

    /// An invitation by its link's hash: the organization's name, the
    /// address and role invited, until when, and whether it was used.
    pub(crate) async fn invitation(
        &self,
        token_hash: &str,
    ) -> anyhow::Result<Option<(JoinView, DateTime<Utc>, bool)>> {
        let row = sqlx::query(
            "SELECT i.email, i.role, i.expires_at, i.used_at, p.name FROM invitations i \
             JOIN partner_orgs p ON p.id = i.partner_org_id WHERE i.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .context("reading an invitation")?;
        row.map(|row| {
            Ok((
                JoinView {
                    organization: row.get("name"),
                    email: row.get("email"),
                    role: Role::from_code(row.get("role")).unwrap_or(Role::ReadOnly),
                },
                parse_ts(row.get("expires_at"))?,
                row.get::<Option<String>, _>("used_at").is_some(),
            ))
        })
        .transpose()
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

    /// The address and role of `user_id` in `org`.
    pub(crate) async fn member(
        &mut self,
        org: &str,
        user_id: &str,
    ) -> anyhow::Result<Option<(String, Role)>> {
        let row =
            sqlx::query("SELECT email, role FROM users WHERE id = $1 AND partner_org_id = $2")
                .bind(user_id)
                .bind(org)
                .fetch_optional(&mut *self.tx)
                .await
                .context("reading a person")?;
        Ok(row.map(|row| {
            (
                row.get("email"),
                Role::from_code(row.get("role")).unwrap_or(Role::Guest),
            )
        }))
    }

    /// How many administrators `org` has besides `user_id`.
    pub(crate) async fn other_administrators(
        &mut self,
        org: &str,
        user_id: &str,
    ) -> anyhow::Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE partner_org_id = $1 AND role = 'admin' AND id <> $2",
        )
        .bind(org)
        .bind(user_id)
        .fetch_one(&mut *self.tx)
        .await
        .context("counting administrators")
    }

    /// Gives a user a new role.
    pub(crate) async fn set_role(&mut self, user_id: &str, role: Role) -> anyhow::Result<()> {
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.code())
            .bind(user_id)
            .execute(&mut *self.tx)
            .await
            .context("changing a role")?;
        Ok(())
    }

    /// Closes the open join requests of `person` to `org` with `answer`
    /// (`approved`, `cancelled`), answered by `by`.
    pub(crate) async fn close_join_requests(
        &mut self,
        org: &str,
        person: &str,
        answer: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = $2, answered_by = $3 \
             WHERE kind = 'join' AND partner_org_id = $4 AND subject_email = $5 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(answer)
        .bind(by)
        .bind(org)
        .bind(person)
        .execute(&mut *self.tx)
        .await
        .context("closing join requests")?;
        Ok(())
    }

    /// Deletes a user with their sessions and password links.
    pub(crate) async fn delete_user(&mut self, user_id: &str) -> anyhow::Result<()> {
        for statement in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM password_resets WHERE user_id = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *self.tx)
                .await
                .context("removing a person")?;
        }
        Ok(())
    }

    /// Uses an invitation, once, while it lasts: its organization, address
    /// and role; `None` when it is unknown, used or expired.
    pub(crate) async fn use_invitation(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, String, Role)>> {
        let row = sqlx::query(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING partner_org_id, email, role",
        )
        .bind(ts(now))
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .context("using an invitation")?;
        Ok(row.map(|row| {
            (
                row.get("partner_org_id"),
                row.get("email"),
                Role::from_code(row.get("role")).unwrap_or(Role::ReadOnly),
            )
        }))
    }

    /// Lets a guest of `org` in with `role` and a password; their id, or
    /// `None` when the address is no guest of `org`.
    pub(crate) async fn let_guest_in(
        &mut self,
        email: &str,
        org: &str,
        role: Role,
        password_hash: &str,
    ) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "UPDATE users SET role = $1, password_hash = $2 \
             WHERE email = $3 AND partner_org_id = $4 AND role = 'guest' RETURNING id",
        )
        .bind(role.code())
        .bind(password_hash)
        .bind(email)
        .bind(org)
        .fetch_optional(&mut *self.tx)
        .await
        .context("letting a guest in")
    }

    /// A new user of `org` with `role` and a password; their id, or `None`
    /// when the address has a user already.
    pub(crate) async fn insert_member(
        &mut self,
        email: &str,
        org: &str,
        role: Role,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        insert_user(
            &mut self.tx,
            email,
            Some(org),
            None,
            role,
            Some(password_hash),
            now,
        )
        .await
    }
}
