//! A number of licenses.

use super::{DomainError, required};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

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
