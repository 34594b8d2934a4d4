//! `/commerce`: a stand-in for the commerce workspace. It places the same orders
//! as `POST /api/orders`, checked in the browser by the same
//! [`OrderInput::validate`], and lets the commerce user follow each order line,
//! resend its invitation or change its provisioning contact until it is set up.
//! Available with the development hooks on.

use crate::components::{FieldMessage, app_error_view, domain_error_text};
use crate::domain::{Offer, ServiceKind};
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::model::orders::{OrderInput, OrderStatus, OrderSummary, ServiceInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

/// How placing an order ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placed {
    Created(String),
    Replayed(String),
    Conflict,
}

#[cfg(feature = "ssr")]
fn commerce_state() -> Result<crate::server::state::AppState, AppError> {
    let state = crate::server::state::app_state()?;
    if state.config.dev_hooks {
        Ok(state)
    } else {
        Err(AppError::NotFound)
    }
}

/// The newest orders.
#[server(endpoint = "commerce/orders")]
pub async fn commerce_orders() -> Result<Vec<OrderSummary>, AppError> {
    crate::server::state::respond(
        async {
            let state = commerce_state()?;
            state
                .store
                .list_orders(200)
                .await
                .map_err(AppError::unexpected)
        }
        .await,
    )
}

/// Places an order typed on the page.
#[server(endpoint = "commerce/place")]
pub async fn commerce_place(input: OrderInput) -> Result<Placed, AppError> {
    crate::server::state::respond(
        async {
            let state = commerce_state()?;
            let order = input.validate().map_err(AppError::Invalid)?;
            use crate::server::store::PlaceOutcome;
            Ok(
                match state
                    .store
                    .place_order(&order, state.clock.now().await)
                    .await
                    .map_err(AppError::unexpected)?
                {
                    PlaceOutcome::Created(id) => Placed::Created(id),
                    PlaceOutcome::Replayed(id) => Placed::Replayed(id),
                    PlaceOutcome::Conflict => Placed::Conflict,
                },
            )
        }
        .await,
    )
}

/// Resends the invitation, to a new provisioning contact if one is given.
#[server(endpoint = "commerce/resend")]
pub async fn commerce_resend(
    order_id: String,
    new_contact: Option<String>,
) -> Result<(), AppError> {
    crate::server::state::respond(
        async {
            let state = commerce_state()?;
            let contact = match new_contact.filter(|c| !c.trim().is_empty()) {
                Some(c) => Some(
                    crate::domain::EmailAddress::parse(&c)
                        .map_err(|e| AppError::field("new_contact", e))?,
                ),
                None => None,
            };
            crate::server::services::invitations::resend_invitation(
                &state.store,
                &order_id,
                contact.as_ref(),
                "commerce",
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

fn blank_order() -> OrderInput {
    OrderInput {
        offer: "A-WX".into(),
        services: vec![ServiceInput {
            kind: "meetings".into(),
            sku: String::new(),
            quantity: String::new(),
        }],
        ..OrderInput::default()
    }
}

/// `/commerce`.
#[component]
pub fn CommercePage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let orders = Resource::new(move || refresh.get(), |_| commerce_orders());
    // Kept here, not in the row: a successful action reloads the rows.
    let notice = RwSignal::new(None::<Result<(), AppError>>);
    view! {
        <section class="page">
            <h1>{t!(i18n, commerce.title)}</h1>
            <p class="lead">{t!(i18n, commerce.intro)}</p>
            <OrderForm on_placed=move || refresh.update(|n| *n += 1) />
            <h2>{t!(i18n, commerce.orders_title)}</h2>
            {move || notice.get().map(|r| match r {
                Ok(()) => view! { <p class="notice" role="status">{t!(i18n, commerce.resent)}</p> }.into_any(),
                Err(e) => view! { <p class="notice warn" role="alert">{app_error_view(i18n, &e)}</p> }.into_any(),
            })}
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Err(_) => view! { <p role="alert">{t!(i18n, commerce.unavailable)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, commerce.no_orders)}</p> }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead>
                                    <tr>
                                        <th>{t!(i18n, commerce.order_number)}</th>
                                        <th>{t!(i18n, commerce.offer)}</th>
                                        <th>{t!(i18n, commerce.requested_start_date)}</th>
                                        <th>{t!(i18n, commerce.provisioning_contact_email)}</th>
                                        <th>{t!(i18n, commerce.status)}</th>
                                        <th>{t!(i18n, commerce.actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|o| view! { <OrderRow order=o notice on_change=move || refresh.update(|n| *n += 1) /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OrderRow(
    order: OrderSummary,
    notice: RwSignal<Option<Result<(), AppError>>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = matches!(
        order.status,
        OrderStatus::Scheduled
            | OrderStatus::Invited
            | OrderStatus::Escalated
            | OrderStatus::AwaitingApproval
    );
    let id = StoredValue::new(order.id.clone());
    let contact = RwSignal::new(String::new());
    let send = move |new_contact: Option<String>| {
        spawn_local(async move {
            let result = commerce_resend(id.get_value(), new_contact).await;
            let ok = result.is_ok();
            notice.set(Some(result));
            if ok {
                on_change();
            }
        });
    };
    let input_id = format!("contact-{}", order.id);
    let label = format!(
        "{} {}",
        t_string!(i18n, commerce.new_contact),
        order.order_number
    );
    view! {
        <tr>
            <td>{order.order_number.clone()}</td>
            <td>{order.offer.clone()}</td>
            <td>{order.requested_start_date.clone()}</td>
            <td>{order.provisioning_contact_email.clone()}</td>
            <td>
                <span class="badge">{crate::components::status_text(i18n, order.status)}</span>
            </td>
            <td>
                {open.then(|| view! {
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| send(None)>
                            {t!(i18n, commerce.resend)}
                        </button>
                        <input
                            id=input_id.clone()
                            type="email"
                            aria-label=label.clone()
                            placeholder=move || t_string!(i18n, commerce.new_contact)
                            prop:value=move || contact.get()
                            on:input=move |ev| contact.set(event_target_value(&ev))
                        />
                        <button type="button" class="secondary" on:click=move |_| send(Some(contact.get_untracked()))>
                            {t!(i18n, commerce.change_contact)}
                        </button>
                    </div>
                })}
            </td>
        </tr>
    }
}

#[component]
fn OrderForm(on_placed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let input = RwSignal::new(blank_order());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let outcome = RwSignal::new(None::<(Result<Placed, AppError>, String)>);
    let busy = RwSignal::new(false);
    let message = move |field: String| {
        Signal::derive(move || {
            errors.with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| domain_error_text(i18n, &e.error))
            })
        })
    };
    let field = move |name: &'static str,
                      label: AnyView,
                      kind: &'static str,
                      get: fn(&OrderInput) -> String,
                      set: fn(&mut OrderInput, String)| {
        let error_id = format!("{name}-error");
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input
                    id=name
                    type=kind
                    prop:value=move || input.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        input.update(|o| set(o, v));
                    }
                    aria-describedby=error_id.clone()
                />
                <FieldMessage id=error_id message=message(name.to_string()) />
            </div>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let order = input.get_untracked();
        let number = order.order_number.trim().to_string();
        // The rules the API applies, run here first.
        if let Err(found) = order.validate() {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let result = commerce_place(order).await;
            if let Err(AppError::Invalid(found)) = &result {
                errors.set(found.clone());
            }
            if matches!(result, Ok(Placed::Created(_))) {
                input.set(blank_order());
                on_placed();
            }
            outcome.set(Some((result, number)));
            busy.set(false);
        });
    };
    view! {
        <form novalidate on:submit=submit>
            <h2>{t!(i18n, commerce.place_title)}</h2>
            {field("order_number", t!(i18n, commerce.order_number).into_any(), "text", |o| o.order_number.clone(), |o, v| o.order_number = v)}
            <div class="field">
                <label for="offer">{t!(i18n, commerce.offer)}</label>
                <select id="offer" on:change=move |ev| { let v = event_target_value(&ev); input.update(|o| o.offer = v) }>
                    {Offer::ALL.iter().map(|o| view! {
                        <option value=o.as_str() selected=move || input.with(|i| i.offer == o.as_str())>{o.as_str()}</option>
                    }).collect_view()}
                </select>
            </div>
            {field("subscription_id", t!(i18n, commerce.subscription_id).into_any(), "text", |o| o.subscription_id.clone(), |o, v| o.subscription_id = v)}
            {field("requested_start_date", t!(i18n, commerce.requested_start_date).into_any(), "date", |o| o.requested_start_date.clone(), |o, v| o.requested_start_date = v)}
            {field("provisioning_contact_email", t!(i18n, commerce.provisioning_contact_email).into_any(), "email", |o| o.provisioning_contact_email.clone(), |o, v| o.provisioning_contact_email = v)}
            <p class="hint">{t!(i18n, commerce.provisioning_contact_hint)}</p>
            {field("account_rep_email", t!(i18n, commerce.account_rep_email).into_any(), "email", |o| o.account_rep_email.clone(), |o, v| o.account_rep_email = v)}
            <fieldset>
                <legend>{t!(i18n, commerce.partner)}</legend>
                {field("partner.party_id", t!(i18n, commerce.party_id).into_any(), "text", |o| o.partner.party_id.clone(), |o, v| o.partner.party_id = v)}
                {field("partner.name", t!(i18n, commerce.partner_name).into_any(), "text", |o| o.partner.name.clone(), |o, v| o.partner.name = v)}
                {field("partner.country", t!(i18n, commerce.partner_country).into_any(), "text", |o| o.partner.country.clone(), |o, v| o.partner.country = v)}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, commerce.customer)}</legend>
                {field("customer.name", t!(i18n, commerce.customer_name).into_any(), "text", |o| o.customer.name.clone(), |o, v| o.customer.name = v)}
                {field("customer.country", t!(i18n, commerce.customer_country).into_any(), "text", |o| o.customer.country.clone(), |o, v| o.customer.country = v)}
                {field("customer.address", t!(i18n, commerce.customer_address).into_any(), "text", |o| o.customer.address.clone(), |o, v| o.customer.address = v)}
            </fieldset>
            <fieldset aria-describedby="services-error">
                <legend>{t!(i18n, commerce.services)}</legend>
                <FieldMessage id="services-error" message=message("services".into()) />
                {move || {
                    let count = input.with(|o| o.services.len());
                    (0..count).map(|i| {
                        let kind_id = format!("services[{i}].kind");
                        let sku_id = format!("services[{i}].sku");
                        let qty_id = format!("services[{i}].quantity");
                        view! {
                            <div class="actions">
                                <label>
                                    {t!(i18n, commerce.service_kind)} " " {i + 1}
                                    <select id=kind_id.clone() on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        input.update(|o| o.services[i].kind = v);
                                    }>
                                        {ServiceKind::ALL.iter().map(|k| view! {
                                            <option value=k.as_str() selected=move || input.with(|o| o.services.get(i).is_some_and(|s| s.kind == k.as_str()))>{k.as_str()}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>
                                    {t!(i18n, commerce.sku)} " " {i + 1}
                                    <input id=sku_id.clone() type="text" aria-describedby=format!("{sku_id}-error")
                                        prop:value=move || input.with(|o| o.services.get(i).map(|s| s.sku.clone()).unwrap_or_default())
                                        on:input=move |ev| { let v = event_target_value(&ev); input.update(|o| o.services[i].sku = v) } />
                                </label>
                                <label>
                                    {t!(i18n, commerce.quantity)} " " {i + 1}
                                    <input id=qty_id.clone() type="number" min="1" aria-describedby=format!("{qty_id}-error")
                                        prop:value=move || input.with(|o| o.services.get(i).map(|s| s.quantity.clone()).unwrap_or_default())
                                        on:input=move |ev| { let v = event_target_value(&ev); input.update(|o| o.services[i].quantity = v) } />
                                </label>
                                <button type="button" class="link" on:click=move |_| input.update(|o| { o.services.remove(i); })>
                                    {t!(i18n, commerce.remove_service)} " " {i + 1}
                                </button>
                                <FieldMessage id=format!("{kind_id}-error") message=message(kind_id.clone()) />
                                <FieldMessage id=format!("{sku_id}-error") message=message(sku_id.clone()) />
                                <FieldMessage id=format!("{qty_id}-error") message=message(qty_id.clone()) />
                            </div>
                        }
                    }).collect_view()
                }}
                <button type="button" class="secondary" on:click=move |_| input.update(|o| o.services.push(ServiceInput { kind: "meetings".into(), ..ServiceInput::default() }))>
                    {t!(i18n, commerce.add_service)}
                </button>
            </fieldset>
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>{t!(i18n, commerce.place)}</button>
            </div>
            {move || outcome.get().map(|(r, number)| match r {
                Ok(Placed::Created(_)) => view! { <p class="notice" role="status">{t!(i18n, commerce.placed, number = move || number.clone())}</p> }.into_any(),
                Ok(Placed::Replayed(_)) => view! { <p class="notice" role="status">{t!(i18n, commerce.replayed)}</p> }.into_any(),
                Ok(Placed::Conflict) => view! { <p class="notice warn" role="alert">{t!(i18n, commerce.conflict)}</p> }.into_any(),
                Err(e) => view! { <p class="notice warn" role="alert">{app_error_view(i18n, &e)}</p> }.into_any(),
            })}
        </form>
    }
}
