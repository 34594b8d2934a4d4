//! `/service/{order_id}`: the service setup wizard.

use super::{
    Availability, CallingInput, ServiceView, check_subdomain, load_service, provision,
    reserve_subdomain, save_calling,
};
use crate::components::{
    ErrorBanner, FieldMessage, LoadRefused, ServicesTable, StepIndicator, domain_error_text,
    focus_on_change, focus_when_lost, sleep_ms,
};
use crate::domain::{AnnouncementLanguage, PstnConnection, Subdomain, TimeZone};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServiceStep {
    Subscription,
    Calling,
    Meetings,
    Provision,
}

fn steps_for(view: &ServiceView) -> Vec<ServiceStep> {
    let mut steps = vec![ServiceStep::Subscription];
    if view.needs_calling() {
        steps.push(ServiceStep::Calling);
    }
    if view.needs_meetings() {
        steps.push(ServiceStep::Meetings);
    }
    steps.push(ServiceStep::Provision);
    steps
}

/// Where a returning user resumes: the first step not done yet (the start,
/// when nothing was saved).
fn resume_at(view: &ServiceView) -> usize {
    let steps = steps_for(view);
    if view.billing_start_date.is_some() {
        return steps.len() - 1;
    }
    let own_site = view.subdomain.is_some() && !view.site_set_up;
    if !view.calling_saved && !own_site {
        // Nothing saved yet: start with the subscription details.
        return 0;
    }
    steps
        .iter()
        .position(|s| match s {
            ServiceStep::Calling => !view.calling_saved,
            ServiceStep::Meetings => view.subdomain.is_none(),
            _ => false,
        })
        .unwrap_or(0)
}

fn title(i18n: leptos_i18n::I18nContext<Locale>, step: ServiceStep) -> String {
    match step {
        ServiceStep::Subscription => t_string!(i18n, service.step_subscription).to_string(),
        ServiceStep::Calling => t_string!(i18n, service.step_calling).to_string(),
        ServiceStep::Meetings => t_string!(i18n, service.step_meetings).to_string(),
        ServiceStep::Provision => t_string!(i18n, service.step_provision).to_string(),
    }
}

/// `/service/{order_id}`.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order_id = move || params.read().get("order_id").unwrap_or_default();
    let view_data = Resource::new(order_id, load_service);
    view! {
        <section class="page">
            <h1>{t!(i18n, service.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <ServiceWizard data /> }.into_any(),
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The steps for one order, starting where it stands.
#[component]
pub fn ServiceWizard(data: ServiceView) -> impl IntoView {
    let i18n = use_i18n();
    let steps = steps_for(&data);
    let index = RwSignal::new(resume_at(&data));
    let data = RwSignal::new(data);
    let steps = StoredValue::new(steps);
    let current = Memo::new(move |_| steps.with_value(|s| s[index.get().min(s.len() - 1)]));
    let titles = Signal::derive(move || {
        steps.with_value(|s| s.iter().map(|st| title(i18n, *st)).collect::<Vec<_>>())
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_on_change(heading, current);
    // Arriving from another page (the setup wizard's password form), focus
    // is on nothing: it goes to the step heading, as on every step change.
    focus_when_lost(heading);
    let go = move |delta: isize| {
        index.update(|i| {
            *i = (*i as isize + delta).clamp(0, steps.with_value(|s| s.len() as isize - 1)) as usize
        })
    };
    view! {
        <StepIndicator steps=titles current=Signal::derive(move || index.get()) />
        <h2 node_ref=heading tabindex="-1">{move || title(i18n, current.get())}</h2>
        {move || match current.get() {
            ServiceStep::Subscription => view! { <SubscriptionStep data on_next=move || go(1) /> }.into_any(),
            ServiceStep::Calling => view! { <CallingStep data on_next=move || go(1) on_back=move || go(-1) /> }.into_any(),
            ServiceStep::Meetings => view! { <MeetingStep data on_next=move || go(1) on_back=move || go(-1) /> }.into_any(),
            ServiceStep::Provision => view! { <ProvisionStep data on_back=move || go(-1) /> }.into_any(),
        }}
    }
}

#[component]
fn SubscriptionStep(
    data: RwSignal<ServiceView>,
    on_next: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let d = data.get_untracked();
    view! {
        <dl class="details">
            <dt>{t!(i18n, service.offer)}</dt>
            <dd>{d.offer.clone()}</dd>
            <dt>{t!(i18n, service.subscription_id)}</dt>
            <dd>{d.subscription_id.clone()}</dd>
            <dt>{t!(i18n, service.customer)}</dt>
            <dd>{d.customer_name.clone()}</dd>
            <dt>{t!(i18n, service.start_date)}</dt>
            <dd>{d.requested_start_date.clone()}</dd>
        </dl>
        <ServicesTable services=d.services.clone() />
        <div class="actions">
            <button type="button" on:click=move |_| on_next()>{t!(i18n, service.next)}</button>
        </div>
    }
}

#[component]
fn CallingStep(
    data: RwSignal<ServiceView>,
    on_next: impl Fn() + Copy + Send + Sync + 'static,
    on_back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = RwSignal::new(data.get_untracked().calling);
    let form = Form::new();
    let (message, invalid) = (move |f| form.message(f), move |f| form.invalid(f));
    let text = move |field: &'static str,
                     label: AnyView,
                     get: fn(&CallingInput) -> String,
                     set: fn(&mut CallingInput, String)| {
        let error_id = format!("{field}-error");
        view! {
            <div class="field">
                <label for=field>{label}</label>
                <input id=field type="text" prop:value=move || input.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| set(i, v)) }
                    aria-invalid=invalid(field)
                    aria-describedby=error_id.clone() />
                <FieldMessage id=error_id message=message(field) />
            </div>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input.get_untracked();
        // The same rules the server applies.
        if form.is_busy() || form.check(value.choose()).is_none() {
            return;
        }
        let order_id = data.with_untracked(|d| d.order_id.clone());
        form.send(save_calling(order_id, value.clone()), move |()| {
            data.update(|d| {
                d.calling = value;
                d.calling_saved = true;
            });
            on_next();
        });
    };
    let pstn = move |code: &'static str, label: AnyView| {
        view! {
            <label class="choice">
                <input type="radio" name="pstn" value=code prop:checked=move || input.with(|i| i.pstn == code)
                    on:change=move |_| input.update(|i| i.pstn = code.to_string()) />
                {label}
            </label>
        }
    };
    let locations = StoredValue::new(data.with_untracked(|d| d.locations.clone()));
    let choose = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let saved =
            locations.with_value(|l| l.iter().find(|l| l.id == id).map(|l| l.settings.clone()));
        form.errors.set(Vec::new());
        input.update(|i| match saved {
            Some(settings) => *i = settings,
            None => i.location = String::new(),
        });
    };
    let new_location = move || input.with(|i| i.location.is_empty());
    view! {
        <p>{t!(i18n, service.calling_intro)}</p>
        <form novalidate on:submit=submit>
            {(!locations.with_value(Vec::is_empty)).then(|| view! {
                <div class="field">
                    <label for="location">{t!(i18n, service.location)}</label>
                    <select id="location" on:change=choose>
                        {locations.get_value().into_iter().map(|l| {
                            let id = l.id.clone();
                            view! {
                                <option value=l.id.clone() selected=move || input.with(|i| i.location == id)>
                                    {l.settings.location_name.clone()}
                                </option>
                            }
                        }).collect_view()}
                        <option value="" selected=new_location>{t!(i18n, service.new_location)}</option>
                    </select>
                </div>
            })}
            <Show when=move || !new_location()>
                <p class="notice">
                    {move || {
                        let (address, zone) = input.with(|i| (i.address.clone(), i.time_zone.clone()));
                        t!(i18n, service.saved_location, address = move || address.clone(), time_zone = move || zone.clone())
                    }}
                </p>
            </Show>
            <div hidden=move || !new_location()>
            {text("location_name", t!(i18n, service.location_name).into_any(), |i| i.location_name.clone(), |i, v| i.location_name = v)}
            {text("address", t!(i18n, service.address).into_any(), |i| i.address.clone(), |i, v| i.address = v)}
            {text("country", t!(i18n, service.country).into_any(), |i| i.country.clone(), |i, v| i.country = v)}
            <div class="field">
                <label for="time_zone">{t!(i18n, service.time_zone)}</label>
                <select id="time_zone" aria-describedby="time_zone-error" aria-invalid=invalid("time_zone") on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.time_zone = v) }>
                    {TimeZone::ALL.iter().map(|z| view! {
                        <option value=*z selected=move || input.with(|i| i.time_zone == *z)>{*z}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id="time_zone-error" message=message("time_zone") />
            </div>
            <div class="field">
                <label for="language">{t!(i18n, service.language)}</label>
                <select id="language" aria-describedby="language-error" aria-invalid=invalid("language") on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.language = v) }>
                    {AnnouncementLanguage::ALL.iter().map(|l| view! {
                        <option value=l.code() selected=move || input.with(|i| i.language == l.code())>{l.english_name()}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id="language-error" message=message("language") />
            </div>
            <fieldset aria-describedby="pstn-error">
                <legend>{t!(i18n, service.pstn)}</legend>
                {pstn(PstnConnection::CiscoPstn.code(), t!(i18n, service.pstn_cisco).into_any())}
                {pstn(PstnConnection::CloudConnected.code(), t!(i18n, service.pstn_cloud).into_any())}
                {pstn(PstnConnection::PremisesBased.code(), t!(i18n, service.pstn_premises).into_any())}
            </fieldset>
            <FieldMessage id="pstn-error" message=message("pstn") />
            </div>
            <ErrorBanner error=form.banner />
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| on_back()>{t!(i18n, service.back)}</button>
                <button type="submit" disabled=move || form.busy.get()>{t!(i18n, service.next)}</button>
            </div>
        </form>
    }
}

#[component]
fn MeetingStep(
    data: RwSignal<ServiceView>,
    on_next: impl Fn() + Copy + Send + Sync + 'static,
    on_back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(site) = data.with_untracked(|d| d.subdomain.clone().filter(|_| d.site_set_up)) {
        let url = Subdomain::parse(&site)
            .map(|s| s.site_url())
            .unwrap_or_default();
        return view! {
            <p class="notice" role="status">
                {t!(i18n, service.site_already_set_up, name = move || site.clone(), url = move || url.clone())}
            </p>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| on_back()>{t!(i18n, service.back)}</button>
                <button type="button" on:click=move |_| on_next()>{t!(i18n, service.next)}</button>
            </div>
        }
        .into_any();
    }
    let name = RwSignal::new(data.get_untracked().subdomain.unwrap_or_default());
    let answer = RwSignal::new(None::<Availability>);
    let checking = RwSignal::new(false);
    let banner = RwSignal::new(None::<AppError>);
    let generation = StoredValue::new(0u64);
    let saved = Memo::new(move |_| data.with(|d| d.subdomain.clone()));
    // Checks the name as typed now; an answer for an older name is dropped.
    let check = move || {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let typed = name.get_untracked();
        if let Err(e) = Subdomain::parse(&typed) {
            answer.set(Some(Availability::Invalid(e)));
            return;
        }
        checking.set(true);
        spawn_local(async move {
            let result = check_subdomain(typed).await;
            if generation.get_value() == mine {
                checking.set(false);
                match result {
                    Ok(a) => answer.set(Some(a)),
                    Err(e) => banner.set(Some(e)),
                }
            }
        });
    };
    let on_input = move |ev| {
        name.set(event_target_value(&ev));
        answer.set(None);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        spawn_local(async move {
            sleep_ms(400).await;
            if generation.get_value() == mine && !name.get_untracked().trim().is_empty() {
                check();
            }
        });
    };
    let save = move |_| {
        banner.set(None);
        let typed = name.get_untracked();
        if let Err(e) = Subdomain::parse(&typed) {
            answer.set(Some(Availability::Invalid(e)));
            return;
        }
        let order_id = data.with_untracked(|d| d.order_id.clone());
        spawn_local(async move {
            match reserve_subdomain(order_id, typed.clone()).await {
                Ok(_) => {
                    let subdomain = Subdomain::parse(&typed)
                        .map(|s| s.as_str().to_string())
                        .unwrap_or(typed);
                    data.update(|d| d.subdomain = Some(subdomain));
                }
                Err(AppError::Refused(crate::error::Refusal::SubdomainTaken)) => {
                    answer.set(Some(Availability::Taken))
                }
                Err(AppError::Invalid(errors)) => {
                    if let Some(e) = errors.first() {
                        answer.set(Some(Availability::Invalid(e.error.clone())));
                    }
                }
                Err(e) => banner.set(Some(e)),
            }
        });
    };
    let shown_name = move || {
        Subdomain::parse(&name.get())
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|_| name.get())
    };
    view! {
        <p>{t!(i18n, service.meetings_intro)}</p>
        <div class="field">
            <label for="subdomain">{t!(i18n, service.subdomain)}</label>
            <p class="hint">{t!(i18n, service.subdomain_hint)}</p>
            <input id="subdomain" type="text" autocomplete="off" prop:value=move || name.get() on:input=on_input
                aria-invalid=move || {
                    let refused = answer.with(|a| matches!(a, Some(Availability::Taken | Availability::Invalid(_))));
                    if refused { "true" } else { "false" }
                }
                aria-describedby="subdomain-result" />
            <p id="subdomain-result" aria-live="polite">
                {move || {
                    if checking.get() {
                        return t!(i18n, service.checking).into_any();
                    }
                    match answer.get() {
                        Some(Availability::Available { site_url, .. }) => {
                            let n = shown_name();
                            view! {
                                <span class="ok">{t!(i18n, service.available, name = move || n.clone())}</span>
                                " · " {site_url}
                            }.into_any()
                        }
                        Some(Availability::Taken) => {
                            let n = shown_name();
                            view! { <span class="error" role="alert">{t!(i18n, service.not_available, name = move || n.clone())} " " {t!(i18n, err.subdomain_taken)}</span> }.into_any()
                        }
                        Some(Availability::Invalid(e)) => {
                            let n = shown_name();
                            let reason = domain_error_text(i18n, &e);
                            view! { <span class="error" role="alert">{t!(i18n, service.not_available, name = move || n.clone())} " " {reason}</span> }.into_any()
                        }
                        None => ().into_any(),
                    }
                }}
            </p>
        </div>
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| check()>{t!(i18n, service.check)}</button>
            <button type="button" on:click=save>{t!(i18n, service.save)}</button>
        </div>
        {move || saved.get().map(|s| {
            let url = Subdomain::parse(&s).map(|s| s.site_url()).unwrap_or_default();
            view! { <p class="notice" role="status">{t!(i18n, service.saved, url = move || url.clone())}</p> }
        })}
        <ErrorBanner error=banner />
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| on_back()>{t!(i18n, service.back)}</button>
            <button type="button" disabled=move || saved.with(Option::is_none) on:click=move |_| on_next()>
                {t!(i18n, service.next)}
            </button>
        </div>
    }
    .into_any()
}

#[component]
fn ProvisionStep(
    data: RwSignal<ServiceView>,
    on_back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<AppError>);
    let billing = Memo::new(move |_| data.with(|d| d.billing_start_date.clone()));
    // The button pressed is gone once billing started: focus goes to the news.
    let started = NodeRef::<leptos::html::P>::new();
    focus_when_lost(started);
    let press = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        banner.set(None);
        let order_id = data.with_untracked(|d| d.order_id.clone());
        spawn_local(async move {
            match provision(order_id).await {
                Ok(date) => data.update(|d| d.billing_start_date = Some(date)),
                Err(e) => banner.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <p>{t!(i18n, service.provision_intro)}</p>
        {move || match billing.get() {
            Some(date) => view! {
                <p class="notice" role="status" tabindex="-1" node_ref=started>{t!(i18n, service.billing_started, date = move || date.clone())}</p>
            }.into_any(),
            None => view! {
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| on_back()>{t!(i18n, service.back)}</button>
                    <button type="button" on:click=press disabled=move || busy.get()>{t!(i18n, service.provision)}</button>
                </div>
            }.into_any(),
        }}
        <ErrorBanner error=banner />
    }
}
