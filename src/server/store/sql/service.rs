//! The service setup wizard's storage.

use super::{Store, Write, is_unique_violation, ts};
use crate::domain::{Subdomain, default_time_zone};
use crate::model::service::{CallingInput, CallingSettings, SavedLocation, ServiceView};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// The order as the service wizard shows it (`None`: no such order set
    /// up), with its customer organization's meeting site and calling
    /// locations.
    pub async fn service_view(&self, order_id: &str) -> anyhow::Result<Option<ServiceView>> {
        let row = sqlx::query(
            "SELECT o.*, c.name AS c_name, c.country AS c_country, c.address AS c_address, \
             cs.location_id, cs.location_name, cs.address AS cs_address, cs.country AS cs_country, \
             cs.time_zone, cs.language, cs.pstn, \
             (SELECT subdomain FROM meeting_sites m WHERE m.order_id = o.id) AS own_subdomain, \
             (SELECT subdomain FROM meeting_sites m WHERE m.customer_org_id = o.customer_org_id \
               AND m.order_id <> o.id ORDER BY m.created_at, m.subdomain LIMIT 1) AS org_subdomain \
             FROM orders o JOIN customer_orgs c ON c.id = o.customer_org_id \
             LEFT JOIN calling_settings cs ON cs.order_id = o.id WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await
        .context("reading the order's service setup")?;
        let Some(row) = row else {
            return Ok(None);
        };
        let services = super::orders::services_of(&self.pool, order_id).await?;
        let org: String = row.get("customer_org_id");
        let locations: Vec<SavedLocation> = sqlx::query(
            "SELECT id, location_name, address, country, time_zone, language, pstn \
             FROM calling_locations WHERE customer_org_id = $1 ORDER BY created_at, id",
        )
        .bind(&org)
        .fetch_all(&self.pool)
        .await
        .context("reading the organization's calling locations")?
        .iter()
        .map(|r| SavedLocation {
            id: r.get("id"),
            settings: CallingInput {
                location: r.get("id"),
                location_name: r.get("location_name"),
                address: r.get("address"),
                country: r.get("country"),
                time_zone: r.get("time_zone"),
                language: r.get("language"),
                pstn: r.get("pstn"),
            },
        })
        .collect();
        let saved: Option<String> = row.get("location_name");
        let customer_country: String = row.get("c_country");
        let calling = match saved {
            Some(location_name) => CallingInput {
                location: row
                    .get::<Option<String>, _>("location_id")
                    .unwrap_or_default(),
                location_name,
                address: row.get("cs_address"),
                country: row.get("cs_country"),
                time_zone: row.get("time_zone"),
                language: row.get("language"),
                pstn: row.get("pstn"),
            },
            // The organization's first saved location, when it has one.
            None => match locations.first() {
                Some(first) => first.settings.clone(),
                None => CallingInput {
                    location: String::new(),
                    location_name: String::new(),
                    address: row.get("c_address"),
                    time_zone: crate::domain::Country::parse(&customer_country)
                        .map(|c| default_time_zone(&c).to_string())
                        .unwrap_or_else(|_| "UTC".into()),
                    language: if customer_country == "CZ" {
                        "cs_CZ".into()
                    } else {
                        "en_US".into()
                    },
                    country: customer_country,
                    pstn: String::new(),
                },
            },
        };
        let own: Option<String> = row.get("own_subdomain");
        let inherited: Option<String> = row.get("org_subdomain");
        Ok(Some(ServiceView {
            order_id: order_id.into(),
            order_number: row.get("order_number"),
            offer: row.get("offer"),
            subscription_id: row.get("subscription_id"),
            requested_start_date: row.get("requested_start_date"),
            services,
            customer_name: row.get("c_name"),
            calling_saved: row.get::<Option<String>, _>("cs_address").is_some(),
            calling,
            locations,
            site_set_up: own.is_none() && inherited.is_some(),
            subdomain: own.or(inherited),
            billing_start_date: row.get("billing_start_date"),
        }))
    }

    /// The live check in one read: `None` when `session_token` names no
    /// session that has not expired (the check answers signed-in users
    /// only), else whether a meeting site already has `subdomain`.
    pub async fn subdomain_check(
        &self,
        session_token: &str,
        subdomain: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<bool>> {
        Ok(sqlx::query_scalar::<_, i64>(&format!(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM meeting_sites WHERE subdomain = $3) THEN 1 ELSE 0 END \
             FROM {}",
            super::users::LIVE_SESSION
        ))
        .bind(crate::server::tokens::hash_token(session_token))
        .bind(ts(now))
        .bind(subdomain)
        .fetch_optional(&self.pool)
        .await?
        .map(|taken| taken == 1))
    }

    /// The day billing started for an order, if it did.
    pub async fn billing_start_date(&self, order_id: &str) -> anyhow::Result<Option<String>> {
        Ok(sqlx::query_scalar::<_, Option<String>>(
            "SELECT billing_start_date FROM orders WHERE id = $1",
        )
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await
        .context("reading when billing started")?
        .flatten())
    }
}

/// The service setup's writes, inside a service's transaction.
impl Write<'_> {
    /// The customer organization of an order, locked for the rest of the
    /// transaction (its settings change one writer at a time); `None`: no
    /// such order, or not set up.
    pub(crate) async fn lock_customer_org(
        &mut self,
        order_id: &str,
    ) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "UPDATE customer_orgs SET id = id \
             WHERE id = (SELECT customer_org_id FROM orders WHERE id = $1) RETURNING id",
        )
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("locking the order's customer organization")
    }

    /// Whether `location` is a saved calling location of `org`.
    pub(crate) async fn location_of(&mut self, org: &str, location: &str) -> anyhow::Result<bool> {
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT id FROM calling_locations WHERE id = $1 AND customer_org_id = $2",
        )
        .bind(location)
        .bind(org)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading a calling location")?
        .is_some())
    }

    /// The calling location an order saved for its organization first, if it
    /// saved one.
    pub(crate) async fn own_location(&mut self, order_id: &str) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT id FROM calling_locations WHERE order_id = $1 ORDER BY created_at, id LIMIT 1",
        )
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading the order's own calling location")
    }

    /// Stores (or replaces) calling location `id` of `org`, saved by
    /// `order_id`.
    pub(crate) async fn put_location(
        &mut self,
        id: &str,
        org: &str,
        order_id: &str,
        s: &CallingSettings,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO calling_locations (id, customer_org_id, order_id, location_name, address, country, \
             time_zone, language, pstn, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (id) DO UPDATE SET location_name = excluded.location_name, \
             address = excluded.address, country = excluded.country, time_zone = excluded.time_zone, \
             language = excluded.language, pstn = excluded.pstn",
        )
        .bind(id)
        .bind(org)
        .bind(order_id)
        .bind(s.location_name.as_str())
        .bind(s.address.as_str())
        .bind(s.country.as_str())
        .bind(s.time_zone.as_str())
        .bind(s.language.code())
        .bind(s.pstn.code())
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await
        .context("saving a calling location")?;
        Ok(())
    }

    /// Gives an order whose billing has not started the calling settings of
    /// saved location `location` (replacing earlier ones); its name, or
    /// `None` (nothing saved) when billing started.
    pub(crate) async fn save_calling(
        &mut self,
        order_id: &str,
        location: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "INSERT INTO calling_settings (order_id, location_id, location_name, address, country, time_zone, \
             language, pstn, updated_at) \
             SELECT $1, l.id, l.location_name, l.address, l.country, l.time_zone, l.language, l.pstn, $3 \
             FROM calling_locations l WHERE l.id = $2 \
             AND NOT EXISTS (SELECT 1 FROM orders WHERE id = $1 AND provisioned_at IS NOT NULL) \
             ON CONFLICT (order_id) DO UPDATE SET location_id = excluded.location_id, \
             location_name = excluded.location_name, \
             address = excluded.address, country = excluded.country, time_zone = excluded.time_zone, \
             language = excluded.language, pstn = excluded.pstn, updated_at = excluded.updated_at \
             RETURNING location_name",
        )
        .bind(order_id)
        .bind(location)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .context("saving calling settings")
    }

    /// The meeting site of `org` reserved by another order than `order_id`,
    /// if there is one.
    pub(crate) async fn org_site(
        &mut self,
        org: &str,
        order_id: &str,
    ) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT subdomain FROM meeting_sites WHERE customer_org_id = $1 AND order_id <> $2 \
             ORDER BY created_at, subdomain LIMIT 1",
        )
        .bind(org)
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("reading the organization's meeting site")
    }

    /// Whether billing started for an order (`None`: no such order).
    pub(crate) async fn provisioned(&mut self, order_id: &str) -> anyhow::Result<Option<bool>> {
        let provisioned: Option<Option<String>> =
            sqlx::query_scalar("SELECT provisioned_at FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_optional(&mut *self.tx)
                .await
                .context("reading whether an order is provisioned")?;
        Ok(provisioned.map(|at| at.is_some()))
    }

    /// Gives the order's meeting site `subdomain` (replacing its earlier
    /// one); `false` when another order's site has it (the database's
    /// uniqueness decides between two at once).
    pub(crate) async fn replace_meeting_site(
        &mut self,
        order_id: &str,
        org: &str,
        subdomain: &Subdomain,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        sqlx::query("DELETE FROM meeting_sites WHERE order_id = $1 AND subdomain <> $2")
            .bind(order_id)
            .bind(subdomain.as_str())
            .execute(&mut *self.tx)
            .await
            .context("removing the earlier meeting site")?;
        let inserted = sqlx::query(
            "INSERT INTO meeting_sites (subdomain, order_id, customer_org_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(subdomain.as_str())
        .bind(order_id)
        .bind(org)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await;
        match inserted {
            Ok(_) => Ok(true),
            Err(err) if is_unique_violation(&err) => Ok(false),
            Err(err) => Err(anyhow::Error::new(err).context("reserving a meeting site")),
        }
    }

    /// Marks the order provisioned with billing from `today`, unless it
    /// already is; its number and subscription when this call did it.
    pub(crate) async fn start_billing(
        &mut self,
        order_id: &str,
        today: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(String, String)>> {
        let updated = sqlx::query(
            "UPDATE orders SET provisioned_at = $1, billing_start_date = $2, provisioned_by_email = $3 \
             WHERE id = $4 AND provisioned_at IS NULL RETURNING order_number, subscription_id",
        )
        .bind(ts(now))
        .bind(today)
        .bind(by)
        .bind(order_id)
        .fetch_optional(&mut *self.tx)
        .await
        .context("starting billing")?;
        Ok(updated.map(|row| (row.get("order_number"), row.get("subscription_id"))))
    }
}
