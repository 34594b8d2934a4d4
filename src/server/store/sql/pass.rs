//! What a scheduler pass reads and writes (the pass itself, what it decides
//! and writes, is `server/services/pass.rs`): due orders claimed a batch at
//! a time, and unfinished orders closed.

use super::orders::MAIL_COLUMNS;
use super::{DueOrder, NewEvent, NewLink, Write, insert_links, record_events};
use super::{Store, ts};
use crate::server::mail::{Email, ServiceLine};
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The scheduler's writes, inside the pass's transactions. Each claim is its
/// transaction's first statement and a write: SQLite takes the write lock at
/// once and concurrent passes queue behind it; PostgreSQL passes skip the
/// rows another one claimed.
impl Write<'_> {
    /// Marks invited, and answers, up to `batch` orders not yet invited whose
    /// start date is `today` or earlier.
    pub(crate) async fn claim_invitations(
        &mut self,
        now: DateTime<Utc>,
        today: &str,
        batch: i64,
    ) -> anyhow::Result<Vec<DueOrder>> {
        let skip = engine_of_tx(self).skip_locked();
        sqlx::query_as(&format!(
            "UPDATE orders SET invited_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NULL AND closed_at IS NULL AND requested_start_date <= $2 \
             ORDER BY requested_start_date LIMIT $3{skip}) \
             RETURNING {MAIL_COLUMNS}"
        ))
        .bind(ts(now))
        .bind(today)
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await
        .context("claiming due invitations")
    }

    /// Marks escalated, and answers, up to `batch` orders invited before
    /// `invited_before`, not started, whose start date is `cutoff` or
    /// earlier.
    pub(crate) async fn claim_escalations(
        &mut self,
        now: DateTime<Utc>,
        cutoff: &str,
        invited_before: DateTime<Utc>,
        batch: i64,
    ) -> anyhow::Result<Vec<DueOrder>> {
        let skip = engine_of_tx(self).skip_locked();
        sqlx::query_as(&format!(
            "UPDATE orders SET escalated_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NOT NULL AND started_at IS NULL AND escalated_at IS NULL \
             AND setup_at IS NULL AND closed_at IS NULL AND requested_start_date <= $2 AND invited_at <= $3 \
             ORDER BY requested_start_date LIMIT $4{skip}) \
             RETURNING {MAIL_COLUMNS}, account_rep_email"
        ))
        .bind(ts(now))
        .bind(cutoff)
        .bind(ts(invited_before))
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await
        .context("claiming due escalations")
    }

    /// Marks warned (`stage` 1 or 2), and answers, up to `batch` orders not
    /// set up, invited before `invited_before` and after `closing_before`
    /// (not yet due to close), not warned at this stage yet.
    pub(crate) async fn claim_close_warnings(
        &mut self,
        stage: i64,
        invited_before: DateTime<Utc>,
        closing_before: DateTime<Utc>,
        batch: i64,
    ) -> anyhow::Result<Vec<DueOrder>> {
        let skip = engine_of_tx(self).skip_locked();
        sqlx::query_as(&format!(
            "UPDATE orders SET close_warnings = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NOT NULL AND setup_at IS NULL AND closed_at IS NULL \
             AND invited_at <= $2 AND invited_at > $3 AND close_warnings < $1 \
             ORDER BY invited_at LIMIT $4{skip}) \
             RETURNING {MAIL_COLUMNS}, invited_at"
        ))
        .bind(stage)
        .bind(ts(invited_before))
        .bind(ts(closing_before))
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await
        .context("claiming due warnings of closing")
    }

    /// Marks reminded, and answers, up to `batch` orders set up before
    /// `set_up_before`, not provisioned and not reminded yet.
    pub(crate) async fn claim_provision_reminders(
        &mut self,
        now: DateTime<Utc>,
        set_up_before: DateTime<Utc>,
        batch: i64,
    ) -> anyhow::Result<Vec<DueOrder>> {
        let skip = engine_of_tx(self).skip_locked();
        sqlx::query_as(&format!(
            "UPDATE orders SET provision_reminded_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE setup_at IS NOT NULL AND provisioned_at IS NULL AND provision_reminded_at IS NULL \
             AND closed_at IS NULL AND setup_at <= $2 \
             ORDER BY setup_at LIMIT $3{skip}) \
             RETURNING {MAIL_COLUMNS}, setup_at, setup_by_email"
        ))
        .bind(ts(now))
        .bind(ts(set_up_before))
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await
        .context("claiming due reminders to provision")
    }

    /// Closes the orders invited before `invited_before` and not set up,
    /// unless an approval of theirs is still open; their links stop working.
    /// The orders closed, with their account representatives.
    pub(crate) async fn close_unfinished(
        &mut self,
        now: DateTime<Utc>,
        invited_before: DateTime<Utc>,
        batch: i64,
    ) -> anyhow::Result<Vec<DueOrder>> {
        let skip = engine_of_tx(self).skip_locked();
        let closed: Vec<DueOrder> = sqlx::query_as(&format!(
            "UPDATE orders SET closed_at = $1 WHERE id IN (SELECT id FROM orders \
             WHERE invited_at IS NOT NULL AND setup_at IS NULL \
             AND closed_at IS NULL AND invited_at <= $2 AND NOT EXISTS (SELECT 1 FROM approvals a \
               WHERE a.order_id = orders.id AND a.answered_at IS NULL AND a.expires_at > $3) \
             ORDER BY invited_at LIMIT $4{skip}) \
             RETURNING {MAIL_COLUMNS}, account_rep_email, invited_at"
        ))
        .bind(ts(now))
        .bind(ts(invited_before))
        .bind(ts(now))
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await
        .context("closing unfinished orders")?;
        if closed.is_empty() {
            return Ok(closed);
        }
        // One statement for the whole batch: a round trip per order cost
        // most of a pass with many closures.
        let mut revoke =
            sqlx::QueryBuilder::<super::Db>::new("UPDATE setup_links SET revoked_at = ");
        revoke
            .push_bind(ts(now))
            .push(" WHERE revoked_at IS NULL AND spent_at IS NULL AND order_id IN (");
        let mut list = revoke.separated(", ");
        for order in &closed {
            list.push_bind(order.id.clone());
        }
        revoke.push(")");
        let (sql, arguments) = super::numbered(&mut revoke, super::engine_of(&self.tx))?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *self.tx)
            .await
            .context("revoking the links of closed orders")?;
        Ok(closed)
    }

    /// The languages chosen by those of `addresses` who chose one.
    pub(crate) async fn chosen_languages(
        &mut self,
        addresses: &[&str],
    ) -> anyhow::Result<HashMap<String, String>> {
        super::chosen_languages(&mut self.tx, addresses).await
    }

    /// The purchased services of each of `orders`.
    pub(crate) async fn services_of_orders(
        &mut self,
        orders: &[&str],
    ) -> anyhow::Result<HashMap<String, Vec<ServiceLine>>> {
        super::services_of_orders(&mut self.tx, orders).await
    }

    /// Records setup links (their hashes), in one statement.
    pub(crate) async fn links(
        &mut self,
        links: &[NewLink],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        insert_links(&mut self.tx, links, now).await
    }

    /// Puts emails in the outbox in one statement (`(dedupe key, order id,
    /// email)`, each once per key).
    pub(crate) async fn emails(
        &mut self,
        emails: &[(String, Option<String>, Email)],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        super::enqueue_all(&mut self.tx, self.store.sealer(), emails, now).await
    }

    /// Appends one audit entry per `(order id, detail)`, in one statement.
    pub(crate) async fn audit_all(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        entries: &[(String, String)],
    ) -> anyhow::Result<()> {
        Store::audit_all(&mut self.tx, at, actor, action, entries).await
    }

    /// Records status events, in one statement.
    pub(crate) async fn events(
        &mut self,
        events: &[NewEvent<'_>],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        record_events(&mut self.tx, events, now).await
    }
}

fn engine_of_tx(write: &Write<'_>) -> super::Engine {
    write.store.engine
}
