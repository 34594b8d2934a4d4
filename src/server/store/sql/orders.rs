//! Orders: intake, lists, the contact's links (the scheduler's pass over
//! them is `pass.rs`).

use super::DbRow;
use super::{Conn, Mailing, NewLink, OrderRecord, PlaceOutcome, SETUP_WINDOW_DAYS, record_event};
use super::{Store, is_unique_violation, new_id, parse_ts, ts};
use crate::model::orders::{Order, OrderStatus, OrderSummary};
use crate::server::{mail, tokens};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

pub(crate) const SUMMARY_COLUMNS: &str = "o.id, o.order_number, o.offer, o.subscription_id, \
     o.requested_start_date, o.provisioning_contact_email, o.partner_name, o.customer_name, \
     o.invited_at, o.escalated_at, o.setup_at, o.provisioned_at, o.closed_at, o.billing_start_date, \
     o.approval_requested_at, CASE WHEN o.setup_mode = 'customer' THEN 1 ELSE 0 END AS managed_by_customer";

pub(crate) fn summary_from_row(row: &DbRow) -> anyhow::Result<OrderSummary> {
    let set = |col: &str| -> anyhow::Result<bool> {
        Ok(row.try_get::<Option<String>, _>(col)?.is_some())
    };
    let status = if set("closed_at")? {
        OrderStatus::Closed
    } else if set("provisioned_at")? {
        OrderStatus::Provisioned
    } else if set("setup_at")? {
        OrderStatus::SetUp
    } else if set("approval_requested_at")? {
        OrderStatus::AwaitingApproval
    } else if set("escalated_at")? {
        OrderStatus::Escalated
    } else if set("invited_at")? {
        OrderStatus::Invited
    } else {
        OrderStatus::Scheduled
    };
    Ok(OrderSummary {
        id: row.try_get("id")?,
        order_number: row.try_get("order_number")?,
        offer: row.try_get("offer")?,
        subscription_id: row.try_get("subscription_id")?,
        requested_start_date: row.try_get("requested_start_date")?,
        provisioning_contact_email: row.try_get("provisioning_contact_email")?,
        partner_name: row.try_get("partner_name")?,
        customer_name: row.try_get("customer_name")?,
        status,
        managed_by_customer: super::flag(row, "managed_by_customer")?,
        billing_start_date: row.try_get("billing_start_date")?,
    })
}

/// The SQL condition (on `o`) of the orders [`summary_from_row`] lists
/// under `status`; the same precedence, so each order matches one.
pub(crate) fn status_condition(status: crate::model::hub::HubStatus) -> &'static str {
    use crate::model::hub::HubStatus;
    match status {
        HubStatus::Closed => "o.closed_at IS NOT NULL",
        HubStatus::Provisioned => "(o.closed_at IS NULL AND o.provisioned_at IS NOT NULL)",
        HubStatus::SetUp => {
            "(o.closed_at IS NULL AND o.provisioned_at IS NULL AND o.setup_at IS NOT NULL)"
        }
        HubStatus::AwaitingApproval => {
            "(o.closed_at IS NULL AND o.provisioned_at IS NULL AND o.setup_at IS NULL \
             AND o.approval_requested_at IS NOT NULL)"
        }
        HubStatus::AwaitingDetails => {
            "(o.closed_at IS NULL AND o.provisioned_at IS NULL AND o.setup_at IS NULL \
             AND o.approval_requested_at IS NULL)"
        }
    }
}

impl Store {
    /// Stores a checked order, idempotently by order number.
    pub async fn place_order(
        &self,
        order: &Order,
        now: DateTime<Utc>,
    ) -> anyhow::Result<PlaceOutcome> {
        let body = serde_json::to_vec(order).context("serialising the order")?;
        let digest = tokens::digest(&body);
        if let Some(outcome) = self
            .existing_order(order.order_number.as_str(), &digest)
            .await?
        {
            return Ok(outcome);
        }
        let id = new_id();
        let mut tx = self.write_tx().await?;
        let inserted = sqlx::query(
            "INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
             provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
             customer_name, customer_country, customer_address, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&id)
        .bind(order.order_number.as_str())
        .bind(&digest)
        .bind(order.offer.as_str())
        .bind(order.subscription_id.as_str())
        .bind(order.requested_start_date.to_string())
        .bind(order.provisioning_contact_email.as_str())
        .bind(order.account_rep_email.as_str())
        .bind(order.partner.party_id.as_str())
        .bind(order.partner.name.as_str())
        .bind(order.partner.country.as_str())
        .bind(order.customer.name.as_str())
        .bind(order.customer.country.as_str())
        .bind(order.customer.address.as_str())
        .bind(ts(now))
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(err) if is_unique_violation(&err) => {
                // Another request placed the same number between our look and our
                // insert; answer as if we had looked after it.
                drop(tx);
                return self
                    .existing_order(order.order_number.as_str(), &digest)
                    .await?
                    .context("order vanished after a unique violation");
            }
            Err(err) => return Err(err).context("inserting the order"),
        }
        for (position, service) in order.services.iter().enumerate() {
            sqlx::query("INSERT INTO order_services (order_id, position, kind, sku, quantity) VALUES ($1, $2, $3, $4, $5)")
                .bind(&id)
                .bind(position as i64)
                .bind(service.kind.as_str())
                .bind(service.sku.as_str())
                .bind(service.quantity.get() as i64)
                .execute(&mut *tx)
                .await
                .context("inserting an order service")?;
        }
        Store::audit(
            &mut tx,
            now,
            "commerce",
            "order_placed",
            Some(&id),
            order.order_number.as_str(),
        )
        .await?;
        tx.commit().await.context("committing the order")?;
        Ok(PlaceOutcome::Created(id))
    }

    async fn existing_order(
        &self,
        order_number: &str,
        digest: &str,
    ) -> anyhow::Result<Option<PlaceOutcome>> {
        let row = sqlx::query("SELECT id, body_digest FROM orders WHERE order_number = $1")
            .bind(order_number)
            .fetch_optional(&self.pool)
            .await
            .context("looking up the order number")?;
        Ok(row.map(|row| {
            let id: String = row.get("id");
            let stored: String = row.get("body_digest");
            if stored == digest {
                PlaceOutcome::Replayed(id)
            } else {
                PlaceOutcome::Conflict
            }
        }))
    }

    /// An order by its number, as the order API shows it.
    pub async fn order_record(&self, order_number: &str) -> anyhow::Result<Option<OrderRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM orders o WHERE o.order_number = $1"
        ))
        .bind(order_number)
        .fetch_optional(&self.pool)
        .await
        .context("loading an order by number")?;
        let Some(row) = row else {
            return Ok(None);
        };
        let summary = summary_from_row(&row)?;
        Ok(Some(OrderRecord {
            status: summary.status.key(),
            order_id: summary.id,
            order_number: summary.order_number,
            provisioning_contact_email: summary.provisioning_contact_email,
            requested_start_date: summary.requested_start_date,
            set_up_at: row.try_get("setup_at")?,
            provisioned_at: row.try_get("provisioned_at")?,
        }))
    }

    /// The newest orders, for the commerce page.
    pub async fn list_orders(&self, limit: i64) -> anyhow::Result<Vec<OrderSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM orders o ORDER BY o.created_at DESC, o.order_number LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .context("listing orders")?;
        rows.iter().map(summary_from_row).collect()
    }

    /// One order's summary.
    pub async fn order_summary(&self, order_id: &str) -> anyhow::Result<Option<OrderSummary>> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM orders o WHERE o.id = $1"
        ))
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await
        .context("loading an order")?;
        row.as_ref().map(summary_from_row).transpose()
    }

    /// Sends a new invitation (to a new contact, if given); earlier links of the
    /// order stop working. Only before the order is set up.
    pub async fn resend_invitation(
        &self,
        order_id: &str,
        new_contact: Option<&crate::domain::EmailAddress>,
        by: &str,
        now: DateTime<Utc>,
        public_url: &str,
    ) -> Result<bool, crate::error::AppError> {
        use crate::error::{AppError, Refusal};
        let mut tx = self.write_tx().await.map_err(AppError::unexpected)?;
        let row = sqlx::query(
            "UPDATE orders SET provisioning_contact_email = COALESCE($1, provisioning_contact_email), \
             invited_at = CASE WHEN invited_at IS NULL THEN NULL ELSE $2 END \
             WHERE id = $3 AND setup_at IS NULL AND closed_at IS NULL \
             RETURNING order_number, offer, customer_name, provisioning_contact_email, invited_at",
        )
        .bind(new_contact.map(|e| e.as_str()))
        .bind(ts(now))
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(AppError::unexpected)?;
        let Some(row) = row else {
            drop(tx);
            return match self
                .order_summary(order_id)
                .await
                .map_err(AppError::unexpected)?
            {
                None => Err(AppError::NotFound),
                Some(_) => Err(AppError::Refused(Refusal::OrderAlreadySetUp)),
            };
        };
        if row.get::<Option<String>, _>("invited_at").is_none() {
            // Not invited yet: the new contact gets the invitation on the start date.
            Store::audit(
                &mut tx,
                now,
                by,
                "contact_changed",
                Some(order_id),
                new_contact.map_or("", |c| c.as_str()),
            )
            .await
            .map_err(AppError::unexpected)?;
            tx.commit().await.map_err(AppError::unexpected)?;
            return Ok(false);
        }
        let result: anyhow::Result<()> = async {
            // A new invitation withdraws a pending approval request: the
            // order is back to awaiting its details.
            if cancel_approvals(&mut tx, order_id, now).await? {
                record_event(&mut tx, order_id, "order.invited", now).await?;
            }
            let to = reinvite_contact(&mut tx, self.mailing(public_url, now), order_id).await?;
            Store::audit(&mut tx, now, by, "invitation_resent", Some(order_id), &to).await?;
            Ok(())
        }
        .await;
        result.map_err(AppError::unexpected)?;
        tx.commit().await.map_err(AppError::unexpected)?;
        Ok(true)
    }

    /// Reads an order's stored start date (used by tests and the hub).
    pub async fn order_invited_at(&self, order_id: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
        let value: Option<Option<String>> =
            sqlx::query_scalar("SELECT invited_at FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_optional(&self.pool)
                .await?;
        value.flatten().as_deref().map(parse_ts).transpose()
    }
}

/// A new "Set Up Now" link for the order's provisioning contact, by email;
/// earlier links of the order stop working. Returns the address.
pub(crate) async fn reinvite_contact(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    order_id: &str,
) -> anyhow::Result<String> {
    let Mailing {
        sealer,
        public_url,
        now,
    } = mailing;
    let to: String =
        sqlx::query_scalar("SELECT provisioning_contact_email FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await
            .context("loading the order to invite again")?;
    let order = super::order_mail(conn, order_id, &to).await?;
    sqlx::query(
        "UPDATE setup_links SET revoked_at = $1 WHERE order_id = $2 AND revoked_at IS NULL AND spent_at IS NULL",
    )
    .bind(ts(now))
    .bind(order_id)
    .execute(&mut *conn)
    .await
    .context("revoking earlier links")?;
    let (token, hash) = tokens::new_token()?;
    let expires = now + chrono::Duration::days(SETUP_WINDOW_DAYS as i64);
    insert_link(conn, &hash, order_id, &to, "partner", now, expires).await?;
    let email = mail::invitation(
        order.locale,
        &to,
        &order.facts(),
        &mail::setup_url(public_url, &token),
    );
    super::enqueue(
        conn,
        sealer,
        &format!("invitation:{order_id}:{hash}"),
        Some(order_id),
        &email,
        now,
    )
    .await?;
    Ok(to)
}

/// What the scheduler's claims return for writing emails.
pub(crate) const MAIL_COLUMNS: &str = "id, order_number, offer, customer_name, requested_start_date, partner_name, \
     partner_country, provisioning_contact_email";

/// Records several setup links in one statement.
pub(crate) async fn insert_links(
    tx: &mut Conn,
    links: &[NewLink],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let created = ts(now);
    let mut insert = sqlx::QueryBuilder::<super::Db>::new(
        "INSERT INTO setup_links (token_hash, order_id, email, audience, created_at, expires_at) ",
    );
    insert.push_values(links, |mut row, link| {
        row.push_bind(link.hash.clone())
            .push_bind(link.order_id.clone())
            .push_bind(link.email.clone())
            .push_bind(link.audience)
            .push_bind(created.clone())
            .push_bind(link.expires.clone());
    });
    let (sql, arguments) = super::numbered(&mut insert)?;
    sqlx::query_with(&sql, arguments)
        .execute(&mut *tx)
        .await
        .context("inserting setup links")?;
    Ok(())
}

/// Records a new setup link (its hash) for an order.
pub(crate) async fn insert_link(
    tx: &mut Conn,
    hash: &str,
    order_id: &str,
    email: &str,
    audience: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO setup_links (token_hash, order_id, email, audience, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(order_id)
    .bind(email)
    .bind(audience)
    .bind(ts(now))
    .bind(ts(expires))
    .execute(&mut *tx)
    .await
    .context("inserting a setup link")?;
    Ok(())
}

/// An order's services as (kind, SKU, quantity), in order.
pub(crate) async fn services_of<'e>(
    executor: impl sqlx::Executor<'e, Database = super::Db>,
    order_id: &str,
) -> anyhow::Result<Vec<(String, String, u32)>> {
    let rows = sqlx::query(
        "SELECT kind, sku, quantity FROM order_services WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(executor)
    .await
    .context("loading an order's services")?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get("kind"),
                r.get("sku"),
                r.get::<i64, _>("quantity") as u32,
            )
        })
        .collect())
}

/// Withdraws an order's open approval request (a new invitation replaces it);
/// whether there was one.
pub(crate) async fn cancel_approvals(
    conn: &mut Conn,
    order_id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    sqlx::query(
        "UPDATE approvals SET answered_at = $1, answer = 'cancelled' \
         WHERE order_id = $2 AND kind = 'customer' AND answered_at IS NULL",
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
