//! What the order API reads and writes, as OpenAPI schemas: each text
//! field's rule comes from the domain type that checks it.

use crate::domain::{
    Address, Country, EmailAddress, IDENTIFIER_PATTERN, OrderNumber, OrgName, Quantity,
};
use crate::server::store::OrderRecord;
use serde::{Deserialize, Serialize};
use utoipa::{
    ToSchema,
    openapi::{KnownFormat, ObjectBuilder, SchemaFormat, Type, schema::Object},
};

// Each text field's schema comes from the domain type that checks it (its
// pattern and length), so the document and the server cannot disagree.

fn text(pattern: &str, max_length: usize) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .min_length(Some(1))
        .max_length(Some(max_length))
        .build()
}

fn order_number() -> Object {
    text(OrderNumber::PATTERN, 40)
}

fn identifier() -> Object {
    text(IDENTIFIER_PATTERN, 40)
}

fn org_name() -> Object {
    text(OrgName::PATTERN, OrgName::MAX_LEN)
}

fn address() -> Object {
    text(Address::PATTERN, Address::MAX_LEN)
}

/// ISO 3166-1 alpha-2, as assigned: the list the server checks against.
fn country() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Country::ALL.iter().copied()))
        .build()
}

fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(EmailAddress::MAX_LEN))
        .build()
}

fn date() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .build()
}

fn quantity() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(Quantity::MIN))
        .maximum(Some(Quantity::MAX))
        .build()
}

/// An order as the commerce system places it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "order_number": "CCW-2026-000123", "offer": "A-WX", "subscription_id": "Sub-100123",
    "requested_start_date": "2026-12-01", "provisioning_contact_email": "provisioning@partner.example",
    "account_rep_email": "rep@cisco.example",
    "partner": {"party_id": "P-4711", "name": "Partner s.r.o.", "country": "CZ"},
    "customer": {"name": "Zakaznik a.s.", "country": "CZ", "address": "Vinohradska 1, 120 00 Praha"},
    "services": [{"kind": "meetings", "sku": "A-WX-MTG-ENT", "quantity": 250}]
}))]
pub struct OrderBody {
    /// 3 to 40 letters, digits or `- _ . /`, starting with a letter or digit.
    #[schema(schema_with = order_number)]
    pub order_number: String,
    pub offer: OfferKind,
    /// 1 to 40 letters, digits or `- _ . /`.
    #[schema(schema_with = identifier)]
    pub subscription_id: String,
    /// An ISO 8601 calendar date; the invitation goes out on it (UTC).
    #[schema(schema_with = date)]
    pub requested_start_date: String,
    /// The person (or alias) who provides the provisioning details.
    #[schema(schema_with = email)]
    pub provisioning_contact_email: String,
    #[schema(schema_with = email)]
    pub account_rep_email: String,
    pub partner: PartyBody,
    pub customer: CustomerBody,
    #[schema(min_items = 1, max_items = 20)]
    pub services: Vec<ServiceLine>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub enum OfferKind {
    #[serde(rename = "A-WX")]
    AWx,
    #[serde(rename = "A-SPK")]
    ASpk,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyBody {
    #[schema(schema_with = identifier)]
    pub party_id: String,
    /// Words one space apart, no control characters.
    #[schema(schema_with = org_name)]
    pub name: String,
    /// ISO 3166-1 alpha-2, upper-case.
    #[schema(schema_with = country)]
    pub country: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerBody {
    /// Words one space apart, no control characters.
    #[schema(schema_with = org_name)]
    pub name: String,
    /// ISO 3166-1 alpha-2, upper-case.
    #[schema(schema_with = country)]
    pub country: String,
    /// One line, no control characters.
    #[schema(schema_with = address)]
    pub address: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    Meetings,
    Calling,
    Messaging,
    Webinars,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceLine {
    pub kind: ServiceKind,
    #[schema(schema_with = identifier)]
    pub sku: String,
    #[schema(schema_with = quantity)]
    pub quantity: u32,
}

/// What placing an order answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Placed {
    pub order_id: String,
    /// `scheduled` for a new order; a replay answers where it stands.
    pub status: String,
}

/// An order and where it stands.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderView {
    pub order_id: String,
    pub order_number: String,
    /// `scheduled`, `invited`, `escalated`, `awaiting_approval`, `set_up`,
    /// `provisioned` or `closed`.
    pub status: String,
    pub provisioning_contact_email: String,
    #[schema(format = Date)]
    pub requested_start_date: String,
    /// RFC 3339, or null before the setup.
    #[schema(format = DateTime)]
    pub set_up_at: Option<String>,
    /// RFC 3339, or null before provisioning.
    #[schema(format = DateTime)]
    pub provisioned_at: Option<String>,
    /// `change` when the subscription was already provisioned for the same
    /// partner when the order arrived (no organization is set up again),
    /// else `new`.
    #[schema(pattern = "^(new|change)$")]
    pub kind: String,
}

impl From<OrderRecord> for OrderView {
    fn from(r: OrderRecord) -> Self {
        OrderView {
            order_id: r.order_id,
            order_number: r.order_number,
            status: r.status.to_string(),
            provisioning_contact_email: r.provisioning_contact_email,
            requested_start_date: r.requested_start_date,
            set_up_at: r.set_up_at,
            provisioned_at: r.provisioned_at,
            kind: r.kind.to_string(),
        }
    }
}

/// A new provisioning contact.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactChange {
    #[schema(schema_with = email)]
    pub provisioning_contact_email: String,
}

/// Replay events that occurred since an instant.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Replay {
    #[schema(format = DateTime)]
    pub since: String,
}

/// How many events were queued again.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Replayed {
    pub events: u64,
}

/// A refusal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    pub error: String,
}

/// Every invalid field, named.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldErrors {
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field, as in the body (`services[0].quantity`).
    pub field: String,
    pub message: String,
}
