//! The Activity of an order (contract section 7): who did what and when, and
//! the status events sent to the commerce system with their delivery state.

use serde::{Deserialize, Serialize};

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
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
    pub abandoned_at: Option<String>,
}
