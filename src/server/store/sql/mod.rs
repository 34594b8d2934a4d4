//! The storage implementation: the same statements in the SQL both engines
//! run (through sqlx's `Any` driver), with the few differences (how a writing
//! transaction starts and what it locks, how due work is claimed) taken from
//! [`Engine`].

mod activity;
mod approvals;
mod commit;
mod customers;
mod events;
mod first_password;
mod language;
mod limits;
mod links;
mod members;
mod operations;
mod orders;
mod outbox;
mod pass;
mod people;
mod proofs;
mod queue;
mod service;
mod settings;
mod two_step;
mod users;

pub(crate) use crate::server::store::{
    Engine, is_unique_violation, new_id, parse_ts, ts, types::*,
};
pub(crate) use events::*;
pub(crate) use language::*;
pub(crate) use orders::*;
pub(crate) use outbox::*;
pub use two_step::TwoStepRecord;

use anyhow::Context;
use chrono::{DateTime, Utc};

/// The database the statements run on: either engine, through sqlx's
/// `Any` driver.
pub(crate) type Db = sqlx::Any;
/// A connection.
pub(crate) type Conn = sqlx::AnyConnection;
/// A row.
pub(crate) type DbRow = sqlx::any::AnyRow;
/// A transaction.
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

/// The engine a connection runs on.
pub(crate) fn engine_of(conn: &Conn) -> Engine {
    if conn.backend_name() == "PostgreSQL" {
        Engine::Postgres
    } else {
        Engine::Sqlite
    }
}

/// Reads a yes/no column, which the statements write as 0 or 1 (`CASE WHEN
/// … THEN 1 ELSE 0 END`), the one form both engines return alike.
pub(crate) fn flag(row: &DbRow, column: &str) -> anyhow::Result<bool> {
    use sqlx::Row;
    Ok(row
        .try_get::<Option<i64>, _>(column)
        .with_context(|| format!("reading {column}"))?
        .is_some_and(|value| value != 0))
}

/// The text and arguments of a statement built piece by piece (lists,
/// rows), its placeholders as `engine` reads them: the `Any` driver's
/// builder writes `?`, which PostgreSQL does not read, so there they become
/// `$1`, `$2`, …; SQLite keeps the anonymous `?` (sqlx looks up the name of
/// every numbered parameter by a scan of the statement's list, so a batch of
/// thousands of values cost half of a scheduler pass). Run it with
/// `sqlx::query_with(&sql, arguments)`.
pub(crate) fn numbered<'q>(
    builder: &'q mut sqlx::QueryBuilder<'_, Db>,
    engine: Engine,
) -> anyhow::Result<(String, sqlx::any::AnyArguments<'q>)> {
    use sqlx::Execute;
    let mut query = builder.build();
    let arguments = query
        .take_arguments()
        .map_err(|err| anyhow::anyhow!("binding a statement's values: {err}"))?
        .unwrap_or_default();
    let sql = match engine {
        Engine::Postgres => number_placeholders(query.sql()),
        Engine::Sqlite => query.sql().to_string(),
    };
    Ok((sql, arguments))
}

/// `?` outside quoted text becomes `$1`, `$2`, … in order.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut quoted, mut n) = (false, 0);
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: sqlx::Pool<Db>,
    engine: Engine,
    secrets: crate::server::store::sealer::OutboxSecrets,
    sessions: super::SessionLifetimes,
}

impl Store {
    /// Wraps a pool whose database is migrated.
    pub(crate) fn from_pool(
        pool: sqlx::Pool<Db>,
        engine: Engine,
        secrets: crate::server::store::sealer::OutboxSecrets,
    ) -> Self {
        Store {
            pool,
            engine,
            secrets,
            sessions: super::SessionLifetimes::default(),
        }
    }

    /// The same store, with sessions lasting as `lifetimes` says.
    pub fn with_session_lifetimes(mut self, lifetimes: super::SessionLifetimes) -> Self {
        self.sessions = lifetimes;
        self
    }

    /// How long sessions last.
    pub fn session_lifetimes(&self) -> super::SessionLifetimes {
        self.sessions
    }

    /// The most connections its pool opens.
    pub fn pool_size(&self) -> u32 {
        self.pool.options().get_max_connections()
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Seals the links of emails this store writes.
    pub(crate) fn sealer(&self) -> &crate::server::store::sealer::Sealer {
        &self.secrets.sealer
    }

    /// A transaction that writes. SQLite takes its write lock at BEGIN, so
    /// writers queue; PostgreSQL locks rows as statements touch them, and
    /// [`lock_keys`] where a decision depends on rows not written yet.
    pub(crate) async fn write_tx(&self) -> Result<Tx, sqlx::Error> {
        self.pool.begin_with(self.engine.begin_write()).await
    }

    /// Closes the pool: every later query fails (an instance stopping, or a
    /// test standing in for a database that is down).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
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
        let (sql, arguments) = numbered(&mut insert, engine_of(&*tx))?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *tx)
            .await
            .context("writing audit entries")?;
        Ok(())
    }
}

/// Appends an audit entry inside a transaction the caller holds: who did
/// what, about an order and, for its people, a partner organization.
pub(crate) async fn insert_audit(
    conn: &mut Conn,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    order_id: Option<&str>,
    partner_org: Option<&str>,
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
    .execute(&mut *conn)
    .await
    .context("writing an audit entry")?;
    Ok(())
}

/// A transaction that writes, held by the service that decides
/// (`server/services/`): what storage reads and writes inside it are its
/// methods, each in the file of its area. Dropped without [`Write::commit`],
/// nothing it wrote is kept.
pub struct Write<'s> {
    pub(crate) store: &'s Store,
    pub(crate) tx: Tx,
}

impl Store {
    /// Begins a transaction that writes (see [`Store::write_tx`]).
    pub(crate) async fn write(&self) -> anyhow::Result<Write<'_>> {
        Ok(Write {
            store: self,
            tx: self.write_tx().await.context("beginning a transaction")?,
        })
    }
}

impl Write<'_> {
    /// Keeps what the transaction wrote.
    pub(crate) async fn commit(self) -> anyhow::Result<()> {
        self.tx.commit().await.context("committing")
    }

    /// Appends an audit entry.
    pub(crate) async fn audit(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        order_id: Option<&str>,
        detail: &str,
    ) -> anyhow::Result<()> {
        insert_audit(&mut self.tx, at, actor, action, order_id, None, detail).await
    }

    /// Puts an email in the outbox, once per `dedupe_key`; whether it was new.
    pub(crate) async fn email(
        &mut self,
        dedupe_key: &str,
        order_id: Option<&str>,
        email: &crate::server::mail::Email,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        enqueue(
            &mut self.tx,
            self.store.sealer(),
            dedupe_key,
            order_id,
            email,
            now,
        )
        .await
    }

    /// Records a status event of an order for the commerce system.
    pub(crate) async fn event(
        &mut self,
        order_id: &str,
        kind: &'static str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        events::record_event(&mut self.tx, order_id, kind, now).await
    }

    /// What an email about an order says of it, in `to`'s language.
    pub(crate) async fn order_mail(
        &mut self,
        order_id: &str,
        to: &str,
    ) -> anyhow::Result<crate::server::mail::OrderMail> {
        order_mail(&mut self.tx, order_id, to).await
    }
}

/// Serialises transactions that decide on the same `keys` (addresses, a
/// partner), until the caller's transaction ends. On PostgreSQL these are
/// transaction-scoped advisory locks, taken in a fixed order so two
/// transactions cannot deadlock; SQLite's writers are serialised already.
pub(crate) async fn lock_keys(conn: &mut Conn, keys: &mut Vec<String>) -> anyhow::Result<()> {
    if engine_of(conn) != Engine::Postgres {
        return Ok(());
    }
    keys.sort();
    keys.dedup();
    for key in keys.iter() {
        // Counted, so that no row of the lock function's type `void` (which
        // the `Any` driver cannot read) comes back.
        sqlx::query(
            "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS l",
        )
        .bind(key)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("locking {key}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_outside_quoted_text() {
        assert_eq!(
            super::number_placeholders("SELECT '?' WHERE a = ? AND b IN (?, ?)"),
            "SELECT '?' WHERE a = $1 AND b IN ($2, $3)"
        );
    }

    /// SQLite keeps anonymous placeholders: sqlx binds those in order
    /// without looking up each one's name.
    #[test]
    fn each_engine_reads_its_own_placeholders() {
        let built = |engine| {
            let mut builder = sqlx::QueryBuilder::<super::Db>::new("SELECT 1 WHERE a IN (");
            let mut list = builder.separated(", ");
            list.push_bind(1_i64).push_bind(2_i64);
            builder.push(")");
            super::numbered(&mut builder, engine).unwrap().0
        };
        assert_eq!(built(super::Engine::Sqlite), "SELECT 1 WHERE a IN (?, ?)");
        assert_eq!(
            built(super::Engine::Postgres),
            "SELECT 1 WHERE a IN ($1, $2)"
        );
    }
}
