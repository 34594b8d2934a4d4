//! Opening each engine: the pool, the settings of each connection, the
//! migrations. The one place besides [`Engine`] where the engines differ.
//!
//! - SQLite, the embedded engine of `make run`: one file, WAL, a busy
//!   timeout and short transactions.
//! - PostgreSQL, the engine for several instances: due work is claimed with
//!   `FOR UPDATE SKIP LOCKED`, decisions on rows not yet written take
//!   advisory locks, and migrations run under the migrator's own lock, so
//!   instances may start together.

use super::{Engine, Store, sealer::OutboxSecrets};
use anyhow::Context;
use sqlx::Executor;
use sqlx::any::AnyPoolOptions;
use std::time::Duration;

impl Store {
    /// Opens the database a URL names (`sqlite://…` or `postgres://…`) and
    /// applies that engine's migrations; stored email links are sealed as
    /// `secrets` says; with at most `pool_size` connections (default 16 on
    /// PostgreSQL, 8 on SQLite).
    pub async fn connect(
        url: &str,
        secrets: OutboxSecrets,
        pool_size: Option<u32>,
    ) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            postgres(url, secrets, pool_size.unwrap_or(16)).await
        } else if url.starts_with("sqlite:") {
            sqlite(url, secrets, pool_size.unwrap_or(8)).await
        } else {
            anyhow::bail!("SETUP_NOW_DATABASE_URL must start with sqlite:// or postgres://")
        }
    }
}

/// Opens (creating if needed) the SQLite database at `url`.
async fn sqlite(url: &str, secrets: OutboxSecrets, pool_size: u32) -> anyhow::Result<Store> {
    // The file is created when it is missing.
    let url = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = AnyPoolOptions::new()
        .max_connections(pool_size)
        // The database is a file in this process: a connection cannot have
        // been dropped by a network or a server restart, so it is not pinged
        // before each use (the ping was a round trip to the connection's
        // thread on every request, 5 % of the wizard page's time).
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                )
                .await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .with_context(|| format!("opening {url}"))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .context("applying migrations")?;
    Ok(Store::from_pool(pool, Engine::Sqlite, secrets))
}

/// Connects to the PostgreSQL database at `url`.
async fn postgres(url: &str, secrets: OutboxSecrets, pool_size: u32) -> anyhow::Result<Store> {
    let pool = AnyPoolOptions::new()
        .max_connections(pool_size)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .with_context(|| format!("opening {}", redacted(url)))?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .context("applying migrations")?;
    Ok(Store::from_pool(pool, Engine::Postgres, secrets))
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
