//! The setup wizard's server side: opening links, the commit (all or nothing,
//! idempotent, racing), delegation, customer setup and the first password.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use setup_now::domain::DomainError;
use setup_now::error::AppError;
use setup_now::model::setup::{AdminLookup, Audience, Draft, Role, SetupContext, WhoSetsUp};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const NOW: &str = "2026-12-01T08:00:00Z";

/// Places an order, sends its invitation and returns the link's token.
async fn invited(app: &TestApp, number: &str) -> String {
    app.place(number, "2026-12-01").await;
    app.set_clock(NOW).await;
    app.run_scheduler().await;
    app.setup_token(&format!(
        "contact-{}@partner.example",
        number.to_lowercase()
    ))
    .await
}

async fn open(app: &TestApp, token: &str) -> SetupContext {
    setup_now::server::services::links::open_setup(&app.state.store, token, at(NOW))
        .await
        .expect("link opens")
}

fn self_setup(ctx: &SetupContext, admin: &str) -> Draft {
    let mut d = Draft::prefilled(ctx);
    d.role = Some(Role::Partner);
    d.who = Some(WhoSetsUp::Myself);
    d.admin_email = admin.into();
    d
}

async fn commit(
    app: &TestApp,
    token: &str,
    draft: &Draft,
) -> Result<setup_now::model::setup::CommitResult, AppError> {
    setup_now::server::services::commit::commit_setup(
        &app.state.store,
        token,
        draft,
        at(NOW),
        PUBLIC_URL,
        &browser("test"),
    )
    .await
    .map(|c| c.result)
}

#[tokio::test]
async fn an_unknown_link_is_not_found_and_an_expired_one_is_gone() {
    let app = spawn_app().await;
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, "no-such-token", at(NOW))
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let token = invited(&app, "EXP-1").await;
    let late = at("2027-01-15T00:00:00Z");
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, &token, late)
            .await
            .unwrap_err(),
        AppError::Gone
    );
}

#[tokio::test]
async fn starting_records_the_first_start_only() {
    let app = spawn_app().await;
    let token = invited(&app, "OPEN-1").await;
    open(&app, &token).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE started_at IS NOT NULL")
            .await,
        0,
        "opening is not starting"
    );
    setup_now::server::services::links::start_setup(&app.state.store, &token, at(NOW))
        .await
        .unwrap();
    setup_now::server::services::links::start_setup(
        &app.state.store,
        &token,
        at("2026-12-01T09:00:00Z"),
    )
    .await
    .unwrap();
    let started: String = sqlx::query_scalar("SELECT started_at FROM orders")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(started.starts_with("2026-12-01T08:00:00"), "{started}");
}

#[tokio::test]
async fn a_self_setup_commit_creates_both_organizations_and_their_administrators() {
    let app = spawn_app().await;
    let token = invited(&app, "SELF-1").await;
    let ctx = open(&app, &token).await;
    assert_eq!(ctx.audience, Audience::Partner);
    assert!(ctx.partner_org.is_none(), "first order of this partner");
    let result = commit(
        &app,
        &token,
        &self_setup(&ctx, "admin@customer-self1.example"),
    )
    .await
    .unwrap();
    assert!(result.needs_password());
    assert_eq!(result.customer_invited, None);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_orgs").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_orgs WHERE managed_by_partner_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'contact-self-1@partner.example' AND partner_org_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'admin@customer-self1.example' AND customer_org_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM orders WHERE setup_at IS NOT NULL AND setup_mode = 'partner'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE action = 'order_set_up'")
            .await,
        1
    );
    // The link is spent: opening it again shows the "not valid" page.
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, &token, at(NOW))
            .await
            .unwrap_err(),
        AppError::Gone
    );
}

#[tokio::test]
async fn committing_again_returns_the_same_success_and_stores_nothing_more() {
    let app = spawn_app().await;
    let token = invited(&app, "TWICE-1").await;
    let ctx = open(&app, &token).await;
    let draft = self_setup(&ctx, "admin@twice.example");
    let first = commit(&app, &token, &draft).await.unwrap();
    let second = commit(&app, &token, &draft).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_orgs").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}

#[tokio::test]
async fn concurrent_commits_of_one_link_make_one_set_of_records() {
    let app = spawn_app().await;
    let token = invited(&app, "TABS-1").await;
    let ctx = open(&app, &token).await;
    let draft = self_setup(&ctx, "admin@tabs.example");
    let (a, b, c) = tokio::join!(
        commit(&app, &token, &draft),
        commit(&app, &token, &draft),
        commit(&app, &token, &draft)
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_orgs").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_orgs").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE action = 'order_set_up'")
            .await,
        1
    );
}

#[tokio::test]
async fn two_partners_racing_for_one_new_administrator_one_creates_the_organization_the_other_asks_it()
 {
    let app = spawn_app().await;
    let first = invited(&app, "RACE-A").await;
    let second = invited(&app, "RACE-B").await;
    let (ctx_a, ctx_b) = (open(&app, &first).await, open(&app, &second).await);
    let admin = "shared-admin@customer.example";
    let (draft_a, draft_b) = (self_setup(&ctx_a, admin), self_setup(&ctx_b, admin));
    let (a, b) = tokio::join!(
        commit(&app, &first, &draft_a),
        commit(&app, &second, &draft_b)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    // Whichever committed second found the organization made by the first,
    // which its partner does not manage: that one waits for approval.
    assert_ne!(a.awaiting_approval, b.awaiting_approval, "{a:?} {b:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_orgs").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_orgs").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE customer_org_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE setup_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM approvals WHERE answered_at IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn an_address_of_a_partner_organization_is_refused_as_customer_administrator() {
    let app = spawn_app().await;
    let token = invited(&app, "PART-1").await;
    let ctx = open(&app, &token).await;
    commit(&app, &token, &self_setup(&ctx, "admin@part1.example"))
        .await
        .unwrap();
    // The first order's provisioning contact is now a partner user.
    let partner_user = "contact-part-1@partner.example";
    let other = invited(&app, "PART-2").await;
    let lookup = app
        .check_admin_as(None, &other, partner_user, "contact-part-2@partner.example")
        .await
        .unwrap();
    assert_eq!(lookup, AdminLookup::BelongsToPartner);
    // Someone who has not shown who they are learns less.
    let lookup = app.check_admin(&other, partner_user).await.unwrap();
    assert_eq!(lookup, AdminLookup::Elsewhere);
    let ctx = open(&app, &other).await;
    let refused = commit(&app, &other, &self_setup(&ctx, partner_user))
        .await
        .unwrap_err();
    assert_eq!(
        refused.for_field("admin_email"),
        Some(&DomainError::EmailBelongsToPartner),
        "{refused:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE setup_at IS NOT NULL")
            .await,
        1
    );
    assert!(
        open(&app, &other).await.order_number == "PART-2",
        "the refused link still works"
    );
}

#[tokio::test]
async fn an_existing_customer_organization_is_reused_after_verification() {
    let app = spawn_app().await;
    let token = invited(&app, "CUST-1").await;
    let ctx = open(&app, &token).await;
    commit(&app, &token, &self_setup(&ctx, "admin@cust.example"))
        .await
        .unwrap();
    // A second order of the same partner (same party id), to the same
    // contact, who is its administrator now.
    let mut body = order_body("CUST-2", "2026-12-01");
    body["partner"]["party_id"] = "P-CUST-1".into();
    body["provisioning_contact_email"] = "contact-cust-1@partner.example".into();
    assert_eq!(app.post_order(&body).await.status(), 201);
    app.run_scheduler().await;
    let second = app.setup_token("contact-cust-1@partner.example").await;
    let lookup = app
        .check_admin_as(
            None,
            &second,
            "admin@cust.example",
            "contact-cust-1@partner.example",
        )
        .await
        .unwrap();
    assert!(
        matches!(lookup, AdminLookup::Managed(ref org) if org.name == "Zakaznik a.s."),
        "{lookup:?}"
    );
    let ctx = open(&app, &second).await;
    let mut draft = self_setup(&ctx, "admin@cust.example");
    draft.admin_lookup = Some(("admin@cust.example".into(), lookup));
    commit(&app, &second, &draft).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_orgs").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT customer_org_id) FROM orders")
            .await,
        1
    );
}

#[tokio::test]
async fn an_existing_partner_organization_is_shown_and_not_created_again() {
    let app = spawn_app().await;
    let token = invited(&app, "EXIST-1").await;
    let ctx = open(&app, &token).await;
    commit(&app, &token, &self_setup(&ctx, "admin@exist1.example"))
        .await
        .unwrap();
    // A second order of the same partner (same party id).
    let mut body = order_body("EXIST-2", "2026-12-01");
    body["partner"]["party_id"] = "P-EXIST-1".into();
    assert_eq!(app.post_order(&body).await.status(), 201);
    app.run_scheduler().await;
    let second = app.setup_token("contact-exist-2@partner.example").await;
    let ctx = open(&app, &second).await;
    assert_eq!(
        ctx.partner_org.as_ref().map(|o| o.name.as_str()),
        Some("Partner s.r.o.")
    );
    let mut not_mine = self_setup(&ctx, "admin@exist2.example");
    not_mine.not_recognized = true;
    assert!(matches!(
        commit(&app, &second, &not_mine).await,
        Err(AppError::Invalid(_))
    ));
    let result = commit(&app, &second, &self_setup(&ctx, "admin@exist2.example"))
        .await
        .unwrap();
    assert!(
        result.needs_password(),
        "the second order's contact becomes a new user of the organization"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_orgs").await, 1);
}

#[tokio::test]
async fn delegating_sends_a_new_link_and_the_first_stops_working() {
    let app = spawn_app().await;
    let token = invited(&app, "DEL-1").await;
    open(&app, &token).await;
    let colleague = setup_now::domain::EmailAddress::parse("Colleague@Partner.example").unwrap();
    setup_now::server::services::invitations::delegate_setup(
        &app.state.store,
        &token,
        &colleague,
        at(NOW),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, &token, at(NOW))
            .await
            .unwrap_err(),
        AppError::Gone
    );
    let new_token = app.setup_token("colleague@partner.example").await;
    let ctx = open(&app, &new_token).await;
    assert_eq!(ctx.link_email, "colleague@partner.example");
    let result = commit(&app, &new_token, &self_setup(&ctx, "admin@del1.example"))
        .await
        .unwrap();
    assert!(
        result.needs_password(),
        "the colleague becomes the first administrator"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'colleague@partner.example' AND partner_org_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn customer_setup_invites_the_customer_and_leaves_the_partner_without_access() {
    let app = spawn_app().await;
    let token = invited(&app, "CS-1").await;
    let ctx = open(&app, &token).await;
    let mut draft = self_setup(&ctx, "admin@cs1.example");
    draft.who = Some(WhoSetsUp::Customer);
    let result = commit(&app, &token, &draft).await.unwrap();
    assert_eq!(
        result.customer_invited.as_deref(),
        Some("admin@cs1.example")
    );
    assert!(result.managed_by_customer);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_orgs WHERE managed_by_partner_id IS NULL")
            .await,
        1
    );
    let customer_token = app.setup_token("admin@cs1.example").await;
    let customer_ctx = open(&app, &customer_token).await;
    assert_eq!(customer_ctx.audience, Audience::Customer);
    assert_eq!(
        customer_ctx.customer_org.as_ref().map(|o| o.name.as_str()),
        Some("Zakaznik a.s.")
    );
    let customer_draft = Draft::prefilled(&customer_ctx);
    let confirmed = commit(&app, &customer_token, &customer_draft)
        .await
        .unwrap();
    assert!(confirmed.needs_password());
    let hash = setup_now::server::auth::hash_password_now("a long enough secret").unwrap();
    setup_now::server::services::accounts::set_first_password(
        &app.state.store,
        &customer_token,
        &committer(),
        &hash,
        at(NOW),
    )
    .await
    .unwrap();
    assert_eq!(
        setup_now::server::services::accounts::set_first_password(
            &app.state.store,
            &customer_token,
            &committer(),
            &hash,
            at(NOW)
        )
        .await
        .unwrap_err(),
        AppError::Gone,
        "a password is created once"
    );
}

#[tokio::test]
async fn a_provisioning_contact_who_is_the_customer_sets_the_order_up_as_customer() {
    let app = spawn_app().await;
    let token = invited(&app, "SELFCUST-1").await;
    let ctx = open(&app, &token).await;
    let mut draft = Draft::prefilled(&ctx);
    draft.role = Some(Role::Customer);
    let result = commit(&app, &token, &draft).await.unwrap();
    assert!(result.managed_by_customer && result.needs_password());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'contact-selfcust-1@partner.example' AND customer_org_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_orgs WHERE managed_by_partner_id IS NULL")
            .await,
        1
    );
}

/// The page is rendered by many requests at once, as under real traffic: each
/// answers in full (title included) and the server keeps running. Rendering the
/// translated <title> once read a signal after its request's reactive owner was
/// gone, which panicked (and, with panic = "abort", killed the server) under load.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_wizard_page_renders_for_many_requests_at_once() {
    let app = spawn_app().await;
    let token = invited(&app, "LOAD-1").await;
    let url = format!("{}/setup/{token}", app.base);
    let requests: Vec<_> = (0..200)
        .map(|_| {
            let client = app.client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let response = client.get(&url).send().await?;
                let status = response.status();
                Ok::<_, reqwest::Error>((status, response.text().await?))
            })
        })
        .collect();
    for request in requests {
        let (status, body) = request.await.expect("task").expect("answered");
        assert_eq!(status, 200);
        assert!(
            body.contains("<title>Set Up Now</title>"),
            "title in {body:.300}"
        );
    }
    let health = app.client.get(format!("{}/healthz", app.base)).send().await;
    assert_eq!(health.expect("server still up").status(), 200);
}
