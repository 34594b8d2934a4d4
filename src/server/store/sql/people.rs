//! Organizations and their users: who an address belongs to, what a partner
//! may learn about it, and the rows a setup plan adds.

use super::Conn;
use super::Person;
use super::{Store, is_unique_violation, new_id, ts};
use crate::domain::{Address, Country, EmailAddress, OrgName, Role};
use crate::model::setup::{OrgChoice, OrgView, Owner};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The partner organization of a party id, with its id.
pub(crate) async fn org_of_party(
    conn: &mut Conn,
    party_id: &str,
) -> anyhow::Result<Option<(String, OrgView)>> {
    let row = sqlx::query("SELECT id, name, country FROM partner_orgs WHERE party_id = $1")
        .bind(party_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading whom an address belongs to")?;
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

/// Who `email` belongs to, seen from the partner organization `this_partner`.
pub(crate) async fn person_of(
    conn: &mut Conn,
    email: &str,
    this_partner: Option<&str>,
) -> anyhow::Result<Person> {
    let row = sqlx::query(
        "SELECT u.partner_org_id, u.customer_org_id, u.role, CASE WHEN u.password_hash IS NOT NULL THEN 1 ELSE 0 END AS has_password, \
         c.managed_by_partner_id \
         FROM users u LEFT JOIN customer_orgs c ON c.id = u.customer_org_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
    .context("reading whom an address belongs to")?;
    let Some(row) = row else {
        return Ok(Person {
            owner: Owner::Nobody,
            has_password: false,
        });
    };
    let partner_org: Option<String> = row.get("partner_org_id");
    let customer_org: Option<String> = row.get("customer_org_id");
    let manager: Option<String> = row.get("managed_by_partner_id");
    let role = Role::from_code(row.get("role")).unwrap_or(Role::Guest);
    let owner = match (partner_org, customer_org) {
        (Some(org), _) => Owner::Partner {
            this_partner: Some(org.as_str()) == this_partner,
            org,
            role,
        },
        (None, Some(org)) => Owner::Customer {
            managed_here: manager.is_some() && manager.as_deref() == this_partner,
            org,
        },
        (None, None) => Owner::Nobody,
    };
    Ok(Person {
        owner,
        has_password: row.get::<i64, _>("has_password") == 1,
    })
}

/// Whether a partner organization has people (guests aside): then a
/// newcomer joins it only with its administrators' approval.
pub(crate) async fn has_members(conn: &mut Conn, partner_org: &str) -> anyhow::Result<bool> {
    let members: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE partner_org_id = $1 AND role <> 'guest') \
         THEN 1 ELSE 0 END",
    )
    .bind(partner_org)
    .fetch_one(&mut *conn)
    .await
    .context("reading whom an address belongs to")?;
    Ok(members == 1)
}

/// Inserts a user of one organization in `role`; `None` when the address
/// has a user already (the database's uniqueness decides between two at
/// once).
pub(crate) async fn insert_user(
    conn: &mut Conn,
    email: &str,
    partner_org: Option<&str>,
    customer_org: Option<&str>,
    role: Role,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, partner_org_id, customer_org_id, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(email)
    .bind(partner_org)
    .bind(customer_org)
    .bind(role.code())
    .bind(password_hash)
    .bind(ts(now))
    .execute(&mut *conn)
    .await;
    unless_taken(inserted, id, "adding a user")
}

/// A new partner organization for `party_id`; its id, or `None` when the
/// party has one already (made by a commit of another of its orders
/// meanwhile).
pub(crate) async fn insert_partner_org(
    conn: &mut Conn,
    party_id: &str,
    name: &OrgName,
    country: &Country,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO partner_orgs (id, party_id, name, country, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(party_id)
    .bind(name.as_str())
    .bind(country.as_str())
    .bind(ts(now))
    .execute(&mut *conn)
    .await;
    unless_taken(inserted, id, "adding a partner organization")
}

/// A new customer organization and its administrator: their ids, or `None`
/// when the administrator's address has a user already.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_customer_org(
    conn: &mut Conn,
    name: &OrgName,
    country: &Country,
    address: &Address,
    managed_by: Option<&str>,
    confirmed: bool,
    admin: &EmailAddress,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<(String, String)>> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO customer_orgs (id, name, country, address, managed_by_partner_id, created_at, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(name.as_str())
    .bind(country.as_str())
    .bind(address.as_str())
    .bind(managed_by)
    .bind(ts(now))
    .bind(confirmed.then(|| ts(now)))
    .execute(&mut *conn)
    .await
    .context("adding a customer organization")?;
    let role = Role::Administrator;
    let user = insert_user(conn, admin.as_str(), None, Some(&id), role, None, now).await?;
    Ok(user.map(|user| (id, user)))
}

/// The partner organization id of an order's party.
async fn partner_of_order(conn: &mut Conn, order_id: &str) -> anyhow::Result<Option<String>> {
    let party: String = sqlx::query_scalar("SELECT partner_party_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the order's party")?;
    Ok(org_of_party(conn, &party).await?.map(|(id, _)| id))
}

impl Store {
    /// Who `email` belongs to, seen from the partner organization of the
    /// order's party (and that organization's id, if it exists).
    pub(crate) async fn person_for_order(
        &self,
        order_id: &str,
        email: &str,
    ) -> anyhow::Result<(Option<String>, Person)> {
        let mut conn = self.pool.acquire().await?;
        let partner = partner_of_order(&mut conn, order_id).await?;
        let person = person_of(&mut conn, email, partner.as_deref()).await?;
        Ok((partner, person))
    }

    /// Whether a partner organization has people (guests aside).
    pub(crate) async fn partner_has_members(&self, org: &str) -> anyhow::Result<bool> {
        let mut conn = self.pool.acquire().await?;
        has_members(&mut conn, org).await
    }

    /// A customer organization's details.
    pub(crate) async fn customer_org(&self, org: &str) -> anyhow::Result<OrgView> {
        let mut conn = self.pool.acquire().await?;
        super::links::customer_org_view(&mut conn, org).await
    }

    /// The customer organizations the order's partner manages whose name or
    /// administrator address contains `query`, at most `limit`, by name.
    pub async fn find_managed_orgs(
        &self,
        order_id: &str,
        query: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<OrgChoice>> {
        let mut conn = self.pool.acquire().await?;
        let Some(partner) = partner_of_order(&mut conn, order_id).await? else {
            return Ok(Vec::new());
        };
        let escaped = query
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let rows = sqlx::query(
            "SELECT c.name, MIN(u.email) AS admin_email FROM customer_orgs c \
             JOIN users u ON u.customer_org_id = c.id \
             WHERE c.managed_by_partner_id = $1 AND (lower(c.name) LIKE $2 ESCAPE '\\' OR u.email LIKE $3 ESCAPE '\\') \
             GROUP BY c.id, c.name ORDER BY c.name LIMIT $4",
        )
        .bind(&partner)
        .bind(&pattern)
        .bind(&pattern)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .context("finding managed organizations")?;
        Ok(rows
            .iter()
            .map(|r| OrgChoice {
                name: r.get("name"),
                admin_email: r.get("admin_email"),
            })
            .collect())
    }

    /// Makes sure a partner organization exists for `party_id` (demo data).
    /// Returns its id.
    pub async fn ensure_partner_org(
        &self,
        party_id: &str,
        name: &str,
        country: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        sqlx::query(
            "INSERT INTO partner_orgs (id, party_id, name, country, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (party_id) DO NOTHING",
        )
        .bind(new_id())
        .bind(party_id)
        .bind(name)
        .bind(country)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM partner_orgs WHERE party_id = $1")
                .bind(party_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Makes sure `email` is a user of the partner organization `org` in
    /// `role` with this password hash, unless it is a user already (demo
    /// data). Without a password hash, the user has none yet.
    pub async fn ensure_partner_user(
        &self,
        org: &str,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO users (id, email, partner_org_id, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
        )
        .bind(new_id())
        .bind(email)
        .bind(org)
        .bind(role.code())
        .bind(password_hash)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes sure a customer organization administered by `admin` exists,
    /// managed by the partner organization `manager` (demo data).
    pub async fn ensure_customer_org(
        &self,
        manager: Option<&str>,
        name: &str,
        admin: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        // Looked at inside the transaction that writes, under a lock on the
        // address: instances that start together on a new database each load
        // the demo data, and the later ones must find the first one's rows.
        let mut tx = self.write_tx().await?;
        super::lock_keys(&mut tx, &mut vec![format!("email:{admin}")]).await?;
        let exists: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE email = $1) THEN 1 ELSE 0 END",
        )
        .bind(admin)
        .fetch_one(&mut *tx)
        .await?;
        if exists == 1 {
            return Ok(());
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO customer_orgs (id, name, country, address, managed_by_partner_id, created_at, confirmed_at) \
             VALUES ($1, $2, 'CZ', 'Karlovo náměstí 1, 120 00 Praha', $3, $4, $5)",
        )
        .bind(&id)
        .bind(name)
        .bind(manager)
        .bind(ts(now))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO users (id, email, customer_org_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(admin)
        .bind(&id)
        .bind(password_hash)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `Some(id)` when the row went in, `None` when a unique key was taken
/// already (another request made it meanwhile).
fn unless_taken<T>(
    inserted: Result<T, sqlx::Error>,
    id: String,
    what: &'static str,
) -> anyhow::Result<Option<String>> {
    match inserted {
        Ok(_) => Ok(Some(id)),
        Err(err) if is_unique_violation(&err) => Ok(None),
        Err(err) => Err(anyhow::Error::new(err).context(what)),
    }
}
