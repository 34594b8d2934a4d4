//! The service setup wizard's changes: calling settings, the meeting site's
//! subdomain, and provisioning with the start of billing.

use crate::domain::Subdomain;
use crate::error::{AppError, Refusal};
use crate::model::service::CallingChoice;
use crate::server::mail;
use crate::server::store::{Store, Write};
use chrono::{DateTime, Utc};

/// Saves (or replaces) the calling settings, until billing started: a
/// location the customer organization saved already, or a new one, which
/// becomes one of its locations (an order that saved a new location before
/// changes that one rather than adding another). `by` is the person, for
/// the audit.
pub async fn save_calling(
    store: &Store,
    order_id: &str,
    choice: &CallingChoice,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let org = customer_org_to_change(&mut tx, order_id).await?;
    let location = match choice {
        CallingChoice::Saved(id) => {
            if !tx.location_of(&org, id).await? {
                return Err(AppError::NotFound);
            }
            id.clone()
        }
        CallingChoice::New(settings) => {
            let id = match tx.own_location(order_id).await? {
                Some(id) => id,
                None => crate::server::store::new_id(),
            };
            tx.put_location(&id, &org, order_id, settings, now).await?;
            id
        }
    };
    let Some(name) = tx.save_calling(order_id, &location, now).await? else {
        return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
    };
    tx.audit(now, by, "calling_settings_saved", Some(order_id), &name)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The customer organization of an order whose settings change, locked
/// until the transaction ends; 404 for an unknown order, 409 once billing
/// started.
async fn customer_org_to_change(tx: &mut Write<'_>, order_id: &str) -> Result<String, AppError> {
    let org = tx
        .lock_customer_org(order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if tx.provisioned(order_id).await? == Some(true) {
        return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
    }
    Ok(org)
}

/// Reserves `subdomain` for the order's meeting site (replacing its earlier
/// one), until billing started. A customer organization has one meeting
/// site: when an earlier order reserved it, this one uses it.
pub async fn reserve_subdomain(
    store: &Store,
    order_id: &str,
    subdomain: &Subdomain,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let org = customer_org_to_change(&mut tx, order_id).await?;
    if tx.org_site(&org, order_id).await?.is_some() {
        return Err(AppError::Refused(Refusal::SiteAlreadySetUp));
    }
    if !tx
        .replace_meeting_site(order_id, &org, subdomain, now)
        .await?
    {
        return Err(AppError::Refused(Refusal::SubdomainTaken));
    }
    let detail = subdomain.as_str();
    tx.audit(now, by, "subdomain_reserved", Some(order_id), detail)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Provisions the order and starts billing, once: a repeated call answers
/// with the first billing date and sends no second email.
pub async fn provision(
    store: &Store,
    order_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let view = store
        .service_view(order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(date) = view.ready_to_provision()? {
        return Ok(date.to_string());
    }
    let today = now.date_naive().to_string();
    let mut tx = store.write().await?;
    let Some((order_number, subscription_id)) = tx.start_billing(order_id, &today, by, now).await?
    else {
        // Another request started it meanwhile: its date stands.
        drop(tx);
        return store
            .billing_start_date(order_id)
            .await?
            .ok_or(AppError::Unexpected);
    };
    let locale = tx.order_mail(order_id, by).await?.locale();
    let email = mail::billing_started(locale, by, &order_number, &subscription_id, &today);
    let key = format!("billing_started:{order_id}");
    tx.email(&key, Some(order_id), &email, now).await?;
    tx.event(order_id, "order.provisioned", now).await?;
    tx.audit(now, by, "billing_started", Some(order_id), &today)
        .await?;
    tx.commit().await?;
    Ok(today)
}
