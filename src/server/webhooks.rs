//! Status events POSTed to the commerce system (contract section 10), signed
//! as the Standard Webhooks specification says: `webhook-id` (the same on
//! every delivery of an event), `webhook-timestamp` (Unix seconds of the
//! attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! id.timestamp.body>` under the `whsec_` secret. Delivered like emails:
//! claimed under a lease, the oldest undelivered event of each order first,
//! retried with growing, jittered waits for three days; a receiver that
//! answers 410 switches delivery off until `POST /api/events/replay`.

use super::state::AppState;
use super::store::{EventItem, EventOutcome};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

/// How long an event is retried before it is given up.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);
/// The longest wait between two attempts.
const LONGEST_WAIT: Duration = Duration::hours(1);
/// How long an instance holds an event it is sending.
const LEASE: Duration = Duration::seconds(60);

pub use super::config::WebhookTarget as Target;

/// `v1,<signature>` of an event's body at a timestamp.
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// When to try again after `attempts` failed attempts: the first wait
/// doubling, at most an hour, ±20 % so that many receivers' retries spread;
/// `None` once the event is older than [`GIVE_UP_AFTER`].
pub fn retry_at(
    attempts: i64,
    occurred_at: DateTime<Utc>,
    now: DateTime<Utc>,
    first_wait: Duration,
) -> Option<DateTime<Utc>> {
    if now - occurred_at > GIVE_UP_AFTER {
        return None;
    }
    let doublings = attempts.clamp(1, 20) - 1;
    let wait = (first_wait * (1i32 << doublings.min(16) as i32)).min(LONGEST_WAIT);
    let jitter = rand::rng().random_range(0.8..1.2);
    let millis = (wait.num_milliseconds() as f64 * jitter) as i64;
    Some(now + Duration::milliseconds(millis.max(1)))
}

/// Sends the events that are due; how many were delivered.
pub async fn deliver_due(
    state: &AppState,
    client: &reqwest::Client,
    target: &Target,
) -> anyhow::Result<usize> {
    if state.store.webhook_disabled().await?.is_some() {
        return Ok(0);
    }
    let now = state.clock.now().await;
    let items = state.store.claim_events(now, LEASE, 20).await?;
    let mut delivered = 0;
    for item in items {
        let outcome = send(client, target, &item).await;
        let now = state.clock.now().await;
        let outcome = match outcome {
            Ok(status) if (200..300).contains(&status) => {
                delivered += 1;
                EventOutcome::Delivered {
                    status: i64::from(status),
                }
            }
            Ok(410) => {
                tracing::error!(
                    url = target.url,
                    "the event receiver answered 410 Gone: delivery is switched off until a replay"
                );
                state.store.disable_webhook(now).await?;
                // Not a failure of this event: it waits for the replay.
                EventOutcome::Failed {
                    status: Some(410),
                    error: "410 Gone: delivery switched off".into(),
                    retry_at: Some(now),
                }
            }
            other => {
                let (status, error) = match other {
                    Ok(status) => (Some(i64::from(status)), format!("answered {status}")),
                    Err(err) => (None, format!("{err:#}")),
                };
                let retry_at = retry_at(item.attempts, item.occurred_at, now, target.first_wait);
                if retry_at.is_none() {
                    tracing::error!(
                        event = item.event_id,
                        error,
                        "event undeliverable: given up"
                    );
                } else {
                    tracing::warn!(event = item.event_id, error, "event delivery failed");
                }
                EventOutcome::Failed {
                    status,
                    error,
                    retry_at,
                }
            }
        };
        state.store.event_attempted(&item, outcome, now).await?;
    }
    Ok(delivered)
}

async fn send(client: &reqwest::Client, target: &Target, item: &EventItem) -> anyhow::Result<u16> {
    let timestamp = Utc::now().timestamp();
    let response = client
        .post(&target.url)
        .header("content-type", "application/json")
        .header("webhook-id", &item.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signature(&target.secret, &item.event_id, timestamp, &item.payload),
        )
        .body(item.payload.clone())
        .send()
        .await?;
    Ok(response.status().as_u16())
}

/// Delivers events whenever woken, and at least every 5 s.
pub fn spawn_worker(state: AppState, target: Target) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
        {
            Ok(client) => client,
            Err(err) => {
                tracing::error!(error = %err, "no HTTP client for events");
                return;
            }
        };
        loop {
            match deliver_due(&state, &client, &target).await {
                Ok(20..) => continue,
                Ok(_) => {}
                Err(err) => tracing::error!(error = format!("{err:#}"), "event delivery failed"),
            }
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                state.events_signal.notified(),
            )
            .await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example_signature() {
        // The Standard Webhooks specification's test vector.
        let secret =
            super::super::config::parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn waits_grow_with_jitter_and_stop_after_three_days() {
        let t0: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let first = Duration::seconds(5);
        let waits: Vec<i64> = (1..=5)
            .map(|n| (retry_at(n, t0, t0, first).unwrap() - t0).num_milliseconds())
            .collect();
        for (n, wait) in waits.iter().enumerate() {
            let nominal = 5_000 * (1 << n);
            assert!(
                (*wait as f64) >= nominal as f64 * 0.8 && (*wait as f64) <= nominal as f64 * 1.2,
                "{n}: {wait}"
            );
        }
        let late = t0 + Duration::days(2);
        assert!(retry_at(30, t0, late, first).unwrap() - late <= Duration::minutes(72));
        assert_eq!(
            retry_at(3, t0, t0 + Duration::days(3) + Duration::seconds(1), first),
            None
        );
    }
}
