//! One scheduler pass over 10,000 due orders among 1,000,000 stored.
//! Run with `make bench` (or `cargo bench --features ssr --bench scheduler`);
//! prints the figures, asserts nothing about time.

use chrono::{DateTime, Utc};
use setup_now::server::store::Store;
use sqlx::SqlitePool;
use std::time::Instant;

const TOTAL: i64 = 1_000_000;
const DUE: i64 = 10_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await?;
    let pool = SqlitePool::connect(&url).await?;
    let started = Instant::now();
    // 990,000 orders already invited long ago and set up; 10,000 due today.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
         INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
           provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
           customer_name, customer_country, customer_address, created_at, invited_at, started_at, setup_at) \
         SELECT printf('o%07d', i), printf('B-%07d', i), 'digest', 'A-WX', printf('Sub-%d', i), \
           CASE WHEN i <= ? THEN '2026-12-01' ELSE '2026-06-01' END, \
           printf('c%d@partner.example', i), 'rep@cisco.example', printf('P-%d', i % 5000), 'Partner', 'CZ', \
           'Customer', 'CZ', 'Street 1', '2026-01-01T00:00:00Z', \
           CASE WHEN i <= ? THEN NULL ELSE '2026-06-01T08:00:00Z' END, \
           CASE WHEN i <= ? THEN NULL ELSE '2026-06-01T09:00:00Z' END, \
           CASE WHEN i <= ? THEN NULL ELSE '2026-06-02T09:00:00Z' END \
         FROM n",
    )
    .bind(TOTAL)
    .bind(DUE)
    .bind(DUE)
    .bind(DUE)
    .bind(DUE)
    .execute(&pool)
    .await?;
    sqlx::query("ANALYZE").execute(&pool).await?;
    println!(
        "seeded {TOTAL} orders ({DUE} due) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let now: DateTime<Utc> = "2026-12-01T09:00:00Z".parse()?;
    let pass = Instant::now();
    let report = store
        .run_scheduler_pass(now, "https://setup-now.example")
        .await?;
    let elapsed = pass.elapsed();
    println!(
        "scheduler pass: {} invitations, {} escalations in {:.3} s (budget 2 s)",
        report.invitations,
        report.escalations,
        elapsed.as_secs_f64()
    );
    let idle = Instant::now();
    let again = store
        .run_scheduler_pass(now, "https://setup-now.example")
        .await?;
    println!(
        "next pass with nothing due: {} invitations in {:.1} ms",
        again.invitations,
        idle.elapsed().as_secs_f64() * 1000.0
    );
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&pool)
        .await?;
    println!("outbox rows written: {outbox}");
    Ok(())
}
