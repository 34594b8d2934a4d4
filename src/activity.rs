//! The Activity of an order (contract section 7): who did what and when, the
//! emails written for it and the status events sent to the commerce system,
//! with their delivery state; "Download CSV" exports the entries.

use crate::components::LoadRefused;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// One thing someone (or the system) did with an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: String,
    /// The person's address, or `commerce` / `scheduler`.
    pub who: String,
    /// What happened, as a stable key (`order_set_up`, ...).
    pub action: String,
    pub detail: String,
}

/// An email written for an order and how its delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailState {
    pub kind: String,
    pub recipient: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub attempts: i64,
    pub abandoned_at: Option<String>,
}

/// A status event and how its delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventState {
    /// The `webhook-id`.
    pub event_id: String,
    /// `order.invited`, `order.set_up`, ...
    pub kind: String,
    pub occurred_at: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
    pub abandoned_at: Option<String>,
}

/// The Activity page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub order_id: String,
    pub order_number: String,
    pub entries: Vec<ActivityEntry>,
    pub emails: Vec<EmailState>,
    pub events: Vec<EventState>,
}

/// The most entries the page shows (the CSV has them all).
pub const PAGE_ENTRIES: i64 = 500;

/// The Activity of an order, for whoever may see the order.
#[server(endpoint = "activity/load")]
pub async fn load_activity(order_id: String) -> Result<ActivityView, AppError> {
    use crate::server::access::Action;
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let user = crate::server::auth::require_user(&state).await?;
            state
                .store
                .authorize(&user, &order_id, Action::View)
                .await?;
            state
                .store
                .order_activity(&order_id, PAGE_ENTRIES)
                .await
                .map_err(AppError::unexpected)?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// What an action key means, in the reader's language.
pub fn action_text(i18n: leptos_i18n::I18nContext<Locale>, action: &str) -> String {
    action_text_in(i18n.get_locale_untracked(), action)
}

/// What an action key means, in `locale` (also for the CSV, outside a page).
pub fn action_text_in(locale: Locale, action: &str) -> String {
    match action {
        "order_placed" => td_string!(locale, activity.order_placed).to_string(),
        "invitation_sent" => td_string!(locale, activity.invitation_sent).to_string(),
        "invitation_resent" => td_string!(locale, activity.invitation_resent).to_string(),
        "contact_changed" => td_string!(locale, activity.contact_changed).to_string(),
        "escalated" => td_string!(locale, activity.escalated).to_string(),
        "closed" => td_string!(locale, activity.closed).to_string(),
        "setup_started" => td_string!(locale, activity.setup_started).to_string(),
        "setup_delegated" => td_string!(locale, activity.setup_delegated).to_string(),
        "order_set_up" => td_string!(locale, activity.order_set_up).to_string(),
        "approval_requested" => td_string!(locale, activity.approval_requested).to_string(),
        "approval_approved" => td_string!(locale, activity.approval_approved).to_string(),
        "approval_declined" => td_string!(locale, activity.approval_declined).to_string(),
        "customer_confirmed" => td_string!(locale, activity.customer_confirmed).to_string(),
        "customer_invitation_resent" => {
            td_string!(locale, activity.customer_invitation_resent).to_string()
        }
        "password_created" => td_string!(locale, activity.password_created).to_string(),
        "calling_settings_saved" => td_string!(locale, activity.calling_settings_saved).to_string(),
        "subdomain_reserved" => td_string!(locale, activity.subdomain_reserved).to_string(),
        "billing_started" => td_string!(locale, activity.billing_started).to_string(),
        "join_requested" => td_string!(locale, activity.join_requested).to_string(),
        "join_approved" => td_string!(locale, activity.join_approved).to_string(),
        "join_declined" => td_string!(locale, activity.join_declined).to_string(),
        "role_changed" => td_string!(locale, activity.role_changed).to_string(),
        "person_removed" => td_string!(locale, activity.person_removed).to_string(),
        "person_invited" => td_string!(locale, activity.person_invited).to_string(),
        "invitation_accepted" => td_string!(locale, activity.invitation_accepted).to_string(),
        other => other.replace('_', " "),
    }
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
                        <td>{e.who}</td>
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
