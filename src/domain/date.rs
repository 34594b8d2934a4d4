//! A calendar date as ISO 8601 writes it.

use super::{DomainError, required};
use serde::{Deserialize, Serialize};
use std::fmt;

use chrono::{Datelike, NaiveDate};

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
