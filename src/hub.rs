//! `/hub`: sign-in for partner users and customer administrators, and the
//! Partner Hub: customer organizations, their orders and what can be done next.

use crate::components::app_error_text;
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::{OrderStatus, OrderSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

/// A customer organization as the hub lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubOrg {
    pub name: String,
    pub managed_by_customer: bool,
    pub orders: Vec<OrderSummary>,
}

/// The signed-in user's hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubView {
    pub email: String,
    pub is_partner: bool,
    pub organizations: Vec<HubOrg>,
}

/// Failed sign-ins allowed per account and per address within the window.
#[cfg(feature = "ssr")]
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
#[cfg(feature = "ssr")]
const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// The hub of the signed-in user; `None` when nobody is signed in.
#[server(endpoint = "hub/view")]
pub async fn load_hub() -> Result<Option<HubView>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(user) = crate::server::auth::current_user(&state).await? else {
        return Ok(None);
    };
    let rows = state
        .store
        .hub_orders(&user)
        .await
        .map_err(AppError::unexpected)?;
    let mut organizations: Vec<HubOrg> = Vec::new();
    for (name, order) in rows {
        let managed_by_customer = order.managed_by_customer;
        match organizations
            .iter_mut()
            .find(|o| o.name == name && o.managed_by_customer == managed_by_customer)
        {
            Some(org) => org.orders.push(order),
            None => organizations.push(HubOrg {
                name,
                managed_by_customer,
                orders: vec![order],
            }),
        }
    }
    Ok(Some(HubView {
        email: user.email,
        is_partner: user.partner_org_id.is_some(),
        organizations,
    }))
}

/// Signs in with email and password. Failures are counted per account and per
/// client address and answered alike whether or not the account exists.
#[server(endpoint = "hub/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let email = email.trim().to_lowercase();
    let now = state.clock.now();
    let window = chrono::Duration::minutes(15);
    let address = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip())
        })
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into());
    let (account_key, address_key) = (format!("account:{email}"), format!("address:{address}"));
    let store = &state.store;
    let account_failures = store
        .recent_failures(&account_key, now, window)
        .await
        .map_err(AppError::unexpected)?;
    let address_failures = store
        .recent_failures(&address_key, now, window)
        .await
        .map_err(AppError::unexpected)?;
    if account_failures >= MAX_FAILURES_PER_ACCOUNT || address_failures >= MAX_FAILURES_PER_ADDRESS
    {
        return Err(AppError::TooManyAttempts);
    }
    let found = store
        .password_of(&email)
        .await
        .map_err(AppError::unexpected)?;
    let (user_id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    let valid = crate::server::auth::verify_password(password, hash).await?;
    match (valid, user_id) {
        (true, Some(user_id)) => {
            store
                .clear_failures(&account_key)
                .await
                .map_err(AppError::unexpected)?;
            crate::server::auth::sign_in(&state, &user_id).await
        }
        _ => {
            store
                .record_failure(&account_key, now, window)
                .await
                .map_err(AppError::unexpected)?;
            store
                .record_failure(&address_key, now, window)
                .await
                .map_err(AppError::unexpected)?;
            Err(AppError::Unauthorized)
        }
    }
}

/// Ends the session.
#[server(endpoint = "hub/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::auth::sign_out(&state).await
}

/// Resends the invitation of one of the partner's orders not yet set up.
#[server(endpoint = "hub/resend")]
pub async fn hub_resend(order_id: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let user = crate::server::auth::require_user(&state).await?;
    if !state
        .store
        .is_partner_of_order(&user, &order_id)
        .await
        .map_err(AppError::unexpected)?
    {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .resend_invitation(&order_id, None, state.clock.now(), &state.config.public_url)
        .await?;
    state.outbox_signal.notify_one();
    Ok(())
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: OrderStatus) -> String {
    match status {
        OrderStatus::Scheduled => t_string!(i18n, hub.status_scheduled).to_string(),
        OrderStatus::Invited => t_string!(i18n, hub.status_invited).to_string(),
        OrderStatus::Escalated => t_string!(i18n, hub.status_escalated).to_string(),
        OrderStatus::SetUp => t_string!(i18n, hub.status_set_up).to_string(),
        OrderStatus::Provisioned => t_string!(i18n, hub.status_provisioned).to_string(),
        OrderStatus::Closed => t_string!(i18n, hub.status_closed).to_string(),
    }
}

/// `/hub`.
#[component]
pub fn HubPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let hub = Resource::new(move || version.get(), |_| load_hub());
    let reload = move || version.update(|v| *v += 1);
    view! {
        <section class="page">
            <h1>{t!(i18n, hub.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match hub.await {
                        Ok(Some(view)) => view! { <Hub view on_change=reload /> }.into_any(),
                        Ok(None) => view! { <SignIn on_signed_in=reload /> }.into_any(),
                        Err(e) => view! { <p role="alert">{app_error_text(i18n, &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SignIn(on_signed_in: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match sign_in(email.get_untracked(), password.get_untracked()).await {
                Ok(()) => on_signed_in(),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{t!(i18n, hub.sign_in_title)}</h2>
        <form novalidate on:submit=submit>
            <div class="field">
                <label for="email">{t!(i18n, hub.email)}</label>
                <input id="email" type="email" autocomplete="username" prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="password">{t!(i18n, hub.password)}</label>
                <input id="password" type="password" autocomplete="current-password" prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|e| {
                let text = if e == AppError::Unauthorized { t_string!(i18n, hub.wrong).to_string() } else { app_error_text(i18n, &e) };
                view! { <p class="error" role="alert">{text}</p> }
            })}
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>{t!(i18n, hub.sign_in)}</button>
            </div>
        </form>
    }
}

#[component]
fn Hub(view: HubView, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let notice = RwSignal::new(None::<Result<(), AppError>>);
    let sign_out_now = move |_| {
        spawn_local(async move {
            let _ = sign_out().await;
            on_change();
        });
    };
    let is_partner = view.is_partner;
    view! {
        <p>
            {t!(i18n, hub.signed_in_as)} " " <strong>{view.email.clone()}</strong> " "
            <button type="button" class="link" on:click=sign_out_now>{t!(i18n, hub.sign_out)}</button>
        </p>
        <h2>{t!(i18n, hub.organizations)}</h2>
        {view.organizations.is_empty().then(|| view! { <p>{t!(i18n, hub.none)}</p> })}
        {view.organizations.into_iter().map(|org| {
            let managed = org.managed_by_customer && is_partner;
            view! {
                <section class="card" aria-label=org.name.clone()>
                    <h3>
                        {org.name.clone()} " "
                        {managed.then(|| view! { <span class="badge">{t!(i18n, hub.managed_by_customer)}</span> })}
                    </h3>
                    <table>
                        <thead>
                            <tr>
                                <th>{t!(i18n, hub.order)}</th>
                                <th>{t!(i18n, hub.start)}</th>
                                <th>{t!(i18n, hub.status)}</th>
                                <th>{t!(i18n, hub.actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {org.orders.into_iter().map(|o| {
                                let id = o.id.clone();
                                let can_service = !managed && o.status == OrderStatus::SetUp;
                                let can_resend = is_partner && matches!(o.status, OrderStatus::Invited | OrderStatus::Escalated);
                                view! {
                                    <tr>
                                        <td>{o.order_number.clone()}</td>
                                        <td>{o.requested_start_date.clone()}</td>
                                        <td><span class="badge">{status_text(i18n, o.status)}</span></td>
                                        <td>
                                            {can_service.then(|| view! {
                                                <a class="button" href=format!("/service/{id}")>{t!(i18n, hub.open_service)}</a>
                                            })}
                                            {can_resend.then(|| {
                                                let id = id.clone();
                                                view! {
                                                    <button type="button" class="secondary" on:click=move |_| {
                                                        let id = id.clone();
                                                        spawn_local(async move {
                                                            let r = hub_resend(id).await;
                                                            notice.set(Some(r));
                                                        });
                                                    }>{t!(i18n, hub.resend)}</button>
                                                }
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        }).collect_view()}
        {move || notice.get().map(|r| match r {
            Ok(()) => view! { <p class="notice" role="status">{t!(i18n, hub.resent)}</p> }.into_any(),
            Err(e) => view! { <p class="notice warn" role="alert">{app_error_text(i18n, &e)}</p> }.into_any(),
        })}
    }
}
