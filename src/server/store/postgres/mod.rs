//! PostgreSQL, the engine for several instances: due work is claimed with
//! `FOR UPDATE SKIP LOCKED`, decisions on rows not yet written take advisory
//! locks, and migrations run under the migrator's own lock, so instances may
//! start together.

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::{str::FromStr, time::Duration};

pub(crate) type Db = sqlx::Postgres;
pub(crate) const ENGINE: super::Engine = super::Engine::Postgres;

// The same implementation is compiled for each engine, on purpose.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod imp;
pub use imp::Store;

/// Connects to the database at `url` and applies migrations.
pub async fn connect(url: &str, secrets: super::sealer::OutboxSecrets) -> anyhow::Result<Store> {
    let options = PgConnectOptions::from_str(url)
        .with_context(|| format!("database URL {}", redacted(url)))?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", redacted(url)))?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .context("applying migrations")?;
    Ok(Store::from_pool(pool, secrets))
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
