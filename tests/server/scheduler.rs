//! The scheduler: invitations on the date, one escalation a day later, each email
//! exactly once however passes are repeated, overlapped or interrupted.

use crate::helpers::*;
use chrono::{DateTime, Utc};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[tokio::test]
async fn an_order_not_started_a_day_after_its_start_date_is_escalated_once() {
    let app = spawn_app().await;
    app.place("ESC-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    assert_eq!(app.run_scheduler().await["invitations"], 1);
    // Still within the day after the start date: no escalation.
    app.set_clock("2026-12-02T23:59:00Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 0);
    app.set_clock("2026-12-03T00:00:01Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 1);
    app.set_clock("2026-12-04T00:00:00Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 0);
    let mails = app.mailbox("rep@cisco.example").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["text"].as_str().unwrap().contains("ESC-1"));
    assert!(mails[0]["subject"].as_str().unwrap().contains("ESC-1"));
}

#[tokio::test]
async fn an_order_whose_setup_was_started_is_not_escalated() {
    let app = spawn_app().await;
    app.place("ESC-2", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-esc-2@partner.example").await;
    app.call::<()>("setup/start", &[("token", token.as_str())])
        .await
        .unwrap();
    app.set_clock("2026-12-05T00:00:00Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 0);
    assert!(app.mailbox("rep@cisco.example").await.is_empty());
}

#[tokio::test]
async fn repeated_passes_send_each_invitation_once() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.place(&format!("REP-{i}"), "2026-12-01").await;
    }
    app.set_clock("2026-12-01T08:00:00Z").await;
    assert_eq!(app.run_scheduler().await["invitations"], 5);
    assert_eq!(app.run_scheduler().await["invitations"], 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'")
            .await,
        5
    );
}

#[tokio::test]
async fn concurrent_passes_send_each_email_exactly_once() {
    let app = spawn_app().await;
    for i in 0..40 {
        app.place(&format!("CON-{i}"), "2026-12-01").await;
    }
    let now = at("2026-12-01T08:00:00Z");
    let store = &app.state.store;
    let passes = futures_join(store, now).await;
    assert_eq!(passes.iter().map(|p| p.invitations).sum::<u64>(), 40);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'")
            .await,
        40
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM setup_links").await, 40);

    let later = at("2026-12-03T08:00:00Z");
    let passes = futures_join(store, later).await;
    assert_eq!(passes.iter().map(|p| p.escalations).sum::<u64>(), 40);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'escalation'")
            .await,
        40
    );
}

async fn futures_join(
    store: &setup_now::server::store::Store,
    now: DateTime<Utc>,
) -> Vec<setup_now::server::store::PassReport> {
    let (a, b, c, d) = tokio::join!(
        setup_now::server::services::pass::run(store, now, PUBLIC_URL),
        setup_now::server::services::pass::run(store, now, PUBLIC_URL),
        setup_now::server::services::pass::run(store, now, PUBLIC_URL),
        setup_now::server::services::pass::run(store, now, PUBLIC_URL),
    );
    vec![a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()]
}

#[tokio::test]
async fn an_order_not_set_up_within_thirty_days_is_closed_and_its_link_stops_working() {
    let app = spawn_app().await;
    app.place("OLD-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-old-1@partner.example").await;
    setup_now::server::services::pass::run(
        &app.state.store,
        at("2026-12-31T08:00:01Z"),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    let err = setup_now::server::services::links::open_setup(
        &app.state.store,
        &token,
        at("2026-12-31T09:00:00Z"),
    )
    .await
    .unwrap_err();
    assert_eq!(err, setup_now::error::AppError::Gone);
    let orders = app.state.store.list_orders(10).await.unwrap();
    assert_eq!(
        orders[0].status,
        setup_now::model::orders::OrderStatus::Closed
    );
}

#[tokio::test]
async fn a_mail_gateway_fetching_the_link_does_not_count_as_starting() {
    let app = spawn_app().await;
    app.place("SCAN-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-scan-1@partner.example").await;
    let url = format!("{}/setup/{token}", app.base);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 200);
    assert_eq!(app.client.head(&url).send().await.unwrap().status(), 200);
    app.set_clock("2026-12-03T00:00:00Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 1);
    assert_eq!(app.mailbox("rep@cisco.example").await.len(), 1);
}
