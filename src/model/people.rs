//! The people of a partner organization as `/hub/people` and `/join/{token}`
//! show them, and the invitation form's rule.

use crate::domain::{EmailAddress, Role};
use crate::error::FieldError;
use crate::model::activity::ActivityEntry;
use serde::{Deserialize, Serialize};

/// One user of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    /// The signed-in administrator themself.
    pub is_me: bool,
    pub has_password: bool,
}

/// An open request to join the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequestRow {
    pub request_id: String,
    pub email: String,
    pub order_number: Option<String>,
    pub created_at: String,
}

/// An invitation not used yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub email: String,
    pub role: Role,
    pub expires_at: String,
}

/// What `/hub/people` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleView {
    pub organization: String,
    pub people: Vec<PersonRow>,
    pub requests: Vec<JoinRequestRow>,
    pub invitations: Vec<InvitationRow>,
    /// The newest first.
    pub activity: Vec<ActivityEntry>,
    /// "Require two-step sign-in" is checked (contract section 13).
    pub two_step_required: bool,
}

/// What `/join/{token}` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinView {
    pub organization: String,
    pub email: String,
    pub role: Role,
}

/// The invitation form's fields, checked: the browser checks with it, the
/// server decides with it.
pub fn parse_invitation(email: &str, role: &str) -> Result<(EmailAddress, Role), Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(email)
        .map_err(|error| {
            errors.push(FieldError {
                field: "email".into(),
                error,
            })
        })
        .ok();
    let role = Role::parse(role)
        .map_err(|error| {
            errors.push(FieldError {
                field: "role".into(),
                error,
            })
        })
        .ok();
    match (email, role) {
        (Some(email), Some(role)) if errors.is_empty() => Ok((email, role)),
        _ => Err(errors),
    }
}
