//! The service setup wizard's server side: subdomain reservations, billing once,
//! who may manage an order, and sign-in throttling.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use setup_now::domain::Subdomain;
use setup_now::error::{AppError, Refusal};
use setup_now::model::setup::{Draft, Role, WhoSetsUp};
use setup_now::server::access::Action;
use setup_now::server::services::provisioning;
use setup_now::server::store::SessionUser;
use setup_now::service::{CallingChoice, CallingInput};

const NOW: &str = "2026-12-01T08:00:00Z";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// An order set up by its provisioning contact (self setup or customer setup).
/// Returns the order id and the contact's and the administrator's users.
async fn set_up(app: &TestApp, number: &str, who: WhoSetsUp) -> (String, SessionUser, SessionUser) {
    app.place(number, "2026-12-01").await;
    app.set_clock(NOW).await;
    app.run_scheduler().await;
    let contact = format!("contact-{}@partner.example", number.to_lowercase());
    let admin = format!("admin-{}@customer.example", number.to_lowercase());
    let token = app.setup_token(&contact).await;
    let ctx = setup_now::server::services::links::open_setup(&app.state.store, &token, at(NOW))
        .await
        .unwrap();
    let mut draft = Draft::prefilled(&ctx);
    draft.role = Some(Role::Partner);
    draft.who = Some(who);
    draft.admin_email = admin.clone();
    let result = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &browser("test"),
    )
    .await
    .map(|c| c.result)
    .unwrap();
    (
        result.order_id,
        user(app, &contact).await,
        user(app, &admin).await,
    )
}

async fn user(app: &TestApp, email: &str) -> SessionUser {
    let (id, _) = app
        .state
        .store
        .password_of(email)
        .await
        .unwrap()
        .expect("user exists");
    let token = app.state.store.create_session(&id, at(NOW)).await.unwrap();
    app.state
        .store
        .session_user(&token, at(NOW))
        .await
        .unwrap()
        .unwrap()
}

fn calling() -> CallingChoice {
    CallingInput {
        location_name: "Praha HQ".into(),
        address: "Vinohradska 1, Praha".into(),
        country: "CZ".into(),
        time_zone: "Europe/Prague".into(),
        language: "cs_CZ".into(),
        pstn: "cisco".into(),
        location: String::new(),
    }
    .choose()
    .unwrap()
}

#[tokio::test]
async fn two_reservations_of_one_subdomain_one_wins() {
    let app = spawn_app().await;
    let (a, _, _) = set_up(&app, "SUB-A", WhoSetsUp::Myself).await;
    let (b, _, _) = set_up(&app, "SUB-B", WhoSetsUp::Myself).await;
    let name = Subdomain::parse("Acme-Site").unwrap();
    let store = &app.state.store;
    let (ra, rb) = tokio::join!(
        provisioning::reserve_subdomain(store, &a, &name, "someone@partner.example", at(NOW)),
        provisioning::reserve_subdomain(store, &b, &name, "someone@partner.example", at(NOW))
    );
    let results = [ra, rb];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.contains(&Err(AppError::Refused(Refusal::SubdomainTaken))));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM meeting_sites WHERE subdomain = 'acme-site'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM meeting_sites").await, 1);
}

#[tokio::test]
async fn an_order_can_change_its_own_subdomain_before_provisioning() {
    let app = spawn_app().await;
    let (a, _, _) = set_up(&app, "SUB-C", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    provisioning::reserve_subdomain(
        store,
        &a,
        &Subdomain::parse("first-name").unwrap(),
        "someone@partner.example",
        at(NOW),
    )
    .await
    .unwrap();
    provisioning::reserve_subdomain(
        store,
        &a,
        &Subdomain::parse("second-name").unwrap(),
        "someone@partner.example",
        at(NOW),
    )
    .await
    .unwrap();
    assert!(
        app.count("SELECT COUNT(*) FROM meeting_sites WHERE subdomain = 'first-name'")
            .await
            == 0,
        "the old name is released"
    );
    assert_eq!(
        store
            .service_view(&a)
            .await
            .unwrap()
            .unwrap()
            .subdomain
            .as_deref(),
        Some("second-name")
    );
}

/// The live check reads once: a live session's answer says whether the name
/// is taken; no session, or an expired one, gets no answer at all.
#[tokio::test]
async fn the_availability_check_answers_live_sessions_only() {
    let app = spawn_app().await;
    let (a, partner, _) = set_up(&app, "SUB-D", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    let token = store
        .create_session(&partner.user_id, at(NOW))
        .await
        .unwrap();
    let check = |token: &str, now: &str| {
        let (token, now) = (token.to_string(), at(now));
        async move {
            store
                .subdomain_check(&token, "free-name", now)
                .await
                .unwrap()
        }
    };
    assert_eq!(check(&token, NOW).await, Some(false));
    provisioning::reserve_subdomain(
        store,
        &a,
        &Subdomain::parse("free-name").unwrap(),
        &partner.email,
        at(NOW),
    )
    .await
    .unwrap();
    assert_eq!(check(&token, NOW).await, Some(true));
    assert_eq!(check("no-such-session", NOW).await, None);
    assert_eq!(
        check(&token, "2027-12-01T08:00:00Z").await,
        None,
        "an expired session"
    );
}

#[tokio::test]
async fn provisioning_needs_the_settings_of_what_was_bought() {
    let app = spawn_app().await;
    let (a, contact, _) = set_up(&app, "PROV-A", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    assert_eq!(
        provisioning::provision(store, &a, &contact.email, at(NOW))
            .await
            .unwrap_err(),
        AppError::Refused(Refusal::StepIncomplete)
    );
    provisioning::save_calling(store, &a, &calling(), "someone@partner.example", at(NOW))
        .await
        .unwrap();
    assert!(
        provisioning::provision(store, &a, &contact.email, at(NOW))
            .await
            .is_err(),
        "meetings still missing"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'billing_started'")
            .await,
        0
    );
}

#[tokio::test]
async fn concurrent_presses_start_billing_once_and_send_one_email() {
    let app = spawn_app().await;
    let (a, contact, _) = set_up(&app, "BILL-A", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    provisioning::save_calling(store, &a, &calling(), "someone@partner.example", at(NOW))
        .await
        .unwrap();
    provisioning::reserve_subdomain(
        store,
        &a,
        &Subdomain::parse("bill-a").unwrap(),
        "someone@partner.example",
        at(NOW),
    )
    .await
    .unwrap();
    let later = at("2026-12-02T10:00:00Z");
    let (x, y, z) = tokio::join!(
        provisioning::provision(store, &a, &contact.email, later),
        provisioning::provision(store, &a, &contact.email, later),
        provisioning::provision(store, &a, &contact.email, later)
    );
    assert_eq!(x.unwrap(), "2026-12-02");
    assert_eq!(y.unwrap(), "2026-12-02");
    assert_eq!(z.unwrap(), "2026-12-02");
    assert_eq!(
        provisioning::provision(store, &a, &contact.email, at("2026-12-09T10:00:00Z"))
            .await
            .unwrap(),
        "2026-12-02"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'billing_started'")
            .await,
        1
    );
    let mails = app.mailbox(&contact.email).await;
    assert!(
        mails
            .iter()
            .any(|m| m["kind"] == "billing_started"
                && m["subject"].as_str().unwrap().contains("Sub-"))
    );
    assert_eq!(
        provisioning::reserve_subdomain(
            store,
            &a,
            &Subdomain::parse("too-late").unwrap(),
            "someone@partner.example",
            later
        )
        .await
        .unwrap_err(),
        AppError::Refused(Refusal::OrderAlreadySetUp)
    );
}

#[tokio::test]
async fn calling_settings_cannot_change_after_billing_started_and_the_audit_names_the_person() {
    let app = spawn_app().await;
    let (a, contact, _) = set_up(&app, "LOCK-A", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    provisioning::save_calling(store, &a, &calling(), &contact.email, at(NOW))
        .await
        .unwrap();
    provisioning::reserve_subdomain(
        store,
        &a,
        &Subdomain::parse("lock-a").unwrap(),
        &contact.email,
        at(NOW),
    )
    .await
    .unwrap();
    provisioning::provision(store, &a, &contact.email, at(NOW))
        .await
        .unwrap();
    assert_eq!(
        provisioning::save_calling(store, &a, &calling(), &contact.email, at(NOW))
            .await
            .unwrap_err(),
        AppError::Refused(Refusal::OrderAlreadySetUp)
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit WHERE order_id = '{a}' AND actor = '{}' \
             AND action IN ('calling_settings_saved', 'subdomain_reserved', 'billing_started')",
            contact.email
        ))
        .await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE actor IN ('service', 'commerce')")
            .await,
        1,
        "only the order's placing is the commerce system's"
    );
}

#[tokio::test]
async fn another_partner_may_not_manage_an_order() {
    let app = spawn_app().await;
    let (a, _, _) = set_up(&app, "AUTH-A", WhoSetsUp::Myself).await;
    let (_, other_partner, other_admin) = set_up(&app, "AUTH-B", WhoSetsUp::Myself).await;
    let store = &app.state.store;
    assert_eq!(
        setup_now::server::access::authorize(store, &other_partner, &a, Action::Manage)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        setup_now::server::access::authorize(store, &other_admin, &a, Action::Manage)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn a_customer_managed_organization_is_refused_to_its_partner() {
    let app = spawn_app().await;
    let (a, partner, admin) = set_up(&app, "MBC-A", WhoSetsUp::Customer).await;
    let store = &app.state.store;
    assert_eq!(
        setup_now::server::access::authorize(store, &partner, &a, Action::Manage)
            .await
            .unwrap_err(),
        AppError::Refused(Refusal::ManagedByCustomer)
    );
    setup_now::server::access::authorize(store, &admin, &a, Action::Manage)
        .await
        .expect("the customer administrator manages it");
    let (hub, _) = store
        .hub_page(
            &partner,
            &setup_now::hub::HubFilter::default(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    assert!(
        hub.iter()
            .any(|(_, o, _)| o.id == a && o.managed_by_customer)
    );
}

#[tokio::test]
async fn the_partner_manages_the_organizations_it_set_up() {
    let app = spawn_app().await;
    let (a, partner, admin) = set_up(&app, "OWN-A", WhoSetsUp::Myself).await;
    setup_now::server::access::authorize(&app.state.store, &partner, &a, Action::Manage)
        .await
        .unwrap();
    setup_now::server::access::authorize(&app.state.store, &admin, &a, Action::Manage)
        .await
        .unwrap();
}

#[tokio::test]
async fn server_functions_refuse_a_request_without_a_session() {
    let app = spawn_app().await;
    let (a, _, _) = set_up(&app, "NOSESS-A", WhoSetsUp::Myself).await;
    let r = app
        .client
        .post(format!("{}/api/service/provision", app.base))
        .form(&[("order_id", a.as_str())])
        .send()
        .await
        .unwrap();
    assert!(!r.status().is_success());
    assert!(r.text().await.unwrap().contains("Unauthorized"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE provisioned_at IS NOT NULL")
            .await,
        0
    );
    let r = app
        .client
        .post(format!("{}/api/service/subdomain", app.base))
        .form(&[("name", "some-site")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let r = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_slowed_down_per_account() {
    let app = spawn_app().await;
    let (_, partner, _) = set_up(&app, "THROT-A", WhoSetsUp::Myself).await;
    let hash = setup_now::server::auth::hash_password_now("the right password").unwrap();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(&hash)
        .bind(&partner.email)
        .execute(&app.db)
        .await
        .unwrap();
    let (status, _) = sign_in(&app, &partner.email, "the right password").await;
    assert_eq!(status, 200);
    for _ in 0..5 {
        let (status, body) = sign_in(&app, &partner.email, "a wrong password").await;
        assert_ne!(status, 200);
        assert!(body.contains("Unauthorized"), "{body}");
    }
    let (status, body) = sign_in(&app, &partner.email, "a wrong password").await;
    assert_ne!(status, 200);
    assert!(body.contains("TooManyAttempts"), "held: {body}");
    // The owner signed in from this network before: the right password
    // passes the hold (guesses from elsewhere are held: tests/server/hardening.rs).
    let (status, _) = sign_in(&app, &partner.email, "the right password").await;
    assert_eq!(status, 200);
    // An unknown account is answered like a wrong password.
    let (_, body) = sign_in(&app, "nobody@partner.example", "whatever it is").await;
    assert!(body.contains("Unauthorized"), "{body}");
}
