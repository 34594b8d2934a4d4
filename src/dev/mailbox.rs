//! The built-in mailbox: every email the app wrote, for people at `/mailbox`
//! and for suites at `GET /api/dev/mailbox`.

use crate::error::AppError;
use crate::i18n::*;
pub use crate::model::mailbox::{MailboxLink, MailboxMessage};
use leptos::prelude::*;

/// The newest messages (all recipients), when the development hooks are on.
#[server(endpoint = "mailbox")]
pub async fn load_mailbox() -> Result<Vec<MailboxMessage>, AppError> {
    crate::server::state::serve(|state| async move {
        if !state.config.dev_hooks {
            return Err(AppError::NotFound);
        }
        state
            .store
            .mailbox(None, 200)
            .await
            .map_err(AppError::unexpected)
    })
    .await
}

/// `/mailbox`: the messages, newest last, each with its links.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let messages = Resource::new(|| (), |_| load_mailbox());
    view! {
        <section class="page">
            <h1>{t!(i18n, mailbox.title)}</h1>
            <p>{t!(i18n, mailbox.intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Err(_) => view! { <p role="alert">{t!(i18n, mailbox.unavailable)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, mailbox.empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="mails">
                                {list
                                    .into_iter()
                                    .rev()
                                    .map(|m| view! {
                                        <li class="mail">
                                            <article aria-label=m.subject.clone()>
                                                <h2>{m.subject.clone()}</h2>
                                                <p class="meta">
                                                    {t!(i18n, mailbox.to)} " " {m.to.clone()} " · " {m.created_at.clone()}
                                                </p>
                                                {match m.html.is_some() {
                                                    // The HTML part, as a mail program shows it.
                                                    true => view! {
                                                        <iframe
                                                            class="mail-html"
                                                            title=format!("{} (HTML)", m.subject)
                                                            src=format!("/api/dev/mailbox/{}", m.id)
                                                            {..leptos::attr::custom::custom_attribute("loading", "lazy")}
                                                        ></iframe>
                                                        <details>
                                                            <summary>{t!(i18n, mailbox.plain_text)}</summary>
                                                            <pre>{m.text.clone()}</pre>
                                                        </details>
                                                    }.into_any(),
                                                    false => view! { <pre>{m.text.clone()}</pre> }.into_any(),
                                                }}
                                                <p class="mail-links">
                                                    {m.links.iter().map(|l| view! {
                                                        <a class="button" href=l.href.clone()>{l.text.clone()}</a>
                                                    }).collect_view()}
                                                    {m.html.is_some().then(|| view! {
                                                        <a href=format!("/api/dev/mailbox/{}", m.id) rel="external">
                                                            {t!(i18n, mailbox.html_version)}
                                                        </a>
                                                    })}
                                                </p>
                                            </article>
                                        </li>
                                    })
                                    .collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
