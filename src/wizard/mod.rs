//! The setup wizard behind the "Set Up Now" link: its pure rules
//! ([`machine`]), its server functions (thin: parse, call the store, map
//! errors to statuses) and its page.

pub mod machine;
pub mod page;

use crate::error::AppError;
use leptos::prelude::*;
use machine::{AdminLookup, CommitResult, Draft, OrgChoice, SetterLookup, SetupContext};

/// Live checks of addresses a partner's link may ask per minute.
#[cfg(feature = "ssr")]
const CHECKS_PER_MINUTE: i64 = 30;
/// Finder searches a partner's link may ask per minute (one per pause in typing).
#[cfg(feature = "ssr")]
const SEARCHES_PER_MINUTE: i64 = 60;

/// A usable partner's link, counted against its per-minute allowance of
/// `kind`. A customer's link may not ask about anyone.
#[cfg(feature = "ssr")]
async fn partner_link(
    state: &crate::server::state::AppState,
    token: &str,
    kind: &str,
    per_minute: i64,
) -> Result<crate::server::store::OpenLink, AppError> {
    let now = state.clock.now().await;
    let link = state.store.usable_link(token, now).await?;
    if link.audience != machine::Audience::Partner {
        return Err(AppError::Forbidden);
    }
    let wait = state
        .store
        .hit_rate_limit(
            &format!("{kind}:{}", link.token_hash),
            now,
            chrono::Duration::minutes(1),
            per_minute,
        )
        .await
        .map_err(AppError::unexpected)?;
    match wait {
        Some(wait) => Err(AppError::RateLimited {
            retry_after_secs: wait.num_seconds().max(1) as u64,
        }),
        None => Ok(link),
    }
}

/// Opens a link: what the wizard shows, or why the link cannot be used (404
/// unknown, 410 used or expired).
#[server(endpoint = "setup/open")]
pub async fn open_setup(token: String) -> Result<SetupContext, AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            state
                .store
                .open_setup(&token, state.clock.now().await)
                .await
        }
        .await,
    )
}

/// "Next" on the first step: the setup has started (opening the link, as mail
/// gateways do, does not count).
#[server(endpoint = "setup/start")]
pub async fn start_setup(token: String) -> Result<(), AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            state
                .store
                .start_setup(&token, state.clock.now().await)
                .await
        }
        .await,
    )
}

/// The live check of a customer administrator address (partner links only,
/// rate-limited per link): nothing about organizations the partner does not
/// manage.
#[server(endpoint = "setup/admin")]
pub async fn check_admin(token: String, email: String) -> Result<AdminLookup, AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let link = partner_link(&state, &token, "check", CHECKS_PER_MINUTE).await?;
            let email = crate::domain::EmailAddress::parse(&email)
                .map_err(|e| AppError::field("admin_email", e))?;
            state.store.admin_lookup(&link.order_id, &email).await
        }
        .await,
    )
}

/// The live check of "Your email address": whether that person may join the
/// partner organization.
#[server(endpoint = "setup/you")]
pub async fn check_setter(token: String, email: String) -> Result<SetterLookup, AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let link = partner_link(&state, &token, "check", CHECKS_PER_MINUTE).await?;
            let email = crate::domain::EmailAddress::parse(&email)
                .map_err(|e| AppError::field("setter_email", e))?;
            state.store.setter_lookup(&link.order_id, &email).await
        }
        .await,
    )
}

/// "Find an existing organization": the customer organizations this partner
/// manages whose name or administrator address contains `query`.
#[server(endpoint = "setup/orgs")]
pub async fn find_orgs(token: String, query: String) -> Result<Vec<OrgChoice>, AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let link = partner_link(&state, &token, "find", SEARCHES_PER_MINUTE).await?;
            let query = query.trim();
            if query.chars().count() < 2 || query.len() > 100 {
                return Ok(Vec::new());
            }
            state
                .store
                .find_managed_orgs(&link.order_id, query, 8)
                .await
        }
        .await,
    )
}

/// "Someone else in my company will do the setup".
#[server(endpoint = "setup/delegate")]
pub async fn delegate_setup(token: String, email: String) -> Result<(), AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let email = crate::domain::EmailAddress::parse(&email)
                .map_err(|e| AppError::field("colleague_email", e))?;
            state
                .store
                .delegate_setup(
                    &token,
                    &email,
                    state.clock.now().await,
                    &state.config.public_url,
                )
                .await?;
            state.wake_workers();
            Ok(())
        }
        .await,
    )
}

/// The commit of step 6: everything at once, or nothing.
#[server(endpoint = "setup/commit")]
pub async fn commit_setup(token: String, draft: Draft) -> Result<CommitResult, AppError> {
    use crate::server::state::{app_state, respond};
    respond(
        async {
            let state = app_state()?;
            let signed_in = crate::server::auth::current_user(&state).await?;
            let result = state
                .store
                .commit_setup(
                    &token,
                    &draft,
                    state.clock.now().await,
                    &state.config.public_url,
                    signed_in.as_ref().map(|u| u.email.as_str()),
                )
                .await?;
            state.wake_workers();
            Ok(result)
        }
        .await,
    )
}
