//! The storage boundary. Callers speak in domain terms and typed plans; SQL
//! stays below this module.
//!
//! Two engines behind one interface, picked from the database URL: SQLite,
//! embedded, for `make run` and single instances; PostgreSQL for several
//! instances on one database. Both run the same statements (`sql/`, compiled
//! once per engine by `sqlite/` and `postgres/`), each engine with its own
//! migrations. Times are RFC 3339 UTC text, so text order is time order on both.

pub mod postgres;
pub mod sealer;
pub mod sqlite;
mod types;

pub use types::*;

use crate::domain::{EmailAddress, Subdomain};
use crate::domain::{Role, VerificationCode};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::approval::{ApprovalOutcome, ApprovalView};
use crate::model::mailbox::MailboxMessage;
use crate::model::orders::{Order, OrderSummary};
use crate::model::people::{JoinView, PeopleView};
use crate::model::service::{CallingSettings, ServiceView};
use crate::model::setup::{AdminLookup, Draft, OrgChoice, SetupContext};
use anyhow::Context;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Which engine a store runs on, and what differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// How a transaction that writes begins. SQLite takes its write lock at
    /// once, so two writers queue (busy timeout) instead of one failing when
    /// it upgrades a read to a write.
    pub const fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }

    /// Ends a SELECT whose rows the transaction will update: PostgreSQL locks
    /// them; SQLite's writing transactions hold the whole database already.
    pub const fn for_update(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Ends the subquery that claims due rows: on PostgreSQL rows another
    /// instance is claiming are skipped, not waited for.
    pub const fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// Formats an instant the way every table stores it.
pub(crate) fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored instant.
pub(crate) fn parse_ts(text: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .with_context(|| format!("stored time {text:?}"))?
        .with_timezone(&Utc))
}

/// A new random identifier.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Logs the cause and returns the opaque error the browser sees.
pub(crate) fn unexpected<E: Into<anyhow::Error>>(err: E) -> AppError {
    AppError::unexpected(err)
}

/// Whether a database error is a violated UNIQUE or PRIMARY KEY constraint,
/// judged by the engine's error code (SQLSTATE 23505 on PostgreSQL), not by
/// the message text.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.kind() == sqlx::error::ErrorKind::UniqueViolation,
        _ => false,
    }
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

impl Store {
    /// Opens the database a URL names (`sqlite://…` or `postgres://…`) and
    /// applies that engine's migrations; stored email links are sealed as
    /// `secrets` says.
    pub async fn connect(url: &str, secrets: sealer::OutboxSecrets) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(postgres::connect(url, secrets).await?))
        } else if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(sqlite::connect(url, secrets).await?))
        } else {
            anyhow::bail!("SETUP_NOW_DATABASE_URL must start with sqlite:// or postgres://")
        }
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        match self {
            Store::Sqlite(_) => Engine::Sqlite,
            Store::Postgres(_) => Engine::Postgres,
        }
    }
}

/// The storage interface: every method, once, handed to the engine's
/// implementation.
macro_rules! interface {
    ($( $(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match self {
                        Store::Sqlite(store) => store.$name($($arg),*).await,
                        Store::Postgres(store) => store.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

interface! {
    /// Answers when the database does.
    fn ping(&self) -> anyhow::Result<()>;

    // Orders and the scheduler.
    /// Stores a checked order, idempotently by order number.
    fn place_order(&self, order: &Order, now: DateTime<Utc>) -> anyhow::Result<PlaceOutcome>;
    /// The newest orders, for the commerce page.
    fn list_orders(&self, limit: i64) -> anyhow::Result<Vec<OrderSummary>>;
    /// One order's summary.
    fn order_summary(&self, order_id: &str) -> anyhow::Result<Option<OrderSummary>>;
    /// One scheduler pass: invitations due, escalations due, orders to close.
    fn run_scheduler_pass(&self, now: DateTime<Utc>, public_url: &str) -> anyhow::Result<PassReport>;
    /// A new invitation (to a new contact, if given) before the setup; whether
    /// one was sent (before the start date only the contact changes).
    fn resend_invitation(&self, order_id: &str, new_contact: Option<&EmailAddress>, by: &str, now: DateTime<Utc>, public_url: &str) -> Result<bool, AppError>;
    /// An order as the order API shows it, by its number.
    fn order_record(&self, order_number: &str) -> anyhow::Result<Option<OrderRecord>>;
    /// When the order's invitation went out.
    fn order_invited_at(&self, order_id: &str) -> anyhow::Result<Option<DateTime<Utc>>>;

    // The outbox.
    /// The built-in mailbox, oldest first.
    fn mailbox(&self, to: Option<&str>, limit: i64) -> anyhow::Result<Vec<MailboxMessage>>;
    /// One message of the built-in mailbox.
    fn mailbox_message(&self, id: i64) -> anyhow::Result<Option<MailboxMessage>>;
    /// Claims due emails under a lease.
    fn claim_outbox(&self, now: DateTime<Utc>, lease: Duration, limit: i64) -> anyhow::Result<Vec<OutboxItem>>;
    /// Records a delivery, if the lease is still held.
    fn outbox_sent(&self, id: i64, lease: &str, now: DateTime<Utc>) -> anyhow::Result<bool>;
    /// Records a failed attempt and when to try again (`None`: given up).
    fn outbox_failed(&self, id: i64, lease: &str, error: &str, retry_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> anyhow::Result<bool>;
    /// Attempts, whether sent, and the last error of one email.
    fn outbox_state(&self, id: i64) -> anyhow::Result<(i64, bool, Option<String>)>;

    // Setup links and the commit.
    /// Opens a link (reads only).
    fn open_setup(&self, token: &str, now: DateTime<Utc>) -> Result<SetupContext, AppError>;
    /// Someone pressed "Next" on the first step: the setup has started.
    fn start_setup(&self, token: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// The link, if it may be used now.
    fn usable_link(&self, token: &str, now: DateTime<Utc>) -> Result<OpenLink, AppError>;
    /// Hands the setup to a colleague.
    fn delegate_setup(&self, token: &str, colleague: &EmailAddress, now: DateTime<Utc>, public_url: &str) -> Result<(), AppError>;
    /// The order a spent link belongs to.
    fn order_of_spent_link(&self, token: &str) -> anyhow::Result<Option<String>>;
    /// Carries out the plan a draft becomes, or refuses it.
    fn commit_setup(&self, token: &str, draft: &Draft, now: DateTime<Utc>, public_url: &str, actor: &SetupActor) -> Result<Committed, AppError>;
    /// The order and person whose first password a link may still set, in
    /// the browser that committed.
    fn first_password_target(&self, token: &str, committer: &str, now: DateTime<Utc>) -> Result<(String, String), AppError>;
    /// Sets that first password, once.
    fn set_first_password(&self, token: &str, committer: &str, password_hash: &str, now: DateTime<Utc>) -> Result<String, AppError>;

    // Proving an address.
    /// The address a code proved to a browser for a link.
    fn proven_address(&self, link_hash: &str, browser: &str, now: DateTime<Utc>) -> anyhow::Result<Option<String>>;
    /// Emails a verification code; whether one was sent.
    fn send_proof_code(&self, link_hash: &str, order_id: &str, email: &EmailAddress, locale: Locale, fresh: bool, now: DateTime<Utc>) -> Result<bool, AppError>;
    /// Checks a verification code.
    fn verify_proof_code(&self, link_hash: &str, email: &EmailAddress, code: &VerificationCode, browser: &str, now: DateTime<Utc>) -> Result<(), AppError>;

    // Organizations and people.
    /// What a partner's link may learn about a customer administrator address.
    fn admin_lookup(&self, order_id: &str, email: &EmailAddress, trusted: bool) -> Result<AdminLookup, AppError>;
    /// What decides about the address of whoever sets up.
    fn setter_facts(&self, order_id: &str, email: &EmailAddress) -> Result<SetterFacts, AppError>;
    /// The customer organizations the order's partner manages that match.
    fn find_managed_orgs(&self, order_id: &str, query: &str, limit: i64) -> Result<Vec<OrgChoice>, AppError>;
    /// Makes sure a partner organization exists (demo data); its id.
    fn ensure_partner_org(&self, party_id: &str, name: &str, country: &str, now: DateTime<Utc>) -> anyhow::Result<String>;
    /// Makes sure a partner user exists (demo data).
    fn ensure_partner_user(&self, org: &str, email: &str, role: Role, password_hash: Option<&str>, now: DateTime<Utc>) -> anyhow::Result<()>;
    /// What `/hub/people` shows an administrator.
    fn people_view(&self, org: &str, me: &str, now: DateTime<Utc>) -> anyhow::Result<PeopleView>;
    /// A new role, at once.
    fn change_role(&self, org: &str, user_id: &str, role: Role, by: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// Removes a person; their sessions end.
    fn remove_person(&self, org: &str, user_id: &str, by: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// Answers a join request on the people page.
    fn answer_join_request(&self, org: &str, request_id: &str, approve: bool, by: &str, now: DateTime<Utc>) -> Result<ApprovalOutcome, AppError>;
    /// Sends a "Join" link.
    fn invite_person(&self, org: &str, email: &EmailAddress, role: Role, by: &str, now: DateTime<Utc>, public_url: &str) -> Result<(), AppError>;
    /// Makes sure a guest has an open join request (demo data).
    fn ensure_join_request(&self, org: &str, person: &str, now: DateTime<Utc>, public_url: &str) -> anyhow::Result<()>;
    /// What `/join/{token}` shows.
    fn join_view(&self, token: &str, now: DateTime<Utc>) -> Result<JoinView, AppError>;
    /// Uses a "Join" link, once.
    fn accept_join(&self, token: &str, password_hash: &str, now: DateTime<Utc>) -> Result<String, AppError>;
    /// Makes sure a customer organization exists (demo data).
    fn ensure_customer_org(&self, manager: Option<&str>, name: &str, admin: &str, password_hash: &str, now: DateTime<Utc>) -> anyhow::Result<()>;

    // Approvals.
    /// What the approval page shows.
    fn approval_view(&self, token: &str, now: DateTime<Utc>) -> Result<ApprovalView, AppError>;
    /// Approves or declines, once.
    fn answer_approval(&self, token: &str, approve: bool, now: DateTime<Utc>, public_url: &str) -> Result<ApprovalOutcome, AppError>;

    // Users, sessions, access.
    /// Starts a session; the secret for the cookie.
    fn create_session(&self, user_id: &str, now: DateTime<Utc>) -> anyhow::Result<String>;
    /// The user of a session that has not expired.
    fn session_user(&self, token: &str, now: DateTime<Utc>) -> anyhow::Result<Option<SessionUser>>;
    /// Ends a session.
    fn delete_session(&self, token: &str) -> anyhow::Result<()>;
    /// Remembers the language a user chose in the app, for their emails.
    fn set_language(&self, email: &str, locale: crate::i18n::Locale) -> anyhow::Result<()>;
    /// The id and password hash of the user with this address.
    fn password_of(&self, email: &str) -> anyhow::Result<Option<(String, Option<String>)>>;
    /// Counts a sign-in attempt before the password is checked, or says how
    /// long the key must wait.
    fn reserve_attempt(&self, key: &str, now: DateTime<Utc>, policy: crate::server::throttle::Policy) -> anyhow::Result<Option<Duration>>;
    /// Forgets the attempts of an account after a successful sign-in.
    fn clear_failures(&self, key: &str) -> anyhow::Result<()>;
    /// Whether an account signed in from a network lately.
    fn known_network(&self, key: &str, network: &str, now: DateTime<Utc>) -> anyhow::Result<bool>;
    /// Remembers a network an account signed in from.
    fn remember_network(&self, key: &str, network: &str, now: DateTime<Utc>) -> anyhow::Result<()>;
    /// The user with this address.
    fn user_by_email(&self, email: &str) -> anyhow::Result<Option<SessionUser>>;
    /// The facts access to an order is decided on.
    fn order_access(&self, order_id: &str) -> anyhow::Result<Option<OrderAccess>>;
    /// One page of the orders the hub lists for a user, with their access
    /// facts, and how many match the filter.
    fn hub_page(&self, user: &SessionUser, filter: &crate::model::hub::HubFilter) -> anyhow::Result<(Vec<(String, OrderSummary, OrderAccess)>, u64)>;
    /// "Forgot password?": a reset link for a known address.
    fn request_password_reset(&self, email: &str, now: DateTime<Utc>, public_url: &str) -> anyhow::Result<bool>;
    /// Whether a password link may be used.
    fn password_link_state(&self, token: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// Sets a new password through a password link, once.
    fn reset_password(&self, token: &str, password_hash: &str, now: DateTime<Utc>) -> Result<String, AppError>;
    /// Invites the customer of a "Customer setup" order again.
    fn resend_customer_invitation(&self, order_id: &str, by: &str, now: DateTime<Utc>, public_url: &str) -> Result<(), AppError>;

    // Status events for the commerce system.
    /// Claims events due for delivery, the oldest undelivered one per order.
    fn claim_events(&self, now: DateTime<Utc>, lease: Duration, limit: i64) -> anyhow::Result<Vec<EventItem>>;
    /// Records a delivery attempt while the lease is held.
    fn event_attempted(&self, item: &EventItem, outcome: EventOutcome, now: DateTime<Utc>) -> anyhow::Result<()>;
    /// Queues again the events since an instant (same ids); enables delivery.
    fn replay_events(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> anyhow::Result<u64>;
    /// Since when the receiver switched delivery off (410).
    fn webhook_disabled(&self) -> anyhow::Result<Option<String>>;
    /// Switches delivery off (the receiver answered 410).
    fn disable_webhook(&self, now: DateTime<Utc>) -> anyhow::Result<()>;
    /// The events of one order with their delivery state.
    fn order_events(&self, order_id: &str) -> anyhow::Result<Vec<EventState>>;
    /// An order's Activity (audit entries, emails, events).
    fn order_activity(&self, order_id: &str, limit: i64) -> anyhow::Result<Option<crate::model::activity::ActivityView>>;
    /// A page of an order's audit entries after an entry id.
    fn activity_page(&self, order_id: &str, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, crate::model::activity::ActivityEntry)>>;

    // Settings every instance shares.
    /// The instant the development clock is frozen at, if it is.
    fn frozen_clock(&self) -> anyhow::Result<Option<DateTime<Utc>>>;
    /// Freezes the development clock, or lets it run.
    fn set_frozen_clock(&self, at: Option<DateTime<Utc>>) -> anyhow::Result<()>;

    // Limits.
    /// Counts a hit under a key; how long to wait when over the limit.
    fn hit_rate_limit(&self, key: &str, now: DateTime<Utc>, window: Duration, max: i64) -> anyhow::Result<Option<Duration>>;
    /// Deletes what has served its time (SECURITY.md lists the periods).
    fn purge_expired(&self, now: DateTime<Utc>) -> anyhow::Result<u64>;

    // The service setup.
    /// The order as the service wizard shows it.
    fn service_view(&self, order_id: &str) -> Result<ServiceView, AppError>;
    /// Saves the calling settings.
    fn save_calling(&self, order_id: &str, settings: &CallingSettings, by: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// The live check in one read: `None` without a live session, else
    /// whether the subdomain is taken.
    fn subdomain_check(&self, session_token: &str, subdomain: &str, now: DateTime<Utc>) -> anyhow::Result<Option<bool>>;
    /// Reserves the meeting site's subdomain.
    fn reserve_subdomain(&self, order_id: &str, subdomain: &Subdomain, by: &str, now: DateTime<Utc>) -> Result<(), AppError>;
    /// Provisions the order and starts billing, once.
    fn provision(&self, order_id: &str, by: &str, now: DateTime<Utc>) -> Result<String, AppError>;
}
