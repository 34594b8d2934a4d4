//! The order API's OpenAPI 3.1 document, generated from the handlers'
//! `#[utoipa::path]` and these types (what the routes read and write), and
//! served at `GET /api/openapi.json`. Schemathesis holds the server to it in
//! `make test`.

use crate::server::store::OrderRecord;
use axum::{Json, response::IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};

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
    #[schema(
        min_length = 3,
        max_length = 40,
        pattern = r"^[A-Za-z0-9][A-Za-z0-9_./-]{2,39}$"
    )]
    pub order_number: String,
    pub offer: OfferKind,
    #[schema(min_length = 1, max_length = 40)]
    pub subscription_id: String,
    /// An ISO 8601 calendar date; the invitation goes out on it (UTC).
    #[schema(format = Date)]
    pub requested_start_date: String,
    /// The person (or alias) who provides the provisioning details.
    #[schema(format = Email)]
    pub provisioning_contact_email: String,
    #[schema(format = Email)]
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
    #[schema(min_length = 1, max_length = 40)]
    pub party_id: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(min_length = 2, max_length = 2)]
    pub country: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(min_length = 2, max_length = 2)]
    pub country: String,
    #[schema(min_length = 1, max_length = 200)]
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
    #[schema(min_length = 1, max_length = 40)]
    pub sku: String,
    #[schema(minimum = 1, maximum = 1000000)]
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
        }
    }
}

/// A new provisioning contact.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactChange {
    #[schema(format = Email)]
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

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "setup-now order API",
        description = "What the commerce system uses: place orders, follow them, change their \
                       provisioning contact, resend invitations, replay status events. Every route \
                       needs the commerce bearer token.",
    ),
    paths(
        super::orders::place_order,
        super::orders::get_order,
        super::orders::change_contact,
        super::orders::resend,
        super::orders::replay_events,
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "orders", description = "Orders (contract sections 2 and 8)"),
        (name = "events", description = "Status events (section 10)"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
