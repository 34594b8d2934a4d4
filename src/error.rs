//! The one error type every server function returns.
//!
//! It crosses the wire, so it carries only what is safe to show: which field was
//! wrong and by which rule, or what kind of refusal it was. Causes (SQL, I/O) are
//! logged on the server by [`AppError::unexpected`] and never serialised.

use crate::domain::DomainError;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A field that failed its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name, as in the form or the JSON body.
    pub field: String,
    /// The rule it broke.
    pub error: DomainError,
}

/// Why a request that was well-formed still could not be carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The address is a user of a partner organization.
    EmailBelongsToPartner,
    /// The address is a user of another organization than the one in question.
    EmailBelongsToOtherOrg,
    /// The meeting subdomain is taken by another site.
    SubdomainTaken,
    /// The order is already set up (or provisioned) in another way.
    OrderAlreadySetUp,
    /// The partner organization was not recognised; setup stops.
    OrganizationNotRecognized,
    /// The order is managed by its customer; the partner may not change it.
    ManagedByCustomer,
    /// The step needs an earlier one first (e.g. meeting site before billing).
    StepIncomplete,
    /// Removing or demoting the organization's last administrator.
    LastAdministrator,
    /// The customer organization's meeting site is set up already (by an
    /// earlier order): a later order reuses it.
    SiteAlreadySetUp,
}

impl Refusal {
    /// Stable key for translations.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::EmailBelongsToPartner => "email_belongs_to_partner",
            Refusal::EmailBelongsToOtherOrg => "email_belongs_to_other_org",
            Refusal::SubdomainTaken => "subdomain_taken",
            Refusal::OrderAlreadySetUp => "order_already_set_up",
            Refusal::OrganizationNotRecognized => "organization_not_recognized",
            Refusal::ManagedByCustomer => "managed_by_customer",
            Refusal::StepIncomplete => "step_incomplete",
            Refusal::LastAdministrator => "last_administrator",
            Refusal::SiteAlreadySetUp => "site_already_set_up",
        }
    }
}

/// What a server function can fail with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields broke their rules.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Understood, but refused.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Nothing there (unknown link, order or organization).
    #[error("not found")]
    NotFound,
    /// The link was used, replaced or has expired.
    #[error("link no longer valid")]
    Gone,
    /// Sign-in needed.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The user's organization requires two-step sign-in, and it is not on
    /// yet: nothing but turning it on (`/account`) until it is.
    #[error("two-step sign-in required")]
    TwoStepRequired,
    /// Too many failed sign-ins; try again after the given time.
    #[error("too many attempts: retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The server is busy (all password-hashing slots taken); try again soon.
    #[error("busy: retry after {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    /// Too many requests of this kind; try again after the given time.
    #[error("rate limited: retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Something broke on the server; the cause is in the server log.
    #[error("unexpected server error")]
    Unexpected,
    /// The request was malformed (missing or undecodable arguments).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request did not reach the server or its answer did not come back.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// One invalid field.
    pub fn field(field: impl Into<String>, error: DomainError) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            error,
        }])
    }

    /// The error for `field`, if this is a validation error naming it.
    pub fn for_field(&self, field: &str) -> Option<&DomainError> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| &e.error),
            _ => None,
        }
    }

    /// Logs the whole cause chain and returns the opaque error the browser sees.
    #[cfg(feature = "ssr")]
    pub fn unexpected(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        tracing::error!(error = format!("{err:#}"), "unexpected error");
        AppError::Unexpected
    }

    /// Stable key for translations.
    pub fn key(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid",
            AppError::Refused(r) => r.key(),
            AppError::NotFound => "not_found",
            AppError::Gone => "gone",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::TwoStepRequired => "two_step_required",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Busy { .. } => "busy",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unexpected => "unexpected",
            AppError::BadRequest(_) => "bad_request",
            AppError::Transport(_) => "transport",
        }
    }
}

impl AppError {
    /// The HTTP status a refusal answers with: never 500 for a refusal.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::BadRequest(_) => 400,
            AppError::Refused(_) => 409,
            AppError::NotFound => 404,
            AppError::Gone => 410,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::TwoStepRequired => 403,
            AppError::TooManyAttempts { .. } | AppError::RateLimited { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::Unexpected | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, an argument that is missing or does not decode is the
    /// client's fault: 400 (the framework would answer 500). In the browser,
    /// every framework error is a transport failure.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message)
            | ServerFnErrorErr::UnsupportedRequestMethod(message)
                if cfg!(feature = "ssr") =>
            {
                #[cfg(feature = "ssr")]
                if let Some(response) =
                    leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                {
                    response.set_status(axum::http::StatusCode::BAD_REQUEST);
                }
                AppError::BadRequest(message)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// What storage could not do is unexpected: logged with its whole chain of
/// context, answered as the opaque error (services turn storage's errors into
/// this at their `?`).
#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::unexpected(err)
    }
}

impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        AppError::field("input", error)
    }
}
