//! The application shell: document, header, routes and the pages without a home
//! of their own.

use crate::account::{ForgotPage, ResetPage};
use crate::activity::ActivityPage;
use crate::approval::ApprovePage;
use crate::components::{LanguageSwitch, NavLink};
use crate::customers::CustomersPage;
use crate::dev::commerce::CommercePage;
use crate::dev::mailbox::MailboxPage;
use crate::hub::HubPage;
use crate::i18n::*;
use crate::people::{JoinPage, PeoplePage};
use crate::security::AccountPage;
use crate::service::page::ServicePage;
use crate::wizard::page::SetupPage;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
#[cfg(feature = "split")]
use leptos_router::lazy_route;
use leptos_router::{
    Lazy, LazyRoute, ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The HTML document the server renders around the app. Its inline scripts
/// carry this response's nonce, which the Content-Security-Policy names.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(policy) = axum::http::HeaderValue::from_str(
        &crate::server::guard::content_security_policy(&nonce.to_string()),
    ) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, policy);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The root component: translations, meta tags and the router.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let page = || {
        view! {
            <Stylesheet id="leptos" href="/pkg/setup-now.css" />
            <AppTitle />
            <Router>
                // `rel="external"`: the router would take the click, scroll
                // and leave focus on the link; the browser moves focus into
                // `main` (focusable for that, not in the tab order).
                <a class="skip" href="#main" rel="external">
                    {move || t_string!(use_i18n(), app.skip)}
                </a>
                <Header />
                <main id="main" tabindex="-1">
                    <AppRoutes />
                </main>
            </Router>
        }
    };
    // On the server the translation provider gets an owner of its own, held
    // by the page for the request, so that pausing it (see `unpaused`)
    // touches nothing else of the request; it reads the request's language
    // (`request_language`). The browser reads the one the server chose
    // from `<html lang>`.
    #[cfg(feature = "ssr")]
    {
        let provider = Owner::new();
        let app = || {
            view! {
                <I18nContextProvider ssr_lang_header_getter=request_language()>
                    {unpaused(page)}
                </I18nContextProvider>
            }
        };
        leptos::tachys::reactive_graph::OwnedView::new_with_owner(provider.with(app), provider)
    }
    #[cfg(not(feature = "ssr"))]
    view! { <I18nContextProvider>{unpaused(page)}</I18nContextProvider> }
}

/// How the server picks a page's language for the translation provider: the
/// one this browser chose in the app (the language cookie), else the first
/// of its `Accept-Language` that the app speaks (else English). leptos_i18n's
/// own `cookie` feature read the cookie with leptos-use's cookie machinery,
/// two signals, a parsed cookie jar and an effect on every request, about
/// 4 % of the home page's server time; it is not compiled in.
#[cfg(feature = "ssr")]
fn request_language() -> leptos_use::UseLocalesOptions {
    leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(|| {
        crate::server::auth::request_locale().map(|locale| locale.as_str().to_string())
    })
}

/// The translation provider's children. On the server they get an owner of
/// their own, and the provider's owner, with the effects it has just started,
/// is paused. leptos_i18n 0.6 starts an isomorphic effect (it writes the
/// language cookie) as a task that reads the locale signal when a worker
/// polls it; when the request's owner was disposed meanwhile (the page was
/// already sent), the read panicked ("reactive value already disposed": about
/// one page in 3,000 under load). A paused effect's task never runs its body
/// and ends when the effect is disposed. Nothing is lost: that cookie is
/// never sent from the server (the page has gone by then), and the browser
/// runs the provider unpaused.
fn unpaused<V: IntoView>(children: impl FnOnce() -> V) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let own = Owner::new();
        if let Some(provider) = own.parent() {
            provider.pause();
            own.resume();
        }
        leptos::tachys::reactive_graph::OwnedView::new_with_owner(own.with(children), own)
    }
    #[cfg(not(feature = "ssr"))]
    children()
}

/// The route table (inside the [`Router`] of [`App`]).
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=StaticSegment("") view=Home />
            <Route path=StaticSegment("mailbox") view={Lazy::<MailboxRoute>::new()} />
            <Route path=StaticSegment("commerce") view={Lazy::<CommerceRoute>::new()} />
            <Route path=StaticSegment("hub") view={Lazy::<HubRoute>::new()} />
            <Route
                path=(StaticSegment("hub"), StaticSegment("forgot"))
                view={Lazy::<ForgotRoute>::new()}
            />
            <Route
                path=(StaticSegment("hub"), StaticSegment("people"))
                view={Lazy::<PeopleRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=(StaticSegment("hub"), StaticSegment("customers"))
                view={Lazy::<CustomersRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=StaticSegment("account")
                view={Lazy::<AccountRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=(StaticSegment("join"), ParamSegment("token"))
                view={Lazy::<JoinRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=(StaticSegment("reset"), ParamSegment("token"))
                view={Lazy::<ResetRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=(StaticSegment("activity"), ParamSegment("order_id"))
                view={Lazy::<ActivityRoute>::new()}
            />
            <Route
                path=(StaticSegment("approve"), ParamSegment("token"))
                view={Lazy::<ApproveRoute>::new()}
                ssr=SsrMode::Async
            />
            <Route
                path=(StaticSegment("service"), ParamSegment("order_id"))
                view={Lazy::<ServiceRoute>::new()}
            />
            <Route
                path=(StaticSegment("setup"), ParamSegment("token"))
                view=SetupPage
                ssr=SsrMode::Async
            />
        </Routes>
    }
}

/// What the server generates its route list from: the router and the route
/// table, without the translation provider around them. The provider starts an
/// isomorphic effect (leptos_i18n 0.6's language cookie) as a task that reads
/// the locale signal when first polled; route generation disposes its owner
/// as soon as the list is made, so on a multi-threaded runtime that task,
/// polled a moment later, panicked ("reactive value already disposed") in
/// about one start in twenty. Route generation needs no translations: no page
/// is rendered, only the table is read.
#[cfg(feature = "ssr")]
pub fn route_table() -> impl IntoView {
    view! {
        <Router>
            <AppRoutes />
        </Router>
    }
}

// Pages other than the setup wizard are split off the main wasm module and
// loaded when first visited (feature `split`, built by `cargo leptos build
// --split`), so a Set Up Now link downloads only what the wizard needs. Builds
// without the split tool (the wasm-bindgen browser tests) load them as usual.
macro_rules! split_page {
    ($route:ident => $page:ident) => {
        struct $route;

        #[cfg(feature = "split")]
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }

        #[cfg(not(feature = "split"))]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

split_page!(MailboxRoute => MailboxPage);
split_page!(CommerceRoute => CommercePage);
split_page!(HubRoute => HubPage);
split_page!(ServiceRoute => ServicePage);
split_page!(ForgotRoute => ForgotPage);
split_page!(ResetRoute => ResetPage);
split_page!(ApproveRoute => ApprovePage);
split_page!(ActivityRoute => ActivityPage);
split_page!(PeopleRoute => PeoplePage);
split_page!(JoinRoute => JoinPage);
split_page!(AccountRoute => AccountPage);
split_page!(CustomersRoute => CustomersPage);

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    // leptos_meta reads the server's title after the request's reactive owner
    // is gone; a closure over the locale signal then panics under concurrent
    // requests. The server renders it once, as text; the browser follows the
    // language switch.
    #[cfg(feature = "ssr")]
    let text = TextProp::from(t_string!(i18n, app.title).to_string());
    #[cfg(not(feature = "ssr"))]
    let text = TextProp::from(move || t_string!(i18n, app.title).to_string());
    view! { <Title text /> }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="top">
            <NavLink href="/" class="brand">
                {t!(i18n, app.title)}
            </NavLink>
            <nav aria-label=move || t_string!(i18n, app.title)>
                <NavLink href="/commerce">{t!(i18n, app.nav_commerce)}</NavLink>
                <NavLink href="/mailbox">{t!(i18n, app.nav_mailbox)}</NavLink>
                <NavLink href="/hub">{t!(i18n, app.nav_hub)}</NavLink>
            </nav>
            <LanguageSwitch />
        </header>
    }
}

#[component]
fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, app.title)}</h1>
            <p class="lead">{t!(i18n, app.tagline)}</p>
            <p>{t!(i18n, app.home_intro)}</p>
            <ul class="links">
                <li>
                    <NavLink href="/commerce">{t!(i18n, app.home_commerce)}</NavLink>
                </li>
                <li>
                    <NavLink href="/mailbox">{t!(i18n, app.home_mailbox)}</NavLink>
                </li>
                <li>
                    <NavLink href="/hub">{t!(i18n, app.home_hub)}</NavLink>
                </li>
            </ul>
        </section>
    }
}

/// The page for addresses that match no route; answers 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, app.not_found_title)}</h1>
            <p>{t!(i18n, app.not_found_text)}</p>
            <NavLink href="/">{t!(i18n, app.back_home)}</NavLink>
        </section>
    }
}

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
        leptos::mount::hydrate_from_async(body, App).await.forget();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
