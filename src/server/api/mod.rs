//! The JSON API: the commerce system's order routes (contract sections 2 and
//! 8), the replay of events (section 10), their OpenAPI document, and the
//! development hooks.

pub(crate) mod answers;
pub mod doc;
mod orders;
mod schema;

use super::dev::hooks as dev;
use super::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};

/// `/api/orders…`, `/api/events/replay`, `/api/openapi.json` and, when
/// switched on, `/api/dev/*`.
pub fn router(state: &AppState) -> Router<AppState> {
    // Every route of the commerce system checks its token first.
    let router = Router::new()
        .route("/api/orders", post(orders::place_order))
        .route(
            "/api/orders/{order_number}",
            get(orders::get_order).patch(orders::change_contact),
        )
        .route("/api/orders/{order_number}/resend", post(orders::resend))
        .route("/api/orders/{order_number}/reopen", post(orders::reopen))
        .route("/api/events/replay", post(orders::replay_events))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            answers::commerce_only,
        ))
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
