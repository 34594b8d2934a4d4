//! Calling settings' values: time zones, announcement languages, PSTN.

use super::{DomainError, required};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

use super::Country;

// ---------------------------------------------------------------------------
// TimeZone
// ---------------------------------------------------------------------------

/// An IANA time zone name from the list offered in the UI, e.g. `Europe/Prague`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct TimeZone(&'static str);

impl TimeZone {
    /// The offered IANA time zone names.
    pub const ALL: &[&str] = &[
        "UTC",
        "Europe/Prague",
        "Europe/Bratislava",
        "Europe/Vienna",
        "Europe/Berlin",
        "Europe/Warsaw",
        "Europe/Budapest",
        "Europe/Zurich",
        "Europe/Amsterdam",
        "Europe/Brussels",
        "Europe/Luxembourg",
        "Europe/Paris",
        "Europe/Madrid",
        "Europe/Lisbon",
        "Europe/Rome",
        "Europe/London",
        "Europe/Dublin",
        "Europe/Copenhagen",
        "Europe/Stockholm",
        "Europe/Oslo",
        "Europe/Helsinki",
        "Europe/Tallinn",
        "Europe/Riga",
        "Europe/Vilnius",
        "Europe/Athens",
        "Europe/Bucharest",
        "Europe/Sofia",
        "Europe/Zagreb",
        "Europe/Ljubljana",
        "Europe/Belgrade",
        "Europe/Istanbul",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "America/Toronto",
        "America/Vancouver",
        "America/Mexico_City",
        "America/Bogota",
        "America/Lima",
        "America/Santiago",
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "Africa/Johannesburg",
        "Africa/Cairo",
        "Africa/Lagos",
        "Africa/Nairobi",
        "Asia/Jerusalem",
        "Asia/Dubai",
        "Asia/Riyadh",
        "Asia/Karachi",
        "Asia/Kolkata",
        "Asia/Bangkok",
        "Asia/Jakarta",
        "Asia/Singapore",
        "Asia/Kuala_Lumpur",
        "Asia/Manila",
        "Asia/Hong_Kong",
        "Asia/Shanghai",
        "Asia/Taipei",
        "Asia/Seoul",
        "Asia/Tokyo",
        "Australia/Perth",
        "Australia/Brisbane",
        "Australia/Adelaide",
        "Australia/Melbourne",
        "Australia/Sydney",
        "Pacific/Auckland",
    ];

    /// Trims and checks a time zone name (ASCII case-insensitive); keeps the
    /// canonical spelling.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        Self::ALL
            .iter()
            .copied()
            .find(|zone| zone.eq_ignore_ascii_case(s))
            .map(Self)
            .ok_or(DomainError::TimeZoneUnknown)
    }

    /// The IANA name, e.g. `"Europe/Prague"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

string_conversions!(TimeZone, as_str);
owned_deserialize!(TimeZone);

/// The time zone to preselect for a country: its main zone if known, else `"UTC"`.
pub fn default_time_zone(country: &Country) -> &'static str {
    match country.as_str() {
        "CZ" => "Europe/Prague",
        "SK" => "Europe/Bratislava",
        "DE" => "Europe/Berlin",
        "GB" => "Europe/London",
        "US" => "America/New_York",
        "FR" => "Europe/Paris",
        "AT" => "Europe/Vienna",
        "PL" => "Europe/Warsaw",
        _ => "UTC",
    }
}

// ---------------------------------------------------------------------------
// AnnouncementLanguage, PstnConnection
// ---------------------------------------------------------------------------

/// The language of Webex Calling announcements (auto attendant, voicemail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AnnouncementLanguage {
    /// English (United States), `en_US`.
    EnUs,
    /// English (United Kingdom), `en_GB`.
    EnGb,
    /// Czech, `cs_CZ`.
    CsCz,
    /// German, `de_DE`.
    DeDe,
    /// French, `fr_FR`.
    FrFr,
    /// Spanish, `es_ES`.
    EsEs,
    /// Slovak, `sk_SK`.
    SkSk,
    /// Polish, `pl_PL`.
    PlPl,
}

impl AnnouncementLanguage {
    /// Every language, in display order.
    pub const ALL: [AnnouncementLanguage; 8] = [
        AnnouncementLanguage::EnUs,
        AnnouncementLanguage::EnGb,
        AnnouncementLanguage::CsCz,
        AnnouncementLanguage::DeDe,
        AnnouncementLanguage::FrFr,
        AnnouncementLanguage::EsEs,
        AnnouncementLanguage::SkSk,
        AnnouncementLanguage::PlPl,
    ];

    /// Parses a code such as `"cs_CZ"` (ASCII case-insensitive, trimmed).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s))
            .ok_or(DomainError::LanguageUnknown)
    }

    /// The code, e.g. `"cs_CZ"`.
    pub fn code(self) -> &'static str {
        match self {
            AnnouncementLanguage::EnUs => "en_US",
            AnnouncementLanguage::EnGb => "en_GB",
            AnnouncementLanguage::CsCz => "cs_CZ",
            AnnouncementLanguage::DeDe => "de_DE",
            AnnouncementLanguage::FrFr => "fr_FR",
            AnnouncementLanguage::EsEs => "es_ES",
            AnnouncementLanguage::SkSk => "sk_SK",
            AnnouncementLanguage::PlPl => "pl_PL",
        }
    }

    /// The language's name in English, e.g. `"Czech"`.
    pub fn english_name(self) -> &'static str {
        match self {
            AnnouncementLanguage::EnUs => "English (United States)",
            AnnouncementLanguage::EnGb => "English (United Kingdom)",
            AnnouncementLanguage::CsCz => "Czech",
            AnnouncementLanguage::DeDe => "German",
            AnnouncementLanguage::FrFr => "French",
            AnnouncementLanguage::EsEs => "Spanish",
            AnnouncementLanguage::SkSk => "Slovak",
            AnnouncementLanguage::PlPl => "Polish",
        }
    }
}

string_conversions!(AnnouncementLanguage, code);

/// How a Webex Calling location reaches the public telephone network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PstnConnection {
    /// Cisco Calling Plan, `cisco`.
    CiscoPstn,
    /// Cloud Connected PSTN, `cloud_connected`.
    CloudConnected,
    /// Premises-based PSTN through a local gateway, `premises_based`.
    PremisesBased,
}

impl PstnConnection {
    /// Every option, in display order.
    pub const ALL: [PstnConnection; 3] = [
        PstnConnection::CiscoPstn,
        PstnConnection::CloudConnected,
        PstnConnection::PremisesBased,
    ];

    /// Parses `"cisco"`, `"cloud_connected"` or `"premises_based"` (any case, trimmed).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        Self::ALL
            .into_iter()
            .find(|p| p.code().eq_ignore_ascii_case(s))
            .ok_or(DomainError::PstnConnectionUnknown)
    }

    /// The code, e.g. `"cloud_connected"`.
    pub fn code(self) -> &'static str {
        match self {
            PstnConnection::CiscoPstn => "cisco",
            PstnConnection::CloudConnected => "cloud_connected",
            PstnConnection::PremisesBased => "premises_based",
        }
    }
}

string_conversions!(PstnConnection, code);
