//! The built-in mailbox's messages, as storage returns them and the mailbox
//! page and `GET /api/dev/mailbox` show them.

use serde::{Deserialize, Serialize};

/// A link inside a stored email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxLink {
    pub text: String,
    pub href: String,
}

/// One stored email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    /// `invitation`, `reminder`, `escalation`, `billing_started`, ...
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub links: Vec<MailboxLink>,
    /// The HTML part's body, as the recipient sees it.
    pub html: Option<String>,
    pub created_at: String,
}
