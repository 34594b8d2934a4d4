//! Each email the app writes: what it says, in the recipient's language,
//! rendered by [`super::render`].

use super::{Email, Letter, fill};
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

/// A "Set Up Now" letter about `order`: its button, the order's details
/// and what happens next.
fn set_up_now_letter(letter: Letter, order: &OrderFacts, url: &str, next: &'static str) -> Email {
    let locale = letter.locale;
    letter
        .button(set_up_now, url)
        .details(order_details(locale, order))
        .next(next)
        .render()
}

/// "Set Up Now" for the provisioning contact on the requested start date.
pub fn invitation(locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    let values = [
        ("number", order.number),
        ("offer", order.offer),
        ("customer", order.customer),
    ];
    let subject = fill(td_string!(locale, mail.invitation_subject), &values);
    let letter = Letter::new("invitation", locale, to, subject)
        .heading(td_string!(locale, mail.invitation_heading))
        .paragraph(fill(td_string!(locale, mail.invitation_text), &values));
    set_up_now_letter(letter, order, url, td_string!(locale, mail.invitation_next))
}

/// A change order's "Set Up Now" email: the subscription is provisioned
/// already, and the link leads (after sign-in) straight to the service setup
/// of what the order adds.
pub fn change_invitation(locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    let values = [
        ("number", order.number),
        ("offer", order.offer),
        ("customer", order.customer),
    ];
    let subject = fill(td_string!(locale, mail.change_subject), &values);
    let letter = Letter::new("change_invitation", locale, to, subject)
        .heading(td_string!(locale, mail.change_heading))
        .paragraph(fill(td_string!(locale, mail.change_text), &values));
    set_up_now_letter(letter, order, url, td_string!(locale, mail.change_next))
}

/// The provisioning contact, reminded when nobody started the setup a day
/// after the start date (the account representative is told too).
pub fn reminder(locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    let values = [("number", order.number), ("date", order.start_date)];
    let subject = fill(td_string!(locale, mail.reminder_subject), &values);
    let letter = Letter::new("reminder", locale, to, subject)
        .heading(td_string!(locale, mail.reminder_heading))
        .paragraph(fill(td_string!(locale, mail.reminder_text), &values));
    set_up_now_letter(letter, order, url, td_string!(locale, mail.invitation_next))
}

/// The same invitation handed on to a colleague.
pub fn delegation(locale: Locale, to: &str, order: &OrderFacts, from: &str, url: &str) -> Email {
    let values = [("number", order.number), ("from", from)];
    let subject = fill(td_string!(locale, mail.invitation_subject), &values);
    let letter = Letter::new("delegation", locale, to, subject)
        .heading(fill(td_string!(locale, mail.delegation_heading), &values))
        .paragraph(fill(td_string!(locale, mail.delegation_text), &values));
    set_up_now_letter(letter, order, url, td_string!(locale, mail.invitation_next))
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
    let subject = fill(
        td_string!(locale, mail.customer_invitation_subject),
        &values,
    );
    let text = fill(td_string!(locale, mail.customer_invitation_text), &values);
    let letter = Letter::new("customer_invitation", locale, to, subject)
        .heading(td_string!(locale, mail.customer_invitation_heading))
        .paragraph(text);
    let next = td_string!(locale, mail.customer_invitation_next);
    set_up_now_letter(letter, order, url, next)
}

fn provision_subscription(locale: Locale) -> &'static str {
    td_string!(locale, service.provision)
}

/// "Will close": the provisioning contact, 21 and 28 days after the
/// invitation, while nobody has set the order up; `date` is when it closes.
pub fn close_warning(locale: Locale, to: &str, order: &OrderFacts, date: &str, url: &str) -> Email {
    let values = [("number", order.number), ("date", date)];
    let subject = fill(td_string!(locale, mail.close_warning_subject), &values);
    let letter = Letter::new("close_warning", locale, to, subject)
        .heading(td_string!(locale, mail.close_warning_heading))
        .paragraph(fill(td_string!(locale, mail.close_warning_text), &values));
    set_up_now_letter(letter, order, url, td_string!(locale, mail.invitation_next))
}

/// "Closed": the provisioning contact, or (`partner` given) the account
/// representative, when an order closes without having been set up.
pub fn closed(locale: Locale, to: &str, order: &OrderFacts, partner: Option<&str>) -> Email {
    let values = [
        ("number", order.number),
        ("date", order.start_date),
        ("partner", partner.unwrap_or_default()),
    ];
    let subject = fill(td_string!(locale, mail.closed_subject), &values);
    let text = match partner {
        Some(_) => td_string!(locale, mail.closed_rep_text),
        None => td_string!(locale, mail.closed_text),
    };
    Letter::new("closed", locale, to, subject)
        .heading(fill(td_string!(locale, mail.closed_heading), &values))
        .paragraph(fill(text, &values))
        .details(order_details(locale, order))
        .render()
}

/// "Provision": whoever set up an order that nobody provisioned 3 days
/// later; `date` is when it was set up, `url` its service setup.
pub fn provision_reminder(
    locale: Locale,
    to: &str,
    order: &OrderFacts,
    date: &str,
    url: &str,
) -> Email {
    let values = [
        ("number", order.number),
        ("customer", order.customer),
        ("date", date),
    ];
    let subject = fill(td_string!(locale, mail.provision_reminder_subject), &values);
    Letter::new("provision_reminder", locale, to, subject)
        .heading(td_string!(locale, mail.provision_reminder_heading))
        .paragraph(fill(
            td_string!(locale, mail.provision_reminder_text),
            &values,
        ))
        .button(provision_subscription, url)
        .details(order_details(locale, order))
        .render()
}

/// The account representative, told that nobody started the setup.
pub fn escalation(locale: Locale, to: &str, order: &OrderFacts, partner: &str) -> Email {
    let values = [
        ("number", order.number),
        ("partner", partner),
        ("date", order.start_date),
    ];
    let subject = fill(td_string!(locale, mail.escalation_subject), &values);
    Letter::new("escalation", locale, to, subject)
        .heading(fill(td_string!(locale, mail.escalation_heading), &values))
        .paragraph(fill(td_string!(locale, mail.escalation_text), &values))
        .details(order_details(locale, order))
        .render()
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
    let subject = fill(td_string!(locale, mail.billing_subject), &values);
    Letter::new("billing_started", locale, to, subject)
        .heading(td_string!(locale, mail.billing_heading))
        .paragraph(fill(td_string!(locale, mail.billing_text), &values))
        .render()
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
    let subject = fill(td_string!(locale, mail.approval_subject), &values);
    Letter::new("approval_request", locale, to, subject)
        .heading(td_string!(locale, mail.approval_heading))
        .paragraph(fill(td_string!(locale, mail.approval_text), &values))
        .button(review_request, url)
        .next(td_string!(locale, mail.approval_next))
        .render()
}

fn continue_to_service(locale: Locale) -> &'static str {
    td_string!(locale, mail.continue_service)
}

/// A letter that tells an answer: its subject is its heading, with one
/// paragraph (the texts of yes or of no).
fn answer(
    locale: Locale,
    to: &str,
    values: &[(&str, &str)],
    yes: (&'static str, &'static str, &'static str),
    no: (&'static str, &'static str, &'static str),
    approved: bool,
) -> Letter {
    let (kind, subject, text) = if approved { yes } else { no };
    Letter::new(kind, locale, to, fill(subject, values)).paragraph(fill(text, values))
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
    let yes = (
        "approval_approved",
        td_string!(locale, mail.approved_subject),
        td_string!(locale, mail.approved_text),
    );
    let no = (
        "approval_declined",
        td_string!(locale, mail.declined_subject),
        td_string!(locale, mail.declined_text),
    );
    let letter = answer(locale, to, &values, yes, no, approved);
    match service_url {
        Some(url) => letter.button(continue_to_service, url).render(),
        None => letter.render(),
    }
}

fn reset_password(locale: Locale) -> &'static str {
    td_string!(locale, mail.reset_password)
}

/// "Forgot password?": a single-use link, valid for an hour.
pub fn password_reset(locale: Locale, to: &str, url: &str) -> Email {
    let values = [("email", to)];
    Letter::new(
        "password_reset",
        locale,
        to,
        td_string!(locale, mail.reset_subject).into(),
    )
    .paragraph(fill(td_string!(locale, mail.reset_text), &values))
    .button(reset_password, url)
    .next(td_string!(locale, mail.reset_next))
    .render()
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
    let subject = fill(td_string!(locale, mail.welcome_subject), &values);
    Letter::new("administrator_welcome", locale, to, subject)
        .paragraph(fill(td_string!(locale, mail.welcome_text), &values))
        .button(create_password, url)
        .next(td_string!(locale, mail.welcome_next))
        .render()
}

// The letters say "{minutes} minutes" / "{minutes} minut" and "{days} days" /
// "{days} dní": the forms for 5 and more in both languages. A shorter
// window would need the count's forms (see `err.too_many_attempts`).
const _: () = assert!(crate::server::store::PROOF_MINUTES >= 5);
const _: () = assert!(crate::server::store::JOIN_DAYS >= 5);

/// A code that proves the address is the reader's (contract section 11).
/// Its text holds no other run of six digits: the code is the only one.
pub fn verification_code(locale: Locale, to: &str, code: &str) -> Email {
    let minutes = crate::server::store::PROOF_MINUTES.to_string();
    let values = [("code", code), ("minutes", minutes.as_str())];
    let subject = td_string!(locale, mail.code_subject).into();
    let mut email = Letter::new("verification_code", locale, to, subject)
        .paragraph(fill(td_string!(locale, mail.code_text), &values))
        .paragraph(code)
        .paragraph(fill(td_string!(locale, mail.code_valid), &values))
        .next(td_string!(locale, mail.code_ignore))
        .render();
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
    let subject = fill(td_string!(locale, mail.join_request_subject), &values);
    let mut letter = Letter::new("join_request", locale, to, subject)
        .paragraph(fill(td_string!(locale, mail.join_request_text), &values));
    if order_number.is_some() {
        letter = letter.paragraph(fill(td_string!(locale, mail.join_request_order), &values));
    }
    letter
        .button(review_request, url)
        .next(td_string!(locale, mail.join_request_next))
        .render()
}

/// The newcomer hears their organization's answer.
pub fn join_answered(locale: Locale, to: &str, org: &str, approved: bool) -> Email {
    let values = [("org", org)];
    let yes = (
        "join_approved",
        td_string!(locale, mail.join_approved_subject),
        td_string!(locale, mail.join_approved_text),
    );
    let no = (
        "join_declined",
        td_string!(locale, mail.join_declined_subject),
        td_string!(locale, mail.join_declined_text),
    );
    answer(locale, to, &values, yes, no, approved).render()
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
    let subject = fill(td_string!(locale, mail.join_invitation_subject), &values);
    Letter::new("join_invitation", locale, to, subject)
        .paragraph(fill(td_string!(locale, mail.join_invitation_text), &values))
        .button(join, url)
        .next(fill(td_string!(locale, mail.join_invitation_next), &values))
        .render()
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
