//! Organizations, people and access (issue 9): each scenario that broke for a
//! real partner, written against the store and the HTTP surface as users meet
//! it. The first ten failed on the code before the fix (see the commit).

use crate::helpers::*;
use chrono::{DateTime, Utc};
use serde_json::Value;
use setup_now::domain::DomainError;
use setup_now::error::{AppError, Refusal};
use setup_now::model::setup::{
    AdminLookup, AfterCommit, CommitResult, Draft, OrgChoice, Proof, Role, SetterAnswer,
    SetterLookup, SetupContext, WhoSetsUp,
};
use setup_now::server::access::Action;
use setup_now::server::store::{SessionUser, SetupActor};

pub(crate) const NOW: &str = "2026-12-01T08:00:00Z";
pub(crate) const PASSWORD: &str = "a long enough secret";

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub(crate) fn contact(number: &str) -> String {
    format!("contact-{}@partner.example", number.to_lowercase())
}

/// Places an order of partner `party` whose contact is `to`, invites it and
/// returns the link's token.
pub(crate) async fn invited_as(app: &TestApp, number: &str, party: &str, to: &str) -> String {
    let mut body = order_body(number, "2026-12-01");
    body["partner"]["party_id"] = party.into();
    body["provisioning_contact_email"] = to.into();
    assert_eq!(app.post_order(&body).await.status(), 201);
    app.set_clock(NOW).await;
    app.run_scheduler().await;
    app.setup_token(to).await
}

pub(crate) async fn open(app: &TestApp, token: &str) -> SetupContext {
    setup_now::server::services::links::open_setup(&app.state.store, token, at(NOW))
        .await
        .unwrap()
}

pub(crate) async fn commit(
    app: &TestApp,
    token: &str,
    draft: &Draft,
) -> Result<CommitResult, AppError> {
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

pub(crate) fn partner_draft(ctx: &SetupContext, who: WhoSetsUp, admin: &str) -> Draft {
    let mut d = Draft::prefilled(ctx);
    d.role = Some(Role::Partner);
    d.who = Some(who);
    d.admin_email = admin.into();
    d
}

/// The draft a browser sends after asking the server about `admin`.
pub(crate) async fn partner_draft_checked(
    app: &TestApp,
    token: &str,
    who: WhoSetsUp,
    admin: &str,
) -> Draft {
    let ctx = open(app, token).await;
    let mut d = partner_draft(&ctx, who, admin);
    let lookup = app
        .check_admin_as(None, token, admin, &ctx.link_email)
        .await
        .unwrap();
    d.admin_lookup = Some((admin.into(), lookup));
    d
}

async fn session_user(app: &TestApp, email: &str) -> SessionUser {
    app.state
        .store
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{email} is a user"))
}

/// Partner `party` sets up order `number` itself with `admin` as customer
/// administrator; returns the order id.
pub(crate) async fn partner_sets_up(
    app: &TestApp,
    number: &str,
    party: &str,
    admin: &str,
) -> String {
    let token = invited_as(app, number, party, &contact(number)).await;
    let draft = partner_draft_checked(app, &token, WhoSetsUp::Myself, admin).await;
    commit(app, &token, &draft).await.unwrap().order_id
}

async fn order_id(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar("SELECT id FROM orders WHERE order_number = $1")
        .bind(number)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The newest link with `text` in the emails to `to`.
pub(crate) async fn link_to(app: &TestApp, to: &str, text: &str) -> Option<String> {
    app.mailbox(to)
        .await
        .iter()
        .rev()
        .flat_map(|m| m["links"].as_array().cloned().unwrap_or_default())
        .find(|l| l["text"] == text)
        .map(|l| l["href"].as_str().unwrap().to_string())
}

pub(crate) fn token_of(href: &str) -> String {
    href.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn whoever_sets_up_for_an_existing_partner_organization_becomes_its_user() {
    let app = spawn_app().await;
    // As demo order DEMO-0004: the partner organization exists, with no users.
    app.state
        .store
        .ensure_partner_org("P-EXIST", "Partner s.r.o.", "CZ", at(NOW))
        .await
        .unwrap();
    let to = contact("EXU-1");
    let token = invited_as(&app, "EXU-1", "P-EXIST", &to).await;
    let ctx = open(&app, &token).await;
    assert!(ctx.partner_org.is_some());
    let result = commit(
        &app,
        &token,
        &partner_draft(&ctx, WhoSetsUp::Myself, "admin@exu1.example"),
    )
    .await
    .unwrap();
    assert!(result.needs_password(), "a new user must create a password");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users u JOIN partner_orgs p ON p.id = u.partner_org_id \
             WHERE u.email = '{to}' AND p.party_id = 'P-EXIST'"
        ))
        .await,
        1
    );
    // Step 7, then the service setup of the order.
    let next: String = app
        .call_as(
            Some(COMMIT_COOKIE),
            "setup/password",
            &[
                ("token", token.as_str()),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await
        .unwrap();
    assert_eq!(next, format!("/service/{}", result.order_id));
}

#[tokio::test]
async fn another_partners_customer_is_not_attached_without_the_customer_and_its_manager_gets_no_access()
 {
    let app = spawn_app().await;
    let admin = "admin@shared-customer.example";
    let a_order = partner_sets_up(&app, "ACC-A", "P-A", admin).await;
    let a_user = session_user(&app, &contact("ACC-A")).await;
    // Partner B sells to the same customer and names the same administrator.
    let token = invited_as(&app, "ACC-B", "P-B", &contact("ACC-B")).await;
    let draft = partner_draft_checked(&app, &token, WhoSetsUp::Myself, admin).await;
    let result = commit(&app, &token, &draft)
        .await
        .expect("the commit is accepted");
    assert!(result.awaiting_approval);
    assert!(result.needs_password(), "B's person can come back");
    let b_order = order_id(&app, "ACC-B").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = '{b_order}' AND customer_org_id IS NULL"
        ))
        .await,
        1,
        "B's order is not attached before the customer approves"
    );
    assert!(
        setup_now::server::access::authorize(&app.state.store, &a_user, &b_order, Action::Manage)
            .await
            .is_err(),
        "A manages the organization, not B's order"
    );
    setup_now::server::access::authorize(&app.state.store, &a_user, &a_order, Action::Manage)
        .await
        .expect("A still manages its own order");
    // The customer approves: B may now act on its order, A still may not.
    let review = link_to(&app, admin, "Review request")
        .await
        .expect("an approval request");
    let outcome: Value = app
        .call(
            "approval/answer",
            &[("token", token_of(&review).as_str()), ("approve", "true")],
        )
        .await
        .unwrap();
    assert!(outcome.get("Approved").is_some(), "{outcome}");
    let b_user = session_user(&app, &contact("ACC-B")).await;
    setup_now::server::access::authorize(&app.state.store, &b_user, &b_order, Action::Manage)
        .await
        .expect("B acts on its own order once approved");
    setup_now::server::access::authorize(&app.state.store, &b_user, &a_order, Action::Manage)
        .await
        .expect_err("but not on the organization's other orders");
    assert!(
        setup_now::server::access::authorize(&app.state.store, &a_user, &b_order, Action::Manage)
            .await
            .is_err()
    );
    assert!(
        app.mailbox(&contact("ACC-B"))
            .await
            .iter()
            .any(|m| m["kind"] == "approval_approved"),
        "the partner hears of the answer"
    );
}

#[tokio::test]
async fn after_customer_setup_of_an_organization_it_manages_the_partner_is_refused_on_that_order() {
    let app = spawn_app().await;
    let admin = "admin@managed.example";
    partner_sets_up(&app, "CSM-1", "P-CSM", admin).await;
    // The partner's administrator hands the next order to the customer.
    let token = invited_as(&app, "CSM-2", "P-CSM", &contact("CSM-1")).await;
    let draft = partner_draft_checked(&app, &token, WhoSetsUp::Customer, admin).await;
    let result = commit(&app, &token, &draft).await.unwrap();
    assert!(result.managed_by_customer);
    let partner = session_user(&app, &contact("CSM-1")).await;
    assert_eq!(
        setup_now::server::access::authorize(
            &app.state.store,
            &partner,
            &result.order_id,
            Action::Manage
        )
        .await
        .unwrap_err(),
        AppError::Refused(Refusal::ManagedByCustomer)
    );
}

#[tokio::test]
async fn the_administrator_check_answers_partner_links_only() {
    let app = spawn_app().await;
    let token = invited_as(&app, "DIR-1", "P-DIR", &contact("DIR-1")).await;
    let draft =
        partner_draft_checked(&app, &token, WhoSetsUp::Customer, "admin@dir1.example").await;
    commit(&app, &token, &draft).await.unwrap();
    let customer_link = app.setup_token("admin@dir1.example").await;
    let (status, _) = app
        .check_admin(&customer_link, "anyone@else.example")
        .await
        .expect_err("a customer's link is no directory");
    assert_eq!(status, 403);
    let (status, _) = app
        .call::<Vec<OrgChoice>>(
            "setup/orgs",
            &[("token", customer_link.as_str()), ("query", "zak")],
        )
        .await
        .unwrap_err();
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_administrator_check_tells_nothing_about_an_organization_the_partner_does_not_manage() {
    let app = spawn_app().await;
    partner_sets_up(&app, "DIR-A", "P-DIRA", "admin@secret.example").await;
    let token = invited_as(&app, "DIR-B", "P-DIRB", &contact("DIR-B")).await;
    let (status, body) = {
        let r = app
            .client
            .post(format!("{}/api/setup/admin", app.base))
            .form(&[
                ("token", token.as_str()),
                ("email", "admin@secret.example"),
                ("setter", contact("DIR-B").as_str()),
            ])
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<AdminLookup>(&body).unwrap(),
        AdminLookup::NeedsApproval
    );
    for secret in ["Zakaznik", "Vinohradska", "CZ"] {
        assert!(!body.contains(secret), "{secret} in {body}");
    }
}

#[tokio::test]
async fn the_administrator_check_is_limited_per_link() {
    let app = spawn_app().await;
    let token = invited_as(&app, "LIM-1", "P-LIM", &contact("LIM-1")).await;
    for i in 0..30 {
        app.check_admin(&token, &format!("probe{i}@target.example"))
            .await
            .unwrap_or_else(|e| panic!("check {i} refused: {e:?}"));
    }
    let r = app
        .client
        .post(format!("{}/api/setup/admin", app.base))
        .form(&[
            ("token", token.as_str()),
            ("email", "one-more@target.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let error: AppError = r.json().await.unwrap();
    assert!(
        matches!(error, AppError::RateLimited { retry_after_secs } if retry_after_secs == wait)
    );
    // Another link has its own allowance; a minute later this one again.
    let other = invited_as(&app, "LIM-2", "P-LIM", &contact("LIM-2")).await;
    app.check_admin(&other, "probe@target.example")
        .await
        .unwrap();
    app.set_clock("2026-12-01T08:01:01Z").await;
    app.check_admin(&token, "probe@target.example")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_provisioning_contact_who_is_an_existing_customer_administrator_verifies_their_organization()
 {
    let app = spawn_app().await;
    let customer_admin = "it@existing-customer.example";
    partner_sets_up(&app, "CPV-1", "P-CPV", customer_admin).await;
    // A later order names that administrator as its provisioning contact.
    let token = invited_as(&app, "CPV-2", "P-CPV", customer_admin).await;
    let ctx = open(&app, &token).await;
    assert_eq!(
        ctx.customer_org.as_ref().map(|o| o.name.as_str()),
        Some("Zakaznik a.s.")
    );
    let mut draft = Draft::prefilled(&ctx);
    draft.role = Some(Role::Customer);
    draft.customer_not_recognized = true;
    assert!(
        commit(&app, &token, &draft).await.is_err(),
        "not recognized: no commit"
    );
    draft.customer_not_recognized = false;
    let result = commit(&app, &token, &draft)
        .await
        .expect("the customer verifies its own organization");
    assert!(result.managed_by_customer);
    assert_eq!(result.next, AfterCommit::CreatePassword);
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_orgs").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT customer_org_id) FROM orders")
            .await,
        1
    );
}

#[tokio::test]
async fn a_blank_organization_name_on_the_customer_path_is_named_as_such() {
    let app = spawn_app().await;
    let token = invited_as(&app, "BLANK-1", "P-BLANK", &contact("BLANK-1")).await;
    let draft =
        partner_draft_checked(&app, &token, WhoSetsUp::Customer, "admin@blank.example").await;
    commit(&app, &token, &draft).await.unwrap();
    let customer_link = app.setup_token("admin@blank.example").await;
    let ctx = open(&app, &customer_link).await;
    assert!(ctx.customer_org_editable);
    let mut draft = Draft::prefilled(&ctx);
    draft.customer_name = "   ".into();
    let error = commit(&app, &customer_link, &draft).await.unwrap_err();
    assert_eq!(
        error.for_field("customer_name"),
        Some(&DomainError::Required),
        "the error names the field: {error:?}"
    );
    // Nothing was spent: the corrected draft commits, with the correction.
    draft.customer_name = "Opraveno a.s.".into();
    commit(&app, &customer_link, &draft).await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_orgs WHERE name = 'Opraveno a.s.' AND confirmed_at IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn i_am_a_customer_on_a_partner_link_makes_no_partner_organization_without_a_user() {
    let app = spawn_app().await;
    let token = invited_as(&app, "NOPU-1", "P-NOPU", &contact("NOPU-1")).await;
    let ctx = open(&app, &token).await;
    let mut draft = Draft::prefilled(&ctx);
    draft.role = Some(Role::Customer);
    commit(&app, &token, &draft).await.unwrap();
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM partner_orgs p WHERE NOT EXISTS \
             (SELECT 1 FROM users u WHERE u.partner_org_id = p.id)"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_person_who_missed_the_first_password_window_gets_a_reset_link() {
    let app = spawn_app().await;
    let to = contact("LATE-1");
    let token = invited_as(&app, "LATE-1", "P-LATE", &to).await;
    let draft = partner_draft_checked(&app, &token, WhoSetsUp::Myself, "admin@late.example").await;
    commit(&app, &token, &draft).await.unwrap();
    // Two days later, the first-password window has passed.
    app.set_clock("2026-12-03T08:00:00Z").await;
    let late = app
        .call_as::<String>(
            Some(COMMIT_COOKIE),
            "setup/password",
            &[
                ("token", token.as_str()),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(late.0, 410);
    app.call::<()>("hub/forgot", &[("email", to.as_str())])
        .await
        .unwrap();
    let reset = link_to(&app, &to, "Reset password")
        .await
        .expect("a reset link");
    assert!(reset.starts_with(&format!("{PUBLIC_URL}/reset/")));
    let reset_token = token_of(&reset);
    let next: String = app
        .call(
            "account/reset",
            &[
                ("token", reset_token.as_str()),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await
        .unwrap();
    assert_eq!(next, "/hub");
    app.sign_in_cookie(&to, PASSWORD).await;
    // The link works once.
    let again = app
        .call::<String>(
            "account/reset",
            &[
                ("token", reset_token.as_str()),
                ("password", "another long secret"),
                ("confirmation", "another long secret"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(again.0, 410);
}

#[tokio::test]
async fn forgot_password_answers_alike_for_unknown_addresses_and_links_expire_after_an_hour() {
    let app = spawn_app().await;
    app.set_clock(NOW).await;
    app.call::<()>("hub/forgot", &[("email", "nobody@nowhere.example")])
        .await
        .unwrap();
    assert!(app.mailbox("nobody@nowhere.example").await.is_empty());
    let bad = app
        .call::<()>("hub/forgot", &[("email", "not an address")])
        .await
        .unwrap_err();
    assert_eq!(bad.0, 422);
    partner_sets_up(&app, "EXP-R", "P-EXPR", "admin@expr.example").await;
    let to = contact("EXP-R");
    app.call::<()>("hub/forgot", &[("email", to.as_str())])
        .await
        .unwrap();
    let reset = token_of(&link_to(&app, &to, "Reset password").await.unwrap());
    app.call::<()>("account/reset-check", &[("token", reset.as_str())])
        .await
        .unwrap();
    app.set_clock("2026-12-01T09:00:01Z").await;
    let expired = app
        .call::<()>("account/reset-check", &[("token", reset.as_str())])
        .await
        .unwrap_err();
    assert_eq!(expired.0, 410);
    let page = app
        .client
        .get(format!("{}/reset/{reset}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 410);
    let unknown = app
        .client
        .get(format!("{}/reset/no-such-token", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_customer_who_never_clicked_the_invitation_can_be_invited_again() {
    let app = spawn_app().await;
    let token = invited_as(&app, "REINV-1", "P-REINV", &contact("REINV-1")).await;
    let draft =
        partner_draft_checked(&app, &token, WhoSetsUp::Customer, "admin@reinv.example").await;
    let result = commit(&app, &token, &draft).await.unwrap();
    let first = app.setup_token("admin@reinv.example").await;
    // The partner signs in to the hub and resends.
    app.give_password(&contact("REINV-1"), PASSWORD).await;
    let cookie = app.sign_in_cookie(&contact("REINV-1"), PASSWORD).await;
    app.call_as::<()>(
        Some(&cookie),
        "hub/resend-customer",
        &[("order_id", result.order_id.as_str())],
    )
    .await
    .unwrap();
    let second = app.setup_token("admin@reinv.example").await;
    assert_ne!(first, second);
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, &first, at(NOW))
            .await
            .unwrap_err(),
        AppError::Gone
    );
    // Another partner may not; nor may anyone once the customer finished.
    partner_sets_up(&app, "REINV-X", "P-OTHER", "admin@other.example").await;
    app.give_password(&contact("REINV-X"), PASSWORD).await;
    let stranger = app.sign_in_cookie(&contact("REINV-X"), PASSWORD).await;
    let refused = app
        .call_as::<()>(
            Some(&stranger),
            "hub/resend-customer",
            &[("order_id", result.order_id.as_str())],
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    let ctx = open(&app, &second).await;
    commit(&app, &second, &Draft::prefilled(&ctx))
        .await
        .unwrap();
    let finished = app
        .call_as::<()>(
            Some(&cookie),
            "hub/resend-customer",
            &[("order_id", result.order_id.as_str())],
        )
        .await
        .unwrap_err();
    assert_eq!(finished.0, 409);
}

#[tokio::test]
async fn a_shared_alias_is_replaced_by_the_person_who_sets_up() {
    let app = spawn_app().await;
    let alias = "provisioning@partner.example";
    let token = invited_as(&app, "ALIAS-1", "P-ALIAS", alias).await;
    let ctx = open(&app, &token).await;
    let mut draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@alias.example");
    assert_eq!(
        draft.setter_email, alias,
        "prefilled with the link's address"
    );
    draft.setter_email = "Jana.Novakova@partner.example".into();
    // Her address is hers: the code sent to it proves it.
    let proof = app
        .prove_by_code(&token, "jana.novakova@partner.example")
        .await;
    let result = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &proven_browser("jana", &proof),
    )
    .await
    .unwrap()
    .result;
    assert_eq!(result.setter_email, "jana.novakova@partner.example");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE email = '{alias}'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'jana.novakova@partner.example' AND partner_org_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn an_address_that_belongs_to_another_organization_cannot_set_up_and_nothing_is_kept() {
    let app = spawn_app().await;
    partner_sets_up(&app, "OWN-1", "P-OWN", "admin@own.example").await;
    let token = invited_as(&app, "OWN-2", "P-ELSE", &contact("OWN-2")).await;
    let answer: SetterAnswer = app
        .call(
            "setup/you",
            &[
                ("token", token.as_str()),
                ("email", contact("OWN-1").as_str()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(answer.lookup, SetterLookup::BelongsElsewhere);
    assert_eq!(
        answer.proof,
        Proof::Proven,
        "no code for an address refused anyway"
    );
    let ctx = open(&app, &token).await;
    let mut draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@else.example");
    draft.setter_email = contact("OWN-1");
    let error = commit(&app, &token, &draft).await.unwrap_err();
    assert_eq!(
        error.for_field("setter_email"),
        Some(&DomainError::EmailBelongsToOtherOrg)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM partner_orgs WHERE party_id = 'P-ELSE'")
            .await,
        0
    );
    open(&app, &token).await; // the link still works
}

/// A link holder cannot commit as a user who has a password: that person
/// signs in on step 2, before anything is shown or stored.
#[tokio::test]
async fn a_user_with_a_password_signs_in_on_step_two_before_anything_is_committed() {
    let app = spawn_app().await;
    partner_sets_up(&app, "PW-1", "P-PW", "admin@pw1.example").await;
    app.give_password(&contact("PW-1"), PASSWORD).await;
    // The same person is the contact of the partner's next order.
    let token = invited_as(&app, "PW-2", "P-PW", &contact("PW-1")).await;
    let ctx = open(&app, &token).await;
    let draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@pw2.example");
    let refused = commit(&app, &token, &draft).await.unwrap_err();
    assert_eq!(
        refused.for_field("setter_email"),
        Some(&DomainError::EmailNotProven),
        "{refused:?}"
    );
    let answer: SetterAnswer = app
        .call(
            "setup/you",
            &[
                ("token", token.as_str()),
                ("email", contact("PW-1").as_str()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(answer.lookup, SetterLookup::Member);
    assert_eq!(answer.proof, Proof::SignIn);
    // Signed in as that person: committed, and straight on.
    let signed_in = SetupActor {
        signed_in: Some(contact("PW-1")),
        ..browser("pw")
    };
    let result = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &signed_in,
    )
    .await
    .unwrap()
    .result;
    assert_eq!(result.next, AfterCommit::Continue);
    assert_eq!(
        setup_now::server::access::continue_to(
            &app.state.store,
            &result.setter_email,
            &result.order_id
        )
        .await
        .unwrap(),
        format!("/service/{}", result.order_id)
    );
}

#[tokio::test]
async fn declining_returns_the_order_to_its_contact_and_an_answer_is_given_once() {
    let app = spawn_app().await;
    let admin = "admin@decline.example";
    partner_sets_up(&app, "DEC-A", "P-DECA", admin).await;
    let to = contact("DEC-B");
    let token = invited_as(&app, "DEC-B", "P-DECB", &to).await;
    let draft = partner_draft_checked(&app, &token, WhoSetsUp::Myself, admin).await;
    commit(&app, &token, &draft).await.unwrap();
    let b_order = order_id(&app, "DEC-B").await;
    let summary = app
        .state
        .store
        .order_summary(&b_order)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        summary.status,
        setup_now::model::orders::OrderStatus::AwaitingApproval
    );
    let review = token_of(&link_to(&app, admin, "Review request").await.unwrap());
    // The page shows the partner and the services, nothing of the organization.
    let page = app
        .client
        .get(format!("{}/approve/{review}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Partner s.r.o.") && html.contains("A-WX-MTG-ENT"));
    let outcome: Value = app
        .call(
            "approval/answer",
            &[("token", review.as_str()), ("approve", "false")],
        )
        .await
        .unwrap();
    assert_eq!(outcome, Value::String("Declined".into()));
    let summary = app
        .state
        .store
        .order_summary(&b_order)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        summary.status,
        setup_now::model::orders::OrderStatus::Invited
    );
    let fresh = app.setup_token(&to).await;
    assert_ne!(fresh, token);
    open(&app, &fresh).await;
    let again = app
        .call::<Value>(
            "approval/answer",
            &[("token", review.as_str()), ("approve", "true")],
        )
        .await
        .unwrap_err();
    assert_eq!(again.0, 410);
    let used = app
        .client
        .get(format!("{}/approve/{review}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 410);
    assert!(!used.text().await.unwrap().contains("DEC-B"));
    let unknown = app
        .client
        .get(format!("{}/approve/unknown-token", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = '{b_order}' AND customer_org_id IS NOT NULL"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn the_finder_offers_only_organizations_this_partner_manages() {
    let app = spawn_app().await;
    partner_sets_up(&app, "FIND-1", "P-FIND", "it@alpha-customer.example").await;
    partner_sets_up(&app, "FIND-X", "P-NOTME", "it@alpha-other.example").await;
    let token = invited_as(&app, "FIND-2", "P-FIND", &contact("FIND-2")).await;
    // Asked by a member of the partner organization, signed in.
    let member = contact("FIND-1");
    app.give_password(&member, PASSWORD).await;
    let session = app.sign_in_cookie(&member, PASSWORD).await;
    let find = |query: &'static str| {
        let app = &app;
        let (token, session, member) = (token.clone(), session.clone(), member.clone());
        async move {
            app.call_as::<Vec<OrgChoice>>(
                Some(&session),
                "setup/orgs",
                &[
                    ("token", token.as_str()),
                    ("query", query),
                    ("setter", member.as_str()),
                ],
            )
            .await
            .unwrap()
        }
    };
    let by_name = find("zakaz").await;
    assert_eq!(
        by_name,
        [OrgChoice {
            name: "Zakaznik a.s.".into(),
            admin_email: "it@alpha-customer.example".into()
        }]
    );
    let by_domain = find("alpha").await;
    assert_eq!(by_domain.len(), 1, "{by_domain:?}");
    let wildcard = find("%_").await;
    assert!(wildcard.is_empty(), "{wildcard:?}");
}
