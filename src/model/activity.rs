//! An order's Activity (contract section 7) as storage returns it and the
//! page and the CSV show it, and what each action key means in a language.

use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// One thing someone (or the system) did with an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: String,
    /// The person's address, or `commerce` / `scheduler`.
    pub who: String,
    /// What happened, as a stable key (`order_set_up`, ...).
    pub action: String,
    pub detail: String,
}

/// An email written for an order and how its delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailState {
    pub kind: String,
    pub recipient: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub attempts: i64,
    pub abandoned_at: Option<String>,
}

/// A status event and how its delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventState {
    /// The `webhook-id`.
    pub event_id: String,
    /// `order.invited`, `order.set_up`, ...
    pub kind: String,
    pub occurred_at: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub delivered_at: Option<String>,
    pub abandoned_at: Option<String>,
}

/// The Activity page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub order_id: String,
    pub order_number: String,
    pub entries: Vec<ActivityEntry>,
    pub emails: Vec<EmailState>,
    pub events: Vec<EventState>,
}

/// The most entries the page shows (the CSV has them all).
pub const PAGE_ENTRIES: i64 = 500;

/// Who acted, in `locale`: a person's address as it is, the systems by
/// their names.
pub fn actor_text_in(locale: Locale, who: &str) -> String {
    match who {
        "scheduler" => td_string!(locale, activity.actor_scheduler).to_string(),
        "commerce" => td_string!(locale, activity.actor_commerce).to_string(),
        person => person.to_string(),
    }
}

/// What an action key means, in `locale` (also for the CSV, outside a page).
pub fn action_text_in(locale: Locale, action: &str) -> String {
    match action {
        "order_placed" => td_string!(locale, activity.order_placed).to_string(),
        "invitation_sent" => td_string!(locale, activity.invitation_sent).to_string(),
        "invitation_resent" => td_string!(locale, activity.invitation_resent).to_string(),
        "contact_changed" => td_string!(locale, activity.contact_changed).to_string(),
        "escalated" => td_string!(locale, activity.escalated).to_string(),
        "closed" => td_string!(locale, activity.closed).to_string(),
        "reopened" => td_string!(locale, activity.reopened).to_string(),
        "setup_started" => td_string!(locale, activity.setup_started).to_string(),
        "setup_delegated" => td_string!(locale, activity.setup_delegated).to_string(),
        "order_set_up" => td_string!(locale, activity.order_set_up).to_string(),
        "change_set_up" => td_string!(locale, activity.change_set_up).to_string(),
        "approval_requested" => td_string!(locale, activity.approval_requested).to_string(),
        "approval_approved" => td_string!(locale, activity.approval_approved).to_string(),
        "approval_declined" => td_string!(locale, activity.approval_declined).to_string(),
        "customer_confirmed" => td_string!(locale, activity.customer_confirmed).to_string(),
        "customer_invitation_resent" => {
            td_string!(locale, activity.customer_invitation_resent).to_string()
        }
        "password_created" => td_string!(locale, activity.password_created).to_string(),
        "calling_settings_saved" => td_string!(locale, activity.calling_settings_saved).to_string(),
        "subdomain_reserved" => td_string!(locale, activity.subdomain_reserved).to_string(),
        "billing_started" => td_string!(locale, activity.billing_started).to_string(),
        "join_requested" => td_string!(locale, activity.join_requested).to_string(),
        "join_approved" => td_string!(locale, activity.join_approved).to_string(),
        "join_declined" => td_string!(locale, activity.join_declined).to_string(),
        "role_changed" => td_string!(locale, activity.role_changed).to_string(),
        "person_removed" => td_string!(locale, activity.person_removed).to_string(),
        "person_invited" => td_string!(locale, activity.person_invited).to_string(),
        "invitation_accepted" => td_string!(locale, activity.invitation_accepted).to_string(),
        "close_warning_sent" => td_string!(locale, activity.close_warning_sent).to_string(),
        "provision_reminder_sent" => {
            td_string!(locale, activity.provision_reminder_sent).to_string()
        }
        "two_step_on" => td_string!(locale, activity.two_step_on).to_string(),
        "two_step_off" => td_string!(locale, activity.two_step_off).to_string(),
        "two_step_required" => td_string!(locale, activity.two_step_required).to_string(),
        "two_step_not_required" => td_string!(locale, activity.two_step_not_required).to_string(),
        "recovery_code_used" => td_string!(locale, activity.recovery_code_used).to_string(),
        "signed_out_everywhere" => td_string!(locale, activity.signed_out_everywhere).to_string(),
        other => other.replace('_', " "),
    }
}
