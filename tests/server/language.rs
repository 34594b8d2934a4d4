//! The language a page is rendered in: the one this browser chose in the app
//! (its language cookie), else the first of its `Accept-Language` that the
//! app speaks, else English.

use crate::helpers::*;

/// The `lang` of the page `/` rendered for these request headers, and
/// whether its heading is the Czech one.
async fn home_language(app: &TestApp, headers: &[(&str, &str)]) -> (String, bool) {
    let mut request = app.client.get(format!("{}/", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let lang = page
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string();
    (lang, page.contains("Nastavit nyní"))
}

#[tokio::test]
async fn a_page_is_in_the_language_chosen_in_the_app_else_in_the_browsers() {
    let app = spawn_app().await;
    // (Accept-Language, Cookie, the page's language)
    let cases = [
        (None, None, "en"),
        (Some("de-DE, cs;q=0.8, en;q=0.5"), None, "cs"),
        (Some("fr, de"), None, "en"),
        // The choice made in the app wins over the browser's languages.
        (Some("cs-CZ"), Some("i18n_pref_locale=en"), "en"),
        (Some("en-US"), Some("other=1; i18n_pref_locale=cs"), "cs"),
        // A cookie naming no language of the app is ignored.
        (Some("cs"), Some("i18n_pref_locale=xx"), "cs"),
    ];
    for (accept, cookie, expected) in cases {
        let mut headers = Vec::new();
        headers.extend(accept.map(|v| ("accept-language", v)));
        headers.extend(cookie.map(|v| ("cookie", v)));
        assert_eq!(
            home_language(&app, &headers).await,
            (expected.to_string(), expected == "cs"),
            "Accept-Language {accept:?}, Cookie {cookie:?}"
        );
    }
}
