//! Rate limits kept in the database, so every instance counts the same hits:
//! a fixed window per key, counted and checked in one statement.

#[allow(unused_imports)]
use super::*;

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

    /// Forgets windows that ended more than a day ago.
    pub async fn purge_rate_limits(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(ts(now - Duration::days(1)))
            .execute(&self.pool)
            .await
            .context("purging rate limits")?;
        Ok(done.rows_affected())
    }
}
