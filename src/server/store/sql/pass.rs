//! One scheduler pass: invitations due, escalations due, orders to close,
//! each batch claimed and written in one transaction.

use super::orders::{MAIL_COLUMNS, facts, locale_of};
use super::{NewEvent, NewLink, PassReport, SETUP_WINDOW_DAYS, insert_links, record_events};
use super::{Store, ts};
use crate::server::{mail, tokens};
use anyhow::Context;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::Row;

impl Store {
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
            self.engine.skip_locked()
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
            self.engine.skip_locked()
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
}
