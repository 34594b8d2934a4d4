//! Identifiers from commerce: order numbers, subscription ids, party ids,
//! SKUs.

use super::{DomainError, is_identifier, required};
use serde::{Deserialize, Serialize};
use std::fmt;

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
