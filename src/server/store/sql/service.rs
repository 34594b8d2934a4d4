//! The service setup wizard's storage.

use super::{Store, Write, is_unique_violation, ts};
use crate::domain::{Subdomain, default_time_zone};
use crate::model::service::{CallingInput, CallingSettings, ServiceView};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// The order as the service wizard shows it (`None`: no such order set
    /// up).
    pub async fn service_view(&self, order_id: &str) -> anyhow::Result<Option<ServiceView>> {
        let row = sqlx::query(
            "SELECT o.*, c.name AS c_name, c.country AS c_country, c.address AS c_address, \
             cs.location_name, cs.address AS cs_address, cs.country AS cs_country, cs.time_zone, cs.language, cs.pstn, \
             (SELECT subdomain FROM meeting_sites m WHERE m.order_id = o.id) AS subdomain \
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
        let saved: Option<String> = row.get("location_name");
        let customer_country: String = row.get("c_country");
        let calling = match saved {
            Some(location_name) => CallingInput {
                location_name,
                address: row.get("cs_address"),
                country: row.get("cs_country"),
                time_zone: row.get("time_zone"),
                language: row.get("language"),
                pstn: row.get("pstn"),
            },
            None => CallingInput {
                location_name: String::new(),
                address: row.get("c_address"),
                time_zone: crate::domain::Country::parse(&customer_country)
                    .map(|c| default_time_zone(&c).to_string())
                    .unwrap_or_else(|_| "UTC".into()),
                country: customer_country,
                language: if row.get::<&str, _>("c_country") == "CZ" {
                    "cs_CZ".into()
                } else {
                    "en_US".into()
                },
                pstn: String::new(),
            },
        };
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
            subdomain: row.get("subdomain"),
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
    /// Saves (or replaces) the calling settings of an order whose billing has
    /// not started; `false` (nothing saved) when it has.
    pub(crate) async fn save_calling(
        &mut self,
        order_id: &str,
        s: &CallingSettings,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let saved = sqlx::query(
            "INSERT INTO calling_settings (order_id, location_name, address, country, time_zone, language, pstn, updated_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = $1 AND provisioned_at IS NOT NULL) \
             ON CONFLICT (order_id) DO UPDATE SET location_name = excluded.location_name, \
             address = excluded.address, country = excluded.country, time_zone = excluded.time_zone, \
             language = excluded.language, pstn = excluded.pstn, updated_at = excluded.updated_at",
        )
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
        .context("saving calling settings")?;
        Ok(saved.rows_affected() == 1)
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
            "INSERT INTO meeting_sites (subdomain, order_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(subdomain.as_str())
        .bind(order_id)
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
