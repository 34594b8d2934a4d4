//! Step 3: the partner organization, new or existing.

use super::super::fields::{not_recognized_box, org_details, text_field};
use super::super::state::WizardState;
use crate::i18n::*;
use leptos::prelude::*;

pub(crate) fn partner_step(state: WizardState) -> impl IntoView {
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
