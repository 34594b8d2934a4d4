//! Approvals (contract sections 9 and 11), both kinds in one table and one
//! set of rules: a customer organization's administrator approving a
//! partner's order for it, and a partner organization's administrators
//! approving a newcomer who set up an order for it. Each is answered once,
//! at `/approve/{token}` (a link per administrator), or on `/hub/people`.

use super::Conn;
use super::{APPROVAL_DAYS, DbRow, Mailing, record_event};
use super::{Store, new_id, parse_ts, ts, unexpected};
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::model::approval::{ApprovalOutcome, ApprovalView};
use crate::server::{mail, tokens};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One approval link and its email, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn insert_approval(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    kind: &str,
    request_id: &str,
    order_id: Option<&str>,
    customer_org: Option<&str>,
    partner_org: Option<&str>,
    subject: Option<&str>,
    admin: &str,
    email: impl FnOnce(&str) -> mail::Email,
) -> Result<(), AppError> {
    let Mailing {
        sealer,
        public_url,
        now,
    } = mailing;
    let (token, hash) = tokens::new_token().map_err(unexpected)?;
    sqlx::query(
        "INSERT INTO approvals (token_hash, kind, request_id, order_id, customer_org_id, partner_org_id, \
         subject_email, admin_email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&hash)
    .bind(kind)
    .bind(request_id)
    .bind(order_id)
    .bind(customer_org)
    .bind(partner_org)
    .bind(subject)
    .bind(admin)
    .bind(ts(now))
    .bind(ts(now + chrono::Duration::days(APPROVAL_DAYS)))
    .execute(&mut *conn)
    .await
    .map_err(unexpected)?;
    let letter = email(&format!("{public_url}/approve/{token}"));
    super::enqueue(
        conn,
        sealer,
        &format!("approval:{hash}"),
        order_id,
        &letter,
        now,
    )
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// Writes the approval request and its email inside the commit.
pub(crate) async fn request_approval(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    order_id: &str,
    customer_org: &str,
    admin: &EmailAddress,
) -> Result<(), AppError> {
    let order = super::order_mail(conn, order_id, admin.as_str())
        .await
        .map_err(unexpected)?;
    let request_id = new_id();
    insert_approval(
        conn,
        mailing,
        "customer",
        &request_id,
        Some(order_id),
        Some(customer_org),
        None,
        None,
        admin.as_str(),
        |url| {
            mail::approval_request(
                order.locale,
                admin.as_str(),
                &order.number,
                &order.partner,
                url,
            )
        },
    )
    .await
}

/// Asks every administrator of the partner organization `org` to let
/// `person` in (a guest now), unless a request for them is open already.
pub(crate) async fn request_join(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    org: &str,
    person: &str,
    order_id: Option<&str>,
) -> Result<(), AppError> {
    let now = mailing.now;
    let open: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM approvals WHERE kind = 'join' AND partner_org_id = $1 \
         AND subject_email = $2 AND answered_at IS NULL AND expires_at > $3) THEN 1 ELSE 0 END",
    )
    .bind(org)
    .bind(person)
    .bind(ts(now))
    .fetch_one(&mut *conn)
    .await
    .map_err(unexpected)?;
    if open == 1 {
        return Ok(());
    }
    let org_name: String = sqlx::query_scalar("SELECT name FROM partner_orgs WHERE id = $1")
        .bind(org)
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
    let order_number: Option<String> = match order_id {
        Some(id) => sqlx::query_scalar("SELECT order_number FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(unexpected)?,
        None => None,
    };
    let admins: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM users WHERE partner_org_id = $1 AND role = 'admin' ORDER BY email",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await
    .map_err(unexpected)?;
    let request_id = new_id();
    for admin in &admins {
        let locale = super::account_language(conn, admin)
            .await
            .map_err(unexpected)?;
        insert_approval(
            conn,
            mailing,
            "join",
            &request_id,
            order_id,
            None,
            Some(org),
            Some(person),
            admin,
            |url| {
                mail::join_request(
                    locale,
                    admin,
                    person,
                    &org_name,
                    order_number.as_deref(),
                    url,
                )
            },
        )
        .await?;
    }
    Store::audit_people(conn, now, person, "join_requested", org, order_id, "")
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// The approval a token names, if it can still be answered: unknown is
/// `NotFound`, answered or expired is `Gone`.
async fn open_approval(conn: &mut Conn, hash: &str, now: DateTime<Utc>) -> Result<DbRow, AppError> {
    let row = sqlx::query(
        "SELECT a.kind, a.request_id, a.order_id, a.customer_org_id, a.partner_org_id, a.subject_email, \
         a.admin_email, a.expires_at, a.answered_at, \
         o.order_number, o.partner_name, o.setup_by_email, o.setup_mode, p.name AS org_name \
         FROM approvals a LEFT JOIN orders o ON o.id = a.order_id \
         LEFT JOIN partner_orgs p ON p.id = a.partner_org_id WHERE a.token_hash = $1",
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
    if row.get::<&str, _>("kind") == "join" {
        // Only someone who administers the organization now may let people
        // in, whatever link they hold.
        let still: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE email = $1 AND partner_org_id = $2 \
             AND role = 'admin') THEN 1 ELSE 0 END",
        )
        .bind(row.get::<&str, _>("admin_email"))
        .bind(row.get::<Option<String>, _>("partner_org_id"))
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
        if still == 0 {
            return Err(AppError::Gone);
        }
    }
    Ok(row)
}

/// Records the answer of a join request on every one of its links, lets the
/// guest in (or not) and tells them. `by` is the administrator answering.
pub(crate) async fn answer_join(
    conn: &mut Conn,
    sealer: &crate::server::store::sealer::Sealer,
    org: &str,
    request_id: &str,
    approve: bool,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ApprovalOutcome, AppError> {
    let row = sqlx::query(
        "SELECT subject_email, order_id FROM approvals WHERE request_id = $1 AND kind = 'join' \
         AND partner_org_id = $2 AND answered_at IS NULL AND expires_at > $3 LIMIT 1",
    )
    .bind(request_id)
    .bind(org)
    .bind(ts(now))
    .fetch_optional(&mut *conn)
    .await
    .map_err(unexpected)?
    .ok_or(AppError::Gone)?;
    let person: String = row.get("subject_email");
    let order_id: Option<String> = row.get("order_id");
    let answered = sqlx::query(
        "UPDATE approvals SET answered_at = $1, answer = $2, answered_by = $3 \
         WHERE request_id = $4 AND answered_at IS NULL",
    )
    .bind(ts(now))
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .bind(request_id)
    .execute(&mut *conn)
    .await
    .map_err(unexpected)?;
    if answered.rows_affected() == 0 {
        return Err(AppError::Gone);
    }
    if approve {
        let joined = sqlx::query(
            "UPDATE users SET role = 'member' WHERE email = $1 AND partner_org_id = $2 AND role = 'guest'",
        )
        .bind(&person)
        .bind(org)
        .execute(&mut *conn)
        .await
        .map_err(unexpected)?;
        if joined.rows_affected() != 1 {
            // Removed meanwhile, or let in another way.
            return Err(AppError::Gone);
        }
    }
    let org_name: String = sqlx::query_scalar("SELECT name FROM partner_orgs WHERE id = $1")
        .bind(org)
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
    let locale = super::account_language(conn, &person)
        .await
        .map_err(unexpected)?;
    super::enqueue(
        conn,
        sealer,
        &format!("join_answer:{request_id}"),
        order_id.as_deref(),
        &mail::join_answered(locale, &person, &org_name, approve),
        now,
    )
    .await
    .map_err(unexpected)?;
    Store::audit_people(
        conn,
        now,
        by,
        if approve {
            "join_approved"
        } else {
            "join_declined"
        },
        org,
        order_id.as_deref(),
        &person,
    )
    .await
    .map_err(unexpected)?;
    Ok(if approve {
        ApprovalOutcome::Joined { person }
    } else {
        ApprovalOutcome::JoinDeclined { person }
    })
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
        if row.get::<&str, _>("kind") == "join" {
            return Ok(ApprovalView::Join {
                person: row.get("subject_email"),
                organization: row.get("org_name"),
                order_number: row.get("order_number"),
            });
        }
        let order_id: String = row.get("order_id");
        Ok(ApprovalView::Order {
            partner_name: row.get("partner_name"),
            order_number: row.get("order_number"),
            services: super::orders::services_of(&mut *conn, &order_id)
                .await
                .map_err(unexpected)?,
        })
    }

    /// Approves or declines, once. A customer's approval attaches the order
    /// to the organization and tells the partner; a decline returns the
    /// order to "Awaiting Provisioning Details", tells the partner and sends
    /// the provisioning contact a new "Set Up Now" link. A join request's
    /// answer lets the person in, or leaves them with their one order.
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
        let admin: String = row.get("admin_email");
        if row.get::<&str, _>("kind") == "join" {
            let org: String = row.get("partner_org_id");
            let request_id: String = row.get("request_id");
            let outcome = answer_join(
                &mut tx,
                self.sealer(),
                &org,
                &request_id,
                approve,
                &admin,
                now,
            )
            .await?;
            tx.commit().await.map_err(unexpected)?;
            return Ok(outcome);
        }
        let answer = if approve { "approved" } else { "declined" };
        let answered = sqlx::query(
            "UPDATE approvals SET answered_at = $1, answer = $2, answered_by = $3 \
             WHERE token_hash = $4 AND answered_at IS NULL",
        )
        .bind(ts(now))
        .bind(answer)
        .bind(&admin)
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        if answered.rows_affected() != 1 {
            return Err(AppError::Gone);
        }
        let order_id: String = row.get("order_id");
        let order_number: String = row.get("order_number");
        let partner_user: Option<String> = row.get("setup_by_email");
        let outcome = if approve {
            let customer_mode =
                row.get::<Option<String>, _>("setup_mode").as_deref() == Some("customer");
            let updated = sqlx::query(
                "UPDATE orders SET customer_org_id = $1, setup_at = $2, approval_requested_at = NULL, \
                 customer_confirmed_at = $3 \
                 WHERE id = $4 AND approval_requested_at IS NOT NULL AND setup_at IS NULL AND closed_at IS NULL",
            )
            .bind(row.get::<Option<String>, _>("customer_org_id"))
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
