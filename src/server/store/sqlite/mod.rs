//! SQLite, the embedded engine of `make run`: one file, WAL, a busy timeout
//! and short transactions.

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::{str::FromStr, time::Duration};

pub(crate) type Db = sqlx::Sqlite;
pub(crate) const ENGINE: super::Engine = super::Engine::Sqlite;

// The same implementation is compiled for each engine, on purpose.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod imp;
pub use imp::Store;

/// Opens (creating if needed) the database at `url` and applies migrations.
pub async fn connect(url: &str, secrets: super::sealer::OutboxSecrets) -> anyhow::Result<Store> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("database URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // The database is a file in this process: a connection cannot have
        // been dropped by a network or a server restart, so it is not pinged
        // before each use (the ping was a round trip to the connection's
        // thread on every request, 5 % of the wizard page's time).
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {url}"))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .context("applying migrations")?;
    Ok(Store::from_pool(pool, secrets))
}
