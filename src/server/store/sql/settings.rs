//! Settings every instance must agree on; today only the development
//! clock's frozen instant.

use super::{Store, parse_ts, ts};
use anyhow::Context;
use chrono::{DateTime, Utc};

const FROZEN_CLOCK: &str = "frozen_clock";

impl Store {
    /// The instant the development clock is frozen at, if it is.
    pub async fn frozen_clock(&self) -> anyhow::Result<Option<DateTime<Utc>>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(FROZEN_CLOCK)
            .fetch_optional(&self.pool)
            .await
            .context("reading the frozen clock")?;
        value.as_deref().map(parse_ts).transpose()
    }

    /// Freezes the development clock at `at`, or lets it run with `None`.
    pub async fn set_frozen_clock(&self, at: Option<DateTime<Utc>>) -> anyhow::Result<()> {
        match at {
            Some(at) => sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(FROZEN_CLOCK)
            .bind(ts(at)),
            None => sqlx::query("DELETE FROM settings WHERE key = $1").bind(FROZEN_CLOCK),
        }
        .execute(&self.pool)
        .await
        .context("setting the frozen clock")?;
        Ok(())
    }
}
