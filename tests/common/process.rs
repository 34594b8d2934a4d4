//! What the tests that run the server binary as a process of its own share
//! (the three-instance test and the soak): a free port, waiting until the
//! server answers, and the JSON of an order the commerce system posts.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `/healthz` until it answers 200; panics after a minute.
pub async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server on {base} did not become healthy");
}

/// A valid A-WX order for meetings, to start on `start`.
pub fn order_json(number: &str, contact: &str, start: &str) -> Value {
    json!({
        "order_number": number,
        "offer": "A-WX",
        "subscription_id": format!("Sub-{number}"),
        "requested_start_date": start,
        "provisioning_contact_email": contact,
        "account_rep_email": "rep@cisco.example",
        "partner": { "party_id": format!("P-{number}"), "name": "Partner s.r.o.", "country": "CZ" },
        "customer": { "name": "Zakaznik a.s.", "country": "CZ", "address": "Vinohradska 1, Praha" },
        "services": [ { "kind": "meetings", "sku": "A-WX-MTG-ENT", "quantity": 10 } ]
    })
}
