//! What every handler and server function shares.

use super::{config::Config, store::Store};
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use leptos::prelude::LeptosOptions;
use std::sync::{Arc, RwLock};

/// The server's clock. Normally the system clock; tests and the development hook
/// can freeze it at an instant.
#[derive(Clone, Default)]
pub struct Clock {
    frozen: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self.frozen.read() {
            Ok(guard) => guard.unwrap_or_else(Utc::now),
            Err(poisoned) => poisoned.into_inner().unwrap_or_else(Utc::now),
        }
    }

    /// Freezes the clock at `at`, or lets it run again with `None`.
    pub fn set(&self, at: Option<DateTime<Utc>>) {
        match self.frozen.write() {
            Ok(mut guard) => *guard = at,
            Err(poisoned) => *poisoned.into_inner() = at,
        }
    }
}

/// Handed to the router and, as context, to every server function.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' own settings (site root, output name).
    pub leptos_options: LeptosOptions,
    /// Configuration read at start.
    pub config: Arc<Config>,
    /// The storage boundary.
    pub store: Store,
    /// The clock everything that depends on time reads.
    pub clock: Clock,
    /// Wakes the outbox worker when a new email is written.
    pub outbox_signal: Arc<tokio::sync::Notify>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        crate::error::AppError::unexpected(anyhow::anyhow!("AppState missing from context"))
    })
}

/// A server function's answer, with the HTTP status its error calls for (a
/// refusal is a 4xx, and a rate limit says when to try again).
pub fn respond<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if let Err(error) = &result
        && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
    {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.http_status()) {
            response.set_status(status);
        }
        if let crate::error::AppError::RateLimited { retry_after_secs } = error {
            response.insert_header(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after_secs),
            );
        }
    }
    result
}
