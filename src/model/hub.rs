//! The Partner Hub's data: the statuses it lists and filters by, the filter
//! of an address, and the page of orders a user may see.

use crate::domain::DomainError;
use crate::error::FieldError;
use crate::model::orders::{OrderStatus, OrderSummary};
use serde::{Deserialize, Serialize};

/// Orders on one page of the hub.
pub const PAGE_SIZE: u32 = 25;
/// The longest search the hub accepts.
pub const MAX_SEARCH: usize = 100;

/// The statuses the hub lists and filters by (contract section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HubStatus {
    /// "Awaiting Provisioning Details": not set up yet (scheduled, invited or
    /// escalated).
    AwaitingDetails,
    AwaitingApproval,
    SetUp,
    Provisioned,
    Closed,
    /// Not a status: the orders someone should act on (contract section 14):
    /// escalated, awaiting approval for more than [`STALE_DAYS`] days,
    /// closing within [`CLOSING_WITHIN_DAYS`] days, or set up and not
    /// provisioned for more than [`STALE_DAYS`] days.
    NeedsAttention,
}

/// Days after which an approval not given, or a setup not provisioned,
/// needs attention.
pub const STALE_DAYS: i64 = 3;
/// An order closing within this many days needs attention.
pub const CLOSING_WITHIN_DAYS: i64 = 7;

impl HubStatus {
    pub const ALL: [HubStatus; 5] = [
        HubStatus::AwaitingDetails,
        HubStatus::AwaitingApproval,
        HubStatus::SetUp,
        HubStatus::Provisioned,
        HubStatus::Closed,
    ];

    /// What the hub's filter offers: the statuses, then "Needs attention".
    pub const FILTERS: [HubStatus; 6] = [
        HubStatus::AwaitingDetails,
        HubStatus::AwaitingApproval,
        HubStatus::SetUp,
        HubStatus::Provisioned,
        HubStatus::Closed,
        HubStatus::NeedsAttention,
    ];

    /// How it appears in links, e.g. `set_up`.
    pub fn key(self) -> &'static str {
        match self {
            HubStatus::AwaitingDetails => "awaiting_details",
            HubStatus::AwaitingApproval => "awaiting_approval",
            HubStatus::SetUp => "set_up",
            HubStatus::Provisioned => "provisioned",
            HubStatus::Closed => "closed",
            HubStatus::NeedsAttention => "needs_attention",
        }
    }

    /// The hub status an order's status is listed under.
    pub fn of(status: OrderStatus) -> HubStatus {
        match status {
            OrderStatus::Scheduled | OrderStatus::Invited | OrderStatus::Escalated => {
                HubStatus::AwaitingDetails
            }
            OrderStatus::AwaitingApproval => HubStatus::AwaitingApproval,
            OrderStatus::SetUp => HubStatus::SetUp,
            OrderStatus::Provisioned => HubStatus::Provisioned,
            OrderStatus::Closed => HubStatus::Closed,
        }
    }
}

/// Which orders the hub shows: one page, optionally of one status and
/// matching a search of order number or customer name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubFilter {
    /// From 1.
    pub page: u32,
    pub status: Option<HubStatus>,
    /// Trimmed; empty for no search.
    pub search: String,
}

impl Default for HubFilter {
    fn default() -> Self {
        HubFilter {
            page: 1,
            status: None,
            search: String::new(),
        }
    }
}

impl HubFilter {
    /// The filter of a hub address's query (`page`, `status`, `q`), or what
    /// is wrong with it. An empty value means "not given".
    pub fn parse(
        page: Option<&str>,
        status: Option<&str>,
        search: Option<&str>,
    ) -> Result<HubFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error = |field: &str, error: DomainError| {
            errors.push(FieldError {
                field: field.into(),
                error,
            })
        };
        let page = match page.map(str::trim).filter(|p| !p.is_empty()) {
            None => 1,
            Some(p) => match p.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    error("page", DomainError::PageInvalid);
                    1
                }
            },
        };
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let found = HubStatus::FILTERS.into_iter().find(|h| h.key() == s);
                if found.is_none() {
                    error("status", DomainError::StatusUnknown);
                }
                found
            }
        };
        let search = search.unwrap_or("").trim().to_string();
        if search.chars().count() > MAX_SEARCH {
            error("q", DomainError::TextTooLong { max: MAX_SEARCH });
        }
        if errors.is_empty() {
            Ok(HubFilter {
                page,
                status,
                search,
            })
        } else {
            Err(errors)
        }
    }

    /// The hub's address showing page `page` of this filter.
    pub fn href(&self, page: u32) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        if let Some(status) = self.status {
            query.append_pair("status", status.key());
        }
        if !self.search.is_empty() {
            query.append_pair("q", &self.search);
        }
        let query = query.finish();
        if query.is_empty() {
            "/hub".into()
        } else {
            format!("/hub?{query}")
        }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(PAGE_SIZE)
    }
}

/// One order in the hub, with what the signed-in user may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubOrder {
    pub summary: OrderSummary,
    /// The service setup may be opened.
    pub can_manage: bool,
    /// A new "Set Up Now" email may go to the provisioning contact.
    pub can_resend: bool,
    /// A new "Set Up Now" email may go to the customer ("Customer setup").
    pub can_resend_customer: bool,
}

/// A customer organization as the hub lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubOrg {
    pub name: String,
    pub managed_by_customer: bool,
    pub orders: Vec<HubOrder>,
}

/// The signed-in user's hub: one page of the orders they may see, grouped
/// by customer organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubView {
    pub email: String,
    pub is_partner: bool,
    /// An Administrator of a partner organization: may manage its people.
    pub is_admin: bool,
    pub filter: HubFilter,
    /// Orders matching the filter, on all pages.
    pub total: u64,
    pub organizations: Vec<HubOrg>,
}

impl HubView {
    /// How many pages the matching orders fill (at least one).
    pub fn pages(&self) -> u32 {
        (self.total.div_ceil(u64::from(PAGE_SIZE)).max(1)).min(u64::from(u32::MAX)) as u32
    }
}

/// A status as the hub lists and filters it, in `locale` (also for a CSV,
/// outside a page).
pub fn status_text_in(locale: crate::i18n::Locale, status: HubStatus) -> String {
    use leptos_i18n::td_string;
    match status {
        HubStatus::AwaitingDetails => td_string!(locale, status.awaiting_details),
        HubStatus::AwaitingApproval => td_string!(locale, status.awaiting_approval),
        HubStatus::SetUp => td_string!(locale, status.set_up),
        HubStatus::Provisioned => td_string!(locale, status.provisioned),
        HubStatus::Closed => td_string!(locale, status.closed),
        HubStatus::NeedsAttention => td_string!(locale, status.needs_attention),
    }
    .to_string()
}
