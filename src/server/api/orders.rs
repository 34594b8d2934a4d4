//! The commerce system's routes: intake (section 2), reading an order,
//! changing its provisioning contact and resending its invitation (section
//! 8), replaying events (section 10). Each handler's `#[utoipa::path]` is its
//! entry in `/api/openapi.json`; the bodies it reads and writes are the
//! schema types of [`super::doc`].

use super::answers::{refused, unexpected, unprocessable};
use super::schema::{
    ContactChange, FieldErrors, OrderBody, OrderView, Placed, Problem, Replay, Replayed,
};
use crate::domain::{DomainError, EmailAddress};
use crate::error::{AppError, FieldError};
use crate::model::orders::{IntakeError, OrderInput};
use crate::server::state::AppState;
use crate::server::store::{OrderRecord, PlaceOutcome};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::Value;

/// 422 naming `body`: what was posted is not JSON.
fn not_json(reason: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(serde_json::json!({"errors": [{
            "field": "body",
            "message": format!("The body is not valid JSON: {reason}")
        }]})),
    )
        .into_response()
}

/// A JSON body, or 422 naming `body`.
#[allow(clippy::result_large_err)]
fn json_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|err| not_json(&err.to_string()))
}

/// A store refusal as the order API answers it.
fn app_error(error: AppError) -> Response {
    match error {
        AppError::NotFound => refused(StatusCode::NOT_FOUND, "no order with this number"),
        AppError::Refused(_) | AppError::Gone => refused(
            StatusCode::CONFLICT,
            "the order is already set up or closed",
        ),
        AppError::Invalid(errors) => unprocessable(errors),
        other => unexpected(anyhow::anyhow!("order API: {other}")),
    }
}

/// Places an order (idempotent by order number).
#[utoipa::path(
    post,
    path = "/api/orders",
    tag = "orders",
    request_body = OrderBody,
    responses(
        (status = 201, description = "A new order", body = Placed),
        (status = 200, description = "The same order again: nothing changed", body = Placed),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 409, description = "This order number with different content exists", body = Problem),
        (status = 413, description = "The body is larger than 64 KiB"),
        (status = 422, description = "Invalid fields, each named; nothing stored", body = FieldErrors),
    ),
    security(("bearer" = []))
)]
pub(super) async fn place_order(State(state): State<AppState>, body: Bytes) -> Response {
    let order = match OrderInput::intake(&body) {
        Ok(order) => order,
        Err(IntakeError::NotJson(reason)) => return not_json(&reason),
        Err(IntakeError::Invalid(errors)) => return unprocessable(errors),
    };
    match state
        .store
        .place_order(&order, state.clock.now().await)
        .await
    {
        Ok(PlaceOutcome::Created(id)) => (
            StatusCode::CREATED,
            Json(Placed {
                order_id: id,
                status: "scheduled".into(),
            }),
        )
            .into_response(),
        Ok(PlaceOutcome::Replayed(id)) => {
            let status = match state.store.order_summary(&id).await {
                Ok(summary) => summary.map_or("scheduled", |o| o.status.key()),
                Err(err) => return unexpected(err),
            };
            Json(Placed {
                order_id: id,
                status: status.into(),
            })
            .into_response()
        }
        Ok(PlaceOutcome::Conflict) => refused(
            StatusCode::CONFLICT,
            "an order with this order_number and different content exists",
        ),
        Err(err) => unexpected(err),
    }
}

async fn view(state: &AppState, order_number: &str) -> Response {
    match state.store.order_record(order_number).await {
        Ok(Some(record)) => Json(OrderView::from(record)).into_response(),
        Ok(None) => refused(StatusCode::NOT_FOUND, "no order with this number"),
        Err(err) => unexpected(err),
    }
}

/// An order and where it stands.
#[utoipa::path(
    get,
    path = "/api/orders/{order_number}",
    tag = "orders",
    params(("order_number" = String, Path, example = "ST-0001", description = "The order number the order was placed with")),
    responses(
        (status = 200, description = "The order", body = OrderView),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "No order with this number", body = Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn get_order(
    State(state): State<AppState>,
    Path(order_number): Path<String>,
) -> Response {
    view(&state, &order_number).await
}

/// Changes the provisioning contact until the order is set up. A link
/// already sent stops working; once the start date has come, the new
/// contact gets a new one.
#[utoipa::path(
    patch,
    path = "/api/orders/{order_number}",
    tag = "orders",
    params(("order_number" = String, Path, example = "ST-0001", description = "The order number the order was placed with")),
    request_body = ContactChange,
    responses(
        (status = 200, description = "The order with its new contact", body = OrderView),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "No order with this number", body = Problem),
        (status = 409, description = "The order is already set up or closed", body = Problem),
        (status = 413, description = "The body is larger than 64 KiB"),
        (status = 422, description = "Not a valid address", body = FieldErrors),
    ),
    security(("bearer" = []))
)]
pub(super) async fn change_contact(
    State(state): State<AppState>,
    Path(order_number): Path<String>,
    body: Bytes,
) -> Response {
    let value = match json_body(&body) {
        Ok(value) => value,
        Err(refusal) => return refusal,
    };
    // As written (letter case aside), like every address of the intake.
    let contact = match value.get("provisioning_contact_email") {
        Some(Value::String(written)) => match EmailAddress::parse(written) {
            Ok(contact) if contact.as_str() == written.to_lowercase() => contact,
            Ok(_) => return unprocessable(vec![field(DomainError::EmailInvalid)]),
            Err(error) => return unprocessable(vec![field(error)]),
        },
        None | Some(Value::Null) => return unprocessable(vec![field(DomainError::Required)]),
        Some(_) => return unprocessable(vec![field(DomainError::NotText)]),
    };
    let record = match record_of(&state, &order_number).await {
        Ok(record) => record,
        Err(refusal) => return refusal,
    };
    match invite_again(&state, &record.order_id, Some(&contact)).await {
        Ok(_) => {
            state.wake_workers();
            view(&state, &order_number).await
        }
        Err(error) => app_error(error),
    }
}

/// The order with this number, or the API's 404.
async fn record_of(state: &AppState, order_number: &str) -> Result<OrderRecord, Response> {
    match state.store.order_record(order_number).await {
        Ok(Some(record)) => Ok(record),
        Ok(None) => Err(refused(StatusCode::NOT_FOUND, "no order with this number")),
        Err(err) => Err(unexpected(err)),
    }
}

/// A new invitation (to a new contact, if given), asked by the commerce
/// system; whether one was sent.
async fn invite_again(
    state: &AppState,
    order_id: &str,
    contact: Option<&EmailAddress>,
) -> Result<bool, AppError> {
    let now = state.clock.now().await;
    let public_url = &state.config.public_url;
    crate::server::services::invitations::resend_invitation(
        &state.store,
        order_id,
        contact,
        "commerce",
        now,
        public_url,
    )
    .await
}

fn field(error: DomainError) -> FieldError {
    FieldError {
        field: "provisioning_contact_email".into(),
        error,
    }
}

/// A new "Set Up Now" email to the current contact; the old link stops
/// working. Before the start date there is nothing to resend yet.
#[utoipa::path(
    post,
    path = "/api/orders/{order_number}/resend",
    tag = "orders",
    params(("order_number" = String, Path, example = "ST-0001", description = "The order number the order was placed with")),
    responses(
        (status = 202, description = "A new invitation is on its way"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "No order with this number", body = Problem),
        (status = 409, description = "Set up, closed, or not invited yet (before its start date)", body = Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn resend(
    State(state): State<AppState>,
    Path(order_number): Path<String>,
) -> Response {
    let record = match record_of(&state, &order_number).await {
        Ok(record) => record,
        Err(refusal) => return refusal,
    };
    match invite_again(&state, &record.order_id, None).await {
        Ok(true) => {
            state.wake_workers();
            StatusCode::ACCEPTED.into_response()
        }
        Ok(false) => refused(
            StatusCode::CONFLICT,
            "not invited yet: the invitation goes out on the requested start date",
        ),
        Err(error) => app_error(error),
    }
}

/// Opens a closed order again: the contact gets a new "Set Up Now" link and
/// the order 30 more days to be set up.
#[utoipa::path(
    post,
    path = "/api/orders/{order_number}/reopen",
    tag = "orders",
    params(("order_number" = String, Path, example = "ST-0001", description = "The order number the order was placed with")),
    responses(
        (status = 200, description = "The order, invited again with a new link", body = OrderView),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "No order with this number", body = Problem),
        (status = 409, description = "The order is not closed", body = Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn reopen(
    State(state): State<AppState>,
    Path(order_number): Path<String>,
) -> Response {
    let record = match record_of(&state, &order_number).await {
        Ok(record) => record,
        Err(refusal) => return refusal,
    };
    let now = state.clock.now().await;
    let public_url = &state.config.public_url;
    match crate::server::services::invitations::reopen_order(
        &state.store,
        &record.order_id,
        now,
        public_url,
    )
    .await
    {
        Ok(true) => {
            state.wake_workers();
            view(&state, &order_number).await
        }
        Ok(false) => refused(StatusCode::CONFLICT, "the order is not closed"),
        Err(error) => app_error(error),
    }
}

/// Sends again every event that occurred since an instant, with the ids they
/// had, in order per order (and switches delivery on again after a 410).
#[utoipa::path(
    post,
    path = "/api/events/replay",
    tag = "events",
    request_body = Replay,
    responses(
        (status = 202, description = "The events are queued again", body = Replayed),
        (status = 401, description = "Missing or wrong bearer token", body = Problem),
        (status = 429, description = "Too many wrong bearer tokens from this network lately: every request waits", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 413, description = "The body is larger than 64 KiB"),
        (status = 422, description = "`since` is not an RFC 3339 instant", body = FieldErrors),
    ),
    security(("bearer" = []))
)]
pub(super) async fn replay_events(State(state): State<AppState>, body: Bytes) -> Response {
    let value = match json_body(&body) {
        Ok(value) => value,
        Err(refusal) => return refusal,
    };
    let since = match value
        .get("since")
        .and_then(Value::as_str)
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    {
        Some(since) => since.with_timezone(&chrono::Utc),
        None => {
            return unprocessable(vec![FieldError {
                field: "since".into(),
                error: DomainError::DateInvalid,
            }]);
        }
    };
    match state
        .store
        .replay_events(since, state.clock.now().await)
        .await
    {
        Ok(events) => {
            state.wake_workers();
            (StatusCode::ACCEPTED, Json(Replayed { events })).into_response()
        }
        Err(err) => unexpected(err),
    }
}
