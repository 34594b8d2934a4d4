//! Starting: several instances at the same moment on one new database, as
//! the README allows for PostgreSQL (migrations run under PostgreSQL's
//! migration lock; the demo data must be just as safe).

use crate::helpers::database::{Backend, TestDatabase, backend};
use setup_now::serve as server;
use setup_now::server::config::Config;

/// Three instances with the demo data on, started at once on a new database,
/// a few times over: every one comes up, and the demo data is there once.
#[tokio::test]
async fn instances_started_together_on_a_new_database_all_come_up_with_one_set_of_demo_data() {
    if backend() != Backend::Postgres {
        // Several instances share a database only on PostgreSQL (README);
        // an SQLite file belongs to one process.
        return;
    }
    for round in 0..4 {
        let database = TestDatabase::new().await;
        let config = || {
            let url = database.url.clone();
            Config::from_lookup(move |key| {
                match key {
                    "SETUP_NOW_MODE" => Some("development"),
                    "SETUP_NOW_ADDR" => Some("127.0.0.1:0"),
                    "SETUP_NOW_DEMO_DATA" => Some("1"),
                    "SETUP_NOW_SCHEDULER_INTERVAL_SECS" => Some("3600"),
                    "SETUP_NOW_PUBLIC_URL" => Some("https://setup-now.test"),
                    "SETUP_NOW_DATABASE_URL" => return Some(url.clone()),
                    _ => None,
                }
                .map(String::from)
            })
            .expect("config")
        };
        let (a, b, c) = tokio::join!(
            server::start(config()),
            server::start(config()),
            server::start(config())
        );
        let started: Vec<_> = [a, b, c]
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("round {round}: an instance died: {e:#}")))
            .collect();
        sqlx::any::install_default_drivers();
        let db: sqlx::AnyPool = sqlx::pool::PoolOptions::new()
            .max_connections(1)
            .connect(&database.url)
            .await
            .unwrap();
        let users: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE email = 'admin@managed-customer.example'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(users, 1, "round {round}");
        let orders: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE order_number = 'DEMO-0001'")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(orders, 1, "round {round}");
        db.close().await;
        for running in &started {
            running.stop();
        }
    }
}

/// `SETUP_NOW_DATABASE_POOL_SIZE` sizes the pool (instances times it must fit
/// PostgreSQL's `max_connections`); unset, the engine's default.
#[tokio::test]
async fn the_pool_is_as_large_as_configured() {
    let app = crate::helpers::spawn_app_with(&[("SETUP_NOW_DATABASE_POOL_SIZE", "3")]).await;
    assert_eq!(app.state.store.pool_size(), 3);
    let default = crate::helpers::spawn_app().await;
    let expected = match backend() {
        Backend::Postgres => 16,
        Backend::Sqlite => 8,
    };
    assert_eq!(default.state.store.pool_size(), expected);
}
