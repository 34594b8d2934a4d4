//! Setup links: opening one (what the wizard may show), and handing the setup
//! to a colleague.

#[allow(unused_imports)]
use super::*;

use super::Conn;
use super::{Store, insert_link, parse_ts, ts, unexpected};
use crate::error::{AppError, Refusal};
use crate::server::{mail, tokens};
use crate::wizard::machine::{Audience, SetupContext};
use chrono::{DateTime, Utc};
use sqlx::Row;

fn audience(text: &str) -> Audience {
    if text == "customer" {
        Audience::Customer
    } else {
        Audience::Partner
    }
}

/// Looks a link up and says whether it may be used now: unknown is
/// `NotFound`, used, replaced, expired or of a closed order is `Gone`.
pub(crate) async fn usable_link(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<OpenLink, AppError> {
    let row = sqlx::query(
        "SELECT l.order_id, l.email, l.audience, l.expires_at, l.revoked_at, l.spent_at, l.first_opened_at, o.closed_at \
         FROM setup_links l JOIN orders o ON o.id = l.order_id WHERE l.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
    .map_err(unexpected)?
    .ok_or(AppError::NotFound)?;
    let expired = parse_ts(row.get("expires_at")).map_err(unexpected)? <= now;
    let dead = row.get::<Option<String>, _>("revoked_at").is_some()
        || row.get::<Option<String>, _>("spent_at").is_some()
        || row.get::<Option<String>, _>("closed_at").is_some();
    if expired || dead {
        return Err(AppError::Gone);
    }
    Ok(OpenLink {
        token_hash: token_hash.to_string(),
        order_id: row.get("order_id"),
        audience: audience(row.get("audience")),
        email: row.get("email"),
        opened: row.get::<Option<String>, _>("first_opened_at").is_some(),
    })
}

/// What the wizard may show for a link, read on `conn` (inside the commit's
/// transaction too, so the commit plans with what is true then).
pub(crate) async fn context(conn: &mut Conn, link: &OpenLink) -> Result<SetupContext, AppError> {
    use crate::wizard::machine::OrgView;
    // One read for the order, its customer organization, the partner
    // organization of its party and whom the link's address belongs to: every
    // round trip to the database is a large part of serving the wizard page.
    let order = sqlx::query(
        "SELECT o.*, c.name AS c_name, c.country AS c_country, c.address AS c_address, \
         (c.managed_by_partner_id IS NULL AND c.confirmed_at IS NULL) AS c_editable, \
         p.name AS p_name, p.country AS p_country, \
         u.partner_org_id AS u_partner_org_id, u.customer_org_id AS u_customer_org_id, \
         uc.name AS uc_name, uc.country AS uc_country, uc.address AS uc_address \
         FROM orders o LEFT JOIN customer_orgs c ON c.id = o.customer_org_id \
         LEFT JOIN partner_orgs p ON p.party_id = o.partner_party_id \
         LEFT JOIN users u ON u.email = $2 \
         LEFT JOIN customer_orgs uc ON uc.id = u.customer_org_id \
         WHERE o.id = $1",
    )
    .bind(&link.order_id)
    .bind(&link.email)
    .fetch_one(&mut *conn)
    .await
    .map_err(unexpected)?;
    let services = super::orders::services_of(&mut *conn, &link.order_id)
        .await
        .map_err(unexpected)?;
    let partner_org = order
        .get::<Option<String>, _>("p_name")
        .map(|name| OrgView {
            name,
            country: order.get("p_country"),
            address: None,
        });
    let (customer_org, customer_org_editable, link_is_partner_user) = match link.audience {
        Audience::Customer => (
            order
                .get::<Option<String>, _>("c_name")
                .map(|name| OrgView {
                    name,
                    country: order.get("c_country"),
                    address: order.get("c_address"),
                }),
            order.get::<Option<bool>, _>("c_editable").unwrap_or(false),
            false,
        ),
        // The link's own address: on the customer path it is the customer
        // administrator, who verifies their organization if they have one
        // (who an address belongs to is decided as in `owner_of`).
        Audience::Partner => {
            let partner: Option<String> = order.get("u_partner_org_id");
            let customer: Option<String> = order.get("u_customer_org_id");
            match (partner, customer) {
                (Some(_), _) => (None, false, true),
                (None, Some(_)) => (
                    Some(OrgView {
                        name: order.get("uc_name"),
                        country: order.get("uc_country"),
                        address: order.get("uc_address"),
                    }),
                    false,
                    false,
                ),
                (None, None) => (None, false, false),
            }
        }
    };
    Ok(SetupContext {
        audience: link.audience,
        link_email: link.email.clone(),
        order_number: order.get("order_number"),
        offer: order.get("offer"),
        subscription_id: order.get("subscription_id"),
        requested_start_date: order.get("requested_start_date"),
        services,
        partner_org,
        order_partner: OrgView {
            name: order.get("partner_name"),
            country: order.get("partner_country"),
            address: None,
        },
        order_customer: OrgView {
            name: order.get("customer_name"),
            country: order.get("customer_country"),
            address: Some(order.get("customer_address")),
        },
        customer_org,
        customer_org_editable,
        link_is_partner_user,
    })
}

/// A customer organization's details.
pub(crate) async fn customer_org_view(
    conn: &mut Conn,
    org_id: &str,
) -> Result<crate::wizard::machine::OrgView, AppError> {
    let row = sqlx::query("SELECT name, country, address FROM customer_orgs WHERE id = $1")
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
    Ok(crate::wizard::machine::OrgView {
        name: row.get("name"),
        country: row.get("country"),
        address: row.get("address"),
    })
}

impl Store {
    /// Opens a link: refuses unknown, used and expired ones and returns what
    /// the wizard needs to show. Only reads: mail gateways that fetch links
    /// (GET or HEAD) must not count as someone starting the setup.
    pub async fn open_setup(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<SetupContext, AppError> {
        let hash = tokens::hash_token(token);
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        let link = usable_link(&mut conn, &hash, now).await?;
        context(&mut conn, &link).await
    }

    /// Someone pressed "Next" on the first step: the setup has started (the
    /// escalation is no longer due). Only the first start writes.
    pub async fn start_setup(&self, token: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        let hash = tokens::hash_token(token);
        let link = self.usable_link(token, now).await?;
        if link.opened {
            return Ok(());
        }
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        sqlx::query(
            "UPDATE setup_links SET first_opened_at = $1 WHERE token_hash = $2 AND first_opened_at IS NULL",
        )
        .bind(ts(now))
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        sqlx::query("UPDATE orders SET started_at = $1 WHERE id = $2 AND started_at IS NULL")
            .bind(ts(now))
            .bind(&link.order_id)
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
        Store::audit(
            &mut tx,
            now,
            &link.email,
            "setup_started",
            Some(&link.order_id),
            "",
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)
    }

    /// The link, if it may be used now, without recording anything.
    pub async fn usable_link(&self, token: &str, now: DateTime<Utc>) -> Result<OpenLink, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        usable_link(&mut conn, &tokens::hash_token(token), now).await
    }

    /// Hands the setup to a colleague: their link is sent, this one stops working.
    pub async fn delegate_setup(
        &self,
        token: &str,
        colleague: &crate::domain::EmailAddress,
        now: DateTime<Utc>,
        public_url: &str,
    ) -> Result<(), AppError> {
        let hash = tokens::hash_token(token);
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let link = usable_link(&mut tx, &hash, now).await?;
        if link.audience != Audience::Partner {
            return Err(AppError::Forbidden);
        }
        let expires: String = sqlx::query_scalar(
            "UPDATE setup_links SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL AND spent_at IS NULL \
             RETURNING expires_at",
        )
        .bind(ts(now))
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Gone)?;
        let expires = parse_ts(&expires).map_err(unexpected)?;
        let order = sqlx::query(
            "SELECT order_number, setup_at, approval_requested_at FROM orders WHERE id = $1",
        )
        .bind(&link.order_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(unexpected)?;
        if order.get::<Option<String>, _>("setup_at").is_some()
            || order
                .get::<Option<String>, _>("approval_requested_at")
                .is_some()
        {
            return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        }
        let (new_token, new_hash) = tokens::new_token().map_err(unexpected)?;
        insert_link(
            &mut tx,
            &new_hash,
            &link.order_id,
            colleague.as_str(),
            "partner",
            now,
            expires,
        )
        .await
        .map_err(unexpected)?;
        let facts = super::order_mail(&mut tx, &link.order_id, colleague.as_str())
            .await
            .map_err(unexpected)?;
        let email = mail::delegation(
            facts.locale,
            colleague.as_str(),
            &facts.facts(),
            &link.email,
            &mail::setup_url(public_url, &new_token),
        );
        super::enqueue(
            &mut tx,
            self.sealer(),
            &format!("delegation:{}:{new_hash}", link.order_id),
            Some(&link.order_id),
            &email,
            now,
        )
        .await
        .map_err(unexpected)?;
        Store::audit(
            &mut tx,
            now,
            &link.email,
            "setup_delegated",
            Some(&link.order_id),
            colleague.as_str(),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(())
    }

    /// The order a spent link belongs to.
    pub async fn order_of_spent_link(&self, token: &str) -> anyhow::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT order_id FROM setup_links WHERE token_hash = $1 AND spent_at IS NOT NULL",
        )
        .bind(tokens::hash_token(token))
        .fetch_optional(&self.pool)
        .await?)
    }
}
