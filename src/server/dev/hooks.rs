//! The development hooks (contract section 4): the mailbox, the clock, a
//! scheduler pass. Routed only with the hooks on.

use crate::server::api::answers::unexpected;
use crate::server::state::AppState;
use axum::{
    Json,
    body::Bytes,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub(crate) struct MailboxQuery {
    to: Option<String>,
}

pub(crate) async fn dev_mailbox(
    State(state): State<AppState>,
    Query(q): Query<MailboxQuery>,
) -> Response {
    match state.store.mailbox(q.to.as_deref(), 1000).await {
        Ok(list) => Json(list).into_response(),
        Err(err) => unexpected(err),
    }
}

/// One email's HTML part as the recipient's mail program shows it: the whole
/// document, with a policy that lets its inline styles apply and nothing run.
pub(crate) async fn dev_mailbox_html(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    use axum::http::header;
    match state.store.mailbox_message(id).await {
        Ok(Some(message)) => match message.html {
            Some(fragment) => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
                    ),
                    // `/mailbox` shows it in a frame.
                    (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
                ],
                // Its links leave the frame, as they would leave a mail program.
                crate::server::mail::html_document(&message.subject, &fragment)
                    .replacen("<head>", "<head><base target=\"_top\">", 1),
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => unexpected(err),
    }
}

#[derive(Deserialize)]
struct ClockBody {
    now: chrono::DateTime<chrono::Utc>,
}

pub(crate) async fn dev_set_clock(State(state): State<AppState>, body: Bytes) -> Response {
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

pub(crate) async fn dev_reset_clock(State(state): State<AppState>) -> Response {
    match state.clock.set(None).await {
        Ok(()) => Json(json!({"now": state.clock.now().await})).into_response(),
        Err(err) => unexpected(err),
    }
}

pub(crate) async fn dev_run_scheduler(State(state): State<AppState>) -> Response {
    match crate::server::scheduler::run_pass(&state).await {
        Ok(report) => {
            Json(json!({"invitations": report.invitations, "escalations": report.escalations}))
                .into_response()
        }
        Err(err) => unexpected(err),
    }
}
