//! The page at `/setup/{token}`.

use super::machine::{
    self, AdminLookup, Audience, CommitResult, Draft, OrgView, Role, SetupContext, Step, WhoSetsUp,
};
use super::{check_admin, commit_setup, create_password, delegate_setup, open_setup};
use crate::components::{
    ErrorBanner, FieldMessage, StepIndicator, app_error_text, domain_error_text, focus_on_change,
    sleep_ms,
};
use crate::domain::{EmailAddress, Password, check_password};
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map, use_query_map},
};

/// What ended the wizard.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Delegated(String),
    Committed(CommitResult),
}

/// `/setup/{token}`: the wizard, or the page for a link that cannot be used.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let context = Resource::new_blocking(token, open_setup);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(ctx) => view! { <Wizard token=token() ctx /> }.into_any(),
                    Err(error) => view! { <InvalidLink error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A link that is unknown (404), or used or expired (410): no order data.
#[component]
fn InvalidLink(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let gone = error == AppError::Gone;
    let other = !matches!(error, AppError::Gone | AppError::NotFound);
    view! {
        <section class="page">
            {if gone {
                view! {
                    <h1>{t!(i18n, wizard.gone_title)}</h1>
                    <p>{t!(i18n, wizard.gone_text)}</p>
                }
                    .into_any()
            } else {
                view! {
                    <h1>{t!(i18n, wizard.invalid_title)}</h1>
                    <p>{t!(i18n, wizard.invalid_text)}</p>
                }
                    .into_any()
            }}
            {other.then(|| view! { <p role="alert">{move || app_error_text(i18n, &error)}</p> })}
        </section>
    }
}

fn step_title(i18n: leptos_i18n::I18nContext<Locale>, step: Step) -> String {
    match step {
        Step::Role => t_string!(i18n, wizard.step_role).to_string(),
        Step::WhoSetsUp => t_string!(i18n, wizard.step_who).to_string(),
        Step::PartnerOrg => t_string!(i18n, wizard.step_partner).to_string(),
        Step::CustomerAdmin => t_string!(i18n, wizard.step_admin).to_string(),
        Step::CustomerOrg => t_string!(i18n, wizard.step_customer).to_string(),
        Step::Review => t_string!(i18n, wizard.step_review).to_string(),
    }
}

/// The wizard's state: the draft, the errors of the last "Next", and the
/// live administrator check. Nothing of it leaves the browser before the commit.
#[derive(Clone, Copy)]
struct WizardState {
    ctx: StoredValue<SetupContext>,
    token: StoredValue<String>,
    draft: RwSignal<Draft>,
    errors: RwSignal<Vec<FieldError>>,
    banner: RwSignal<Option<AppError>>,
    busy: RwSignal<bool>,
    checking: RwSignal<bool>,
    check_generation: StoredValue<u64>,
    check_pending: StoredValue<bool>,
}

impl WizardState {
    fn message(self, field: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            self.errors.with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| domain_error_text(i18n, &e.error))
            })
        })
    }

    fn invalid(self, field: &'static str) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.errors.with(|e| e.iter().any(|e| e.field == field)) {
                "true"
            } else {
                "false"
            }
        }
    }

    fn clear(self, field: &'static str) {
        self.errors.update(|e| e.retain(|e| e.field != field));
    }

    /// Asks the server about the administrator address, one request at a time;
    /// an answer is kept with the address it answers, so a stale one never
    /// counts for another address.
    async fn look_up_admin(self) {
        if self.checking.get_untracked() {
            self.check_pending.set_value(true);
            return;
        }
        loop {
            let email = self
                .draft
                .with_untracked(|d| d.admin_email.trim().to_lowercase());
            if EmailAddress::parse(&email).is_err() {
                break;
            }
            self.checking.set(true);
            let answer = check_admin(self.token.get_value(), email.clone()).await;
            self.checking.set(false);
            match answer {
                Ok(lookup) => self
                    .draft
                    .update(|d| d.admin_lookup = Some((email, lookup))),
                Err(error) => self.banner.set(Some(error)),
            }
            if !self.check_pending.get_value() {
                break;
            }
            self.check_pending.set_value(false);
        }
    }

    /// Debounced live check after a keystroke.
    fn schedule_admin_check(self) {
        self.check_generation.update_value(|g| *g += 1);
        let mine = self.check_generation.get_value();
        spawn_local(async move {
            sleep_ms(350).await;
            if self.check_generation.get_value() == mine {
                self.look_up_admin().await;
            }
        });
    }
}

/// The wizard for one opened link.
#[component]
pub fn Wizard(token: String, ctx: SetupContext) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let state = WizardState {
        draft: RwSignal::new(Draft::prefilled(&ctx)),
        ctx: StoredValue::new(ctx),
        token: StoredValue::new(token),
        errors: RwSignal::new(Vec::new()),
        banner: RwSignal::new(None),
        busy: RwSignal::new(false),
        checking: RwSignal::new(false),
        check_generation: StoredValue::new(0),
        check_pending: StoredValue::new(false),
    };
    let outcome = RwSignal::new(None::<Outcome>);
    // The step lives in the address (`?step=N`), so the browser's back button
    // moves between steps; it can never point past the furthest step reached.
    let reached = RwSignal::new(0usize);
    let steps = Memo::new(move |_| {
        state
            .ctx
            .with_value(|c| state.draft.with(|d| machine::steps(d, c)))
    });
    let index = Memo::new(move |_| {
        let wanted = query
            .read()
            .get("step")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        wanted
            .min(reached.get())
            .min(steps.with(Vec::len).saturating_sub(1))
    });
    let current =
        Memo::new(move |_| steps.with(|s| s.get(index.get()).copied().unwrap_or(Step::Role)));
    let titles = Signal::derive(move || {
        steps
            .get()
            .into_iter()
            .map(|s| step_title(i18n, s))
            .collect::<Vec<_>>()
    });

    let heading = NodeRef::<leptos::html::H2>::new();
    focus_on_change(heading, current);

    let go_to = Callback::new({
        let navigate = navigate.clone();
        move |i: usize| {
            let path = state.token.with_value(|t| format!("/setup/{t}?step={i}"));
            navigate(
                &path,
                NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });

    let advance = {
        move || {
            let step = current.get_untracked();
            let result = state
                .ctx
                .with_value(|c| state.draft.with_untracked(|d| machine::next(step, d, c)));
            match result {
                Ok(Some(_)) => {
                    let i = index.get_untracked() + 1;
                    reached.update(|r| *r = (*r).max(i));
                    state.errors.set(Vec::new());
                    go_to.run(i);
                }
                Ok(None) => {}
                Err(errors) => state.errors.set(errors),
            }
        }
    };

    let on_next = {
        move || {
            if state.busy.get_untracked() {
                return;
            }
            state.banner.set(None);
            let step = current.get_untracked();
            let draft = state.draft.get_untracked();
            match step {
                Step::WhoSetsUp if draft.who == Some(WhoSetsUp::Colleague) => {
                    if let Err(errors) = state
                        .ctx
                        .with_value(|c| machine::check_step(step, &draft, c))
                    {
                        state.errors.set(errors);
                        return;
                    }
                    state.busy.set(true);
                    spawn_local(async move {
                        let email = draft.colleague_email.trim().to_lowercase();
                        match delegate_setup(state.token.get_value(), email.clone()).await {
                            Ok(()) => outcome.set(Some(Outcome::Delegated(email))),
                            Err(AppError::Invalid(errors)) => state.errors.set(errors),
                            Err(error) => state.banner.set(Some(error)),
                        }
                        state.busy.set(false);
                    });
                }
                Step::CustomerAdmin => {
                    state.busy.set(true);
                    spawn_local(async move {
                        let needs_answer = state.ctx.with_value(|c| {
                            EmailAddress::parse(&draft.admin_email).is_ok()
                                && draft.lookup_for_current_admin(c).is_none()
                        });
                        if needs_answer {
                            state.look_up_admin().await;
                        }
                        state.busy.set(false);
                        if state.banner.with_untracked(Option::is_none) {
                            advance();
                        }
                    });
                }
                Step::Review => {
                    state.busy.set(true);
                    spawn_local(async move {
                        match commit_setup(state.token.get_value(), draft).await {
                            Ok(result) => outcome.set(Some(Outcome::Committed(result))),
                            Err(AppError::Invalid(errors)) => {
                                state.banner.set(Some(AppError::Invalid(errors.clone())));
                                state.errors.set(errors);
                            }
                            Err(error) => state.banner.set(Some(error)),
                        }
                        state.busy.set(false);
                    });
                }
                _ => advance(),
            }
        }
    };

    let on_back = move |_| {
        state.errors.set(Vec::new());
        state.banner.set(None);
        let i = index.get_untracked();
        if i > 0 {
            go_to.run(i - 1);
        }
    };
    let exit = {
        let navigate = navigate.clone();
        move |_| navigate("/", Default::default())
    };
    let next_disabled = move || {
        state.busy.get()
            || (current.get() == Step::PartnerOrg
                && state.draft.with(|d| d.not_recognized)
                && state.ctx.with_value(|c| c.partner_org.is_some()))
    };
    let order_number = state.ctx.with_value(|c| c.order_number.clone());

    view! {
        <section class="page wizard">
            <h1>
                {t!(i18n, wizard.title)} " · "
                {t!(i18n, wizard.order_label, number = order_number.clone())}
            </h1>
            <Show
                when=move || outcome.with(Option::is_none)
                fallback=move || view! { <Finished state outcome /> }
            >
                <StepIndicator steps=titles current=Signal::derive(move || index.get()) />
                <form
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        on_next();
                    }
                >
                    <h2 node_ref=heading tabindex="-1">
                        {move || step_title(i18n, current.get())}
                    </h2>
                    {move || match current.get() {
                        Step::Role => role_step(state).into_any(),
                        Step::WhoSetsUp => who_step(state).into_any(),
                        Step::PartnerOrg => partner_step(state).into_any(),
                        Step::CustomerAdmin => admin_step(state).into_any(),
                        Step::CustomerOrg => customer_step(state).into_any(),
                        Step::Review => review_step(state).into_any(),
                    }}
                    <ErrorBanner error=state.banner />
                    <div class="actions">
                        <Show when=move || { index.get() > 0 }>
                            <button type="button" class="secondary" on:click=on_back>
                                {t!(i18n, wizard.back)}
                            </button>
                        </Show>
                        <button type="submit" disabled=next_disabled>
                            {t!(i18n, wizard.next)}
                        </button>
                        <span class="spacer"></span>
                        <button type="button" class="link" on:click=exit.clone()>
                            {t!(i18n, wizard.exit)}
                        </button>
                    </div>
                    <p class="hint">{t!(i18n, wizard.exit_hint)}</p>
                </form>
            </Show>
        </section>
    }
}

/// A radio button with its label.
fn radio(
    name: &'static str,
    label: impl IntoView + 'static,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    on_pick: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="radio" name=name prop:checked=checked on:change=move |_| on_pick() />
            {label}
        </label>
    }
}

/// A labelled text input bound to a draft field, with its error.
fn text_field(
    state: WizardState,
    field: &'static str,
    label: impl IntoView + 'static,
    kind: &'static str,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
    hint: Option<AnyView>,
) -> impl IntoView {
    let error_id = format!("{field}-error");
    view! {
        <div class="field">
            <label for=field>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <input
                id=field
                name=field
                type=kind
                autocomplete="off"
                prop:value=move || state.draft.with(get)
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    state.draft.update(|d| set(d, value));
                    state.clear(field);
                }
                aria-invalid=state.invalid(field)
                aria-describedby=error_id.clone()
            />
            <FieldMessage id=error_id message=state.message(field) />
        </div>
    }
}

fn role_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let pick = move |role: Role| {
        state.draft.update(|d| d.role = Some(role));
        state.clear("role");
    };
    let is = move |role: Role| move || state.draft.with(|d| d.role == Some(role));
    let customer_link = state.ctx.with_value(|c| c.audience == Audience::Customer);
    view! {
        <fieldset aria-describedby="role-error">
            <legend>{t!(i18n, wizard.role_question)}</legend>
            {(!customer_link)
                .then(|| radio("role", t!(i18n, wizard.role_partner), is(Role::Partner), move || pick(Role::Partner)))}
            {radio("role", t!(i18n, wizard.role_customer), is(Role::Customer), move || pick(Role::Customer))}
        </fieldset>
        <FieldMessage id="role-error" message=state.message("role") />
    }
}

fn who_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let pick = move |who: WhoSetsUp| {
        state.draft.update(|d| d.who = Some(who));
        state.clear("who");
    };
    let is = move |who: WhoSetsUp| move || state.draft.with(|d| d.who == Some(who));
    view! {
        <fieldset aria-describedby="who-error">
            <legend>{t!(i18n, wizard.who_question)}</legend>
            {radio("who", t!(i18n, wizard.who_myself), is(WhoSetsUp::Myself), move || pick(WhoSetsUp::Myself))}
            {radio("who", t!(i18n, wizard.who_colleague), is(WhoSetsUp::Colleague), move || pick(WhoSetsUp::Colleague))}
            <Show when=is(WhoSetsUp::Colleague)>
                {text_field(
                    state,
                    "colleague_email",
                    t!(i18n, wizard.colleague_email),
                    "email",
                    |d| d.colleague_email.clone(),
                    |d, v| d.colleague_email = v,
                    Some(t!(i18n, wizard.colleague_hint).into_any()),
                )}
            </Show>
            {radio("who", t!(i18n, wizard.who_customer), is(WhoSetsUp::Customer), move || pick(WhoSetsUp::Customer))}
            <p class="hint">{t!(i18n, wizard.who_customer_hint)}</p>
        </fieldset>
        <FieldMessage id="who-error" message=state.message("who") />
    }
}

fn org_details(org: &OrgView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let org = org.clone();
    view! {
        <dl class="details">
            <dt>{t!(i18n, wizard.org_name)}</dt>
            <dd>{org.name}</dd>
            <dt>{t!(i18n, wizard.country)}</dt>
            <dd>{org.country}</dd>
            {org.address.map(|a| view! {
                <dt>{t!(i18n, wizard.address)}</dt>
                <dd>{a}</dd>
            })}
        </dl>
    }
}

fn partner_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    match state.ctx.with_value(|c| c.partner_org.clone()) {
        Some(org) => view! {
            <p>{t!(i18n, wizard.partner_existing_intro)}</p>
            {org_details(&org)}
            <label class="choice">
                <input
                    type="checkbox"
                    prop:checked=move || state.draft.with(|d| d.not_recognized)
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        state.draft.update(|d| d.not_recognized = checked);
                    }
                />
                {t!(i18n, wizard.not_recognized)}
            </label>
            <Show when=move || state.draft.with(|d| d.not_recognized)>
                <p class="notice warn" role="alert">{t!(i18n, wizard.not_recognized_advice)}</p>
            </Show>
        }
        .into_any(),
        None => view! {
            <p>{t!(i18n, wizard.partner_new_intro)}</p>
            {text_field(state, "partner_name", t!(i18n, wizard.org_name), "text", |d| d.partner_name.clone(), |d, v| d.partner_name = v, None)}
            {text_field(
                state,
                "partner_country",
                t!(i18n, wizard.country),
                "text",
                |d| d.partner_country.clone(),
                |d, v| d.partner_country = v,
                Some(t!(i18n, wizard.country_hint).into_any()),
            )}
        }
        .into_any(),
    }
}

fn admin_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = "admin_email-error";
    let lookup = move || {
        state
            .ctx
            .with_value(|c| state.draft.with(|d| d.lookup_for_current_admin(c).cloned()))
    };
    let refused = move || matches!(lookup(), Some(AdminLookup::BelongsToPartner));
    let message = Signal::derive(move || {
        state.message("admin_email").get().or_else(|| {
            refused().then(|| {
                domain_error_text(i18n, &crate::domain::DomainError::EmailBelongsToPartner)
            })
        })
    });
    view! {
        <p class="hint">{t!(i18n, wizard.admin_hint)}</p>
        <div class="field">
            <label for="admin_email">{t!(i18n, wizard.admin_email)}</label>
            <input
                id="admin_email"
                name="admin_email"
                type="email"
                autocomplete="off"
                prop:value=move || state.draft.with(|d| d.admin_email.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    state.draft.update(|d| d.admin_email = value);
                    state.clear("admin_email");
                    state.schedule_admin_check();
                }
                aria-invalid=move || if message.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id
            />
            <FieldMessage id=error_id message />
            <p class="hint" aria-live="polite">
                {move || {
                    if state.checking.get() {
                        t!(i18n, wizard.admin_checking).into_any()
                    } else {
                        match lookup() {
                            Some(AdminLookup::New) => t!(i18n, wizard.admin_new).into_any(),
                            Some(AdminLookup::ExistingCustomer(org)) => {
                                let name = org.name.clone();
                                t!(i18n, wizard.admin_existing, name = move || name.clone()).into_any()
                            }
                            _ => ().into_any(),
                        }
                    }
                }}
            </p>
        </div>
    }
}

fn customer_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let existing = state.ctx.with_value(|c| {
        state
            .draft
            .with_untracked(|d| match d.lookup_for_current_admin(c) {
                Some(AdminLookup::ExistingCustomer(org)) => Some(org.clone()),
                _ => c.customer_org.clone(),
            })
    });
    let customer_link = state.ctx.with_value(|c| c.audience == Audience::Customer);
    match existing {
        Some(org) if !customer_link => view! {
            <p>{t!(i18n, wizard.customer_existing_intro)}</p>
            {org_details(&org)}
            <p class="hint">{t!(i18n, wizard.customer_existing_back)}</p>
        }
        .into_any(),
        _ => view! {
            <p>
                {if customer_link {
                    t!(i18n, wizard.customer_existing_intro).into_any()
                } else {
                    t!(i18n, wizard.customer_new_intro).into_any()
                }}
            </p>
            {text_field(
                state,
                "customer_name",
                t!(i18n, wizard.customer_name),
                "text",
                |d| d.customer_name.clone(),
                |d, v| d.customer_name = v,
                None,
            )}
            {text_field(
                state,
                "customer_country",
                t!(i18n, wizard.country),
                "text",
                |d| d.customer_country.clone(),
                |d, v| d.customer_country = v,
                Some(t!(i18n, wizard.country_hint).into_any()),
            )}
            {text_field(
                state,
                "customer_address",
                t!(i18n, wizard.address),
                "text",
                |d| d.customer_address.clone(),
                |d, v| d.customer_address = v,
                None,
            )}
        }
        .into_any(),
    }
}

fn review_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = state.ctx.get_value();
    let draft = state.draft.get_untracked();
    let customer_path = draft.role == Some(Role::Customer) || ctx.audience == Audience::Customer;
    let partner = ctx.partner_org.clone().unwrap_or(OrgView {
        name: draft.partner_name.trim().to_string(),
        country: draft.partner_country.trim().to_uppercase(),
        address: None,
    });
    let partner_is_new = ctx.partner_org.is_none();
    let customer = match draft.lookup_for_current_admin(&ctx) {
        Some(AdminLookup::ExistingCustomer(org)) if ctx.audience == Audience::Partner => {
            org.clone()
        }
        _ => OrgView {
            name: draft.customer_name.trim().to_string(),
            country: draft.customer_country.trim().to_uppercase(),
            address: Some(draft.customer_address.trim().to_string()),
        },
    };
    let customer_is_new = !draft.customer_org_exists(&ctx);
    let admin = draft.effective_admin_email(&ctx);
    let badge = move |new: bool| {
        if new {
            t_string!(i18n, wizard.review_new).to_string()
        } else {
            t_string!(i18n, wizard.review_existing).to_string()
        }
    };
    let services = ctx
        .services
        .iter()
        .map(|(kind, sku, quantity)| format!("{kind} ({sku}) × {quantity}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <p>{t!(i18n, wizard.review_intro)}</p>
        <dl class="details">
            <dt>{t!(i18n, wizard.review_order)}</dt>
            <dd>{format!("{} · {} · {}", ctx.order_number, ctx.offer, ctx.subscription_id)}</dd>
            <dt>{t!(i18n, wizard.services)}</dt>
            <dd>{services}</dd>
            <dt>{t!(i18n, wizard.start_date)}</dt>
            <dd>{ctx.requested_start_date.clone()}</dd>
        </dl>
        {(!customer_path).then(|| view! {
            <h3>{t!(i18n, wizard.review_partner)} " " <span class="badge">{badge(partner_is_new)}</span></h3>
            {org_details(&partner)}
        })}
        <h3>{t!(i18n, wizard.review_customer)} " " <span class="badge">{badge(customer_is_new && ctx.audience == Audience::Partner)}</span></h3>
        {org_details(&customer)}
        <dl class="details">
            <dt>{t!(i18n, wizard.review_admin)}</dt>
            <dd>{admin}</dd>
            {(draft.who == Some(WhoSetsUp::Customer)).then(|| view! {
                <dt>{t!(i18n, wizard.review_setup_by)}</dt>
                <dd>{t!(i18n, wizard.who_customer)}</dd>
            })}
        </dl>
    }
}

/// After the wizard: the delegation notice, or success and the password.
#[component]
fn Finished(state: WizardState, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    match outcome.get_untracked() {
        Some(Outcome::Delegated(email)) => view! {
            <h2 node_ref=heading tabindex="-1">{t!(i18n, wizard.delegated_title)}</h2>
            <p>{t!(i18n, wizard.delegated_text, email = email.clone())}</p>
        }
        .into_any(),
        Some(Outcome::Committed(result)) => {
            let order_id = result.order_id.clone();
            view! {
                <h2 node_ref=heading tabindex="-1">{t!(i18n, wizard.success_title)}</h2>
                {result.customer_invited.clone().map(|email| view! {
                    <p class="notice">{t!(i18n, wizard.success_customer_invited, email = email.clone())}</p>
                })}
                {if result.needs_password {
                    view! { <PasswordForm token=state.token.get_value() /> }.into_any()
                } else if result.customer_invited.is_some() {
                    ().into_any()
                } else {
                    view! {
                        <p>{t!(i18n, wizard.success_sign_in)}</p>
                        <a class="button" href=format!("/service/{order_id}")>{t!(i18n, wizard.success_continue)}</a>
                    }
                    .into_any()
                }}
            }
            .into_any()
        }
        None => ().into_any(),
    }
}

/// Step 7: the new administrator's password.
#[component]
pub fn PasswordForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let banner = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);
    let message = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| domain_error_text(i18n, &e.error))
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (p, c) = (password.get_untracked(), confirmation.get_untracked());
        // The same rules the server applies, first here for instant feedback.
        let mut found = Vec::new();
        if let Err(error) = check_password(&p) {
            found.push(FieldError {
                field: "password".into(),
                error,
            });
        } else if let Err(error) = Password::parse(&p, &c) {
            found.push(FieldError {
                field: "confirmation".into(),
                error,
            });
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match create_password(token.get_value(), p, c).await {
                Ok(next) => navigate(&next, Default::default()),
                Err(AppError::Invalid(e)) => errors.set(e),
                Err(error) => banner.set(Some(error)),
            }
            busy.set(false);
        });
    };
    view! {
        <h3>{t!(i18n, wizard.password_title)}</h3>
        <form novalidate on:submit=submit>
            <div class="field">
                <label for="password">{t!(i18n, wizard.password)}</label>
                <p class="hint">{t!(i18n, wizard.password_hint)}</p>
                <input
                    id="password"
                    type="password"
                    autocomplete="new-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                    aria-describedby="password-error"
                />
                <FieldMessage id="password-error" message=message("password") />
            </div>
            <div class="field">
                <label for="confirmation">{t!(i18n, wizard.confirm_password)}</label>
                <input
                    id="confirmation"
                    type="password"
                    autocomplete="new-password"
                    prop:value=move || confirmation.get()
                    on:input=move |ev| confirmation.set(event_target_value(&ev))
                    aria-describedby="confirmation-error"
                />
                <FieldMessage id="confirmation-error" message=message("confirmation") />
            </div>
            <ErrorBanner error=banner />
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>{t!(i18n, wizard.create_password)}</button>
            </div>
        </form>
    }
}
