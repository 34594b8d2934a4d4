//! An email address, canonical on the server.

use super::{DomainError, required};
use serde::{Deserialize, Serialize};
use std::fmt;

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
