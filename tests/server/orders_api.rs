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

async fn order_api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_commerce_system_reads_an_order_and_changes_its_contact_until_it_is_set_up() {
    let app = spawn_app().await;
    let id = app.place("API-1", "2026-12-01").await;
    let (status, order) = order_api(&app, reqwest::Method::GET, "/api/orders/API-1", None).await;
    assert_eq!(status, 200);
    assert_eq!(order["order_id"], id.as_str());
    assert_eq!(order["status"], "scheduled");
    assert_eq!(order["set_up_at"], Value::Null);
    // Before the start date only the contact changes; nothing to resend yet.
    let (status, order) = order_api(
        &app,
        reqwest::Method::PATCH,
        "/api/orders/API-1",
        Some(json!({"provisioning_contact_email": "New.Contact@Partner.example"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        order["provisioning_contact_email"],
        "new.contact@partner.example"
    );
    let (status, _) = order_api(
        &app,
        reqwest::Method::POST,
        "/api/orders/API-1/resend",
        None,
    )
    .await;
    assert_eq!(status, 409);
    // On the start date the new contact is invited; a resend replaces the link.
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let first = app.setup_token("new.contact@partner.example").await;
    let (status, _) = order_api(
        &app,
        reqwest::Method::POST,
        "/api/orders/API-1/resend",
        None,
    )
    .await;
    assert_eq!(status, 202);
    let second = app.setup_token("new.contact@partner.example").await;
    assert_ne!(first, second);
    assert_eq!(
        setup_now::server::services::links::open_setup(
            &app.state.store,
            &first,
            "2026-12-01T08:00:00Z".parse().unwrap()
        )
        .await
        .unwrap_err(),
        setup_now::error::AppError::Gone
    );
    // A change after the invitation: the old link dies, the new contact is invited.
    let (status, _) = order_api(
        &app,
        reqwest::Method::PATCH,
        "/api/orders/API-1",
        Some(json!({"provisioning_contact_email": "third@partner.example"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(app.mailbox("third@partner.example").await.len(), 1);
    assert!(
        setup_now::server::services::links::open_setup(
            &app.state.store,
            &second,
            "2026-12-01T08:00:00Z".parse().unwrap()
        )
        .await
        .is_err()
    );
    for bad in [
        json!({"provisioning_contact_email": "not an address"}),
        json!({}),
        json!([1]),
    ] {
        let (status, body) =
            order_api(&app, reqwest::Method::PATCH, "/api/orders/API-1", Some(bad)).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "provisioning_contact_email");
    }
    let (status, _) = order_api(&app, reqwest::Method::GET, "/api/orders/NO-SUCH", None).await;
    assert_eq!(status, 404);
    let anonymous = app
        .client
        .get(format!("{}/api/orders/API-1", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn an_order_set_up_cannot_change_its_contact() {
    let app = spawn_app().await;
    app.place("API-2", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-api-2@partner.example").await;
    let ctx = setup_now::server::services::links::open_setup(
        &app.state.store,
        &token,
        "2026-12-01T08:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    let mut draft = setup_now::model::setup::Draft::prefilled(&ctx);
    draft.role = Some(setup_now::model::setup::Role::Partner);
    draft.who = Some(setup_now::model::setup::WhoSetsUp::Myself);
    draft.admin_email = "admin@api2.example".into();
    setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        "2026-12-01T08:00:00Z".parse().unwrap(),
        PUBLIC_URL,
        &browser("test"),
    )
    .await
    .unwrap();
    let (status, order) = order_api(&app, reqwest::Method::GET, "/api/orders/API-2", None).await;
    assert_eq!(order["status"], "set_up");
    assert!(
        order["set_up_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T08:00:00")
    );
    assert_eq!(status, 200);
    let (status, _) = order_api(
        &app,
        reqwest::Method::PATCH,
        "/api/orders/API-2",
        Some(json!({"provisioning_contact_email": "late@partner.example"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = order_api(
        &app,
        reqwest::Method::POST,
        "/api/orders/API-2/resend",
        None,
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn the_openapi_document_describes_every_order_route_with_the_bearer_scheme() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for (path, method) in [
        ("/api/orders", "post"),
        ("/api/orders/{order_number}", "get"),
        ("/api/orders/{order_number}", "patch"),
        ("/api/orders/{order_number}/resend", "post"),
        ("/api/orders/{order_number}/reopen", "post"),
        ("/api/events/replay", "post"),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path}");
        assert_eq!(
            operation["security"][0]["bearer"],
            json!([]),
            "{method} {path}"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

async fn openapi(app: &TestApp) -> Value {
    app.client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Schemathesis found `"country": "00"` valid by the document and refused by
/// the server: the document now carries each rule of the domain types.
#[tokio::test]
async fn the_openapi_document_states_the_rules_the_server_applies() {
    let app = spawn_app().await;
    let doc = openapi(&app).await;
    let schemas = &doc["components"]["schemas"];
    let party = &schemas["PartyBody"]["properties"];
    let countries = party["country"]["enum"].as_array().expect("a country list");
    assert!(countries.contains(&json!("CZ")));
    assert!(!countries.contains(&json!("00")));
    assert_eq!(countries.len(), setup_now::domain::Country::ALL.len());
    let order = &schemas["OrderBody"]["properties"];
    assert_eq!(
        order["order_number"]["pattern"],
        setup_now::domain::OrderNumber::PATTERN
    );
    assert_eq!(order["requested_start_date"]["format"], "date");
    assert_eq!(order["account_rep_email"]["format"], "email");
    assert_eq!(order["account_rep_email"]["maxLength"], 254);
    assert_eq!(
        party["name"]["pattern"],
        setup_now::domain::OrgName::PATTERN
    );
    assert_eq!(
        schemas["CustomerBody"]["properties"]["address"]["pattern"],
        setup_now::domain::Address::PATTERN
    );
    let quantity = &schemas["ServiceLine"]["properties"]["quantity"];
    assert_eq!(quantity["type"], "integer");
    assert_eq!(quantity["minimum"], 1);
}

/// The same warning's other half: no client generated from the document
/// could reach the routes that take an order number with a real one.
#[tokio::test]
async fn a_placed_order_links_to_the_routes_that_take_its_number() {
    let app = spawn_app().await;
    let doc = openapi(&app).await;
    let operations: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    for status in ["201", "200"] {
        let links = doc["paths"]["/api/orders"]["post"]["responses"][status]["links"]
            .as_object()
            .unwrap_or_else(|| panic!("no links on {status}"));
        let mut targets: Vec<&str> = links
            .values()
            .map(|link| {
                assert_eq!(
                    link["parameters"]["order_number"],
                    "$request.body#/order_number"
                );
                link["operationId"].as_str().unwrap()
            })
            .collect();
        targets.sort();
        assert_eq!(targets, ["change_contact", "get_order", "resend"]);
        assert!(
            targets.iter().all(|t| operations.contains(t)),
            "{operations:?}"
        );
    }
}

/// What the document forbids the server refuses too, even where it could
/// have corrected it: a machine sends each value exactly as documented.
#[tokio::test]
async fn values_the_document_does_not_allow_are_refused_not_corrected() {
    let app = spawn_app().await;
    type Change = fn(&mut Value);
    let cases: Vec<(&str, Change)> = vec![
        ("partner.country", |b| b["partner"]["country"] = json!("cz")),
        ("customer.country", |b| {
            b["customer"]["country"] = json!(" CZ")
        }),
        ("offer", |b| b["offer"] = json!("a-wx")),
        ("order_number", |b| b["order_number"] = json!(12345)),
        ("subscription_id", |b| {
            b["subscription_id"] = json!(" Sub-1 ")
        }),
        ("partner.name", |b| {
            b["partner"]["name"] = json!("Partner  s.r.o.")
        }),
        ("customer.address", |b| {
            b["customer"]["address"] = json!("Vinohradska 1\n120 00 Praha")
        }),
        ("services[0].quantity", |b| {
            b["services"][0]["quantity"] = json!("250")
        }),
        ("services[1].kind", |b| {
            b["services"][1]["kind"] = json!("Calling")
        }),
        ("account_rep_email", |b| {
            b["account_rep_email"] = json!(" rep@cisco.example")
        }),
    ];
    for (i, (field, change)) in cases.into_iter().enumerate() {
        let mut body = order_body(&format!("STRICT-{i}"), "2026-12-01");
        change(&mut body);
        let r = app.post_order(&body).await;
        assert_eq!(r.status(), 422, "{field}");
        let errors: Value = r.json().await.unwrap();
        assert_eq!(errors["errors"][0]["field"], field, "{errors}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
    // 250.0 is an integer to JSON Schema, so to the server too.
    let mut body = order_body("STRICT-FLOAT", "2026-12-01");
    body["services"][0]["quantity"] = json!(250.0);
    assert_eq!(app.post_order(&body).await.status(), 201);
    // Letter case of an address is not a mistake: it is stored lower-case.
    let mut body = order_body("STRICT-OK", "2026-12-01");
    body["provisioning_contact_email"] = json!("Jana.Novak@Partner.example");
    assert_eq!(app.post_order(&body).await.status(), 201);
}

async fn reopen(app: &TestApp, number: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/orders/{number}/reopen", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_closed_order_reopens_with_a_new_link_and_30_more_days() {
    let app = spawn_app().await;
    app.place("REOPEN-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let contact = "contact-reopen-1@partner.example";
    let first = app.setup_token(contact).await;
    assert_eq!(
        reopen(&app, "REOPEN-1").await.status(),
        409,
        "not closed yet"
    );

    // Not set up in 30 days: closed, its link dead.
    app.set_clock("2027-01-01T08:00:00Z").await;
    app.run_scheduler().await;
    let order: Value = app
        .client
        .get(format!("{}/api/orders/REOPEN-1", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(order["status"], "closed");

    let reopened = reopen(&app, "REOPEN-1").await;
    assert_eq!(reopened.status(), 200);
    let order: Value = reopened.json().await.unwrap();
    assert_eq!(order["status"], "invited");
    assert_eq!(order["order_number"], "REOPEN-1");
    let second = app.setup_token(contact).await;
    assert_ne!(second, first, "a new link");
    let open = |token: String| {
        let url = format!("{}/setup/{token}", app.base);
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().status() }
    };
    assert_eq!(open(second).await, 200);
    assert_ne!(open(first).await, 200, "the old link stays dead");

    // 30 more days: not closed 29 days on, closed after 30.
    app.set_clock("2027-01-30T08:00:00Z").await;
    app.run_scheduler().await;
    assert_eq!(reopen(&app, "REOPEN-1").await.status(), 409, "still open");
    app.set_clock("2027-02-01T08:00:00Z").await;
    app.run_scheduler().await;
    assert_eq!(
        reopen(&app, "REOPEN-1").await.status(),
        200,
        "closed again, reopened again"
    );

    assert_eq!(reopen(&app, "NO-SUCH-ORDER").await.status(), 404);
    let anonymous = app
        .client
        .post(format!("{}/api/orders/REOPEN-1/reopen", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE action = 'reopened'")
            .await,
        2
    );
}

/// Wrong bearer tokens from one network are slowed down as sign-ins are:
/// twenty in 15 minutes, then the network waits (1 s, then twice as long
/// each time), and while it waits every request is refused with 429 and
/// `Retry-After`, the right token too. Other networks are not held.
#[tokio::test]
async fn wrong_bearer_tokens_from_one_network_are_slowed_down() {
    let app = spawn_app_with(&[("SETUP_NOW_CLIENT_IP_HEADER", "x-forwarded-for")]).await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    let get = |from: &'static str, token: &'static str| {
        let request = app
            .client
            .get(format!("{}/api/orders/NOPE-1", app.base))
            .header("x-forwarded-for", from)
            .bearer_auth(token);
        async move {
            let response = request.send().await.unwrap();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            (response.status().as_u16(), retry)
        }
    };
    let guesser = "203.0.113.7";
    for _ in 0..20 {
        assert_eq!(get(guesser, "guess").await, (401, None));
    }
    assert_eq!(get(guesser, "guess").await, (429, Some("1".into())));
    assert_eq!(
        get(guesser, "dev-commerce-token").await,
        (429, Some("1".into())),
        "the right token waits too"
    );
    assert_eq!(
        get("198.51.100.4", "dev-commerce-token").await.0,
        404,
        "another network is not held"
    );
    // After the wait, one more guess; then twice as long.
    app.set_clock("2026-12-01T08:00:02Z").await;
    assert_eq!(get(guesser, "dev-commerce-token").await.0, 404);
    assert_eq!(get(guesser, "guess").await, (401, None));
    assert_eq!(get(guesser, "guess").await, (429, Some("2".into())));
}
