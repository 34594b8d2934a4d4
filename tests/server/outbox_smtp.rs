//! Delivery of the outbox over SMTP, against a real SMTP server on loopback.

use crate::helpers::*;
use crate::smtp_sink::smtp_sink;
use setup_now::server::{mail::SmtpSender, scheduler::deliver_emails};
use tokio::net::TcpListener;

#[tokio::test]
async fn an_email_claimed_before_a_crash_is_sent_once_after_its_lease_runs_out() {
    let app = spawn_app().await;
    app.place("SMTP-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let (port, received) = smtp_sink().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Set Up Now <no-reply@setup-now.test>",
    )
    .unwrap();

    // A worker claims the email and dies before sending it.
    let claimed = app
        .state
        .store
        .claim_outbox(
            app.state.clock.now().await,
            chrono::Duration::minutes(5),
            10,
        )
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);

    // While the lease holds, nobody else sends it.
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 0);
    assert!(received.lock().unwrap().is_empty());

    // After the lease, it is delivered, once.
    app.set_clock("2026-12-01T08:06:00Z").await;
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 1);
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 0);
    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("SMTP-1"), "{}", messages[0]);
    assert!(messages[0].contains("/setup/"));
    // Text and HTML, the HTML with the button as a real link, in Czech for
    // this partner in CZ.
    assert!(
        messages[0].contains("multipart/alternative"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("text/plain"));
    assert!(messages[0].contains("text/html"));
    let decoded = unfold_quoted_printable(&messages[0]);
    assert!(decoded.contains("<html lang=\"cs\">"), "{decoded}");
    assert!(decoded.contains(">Nastavit nyní</a>"), "{decoded}");
    let (attempts, sent, error) = app.state.store.outbox_state(claimed[0].id).await.unwrap();
    assert_eq!((attempts, sent, error), (2, true, None));
}

#[tokio::test]
async fn a_failed_delivery_is_recorded_and_retried_later() {
    let app = spawn_app().await;
    app.place("SMTP-2", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    // Nothing listens on this port.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    // Taken, tried and failed.
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 1);
    let id: i64 = sqlx::query_scalar("SELECT id FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (attempts, sent, error) = app.state.store.outbox_state(id).await.unwrap();
    assert_eq!((attempts, sent), (1, false));
    assert!(error.is_some());
    // Not again before the backoff has passed...
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 0);
    assert_eq!(app.state.store.outbox_state(id).await.unwrap().0, 1);
    // ...and delivered when a server answers after it.
    let (port, received) = smtp_sink().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    app.set_clock("2026-12-01T08:01:00Z").await;
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_server_delivers_new_emails_through_its_own_worker() {
    let (port, received) = smtp_sink().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SETUP_NOW_SMTP_URL", url.as_str())]).await;
    app.place("SMTP-3", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    for _ in 0..100 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_delivery_recorded_after_another_claim_took_over_does_not_count() {
    let app = spawn_app().await;
    app.place("SMTP-4", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let store = &app.state.store;
    let lease = chrono::Duration::seconds(30);
    let first = store
        .claim_outbox(at("2026-12-01T08:00:00Z"), lease, 10)
        .await
        .unwrap();
    // The first sender stalls past its lease; a second claims the email.
    let second = store
        .claim_outbox(at("2026-12-01T08:01:00Z"), lease, 10)
        .await
        .unwrap();
    assert_eq!(second.len(), 1);
    assert!(
        !store
            .outbox_sent(first[0].id, &first[0].lease, at("2026-12-01T08:01:01Z"))
            .await
            .unwrap(),
        "the stale holder records nothing"
    );
    assert!(
        store
            .outbox_sent(second[0].id, &second[0].lease, at("2026-12-01T08:01:02Z"))
            .await
            .unwrap()
    );
    assert!(store.outbox_state(second[0].id).await.unwrap().1);
}

#[tokio::test]
async fn an_email_that_keeps_failing_is_given_up_after_ten_attempts() {
    let app = spawn_app().await;
    app.place("SMTP-5", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    // Nothing listens on this port.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    let mut now = at("2026-12-01T08:00:00Z");
    let mut taken = 0;
    for _ in 0..12 {
        now += chrono::Duration::hours(2);
        app.set_clock(&now.to_rfc3339()).await;
        taken += deliver_emails(&app.state, &sender).await.unwrap();
    }
    assert_eq!(taken, 10, "tried ten times, then no more");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE abandoned_at IS NOT NULL AND sent_at IS NULL \
             AND attempts = 10"
        )
        .await,
        1
    );
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[tokio::test]
async fn outside_development_a_link_is_forgotten_once_its_email_is_sent() {
    // Without the development hooks the outbox forgets sent links, and the clock cannot be frozen: the order
    // is due today.
    let app = spawn_app_with(&[("SETUP_NOW_DEV_HOOKS", "0")]).await;
    let now = chrono::Utc::now();
    app.place("FORGET-1", &now.date_naive().to_string()).await;
    setup_now::server::services::pass::run(&app.state.store, now, PUBLIC_URL)
        .await
        .unwrap();
    let (port, received) = smtp_sink().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    assert_eq!(deliver_emails(&app.state, &sender).await.unwrap(), 1);
    let message = received.lock().unwrap()[0].clone();
    assert!(
        message.contains(&format!("{PUBLIC_URL}/setup/")),
        "the recipient gets the link: {message}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND secret IS NULL")
            .await,
        1
    );
}

/// The message with its quoted-printable parts decoded (other encodings
/// pass through).
fn unfold_quoted_printable(raw: &str) -> String {
    let decoded = quoted_printable::decode(raw.as_bytes(), quoted_printable::ParseMode::Robust)
        .expect("a readable message");
    String::from_utf8_lossy(&decoded).into_owned()
}
