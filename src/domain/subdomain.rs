//! A Webex meeting site's subdomain.

use super::{DomainError, required};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------
// Subdomain
// ---------------------------------------------------------------------------

/// Subdomains nobody may take.
pub(super) const RESERVED_SUBDOMAINS: &[&str] = &[
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
