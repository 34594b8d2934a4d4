//! The page at `/setup/{token}`.

use super::machine::{
    self, AdminLookup, AfterCommit, Audience, CommitResult, CustomerOrgCase, CustomerPlan, Draft,
    OrgChoice, OrgView, PartnerPlan, Proof, Role, SetterAnswer, SetupContext, SetupMode, Step,
    WhoSetsUp,
};
use super::{
    check_admin, check_setter, commit_setup, delegate_setup, find_orgs, open_setup, send_new_code,
    start_setup, verify_code,
};
use crate::account::{DeadLink, LinkKind, NewPasswordForm, PasswordPurpose, SignInForm};
use crate::components::{
    ErrorBanner, FieldMessage, StepIndicator, app_error_text, domain_error_text, focus_on_change,
    service_text, sleep_ms,
};
use crate::domain::EmailAddress;
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
                    Err(error) => view! { <DeadLink error kind=LinkKind::Setup /> }.into_any(),
                }
            })}
        </Suspense>
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

/// What step 2 asks for to prove "Your email address" (contract section
/// 11), for the address it asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Proving {
    /// Nothing asked.
    Nothing,
    /// A user with a password: "Password" and "Sign in".
    SignIn(String),
    /// A code was emailed: "Verification code" and "Verify".
    Code(String),
}

/// The wizard's state: the draft, the errors of the last "Next", and the
/// live checks. Nothing of it leaves the browser before the commit.
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
    proving: RwSignal<Proving>,
    /// What proving said last ("code sent", "confirmed"), announced.
    proof_notice: RwSignal<Option<String>>,
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

    /// What the browser knows about the addresses so far.
    fn facts(self) -> machine::Facts<()> {
        self.ctx.with_value(|c| self.draft.with(|d| d.facts(c)))
    }

    /// How the customer organization step goes now.
    fn customer_case(self) -> CustomerOrgCase {
        let facts = self.facts();
        self.ctx.with_value(|c| {
            self.draft
                .with(|d| machine::customer_org_case(d, c, &facts))
        })
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
                .with_untracked(|d| machine::normalized(&d.admin_email));
            if EmailAddress::parse(&email).is_err() {
                break;
            }
            self.checking.set(true);
            let answer = check_admin(self.token.get_value(), email.clone(), self.setter()).await;
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

    /// The address of whoever does the setup, as the server is asked about
    /// it (none on a delegation or the customer path).
    fn setter(self) -> String {
        self.draft.with_untracked(|d| match d.who {
            Some(WhoSetsUp::Myself | WhoSetsUp::Customer) if d.role == Some(Role::Partner) => {
                machine::normalized(&d.setter_email)
            }
            _ => String::new(),
        })
    }

    /// Asks the server whom the setter's address belongs to and what proves
    /// it (which may email a code); `None` when it did not answer (the
    /// banner says why).
    async fn look_up_setter(self) -> Option<SetterAnswer> {
        let email = self
            .draft
            .with_untracked(|d| machine::normalized(&d.setter_email));
        if EmailAddress::parse(&email).is_err() {
            return None;
        }
        match check_setter(self.token.get_value(), email.clone()).await {
            Ok(answer) => {
                self.draft.update(|d| {
                    d.setter_lookup = Some((email.clone(), answer.lookup));
                    if answer.proof == Proof::Proven {
                        d.setter_proven = Some(email.clone());
                    }
                });
                Some(answer)
            }
            Err(AppError::Invalid(errors)) => {
                self.errors.set(errors);
                None
            }
            Err(error) => {
                self.banner.set(Some(error));
                None
            }
        }
    }

    /// The address now proven to the server (signed in, or the code entered).
    fn proven(self, email: String) {
        let i18n = use_i18n();
        self.draft.update(|d| d.setter_proven = Some(email.clone()));
        self.proving.set(Proving::Nothing);
        self.clear("setter_email");
        self.proof_notice.set(Some(
            t_string!(i18n, wizard.proof_done)
                .to_string()
                .replace("{email}", &email),
        ));
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
        proving: RwSignal::new(Proving::Nothing),
        proof_notice: RwSignal::new(None),
    };
    let outcome = RwSignal::new(None::<Outcome>);
    let started = StoredValue::new(false);
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

    let advance = move || {
        let step = current.get_untracked();
        let facts = state.facts();
        let result = state.ctx.with_value(|c| {
            state
                .draft
                .with_untracked(|d| machine::next(step, d, c, &facts))
        });
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
    };

    // A refusal at the commit sends the person back to the step of the field
    // it names, with everything typed kept.
    let back_to_field = move |errors: &[FieldError]| {
        let Some(first) = errors.first() else {
            return;
        };
        let step = machine::step_of_field(&first.field);
        if let Some(i) = steps.with_untracked(|s| s.iter().position(|s| *s == step))
            && i < index.get_untracked()
        {
            go_to.run(i);
        }
    };

    let on_next = move || {
        if state.busy.get_untracked() {
            return;
        }
        state.banner.set(None);
        let step = current.get_untracked();
        let draft = state.draft.get_untracked();
        if step == Step::Role && !started.get_value() {
            // The setup has started (for the escalation); not waited for.
            started.set_value(true);
            spawn_local(async move {
                let _ = start_setup(state.token.get_value()).await;
            });
        }
        match step {
            Step::WhoSetsUp if draft.who == Some(WhoSetsUp::Colleague) => {
                let facts = state.facts();
                if let Err(errors) = state
                    .ctx
                    .with_value(|c| machine::check_step(step, &draft, c, &facts))
                {
                    state.errors.set(errors);
                    return;
                }
                state.busy.set(true);
                spawn_local(async move {
                    let email = machine::normalized(&draft.colleague_email);
                    match delegate_setup(state.token.get_value(), email.clone()).await {
                        Ok(()) => outcome.set(Some(Outcome::Delegated(email))),
                        Err(AppError::Invalid(errors)) => state.errors.set(errors),
                        Err(error) => state.banner.set(Some(error)),
                    }
                    state.busy.set(false);
                });
            }
            Step::WhoSetsUp if draft.who.is_some() => {
                let facts = state.facts();
                if facts.setter_proven && draft.lookup_for_current_setter().is_some() {
                    advance();
                    return;
                }
                let email = machine::normalized(&draft.setter_email);
                state.busy.set(true);
                spawn_local(async move {
                    let asked_before = state.proving.get_untracked();
                    let answer = state.look_up_setter().await;
                    state.busy.set(false);
                    match answer.map(|a| a.proof) {
                        Some(Proof::Proven) => advance(),
                        // The link's own address proves itself: without an
                        // answer (feedback only) the person goes on, and the
                        // commit decides with what the server knows then.
                        None if facts.setter_proven
                            && state
                                .banner
                                .with_untracked(|b| matches!(b, Some(AppError::Transport(_)))) =>
                        {
                            state.banner.set(None);
                            advance();
                        }
                        // Not asked (the address does not parse): the step's
                        // own errors.
                        None if state.banner.with_untracked(Option::is_none) => advance(),
                        Some(proof) => {
                            let wanted = if proof == Proof::SignIn {
                                Proving::SignIn(email)
                            } else {
                                Proving::Code(email)
                            };
                            if asked_before == wanted {
                                // Shown already and not done: say so.
                                state.errors.set(vec![FieldError {
                                    field: "setter_email".into(),
                                    error: crate::domain::DomainError::EmailNotProven,
                                }]);
                            } else {
                                state.proof_notice.set(None);
                                state.proving.set(wanted);
                            }
                        }
                        None => {}
                    }
                });
            }
            Step::CustomerAdmin => {
                state.busy.set(true);
                spawn_local(async move {
                    let needs_answer = EmailAddress::parse(&draft.admin_email).is_ok()
                        && draft.lookup_for_current_admin().is_none();
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
                            back_to_field(&errors);
                            state.errors.set(errors);
                        }
                        Err(error) => state.banner.set(Some(error)),
                    }
                    state.busy.set(false);
                });
            }
            _ => advance(),
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
            || match current.get() {
                Step::PartnerOrg => {
                    state.draft.with(|d| d.not_recognized)
                        && state.ctx.with_value(|c| c.partner_org.is_some())
                }
                Step::CustomerOrg => {
                    state.draft.with(|d| d.customer_not_recognized)
                        && matches!(
                            state.customer_case(),
                            CustomerOrgCase::Verify | CustomerOrgCase::Confirm { editable: false }
                        )
                }
                _ => false,
            }
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

/// A checkbox "I don't recognize this organization" bound to a draft field,
/// with the advice it shows when checked.
fn not_recognized_box(
    state: WizardState,
    get: fn(&Draft) -> bool,
    set: fn(&mut Draft, bool),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="choice">
            <input
                type="checkbox"
                prop:checked=move || state.draft.with(get)
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    state.draft.update(|d| set(d, checked));
                }
            />
            {t!(i18n, wizard.not_recognized)}
        </label>
        <Show when=move || state.draft.with(get)>
            <p class="notice warn" role="alert">{t!(i18n, wizard.not_recognized_advice)}</p>
        </Show>
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
    let your_address = move || {
        view! {
            {text_field(
                state,
                "setter_email",
                t!(i18n, wizard.setter_email),
                "email",
                |d| d.setter_email.clone(),
                |d, v| d.setter_email = v,
                Some(t!(i18n, wizard.setter_hint).into_any()),
            )}
            <ProofPanel state />
        }
    };
    view! {
        <fieldset aria-describedby="who-error">
            <legend>{t!(i18n, wizard.who_question)}</legend>
            {radio("who", t!(i18n, wizard.who_myself), is(WhoSetsUp::Myself), move || pick(WhoSetsUp::Myself))}
            <Show when=is(WhoSetsUp::Myself)>{your_address()}</Show>
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
            <Show when=is(WhoSetsUp::Customer)>{your_address()}</Show>
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
            {not_recognized_box(state, |d| d.not_recognized, |d, v| d.not_recognized = v)}
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
    let lookup = move || state.draft.with(|d| d.lookup_for_current_admin().cloned());
    let refused = move || matches!(lookup(), Some(AdminLookup::BelongsToPartner));
    let message = Signal::derive(move || {
        state.message("admin_email").get().or_else(|| {
            refused().then(|| {
                domain_error_text(i18n, &crate::domain::DomainError::EmailBelongsToPartner)
            })
        })
    });
    let input = NodeRef::<leptos::html::Input>::new();
    let choose = move |choice: OrgChoice| {
        state.draft.update(|d| d.admin_email = choice.admin_email);
        state.clear("admin_email");
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
        spawn_local(state.look_up_admin());
    };
    view! {
        <p class="hint">{t!(i18n, wizard.admin_hint)}</p>
        <div class="field">
            <label for="admin_email">{t!(i18n, wizard.admin_email)}</label>
            <input
                id="admin_email"
                name="admin_email"
                type="email"
                autocomplete="off"
                node_ref=input
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
                            Some(AdminLookup::Managed(org)) => {
                                let name = org.name.clone();
                                t!(i18n, wizard.admin_existing, name = move || name.clone()).into_any()
                            }
                            Some(AdminLookup::NeedsApproval) => t!(i18n, wizard.admin_approval).into_any(),
                            _ => ().into_any(),
                        }
                    }
                }}
            </p>
        </div>
        // Only a proven Administrator or Member of the partner organization
        // is shown its customers (the server refuses anyone else too).
        <Show when=move || state.draft.with(Draft::may_find_organizations)>
            <OrgFinder state on_choose=choose />
        </Show>
    }
}

/// "Find an existing organization": a combobox over the customer
/// organizations this partner manages (by name or email domain); choosing one
/// fills the administrator's address.
#[component]
fn OrgFinder(
    state: WizardState,
    on_choose: impl Fn(OrgChoice) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let options = RwSignal::new(Vec::<OrgChoice>::new());
    let searched = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let generation = StoredValue::new(0u64);
    let combo = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(input) = combo.get()
        {
            let _ = input.focus();
        }
    });
    let search = move |text: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        spawn_local(async move {
            sleep_ms(250).await;
            if generation.get_value() != mine {
                return;
            }
            let found = if text.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                find_orgs(state.token.get_value(), text, state.setter()).await
            };
            if generation.get_value() != mine {
                return;
            }
            match found {
                Ok(list) => {
                    searched.set(true);
                    options.set(list);
                    active.set(None);
                }
                Err(error) => state.banner.set(Some(error)),
            }
        });
    };
    let pick = move |i: usize| {
        if let Some(choice) = options.with_untracked(|o| o.get(i).cloned()) {
            open.set(false);
            options.set(Vec::new());
            query.set(String::new());
            on_choose(choice);
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                // Never submits the step from inside the combobox.
                ev.prevent_default();
                if let Some(i) = active.get_untracked() {
                    pick(i);
                }
            }
            "Escape" => {
                ev.prevent_default();
                if count > 0 {
                    options.set(Vec::new());
                    active.set(None);
                } else {
                    open.set(false);
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="finder">
            <button
                type="button"
                class="secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="org-finder"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {t!(i18n, wizard.finder_open)}
            </button>
            <Show when=move || open.get()>
                <div class="field combo" id="org-finder">
                    <label for="org-finder-input">{t!(i18n, wizard.finder_label)}</label>
                    <p class="hint" id="org-finder-hint">{t!(i18n, wizard.finder_hint)}</p>
                    <input
                        id="org-finder-input"
                        type="text"
                        role="combobox"
                        autocomplete="off"
                        aria-autocomplete="list"
                        aria-controls="org-finder-list"
                        aria-describedby="org-finder-hint"
                        aria-expanded=move || (!options.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || active.get().map(|i| format!("org-option-{i}"))
                        node_ref=combo
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            query.set(text.clone());
                            search(text);
                        }
                        on:keydown=keydown
                    />
                    <ul id="org-finder-list" role="listbox" class="options" aria-label=move || t_string!(i18n, wizard.finder_label)>
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, o)| {
                                    view! {
                                        <li
                                            id=format!("org-option-{i}")
                                            role="option"
                                            aria-selected=move || (active.get() == Some(i)).to_string()
                                            on:mousedown=move |ev| ev.prevent_default()
                                            on:click=move |_| pick(i)
                                        >
                                            <span class="option-name">{o.name}</span>
                                            " "
                                            <span class="option-detail">{o.admin_email}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p class="hint" aria-live="polite">
                        {move || {
                            (searched.get() && options.with(Vec::is_empty) && query.with(|q| q.trim().chars().count() >= 2))
                                .then_some(t!(i18n, wizard.finder_none))
                        }}
                    </p>
                </div>
            </Show>
        </div>
    }
}

fn customer_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let case = state.customer_case();
    let shown = state.ctx.with_value(|c| {
        state
            .draft
            .with_untracked(|d| match d.lookup_for_current_admin() {
                Some(AdminLookup::Managed(org)) if !d.customer_path(c) => Some(org.clone()),
                _ => c.customer_org.clone(),
            })
    });
    let fields = move || {
        view! {
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
    };
    let verify = move |org: Option<OrgView>, back_hint: bool| {
        view! {
            <p>{t!(i18n, wizard.customer_existing_intro)}</p>
            {org.as_ref().map(org_details)}
            {back_hint.then(|| view! { <p class="hint">{t!(i18n, wizard.customer_existing_back)}</p> })}
            {not_recognized_box(state, |d| d.customer_not_recognized, |d, v| d.customer_not_recognized = v)}
        }
    };
    match case {
        CustomerOrgCase::New => view! {
            <p>{t!(i18n, wizard.customer_new_intro)}</p>
            {fields()}
        }
        .into_any(),
        CustomerOrgCase::Confirm { editable: true } => view! {
            <p>{t!(i18n, wizard.customer_confirm_intro)}</p>
            {fields()}
        }
        .into_any(),
        CustomerOrgCase::Verify => {
            let partner_path = state
                .ctx
                .with_value(|c| state.draft.with_untracked(|d| !d.customer_path(c)));
            verify(shown, partner_path).into_any()
        }
        CustomerOrgCase::Confirm { editable: false } => verify(shown, false).into_any(),
        CustomerOrgCase::Approval => view! {
            <p class="notice">{t!(i18n, wizard.customer_approval_intro)}</p>
            <p class="hint">{t!(i18n, wizard.customer_existing_back)}</p>
        }
        .into_any(),
    }
}

fn review_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = state.ctx.get_value();
    let draft = state.draft.get_untracked();
    let facts = draft.facts(&ctx);
    let plan = machine::plan(&draft, &ctx, &facts).ok();
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
        .map(|(kind, sku, quantity)| service_text(i18n, kind, sku, *quantity))
        .collect::<Vec<_>>()
        .join(", ");
    let partner = plan.as_ref().and_then(|p| match &p.partner {
        PartnerPlan::Create { name, country } => Some((
            OrgView {
                name: name.as_str().to_string(),
                country: country.as_str().to_string(),
                address: None,
            },
            true,
        )),
        PartnerPlan::Existing(()) => ctx.partner_org.clone().map(|o| (o, false)),
        PartnerPlan::Absent => None,
    });
    let customer = plan.as_ref().map(|p| match &p.customer {
        CustomerPlan::Create {
            name,
            country,
            address,
            ..
        } => Some((
            OrgView {
                name: name.as_str().to_string(),
                country: country.as_str().to_string(),
                address: Some(address.as_str().to_string()),
            },
            true,
        )),
        CustomerPlan::Attach { .. } => match draft.lookup_for_current_admin() {
            Some(AdminLookup::Managed(org)) if !draft.customer_path(&ctx) => {
                Some((org.clone(), false))
            }
            _ => ctx.customer_org.clone().map(|o| (o, false)),
        },
        CustomerPlan::Confirm {
            details: Some((name, country, address)),
            ..
        } => Some((
            OrgView {
                name: name.as_str().to_string(),
                country: country.as_str().to_string(),
                address: Some(address.as_str().to_string()),
            },
            false,
        )),
        CustomerPlan::Confirm { details: None, .. } => ctx.customer_org.clone().map(|o| (o, false)),
        CustomerPlan::Approval { .. } => None,
    });
    let approval = plan
        .as_ref()
        .is_some_and(|p| matches!(p.customer, CustomerPlan::Approval { .. }));
    let customer_setup = plan
        .as_ref()
        .is_some_and(|p| p.mode == SetupMode::Customer && p.partner != PartnerPlan::Absent);
    let setter = plan.as_ref().map(|p| p.setter.as_str().to_string());
    // A newcomer to an organization with people waits for its approval.
    let joins = plan.as_ref().is_some_and(|p| p.request_join);
    let admin = draft.effective_admin_email(&ctx);
    view! {
        <p>{t!(i18n, wizard.review_intro)}</p>
        <dl class="details">
            <dt>{t!(i18n, wizard.review_order)}</dt>
            <dd>{format!("{} · {} · {}", ctx.order_number, ctx.offer, ctx.subscription_id)}</dd>
            <dt>{t!(i18n, wizard.services)}</dt>
            <dd>{services}</dd>
            <dt>{t!(i18n, wizard.start_date)}</dt>
            <dd>{ctx.requested_start_date.clone()}</dd>
            {setter.map(|s| view! {
                <dt>{t!(i18n, wizard.review_setter)}</dt>
                <dd>{s}</dd>
            })}
        </dl>
        {partner.map(|(org, new)| view! {
            <h3>{t!(i18n, wizard.review_partner)} " " <span class="badge">{badge(new)}</span></h3>
            {org_details(&org)}
        })}
        <h3>{t!(i18n, wizard.review_customer)}</h3>
        {match customer.flatten() {
            Some((org, new)) => view! {
                <p><span class="badge">{badge(new)}</span></p>
                {org_details(&org)}
            }
            .into_any(),
            None if approval => view! { <p class="notice">{t!(i18n, wizard.review_approval)}</p> }.into_any(),
            None => ().into_any(),
        }}
        <dl class="details">
            <dt>{t!(i18n, wizard.review_admin)}</dt>
            <dd>{admin}</dd>
            {customer_setup.then(|| view! {
                <dt>{t!(i18n, wizard.review_setup_by)}</dt>
                <dd>{t!(i18n, wizard.who_customer)}</dd>
            })}
        </dl>
        {joins.then(|| view! { <p class="notice">{t!(i18n, wizard.review_join)}</p> })}
    }
}

/// After the wizard: the delegation notice, or success (or the wait for an
/// approval) and the way back in: the first password, or sign-in.
#[component]
fn Finished(state: WizardState, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
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
            let continue_to = result.continue_to.clone();
            let to_service = continue_to.starts_with("/service/");
            let email = result.setter_email.clone();
            let next = match result.next {
                AfterCommit::CreatePassword => view! {
                    <h3>{t!(i18n, wizard.password_title)}</h3>
                    <p>{t!(i18n, wizard.password_intro, email = email.clone())}</p>
                    <NewPasswordForm token=state.token.get_value() purpose=PasswordPurpose::First />
                }
                .into_any(),
                AfterCommit::SignIn => {
                    let target = continue_to.clone();
                    let navigate = navigate.clone();
                    let on_signed_in =
                        Callback::new(move |_| navigate(&target, Default::default()));
                    view! {
                        <h3>{t!(i18n, hub.sign_in_title)}</h3>
                        <p>{t!(i18n, wizard.sign_in_intro)}</p>
                        <SignInForm email=email.clone() on_signed_in />
                    }
                    .into_any()
                }
                AfterCommit::Elsewhere => view! {
                    <p>{t!(i18n, wizard.done_elsewhere)}</p>
                }
                .into_any(),
                AfterCommit::Continue => view! {
                    <a class="button" href=continue_to.clone()>
                        {if to_service {
                            t!(i18n, wizard.success_continue).into_any()
                        } else {
                            t!(i18n, wizard.go_to_hub).into_any()
                        }}
                    </a>
                }
                .into_any(),
            };
            view! {
                {if result.awaiting_approval {
                    view! {
                        <h2 node_ref=heading tabindex="-1">{t!(i18n, wizard.approval_title)}</h2>
                        <p class="notice">{t!(i18n, wizard.approval_text)}</p>
                    }
                    .into_any()
                } else {
                    view! { <h2 node_ref=heading tabindex="-1">{t!(i18n, wizard.success_title)}</h2> }.into_any()
                }}
                {result.customer_invited.clone().map(|email| view! {
                    <p class="notice">{t!(i18n, wizard.success_customer_invited, email = email.clone())}</p>
                })}
                {(to_service && result.next != AfterCommit::Continue).then(|| view! { <p>{t!(i18n, wizard.success_next)}</p> })}
                {next}
            }
            .into_any()
        }
        None => ().into_any(),
    }
}

/// What proves "Your email address" once "Next" asked for it: the password
/// of an account that has one, or the code emailed to the address, with a
/// way to have another sent. Proving does not advance: "Next" does.
#[component]
fn ProofPanel(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sign_in_error = RwSignal::new(None::<AppError>);
    let field = NodeRef::<leptos::html::Input>::new();
    // The field appears after "Next": focus goes to it.
    Effect::new(move |_| {
        if state.proving.with(|p| *p != Proving::Nothing)
            && let Some(input) = field.get()
        {
            let _ = input.focus();
        }
    });
    let current = move || {
        let email = state.draft.with(|d| machine::normalized(&d.setter_email));
        state.proving.with(|p| match p {
            Proving::SignIn(e) | Proving::Code(e) if *e == email => p.clone(),
            _ => Proving::Nothing,
        })
    };
    let sign_in = move || {
        let Proving::SignIn(email) = state.proving.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        sign_in_error.set(None);
        spawn_local(async move {
            match crate::account::sign_in(email.clone(), password.get_untracked()).await {
                Ok(()) => {
                    password.set(String::new());
                    state.proven(email);
                }
                Err(error) => sign_in_error.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let verify = move || {
        let Proving::Code(email) = state.proving.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let typed = code.get_untracked();
        // The same rule the server applies, first here.
        if let Err(error) = crate::domain::VerificationCode::parse(&typed) {
            state.errors.set(vec![FieldError {
                field: "code".into(),
                error,
            }]);
            return;
        }
        busy.set(true);
        state.clear("code");
        spawn_local(async move {
            match verify_code(state.token.get_value(), email.clone(), typed).await {
                Ok(()) => {
                    code.set(String::new());
                    state.proven(email);
                }
                Err(AppError::Invalid(errors)) => state.errors.set(errors),
                Err(error) => state.banner.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let resend = move |_| {
        let Proving::Code(email) = state.proving.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match send_new_code(state.token.get_value(), email.clone()).await {
                Ok(()) => {
                    state.clear("code");
                    state.proof_notice.set(Some(
                        t_string!(i18n, wizard.code_sent)
                            .to_string()
                            .replace("{email}", &email),
                    ))
                }
                Err(error) => state.banner.set(Some(error)),
            }
            busy.set(false);
        });
    };
    // Enter in the field acts on it, not on the step's "Next".
    let on_enter = move |ev: leptos::ev::KeyboardEvent, act: &dyn Fn()| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            act();
        }
    };
    view! {
        <div aria-live="polite">
            {move || state.proof_notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
        </div>
        {move || match current() {
            Proving::Nothing => ().into_any(),
            Proving::SignIn(email) => view! {
                <div class="proof">
                    <p>{t!(i18n, wizard.proof_sign_in, email = email.clone())}</p>
                    <div class="field">
                        <label for="proof-password">{t!(i18n, hub.password)}</label>
                        <input id="proof-password" type="password" autocomplete="current-password"
                            node_ref=field
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                            on:keydown=move |ev| on_enter(ev, &sign_in) />
                    </div>
                    {move || sign_in_error.get().map(|e| {
                        let text = if e == AppError::Unauthorized {
                            t_string!(i18n, hub.wrong).to_string()
                        } else {
                            app_error_text(i18n, &e)
                        };
                        view! { <p class="error" role="alert">{text}</p> }
                    })}
                    <div class="actions">
                        <button type="button" disabled=move || busy.get() on:click=move |_| sign_in()>
                            {t!(i18n, hub.sign_in)}
                        </button>
                        <span class="spacer"></span>
                        <a href="/hub/forgot">{t!(i18n, account.forgot_link)}</a>
                    </div>
                </div>
            }
            .into_any(),
            Proving::Code(email) => view! {
                <div class="proof">
                    <p>{t!(i18n, wizard.proof_code, email = email.clone())}</p>
                    <div class="field">
                        <label for="proof-code">{t!(i18n, wizard.code)}</label>
                        <input id="proof-code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            node_ref=field
                            prop:value=move || code.get()
                            on:input=move |ev| {
                                code.set(event_target_value(&ev));
                                state.clear("code");
                            }
                            on:keydown=move |ev| on_enter(ev, &verify)
                            aria-invalid=state.invalid("code")
                            aria-describedby="code-error" />
                        <FieldMessage id="code-error" message=state.message("code") />
                    </div>
                    <div class="actions">
                        <button type="button" disabled=move || busy.get() on:click=move |_| verify()>
                            {t!(i18n, wizard.verify)}
                        </button>
                        <button type="button" class="secondary" disabled=move || busy.get() on:click=resend>
                            {t!(i18n, wizard.send_new_code)}
                        </button>
                    </div>
                </div>
            }
            .into_any(),
        }}
    }
}
