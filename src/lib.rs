//! setup-now: provisioning of Webex A-WX and A-SPK orders.
//!
//! One crate compiled twice: the server (`ssr`) and the browser client (`hydrate`).
//! Everything outside `server` compiles for both, so every rule in [`domain`] runs
//! in the browser for instant feedback and again on the server, which decides.
#![recursion_limit = "512"]

pub mod app;
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

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Hydration is synchronous: from here on every handler is attached.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
