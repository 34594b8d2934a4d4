//! The setup wizard's storage: opening a link, the checks it asks for, delegation,
//! and the commit that writes everything at once.

use super::{Store, insert_link, is_unique_violation, new_id, parse_ts, ts};
use crate::error::{AppError, Refusal};
use crate::server::{mail, tokens};
use crate::wizard::machine::{
    AdminLookup, Audience, CommitResult, Draft, OrgView, Role, SetupContext, WhoSetsUp,
};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

/// A link that may be used.
#[derive(Debug, Clone)]
pub struct OpenLink {
    pub order_id: String,
    pub audience: Audience,
    pub email: String,
    /// Whether the link was opened before.
    pub opened: bool,
}

fn unexpected<E: Into<anyhow::Error>>(err: E) -> AppError {
    AppError::unexpected(err)
}

fn audience(text: &str) -> Audience {
    if text == "customer" {
        Audience::Customer
    } else {
        Audience::Partner
    }
}

/// Looks a link up and says whether it may be used now.
async fn usable_link(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<OpenLink, AppError> {
    let row = sqlx::query(
        "SELECT l.order_id, l.email, l.audience, l.expires_at, l.revoked_at, l.spent_at, l.first_opened_at, o.closed_at \
         FROM setup_links l JOIN orders o ON o.id = l.order_id WHERE l.token_hash = ?",
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
        order_id: row.get("order_id"),
        audience: audience(row.get("audience")),
        email: row.get("email"),
        opened: row.get::<Option<String>, _>("first_opened_at").is_some(),
    })
}

async fn org_of_party(
    conn: &mut SqliteConnection,
    party_id: &str,
) -> Result<Option<(String, OrgView)>, AppError> {
    let row = sqlx::query("SELECT id, name, country FROM partner_orgs WHERE party_id = ?")
        .bind(party_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(unexpected)?;
    Ok(row.map(|r| {
        (
            r.get("id"),
            OrgView {
                name: r.get("name"),
                country: r.get("country"),
                address: None,
            },
        )
    }))
}

async fn lookup_admin(
    conn: &mut SqliteConnection,
    email: &str,
) -> Result<(AdminLookup, Option<String>), AppError> {
    let row = sqlx::query(
        "SELECT u.partner_org_id, c.id AS customer_id, c.name, c.country, c.address \
         FROM users u LEFT JOIN customer_orgs c ON c.id = u.customer_org_id WHERE u.email = ?",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
    .map_err(unexpected)?;
    Ok(match row {
        None => (AdminLookup::New, None),
        Some(r) if r.get::<Option<String>, _>("partner_org_id").is_some() => {
            (AdminLookup::BelongsToPartner, None)
        }
        Some(r) => (
            AdminLookup::ExistingCustomer(OrgView {
                name: r.get("name"),
                country: r.get("country"),
                address: r.get("address"),
            }),
            r.get("customer_id"),
        ),
    })
}

impl Store {
    /// Opens a link: refuses unknown, used and expired ones, records the first
    /// opening (what the escalation calls "started"), and returns what the wizard
    /// needs to show.
    pub async fn open_setup(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<SetupContext, AppError> {
        let hash = tokens::hash_token(token);
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        let link = usable_link(&mut conn, &hash, now).await?;
        if !link.opened {
            // Only the first opening writes, so reopening a link stays a read.
            // The write runs on the connection already held: taking a second one
            // from the pool would starve it when many links open at once.
            let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE")
                .await
                .map_err(unexpected)?;
            sqlx::query("UPDATE setup_links SET first_opened_at = ? WHERE token_hash = ? AND first_opened_at IS NULL")
                .bind(ts(now))
                .bind(&hash)
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
            sqlx::query("UPDATE orders SET started_at = ? WHERE id = ? AND started_at IS NULL")
                .bind(ts(now))
                .bind(&link.order_id)
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
            tx.commit().await.map_err(unexpected)?;
        }
        let order = sqlx::query(
            "SELECT o.*, c.name AS c_name, c.country AS c_country, c.address AS c_address \
             FROM orders o LEFT JOIN customer_orgs c ON c.id = o.customer_org_id WHERE o.id = ?",
        )
        .bind(&link.order_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
        let services = super::orders::services_of(&mut *conn, &link.order_id)
            .await
            .map_err(unexpected)?;
        let partner_org = org_of_party(&mut conn, order.get("partner_party_id"))
            .await?
            .map(|(_, v)| v);
        let customer_org = match link.audience {
            Audience::Customer => order
                .get::<Option<String>, _>("c_name")
                .map(|name| OrgView {
                    name,
                    country: order.get("c_country"),
                    address: order.get("c_address"),
                }),
            Audience::Partner => None,
        };
        Ok(SetupContext {
            audience: link.audience,
            link_email: link.email,
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
        })
    }

    /// Which organization, if any, an address belongs to; only for holders of a
    /// usable link.
    pub async fn check_admin_email(
        &self,
        token: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<AdminLookup, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        usable_link(&mut conn, &tokens::hash_token(token), now).await?;
        Ok(lookup_admin(&mut conn, email).await?.0)
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
        let revoked = sqlx::query(
            "UPDATE setup_links SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL AND spent_at IS NULL \
             AND audience = 'partner' AND expires_at > ? RETURNING order_id, email, expires_at",
        )
        .bind(ts(now))
        .bind(&hash)
        .bind(ts(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?;
        let Some(row) = revoked else {
            drop(tx);
            let mut conn = self.pool.acquire().await.map_err(unexpected)?;
            usable_link(&mut conn, &hash, now).await?;
            return Err(AppError::Gone);
        };
        let order_id: String = row.get("order_id");
        let from: String = row.get("email");
        let expires = parse_ts(row.get("expires_at")).map_err(unexpected)?;
        let order =
            sqlx::query("SELECT order_number, closed_at, setup_at FROM orders WHERE id = ?")
                .bind(&order_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(unexpected)?;
        if order.get::<Option<String>, _>("closed_at").is_some() {
            return Err(AppError::Gone);
        }
        if order.get::<Option<String>, _>("setup_at").is_some() {
            return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        }
        let (new_token, new_hash) = tokens::new_token().map_err(unexpected)?;
        insert_link(
            &mut tx,
            &new_hash,
            &order_id,
            colleague.as_str(),
            "partner",
            now,
            expires,
        )
        .await
        .map_err(unexpected)?;
        let email = mail::delegation(
            colleague.as_str(),
            order.get::<&str, _>("order_number"),
            &from,
            &mail::setup_url(public_url, &new_token),
        );
        super::enqueue(
            &mut tx,
            &format!("delegation:{order_id}:{new_hash}"),
            Some(&order_id),
            &email,
            now,
        )
        .await
        .map_err(unexpected)?;
        Store::audit(
            &mut tx,
            now,
            &from,
            "setup_delegated",
            Some(&order_id),
            colleague.as_str(),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(())
    }

    /// Commits a checked draft in one transaction: organizations, users, the
    /// order's state, links, emails and audit entries, or nothing.
    ///
    /// Idempotent: the same link committed again (double click, second tab,
    /// retry after a lost answer) returns the first commit's result.
    pub async fn commit_setup(
        &self,
        token: &str,
        draft: &Draft,
        now: DateTime<Utc>,
        public_url: &str,
    ) -> Result<CommitResult, AppError> {
        let ctx = self.open_setup_readonly(token, now).await?;
        let ctx = match ctx {
            Ok(ctx) => ctx,
            Err(replay) => return Ok(replay),
        };
        crate::wizard::machine::check_all(draft, &ctx).map_err(AppError::Invalid)?;
        let hash = tokens::hash_token(token);
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        // First statement, a write: takes SQLite's write lock, so concurrent
        // commits of one link queue here and the second finds the link spent.
        let spent = sqlx::query(
            "UPDATE setup_links SET spent_at = ? WHERE token_hash = ? AND spent_at IS NULL AND revoked_at IS NULL \
             AND expires_at > ? RETURNING order_id, email, audience",
        )
        .bind(ts(now))
        .bind(&hash)
        .bind(ts(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?;
        let Some(link) = spent else {
            drop(tx);
            return match self.replayed_commit(&hash).await? {
                Some(result) => Ok(result),
                None => Err(AppError::Gone),
            };
        };
        let order_id: String = link.get("order_id");
        let link_email: String = link.get("email");
        let result = match (ctx.audience, draft.role) {
            (Audience::Customer, _) => {
                self::customer_confirms(&mut tx, &order_id, &link_email, draft, now).await?
            }
            (Audience::Partner, Some(Role::Customer)) => {
                partner_link_customer_setup(&mut tx, &order_id, &link_email, draft, &ctx, now)
                    .await?
            }
            (Audience::Partner, _) => {
                partner_setup(
                    &mut tx,
                    &order_id,
                    &link_email,
                    draft,
                    &ctx,
                    now,
                    public_url,
                )
                .await?
            }
        };
        tx.commit().await.map_err(unexpected)?;
        Ok(result)
    }

    /// Like [`Store::open_setup`] without recording anything; a spent link that
    /// was committed answers with that commit's result instead.
    async fn open_setup_readonly(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<SetupContext, CommitResult>, AppError> {
        let hash = tokens::hash_token(token);
        match self.open_setup(token, now).await {
            Ok(ctx) => Ok(Ok(ctx)),
            Err(AppError::Gone) => match self.replayed_commit(&hash).await? {
                Some(result) => Ok(Err(result)),
                None => Err(AppError::Gone),
            },
            Err(e) => Err(e),
        }
    }

    /// The result of the commit that spent this link, if one did.
    async fn replayed_commit(&self, hash: &str) -> Result<Option<CommitResult>, AppError> {
        let row = sqlx::query(
            "SELECT l.order_id, l.email, l.audience, o.setup_mode, \
             (SELECT password_hash IS NULL FROM users WHERE email = l.email) AS needs_password, \
             (SELECT email FROM setup_links c WHERE c.order_id = l.order_id AND c.audience = 'customer' \
                ORDER BY c.created_at LIMIT 1) AS customer_email \
             FROM setup_links l JOIN orders o ON o.id = l.order_id \
             WHERE l.token_hash = ? AND l.spent_at IS NOT NULL AND o.setup_at IS NOT NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?;
        Ok(row.map(|r| {
            let customer_mode =
                r.get::<Option<String>, _>("setup_mode").as_deref() == Some("customer");
            let partner_link = r.get::<&str, _>("audience") == "partner";
            CommitResult {
                order_id: r.get("order_id"),
                needs_password: r.get::<Option<bool>, _>("needs_password").unwrap_or(false),
                customer_invited: if customer_mode && partner_link {
                    r.get("customer_email")
                } else {
                    None
                },
                managed_by_customer: customer_mode,
            }
        }))
    }

    /// Sets the first password of the user who committed with this link, once.
    /// Returns the user's id.
    pub async fn set_first_password(
        &self,
        token: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let hash = tokens::hash_token(token);
        let row = sqlx::query(
            "UPDATE users SET password_hash = ? WHERE password_hash IS NULL AND email = \
             (SELECT email FROM setup_links WHERE token_hash = ? AND spent_at IS NOT NULL AND spent_at > ?) \
             RETURNING id",
        )
        .bind(password_hash)
        .bind(&hash)
        .bind(ts(now - chrono::Duration::days(1)))
        .fetch_optional(&self.pool)
        .await
        .map_err(unexpected)?;
        row.map(|r| r.get("id")).ok_or(AppError::Gone)
    }
}

async fn order_row(
    tx: &mut SqliteConnection,
    order_id: &str,
) -> Result<sqlx::sqlite::SqliteRow, AppError> {
    sqlx::query("SELECT * FROM orders WHERE id = ?")
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(unexpected)
}

/// Inserts a user; an address that already has one is refused.
async fn insert_user(
    tx: &mut SqliteConnection,
    email: &str,
    partner_org: Option<&str>,
    customer_org: Option<&str>,
    now: DateTime<Utc>,
    refusal: Refusal,
) -> Result<(), AppError> {
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, partner_org_id, customer_org_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(new_id())
    .bind(email)
    .bind(partner_org)
    .bind(customer_org)
    .bind(ts(now))
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if is_unique_violation(&err) => Err(AppError::Refused(refusal)),
        Err(err) => Err(unexpected(err)),
    }
}

async fn insert_customer_org(
    tx: &mut SqliteConnection,
    draft: &Draft,
    managed_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let id = new_id();
    let name = crate::domain::OrgName::parse(&draft.customer_name)?;
    let country = crate::domain::Country::parse(&draft.customer_country)?;
    let address = crate::domain::Address::parse(&draft.customer_address)?;
    sqlx::query(
        "INSERT INTO customer_orgs (id, name, country, address, managed_by_partner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(name.as_str())
    .bind(country.as_str())
    .bind(address.as_str())
    .bind(managed_by)
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(unexpected)?;
    Ok(id)
}

/// The customer organization for `admin`: the existing one the user verified,
/// or a new one. Refuses when the address changed owner since it was checked.
async fn customer_org_for(
    tx: &mut SqliteConnection,
    admin: &str,
    draft: &Draft,
    ctx: &SetupContext,
    managed_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (lookup, existing_id) = lookup_admin(tx, admin).await?;
    match (lookup, existing_id) {
        (AdminLookup::BelongsToPartner, _) => {
            Err(AppError::Refused(Refusal::EmailBelongsToPartner))
        }
        (AdminLookup::ExistingCustomer(_), Some(id)) if draft.customer_org_exists(ctx) => Ok(id),
        (AdminLookup::ExistingCustomer(_), _) => {
            Err(AppError::Refused(Refusal::EmailBelongsToOtherOrg))
        }
        (AdminLookup::New, _) => {
            let org = insert_customer_org(tx, draft, managed_by, now).await?;
            insert_user(
                tx,
                admin,
                None,
                Some(&org),
                now,
                Refusal::EmailBelongsToOtherOrg,
            )
            .await?;
            Ok(org)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn mark_set_up(
    tx: &mut SqliteConnection,
    order_id: &str,
    mode: &str,
    by: &str,
    partner_org: &str,
    customer_org: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let updated = sqlx::query(
        "UPDATE orders SET setup_at = ?, setup_mode = ?, setup_by_email = ?, partner_org_id = ?, customer_org_id = ? \
         WHERE id = ? AND setup_at IS NULL AND closed_at IS NULL",
    )
    .bind(ts(now))
    .bind(mode)
    .bind(by)
    .bind(partner_org)
    .bind(customer_org)
    .bind(order_id)
    .execute(&mut *tx)
    .await
    .map_err(unexpected)?;
    if updated.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::OrderAlreadySetUp))
    }
}

async fn needs_password(tx: &mut SqliteConnection, email: &str) -> Result<bool, AppError> {
    let value: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(unexpected)?;
    Ok(matches!(value, Some(None)))
}

/// The partner's own commit ("Yes, I'll do the setup" or "Customer setup").
async fn partner_setup(
    tx: &mut SqliteConnection,
    order_id: &str,
    link_email: &str,
    draft: &Draft,
    ctx: &SetupContext,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<CommitResult, AppError> {
    let order = order_row(tx, order_id).await?;
    let party_id: String = order.get("partner_party_id");
    let partner_org = match org_of_party(tx, &party_id).await? {
        Some((id, _)) if ctx.partner_org.is_some() => id,
        // The organization appeared since the page was opened: the partner has
        // to review it first.
        Some(_) => return Err(AppError::Refused(Refusal::OrganizationNotRecognized)),
        None => {
            let id = new_id();
            let name = crate::domain::OrgName::parse(&draft.partner_name)?;
            let country = crate::domain::Country::parse(&draft.partner_country)?;
            sqlx::query("INSERT INTO partner_orgs (id, party_id, name, country, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(&id)
                .bind(&party_id)
                .bind(name.as_str())
                .bind(country.as_str())
                .bind(ts(now))
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
            // Whoever sets up a new partner organization is its first administrator.
            insert_user(
                tx,
                link_email,
                Some(&id),
                None,
                now,
                Refusal::EmailBelongsToOtherOrg,
            )
            .await?;
            id
        }
    };
    let customer_setup = draft.who == Some(WhoSetsUp::Customer);
    let admin = draft.effective_admin_email(ctx);
    let managed_by = (!customer_setup).then_some(partner_org.as_str());
    let customer_org = customer_org_for(tx, &admin, draft, ctx, managed_by, now).await?;
    let mode = if customer_setup {
        "customer"
    } else {
        "partner"
    };
    mark_set_up(
        tx,
        order_id,
        mode,
        link_email,
        &partner_org,
        &customer_org,
        now,
    )
    .await?;
    let mut customer_invited = None;
    if customer_setup {
        let (token, hash) = tokens::new_token().map_err(unexpected)?;
        let expires = now + chrono::Duration::days(super::SETUP_WINDOW_DAYS as i64);
        insert_link(tx, &hash, order_id, &admin, "customer", now, expires)
            .await
            .map_err(unexpected)?;
        let email = mail::customer_invitation(
            &admin,
            order.get::<&str, _>("order_number"),
            order.get::<&str, _>("partner_name"),
            &mail::setup_url(public_url, &token),
        );
        super::enqueue(
            tx,
            &format!("customer_invitation:{order_id}"),
            Some(order_id),
            &email,
            now,
        )
        .await
        .map_err(unexpected)?;
        customer_invited = Some(admin.clone());
    }
    Store::audit(tx, now, link_email, "order_set_up", Some(order_id), mode)
        .await
        .map_err(unexpected)?;
    Ok(CommitResult {
        order_id: order_id.into(),
        needs_password: needs_password(tx, link_email).await?,
        customer_invited,
        managed_by_customer: customer_setup,
    })
}

/// A provisioning contact who is the customer sets the order up for itself.
async fn partner_link_customer_setup(
    tx: &mut SqliteConnection,
    order_id: &str,
    link_email: &str,
    draft: &Draft,
    ctx: &SetupContext,
    now: DateTime<Utc>,
) -> Result<CommitResult, AppError> {
    let order = order_row(tx, order_id).await?;
    let party_id: String = order.get("partner_party_id");
    let partner_org = match org_of_party(tx, &party_id).await? {
        Some((id, _)) => id,
        None => {
            let id = new_id();
            sqlx::query("INSERT INTO partner_orgs (id, party_id, name, country, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(&id)
                .bind(&party_id)
                .bind(order.get::<&str, _>("partner_name"))
                .bind(order.get::<&str, _>("partner_country"))
                .bind(ts(now))
                .execute(&mut *tx)
                .await
                .map_err(unexpected)?;
            id
        }
    };
    let customer_org = customer_org_for(tx, link_email, draft, ctx, None, now).await?;
    mark_set_up(
        tx,
        order_id,
        "customer",
        link_email,
        &partner_org,
        &customer_org,
        now,
    )
    .await?;
    Store::audit(
        tx,
        now,
        link_email,
        "order_set_up",
        Some(order_id),
        "customer",
    )
    .await
    .map_err(unexpected)?;
    Ok(CommitResult {
        order_id: order_id.into(),
        needs_password: needs_password(tx, link_email).await?,
        customer_invited: None,
        managed_by_customer: true,
    })
}

/// The customer administrator confirms the organization made for them.
async fn customer_confirms(
    tx: &mut SqliteConnection,
    order_id: &str,
    link_email: &str,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<CommitResult, AppError> {
    let order = order_row(tx, order_id).await?;
    let customer_org: Option<String> = order.get("customer_org_id");
    let customer_org = customer_org.ok_or(AppError::Refused(Refusal::StepIncomplete))?;
    // Their organization: they may correct its details.
    let name = crate::domain::OrgName::parse(&draft.customer_name)?;
    let country = crate::domain::Country::parse(&draft.customer_country)?;
    let address = crate::domain::Address::parse(&draft.customer_address)?;
    sqlx::query("UPDATE customer_orgs SET name = ?, country = ?, address = ? WHERE id = ? AND managed_by_partner_id IS NULL")
        .bind(name.as_str())
        .bind(country.as_str())
        .bind(address.as_str())
        .bind(&customer_org)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
    Store::audit(
        tx,
        now,
        link_email,
        "customer_confirmed",
        Some(order_id),
        "",
    )
    .await
    .map_err(unexpected)?;
    Ok(CommitResult {
        order_id: order_id.into(),
        needs_password: needs_password(tx, link_email).await?,
        customer_invited: None,
        managed_by_customer: true,
    })
}

impl Store {
    /// The order a spent link belongs to.
    pub async fn order_of_spent_link(&self, token: &str) -> anyhow::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT order_id FROM setup_links WHERE token_hash = ? AND spent_at IS NOT NULL",
        )
        .bind(tokens::hash_token(token))
        .fetch_optional(&self.pool)
        .await?)
    }
}

impl Store {
    /// Makes sure a partner organization exists for `party_id` (demo data).
    pub async fn ensure_partner_org(
        &self,
        party_id: &str,
        name: &str,
        country: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO partner_orgs (id, party_id, name, country, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (party_id) DO NOTHING",
        )
        .bind(new_id())
        .bind(party_id)
        .bind(name)
        .bind(country)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
