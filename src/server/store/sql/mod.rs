//! The storage implementation, compiled once per engine (`../sqlite`,
//! `../postgres` include this folder): the same statements in the SQL both
//! engines run, with the few differences (how a writing transaction starts and
//! what it locks, how due work is claimed) taken from [`Engine`]. Decisions are
//! not made here: the store reads facts and carries out typed plans.

mod activity;
mod approvals;
mod commit;
mod events;
mod first_password;
mod language;
mod limits;
mod links;
mod members;
mod orders;
mod outbox;
mod pass;
mod people;
mod proofs;
mod queue;
mod service;
mod settings;
mod users;

pub(crate) use super::{Db, ENGINE};
pub(crate) use crate::server::store::{
    Engine, is_unique_violation, new_id, parse_ts, ts, types::*, unexpected,
};
pub(crate) use events::*;
pub(crate) use language::*;
pub(crate) use orders::*;
pub(crate) use outbox::*;

use anyhow::Context;
use chrono::{DateTime, Utc};

/// A connection of this engine.
pub(crate) type Conn = <Db as sqlx::Database>::Connection;
/// A row of this engine.
pub(crate) type DbRow = <Db as sqlx::Database>::Row;
/// A transaction of this engine.
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

/// Handle to one engine's database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: sqlx::Pool<Db>,
    secrets: crate::server::store::sealer::OutboxSecrets,
}

impl Store {
    /// Wraps a pool whose database is migrated.
    pub(crate) fn from_pool(
        pool: sqlx::Pool<Db>,
        secrets: crate::server::store::sealer::OutboxSecrets,
    ) -> Self {
        Store { pool, secrets }
    }

    /// Seals the links of emails this store writes.
    pub(crate) fn sealer(&self) -> &crate::server::store::sealer::Sealer {
        &self.secrets.sealer
    }

    /// What writing emails at `now` with links under `public_url` needs.
    pub(crate) fn mailing<'a>(&'a self, public_url: &'a str, now: DateTime<Utc>) -> Mailing<'a> {
        Mailing {
            sealer: &self.secrets.sealer,
            public_url,
            now,
        }
    }

    /// A transaction that writes. SQLite takes its write lock at BEGIN, so
    /// writers queue; PostgreSQL locks rows as statements touch them, and
    /// [`lock_keys`] where a decision depends on rows not written yet.
    pub(crate) async fn write_tx(&self) -> Result<Tx, sqlx::Error> {
        self.pool.begin_with(ENGINE.begin_write()).await
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Appends an audit entry inside a transaction the caller holds.
    pub(crate) async fn audit(
        tx: &mut Conn,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        order_id: Option<&str>,
        detail: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO audit (at, actor, action, order_id, detail) VALUES ($1, $2, $3, $4, $5)",
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

    /// Appends an audit entry about a partner organization's people (and the
    /// order it came from, if any), inside a transaction the caller holds.
    pub(crate) async fn audit_people(
        tx: &mut Conn,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        partner_org: &str,
        order_id: Option<&str>,
        detail: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO audit (at, actor, action, order_id, partner_org_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(ts(at))
        .bind(actor)
        .bind(action)
        .bind(order_id)
        .bind(partner_org)
        .bind(detail)
        .execute(&mut *tx)
        .await
        .context("writing an audit entry about people")?;
        Ok(())
    }

    /// Appends one audit entry per `(order id, detail)` in one statement.
    pub(crate) async fn audit_all(
        tx: &mut Conn,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        entries: &[(String, String)],
    ) -> anyhow::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let at = ts(at);
        let mut insert = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO audit (at, actor, action, order_id, detail) ",
        );
        insert.push_values(entries, |mut row, (order_id, detail)| {
            row.push_bind(at.clone())
                .push_bind(actor.to_string())
                .push_bind(action.to_string())
                .push_bind(order_id.clone())
                .push_bind(detail.clone());
        });
        insert
            .build()
            .execute(&mut *tx)
            .await
            .context("writing audit entries")?;
        Ok(())
    }
}

/// What writing an email needs besides its words: the sealer for its link,
/// the absolute base of links, and the time.
#[derive(Clone, Copy)]
pub(crate) struct Mailing<'a> {
    pub sealer: &'a crate::server::store::sealer::Sealer,
    pub public_url: &'a str,
    pub now: DateTime<Utc>,
}

/// Serialises transactions that decide on the same `keys` (addresses, a
/// partner), until the caller's transaction ends. On PostgreSQL these are
/// transaction-scoped advisory locks, taken in a fixed order so two
/// transactions cannot deadlock; SQLite's writers are serialised already.
pub(crate) async fn lock_keys(conn: &mut Conn, keys: &mut Vec<String>) -> anyhow::Result<()> {
    if ENGINE != Engine::Postgres {
        return Ok(());
    }
    keys.sort();
    keys.dedup();
    for key in keys.iter() {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(key)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("locking {key}"))?;
    }
    Ok(())
}
