//! Step 2: who does the setup, and what proves "Your email address" is the
//! person's own (contract sections 5 and 11).

use super::super::fields::{radio, text_field};
use super::super::state::{Proving, WizardState};
use super::super::{send_new_code, verify_code};
use crate::components::FieldMessage;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::model::setup::{self as machine, WhoSetsUp};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(crate) fn who_step(state: WizardState) -> impl IntoView {
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

/// What proves "Your email address" once "Next" asked for it: the password
/// of an account that has one, or the code emailed to the address, with a
/// way to have another sent. Proving does not advance: "Next" does.
#[component]
pub(crate) fn ProofPanel(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sign_in_error = RwSignal::new(None::<AppError>);
    // Two-step sign-in is on for the address: "Code" and "Verify" next.
    let second_step = RwSignal::new(None::<String>);
    let two_step_code = RwSignal::new(String::new());
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
        let code = second_step
            .with_untracked(|s| s.as_ref() == Some(&email))
            .then(|| two_step_code.get_untracked());
        spawn_local(async move {
            use crate::account::SignInStep;
            match crate::account::sign_in(email.clone(), password.get_untracked(), code).await {
                Ok(SignInStep::Done) => {
                    password.set(String::new());
                    two_step_code.set(String::new());
                    second_step.set(None);
                    state.proven(email);
                }
                Ok(SignInStep::CodeNeeded) => second_step.set(Some(email)),
                Ok(SignInStep::TurnOnTwoStep) => crate::account::load_page("/account"),
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
                    <Show
                        when={
                            let email = email.clone();
                            move || second_step.with(|s| s.as_ref() == Some(&email))
                        }
                        fallback=move || view! {
                            <div class="field">
                                <label for="proof-password">{t!(i18n, hub.password)}</label>
                                <input id="proof-password" type="password" autocomplete="current-password"
                                    node_ref=field
                                    prop:value=move || password.get()
                                    on:input=move |ev| password.set(event_target_value(&ev))
                                    on:keydown=move |ev| on_enter(ev, &sign_in) />
                            </div>
                        }
                    >
                        <crate::account::SecondStepField id="proof-two-step" code=two_step_code focus=true
                            on_enter=Callback::new(move |()| sign_in()) />
                    </Show>
                    {move || sign_in_error.get().map(|e| {
                        view! { <p class="error" role="alert">{crate::account::sign_in_error_view(i18n, &e)}</p> }
                    })}
                    <div class="actions">
                        <button type="button" disabled=move || busy.get() on:click=move |_| sign_in()>
                            {move || match second_step.get().is_some() {
                                true => t_string!(i18n, two_step.verify),
                                false => t_string!(i18n, hub.sign_in),
                            }}
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
