//! Sessions that end: after their idle time, after their lifetime whatever
//! happens, and a cookie without the `__Host-` prefix is never read behind
//! https (the test server's public URL is https).

use crate::helpers::*;
use crate::organizations::{contact, partner_sets_up};

const PASSWORD: &str = "a long enough secret";

/// Signs in the contact of a set-up order at `at` (the development clock);
/// its session cookie as `name=value`.
async fn signed_in(app: &TestApp, number: &str, at: &str) -> String {
    let admin = format!("admin-{}@customer.example", number.to_lowercase());
    partner_sets_up(app, number, &format!("P-{number}"), &admin).await;
    app.give_password(&contact(number), PASSWORD).await;
    app.set_clock(at).await;
    app.sign_in_cookie(&contact(number), PASSWORD).await
}

/// Whether the hub sees this cookie signed in at `at` (it answers
/// nobody's view, `null`, to a browser that is not).
async fn signed_in_at(app: &TestApp, cookie: &str, at: &str) -> bool {
    app.set_clock(at).await;
    let form = [("page", "1"), ("status", ""), ("q", "")];
    let view = app
        .call_as::<serde_json::Value>(Some(cookie), "hub/view", &form)
        .await
        .unwrap();
    !view.is_null()
}

#[tokio::test]
async fn a_session_ends_after_30_minutes_without_a_request() {
    let app = spawn_app().await;
    let cookie = signed_in(&app, "SES-IDLE", "2026-12-02T08:00:00Z").await;
    // Used every 25 minutes, it stays.
    assert!(signed_in_at(&app, &cookie, "2026-12-02T08:25:00Z").await);
    assert!(signed_in_at(&app, &cookie, "2026-12-02T08:50:00Z").await);
    assert!(signed_in_at(&app, &cookie, "2026-12-02T09:15:00Z").await);
    // 31 minutes without one, it has ended.
    assert!(!signed_in_at(&app, &cookie, "2026-12-02T09:46:00Z").await);
    assert!(!signed_in_at(&app, &cookie, "2026-12-02T09:47:00Z").await);
}

#[tokio::test]
async fn a_session_ends_at_its_lifetime_however_much_it_is_used() {
    let app = spawn_app_with(&[("SETUP_NOW_SESSION_HOURS", "1")]).await;
    let cookie = signed_in(&app, "SES-LIFE", "2026-12-02T08:00:00Z").await;
    for at in ["08:20", "08:40", "08:55"] {
        let at = format!("2026-12-02T{at}:00Z");
        assert!(signed_in_at(&app, &cookie, &at).await, "{at}");
    }
    assert!(!signed_in_at(&app, &cookie, "2026-12-02T09:01:00Z").await);
}

#[tokio::test]
async fn behind_https_only_the_prefixed_cookie_signs_in() {
    let app = spawn_app().await;
    let admin = "admin-ses-host@customer.example";
    partner_sets_up(&app, "SES-HOST", "P-SES-HOST", admin).await;
    app.give_password(&contact("SES-HOST"), PASSWORD).await;
    let r = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .form(&[
            ("email", contact("SES-HOST").as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-setup_now_session="))
        .expect("the session cookie carries the __Host- prefix");
    assert!(set.contains("Secure") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Domain"), "{set}");
    let secret = cookie_in(&r, "__Host-setup_now_session").unwrap();
    let secret = secret.split_once('=').map_or(secret.as_str(), |(_, v)| v);

    let now = "2026-12-01T08:00:00Z";
    let prefixed = format!("__Host-setup_now_session={secret}");
    assert!(signed_in_at(&app, &prefixed, now).await);
    // The same secret planted without the prefix (as a sibling subdomain
    // could) is not read.
    let planted = format!("setup_now_session={secret}");
    assert!(!signed_in_at(&app, &planted, now).await);
}
