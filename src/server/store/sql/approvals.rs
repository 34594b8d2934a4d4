//! Approval of an existing customer organization (contract section 9): asked
//! of its administrator when a partner that does not manage it names them,
//! answered once at `/approve/{token}`.

#[allow(unused_imports)]
use super::*;

use super::Conn;
use super::{Store, parse_ts, ts, unexpected};
use crate::approval::{ApprovalOutcome, ApprovalView};
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::server::{mail, tokens};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// Writes the approval request and its email inside the commit.
pub(crate) async fn request_approval(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    order_id: &str,
    customer_org: &str,
    admin: &EmailAddress,
) -> Result<(), AppError> {
    let Mailing {
        sealer,
        public_url,
        now,
    } = mailing;
    let (token, hash) = tokens::new_token().map_err(unexpected)?;
    sqlx::query(
        "INSERT INTO approvals (token_hash, order_id, customer_org_id, admin_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&hash)
    .bind(order_id)
    .bind(customer_org)
    .bind(admin.as_str())
    .bind(ts(now))
    .bind(ts(now + chrono::Duration::days(APPROVAL_DAYS)))
    .execute(&mut *conn)
    .await
    .map_err(unexpected)?;
    let order = super::order_mail(conn, order_id, admin.as_str())
        .await
        .map_err(unexpected)?;
    let email = mail::approval_request(
        order.locale,
        admin.as_str(),
        &order.number,
        &order.partner,
        &format!("{public_url}/approve/{token}"),
    );
    super::enqueue(
        conn,
        sealer,
        &format!("approval:{hash}"),
        Some(order_id),
        &email,
        now,
    )
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// Withdraws an order's open approval request (a new invitation replaces it);
/// whether there was one.
pub(crate) async fn cancel_approvals(
    conn: &mut Conn,
    order_id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    sqlx::query(
        "UPDATE approvals SET answered_at = $1, answer = 'cancelled' WHERE order_id = $2 AND answered_at IS NULL",
    )
    .bind(ts(now))
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    let reopened = sqlx::query(
        "UPDATE orders SET approval_requested_at = NULL, setup_mode = NULL, setup_by_email = NULL, partner_org_id = NULL \
         WHERE id = $1 AND approval_requested_at IS NOT NULL AND setup_at IS NULL",
    )
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    Ok(reopened.rows_affected() == 1)
}

/// The approval a token names, if it can still be answered: unknown is
/// `NotFound`, answered or expired is `Gone`.
async fn open_approval(conn: &mut Conn, hash: &str, now: DateTime<Utc>) -> Result<DbRow, AppError> {
    let row = sqlx::query(
        "SELECT a.order_id, a.customer_org_id, a.admin_email, a.expires_at, a.answered_at, \
         o.order_number, o.partner_name, o.setup_by_email, o.setup_mode, o.provisioning_contact_email, \
         o.offer, o.customer_name \
         FROM approvals a JOIN orders o ON o.id = a.order_id WHERE a.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(&mut *conn)
    .await
    .map_err(unexpected)?
    .ok_or(AppError::NotFound)?;
    let expired = parse_ts(row.get("expires_at")).map_err(unexpected)? <= now;
    if expired || row.get::<Option<String>, _>("answered_at").is_some() {
        return Err(AppError::Gone);
    }
    Ok(row)
}

impl Store {
    /// What the approval page shows.
    pub async fn approval_view(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<ApprovalView, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        let row = open_approval(&mut conn, &tokens::hash_token(token), now).await?;
        let order_id: String = row.get("order_id");
        Ok(ApprovalView {
            partner_name: row.get("partner_name"),
            order_number: row.get("order_number"),
            services: super::orders::services_of(&mut *conn, &order_id)
                .await
                .map_err(unexpected)?,
        })
    }

    /// Approves or declines, once. Approve attaches the order to the
    /// organization and tells the partner; decline returns the order to
    /// "Awaiting Provisioning Details", tells the partner and sends the
    /// provisioning contact a new "Set Up Now" link.
    pub async fn answer_approval(
        &self,
        token: &str,
        approve: bool,
        now: DateTime<Utc>,
        public_url: &str,
    ) -> Result<ApprovalOutcome, AppError> {
        let hash = tokens::hash_token(token);
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let row = open_approval(&mut tx, &hash, now).await?;
        let answer = if approve { "approved" } else { "declined" };
        let answered = sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = $2 WHERE token_hash = $3 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(answer)
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        if answered.rows_affected() != 1 {
            return Err(AppError::Gone);
        }
        let order_id: String = row.get("order_id");
        let order_number: String = row.get("order_number");
        let admin: String = row.get("admin_email");
        let partner_user: Option<String> = row.get("setup_by_email");
        let outcome = if approve {
            let customer_mode =
                row.get::<Option<String>, _>("setup_mode").as_deref() == Some("customer");
            let updated = sqlx::query(
                "UPDATE orders SET customer_org_id = $1, setup_at = $2, approval_requested_at = NULL, \
                 customer_confirmed_at = $3 \
                 WHERE id = $4 AND approval_requested_at IS NOT NULL AND setup_at IS NULL AND closed_at IS NULL",
            )
            .bind(row.get::<&str, _>("customer_org_id"))
            .bind(ts(now))
            .bind(customer_mode.then(|| ts(now)))
            .bind(&order_id)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
            if updated.rows_affected() != 1 {
                return Err(AppError::Gone);
            }
            let service_url = format!("/service/{order_id}");
            if let Some(to) = &partner_user {
                let locale = super::order_mail(&mut tx, &order_id, to)
                    .await
                    .map_err(unexpected)?
                    .locale;
                let email = mail::approval_answered(
                    locale,
                    to,
                    &order_number,
                    true,
                    (!customer_mode)
                        .then(|| format!("{public_url}{service_url}"))
                        .as_deref(),
                );
                super::enqueue(
                    &mut tx,
                    self.sealer(),
                    &format!("approved:{hash}"),
                    Some(&order_id),
                    &email,
                    now,
                )
                .await
                .map_err(unexpected)?;
            }
            record_event(&mut tx, &order_id, "order.set_up", now)
                .await
                .map_err(unexpected)?;
            ApprovalOutcome::Approved { service_url }
        } else {
            sqlx::query(
                "UPDATE orders SET approval_requested_at = NULL, setup_mode = NULL, setup_by_email = NULL, \
                 partner_org_id = NULL WHERE id = $1 AND approval_requested_at IS NOT NULL AND setup_at IS NULL",
            )
            .bind(&order_id)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
            if let Some(to) = &partner_user {
                let locale = super::order_mail(&mut tx, &order_id, to)
                    .await
                    .map_err(unexpected)?
                    .locale;
                let email = mail::approval_answered(locale, to, &order_number, false, None);
                super::enqueue(
                    &mut tx,
                    self.sealer(),
                    &format!("declined:{hash}"),
                    Some(&order_id),
                    &email,
                    now,
                )
                .await
                .map_err(unexpected)?;
            }
            // The provisioning contact starts again with a new link.
            super::orders::reinvite_contact(&mut tx, self.mailing(public_url, now), &order_id)
                .await
                .map_err(unexpected)?;
            record_event(&mut tx, &order_id, "order.invited", now)
                .await
                .map_err(unexpected)?;
            ApprovalOutcome::Declined
        };
        Store::audit(
            &mut tx,
            now,
            &admin,
            if approve {
                "approval_approved"
            } else {
                "approval_declined"
            },
            Some(&order_id),
            "",
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(outcome)
    }
}
