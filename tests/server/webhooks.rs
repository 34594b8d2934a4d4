//! Status events reach the commerce system signed, in order, once accepted,
//! with the same id on every delivery, across failures and a restart. The
//! receiver here checks each signature with its own HMAC (not the server's
//! code) and fails the test on a bad one.

use crate::helpers::*;
use axum::{Router, body::Bytes, extract::State, http::HeaderMap, routing::post};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::{Arc, Mutex};

const SECRET: &str = "whsec_c2V0dXAtbm93IHdlYmhvb2sgdGVzdCBzZWNyZXQh";

/// One delivery as the receiver saw it.
#[derive(Debug, Clone)]
struct Delivery {
    id: String,
    body: Value,
    answered: u16,
}

#[derive(Clone, Default)]
struct Receiver {
    /// Statuses to answer, in order; then 200.
    script: Arc<Mutex<Vec<u16>>>,
    seen: Arc<Mutex<Vec<Delivery>>>,
    /// How long each answer takes (a slow receiver).
    delay: std::time::Duration,
}

/// `v1,<base64 HMAC-SHA256 of id.timestamp.body>` computed here, as a
/// receiver would.
fn expected_signature(id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = STANDARD
        .decode(SECRET.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

async fn hook(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (id, timestamp, signature) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    );
    assert_eq!(
        signature,
        expected_signature(&id, &timestamp, &body),
        "bad signature on {id}"
    );
    tokio::time::sleep(receiver.delay).await;
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!(age.abs() < 60, "the timestamp is the attempt's");
    let answered = {
        let mut script = receiver.script.lock().unwrap();
        if script.is_empty() {
            200
        } else {
            script.remove(0)
        }
    };
    receiver.seen.lock().unwrap().push(Delivery {
        id,
        body: serde_json::from_slice(&body).unwrap(),
        answered,
    });
    axum::http::StatusCode::from_u16(answered).unwrap()
}

async fn receiver(script: Vec<u16>) -> (String, Receiver) {
    receiver_taking(script, std::time::Duration::ZERO).await
}

/// [`receiver`] that takes `delay` to answer each delivery.
async fn receiver_taking(script: Vec<u16>, delay: std::time::Duration) -> (String, Receiver) {
    let receiver = Receiver {
        script: Arc::new(Mutex::new(script)),
        delay,
        ..Receiver::default()
    };
    let app = Router::new()
        .route("/hook", post(hook))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, receiver)
}

async fn app_sending_to(url: &str) -> TestApp {
    spawn_app_with(&[
        ("SETUP_NOW_WEBHOOK_URL", url),
        ("SETUP_NOW_WEBHOOK_SECRET", SECRET),
        ("SETUP_NOW_WEBHOOK_FIRST_RETRY_MS", "50"),
    ])
    .await
}

/// Waits until `done` holds for what the receiver saw (10 s at most).
async fn until(receiver: &Receiver, done: impl Fn(&[Delivery]) -> bool) -> Vec<Delivery> {
    for _ in 0..200 {
        let seen = receiver.seen.lock().unwrap().clone();
        if done(&seen) {
            return seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the receiver saw {:?}", receiver.seen.lock().unwrap());
}

/// Like [`until`], moving the frozen clock on a minute between looks, so that
/// retries (timed by the application's clock) come due.
async fn until_moving_clock(
    app: &TestApp,
    receiver: &Receiver,
    from: &str,
    done: impl Fn(&[Delivery]) -> bool,
) -> Vec<Delivery> {
    let mut now: chrono::DateTime<chrono::Utc> = from.parse().unwrap();
    for _ in 0..200 {
        let seen = receiver.seen.lock().unwrap().clone();
        if done(&seen) {
            return seen;
        }
        now += chrono::Duration::minutes(1);
        app.set_clock(&now.to_rfc3339()).await;
        app.state.wake_workers();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the receiver saw {:?}", receiver.seen.lock().unwrap());
}

fn accepted(seen: &[Delivery]) -> Vec<(String, String)> {
    seen.iter()
        .filter(|d| d.answered == 200)
        .map(|d| (d.id.clone(), d.body["type"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn each_change_of_status_is_sent_signed_and_in_order() {
    let (url, receiver) = receiver(vec![]).await;
    let app = app_sending_to(&url).await;
    app.place("EV-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    app.set_clock("2026-12-03T08:00:00Z").await;
    app.run_scheduler().await;
    let seen = until(&receiver, |s| accepted(s).len() == 2).await;
    let kinds: Vec<String> = accepted(&seen).into_iter().map(|(_, kind)| kind).collect();
    assert_eq!(kinds, ["order.invited", "order.escalated"]);
    assert_eq!(seen[0].body["order_number"], "EV-1");
    assert!(
        seen[0].body["occurred_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T08:00:00")
    );
    assert_ne!(seen[0].id, seen[1].id);
}

#[tokio::test]
async fn a_receiver_failing_three_times_gets_the_event_once_accepted_with_the_same_id() {
    let (url, receiver) = receiver(vec![500, 500, 500]).await;
    let app = app_sending_to(&url).await;
    app.place("EV-2", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let seen = until_moving_clock(&app, &receiver, "2026-12-01T08:00:00Z", |s| {
        s.iter().any(|d| d.answered == 200)
    })
    .await;
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(
        seen.iter().all(|d| d.id == seen[0].id),
        "one id on every delivery"
    );
    assert_eq!(accepted(&seen).len(), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM events WHERE delivered_at IS NOT NULL AND attempts = 4")
            .await,
        1
    );
}

#[tokio::test]
async fn an_event_in_retry_is_delivered_by_the_restarted_server_with_its_id() {
    // Many failures: the first server is stopped while it retries.
    let (url, receiver) = receiver(vec![503; 2]).await;
    let mut app = app_sending_to(&url).await;
    app.place("EV-3", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let failed = until(&receiver, |s| !s.is_empty()).await;
    app.restart().await;
    let seen = until_moving_clock(&app, &receiver, "2026-12-01T08:00:00Z", |s| {
        s.iter().any(|d| d.answered == 200)
    })
    .await;
    assert!(seen.iter().all(|d| d.id == failed[0].id));
    assert_eq!(accepted(&seen).len(), 1);
}

#[tokio::test]
async fn a_410_switches_delivery_off_until_a_replay() {
    let (url, receiver) = receiver(vec![410]).await;
    let app = app_sending_to(&url).await;
    app.place("EV-4", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    until(&receiver, |s| s.len() == 1).await;
    app.set_clock("2026-12-03T08:00:00Z").await;
    app.run_scheduler().await;
    // Switched off: the escalation waits, nothing more arrives.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(receiver.seen.lock().unwrap().len(), 1);
    assert!(app.state.store.webhook_disabled().await.unwrap().is_some());
    let replay = app
        .client
        .post(format!("{}/api/events/replay", app.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"since": "2026-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 202);
    let seen = until(&receiver, |s| accepted(s).len() == 2).await;
    let kinds: Vec<String> = accepted(&seen).into_iter().map(|(_, kind)| kind).collect();
    assert_eq!(kinds, ["order.invited", "order.escalated"]);
    assert_eq!(
        seen[0].id, seen[1].id,
        "the refused event is sent again with its id"
    );
}

#[tokio::test]
async fn a_redirect_from_the_receiver_is_a_failed_attempt_never_followed() {
    use axum::response::Redirect;
    let followed = Arc::new(Mutex::new(0usize));
    let counter = followed.clone();
    let app_router = Router::new()
        .route("/hook", post(|| async { Redirect::to("/elsewhere") }))
        .route(
            "/elsewhere",
            post(move || {
                let counter = counter.clone();
                async move {
                    *counter.lock().unwrap() += 1;
                    axum::http::StatusCode::OK
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app_router).await.unwrap() });
    let app = app_sending_to(&url).await;
    app.place("EV-302", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    for _ in 0..200 {
        if app
            .count("SELECT count(*) FROM events WHERE last_status = 303")
            .await
            > 0
        {
            break;
        }
        app.state.wake_workers();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.count("SELECT count(*) FROM events WHERE last_status = 303 AND delivered_at IS NULL")
            .await,
        1,
        "the redirect is recorded as the attempt's answer, and the event is not delivered"
    );
    assert_eq!(*followed.lock().unwrap(), 0, "the redirect was followed");
}

/// SIGTERM ([`TestApp::shut_down`]) while events are being delivered: the
/// one under way is delivered and recorded, the rest of the claim is handed
/// back, and the restarted server sends it at once (the 60 s lease is not
/// waited for), each event once.
#[tokio::test]
async fn stopping_hands_back_the_events_not_delivered() {
    const ORDERS: usize = 5;
    let (url, receiver) = receiver_taking(Vec::new(), std::time::Duration::from_millis(300)).await;
    let mut app = app_sending_to(&url).await;
    for i in 0..ORDERS {
        app.place(&format!("EVTERM-{i}"), "2026-12-01").await;
    }
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    until(&receiver, |seen| !seen.is_empty()).await;
    app.shut_down().await.unwrap();
    let before = receiver.seen.lock().unwrap().len();
    assert!(before < ORDERS, "stopped half-way: {before}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM events WHERE delivered_at IS NOT NULL")
            .await,
        before as i64
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM events WHERE delivered_at IS NULL AND lease_token IS NULL \
             AND attempts = 0"
        )
        .await,
        (ORDERS - before) as i64,
        "the rest is handed back"
    );
    app.restart().await;
    let seen = until(&receiver, |seen| seen.len() >= ORDERS).await;
    let ids: std::collections::HashSet<_> = seen.iter().map(|d| d.id.clone()).collect();
    assert_eq!((seen.len(), ids.len()), (ORDERS, ORDERS), "each once");
}
