//! Passwords (argon2id, OWASP parameters) and session cookies.

use super::state::AppState;
use super::store::SessionUser;
use crate::error::AppError;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use axum::http::{HeaderValue, header};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "setup_now_session";

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::unexpected(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await
    .map_err(AppError::unexpected)?
}

/// Checks a password against a stored hash, off the async threads. With no
/// stored hash a dummy one is checked, so that both cases take the same time.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let stored = match stored {
            Some(s) => s,
            None => {
                dummy = "$argon2id$v=19$m=19456,t=2,p=1$c2V0dXBub3dkdW1teQ$3mJ0Cw3Y2rVQv3i7r8e2Yl0p6y5JwqgS4n6oQ2mB9Xw";
                let _ = argon2().verify_password(password.as_bytes(), &PasswordHash::new(dummy).map_err(|_| ())?);
                return Ok(false);
            }
        };
        let parsed = PasswordHash::new(&stored).map_err(|_| ())?;
        Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(AppError::unexpected)?
    .map_err(|()| AppError::unexpected(anyhow::anyhow!("stored password hash unreadable")))
}

fn cookie_header(
    state: &AppState,
    value: &str,
    max_age: time_secs::Secs,
) -> Result<HeaderValue, AppError> {
    let secure = state.config.public_url.starts_with("https://");
    let cookie = cookie::Cookie::build((SESSION_COOKIE, value.to_string()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age.0))
        .build();
    HeaderValue::from_str(&cookie.to_string()).map_err(AppError::unexpected)
}

mod time_secs {
    pub struct Secs(pub i64);
}

/// Starts a session for `user_id` and sets its cookie on the response.
pub async fn sign_in(state: &AppState, user_id: &str) -> Result<(), AppError> {
    let token = state
        .store
        .create_session(user_id, state.clock.now().await)
        .await
        .map_err(AppError::unexpected)?;
    let header_value = cookie_header(
        state,
        &token,
        time_secs::Secs(super::store::SESSION_DAYS * 86_400),
    )?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, header_value);
    }
    Ok(())
}

/// The session secret in this request's cookies.
fn session_token() -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| cookie::Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// The signed-in user of this request, if any.
pub async fn current_user(state: &AppState) -> Result<Option<SessionUser>, AppError> {
    match session_token() {
        None => Ok(None),
        Some(token) => state
            .store
            .session_user(&token, state.clock.now().await)
            .await
            .map_err(AppError::unexpected),
    }
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user(state: &AppState) -> Result<SessionUser, AppError> {
    current_user(state).await?.ok_or(AppError::Unauthorized)
}

/// Ends this request's session and clears the cookie.
pub async fn sign_out(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token() {
        state
            .store
            .delete_session(&token)
            .await
            .map_err(AppError::unexpected)?;
    }
    let header_value = cookie_header(state, "", time_secs::Secs(0))?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, header_value);
    }
    Ok(())
}
