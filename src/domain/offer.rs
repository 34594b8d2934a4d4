//! What an order is for: its offer and its kinds of service.

use super::{DomainError, required};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------
// Offer, ServiceKind
// ---------------------------------------------------------------------------

/// The offer an order is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Offer {
    /// Webex A-WX.
    AWx,
    /// Webex A-SPK.
    ASpk,
}

impl Offer {
    /// Every offer.
    pub const ALL: [Offer; 2] = [Offer::AWx, Offer::ASpk];

    /// Parses `"A-WX"` or `"A-SPK"` (any case, trimmed).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        Self::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(s))
            .ok_or(DomainError::OfferUnknown)
    }

    /// `"A-WX"` or `"A-SPK"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Offer::AWx => "A-WX",
            Offer::ASpk => "A-SPK",
        }
    }
}

string_conversions!(Offer, as_str);

/// A Webex service that can be ordered and set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ServiceKind {
    /// Webex Meetings.
    Meetings,
    /// Webex Calling.
    Calling,
    /// Webex Messaging.
    Messaging,
    /// Webex Webinars.
    Webinars,
}

impl ServiceKind {
    /// Every service, in display order.
    pub const ALL: [ServiceKind; 4] = [
        ServiceKind::Meetings,
        ServiceKind::Calling,
        ServiceKind::Messaging,
        ServiceKind::Webinars,
    ];

    /// Parses `"meetings"`, `"calling"`, `"messaging"` or `"webinars"` (any case, trimmed).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or(DomainError::ServiceKindUnknown)
    }

    /// The lower-case name, e.g. `"meetings"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Meetings => "meetings",
            ServiceKind::Calling => "calling",
            ServiceKind::Messaging => "messaging",
            ServiceKind::Webinars => "webinars",
        }
    }
}

string_conversions!(ServiceKind, as_str);
