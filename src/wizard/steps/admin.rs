//! Step 4: the customer administrator, and the finder of the organizations
//! the partner manages (for its members only).

use super::super::find_orgs;
use super::super::state::WizardState;
use crate::components::{FieldMessage, domain_error_text, sleep_ms};
use crate::i18n::*;
use crate::model::setup::{AdminLookup, Draft, OrgChoice};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(crate) fn admin_step(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = "admin_email-error";
    let lookup = move || state.draft.with(|d| d.lookup_for_current_admin().cloned());
    let refused = move || matches!(lookup(), Some(AdminLookup::BelongsToPartner));
    let message = Signal::derive(move || {
        state.message("admin_email").get().or_else(|| {
            refused().then(|| {
                domain_error_text(i18n, &crate::domain::DomainError::EmailBelongsToPartner)
            })
        })
    });
    let input = NodeRef::<leptos::html::Input>::new();
    let choose = move |choice: OrgChoice| {
        state.draft.update(|d| d.admin_email = choice.admin_email);
        state.clear("admin_email");
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
        spawn_local(state.look_up_admin());
    };
    view! {
        <p class="hint">{t!(i18n, wizard.admin_hint)}</p>
        <div class="field">
            <label for="admin_email">{t!(i18n, wizard.admin_email)}</label>
            <input
                id="admin_email"
                name="admin_email"
                type="email"
                autocomplete="off"
                node_ref=input
                prop:value=move || state.draft.with(|d| d.admin_email.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    state.draft.update(|d| d.admin_email = value);
                    state.clear("admin_email");
                    state.schedule_admin_check();
                }
                aria-invalid=move || if message.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id
            />
            <FieldMessage id=error_id message />
            <p class="hint" aria-live="polite">
                {move || {
                    if state.checking.get() {
                        t!(i18n, wizard.admin_checking).into_any()
                    } else {
                        match lookup() {
                            Some(AdminLookup::New) => t!(i18n, wizard.admin_new).into_any(),
                            Some(AdminLookup::Managed(org)) => {
                                let name = org.name.clone();
                                t!(i18n, wizard.admin_existing, name = move || name.clone()).into_any()
                            }
                            Some(AdminLookup::NeedsApproval) => t!(i18n, wizard.admin_approval).into_any(),
                            _ => ().into_any(),
                        }
                    }
                }}
            </p>
        </div>
        // Only a proven Administrator or Member of the partner organization
        // is shown its customers (the server refuses anyone else too).
        <Show when=move || state.draft.with(Draft::may_find_organizations)>
            <OrgFinder state on_choose=choose />
        </Show>
    }
}

/// "Find an existing organization": a combobox over the customer
/// organizations this partner manages (by name or email domain); choosing one
/// fills the administrator's address.
#[component]
pub(crate) fn OrgFinder(
    state: WizardState,
    on_choose: impl Fn(OrgChoice) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let options = RwSignal::new(Vec::<OrgChoice>::new());
    let searched = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let generation = StoredValue::new(0u64);
    let combo = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(input) = combo.get()
        {
            let _ = input.focus();
        }
    });
    let search = move |text: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        spawn_local(async move {
            sleep_ms(250).await;
            if generation.get_value() != mine {
                return;
            }
            let found = if text.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                find_orgs(state.token.get_value(), text, state.setter()).await
            };
            if generation.get_value() != mine {
                return;
            }
            match found {
                Ok(list) => {
                    searched.set(true);
                    options.set(list);
                    active.set(None);
                }
                Err(error) => state.banner.set(Some(error)),
            }
        });
    };
    let pick = move |i: usize| {
        if let Some(choice) = options.with_untracked(|o| o.get(i).cloned()) {
            open.set(false);
            options.set(Vec::new());
            query.set(String::new());
            on_choose(choice);
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                // Never submits the step from inside the combobox.
                ev.prevent_default();
                if let Some(i) = active.get_untracked() {
                    pick(i);
                }
            }
            "Escape" => {
                ev.prevent_default();
                if count > 0 {
                    options.set(Vec::new());
                    active.set(None);
                } else {
                    open.set(false);
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="finder">
            <button
                type="button"
                class="secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="org-finder"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {t!(i18n, wizard.finder_open)}
            </button>
            <Show when=move || open.get()>
                <div class="field combo" id="org-finder">
                    <label for="org-finder-input">{t!(i18n, wizard.finder_label)}</label>
                    <p class="hint" id="org-finder-hint">{t!(i18n, wizard.finder_hint)}</p>
                    <input
                        id="org-finder-input"
                        type="text"
                        role="combobox"
                        autocomplete="off"
                        aria-autocomplete="list"
                        aria-controls="org-finder-list"
                        aria-describedby="org-finder-hint"
                        aria-expanded=move || (!options.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || active.get().map(|i| format!("org-option-{i}"))
                        node_ref=combo
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            query.set(text.clone());
                            search(text);
                        }
                        on:keydown=keydown
                    />
                    <ul id="org-finder-list" role="listbox" class="options" aria-label=move || t_string!(i18n, wizard.finder_label)>
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, o)| {
                                    view! {
                                        <li
                                            id=format!("org-option-{i}")
                                            role="option"
                                            aria-selected=move || (active.get() == Some(i)).to_string()
                                            on:mousedown=move |ev| ev.prevent_default()
                                            on:click=move |_| pick(i)
                                        >
                                            <span class="option-name">{o.name}</span>
                                            " "
                                            <span class="option-detail">{o.admin_email}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p class="hint" aria-live="polite">
                        {move || {
                            (searched.get() && options.with(Vec::is_empty) && query.with(|q| q.trim().chars().count() >= 2))
                                .then_some(t!(i18n, wizard.finder_none))
                        }}
                    </p>
                </div>
            </Show>
        </div>
    }
}
