//! setup-now: provisioning of Webex A-WX and A-SPK orders.
//!
//! One crate compiled twice: the server (`ssr`) and the browser client (`hydrate`).
//! Everything outside `server` compiles for both, so every rule in [`domain`] runs
//! in the browser for instant feedback and again on the server, which decides.
#![recursion_limit = "512"]

pub mod account;
pub mod activity;
pub mod app;
pub mod approval;
pub mod commerce;
pub mod components;
pub mod domain;
pub mod error;
pub mod hub;
pub mod mailbox;
pub mod orders;
pub mod service;
pub mod wizard;

/// Translations (`locales/en.json`, `locales/cs.json`), checked at compile time.
///
/// `load_locales!` is used rather than the crate's build-script generator: the
/// generator pulls the ICU data exporter (tens of MB of sources) into every cold
/// build, and we use no ICU formatting.
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: hydrates the server-rendered page. The pages split off
/// the main module (lazy routes) load their code first, so hydration is async;
/// `data-hydrated` is set once every handler is attached.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Some(body) = document.body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
