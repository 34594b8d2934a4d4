//! The commerce system's view: `POST /api/orders` and the development hooks.

use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_once_the_database_is_migrated() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_new_order_is_created_and_scheduled() {
    let app = spawn_app().await;
    let r = app
        .post_order(&order_body("CCW-2026-000123", "2026-12-01"))
        .await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "scheduled");
    assert!(body["order_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(app.count("SELECT COUNT(*) FROM order_services").await, 2);
}

#[tokio::test]
async fn the_same_order_posted_again_answers_200_with_the_same_id() {
    let app = spawn_app().await;
    let body = order_body("CCW-1", "2026-12-01");
    let first: Value = app.post_order(&body).await.json().await.unwrap();
    let again = app.post_order(&body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["order_id"], again["order_id"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
}

#[tokio::test]
async fn the_same_order_number_with_another_body_is_a_conflict() {
    let app = spawn_app().await;
    app.place("CCW-2", "2026-12-01").await;
    let mut changed = order_body("CCW-2", "2026-12-01");
    changed["services"][0]["quantity"] = json!(300);
    assert_eq!(app.post_order(&changed).await.status(), 409);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
}

#[tokio::test]
async fn concurrent_posts_of_one_order_create_it_once() {
    let app = spawn_app().await;
    let body = order_body("CCW-RACE", "2026-12-01");
    let (a, b) = tokio::join!(app.post_order(&body), app.post_order(&body));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 201]);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused_with_401() {
    let app = spawn_app().await;
    let url = format!("{}/api/orders", app.base);
    let body = order_body("CCW-3", "2026-12-01");
    let none = app.client.post(&url).json(&body).send().await.unwrap();
    let wrong = app
        .client
        .post(&url)
        .bearer_auth("nope")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
}

#[tokio::test]
async fn invalid_fields_are_all_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut body = order_body("CCW-4", "2026-12-01");
    body["requested_start_date"] = json!("01.12.2026");
    body["offer"] = json!("A-FLEX");
    body["provisioning_contact_email"] = json!("not-an-address");
    body["services"][1]["kind"] = json!("fax");
    body["services"][0]["quantity"] = json!(-5);
    let r = app.post_order(&body).await;
    assert_eq!(r.status(), 422);
    let errors: Value = r.json().await.unwrap();
    let fields: Vec<&str> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            e["field"].as_str().unwrap()
        })
        .collect();
    for expected in [
        "requested_start_date",
        "offer",
        "provisioning_contact_email",
        "services[1].kind",
        "services[0].quantity",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} missing from {fields:?}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM order_services").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_422() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}/api/orders", app.base))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "body");
}

#[tokio::test]
async fn the_invitation_goes_out_on_the_start_date_and_not_before() {
    let app = spawn_app().await;
    app.place("CCW-5", "2026-12-01").await;
    let contact = "contact-ccw-5@partner.example";
    app.set_clock("2026-11-30T23:59:00Z").await;
    assert_eq!(
        app.run_scheduler().await,
        json!({"invitations": 0, "escalations": 0})
    );
    assert!(app.mailbox(contact).await.is_empty());
    app.set_clock("2026-12-01T00:00:01Z").await;
    assert_eq!(app.run_scheduler().await["invitations"], 1);
    let mails = app.mailbox(contact).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail["to"], contact);
    assert!(mail["subject"].as_str().unwrap().contains("CCW-5"));
    let link = mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["text"] == "Set Up Now")
        .expect("Set Up Now link");
    let href = link["href"].as_str().unwrap();
    assert!(href.starts_with(&format!("{PUBLIC_URL}/setup/")), "{href}");
    assert!(
        mail["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["text"] == "Nastavit nyní")
    );
    assert!(mail["created_at"].as_str().is_some() && mail["id"].is_number());
    // Only the hash of the link's secret is stored.
    let token = href.rsplit('/').next().unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM setup_links WHERE token_hash = $1")
        .bind(token)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn development_hooks_answer_404_when_switched_off() {
    let app = spawn_app_with(&[("SETUP_NOW_DEV_HOOKS", "0")]).await;
    for path in ["/api/dev/mailbox?to=a@b.example", "/api/dev/clock"] {
        let r = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = app
        .client
        .post(format!("{}/api/dev/scheduler/run", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_clock_hook_freezes_and_releases_the_clock() {
    let app = spawn_app().await;
    app.set_clock("2030-01-01T09:00:00Z").await;
    assert_eq!(
        app.state.clock.now().await.to_rfc3339(),
        "2030-01-01T09:00:00+00:00"
    );
    let r = app
        .client
        .delete(format!("{}/api/dev/clock", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(app.state.clock.now().await.timestamp() < 1_893_456_000);
}
