//! The JSON API: order intake for the commerce system, and the development hooks.

use super::state::AppState;
use crate::error::FieldError;
use crate::orders::OrderInput;
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::json;

/// `/api/orders` and, when switched on, `/api/dev/*`.
pub fn router(state: &AppState) -> Router<AppState> {
    let router = Router::new().route("/api/orders", post(place_order));
    if state.config.dev_hooks {
        router
            .route("/api/dev/mailbox", get(dev_mailbox))
            .route(
                "/api/dev/clock",
                post(dev_set_clock).delete(dev_reset_clock),
            )
            .route("/api/dev/scheduler/run", post(dev_run_scheduler))
    } else {
        router
    }
}

fn unexpected(err: anyhow::Error) -> Response {
    tracing::error!(error = format!("{err:#}"), "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"error": "unexpected server error"})),
    )
        .into_response()
}

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

async fn place_order(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let authorized = bearer_token(&headers)
        .is_some_and(|token| same_secret(token.as_bytes(), state.config.commerce_token.as_bytes()));
    if !authorized {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({"error": "missing or wrong bearer token"})),
        )
            .into_response();
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(err) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"errors": [{"field": "body", "message": format!("The body is not valid JSON: {err}")}]})),
            )
                .into_response();
        }
    };
    let order = match OrderInput::from_json(&value).and_then(|input| input.validate()) {
        Ok(order) => order,
        Err(errors) => return unprocessable(errors),
    };
    match state
        .store
        .place_order(&order, state.clock.now().await)
        .await
    {
        Ok(super::store::PlaceOutcome::Created(id)) => (
            StatusCode::CREATED,
            Json(json!({"order_id": id, "status": "scheduled"})),
        )
            .into_response(),
        Ok(super::store::PlaceOutcome::Replayed(id)) => {
            let status = state
                .store
                .order_summary(&id)
                .await
                .ok()
                .flatten()
                .map(|o| o.status.key())
                .unwrap_or("scheduled");
            (
                StatusCode::OK,
                Json(json!({"order_id": id, "status": status})),
            )
                .into_response()
        }
        Ok(super::store::PlaceOutcome::Conflict) => (
            StatusCode::CONFLICT,
            Json(json!({"error": "an order with this order_number and different content exists"})),
        )
            .into_response(),
        Err(err) => unexpected(err),
    }
}

#[derive(Deserialize)]
struct MailboxQuery {
    to: Option<String>,
}

async fn dev_mailbox(State(state): State<AppState>, Query(q): Query<MailboxQuery>) -> Response {
    match state.store.mailbox(q.to.as_deref(), 1000).await {
        Ok(list) => Json(list).into_response(),
        Err(err) => unexpected(err),
    }
}

#[derive(Deserialize)]
struct ClockBody {
    now: chrono::DateTime<chrono::Utc>,
}

async fn dev_set_clock(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockBody>(&body) {
        Ok(ClockBody { now }) => match state.clock.set(Some(now)).await {
            Ok(()) => Json(json!({"now": now})).into_response(),
            Err(err) => unexpected(err),
        },
        Err(err) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"errors": [{"field": "now", "message": format!("expected an RFC 3339 instant: {err}")}]})),
        )
            .into_response(),
    }
}

async fn dev_reset_clock(State(state): State<AppState>) -> Response {
    match state.clock.set(None).await {
        Ok(()) => Json(json!({"now": state.clock.now().await})).into_response(),
        Err(err) => unexpected(err),
    }
}

async fn dev_run_scheduler(State(state): State<AppState>) -> Response {
    match super::scheduler::run_pass(&state).await {
        Ok(report) => {
            Json(json!({"invitations": report.invitations, "escalations": report.escalations}))
                .into_response()
        }
        Err(err) => unexpected(err),
    }
}
