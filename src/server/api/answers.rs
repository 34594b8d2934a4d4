//! How the order API answers: faults, field errors, refusals, and the
//! commerce system's bearer token checked before anything else.

use crate::error::FieldError;
use crate::server::{auth, state::AppState, throttle};
use axum::{
    Json,
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;
use std::net::SocketAddr;

/// A fault: logged in full, answered without detail.
pub(crate) fn unexpected(err: anyhow::Error) -> Response {
    tracing::error!(error = format!("{err:#}"), "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"error": "unexpected server error"})),
    )
        .into_response()
}

/// 422 naming every invalid field.
pub(crate) fn unprocessable(errors: Vec<FieldError>) -> Response {
    let errors: Vec<_> = errors
        .into_iter()
        .map(|e| json!({"field": e.field, "message": e.error.to_string()}))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "errors": errors })),
    )
        .into_response()
}

/// A refusal with a message (`{"error": ...}`).
pub(crate) fn refused(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The token of an `Authorization: Bearer …` header; the scheme is matched
/// case-insensitively (RFC 9110 §11.1).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether two secrets are equal, compared as SHA-256 digests: the time
/// taken depends neither on where they first differ nor on their lengths.
pub(crate) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Whether the request carries the commerce system's token (during a
/// rotation, the previous one too).
fn carries_commerce_token(state: &AppState, headers: &HeaderMap) -> bool {
    let config = &state.config;
    let accepted = std::iter::once(&config.commerce_token).chain(&config.previous_commerce_token);
    bearer_token(headers).is_some_and(|token| {
        accepted
            .map(|t| same_secret(token.as_bytes(), t.as_bytes()))
            .fold(false, |any, same| any | same)
    })
}

/// In front of every route of the commerce system: 401 without its token,
/// and 429 (with `Retry-After`) to a client network that sent too many wrong
/// ones lately, whatever it sends now ([`throttle::bearer`]).
pub(crate) async fn commerce_only(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let address = auth::client_address_of(&state.config, request.headers(), Some(peer));
    let key = format!("bearer:{}", auth::network_of(&address));
    let now = state.clock.now().await;
    match state.store.attempt_hold(&key, now).await {
        Ok(None) => {}
        Ok(Some(wait)) => return too_many_wrong_tokens(wait),
        Err(err) => return unexpected(err),
    }
    if carries_commerce_token(&state, request.headers()) {
        return next.run(request).await;
    }
    let policy = throttle::bearer(state.config.bearer_attempts);
    match state.store.reserve_attempt(&key, now, policy).await {
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({"error": "missing or wrong bearer token"})),
        )
            .into_response(),
        Ok(Some(wait)) => too_many_wrong_tokens(wait),
        Err(err) => unexpected(err),
    }
}

/// 429 with the seconds to wait.
fn too_many_wrong_tokens(wait: chrono::Duration) -> Response {
    let seconds = wait.num_seconds().max(1);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, seconds.to_string())],
        Json(json!({
            "error": format!("too many wrong bearer tokens from this network: try again in {seconds} s")
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_of_any_length_compare_by_digest() {
        assert!(same_secret(b"the-commerce-token", b"the-commerce-token"));
        assert!(!same_secret(b"the-commerce-token", b"the-commerce-tokem"));
        assert!(!same_secret(
            b"the-commerce-token",
            b"the-commerce-token-and-more"
        ));
        assert!(!same_secret(b"", b"x"));
    }
}
