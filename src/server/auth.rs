//! Passwords (argon2id, OWASP parameters) and session cookies.

use super::state::AppState;
use super::store::{Session, SessionUser};
use crate::error::AppError;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use axum::http::{HeaderValue, header};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "setup_now_session";
/// The session cookie's name behind an https public URL: the `__Host-`
/// prefix makes the browser refuse one set by another host (a sibling
/// subdomain) or without `Secure` and `Path=/`, so nobody can plant a
/// session of theirs in someone's browser.
pub const HOST_SESSION_COOKIE: &str = "__Host-setup_now_session";

/// The name of the session cookie here: prefixed behind https, where the
/// unprefixed name is never read.
pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.config.public_url.starts_with("https://") {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password now, on this thread (demo data, tests).
pub fn hash_password_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::unexpected(anyhow::anyhow!("hashing a password: {e}")))
}

/// Hashes a password off the async threads, in a hashing slot.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, AppError> {
    state
        .hashing
        .run(move || hash_password_now(&password))
        .await?
}

/// Checks a password against a stored hash, off the async threads, in a
/// hashing slot. With no stored hash a dummy one is checked, so that both
/// cases take the same time.
pub async fn verify_password(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    state
        .hashing
        .run(move || {
            let dummy;
            let stored = match stored {
                Some(s) => s,
                None => {
                    dummy = "$argon2id$v=19$m=19456,t=2,p=1$c2V0dXBub3dkdW1teQ$3mJ0Cw3Y2rVQv3i7r8e2Yl0p6y5JwqgS4n6oQ2mB9Xw";
                    let _ = argon2()
                        .verify_password(password.as_bytes(), &PasswordHash::new(dummy).map_err(|_| ())?);
                    return Ok(false);
                }
            };
            let parsed = PasswordHash::new(&stored).map_err(|_| ())?;
            Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await?
        .map_err(|()| AppError::unexpected(anyhow::anyhow!("stored password hash unreadable")))
}

fn cookie_header(
    state: &AppState,
    value: &str,
    max_age: time_secs::Secs,
) -> Result<HeaderValue, AppError> {
    let secure = state.config.public_url.starts_with("https://");
    let cookie = cookie::Cookie::build((session_cookie_name(state), value.to_string()))
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
    let lifetime = state.store.session_lifetimes().absolute.num_seconds();
    let header_value = cookie_header(state, &token, time_secs::Secs(lifetime))?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, header_value);
    }
    Ok(())
}

/// The value of this request's cookie `name`.
pub fn cookie_value(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    cookie(&parts.headers, name)
}

/// The value of the cookie `name` among these request headers.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| cookie::Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The cookie that lets the browser which committed a setup set the first
/// password (contract section 5, step 7).
pub const COMMIT_COOKIE: &str = "setup_now_commit";
/// The cookie of a browser that entered a verification code (section 11).
pub const PROOF_COOKIE: &str = "setup_now_proof";

/// Sets a cookie only this site's setup requests carry: HttpOnly,
/// SameSite=Strict, path `/api/setup`, for `max_age` seconds.
pub fn set_setup_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
) -> Result<(), AppError> {
    let secure = state.config.public_url.starts_with("https://");
    let cookie = cookie::Cookie::build((name.to_string(), value.to_string()))
        .path("/api/setup")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build();
    let value = HeaderValue::from_str(&cookie.to_string()).map_err(AppError::unexpected)?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, value);
    }
    Ok(())
}

/// The hash of this request's cookie `name`, as stored.
pub fn cookie_hash(name: &str) -> Option<String> {
    cookie_value(name)
        .filter(|v| !v.is_empty())
        .map(|v| super::tokens::hash_token(&v))
}

/// The language of this request: the one the browser chose in the app, else
/// the first of its `Accept-Language` the app speaks.
pub fn request_locale() -> Option<crate::i18n::Locale> {
    if let Some(chosen) = chosen_locale() {
        return Some(chosen);
    }
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    let accept = parts.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept.split(',').find_map(|tag| {
        let tag = tag
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if tag == "cs" || tag.starts_with("cs-") {
            Some(crate::i18n::Locale::cs)
        } else if tag == "en" || tag.starts_with("en-") {
            Some(crate::i18n::Locale::en)
        } else {
            None
        }
    })
}

/// The session secret in this request's cookies.
pub fn session_token(state: &AppState) -> Option<String> {
    cookie_value(session_cookie_name(state))
}

/// The interface language this browser chose (the cookie the language
/// buttons set), if it chose one.
pub fn chosen_locale() -> Option<crate::i18n::Locale> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    locale_in(&parts.headers)
}

/// The interface language named by the language cookie among these request
/// headers, if any.
pub(crate) fn locale_in(headers: &axum::http::HeaderMap) -> Option<crate::i18n::Locale> {
    use crate::model::account::{LANGUAGE_COOKIE, language_of_cookie};
    language_of_cookie(&cookie(headers, LANGUAGE_COOKIE)?)
}

/// Keeps the language this browser chose as `email`'s language for emails.
pub async fn remember_language(state: &AppState, email: &str) -> Result<(), AppError> {
    match chosen_locale() {
        Some(locale) => state
            .store
            .set_language(email, crate::server::mail::language_code(locale))
            .await
            .map_err(AppError::unexpected),
        None => Ok(()),
    }
}

/// This request's live session, if any, whatever its two-step state (the
/// `/account` page and signing out need no more).
pub async fn current_session(state: &AppState) -> Result<Option<Session>, AppError> {
    match session_token(state) {
        None => Ok(None),
        Some(token) => state
            .store
            .session(&token, state.clock.now().await)
            .await
            .map_err(AppError::unexpected),
    }
}

/// The signed-in user of this request, if any. A user whose organization
/// requires two-step sign-in, and who has not turned it on, is refused
/// everything else ([`AppError::TwoStepRequired`], contract section 13).
pub async fn current_user(state: &AppState) -> Result<Option<SessionUser>, AppError> {
    match current_session(state).await? {
        None => Ok(None),
        Some(session) if session.two_step_missing => Err(AppError::TwoStepRequired),
        Some(session) => Ok(Some(session.user)),
    }
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user(state: &AppState) -> Result<SessionUser, AppError> {
    current_user(state).await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user, or `Unauthorized`, even before they turned on the
/// two-step sign-in their organization requires: for `/account` only.
pub async fn require_account(state: &AppState) -> Result<Session, AppError> {
    current_session(state).await?.ok_or(AppError::Unauthorized)
}

/// Sets the cookie that ends this browser's session.
pub fn clear_session_cookie(state: &AppState) -> Result<(), AppError> {
    let header_value = cookie_header(state, "", time_secs::Secs(0))?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, header_value);
    }
    Ok(())
}

/// Ends this request's session and clears the cookie.
pub async fn sign_out(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token(state) {
        state
            .store
            .delete_session(&token)
            .await
            .map_err(AppError::unexpected)?;
    }
    clear_session_cookie(state)
}

/// The client's address: from the header the trusted proxy in front sets
/// (`SETUP_NOW_CLIENT_IP_HEADER`, its last entry, which the proxy wrote), or
/// the connection's peer when none is configured. Never from a header the
/// operator did not name.
pub fn client_address(state: &AppState) -> String {
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return "unknown".into();
    };
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    client_address_of(&state.config, &parts.headers, peer)
}

/// [`client_address`] from a request's headers and its peer.
pub fn client_address_of(
    config: &super::config::Config,
    headers: &axum::http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    if let Some(name) = &config.client_ip_header {
        return headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok())
            .map_or_else(|| "unknown".into(), |ip| ip.to_string());
    }
    peer.map_or_else(|| "unknown".into(), |peer| peer.ip().to_string())
}

/// The network a client address belongs to, for throttling: an IPv4
/// address itself, an IPv6 address's /64 (one customer's allocation, which
/// hands out any number of addresses).
pub fn network_of(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_network_is_its_64_and_ipv4_is_itself() {
        assert_eq!(network_of("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(
            network_of("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            network_of("2001:db8:1:2::1")
        );
        assert_ne!(network_of("2001:db8:1:3::1"), network_of("2001:db8:1:2::1"));
        assert_eq!(network_of("192.0.2.7"), "192.0.2.7");
        assert_eq!(network_of("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(network_of("unknown"), "unknown");
    }
}
