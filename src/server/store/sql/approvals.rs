//! What approvals read and write (contract sections 9 and 11): both kinds
//! in one table, a customer organization's administrator approving a
//! partner's order for it, and a partner organization's administrators
//! approving a newcomer. The rules (who may answer, what an answer does, the
//! emails) are `server/services/approvals.rs`.

use super::{ApprovalRow, NewApproval, Store, Write, account_readers, ts};
use crate::server::mail::Readers;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The columns of [`ApprovalRow`].
const APPROVAL_COLUMNS: &str = "a.kind, a.request_id, a.order_id, a.customer_org_id, a.partner_org_id, \
     a.subject_email, a.admin_email, a.expires_at, a.answered_at, \
     o.order_number, o.partner_name, o.setup_by_email, o.setup_mode, p.name AS org_name";

const APPROVAL_FROM: &str = "FROM approvals a LEFT JOIN orders o ON o.id = a.order_id \
     LEFT JOIN partner_orgs p ON p.id = a.partner_org_id WHERE a.token_hash = $1";

async fn approval_by_token(
    conn: &mut super::Conn,
    token_hash: &str,
) -> anyhow::Result<Option<ApprovalRow>> {
    sqlx::query_as(&format!("SELECT {APPROVAL_COLUMNS} {APPROVAL_FROM}"))
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
        .context("reading an approval")
}

async fn is_administrator(
    conn: &mut super::Conn,
    email: &str,
    partner_org: &str,
) -> anyhow::Result<bool> {
    let admin: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE email = $1 AND partner_org_id = $2 \
         AND role = 'admin') THEN 1 ELSE 0 END",
    )
    .bind(email)
    .bind(partner_org)
    .fetch_one(&mut *conn)
    .await
    .context("reading whether someone administers an organization")?;
    Ok(admin == 1)
}

impl Store {
    /// The approval a token's hash names, with its order and organization.
    pub(crate) async fn approval(&self, token_hash: &str) -> anyhow::Result<Option<ApprovalRow>> {
        let mut conn = self.pool.acquire().await?;
        approval_by_token(&mut conn, token_hash).await
    }

    /// Whether `email` administers the partner organization `partner_org`.
    pub(crate) async fn is_administrator(
        &self,
        email: &str,
        partner_org: &str,
    ) -> anyhow::Result<bool> {
        let mut conn = self.pool.acquire().await?;
        is_administrator(&mut conn, email, partner_org).await
    }
}

/// Approvals' reads and writes inside a service's transaction.
impl Write<'_> {
    /// Records one approval link (its hash).
    pub(crate) async fn insert_approval(
        &mut self,
        token_hash: &str,
        approval: &NewApproval<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO approvals (token_hash, kind, request_id, order_id, customer_org_id, partner_org_id, \
             subject_email, admin_email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(token_hash)
        .bind(approval.kind)
        .bind(approval.request_id)
        .bind(approval.order_id)
        .bind(approval.customer_org)
        .bind(approval.partner_org)
        .bind(approval.subject)
        .bind(approval.admin)
        .bind(ts(now))
        .bind(ts(approval.expires))
        .execute(&mut *self.tx)
        .await
        .context("recording an approval")?;
        Ok(())
    }

    /// The approval a token's hash names (see [`Store::approval`]).
    pub(crate) async fn approval(
        &mut self,
        token_hash: &str,
    ) -> anyhow::Result<Option<ApprovalRow>> {
        approval_by_token(&mut self.tx, token_hash).await
    }

    /// Whether `email` administers the partner organization `partner_org`.
    pub(crate) async fn is_administrator(
        &mut self,
        email: &str,
        partner_org: &str,
    ) -> anyhow::Result<bool> {
        is_administrator(&mut self.tx, email, partner_org).await
    }

    /// Whether a join request for `person` to `org` is open.
    pub(crate) async fn join_request_open(
        &mut self,
        org: &str,
        person: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let open: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM approvals WHERE kind = 'join' AND partner_org_id = $1 \
             AND subject_email = $2 AND answered_at IS NULL AND expires_at > $3) THEN 1 ELSE 0 END",
        )
        .bind(org)
        .bind(person)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .context("reading whether a join request is open")?;
        Ok(open == 1)
    }

    /// The person and order of an open join request of `org`.
    pub(crate) async fn open_join_request(
        &mut self,
        org: &str,
        request_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, Option<String>)>> {
        let row = sqlx::query(
            "SELECT subject_email, order_id FROM approvals WHERE request_id = $1 AND kind = 'join' \
             AND partner_org_id = $2 AND answered_at IS NULL AND expires_at > $3 LIMIT 1",
        )
        .bind(request_id)
        .bind(org)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading a join request")?;
        Ok(row.map(|row| (row.get("subject_email"), row.get("order_id"))))
    }

    /// The name of a partner organization.
    pub(crate) async fn partner_org_name(&mut self, org: &str) -> anyhow::Result<String> {
        sqlx::query_scalar("SELECT name FROM partner_orgs WHERE id = $1")
            .bind(org)
            .fetch_one(&mut *self.tx)
            .await
            .context("reading an organization's name")
    }

    /// The number of an order.
    pub(crate) async fn order_number(&mut self, order_id: &str) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar("SELECT order_number FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(&mut *self.tx)
            .await
            .context("reading an order's number")
    }

    /// The addresses of a partner organization's administrators.
    pub(crate) async fn administrators(&mut self, org: &str) -> anyhow::Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT email FROM users WHERE partner_org_id = $1 AND role = 'admin' ORDER BY email",
        )
        .bind(org)
        .fetch_all(&mut *self.tx)
        .await
        .context("reading an organization's administrators")
    }

    /// What decides the language of an email to `to` that concerns no
    /// order.
    pub(crate) async fn account_readers(&mut self, to: &str) -> anyhow::Result<Readers> {
        account_readers(&mut self.tx, to).await
    }

    /// Records the answer on every link of a request; `false` when it was
    /// answered already.
    pub(crate) async fn answer_request(
        &mut self,
        request_id: &str,
        approve: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let answered = sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = $2, answered_by = $3 \
             WHERE request_id = $4 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(if approve { "approved" } else { "declined" })
        .bind(by)
        .bind(request_id)
        .execute(&mut *self.tx)
        .await
        .context("recording an answer")?;
        Ok(answered.rows_affected() > 0)
    }

    /// Makes a guest of `org` a Member; `false` when they are no guest of it
    /// (removed meanwhile, or let in another way).
    pub(crate) async fn let_in(&mut self, person: &str, org: &str) -> anyhow::Result<bool> {
        let joined = sqlx::query(
            "UPDATE users SET role = 'member' WHERE email = $1 AND partner_org_id = $2 AND role = 'guest'",
        )
        .bind(person)
        .bind(org)
        .execute(&mut *self.tx)
        .await
        .context("letting someone in")?;
        Ok(joined.rows_affected() == 1)
    }

    /// Attaches an order waiting for approval to `customer_org`: it is set
    /// up. `false` when it is not waiting any more.
    pub(crate) async fn attach_approved(
        &mut self,
        order_id: &str,
        customer_org: Option<&str>,
        customer_confirmed: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let updated = sqlx::query(
            "UPDATE orders SET customer_org_id = $1, setup_at = $2, approval_requested_at = NULL, \
             customer_confirmed_at = $3 \
             WHERE id = $4 AND approval_requested_at IS NOT NULL AND setup_at IS NULL AND closed_at IS NULL",
        )
        .bind(customer_org)
        .bind(ts(now))
        .bind(customer_confirmed.then(|| ts(now)))
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("attaching an approved order")?;
        Ok(updated.rows_affected() == 1)
    }

    /// Returns an order whose approval was declined to awaiting its details.
    pub(crate) async fn return_to_awaiting(&mut self, order_id: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE orders SET approval_requested_at = NULL, setup_mode = NULL, setup_by_email = NULL, \
             partner_org_id = NULL WHERE id = $1 AND approval_requested_at IS NOT NULL AND setup_at IS NULL",
        )
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("returning an order to awaiting its details")?;
        Ok(())
    }

    /// Appends an audit entry about a partner organization's people.
    pub(crate) async fn audit_people(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        partner_org: &str,
        order_id: Option<&str>,
        detail: &str,
    ) -> anyhow::Result<()> {
        let org = Some(partner_org);
        super::insert_audit(&mut self.tx, at, actor, action, order_id, org, detail).await
    }
}
