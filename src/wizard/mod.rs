//! The setup wizard behind the "Set Up Now" link: its pure rules
//! ([`machine`]), its server functions (thin: parse, call the store, map
//! errors to statuses) and its page.

mod change;
mod fields;
mod finished;
mod later;
pub mod page;
mod state;
mod steps;

use crate::error::AppError;
use crate::model::setup::{
    AdminLookup, CommitResult, Draft, OrgChoice, SetterAnswer, SetupContext,
};
use leptos::prelude::*;

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
    let link = crate::server::services::links::usable_link(&state.store, token, now).await?;
    if link.audience != crate::model::setup::Audience::Partner {
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
    use crate::server::state::serve;
    serve(|state| async move {
        crate::server::services::links::open_setup(&state.store, &token, state.clock.now().await)
            .await
    })
    .await
}

/// A change order's link, used by the signed-in user: where its service
/// setup opens (401 when nobody is signed in; 403, or a refusal, when the
/// user may not manage the subscription).
#[server(endpoint = "setup/change")]
pub async fn take_up_change(token: String) -> Result<String, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let user = crate::server::auth::require_user(&state).await?;
        let now = state.clock.now().await;
        let order_id =
            crate::server::services::links::take_up_change(&state.store, &token, &user, now)
                .await?;
        state.wake_workers();
        Ok(format!("/service/{order_id}"))
    })
    .await
}

/// "Next" on the first step: the setup has started (opening the link, as mail
/// gateways do, does not count).
#[server(endpoint = "setup/start")]
pub async fn start_setup(token: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        crate::server::services::links::start_setup(&state.store, &token, state.clock.now().await)
            .await
    })
    .await
}

/// What this request shows about who is behind it: the signed-in user, the
/// proof cookie of a code this browser entered, and its commit cookie (with
/// a fresh one, kept if this request commits).
#[cfg(feature = "ssr")]
async fn actor(
    state: &crate::server::state::AppState,
) -> Result<(crate::server::store::SetupActor, String), AppError> {
    use crate::server::auth;
    let signed_in = auth::current_user(state).await?.map(|u| u.email);
    let proof = auth::cookie_hash(auth::PROOF_COOKIE);
    let (fresh, fresh_hash) = crate::server::tokens::new_token().map_err(AppError::unexpected)?;
    Ok((
        crate::server::store::SetupActor {
            signed_in,
            proof,
            committer_presented: auth::cookie_hash(auth::COMMIT_COOKIE),
            committer_new: fresh_hash,
        },
        fresh,
    ))
}

/// Whether whoever does the setup, at `setter`, showed in this request that
/// the address is theirs, with what the server knows about it.
#[cfg(feature = "ssr")]
async fn setter_proof(
    state: &crate::server::state::AppState,
    link: &crate::server::store::OpenLink,
    setter: &crate::domain::EmailAddress,
) -> Result<(crate::server::store::SetterFacts, bool), AppError> {
    let facts =
        crate::server::services::setup::setter_facts(&state.store, &link.order_id, setter).await?;
    let (actor, _) = actor(state).await?;
    let by_code = match &actor.proof {
        Some(browser) => state
            .store
            .proven_address(&link.token_hash, browser, state.clock.now().await)
            .await
            .map_err(AppError::unexpected)?,
        None => None,
    };
    let proven = crate::model::setup::proven(
        setter.as_str(),
        facts.has_password,
        actor.signed_in.as_deref(),
        by_code.as_deref(),
        &link.email,
    );
    Ok((facts, proven))
}

/// Whether the person at `setter` may learn about the partner's customers:
/// proven in this request, and an Administrator or Member of the order's
/// partner organization (or its first user).
#[cfg(feature = "ssr")]
async fn trusted_setter(
    state: &crate::server::state::AppState,
    link: &crate::server::store::OpenLink,
    setter: &str,
) -> Result<bool, AppError> {
    let Ok(setter) = crate::domain::EmailAddress::parse(setter) else {
        return Ok(false);
    };
    let (facts, proven) = setter_proof(state, link, &setter).await?;
    Ok(crate::model::setup::trusted(
        &facts.owner,
        proven,
        facts.partner_has_members,
    ))
}

/// The live check of a customer administrator address (partner links only,
/// rate-limited per link). Only someone the partner trusts with its
/// customers (`setter`, proven) learns which of them an address belongs to;
/// anyone else learns no more than "another organization".
#[server(endpoint = "setup/admin")]
pub async fn check_admin(
    token: String,
    email: String,
    #[server(default)] setter: String,
) -> Result<AdminLookup, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let link = partner_link(&state, &token, "check", CHECKS_PER_MINUTE).await?;
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|e| AppError::field("admin_email", e))?;
        let trusted = trusted_setter(&state, &link, &setter).await?;
        crate::server::services::setup::admin_lookup(&state.store, &link.order_id, &email, trusted)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// "Next" on "Who does the setup": whom "Your email address" belongs to and
/// what proves it is the person's (contract sections 5 and 11). When a code
/// proves it, one is emailed (unless one is on its way already).
#[server(endpoint = "setup/you")]
pub async fn check_setter(token: String, email: String) -> Result<SetterAnswer, AppError> {
    use crate::model::setup::{Proof, SetterLookup};
    use crate::server::state::serve;
    serve(|state| async move {
        let link = partner_link(&state, &token, "check", CHECKS_PER_MINUTE).await?;
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|e| AppError::field("setter_email", e))?;
        let (facts, proven) = setter_proof(&state, &link, &email).await?;
        let proof = match facts.lookup {
            // Refused whatever proves it: nothing to send.
            SetterLookup::BelongsElsewhere | SetterLookup::ReadOnly => Proof::Proven,
            _ if proven => Proof::Proven,
            _ if facts.has_password => Proof::SignIn,
            _ => {
                send_code(&state, &link, &email, false).await?;
                Proof::CodeSent
            }
        };
        Ok(SetterAnswer {
            lookup: facts.lookup,
            proof,
        })
    })
    .await
}

/// Emails a code to `email` for the link, in the language of this request.
#[cfg(feature = "ssr")]
async fn send_code(
    state: &crate::server::state::AppState,
    link: &crate::server::store::OpenLink,
    email: &crate::domain::EmailAddress,
    fresh: bool,
) -> Result<(), AppError> {
    let locale = crate::server::auth::request_locale().unwrap_or_default();
    let sent = crate::server::services::proofs::send_proof_code(
        &state.store,
        &link.token_hash,
        &link.order_id,
        email,
        locale,
        fresh,
        state.clock.now().await,
    )
    .await?;
    if sent {
        state.wake_workers();
    }
    Ok(())
}

/// "Send a new code".
#[server(endpoint = "setup/code")]
pub async fn send_new_code(token: String, email: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let link = partner_link(&state, &token, "check", CHECKS_PER_MINUTE).await?;
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|e| AppError::field("setter_email", e))?;
        send_code(&state, &link, &email, true).await
    })
    .await
}

/// "Verify": the code emailed to `email`. Right, this browser has shown the
/// address is its person's (a cookie only it holds); wrong, the alert says
/// so, and five wrong tries end the code.
#[server(endpoint = "setup/verify")]
pub async fn verify_code(token: String, email: String, code: String) -> Result<(), AppError> {
    use crate::server::auth;
    use crate::server::state::serve;
    serve(|state| async move {
        let link = partner_link(&state, &token, "verify", CHECKS_PER_MINUTE).await?;
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|e| AppError::field("setter_email", e))?;
        let code = crate::domain::VerificationCode::parse(&code)
            .map_err(|e| AppError::field("code", e))?;
        let (browser, browser_hash) =
            crate::server::tokens::new_token().map_err(AppError::unexpected)?;
        crate::server::services::proofs::verify_proof_code(
            &state.store,
            &link.token_hash,
            &email,
            &code,
            &browser_hash,
            state.clock.now().await,
        )
        .await?;
        auth::set_setup_cookie(
            &state,
            auth::PROOF_COOKIE,
            &browser,
            crate::server::store::PROOF_HOURS * 3600,
        )
    })
    .await
}

/// "Find an existing organization": the customer organizations this partner
/// manages whose name or administrator address contains `query`; only for
/// an Administrator or Member of the partner organization, signed in or
/// proven as `setter` (403 for anyone else).
#[server(endpoint = "setup/orgs")]
pub async fn find_orgs(
    token: String,
    query: String,
    #[server(default)] setter: String,
) -> Result<Vec<OrgChoice>, AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let link = partner_link(&state, &token, "find", SEARCHES_PER_MINUTE).await?;
        let setter =
            crate::domain::EmailAddress::parse(&setter).map_err(|_| AppError::Forbidden)?;
        let (facts, proven) = setter_proof(&state, &link, &setter).await?;
        if !(proven && facts.lookup == crate::model::setup::SetterLookup::Member) {
            return Err(AppError::Forbidden);
        }
        let query = query.trim();
        if query.chars().count() < 2 || query.len() > 100 {
            return Ok(Vec::new());
        }
        Ok(state
            .store
            .find_managed_orgs(&link.order_id, query, 8)
            .await?)
    })
    .await
}

/// "Someone else in my company will do the setup".
#[server(endpoint = "setup/delegate")]
pub async fn delegate_setup(token: String, email: String) -> Result<(), AppError> {
    use crate::server::state::serve;
    serve(|state| async move {
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|e| AppError::field("colleague_email", e))?;
        crate::server::services::invitations::delegate_setup(
            &state.store,
            &token,
            &email,
            state.clock.now().await,
            &state.config.public_url,
        )
        .await?;
        state.wake_workers();
        Ok(())
    })
    .await
}

/// The commit of step 6: everything at once, or nothing. The browser that
/// commits gets a one-time cookie that alone lets it set the first password
/// (step 7); a replay elsewhere learns nothing personal.
#[server(endpoint = "setup/commit")]
pub async fn commit_setup(token: String, draft: Draft) -> Result<CommitResult, AppError> {
    use crate::server::auth;
    use crate::server::state::serve;
    serve(|state| async move {
        let (actor, fresh) = actor(&state).await?;
        let committed = crate::server::services::commit::commit_setup(
            &state.store,
            &token,
            &draft,
            state.clock.now().await,
            &state.config.public_url,
            &actor,
        )
        .await?;
        if committed.first {
            auth::set_setup_cookie(&state, auth::COMMIT_COOKIE, &fresh, 86_400)?;
        }
        state.wake_workers();
        // Where the person goes next is decided above storage.
        let mut result = committed.result;
        if result.next != crate::model::setup::AfterCommit::Elsewhere {
            result.continue_to = crate::server::access::continue_to(
                &state.store,
                &result.setter_email,
                &result.order_id,
            )
            .await?;
        }
        Ok(result)
    })
    .await
}
