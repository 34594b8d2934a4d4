//! Orders as the commerce system sends them: the raw input, the one function that
//! checks it (run by the `/commerce` form in the browser and by the API on the
//! server), and the summaries the pages show.

use crate::domain::{
    Address, Country, Date, DomainError, EmailAddress, Offer, OrderNumber, OrgName, PartyId,
    Quantity, ServiceKind, Sku, SubscriptionId,
};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The partner as the order names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyInput {
    pub party_id: String,
    pub name: String,
    pub country: String,
}

/// The customer as the order names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub name: String,
    pub country: String,
    pub address: String,
}

/// One ordered service, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub kind: String,
    pub sku: String,
    pub quantity: String,
}

/// An order as typed or received: every field as text, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderInput {
    pub order_number: String,
    pub offer: String,
    pub subscription_id: String,
    pub requested_start_date: String,
    pub provisioning_contact_email: String,
    pub account_rep_email: String,
    pub partner: PartyInput,
    pub customer: CustomerInput,
    pub services: Vec<ServiceInput>,
}

/// A partner, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub party_id: PartyId,
    pub name: OrgName,
    pub country: Country,
}

/// A customer, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: OrgName,
    pub country: Country,
    pub address: Address,
}

/// One ordered service, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub kind: ServiceKind,
    pub sku: Sku,
    pub quantity: Quantity,
}

/// Why a posted order body was refused; nothing is stored for either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeError {
    /// The body is not JSON; serde_json's reason.
    NotJson(String),
    /// The JSON names invalid fields, each one.
    Invalid(Vec<FieldError>),
}

/// An order whose every field passed its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub order_number: OrderNumber,
    pub offer: Offer,
    pub subscription_id: SubscriptionId,
    pub requested_start_date: Date,
    pub provisioning_contact_email: EmailAddress,
    pub account_rep_email: EmailAddress,
    pub partner: Party,
    pub customer: Customer,
    pub services: Vec<Service>,
}

impl Order {
    /// Whether any service of `kind` was bought.
    pub fn has(&self, kind: ServiceKind) -> bool {
        self.services.iter().any(|s| s.kind == kind)
    }
}

/// Collects field errors while checking many fields, so that every bad field is
/// named at once.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn check<T>(&mut self, field: &str, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(FieldError {
                    field: field.to_string(),
                    error,
                });
                None
            }
        }
    }
}

impl OrderInput {
    /// Checks every field; on failure names each invalid one.
    pub fn validate(&self) -> Result<Order, Vec<FieldError>> {
        let mut c = Checker::default();
        let order_number = c.check("order_number", OrderNumber::parse(&self.order_number));
        let offer = c.check("offer", Offer::parse(&self.offer));
        let subscription_id = c.check(
            "subscription_id",
            SubscriptionId::parse(&self.subscription_id),
        );
        let requested_start_date = c.check(
            "requested_start_date",
            Date::parse(&self.requested_start_date),
        );
        let provisioning_contact_email = c.check(
            "provisioning_contact_email",
            EmailAddress::parse(&self.provisioning_contact_email),
        );
        let account_rep_email = c.check(
            "account_rep_email",
            EmailAddress::parse(&self.account_rep_email),
        );
        let partner_id = c.check("partner.party_id", PartyId::parse(&self.partner.party_id));
        let partner_name = c.check("partner.name", OrgName::parse(&self.partner.name));
        let partner_country = c.check("partner.country", Country::parse(&self.partner.country));
        let customer_name = c.check("customer.name", OrgName::parse(&self.customer.name));
        let customer_country = c.check("customer.country", Country::parse(&self.customer.country));
        let customer_address = c.check("customer.address", Address::parse(&self.customer.address));
        if self.services.is_empty() {
            c.errors.push(FieldError {
                field: "services".into(),
                error: DomainError::Required,
            });
        }
        if self.services.len() > MAX_SERVICES {
            c.errors.push(FieldError {
                field: "services".into(),
                error: DomainError::ServicesTooMany,
            });
            return Err(c.errors);
        }
        let mut services = Vec::with_capacity(self.services.len());
        for (i, s) in self.services.iter().enumerate() {
            let kind = c.check(&format!("services[{i}].kind"), ServiceKind::parse(&s.kind));
            let sku = c.check(&format!("services[{i}].sku"), Sku::parse(&s.sku));
            let quantity = c.check(
                &format!("services[{i}].quantity"),
                Quantity::parse(&s.quantity),
            );
            if let (Some(kind), Some(sku), Some(quantity)) = (kind, sku, quantity) {
                services.push(Service {
                    kind,
                    sku,
                    quantity,
                });
            }
        }
        match (
            order_number,
            offer,
            subscription_id,
            requested_start_date,
            provisioning_contact_email,
            account_rep_email,
            partner_id,
            partner_name,
            partner_country,
            customer_name,
            customer_country,
            customer_address,
        ) {
            (
                Some(order_number),
                Some(offer),
                Some(subscription_id),
                Some(requested_start_date),
                Some(provisioning_contact_email),
                Some(account_rep_email),
                Some(party_id),
                Some(name),
                Some(country),
                Some(customer_name),
                Some(customer_country),
                Some(customer_address),
            ) if c.errors.is_empty() => Ok(Order {
                order_number,
                offer,
                subscription_id,
                requested_start_date,
                provisioning_contact_email,
                account_rep_email,
                partner: Party {
                    party_id,
                    name,
                    country,
                },
                customer: Customer {
                    name: customer_name,
                    country: customer_country,
                    address: customer_address,
                },
                services,
            }),
            _ => Err(c.errors),
        }
    }

    /// The whole intake of a posted body: JSON, then every field's rule.
    /// What `POST /api/orders` runs before it stores anything (and what the
    /// `order_intake` fuzz target drives with arbitrary bytes).
    pub fn intake(body: &[u8]) -> Result<Order, IntakeError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|err| IntakeError::NotJson(err.to_string()))?;
        let input = OrderInput::from_json(&value).map_err(IntakeError::Invalid)?;
        let order = input.validate().map_err(IntakeError::Invalid)?;
        let errors = input.not_as_written(&order);
        if errors.is_empty() {
            Ok(order)
        } else {
            Err(IntakeError::Invalid(errors))
        }
    }

    /// The fields of a valid `order` that were not written the way the order
    /// API's document says (its patterns and enumerations): a machine sends
    /// each value exactly, so surrounding spaces, a lower-case country or
    /// offer, doubled spaces in a name are refused rather than silently
    /// corrected. Addresses may differ only in letter case.
    fn not_as_written(&self, order: &Order) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut exact = |field: String, written: &str, parsed: &str, error: DomainError| {
            if written != parsed {
                errors.push(FieldError { field, error });
            }
        };
        exact(
            "order_number".into(),
            &self.order_number,
            order.order_number.as_str(),
            DomainError::OrderNumberInvalid,
        );
        exact(
            "offer".into(),
            &self.offer,
            order.offer.as_str(),
            DomainError::OfferUnknown,
        );
        exact(
            "subscription_id".into(),
            &self.subscription_id,
            order.subscription_id.as_str(),
            DomainError::SubscriptionIdInvalid,
        );
        exact(
            "requested_start_date".into(),
            &self.requested_start_date,
            &order.requested_start_date.to_string(),
            DomainError::DateInvalid,
        );
        for (field, written, parsed) in [
            (
                "provisioning_contact_email",
                &self.provisioning_contact_email,
                &order.provisioning_contact_email,
            ),
            (
                "account_rep_email",
                &self.account_rep_email,
                &order.account_rep_email,
            ),
        ] {
            exact(
                field.into(),
                &written.to_lowercase(),
                parsed.as_str(),
                DomainError::EmailInvalid,
            );
        }
        exact(
            "partner.party_id".into(),
            &self.partner.party_id,
            order.partner.party_id.as_str(),
            DomainError::PartyIdInvalid,
        );
        exact(
            "partner.name".into(),
            &self.partner.name,
            order.partner.name.as_str(),
            DomainError::OrgNameInvalid,
        );
        exact(
            "partner.country".into(),
            &self.partner.country,
            order.partner.country.as_str(),
            DomainError::CountryInvalid,
        );
        exact(
            "customer.name".into(),
            &self.customer.name,
            order.customer.name.as_str(),
            DomainError::OrgNameInvalid,
        );
        exact(
            "customer.country".into(),
            &self.customer.country,
            order.customer.country.as_str(),
            DomainError::CountryInvalid,
        );
        exact(
            "customer.address".into(),
            &self.customer.address,
            order.customer.address.as_str(),
            DomainError::AddressInvalid,
        );
        for (i, (written, parsed)) in self.services.iter().zip(&order.services).enumerate() {
            exact(
                format!("services[{i}].kind"),
                &written.kind,
                parsed.kind.as_str(),
                DomainError::ServiceKindUnknown,
            );
            exact(
                format!("services[{i}].sku"),
                &written.sku,
                parsed.sku.as_str(),
                DomainError::SkuInvalid,
            );
        }
        errors
    }

    /// Reads the JSON body the commerce system posts. Wrongly typed values are
    /// kept as text where they have one, so that [`OrderInput::validate`] can name
    /// them; a value that is not JSON text, number or absent is an error of its own.
    pub fn from_json(body: &Value) -> Result<OrderInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let Some(root) = body.as_object() else {
            return Err(vec![FieldError {
                field: "body".into(),
                error: DomainError::Required,
            }]);
        };
        let mut text =
            |object: Option<&serde_json::Map<String, Value>>, key: &str, field: &str| -> String {
                match object.and_then(|o| o.get(key)) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(_) => {
                        errors.push(FieldError {
                            field: field.into(),
                            error: DomainError::NotText,
                        });
                        String::new()
                    }
                }
            };
        let mut quantity_errors = Vec::new();
        let partner = root.get("partner").and_then(Value::as_object);
        let customer = root.get("customer").and_then(Value::as_object);
        let mut input = OrderInput {
            order_number: text(Some(root), "order_number", "order_number"),
            offer: text(Some(root), "offer", "offer"),
            subscription_id: text(Some(root), "subscription_id", "subscription_id"),
            requested_start_date: text(Some(root), "requested_start_date", "requested_start_date"),
            provisioning_contact_email: text(
                Some(root),
                "provisioning_contact_email",
                "provisioning_contact_email",
            ),
            account_rep_email: text(Some(root), "account_rep_email", "account_rep_email"),
            partner: PartyInput {
                party_id: text(partner, "party_id", "partner.party_id"),
                name: text(partner, "name", "partner.name"),
                country: text(partner, "country", "partner.country"),
            },
            customer: CustomerInput {
                name: text(customer, "name", "customer.name"),
                country: text(customer, "country", "customer.country"),
                address: text(customer, "address", "customer.address"),
            },
            services: Vec::new(),
        };
        match root.get("services") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let object = item.as_object();
                    let kind = text(object, "kind", &format!("services[{i}].kind"));
                    let sku = text(object, "sku", &format!("services[{i}].sku"));
                    // A JSON integer (JSON Schema counts 250.0 as one);
                    // text, `true` or 2.5 are refused (the document says
                    // `integer`).
                    let quantity = match object.and_then(|o| o.get("quantity")) {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
                        Some(Value::Number(n))
                            if n.as_f64().is_some_and(|f| {
                                f.fract() == 0.0 && f.abs() <= f64::from(u32::MAX)
                            }) =>
                        {
                            format!("{}", n.as_f64().unwrap_or_default() as i64)
                        }
                        Some(_) => {
                            quantity_errors.push(FieldError {
                                field: format!("services[{i}].quantity"),
                                error: DomainError::QuantityInvalid,
                            });
                            String::new()
                        }
                    };
                    input.services.push(ServiceInput {
                        kind,
                        sku,
                        quantity,
                    });
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => errors.push(FieldError {
                field: "services".into(),
                error: DomainError::Required,
            }),
        }
        errors.append(&mut quantity_errors);
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// The most services one order may hold (A-WX and A-SPK offer four kinds).
pub const MAX_SERVICES: usize = 20;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Waiting for its requested start date.
    Scheduled,
    /// The "Set Up Now" email went out.
    Invited,
    /// Not started a day after the start date; the account rep was told.
    Escalated,
    /// Set up by a partner whose customer organization's administrator was
    /// asked to approve; not answered yet.
    AwaitingApproval,
    /// The setup wizard committed.
    SetUp,
    /// Services provisioned and billing started.
    Provisioned,
    /// Closed by commerce (setup not completed in time).
    Closed,
}

impl OrderStatus {
    /// Stable key for translations and tests.
    pub fn key(self) -> &'static str {
        match self {
            OrderStatus::Scheduled => "scheduled",
            OrderStatus::Invited => "invited",
            OrderStatus::Escalated => "escalated",
            OrderStatus::AwaitingApproval => "awaiting_approval",
            OrderStatus::SetUp => "set_up",
            OrderStatus::Provisioned => "provisioned",
            OrderStatus::Closed => "closed",
        }
    }
}

/// One order as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: String,
    pub order_number: String,
    pub offer: String,
    pub subscription_id: String,
    pub requested_start_date: String,
    pub provisioning_contact_email: String,
    pub partner_name: String,
    pub customer_name: String,
    pub status: OrderStatus,
    /// The customer organization set itself up: the partner may not manage it.
    pub managed_by_customer: bool,
    pub billing_start_date: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "order_number": "CCW-2026-000123",
            "offer": "A-WX",
            "subscription_id": "Sub-100123",
            "requested_start_date": "2026-12-01",
            "provisioning_contact_email": "provisioning@partner.example",
            "account_rep_email": "rep@cisco.example",
            "partner": { "party_id": "P-4711", "name": "Partner s.r.o.", "country": "CZ" },
            "customer": { "name": "Zakaznik a.s.", "country": "CZ", "address": "Vinohradska 1, 120 00 Praha" },
            "services": [ { "kind": "meetings", "sku": "A-WX-MTG-ENT", "quantity": 250 },
                          { "kind": "calling", "sku": "A-WX-CALL-PRO", "quantity": 100 } ]
        })
    }

    #[test]
    fn the_contract_example_is_a_valid_order() {
        let order = OrderInput::from_json(&sample())
            .unwrap()
            .validate()
            .unwrap();
        assert_eq!(order.order_number.as_str(), "CCW-2026-000123");
        assert_eq!(order.services.len(), 2);
        assert!(order.has(ServiceKind::Calling));
        assert!(!order.has(ServiceKind::Webinars));
    }

    #[test]
    fn every_invalid_field_is_named() {
        let mut body = sample();
        body["requested_start_date"] = json!("2026-13-01");
        body["offer"] = json!("A-FLEX");
        body["partner"]["country"] = json!("Czechia");
        body["services"][1]["quantity"] = json!(0);
        let errors = OrderInput::from_json(&body)
            .unwrap()
            .validate()
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "offer",
                "requested_start_date",
                "partner.country",
                "services[1].quantity"
            ]
        );
    }

    #[test]
    fn an_order_without_services_is_refused() {
        let mut body = sample();
        body["services"] = json!([]);
        let errors = OrderInput::from_json(&body)
            .unwrap()
            .validate()
            .unwrap_err();
        assert_eq!(errors[0].field, "services");
    }

    #[test]
    fn a_value_of_the_wrong_json_type_is_named() {
        let mut body = sample();
        body["customer"]["name"] = json!({"nested": true});
        let errors = OrderInput::from_json(&body).unwrap_err();
        assert_eq!(errors[0].field, "customer.name");
    }
}
