//! Step 1: "I am a partner" or "I am a customer".

use super::super::fields::radio;
use super::super::state::WizardState;
use crate::components::FieldMessage;
use crate::i18n::*;
use crate::model::setup::{Audience, Role};
use leptos::prelude::*;

pub(crate) fn role_step(state: WizardState) -> impl IntoView {
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
