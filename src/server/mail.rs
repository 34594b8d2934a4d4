//! The emails: their words (English and Czech, since the recipient's language is
//! not known) and their delivery over SMTP.

use crate::mailbox::MailboxLink as MailLink;

/// An email before it is written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub links: Vec<MailLink>,
}

fn set_up_now_links(url: &str) -> Vec<MailLink> {
    vec![
        MailLink {
            text: "Set Up Now".into(),
            href: url.into(),
        },
        MailLink {
            text: "Nastavit nyní".into(),
            href: url.into(),
        },
    ]
}

/// The absolute address of a setup link.
pub fn setup_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/setup/{token}")
}

/// "Set Up Now" for the provisioning contact on the requested start date.
pub fn invitation(to: &str, order_number: &str, offer: &str, customer: &str, url: &str) -> Email {
    Email {
        kind: "invitation",
        to: to.into(),
        subject: format!(
            "Set Up Now: Webex order {order_number} / Nastavit nyní: objednávka {order_number}"
        ),
        text: format!(
            "Your {offer} order {order_number} for {customer} is ready to be set up.\n\
             Open Set Up Now: {url}\n\
             You can leave the setup before it is complete; nothing is saved and you can start again from this link.\n\n\
             Vaše objednávka {offer} {order_number} pro zákazníka {customer} je připravena k nastavení.\n\
             Otevřete Nastavit nyní: {url}\n\
             Průvodce můžete ukončit před dokončením; neukládají se žádné informace a můžete začít znovu pomocí tohoto odkazu.\n"
        ),
        links: set_up_now_links(url),
    }
}

/// The same invitation handed on to a colleague.
pub fn delegation(to: &str, order_number: &str, from: &str, url: &str) -> Email {
    Email {
        kind: "delegation",
        to: to.into(),
        subject: format!(
            "Set Up Now: Webex order {order_number} / Nastavit nyní: objednávka {order_number}"
        ),
        text: format!(
            "{from} asked you to set up Webex order {order_number}.\nOpen Set Up Now: {url}\n\n\
             {from} vás požádal o nastavení objednávky Webex {order_number}.\nOtevřete Nastavit nyní: {url}\n"
        ),
        links: set_up_now_links(url),
    }
}

/// The customer administrator, invited to set up their own organization.
pub fn customer_invitation(to: &str, order_number: &str, partner: &str, url: &str) -> Email {
    Email {
        kind: "customer_invitation",
        to: to.into(),
        subject: format!(
            "Set Up Now: your Webex services ({order_number}) / Nastavit nyní: vaše služby Webex"
        ),
        text: format!(
            "{partner} ordered Webex services for you (order {order_number}) and chose that you set them up yourself.\n\
             Open Set Up Now: {url}\n\n\
             {partner} pro vás objednal služby Webex (objednávka {order_number}) a nastavení přenechal vám.\n\
             Otevřete Nastavit nyní: {url}\n"
        ),
        links: set_up_now_links(url),
    }
}

/// The account representative, told that nobody started the setup.
pub fn escalation(to: &str, order_number: &str, partner: &str, start_date: &str) -> Email {
    Email {
        kind: "escalation",
        to: to.into(),
        subject: format!("Setup not started: order {order_number}"),
        text: format!(
            "Nobody has started the setup of order {order_number} for partner {partner}.\n\
             The requested start date was {start_date}. Please contact the partner.\n\n\
             Nastavení objednávky {order_number} partnera {partner} nikdo nezahájil.\n\
             Požadované datum zahájení bylo {start_date}. Kontaktujte prosím partnera.\n"
        ),
        links: Vec::new(),
    }
}

/// Confirmation to whoever provisioned the subscription.
pub fn billing_started(to: &str, order_number: &str, subscription_id: &str, date: &str) -> Email {
    Email {
        kind: "billing_started",
        to: to.into(),
        subject: format!("Billing started: {subscription_id} / Fakturace zahájena"),
        text: format!(
            "Subscription {subscription_id} (order {order_number}) is provisioned. Billing started on {date}.\n\n\
             Předplatné {subscription_id} (objednávka {order_number}) je zřízeno. Fakturace začala {date}.\n"
        ),
        links: Vec::new(),
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

    /// Sends one message; `message_id` is stable for the row, so a receiver can
    /// recognise a retry of the same email.
    pub async fn send(
        &self,
        message_id: &str,
        to: &str,
        subject: &str,
        text: &str,
    ) -> anyhow::Result<()> {
        use anyhow::Context;
        use lettre::AsyncTransport;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .message_id(Some(message_id.to_string()))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(text.to_string())
            .context("building the message")?;
        self.transport
            .send(message)
            .await
            .context("SMTP delivery")?;
        Ok(())
    }
}
