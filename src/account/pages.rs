//! The account pages reached by a link: "Forgot password?", a password
//! link, and what a spent or unknown link shows.

use super::{NewPasswordForm, PasswordPurpose, check_reset, forgot_password};
use crate::components::{ErrorBanner, FieldMessage, app_error_view};
use crate::error::{AppError, FieldError};
use crate::form::Form;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/hub/forgot`: asks for an address and answers the same for any.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let form = Form::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = email.get_untracked();
        let checked = crate::domain::EmailAddress::parse(&value).map_err(|e| {
            vec![FieldError {
                field: "email".into(),
                error: e,
            }]
        });
        if form.is_busy() || form.check(checked).is_none() {
            return;
        }
        form.send(forgot_password(value), move |()| sent.set(true));
    };
    view! {
        <section class="page">
            <h1>{t!(i18n, account.forgot_title)}</h1>
            <Show
                when=move || !sent.get()
                fallback=move || view! {
                    <p class="notice" role="status">{t!(i18n, account.forgot_sent)}</p>
                    <a href="/hub">{t!(i18n, account.back_to_sign_in)}</a>
                }
            >
                <p>{t!(i18n, account.forgot_intro)}</p>
                <form novalidate on:submit=submit>
                    <div class="field">
                        <label for="email">{t!(i18n, account.email_address)}</label>
                        <input id="email" type="email" autocomplete="username"
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                            aria-invalid=form.invalid("email")
                            aria-describedby="email-error" />
                        <FieldMessage id="email-error" message=form.message("email") />
                    </div>
                    <ErrorBanner error=form.banner />
                    <div class="actions">
                        <button type="submit" disabled=move || form.busy.get()>{t!(i18n, account.send_reset)}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// What a dead link was for, which says what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A "Set Up Now" link.
    Setup,
    /// A password, approval or other single-use link.
    SingleUse,
}

/// A link that cannot be used (404 unknown, 410 used or expired), with
/// nothing else on it: no order or organization data.
#[component]
pub fn DeadLink(error: AppError, kind: LinkKind) -> impl IntoView {
    let i18n = use_i18n();
    let other = !matches!(error, AppError::Gone | AppError::NotFound);
    let (title, text) = match (error == AppError::Gone, kind) {
        (true, LinkKind::Setup) => (
            t_string!(i18n, wizard.gone_title),
            t_string!(i18n, wizard.gone_text),
        ),
        (true, LinkKind::SingleUse) => (
            t_string!(i18n, account.link_gone_title),
            t_string!(i18n, account.link_gone_text),
        ),
        (false, _) => (
            t_string!(i18n, wizard.invalid_title),
            t_string!(i18n, wizard.invalid_text),
        ),
    };
    view! {
        <section class="page">
            <h1>{title}</h1>
            <p>{text}</p>
            {other.then(|| view! { <p role="alert">{move || app_error_view(i18n, &error)}</p> })}
        </section>
    }
}

/// `/reset/{token}`: "New password", "Confirm password", "Set password".
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = Resource::new_blocking(token, check_reset);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(()) => view! {
                        <section class="page">
                            <h1>{t!(i18n, account.reset_title)}</h1>
                            <p>{t!(i18n, account.reset_intro)}</p>
                            <NewPasswordForm token=token() purpose=PasswordPurpose::Reset />
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <DeadLink error kind=LinkKind::SingleUse /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
