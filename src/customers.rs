//! `/hub/customers` (contract section 14): the partner's customer
//! organizations with their orders and services, paged like the hub, and
//! "Download CSV".

use crate::components::{LoadRefused, Pager, status_text};
use crate::error::AppError;
use crate::i18n::*;
pub use crate::model::customers::{Customer, CustomersView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// One page of the signed-in partner user's customers; `None` when nobody
/// is signed in, 403 for a customer's user.
#[server(endpoint = "hub/customers")]
pub async fn load_customers(page: Option<String>) -> Result<Option<CustomersView>, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let filter = crate::model::hub::HubFilter::parse(page.as_deref(), None, None)
            .map_err(AppError::Invalid)?;
        let Some(user) = crate::server::auth::current_user(&state).await? else {
            return Ok(None);
        };
        if user.partner_org_id.is_none() {
            return Err(AppError::Forbidden);
        }
        let size = i64::from(crate::model::hub::PAGE_SIZE);
        let (customers, total) = state
            .store
            .customers_page(&user, size, filter.offset() as i64)
            .await?;
        Ok(Some(CustomersView {
            page: filter.page,
            total,
            customers,
        }))
    })
    .await
}

/// `/hub/customers`.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new_blocking(move || query.read().get("page"), load_customers);
    view! {
        <section class="page">
            <h1>{t!(i18n, customers.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(view)) => view! { <Customers view /> }.into_any(),
                        Ok(None) => view! { <LoadRefused error=AppError::Unauthorized /> }.into_any(),
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/hub">{t!(i18n, people.back_to_hub)}</a></p>
        </section>
    }
}

#[component]
fn Customers(view: CustomersView) -> impl IntoView {
    let i18n = use_i18n();
    let (page, pages, total) = (view.page, view.pages(), view.total);
    view! {
        <p>{t!(i18n, customers.intro)}</p>
        <p>
            // A file, not a page: the router must not take the click.
            <a href="/hub/customers/csv" rel="external" download="customers.csv">{t!(i18n, customers.download)}</a>
        </p>
        <p class="meta">{t!(i18n, customers.found, count = move || total)}</p>
        {view.customers.is_empty().then(|| view! { <p>{t!(i18n, customers.none)}</p> })}
        {view.customers.into_iter().map(|customer| view! {
            <section class="card" aria-label=customer.name.clone()>
                <h2>{customer.name.clone()} " " <span class="option-detail">{customer.country.clone()}</span></h2>
                <table>
                    <thead>
                        <tr>
                            <th>{t!(i18n, hub.order)}</th>
                            <th>{t!(i18n, customers.subscription)}</th>
                            <th>{t!(i18n, hub.status)}</th>
                            <th>{t!(i18n, customers.services)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {customer.orders.into_iter().map(|o| view! {
                            <tr>
                                <td><a href=format!("/activity/{}", o.summary.id)>{o.summary.order_number.clone()}</a></td>
                                <td>{o.summary.subscription_id.clone()}</td>
                                <td><span class="badge">{status_text(i18n, o.summary.status)}</span></td>
                                <td>{o.services_text(i18n.get_locale())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }).collect_view()}
        <Pager page pages href=|p| format!("/hub/customers?page={p}") />
    }
}
