//! The Activity of an order (contract section 7): who did what and when, the
//! emails written for it and the status events sent to the commerce system,
//! with their delivery state; "Download CSV" exports the entries.

use crate::components::LoadRefused;
use crate::error::AppError;
use crate::i18n::*;
pub use crate::model::activity::{
    ActivityEntry, ActivityView, EmailState, EventState, PAGE_ENTRIES, action_text_in,
    actor_text_in,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The Activity of an order, for whoever may see the order.
#[server(endpoint = "activity/load")]
pub async fn load_activity(order_id: String) -> Result<ActivityView, AppError> {
    use crate::server::access::Action;
    use crate::server::state::serve;
    serve(|state| async move {
        let user = crate::server::auth::require_user(&state).await?;
        crate::server::access::authorize(&state.store, &user, &order_id, Action::View).await?;
        state
            .store
            .order_activity(&order_id, PAGE_ENTRIES)
            .await
            .map_err(AppError::unexpected)?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// What an action key means, in the reader's language.
pub fn action_text(i18n: leptos_i18n::I18nContext<Locale>, action: &str) -> String {
    action_text_in(i18n.get_locale_untracked(), action)
}

/// Who acted, in the page's language.
pub fn actor_text(i18n: leptos_i18n::I18nContext<Locale>, who: &str) -> String {
    actor_text_in(i18n.get_locale_untracked(), who)
}

fn delivery_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    delivered: &Option<String>,
    abandoned: &Option<String>,
    attempts: i64,
) -> String {
    match (delivered, abandoned) {
        (Some(at), _) => format!("{} {at}", t_string!(i18n, activity.delivered)),
        (None, Some(_)) => t_string!(i18n, activity.undeliverable).to_string(),
        (None, None) if attempts == 0 => t_string!(i18n, activity.queued).to_string(),
        (None, None) => format!("{} ({attempts})", t_string!(i18n, activity.retrying)),
    }
}

/// `/activity/{order_id}`.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order_id = move || params.read().get("order_id").unwrap_or_default();
    let data = Resource::new(order_id, load_activity);
    view! {
        <section class="page">
            <h1>{t!(i18n, activity.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Activity view /> }.into_any(),
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Activity(view: ActivityView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>
            {t!(i18n, wizard.order_label, number = view.order_number.clone())} " · "
            <a href=format!("/activity/{}/csv", view.order_id) download>{t!(i18n, activity.download)}</a>
        </p>
        <h2>{t!(i18n, activity.who_did_what)}</h2>
        <table>
            <thead>
                <tr>
                    <th>{t!(i18n, activity.when)}</th>
                    <th>{t!(i18n, activity.who)}</th>
                    <th>{t!(i18n, activity.what)}</th>
                </tr>
            </thead>
            <tbody>
                {view.entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.at}</td>
                        <td>{actor_text(i18n, &e.who)}</td>
                        <td>{action_text(i18n, &e.action)} " " <span class="option-detail">{e.detail}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t!(i18n, activity.emails)}</h2>
        <table>
            <thead>
                <tr>
                    <th>{t!(i18n, activity.when)}</th>
                    <th>{t!(i18n, activity.to)}</th>
                    <th>{t!(i18n, activity.kind)}</th>
                    <th>{t!(i18n, activity.delivery)}</th>
                </tr>
            </thead>
            <tbody>
                {view.emails.into_iter().map(|e| {
                    let delivery = delivery_text(i18n, &e.sent_at, &e.abandoned_at, e.attempts);
                    view! {
                        <tr>
                            <td>{e.created_at}</td>
                            <td>{e.recipient}</td>
                            <td>{e.kind}</td>
                            <td>{delivery}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t!(i18n, activity.events)}</h2>
        <table>
            <thead>
                <tr>
                    <th>{t!(i18n, activity.when)}</th>
                    <th>{t!(i18n, activity.kind)}</th>
                    <th>{t!(i18n, activity.delivery)}</th>
                </tr>
            </thead>
            <tbody>
                {view.events.into_iter().map(|e| {
                    let delivery = delivery_text(i18n, &e.delivered_at, &e.abandoned_at, e.attempts);
                    let last = e.last_status.map(|s| format!(" · HTTP {s}")).unwrap_or_default();
                    view! {
                        <tr>
                            <td>{e.occurred_at}</td>
                            <td>{e.kind}</td>
                            <td>{delivery}{last}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
