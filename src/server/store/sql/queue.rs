//! The lease queue's two statements, the same for emails and events: a
//! claim of the rows due (instances claim disjoint rows: `SKIP LOCKED` on
//! PostgreSQL), and the record of one row's outcome by the lease's holder.

use super::{Db, DbRow, Engine, new_id, ts};
use anyhow::Context;
use chrono::{DateTime, Utc};

/// A table delivered as a queue. Each has `id`, `next_attempt_at`,
/// `lease_until`, `lease_token`, `attempts`, `last_error`, `abandoned_at`
/// and a column set when the row is done.
pub(crate) struct Queue {
    pub table: &'static str,
    /// Set when the row is done (sent, delivered).
    pub done: &'static str,
    /// More conditions a row due meets (on the row `q`).
    pub also: &'static str,
    /// What a claim returns of each row.
    pub returning: &'static str,
    /// A column for the receiver's status of the last attempt, if kept.
    pub status: Option<&'static str>,
}

/// The outbox: emails.
pub(crate) const EMAILS: Queue = Queue {
    table: "outbox",
    done: "sent_at",
    also: "",
    returning: "id, dedupe_key, recipient, subject, body_text, body_html, secret, attempts",
    status: None,
};

/// Status events, in order per order: only the oldest undelivered event of
/// an order is due.
pub(crate) const EVENTS: Queue = Queue {
    table: "events",
    done: "delivered_at",
    also: " AND NOT EXISTS (SELECT 1 FROM events p WHERE p.order_id = q.order_id AND p.id < q.id \
            AND p.delivered_at IS NULL AND p.abandoned_at IS NULL)",
    returning: "id, event_id, payload, attempts, occurred_at",
    status: Some("last_status"),
};

/// Claims up to `limit` rows due at `now` whose lease (if any) ran out,
/// under a new lease until `lease_until`, counting an attempt for each. The
/// claim commits before anything is sent. Answers the lease's token and the
/// rows.
pub(crate) async fn claim(
    pool: &sqlx::Pool<Db>,
    engine: Engine,
    queue: &Queue,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<(String, Vec<DbRow>)> {
    let token = new_id();
    let rows = sqlx::query(&format!(
        "UPDATE {table} SET lease_until = $1, lease_token = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT q.id FROM {table} q \
         WHERE q.{done} IS NULL AND q.abandoned_at IS NULL AND q.next_attempt_at <= $3 \
         AND (q.lease_until IS NULL OR q.lease_until <= $3){also} ORDER BY q.id LIMIT $4{skip}) \
         RETURNING {returning}",
        table = queue.table,
        done = queue.done,
        also = queue.also,
        returning = queue.returning,
        skip = engine.skip_locked(),
    ))
    .bind(ts(lease_until))
    .bind(&token)
    .bind(ts(now))
    .bind(limit)
    .fetch_all(pool)
    .await
    .with_context(|| format!("claiming from {}", queue.table))?;
    Ok((token, rows))
}

/// Ends the lease `lease` on every row it still holds (not settled), and
/// takes back the attempt its claim counted: the rows are due again at once.
pub(crate) async fn release(
    pool: &sqlx::Pool<Db>,
    queue: &Queue,
    lease: &str,
) -> anyhow::Result<u64> {
    let released = sqlx::query(&format!(
        "UPDATE {table} SET lease_until = NULL, lease_token = NULL, attempts = attempts - 1 \
         WHERE lease_token = $1 AND {done} IS NULL",
        table = queue.table,
        done = queue.done,
    ))
    .bind(lease)
    .execute(pool)
    .await
    .with_context(|| format!("handing back a lease on {}", queue.table))?;
    Ok(released.rows_affected())
}

/// How one attempt ended.
pub(crate) enum Settled<'a> {
    /// Done (sent, delivered).
    Done { status: Option<i64> },
    /// Failed: tried again at `retry_at`, or given up (`None`).
    Failed {
        status: Option<i64>,
        error: &'a str,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records the outcome of row `id` while `lease` still holds it; `false`
/// when another claim took it over meanwhile (that one decides).
pub(crate) async fn settle(
    pool: &sqlx::Pool<Db>,
    queue: &Queue,
    id: i64,
    lease: &str,
    settled: Settled<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (done, status, error, retry_at, given_up) = match settled {
        Settled::Done { status } => (Some(ts(now)), status, None, None, None),
        Settled::Failed {
            status,
            error,
            retry_at,
        } => (
            None,
            status,
            Some(error.to_string()),
            retry_at.map(ts),
            retry_at.is_none().then(|| ts(now)),
        ),
    };
    let status_set = queue
        .status
        .map(|column| format!(", {column} = $7"))
        .unwrap_or_default();
    let sql = format!(
        "UPDATE {table} SET lease_until = NULL, lease_token = NULL, {done} = $1, last_error = $2, \
         next_attempt_at = COALESCE($3, next_attempt_at), abandoned_at = $4{status_set} \
         WHERE id = $5 AND lease_token = $6 AND {done} IS NULL",
        table = queue.table,
        done = queue.done,
    );
    let mut statement = sqlx::query(&sql)
        .bind(done)
        .bind(error)
        .bind(retry_at)
        .bind(given_up)
        .bind(id)
        .bind(lease);
    if queue.status.is_some() {
        statement = statement.bind(status);
    }
    let settled = statement
        .execute(pool)
        .await
        .with_context(|| format!("recording a delivery from {}", queue.table))?;
    Ok(settled.rows_affected() == 1)
}
