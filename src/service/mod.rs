//! The service setup wizard: subscription details, calling and meeting settings
//! for what was bought, then provisioning and the start of billing. Its rules
//! (calling settings, subdomains) live here and in `domain`, shared with the
//! browser; its server functions authorize every call against the signed-in user.

pub mod page;

pub use crate::model::service::{
    Availability, CallingChoice, CallingInput, CallingSettings, SavedLocation, ServiceView,
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::services::provisioning;
use leptos::prelude::*;

/// The state and the signed-in user, when that user may manage the order
/// (the one access decision, [`crate::server::access::decide`]).
#[cfg(feature = "ssr")]
async fn authorized(
    order_id: &str,
) -> Result<
    (
        crate::server::state::AppState,
        crate::server::store::SessionUser,
    ),
    AppError,
> {
    let state = crate::server::state::app_state()?;
    let user = crate::server::auth::require_user(&state).await?;
    crate::server::access::authorize(
        &state.store,
        &user,
        order_id,
        crate::server::access::Action::Manage,
    )
    .await?;
    Ok((state, user))
}

/// The order for the wizard, for a user allowed to manage it.
#[server(endpoint = "service/load")]
pub async fn load_service(order_id: String) -> Result<ServiceView, AppError> {
    crate::server::state::respond(
        async {
            let (state, _) = authorized(&order_id).await?;
            state
                .store
                .service_view(&order_id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Saves the calling settings.
#[server(endpoint = "service/calling")]
pub async fn save_calling(order_id: String, input: CallingInput) -> Result<(), AppError> {
    crate::server::state::respond(
        async {
            let choice = input.choose().map_err(AppError::Invalid)?;
            let (state, user) = authorized(&order_id).await?;
            let now = state.clock.now().await;
            provisioning::save_calling(&state.store, &order_id, &choice, &user.email, now).await
        }
        .await,
    )
}

/// Whether a subdomain could be reserved now (the live check).
#[server(endpoint = "service/subdomain")]
pub async fn check_subdomain(name: String) -> Result<Availability, AppError> {
    use crate::domain::Subdomain;
    crate::server::state::respond(
        async {
            let subdomain = match Subdomain::parse(&name) {
                Ok(s) => s,
                Err(e) => return Ok(Availability::Invalid(e)),
            };
            // One read answers both whether the session is live and whether
            // the name is taken: this check runs on every pause in typing.
            let state = crate::server::state::app_state()?;
            let token = crate::server::auth::session_token(&state).ok_or(AppError::Unauthorized)?;
            let taken = state
                .store
                .subdomain_check(&token, subdomain.as_str(), state.clock.now().await)
                .await
                .map_err(AppError::unexpected)?
                .ok_or(AppError::Unauthorized)?;
            Ok(if taken {
                Availability::Taken
            } else {
                Availability::Available {
                    site_url: subdomain.site_url(),
                    subdomain: subdomain.as_str().to_string(),
                }
            })
        }
        .await,
    )
}

/// Reserves the meeting site's subdomain for the order.
#[server(endpoint = "service/reserve")]
pub async fn reserve_subdomain(order_id: String, name: String) -> Result<String, AppError> {
    use crate::domain::Subdomain;
    crate::server::state::respond(
        async {
            let subdomain = Subdomain::parse(&name).map_err(|e| AppError::field("subdomain", e))?;
            let (state, user) = authorized(&order_id).await?;
            let now = state.clock.now().await;
            provisioning::reserve_subdomain(&state.store, &order_id, &subdomain, &user.email, now)
                .await?;
            Ok(subdomain.site_url())
        }
        .await,
    )
}

/// Provisions every purchased service and starts billing, once.
#[server(endpoint = "service/provision")]
pub async fn provision(order_id: String) -> Result<String, AppError> {
    crate::server::state::respond(
        async {
            let (state, user) = authorized(&order_id).await?;
            let now = state.clock.now().await;
            let date = provisioning::provision(&state.store, &order_id, &user.email, now).await?;
            state.wake_workers();
            Ok(date)
        }
        .await,
    )
}
