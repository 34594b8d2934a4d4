//! Each email the app writes: what it says, in the recipient's language,
//! rendered by [`super::render`].

use super::{Button, Email, Letter, fill, render};
use crate::i18n::Locale;
use leptos_i18n::td_string;

fn set_up_now(locale: Locale) -> &'static str {
    td_string!(locale, mail.set_up_now)
}

/// One order as an email names it.
pub struct OrderFacts<'a> {
    pub number: &'a str,
    pub offer: &'a str,
    pub customer: &'a str,
    pub start_date: &'a str,
    pub services: &'a [ServiceLine],
}

/// One purchased service as an email lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// As stored: `meetings`, `calling`, ...
    pub kind: String,
    pub sku: String,
    pub quantity: i64,
}

fn service_name(locale: Locale, kind: &str) -> String {
    use crate::domain::ServiceKind;
    match ServiceKind::parse(kind) {
        Ok(ServiceKind::Meetings) => td_string!(locale, service_kind.meetings).into(),
        Ok(ServiceKind::Calling) => td_string!(locale, service_kind.calling).into(),
        Ok(ServiceKind::Messaging) => td_string!(locale, service_kind.messaging).into(),
        Ok(ServiceKind::Webinars) => td_string!(locale, service_kind.webinars).into(),
        Err(_) => kind.into(),
    }
}

fn order_details(locale: Locale, order: &OrderFacts) -> Vec<(String, String)> {
    let mut details = vec![
        (
            td_string!(locale, mail.order).to_string(),
            format!("{} ({})", order.number, order.offer),
        ),
        (
            td_string!(locale, mail.customer).to_string(),
            order.customer.to_string(),
        ),
        (
            td_string!(locale, mail.services).to_string(),
            order
                .services
                .iter()
                .map(|s| {
                    format!(
                        "{} {} × {}",
                        service_name(locale, &s.kind),
                        s.quantity,
                        s.sku
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            td_string!(locale, mail.start_date).to_string(),
            order.start_date.to_string(),
        ),
    ];
    if order.services.is_empty() {
        details.remove(2);
    }
    details
}

/// "Set Up Now" for the provisioning contact on the requested start date.
pub fn invitation(locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    let values = [
        ("number", order.number),
        ("offer", order.offer),
        ("customer", order.customer),
    ];
    render(Letter {
        kind: "invitation",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.invitation_subject), &values),
        heading: td_string!(locale, mail.invitation_heading).into(),
        paragraphs: vec![fill(td_string!(locale, mail.invitation_text), &values)],
        button: Some(Button {
            texts: set_up_now,
            url: url.into(),
        }),
        details: order_details(locale, order),
        next: Some(td_string!(locale, mail.invitation_next).into()),
    })
}

/// The provisioning contact, reminded when nobody started the setup a day
/// after the start date (the account representative is told too).
pub fn reminder(locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    let values = [("number", order.number), ("date", order.start_date)];
    render(Letter {
        kind: "reminder",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.reminder_subject), &values),
        heading: td_string!(locale, mail.reminder_heading).into(),
        paragraphs: vec![fill(td_string!(locale, mail.reminder_text), &values)],
        button: Some(Button {
            texts: set_up_now,
            url: url.into(),
        }),
        details: order_details(locale, order),
        next: Some(td_string!(locale, mail.invitation_next).into()),
    })
}

/// The same invitation handed on to a colleague.
pub fn delegation(locale: Locale, to: &str, order: &OrderFacts, from: &str, url: &str) -> Email {
    let values = [("number", order.number), ("from", from)];
    render(Letter {
        kind: "delegation",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.invitation_subject), &values),
        heading: fill(td_string!(locale, mail.delegation_heading), &values),
        paragraphs: vec![fill(td_string!(locale, mail.delegation_text), &values)],
        button: Some(Button {
            texts: set_up_now,
            url: url.into(),
        }),
        details: order_details(locale, order),
        next: Some(td_string!(locale, mail.invitation_next).into()),
    })
}

/// The customer administrator, invited to set up their own services.
pub fn customer_invitation(
    locale: Locale,
    to: &str,
    order: &OrderFacts,
    partner: &str,
    url: &str,
) -> Email {
    let values = [("number", order.number), ("partner", partner)];
    render(Letter {
        kind: "customer_invitation",
        locale,
        to: to.into(),
        subject: fill(
            td_string!(locale, mail.customer_invitation_subject),
            &values,
        ),
        heading: td_string!(locale, mail.customer_invitation_heading).into(),
        paragraphs: vec![fill(
            td_string!(locale, mail.customer_invitation_text),
            &values,
        )],
        button: Some(Button {
            texts: set_up_now,
            url: url.into(),
        }),
        details: order_details(locale, order),
        next: Some(td_string!(locale, mail.customer_invitation_next).into()),
    })
}

/// The account representative, told that nobody started the setup.
pub fn escalation(locale: Locale, to: &str, order: &OrderFacts, partner: &str) -> Email {
    let values = [
        ("number", order.number),
        ("partner", partner),
        ("date", order.start_date),
    ];
    render(Letter {
        kind: "escalation",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.escalation_subject), &values),
        heading: fill(td_string!(locale, mail.escalation_heading), &values),
        paragraphs: vec![fill(td_string!(locale, mail.escalation_text), &values)],
        button: None,
        details: order_details(locale, order),
        next: None,
    })
}

/// Confirmation to whoever provisioned the subscription.
pub fn billing_started(
    locale: Locale,
    to: &str,
    order_number: &str,
    subscription_id: &str,
    date: &str,
) -> Email {
    let values = [
        ("number", order_number),
        ("subscription", subscription_id),
        ("date", date),
    ];
    render(Letter {
        kind: "billing_started",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.billing_subject), &values),
        heading: td_string!(locale, mail.billing_heading).into(),
        paragraphs: vec![fill(td_string!(locale, mail.billing_text), &values)],
        button: None,
        details: Vec::new(),
        next: None,
    })
}

fn review_request(locale: Locale) -> &'static str {
    td_string!(locale, mail.review_request)
}

/// The administrator of an existing customer organization is asked whether a
/// partner's order may be attached to it.
pub fn approval_request(
    locale: Locale,
    to: &str,
    order_number: &str,
    partner: &str,
    url: &str,
) -> Email {
    let values = [("number", order_number), ("partner", partner)];
    render(Letter {
        kind: "approval_request",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.approval_subject), &values),
        heading: td_string!(locale, mail.approval_heading).into(),
        paragraphs: vec![fill(td_string!(locale, mail.approval_text), &values)],
        button: Some(Button {
            texts: review_request,
            url: url.into(),
        }),
        details: Vec::new(),
        next: Some(td_string!(locale, mail.approval_next).into()),
    })
}

fn continue_to_service(locale: Locale) -> &'static str {
    td_string!(locale, mail.continue_service)
}

/// The partner hears the customer administrator's answer.
pub fn approval_answered(
    locale: Locale,
    to: &str,
    order_number: &str,
    approved: bool,
    service_url: Option<&str>,
) -> Email {
    let values = [("number", order_number)];
    let (kind, subject, text) = if approved {
        (
            "approval_approved",
            td_string!(locale, mail.approved_subject),
            td_string!(locale, mail.approved_text),
        )
    } else {
        (
            "approval_declined",
            td_string!(locale, mail.declined_subject),
            td_string!(locale, mail.declined_text),
        )
    };
    render(Letter {
        kind,
        locale,
        to: to.into(),
        subject: fill(subject, &values),
        heading: fill(subject, &values),
        paragraphs: vec![fill(text, &values)],
        button: service_url.map(|url| Button {
            texts: continue_to_service,
            url: url.into(),
        }),
        details: Vec::new(),
        next: None,
    })
}

fn reset_password(locale: Locale) -> &'static str {
    td_string!(locale, mail.reset_password)
}

/// "Forgot password?": a single-use link, valid for an hour.
pub fn password_reset(locale: Locale, to: &str, url: &str) -> Email {
    let values = [("email", to)];
    render(Letter {
        kind: "password_reset",
        locale,
        to: to.into(),
        subject: td_string!(locale, mail.reset_subject).into(),
        heading: td_string!(locale, mail.reset_subject).into(),
        paragraphs: vec![fill(td_string!(locale, mail.reset_text), &values)],
        button: Some(Button {
            texts: reset_password,
            url: url.into(),
        }),
        details: Vec::new(),
        next: Some(td_string!(locale, mail.reset_next).into()),
    })
}

fn create_password(locale: Locale) -> &'static str {
    td_string!(locale, mail.create_password)
}

/// A partner made this address the administrator of a new customer
/// organization: the person learns of it and gets a way in.
pub fn administrator_welcome(
    locale: Locale,
    to: &str,
    order_number: &str,
    partner: &str,
    org: &str,
    url: &str,
) -> Email {
    let values = [("number", order_number), ("partner", partner), ("org", org)];
    render(Letter {
        kind: "administrator_welcome",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.welcome_subject), &values),
        heading: fill(td_string!(locale, mail.welcome_subject), &values),
        paragraphs: vec![fill(td_string!(locale, mail.welcome_text), &values)],
        button: Some(Button {
            texts: create_password,
            url: url.into(),
        }),
        details: Vec::new(),
        next: Some(td_string!(locale, mail.welcome_next).into()),
    })
}

/// A code that proves the address is the reader's (contract section 11).
/// Its text holds no other run of six digits: the code is the only one.
pub fn verification_code(locale: Locale, to: &str, code: &str) -> Email {
    let minutes = crate::server::store::PROOF_MINUTES.to_string();
    let values = [("code", code), ("minutes", minutes.as_str())];
    let mut email = render(Letter {
        kind: "verification_code",
        locale,
        to: to.into(),
        subject: td_string!(locale, mail.code_subject).into(),
        heading: td_string!(locale, mail.code_subject).into(),
        paragraphs: vec![
            fill(td_string!(locale, mail.code_text), &values),
            code.to_string(),
            fill(td_string!(locale, mail.code_valid), &values),
        ],
        button: None,
        details: Vec::new(),
        next: Some(td_string!(locale, mail.code_ignore).into()),
    });
    email.secret = Some(code.to_string());
    email
}

/// An administrator of a partner organization is asked to let a newcomer
/// in (contract section 11).
pub fn join_request(
    locale: Locale,
    to: &str,
    person: &str,
    org: &str,
    order_number: Option<&str>,
    url: &str,
) -> Email {
    let values = [
        ("person", person),
        ("org", org),
        ("number", order_number.unwrap_or("")),
    ];
    let mut paragraphs = vec![fill(td_string!(locale, mail.join_request_text), &values)];
    if order_number.is_some() {
        paragraphs.push(fill(td_string!(locale, mail.join_request_order), &values));
    }
    render(Letter {
        kind: "join_request",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.join_request_subject), &values),
        heading: fill(td_string!(locale, mail.join_request_subject), &values),
        paragraphs,
        button: Some(Button {
            texts: review_request,
            url: url.into(),
        }),
        details: Vec::new(),
        next: Some(td_string!(locale, mail.join_request_next).into()),
    })
}

/// The newcomer hears their organization's answer.
pub fn join_answered(locale: Locale, to: &str, org: &str, approved: bool) -> Email {
    let values = [("org", org)];
    let (kind, subject, text) = if approved {
        (
            "join_approved",
            td_string!(locale, mail.join_approved_subject),
            td_string!(locale, mail.join_approved_text),
        )
    } else {
        (
            "join_declined",
            td_string!(locale, mail.join_declined_subject),
            td_string!(locale, mail.join_declined_text),
        )
    };
    render(Letter {
        kind,
        locale,
        to: to.into(),
        subject: fill(subject, &values),
        heading: fill(subject, &values),
        paragraphs: vec![fill(text, &values)],
        button: None,
        details: Vec::new(),
        next: None,
    })
}

fn join(locale: Locale) -> &'static str {
    td_string!(locale, mail.join)
}

/// An administrator invites someone into their partner organization.
pub fn join_invitation(
    locale: Locale,
    to: &str,
    org: &str,
    inviter: &str,
    role: &str,
    url: &str,
) -> Email {
    let days = crate::server::store::JOIN_DAYS.to_string();
    let values = [
        ("org", org),
        ("inviter", inviter),
        ("role", role),
        ("days", days.as_str()),
    ];
    render(Letter {
        kind: "join_invitation",
        locale,
        to: to.into(),
        subject: fill(td_string!(locale, mail.join_invitation_subject), &values),
        heading: fill(td_string!(locale, mail.join_invitation_subject), &values),
        paragraphs: vec![fill(td_string!(locale, mail.join_invitation_text), &values)],
        button: Some(Button {
            texts: join,
            url: url.into(),
        }),
        details: Vec::new(),
        next: Some(fill(td_string!(locale, mail.join_invitation_next), &values)),
    })
}

/// A role as an email names it.
pub fn role_name(locale: Locale, role: crate::domain::Role) -> &'static str {
    use crate::domain::Role;
    match role {
        Role::Administrator => td_string!(locale, people.role_admin),
        Role::Member => td_string!(locale, people.role_member),
        Role::ReadOnly => td_string!(locale, people.role_read_only),
        Role::Guest => td_string!(locale, people.role_guest),
    }
}
