//! What the setup wizard's commit reads and writes, inside its transaction
//! (`server/services/commit.rs` reads the facts, runs the plan, which
//! decides, and carries it out through these).

use super::links::context;
use super::people::{
    has_members, insert_customer_org, insert_partner_org, insert_user, org_of_party, person_of,
};
use super::{OpenLink, OrderParties, Person, Write, lock_keys, ts};
use crate::domain::{Address, Country, EmailAddress, OrgName, Role};
use crate::model::setup::{Audience, SetupContext, SetupMode};
use anyhow::Context;
use chrono::{DateTime, Utc};

impl Write<'_> {
    /// Spends a link; `false` when it was spent or ended meanwhile.
    /// Concurrent commits of one link queue on this row, and the later ones
    /// find it spent.
    pub(crate) async fn spend_link(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let spent = sqlx::query(
            "UPDATE setup_links SET spent_at = $1 WHERE token_hash = $2 AND spent_at IS NULL AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(token_hash)
        .execute(&mut *self.tx)
        .await
        .context("spending a link")?;
        Ok(spent.rows_affected() == 1)
    }

    /// Ends the order's other links for `link`'s audience (an earlier
    /// invitation, a reminder).
    pub(crate) async fn end_other_links(
        &mut self,
        link: &OpenLink,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE setup_links SET revoked_at = $1 WHERE order_id = $2 AND audience = $3 \
             AND token_hash <> $4 AND spent_at IS NULL AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(&link.order_id)
        .bind(match link.audience {
            Audience::Partner => "partner",
            Audience::Customer => "customer",
        })
        .bind(&link.token_hash)
        .execute(&mut *self.tx)
        .await
        .context("ending the order's other links")?;
        Ok(())
    }

    /// What the wizard showed for a link (`None`: no such link).
    pub(crate) async fn setup_context(
        &mut self,
        link: &OpenLink,
    ) -> anyhow::Result<Option<SetupContext>> {
        context(&mut self.tx, link).await
    }

    /// What the commit reads of its order.
    pub(crate) async fn order_parties(&mut self, order_id: &str) -> anyhow::Result<OrderParties> {
        sqlx::query_as(
            "SELECT order_number, partner_party_id, partner_name, customer_org_id FROM orders WHERE id = $1",
        )
        .bind(order_id)
        .fetch_one(&mut *self.tx)
        .await
        .context("reading the order")
    }

    /// Serialises transactions that decide on the same `keys` (see
    /// [`lock_keys`]).
    pub(crate) async fn lock(&mut self, keys: &mut Vec<String>) -> anyhow::Result<()> {
        lock_keys(&mut self.tx, keys).await
    }

    /// The partner organization of a party id.
    pub(crate) async fn partner_org_of_party(
        &mut self,
        party_id: &str,
    ) -> anyhow::Result<Option<String>> {
        Ok(org_of_party(&mut self.tx, party_id)
            .await?
            .map(|(id, _)| id))
    }

    /// Who `email` belongs to, seen from the partner organization `this`.
    pub(crate) async fn person(
        &mut self,
        email: &str,
        this: Option<&str>,
    ) -> anyhow::Result<Person> {
        person_of(&mut self.tx, email, this).await
    }

    /// The address a code proved to this browser for this link.
    pub(crate) async fn proven_by_code(
        &mut self,
        link_hash: &str,
        browser: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        super::proofs::proven_by_code(&mut self.tx, link_hash, browser, now).await
    }

    /// Whether a partner organization has people (guests aside).
    pub(crate) async fn has_members(&mut self, org: &str) -> anyhow::Result<bool> {
        has_members(&mut self.tx, org).await
    }

    /// A new partner organization; its id, or `None` when the party has one
    /// already.
    pub(crate) async fn insert_partner_org(
        &mut self,
        party_id: &str,
        name: &OrgName,
        country: &Country,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        insert_partner_org(&mut self.tx, party_id, name, country, now).await
    }

    /// A new user of a partner organization; `None` when the address has a
    /// user already.
    pub(crate) async fn insert_partner_user(
        &mut self,
        email: &str,
        org: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        insert_user(&mut self.tx, email, Some(org), None, role, None, now).await
    }

    /// A new customer organization and its administrator: their ids, or
    /// `None` when the administrator's address has a user already.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_customer_org(
        &mut self,
        name: &OrgName,
        country: &Country,
        address: &Address,
        managed_by: Option<&str>,
        confirmed: bool,
        admin: &EmailAddress,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, String)>> {
        insert_customer_org(
            &mut self.tx,
            name,
            country,
            address,
            managed_by,
            confirmed,
            admin,
            now,
        )
        .await
    }

    /// The order is set up: attached to its organizations, in `mode`.
    /// `false` when it was set up, closed or sent for approval meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn mark_set_up(
        &mut self,
        order_id: &str,
        mode: SetupMode,
        by: &str,
        partner_org: Option<&str>,
        customer_org: &str,
        customer_confirmed: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let updated = sqlx::query(
            "UPDATE orders SET setup_at = $1, setup_mode = $2, setup_by_email = $3, partner_org_id = $4, customer_org_id = $5, \
             customer_confirmed_at = $6 \
             WHERE id = $7 AND setup_at IS NULL AND closed_at IS NULL AND approval_requested_at IS NULL",
        )
        .bind(ts(now))
        .bind(mode.as_str())
        .bind(by)
        .bind(partner_org)
        .bind(customer_org)
        .bind(customer_confirmed.then(|| ts(now)))
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("marking the order set up")?;
        Ok(updated.rows_affected() == 1)
    }

    /// A change order is set up by `by`, with the organizations it had from
    /// intake. `false` when it was set up or closed meanwhile.
    pub(crate) async fn mark_change_set_up(
        &mut self,
        order_id: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let updated = sqlx::query(
            "UPDATE orders SET setup_at = $1, setup_by_email = $2, started_at = COALESCE(started_at, $1) \
             WHERE id = $3 AND kind = 'change' AND setup_at IS NULL AND closed_at IS NULL",
        )
        .bind(ts(now))
        .bind(by)
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("marking the change order set up")?;
        Ok(updated.rows_affected() == 1)
    }

    /// The order waits for a customer administrator's approval. `false` when
    /// it was set up, closed or sent for approval meanwhile.
    pub(crate) async fn mark_awaiting_approval(
        &mut self,
        order_id: &str,
        mode: SetupMode,
        by: &str,
        partner_org: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let updated = sqlx::query(
            "UPDATE orders SET approval_requested_at = $1, setup_mode = $2, setup_by_email = $3, partner_org_id = $4 \
             WHERE id = $5 AND setup_at IS NULL AND closed_at IS NULL AND approval_requested_at IS NULL",
        )
        .bind(ts(now))
        .bind(mode.as_str())
        .bind(by)
        .bind(partner_org)
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("marking the order awaiting approval")?;
        Ok(updated.rows_affected() == 1)
    }

    /// The customer confirmed its organization (with corrected details
    /// while they may still be corrected) for the order.
    pub(crate) async fn confirm_customer_org(
        &mut self,
        org: &str,
        details: Option<(&OrgName, &Country, &Address)>,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        if let Some((name, country, address)) = details {
            sqlx::query(
                "UPDATE customer_orgs SET name = $1, country = $2, address = $3 \
                 WHERE id = $4 AND managed_by_partner_id IS NULL AND confirmed_at IS NULL",
            )
            .bind(name.as_str())
            .bind(country.as_str())
            .bind(address.as_str())
            .bind(org)
            .execute(&mut *self.tx)
            .await
            .context("correcting the customer organization")?;
        }
        sqlx::query(
            "UPDATE customer_orgs SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL",
        )
        .bind(ts(now))
        .bind(org)
        .execute(&mut *self.tx)
        .await
        .context("confirming the customer organization")?;
        sqlx::query(
            "UPDATE orders SET customer_confirmed_at = $1 WHERE id = $2 AND customer_confirmed_at IS NULL",
        )
        .bind(ts(now))
        .bind(order_id)
        .execute(&mut *self.tx)
        .await
        .context("recording the customer's confirmation")?;
        Ok(())
    }

    /// Who set up through the link, and the hash of the committing
    /// browser's cookie (only that browser may set the first password).
    pub(crate) async fn record_committer(
        &mut self,
        token_hash: &str,
        setter: &str,
        committer_hash: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE setup_links SET used_by_email = $1, committer_hash = $2 WHERE token_hash = $3",
        )
        .bind(setter)
        .bind(committer_hash)
        .bind(token_hash)
        .execute(&mut *self.tx)
        .await
        .context("recording who committed")?;
        Ok(())
    }
}
