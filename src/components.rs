//! Small building blocks the pages share.

use crate::domain::DomainError;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Where the user stands in a wizard: an ordered list of the step titles with the
/// current one marked for assistive technology (`aria-current="step"`).
#[component]
pub fn StepIndicator(
    /// Titles of the steps, in order.
    #[prop(into)]
    steps: Signal<Vec<String>>,
    /// Index of the current step, from 0.
    #[prop(into)]
    current: Signal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || t_string!(i18n, app.progress).to_string();
    view! {
        <nav class="steps" aria-label=label>
            <ol>
                {move || {
                    steps
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, title)| {
                            let state = move || {
                                let now = current.get();
                                if index < now {
                                    "done"
                                } else if index == now {
                                    "current"
                                } else {
                                    "todo"
                                }
                            };
                            view! {
                                <li
                                    class=state
                                    aria-current=move || (index == current.get()).then_some("step")
                                >
                                    <span class="steps-number" aria-hidden="true">{index + 1}</span>
                                    <span class="steps-title">{title}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}

/// The language buttons: the signed-in user's choice becomes the language of
/// their emails (contract section 3). Nobody signed in: nothing to keep (the
/// choice is kept when they sign in or create their password).
#[server(endpoint = "account/language")]
pub async fn choose_language(language: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let locale = match language.as_str() {
            "en" => crate::i18n::Locale::en,
            "cs" => crate::i18n::Locale::cs,
            _ => return Err(AppError::BadRequest("language".into())),
        };
        if let Some(user) = crate::server::auth::current_user(&state).await? {
            state
                .store
                .set_language(&user.email, crate::server::mail::language_code(locale))
                .await
                .map_err(AppError::unexpected)?;
        }
        Ok(())
    })
    .await
}

/// Keeps the language for the pages the server renders next, in the cookie
/// it reads (`i18n_pref_locale`), written at the click so that a reload
/// right after it reads it already. The browser's translations carry no
/// cookie code of their own: leptos_i18n's `cookie` feature is the server's
/// only (28 KB of brotli less in the first step).
fn remember_language(lang: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let window = web_sys::window();
        let https = window
            .as_ref()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:");
        let document = window
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
        if let Some(document) = document {
            let secure = if https { "; secure" } else { "" };
            let _ = document.set_cookie(&format!(
                "{}={lang}; path=/; max-age=31536000; samesite=lax{secure}",
                crate::model::account::LANGUAGE_COOKIE
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// A link to one of the app's own pages, marked `aria-current="page"` while
/// that page (or one under it) is shown. The router follows plain links
/// itself, so this is an `<a>` with one closure over the router's location:
/// leptos_router's `<A>` also resolves relative paths, which these absolute
/// paths do not need, with a memo of its own per link on every server render.
#[component]
pub fn NavLink(
    /// An absolute path of this app.
    href: &'static str,
    /// Its class, if any.
    #[prop(optional)]
    class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let pathname = leptos_router::hooks::use_location().pathname;
    let current = move || {
        pathname
            .with(|path| is_current(href, path))
            .then_some("page")
    };
    view! {
        <a href=href class=class aria-current=current>
            {children()}
        </a>
    }
}

/// Whether the page at `path` is `href` or lies under it (`/hub` for
/// `/hub/people`); the home page `/` is current only on itself.
pub fn is_current(href: &str, path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    path == href
        || (href != "/"
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// Buttons that switch the interface language; the choice is kept in a cookie.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let button = move |locale: Locale, label: &'static str, lang: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                lang=lang
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| {
                    i18n.set_locale(locale);
                    remember_language(lang);
                    leptos::task::spawn_local(async move {
                        // Only the interface changes if this fails.
                        let _ = choose_language(lang.to_string()).await;
                    });
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="langs" role="group" aria-label=move || t_string!(i18n, app.language)>
            {button(Locale::en, "English", "en")}
            {button(Locale::cs, "Čeština", "cs")}
        </div>
    }
}

/// The translated message for an error key (`DomainError::key`, `AppError::key`).
pub fn error_text(i18n: I18nContext<Locale>, key: &str) -> String {
    match key {
        "required" => t_string!(i18n, err.required).to_string(),
        "email_invalid" => t_string!(i18n, err.email_invalid).to_string(),
        "order_number_invalid" => t_string!(i18n, err.order_number_invalid).to_string(),
        "offer_unknown" => t_string!(i18n, err.offer_unknown).to_string(),
        "service_kind_unknown" => t_string!(i18n, err.service_kind_unknown).to_string(),
        "quantity_invalid" => t_string!(i18n, err.quantity_invalid).to_string(),
        "country_invalid" => t_string!(i18n, err.country_invalid).to_string(),
        "date_invalid" => t_string!(i18n, err.date_invalid).to_string(),
        "subdomain_too_short" => t_string!(i18n, err.subdomain_too_short).to_string(),
        "subdomain_too_long" => t_string!(i18n, err.subdomain_too_long).to_string(),
        "subdomain_characters" => t_string!(i18n, err.subdomain_characters).to_string(),
        "subdomain_hyphen_edge" => t_string!(i18n, err.subdomain_hyphen_edge).to_string(),
        "subdomain_reserved" => t_string!(i18n, err.subdomain_reserved).to_string(),
        "org_name_invalid" => t_string!(i18n, err.org_name_invalid).to_string(),
        "text_too_long" => t_string!(i18n, err.text_too_long).to_string(),
        "password_too_short" => t_string!(i18n, err.password_too_short).to_string(),
        "password_too_long" => t_string!(i18n, err.password_too_long).to_string(),
        "password_common" => t_string!(i18n, err.password_common).to_string(),
        "password_mismatch" => t_string!(i18n, err.password_mismatch).to_string(),
        "subscription_id_invalid" => t_string!(i18n, err.subscription_id_invalid).to_string(),
        "party_id_invalid" => t_string!(i18n, err.party_id_invalid).to_string(),
        "time_zone_unknown" => t_string!(i18n, err.time_zone_unknown).to_string(),
        "language_unknown" => t_string!(i18n, err.language_unknown).to_string(),
        "page_invalid" => t_string!(i18n, err.page_invalid).to_string(),
        "status_unknown" => t_string!(i18n, err.status_unknown).to_string(),
        "not_text" => t_string!(i18n, err.not_text).to_string(),
        "role_unknown" => t_string!(i18n, err.role_unknown).to_string(),
        "email_not_proven" => t_string!(i18n, err.email_not_proven).to_string(),
        "read_only_cannot_set_up" => t_string!(i18n, err.read_only_cannot_set_up).to_string(),
        "code_invalid" => t_string!(i18n, err.code_invalid).to_string(),
        "code_wrong" => t_string!(i18n, err.code_wrong).to_string(),
        "two_step_code_wrong" => t_string!(i18n, two_step.wrong_code).to_string(),
        "password_wrong" => t_string!(i18n, err.password_wrong).to_string(),
        "code_expired" => t_string!(i18n, err.code_expired).to_string(),
        "already_in_organization" => t_string!(i18n, err.already_in_organization).to_string(),
        "last_administrator" => t_string!(i18n, err.last_administrator).to_string(),
        "location_name_invalid" => t_string!(i18n, err.location_name_invalid).to_string(),
        "address_invalid" => t_string!(i18n, err.address_invalid).to_string(),
        "services_required" => t_string!(i18n, err.services_required).to_string(),
        "services_too_many" => t_string!(i18n, err.services_too_many).to_string(),
        "email_belongs_to_partner" => t_string!(i18n, err.email_belongs_to_partner).to_string(),
        "email_belongs_to_other_org" => t_string!(i18n, err.email_belongs_to_other_org).to_string(),
        "subdomain_taken" => t_string!(i18n, err.subdomain_taken).to_string(),
        "site_already_set_up" => t_string!(i18n, err.site_already_set_up).to_string(),
        "order_already_set_up" => t_string!(i18n, err.order_already_set_up).to_string(),
        "organization_not_recognized" => {
            t_string!(i18n, err.organization_not_recognized).to_string()
        }
        "managed_by_customer" => t_string!(i18n, err.managed_by_customer).to_string(),
        "step_incomplete" => t_string!(i18n, err.step_incomplete).to_string(),
        "not_found" => t_string!(i18n, err.not_found).to_string(),
        "gone" => t_string!(i18n, err.gone).to_string(),
        "unauthorized" => t_string!(i18n, err.unauthorized).to_string(),
        "forbidden" => t_string!(i18n, err.forbidden).to_string(),
        "two_step_required" => t_string!(i18n, err.two_step_required).to_string(),
        "transport" => t_string!(i18n, err.transport).to_string(),
        "busy" => t_string!(i18n, err.busy).to_string(),
        "bad_request" => t_string!(i18n, err.bad_request).to_string(),
        "invalid" => t_string!(i18n, err.invalid).to_string(),
        "sku_invalid" => t_string!(i18n, err.sku_invalid).to_string(),
        "pstn_connection_unknown" => t_string!(i18n, err.pstn_connection_unknown).to_string(),
        _ => t_string!(i18n, err.unexpected).to_string(),
    }
}

/// An order's status as the Partner Hub and commerce name it.
pub fn status_text(i18n: I18nContext<Locale>, status: crate::model::orders::OrderStatus) -> String {
    hub_status_text(i18n, crate::model::hub::HubStatus::of(status))
}

/// A status as the hub lists and filters it.
pub fn hub_status_text(i18n: I18nContext<Locale>, status: crate::model::hub::HubStatus) -> String {
    crate::model::hub::status_text_in(i18n.get_locale(), status)
}

/// One ordered service, as "Meetings (A-WX-MTG-ENT) × 250".
pub fn service_text(i18n: I18nContext<Locale>, kind: &str, sku: &str, quantity: u32) -> String {
    crate::model::customers::service_text_in(i18n.get_locale(), kind, sku, i64::from(quantity))
}

/// An order's services as a table: each kind by its name, its SKU and
/// quantity.
#[component]
pub fn ServicesTable(services: Vec<(String, String, u32)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table>
            <thead>
                <tr>
                    <th>{t!(i18n, service.services)}</th>
                    <th>"SKU"</th>
                    <th>{t!(i18n, service.quantity)}</th>
                </tr>
            </thead>
            <tbody>
                {services.into_iter().map(|(kind, sku, quantity)| view! {
                    <tr>
                        <td>{move || crate::model::customers::service_kind_text_in(i18n.get_locale(), &kind)}</td>
                        <td>{sku}</td>
                        <td>{quantity}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The translated message for a field error.
pub fn domain_error_text(i18n: I18nContext<Locale>, error: &DomainError) -> String {
    error_text(i18n, error.key())
}

/// The translated message for a server function error. "Try again in N
/// seconds" takes the count's own form from the translations' ranges
/// (English: 1 / more; Czech: 1 / 2–4 / 5 and more).
pub fn app_error_view(i18n: I18nContext<Locale>, error: &AppError) -> AnyView {
    retry_view_in(i18n.get_locale(), error)
        .unwrap_or_else(|| error_text(i18n, error.key()).into_any())
}

/// "Try again in N seconds" in `locale`, for the errors that say when.
pub fn retry_view_in(locale: Locale, error: &AppError) -> Option<AnyView> {
    Some(match *error {
        AppError::RateLimited { retry_after_secs } => {
            td!(locale, err.rate_limited, count = move || retry_after_secs).into_any()
        }
        AppError::TooManyAttempts { retry_after_secs } => td!(
            locale,
            err.too_many_attempts,
            count = move || retry_after_secs
        )
        .into_any(),
        _ => return None,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_current_on_its_page_and_the_pages_under_it() {
        assert!(is_current("/hub", "/hub"));
        assert!(is_current("/hub", "/hub/"));
        assert!(is_current("/hub", "/hub/people"));
        assert!(!is_current("/hub", "/hubs"));
        assert!(!is_current("/hub", "/"));
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/hub"));
        assert!(!is_current("/commerce", "/hub/people"));
    }

    /// The text of `error`'s "try again" message in `locale`.
    fn retry_text(locale: Locale, error: AppError) -> String {
        // Server rendering marks where one text node ends and the next begins.
        retry_view_in(locale, &error)
            .unwrap()
            .to_html()
            .replace("<!>", "")
    }

    fn attempts(secs: u64) -> AppError {
        AppError::TooManyAttempts {
            retry_after_secs: secs,
        }
    }

    #[test]
    fn the_count_takes_its_own_form_in_each_language() {
        assert!(retry_text(Locale::en, attempts(1)).ends_with("in 1 second."));
        assert!(retry_text(Locale::en, attempts(2)).ends_with("in 2 seconds."));
        assert!(retry_text(Locale::en, attempts(0)).ends_with("in 0 seconds."));
        // Czech: 1 sekundu, 2–4 sekundy, 0 and 5 or more sekund.
        assert!(retry_text(Locale::cs, attempts(1)).ends_with("za 1 sekundu."));
        for secs in 2..=4 {
            let text = retry_text(Locale::cs, attempts(secs));
            assert!(text.ends_with(&format!("za {secs} sekundy.")), "{text}");
        }
        for secs in [0, 5, 21, 900] {
            let text = retry_text(Locale::cs, attempts(secs));
            assert!(text.ends_with(&format!("za {secs} sekund.")), "{text}");
        }
        let limited = AppError::RateLimited {
            retry_after_secs: 3,
        };
        let text = retry_text(Locale::en, limited);
        assert!(text.ends_with("in 3 seconds."), "{text}");
        assert!(retry_view_in(Locale::en, &AppError::Unauthorized).is_none());
    }
}

/// Waits `ms` milliseconds in the browser (debouncing); nothing to wait for on
/// the server, where no input events happen.
pub async fn sleep_ms(ms: u32) {
    #[cfg(feature = "hydrate")]
    gloo_timers::future::TimeoutFuture::new(ms).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
}

/// A form field's error, announced and linked to its input by id
/// (`aria-describedby="{id}"`).
#[component]
pub fn FieldMessage(
    /// The element id the input points to.
    #[prop(into)]
    id: String,
    /// The message, when there is one.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || message.with(Option::is_some)>
            <p class="error" role="alert" id=id.clone()>
                {move || message.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// "Previous page", "Page N of M" and "Next page" of a paged list, when
/// there is more than the first page; `href` is the address of a page.
#[component]
pub fn Pager(page: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let i18n = use_i18n();
    (pages > 1 || page > 1).then(|| {
        let previous = (page > 1).then(|| href(page - 1));
        let next = (page < pages).then(|| href(page + 1));
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, hub.pages)>
                {previous.map(|href| view! { <a href=href rel="prev">{t!(i18n, hub.previous)}</a> })}
                <span aria-current="page">{t!(i18n, hub.page_of, page = move || page, pages = move || pages)}</span>
                {next.map(|href| view! { <a href=href rel="next">{t!(i18n, hub.next)}</a> })}
            </nav>
        }
    })
}

/// What a page for signed-in people shows when its data was refused: the way
/// to sign in, or the refusal itself.
#[component]
pub fn LoadRefused(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthorized => view! {
            <p>{t!(i18n, service.sign_in_needed)}</p>
            <a class="button" href="/hub">{t!(i18n, hub.sign_in)}</a>
        }
        .into_any(),
        // Nothing else until two-step sign-in is on (contract section 13).
        AppError::TwoStepRequired => view! {
            <leptos_router::components::Redirect path="/account" />
            <p role="alert">{app_error_view(i18n, &AppError::TwoStepRequired)}</p>
            <a class="button" href="/account">{t!(i18n, hub.account)}</a>
        }
        .into_any(),
        error => view! { <p class="notice warn" role="alert">{app_error_view(i18n, &error)}</p> }
            .into_any(),
    }
}

/// Whether keyboard focus is on nothing in particular (the body, or an
/// element no longer in the page): after the focused control went away, or a
/// page replaced the one it was on.
#[cfg(feature = "hydrate")]
pub fn focus_is_lost() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| {
            d.active_element()
                .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body") || !e.is_connected())
        })
}

/// Moves focus to `target` once it is shown, if focus is lost by then
/// ([`focus_is_lost`]). Checked a frame later: when the router swaps pages,
/// the new page's effects run while the old page, and the control that had
/// focus there, are still in the document.
#[cfg(feature = "hydrate")]
pub fn focus_when_lost<E>(target: NodeRef<E>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + AsRef<web_sys::HtmlElement> + 'static,
{
    Effect::new(move |_| {
        if target.get().is_some() {
            request_animation_frame(move || {
                if let Some(el) = target.get_untracked()
                    && focus_is_lost()
                {
                    let _ = AsRef::<web_sys::HtmlElement>::as_ref(&el).focus();
                }
            });
        }
    });
}

/// Focus is the browser's business.
#[cfg(not(feature = "hydrate"))]
pub fn focus_when_lost<E: leptos::html::ElementType>(_target: NodeRef<E>) {}

/// Moves focus to `heading` whenever `current` changes (not on first render),
/// so that keyboard and screen reader users land on the new step.
pub fn focus_on_change<T>(heading: NodeRef<leptos::html::H2>, current: Memo<T>)
where
    T: PartialEq + Clone + Send + Sync + 'static,
{
    Effect::new(move |previous: Option<T>| {
        let step = current.get();
        if previous.is_some_and(|p| p != step)
            && let Some(h) = heading.get()
        {
            let _ = h.focus();
        }
        step
    });
}

/// An error from the server, announced, while there is one.
#[component]
pub fn ErrorBanner(
    /// The error to show.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="notice warn" role="alert">
                {move || error.get().map(|e| app_error_view(i18n, &e))}
            </p>
        </Show>
    }
}
