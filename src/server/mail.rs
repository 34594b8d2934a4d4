//! The emails: what each says, in the recipient's language (contract section
//! 3), as a plain-text part and a small, inline-styled, accessible HTML part
//! with a real button; and their delivery over SMTP as multipart/alternative.
//!
//! Every word comes from the locale files (`mail.*`); values (names, order
//! numbers, links) are put in by name and escaped in the HTML. Each email
//! with a button also links the same address in the other language.

use crate::i18n::Locale;
use crate::mailbox::MailboxLink as MailLink;
use leptos_i18n::td_string;

/// An email before it is written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The HTML part's body (a fragment; [`html_document`] wraps it).
    pub html: String,
    pub links: Vec<MailLink>,
    /// What the outbox keeps sealed until the email is sent: its link, or
    /// a code it carries.
    pub secret: Option<String>,
}

/// The absolute address of a setup link.
pub fn setup_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/setup/{token}")
}

/// The language of an email (contract section 3): the one its recipient last
/// chose in the app, else Czech for an order whose partner is in CZ, else
/// English.
pub fn language_for(chosen: Option<&str>, partner_country: Option<&str>) -> Locale {
    match chosen {
        Some("cs") => Locale::cs,
        Some("en") => Locale::en,
        _ if partner_country.is_some_and(|c| c.eq_ignore_ascii_case("CZ")) => Locale::cs,
        _ => Locale::en,
    }
}

/// How a language is stored (`users.language`).
pub fn language_code(locale: Locale) -> &'static str {
    code(locale)
}

/// The other language, for the alternative link.
fn other(locale: Locale) -> Locale {
    match locale {
        Locale::en => Locale::cs,
        Locale::cs => Locale::en,
    }
}

fn code(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::cs => "cs",
    }
}

/// `text` with each `{name}` replaced by its value.
fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |t, (name, value)| {
        t.replace(&format!("{{{name}}}"), value)
    })
}

/// Text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The button of an email: its text in each language, and where it goes.
struct Button {
    texts: fn(Locale) -> &'static str,
    url: String,
}

/// Everything an email says.
struct Letter {
    kind: &'static str,
    locale: Locale,
    to: String,
    subject: String,
    heading: String,
    paragraphs: Vec<String>,
    button: Option<Button>,
    /// Label and value, e.g. ("Order", "CCW-1").
    details: Vec<(String, String)>,
    /// What happens next.
    next: Option<String>,
}

fn footer(locale: Locale) -> String {
    td_string!(locale, mail.footer).to_string()
}

fn render(letter: Letter) -> Email {
    let locale = letter.locale;
    let mut text = format!("{}\n\n", letter.heading);
    let mut html = format!(
        "<div lang=\"{lang}\" style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;\
         font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1b1f24;\">\
         <h1 style=\"font-size:22px;line-height:1.3;margin:0 0 16px;color:#1b1f24;\">{heading}</h1>",
        lang = code(locale),
        heading = escape(&letter.heading)
    );
    for paragraph in &letter.paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!(
            "<p style=\"margin:0 0 16px;\">{}</p>",
            escape(paragraph)
        ));
    }
    let mut links = Vec::new();
    if let Some(button) = &letter.button {
        let label = (button.texts)(locale);
        text.push_str(&format!("{label}: {}\n\n", button.url));
        html.push_str(&format!(
            "<p style=\"margin:24px 0;\"><a href=\"{url}\" style=\"display:inline-block;background:#0b6bcb;\
             color:#ffffff;text-decoration:none;font-weight:bold;padding:12px 24px;border-radius:6px;\
             min-height:24px;\">{label}</a></p>",
            url = escape(&button.url),
            label = escape(label)
        ));
        links.push(MailLink {
            text: label.into(),
            href: button.url.clone(),
        });
    }
    if !letter.details.is_empty() {
        html.push_str(
            "<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px;\">",
        );
        for (label, value) in &letter.details {
            text.push_str(&format!("{label}: {value}\n"));
            html.push_str(&format!(
                "<tr><td style=\"padding:4px 16px 4px 0;color:#5b6470;vertical-align:top;\">{}</td>\
                 <td style=\"padding:4px 0;\">{}</td></tr>",
                escape(label),
                escape(value)
            ));
        }
        html.push_str("</table>");
        text.push('\n');
    }
    if let Some(next) = &letter.next {
        text.push_str(next);
        text.push_str("\n\n");
        html.push_str(&format!(
            "<p style=\"margin:0 0 16px;\">{}</p>",
            escape(next)
        ));
    }
    let footer = footer(locale);
    text.push_str(&footer);
    text.push('\n');
    html.push_str(&format!(
        "<p style=\"margin:24px 0 0;font-size:14px;color:#5b6470;\">{}</p>",
        escape(&footer)
    ));
    if let Some(button) = &letter.button {
        // The same link for a reader of the other language.
        let other = other(locale);
        let intro = td_string!(other, mail.other_language);
        let label = (button.texts)(other);
        text.push_str(&format!("\n{intro} {label}: {}\n", button.url));
        html.push_str(&format!(
            "<p lang=\"{lang}\" style=\"margin:8px 0 0;font-size:14px;color:#5b6470;\">{intro} \
             <a href=\"{url}\" style=\"color:#0b6bcb;\">{label}</a></p>",
            lang = code(other),
            intro = escape(intro),
            url = escape(&button.url),
            label = escape(label)
        ));
        links.push(MailLink {
            text: label.into(),
            href: button.url.clone(),
        });
    }
    html.push_str("</div>");
    Email {
        kind: letter.kind,
        to: letter.to,
        subject: letter.subject,
        text,
        html,
        links,
        secret: letter.button.map(|b| b.url),
    }
}

/// The whole HTML document of an email, for sending.
pub fn html_document(subject: &str, fragment: &str) -> String {
    let lang = if fragment.starts_with("<div lang=\"cs\"") {
        "cs"
    } else {
        "en"
    };
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\
         <body style=\"margin:0;padding:0;background:#f6f7f9;\">{fragment}</body></html>",
        escape(subject)
    )
}

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
    let minutes = super::store::PROOF_MINUTES.to_string();
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
    let days = super::store::JOIN_DAYS.to_string();
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

/// Sends stored emails over SMTP.
#[derive(Clone)]
pub struct SmtpSender {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    /// Builds a sender from an `smtp://` URL and a `From` address.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .context("SETUP_NOW_SMTP_URL")?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().context("SETUP_NOW_SMTP_FROM")?;
        Ok(SmtpSender { transport, from })
    }

    /// Sends one message as multipart/alternative (plain text, then HTML);
    /// `message_id` is stable for the row, so a receiver can recognise a retry
    /// of the same email.
    pub async fn send(
        &self,
        message_id: &str,
        to: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> anyhow::Result<()> {
        use anyhow::Context;
        use lettre::AsyncTransport;
        use lettre::message::MultiPart;
        let builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .message_id(Some(message_id.to_string()));
        let message = match html {
            Some(fragment) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_string(),
                html_document(subject, fragment),
            )),
            None => builder
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(text.to_string()),
        }
        .context("building the message")?;
        self.transport
            .send(message)
            .await
            .context("SMTP delivery")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> OrderFacts<'static> {
        OrderFacts {
            number: "CCW-1",
            offer: "A-WX",
            customer: "Zákazník <a.s.>",
            start_date: "2026-12-01",
            services: &[],
        }
    }

    #[test]
    fn an_invitation_in_czech_has_a_czech_button_and_an_english_one_beside() {
        let email = invitation(
            Locale::cs,
            "c@partner.example",
            &order(),
            "https://x.example/setup/t",
        );
        assert!(email.subject.contains("CCW-1"));
        assert_eq!(email.links[0].text, "Nastavit nyní");
        assert_eq!(email.links[1].text, "Set Up Now");
        assert!(
            email
                .links
                .iter()
                .all(|l| l.href == "https://x.example/setup/t")
        );
        assert!(email.html.starts_with("<div lang=\"cs\""));
        assert!(email.html.contains(">Nastavit nyní</a>"));
        assert!(
            email.html.contains("Zákazník &lt;a.s.&gt;"),
            "values are escaped"
        );
        assert!(
            email
                .text
                .contains("Nastavit nyní: https://x.example/setup/t")
        );
        assert!(email.text.contains("2026-12-01"));
    }

    #[test]
    fn the_chosen_language_wins_then_the_partner_country_decides() {
        assert_eq!(language_for(Some("en"), Some("CZ")), Locale::en);
        assert_eq!(language_for(Some("cs"), Some("DE")), Locale::cs);
        assert_eq!(language_for(None, Some("CZ")), Locale::cs);
        assert_eq!(language_for(None, Some("cz")), Locale::cs);
        assert_eq!(language_for(None, Some("SK")), Locale::en);
        assert_eq!(language_for(Some("xx"), None), Locale::en);
    }

    #[test]
    fn an_english_email_names_the_order_and_what_happens_next() {
        let email = invitation(
            Locale::en,
            "c@partner.example",
            &order(),
            "https://x.example/setup/t",
        );
        assert_eq!(email.links[0].text, "Set Up Now");
        assert!(email.html.contains(">Set Up Now</a>"));
        let document = html_document(&email.subject, &email.html);
        assert!(document.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        assert!(document.contains("<title>"));
    }
}
