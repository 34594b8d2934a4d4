//! A link is not an identity (issue 22; contract sections 5, 11 and 12):
//! each way a "Set Up Now" link used to be treated as one, and what proves
//! an address, lets a newcomer in and keeps roles, as users meet them.

use crate::helpers::*;
use crate::organizations::{
    NOW, PASSWORD, at, commit, contact, invited_as, link_to, open, partner_draft, partner_sets_up,
    token_of,
};
use serde_json::Value;
use setup_now::domain::{DomainError, Role};
use setup_now::error::AppError;
use setup_now::model::setup::{
    AdminLookup, AfterCommit, OrgChoice, Proof, SetterLookup, WhoSetsUp,
};
use setup_now::server::access::Action;

async fn role_of(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar("SELECT role FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_address_nobody_proved_does_not_become_a_user() {
    let app = spawn_app().await;
    let alias = "team@proof.example";
    let token = invited_as(&app, "PRV-1", "P-PRV", alias).await;
    let ctx = open(&app, &token).await;
    let mut draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@prv.example");
    draft.setter_email = "mallory@proof.example".into();
    let refused = commit(&app, &token, &draft).await.unwrap_err();
    assert_eq!(
        refused.for_field("setter_email"),
        Some(&DomainError::EmailNotProven),
        "{refused:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_orgs").await, 0);
    // The person proves it with the code sent to it: committed.
    let person = "jana@proof.example";
    draft.setter_email = person.into();
    let cookie = app.prove_by_code(&token, person).await;
    let committed = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &proven_browser("jana", &cookie),
    )
    .await
    .unwrap();
    assert_eq!(committed.result.setter_email, person);
    assert_eq!(role_of(&app, person).await.as_deref(), Some("admin"));
    // The proof belongs to the browser that entered the code.
    let elsewhere = invited_as(&app, "PRV-2", "P-PRV2", alias).await;
    let ctx = open(&app, &elsewhere).await;
    let mut draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@prv2.example");
    draft.setter_email = "eva@proof.example".into();
    let stolen = proven_browser("mallory", &cookie);
    assert!(
        setup_now::server::services::commit::commit_setup(
            &app.state.store,
            &elsewhere,
            &draft,
            at(NOW),
            PUBLIC_URL,
            &stolen
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_five_wrong_ones_end_it() {
    let app = spawn_app().await;
    let token = invited_as(&app, "CODE-1", "P-CODE", "team@code.example").await;
    let person = "petr@code.example";
    let answer = app.next_on_step_two(None, &token, person).await;
    assert_eq!(answer.lookup, SetterLookup::New);
    assert_eq!(answer.proof, Proof::CodeSent);
    let right = app.code_for(person).await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let verify = |code: String| {
        let app = &app;
        let token = token.clone();
        async move {
            app.call::<()>(
                "setup/verify",
                &[
                    ("token", token.as_str()),
                    ("email", person),
                    ("code", code.as_str()),
                ],
            )
            .await
        }
    };
    for attempt in 1..=5 {
        let (status, body) = verify(wrong.to_string()).await.unwrap_err();
        assert_eq!(status, 422, "attempt {attempt}");
        let error: AppError = serde_json::from_str(&body).unwrap();
        let expected = if attempt < 5 {
            DomainError::CodeWrong
        } else {
            DomainError::CodeExpired
        };
        assert_eq!(
            error.for_field("code"),
            Some(&expected),
            "attempt {attempt}"
        );
    }
    let (status, _) = verify(right).await.unwrap_err();
    assert_eq!(
        status, 422,
        "the right code no longer works after five wrong ones"
    );
    // "Send a new code": a new one works.
    app.call::<()>(
        "setup/code",
        &[("token", token.as_str()), ("email", person)],
    )
    .await
    .unwrap();
    verify(app.code_for(person).await).await.unwrap();
    // Not six digits: refused before anything is looked at.
    let (status, _) = verify("12 34".into()).await.unwrap_err();
    assert_eq!(status, 422);
    // Codes are stored hashed.
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM email_proofs")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|h| h.len() > 6 && h.parse::<u64>().is_err())
    );
}

#[tokio::test]
async fn codes_to_one_address_are_limited() {
    let app = spawn_app().await;
    let token = invited_as(&app, "LIMC-1", "P-LIMC", "team@limc.example").await;
    let person = "flood@limc.example";
    app.next_on_step_two(None, &token, person).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            app.call::<()>(
                "setup/code",
                &[("token", token.as_str()), ("email", person)],
            )
            .await
            .map_or_else(|(s, _)| s, |()| 200),
        );
    }
    assert_eq!(statuses, [200, 200, 429]);
    let sent = app
        .mailbox(person)
        .await
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("Verification code"))
        .count();
    assert_eq!(sent, 3);
}

#[tokio::test]
async fn only_the_browser_that_committed_sets_the_first_password() {
    let app = spawn_app().await;
    let token = invited_as(&app, "FPW-1", "P-FPW", &contact("FPW-1")).await;
    let ctx = open(&app, &token).await;
    let draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@fpw.example");
    let committed = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &browser("mine"),
    )
    .await
    .unwrap();
    assert!(committed.first);
    assert_eq!(committed.result.next, AfterCommit::CreatePassword);
    // The same link elsewhere: done, nothing personal.
    let replayed = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &browser("theirs"),
    )
    .await
    .unwrap();
    assert!(!replayed.first);
    assert_eq!(replayed.result.next, AfterCommit::Elsewhere);
    assert_eq!(replayed.result.setter_email, "");
    assert_eq!(replayed.result.order_id, "");
    let password = |cookie: Option<&'static str>| {
        let app = &app;
        let token = token.clone();
        async move {
            app.call_as::<String>(
                cookie,
                "setup/password",
                &[
                    ("token", token.as_str()),
                    ("password", PASSWORD),
                    ("confirmation", PASSWORD),
                ],
            )
            .await
        }
    };
    assert_eq!(password(None).await.unwrap_err().0, 410);
    assert_eq!(
        password(Some("setup_now_commit=theirs"))
            .await
            .unwrap_err()
            .0,
        410
    );
    assert!(
        app.count("SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL")
            .await
            == 0
    );
    let next = password(Some("setup_now_commit=mine")).await.unwrap();
    assert!(next.starts_with("/service/"), "{next}");
}

#[tokio::test]
async fn the_commit_cookie_is_http_only_and_strict() {
    let app = spawn_app().await;
    let token = invited_as(&app, "CK-1", "P-CK", &contact("CK-1")).await;
    let ctx = open(&app, &token).await;
    let draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@ck.example");
    let body = serde_qs::to_string(&serde_json::json!({ "token": token, "draft": draft })).unwrap();
    let r = app
        .client
        .post(format!("{}/api/setup/commit", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let header = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("setup_now_commit="))
        .expect("a commit cookie")
        .to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/setup"] {
        assert!(header.contains(attribute), "{attribute} in {header}");
    }
    let stored: String =
        sqlx::query_scalar("SELECT committer_hash FROM setup_links WHERE spent_at IS NOT NULL")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let value = header.split(';').next().unwrap().split_once('=').unwrap().1;
    assert_ne!(stored, value, "stored hashed");
    assert_eq!(stored, setup_now::server::tokens::hash_token(value));
}

#[tokio::test]
async fn the_finder_and_the_checks_tell_a_non_member_nothing_of_the_partners_customers() {
    let app = spawn_app().await;
    let customer_admin = "it@managed.example";
    partner_sets_up(&app, "FND-1", "P-FND", customer_admin).await;
    let member = contact("FND-1");
    app.give_password(&member, PASSWORD).await;
    // A link of the same partner, held by someone else.
    let token = invited_as(&app, "FND-2", "P-FND", &contact("FND-2")).await;
    let query = |cookie: Option<String>, setter: String| {
        let app = &app;
        let token = token.clone();
        async move {
            app.call_as::<Vec<OrgChoice>>(
                cookie.as_deref(),
                "setup/orgs",
                &[
                    ("token", token.as_str()),
                    ("query", "zak"),
                    ("setter", setter.as_str()),
                ],
            )
            .await
        }
    };
    // The link holder, claiming to be the member or being themselves.
    assert_eq!(query(None, member.clone()).await.unwrap_err().0, 403);
    assert_eq!(query(None, contact("FND-2")).await.unwrap_err().0, 403);
    assert_eq!(query(None, String::new()).await.unwrap_err().0, 403);
    let lookup = app
        .check_admin_as(None, &token, customer_admin, &contact("FND-2"))
        .await
        .unwrap();
    assert_eq!(lookup, AdminLookup::Elsewhere);
    let lookup = app
        .check_admin_as(None, &token, &member, &contact("FND-2"))
        .await
        .unwrap();
    assert_eq!(lookup, AdminLookup::Elsewhere, "a partner's address alike");
    // The member, signed in.
    let session = app.sign_in_cookie(&member, PASSWORD).await;
    let found = query(Some(session.clone()), member.clone()).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].admin_email, customer_admin);
    let lookup = app
        .check_admin_as(Some(&session), &token, customer_admin, &member)
        .await
        .unwrap();
    assert!(matches!(lookup, AdminLookup::Managed(_)), "{lookup:?}");
}

#[tokio::test]
async fn a_newcomer_acts_on_their_order_alone_until_an_administrator_lets_them_in() {
    let app = spawn_app().await;
    let first = partner_sets_up(&app, "NEW-1", "P-NEW", "admin@new1.example").await;
    let admin = contact("NEW-1");
    // Someone else of the partner sets up its next order with its link.
    let token = invited_as(&app, "NEW-2", "P-NEW", "team@new.example").await;
    let newcomer = "ondra@new.example";
    let ctx = open(&app, &token).await;
    assert!(ctx.partner_has_members);
    let mut draft = partner_draft(&ctx, WhoSetsUp::Myself, "admin@new2.example");
    draft.setter_email = newcomer.into();
    let cookie = app.prove_by_code(&token, newcomer).await;
    let result = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        at(NOW),
        PUBLIC_URL,
        &proven_browser("ondra", &cookie),
    )
    .await
    .unwrap()
    .result;
    assert_eq!(role_of(&app, newcomer).await.as_deref(), Some("guest"));
    let their_order = result.order_id.clone();
    app.give_password(newcomer, PASSWORD).await;
    let user = app
        .state
        .store
        .user_by_email(newcomer)
        .await
        .unwrap()
        .unwrap();
    let store = &app.state.store;
    setup_now::server::access::authorize(store, &user, &their_order, Action::Manage)
        .await
        .unwrap();
    assert_eq!(
        setup_now::server::access::authorize(store, &user, &first, Action::View)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let session = app.sign_in_cookie(newcomer, PASSWORD).await;
    let hub: Value = app.call_as(Some(&session), "hub/view", &[]).await.unwrap();
    assert_eq!(hub["total"], 1, "only their own order: {hub}");
    // The administrator is asked, and lets them in.
    let review = link_to(&app, &admin, "Review request")
        .await
        .expect("a join request to the administrator");
    let view: Value = app
        .call("approval/open", &[("token", token_of(&review).as_str())])
        .await
        .unwrap();
    assert_eq!(view["Join"]["person"], newcomer, "{view}");
    app.call::<Value>(
        "approval/answer",
        &[("token", token_of(&review).as_str()), ("approve", "true")],
    )
    .await
    .unwrap();
    assert_eq!(role_of(&app, newcomer).await.as_deref(), Some("member"));
    let user = store.user_by_email(newcomer).await.unwrap().unwrap();
    setup_now::server::access::authorize(store, &user, &first, Action::View)
        .await
        .unwrap();
    let hub: Value = app.call_as(Some(&session), "hub/view", &[]).await.unwrap();
    assert_eq!(hub["total"], 2, "everything now: {hub}");
    // Answered once.
    let again = app
        .call::<Value>(
            "approval/answer",
            &[("token", token_of(&review).as_str()), ("approve", "false")],
        )
        .await
        .unwrap_err();
    assert_eq!(again.0, 410);
    // In the organization's activity, with who did it.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit WHERE action = 'join_approved' AND actor = '{admin}'"
        ))
        .await,
        1
    );
}

/// The people of an organization: roles in effect at once, the last
/// administrator kept, a removed user signed out, and nobody but an
/// administrator let near any of it.
#[tokio::test]
async fn administrators_manage_people_and_nobody_else_does() {
    let app = spawn_app().await;
    let order = partner_sets_up(&app, "PPL-1", "P-PPL", "admin@ppl.example").await;
    let admin = contact("PPL-1");
    app.give_password(&admin, PASSWORD).await;
    let org: String = sqlx::query_scalar("SELECT id FROM partner_orgs WHERE party_id = 'P-PPL'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let hash = setup_now::server::auth::hash_password_now(PASSWORD).unwrap();
    let viewer = "viewer@ppl.example";
    app.state
        .store
        .ensure_partner_user(&org, viewer, Role::ReadOnly, Some(&hash), at(NOW))
        .await
        .unwrap();
    let admin_session = app.sign_in_cookie(&admin, PASSWORD).await;
    let viewer_session = app.sign_in_cookie(viewer, PASSWORD).await;
    // A Read-only user sees the order and changes nothing.
    let hub: Value = app
        .call_as(Some(&viewer_session), "hub/view", &[])
        .await
        .unwrap();
    let line = &hub["organizations"][0]["orders"][0];
    assert_eq!(line["can_manage"], false, "{hub}");
    assert_eq!(
        app.call_as::<Value>(
            Some(&viewer_session),
            "service/load",
            &[("order_id", order.as_str())]
        )
        .await
        .unwrap_err()
        .0,
        403
    );
    assert_eq!(
        app.call_as::<Value>(
            Some(&viewer_session),
            "service/provision",
            &[("order_id", order.as_str())]
        )
        .await
        .unwrap_err()
        .0,
        403
    );
    // Only an administrator reaches the people page and its functions.
    assert_eq!(
        app.call_as::<Value>(Some(&viewer_session), "people/load", &[])
            .await
            .unwrap_err()
            .0,
        403
    );
    let people_page = app
        .client
        .get(format!("{}/hub/people", app.base))
        .header("cookie", viewer_session.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(people_page.status(), 403);
    let view: Value = app
        .call_as(Some(&admin_session), "people/load", &[])
        .await
        .unwrap();
    let id_of = |email: &str| -> String {
        view["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .map(|p| p["user_id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (admin_id, viewer_id) = (id_of(&admin), id_of(viewer));
    // The last administrator stays one.
    let (status, body) = app
        .call_as::<()>(
            Some(&admin_session),
            "people/role",
            &[("user_id", admin_id.as_str()), ("role", "member")],
        )
        .await
        .unwrap_err();
    assert_eq!(status, 409);
    assert!(body.contains("LastAdministrator"), "{body}");
    assert_eq!(
        app.call_as::<()>(
            Some(&admin_session),
            "people/remove",
            &[("user_id", admin_id.as_str())]
        )
        .await
        .unwrap_err()
        .0,
        409
    );
    // A role change takes effect at once.
    app.call_as::<()>(
        Some(&admin_session),
        "people/role",
        &[("user_id", viewer_id.as_str()), ("role", "member")],
    )
    .await
    .unwrap();
    let hub: Value = app
        .call_as(Some(&viewer_session), "hub/view", &[])
        .await
        .unwrap();
    assert_eq!(hub["organizations"][0]["orders"][0]["can_manage"], true);
    // Others are refused the people functions.
    assert_eq!(
        app.call_as::<()>(
            Some(&viewer_session),
            "people/remove",
            &[("user_id", admin_id.as_str())]
        )
        .await
        .unwrap_err()
        .0,
        403
    );
    // Removed: the next request is not signed in.
    app.call_as::<()>(
        Some(&admin_session),
        "people/remove",
        &[("user_id", viewer_id.as_str())],
    )
    .await
    .unwrap();
    let after: Option<Value> = app
        .call_as(Some(&viewer_session), "hub/view", &[])
        .await
        .unwrap();
    assert_eq!(after, None);
    assert_eq!(role_of(&app, viewer).await, None);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit WHERE partner_org_id = '{org}' AND actor = '{admin}' \
             AND action IN ('role_changed', 'person_removed')"
        ))
        .await,
        2
    );
}

#[tokio::test]
async fn an_invitation_lets_one_person_in_once() {
    let app = spawn_app().await;
    partner_sets_up(&app, "INV-1", "P-INV", "admin@inv.example").await;
    let admin = contact("INV-1");
    app.give_password(&admin, PASSWORD).await;
    let session = app.sign_in_cookie(&admin, PASSWORD).await;
    let invited = "nova@inv.example";
    app.call_as::<()>(
        Some(&session),
        "people/invite",
        &[("email", invited), ("role", "read_only")],
    )
    .await
    .unwrap();
    let (status, _) = app
        .call_as::<()>(
            Some(&session),
            "people/invite",
            &[("email", &admin), ("role", "member")],
        )
        .await
        .unwrap_err();
    assert_eq!(status, 422, "someone who is a user already");
    let join = link_to(&app, invited, "Join").await.expect("a Join link");
    assert!(join.starts_with(&format!("{PUBLIC_URL}/join/")));
    let token = token_of(&join);
    let view: Value = app
        .call("join/open", &[("token", token.as_str())])
        .await
        .unwrap();
    assert_eq!(view["email"], invited);
    let r = app
        .client
        .post(format!("{}/api/join/accept", app.base))
        .form(&[
            ("token", token.as_str()),
            ("password", PASSWORD),
            ("confirmation", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        cookie_in(&r, "__Host-setup_now_session").is_some(),
        "signed in"
    );
    assert_eq!(role_of(&app, invited).await.as_deref(), Some("read_only"));
    let again = app
        .call::<String>(
            "join/accept",
            &[
                ("token", token.as_str()),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(again.0, 410);
    let page = app
        .client
        .get(format!("{}/join/{token}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 410);
}
