//! The setup wizard behind the "Set Up Now" link: its state machine (shared),
//! its server functions (thin: parse, call the store, map errors) and its page.

pub mod machine;
pub mod page;

use crate::error::AppError;
use leptos::prelude::*;
use machine::{AdminLookup, CommitResult, Draft, SetupContext};

/// Opens a link: what the wizard shows, or why the link cannot be used.
#[server(endpoint = "setup/open")]
pub async fn open_setup(token: String) -> Result<SetupContext, AppError> {
    let state = crate::server::state::app_state()?;
    let result = state.store.open_setup(&token, state.clock.now()).await;
    if let Err(err) = &result {
        let status = match err {
            AppError::NotFound => Some(axum::http::StatusCode::NOT_FOUND),
            AppError::Gone => Some(axum::http::StatusCode::GONE),
            _ => None,
        };
        if let (Some(status), Some(response)) =
            (status, use_context::<leptos_axum::ResponseOptions>())
        {
            response.set_status(status);
        }
    }
    result
}

/// The live check of a customer administrator address.
#[server(endpoint = "setup/admin")]
pub async fn check_admin(token: String, email: String) -> Result<AdminLookup, AppError> {
    let state = crate::server::state::app_state()?;
    let email = crate::domain::EmailAddress::parse(&email)
        .map_err(|e| AppError::field("admin_email", e))?;
    state
        .store
        .check_admin_email(&token, email.as_str(), state.clock.now())
        .await
}

/// "Someone else in my company will do the setup".
#[server(endpoint = "setup/delegate")]
pub async fn delegate_setup(token: String, email: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let email = crate::domain::EmailAddress::parse(&email)
        .map_err(|e| AppError::field("colleague_email", e))?;
    state
        .store
        .delegate_setup(&token, &email, state.clock.now(), &state.config.public_url)
        .await
}

/// The commit of step 6: everything at once, or nothing.
#[server(endpoint = "setup/commit")]
pub async fn commit_setup(token: String, draft: Draft) -> Result<CommitResult, AppError> {
    let state = crate::server::state::app_state()?;
    state
        .store
        .commit_setup(&token, &draft, state.clock.now(), &state.config.public_url)
        .await
}

/// Step 7: the first password of the person who committed; signs them in and
/// answers where to go next.
#[server(endpoint = "setup/password")]
pub async fn create_password(
    token: String,
    password: String,
    confirmation: String,
) -> Result<String, AppError> {
    use crate::domain::Password;
    let state = crate::server::state::app_state()?;
    let password = Password::parse(&password, &confirmation).map_err(|e| {
        let field = if e == crate::domain::DomainError::PasswordMismatch {
            "confirmation"
        } else {
            "password"
        };
        AppError::field(field, e)
    })?;
    let hash = crate::server::auth::hash_password(password.expose().to_string()).await?;
    let user_id = state
        .store
        .set_first_password(&token, &hash, state.clock.now())
        .await?;
    crate::server::auth::sign_in(&state, &user_id).await?;
    let order_id = state
        .store
        .order_of_spent_link(&token)
        .await
        .map_err(AppError::unexpected)?
        .ok_or(AppError::Gone)?;
    Ok(format!("/service/{order_id}"))
}
