//! What every handler and server function shares.

use super::{config::Config, store::Store};
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// The server's clock: the system clock, or in development an instant the
/// development hook froze. The frozen instant lives in the database, so every
/// instance reads the same one.
#[derive(Clone)]
pub struct Clock {
    /// The store holding a frozen instant; `None` outside development.
    frozen_in: Option<Store>,
}

impl Clock {
    /// The system clock, never frozen.
    pub fn system() -> Self {
        Clock { frozen_in: None }
    }

    /// A clock the development hook may freeze (in `store`).
    pub fn freezable(store: Store) -> Self {
        Clock {
            frozen_in: Some(store),
        }
    }

    /// The current instant.
    pub async fn now(&self) -> DateTime<Utc> {
        let Some(store) = &self.frozen_in else {
            return Utc::now();
        };
        match store.frozen_clock().await {
            Ok(frozen) => frozen.unwrap_or_else(Utc::now),
            Err(err) => {
                tracing::error!(error = format!("{err:#}"), "frozen clock unreadable");
                Utc::now()
            }
        }
    }

    /// Freezes the clock at `at`, or lets it run again with `None`.
    pub async fn set(&self, at: Option<DateTime<Utc>>) -> anyhow::Result<()> {
        match &self.frozen_in {
            Some(store) => store.set_frozen_clock(at).await,
            None => anyhow::bail!("the clock can be frozen only in development"),
        }
    }
}

/// Handed to the router and, as context, to every server function. Cloned
/// several times a request (axum's handler services, the middleware, the
/// server functions' context), so it is one shared pointer: cloning the
/// fields themselves (Leptos' options, the pools, the clock's store) was 8 %
/// of the availability check's time, atomic counters bounced between cores.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Shares `shared` with every handler.
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
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
    /// Wakes the event worker when a new status event is written.
    pub events_signal: Arc<tokio::sync::Notify>,
    /// Bounds password hashing (memory and cores).
    pub hashing: super::hashing::HashingSlots,
    /// What `/metrics` serves.
    pub metrics: super::metrics::Metrics,
    /// Cancelled when the server stops: the background work ends between
    /// two items and hands back what it claimed and did not do.
    pub stopping: tokio_util::sync::CancellationToken,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Something was written for the outbox or the event queue: the workers
    /// of this instance start at once (others find it on their next round).
    pub fn wake_workers(&self) {
        self.outbox_signal.notify_one();
        self.events_signal.notify_one();
    }
}

/// The state inside a server function.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        crate::error::AppError::unexpected(anyhow::anyhow!("AppState missing from context"))
    })
}

/// A server function's body, given the app's state, answered with the HTTP
/// status its error calls for ([`respond`]): the prelude every server
/// function shares, written once.
pub async fn serve<T, Fut>(body: impl FnOnce(AppState) -> Fut) -> Result<T, crate::error::AppError>
where
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    let result = match app_state() {
        Ok(state) => body(state).await,
        Err(error) => Err(error),
    };
    respond(result)
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
        if let crate::error::AppError::RateLimited { retry_after_secs }
        | crate::error::AppError::TooManyAttempts { retry_after_secs }
        | crate::error::AppError::Busy { retry_after_secs } = error
        {
            response.insert_header(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after_secs),
            );
        }
    }
    result
}
