//! `/hub/customers` (contract section 14): the partner's customer
//! organizations with their orders and services, paged like the hub.

use crate::model::orders::OrderSummary;
use serde::{Deserialize, Serialize};

/// One purchased service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerService {
    /// As stored: `meetings`, `calling`, ...
    pub kind: String,
    pub sku: String,
    pub quantity: i64,
}

/// One order of a customer, with its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOrder {
    pub summary: OrderSummary,
    pub services: Vec<CustomerService>,
}

/// One customer organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub country: String,
    pub orders: Vec<CustomerOrder>,
}

/// One page of the partner's customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomersView {
    pub page: u32,
    /// Customer organizations on all pages.
    pub total: u64,
    pub customers: Vec<Customer>,
}

impl CustomersView {
    /// How many pages there are (at least one).
    pub fn pages(&self) -> u32 {
        let size = u64::from(crate::model::hub::PAGE_SIZE);
        (self.total.div_ceil(size)).max(1) as u32
    }
}

/// One ordered service, as "Meetings (A-WX-MTG-ENT) × 250", in `locale`.
pub fn service_text_in(
    locale: crate::i18n::Locale,
    kind: &str,
    sku: &str,
    quantity: i64,
) -> String {
    let kind = service_kind_text_in(locale, kind);
    format!("{kind} ({sku}) × {quantity}")
}

/// A kind of service (`meetings`, `calling`, …) by its name in `locale`.
pub fn service_kind_text_in(locale: crate::i18n::Locale, kind: &str) -> String {
    use leptos_i18n::td_string;
    match kind {
        "meetings" => td_string!(locale, service_kind.meetings).to_string(),
        "calling" => td_string!(locale, service_kind.calling).to_string(),
        "messaging" => td_string!(locale, service_kind.messaging).to_string(),
        "webinars" => td_string!(locale, service_kind.webinars).to_string(),
        other => other.to_string(),
    }
}

impl CustomerOrder {
    /// Its services, each as [`service_text_in`], joined.
    pub fn services_text(&self, locale: crate::i18n::Locale) -> String {
        self.services
            .iter()
            .map(|s| service_text_in(locale, &s.kind, &s.sku, s.quantity))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
