//! The controls the steps share: a radio, a labelled text field bound to the
//! draft, "I don't recognize this organization", an organization's details.

use super::state::WizardState;
use crate::components::FieldMessage;
use crate::i18n::*;
use crate::model::setup::{Draft, OrgView};
use leptos::prelude::*;

/// A radio button with its label.
pub(crate) fn radio(
    name: &'static str,
    label: impl IntoView + 'static,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    on_pick: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="radio" name=name prop:checked=checked on:change=move |_| on_pick() />
            {label}
        </label>
    }
}

/// A checkbox "I don't recognize this organization" bound to a draft field,
/// with the advice it shows when checked.
pub(crate) fn not_recognized_box(
    state: WizardState,
    get: fn(&Draft) -> bool,
    set: fn(&mut Draft, bool),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="choice">
            <input
                type="checkbox"
                prop:checked=move || state.draft.with(get)
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    state.draft.update(|d| set(d, checked));
                }
            />
            {t!(i18n, wizard.not_recognized)}
        </label>
        <Show when=move || state.draft.with(get)>
            <p class="notice warn" role="alert">{t!(i18n, wizard.not_recognized_advice)}</p>
        </Show>
    }
}

/// A labelled text input bound to a draft field, with its error.
pub(crate) fn text_field(
    state: WizardState,
    field: &'static str,
    label: impl IntoView + 'static,
    kind: &'static str,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
    hint: Option<AnyView>,
) -> impl IntoView {
    let error_id = format!("{field}-error");
    view! {
        <div class="field">
            <label for=field>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <input
                id=field
                name=field
                type=kind
                autocomplete="off"
                prop:value=move || state.draft.with(get)
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    state.draft.update(|d| set(d, value));
                    state.clear(field);
                }
                aria-invalid=state.invalid(field)
                aria-describedby=error_id.clone()
            />
            <FieldMessage id=error_id message=state.message(field) />
        </div>
    }
}

pub(crate) fn org_details(org: &OrgView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let org = org.clone();
    view! {
        <dl class="details">
            <dt>{t!(i18n, wizard.org_name)}</dt>
            <dd>{org.name}</dd>
            <dt>{t!(i18n, wizard.country)}</dt>
            <dd>{org.country}</dd>
            {org.address.map(|a| view! {
                <dt>{t!(i18n, wizard.address)}</dt>
                <dd>{a}</dd>
            })}
        </dl>
    }
}
