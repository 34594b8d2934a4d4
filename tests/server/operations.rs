//! What an operator watches (contract section 15): readiness that follows
//! the database, liveness that does not, and a request id on every answer.

use crate::helpers::*;

async fn status(app: &TestApp, path: &str) -> u16 {
    app.client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn readiness_follows_the_database_and_liveness_does_not() {
    let app = spawn_app().await;
    assert_eq!(status(&app, "/readyz").await, 200);
    assert_eq!(status(&app, "/healthz").await, 200);
    // The database stops answering (the pool is closed).
    app.state.store.close().await;
    assert_eq!(status(&app, "/readyz").await, 503);
    assert_eq!(
        status(&app, "/healthz").await,
        200,
        "the process still lives"
    );
}

async fn request_id(app: &TestApp, sent: Option<&str>) -> String {
    let mut request = app.client.get(format!("{}/healthz", app.base));
    if let Some(id) = sent {
        request = request.header("x-request-id", id);
    }
    let response = request.send().await.unwrap();
    response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_answer_carries_a_request_id_the_callers_when_it_is_fit() {
    let app = spawn_app().await;
    let made = request_id(&app, None).await;
    assert_eq!(made.len(), 36, "a new UUID: {made}");
    assert_ne!(made, request_id(&app, None).await, "one per request");
    assert_eq!(request_id(&app, Some("lb-7f3a-0001")).await, "lb-7f3a-0001");
    let long = "x".repeat(65);
    for unfit in [long.as_str(), "two words", "tab\there"] {
        let answered = request_id(&app, Some(unfit)).await;
        assert_ne!(answered, unfit);
        assert_eq!(answered.len(), 36, "replaced by a new one: {answered}");
    }
    // Pages and the order API carry it too.
    let page = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap();
    assert!(page.headers().contains_key("x-request-id"));
    let api = app
        .client
        .get(format!("{}/api/orders/NOPE-1", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
    assert!(api.headers().contains_key("x-request-id"));
}
