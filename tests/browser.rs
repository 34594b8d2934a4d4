//! Browser tests (wasm-bindgen-test in headless Chromium): the wizard's steps
//! check their input in the browser with the shared domain rules before any
//! request is made.
#![cfg(all(target_arch = "wasm32", feature = "hydrate"))]

use leptos::prelude::*;
use leptos_router::components::Router;
use setup_now::account::{NewPasswordForm, PasswordPurpose};
use setup_now::i18n::I18nContextProvider;
use setup_now::model::setup::{Audience, OrgView, SetupContext};
use setup_now::wizard::page::Wizard;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn context() -> SetupContext {
    SetupContext {
        audience: Audience::Partner,
        link_email: "contact@partner.example".into(),
        order_number: "CCW-TEST-1".into(),
        offer: "A-WX".into(),
        subscription_id: "Sub-1".into(),
        requested_start_date: "2026-12-01".into(),
        services: vec![("meetings".into(), "A-WX-MTG-ENT".into(), 10)],
        partner_org: None,
        order_partner: OrgView {
            name: "Partner s.r.o.".into(),
            country: "CZ".into(),
            address: None,
        },
        order_customer: OrgView {
            name: "Zakaznik a.s.".into(),
            country: "CZ".into(),
            address: Some("Vinohradska 1, Praha".into()),
        },
        customer_org: None,
        customer_org_editable: false,
        link_is_partner_user: false,
        partner_has_members: false,
        link_proven: true,
        change_order: false,
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn find(selector: &str) -> Option<HtmlElement> {
    document()
        .query_selector(&format!("#test-root {selector}"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn alerts() -> Vec<String> {
    let list = document()
        .query_selector_all("#test-root [role=alert]")
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

fn text_of(selector: &str) -> String {
    find(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn heading() -> String {
    find("form h2")
        .and_then(|h| h.text_content())
        .unwrap_or_default()
}

fn click(selector: &str) {
    find(selector)
        .unwrap_or_else(|| panic!("{selector} missing"))
        .click();
}

/// Clicks the button whose text is `text`.
fn click_button(text: &str) {
    let buttons = document().query_selector_all("#test-root button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no button {text:?}"))
        .click();
}

fn type_into(selector: &str, value: &str) {
    let input: HtmlInputElement = find(selector).unwrap().unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

/// Waits until `done` holds, letting effects and spawned tasks run between
/// looks; fails after two seconds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// A fresh element to mount into. The body itself must stay: the test runner
/// writes its report there.
fn fresh_root() -> HtmlElement {
    if let Some(old) = document().get_element_by_id("test-root") {
        old.remove();
    }
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    root.set_id("test-root");
    document().body().unwrap().append_child(&root).unwrap();
    root
}

fn mount_wizard() {
    mount_wizard_with(context());
}

fn mount_wizard_with(ctx: SetupContext) {
    leptos::mount::mount_to(fresh_root(), move || {
        view! {
            <I18nContextProvider>
                <Router>
                    <Wizard token="test-token".to_string() ctx=ctx.clone() />
                </Router>
            </I18nContextProvider>
        }
    })
    .forget()
}

#[wasm_bindgen_test]
async fn next_without_a_role_shows_an_error_and_stays_on_step_one() {
    mount_wizard();
    settle().await;
    assert_eq!(heading(), "Your role");
    click("button[type=submit]");
    settle().await;
    assert_eq!(alerts(), ["This field is required."]);
    assert_eq!(heading(), "Your role");
}

#[wasm_bindgen_test]
async fn a_new_partner_organization_with_an_unknown_country_does_not_advance() {
    mount_wizard();
    until("step 1", || heading() == "Your role").await;
    click("input[name=role]");
    click("button[type=submit]");
    until("step 2", || heading() == "Who does the setup").await;
    click("input[name=who]");
    click("button[type=submit]");
    // Step 2 asks the server about "Your email address"; with no server here
    // the wizard goes on and the commit would decide.
    until("step 3", || heading() == "Partner organization").await;
    let name: HtmlInputElement = find("#partner_name").unwrap().unchecked_into();
    assert_eq!(name.value(), "Partner s.r.o.", "prefilled from the order");
    type_into("#partner_country", "Czechia");
    type_into("#partner_name", "   ");
    click("button[type=submit]");
    until("the errors", || find("#partner_country-error").is_some()).await;
    assert_eq!(heading(), "Partner organization");
    assert_eq!(
        text_of("#partner_country-error"),
        "Enter a two-letter country code, such as CZ."
    );
    assert_eq!(text_of("#partner_name-error"), "This field is required.");
    let country = find("#partner_country").unwrap();
    assert_eq!(
        country.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        country.get_attribute("aria-describedby").as_deref(),
        Some("partner_country-error")
    );
    // Corrected, it advances; Back keeps what was typed.
    type_into("#partner_country", "cz");
    type_into("#partner_name", "Partner Nový s.r.o.");
    click("button[type=submit]");
    until("step 4", || heading() == "Customer administrator").await;
    click_button("Back");
    until("step 3 again", || heading() == "Partner organization").await;
    let name: HtmlInputElement = find("#partner_name").unwrap().unchecked_into();
    assert_eq!(name.value(), "Partner Nový s.r.o.");
}

#[wasm_bindgen_test]
async fn an_invalid_colleague_address_is_refused_in_the_browser() {
    mount_wizard();
    settle().await;
    click("input[name=role]");
    click("button[type=submit]");
    settle().await;
    let radios = document()
        .query_selector_all("#test-root input[name=who]")
        .unwrap();
    radios
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    type_into("#colleague_email", "colleague-at-partner");
    click("button[type=submit]");
    settle().await;
    assert!(
        alerts().iter().any(|e| e.contains("valid email address")),
        "{:?}",
        alerts()
    );
    assert_eq!(heading(), "Who does the setup");
}

#[wasm_bindgen_test]
async fn a_short_or_mismatched_password_is_refused_before_any_request() {
    leptos::mount::mount_to(fresh_root(), || {
        view! {
            <I18nContextProvider>
                <Router>
                    <NewPasswordForm token="test-token".to_string() purpose=PasswordPurpose::First />
                </Router>
            </I18nContextProvider>
        }
    })
    .forget();
    settle().await;
    type_into("#password", "short");
    click("button[type=submit]");
    settle().await;
    assert_eq!(alerts(), ["Use at least 12 characters."]);
    type_into("#password", "a much longer passphrase");
    type_into("#confirmation", "a much longer passphrasE");
    click("button[type=submit]");
    settle().await;
    assert_eq!(alerts(), ["The passwords do not match."]);
}

fn service_view() -> setup_now::service::ServiceView {
    setup_now::service::ServiceView {
        order_id: "order-1".into(),
        order_number: "CCW-TEST-2".into(),
        offer: "A-WX".into(),
        subscription_id: "Sub-2".into(),
        requested_start_date: "2026-12-01".into(),
        services: vec![
            ("calling".into(), "A-WX-CALL".into(), 10),
            ("meetings".into(), "A-WX-MTG".into(), 10),
        ],
        customer_name: "Zakaznik a.s.".into(),
        calling: setup_now::service::CallingInput {
            address: "Vinohradska 1, Praha".into(),
            country: "CZ".into(),
            time_zone: "Europe/Prague".into(),
            language: "cs_CZ".into(),
            ..Default::default()
        },
        calling_saved: false,
        locations: Vec::new(),
        subdomain: None,
        site_set_up: false,
        billing_start_date: None,
    }
}

fn mount_service(view: setup_now::service::ServiceView) {
    leptos::mount::mount_to(fresh_root(), move || {
        let view = view.clone();
        view! {
            <I18nContextProvider>
                <Router>
                    <setup_now::service::page::ServiceWizard data=view />
                </Router>
            </I18nContextProvider>
        }
    })
    .forget()
}

fn page_heading() -> String {
    find("h2")
        .and_then(|h| h.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn calling_settings_need_a_location_name_and_a_pstn_connection() {
    mount_service(service_view());
    settle().await;
    assert_eq!(page_heading(), "Subscription details");
    click("button");
    settle().await;
    assert_eq!(page_heading(), "Calling settings");
    let address: HtmlInputElement = find("#address").unwrap().unchecked_into();
    assert_eq!(
        address.value(),
        "Vinohradska 1, Praha",
        "prefilled from the customer organization"
    );
    click("button[type=submit]");
    settle().await;
    assert_eq!(text_of("#location_name-error"), "This field is required.");
    assert_eq!(text_of("#pstn-error"), "This field is required.");
    assert_eq!(page_heading(), "Calling settings", "Next does not advance");
    type_into("#country", "XX");
    click("button[type=submit]");
    settle().await;
    assert_eq!(
        text_of("#country-error"),
        "Enter a two-letter country code, such as CZ."
    );
}

#[wasm_bindgen_test]
async fn a_subdomain_that_breaks_the_rules_is_not_available_without_asking_the_server() {
    let mut view = service_view();
    view.calling_saved = true;
    mount_service(view);
    settle().await;
    assert_eq!(
        page_heading(),
        "Meeting settings",
        "resumes at the first step not done"
    );
    let check = || {
        let buttons = document().query_selector_all("#test-root button").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .map(|n| n.unchecked_into::<HtmlElement>())
            .find(|b| b.text_content().as_deref() == Some("Check availability"))
            .unwrap()
            .click()
    };
    for (typed, reason) in [
        ("ab", "at least 3 characters"),
        ("www", "reserved"),
        ("-acme", "start or end with a hyphen"),
        ("acme_site", "letters a-z"),
    ] {
        type_into("#subdomain", typed);
        check();
        settle().await;
        let result = find("#subdomain-result")
            .and_then(|e| e.text_content())
            .unwrap_or_default();
        assert!(result.contains("is not available"), "{typed}: {result}");
        assert!(result.contains(reason), "{typed}: {result}");
    }
}

#[wasm_bindgen_test]
async fn yes_reveals_your_email_address_prefilled_and_refuses_an_invalid_one() {
    mount_wizard();
    until("step 1", || heading() == "Your role").await;
    click("input[name=role]");
    click("button[type=submit]");
    until("step 2", || heading() == "Who does the setup").await;
    assert!(find("#setter_email").is_none(), "hidden until chosen");
    click("input[name=who]");
    until("the address field", || find("#setter_email").is_some()).await;
    let yours: HtmlInputElement = find("#setter_email").unwrap().unchecked_into();
    assert_eq!(yours.value(), "contact@partner.example");
    type_into("#setter_email", "not-an-address");
    click("button[type=submit]");
    until("the field's error", || {
        find("#setter_email-error").is_some()
    })
    .await;
    assert_eq!(heading(), "Who does the setup");
    assert_eq!(
        text_of("#setter_email-error"),
        "Enter a valid email address, such as name@example.com."
    );
}

#[wasm_bindgen_test]
async fn the_customer_path_verifies_its_own_organization_and_stops_when_not_recognized() {
    let mut ctx = context();
    ctx.customer_org = Some(OrgView {
        name: "Own a.s.".into(),
        country: "CZ".into(),
        address: Some("Karlovo namesti 1, Praha".into()),
    });
    mount_wizard_with(ctx);
    until("step 1", || heading() == "Your role").await;
    let radios = document()
        .query_selector_all("#test-root input[name=role]")
        .unwrap();
    radios
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    click("button[type=submit]");
    until("the organization step", || {
        heading() == "Customer organization"
    })
    .await;
    assert!(text_of("dl.details").contains("Own a.s."));
    assert!(find("#customer_name").is_none(), "verified, not typed");
    click("input[type=checkbox]");
    until("the advice", || !alerts().is_empty()).await;
    assert!(
        alerts()
            .iter()
            .any(|a| a.contains("Contact your Cisco representative")),
        "{:?}",
        alerts()
    );
    let next: web_sys::HtmlButtonElement = find("button[type=submit]").unwrap().unchecked_into();
    assert!(next.disabled());
}

#[wasm_bindgen_test]
async fn a_partner_user_cannot_choose_the_customer_path() {
    let mut ctx = context();
    ctx.link_is_partner_user = true;
    mount_wizard_with(ctx);
    until("step 1", || heading() == "Your role").await;
    let radios = document()
        .query_selector_all("#test-root input[name=role]")
        .unwrap();
    radios
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    click("button[type=submit]");
    until("the refusal", || !alerts().is_empty()).await;
    assert_eq!(heading(), "Your role");
    assert!(
        alerts().iter().any(|a| a.contains("already belongs")),
        "{:?}",
        alerts()
    );
}
