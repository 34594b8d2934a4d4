//! Orders: intake, lists, the contact's links (the scheduler's pass over
//! them is `pass.rs`).

use super::DbRow;
use super::{Conn, NewLink, OrderRecord, PlaceOutcome};
use super::{Store, Write, is_unique_violation, new_id, parse_ts, ts};
use crate::model::orders::{Order, OrderStatus, OrderSummary};
use crate::server::tokens;
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

/// The conditions (on `o`) of the orders [`summary_from_row`] lists under
/// each status; the same precedence, so each order matches one.
const CLOSED: &str = "o.closed_at IS NOT NULL";
const PROVISIONED: &str = "(o.closed_at IS NULL AND o.provisioned_at IS NOT NULL)";
const SET_UP: &str =
    "(o.closed_at IS NULL AND o.provisioned_at IS NULL AND o.setup_at IS NOT NULL)";
const AWAITING_APPROVAL: &str = "(o.closed_at IS NULL AND o.provisioned_at IS NULL \
     AND o.setup_at IS NULL AND o.approval_requested_at IS NOT NULL)";
const AWAITING_DETAILS: &str = "(o.closed_at IS NULL AND o.provisioned_at IS NULL \
     AND o.setup_at IS NULL AND o.approval_requested_at IS NULL)";

/// Appends the condition (on `o`) of the orders the hub lists under
/// `status` at `now`.
pub(crate) fn push_status_condition(
    query: &mut sqlx::QueryBuilder<'_, super::Db>,
    status: crate::model::hub::HubStatus,
    now: DateTime<Utc>,
) {
    use crate::model::hub::{CLOSING_WITHIN_DAYS, HubStatus, STALE_DAYS};
    use crate::server::store::SETUP_WINDOW_DAYS;
    let listed = match status {
        HubStatus::Closed => CLOSED,
        HubStatus::Provisioned => PROVISIONED,
        HubStatus::SetUp => SET_UP,
        HubStatus::AwaitingApproval => AWAITING_APPROVAL,
        HubStatus::AwaitingDetails => AWAITING_DETAILS,
        HubStatus::NeedsAttention => {
            let stale = ts(now - chrono::Duration::days(STALE_DAYS));
            // The scheduler closes an order SETUP_WINDOW_DAYS after its
            // invitation.
            let closing =
                ts(now - chrono::Duration::days(SETUP_WINDOW_DAYS as i64 - CLOSING_WITHIN_DAYS));
            query
                .push(format!(
                    "(({AWAITING_DETAILS} AND (o.escalated_at IS NOT NULL "
                ))
                .push("OR (o.invited_at IS NOT NULL AND o.invited_at <= ")
                .push_bind(closing)
                .push(format!(
                    "))) OR ({AWAITING_APPROVAL} AND o.approval_requested_at <= "
                ))
                .push_bind(stale.clone())
                .push(format!(") OR ({SET_UP} AND o.setup_at <= "))
                .push_bind(stale)
                .push("))");
            return;
        }
    };
    query.push(listed);
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
        // A change order (contract section 14): the partner's subscription
        // was provisioned already. It belongs to the organizations of that
        // order from the start: nobody sets them up again.
        let earlier = sqlx::query(
            "SELECT partner_org_id, customer_org_id, setup_mode FROM orders \
             WHERE partner_party_id = $1 AND subscription_id = $2 AND provisioned_at IS NOT NULL \
             ORDER BY provisioned_at LIMIT 1",
        )
        .bind(order.partner.party_id.as_str())
        .bind(order.subscription_id.as_str())
        .fetch_optional(&mut *tx)
        .await
        .context("looking for the subscription's provisioned order")?;
        let (kind, partner_org, customer_org, mode) = match &earlier {
            Some(row) => (
                "change",
                row.try_get::<Option<String>, _>("partner_org_id")?,
                row.try_get::<Option<String>, _>("customer_org_id")?,
                row.try_get::<Option<String>, _>("setup_mode")?,
            ),
            None => ("new", None, None, None),
        };
        let inserted = sqlx::query(
            "INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
             provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
             customer_name, customer_country, customer_address, created_at, \
             kind, partner_org_id, customer_org_id, setup_mode) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
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
        .bind(kind)
        .bind(partner_org)
        .bind(customer_org)
        .bind(mode)
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
        let number = order.order_number.as_str();
        super::insert_audit(
            &mut tx,
            now,
            "commerce",
            "order_placed",
            Some(&id),
            None,
            number,
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
            "SELECT {SUMMARY_COLUMNS}, o.kind FROM orders o WHERE o.order_number = $1"
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
            kind: if row.try_get::<String, _>("kind")? == "change" {
                "change"
            } else {
                "new"
            },
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

    /// An order's services as (kind, SKU, quantity), in order.
    pub(crate) async fn order_services(
        &self,
        order_id: &str,
    ) -> anyhow::Result<Vec<(String, String, u32)>> {
        services_of(&self.pool, order_id).await
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

/// What the scheduler's claims return for writing emails.
pub(crate) const MAIL_COLUMNS: &str = "id, order_number, offer, customer_name, requested_start_date, partner_name, \
     partner_country, provisioning_contact_email, kind";

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
    let (sql, arguments) = super::numbered(&mut insert, super::engine_of(&*tx))?;
    sqlx::query_with(&sql, arguments)
        .execute(&mut *tx)
        .await
        .context("inserting setup links")?;
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

/// Orders' and links' writes inside a service's transaction.
impl Write<'_> {
    /// Changes the provisioning contact (if `new_contact`) of an order not
    /// set up, and, when it was invited already, dates its new invitation
    /// `now`. `None`: no such order, or set up or closed; else whether it
    /// was invited.
    pub(crate) async fn change_contact(
        &mut self,
        order_id: &str,
        new_contact: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<bool>> {
        let row = sqlx::query(
            "UPDATE orders SET provisioning_contact_email = COALESCE($1, provisioning_contact_email), \
             invited_at = CASE WHEN invited_at IS NULL THEN NULL ELSE $2 END \
             WHERE id = $3 AND setup_at IS NULL AND closed_at IS NULL RETURNING invited_at",
        )
        .bind(new_contact)
        .bind(ts(now))
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("changing the contact")?;
        Ok(row.map(|row| row.get::<Option<String>, _>("invited_at").is_some()))
    }

    /// Opens a closed order again, invited `now`, so that its whole setup
    /// window starts again; whether it was closed.
    pub(crate) async fn reopen(
        &mut self,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let row = sqlx::query(
            "UPDATE orders SET closed_at = NULL, escalated_at = NULL, close_warnings = 0, invited_at = $1 \
             WHERE id = $2 AND closed_at IS NOT NULL AND setup_at IS NULL RETURNING id",
        )
        .bind(ts(now))
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reopening an order")?;
        Ok(row.is_some())
    }

    /// Withdraws an order's open approval request; whether there was one.
    pub(crate) async fn cancel_approvals(
        &mut self,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        cancel_approvals(&mut self.tx, order_id, now).await
    }

    /// The order's provisioning contact.
    pub(crate) async fn contact_of(&mut self, order_id: &str) -> anyhow::Result<String> {
        sqlx::query_scalar("SELECT provisioning_contact_email FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *self.tx)
            .await
            .context("reading the provisioning contact")
    }

    /// Ends the order's links not used yet (of one audience, if given).
    pub(crate) async fn revoke_links(
        &mut self,
        order_id: &str,
        audience: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let of_audience = if audience.is_some() {
            " AND audience = $3"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE setup_links SET revoked_at = $1 WHERE order_id = $2{of_audience} \
             AND revoked_at IS NULL AND spent_at IS NULL"
        );
        let mut revoke = sqlx::query(&sql).bind(ts(now)).bind(order_id);
        if let Some(audience) = audience {
            revoke = revoke.bind(audience);
        }
        revoke
            .execute(&mut *self.tx)
            .await
            .context("revoking links")?;
        Ok(())
    }

    /// Records a new setup link (its hash).
    pub(crate) async fn insert_link(
        &mut self,
        link: &NewLink,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        insert_links(&mut self.tx, std::slice::from_ref(link), now).await
    }
}
