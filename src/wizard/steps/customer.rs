//! Step 5: the customer organization: new, to verify, or to be approved.

use super::super::fields::{not_recognized_box, org_details, text_field};
use super::super::state::WizardState;
use crate::i18n::*;
use crate::model::setup::{AdminLookup, CustomerOrgCase, OrgView};
use leptos::prelude::*;

pub(crate) fn customer_step(state: WizardState) -> impl IntoView {
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
