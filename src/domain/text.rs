//! Free text: organization names, addresses, calling location names.

use super::{DomainError, is_forbidden_char, required};
use serde::{Deserialize, Serialize};
use std::fmt;

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
