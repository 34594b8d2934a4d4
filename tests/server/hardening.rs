//! Hostile input and cross-site requests are refused with their 4xx status,
//! and every answer carries the headers a browser needs to protect people.

use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut body = order_body("BIG-1", "2026-12-01");
    body["customer"]["address"] = "x".repeat(70 * 1024).into();
    let r = app.post_order(&body).await;
    assert_eq!(r.status(), 413);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
}

#[tokio::test]
async fn an_order_with_more_than_twenty_services_is_refused_by_field() {
    let app = spawn_app().await;
    let mut body = order_body("MANY-1", "2026-12-01");
    body["services"] = (0..21)
        .map(|i| serde_json::json!({"kind": "meetings", "sku": format!("SKU-{i}"), "quantity": 1}))
        .collect::<Vec<_>>()
        .into();
    let r = app.post_order(&body).await;
    assert_eq!(r.status(), 422);
    let errors: Value = r.json().await.unwrap();
    assert_eq!(errors["errors"][0]["field"], "services", "{errors}");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
}

#[tokio::test]
async fn a_cross_site_post_to_a_server_function_is_refused() {
    let app = spawn_app().await;
    for headers in [
        [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
        [("origin", "https://evil.example"), ("x-unused", "1")],
    ] {
        let mut request = app
            .client
            .post(format!("{}/api/hub/sign-in", app.base))
            .form(&[
                ("email", "someone@partner.example"),
                ("password", "whatever it is"),
            ]);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 403, "{headers:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sign_in_failures").await,
        0,
        "refused before the function ran"
    );
    // The same request from the site itself is answered as usual.
    let r = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "someone@partner.example"),
            ("password", "whatever it is"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_with_their_scripts_nonce_and_are_not_cached() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/hub", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = r.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the page's scripts carry it"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    let api = app
        .client
        .post(format!("{}/api/hub/view", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
}

/// A partner user with `password`, for sign-in tests.
async fn user_with_password(app: &TestApp, email: &str, password: &str) {
    let now: chrono::DateTime<chrono::Utc> = "2026-12-01T08:00:00Z".parse().unwrap();
    let org = app
        .state
        .store
        .ensure_partner_org(&format!("P-{email}"), "Partner s.r.o.", "CZ", now)
        .await
        .unwrap();
    let hash = setup_now::server::auth::hash_password_now(password).unwrap();
    app.state
        .store
        .ensure_partner_user(
            &org,
            email,
            setup_now::domain::Role::Administrator,
            Some(&hash),
            now,
        )
        .await
        .unwrap();
}

/// Signs in as if from `address` (the test server trusts
/// `x-forwarded-for`); the status.
async fn sign_in_from(app: &TestApp, address: &str, email: &str, password: &str) -> u16 {
    app.client
        .post(format!("{}/api/hub/sign-in", app.base))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn parallel_password_guesses_are_counted_before_they_are_checked() {
    let app = spawn_app().await;
    user_with_password(&app, "target@partner.example", "the right password").await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let client = app.client.clone();
            let url = format!("{}/api/hub/sign-in", app.base);
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[
                        ("email", "target@partner.example"),
                        ("password", format!("guess number {i:04}").as_str()),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    // On a busy machine an attempt may also wait too long for a hashing slot
    // (503): it was counted all the same, before anything was checked.
    let shed = statuses.iter().filter(|s| **s == 503).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked >= 1, "{statuses:?}");
    assert_eq!(
        checked + shed,
        5,
        "five free attempts, however parallel: {statuses:?}"
    );
    assert_eq!(refused, 15, "{statuses:?}");
}

#[tokio::test]
async fn a_throttled_sign_in_says_when_to_try_again() {
    let app = spawn_app().await;
    user_with_password(&app, "slow@partner.example", "the right password").await;
    for _ in 0..5 {
        let r = app
            .client
            .post(format!("{}/api/hub/sign-in", app.base))
            .form(&[
                ("email", "slow@partner.example"),
                ("password", "not the password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .form(&[
            ("email", "slow@partner.example"),
            ("password", "not the password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let error: setup_now::error::AppError = r.json().await.unwrap();
    assert!(matches!(
        error,
        setup_now::error::AppError::TooManyAttempts { retry_after_secs } if retry_after_secs >= 1
    ));
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_whatever_its_case() {
    let app = spawn_app().await;
    for (i, scheme) in ["bearer", "BEARER", "Bearer"].iter().enumerate() {
        let r = app
            .client
            .post(format!("{}/api/orders", app.base))
            .header("authorization", format!("{scheme} {TOKEN}"))
            .json(&order_body(&format!("CASE-{i}"), "2026-12-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{scheme}");
    }
    let r = app
        .client
        .post(format!("{}/api/orders", app.base))
        .header("authorization", format!("Basic {TOKEN}"))
        .json(&order_body("CASE-X", "2026-12-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn links_are_never_stored_in_clear_text() {
    let app = spawn_app().await;
    app.place("SEAL-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-seal-1@partner.example").await;
    assert_eq!(token.len(), 43, "the mailbox still shows the link");
    let stored: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT body_text, links_json, secret FROM outbox")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (text, links, secret) in stored {
        assert!(!text.contains(&token) && !links.contains(&token));
        assert!(!secret.unwrap_or_default().contains(&token));
    }
}

#[tokio::test]
async fn a_partner_cannot_flood_a_contact_with_resent_invitations() {
    let app = spawn_app().await;
    let id = app.place("FLOOD-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    // A partner user of that party.
    let org = app
        .state
        .store
        .ensure_partner_org(
            "P-FLOOD-1",
            "Partner s.r.o.",
            "CZ",
            "2026-12-01T08:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    let hash = setup_now::server::auth::hash_password_now("a long enough secret").unwrap();
    app.state
        .store
        .ensure_partner_user(
            &org,
            "user@flood.example",
            setup_now::domain::Role::Administrator,
            Some(&hash),
            "2026-12-01T08:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    let cookie = app
        .sign_in_cookie("user@flood.example", "a long enough secret")
        .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            app.call_as::<()>(Some(&cookie), "hub/resend", &[("order_id", id.as_str())])
                .await
                .map_or_else(|(status, _)| status, |()| 200),
        );
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    assert_eq!(
        app.mailbox("contact-flood-1@partner.example").await.len(),
        6,
        "the invitation and five resends"
    );
}

#[tokio::test]
async fn expired_sessions_and_idle_counters_are_purged_by_the_scheduler() {
    let app = spawn_app().await;
    let now: chrono::DateTime<chrono::Utc> = "2026-12-01T08:00:00Z".parse().unwrap();
    let org = app
        .state
        .store
        .ensure_partner_org("P-PURGE", "Partner s.r.o.", "CZ", now)
        .await
        .unwrap();
    let hash = setup_now::server::auth::hash_password_now("a long enough secret").unwrap();
    app.state
        .store
        .ensure_partner_user(
            &org,
            "user@purge.example",
            setup_now::domain::Role::Administrator,
            Some(&hash),
            now,
        )
        .await
        .unwrap();
    let (id, _) = app
        .state
        .store
        .password_of("user@purge.example")
        .await
        .unwrap()
        .unwrap();
    app.state.store.create_session(&id, now).await.unwrap();
    app.state
        .store
        .reserve_attempt("account:someone", now, setup_now::server::throttle::ACCOUNT)
        .await
        .unwrap();
    setup_now::server::services::pass::run(
        &app.state.store,
        now + chrono::Duration::minutes(10),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "still valid"
    );
    setup_now::server::services::pass::run(
        &app.state.store,
        now + chrono::Duration::days(8),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
}

#[tokio::test]
async fn a_malformed_server_function_request_is_a_400_not_a_500() {
    let app = spawn_app().await;
    for (endpoint, body) in [
        ("hub/sign-in", "email=only-this"),
        ("setup/commit", "token=x&draft[role]=Nonsense"),
        ("service/provision", "%%%"),
    ] {
        let r = app
            .client
            .post(format!("{}/api/{endpoint}", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{endpoint}: {}", r.text().await.unwrap());
    }
}

/// The account key was built from up to 64 KiB of unparsed input and
/// written before anything was checked: junk is refused first, and writes
/// nothing.
#[tokio::test]
async fn junk_for_an_address_is_refused_422_and_counts_nothing() {
    let app = spawn_app().await;
    for junk in ["x".repeat(60 * 1024), "not an address".into(), "".into()] {
        let r = app
            .client
            .post(format!("{}/api/hub/sign-in", app.base))
            .form(&[("email", junk.as_str()), ("password", "whatever it is")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
}

/// A flood of sign-ins with made-up addresses counts one network, not one
/// row per address.
#[tokio::test]
async fn sign_ins_with_random_addresses_do_not_grow_the_database() {
    let app = spawn_app_with(&[("SETUP_NOW_CLIENT_IP_HEADER", "x-forwarded-for")]).await;
    // One instant: waits do not run out between requests.
    app.set_clock("2026-12-01T08:00:00Z").await;
    for i in 0..25 {
        let status = sign_in_from(
            &app,
            &format!("2001:db8:7:7::{i:x}"),
            &format!("nobody-{i}@random.example"),
            "whatever it is",
        )
        .await;
        assert!(status == 401 || status == 429, "{status}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sign_in_failures").await,
        1,
        "one counter, for the /64 the addresses share"
    );
    // Fresh addresses of the same /64 are one network: past its allowance.
    let status = sign_in_from(
        &app,
        "2001:db8:7:7:abcd::1",
        "nobody@random.example",
        "x-x-x",
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(
        sign_in_from(&app, "2001:db8:7:8::1", "nobody@random.example", "x-x-x").await,
        401,
        "another /64 is another network"
    );
}

/// Five failures and a few requests an hour kept an owner out even with the
/// right password; a right password from a network they signed in from
/// before passes the account's count, guesses from elsewhere do not.
#[tokio::test]
async fn guessing_from_elsewhere_does_not_lock_the_owner_out() {
    let app = spawn_app_with(&[("SETUP_NOW_CLIENT_IP_HEADER", "x-forwarded-for")]).await;
    let (owner, password) = ("owner@partner.example", "the owners password");
    user_with_password(&app, owner, password).await;
    // One instant: waits do not run out between requests.
    app.set_clock("2026-12-01T08:00:00Z").await;
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", owner, password).await,
        200
    );
    let mut statuses = Vec::new();
    for i in 0..8 {
        statuses.push(sign_in_from(&app, "203.0.113.9", owner, &format!("guess {i:04}")).await);
    }
    assert_eq!(&statuses[..5], [401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // The attacker is held even with the right password.
    assert_eq!(
        sign_in_from(&app, "203.0.113.9", owner, password).await,
        429
    );
    // The owner, from their own network, is not.
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", owner, password).await,
        200
    );
}
