//! The types and limits the storage interface speaks in, the same for every
//! backend.

use crate::wizard::machine::Audience;

/// How an order post ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceOutcome {
    /// A new order, with its id.
    Created(String),
    /// The same order number with the same content again.
    Replayed(String),
    /// The same order number with different content.
    Conflict,
}

/// What one scheduler pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PassReport {
    pub invitations: u64,
    pub escalations: u64,
    pub closed: u64,
}

/// Days after the invitation within which setup must be completed.
pub const SETUP_WINDOW_DAYS: u64 = 30;

/// Attempts after which an email is given up as undeliverable.
pub const MAX_ATTEMPTS: i64 = 10;

/// A row claimed for delivery.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: i64,
    /// The claim's lease: only its holder records the outcome.
    pub lease: String,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub attempts: i64,
}

/// A link that may be used.
#[derive(Debug, Clone)]
pub struct OpenLink {
    pub token_hash: String,
    pub order_id: String,
    pub audience: Audience,
    pub email: String,
    /// Whether someone started the setup with this link before ("Next" on
    /// its first step).
    pub opened: bool,
}

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 7;

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: String,
    pub email: String,
    pub partner_org_id: Option<String>,
    /// The party id of the partner organization, if a partner user.
    pub partner_party_id: Option<String>,
    pub customer_org_id: Option<String>,
}

/// How long a "Forgot password?" link works.
pub const RESET_MINUTES: i64 = 60;
/// How long the welcome link of a new customer administrator works.
pub const ACTIVATION_DAYS: i64 = 14;

/// How long an approval link works.
pub const APPROVAL_DAYS: i64 = 14;

/// Days audit entries and sent emails are kept.
pub const RETENTION_DAYS: i64 = 400;
