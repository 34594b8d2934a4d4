//! Step 6: the review before the commit.

use super::super::fields::org_details;
use super::super::state::WizardState;
use crate::components::service_text;
use crate::i18n::*;
use crate::model::setup::{
    self as machine, AdminLookup, CustomerPlan, OrgView, PartnerPlan, SetupMode,
};
use leptos::prelude::*;

pub(crate) fn review_step(state: WizardState) -> impl IntoView {
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
