//! Domain types: every value the app accepts from a person or another system.
//!
//! "Parse, don't validate": each type has a private field and one checking
//! constructor, `parse`, so holding a value proves it follows its rules. The same
//! rules run in the browser (instant feedback) and on the server (which decides).
//! Deserialization goes through `parse` too, so invalid JSON never becomes a value.
//!
//! Text input is trimmed before it is checked (passwords excepted).

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
    /// A two-step sign-in code (or recovery code) that is not right, or was
    /// used already.
    #[error("The code is not correct.")]
    TwoStepCodeWrong,
    /// The password of the signed-in user is not theirs.
    #[error("The password is not correct.")]
    PasswordWrong,
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
            DomainError::TwoStepCodeWrong => "two_step_code_wrong",
            DomainError::PasswordWrong => "password_wrong",
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

mod calling;
mod country;
mod date;
mod email;
mod identifiers;
mod offer;
mod password;
mod people;
mod quantity;
mod subdomain;
mod text;

pub use calling::{AnnouncementLanguage, PstnConnection, TimeZone, default_time_zone};
pub use country::Country;
pub use date::Date;
pub use email::EmailAddress;
pub use identifiers::{OrderNumber, PartyId, Sku, SubscriptionId};
pub use offer::{Offer, ServiceKind};
pub use password::{Password, check_password};
pub use people::{Role, VerificationCode};
pub use quantity::Quantity;
pub use subdomain::Subdomain;
pub use text::{Address, LocationName, OrgName};

#[cfg(test)]
mod tests;
