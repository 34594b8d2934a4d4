//! `/hub`: sign-in for partner users and customer administrators, and the
//! Partner Hub: customer organizations, their orders and what each person may
//! do next, as the server decides it ([`crate::server::access`]).

use crate::account::SignInForm;
use crate::components::{app_error_text, status_text};
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::OrderSummary;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

/// One order in the hub, with what the signed-in user may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubOrder {
    pub summary: OrderSummary,
    /// The service setup may be opened.
    pub can_manage: bool,
    /// A new "Set Up Now" email may go to the provisioning contact.
    pub can_resend: bool,
    /// A new "Set Up Now" email may go to the customer ("Customer setup").
    pub can_resend_customer: bool,
}

/// A customer organization as the hub lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubOrg {
    pub name: String,
    pub managed_by_customer: bool,
    pub orders: Vec<HubOrder>,
}

/// The signed-in user's hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubView {
    pub email: String,
    pub is_partner: bool,
    pub organizations: Vec<HubOrg>,
}

/// The hub of the signed-in user; `None` when nobody is signed in.
#[server(endpoint = "hub/view")]
pub async fn load_hub() -> Result<Option<HubView>, AppError> {
    use crate::server::access::{Action, decide};
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let Some(user) = crate::server::auth::current_user(&state).await? else {
                return Ok(None);
            };
            let rows = state
                .store
                .hub_candidates(&user)
                .await
                .map_err(AppError::unexpected)?;
            let mut organizations: Vec<HubOrg> = Vec::new();
            for (name, summary, access) in rows {
                if decide(&user, &access, Action::View).is_err() {
                    continue;
                }
                let order = HubOrder {
                    can_manage: decide(&user, &access, Action::Manage).is_ok(),
                    can_resend: decide(&user, &access, Action::ResendInvitation).is_ok(),
                    can_resend_customer: decide(&user, &access, Action::ResendCustomerInvitation)
                        .is_ok(),
                    summary,
                };
                let managed_by_customer = order.summary.managed_by_customer;
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
        .await,
    )
}

/// Ends the session.
#[server(endpoint = "hub/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            crate::server::auth::sign_out(&state).await
        }
        .await,
    )
}

/// Resends of one order's invitations allowed per hour (each is an email to
/// someone outside).
#[cfg(feature = "ssr")]
const RESENDS_PER_HOUR: i64 = 5;

#[cfg(feature = "ssr")]
async fn resend_allowed(
    state: &crate::server::state::AppState,
    order_id: &str,
) -> Result<(), AppError> {
    let wait = state
        .store
        .hit_rate_limit(
            &format!("resend:{order_id}"),
            state.clock.now().await,
            chrono::Duration::hours(1),
            RESENDS_PER_HOUR,
        )
        .await
        .map_err(AppError::unexpected)?;
    match wait {
        Some(wait) => Err(AppError::RateLimited {
            retry_after_secs: wait.num_seconds().max(1) as u64,
        }),
        None => Ok(()),
    }
}

/// Resends the "Set Up Now" invitation of one of the partner's orders not yet
/// set up; earlier links (and a pending approval request) stop working.
#[server(endpoint = "hub/resend")]
pub async fn hub_resend(order_id: String) -> Result<(), AppError> {
    use crate::server::access::Action;
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let user = crate::server::auth::require_user(&state).await?;
            state
                .store
                .authorize(&user, &order_id, Action::ResendInvitation)
                .await?;
            resend_allowed(&state, &order_id).await?;
            state
                .store
                .resend_invitation(
                    &order_id,
                    None,
                    &user.email,
                    state.clock.now().await,
                    &state.config.public_url,
                )
                .await?;
            state.wake_workers();
            Ok(())
        }
        .await,
    )
}

/// Invites the customer of a "Customer setup" order again, while the customer
/// has not finished.
#[server(endpoint = "hub/resend-customer")]
pub async fn hub_resend_customer(order_id: String) -> Result<(), AppError> {
    use crate::server::access::Action;
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let user = crate::server::auth::require_user(&state).await?;
            state
                .store
                .authorize(&user, &order_id, Action::ResendCustomerInvitation)
                .await?;
            resend_allowed(&state, &order_id).await?;
            state
                .store
                .resend_customer_invitation(
                    &order_id,
                    &user.email,
                    state.clock.now().await,
                    &state.config.public_url,
                )
                .await?;
            state.wake_workers();
            Ok(())
        }
        .await,
    )
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
                        Ok(None) => view! {
                            <h2>{t!(i18n, hub.sign_in_title)}</h2>
                            <SignInForm on_signed_in=Callback::new(move |_| reload()) />
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{app_error_text(i18n, &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
                                let id = StoredValue::new(o.summary.id.clone());
                                let resend = move |customer: bool| {
                                    spawn_local(async move {
                                        let id = id.get_value();
                                        let r = if customer { hub_resend_customer(id).await } else { hub_resend(id).await };
                                        notice.set(Some(r));
                                    });
                                };
                                view! {
                                    <tr>
                                        <td>{o.summary.order_number.clone()}</td>
                                        <td>{o.summary.requested_start_date.clone()}</td>
                                        <td><span class="badge">{status_text(i18n, o.summary.status)}</span></td>
                                        <td>
                                            {o.can_manage.then(|| view! {
                                                <a class="button" href=format!("/service/{}", o.summary.id)>{t!(i18n, hub.open_service)}</a>
                                            })}
                                            " "
                                            <a href=format!("/activity/{}", o.summary.id)>{t!(i18n, hub.activity)}</a>
                                            {(o.can_resend || o.can_resend_customer).then(|| {
                                                let customer = o.can_resend_customer;
                                                view! {
                                                    <button type="button" class="secondary" on:click=move |_| resend(customer)>
                                                        {t!(i18n, hub.resend)}
                                                    </button>
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
