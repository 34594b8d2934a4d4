//! Rotating the secrets without downtime (docs/production.md): during a
//! window the previous secret key still opens the links of waiting emails,
//! and the previous commerce token is still accepted.

use crate::helpers::*;

const OLD_KEY: &str = "b2xkIGtleSBvZiBzZXR1cC1ub3cgb2YgMzIgYnl0ZXM=";
const NEW_KEY: &str = "bmV3IGtleSBvZiBzZXR1cC1ub3cgb2YgMzIgYnl0ZXM=";

#[tokio::test]
async fn links_sealed_with_the_previous_key_still_open_during_the_window() {
    let mut app = spawn_app_with(&[("SETUP_NOW_SECRET_KEY", OLD_KEY)]).await;
    app.place("ROTATE-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    assert_eq!(app.run_scheduler().await["invitations"], 1);

    // The instances restart with the new key and the old one beside it.
    app.restart_with(&[
        ("SETUP_NOW_SECRET_KEY", NEW_KEY),
        ("SETUP_NOW_SECRET_KEY_PREVIOUS", OLD_KEY),
    ])
    .await;
    // The waiting email, sealed under the old key, opens: its link works.
    let token = app.setup_token("contact-rotate-1@partner.example").await;
    let url = format!("{}/setup/{token}", app.base);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 200);

    // An email written now is sealed with the new key alone: it still opens
    // once the window is closed.
    app.place("ROTATE-2", "2026-12-01").await;
    assert_eq!(app.run_scheduler().await["invitations"], 1);
    app.restart_with(&[("SETUP_NOW_SECRET_KEY_PREVIOUS", "")])
        .await;
    let token = app.setup_token("contact-rotate-2@partner.example").await;
    let url = format!("{}/setup/{token}", app.base);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 200);
}

async fn place_with(app: &TestApp, token: &str, number: &str) -> u16 {
    app.client
        .post(format!("{}/api/orders", app.base))
        .bearer_auth(token)
        .json(&order_body(number, "2027-01-10"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_previous_commerce_token_works_during_its_window_only() {
    const OLD: &str = "the-old-commerce-token";
    const NEW: &str = "the-new-commerce-token";
    let mut app = spawn_app_with(&[("SETUP_NOW_COMMERCE_TOKEN", OLD)]).await;
    assert_eq!(place_with(&app, OLD, "TOKEN-1").await, 201);
    assert_eq!(place_with(&app, NEW, "TOKEN-2").await, 401);

    app.restart_with(&[
        ("SETUP_NOW_COMMERCE_TOKEN", NEW),
        ("SETUP_NOW_COMMERCE_TOKEN_PREVIOUS", OLD),
    ])
    .await;
    assert_eq!(
        place_with(&app, OLD, "TOKEN-3").await,
        201,
        "the old one, in the window"
    );
    assert_eq!(place_with(&app, NEW, "TOKEN-4").await, 201, "the new one");
    assert_eq!(
        place_with(&app, "another-token-entirely", "TOKEN-5").await,
        401
    );

    app.restart_with(&[("SETUP_NOW_COMMERCE_TOKEN_PREVIOUS", "")])
        .await;
    assert_eq!(
        place_with(&app, OLD, "TOKEN-6").await,
        401,
        "the window has closed"
    );
    assert_eq!(place_with(&app, NEW, "TOKEN-7").await, 201);
}

#[tokio::test]
async fn two_step_secrets_outlive_the_previous_key() {
    use crate::two_step::{administrator, sign_in, turn_on};
    let mut app = spawn_app_with(&[("SETUP_NOW_SECRET_KEY", OLD_KEY)]).await;
    let (admin, cookie) = administrator(&app, "ROTATE-TWO").await;
    let (secret, _) = turn_on(&app, &cookie, "2026-12-01T08:00:00Z").await;
    // The window opens, and closes: the secret was sealed again in it.
    app.restart_with(&[
        ("SETUP_NOW_SECRET_KEY", NEW_KEY),
        ("SETUP_NOW_SECRET_KEY_PREVIOUS", OLD_KEY),
    ])
    .await;
    app.restart_with(&[("SETUP_NOW_SECRET_KEY_PREVIOUS", "")])
        .await;
    let now = "2026-12-01T08:01:00Z";
    app.set_clock(now).await;
    let instant = chrono::DateTime::parse_from_rfc3339(now)
        .unwrap()
        .timestamp();
    let code = setup_now::server::two_step::code_at(&secret, instant).unwrap();
    let (status, body, _) = sign_in(&app, &admin, Some(&code)).await;
    assert_eq!((status, body.as_str()), (200, "\"Done\""));
}
