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
    assert_eq!(home_language(&app, &[]).await, ("en".into(), false));
    assert_eq!(
        home_language(&app, &[("accept-language", "de-DE, cs;q=0.8, en;q=0.5")]).await,
        ("cs".into(), true)
    );
    assert_eq!(
        home_language(&app, &[("accept-language", "fr, de")]).await,
        ("en".into(), false)
    );
    // The choice made in the app wins over the browser's languages.
    assert_eq!(
        home_language(
            &app,
            &[
                ("accept-language", "cs-CZ"),
                ("cookie", "i18n_pref_locale=en")
            ]
        )
        .await,
        ("en".into(), false)
    );
    assert_eq!(
        home_language(
            &app,
            &[
                ("accept-language", "en-US"),
                ("cookie", "other=1; i18n_pref_locale=cs")
            ]
        )
        .await,
        ("cs".into(), true)
    );
    // A cookie naming no language of the app is ignored.
    assert_eq!(
        home_language(
            &app,
            &[("accept-language", "cs"), ("cookie", "i18n_pref_locale=xx")]
        )
        .await,
        ("cs".into(), true)
    );
}
