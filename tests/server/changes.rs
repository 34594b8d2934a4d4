//! Customers over time (issue 25, contract section 14): settings that belong
//! to the customer organization, and change orders that go from intake to
//! billing without the setup wizard.

use crate::helpers::*;
use crate::organizations::{
    NOW, PASSWORD, at, commit, contact, partner_draft_checked, partner_sets_up,
};
use serde_json::Value;
use setup_now::domain::Subdomain;
use setup_now::error::{AppError, Refusal};
use setup_now::model::setup::WhoSetsUp;
use setup_now::server::services::provisioning;
use setup_now::service::{CallingChoice, CallingInput};

fn new_location(name: &str) -> CallingChoice {
    CallingInput {
        location: String::new(),
        location_name: name.into(),
        address: "Vinohradska 1, Praha".into(),
        country: "CZ".into(),
        time_zone: "Europe/Prague".into(),
        language: "cs_CZ".into(),
        pstn: "cisco".into(),
    }
    .choose()
    .unwrap()
}

/// Order `number` of partner `party` set up by its contact for `admin`'s
/// customer, with a calling location and meeting site `site`, provisioned.
async fn provisioned(app: &TestApp, number: &str, party: &str, admin: &str, site: &str) -> String {
    let order = partner_sets_up(app, number, party, admin).await;
    let (store, by) = (&app.state.store, contact(number));
    provisioning::save_calling(store, &order, &new_location("Praha HQ"), &by, at(NOW))
        .await
        .unwrap();
    let site = Subdomain::parse(site).unwrap();
    provisioning::reserve_subdomain(store, &order, &site, &by, at(NOW))
        .await
        .unwrap();
    provisioning::provision(store, &order, &by, at(NOW))
        .await
        .unwrap();
    order
}

async fn order_json(app: &TestApp, number: &str) -> Value {
    let r = app
        .client
        .get(format!("{}/api/orders/{number}", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_second_order_of_a_customer_reuses_its_meeting_site_and_offers_its_locations() {
    let app = spawn_app().await;
    let admin = "it@reuse-customer.example";
    provisioned(&app, "REUSE-1", "P-REUSE", admin, "reuse-site").await;
    // The same contact sets up a new subscription for the same customer.
    let by = contact("REUSE-1");
    let mut body = order_body("REUSE-2", "2026-12-01");
    body["partner"]["party_id"] = "P-REUSE".into();
    body["provisioning_contact_email"] = by.as_str().into();
    assert_eq!(app.post_order(&body).await.status(), 201);
    app.run_scheduler().await;
    let token = app.setup_token(&by).await;
    let draft = partner_draft_checked(&app, &token, WhoSetsUp::Myself, admin).await;
    let second = commit(&app, &token, &draft).await.unwrap().order_id;
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT customer_org_id) FROM orders")
            .await,
        1
    );
    assert_eq!(order_json(&app, "REUSE-2").await["kind"], "new");

    let store = &app.state.store;
    let view = store.service_view(&second).await.unwrap().unwrap();
    assert!(view.site_set_up);
    assert_eq!(view.subdomain.as_deref(), Some("reuse-site"));
    assert_eq!(view.locations.len(), 1);
    assert_eq!(view.locations[0].settings.location_name, "Praha HQ");
    // Offered, not saved yet: the organization's location is the proposal.
    assert!(!view.calling_saved);
    assert_eq!(view.calling.location, view.locations[0].id);
    let saved = CallingChoice::Saved(view.locations[0].id.clone());

    // No second meeting site for the same organization.
    let other = Subdomain::parse("another-site").unwrap();
    assert_eq!(
        provisioning::reserve_subdomain(store, &second, &other, &by, at(NOW)).await,
        Err(AppError::Refused(Refusal::SiteAlreadySetUp))
    );
    // A location of another organization is not this order's to use.
    assert_eq!(
        provisioning::save_calling(
            store,
            &second,
            &CallingChoice::Saved("no-such-location".into()),
            &by,
            at(NOW)
        )
        .await,
        Err(AppError::NotFound)
    );
    // A new location becomes the organization's second; saved again, it is
    // changed rather than added; the saved one chosen, nothing is added.
    provisioning::save_calling(store, &second, &new_location("Brno"), &by, at(NOW))
        .await
        .unwrap();
    provisioning::save_calling(store, &second, &new_location("Brno 2"), &by, at(NOW))
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM calling_locations").await, 2);
    provisioning::save_calling(store, &second, &saved, &by, at(NOW))
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM calling_locations").await, 2);
    let view = store.service_view(&second).await.unwrap().unwrap();
    assert!(view.calling_saved);
    assert_eq!(view.calling.location_name, "Praha HQ");
    // Billing starts with the organization's site.
    provisioning::provision(store, &second, &by, at(NOW))
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM meeting_sites").await, 1);
    assert_eq!(order_json(&app, "REUSE-2").await["status"], "provisioned");
}

#[tokio::test]
async fn a_change_order_goes_from_intake_to_billing_without_the_setup_wizard() {
    let app = spawn_app().await;
    let first = provisioned(
        &app,
        "CHG-1",
        "P-CHG",
        "it@change-customer.example",
        "change-site",
    )
    .await;
    let by = contact("CHG-1");
    // Another partner's contact, who does not manage the subscription.
    partner_sets_up(&app, "CHG-X", "P-OTHER", "it@other-customer.example").await;
    let stranger = contact("CHG-X");
    app.give_password(&stranger, PASSWORD).await;
    let made = "SELECT (SELECT COUNT(*) FROM customer_orgs) + (SELECT COUNT(*) FROM partner_orgs) \
                + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM meeting_sites) \
                + (SELECT COUNT(*) FROM calling_locations)";
    let before = app.count(made).await;

    // An add-on to the provisioned subscription, starting two days later.
    let mut body = order_body("CHG-2", "2026-12-03");
    body["subscription_id"] = "Sub-CHG-1".into();
    body["partner"]["party_id"] = "P-CHG".into();
    body["provisioning_contact_email"] = by.as_str().into();
    body["services"] =
        serde_json::json!([{ "kind": "webinars", "sku": "A-WX-WEB", "quantity": 5 }]);
    assert_eq!(app.post_order(&body).await.status(), 201);
    assert_eq!(order_json(&app, "CHG-2").await["kind"], "change");
    assert_eq!(order_json(&app, "CHG-1").await["kind"], "new");

    app.set_clock("2026-12-03T08:00:00Z").await;
    app.run_scheduler().await;
    let change_mail: Vec<Value> = app
        .mailbox(&by)
        .await
        .into_iter()
        .filter(|m| m["kind"] == "change_invitation")
        .collect();
    assert_eq!(change_mail.len(), 1);
    assert!(
        change_mail[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Zřízení aktualizací předplatného"),
        "{}",
        change_mail[0]["subject"]
    );
    let token = app.setup_token(&by).await;
    let ctx = setup_now::server::services::links::open_setup(
        &app.state.store,
        &token,
        at("2026-12-03T08:00:00Z"),
    )
    .await
    .unwrap();
    assert!(ctx.change_order);

    // Nobody signed in: sign in first. A partner who does not manage the
    // subscription may not take it up.
    let form = [("token", token.as_str())];
    assert_eq!(
        app.call::<String>("setup/change", &form)
            .await
            .unwrap_err()
            .0,
        401
    );
    let stranger = app.sign_in_cookie(&stranger, PASSWORD).await;
    assert_eq!(
        app.call_as::<String>(Some(&stranger), "setup/change", &form)
            .await
            .unwrap_err()
            .0,
        403
    );

    app.give_password(&by, PASSWORD).await;
    let session = app.sign_in_cookie(&by, PASSWORD).await;
    let second: String = sqlx::query_scalar("SELECT id FROM orders WHERE order_number = 'CHG-2'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path: String = app
        .call_as(Some(&session), "setup/change", &form)
        .await
        .unwrap();
    assert_eq!(path, format!("/service/{second}"));
    // The same link again (a reload) leads to the same place.
    let again: String = app
        .call_as(Some(&session), "setup/change", &form)
        .await
        .unwrap();
    assert_eq!(again, path);
    assert_eq!(order_json(&app, "CHG-2").await["status"], "set_up");

    // The service wizard lists this order's services, with the site set up.
    let view = app
        .state
        .store
        .service_view(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        view.services,
        [("webinars".to_string(), "A-WX-WEB".to_string(), 5)]
    );
    assert!(view.site_set_up);
    let date: String = app
        .call_as(
            Some(&session),
            "service/provision",
            &[("order_id", second.as_str())],
        )
        .await
        .unwrap();
    assert_eq!(date, "2026-12-03");
    assert_eq!(order_json(&app, "CHG-2").await["status"], "provisioned");
    assert_eq!(order_json(&app, "CHG-1").await["status"], "provisioned");
    assert_ne!(first, second);

    // No organization, person, site or location made twice.
    assert_eq!(app.count(made).await, before);
    // What the change adds is in the activity, and the events say it is a
    // change.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit WHERE action = 'change_set_up' AND order_id = '{second}' \
             AND detail LIKE '%webinars%'"
        ))
        .await,
        1
    );
    let kinds: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT payload FROM events WHERE order_id = '{second}' ORDER BY id"
    ))
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(kinds.len() >= 3, "{kinds:?}");
    assert!(
        kinds.iter().all(|p| p.contains(r#""order_kind":"change""#)),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn the_upgrade_keeps_every_site_and_location_and_gives_them_to_the_organization() {
    // A database as the release before migration 0010 left it: one customer
    // organization whose two orders each reserved a site and saved a
    // location (what that release did).
    let database = database::TestDatabase::new().await;
    sqlx::any::install_default_drivers();
    let url = match database.url.starts_with("sqlite") {
        // The file does not exist yet.
        true if !database.url.contains('?') => format!("{}?mode=rwc", database.url),
        _ => database.url.clone(),
    };
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let mut migrator = if database.url.starts_with("postgres") {
        sqlx::migrate!("./migrations/postgres")
    } else {
        sqlx::migrate!("./migrations/sqlite")
    };
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 10)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    migrator.run(&pool).await.unwrap();
    let at = "2026-06-01T08:00:00Z";
    let rows = [
        format!(
            "INSERT INTO partner_orgs (id, party_id, name, country, created_at) \
             VALUES ('p-old', 'P-OLD', 'Old Partner', 'CZ', '{at}')"
        ),
        format!(
            "INSERT INTO customer_orgs (id, name, country, address, managed_by_partner_id, created_at) \
             VALUES ('c-old', 'Old Customer', 'CZ', 'Praha 1', 'p-old', '{at}')"
        ),
    ];
    for sql in rows {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    for (n, site) in [(1, "old-site-one"), (2, "old-site-two")] {
        for sql in [
            format!(
                "INSERT INTO orders (id, order_number, body_digest, offer, subscription_id, requested_start_date, \
                 provisioning_contact_email, account_rep_email, partner_party_id, partner_name, partner_country, \
                 customer_name, customer_country, customer_address, created_at, invited_at, setup_at, \
                 setup_mode, setup_by_email, partner_org_id, customer_org_id) \
                 VALUES ('o-{n}', 'OLD-{n}', 'x', 'A-WX', 'Sub-OLD-{n}', '2026-06-01', 'c@old.example', \
                 'rep@cisco.example', 'P-OLD', 'Old Partner', 'CZ', 'Old Customer', 'CZ', 'Praha 1', '{at}', \
                 '{at}', '{at}', 'partner', 'c@old.example', 'p-old', 'c-old')"
            ),
            format!(
                "INSERT INTO calling_settings (order_id, location_name, address, country, time_zone, language, \
                 pstn, updated_at) VALUES ('o-{n}', 'Site {n}', 'Praha 1', 'CZ', 'Europe/Prague', 'cs_CZ', \
                 'cisco', '{at}')"
            ),
            format!(
                "INSERT INTO meeting_sites (subdomain, order_id, created_at) VALUES ('{site}', 'o-{n}', '{at}')"
            ),
        ] {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    }

    // The new release starts on it and migrates.
    let app = spawn_app_with(&[("SETUP_NOW_DATABASE_URL", database.url.as_str())]).await;
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM calling_locations WHERE customer_org_id = 'c-old' AND id = order_id")
            .await,
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM calling_settings WHERE location_id = order_id").await,
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM meeting_sites WHERE customer_org_id = 'c-old'").await,
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM orders WHERE kind = 'new'").await,
        2
    );
    // Each order keeps its own site; both locations are the organization's.
    let view = app.state.store.service_view("o-2").await.unwrap().unwrap();
    assert_eq!(view.subdomain.as_deref(), Some("old-site-two"));
    assert!(!view.site_set_up);
    assert_eq!(view.locations.len(), 2);
    assert_eq!(view.calling.location, "o-2");
}
