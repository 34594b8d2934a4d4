//! Orders: intake, lists, and the scheduler's passes.

#[allow(unused_imports)]
use super::*;

use super::DbRow;
use super::{Store, is_unique_violation, new_id, parse_ts, ts};
use crate::orders::{Order, OrderStatus, OrderSummary};
use crate::server::{mail, tokens};
use anyhow::Context;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::Row;

pub(crate) const SUMMARY_COLUMNS: &str = "o.id, o.order_number, o.offer, o.subscription_id, \
     o.requested_start_date, o.provisioning_contact_email, o.partner_name, o.customer_name, \
     o.invited_at, o.escalated_at, o.setup_at, o.provisioned_at, o.closed_at, o.billing_start_date, \
     o.approval_requested_at, (o.setup_mode = 'customer') AS managed_by_customer";

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
        managed_by_customer: row
            .try_get::<Option<bool>, _>("managed_by_customer")?
            .unwrap_or(false),
        billing_start_date: row.try_get("billing_start_date")?,
    })
}

/// The SQL condition (on `o`) of the orders [`summary_from_row`] lists
/// under `status`; the same precedence, so each order matches one.
pub(crate) fn status_condition(status: crate::hub::HubStatus) -> &'static str {
    use crate::hub::HubStatus;
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

    /// One scheduler pass: invitations due, escalations due, orders to close.
    /// Each batch is claimed and its emails written in one transaction, so a pass
    /// repeated, run twice at once, or stopped anywhere never sends an email twice
    /// and never skips one.
    pub async fn run_scheduler_pass(
        &self,
        now: DateTime<Utc>,
        public_url: &str,
    ) -> anyhow::Result<PassReport> {
        const BATCH: i64 = 500;
        let mut report = PassReport::default();
        loop {
            let n = self.invite_batch(now, public_url, BATCH).await?;
            report.invitations += n;
            if n < BATCH as u64 {
                break;
            }
        }
        loop {
            let n = self.escalate_batch(now, public_url, BATCH).await?;
            report.escalations += n;
            if n < BATCH as u64 {
                break;
            }
        }
        report.closed = self.close_stale(now).await?;
        self.purge_expired(now).await?;
        Ok(report)
    }

    async fn invite_batch(
        &self,
        now: DateTime<Utc>,
        public_url: &str,
        batch: i64,
    ) -> anyhow::Result<u64> {
        let today = now.date_naive().to_string();
        let mut tx = self.write_tx().await?;
        // The claim is the transaction's first statement and a write: SQLite
        // takes the write lock at once and concurrent passes queue behind it;
        // PostgreSQL passes skip the rows another one claimed.
        let due = sqlx::query(&format!(
            "UPDATE orders SET invited_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NULL AND closed_at IS NULL AND requested_start_date <= $2 \
             ORDER BY requested_start_date LIMIT $3{}) \
             RETURNING {MAIL_COLUMNS}",
            super::ENGINE.skip_locked()
        ))
        .bind(ts(now))
        .bind(&today)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await
        .context("claiming due invitations")?;
        // One statement each for the links, the emails and the audit entries
        // of the whole batch: a round trip per row costs seconds on a server.
        let expires = ts(now + chrono::Duration::days(SETUP_WINDOW_DAYS as i64));
        let mut links = Vec::with_capacity(due.len());
        let mut emails = Vec::with_capacity(due.len());
        let mut audit = Vec::with_capacity(due.len());
        let contacts: Vec<&str> = due
            .iter()
            .map(|row| row.get("provisioning_contact_email"))
            .collect();
        let chosen = super::chosen_languages(&mut tx, &contacts).await?;
        let ids: Vec<&str> = due.iter().map(|row| row.get("id")).collect();
        let services = super::services_of_orders(&mut tx, &ids).await?;
        for row in &due {
            let id: String = row.get("id");
            let to: String = row.get("provisioning_contact_email");
            let (token, hash) = tokens::new_token()?;
            let email = mail::invitation(
                locale_of(&chosen, &to, row),
                &to,
                &facts(row, &services),
                &mail::setup_url(public_url, &token),
            );
            links.push(NewLink {
                hash,
                order_id: id.clone(),
                email: to.clone(),
                audience: "partner",
                expires: expires.clone(),
            });
            emails.push((format!("invitation:{id}"), Some(id.clone()), email));
            audit.push((id, to));
        }
        insert_links(&mut tx, &links, now).await?;
        super::enqueue_all(&mut tx, self.sealer(), &emails, now).await?;
        Store::audit_all(&mut tx, now, "scheduler", "invitation_sent", &audit).await?;
        let events: Vec<NewEvent> = due
            .iter()
            .map(|row| NewEvent {
                order_id: row.get("id"),
                order_number: row.get("order_number"),
                kind: "order.invited",
            })
            .collect();
        record_events(&mut tx, &events, now).await?;
        tx.commit().await.context("committing invitations")?;
        Ok(due.len() as u64)
    }

    async fn escalate_batch(
        &self,
        now: DateTime<Utc>,
        public_url: &str,
        batch: i64,
    ) -> anyhow::Result<u64> {
        // Not started by the end of the day after the start date: the start date
        // is at least two days before today.
        let cutoff = now
            .date_naive()
            .checked_sub_days(Days::new(2))
            .unwrap_or(NaiveDate::MIN)
            .to_string();
        let invited_before = ts(now - chrono::Duration::days(1));
        let mut tx = self.write_tx().await?;
        let due = sqlx::query(&format!(
            "UPDATE orders SET escalated_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NOT NULL AND started_at IS NULL AND escalated_at IS NULL \
             AND setup_at IS NULL AND closed_at IS NULL AND requested_start_date <= $2 AND invited_at <= $3 \
             ORDER BY requested_start_date LIMIT $4{}) \
             RETURNING {MAIL_COLUMNS}, account_rep_email",
            super::ENGINE.skip_locked()
        ))
        .bind(ts(now))
        .bind(&cutoff)
        .bind(&invited_before)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await
        .context("claiming due escalations")?;
        // One email to the account representative and a reminder, with a new
        // link, to the provisioning contact (whose earlier link still works).
        let expires = ts(now + chrono::Duration::days(SETUP_WINDOW_DAYS as i64));
        let mut links = Vec::with_capacity(due.len());
        let mut emails = Vec::with_capacity(2 * due.len());
        let mut audit = Vec::with_capacity(due.len());
        let addresses: Vec<&str> = due
            .iter()
            .flat_map(|row| {
                [
                    row.get("provisioning_contact_email"),
                    row.get("account_rep_email"),
                ]
            })
            .collect();
        let chosen = super::chosen_languages(&mut tx, &addresses).await?;
        let ids: Vec<&str> = due.iter().map(|row| row.get("id")).collect();
        let services = super::services_of_orders(&mut tx, &ids).await?;
        for row in &due {
            let id: String = row.get("id");
            let rep: String = row.get("account_rep_email");
            let contact: String = row.get("provisioning_contact_email");
            let escalation = mail::escalation(
                locale_of(&chosen, &rep, row),
                &rep,
                &facts(row, &services),
                row.get::<&str, _>("partner_name"),
            );
            emails.push((format!("escalation:{id}"), Some(id.clone()), escalation));
            let (token, hash) = tokens::new_token()?;
            let reminder = mail::reminder(
                locale_of(&chosen, &contact, row),
                &contact,
                &facts(row, &services),
                &mail::setup_url(public_url, &token),
            );
            emails.push((format!("reminder:{id}"), Some(id.clone()), reminder));
            links.push(NewLink {
                hash,
                order_id: id.clone(),
                email: contact,
                audience: "partner",
                expires: expires.clone(),
            });
            audit.push((id, rep));
        }
        insert_links(&mut tx, &links, now).await?;
        super::enqueue_all(&mut tx, self.sealer(), &emails, now).await?;
        Store::audit_all(&mut tx, now, "scheduler", "escalated", &audit).await?;
        let events: Vec<NewEvent> = due
            .iter()
            .map(|row| NewEvent {
                order_id: row.get("id"),
                order_number: row.get("order_number"),
                kind: "order.escalated",
            })
            .collect();
        record_events(&mut tx, &events, now).await?;
        tx.commit().await.context("committing escalations")?;
        Ok(due.len() as u64)
    }

    /// Closes orders whose setup was not completed within the window after the
    /// invitation; their links stop working.
    async fn close_stale(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let before = ts(now - chrono::Duration::days(SETUP_WINDOW_DAYS as i64));
        let mut tx = self.write_tx().await?;
        let closed = sqlx::query(
            "UPDATE orders SET closed_at = $1 WHERE invited_at IS NOT NULL AND setup_at IS NULL \
             AND closed_at IS NULL AND invited_at <= $2 AND NOT EXISTS (SELECT 1 FROM approvals a \
               WHERE a.order_id = orders.id AND a.answered_at IS NULL AND a.expires_at > $3) \
             RETURNING id, order_number",
        )
        .bind(ts(now))
        .bind(&before)
        .bind(ts(now))
        .fetch_all(&mut *tx)
        .await
        .context("closing stale orders")?;
        for row in &closed {
            let id: String = row.get("id");
            sqlx::query("UPDATE setup_links SET revoked_at = $1 WHERE order_id = $2 AND revoked_at IS NULL AND spent_at IS NULL")
                .bind(ts(now))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            Store::audit(
                &mut tx,
                now,
                "scheduler",
                "closed",
                Some(&id),
                "setup not completed in time",
            )
            .await?;
        }
        let events: Vec<NewEvent> = closed
            .iter()
            .map(|row| NewEvent {
                order_id: row.get("id"),
                order_number: row.get("order_number"),
                kind: "order.closed",
            })
            .collect();
        record_events(&mut tx, &events, now).await?;
        tx.commit().await?;
        Ok(closed.len() as u64)
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
            if super::approvals::cancel_approvals(&mut tx, order_id, now).await? {
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
const MAIL_COLUMNS: &str = "id, order_number, offer, customer_name, requested_start_date, partner_name, \
     partner_country, provisioning_contact_email";

/// A claimed order as its emails name it.
fn facts<'a>(
    row: &'a DbRow,
    services: &'a std::collections::HashMap<String, Vec<mail::ServiceLine>>,
) -> mail::OrderFacts<'a> {
    mail::OrderFacts {
        number: row.get("order_number"),
        offer: row.get("offer"),
        customer: row.get("customer_name"),
        start_date: row.get("requested_start_date"),
        services: services
            .get(row.get::<&str, _>("id"))
            .map_or(&[], Vec::as_slice),
    }
}

/// The language of an email to `to` about the claimed order `row`.
fn locale_of(
    chosen: &std::collections::HashMap<String, String>,
    to: &str,
    row: &DbRow,
) -> crate::i18n::Locale {
    mail::language_for(
        chosen.get(to).map(String::as_str),
        Some(row.get::<&str, _>("partner_country")),
    )
}

/// A setup link to record (its hash).
pub(crate) struct NewLink {
    pub hash: String,
    pub order_id: String,
    pub email: String,
    pub audience: &'static str,
    pub expires: String,
}

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
    insert
        .build()
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
