//! Two-step sign-in (issue 24, contract section 13): turned on with a first
//! code, then asked for after the password; a code works once, a recovery
//! code once; an administrator can require it, and until a user turns it on
//! they can do nothing else; turning it on and "Sign out everywhere" end
//! sessions.

use crate::helpers::*;
use crate::organizations::{NOW, PASSWORD, at, contact, partner_sets_up};
use serde_json::Value;
use setup_now::domain::Role;
use setup_now::server::two_step::code_at;

/// The development clock's instant as Unix seconds.
fn unix(at_text: &str) -> i64 {
    at(at_text).timestamp()
}

/// A partner administrator with a password and a session: (address, cookie).
pub(crate) async fn administrator(app: &TestApp, number: &str) -> (String, String) {
    let party = format!("P-{number}");
    partner_sets_up(
        app,
        number,
        &party,
        &format!("admin-{}@customer.example", number.to_lowercase()),
    )
    .await;
    let admin = contact(number);
    app.give_password(&admin, PASSWORD).await;
    app.set_clock(NOW).await;
    let cookie = app.sign_in_cookie(&admin, PASSWORD).await;
    (admin, cookie)
}

/// Signs in with a password and, when given, a code: the status and body.
pub(crate) async fn sign_in(
    app: &TestApp,
    email: &str,
    code: Option<&str>,
) -> (u16, String, Option<String>) {
    let mut form = vec![("email", email), ("password", PASSWORD)];
    if let Some(code) = code {
        form.push(("code", code));
    }
    let response = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    (status, response.text().await.unwrap(), cookie)
}

/// Turns two-step sign-in on for the session's user at `now`: the secret
/// and the recovery codes.
pub(crate) async fn turn_on(app: &TestApp, cookie: &str, now: &str) -> (String, Vec<String>) {
    app.set_clock(now).await;
    let enrolment: Value = app
        .call_as(Some(cookie), "account/two-step/start", &[])
        .await
        .unwrap();
    let secret = enrolment["secret"].as_str().unwrap().to_string();
    assert!(
        enrolment["qr_code"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    // A wrong first code turns nothing on.
    let wrong = app
        .call_as::<Value>(
            Some(cookie),
            "account/two-step/confirm",
            &[("code", "000000")],
        )
        .await;
    let right = code_at(&secret, unix(now)).unwrap();
    if right != "000000" {
        assert_eq!(wrong.unwrap_err().0, 422);
    }
    let codes: Vec<String> = app
        .call_as(
            Some(cookie),
            "account/two-step/confirm",
            &[("code", &right)],
        )
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

#[tokio::test]
async fn after_the_password_a_code_is_asked_for_and_a_code_works_once() {
    let app = spawn_app().await;
    let (admin, cookie) = administrator(&app, "TWO-1").await;
    let (secret, _) = turn_on(&app, &cookie, "2026-12-01T08:00:00Z").await;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT totp_secret FROM users WHERE email = $1")
            .bind(&admin)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(!stored.unwrap().contains(&secret), "the secret is sealed");

    // The password alone signs nobody in.
    app.set_clock("2026-12-01T08:01:00Z").await;
    let (status, body, cookie) = sign_in(&app, &admin, None).await;
    assert_eq!((status, body.as_str()), (200, "\"CodeNeeded\""));
    assert!(cookie.is_none(), "no session before the code");
    // The code used to turn it on was accepted once: refused again.
    let used = code_at(&secret, unix("2026-12-01T08:00:00Z")).unwrap();
    let (status, body, _) = sign_in(&app, &admin, Some(&used)).await;
    assert_eq!(status, 422, "{body}");
    // Now's code signs in, once.
    let now = code_at(&secret, unix("2026-12-01T08:01:00Z")).unwrap();
    let (status, body, cookie) = sign_in(&app, &admin, Some(&now)).await;
    assert_eq!((status, body.as_str()), (200, "\"Done\""));
    let cookie = cookie.expect("a session");
    let hub: Value = app.call_as(Some(&cookie), "hub/view", &[]).await.unwrap();
    assert_eq!(hub["email"], admin.as_str());
    let (status, _, cookie) = sign_in(&app, &admin, Some(&now)).await;
    assert_eq!(status, 422, "a replayed code is refused");
    assert!(cookie.is_none());
    // One step of drift either way, no more.
    let late = code_at(&secret, unix("2026-12-01T08:02:00Z")).unwrap();
    app.set_clock("2026-12-01T08:02:45Z").await;
    let early = code_at(&secret, unix("2026-12-01T08:03:00Z")).unwrap();
    assert_eq!(sign_in(&app, &admin, Some(&early)).await.0, 200);
    // (An older step than the last one used is refused whatever it is.)
    assert_eq!(sign_in(&app, &admin, Some(&late)).await.0, 422);
    app.set_clock("2026-12-01T08:10:00Z").await;
    let stale = code_at(&secret, unix("2026-12-01T08:05:00Z")).unwrap();
    let fresh = code_at(&secret, unix("2026-12-01T08:10:00Z")).unwrap();
    if stale != fresh {
        assert_eq!(sign_in(&app, &admin, Some(&stale)).await.0, 422);
    }
}

#[tokio::test]
async fn a_recovery_code_works_once_and_wrong_codes_are_throttled_like_passwords() {
    let app = spawn_app().await;
    let (admin, cookie) = administrator(&app, "TWO-2").await;
    let (_, codes) = turn_on(&app, &cookie, "2026-12-01T08:00:00Z").await;
    let recovery = codes[3].to_uppercase();
    let (status, body, cookie) = sign_in(&app, &admin, Some(&recovery)).await;
    assert_eq!((status, body.as_str()), (200, "\"Done\""));
    assert!(cookie.is_some());
    let (status, _, cookie) = sign_in(&app, &admin, Some(&codes[3])).await;
    assert_eq!(status, 422, "a recovery code used twice is refused");
    assert!(cookie.is_none());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE action = 'recovery_code_used'")
            .await,
        1
    );
    // Wrong codes count as wrong passwords: the account is held soon.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(sign_in(&app, &admin, Some("123456")).await.0);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn a_required_two_step_user_can_do_nothing_else_until_it_is_on() {
    let app = spawn_app().await;
    let (admin, admin_cookie) = administrator(&app, "TWO-3").await;
    let org: String = sqlx::query_scalar("SELECT id FROM partner_orgs WHERE party_id = 'P-TWO-3'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let member = "member@two-3.example";
    let hash = setup_now::server::auth::hash_password_now(PASSWORD).unwrap();
    app.state
        .store
        .ensure_partner_user(&org, member, Role::Member, Some(&hash), at(NOW))
        .await
        .unwrap();
    let member_cookie = app.sign_in_cookie(member, PASSWORD).await;
    let order: String = sqlx::query_scalar("SELECT id FROM orders WHERE order_number = 'TWO-3'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // The administrator turns it on, and only an administrator requires it.
    turn_on(&app, &admin_cookie, "2026-12-01T08:10:00Z").await;
    assert_eq!(
        app.call_as::<Value>(
            Some(&member_cookie),
            "people/two-step",
            &[("required", "true")]
        )
        .await
        .unwrap_err()
        .0,
        403
    );
    let () = app
        .call_as(
            Some(&admin_cookie),
            "people/two-step",
            &[("required", "true")],
        )
        .await
        .unwrap();
    let people: Value = app
        .call_as(Some(&admin_cookie), "people/load", &[])
        .await
        .unwrap();
    assert_eq!(people["two_step_required"], true);

    // Signing in answers: turn it on first.
    let (status, body, _) = sign_in(&app, member, None).await;
    assert_eq!((status, body.as_str()), (200, "\"TurnOnTwoStep\""));
    // Every server function of a signed-in user refuses the member.
    let order_arg = [("order_id", order.as_str())];
    let calls: [(&str, &[(&str, &str)]); 6] = [
        ("hub/view", &[]),
        ("hub/resend", &order_arg),
        ("service/load", &order_arg),
        ("service/provision", &order_arg),
        ("activity/load", &order_arg),
        ("people/load", &[]),
    ];
    for (endpoint, form) in calls {
        let refused = app
            .call_as::<Value>(Some(&member_cookie), endpoint, form)
            .await
            .unwrap_err();
        assert_eq!(refused.0, 403, "{endpoint}: {}", refused.1);
        assert!(
            refused.1.contains("TwoStepRequired"),
            "{endpoint}: {}",
            refused.1
        );
    }
    let csv = app
        .client
        .get(format!("{}/activity/{order}/csv", app.base))
        .header("cookie", &member_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 403);
    // The account page answers, and turning it on lets them in.
    let account: Value = app
        .call_as(Some(&member_cookie), "account/view", &[])
        .await
        .unwrap();
    assert_eq!(account["two_step_required"], true);
    assert_eq!(account["two_step_on"], false);
    turn_on(&app, &member_cookie, "2026-12-01T08:15:00Z").await;
    let hub: Value = app
        .call_as(Some(&member_cookie), "hub/view", &[])
        .await
        .unwrap();
    assert_eq!(hub["email"], member);
    // What they did is on record.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit WHERE partner_org_id = $1 AND action LIKE 'two_step%' ORDER BY id",
    )
    .bind(&org)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(actions, ["two_step_on", "two_step_required", "two_step_on"]);
    let who: Vec<String> = sqlx::query_scalar(
        "SELECT actor FROM audit WHERE partner_org_id = $1 AND action LIKE 'two_step%' ORDER BY id",
    )
    .bind(&org)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(who, [admin.as_str(), admin.as_str(), member]);
}

#[tokio::test]
async fn turning_it_on_ends_other_sessions_and_sign_out_everywhere_ends_all() {
    let app = spawn_app().await;
    let (admin, first) = administrator(&app, "TWO-4").await;
    let second = app.sign_in_cookie(&admin, PASSWORD).await;
    let signed_in = |cookie: String| {
        let app = &app;
        async move {
            !app.call_as::<Value>(Some(&cookie), "hub/view", &[])
                .await
                .unwrap()
                .is_null()
        }
    };
    assert!(signed_in(second.clone()).await);
    let (secret, _) = turn_on(&app, &first, "2026-12-01T08:00:00Z").await;
    assert!(signed_in(first.clone()).await, "this session stays");
    assert!(!signed_in(second).await, "the other one ended");

    app.set_clock("2026-12-01T08:05:00Z").await;
    let code = code_at(&secret, unix("2026-12-01T08:05:00Z")).unwrap();
    let third = sign_in(&app, &admin, Some(&code)).await.2.unwrap();
    let () = app
        .call_as(Some(&first), "account/sign-out-everywhere", &[])
        .await
        .unwrap();
    assert!(!signed_in(first).await);
    assert!(!signed_in(third).await);

    // Turning it off needs the password and a code.
    app.set_clock("2026-12-01T08:06:00Z").await;
    let code = code_at(&secret, unix("2026-12-01T08:06:00Z")).unwrap();
    let cookie = sign_in(&app, &admin, Some(&code)).await.2.unwrap();
    let wrong = app
        .call_as::<Value>(
            Some(&cookie),
            "account/two-step/off",
            &[("password", "not the password"), ("code", "123456")],
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.0, 422);
    app.set_clock("2026-12-01T08:07:00Z").await;
    let code = code_at(&secret, unix("2026-12-01T08:07:00Z")).unwrap();
    let () = app
        .call_as(
            Some(&cookie),
            "account/two-step/off",
            &[("password", PASSWORD), ("code", &code)],
        )
        .await
        .unwrap();
    let (status, body, _) = sign_in(&app, &admin, None).await;
    assert_eq!((status, body.as_str()), (200, "\"Done\""));
}
