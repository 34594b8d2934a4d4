//! Accounts: signing in, the first password after a setup, "Forgot password?"
//! and the single-use links that set a new one. The forms are shared by the
//! hub and the setup wizard; the rules by the browser and the server.

use crate::components::{ErrorBanner, FieldMessage, app_error_view};
use crate::domain::{DomainError, Password, check_password};
use crate::error::{AppError, FieldError};
use crate::form::Form;
use crate::i18n::*;
pub use crate::model::account::SignInStep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

mod pages;
pub use pages::{DeadLink, ForgotPage, LinkKind, ResetPage};

/// A new password and its confirmation, field by field: the browser checks
/// with it before sending, the server decides with it.
pub fn parse_new_password(password: &str, confirmation: &str) -> Result<Password, Vec<FieldError>> {
    let field = |field: &str, error: DomainError| {
        vec![FieldError {
            field: field.into(),
            error,
        }]
    };
    check_password(password).map_err(|e| field("password", e))?;
    Password::parse(password, confirmation).map_err(|e| field("confirmation", e))
}

/// Signs in with email and password, answered alike whether or not the
/// account exists. Attempts are counted before the password is checked
/// ([`crate::server::throttle`]), first per client network (an IPv6 /64),
/// then per account: an address that is nobody's writes nothing, and on a
/// network the account signed in from lately the right password passes the
/// account's hold, so that guesses from elsewhere cannot lock its owner out.
///
/// With two-step sign-in on, a right password answers
/// [`SignInStep::CodeNeeded`] and signs nobody in; the same call again with
/// `code` (a code, or a recovery code) does. A wrong code counts as a wrong
/// password.
#[server(endpoint = "hub/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] code: Option<String>,
) -> Result<SignInStep, AppError> {
    use crate::server::state::serve;
    use crate::server::throttle;
    serve(|state| async move {
        // Nothing is counted, or written, for what is not an address.
        let email =
            crate::domain::EmailAddress::parse(&email).map_err(|e| AppError::field("email", e))?;
        let now = state.clock.now().await;
        let network = crate::server::auth::network_of(&crate::server::auth::client_address(&state));
        let store = &state.store;
        let wait = |wait: chrono::Duration| AppError::TooManyAttempts {
            retry_after_secs: wait.num_seconds().max(1) as u64,
        };
        // Counted before the (slow) check, so parallel guesses queue here.
        if let Some(w) = store
            .reserve_attempt(&format!("network:{network}"), now, throttle::NETWORK)
            .await
            .map_err(AppError::unexpected)?
        {
            return Err(wait(w));
        }
        let found = store
            .password_of(email.as_str())
            .await
            .map_err(AppError::unexpected)?;
        let account_key = throttle::account_key(email.as_str());
        let held = match found {
            Some(_) => store
                .reserve_attempt(&account_key, now, throttle::ACCOUNT)
                .await
                .map_err(AppError::unexpected)?,
            None => None,
        };
        // A held account is checked only for a network it signed in from
        // lately: there, the right password passes the hold.
        if let Some(w) = held
            && !store
                .known_network(&account_key, &network, now)
                .await
                .map_err(AppError::unexpected)?
        {
            return Err(wait(w));
        }
        let (user_id, hash) = match found {
            Some((id, hash)) => (Some(id), hash),
            None => (None, None),
        };
        let valid = crate::server::auth::verify_password(&state, password, hash).await?;
        let refused = |held: Option<chrono::Duration>, error: AppError| {
            // Counted for the operator (`/metrics`).
            state.metrics.sign_in_failed();
            match held {
                Some(w) => Err(wait(w)),
                None => Err(error),
            }
        };
        match (valid, user_id) {
            (true, Some(user_id)) => {
                use crate::server::services::two_step;
                let two_step = two_step::record(store, &user_id).await?;
                if two_step.secret.is_some() {
                    let code = code.as_deref().map(str::trim).unwrap_or_default();
                    if code.is_empty() {
                        // Still counted: only a whole sign-in clears the count.
                        return Ok(SignInStep::CodeNeeded);
                    }
                    if !two_step::second_step(store, &two_step, code, now).await? {
                        return refused(
                            held,
                            AppError::field("code", crate::domain::DomainError::TwoStepCodeWrong),
                        );
                    }
                }
                store
                    .clear_failures(&account_key)
                    .await
                    .map_err(AppError::unexpected)?;
                store
                    .remember_network(&account_key, &network, now)
                    .await
                    .map_err(AppError::unexpected)?;
                crate::server::auth::remember_language(&state, email.as_str()).await?;
                crate::server::auth::sign_in(&state, &user_id).await?;
                Ok(match two_step.required && two_step.secret.is_none() {
                    true => SignInStep::TurnOnTwoStep,
                    false => SignInStep::Done,
                })
            }
            _ => refused(held, AppError::Unauthorized),
        }
    })
    .await
}

/// "Forgot password?": answers the same whether or not the address is known.
#[server(endpoint = "hub/forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let email =
            crate::domain::EmailAddress::parse(&email).map_err(|e| AppError::field("email", e))?;
        let sent = crate::server::services::accounts::request_password_reset(
            &state.store,
            email.as_str(),
            state.clock.now().await,
            &state.config.public_url,
        )
        .await
        .map_err(AppError::unexpected)?;
        if sent {
            state.wake_workers();
        }
        Ok(())
    })
    .await
}

/// Whether a password link can be used (404 unknown, 410 used or expired).
#[server(endpoint = "account/reset-check")]
pub async fn check_reset(token: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        crate::server::services::accounts::password_link_state(
            &state.store,
            &token,
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// Sets a new password through a password link, signs the person in and
/// answers where to go: the hub.
#[server(endpoint = "account/reset")]
pub async fn reset_password(
    token: String,
    password: String,
    confirmation: String,
) -> Result<String, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let password = parse_new_password(&password, &confirmation).map_err(AppError::Invalid)?;
        let now = state.clock.now().await;
        // The link is checked before the (deliberately slow) hash.
        crate::server::services::accounts::password_link_state(&state.store, &token, now).await?;
        let hash =
            crate::server::auth::hash_password(&state, password.expose().to_string()).await?;
        let user_id =
            crate::server::services::accounts::reset_password(&state.store, &token, &hash, now)
                .await?;
        crate::server::auth::sign_in(&state, &user_id).await?;
        Ok("/hub".to_string())
    })
    .await
}

/// Step 7 of the setup wizard: the first password of the person who
/// committed; signs them in and answers where to go next.
#[server(endpoint = "setup/password")]
pub async fn create_password(
    token: String,
    password: String,
    confirmation: String,
) -> Result<String, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let password = parse_new_password(&password, &confirmation).map_err(AppError::Invalid)?;
        // Only the browser that committed holds the commit's cookie.
        let committer = crate::server::auth::cookie_hash(crate::server::auth::COMMIT_COOKIE)
            .ok_or(AppError::Gone)?;
        // The link is checked before the (deliberately slow) hash.
        let now = state.clock.now().await;
        let (order_id, email) = crate::server::services::accounts::first_password_target(
            &state.store,
            &token,
            &committer,
            now,
        )
        .await?;
        let hash =
            crate::server::auth::hash_password(&state, password.expose().to_string()).await?;
        let user_id = crate::server::services::accounts::set_first_password(
            &state.store,
            &token,
            &committer,
            &hash,
            now,
        )
        .await?;
        crate::server::auth::sign_in(&state, &user_id).await?;
        crate::server::auth::remember_language(&state, &email).await?;
        crate::server::access::continue_to(&state.store, &email, &order_id).await
    })
    .await
}

/// "Create password" on `/join/{token}`: the person becomes a user, is
/// signed in, and goes to the hub.
#[server(endpoint = "join/accept")]
pub async fn accept_join(
    token: String,
    password: String,
    confirmation: String,
) -> Result<String, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let password = parse_new_password(&password, &confirmation).map_err(AppError::Invalid)?;
        let now = state.clock.now().await;
        // The link is checked before the (deliberately slow) hash.
        let invited = crate::server::services::people::join_view(&state.store, &token, now).await?;
        let hash =
            crate::server::auth::hash_password(&state, password.expose().to_string()).await?;
        let user_id =
            crate::server::services::people::accept_join(&state.store, &token, &hash, now).await?;
        crate::server::auth::sign_in(&state, &user_id).await?;
        crate::server::auth::remember_language(&state, &invited.email).await?;
        Ok("/hub".to_string())
    })
    .await
}

/// Loads `path` as a whole page, not a navigation inside the app: after the
/// session changed, the server renders it for the new one (`/account` when
/// signing in answered that two-step sign-in must be turned on first, the hub
/// after "Sign out everywhere").
pub fn load_page(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The message for a failed sign-in: a wrong password (or code) in plain
/// words, anything else as it is.
pub fn sign_in_error_view(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> AnyView {
    match error {
        AppError::Unauthorized => t_string!(i18n, hub.wrong).into_any(),
        AppError::Invalid(_) if error.for_field("code").is_some() => {
            t_string!(i18n, two_step.wrong_code).into_any()
        }
        error => app_error_view(i18n, error),
    }
}

/// "Code" and "Verify": the second step of signing in with two-step
/// sign-in on (a code from the authenticator app, or a recovery code).
#[component]
pub fn SecondStepField(
    /// The input's id.
    id: &'static str,
    code: RwSignal<String>,
    /// Pressing Enter in the field.
    on_enter: Callback<()>,
    /// Whether focus goes to the field when it appears (after a password).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if focus && let Some(input) = field.get() {
            let _ = input.focus();
        }
    });
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{t!(i18n, two_step.code)}</label>
            <p class="hint" id=hint.clone()>{t!(i18n, two_step.code_hint)}</p>
            <input id=id type="text" autocomplete="one-time-code" spellcheck="false"
                node_ref=field
                aria-describedby=hint
                prop:value=move || code.get()
                on:input=move |ev| code.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        on_enter.run(());
                    }
                } />
        </div>
    }
}

/// "Email", "Password", "Sign in", and "Forgot password?"; with two-step
/// sign-in on, then "Code" and "Verify".
#[component]
pub fn SignInForm(
    /// The address to prefill.
    #[prop(optional, into)]
    email: String,
    /// Called once signed in.
    on_signed_in: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(email);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let code_needed = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let send = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let code = code_needed.get_untracked().then(|| code.get_untracked());
        spawn_local(async move {
            match sign_in(email.get_untracked(), password.get_untracked(), code).await {
                Ok(SignInStep::Done) => on_signed_in.run(()),
                Ok(SignInStep::CodeNeeded) => code_needed.set(true),
                Ok(SignInStep::TurnOnTwoStep) => load_page("/account"),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    view! {
        <form novalidate on:submit=submit>
            <Show
                when=move || code_needed.get()
                fallback=move || view! {
                    <div class="field">
                        <label for="email">{t!(i18n, hub.email)}</label>
                        <input id="email" type="email" autocomplete="username" prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="password">{t!(i18n, hub.password)}</label>
                        <input id="password" type="password" autocomplete="current-password" prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </div>
                }
            >
                <SecondStepField id="two-step-code" code focus=true on_enter=Callback::new(move |()| send()) />
            </Show>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{sign_in_error_view(i18n, &e)}</p> })}
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>
                    {move || match code_needed.get() {
                        true => t_string!(i18n, two_step.verify),
                        false => t_string!(i18n, hub.sign_in),
                    }}
                </button>
                <span class="spacer"></span>
                <a href="/hub/forgot">{t!(i18n, account.forgot_link)}</a>
            </div>
        </form>
    }
}

/// Which password a [`NewPasswordForm`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordPurpose {
    /// Step 7 of the setup wizard ("Password", "Create password").
    First,
    /// A password link ("New password", "Set password").
    Reset,
    /// A "Join" link ("Password", "Create password").
    Join,
}

/// A new password and its confirmation; on success, goes where the server
/// says.
#[component]
pub fn NewPasswordForm(token: String, purpose: PasswordPurpose) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let form = Form::new();
    let token = StoredValue::new(token);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.is_busy() {
            return;
        }
        let (p, c) = (password.get_untracked(), confirmation.get_untracked());
        // The same rules the server applies, first here for instant feedback.
        if form.check(parse_new_password(&p, &c)).is_none() {
            return;
        }
        let navigate = navigate.clone();
        let call = async move {
            match purpose {
                PasswordPurpose::First => create_password(token.get_value(), p, c).await,
                PasswordPurpose::Reset => reset_password(token.get_value(), p, c).await,
                PasswordPurpose::Join => accept_join(token.get_value(), p, c).await,
            }
        };
        form.send(call, move |next: String| {
            navigate(&next, Default::default())
        });
    };
    let (password_label, submit_label) = match purpose {
        PasswordPurpose::First | PasswordPurpose::Join => (
            t_string!(i18n, wizard.password).to_string(),
            t_string!(i18n, wizard.create_password).to_string(),
        ),
        PasswordPurpose::Reset => (
            t_string!(i18n, account.new_password).to_string(),
            t_string!(i18n, account.set_password).to_string(),
        ),
    };
    view! {
        <form novalidate on:submit=submit>
            <div class="field">
                <label for="password">{password_label}</label>
                <p class="hint" id="password-hint">{t!(i18n, wizard.password_hint)}</p>
                <input
                    id="password"
                    type="password"
                    autocomplete="new-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                    aria-invalid=form.invalid("password")
                    aria-describedby="password-hint password-error"
                />
                <FieldMessage id="password-error" message=form.message("password") />
            </div>
            <div class="field">
                <label for="confirmation">{t!(i18n, wizard.confirm_password)}</label>
                <input
                    id="confirmation"
                    type="password"
                    autocomplete="new-password"
                    prop:value=move || confirmation.get()
                    on:input=move |ev| confirmation.set(event_target_value(&ev))
                    aria-invalid=form.invalid("confirmation")
                    aria-describedby="confirmation-error"
                />
                <FieldMessage id="confirmation-error" message=form.message("confirmation") />
            </div>
            <ErrorBanner error=form.banner />
            <div class="actions">
                <button type="submit" disabled=move || form.busy.get()>{submit_label}</button>
            </div>
        </form>
    }
}
