//! The service setup's data: calling settings as typed and as checked, an
//! order as the service wizard shows it, and the availability check's answer.

use crate::domain::{
    Address, AnnouncementLanguage, Country, DomainError, LocationName, PstnConnection, ServiceKind,
    TimeZone,
};
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

/// Calling settings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallingInput {
    /// A saved location of the customer organization to use, by id; empty
    /// for a new location described by the other fields.
    #[serde(default)]
    pub location: String,
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

/// What the calling step saves: a location the customer organization has
/// saved already, or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallingChoice {
    Saved(String),
    New(CallingSettings),
}

/// A calling location saved for the customer organization, offered to its
/// later orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLocation {
    pub id: String,
    pub settings: CallingInput,
}

impl CallingInput {
    /// A saved location, or a new one whose fields pass their rules.
    pub fn choose(&self) -> Result<CallingChoice, Vec<FieldError>> {
        if self.location.is_empty() {
            self.validate().map(CallingChoice::New)
        } else {
            Ok(CallingChoice::Saved(self.location.clone()))
        }
    }

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
    /// The customer organization's saved calling locations.
    pub locations: Vec<SavedLocation>,
    pub subdomain: Option<String>,
    /// `subdomain` is the customer organization's meeting site, reserved by
    /// an earlier order: this order uses it and reserves nothing.
    pub site_set_up: bool,
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
