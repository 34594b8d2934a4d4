//! Setup links: opening one (what the wizard may show), starting, ending
//! and replacing them (the flows that send them are `server/services/`).

use super::Conn;
use super::{DbRow, LinkRow, OpenLink};
use super::{Store, Write, parse_ts, ts};
use crate::model::setup::{Audience, SetupContext};
use crate::server::tokens;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

fn audience(text: &str) -> Audience {
    if text == "customer" {
        Audience::Customer
    } else {
        Audience::Partner
    }
}

/// The columns a link is judged by, named apart from its order's.
const LINK_COLUMNS: &str = "l.order_id AS l_order_id, l.email AS l_email, l.audience AS l_audience, \
     l.expires_at AS l_expires_at, l.revoked_at AS l_revoked_at, l.spent_at AS l_spent_at, \
     l.first_opened_at AS l_first_opened_at, o.closed_at AS o_closed_at";

/// The link of a row read with [`LINK_COLUMNS`], and its state.
fn link_of(row: &DbRow, token_hash: &str) -> anyhow::Result<LinkRow> {
    Ok(LinkRow {
        link: OpenLink {
            token_hash: token_hash.to_string(),
            order_id: row.try_get("l_order_id")?,
            audience: audience(row.try_get("l_audience")?),
            email: row.try_get("l_email")?,
            opened: row
                .try_get::<Option<String>, _>("l_first_opened_at")?
                .is_some(),
        },
        expires_at: parse_ts(row.try_get("l_expires_at")?)?,
        ended: row.try_get::<Option<String>, _>("l_revoked_at")?.is_some()
            || row.try_get::<Option<String>, _>("l_spent_at")?.is_some()
            || row.try_get::<Option<String>, _>("o_closed_at")?.is_some(),
    })
}

/// A link and its state, if there is one with this hash.
pub(crate) async fn link_row(conn: &mut Conn, token_hash: &str) -> anyhow::Result<Option<LinkRow>> {
    let row = sqlx::query(&format!(
        "SELECT {LINK_COLUMNS} FROM setup_links l JOIN orders o ON o.id = l.order_id WHERE l.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
    .context("reading a link")?;
    row.map(|row| link_of(&row, token_hash)).transpose()
}

/// A link with everything the wizard shows for it, in one read (every round
/// trip to the database is a large part of serving the wizard page): the
/// link, its order, the order's customer organization, the partner
/// organization of its party, whom the link's address belongs to, and one of
/// the order's services per row (one row with no service when it has none).
/// No rows: no such link.
async fn link_context_rows(conn: &mut Conn, token_hash: &str) -> anyhow::Result<Vec<DbRow>> {
    sqlx::query(&format!(
        "SELECT {LINK_COLUMNS}, o.kind AS o_kind, o.order_number, o.offer, o.subscription_id, o.requested_start_date, \
         o.partner_name, o.partner_country, o.customer_name, o.customer_country, o.customer_address, \
         c.name AS c_name, c.country AS c_country, c.address AS c_address, \
         CASE WHEN c.managed_by_partner_id IS NULL AND c.confirmed_at IS NULL THEN 1 ELSE 0 END AS c_editable, \
         p.name AS p_name, p.country AS p_country, \
         CASE WHEN EXISTS (SELECT 1 FROM users pu WHERE pu.partner_org_id = p.id AND pu.role <> 'guest') \
           THEN 1 ELSE 0 END AS p_has_members, \
         u.partner_org_id AS u_partner_org_id, u.customer_org_id AS u_customer_org_id, \
         CASE WHEN u.password_hash IS NULL THEN 1 ELSE 0 END AS u_no_password, \
         uc.name AS uc_name, uc.country AS uc_country, uc.address AS uc_address, \
         s.kind AS s_kind, s.sku AS s_sku, s.quantity AS s_quantity \
         FROM setup_links l JOIN orders o ON o.id = l.order_id \
         LEFT JOIN customer_orgs c ON c.id = o.customer_org_id \
         LEFT JOIN partner_orgs p ON p.party_id = o.partner_party_id \
         LEFT JOIN users u ON u.email = l.email \
         LEFT JOIN customer_orgs uc ON uc.id = u.customer_org_id \
         LEFT JOIN order_services s ON s.order_id = o.id \
         WHERE l.token_hash = $1 ORDER BY s.position"
    ))
    .bind(token_hash)
    .fetch_all(&mut *conn)
    .await
    .context("reading a link with its order")
}

/// What the wizard may show for a link, read on `conn` (inside the commit's
/// transaction too, so the commit plans with what is true then).
pub(crate) async fn context(
    conn: &mut Conn,
    link: &OpenLink,
) -> anyhow::Result<Option<SetupContext>> {
    let rows = link_context_rows(conn, &link.token_hash).await?;
    Ok((!rows.is_empty()).then(|| context_of(link, &rows)))
}

/// The wizard's view of the rows of [`link_context_rows`] (at least one).
fn context_of(link: &OpenLink, rows: &[DbRow]) -> SetupContext {
    use crate::model::setup::OrgView;
    let order = &rows[0];
    let services = rows
        .iter()
        .filter_map(|r| {
            let kind: Option<String> = r.get("s_kind");
            kind.map(|kind| (kind, r.get("s_sku"), r.get::<i64, _>("s_quantity") as u32))
        })
        .collect();
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
            order.get::<i64, _>("c_editable") == 1,
            false,
        ),
        // The link's own address: on the customer path it is the customer
        // administrator, who verifies their organization if they have one
        // (who an address belongs to is read as in `people::person_of`).
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
    SetupContext {
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
        partner_has_members: order.get::<i64, _>("p_has_members") == 1,
        // No user, or one without a password.
        link_proven: order.get::<i64, _>("u_no_password") == 1,
        change_order: order.get::<&str, _>("o_kind") == "change",
    }
}

/// A customer organization's details.
pub(crate) async fn customer_org_view(
    conn: &mut Conn,
    org_id: &str,
) -> anyhow::Result<crate::model::setup::OrgView> {
    let row = sqlx::query("SELECT name, country, address FROM customer_orgs WHERE id = $1")
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading a customer organization")?;
    Ok(crate::model::setup::OrgView {
        name: row.get("name"),
        country: row.get("country"),
        address: row.get("address"),
    })
}

impl Store {
    /// A link, its state and what the wizard shows for it, in one read.
    pub(crate) async fn link_with_context(
        &self,
        token_hash: &str,
    ) -> anyhow::Result<Option<(LinkRow, SetupContext)>> {
        let mut conn = self.pool.acquire().await?;
        let rows = link_context_rows(&mut conn, token_hash).await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let link = link_of(first, token_hash)?;
        let context = context_of(&link.link, &rows);
        Ok(Some((link, context)))
    }

    /// A link and its state.
    pub(crate) async fn link(&self, token_hash: &str) -> anyhow::Result<Option<LinkRow>> {
        let mut conn = self.pool.acquire().await?;
        link_row(&mut conn, token_hash).await
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

/// Links' reads and writes inside a service's transaction.
impl Write<'_> {
    /// A link and its state.
    pub(crate) async fn link(&mut self, token_hash: &str) -> anyhow::Result<Option<LinkRow>> {
        link_row(&mut self.tx, token_hash).await
    }

    /// Records that the setup started with a link ("Next" on its first
    /// step): the escalation is no longer due. Only the first start writes.
    pub(crate) async fn start_setup(
        &mut self,
        link: &OpenLink,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE setup_links SET first_opened_at = $1 WHERE token_hash = $2 AND first_opened_at IS NULL",
        )
        .bind(ts(now))
        .bind(&link.token_hash)
        .execute(&mut *self.tx)
        .await
        .context("recording the link's first use")?;
        sqlx::query("UPDATE orders SET started_at = $1 WHERE id = $2 AND started_at IS NULL")
            .bind(ts(now))
            .bind(&link.order_id)
            .execute(&mut *self.tx)
            .await
            .context("recording the setup's start")?;
        Ok(())
    }

    /// Ends a link not used yet; until when it would have worked, or `None`
    /// when it was used or ended already.
    pub(crate) async fn revoke_link(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<DateTime<Utc>>> {
        let expires: Option<String> = sqlx::query_scalar(
            "UPDATE setup_links SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
             AND spent_at IS NULL RETURNING expires_at",
        )
        .bind(ts(now))
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await
        .context("ending a link")?;
        expires.as_deref().map(parse_ts).transpose()
    }

    /// Whether an order is set up, or waits for an approval.
    pub(crate) async fn set_up_or_waiting(&mut self, order_id: &str) -> anyhow::Result<bool> {
        let row = sqlx::query("SELECT setup_at, approval_requested_at FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *self.tx)
            .await
            .context("reading an order's progress")?;
        Ok(row.get::<Option<String>, _>("setup_at").is_some()
            || row
                .get::<Option<String>, _>("approval_requested_at")
                .is_some())
    }

    /// Whom a "Customer setup" order not yet confirmed by its customer
    /// invites: the address its newest customer link went to, else its
    /// customer organization's first user. `None`: no such order waits.
    pub(crate) async fn customer_to_invite(
        &mut self,
        order_id: &str,
    ) -> anyhow::Result<Option<Option<String>>> {
        let row = sqlx::query(
            "SELECT (SELECT u.email FROM users u WHERE u.customer_org_id = o.customer_org_id \
               ORDER BY u.created_at LIMIT 1) AS admin, \
             (SELECT l.email FROM setup_links l WHERE l.order_id = o.id AND l.audience = 'customer' \
                ORDER BY l.created_at DESC LIMIT 1) AS invited \
             FROM orders o WHERE o.id = $1 AND o.customer_confirmed_at IS NULL AND o.setup_mode = 'customer'",
        )
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading whom to invite")?;
        Ok(row.map(|row| row.get::<Option<String>, _>("invited").or(row.get("admin"))))
    }
}
