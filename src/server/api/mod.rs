//! The JSON API: the commerce system's order routes (contract sections 2 and
//! 8), the replay of events (section 10), their OpenAPI document, and the
//! development hooks.

pub mod doc;
mod orders;

use super::dev::hooks as dev;
use super::state::AppState;
use crate::error::FieldError;
use axum::{
    Json, Router,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::json;

/// `/api/orders…`, `/api/events/replay`, `/api/openapi.json` and, when
/// switched on, `/api/dev/*`.
pub fn router(state: &AppState) -> Router<AppState> {
    let router = Router::new()
        .route("/api/orders", post(orders::place_order))
        .route(
            "/api/orders/{order_number}",
            get(orders::get_order).patch(orders::change_contact),
        )
        .route("/api/orders/{order_number}/resend", post(orders::resend))
        .route("/api/events/replay", post(orders::replay_events))
        .route("/api/openapi.json", get(doc::openapi_json));
    if state.config.dev_hooks {
        router
            .route("/api/dev/mailbox", get(dev::dev_mailbox))
            .route("/api/dev/mailbox/{id}", get(dev::dev_mailbox_html))
            .route(
                "/api/dev/clock",
                post(dev::dev_set_clock).delete(dev::dev_reset_clock),
            )
            .route("/api/dev/scheduler/run", post(dev::dev_run_scheduler))
    } else {
        router
    }
}

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
fn unprocessable(errors: Vec<FieldError>) -> Response {
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
fn refused(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The token of an `Authorization: Bearer …` header; the scheme is matched
/// case-insensitively (RFC 9110 §11.1).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Compares in time independent of where the first difference is.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Err(401)` unless the request carries the commerce system's token.
#[allow(clippy::result_large_err)]
fn commerce_only(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let authorized = bearer_token(headers)
        .is_some_and(|token| same_secret(token.as_bytes(), state.config.commerce_token.as_bytes()));
    if authorized {
        Ok(())
    } else {
        Err((
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({"error": "missing or wrong bearer token"})),
        )
            .into_response())
    }
}
