//! The types and limits the storage interface speaks in, the same for every
//! backend.

use crate::model::setup::Audience;

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
    /// "Will close" warnings sent (21 and 28 days after the invitation).
    pub close_warnings: u64,
    /// Reminders to provision an order set up 3 days before.
    pub provision_reminders: u64,
}

/// Days after the invitation within which setup must be completed.
pub const SETUP_WINDOW_DAYS: u64 = 30;

/// An order a scheduler pass claimed, as its emails name it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueOrder {
    pub id: String,
    pub order_number: String,
    pub offer: String,
    pub customer_name: String,
    pub requested_start_date: String,
    pub partner_name: String,
    pub partner_country: String,
    pub provisioning_contact_email: String,
    /// `change` for a change order (contract section 14), else `new`.
    #[sqlx(default)]
    pub kind: String,
    /// Claimed for an escalation or a closure only.
    #[sqlx(default)]
    pub account_rep_email: Option<String>,
    /// Claimed for a warning or a closure only.
    #[sqlx(default)]
    pub invited_at: Option<String>,
    /// Claimed for a reminder to provision only.
    #[sqlx(default)]
    pub setup_at: Option<String>,
    /// Claimed for a reminder to provision only.
    #[sqlx(default)]
    pub setup_by_email: Option<String>,
}

/// What a change of status records: the order and the event's type
/// (`order.invited`, `order.escalated`, `order.set_up`,
/// `order.approval_requested`, `order.provisioned`, `order.closed`).
pub struct NewEvent<'a> {
    pub order_id: &'a str,
    pub order_number: &'a str,
    pub kind: &'static str,
    /// `change` for a change order, else `new` (as the order's row says).
    pub order_kind: &'a str,
}

/// A setup link to record (its hash).
pub struct NewLink {
    pub hash: String,
    pub order_id: String,
    pub email: String,
    pub audience: &'static str,
    pub expires: String,
}

/// An approval link and what it is about.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovalRow {
    /// `customer` or `join`.
    pub kind: String,
    pub request_id: String,
    pub order_id: Option<String>,
    pub customer_org_id: Option<String>,
    pub partner_org_id: Option<String>,
    /// Who asks to join.
    pub subject_email: Option<String>,
    /// Who answers.
    pub admin_email: String,
    pub expires_at: String,
    pub answered_at: Option<String>,
    pub order_number: Option<String>,
    pub partner_name: Option<String>,
    pub setup_by_email: Option<String>,
    pub setup_mode: Option<String>,
    /// The partner organization's name, for a join request.
    pub org_name: Option<String>,
}

/// An approval link to record.
pub struct NewApproval<'a> {
    /// `customer` or `join`.
    pub kind: &'static str,
    /// The same for every administrator asked about one request.
    pub request_id: &'a str,
    pub order_id: Option<&'a str>,
    pub customer_org: Option<&'a str>,
    pub partner_org: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub admin: &'a str,
    pub expires: chrono::DateTime<chrono::Utc>,
}

/// Who an address belongs to, and whether a password protects it.
pub struct Person {
    pub owner: crate::model::setup::Owner<String>,
    pub has_password: bool,
}

/// What a commit reads of its order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderParties {
    pub order_number: String,
    pub partner_party_id: String,
    pub partner_name: String,
    pub customer_org_id: Option<String>,
}

/// What the commit that spent a link left.
#[derive(Debug, Clone)]
pub struct SpentCommit {
    pub order_id: String,
    /// A partner's link (else the customer's).
    pub partner_link: bool,
    /// Who set up.
    pub setter: String,
    /// The hash of the committing browser's cookie.
    pub committer_hash: Option<String>,
    /// "Customer setup", or the customer's own.
    pub customer_mode: bool,
    pub awaiting_approval: bool,
    /// Whoever set up has no password yet.
    pub needs_password: bool,
    /// The address the customer's newest link went to.
    pub customer_email: Option<String>,
}

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
    /// The HTML part's body, for emails written with one.
    pub html: Option<String>,
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

/// A link as stored: what it is for, and what its use is judged by.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub link: OpenLink,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Used, replaced, or of a closed order.
    pub ended: bool,
}

/// What decides about the address of whoever sets up an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetterFacts {
    pub owner: crate::model::setup::Owner<String>,
    pub lookup: crate::model::setup::SetterLookup,
    pub has_password: bool,
    pub partner_has_members: bool,
}

/// How long a session lasts: it ends after `idle` without a request, and
/// `absolute` after its sign-in whatever happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetimes {
    pub idle: chrono::Duration,
    pub absolute: chrono::Duration,
}

impl Default for SessionLifetimes {
    /// 30 minutes idle, 12 hours in all (OWASP's session management cheat
    /// sheet for an application of this kind).
    fn default() -> Self {
        SessionLifetimes {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
        }
    }
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: String,
    pub email: String,
    pub partner_org_id: Option<String>,
    /// The party id of the partner organization, if a partner user.
    pub partner_party_id: Option<String>,
    pub customer_org_id: Option<String>,
    /// What they may do in their organization.
    pub role: crate::domain::Role,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: SessionUser,
    /// The user's organization requires two-step sign-in and they have not
    /// turned it on: they may only do that (contract section 13).
    pub two_step_missing: bool,
}

/// What a request shows about who is behind it in the setup wizard: the
/// signed-in user, the code this browser entered (its cookie's hash), and
/// the one-time value of the commit (contract sections 5 and 11).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupActor {
    /// The address of the signed-in user.
    pub signed_in: Option<String>,
    /// The hash of this browser's proof cookie.
    pub proof: Option<String>,
    /// The hash of the commit cookie this browser presents, if any.
    pub committer_presented: Option<String>,
    /// The hash of a fresh commit cookie, kept if this request commits.
    pub committer_new: String,
}

/// A commit as the browser learns it, and whether this request made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub result: crate::model::setup::CommitResult,
    /// This request committed (its fresh cookie was kept).
    pub first: bool,
}

/// A proof code lives this long.
pub const PROOF_MINUTES: i64 = 15;
/// Wrong tries that end a code.
pub const PROOF_TRIES: i64 = 5;
/// Codes one address may be sent in an hour.
pub const PROOF_SENDS_PER_ADDRESS: i64 = 3;
/// Codes one link may send in an hour.
pub const PROOF_SENDS_PER_LINK: i64 = 6;
/// How long an entered code keeps proving the address to its browser.
pub const PROOF_HOURS: i64 = 24;
/// How long a network an account signed in from passes its throttle.
pub const KNOWN_NETWORK_DAYS: i64 = 90;
/// How long a "Join" link works.
pub const JOIN_DAYS: i64 = 7;

/// How long a "Forgot password?" link works.
pub const RESET_MINUTES: i64 = 60;
/// How long the welcome link of a new customer administrator works.
pub const ACTIVATION_DAYS: i64 = 14;

/// How long an approval link works.
pub const APPROVAL_DAYS: i64 = 14;

/// Days audit entries and sent emails are kept.
pub const RETENTION_DAYS: i64 = 400;

/// An order as the order API shows it (contract section 8).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderRecord {
    pub order_id: String,
    pub order_number: String,
    /// `scheduled`, `invited`, `escalated`, `awaiting_approval`, `set_up`,
    /// `provisioned` or `closed`.
    pub status: &'static str,
    pub provisioning_contact_email: String,
    pub requested_start_date: String,
    pub set_up_at: Option<String>,
    pub provisioned_at: Option<String>,
    /// `change` for a change order (contract section 14), else `new`.
    pub kind: &'static str,
}

/// An event claimed for delivery.
#[derive(Debug, Clone)]
pub struct EventItem {
    pub id: i64,
    /// The claim's lease: only its holder records the outcome.
    pub lease: String,
    /// The `webhook-id`, the same on every delivery of this event.
    pub event_id: String,
    /// The JSON body, exactly as signed and sent.
    pub payload: String,
    pub attempts: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// How a delivery attempt of an event ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// The receiver answered 2xx.
    Delivered { status: i64 },
    /// Anything else; `retry_at` is `None` when the event is given up.
    Failed {
        status: Option<i64>,
        error: String,
        retry_at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

pub use crate::model::activity::EventState;

/// The facts about an order that access depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderAccess {
    pub partner_party_id: String,
    pub partner_org_id: Option<String>,
    pub customer_org_id: Option<String>,
    pub mode: Option<crate::model::setup::SetupMode>,
    pub set_up: bool,
    pub customer_confirmed: bool,
    pub closed: bool,
    /// Who set the order up (or asked its customer to approve it).
    pub setup_by: Option<String>,
}

/// What an operator's gauges read from the database (contract section 15).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueGauges {
    /// Emails neither sent nor given up.
    pub outbox_pending: i64,
    /// Seconds since the oldest of them was written; 0 when there is none.
    pub outbox_oldest_pending_seconds: f64,
    /// Status events neither delivered nor given up.
    pub events_pending: i64,
    /// Orders by status key (`scheduled`, `invited`, …), as the hub lists them.
    pub orders: Vec<(String, i64)>,
}
