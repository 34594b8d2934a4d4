//! `/hub`: sign-in for partner users and customer administrators, and the
//! Partner Hub: customer organizations, their orders and what each person may
//! do next, as the server decides it ([`crate::server::access`]).

use crate::account::SignInForm;
use crate::components::{LoadRefused, Pager, app_error_view, hub_status_text, status_text};
pub use crate::model::hub::{
    HubFilter, HubOrder, HubOrg, HubStatus, HubView, MAX_SEARCH, PAGE_SIZE,
};

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The hub of the signed-in user; `None` when nobody is signed in. The
/// arguments are the address's query (`page`, `status`, `q`).
#[server(endpoint = "hub/view")]
pub async fn load_hub(
    page: Option<String>,
    status: Option<String>,
    q: Option<String>,
) -> Result<Option<HubView>, AppError> {
    use crate::server::access::{Action, decide};
    use crate::server::state::serve;
    serve(|state| async move {
        let filter = HubFilter::parse(page.as_deref(), status.as_deref(), q.as_deref())
            .map_err(AppError::Invalid)?;
        let Some(user) = crate::server::auth::current_user(&state).await? else {
            return Ok(None);
        };
        let (rows, total) = state
            .store
            .hub_page(&user, &filter, state.clock.now().await)
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
            is_admin: crate::server::access::people_of(&user).is_ok(),
            email: user.email,
            is_partner: user.partner_org_id.is_some(),
            filter,
            total,
            organizations,
        }))
    })
    .await
}

/// Ends the session.
#[server(endpoint = "hub/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move { crate::server::auth::sign_out(&state).await }).await
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
    use crate::server::state::serve;
    serve(|state| async move {
        let user = crate::server::auth::require_user(&state).await?;
        crate::server::access::authorize(&state.store, &user, &order_id, Action::ResendInvitation)
            .await?;
        resend_allowed(&state, &order_id).await?;
        crate::server::services::invitations::resend_invitation(
            &state.store,
            &order_id,
            None,
            &user.email,
            state.clock.now().await,
            &state.config.public_url,
        )
        .await?;
        state.wake_workers();
        Ok(())
    })
    .await
}

/// Invites the customer of a "Customer setup" order again, while the customer
/// has not finished.
#[server(endpoint = "hub/resend-customer")]
pub async fn hub_resend_customer(order_id: String) -> Result<(), AppError> {
    use crate::server::access::Action;
    use crate::server::state::serve;
    serve(|state| async move {
        let user = crate::server::auth::require_user(&state).await?;
        crate::server::access::authorize(
            &state.store,
            &user,
            &order_id,
            Action::ResendCustomerInvitation,
        )
        .await?;
        resend_allowed(&state, &order_id).await?;
        crate::server::services::invitations::resend_customer_invitation(
            &state.store,
            &order_id,
            &user.email,
            state.clock.now().await,
            &state.config.public_url,
        )
        .await?;
        state.wake_workers();
        Ok(())
    })
    .await
}

/// `/hub`.
#[component]
pub fn HubPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let query = leptos_router::hooks::use_query_map();
    let hub = Resource::new(
        move || (version.get(), query.get()),
        |(_, q)| load_hub(q.get("page"), q.get("status"), q.get("q")),
    );
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
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
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
    let pages = view.pages();
    let filter = view.filter.clone();
    let filtered = filter.status.is_some() || !filter.search.is_empty();
    let total = view.total;
    let (page, search, status) = (filter.page, filter.search.clone(), filter.status);
    view! {
        <p>
            {t!(i18n, hub.signed_in_as)} " " <strong>{view.email.clone()}</strong> " "
            <button type="button" class="link" on:click=sign_out_now>{t!(i18n, hub.sign_out)}</button>
            " · " <a href="/account">{t!(i18n, hub.account)}</a>
            {is_partner.then(|| view! { " · " <a href="/hub/customers">{t!(i18n, hub.customers)}</a> })}
            {view.is_admin.then(|| view! { " · " <a href="/hub/people">{t!(i18n, hub.people)}</a> })}
        </p>
        <h2>{t!(i18n, hub.organizations)}</h2>
        <leptos_router::components::Form method="GET" action="/hub">
            <div class="filters" role="search" aria-label=move || t_string!(i18n, hub.find)>
                <label>
                    {t!(i18n, hub.search)}
                    <input type="search" name="q" maxlength=MAX_SEARCH.to_string() value=search />
                </label>
                <label>
                    {t!(i18n, hub.status)}
                    <select name="status">
                        <option value="" selected=status.is_none()>{t!(i18n, hub.all_statuses)}</option>
                        {HubStatus::FILTERS.into_iter().map(|s| view! {
                            <option value=s.key() selected=status == Some(s)>{hub_status_text(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">{t!(i18n, hub.apply)}</button>
            </div>
        </leptos_router::components::Form>
        <p class="meta">{t!(i18n, hub.found, count = move || total)}</p>
        {view.organizations.is_empty().then(|| match filtered || page > 1 {
            true => view! { <p>{t!(i18n, hub.no_match)}</p> }.into_any(),
            false => view! { <p>{t!(i18n, hub.none)}</p> }.into_any(),
        })}
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
        <Pager page pages href=move |p| filter.href(p) />
        {move || notice.get().map(|r| match r {
            Ok(()) => view! { <p class="notice" role="status">{t!(i18n, hub.resent)}</p> }.into_any(),
            Err(e) => view! { <p class="notice warn" role="alert">{app_error_view(i18n, &e)}</p> }.into_any(),
        })}
    }
}
