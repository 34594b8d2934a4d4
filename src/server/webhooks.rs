//! Status events POSTed to the commerce system (contract section 10), signed
//! as the Standard Webhooks specification says: `webhook-id` (the same on
//! every delivery of an event), `webhook-timestamp` (Unix seconds of the
//! attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! id.timestamp.body>` under the `whsec_` secret. Delivered like emails:
//! claimed under a lease, the oldest undelivered event of each order first,
//! retried with growing, jittered waits for three days; a receiver that
//! answers 410 switches delivery off until `POST /api/events/replay`.

use super::metrics::{Delivery, Outcome};
use super::queue;
use super::state::AppState;
use super::store::{EventItem, EventOutcome};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long an instance holds an event it is sending.
const LEASE: Duration = Duration::seconds(60);

pub use super::config::WebhookTarget as Target;

/// `v1,<signature>` of an event's body at a timestamp.
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header: the signature under the secret, and
/// during a rotation also under the previous one, space-separated as the
/// Standard Webhooks specification lists them.
pub fn signatures(target: &Target, id: &str, timestamp: i64, body: &str) -> String {
    std::iter::once(&target.secret)
        .chain(&target.previous_secret)
        .map(|secret| signature(secret, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sends the events that are due (the lease queue: [`super::queue`]); how
/// many it took.
pub async fn deliver_events(
    state: &AppState,
    client: &reqwest::Client,
    target: &Target,
) -> anyhow::Result<usize> {
    if state.store.webhook_disabled().await?.is_some() {
        return Ok(0);
    }
    let now = state.clock.now().await;
    let items = state
        .store
        .claim_events(now, LEASE, queue::BATCH as i64)
        .await?;
    let taken = items.len();
    for item in items {
        // Stopping: the rest of the claim goes back at once.
        if state.stopping.is_cancelled() {
            let released = state.store.release_events(&item.lease).await?;
            tracing::info!(released, "stopping: events handed back");
            break;
        }
        let outcome = send(client, target, &item).await;
        let now = state.clock.now().await;
        let outcome = match outcome {
            Ok(status) if (200..300).contains(&status) => EventOutcome::Delivered {
                status: i64::from(status),
            },
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
                let retry_at =
                    queue::events(target.first_wait).after(item.attempts, item.occurred_at, now);
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
        state.metrics.delivery(
            Delivery::Event,
            match &outcome {
                EventOutcome::Delivered { .. } => Outcome::Delivered,
                EventOutcome::Failed { retry_at: None, .. } => Outcome::GivenUp,
                EventOutcome::Failed { .. } => Outcome::Failed,
            },
        );
        state.store.event_attempted(&item, outcome, now).await?;
    }
    Ok(taken)
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
            signatures(target, &item.event_id, timestamp, &item.payload),
        )
        .body(item.payload.clone())
        .send()
        .await?;
    Ok(response.status().as_u16())
}

/// Delivers events whenever woken, and at least every 5 s.
pub fn spawn_worker(state: AppState, target: Target) -> tokio::task::JoinHandle<()> {
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        // A redirect is a failed attempt (recorded with its status), never
        // followed: the signed events go to the configured URL only.
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "no HTTP client for events");
            return tokio::spawn(async {});
        }
    };
    let signal = state.events_signal.clone();
    let stopping = state.stopping.clone();
    queue::spawn_worker(
        "events",
        signal,
        stopping,
        std::time::Duration::from_secs(5),
        move || {
            let (state, client, target) = (state.clone(), client.clone(), target.clone());
            async move { deliver_events(&state, &client, &target).await }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn during_a_rotation_each_event_is_signed_with_both_secrets() {
        let config = super::super::config::parse_webhook_secret;
        let new = config("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let old = config("whsec_b2xkIHdlYmhvb2sgc2VjcmV0IG9mIDI0IGJ5dGVz").unwrap();
        let mut target = Target {
            url: "https://commerce.example/hook".into(),
            secret: new.clone(),
            previous_secret: Some(old.clone()),
            first_wait: Duration::seconds(5),
        };
        let both = signatures(&target, "msg_1", 1614265330, "{}");
        let listed: Vec<&str> = both.split(' ').collect();
        assert_eq!(
            listed,
            [
                signature(&new, "msg_1", 1614265330, "{}"),
                signature(&old, "msg_1", 1614265330, "{}")
            ]
        );
        target.previous_secret = None;
        assert_eq!(
            signatures(&target, "msg_1", 1614265330, "{}"),
            signature(&new, "msg_1", 1614265330, "{}")
        );
    }

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
}
