//! The storage boundary. Callers speak in domain terms and typed plans; SQL
//! stays below this module.
//!
//! Two engines behind one store, picked from the database URL: SQLite,
//! embedded, for `make run` and single instances; PostgreSQL for several
//! instances on one database. Both run the same statements (`sql/`, through
//! sqlx's `Any` driver), each engine with its own migrations; what differs
//! between them is [`Engine`] and how each is opened (`open.rs`). Times are
//! RFC 3339 UTC text, so text order is time order on both.

mod open;
pub mod sealer;
mod sql;
mod types;

pub use sql::{Store, TwoStepRecord, Write};
pub use types::*;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};

/// Which engine a store runs on, and what differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// How a transaction that writes begins. SQLite takes its write lock at
    /// once, so two writers queue (busy timeout) instead of one failing when
    /// it upgrades a read to a write.
    pub const fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }

    /// Ends a SELECT whose rows the transaction will update: PostgreSQL locks
    /// them; SQLite's writing transactions hold the whole database already.
    pub const fn for_update(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Ends the subquery that claims due rows: on PostgreSQL rows another
    /// instance is claiming are skipped, not waited for.
    pub const fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
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

/// Whether a database error is a violated UNIQUE or PRIMARY KEY constraint,
/// judged by the engine's error code (SQLSTATE 23505 on PostgreSQL), not by
/// the message text.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.kind() == sqlx::error::ErrorKind::UniqueViolation,
        _ => false,
    }
}
