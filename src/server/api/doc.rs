//! The order API's OpenAPI 3.1 document, generated from the handlers'
//! `#[utoipa::path]` and these types (what the routes read and write), and
//! served at `GET /api/openapi.json`. Schemathesis holds the server to it in
//! `make test`.

use axum::{Json, response::IntoResponse};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        RefOr, Response,
        link::LinkBuilder,
        security::{Http, HttpAuthScheme, SecurityScheme},
    },
};

/// Links from a placed order to the routes that take its number, so that
/// a generated client (and Schemathesis' stateful phase) follows them.
struct OrderLinks;

impl Modify for OrderLinks {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(post) = openapi
            .paths
            .paths
            .get_mut("/api/orders")
            .and_then(|item| item.post.as_mut())
        else {
            return;
        };
        for status in ["201", "200"] {
            if let Some(RefOr::T(response)) = post.responses.responses.get_mut(status) {
                add_links(response);
            }
        }
    }
}

fn add_links(response: &mut Response) {
    for (name, operation) in [
        ("GetOrder", "get_order"),
        ("ChangeContact", "change_contact"),
        ("Resend", "resend"),
    ] {
        response.links.insert(
            name.to_string(),
            RefOr::T(
                LinkBuilder::new()
                    .operation_id(operation)
                    .parameter("order_number", "$request.body#/order_number")
                    .build(),
            ),
        );
    }
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
        super::orders::reopen,
        super::orders::replay_events,
    ),
    modifiers(&BearerScheme, &OrderLinks),
    tags(
        (name = "orders", description = "Orders (contract sections 2 and 8)"),
        (name = "events", description = "Status events (section 10)"),
    )
)]
pub struct ApiDoc;

/// The document as JSON. utoipa 5.5 writes a Link object's fields in
/// snake case (`operation_id`); OpenAPI names them `operationId`,
/// `operationRef` and `requestBody`, and clients read only those.
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
            for operation in item.values_mut() {
                let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(|r| r.as_object_mut())
                else {
                    continue;
                };
                for response in responses.values_mut() {
                    let Some(links) = response.get_mut("links").and_then(|l| l.as_object_mut())
                    else {
                        continue;
                    };
                    for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
                        for (snake, camel) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(value) = link.remove(snake) {
                                link.insert(camel.to_string(), value);
                            }
                        }
                    }
                }
            }
        }
    }
    doc
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> impl IntoResponse {
    Json(document())
}
