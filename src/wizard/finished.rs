//! After the wizard: handed over, set up (or waiting for an approval), and
//! the way back in: the first password, or sign-in.

use super::state::WizardState;
use crate::account::{NewPasswordForm, PasswordPurpose, SignInForm};
use crate::i18n::*;
use crate::model::setup::{AfterCommit, CommitResult};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// What ended the wizard.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Delegated(String),
    Committed(CommitResult),
}

/// After the wizard: the delegation notice, or success (or the wait for an
/// approval) and the way back in: the first password, or sign-in.
#[component]
pub(crate) fn Finished(state: WizardState, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
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
