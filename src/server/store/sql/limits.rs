//! Rate limits kept in the database, so every instance counts the same hits:
//! a fixed window per key, counted and checked in one statement.

use super::{KNOWN_NETWORK_DAYS, RETENTION_DAYS};
use super::{Store, parse_ts, ts};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

impl Store {
    /// Counts one hit under `key`; `Ok(None)` while at most `max` hits fell in
    /// the current `window`, else how long until the window ends.
    pub async fn hit_rate_limit(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
        max: i64,
    ) -> anyhow::Result<Option<Duration>> {
        let row = sqlx::query(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
               window_start = CASE WHEN rate_limits.window_start <= $4 THEN excluded.window_start \
                                   ELSE rate_limits.window_start END \
             RETURNING hits, window_start",
        )
        .bind(key)
        .bind(ts(now))
        .bind(ts(now - window))
        .bind(ts(now - window))
        .fetch_one(&self.pool)
        .await
        .context("counting a rate-limited hit")?;
        let hits: i64 = row.get("hits");
        if hits <= max {
            return Ok(None);
        }
        let started = parse_ts(row.get("window_start"))?;
        Ok(Some((started + window - now).max(Duration::seconds(1))))
    }

    /// Deletes what has served its time (SECURITY.md lists the periods):
    /// ended sessions, rate-limit windows and sign-in counters idle for a
    /// day, used or expired password links after 30 days, audit entries and
    /// sent emails after 400 days; verification codes a day after they
    /// expired (a proof lasts a day), invitations a month after, networks an
    /// account last signed in from after 90 days. Returns how many rows went.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let day = ts(now - Duration::days(1));
        let month = ts(now - Duration::days(30));
        let retention = ts(now - Duration::days(RETENTION_DAYS));
        let statements: [(&str, Vec<String>); 9] = [
            (
                "DELETE FROM email_proofs WHERE expires_at < $1",
                vec![day.clone()],
            ),
            (
                "DELETE FROM invitations WHERE expires_at < $1",
                vec![month.clone()],
            ),
            (
                "DELETE FROM known_networks WHERE last_success < $1",
                vec![ts(now - Duration::days(KNOWN_NETWORK_DAYS))],
            ),
            ("DELETE FROM sessions WHERE expires_at < $1", vec![ts(now)]),
            (
                "DELETE FROM rate_limits WHERE window_start < $1",
                vec![day.clone()],
            ),
            (
                "DELETE FROM sign_in_failures WHERE last_failure < $1 \
                 AND (blocked_until IS NULL OR blocked_until < $2)",
                vec![day, ts(now)],
            ),
            (
                "DELETE FROM password_resets WHERE (used_at IS NOT NULL AND used_at < $1) OR expires_at < $1",
                vec![month],
            ),
            ("DELETE FROM audit WHERE at < $1", vec![retention.clone()]),
            (
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1",
                vec![retention],
            ),
        ];
        let mut purged = 0;
        for (sql, binds) in statements {
            let mut query = sqlx::query(sql);
            for value in binds {
                query = query.bind(value);
            }
            purged += query
                .execute(&self.pool)
                .await
                .with_context(|| format!("purging: {sql}"))?
                .rows_affected();
        }
        Ok(purged)
    }
}
