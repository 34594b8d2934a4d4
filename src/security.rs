//! `/account` (contract section 13): two-step sign-in turned on (secret as
//! text and QR code, a first code, ten recovery codes shown once) and off
//! (password and a code), and "Sign out everywhere". A user whose
//! organization requires two-step sign-in is sent here before anything else.

use crate::account::{SecondStepField, SignInForm};
use crate::components::{ErrorBanner, FieldMessage, LoadRefused};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::*;
pub use crate::model::account::{AccountView, Enrolment};
use leptos::prelude::*;

/// `/account`'s data; `None` when nobody is signed in.
#[server(endpoint = "account/view")]
pub async fn load_account() -> Result<Option<AccountView>, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let Some(session) = crate::server::auth::current_session(&state).await? else {
            return Ok(None);
        };
        let record =
            crate::server::services::two_step::record(&state.store, &session.user.user_id).await?;
        Ok(Some(AccountView {
            email: session.user.email,
            two_step_on: record.secret.is_some(),
            two_step_required: record.required,
        }))
    })
    .await
}

/// "Turn on two-step sign-in": a new secret to confirm.
#[server(endpoint = "account/two-step/start")]
pub async fn start_two_step() -> Result<Enrolment, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let session = crate::server::auth::require_account(&state).await?;
        crate::server::services::two_step::start(&state.store, &session.user).await
    })
    .await
}

/// "Confirm": the first code turns two-step sign-in on and ends the user's
/// other sessions; answers the ten recovery codes, once.
#[server(endpoint = "account/two-step/confirm")]
pub async fn confirm_two_step(code: String) -> Result<Vec<String>, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let session = crate::server::auth::require_account(&state).await?;
        let this = crate::server::auth::session_token(&state);
        crate::server::services::two_step::confirm(
            &state.store,
            &session.user,
            &code,
            this.as_deref(),
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// "Turn off two-step sign-in": needs the password and a code. Wrong
/// passwords count as wrong sign-ins.
#[server(endpoint = "account/two-step/off")]
pub async fn turn_off_two_step(password: String, code: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    use crate::server::throttle;
    serve(|state| async move {
        let session = crate::server::auth::require_account(&state).await?;
        let user = session.user;
        let now = state.clock.now().await;
        let account_key = throttle::account_key(&user.email);
        if let Some(wait) = state
            .store
            .reserve_attempt(&account_key, now, throttle::ACCOUNT)
            .await?
        {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: wait.num_seconds().max(1) as u64,
            });
        }
        let hash = state
            .store
            .password_of(&user.email)
            .await?
            .and_then(|(_, hash)| hash);
        if !crate::server::auth::verify_password(&state, password, hash).await? {
            state.metrics.sign_in_failed();
            return Err(AppError::field(
                "password",
                crate::domain::DomainError::PasswordWrong,
            ));
        }
        crate::server::services::two_step::turn_off(&state.store, &user, &code, now).await?;
        state.store.clear_failures(&account_key).await?;
        Ok(())
    })
    .await
}

/// "Sign out everywhere": every session of the user ends, this one too.
#[server(endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let session = crate::server::auth::require_account(&state).await?;
        crate::server::services::two_step::sign_out_everywhere(
            &state.store,
            &session.user,
            state.clock.now().await,
        )
        .await?;
        crate::server::auth::clear_session_cookie(&state)
    })
    .await
}

/// `/account`.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new_blocking(move || version.get(), |_| load_account());
    let reload = move || version.update(|v| *v += 1);
    view! {
        <section class="page">
            <h1>{t!(i18n, two_step.account_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(view)) => view! { <Account view /> }.into_any(),
                        Ok(None) => view! {
                            <h2>{t!(i18n, hub.sign_in_title)}</h2>
                            <SignInForm on_signed_in=Callback::new(move |_| reload()) />
                        }
                        .into_any(),
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/hub">{t!(i18n, two_step.back)}</a></p>
        </section>
    }
}

/// Where turning two-step sign-in on or off stands on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TwoStep {
    Off,
    /// "Turn on" was pressed: the secret to confirm.
    Confirming(Enrolment),
    /// Just turned on: the recovery codes, shown this once.
    RecoveryCodes(Vec<String>),
    On,
}

#[component]
fn Account(view: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(match view.two_step_on {
        true => TwoStep::On,
        false => TwoStep::Off,
    });
    let required = view.two_step_required && !view.two_step_on;
    view! {
        <p>{t!(i18n, hub.signed_in_as)} " " <strong>{view.email}</strong></p>
        <section aria-labelledby="two-step-title">
            <h2 id="two-step-title">{t!(i18n, two_step.title)}</h2>
            {required.then(|| view! { <p class="notice warn" role="status">{t!(i18n, two_step.required_text)}</p> })}
            {move || match stage.get() {
                TwoStep::Off => view! { <TurnOn stage /> }.into_any(),
                TwoStep::Confirming(enrolment) => view! { <Confirm enrolment stage /> }.into_any(),
                TwoStep::RecoveryCodes(codes) => view! {
                    <p role="status">{t!(i18n, two_step.on_text)}</p>
                    <h3>{t!(i18n, two_step.recovery_title)}</h3>
                    <p>{t!(i18n, two_step.recovery_text)}</p>
                    <ul class="recovery-codes" aria-label=move || t_string!(i18n, two_step.recovery_title)>
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                }
                .into_any(),
                TwoStep::On => view! { <TurnOff stage /> }.into_any(),
            }}
        </section>
        <section aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t!(i18n, two_step.sessions_title)}</h2>
            <SignOutEverywhere />
        </section>
    }
}

#[component]
fn TurnOn(stage: RwSignal<TwoStep>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let start = move |_| {
        if form.is_busy() {
            return;
        }
        form.send(start_two_step(), move |enrolment| {
            stage.set(TwoStep::Confirming(enrolment))
        });
    };
    view! {
        <p>{t!(i18n, two_step.off_text)}</p>
        <ErrorBanner error=form.banner />
        <div class="actions">
            <button type="button" disabled=move || form.busy.get() on:click=start>
                {t!(i18n, two_step.turn_on)}
            </button>
        </div>
    }
}

#[component]
fn Confirm(enrolment: Enrolment, stage: RwSignal<TwoStep>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let code = RwSignal::new(String::new());
    let send = move || {
        if form.is_busy() {
            return;
        }
        form.send(confirm_two_step(code.get_untracked()), move |codes| {
            stage.set(TwoStep::RecoveryCodes(codes))
        });
    };
    view! {
        <p>{t!(i18n, two_step.scan)}</p>
        <img class="qr-code" src=enrolment.qr_code width="200" height="200"
            alt=move || t_string!(i18n, two_step.qr_alt) />
        <div class="field">
            <label for="two-step-secret">{t!(i18n, two_step.secret_key)}</label>
            <input id="two-step-secret" type="text" readonly spellcheck="false" class="secret"
                value=enrolment.secret />
        </div>
        <form novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(); }>
            <div class="field">
                <label for="two-step-confirm">{t!(i18n, two_step.code)}</label>
                <input id="two-step-confirm" type="text" inputmode="numeric" autocomplete="one-time-code"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                    aria-invalid=form.invalid("code")
                    aria-describedby="two-step-confirm-error" />
                <FieldMessage id="two-step-confirm-error" message=form.message("code") />
            </div>
            <ErrorBanner error=form.banner />
            <div class="actions">
                <button type="submit" disabled=move || form.busy.get()>{t!(i18n, two_step.confirm)}</button>
            </div>
        </form>
    }
}

#[component]
fn TurnOff(stage: RwSignal<TwoStep>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let send = move || {
        if form.is_busy() {
            return;
        }
        let call = turn_off_two_step(password.get_untracked(), code.get_untracked());
        form.send(call, move |()| stage.set(TwoStep::Off));
    };
    view! {
        <p role="status">{t!(i18n, two_step.on_text)}</p>
        <p>{t!(i18n, two_step.turn_off_text)}</p>
        <form novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(); }>
            <div class="field">
                <label for="off-password">{t!(i18n, hub.password)}</label>
                <input id="off-password" type="password" autocomplete="current-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                    aria-invalid=form.invalid("password")
                    aria-describedby="off-password-error" />
                <FieldMessage id="off-password-error" message=form.message("password") />
            </div>
            <SecondStepField id="off-code" code on_enter=Callback::new(move |()| send()) />
            <FieldMessage id="off-code-error" message=form.message("code") />
            <ErrorBanner error=form.banner />
            <div class="actions">
                <button type="submit" disabled=move || form.busy.get()>{t!(i18n, two_step.turn_off)}</button>
            </div>
        </form>
    }
}

#[component]
fn SignOutEverywhere() -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let press = move |_| {
        if form.is_busy() {
            return;
        }
        form.send(sign_out_everywhere(), |()| {
            crate::account::load_page("/hub")
        });
    };
    view! {
        <p>{t!(i18n, two_step.sign_out_everywhere_text)}</p>
        <ErrorBanner error=form.banner />
        <div class="actions">
            <button type="button" disabled=move || form.busy.get() on:click=press>
                {t!(i18n, two_step.sign_out_everywhere)}
            </button>
        </div>
    }
}
