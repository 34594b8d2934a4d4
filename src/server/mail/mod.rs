//! The emails: what each says, in the recipient's language (contract section
//! 3), as a plain-text part and a small, inline-styled, accessible HTML part
//! with a real button; and their delivery over SMTP as multipart/alternative.
//!
//! Every word comes from the locale files (`mail.*`); values (names, order
//! numbers, links) are put in by name and escaped in the HTML. Each email
//! with a button also links the same address in the other language.

use crate::i18n::Locale;
use crate::model::mailbox::MailboxLink as MailLink;
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

/// What decides the language of an email to someone: the language they
/// chose in the app, and the country the email is about (the order's
/// partner, or their own organization).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readers {
    pub chosen: Option<String>,
    pub country: Option<String>,
}

impl Readers {
    /// The email's language ([`language_for`]).
    pub fn locale(&self) -> Locale {
        language_for(self.chosen.as_deref(), self.country.as_deref())
    }
}

/// An order as its emails name it, and who reads one.
pub struct OrderMail {
    pub readers: Readers,
    pub number: String,
    pub offer: String,
    pub customer: String,
    pub start_date: String,
    pub partner: String,
    pub services: Vec<ServiceLine>,
    /// A change order (contract section 14): its "Set Up Now" email is the
    /// change letter.
    pub change: bool,
}

impl OrderMail {
    /// The language of the email.
    pub fn locale(&self) -> Locale {
        self.readers.locale()
    }

    /// The order's "Set Up Now" email to `to` with link `url`: the
    /// invitation, or for a change order the change letter.
    pub fn set_up_now(&self, to: &str, url: &str) -> Email {
        set_up_now(self.change, self.locale(), to, &self.facts(), url)
    }

    /// The order as an email names it.
    pub fn facts(&self) -> OrderFacts<'_> {
        OrderFacts {
            number: &self.number,
            offer: &self.offer,
            customer: &self.customer,
            start_date: &self.start_date,
            services: &self.services,
        }
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

impl Letter {
    /// A letter whose heading is its subject, and nothing more yet.
    fn new(kind: &'static str, locale: Locale, to: &str, subject: String) -> Self {
        Letter {
            kind,
            locale,
            to: to.into(),
            heading: subject.clone(),
            subject,
            paragraphs: Vec::new(),
            button: None,
            details: Vec::new(),
            next: None,
        }
    }

    fn heading(mut self, heading: impl Into<String>) -> Self {
        self.heading = heading.into();
        self
    }

    fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    fn button(mut self, texts: fn(Locale) -> &'static str, url: &str) -> Self {
        self.button = Some(Button {
            texts,
            url: url.into(),
        });
        self
    }

    fn details(mut self, details: Vec<(String, String)>) -> Self {
        self.details = details;
        self
    }

    fn next(mut self, next: impl Into<String>) -> Self {
        self.next = Some(next.into());
        self
    }

    fn render(self) -> Email {
        render(self)
    }
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

mod letters;

pub use letters::{
    OrderFacts, ServiceLine, administrator_welcome, approval_answered, approval_request,
    billing_started, change_invitation, close_warning, closed, customer_invitation, delegation,
    escalation, invitation, join_answered, join_invitation, join_request, password_reset,
    provision_reminder, reminder, role_name, verification_code,
};

/// An order's "Set Up Now" email: the invitation, or for a change order
/// (contract section 14) the change letter.
pub fn set_up_now(change: bool, locale: Locale, to: &str, order: &OrderFacts, url: &str) -> Email {
    if change {
        change_invitation(locale, to, order, url)
    } else {
        invitation(locale, to, order, url)
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
