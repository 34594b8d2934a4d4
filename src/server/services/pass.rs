//! One scheduler pass: invitations due, escalations due, orders to close and
//! the warnings before, reminders to provision.
//! Each batch is claimed and its emails, links, audit entries and events
//! written in one transaction, so a pass repeated, run twice at once, or
//! stopped anywhere never sends an email twice and never skips one. One
//! statement each for the links, the emails and the audit entries of a
//! whole batch: a round trip per row costs seconds on a server.

use crate::i18n::Locale;
use crate::server::store::{
    DueOrder, NewEvent, NewLink, PassReport, SETUP_WINDOW_DAYS, Store, Write, ts,
};
use crate::server::{mail, tokens};
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// How many orders one transaction claims.
const BATCH: i64 = 500;

/// The "will close" warnings: (stage, days after the invitation).
const CLOSE_WARNINGS: [(i64, i64); 2] = [(1, 21), (2, 28)];

/// Days after an order is set up that whoever set it up is reminded to
/// provision it, if nobody has.
const PROVISION_REMINDER_DAYS: i64 = 3;

/// One scheduler pass at `now`, links under `public_url`.
pub async fn run(
    store: &Store,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<PassReport> {
    let mut report = PassReport {
        invitations: drain(|| invite(store, now, public_url)).await?,
        escalations: drain(|| escalate(store, now, public_url)).await?,
        // Closed first: an order past its window gets no warning of it.
        closed: drain(|| close_unfinished(store, now)).await?,
        ..PassReport::default()
    };
    // The later warning first: an order 29 days in gets that one alone.
    for (stage, days) in CLOSE_WARNINGS.iter().rev() {
        report.close_warnings +=
            drain(|| warn_of_closing(store, now, public_url, *stage, *days)).await?;
    }
    report.provision_reminders = drain(|| remind_to_provision(store, now, public_url)).await?;
    store.purge_expired(now).await?;
    Ok(report)
}

/// Runs one kind of due work a batch at a time until a batch comes back
/// short; how many it claimed in all.
async fn drain<F>(mut batch: impl FnMut() -> F) -> anyhow::Result<u64>
where
    F: std::future::Future<Output = anyhow::Result<u64>>,
{
    let mut total = 0;
    loop {
        let n = batch().await?;
        total += n;
        if n < BATCH as u64 {
            return Ok(total);
        }
    }
}

/// Until when a new setup link works.
fn link_expiry(now: DateTime<Utc>) -> String {
    ts(now + Duration::days(SETUP_WINDOW_DAYS as i64))
}

fn events<'a>(orders: &'a [DueOrder], kind: &'static str) -> Vec<NewEvent<'a>> {
    orders
        .iter()
        .map(|order| NewEvent {
            order_id: &order.id,
            order_number: &order.order_number,
            kind,
            order_kind: &order.kind,
        })
        .collect()
}

/// What a batch's emails are written from: the language each address chose
/// and each order's services, read in one statement each.
struct Letters {
    chosen: HashMap<String, String>,
    services: HashMap<String, Vec<mail::ServiceLine>>,
}

impl Letters {
    async fn read(tx: &mut Write<'_>, orders: &[DueOrder], to: &[&str]) -> anyhow::Result<Self> {
        let ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
        Ok(Letters {
            chosen: tx.chosen_languages(to).await?,
            services: tx.services_of_orders(&ids).await?,
        })
    }

    /// The language of an email to `to` about `order`.
    fn locale(&self, to: &str, order: &DueOrder) -> Locale {
        mail::language_for(
            self.chosen.get(to).map(String::as_str),
            Some(order.partner_country.as_str()),
        )
    }

    /// `order` as its emails name it.
    fn facts<'a>(&'a self, order: &'a DueOrder) -> mail::OrderFacts<'a> {
        mail::OrderFacts {
            number: &order.order_number,
            offer: &order.offer,
            customer: &order.customer_name,
            start_date: &order.requested_start_date,
            services: self.services.get(&order.id).map_or(&[], Vec::as_slice),
        }
    }
}

/// The provisioning contacts of `orders`, and with `reps` their account
/// representatives.
fn contacts(orders: &[DueOrder], reps: bool) -> Vec<&str> {
    orders
        .iter()
        .flat_map(|o| {
            let rep = reps.then(|| rep_of(o));
            std::iter::once(o.provisioning_contact_email.as_str()).chain(rep)
        })
        .collect()
}

/// The "Set Up Now" email and its link to each order whose start date has
/// come.
async fn invite(store: &Store, now: DateTime<Utc>, public_url: &str) -> anyhow::Result<u64> {
    let today = now.date_naive().to_string();
    let mut tx = store.write().await?;
    let due = tx.claim_invitations(now, &today, BATCH).await?;
    let letters = Letters::read(&mut tx, &due, &contacts(&due, false)).await?;
    let expires = link_expiry(now);
    let (mut links, mut emails, mut audit) = (Vec::new(), Vec::new(), Vec::new());
    for order in &due {
        let to = &order.provisioning_contact_email;
        let (token, hash) = tokens::new_token()?;
        let email = mail::set_up_now(
            order.kind == "change",
            letters.locale(to, order),
            to,
            &letters.facts(order),
            &mail::setup_url(public_url, &token),
        );
        links.push(NewLink {
            hash,
            order_id: order.id.clone(),
            email: to.clone(),
            audience: "partner",
            expires: expires.clone(),
        });
        emails.push((
            format!("invitation:{}", order.id),
            Some(order.id.clone()),
            email,
        ));
        audit.push((order.id.clone(), to.clone()));
    }
    tx.links(&links, now).await?;
    tx.emails(&emails, now).await?;
    tx.audit_all(now, "scheduler", "invitation_sent", &audit)
        .await?;
    tx.events(&events(&due, "order.invited"), now).await?;
    tx.commit().await?;
    Ok(due.len() as u64)
}

/// Orders not started by the end of the day after the start date: an email
/// to the account representative, and a reminder with a new link to the
/// provisioning contact (whose earlier link still works).
async fn escalate(store: &Store, now: DateTime<Utc>, public_url: &str) -> anyhow::Result<u64> {
    // The start date is at least two days before today.
    let cutoff = now
        .date_naive()
        .checked_sub_days(Days::new(2))
        .unwrap_or(NaiveDate::MIN)
        .to_string();
    let mut tx = store.write().await?;
    let due = tx
        .claim_escalations(now, &cutoff, now - Duration::days(1), BATCH)
        .await?;
    let letters = Letters::read(&mut tx, &due, &contacts(&due, true)).await?;
    let expires = link_expiry(now);
    let (mut links, mut emails, mut audit) = (Vec::new(), Vec::new(), Vec::new());
    for order in &due {
        let (id, rep, contact) = (&order.id, rep_of(order), &order.provisioning_contact_email);
        let escalation = mail::escalation(
            letters.locale(rep, order),
            rep,
            &letters.facts(order),
            &order.partner_name,
        );
        emails.push((format!("escalation:{id}"), Some(id.clone()), escalation));
        let (token, hash) = tokens::new_token()?;
        let reminder = mail::reminder(
            letters.locale(contact, order),
            contact,
            &letters.facts(order),
            &mail::setup_url(public_url, &token),
        );
        emails.push((format!("reminder:{id}"), Some(id.clone()), reminder));
        links.push(NewLink {
            hash,
            order_id: id.clone(),
            email: contact.clone(),
            audience: "partner",
            expires: expires.clone(),
        });
        audit.push((id.clone(), rep.to_string()));
    }
    tx.links(&links, now).await?;
    tx.emails(&emails, now).await?;
    tx.audit_all(now, "scheduler", "escalated", &audit).await?;
    tx.events(&events(&due, "order.escalated"), now).await?;
    tx.commit().await?;
    Ok(due.len() as u64)
}

fn rep_of(order: &DueOrder) -> &str {
    order.account_rep_email.as_deref().unwrap_or_default()
}

/// When an order invited at `invited_at` closes, and that instant as text.
fn closing_of(order: &DueOrder) -> anyhow::Result<DateTime<Utc>> {
    let invited = order.invited_at.as_deref().unwrap_or_default();
    Ok(crate::server::store::parse_ts(invited)? + Duration::days(SETUP_WINDOW_DAYS as i64))
}

/// "Will close": the provisioning contact of each order not set up `days`
/// after its invitation, warned once at this `stage`, with a new link (the
/// earlier ones still work) until the order closes.
async fn warn_of_closing(
    store: &Store,
    now: DateTime<Utc>,
    public_url: &str,
    stage: i64,
    days: i64,
) -> anyhow::Result<u64> {
    let window = Duration::days(SETUP_WINDOW_DAYS as i64);
    let mut tx = store.write().await?;
    let due = tx
        .claim_close_warnings(stage, now - Duration::days(days), now - window, BATCH)
        .await?;
    let letters = Letters::read(&mut tx, &due, &contacts(&due, false)).await?;
    let (mut links, mut emails, mut audit) = (Vec::new(), Vec::new(), Vec::new());
    for order in &due {
        let (id, to) = (&order.id, &order.provisioning_contact_email);
        let closing = closing_of(order)?;
        let date = closing.date_naive().to_string();
        let (token, hash) = tokens::new_token()?;
        let email = mail::close_warning(
            letters.locale(to, order),
            to,
            &letters.facts(order),
            &date,
            &mail::setup_url(public_url, &token),
        );
        links.push(NewLink {
            hash,
            order_id: id.clone(),
            email: to.clone(),
            audience: "partner",
            expires: ts(closing),
        });
        let invited = order.invited_at.clone().unwrap_or_default();
        emails.push((
            format!("close_warning:{id}:{stage}:{invited}"),
            Some(id.clone()),
            email,
        ));
        audit.push((id.clone(), date));
    }
    tx.links(&links, now).await?;
    tx.emails(&emails, now).await?;
    tx.audit_all(now, "scheduler", "close_warning_sent", &audit)
        .await?;
    tx.commit().await?;
    Ok(due.len() as u64)
}

/// "Provision": whoever set up an order that nobody provisioned within
/// [`PROVISION_REMINDER_DAYS`] days, reminded once, with a link to its
/// service setup.
async fn remind_to_provision(
    store: &Store,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<u64> {
    let mut tx = store.write().await?;
    let due = tx
        .claim_provision_reminders(now, now - Duration::days(PROVISION_REMINDER_DAYS), BATCH)
        .await?;
    let setters: Vec<&str> = due
        .iter()
        .filter_map(|o| o.setup_by_email.as_deref())
        .collect();
    let letters = Letters::read(&mut tx, &due, &setters).await?;
    let (mut emails, mut audit) = (Vec::new(), Vec::new());
    for order in &due {
        // Set up before anyone's address was recorded: nobody to remind.
        let Some(to) = order.setup_by_email.as_deref() else {
            continue;
        };
        let id = &order.id;
        let set_up = order.setup_at.as_deref().unwrap_or_default();
        let date = crate::server::store::parse_ts(set_up)?
            .date_naive()
            .to_string();
        let email = mail::provision_reminder(
            letters.locale(to, order),
            to,
            &letters.facts(order),
            &date,
            &format!("{public_url}/service/{id}"),
        );
        emails.push((format!("provision_reminder:{id}"), Some(id.clone()), email));
        audit.push((id.clone(), to.to_string()));
    }
    tx.emails(&emails, now).await?;
    tx.audit_all(now, "scheduler", "provision_reminder_sent", &audit)
        .await?;
    tx.commit().await?;
    Ok(due.len() as u64)
}

/// Closes up to a batch of the orders whose setup was not completed within
/// the window after the invitation; their links stop working, and their
/// provisioning contacts and account representatives are told.
async fn close_unfinished(store: &Store, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let mut tx = store.write().await?;
    let closed = tx
        .close_unfinished(now, now - Duration::days(SETUP_WINDOW_DAYS as i64), BATCH)
        .await?;
    let letters = Letters::read(&mut tx, &closed, &contacts(&closed, true)).await?;
    let mut emails = Vec::new();
    for order in &closed {
        let (id, contact, rep) = (&order.id, &order.provisioning_contact_email, rep_of(order));
        let invited = order.invited_at.clone().unwrap_or_default();
        let to_contact = mail::closed(
            letters.locale(contact, order),
            contact,
            &letters.facts(order),
            None,
        );
        emails.push((
            format!("closed:{id}:{invited}"),
            Some(id.clone()),
            to_contact,
        ));
        if !rep.is_empty() {
            let to_rep = mail::closed(
                letters.locale(rep, order),
                rep,
                &letters.facts(order),
                Some(&order.partner_name),
            );
            emails.push((
                format!("closed_rep:{id}:{invited}"),
                Some(id.clone()),
                to_rep,
            ));
        }
    }
    tx.emails(&emails, now).await?;
    let audit: Vec<(String, String)> = closed
        .iter()
        .map(|o| (o.id.clone(), "setup not completed in time".to_string()))
        .collect();
    tx.audit_all(now, "scheduler", "closed", &audit).await?;
    tx.events(&events(&closed, "order.closed"), now).await?;
    tx.commit().await?;
    Ok(closed.len() as u64)
}
