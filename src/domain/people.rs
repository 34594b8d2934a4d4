//! People: roles in an organization, and verification codes.

use super::{DomainError, required};
use serde::{Deserialize, Serialize};
use std::fmt;

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
