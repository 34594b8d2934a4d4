//! People and roles of a partner organization (contract section 12):
//! `/hub/people` for its administrators (roles that change at once, removal,
//! join requests, invitations, and what happened to its people), and
//! `/join/{token}`, where an invited person sets a password.

use crate::account::{DeadLink, LinkKind, NewPasswordForm, PasswordPurpose, SignInForm};
use crate::activity::{action_text, actor_text};
use crate::components::{ErrorBanner, FieldMessage, LoadRefused, app_error_view};
use crate::domain::Role;
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::*;
pub use crate::model::people::{
    InvitationRow, JoinRequestRow, JoinView, PeopleView, PersonRow, parse_invitation,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// The signed-in administrator and their organization, or why not: 401
/// without a session, 403 for anyone who does not administer one.
#[cfg(feature = "ssr")]
async fn administrator(
    state: &crate::server::state::AppState,
) -> Result<(crate::server::store::SessionUser, String), AppError> {
    let user = crate::server::auth::require_user(state).await?;
    let org = crate::server::access::people_of(&user)?.to_string();
    Ok((user, org))
}

/// The people page's data; `None` when nobody is signed in.
#[server(endpoint = "people/load")]
pub async fn load_people() -> Result<Option<PeopleView>, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        if crate::server::auth::current_user(&state).await?.is_none() {
            return Ok(None);
        }
        let (user, org) = administrator(&state).await?;
        state
            .store
            .people_view(&org, &user.email, state.clock.now().await)
            .await
            .map(Some)
            .map_err(AppError::unexpected)
    })
    .await
}

/// A new role for one person of the organization, in effect at once.
#[server(endpoint = "people/role")]
pub async fn change_role(user_id: String, role: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let (user, org) = administrator(&state).await?;
        let role = Role::parse(&role).map_err(|e| AppError::field("role", e))?;
        crate::server::services::people::change_role(
            &state.store,
            &org,
            &user_id,
            role,
            &user.email,
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// Removes one person from the organization; their sessions end at once.
#[server(endpoint = "people/remove")]
pub async fn remove_person(user_id: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let (user, org) = administrator(&state).await?;
        crate::server::services::people::remove_person(
            &state.store,
            &org,
            &user_id,
            &user.email,
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// "Require two-step sign-in", checked or not.
#[server(endpoint = "people/two-step")]
pub async fn require_two_step(required: bool) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let (user, org) = administrator(&state).await?;
        crate::server::services::two_step::set_required(
            &state.store,
            &org,
            required,
            &user.email,
            state.clock.now().await,
        )
        .await
    })
    .await
}

/// "Approve" or "Decline" of a join request.
#[server(endpoint = "people/answer")]
pub async fn answer_request(request_id: String, approve: bool) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let (user, org) = administrator(&state).await?;
        crate::server::services::people::answer_join_request(
            &state.store,
            &org,
            &request_id,
            approve,
            &user.email,
            state.clock.now().await,
        )
        .await?;
        state.wake_workers();
        Ok(())
    })
    .await
}

/// "Send invitation": a "Join" link by email.
#[server(endpoint = "people/invite")]
pub async fn invite(email: String, role: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let (user, org) = administrator(&state).await?;
        let (email, role) = parse_invitation(&email, &role).map_err(AppError::Invalid)?;
        crate::server::services::people::invite_person(
            &state.store,
            &org,
            &email,
            role,
            &user.email,
            state.clock.now().await,
            &state.config.public_url,
        )
        .await?;
        state.wake_workers();
        Ok(())
    })
    .await
}

/// The invitation behind a "Join" link (404 unknown, 410 used or expired).
#[server(endpoint = "join/open")]
pub async fn open_join(token: String) -> Result<JoinView, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        crate::server::services::people::join_view(&state.store, &token, state.clock.now().await)
            .await
    })
    .await
}

/// A role in the reader's language.
pub fn role_text(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Administrator => t_string!(i18n, people.role_admin),
        Role::Member => t_string!(i18n, people.role_member),
        Role::ReadOnly => t_string!(i18n, people.role_read_only),
        Role::Guest => t_string!(i18n, people.role_guest),
    }
    .to_string()
}

/// `/hub/people`.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new_blocking(move || version.get(), |_| load_people());
    let reload = move || version.update(|v| *v += 1);
    // The outcome of the last action, announced; kept while the data reloads.
    let notice = RwSignal::new(None::<Result<String, AppError>>);
    view! {
        <section class="page">
            <h1>{t!(i18n, people.title)}</h1>
            {move || notice.get().map(|n| match n {
                Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <p class="notice warn" role="alert">{app_error_view(i18n, &e)}</p> }.into_any(),
            })}
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(view)) => view! { <People view notice on_change=reload /> }.into_any(),
                        Ok(None) => view! {
                            <h2>{t!(i18n, hub.sign_in_title)}</h2>
                            <SignInForm on_signed_in=Callback::new(move |_| reload()) />
                        }
                        .into_any(),
                        Err(error) => view! { <LoadRefused error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/hub">{t!(i18n, people.back_to_hub)}</a></p>
        </section>
    }
}

#[component]
fn People(
    view: PeopleView,
    notice: RwSignal<Option<Result<String, AppError>>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let done = move |result: Result<(), AppError>, message: String| {
        match result {
            Ok(()) => notice.set(Some(Ok(message))),
            Err(error) => notice.set(Some(Err(error))),
        }
        on_change();
    };
    let people = view.people.clone();
    let requests = view.requests.clone();
    let invitations = view.invitations.clone();
    let activity = view.activity.clone();
    view! {
        <p>{t!(i18n, people.intro, org = view.organization.clone())}</p>
        <h2 id="people-heading">{t!(i18n, people.people_heading)}</h2>
        <table aria-labelledby="people-heading">
            <thead>
                <tr>
                    <th>{t!(i18n, people.email)}</th>
                    <th>{t!(i18n, people.role)}</th>
                    <th>{t!(i18n, hub.actions)}</th>
                </tr>
            </thead>
            <tbody>
                {people.into_iter().map(|p| view! { <PersonLine person=p done /> }).collect_view()}
            </tbody>
        </table>
        {(!requests.is_empty()).then(|| view! {
            <h2>{t!(i18n, people.requests_heading)}</h2>
            <ul class="requests">
                {requests.into_iter().map(|r| {
                    let id = StoredValue::new(r.request_id.clone());
                    let email = StoredValue::new(r.email.clone());
                    let answer = move |approve: bool| {
                        spawn_local(async move {
                            let result = answer_request(id.get_value(), approve).await;
                            let text = if approve {
                                t_string!(i18n, people.request_approved).to_string()
                            } else {
                                t_string!(i18n, people.request_declined).to_string()
                            };
                            done(result, text.replace("{email}", &email.get_value()));
                        });
                    };
                    view! {
                        <li>
                            <span>{t!(i18n, people.request_line, email = r.email.clone())}</span>
                            {r.order_number.clone().map(|n| view! {
                                " " <span class="option-detail">{t!(i18n, wizard.order_label, number = n.clone())}</span>
                            })}
                            " "
                            <button type="button" on:click=move |_| answer(true)>{t!(i18n, approval.approve)}</button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| answer(false)>{t!(i18n, approval.decline)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        <RequireTwoStep required=view.two_step_required done />
        <InviteForm done />
        {(!invitations.is_empty()).then(|| view! {
            <h3>{t!(i18n, people.invitations_heading)}</h3>
            <ul>
                {invitations.into_iter().map(|i| view! {
                    <li>{i.email} " · " {role_text(i18n, i.role)} " · " <span class="option-detail">{t!(i18n, people.until, date = i.expires_at.clone())}</span></li>
                }).collect_view()}
            </ul>
        })}
        <h2 id="people-activity-heading">{t!(i18n, people.activity_heading)}</h2>
        <table aria-labelledby="people-activity-heading">
            <thead>
                <tr>
                    <th>{t!(i18n, activity.when)}</th>
                    <th>{t!(i18n, activity.who)}</th>
                    <th>{t!(i18n, activity.what)}</th>
                </tr>
            </thead>
            <tbody>
                {activity.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.at}</td>
                        <td>{actor_text(i18n, &e.who)}</td>
                        <td>{action_text(i18n, &e.action)} " " <span class="option-detail">{e.detail}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "Require two-step sign-in": a change takes effect at once.
#[component]
fn RequireTwoStep(
    required: bool,
    done: impl Fn(Result<(), AppError>, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let change = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        busy.set(true);
        spawn_local(async move {
            let result = require_two_step(checked).await;
            busy.set(false);
            done(result, t_string!(i18n, people.saved).to_string());
        });
    };
    view! {
        <h2>{t!(i18n, two_step.title)}</h2>
        <label class="choice">
            <input type="checkbox" checked=required
                disabled=move || busy.get()
                aria-describedby="require-two-step-hint"
                on:change=change />
            {t!(i18n, two_step.require)}
        </label>
        <p class="hint" id="require-two-step-hint">{t!(i18n, two_step.require_hint)}</p>
    }
}

/// One person: their role as a combobox (a change takes effect at once) and
/// "Remove", confirmed in the page.
#[component]
fn PersonLine(
    person: PersonRow,
    done: impl Fn(Result<(), AppError>, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(person.user_id.clone());
    let email = StoredValue::new(person.email.clone());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let role_id = format!("role-{}", person.user_id);
    let change = move |code: String| {
        busy.set(true);
        spawn_local(async move {
            let result = change_role(id.get_value(), code).await;
            let text = t_string!(i18n, people.role_changed)
                .to_string()
                .replace("{email}", &email.get_value());
            busy.set(false);
            done(result, text);
        });
    };
    let remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = remove_person(id.get_value()).await;
            let text = t_string!(i18n, people.removed)
                .to_string()
                .replace("{email}", &email.get_value());
            busy.set(false);
            confirming.set(false);
            done(result, text);
        });
    };
    let current = person.role;
    let role_cell = if current == Role::Guest {
        view! { <span>{role_text(i18n, Role::Guest)}</span> }.into_any()
    } else {
        view! {
            <label class="visually-hidden" for=role_id.clone()>
                {t!(i18n, people.role_of, email = person.email.clone())}
            </label>
            <select
                id=role_id.clone()
                disabled=move || busy.get()
                on:change=move |ev| change(event_target_value(&ev))
            >
                {Role::ASSIGNABLE.into_iter().map(|r| view! {
                    <option value=r.code() selected=r == current>{role_text(i18n, r)}</option>
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <tr>
            <td>
                {person.email.clone()}
                {person.is_me.then(|| view! { " " <span class="badge">{t!(i18n, people.you)}</span> })}
            </td>
            <td>{role_cell}</td>
            <td>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" disabled=move || busy.get()
                            on:click=move |_| confirming.set(true)>
                            {t!(i18n, people.remove)}
                        </button>
                    }
                >
                    <span role="alert">{t!(i18n, people.remove_confirm, email = email.get_value())}</span>
                    " "
                    <button type="button" disabled=move || busy.get() on:click=remove>
                        {t!(i18n, people.remove_yes)}
                    </button>
                    " "
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        {t!(i18n, people.cancel)}
                    </button>
                </Show>
            </td>
        </tr>
    }
}

/// "Invite": an address and a role; sends a "Join" link.
#[component]
fn InviteForm(
    done: impl Fn(Result<(), AppError>, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Member.code().to_string());
    let form = Form::new();
    let (message, invalid) = (move |f| form.message(f), move |f| form.invalid(f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, r) = (email.get_untracked(), role.get_untracked());
        // The same rules the server applies, first here.
        if form.is_busy() || form.check(parse_invitation(&e, &r)).is_none() {
            return;
        }
        let invited = e.trim().to_lowercase();
        form.send(invite(e, r), move |()| {
            email.set(String::new());
            let text = t_string!(i18n, people.invited)
                .to_string()
                .replace("{email}", &invited);
            done(Ok(()), text);
        });
    };
    view! {
        <h2 id="invite-heading">{t!(i18n, people.invite)}</h2>
        <form novalidate aria-labelledby="invite-heading" on:submit=submit>
            <div class="field">
                <label for="invite-email">{t!(i18n, account.email_address)}</label>
                <input id="invite-email" type="email" autocomplete="off"
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                    aria-invalid=invalid("email")
                    aria-describedby="invite-email-error" />
                <FieldMessage id="invite-email-error" message=message("email") />
            </div>
            <div class="field">
                <label for="invite-role">{t!(i18n, people.role)}</label>
                <select id="invite-role"
                    on:change=move |ev| role.set(event_target_value(&ev))
                    aria-invalid=invalid("role")
                    aria-describedby="invite-role-error">
                    {Role::ASSIGNABLE.into_iter().map(|r| view! {
                        <option value=r.code() selected=r == Role::Member>{role_text(i18n, r)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id="invite-role-error" message=message("role") />
            </div>
            <ErrorBanner error=form.banner />
            <div class="actions">
                <button type="submit" disabled=move || form.busy.get()>{t!(i18n, people.send_invitation)}</button>
            </div>
        </form>
    }
}

/// `/join/{token}`: "Password", "Confirm password", "Create password".
#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new_blocking(token, open_join);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(view) => view! {
                        <section class="page">
                            <h1>{t!(i18n, people.join_title, org = view.organization.clone())}</h1>
                            <p>{t!(i18n, people.join_intro, email = view.email.clone(), role = role_text(i18n, view.role))}</p>
                            <NewPasswordForm token=token() purpose=PasswordPurpose::Join />
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <DeadLink error kind=LinkKind::SingleUse /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
