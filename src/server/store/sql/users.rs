//! Users, sessions, password resets and the record of failed sign-ins, and
//! the facts about orders that access is decided on.

use super::{Db, DbRow, KNOWN_NETWORK_DAYS, OrderAccess, Session, SessionUser};
use super::{Store, Write, parse_ts, ts};
use crate::model::setup::SetupMode;
use crate::server::throttle;
use crate::server::tokens;
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The session whose secret hashes to `$1` and that has not expired at `$2`,
/// with its user (`s`, `u`): what every signed-in request is checked against.
pub(crate) const LIVE_SESSION: &str =
    "sessions s JOIN users u ON u.id = s.user_id AND s.token_hash = $1 AND s.expires_at > $2";

const USER_COLUMNS: &str = "u.id, u.email, u.partner_org_id, p.party_id, u.customer_org_id, u.role";

fn user_from_row(r: &DbRow) -> SessionUser {
    SessionUser {
        user_id: r.get("id"),
        email: r.get("email"),
        partner_org_id: r.get("partner_org_id"),
        partner_party_id: r.get("party_id"),
        customer_org_id: r.get("customer_org_id"),
        // A role this build does not know grants the least.
        role: crate::domain::Role::from_code(r.get("role")).unwrap_or(crate::domain::Role::Guest),
    }
}

impl Store {
    /// Starts a session; returns the secret for the cookie.
    pub async fn create_session(
        &self,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let (token, hash) = tokens::new_token()?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&hash)
            .bind(user_id)
            .bind(ts(now))
            .bind(ts(now + self.sessions.idle.min(self.sessions.absolute)))
            .execute(&self.pool)
            .await
            .context("creating a session")?;
        Ok(token)
    }

    /// The user of a session that has not expired (see [`Store::session`]).
    pub async fn session_user(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<SessionUser>> {
        Ok(self.session(token, now).await?.map(|s| s.user))
    }

    /// A session that has not expired, with its user. Being used keeps it
    /// alive for the idle lifetime again, never past its absolute end (the
    /// new end is written at most once a minute).
    pub async fn session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Session>> {
        let hash = tokens::hash_token(token);
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.created_at AS session_created, s.expires_at AS session_ends, \
             CASE WHEN p.require_two_step = 1 AND u.totp_secret IS NULL THEN 1 ELSE 0 END \
             AS two_step_missing \
             FROM {LIVE_SESSION} LEFT JOIN partner_orgs p ON p.id = u.partner_org_id"
        ))
        .bind(&hash)
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await
        .context("reading a session")?;
        let Some(row) = row else {
            return Ok(None);
        };
        let created = parse_ts(row.get("session_created"))?;
        let ends = parse_ts(row.get("session_ends"))?;
        let new_end = (now + self.sessions.idle).min(created + self.sessions.absolute);
        if new_end - ends > chrono::Duration::minutes(1) {
            sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                .bind(ts(new_end))
                .bind(&hash)
                .execute(&self.pool)
                .await
                .context("keeping a session alive")?;
        }
        Ok(Some(Session {
            user: user_from_row(&row),
            two_step_missing: super::flag(&row, "two_step_missing")?,
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(tokens::hash_token(token))
            .execute(&self.pool)
            .await
            .context("ending a session")?;
        Ok(())
    }

    /// The id and password hash of the user with this address, if any.
    pub async fn password_of(
        &self,
        email: &str,
    ) -> anyhow::Result<Option<(String, Option<String>)>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .context("looking up a user")?;
        Ok(row.map(|r| (r.get("id"), r.get("password_hash"))))
    }

    /// Counts a sign-in attempt under `key` before its password is checked,
    /// unless the key must wait: then how long. One transaction per key, the
    /// row locked, so parallel attempts are counted one after the other.
    pub async fn reserve_attempt(
        &self,
        key: &str,
        now: DateTime<Utc>,
        policy: throttle::Policy,
    ) -> anyhow::Result<Option<chrono::Duration>> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO sign_in_failures (key, failures, last_failure) VALUES ($1, 0, $2) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind("1970-01-01T00:00:00.000000Z")
        .execute(&mut *tx)
        .await
        .context("counting a sign-in")?;
        let row = sqlx::query(&format!(
            "SELECT failures, last_failure, blocked_until FROM sign_in_failures WHERE key = $1{}",
            self.engine.for_update()
        ))
        .bind(key)
        .fetch_one(&mut *tx)
        .await
        .context("reading a sign-in counter")?;
        let counter = throttle::Counter {
            attempts: row.get("failures"),
            last_attempt: Some(parse_ts(row.get("last_failure"))?),
            blocked_until: row
                .get::<Option<String>, _>("blocked_until")
                .as_deref()
                .map(parse_ts)
                .transpose()?,
        };
        match throttle::attempt(counter, now, policy) {
            throttle::Verdict::Wait(wait) => Ok(Some(wait)),
            throttle::Verdict::Go(next) => {
                sqlx::query(
                    "UPDATE sign_in_failures SET failures = $1, last_failure = $2, blocked_until = $3 WHERE key = $4",
                )
                .bind(next.attempts)
                .bind(ts(now))
                .bind(next.blocked_until.map(ts))
                .bind(key)
                .execute(&mut *tx)
                .await
                .context("counting a sign-in")?;
                tx.commit().await?;
                Ok(None)
            }
        }
    }

    /// How long attempts under `key` must still wait, without counting one.
    pub async fn attempt_hold(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<chrono::Duration>> {
        let until: Option<Option<String>> =
            sqlx::query_scalar("SELECT blocked_until FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .context("reading an attempt counter")?;
        Ok(until
            .flatten()
            .as_deref()
            .map(parse_ts)
            .transpose()?
            .filter(|until| *until > now)
            .map(|until| until - now))
    }

    /// Whether the account under `key` signed in from `network` within the
    /// last [`KNOWN_NETWORK_DAYS`] days.
    pub async fn known_network(
        &self,
        key: &str,
        network: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let known: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM known_networks WHERE account_key = $1 \
             AND network = $2 AND last_success > $3) THEN 1 ELSE 0 END",
        )
        .bind(key)
        .bind(network)
        .bind(ts(now - chrono::Duration::days(KNOWN_NETWORK_DAYS)))
        .fetch_one(&self.pool)
        .await?;
        Ok(known == 1)
    }

    /// Remembers that the account under `key` signed in from `network`.
    pub async fn remember_network(
        &self,
        key: &str,
        network: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO known_networks (account_key, network, last_success) VALUES ($1, $2, $3) \
             ON CONFLICT (account_key, network) DO UPDATE SET last_success = excluded.last_success",
        )
        .bind(key)
        .bind(network)
        .bind(ts(now))
        .execute(&self.pool)
        .await
        .context("remembering a network")?;
        Ok(())
    }

    /// Forgets failures under `key` after a successful sign-in.
    pub async fn clear_failures(&self, key: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

pub(crate) const ACCESS_COLUMNS: &str = "o.partner_party_id, o.partner_org_id, o.customer_org_id, \
     o.setup_mode, o.setup_at, o.customer_confirmed_at, o.closed_at, o.setup_by_email";

pub(crate) fn access_from_row(row: &DbRow) -> anyhow::Result<OrderAccess> {
    Ok(OrderAccess {
        partner_party_id: row.try_get("partner_party_id")?,
        partner_org_id: row.try_get("partner_org_id")?,
        customer_org_id: row.try_get("customer_org_id")?,
        mode: row
            .try_get::<Option<String>, _>("setup_mode")?
            .as_deref()
            .and_then(SetupMode::parse),
        set_up: row.try_get::<Option<String>, _>("setup_at")?.is_some(),
        customer_confirmed: row
            .try_get::<Option<String>, _>("customer_confirmed_at")?
            .is_some(),
        closed: row.try_get::<Option<String>, _>("closed_at")?.is_some(),
        setup_by: row.try_get("setup_by_email")?,
    })
}

impl Store {
    /// The user with this address, if any.
    pub async fn user_by_email(&self, email: &str) -> anyhow::Result<Option<SessionUser>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN partner_orgs p ON p.id = u.partner_org_id WHERE u.email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await
        .context("looking up a user")?;
        Ok(row.as_ref().map(user_from_row))
    }

    /// The facts access to an order is decided on.
    pub async fn order_access(&self, order_id: &str) -> anyhow::Result<Option<OrderAccess>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCESS_COLUMNS} FROM orders o WHERE o.id = $1"
        ))
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await
        .context("loading an order's access facts")?;
        row.as_ref().map(access_from_row).transpose()
    }

    /// One page of the orders `user` may see in the hub, by customer
    /// organization, and how many match `filter` on all pages. The scope is
    /// the one `access::decide` allows to view (the caller decides again).
    pub async fn hub_page(
        &self,
        user: &SessionUser,
        filter: &crate::model::hub::HubFilter,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(
        Vec<(String, crate::model::orders::OrderSummary, OrderAccess)>,
        u64,
    )> {
        let (scope, id) = match (&user.partner_party_id, &user.customer_org_id) {
            (Some(party), _) => ("o.partner_party_id = ", party),
            (None, Some(customer)) => ("o.customer_org_id = ", customer),
            (None, None) => return Ok((Vec::new(), 0)),
        };
        // The same conditions for the count and the page.
        let guest = user.partner_org_id.is_some() && user.role == crate::domain::Role::Guest;
        let conditions = |query: &mut sqlx::QueryBuilder<'_, Db>| {
            query.push(" WHERE ").push(scope).push_bind(id.clone());
            if guest {
                // A guest sees the orders they set up, nothing else.
                query
                    .push(" AND o.setup_by_email = ")
                    .push_bind(user.email.clone());
            }
            if let Some(status) = filter.status {
                query.push(" AND ");
                super::orders::push_status_condition(query, status, now);
            }
            if !filter.search.is_empty() {
                // Case-insensitively where the engine folds case, and as typed
                // (SQLite's lower() folds ASCII only).
                let folded = like_pattern(&filter.search.to_lowercase());
                let typed = like_pattern(&filter.search);
                query.push(" AND (");
                for (i, column) in ["o.order_number", "o.customer_name", "c.name"]
                    .into_iter()
                    .enumerate()
                {
                    if i > 0 {
                        query.push(" OR ");
                    }
                    query
                        .push(format!("lower({column}) LIKE "))
                        .push_bind(folded.clone())
                        .push(" ESCAPE '\\' OR ")
                        .push(column)
                        .push(" LIKE ")
                        .push_bind(typed.clone())
                        .push(" ESCAPE '\\'");
                }
                query.push(")");
            }
        };
        let from = "FROM orders o LEFT JOIN customer_orgs c ON c.id = o.customer_org_id";
        let mut count = sqlx::QueryBuilder::<Db>::new(format!("SELECT COUNT(*) {from}"));
        conditions(&mut count);
        let (sql, arguments) = super::numbered(&mut count, self.engine)?;
        let total: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(&self.pool)
            .await
            .context("counting hub orders")?;
        let columns = super::orders::SUMMARY_COLUMNS;
        let mut page = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {columns}, {ACCESS_COLUMNS}, COALESCE(c.name, o.customer_name) AS org_name {from}"
        ));
        conditions(&mut page);
        page.push(" ORDER BY org_name, o.created_at, o.id LIMIT ")
            .push_bind(i64::from(crate::model::hub::PAGE_SIZE))
            .push(" OFFSET ")
            .push_bind(filter.offset() as i64);
        let (sql, arguments) = super::numbered(&mut page, self.engine)?;
        let rows = sqlx::query_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await
            .context("loading a hub page")?;
        let rows = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("org_name")?,
                    super::orders::summary_from_row(row)?,
                    access_from_row(row)?,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok((rows, total as u64))
    }

    /// A password link by its hash: until when it works, and whether it was
    /// used.
    pub(crate) async fn password_link(
        &self,
        token_hash: &str,
    ) -> anyhow::Result<Option<(DateTime<Utc>, bool)>> {
        let row =
            sqlx::query("SELECT expires_at, used_at FROM password_resets WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .context("reading a password link")?;
        row.map(|row| {
            Ok((
                parse_ts(row.try_get("expires_at")?)?,
                row.try_get::<Option<String>, _>("used_at")?.is_some(),
            ))
        })
        .transpose()
    }
}

/// A LIKE pattern matching `text` anywhere, its wildcards escaped with `\`.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Password links' writes inside a service's transaction.
impl Write<'_> {
    /// Records a single-use link (its hash) to set `user_id`'s password, for
    /// `purpose` (`reset`, `activate`).
    pub(crate) async fn insert_password_link(
        &mut self,
        token_hash: &str,
        user_id: &str,
        purpose: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose)
        .bind(ts(now))
        .bind(ts(expires))
        .execute(&mut *self.tx)
        .await
        .context("storing a password link")?;
        Ok(())
    }

    /// Uses a password link, once, while it lasts: its user's id, or `None`.
    pub(crate) async fn use_password_link(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING user_id",
        )
        .bind(ts(now))
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .context("using a password link")
    }

    /// Sets a user's password; their address.
    pub(crate) async fn set_password(
        &mut self,
        user_id: &str,
        password_hash: &str,
    ) -> anyhow::Result<String> {
        sqlx::query_scalar("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(password_hash)
            .bind(user_id)
            .fetch_one(&mut *self.tx)
            .await
            .context("setting a password")
    }

    /// Ends a user's other password links and their sessions.
    pub(crate) async fn end_access(
        &mut self,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(ts(now))
        .bind(user_id)
        .execute(&mut *self.tx)
        .await
        .context("ending password links")?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await
            .context("ending sessions")?;
        Ok(())
    }
}
