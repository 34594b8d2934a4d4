//! The Activity of an order, read by the people who may see the order, and
//! its CSV: parsed back, Czech letters intact, formulas defused.

use crate::helpers::*;
use setup_now::model::setup::{Draft, Role, WhoSetsUp};

const NOW: &str = "2026-12-01T08:00:00Z";
const PASSWORD: &str = "a long enough secret";

/// RFC 4180 rows (quoted cells, doubled quotes, CRLF).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

/// An order set up with the calling settings saved (a location name that
/// a spreadsheet would run), and the contact's session cookie.
async fn order_with_activity(app: &TestApp, number: &str) -> (String, String, String) {
    app.place(number, "2026-12-01").await;
    app.set_clock(NOW).await;
    app.run_scheduler().await;
    let contact = format!("contact-{}@partner.example", number.to_lowercase());
    let token = app.setup_token(&contact).await;
    let ctx = setup_now::server::services::links::open_setup(
        &app.state.store,
        &token,
        NOW.parse().unwrap(),
    )
    .await
    .unwrap();
    let mut draft = Draft::prefilled(&ctx);
    draft.role = Some(Role::Partner);
    draft.who = Some(WhoSetsUp::Myself);
    draft.admin_email = "správce@zákazník.example".into();
    let result = setup_now::server::services::commit::commit_setup(
        &app.state.store,
        &token,
        &draft,
        NOW.parse().unwrap(),
        PUBLIC_URL,
        &browser("test"),
    )
    .await
    .map(|c| c.result)
    .unwrap();
    let settings = setup_now::service::CallingInput {
        location_name: "=HYPERLINK(\"http://evil.example\")".into(),
        address: "Žlutá 1, Praha".into(),
        country: "CZ".into(),
        time_zone: "Europe/Prague".into(),
        language: "cs_CZ".into(),
        pstn: "cisco".into(),
        location: String::new(),
    }
    .choose()
    .unwrap();
    setup_now::server::services::provisioning::save_calling(
        &app.state.store,
        &result.order_id,
        &settings,
        &contact,
        NOW.parse().unwrap(),
    )
    .await
    .unwrap();
    app.give_password(&contact, PASSWORD).await;
    let cookie = app.sign_in_cookie(&contact, PASSWORD).await;
    (result.order_id, contact, cookie)
}

#[tokio::test]
async fn the_activity_csv_names_people_keeps_czech_letters_and_defuses_formulas() {
    let app = spawn_app().await;
    let (order_id, contact, cookie) = order_with_activity(&app, "ACT-1").await;
    let contact = contact.as_str();
    let r = app
        .client
        .get(format!("{}/activity/{}/csv", app.base, order_id))
        .header("cookie", format!("{cookie}; i18n_pref_locale=cs"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = r.text().await.unwrap();
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], ["Kdy", "Kdo", "Co", "Podrobnosti"]);
    let actions: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(actions.contains(&"zadání objednávky"), "{actions:?}");
    assert!(actions.contains(&"nastavení objednávky"), "{actions:?}");
    let placed = rows
        .iter()
        .find(|r| r[2] == "zadání objednávky")
        .expect("the order's placing");
    assert_eq!(
        placed[1], "Cisco Commerce",
        "a system by its name, in Czech"
    );
    let saved = rows
        .iter()
        .find(|r| r[2] == "uložení nastavení volání")
        .expect("the calling settings entry");
    assert_eq!(saved[1], contact, "by person, not by subsystem");
    assert_eq!(saved[3], "'=HYPERLINK(\"http://evil.example\")");
    // The page's data, and nobody else's.
    let view: serde_json::Value = app
        .call_as(
            Some(&cookie),
            "activity/load",
            &[("order_id", order_id.as_str())],
        )
        .await
        .unwrap();
    assert_eq!(view["order_number"], "ACT-1");
    assert!(
        view["emails"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "invitation")
    );
    assert!(
        view["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "order.set_up")
    );
    let anonymous = app
        .client
        .get(format!("{}/activity/{}/csv", app.base, order_id))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    app.place("ACT-2", "2026-12-01").await;
    let other = app
        .state
        .store
        .ensure_partner_org("P-ACT-2", "Other", "CZ", NOW.parse().unwrap())
        .await
        .unwrap();
    let hash = setup_now::server::auth::hash_password_now(PASSWORD).unwrap();
    app.state
        .store
        .ensure_partner_user(
            &other,
            "other@partner.example",
            setup_now::domain::Role::Administrator,
            Some(&hash),
            NOW.parse().unwrap(),
        )
        .await
        .unwrap();
    let stranger = app.sign_in_cookie("other@partner.example", PASSWORD).await;
    let refused = app
        .client
        .get(format!("{}/activity/{}/csv", app.base, order_id))
        .header("cookie", stranger)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

/// A browser asks for the CSV compressed (`Accept-Encoding: gzip, deflate,
/// br`); the compression layer polls the body once more after its end, which
/// a bare stream answered with a panic and the browser with a reset
/// connection. Each encoding is decoded here and its rows read.
#[tokio::test]
async fn the_activity_csv_downloads_whole_when_the_browser_asks_for_compression() {
    use std::io::Read;
    let app = spawn_app().await;
    let (order_id, _, cookie) = order_with_activity(&app, "ACT-ZIP").await;
    for encoding in ["br", "gzip"] {
        let r = app
            .client
            .get(format!("{}/activity/{}/csv", app.base, order_id))
            .header("cookie", cookie.as_str())
            .header("accept-encoding", format!("{encoding}, deflate"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{encoding}");
        assert_eq!(r.headers()["content-encoding"], encoding);
        let bytes = r
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{encoding}: the body broke off: {e}"));
        let mut text = String::new();
        match encoding {
            "br" => brotli_decompressor::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut text)
                .unwrap(),
            _ => flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap(),
        };
        let rows = parse_csv(text.trim_start_matches('\u{feff}'));
        assert_eq!(rows[0], ["When", "Who", "What", "Detail"], "{encoding}");
        assert!(
            rows.iter()
                .any(|r| r[3] == "'=HYPERLINK(\"http://evil.example\")"),
            "{encoding}: {rows:?}"
        );
    }
}

#[tokio::test]
async fn a_failed_deliverys_error_stays_on_the_server() {
    // A receiver that cannot be reached: the delivery's error names its
    // address, query and all.
    let app = spawn_app_with(&[
        (
            "SETUP_NOW_WEBHOOK_URL",
            "http://127.0.0.1:9/hook?key=receivers-own-secret",
        ),
        (
            "SETUP_NOW_WEBHOOK_SECRET",
            "whsec_c2V0dXAtbm93IHdlYmhvb2sgdGVzdCBzZWNyZXQh",
        ),
    ])
    .await;
    let (order_id, _, cookie) = order_with_activity(&app, "ACT-ERR").await;
    for _ in 0..200 {
        if app
            .count("SELECT count(*) FROM events WHERE last_error IS NOT NULL")
            .await
            > 0
        {
            break;
        }
        app.state.wake_workers();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        app.count("SELECT count(*) FROM events WHERE last_error LIKE '%receivers-own-secret%'")
            .await
            > 0,
        "the server keeps the error for its operators"
    );
    let view: serde_json::Value = app
        .call_as(
            Some(&cookie),
            "activity/load",
            &[("order_id", order_id.as_str())],
        )
        .await
        .unwrap();
    let events = view["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["attempts"].as_i64() > Some(0)));
    let text = view.to_string();
    assert!(!text.contains("receivers-own-secret"), "{text}");
    assert!(!text.contains("127.0.0.1:9"), "{text}");
    assert!(
        events.iter().all(|e| e.get("last_error").is_none()),
        "{text}"
    );
}
