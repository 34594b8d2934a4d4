//! One scheduler pass over 10,000 due orders among 1,000,000 stored, on
//! SQLite and on PostgreSQL (`SETUP_NOW_TEST_POSTGRES_URL`, set by
//! `make bench` through scripts/with-postgres.sh; a database is created and
//! dropped). Prints the figures, asserts nothing about time.

use chrono::{DateTime, Utc};
use setup_now::server::store::{
    Store,
    sealer::{OutboxSecrets, Sealer},
};
use sqlx::Connection;
use std::time::Instant;

const TOTAL: i64 = 1_000_000;
const DUE: i64 = 10_000;

/// 990,000 orders set up and provisioned long ago; 10,000 due now, a
/// quarter of each kind of due work: invitations (start date today), "will
/// close" warnings (invited 22 days ago), closures (invited 31 days ago) and
/// reminders to provision (set up 4 days ago). The same rows on both
/// engines, each in its own dialect.
const SEED_SQLITE: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
     INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
       provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
       customer_name, customer_country, customer_address, created_at, invited_at, started_at, escalated_at, \
       setup_at, provisioned_at) \
     SELECT printf('o%07d', i), printf('B-%07d', i), 'digest', 'A-WX', printf('Sub-%d', i), \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN '2026-12-01' WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-09' WHEN i <= $2 AND i % 4 = 2 THEN '2026-10-31' WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20' ELSE '2026-06-01' END, \
       printf('c%d@partner.example', i), 'rep@cisco.example', printf('P-%d', i % 5000), 'Partner', 'CZ', \
       'Customer', 'CZ', 'Street 1', '2026-01-01T00:00:00Z', \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-09T08:00:00Z' WHEN i <= $2 AND i % 4 = 2 THEN '2026-10-31T08:00:00Z' WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20T08:00:00Z' ELSE '2026-06-01T08:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20T09:00:00Z' ELSE '2026-06-01T09:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-11T00:00:00Z' WHEN i <= $2 AND i % 4 = 2 THEN '2026-11-02T00:00:00Z' WHEN i <= $2 AND i % 4 = 3 THEN NULL ELSE NULL END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-27T09:00:00Z' ELSE '2026-06-02T09:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN NULL ELSE '2026-06-03T09:00:00Z' END \
     FROM n";

const SEED_POSTGRES: &str = "INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
       provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
       customer_name, customer_country, customer_address, created_at, invited_at, started_at, escalated_at, \
       setup_at, provisioned_at) \
     SELECT 'o' || lpad(i::text, 7, '0'), 'B-' || lpad(i::text, 7, '0'), 'digest', 'A-WX', 'Sub-' || i, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN '2026-12-01' WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-09' WHEN i <= $2 AND i % 4 = 2 THEN '2026-10-31' WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20' ELSE '2026-06-01' END, \
       'c' || i || '@partner.example', 'rep@cisco.example', 'P-' || (i % 5000), 'Partner', 'CZ', \
       'Customer', 'CZ', 'Street 1', '2026-01-01T00:00:00Z', \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-09T08:00:00Z' WHEN i <= $2 AND i % 4 = 2 THEN '2026-10-31T08:00:00Z' WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20T08:00:00Z' ELSE '2026-06-01T08:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-20T09:00:00Z' ELSE '2026-06-01T09:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN '2026-11-11T00:00:00Z' WHEN i <= $2 AND i % 4 = 2 THEN '2026-11-02T00:00:00Z' WHEN i <= $2 AND i % 4 = 3 THEN NULL ELSE NULL END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN '2026-11-27T09:00:00Z' ELSE '2026-06-02T09:00:00Z' END, \
       CASE WHEN i <= $2 AND i % 4 = 0 THEN NULL WHEN i <= $2 AND i % 4 = 1 THEN NULL WHEN i <= $2 AND i % 4 = 2 THEN NULL WHEN i <= $2 AND i % 4 = 3 THEN NULL ELSE '2026-06-03T09:00:00Z' END \
     FROM generate_series(1, $1::bigint) AS i";

fn secrets() -> OutboxSecrets {
    OutboxSecrets {
        sealer: Sealer::new(b"setup-now development only key!!"),
        forget_when_sent: true,
    }
}

async fn pass(engine: &str, store: &Store) -> anyhow::Result<()> {
    let now: DateTime<Utc> = "2026-12-01T09:00:00Z".parse()?;
    let started = Instant::now();
    let report =
        setup_now::server::services::pass::run(store, now, "https://setup-now.example").await?;
    let elapsed = started.elapsed();
    println!(
        "{engine}: scheduler pass: {} invitations, {} escalations, {} close warnings, {} closed, \
         {} reminders to provision in {:.3} s (budget 2 s)",
        report.invitations,
        report.escalations,
        report.close_warnings,
        report.closed,
        report.provision_reminders,
        elapsed.as_secs_f64()
    );
    let idle = Instant::now();
    let again =
        setup_now::server::services::pass::run(store, now, "https://setup-now.example").await?;
    println!(
        "{engine}: next pass with nothing due: {} invitations in {:.1} ms",
        again.invitations,
        idle.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

async fn sqlite() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&url, secrets(), None).await?;
    let mut conn = sqlx::SqliteConnection::connect(&url).await?;
    let started = Instant::now();
    sqlx::query(SEED_SQLITE)
        .bind(TOTAL)
        .bind(DUE)
        .execute(&mut conn)
        .await?;
    sqlx::query("ANALYZE").execute(&mut conn).await?;
    println!(
        "SQLite: seeded {TOTAL} orders ({DUE} due) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    pass("SQLite", &store).await
}

async fn postgres(admin: &str) -> anyhow::Result<()> {
    let name = format!("setup_now_bench_{}", std::process::id());
    let mut admin_conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin_conn)
        .await?;
    let url = match admin.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => anyhow::bail!("SETUP_NOW_TEST_POSTGRES_URL has no database"),
    };
    let result = async {
        let store = Store::connect(&url, secrets(), None).await?;
        let mut conn = sqlx::PgConnection::connect(&url).await?;
        let started = Instant::now();
        sqlx::query(SEED_POSTGRES)
            .bind(TOTAL)
            .bind(DUE)
            .execute(&mut conn)
            .await?;
        sqlx::query("ANALYZE").execute(&mut conn).await?;
        println!(
            "PostgreSQL: seeded {TOTAL} orders ({DUE} due) in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let outcome = pass("PostgreSQL", &store).await;
        conn.close().await?;
        outcome
    }
    .await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin_conn)
        .await?;
    result
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    sqlite().await?;
    match std::env::var("SETUP_NOW_TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => postgres(&admin).await?,
        _ => println!("PostgreSQL: not measured (SETUP_NOW_TEST_POSTGRES_URL unset)"),
    }
    Ok(())
}
