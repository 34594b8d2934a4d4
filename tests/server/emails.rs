//! Emails (contract section 3): written in the recipient's language, with an
//! HTML part whose buttons are real links, and the reminder that goes with an
//! escalation.

use crate::helpers::*;
use crate::organizations::{
    NOW, PASSWORD, at, contact, invited_as, link_to, partner_draft_checked, partner_sets_up,
    token_of,
};
use serde_json::Value;
use setup_now::error::AppError;
use setup_now::model::setup::WhoSetsUp;

fn link_texts(mail: &Value) -> Vec<&str> {
    mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_czech_partner_is_written_to_in_czech_and_any_other_in_english() {
    let app = spawn_app().await;
    app.place("LANG-1", "2026-12-01").await;
    let mut body = order_body("LANG-2", "2026-12-01");
    body["partner"]["country"] = "DE".into();
    assert_eq!(app.post_order(&body).await.status(), 201);
    app.set_clock(NOW).await;
    assert_eq!(app.run_scheduler().await["invitations"], 2);

    let czech = app.mailbox(&contact("LANG-1")).await.remove(0);
    assert_eq!(czech["kind"], "invitation");
    assert!(czech["subject"].as_str().unwrap().contains("LANG-1"));
    // The button in the recipient's language, the other language beside it,
    // both to the same setup link.
    assert_eq!(link_texts(&czech), ["Nastavit nyní", "Set Up Now"]);
    let href = czech["links"][0]["href"].as_str().unwrap();
    assert_eq!(czech["links"][1]["href"], href);
    assert!(href.starts_with(&format!("{PUBLIC_URL}/setup/")));
    let html = czech["html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{href}\"")), "{html}");
    assert!(html.contains(">Nastavit nyní</a>"));

    let english = app.mailbox(&contact("LANG-2")).await.remove(0);
    assert_eq!(link_texts(&english), ["Set Up Now", "Nastavit nyní"]);
    assert!(
        english["html"]
            .as_str()
            .unwrap()
            .contains(">Set Up Now</a>")
    );

    // The HTML part as a mail program shows it: a whole document in the
    // recipient's language whose inline styles may apply and nothing runs.
    let response = app
        .client
        .get(format!("{}/api/dev/mailbox/{}", app.base, czech["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let document = response.text().await.unwrap();
    assert!(document.starts_with("<!DOCTYPE html><html lang=\"cs\">"));
    assert!(document.contains(">Nastavit nyní</a>"));
}

/// Asks for a password reset of `to` and returns the texts of the links of
/// the email it sends.
async fn reset_link_texts(app: &TestApp, to: &str) -> Vec<String> {
    app.call::<()>("hub/forgot", &[("email", to)])
        .await
        .unwrap();
    let mails = app.mailbox(to).await;
    let newest = mails.last().unwrap();
    assert_eq!(newest["kind"], "password_reset");
    link_texts(newest).into_iter().map(String::from).collect()
}

#[tokio::test]
async fn the_language_a_user_chose_in_the_app_decides_their_emails() {
    let app = spawn_app().await;
    partner_sets_up(&app, "LANG-3", "P-LANG-3", "admin-lang-3@customer.example").await;
    let who = contact("LANG-3");
    app.give_password(&who, PASSWORD).await;
    // Nothing chosen yet: a user of a Czech partner is written to in Czech.
    assert_eq!(reset_link_texts(&app, &who).await[0], "Obnovit heslo");

    // Signing in from a browser switched to English keeps English.
    let response = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .header("cookie", "i18n_pref_locale=en")
        .form(&[("email", who.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let session = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(reset_link_texts(&app, &who).await[0], "Reset password");

    // The language buttons, pressed while signed in, change it again.
    app.call_as::<()>(Some(&session), "account/language", &[("language", "cs")])
        .await
        .unwrap();
    assert_eq!(reset_link_texts(&app, &who).await[0], "Obnovit heslo");
    let refused = app
        .call_as::<()>(Some(&session), "account/language", &[("language", "xx")])
        .await
        .unwrap_err();
    assert_eq!(refused.0, 400);
}

#[tokio::test]
async fn an_escalation_reminds_the_contact_with_a_link_and_a_setup_through_it_ends_the_first() {
    let app = spawn_app().await;
    let to = contact("REM-1");
    let first = invited_as(&app, "REM-1", "P-REM-1", &to).await;
    app.set_clock("2026-12-03T00:00:01Z").await;
    assert_eq!(app.run_scheduler().await["escalations"], 1);

    let mails = app.mailbox(&to).await;
    let kinds: Vec<&str> = mails.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["invitation", "reminder"]);
    assert!(mails[1]["subject"].as_str().unwrap().contains("REM-1"));
    let reminder = token_of(&link_to(&app, &to, "Set Up Now").await.unwrap());
    assert_ne!(reminder, first);
    assert_eq!(app.mailbox("rep@cisco.example").await.len(), 1);

    // The first link still opens until someone sets the order up; the setup
    // done through the reminder ends it.
    let later = at("2026-12-03T10:00:00Z");
    setup_now::server::services::links::open_setup(&app.state.store, &first, later)
        .await
        .unwrap();
    let draft = partner_draft_checked(
        &app,
        &reminder,
        WhoSetsUp::Myself,
        "admin-rem-1@customer.example",
    )
    .await;
    setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &reminder,
        &draft,
        later,
        PUBLIC_URL,
        &browser("test"),
    )
    .await
    .map(|c| c.result)
    .unwrap();
    assert_eq!(
        setup_now::server::services::links::open_setup(&app.state.store, &first, later)
            .await
            .unwrap_err(),
        AppError::Gone
    );
}
