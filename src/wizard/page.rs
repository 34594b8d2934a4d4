//! The page at `/setup/{token}`: the wizard's frame (its steps, "Next",
//! "Back", "Exit setup"); each step is a file of `steps/`.

use super::change::ChangeOrder;
use super::finished::Outcome;
use super::later::{self, Later};
use super::state::{Proving, WizardState};
use super::steps::role;
use super::{delegate_setup, open_setup, start_setup};
use crate::account::{DeadLink, LinkKind};
use crate::components::{ErrorBanner, StepIndicator, focus_on_change};
use crate::domain::EmailAddress;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::model::setup::{
    self as machine, CustomerOrgCase, Draft, Proof, SetupContext, Step, WhoSetsUp,
};
use leptos::either::EitherOf6;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map, use_query_map},
};

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
                    Ok(ctx) if ctx.change_order => {
                        view! { <ChangeOrder token=token() ctx /> }.into_any()
                    }
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
    // Step 1 is interactive: fetch what comes after it once it is used.
    Effect::new(move |_| later::prefetch_when_used());

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
                    match later::commit(state.token.get_value(), draft).await {
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
                fallback=move || later::later(state, Later::Finished(outcome))
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
                    // One branch a step: a new step is built, never rebuilt
                    // in place (a step from the later module would then
                    // arrive a tick after the heading took focus).
                    {move || match current.get() {
                        Step::Role => EitherOf6::A(role::role_step(state)),
                        step @ Step::WhoSetsUp => EitherOf6::B(later::later(state, Later::Step(step))),
                        step @ Step::PartnerOrg => EitherOf6::C(later::later(state, Later::Step(step))),
                        step @ Step::CustomerAdmin => EitherOf6::D(later::later(state, Later::Step(step))),
                        step @ Step::CustomerOrg => EitherOf6::E(later::later(state, Later::Step(step))),
                        step @ Step::Review => EitherOf6::F(later::later(state, Later::Step(step))),
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
