//! The service setup wizard's storage.

use super::record_event;
use super::{Store, is_unique_violation, ts, unexpected};
use crate::domain::{Subdomain, default_time_zone};
use crate::error::{AppError, Refusal};
use crate::model::service::{CallingInput, CallingSettings, ServiceView};
use crate::server::mail;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// The order as the service wizard shows it.
    pub async fn service_view(&self, order_id: &str) -> Result<ServiceView, AppError> {
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
        .map_err(unexpected)?
        .ok_or(AppError::NotFound)?;
        let services = super::orders::services_of(&self.pool, order_id)
            .await
            .map_err(unexpected)?;
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
        Ok(ServiceView {
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
        })
    }

    /// Saves (or replaces) the calling settings of an order, until billing
    /// started; `by` is the person, for the audit.
    pub async fn save_calling(
        &self,
        order_id: &str,
        s: &CallingSettings,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
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
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        if saved.rows_affected() == 0 {
            return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        }
        Store::audit(
            &mut tx,
            now,
            by,
            "calling_settings_saved",
            Some(order_id),
            s.location_name.as_str(),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(())
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

    /// Reserves `subdomain` for the order's meeting site (replacing its earlier
    /// one); the database's uniqueness decides between two at once.
    pub async fn reserve_subdomain(
        &self,
        order_id: &str,
        subdomain: &Subdomain,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let provisioned: Option<Option<String>> =
            sqlx::query_scalar("SELECT provisioned_at FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(unexpected)?;
        if matches!(provisioned, Some(Some(_))) {
            return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        }
        sqlx::query("DELETE FROM meeting_sites WHERE order_id = $1 AND subdomain <> $2")
            .bind(order_id)
            .bind(subdomain.as_str())
            .execute(&mut *tx)
            .await
            .map_err(unexpected)?;
        let inserted = sqlx::query(
            "INSERT INTO meeting_sites (subdomain, order_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(subdomain.as_str())
        .bind(order_id)
        .bind(ts(now))
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(err) if is_unique_violation(&err) => {
                return Err(AppError::Refused(Refusal::SubdomainTaken));
            }
            Err(err) => return Err(unexpected(err)),
        }
        Store::audit(
            &mut tx,
            now,
            by,
            "subdomain_reserved",
            Some(order_id),
            subdomain.as_str(),
        )
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(())
    }

    /// Provisions the order and starts billing, once: a repeated call answers
    /// with the first billing date and sends no second email.
    pub async fn provision(
        &self,
        order_id: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let view = self.service_view(order_id).await?;
        if let Some(date) = view.ready_to_provision()? {
            return Ok(date.to_string());
        }
        let today = now.date_naive().to_string();
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let updated = sqlx::query(
            "UPDATE orders SET provisioned_at = $1, billing_start_date = $2, provisioned_by_email = $3 \
             WHERE id = $4 AND provisioned_at IS NULL RETURNING order_number, subscription_id",
        )
        .bind(ts(now))
        .bind(&today)
        .bind(by)
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(unexpected)?;
        let Some(row) = updated else {
            drop(tx);
            let date: Option<String> =
                sqlx::query_scalar("SELECT billing_start_date FROM orders WHERE id = $1")
                    .bind(order_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(unexpected)?;
            return date.ok_or(AppError::Unexpected);
        };
        let locale = super::order_mail(&mut tx, order_id, by)
            .await
            .map_err(unexpected)?
            .locale;
        let email = mail::billing_started(
            locale,
            by,
            row.get::<&str, _>("order_number"),
            row.get::<&str, _>("subscription_id"),
            &today,
        );
        super::enqueue(
            &mut tx,
            self.sealer(),
            &format!("billing_started:{order_id}"),
            Some(order_id),
            &email,
            now,
        )
        .await
        .map_err(unexpected)?;
        record_event(&mut tx, order_id, "order.provisioned", now)
            .await
            .map_err(unexpected)?;
        Store::audit(&mut tx, now, by, "billing_started", Some(order_id), &today)
            .await
            .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        Ok(today)
    }
}
