//! Domain types: every value the app accepts from a person or another system.
//!
//! "Parse, don't validate": each type has a private field and one checking
//! constructor, `parse`, so holding a value proves it follows its rules. The same
//! rules run in the browser (instant feedback) and on the server (which decides).
//! Deserialization goes through `parse` too, so invalid JSON never becomes a value.
//!
//! Text input is trimmed before it is checked (passwords excepted).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Why a value was refused. One variant per rule; [`DomainError::key`] gives the
/// stable translation key the UI uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum DomainError {
    /// The value is empty (or only whitespace).
    #[error("This field is required.")]
    Required,
    /// Not a valid email address.
    #[error("Enter a valid email address, such as name@example.com.")]
    EmailInvalid,
    /// Not a valid order number.
    #[error(
        "Enter an order number of 3 to 40 letters, digits or - _ . /, starting with a letter or digit."
    )]
    OrderNumberInvalid,
    /// Not one of the known offers.
    #[error("The offer must be A-WX or A-SPK.")]
    OfferUnknown,
    /// Not one of the known services.
    #[error("The service must be meetings, calling, messaging or webinars.")]
    ServiceKindUnknown,
    /// At least one service must be chosen.
    #[error("Add at least one service.")]
    ServicesRequired,
    /// More services than an order may hold.
    #[error("Add at most 20 services.")]
    ServicesTooMany,
    /// Not a whole number in the allowed range.
    #[error("The quantity must be a whole number from 1 to 1,000,000.")]
    QuantityInvalid,
    /// Not an assigned ISO 3166-1 alpha-2 country code.
    #[error("Enter a two-letter country code, such as CZ.")]
    CountryInvalid,
    /// Not a real calendar date in the form YYYY-MM-DD.
    #[error("Enter a date as YYYY-MM-DD.")]
    DateInvalid,
    /// The subdomain is shorter than 3 characters.
    #[error("A subdomain has at least 3 characters.")]
    SubdomainTooShort,
    /// The subdomain is longer than 30 characters.
    #[error("A subdomain has at most 30 characters.")]
    SubdomainTooLong,
    /// The subdomain contains something other than a-z, 0-9 and '-'.
    #[error("Use only letters a-z, digits and hyphens.")]
    SubdomainCharacters,
    /// The subdomain starts or ends with a hyphen.
    #[error("A subdomain cannot start or end with a hyphen.")]
    SubdomainHyphenEdge,
    /// The subdomain is reserved.
    #[error("This name is reserved.")]
    SubdomainReserved,
    /// The organization name is too long or contains control characters.
    #[error("Enter a name of 1 to 100 characters, without control characters.")]
    OrgNameInvalid,
    /// The address is too long or contains control characters.
    #[error("Enter an address of 1 to 200 characters, without control characters.")]
    AddressInvalid,
    /// A free text is longer than allowed.
    #[error("This text is too long: use at most {max} characters.")]
    TextTooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// The password is shorter than 12 characters.
    #[error("Use at least 12 characters.")]
    PasswordTooShort,
    /// The password is longer than 128 characters.
    #[error("Use at most 128 characters.")]
    PasswordTooLong,
    /// The password is well known or trivially guessable.
    #[error("This password is too common. Choose another.")]
    PasswordCommon,
    /// The password and its confirmation differ.
    #[error("The passwords do not match.")]
    PasswordMismatch,
    /// Not a valid subscription id.
    #[error("Enter a subscription id of 1 to 40 letters, digits or - _ . /.")]
    SubscriptionIdInvalid,
    /// Not a valid party id.
    #[error("Enter a party id of 1 to 40 letters, digits or - _ . /.")]
    PartyIdInvalid,
    /// Not one of the offered time zones.
    #[error("Choose a time zone from the list.")]
    TimeZoneUnknown,
    /// Not one of the offered announcement languages.
    #[error("Choose a language from the list.")]
    LanguageUnknown,
    /// Not one of the PSTN connection options.
    #[error("Choose a PSTN connection from the list.")]
    PstnConnectionUnknown,
    /// The location name is too long or contains control characters.
    #[error("Enter a location name of 1 to 80 characters, without control characters.")]
    LocationNameInvalid,
    /// Not a valid SKU.
    #[error("Enter a SKU of 1 to 40 letters, digits or - _ . /.")]
    SkuInvalid,
    /// The address is a user of a partner organization; a user belongs to one
    /// organization at a time.
    #[error("This address already belongs to a partner organization.")]
    EmailBelongsToPartner,
    /// The address is a user of another organization than the one in question.
    #[error("This address already belongs to another organization.")]
    EmailBelongsToOtherOrg,
    /// The person does not recognize the organization shown; setup stops.
    #[error("Contact your Cisco representative and do not continue.")]
    OrganizationNotRecognized,
    /// A page number that is not a whole number from 1.
    #[error("Choose a page number from 1.")]
    PageInvalid,
    /// Not one of the statuses offered.
    #[error("Choose a status from the list.")]
    StatusUnknown,
    /// A JSON value of another type where text is expected.
    #[error("Send this value as JSON text (a string).")]
    NotText,
    /// Not one of the roles offered.
    #[error("Choose a role from the list.")]
    RoleUnknown,
    /// The address was not shown to be the person's own yet.
    #[error("Confirm that this address is yours first: sign in, or enter the code we sent to it.")]
    EmailNotProven,
    /// A Read-only user cannot set up an order.
    #[error(
        "Your role in this organization is Read-only: ask an administrator to set up this order."
    )]
    ReadOnlyCannotSetUp,
    /// Not six digits.
    #[error("Enter the 6 digits from the email.")]
    CodeInvalid,
    /// The code does not match.
    #[error("This code is not right. Check the email and try again.")]
    CodeWrong,
    /// The code expired or was tried too often.
    #[error("This code no longer works. Send a new code.")]
    CodeExpired,
    /// The person is in this organization already.
    #[error("This person is in your organization already.")]
    AlreadyInOrganization,
}

impl DomainError {
    /// Stable snake_case key for translations (e.g. `"email_invalid"`).
    pub fn key(&self) -> &'static str {
        match self {
            DomainError::Required => "required",
            DomainError::SkuInvalid => "sku_invalid",
            DomainError::EmailBelongsToPartner => "email_belongs_to_partner",
            DomainError::EmailBelongsToOtherOrg => "email_belongs_to_other_org",
            DomainError::OrganizationNotRecognized => "organization_not_recognized",
            DomainError::EmailInvalid => "email_invalid",
            DomainError::OrderNumberInvalid => "order_number_invalid",
            DomainError::OfferUnknown => "offer_unknown",
            DomainError::ServiceKindUnknown => "service_kind_unknown",
            DomainError::ServicesRequired => "services_required",
            DomainError::ServicesTooMany => "services_too_many",
            DomainError::QuantityInvalid => "quantity_invalid",
            DomainError::CountryInvalid => "country_invalid",
            DomainError::DateInvalid => "date_invalid",
            DomainError::SubdomainTooShort => "subdomain_too_short",
            DomainError::SubdomainTooLong => "subdomain_too_long",
            DomainError::SubdomainCharacters => "subdomain_characters",
            DomainError::SubdomainHyphenEdge => "subdomain_hyphen_edge",
            DomainError::SubdomainReserved => "subdomain_reserved",
            DomainError::OrgNameInvalid => "org_name_invalid",
            DomainError::AddressInvalid => "address_invalid",
            DomainError::TextTooLong { .. } => "text_too_long",
            DomainError::PasswordTooShort => "password_too_short",
            DomainError::PasswordTooLong => "password_too_long",
            DomainError::PasswordCommon => "password_common",
            DomainError::PasswordMismatch => "password_mismatch",
            DomainError::SubscriptionIdInvalid => "subscription_id_invalid",
            DomainError::PartyIdInvalid => "party_id_invalid",
            DomainError::TimeZoneUnknown => "time_zone_unknown",
            DomainError::LanguageUnknown => "language_unknown",
            DomainError::PageInvalid => "page_invalid",
            DomainError::StatusUnknown => "status_unknown",
            DomainError::NotText => "not_text",
            DomainError::RoleUnknown => "role_unknown",
            DomainError::EmailNotProven => "email_not_proven",
            DomainError::ReadOnlyCannotSetUp => "read_only_cannot_set_up",
            DomainError::CodeInvalid => "code_invalid",
            DomainError::CodeWrong => "code_wrong",
            DomainError::CodeExpired => "code_expired",
            DomainError::AlreadyInOrganization => "already_in_organization",
            DomainError::PstnConnectionUnknown => "pstn_connection_unknown",
            DomainError::LocationNameInvalid => "location_name_invalid",
        }
    }
}

// ---------------------------------------------------------------------------
// Shared helpers and impl macros
// ---------------------------------------------------------------------------

/// Trims `input`; refuses it as [`DomainError::Required`] when nothing is left.
fn required(input: &str) -> Result<&str, DomainError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        Err(DomainError::Required)
    } else {
        Ok(trimmed)
    }
}

/// Control characters (Unicode Cc) and the bidirectional formatting characters,
/// which can make displayed text lie about its content.
fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters allowed in order numbers, subscription ids and party ids.
fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')
}

/// Checks an identifier: `min..=max` characters from [`is_identifier_char`].
fn is_identifier(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(is_identifier_char)
}

// ---------------------------------------------------------------------------
// The rules as patterns: the order API's OpenAPI document states each text
// field's rule as a JSON Schema `pattern` (ECMA-262). A value that matches is
// exactly a value whose `parse` accepts it as it is written (nothing trimmed,
// collapsed or re-cased), which the API requires; the tests hold each pattern
// to its `parse` with generated input, so the two cannot drift apart.
// ---------------------------------------------------------------------------

/// What `char::is_whitespace` calls whitespace, as a character-class body.
macro_rules! whitespace_class {
    () => {
        r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
    };
}

/// [`is_forbidden_char`] as a character-class body.
macro_rules! forbidden_class {
    () => {
        r"\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069"
    };
}

/// Subscription ids, party ids and SKUs as the API accepts them.
pub const IDENTIFIER_PATTERN: &str = r"^[A-Za-z0-9_./-]{1,40}$";

/// Display, serde and `String` conversions for types with `parse(&str)` and a
/// string accessor named `$accessor`.
macro_rules! string_conversions {
    ($ty:ident, $accessor:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.$accessor())
            }
        }

        impl TryFrom<String> for $ty {
            type Error = DomainError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.$accessor().to_owned()
            }
        }
    };
}

/// `as_str` for newtypes over `String`.
macro_rules! string_newtype {
    ($ty:ident) => {
        impl $ty {
            /// The checked value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        string_conversions!($ty, as_str);
    };
}

/// `Deserialize` through `parse` for types holding `&'static str`, for which the
/// derive would demand a `'static` input.
macro_rules! owned_deserialize {
    ($ty:ident) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------------------
// EmailAddress
// ---------------------------------------------------------------------------

/// An email address, stored lower-cased so comparisons are case-insensitive.
///
/// Must be valid per `email_address`, at most 254 characters, a bare address
/// (no display name like `Jane <jane@example.com>`), and its domain must have at
/// least two labels (`name@example.com`, not `name@localhost`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Longest accepted address, in characters.
    pub const MAX_LEN: usize = 254;

    /// Trims, lower-cases and checks an email address. On the server it is
    /// also made canonical, so that one mailbox is one user however it is
    /// written: the local part in Unicode NFC, the domain in its ASCII
    /// (UTS-46, punycode) form. The browser, without those tables, compares
    /// lower-cased text; the server decides.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let lower = required(input)?.to_lowercase();
        #[cfg(feature = "ssr")]
        let lower = canonical(&lower)?;
        if lower.chars().count() > Self::MAX_LEN {
            return Err(DomainError::EmailInvalid);
        }
        let strict = email_address::Options::default()
            .without_display_text()
            .without_domain_literal()
            .with_required_tld();
        if email_address::EmailAddress::is_valid(&lower)
            && email_address::EmailAddress::parse_with_options(&lower, strict).is_ok()
        {
            Ok(Self(lower))
        } else {
            Err(DomainError::EmailInvalid)
        }
    }

    /// The part after the last `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

string_newtype!(EmailAddress);

/// `local@domain` with the local part in NFC and the domain in ASCII.
#[cfg(feature = "ssr")]
fn canonical(address: &str) -> Result<String, DomainError> {
    use unicode_normalization::UnicodeNormalization;
    let (local, domain) = address.rsplit_once('@').ok_or(DomainError::EmailInvalid)?;
    let local: String = local.nfc().collect();
    let domain = idna::domain_to_ascii(domain).map_err(|_| DomainError::EmailInvalid)?;
    Ok(format!("{local}@{domain}"))
}

// ---------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------

/// An order number from commerce, e.g. `CCW-2026-000123`: 3 to 40 ASCII letters,
/// digits, `-`, `_`, `.` or `/`, starting with a letter or digit. Kept as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrderNumber(String);

impl OrderNumber {
    /// An order number as the API accepts it.
    pub const PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9_./-]{2,39}$";

    /// Trims and checks an order number.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        let starts_alnum = s.starts_with(|c: char| c.is_ascii_alphanumeric());
        if starts_alnum && is_identifier(s, 3, 40) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::OrderNumberInvalid)
        }
    }
}

string_newtype!(OrderNumber);

/// A subscription id: 1 to 40 ASCII letters, digits, `-`, `_`, `.` or `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SubscriptionId(String);

impl SubscriptionId {
    /// Trims and checks a subscription id.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        if is_identifier(s, 1, 40) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::SubscriptionIdInvalid)
        }
    }
}

string_newtype!(SubscriptionId);

/// A party id: 1 to 40 ASCII letters, digits, `-`, `_`, `.` or `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartyId(String);

impl PartyId {
    /// Trims and checks a party id.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        if is_identifier(s, 1, 40) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::PartyIdInvalid)
        }
    }
}

string_newtype!(PartyId);

/// A product SKU, such as `A-WX-MTG-ENT`: 1 to 40 ASCII letters, digits, `-`,
/// `_`, `.` or `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(String);

impl Sku {
    /// Trims and checks a SKU.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        if is_identifier(s, 1, 40) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::SkuInvalid)
        }
    }
}

string_newtype!(Sku);

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

// ---------------------------------------------------------------------------
// Quantity
// ---------------------------------------------------------------------------

/// A number of licenses: a whole number from 1 to 1,000,000.
///
/// Serialized as a JSON number; deserialized from a number or a numeric string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quantity(u32);

impl Quantity {
    /// Smallest quantity.
    pub const MIN: u32 = 1;
    /// Largest quantity.
    pub const MAX: u32 = 1_000_000;

    /// Checks a number.
    pub fn new(value: i64) -> Result<Self, DomainError> {
        u32::try_from(value)
            .ok()
            .filter(|v| (Self::MIN..=Self::MAX).contains(v))
            .map(Self)
            .ok_or(DomainError::QuantityInvalid)
    }

    /// Trims and checks a decimal number, e.g. `"25"`.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        let value: i64 = s.parse().map_err(|_| DomainError::QuantityInvalid)?;
        Self::new(value)
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<String> for Quantity {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Quantity> for String {
    fn from(value: Quantity) -> Self {
        value.to_string()
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Input {
            Number(i64),
            Text(String),
        }
        let checked = match Input::deserialize(deserializer)? {
            Input::Number(n) => Quantity::new(n),
            Input::Text(s) => Quantity::parse(&s),
        };
        checked.map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Country
// ---------------------------------------------------------------------------

/// An officially assigned ISO 3166-1 alpha-2 country code, upper-case, e.g. `CZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Country(&'static str);

impl Country {
    /// All 249 officially assigned ISO 3166-1 alpha-2 codes, sorted.
    pub const ALL: &[&str] = &[
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
        "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
        "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
        "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
        "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
        "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
        "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
        "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
        "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
        "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
        "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
        "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
        "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
        "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
        "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
        "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
        "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
    ];

    /// Trims, upper-cases and checks a two-letter code, e.g. `"cz"` gives `CZ`.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        if s.len() != 2 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(DomainError::CountryInvalid);
        }
        let upper = s.to_ascii_uppercase();
        Self::ALL
            .binary_search(&upper.as_str())
            .map(|i| Self(Self::ALL[i]))
            .map_err(|_| DomainError::CountryInvalid)
    }

    /// The upper-case code, e.g. `"CZ"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

string_conversions!(Country, as_str);
owned_deserialize!(Country);

// ---------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------

/// A calendar date written exactly as ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(NaiveDate);

impl Date {
    /// Trims and checks a `YYYY-MM-DD` date; refuses other forms and impossible
    /// dates such as `2026-02-30`.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let b = required(input)?.as_bytes();
        let shape_ok = b.len() == 10
            && b.iter().enumerate().all(|(i, &c)| {
                if i == 4 || i == 7 {
                    c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(DomainError::DateInvalid);
        }
        let number = |range: std::ops::Range<usize>| {
            b[range]
                .iter()
                .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
        };
        let year = i32::try_from(number(0..4)).map_err(|_| DomainError::DateInvalid)?;
        NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
            .map(Self)
            .ok_or(DomainError::DateInvalid)
    }

    /// The date as a `chrono` value.
    pub fn as_naive(&self) -> NaiveDate {
        self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl TryFrom<String> for Date {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Date> for String {
    fn from(value: Date) -> Self {
        value.to_string()
    }
}

// ---------------------------------------------------------------------------
// Free text: OrgName, Address, LocationName
// ---------------------------------------------------------------------------

/// An organization name: 1 to 100 characters, no control characters; runs of
/// whitespace (including line breaks and tabs) become one space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgName(String);

impl OrgName {
    /// Longest accepted name, in characters.
    pub const MAX_LEN: usize = 100;

    /// A name as the API accepts it: words of allowed characters, one space
    /// apart (up to [`OrgName::MAX_LEN`] characters).
    pub const PATTERN: &str = concat!(
        "^[^",
        whitespace_class!(),
        forbidden_class!(),
        "]+( [^",
        whitespace_class!(),
        forbidden_class!(),
        "]+)*$"
    );

    /// Trims, collapses whitespace and checks an organization name.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if s.chars().count() > Self::MAX_LEN || s.chars().any(is_forbidden_char) {
            return Err(DomainError::OrgNameInvalid);
        }
        Ok(Self(s))
    }
}

string_newtype!(OrgName);

/// A postal address on one line: 1 to 200 characters, no control characters.
/// Line breaks in the input become `", "` (blank lines are dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address(String);

impl Address {
    /// Longest accepted address, in characters.
    pub const MAX_LEN: usize = 200;

    /// An address as the API accepts it: one line of allowed characters,
    /// with no whitespace at either end (up to [`Address::MAX_LEN`]).
    pub const PATTERN: &str = concat!(
        "^[^",
        whitespace_class!(),
        forbidden_class!(),
        "]([^",
        forbidden_class!(),
        "]*[^",
        whitespace_class!(),
        forbidden_class!(),
        "])?$"
    );

    /// Joins lines, trims and checks an address.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if s.chars().count() > Self::MAX_LEN || s.chars().any(is_forbidden_char) {
            return Err(DomainError::AddressInvalid);
        }
        Ok(Self(s))
    }
}

string_newtype!(Address);

/// The name of a Webex Calling location: 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocationName(String);

impl LocationName {
    /// Longest accepted name, in characters.
    pub const MAX_LEN: usize = 80;

    /// Trims and checks a location name.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?;
        if s.chars().count() > Self::MAX_LEN || s.chars().any(is_forbidden_char) {
            return Err(DomainError::LocationNameInvalid);
        }
        Ok(Self(s.to_owned()))
    }
}

string_newtype!(LocationName);

// ---------------------------------------------------------------------------
// Subdomain
// ---------------------------------------------------------------------------

/// Subdomains nobody may take.
const RESERVED_SUBDOMAINS: &[&str] = &[
    "www",
    "api",
    "admin",
    "administrator",
    "mail",
    "email",
    "webmail",
    "ftp",
    "smtp",
    "imap",
    "pop",
    "ns1",
    "ns2",
    "dns",
    "support",
    "help",
    "status",
    "billing",
    "login",
    "signin",
    "auth",
    "account",
    "accounts",
    "root",
    "system",
    "webex",
    "cisco",
    "meet",
    "meetings",
    "app",
    "apps",
    "static",
    "cdn",
    "assets",
    "dev",
    "test",
    "staging",
    "internal",
    "localhost",
    "partner",
    "partners",
    "hub",
    "setup",
];

/// A Webex meeting site subdomain (the `acme` in `acme.webex.com`): lower-cased,
/// 3 to 30 characters of a-z, 0-9 and `-`, not starting or ending with `-`, and
/// not reserved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Subdomain(String);

impl Subdomain {
    /// Shortest accepted subdomain.
    pub const MIN_LEN: usize = 3;
    /// Longest accepted subdomain.
    pub const MAX_LEN: usize = 30;

    /// Trims, lower-cases and checks a subdomain.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = required(input)?.to_lowercase();
        let len = s.chars().count();
        if len < Self::MIN_LEN {
            return Err(DomainError::SubdomainTooShort);
        }
        if len > Self::MAX_LEN {
            return Err(DomainError::SubdomainTooLong);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(DomainError::SubdomainCharacters);
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(DomainError::SubdomainHyphenEdge);
        }
        if RESERVED_SUBDOMAINS.contains(&s.as_str()) {
            return Err(DomainError::SubdomainReserved);
        }
        Ok(Self(s))
    }

    /// The meeting site address, e.g. `https://acme.webex.com`.
    pub fn site_url(&self) -> String {
        format!("https://{self}.webex.com")
    }
}

string_newtype!(Subdomain);

// ---------------------------------------------------------------------------
// Password
// ---------------------------------------------------------------------------

/// Shortest accepted password, in characters.
const PASSWORD_MIN_LEN: usize = 12;
/// Longest accepted password, in characters.
const PASSWORD_MAX_LEN: usize = 128;

/// Well-known passwords of 12 or more characters, lower-case.
const COMMON_PASSWORDS: &[&str] = &[
    "password1234",
    "password12345",
    "password123456",
    "password1234!",
    "password123!!",
    "passwordpassword",
    "p@ssword1234",
    "p@ssw0rd1234",
    "passw0rd1234",
    "mypassword123",
    "thisismypassword",
    "passwort1234",
    "heslo1234567",
    "hesloheslo12",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789abc",
    "abc123456789",
    "abc123abc123",
    "123123123123",
    "121212121212",
    "112233445566",
    "123456123456",
    "987654321098",
    "098765432109",
    "abcdefghijkl",
    "abcdefgh1234",
    "abcd12345678",
    "abcabcabcabc",
    "qwertyuiopas",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwerty123456",
    "qwerty1234567",
    "qwertyqwerty",
    "qwertzuiopas",
    "qwertz123456",
    "asdfghjkl123",
    "asdfasdfasdf",
    "zxcvbnm12345",
    "qazwsxedcrfv",
    "1qaz2wsx3edc",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "iloveyou1234",
    "iloveyouiloveyou",
    "letmein12345",
    "letmeinletmein",
    "welcome12345",
    "welcome123456",
    "welcome@1234",
    "administrator",
    "administrator1",
    "admin1234567",
    "adminadmin123",
    "changeme1234",
    "changeme12345",
    "secret123456",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "dragon123456",
    "monkey123456",
    "superman1234",
    "starwars1234",
    "master123456",
    "shadow123456",
    "michael12345",
    "computer1234",
    "whatever1234",
    "summer123456",
    "winter123456",
    "correcthorsebatterystaple",
    "webex1234567",
    "cisco1234567",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
];

/// Checks a new password alone (the first field of a password form): 12 to 128
/// characters, not a common password, not one character repeated. Not trimmed.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.is_empty() {
        return Err(DomainError::Required);
    }
    let len = password.chars().count();
    if len < PASSWORD_MIN_LEN {
        return Err(DomainError::PasswordTooShort);
    }
    if len > PASSWORD_MAX_LEN {
        return Err(DomainError::PasswordTooLong);
    }
    let lower = password.to_lowercase();
    let mut chars = password.chars();
    let first = chars.next();
    let one_char_repeated = chars.all(|c| Some(c) == first);
    if one_char_repeated || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(DomainError::PasswordCommon);
    }
    Ok(())
}

/// A new password that passed [`check_password`] and matched its confirmation.
///
/// Neither `Debug` nor anything else prints it; use [`Password::expose`] only to
/// hash it. Deliberately not serializable.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Checks a password and its confirmation (neither is trimmed).
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, DomainError> {
        check_password(password)?;
        if password != confirmation {
            return Err(DomainError::PasswordMismatch);
        }
        Ok(Self(password.to_owned()))
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

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

// ---------------------------------------------------------------------------
// People: roles and verification codes
// ---------------------------------------------------------------------------

/// What a user may do in their partner organization (contract section 12).
/// Customer administrators are `Administrator` of their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Everything, plus the organization's people.
    Administrator,
    /// Acts on the organization's orders.
    Member,
    /// Sees orders and their activity, changes nothing.
    ReadOnly,
    /// Set up one order for an organization that had people already, and
    /// was not (or not yet) let in: acts on the orders they set up only.
    Guest,
}

impl Role {
    /// The roles an administrator can give.
    pub const ASSIGNABLE: [Role; 3] = [Role::Administrator, Role::Member, Role::ReadOnly];

    /// How it is stored and sent in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "admin",
            Role::Member => "member",
            Role::ReadOnly => "read_only",
            Role::Guest => "guest",
        }
    }

    /// A stored role.
    pub fn from_code(code: &str) -> Option<Role> {
        [
            Role::Administrator,
            Role::Member,
            Role::ReadOnly,
            Role::Guest,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// A role chosen in a form: one an administrator can give.
    pub fn parse(input: &str) -> Result<Role, DomainError> {
        let s = required(input)?;
        Self::ASSIGNABLE
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or(DomainError::RoleUnknown)
    }

    /// Whether the role acts on the organization's orders (sets them up,
    /// provisions them, resends invitations).
    pub fn acts_on_orders(self) -> bool {
        matches!(self, Role::Administrator | Role::Member)
    }
}

/// A verification code as emailed: six digits (spaces a person types between
/// them are ignored).
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode(String);

impl VerificationCode {
    /// Digits in a code.
    pub const LEN: usize = 6;

    /// Checks what was typed.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(DomainError::Required);
        }
        if digits.len() == Self::LEN && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(DomainError::CodeInvalid)
        }
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationCode(******)")
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(all(test, feature = "ssr"))]
mod canonical_tests {
    use super::*;

    #[test]
    fn one_mailbox_written_two_ways_is_one_address() {
        let unicode = EmailAddress::parse("Jana@Bücher.example").unwrap();
        let ascii = EmailAddress::parse("jana@xn--bcher-kva.example").unwrap();
        assert_eq!(unicode, ascii);
        assert_eq!(ascii.as_str(), "jana@xn--bcher-kva.example");
        // "é" composed, and "e" + combining acute.
        let composed = EmailAddress::parse("jos\u{e9}@partner.example").unwrap();
        let decomposed = EmailAddress::parse("jose\u{301}@partner.example").unwrap();
        assert_eq!(composed, decomposed);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    // ----- DomainError -----

    #[test]
    fn error_keys_are_unique_snake_case_and_messages_non_empty() {
        let all = [
            DomainError::Required,
            DomainError::EmailInvalid,
            DomainError::OrderNumberInvalid,
            DomainError::OfferUnknown,
            DomainError::ServiceKindUnknown,
            DomainError::ServicesRequired,
            DomainError::QuantityInvalid,
            DomainError::CountryInvalid,
            DomainError::DateInvalid,
            DomainError::SubdomainTooShort,
            DomainError::SubdomainTooLong,
            DomainError::SubdomainCharacters,
            DomainError::SubdomainHyphenEdge,
            DomainError::SubdomainReserved,
            DomainError::OrgNameInvalid,
            DomainError::AddressInvalid,
            DomainError::TextTooLong { max: 500 },
            DomainError::PasswordTooShort,
            DomainError::PasswordTooLong,
            DomainError::PasswordCommon,
            DomainError::PasswordMismatch,
            DomainError::SubscriptionIdInvalid,
            DomainError::PartyIdInvalid,
            DomainError::TimeZoneUnknown,
            DomainError::LanguageUnknown,
            DomainError::PstnConnectionUnknown,
            DomainError::LocationNameInvalid,
            DomainError::PageInvalid,
            DomainError::StatusUnknown,
        ];
        let keys: HashSet<_> = all.iter().map(DomainError::key).collect();
        assert_eq!(keys.len(), all.len());
        for e in &all {
            assert!(e.key().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(e.to_string().ends_with('.'));
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(&serde_json::from_str::<DomainError>(&json).unwrap(), e);
        }
        assert!(
            DomainError::TextTooLong { max: 500 }
                .to_string()
                .contains("500")
        );
        assert_eq!(DomainError::EmailInvalid.key(), "email_invalid");
    }

    // ----- EmailAddress -----

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let e = EmailAddress::parse("  Provisioning@Partner.Example ").unwrap();
        assert_eq!(e.as_str(), "provisioning@partner.example");
        assert_eq!(e.domain(), "partner.example");
        assert_eq!(
            e,
            EmailAddress::parse("PROVISIONING@partner.example").unwrap()
        );
    }

    #[test]
    fn email_refusals() {
        assert_eq!(EmailAddress::parse("   "), Err(DomainError::Required));
        for bad in [
            "plainaddress",
            "@example.com",
            "name@",
            "name@@example.com",
            "name example@example.com",
            "name@localhost",
            "Jane <jane@example.com>",
            "name@[192.168.0.1]",
            "name@-example.com",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(DomainError::EmailInvalid),
                "{bad}"
            );
        }
        let long = format!(
            "{}@{}.com",
            "a".repeat(64),
            [&"b".repeat(60); 4].map(String::as_str).join(".")
        );
        assert!(long.len() > 254);
        assert_eq!(EmailAddress::parse(&long), Err(DomainError::EmailInvalid));
    }

    #[test]
    fn email_accepts_aliases_and_plus() {
        assert!(EmailAddress::parse("first.last+orders@sub.example.co.uk").is_ok());
        assert!(EmailAddress::parse("provisioning@partner.example").is_ok());
    }

    // ----- Identifiers -----

    #[test]
    fn order_number_rules() {
        assert_eq!(
            OrderNumber::parse(" CCW-2026-000123 ").unwrap().as_str(),
            "CCW-2026-000123"
        );
        assert!(OrderNumber::parse("a/b.c_d-1").is_ok());
        assert!(OrderNumber::parse("abc").is_ok());
        assert_eq!(OrderNumber::parse(""), Err(DomainError::Required));
        for bad in [
            "ab",
            "-abc",
            ".abc",
            "abc def",
            "abč",
            "ab#c",
            &"a".repeat(41),
        ] {
            assert_eq!(
                OrderNumber::parse(bad),
                Err(DomainError::OrderNumberInvalid),
                "{bad}"
            );
        }
        assert!(OrderNumber::parse(&"a".repeat(40)).is_ok());
    }

    #[test]
    fn subscription_and_party_id_rules() {
        assert_eq!(
            SubscriptionId::parse(" Sub123 ").unwrap().as_str(),
            "Sub123"
        );
        assert!(SubscriptionId::parse("1").is_ok());
        assert!(SubscriptionId::parse("-1").is_ok());
        assert_eq!(SubscriptionId::parse(" "), Err(DomainError::Required));
        assert_eq!(
            SubscriptionId::parse("a b"),
            Err(DomainError::SubscriptionIdInvalid)
        );
        assert_eq!(
            SubscriptionId::parse(&"1".repeat(41)),
            Err(DomainError::SubscriptionIdInvalid)
        );
        assert!(PartyId::parse(&"7".repeat(40)).is_ok());
        assert_eq!(PartyId::parse("x!"), Err(DomainError::PartyIdInvalid));
        assert_eq!(
            PartyId::parse(&"7".repeat(41)),
            Err(DomainError::PartyIdInvalid)
        );
    }

    // ----- Enums -----

    #[test]
    fn offer_rules() {
        assert_eq!(Offer::parse("A-WX"), Ok(Offer::AWx));
        assert_eq!(Offer::parse(" a-spk "), Ok(Offer::ASpk));
        assert_eq!(Offer::parse("AWX"), Err(DomainError::OfferUnknown));
        assert_eq!(Offer::parse(""), Err(DomainError::Required));
        assert_eq!(serde_json::to_string(&Offer::ASpk).unwrap(), "\"A-SPK\"");
        assert!(serde_json::from_str::<Offer>("\"A-FLEX\"").is_err());
    }

    #[test]
    fn service_kind_rules() {
        assert_eq!(ServiceKind::parse("Calling"), Ok(ServiceKind::Calling));
        assert_eq!(
            ServiceKind::parse("call"),
            Err(DomainError::ServiceKindUnknown)
        );
        assert_eq!(
            serde_json::to_string(&ServiceKind::ALL).unwrap(),
            r#"["meetings","calling","messaging","webinars"]"#
        );
    }

    #[test]
    fn language_and_pstn_rules() {
        assert_eq!(
            AnnouncementLanguage::parse("cs_CZ"),
            Ok(AnnouncementLanguage::CsCz)
        );
        assert_eq!(
            AnnouncementLanguage::parse("CS_cz"),
            Ok(AnnouncementLanguage::CsCz)
        );
        assert_eq!(AnnouncementLanguage::CsCz.english_name(), "Czech");
        assert_eq!(
            AnnouncementLanguage::parse("cs"),
            Err(DomainError::LanguageUnknown)
        );
        assert_eq!(
            PstnConnection::parse("cloud_connected"),
            Ok(PstnConnection::CloudConnected)
        );
        assert_eq!(PstnConnection::CiscoPstn.code(), "cisco");
        assert_eq!(
            PstnConnection::parse("local"),
            Err(DomainError::PstnConnectionUnknown)
        );
    }

    // ----- Quantity -----

    #[test]
    fn quantity_rules() {
        assert_eq!(Quantity::new(1).unwrap().get(), 1);
        assert_eq!(Quantity::new(1_000_000).unwrap().get(), 1_000_000);
        for bad in [0, -1, 1_000_001, i64::MAX, i64::MIN] {
            assert_eq!(Quantity::new(bad), Err(DomainError::QuantityInvalid));
        }
        assert_eq!(Quantity::parse(" 25 ").unwrap().get(), 25);
        assert_eq!(Quantity::parse(""), Err(DomainError::Required));
        for bad in ["1.5", "ten", "1 000", "0", "99999999999999999999"] {
            assert_eq!(
                Quantity::parse(bad),
                Err(DomainError::QuantityInvalid),
                "{bad}"
            );
        }
        let q = Quantity::new(25).unwrap();
        assert_eq!(serde_json::to_string(&q).unwrap(), "25");
        assert_eq!(serde_json::from_str::<Quantity>("25").unwrap(), q);
        assert_eq!(serde_json::from_str::<Quantity>("\"25\"").unwrap(), q);
        for bad in ["0", "-3", "1.5", "\"abc\"", "true", "1000001"] {
            assert!(serde_json::from_str::<Quantity>(bad).is_err(), "{bad}");
        }
    }

    // ----- Country -----

    #[test]
    fn country_list_is_complete_sorted_and_unique() {
        assert_eq!(Country::ALL.len(), 249);
        assert!(Country::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(
            Country::ALL
                .iter()
                .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()))
        );
    }

    #[test]
    fn country_rules() {
        assert_eq!(Country::parse(" cz ").unwrap().as_str(), "CZ");
        assert_eq!(Country::parse("Gb").unwrap().as_str(), "GB");
        assert_eq!(Country::parse(""), Err(DomainError::Required));
        for bad in ["XX", "UK", "CZE", "C", "C1", "čz", "EU"] {
            assert_eq!(
                Country::parse(bad),
                Err(DomainError::CountryInvalid),
                "{bad}"
            );
        }
    }

    // ----- Date -----

    #[test]
    fn date_rules() {
        let d = Date::parse(" 2026-02-28 ").unwrap();
        assert_eq!(d.as_naive(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(d.to_string(), "2026-02-28");
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(Date::parse(""), Err(DomainError::Required));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            "03.02.2026",
            "2026-02-03T00:00",
            "+2026-02-03",
            "２０２６-02-03",
        ] {
            assert_eq!(Date::parse(bad), Err(DomainError::DateInvalid), "{bad}");
        }
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-02-28\"");
    }

    // ----- Free text -----

    #[test]
    fn org_name_rules() {
        assert_eq!(
            OrgName::parse("  ACME \t  Corp\n s.r.o. ")
                .unwrap()
                .as_str(),
            "ACME Corp s.r.o."
        );
        assert!(OrgName::parse(&"č".repeat(100)).is_ok());
        assert_eq!(
            OrgName::parse(&"č".repeat(101)),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(
            OrgName::parse("AC\u{0}ME"),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(
            OrgName::parse("AC\u{202E}ME"),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(OrgName::parse(" \n "), Err(DomainError::Required));
    }

    #[test]
    fn address_rules() {
        assert_eq!(
            Address::parse("Main Street 1\r\n\r\n 110 00 Prague \n")
                .unwrap()
                .as_str(),
            "Main Street 1, 110 00 Prague"
        );
        assert!(Address::parse(&"x".repeat(200)).is_ok());
        assert_eq!(
            Address::parse(&"x".repeat(201)),
            Err(DomainError::AddressInvalid)
        );
        assert_eq!(Address::parse("a\tb"), Err(DomainError::AddressInvalid));
        assert_eq!(Address::parse("\n\n"), Err(DomainError::Required));
    }

    #[test]
    fn location_name_rules() {
        assert_eq!(
            LocationName::parse(" Praha HQ ").unwrap().as_str(),
            "Praha HQ"
        );
        assert!(LocationName::parse(&"a".repeat(80)).is_ok());
        assert_eq!(
            LocationName::parse(&"a".repeat(81)),
            Err(DomainError::LocationNameInvalid)
        );
        assert_eq!(
            LocationName::parse("a\nb"),
            Err(DomainError::LocationNameInvalid)
        );
        assert_eq!(LocationName::parse(""), Err(DomainError::Required));
    }

    // ----- Subdomain -----

    #[test]
    fn subdomain_rules() {
        assert_eq!(Subdomain::parse("ab"), Err(DomainError::SubdomainTooShort));
        assert_eq!(
            Subdomain::parse(&"a".repeat(31)),
            Err(DomainError::SubdomainTooLong)
        );
        assert!(Subdomain::parse(&"a".repeat(30)).is_ok());
        assert_eq!(
            Subdomain::parse("-abc"),
            Err(DomainError::SubdomainHyphenEdge)
        );
        assert_eq!(
            Subdomain::parse("abc-"),
            Err(DomainError::SubdomainHyphenEdge)
        );
        assert_eq!(Subdomain::parse("ABC-def").unwrap().as_str(), "abc-def");
        assert_eq!(Subdomain::parse("www"), Err(DomainError::SubdomainReserved));
        assert_eq!(
            Subdomain::parse("WebEx"),
            Err(DomainError::SubdomainReserved)
        );
        assert_eq!(
            Subdomain::parse("a_b"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(
            Subdomain::parse("acmé"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(
            Subdomain::parse("a.bc"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(Subdomain::parse("   "), Err(DomainError::Required));
        assert_eq!(
            Subdomain::parse(" acme ").unwrap().site_url(),
            "https://acme.webex.com"
        );
    }

    #[test]
    fn reserved_subdomains_are_lower_case_and_would_otherwise_pass_shape_rules() {
        for r in RESERVED_SUBDOMAINS {
            assert_eq!(
                Subdomain::parse(r),
                Err(DomainError::SubdomainReserved),
                "{r}"
            );
        }
    }

    // ----- Password -----

    #[test]
    fn common_password_list_is_sane() {
        assert!(COMMON_PASSWORDS.len() >= 60);
        let unique: HashSet<_> = COMMON_PASSWORDS.iter().collect();
        assert_eq!(unique.len(), COMMON_PASSWORDS.len());
        for p in COMMON_PASSWORDS {
            assert!(p.chars().count() >= PASSWORD_MIN_LEN, "{p}");
            assert_eq!(p.to_lowercase(), *p);
            assert_eq!(check_password(p), Err(DomainError::PasswordCommon), "{p}");
        }
    }

    #[test]
    fn password_rules() {
        let good = "Tr0ub4dour&3xyz";
        let p = Password::parse(good, good).unwrap();
        assert_eq!(p.expose(), good);
        assert!(!format!("{p:?}").contains(good));
        assert_eq!(Password::parse("", ""), Err(DomainError::Required));
        assert_eq!(
            Password::parse("short pass1", "short pass1"),
            Err(DomainError::PasswordTooShort)
        );
        assert!(Password::parse(" spaces kept ", " spaces kept ").is_ok());
        assert_eq!(
            Password::parse(" spaces kept ", "spaces kept"),
            Err(DomainError::PasswordMismatch)
        );
        assert_eq!(
            Password::parse(good, "other"),
            Err(DomainError::PasswordMismatch)
        );
        let long = "ab".repeat(65);
        assert_eq!(check_password(&long), Err(DomainError::PasswordTooLong));
        assert!(check_password(&long[..128]).is_ok());
        assert_eq!(
            check_password("Password1234"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("QWERTYUIOPAS"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("zzzzzzzzzzzzzz"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("            "),
            Err(DomainError::PasswordCommon)
        );
        // Length counts characters, not bytes.
        assert_eq!(check_password("ěščřžýáíéůúě"), Ok(()));
        assert_eq!(
            check_password("ěščřžýáíéůú"),
            Err(DomainError::PasswordTooShort)
        );
    }

    // ----- TimeZone -----

    #[test]
    fn time_zone_rules() {
        assert_eq!(
            TimeZone::parse(" europe/prague ").unwrap().as_str(),
            "Europe/Prague"
        );
        assert_eq!(
            TimeZone::parse("Mars/Olympus"),
            Err(DomainError::TimeZoneUnknown)
        );
        assert_eq!(TimeZone::parse(""), Err(DomainError::Required));
        let unique: HashSet<_> = TimeZone::ALL.iter().collect();
        assert_eq!(unique.len(), TimeZone::ALL.len());
        for required in [
            "Europe/Prague",
            "Europe/London",
            "Europe/Berlin",
            "Europe/Paris",
            "Europe/Vienna",
            "Europe/Bratislava",
            "Europe/Warsaw",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Amsterdam",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Sao_Paulo",
            "Asia/Tokyo",
            "Asia/Singapore",
            "Asia/Kolkata",
            "Australia/Sydney",
            "UTC",
        ] {
            assert!(TimeZone::ALL.contains(&required), "{required}");
        }
    }

    #[test]
    fn default_time_zones_are_offered() {
        for code in Country::ALL {
            let country = Country::parse(code).unwrap();
            let zone = default_time_zone(&country);
            assert!(TimeZone::parse(zone).is_ok(), "{code} -> {zone}");
        }
        let cz = Country::parse("CZ").unwrap();
        assert_eq!(default_time_zone(&cz), "Europe/Prague");
        let jp = Country::parse("JP").unwrap();
        assert_eq!(default_time_zone(&jp), "UTC");
    }

    // ----- Property tests -----

    /// Serde JSON round trip through the `String` representation.
    fn json_round_trip<T>(value: &T) -> T
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        let json = serde_json::to_string(value).unwrap();
        serde_json::from_str(&json).unwrap()
    }

    /// JSON for a string value.
    fn json_string(s: &str) -> String {
        serde_json::to_string(s).unwrap()
    }

    fn valid_subdomain() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{1,28})[a-z0-9]".prop_filter("not reserved", |s| {
            !RESERVED_SUBDOMAINS.contains(&s.as_str())
        })
    }

    fn valid_email() -> impl Strategy<Value = String> {
        (
            "[a-zA-Z0-9]{1,20}(\\.[a-zA-Z0-9_+-]{1,10})?",
            "[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?",
            "[a-zA-Z]{2,10}",
        )
            .prop_map(|(local, domain, tld)| format!("{local}@{domain}.{tld}"))
    }

    proptest! {

        #[test]
        fn no_parser_panics(s in any::<String>(), t in any::<String>()) {
            let _ = EmailAddress::parse(&s);
            let _ = OrderNumber::parse(&s);
            let _ = SubscriptionId::parse(&s);
            let _ = PartyId::parse(&s);
            let _ = Offer::parse(&s);
            let _ = ServiceKind::parse(&s);
            let _ = Quantity::parse(&s);
            let _ = Country::parse(&s);
            let _ = Date::parse(&s);
            let _ = OrgName::parse(&s);
            let _ = Address::parse(&s);
            let _ = LocationName::parse(&s);
            let _ = Subdomain::parse(&s);
            let _ = check_password(&s);
            let _ = Password::parse(&s, &t);
            let _ = TimeZone::parse(&s);
            let _ = AnnouncementLanguage::parse(&s);
            let _ = PstnConnection::parse(&s);
        }

        #[test]
        fn no_parser_panics_on_ascii(s in "[ -~\\t\\n]{0,60}") {
            let _ = EmailAddress::parse(&s);
            let _ = OrderNumber::parse(&s);
            let _ = Quantity::parse(&s);
            let _ = Country::parse(&s);
            let _ = Date::parse(&s);
            let _ = Subdomain::parse(&s);
        }

        // --- Subdomain ---

        #[test]
        fn alnum_subdomain_parses_and_round_trips(s in "[a-z0-9]{3,30}") {
            prop_assume!(!RESERVED_SUBDOMAINS.contains(&s.as_str()));
            let sub = Subdomain::parse(&s).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(Subdomain::parse(&format!("{sub}")).unwrap(), sub);
        }

        #[test]
        fn hyphenated_subdomain_parses_case_insensitively(s in valid_subdomain()) {
            let upper = s.to_uppercase();
            let sub = Subdomain::parse(&upper).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(json_round_trip(&sub), sub.clone());
            prop_assert_eq!(sub.site_url(), format!("https://{s}.webex.com"));
        }

        #[test]
        fn any_parsed_subdomain_follows_the_rules(s in "\\PC{0,40}|[a-zA-Z0-9_ -]{0,35}") {
            if let Ok(sub) = Subdomain::parse(&s) {
                let v = sub.as_str();
                prop_assert!((3..=30).contains(&v.len()));
                prop_assert!(v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
                prop_assert!(!v.starts_with('-') && !v.ends_with('-'));
                prop_assert!(!RESERVED_SUBDOMAINS.contains(&v));
                prop_assert_eq!(Subdomain::parse(v).unwrap(), sub.clone());
            }
        }

        #[test]
        fn subdomain_with_edge_hyphen_is_refused(s in "[a-z0-9]{2,29}") {
            let front = format!("-{s}");
            let back = format!("{s}-");
            prop_assert_eq!(Subdomain::parse(&front), Err(DomainError::SubdomainHyphenEdge));
            prop_assert_eq!(Subdomain::parse(&back), Err(DomainError::SubdomainHyphenEdge));
        }

        #[test]
        fn too_long_subdomain_is_refused(s in "[a-z0-9]{31,60}") {
            prop_assert_eq!(Subdomain::parse(&s), Err(DomainError::SubdomainTooLong));
        }

        // --- EmailAddress ---

        #[test]
        fn generated_email_parses_lower_cased(s in valid_email()) {
            let e = EmailAddress::parse(&s).unwrap();
            prop_assert_eq!(e.as_str(), s.to_lowercase());
            prop_assert_eq!(EmailAddress::parse(&format!("{e}")).unwrap(), e.clone());
            prop_assert_eq!(EmailAddress::parse(&format!("  {s}\n")).unwrap(), e.clone());
            prop_assert_eq!(json_round_trip(&e), e);
        }

        #[test]
        fn any_parsed_email_round_trips(s in "\\PC{0,40}|[a-zA-Z0-9.@_+-]{0,40}") {
            if let Ok(e) = EmailAddress::parse(&s) {
                prop_assert!(e.as_str().chars().count() <= 254);
                prop_assert_eq!(e.as_str().to_lowercase(), e.as_str());
                prop_assert!(email_address::EmailAddress::is_valid(e.as_str()));
                prop_assert_eq!(EmailAddress::parse(e.as_str()).unwrap(), e.clone());
                prop_assert_eq!(json_round_trip(&e), e);
            }
        }

        #[test]
        fn email_without_at_is_refused(s in "[a-z0-9.]{1,40}") {
            prop_assert_eq!(EmailAddress::parse(&s), Err(DomainError::EmailInvalid));
            prop_assert!(serde_json::from_str::<EmailAddress>(&json_string(&s)).is_err());
        }

        // --- Identifiers ---

        #[test]
        fn valid_order_number_parses_as_given(s in "[A-Za-z0-9][A-Za-z0-9._/-]{2,39}") {
            let o = OrderNumber::parse(&format!(" {s} ")).unwrap();
            prop_assert_eq!(o.as_str(), s.as_str());
            prop_assert_eq!(OrderNumber::parse(&format!("{o}")).unwrap(), o.clone());
            prop_assert_eq!(json_round_trip(&o), o);
        }

        #[test]
        fn any_parsed_order_number_follows_the_rules(s in "\\PC{0,45}|[A-Za-z0-9._/ #-]{0,45}") {
            if let Ok(o) = OrderNumber::parse(&s) {
                let v = o.as_str();
                prop_assert!((3..=40).contains(&v.len()));
                prop_assert!(v.starts_with(|c: char| c.is_ascii_alphanumeric()));
                prop_assert!(v.chars().all(is_identifier_char));
            } else {
                prop_assert!(serde_json::from_str::<OrderNumber>(&json_string(&s)).is_err());
            }
        }

        #[test]
        fn ids_parse_and_round_trip(s in "[A-Za-z0-9._/-]{1,40}") {
            let sub = SubscriptionId::parse(&s).unwrap();
            let party = PartyId::parse(&s).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(party.as_str(), s.as_str());
            prop_assert_eq!(SubscriptionId::parse(&format!("{sub}")).unwrap(), sub.clone());
            prop_assert_eq!(PartyId::parse(&format!("{party}")).unwrap(), party.clone());
            prop_assert_eq!(json_round_trip(&sub), sub);
            prop_assert_eq!(json_round_trip(&party), party);
        }

        #[test]
        fn any_parsed_id_follows_the_rules(s in "\\PC{0,45}|[A-Za-z0-9._/ #-]{0,45}") {
            match SubscriptionId::parse(&s) {
                Ok(id) => {
                    prop_assert!((1..=40).contains(&id.as_str().len()));
                    prop_assert!(id.as_str().chars().all(is_identifier_char));
                    prop_assert_eq!(PartyId::parse(&s).map(String::from), Ok(String::from(id)));
                }
                Err(_) => {
                    prop_assert!(PartyId::parse(&s).is_err());
                    prop_assert!(serde_json::from_str::<PartyId>(&json_string(&s)).is_err());
                }
            }
        }

        // --- Quantity ---

        #[test]
        fn quantity_in_range_round_trips(n in 1i64..=1_000_000) {
            let q = Quantity::new(n).unwrap();
            prop_assert_eq!(i64::from(q.get()), n);
            prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap(), q);
            prop_assert_eq!(Quantity::try_from(String::from(q)).unwrap(), q);
            prop_assert_eq!(json_round_trip(&q), q);
        }

        #[test]
        fn quantity_out_of_range_is_refused(n in prop_oneof![i64::MIN..=0, 1_000_001i64..=i64::MAX]) {
            prop_assert_eq!(Quantity::new(n), Err(DomainError::QuantityInvalid));
            prop_assert_eq!(Quantity::parse(&n.to_string()), Err(DomainError::QuantityInvalid));
            prop_assert!(serde_json::from_str::<Quantity>(&n.to_string()).is_err());
        }

        // --- Country ---

        #[test]
        fn every_country_parses_in_any_case(i in 0..Country::ALL.len(), lower in any::<bool>()) {
            let code = Country::ALL[i];
            let input = if lower { code.to_lowercase() } else { code.to_owned() };
            let c = Country::parse(&input).unwrap();
            prop_assert_eq!(c.as_str(), code);
            prop_assert_eq!(Country::parse(&c.to_string()).unwrap(), c);
            prop_assert_eq!(json_round_trip(&c), c);
        }

        #[test]
        fn any_parsed_country_is_listed(s in "\\PC{0,3}|[a-zA-Z]{2}") {
            match Country::parse(&s) {
                Ok(c) => prop_assert!(Country::ALL.contains(&c.as_str())),
                Err(_) => prop_assert!(serde_json::from_str::<Country>(&json_string(&s)).is_err()),
            }
        }

        // --- Date ---

        #[test]
        fn every_real_date_round_trips(days in 0u64..3_652_059) {
            let naive = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days);
            let text = naive.format("%Y-%m-%d").to_string();
            let d = Date::parse(&text).unwrap();
            prop_assert_eq!(d.as_naive(), naive);
            prop_assert_eq!(d.to_string(), text);
            prop_assert_eq!(json_round_trip(&d), d);
        }

        #[test]
        fn any_parsed_date_round_trips(s in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            match Date::parse(&s) {
                Ok(d) => {
                    prop_assert_eq!(d.to_string(), s.trim());
                    prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
                }
                Err(_) => prop_assert!(serde_json::from_str::<Date>(&json_string(&s)).is_err()),
            }
        }

        // --- Free text ---

        #[test]
        fn any_parsed_org_name_follows_the_rules(s in any::<String>()) {
            if let Ok(o) = OrgName::parse(&s) {
                let v = o.as_str();
                prop_assert!((1..=100).contains(&v.chars().count()));
                prop_assert!(!v.chars().any(is_forbidden_char));
                prop_assert_eq!(v.trim(), v);
                prop_assert!(!v.contains("  "));
                prop_assert_eq!(OrgName::parse(&format!("{o}")).unwrap(), o.clone());
                prop_assert_eq!(json_round_trip(&o), o);
            }
        }

        #[test]
        fn printable_org_name_parses(words in prop::collection::vec("[\\p{L}\\p{N}&.,'()-]{1,8}", 1..8)) {
            let input = words.join("  ");
            let o = OrgName::parse(&input).unwrap();
            prop_assert_eq!(o.as_str(), words.join(" "));
        }

        #[test]
        fn any_parsed_address_follows_the_rules(s in any::<String>()) {
            if let Ok(a) = Address::parse(&s) {
                let v = a.as_str();
                prop_assert!((1..=200).contains(&v.chars().count()));
                prop_assert!(!v.chars().any(is_forbidden_char));
                prop_assert_eq!(Address::parse(&format!("{a}")).unwrap(), a.clone());
                prop_assert_eq!(json_round_trip(&a), a);
            }
        }

        #[test]
        fn multi_line_address_is_joined(lines in prop::collection::vec("[A-Za-z0-9][A-Za-z0-9 ]{0,20}[A-Za-z0-9]", 1..5)) {
            let a = Address::parse(&lines.join("\r\n")).unwrap();
            prop_assert_eq!(a.as_str(), lines.join(", "));
        }

        #[test]
        fn any_parsed_location_name_follows_the_rules(s in any::<String>()) {
            match LocationName::parse(&s) {
                Ok(l) => {
                    let v = l.as_str();
                    prop_assert!((1..=80).contains(&v.chars().count()));
                    prop_assert!(!v.chars().any(is_forbidden_char));
                    prop_assert_eq!(LocationName::parse(&format!("{l}")).unwrap(), l.clone());
                    prop_assert_eq!(json_round_trip(&l), l);
                }
                Err(_) => prop_assert!(serde_json::from_str::<LocationName>(&json_string(&s)).is_err()),
            }
        }

        #[test]
        fn printable_location_name_parses(s in "[\\p{L}\\p{N}][\\p{L}\\p{N} ,.-]{0,78}[\\p{L}\\p{N}]") {
            let l = LocationName::parse(&s).unwrap();
            prop_assert_eq!(l.as_str(), s.as_str());
        }

        // --- Password ---

        #[test]
        fn strong_password_is_accepted_only_with_matching_confirmation(
            p in "[a-zA-Z0-9!@#$%^&*() ]{12,128}",
            other in "[a-zA-Z0-9]{0,20}",
        ) {
            let lower = p.to_lowercase();
            prop_assume!(!COMMON_PASSWORDS.contains(&lower.as_str()));
            prop_assume!(p.chars().any(|c| !p.starts_with(c)));
            let pw = Password::parse(&p, &p).unwrap();
            prop_assert_eq!(pw.expose(), p.as_str());
            let debug = format!("{pw:?}");
            prop_assert!(!debug.contains(p.as_str()));
            prop_assume!(other != p);
            prop_assert_eq!(Password::parse(&p, &other), Err(DomainError::PasswordMismatch));
        }

        #[test]
        fn any_accepted_password_follows_the_rules(p in any::<String>()) {
            if check_password(&p).is_ok() {
                let len = p.chars().count();
                prop_assert!((12..=128).contains(&len));
                prop_assert!(!COMMON_PASSWORDS.contains(&p.to_lowercase().as_str()));
                prop_assert!(Password::parse(&p, &p).is_ok());
            } else {
                prop_assert!(Password::parse(&p, &p).is_err());
            }
        }

        #[test]
        fn repeated_character_password_is_common(c in any::<char>(), n in 12usize..=128) {
            let p = c.to_string().repeat(n);
            prop_assert_eq!(check_password(&p), Err(DomainError::PasswordCommon));
        }

        #[test]
        fn short_password_is_refused(p in "\\PC{1,11}") {
            prop_assert_eq!(check_password(&p), Err(DomainError::PasswordTooShort));
        }

        // --- Listed values ---

        #[test]
        fn every_time_zone_round_trips(i in 0..TimeZone::ALL.len(), upper in any::<bool>()) {
            let name = TimeZone::ALL[i];
            let input = if upper { name.to_uppercase() } else { name.to_owned() };
            let tz = TimeZone::parse(&input).unwrap();
            prop_assert_eq!(tz.as_str(), name);
            prop_assert_eq!(TimeZone::parse(&tz.to_string()).unwrap(), tz);
            prop_assert_eq!(json_round_trip(&tz), tz);
        }

        #[test]
        fn unlisted_values_fail_to_deserialize(s in "[a-z_/ -]{0,20}") {
            let t = s.trim();
            let json = json_string(&s);
            let listed = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(t));
            if !listed(TimeZone::ALL) {
                prop_assert!(serde_json::from_str::<TimeZone>(&json).is_err());
            }
            if !listed(&["meetings", "calling", "messaging", "webinars"]) {
                prop_assert!(serde_json::from_str::<ServiceKind>(&json).is_err());
            }
            if !listed(&["cisco", "cloud_connected", "premises_based"]) {
                prop_assert!(serde_json::from_str::<PstnConnection>(&json).is_err());
            }
            if !listed(&["a-wx", "a-spk"]) {
                prop_assert!(serde_json::from_str::<Offer>(&json).is_err());
            }
        }

        #[test]
        fn enums_round_trip(
            o in prop::sample::select(Offer::ALL.to_vec()),
            k in prop::sample::select(ServiceKind::ALL.to_vec()),
            l in prop::sample::select(AnnouncementLanguage::ALL.to_vec()),
            p in prop::sample::select(PstnConnection::ALL.to_vec()),
        ) {
            prop_assert_eq!(Offer::parse(&o.to_string()), Ok(o));
            prop_assert_eq!(Offer::parse(&o.as_str().to_lowercase()), Ok(o));
            prop_assert_eq!(json_round_trip(&o), o);
            prop_assert_eq!(ServiceKind::parse(&k.to_string()), Ok(k));
            prop_assert_eq!(ServiceKind::parse(&k.as_str().to_uppercase()), Ok(k));
            prop_assert_eq!(json_round_trip(&k), k);
            prop_assert_eq!(AnnouncementLanguage::parse(&l.to_string()), Ok(l));
            prop_assert_eq!(json_round_trip(&l), l);
            prop_assert_eq!(PstnConnection::parse(&p.to_string()), Ok(p));
            prop_assert_eq!(json_round_trip(&p), p);
        }

        #[test]
        fn any_parsed_language_is_listed(s in "\\PC{0,8}|[a-zA-Z]{2}_[a-zA-Z]{2}") {
            match AnnouncementLanguage::parse(&s) {
                Ok(l) => prop_assert!(l.code().eq_ignore_ascii_case(s.trim())),
                Err(_) => prop_assert!(serde_json::from_str::<AnnouncementLanguage>(&json_string(&s)).is_err()),
            }
        }
    }

    /// The patterns of the order API's document, held to `parse`: a value
    /// matches exactly when `parse` accepts it as written.
    mod api_patterns {
        use super::super::*;
        use proptest::prelude::*;

        fn exact<T>(s: &str, parsed: Result<T, DomainError>, text: impl Fn(&T) -> String) -> bool {
            parsed.is_ok_and(|v| text(&v) == s)
        }

        /// Whether each pattern agrees with its type on `s`.
        fn agree(s: &str) -> Result<(), String> {
            let re = |p: &str| regex::Regex::new(p).expect("a pattern the regex crate reads");
            let checks: [(&str, bool, bool); 6] = [
                (
                    "order number",
                    re(OrderNumber::PATTERN).is_match(s),
                    exact(s, OrderNumber::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "subscription id",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, SubscriptionId::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "party id",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, PartyId::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "sku",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, Sku::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "organization name",
                    re(OrgName::PATTERN).is_match(s) && s.chars().count() <= OrgName::MAX_LEN,
                    exact(s, OrgName::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "address",
                    re(Address::PATTERN).is_match(s) && s.chars().count() <= Address::MAX_LEN,
                    exact(s, Address::parse(s), |v| v.as_str().to_string()),
                ),
            ];
            for (what, pattern, parse) in checks {
                if pattern != parse {
                    return Err(format!("{what} {s:?}: pattern {pattern}, parse {parse}"));
                }
            }
            Ok(())
        }

        #[test]
        fn the_edges_agree() {
            for s in [
                "",
                " ",
                "a",
                "ab",
                "abc",
                " abc",
                "abc ",
                "a  b",
                "a b",
                "a\tb",
                "a\u{a0}b",
                "Vinohradská 1, Praha",
                "a\u{2028}b",
                "a\u{202e}b",
                "a\u{85}",
                "\u{3000}a",
                "-abc",
                "abc-",
                "A/B.C_D-E",
                "a\nb",
                "a\rb",
                "x\u{7f}",
                "Zákazník a.s.",
            ] {
                agree(s).unwrap();
            }
            agree(&"a".repeat(40)).unwrap();
            agree(&"a".repeat(41)).unwrap();
            agree(&"é".repeat(100)).unwrap();
            agree(&"é".repeat(101)).unwrap();
            agree(&"é".repeat(201)).unwrap();
        }

        proptest! {
            #[test]
            fn patterns_and_parsers_agree(
                s in "[ \t\n\r\u{0b}\u{0c}\u{85}\u{a0}\u{1680}\u{2000}\u{2028}\u{202f}\u{3000}\u{0}\u{1f}\u{7f}\u{9f}\u{202a}\u{2069}aZ09_./,é-]{0,45}"
            ) {
                if let Err(e) = agree(&s) {
                    prop_assert!(false, "{}", e);
                }
            }
        }
    }
}
