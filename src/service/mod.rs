//! The service setup wizard: subscription details, calling and meeting settings
//! for what was bought, then provisioning and the start of billing. Its rules
//! (calling settings, subdomains) live here and in `domain`, shared with the
//! browser; its server functions authorize every call against the signed-in user.

pub mod page;

use crate::domain::{
    Address, AnnouncementLanguage, Country, DomainError, LocationName, PstnConnection, ServiceKind,
    TimeZone,
};
use crate::error::{AppError, FieldError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Calling settings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallingInput {
    pub location_name: String,
    pub address: String,
    pub country: String,
    pub time_zone: String,
    pub language: String,
    pub pstn: String,
}

/// Calling settings that passed their rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallingSettings {
    pub location_name: LocationName,
    pub address: Address,
    pub country: Country,
    pub time_zone: TimeZone,
    pub language: AnnouncementLanguage,
    pub pstn: PstnConnection,
}

impl CallingInput {
    /// Checks every field; names each invalid one.
    pub fn validate(&self) -> Result<CallingSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, e: DomainError| {
            errors.push(FieldError {
                field: field.into(),
                error: e,
            })
        };
        let location_name = LocationName::parse(&self.location_name)
            .map_err(|e| check("location_name", e))
            .ok();
        let address = Address::parse(&self.address)
            .map_err(|e| check("address", e))
            .ok();
        let country = Country::parse(&self.country)
            .map_err(|e| check("country", e))
            .ok();
        let time_zone = TimeZone::parse(&self.time_zone)
            .map_err(|e| check("time_zone", e))
            .ok();
        let language = AnnouncementLanguage::parse(&self.language)
            .map_err(|e| check("language", e))
            .ok();
        let pstn = PstnConnection::parse(&self.pstn)
            .map_err(|e| check("pstn", e))
            .ok();
        match (location_name, address, country, time_zone, language, pstn) {
            (
                Some(location_name),
                Some(address),
                Some(country),
                Some(time_zone),
                Some(language),
                Some(pstn),
            ) => Ok(CallingSettings {
                location_name,
                address,
                country,
                time_zone,
                language,
                pstn,
            }),
            _ => Err(errors),
        }
    }
}

/// An order as the service wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub order_id: String,
    pub order_number: String,
    pub offer: String,
    pub subscription_id: String,
    pub requested_start_date: String,
    pub services: Vec<(String, String, u32)>,
    pub customer_name: String,
    /// Saved calling settings, or a proposal from the customer organization.
    pub calling: CallingInput,
    pub calling_saved: bool,
    pub subdomain: Option<String>,
    pub billing_start_date: Option<String>,
}

impl ServiceView {
    /// Whether any service of `kind` was bought.
    pub fn has(&self, kind: ServiceKind) -> bool {
        self.services.iter().any(|(k, _, _)| k == kind.as_str())
    }

    /// Calling settings are asked for when calling was bought.
    pub fn needs_calling(&self) -> bool {
        self.has(ServiceKind::Calling)
    }

    /// Meeting settings are asked for when meetings or webinars were bought.
    pub fn needs_meetings(&self) -> bool {
        self.has(ServiceKind::Meetings) || self.has(ServiceKind::Webinars)
    }

    /// Whether billing may start: every bought service is configured. The
    /// date billing started, when it already has (provisioning is done once).
    pub fn ready_to_provision(&self) -> Result<Option<&str>, AppError> {
        if let Some(date) = self.billing_start_date.as_deref() {
            return Ok(Some(date));
        }
        if (self.needs_calling() && !self.calling_saved)
            || (self.needs_meetings() && self.subdomain.is_none())
        {
            return Err(AppError::Refused(crate::error::Refusal::StepIncomplete));
        }
        Ok(None)
    }
}

/// The answer of the availability check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    Available { subdomain: String, site_url: String },
    Invalid(DomainError),
    Taken,
}

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
    state
        .store
        .authorize(&user, order_id, crate::server::access::Action::Manage)
        .await?;
    Ok((state, user))
}

/// The order for the wizard, for a user allowed to manage it.
#[server(endpoint = "service/load")]
pub async fn load_service(order_id: String) -> Result<ServiceView, AppError> {
    crate::server::state::respond(
        async {
            let (state, _) = authorized(&order_id).await?;
            state.store.service_view(&order_id).await
        }
        .await,
    )
}

/// Saves the calling settings.
#[server(endpoint = "service/calling")]
pub async fn save_calling(order_id: String, input: CallingInput) -> Result<(), AppError> {
    crate::server::state::respond(
        async {
            let settings = input.validate().map_err(AppError::Invalid)?;
            let (state, user) = authorized(&order_id).await?;
            state
                .store
                .save_calling(&order_id, &settings, &user.email, state.clock.now().await)
                .await
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
            let token = crate::server::auth::session_token().ok_or(AppError::Unauthorized)?;
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
            state
                .store
                .reserve_subdomain(&order_id, &subdomain, &user.email, state.clock.now().await)
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
            let date = state
                .store
                .provision(&order_id, &user.email, state.clock.now().await)
                .await?;
            state.wake_workers();
            Ok(date)
        }
        .await,
    )
}
