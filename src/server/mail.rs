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

fn links(texts: &[&str], url: &str) -> Vec<MailLink> {
    texts
        .iter()
        .map(|text| MailLink {
            text: (*text).into(),
            href: url.into(),
        })
        .collect()
}

/// The administrator of an existing customer organization is asked whether a
/// partner's order may be attached to it.
pub fn approval_request(to: &str, order_number: &str, partner: &str, url: &str) -> Email {
    Email {
        kind: "approval_request",
        to: to.into(),
        subject: format!(
            "Review request: {partner} ordered Webex services for your organization / Zkontrolovat žádost"
        ),
        text: format!(
            "{partner} placed order {order_number} for Webex services and named you as the administrator of your organization.\n\
             The order is attached to your organization only if you approve it. If you don't recognize this partner, decline.\n\
             Review request: {url}\n\n\
             {partner} zadal objednávku {order_number} služeb Webex a uvedl vás jako správce vaší organizace.\n\
             Objednávka bude k vaší organizaci připojena, jen pokud ji schválíte. Pokud partnera nepoznáváte, žádost odmítněte.\n\
             Zkontrolovat žádost: {url}\n"
        ),
        links: links(&["Review request", "Zkontrolovat žádost"], url),
    }
}

/// The partner hears the customer administrator's answer.
pub fn approval_answered(
    to: &str,
    order_number: &str,
    approved: bool,
    service_url: Option<&str>,
) -> Email {
    let (subject, text) = if approved {
        (
            format!("Approved: order {order_number} / Schváleno: objednávka {order_number}"),
            format!(
                "The customer administrator approved order {order_number}. It is attached to their organization.\n{}\n\
                 Správce zákazníka schválil objednávku {order_number}. Je připojena k jeho organizaci.\n",
                service_url
                    .map(|u| format!("Continue to the service setup: {u}\n"))
                    .unwrap_or_default()
            ),
        )
    } else {
        (
            format!("Declined: order {order_number} / Zamítnuto: objednávka {order_number}"),
            format!(
                "The customer administrator declined order {order_number}. Nothing was attached; the provisioning contact \
                 gets a new Set Up Now link to enter another administrator.\n\n\
                 Správce zákazníka objednávku {order_number} zamítl. Nic nebylo připojeno; kontakt pro zřizování dostane nový \
                 odkaz Nastavit nyní a může zadat jiného správce.\n"
            ),
        )
    };
    Email {
        kind: if approved {
            "approval_approved"
        } else {
            "approval_declined"
        },
        to: to.into(),
        subject,
        text,
        links: service_url
            .map(|u| links(&["Continue to the service setup"], u))
            .unwrap_or_default(),
    }
}

/// "Forgot password?": a single-use link, valid for an hour.
pub fn password_reset(to: &str, url: &str) -> Email {
    Email {
        kind: "password_reset",
        to: to.into(),
        subject: "Reset your Set Up Now password / Obnovení hesla".into(),
        text: format!(
            "Someone asked to reset the password of {to}. If it was you, open this link within an hour; it works once.\n\
             Reset password: {url}\nIf it was not you, ignore this email: your password stays as it is.\n\n\
             Někdo požádal o obnovení hesla pro {to}. Pokud jste to byli vy, otevřete do hodiny tento odkaz; funguje jednou.\n\
             Obnovit heslo: {url}\nPokud jste to nebyli vy, e-mail ignorujte: heslo zůstane beze změny.\n"
        ),
        links: links(&["Reset password", "Obnovit heslo"], url),
    }
}

/// A partner made this address the administrator of a new customer
/// organization: the person learns of it and gets a way in.
pub fn administrator_welcome(
    to: &str,
    order_number: &str,
    partner: &str,
    org: &str,
    url: &str,
) -> Email {
    Email {
        kind: "administrator_welcome",
        to: to.into(),
        subject: format!("You administer {org} in Webex / Spravujete organizaci {org}"),
        text: format!(
            "{partner} set up Webex services for {org} (order {order_number}) and named you its administrator.\n\
             Create your password to sign in: {url}\n\
             If you don't recognize this, contact your Cisco representative.\n\n\
             {partner} nastavil služby Webex pro {org} (objednávka {order_number}) a uvedl vás jako správce.\n\
             Vytvořte si heslo pro přihlášení: {url}\n\
             Pokud tomu nerozumíte, obraťte se na zástupce společnosti Cisco.\n"
        ),
        links: links(&["Create password", "Vytvořit heslo"], url),
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
