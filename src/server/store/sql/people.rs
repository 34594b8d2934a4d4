//! Organizations and their users: who an address belongs to, what a partner
//! may learn about it, and the rows a setup plan adds.

use super::Conn;
use super::{Person, SetterFacts};
use super::{Store, is_unique_violation, new_id, ts, unexpected};
use crate::domain::{Address, Country, EmailAddress, OrgName, Role};
use crate::error::{AppError, FieldError};
use crate::model::setup::{AdminLookup, OrgChoice, OrgView, Owner, SetterLookup};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The partner organization of a party id, with its id.
pub(crate) async fn org_of_party(
    conn: &mut Conn,
    party_id: &str,
) -> Result<Option<(String, OrgView)>, AppError> {
    let row = sqlx::query("SELECT id, name, country FROM partner_orgs WHERE party_id = $1")
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

/// Who `email` belongs to, seen from the partner organization `this_partner`.
pub(crate) async fn person_of(
    conn: &mut Conn,
    email: &str,
    this_partner: Option<&str>,
) -> Result<Person, AppError> {
    let row = sqlx::query(
        "SELECT u.partner_org_id, u.customer_org_id, u.role, CASE WHEN u.password_hash IS NOT NULL THEN 1 ELSE 0 END AS has_password, \
         c.managed_by_partner_id \
         FROM users u LEFT JOIN customer_orgs c ON c.id = u.customer_org_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
    .map_err(unexpected)?;
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

/// Who `email` belongs to, seen from the partner organization `this_partner`.
pub(crate) async fn owner_of(
    conn: &mut Conn,
    email: &str,
    this_partner: Option<&str>,
) -> Result<Owner<String>, AppError> {
    Ok(person_of(conn, email, this_partner).await?.owner)
}

/// Whether a partner organization has people (guests aside): then a
/// newcomer joins it only with its administrators' approval.
pub(crate) async fn has_members(conn: &mut Conn, partner_org: &str) -> Result<bool, AppError> {
    let members: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE partner_org_id = $1 AND role <> 'guest') \
         THEN 1 ELSE 0 END",
    )
    .bind(partner_org)
    .fetch_one(&mut *conn)
    .await
    .map_err(unexpected)?;
    Ok(members == 1)
}

/// Inserts a user of one organization in `role`. An address that already has
/// one is a refusal of `field` ("already belongs"), never a 500.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_user(
    conn: &mut Conn,
    email: &str,
    partner_org: Option<&str>,
    customer_org: Option<&str>,
    role: Role,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
    field: &str,
) -> Result<String, AppError> {
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
    match inserted {
        Ok(_) => Ok(id),
        Err(err) if is_unique_violation(&err) => Err(AppError::Invalid(vec![FieldError {
            field: field.into(),
            error: crate::domain::DomainError::EmailBelongsToOtherOrg,
        }])),
        Err(err) => Err(unexpected(err)),
    }
}

pub(crate) async fn insert_partner_org(
    conn: &mut Conn,
    party_id: &str,
    name: &OrgName,
    country: &Country,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
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
    match inserted {
        Ok(_) => Ok(id),
        // Made by a commit of another order of this partner meanwhile.
        Err(err) if is_unique_violation(&err) => Err(AppError::Refused(
            crate::error::Refusal::OrganizationNotRecognized,
        )),
        Err(err) => Err(unexpected(err)),
    }
}

/// A new customer organization and its administrator.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_customer_org(
    conn: &mut Conn,
    name: &OrgName,
    country: &Country,
    address: &Address,
    managed_by: Option<&str>,
    confirmed: bool,
    admin: &EmailAddress,
    admin_field: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
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
    .map_err(unexpected)?;
    let user = insert_user(
        conn,
        admin.as_str(),
        None,
        Some(&id),
        Role::Administrator,
        None,
        now,
        admin_field,
    )
    .await?;
    Ok((id, user))
}

/// The partner organization id of an order's party.
async fn partner_of_order(conn: &mut Conn, order_id: &str) -> Result<Option<String>, AppError> {
    let party: String = sqlx::query_scalar("SELECT partner_party_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(unexpected)?;
    Ok(org_of_party(conn, &party).await?.map(|(id, _)| id))
}

impl Store {
    /// What a partner's link may learn about an address typed as customer
    /// administrator: the details only of an organization this partner
    /// manages, and only when whoever asks is `trusted` with the partner's
    /// customers; anyone else learns no more than "another organization".
    pub async fn admin_lookup(
        &self,
        order_id: &str,
        email: &EmailAddress,
        trusted: bool,
    ) -> Result<AdminLookup, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        let partner = partner_of_order(&mut conn, order_id).await?;
        Ok(
            match owner_of(&mut conn, email.as_str(), partner.as_deref()).await? {
                Owner::Nobody => AdminLookup::New,
                _ if !trusted => AdminLookup::Elsewhere,
                Owner::Partner { .. } => AdminLookup::BelongsToPartner,
                Owner::Customer {
                    org,
                    managed_here: true,
                } => AdminLookup::Managed(super::links::customer_org_view(&mut conn, &org).await?),
                Owner::Customer { .. } => AdminLookup::NeedsApproval,
            },
        )
    }

    /// What decides about the address of whoever sets up an order: whom it
    /// belongs to, whether a password protects it, and whether the order's
    /// partner organization has people.
    pub async fn setter_facts(
        &self,
        order_id: &str,
        email: &EmailAddress,
    ) -> Result<SetterFacts, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
        let partner = partner_of_order(&mut conn, order_id).await?;
        let person = person_of(&mut conn, email.as_str(), partner.as_deref()).await?;
        let partner_has_members = match &partner {
            Some(org) => has_members(&mut conn, org).await?,
            None => false,
        };
        let lookup = match &person.owner {
            Owner::Nobody => SetterLookup::New,
            Owner::Partner {
                this_partner: true,
                role,
                ..
            } => match role {
                Role::Administrator | Role::Member => SetterLookup::Member,
                Role::ReadOnly => SetterLookup::ReadOnly,
                Role::Guest => SetterLookup::Guest,
            },
            _ => SetterLookup::BelongsElsewhere,
        };
        Ok(SetterFacts {
            owner: person.owner,
            lookup,
            has_password: person.has_password,
            partner_has_members,
        })
    }

    /// The customer organizations the order's partner manages whose name or
    /// administrator address contains `query`, at most `limit`, by name.
    pub async fn find_managed_orgs(
        &self,
        order_id: &str,
        query: &str,
        limit: i64,
    ) -> Result<Vec<OrgChoice>, AppError> {
        let mut conn = self.pool.acquire().await.map_err(unexpected)?;
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
        .map_err(unexpected)?;
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
