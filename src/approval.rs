//! `/approve/{token}`: the administrator of an existing customer organization
//! approves or declines a partner's order for it (contract section 9), and an
//! administrator of a partner organization lets a newcomer in or not
//! (section 11); each once.

use crate::account::{DeadLink, LinkKind};
use crate::components::{ErrorBanner, service_text};
use crate::error::AppError;
use crate::i18n::*;
pub use crate::model::approval::{ApprovalOutcome, ApprovalView};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// The request behind a link (404 unknown, 410 answered or expired).
#[server(endpoint = "approval/open")]
pub async fn open_approval(token: String) -> Result<ApprovalView, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        crate::server::services::approvals::approval_view(
            &state.store,
            &token,
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// "Approve" or "Decline", once.
#[server(endpoint = "approval/answer")]
pub async fn answer_approval(token: String, approve: bool) -> Result<ApprovalOutcome, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let outcome = crate::server::services::approvals::answer_approval(
            &state.store,
            &token,
            approve,
            state.clock.now().await,
            &state.config.public_url,
        )
        .await?;
        state.wake_workers();
        Ok(outcome)
    })
    .await
}

/// `/approve/{token}`.
#[component]
pub fn ApprovePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let request = Resource::new_blocking(token, open_approval);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(view) => view! { <Approval token=token() view /> }.into_any(),
                    Err(error) => view! { <DeadLink error kind=LinkKind::SingleUse /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Approval(token: String, view: ApprovalView) -> impl IntoView {
    let i18n = use_i18n();
    let token = StoredValue::new(token);
    let outcome = RwSignal::new(None::<ApprovalOutcome>);
    let banner = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if outcome.with(Option::is_some)
            && let Some(h) = heading.get()
        {
            let _ = h.focus();
        }
    });
    let answer = move |approve: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match answer_approval(token.get_value(), approve).await {
                Ok(done) => outcome.set(Some(done)),
                Err(error) => banner.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let view = StoredValue::new(view);
    let request = move || {
        match view.get_value() {
        ApprovalView::Order {
            partner_name,
            order_number,
            services,
        } => view! {
            <p>
                {t!(i18n, approval.intro, partner = partner_name.clone(), number = order_number.clone())}
            </p>
            <h2>{t!(i18n, wizard.services)}</h2>
            <ul>
                {services
                    .iter()
                    .map(|(kind, sku, quantity)| view! { <li>{service_text(i18n, kind, sku, *quantity)}</li> })
                    .collect_view()}
            </ul>
            <p class="hint">{t!(i18n, approval.advice)}</p>
        }
        .into_any(),
        ApprovalView::Join {
            person,
            organization,
            order_number,
        } => view! {
            <p>{t!(i18n, approval.join_intro, person = person.clone(), org = organization.clone())}</p>
            {order_number.map(|number| view! {
                <p>{t!(i18n, approval.join_order, number = number.clone())}</p>
            })}
            <p class="hint">{t!(i18n, approval.join_advice)}</p>
        }
        .into_any(),
    }
    };
    view! {
        <section class="page">
            <h1>{t!(i18n, approval.title)}</h1>
            <Show
                when=move || outcome.with(Option::is_none)
                fallback=move || match outcome.get() {
                    Some(ApprovalOutcome::Approved { service_url }) => view! {
                        <h2 node_ref=heading tabindex="-1">{t!(i18n, approval.approved_title)}</h2>
                        <p>{t!(i18n, approval.approved_text)}</p>
                        <a class="button" href=service_url>{t!(i18n, wizard.success_continue)}</a>
                    }
                    .into_any(),
                    Some(ApprovalOutcome::Joined { person }) => view! {
                        <h2 node_ref=heading tabindex="-1">{t!(i18n, approval.approved_title)}</h2>
                        <p>{t!(i18n, approval.joined_text, person = person.clone())}</p>
                    }
                    .into_any(),
                    Some(ApprovalOutcome::JoinDeclined { person }) => view! {
                        <h2 node_ref=heading tabindex="-1">{t!(i18n, approval.declined_title)}</h2>
                        <p>{t!(i18n, approval.join_declined_text, person = person.clone())}</p>
                    }
                    .into_any(),
                    _ => view! {
                        <h2 node_ref=heading tabindex="-1">{t!(i18n, approval.declined_title)}</h2>
                        <p>{t!(i18n, approval.declined_text)}</p>
                    }
                    .into_any(),
                }
            >
                {request}
                <ErrorBanner error=banner />
                <div class="actions">
                    <button type="button" disabled=move || busy.get() on:click=move |_| answer(true)>
                        {t!(i18n, approval.approve)}
                    </button>
                    <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| answer(false)>
                        {t!(i18n, approval.decline)}
                    </button>
                </div>
            </Show>
        </section>
    }
}
