//! The storage boundary. Callers speak in domain terms; SQL stays in this module.
//!
//! SQLite is the embedded engine (WAL, busy timeout, short transactions). The
//! schema and queries keep to what PostgreSQL also runs (text times, `RETURNING`,
//! partial indexes), so a second backend can live behind the same methods.

mod approvals;
mod commit;
mod limits;
mod links;
mod orders;
mod outbox;
mod people;
mod service;
mod users;

pub use approvals::*;
pub use links::*;
pub use orders::*;
pub use outbox::*;
pub use users::*;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// Formats an instant the way every table stores it.
pub(crate) fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored instant.
pub(crate) fn parse_ts(text: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .with_context(|| format!("stored time {text:?}"))?
        .with_timezone(&Utc))
}

/// A new random identifier.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Logs the cause and returns the opaque error the browser sees.
pub(crate) fn unexpected<E: Into<anyhow::Error>>(err: E) -> crate::error::AppError {
    crate::error::AppError::unexpected(err)
}

/// Whether a database error is a violated UNIQUE or PRIMARY KEY constraint,
/// judged by the engine's error code, not by the message text.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.kind() == sqlx::error::ErrorKind::UniqueViolation,
        _ => false,
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("database URL {url:?}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {url}"))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("applying migrations")?;
        Ok(Store { pool })
    }

    /// A transaction that writes: SQLite takes its write lock at BEGIN, so two
    /// writers queue (busy timeout) instead of one failing when it upgrades a
    /// read to a write.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Appends an audit entry inside a transaction the caller holds.
    pub(crate) async fn audit(
        tx: &mut sqlx::SqliteConnection,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        order_id: Option<&str>,
        detail: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO audit (at, actor, action, order_id, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(ts(at))
        .bind(actor)
        .bind(action)
        .bind(order_id)
        .bind(detail)
        .execute(&mut *tx)
        .await
        .context("writing audit entry")?;
        Ok(())
    }
}
