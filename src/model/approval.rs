//! Approvals as the approval page shows them and their answers (contract
//! sections 9 and 11).

use serde::{Deserialize, Serialize};

/// What the approval page shows: who asks, for what. Nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalView {
    /// A partner's order for the reader's customer organization.
    Order {
        partner_name: String,
        order_number: String,
        services: Vec<(String, String, u32)>,
    },
    /// Someone asks to join the reader's partner organization.
    Join {
        person: String,
        organization: String,
        order_number: Option<String>,
    },
}

/// The answer given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalOutcome {
    /// The order is attached; its service setup is at this address.
    Approved {
        service_url: String,
    },
    Declined,
    /// The person is a Member of the organization now.
    Joined {
        person: String,
    },
    /// The person keeps their one order only.
    JoinDeclined {
        person: String,
    },
}
