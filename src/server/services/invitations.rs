//! "Set Up Now" links sent again or handed on: a new invitation to the
//! provisioning contact (optionally a new one), the customer's invitation
//! of a "Customer setup" order, and the setup handed to a colleague. Each
//! ends the links it replaces.

use crate::domain::EmailAddress;
use crate::error::{AppError, Refusal};
use crate::model::setup::Audience;
use crate::server::store::{NewLink, SETUP_WINDOW_DAYS, Store, Write, ts};
use crate::server::{mail, tokens};
use chrono::{DateTime, Duration, Utc};

/// Until when a link made `now` works.
pub(crate) fn link_expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(SETUP_WINDOW_DAYS as i64)
}

/// A new "Set Up Now" link for the order's provisioning contact, by email;
/// earlier links of the order stop working. Answers the address.
pub(crate) async fn reinvite_contact(
    tx: &mut Write<'_>,
    public_url: &str,
    order_id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let to = tx.contact_of(order_id).await?;
    let order = tx.order_mail(order_id, &to).await?;
    tx.revoke_links(order_id, None, now).await?;
    let (token, hash) = tokens::new_token()?;
    let key = format!("invitation:{order_id}:{hash}");
    tx.insert_link(
        &NewLink {
            hash,
            order_id: order_id.to_string(),
            email: to.clone(),
            audience: "partner",
            expires: ts(link_expiry(now)),
        },
        now,
    )
    .await?;
    let url = mail::setup_url(public_url, &token);
    let email = order.set_up_now(&to, &url);
    tx.email(&key, Some(order_id), &email, now).await?;
    Ok(to)
}

/// A "Set Up Now" link for the customer administrator of a "Customer setup"
/// order; earlier ones stop working.
pub(crate) async fn invite_customer(
    tx: &mut Write<'_>,
    public_url: &str,
    order_id: &str,
    admin: &EmailAddress,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    tx.revoke_links(order_id, Some("customer"), now).await?;
    let (token, hash) = tokens::new_token()?;
    let key = format!("customer_invitation:{order_id}:{hash}");
    tx.insert_link(
        &NewLink {
            hash,
            order_id: order_id.to_string(),
            email: admin.as_str().to_string(),
            audience: "customer",
            expires: ts(link_expiry(now)),
        },
        now,
    )
    .await?;
    let order = tx.order_mail(order_id, admin.as_str()).await?;
    let email = mail::customer_invitation(
        order.locale(),
        admin.as_str(),
        &order.facts(),
        &order.partner,
        &mail::setup_url(public_url, &token),
    );
    tx.email(&key, Some(order_id), &email, now).await?;
    Ok(())
}

/// Sends a new invitation (to a new contact, if given); earlier links of the
/// order stop working. Only before the order is set up; before the start
/// date only the contact changes (the invitation goes out then). Whether an
/// invitation was sent.
pub async fn resend_invitation(
    store: &Store,
    order_id: &str,
    new_contact: Option<&EmailAddress>,
    by: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<bool, AppError> {
    let mut tx = store.write().await?;
    let new_contact = new_contact.map(EmailAddress::as_str);
    let Some(invited) = tx.change_contact(order_id, new_contact, now).await? else {
        drop(tx);
        return match store.order_summary(order_id).await? {
            None => Err(AppError::NotFound),
            Some(_) => Err(AppError::Refused(Refusal::OrderAlreadySetUp)),
        };
    };
    if !invited {
        let detail = new_contact.unwrap_or_default();
        tx.audit(now, by, "contact_changed", Some(order_id), detail)
            .await?;
        tx.commit().await?;
        return Ok(false);
    }
    // A new invitation withdraws a pending approval request: the order is
    // back to awaiting its details.
    if tx.cancel_approvals(order_id, now).await? {
        tx.event(order_id, "order.invited", now).await?;
    }
    let to = reinvite_contact(&mut tx, public_url, order_id, now).await?;
    tx.audit(now, by, "invitation_resent", Some(order_id), &to)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Opens a closed order again, asked by the commerce system: a new "Set Up
/// Now" link to its contact and the whole setup window again. `Ok(false)`
/// when the order is not closed.
pub async fn reopen_order(
    store: &Store,
    order_id: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<bool, AppError> {
    let mut tx = store.write().await?;
    if !tx.reopen(order_id, now).await? {
        return Ok(false);
    }
    let to = reinvite_contact(&mut tx, public_url, order_id, now).await?;
    tx.audit(now, "commerce", "reopened", Some(order_id), &to)
        .await?;
    tx.event(order_id, "order.invited", now).await?;
    tx.commit().await?;
    Ok(true)
}

/// "Resend invitation" to the customer of a "Customer setup" order: a new
/// "Set Up Now" link, earlier ones stop working.
pub async fn resend_customer_invitation(
    store: &Store,
    order_id: &str,
    by: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let to = tx
        .customer_to_invite(order_id)
        .await?
        .ok_or(AppError::Refused(Refusal::OrderAlreadySetUp))?
        .ok_or(AppError::Refused(Refusal::StepIncomplete))?;
    let admin = EmailAddress::parse(&to)?;
    invite_customer(&mut tx, public_url, order_id, &admin, now).await?;
    tx.audit(now, by, "customer_invitation_resent", Some(order_id), &to)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Hands the setup to a colleague: their link is sent, this one stops
/// working (theirs works as long as this one would have).
pub async fn delegate_setup(
    store: &Store,
    token: &str,
    colleague: &EmailAddress,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(), AppError> {
    let hash = tokens::hash_token(token);
    let mut tx = store.write().await?;
    let link = super::links::usable(tx.link(&hash).await?, now)?;
    if link.audience != Audience::Partner {
        return Err(AppError::Forbidden);
    }
    let expires = tx.revoke_link(&hash, now).await?.ok_or(AppError::Gone)?;
    if tx.set_up_or_waiting(&link.order_id).await? {
        return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
    }
    let (new_token, new_hash) = tokens::new_token()?;
    let key = format!("delegation:{}:{new_hash}", link.order_id);
    tx.insert_link(
        &NewLink {
            hash: new_hash,
            order_id: link.order_id.clone(),
            email: colleague.as_str().to_string(),
            audience: "partner",
            expires: ts(expires),
        },
        now,
    )
    .await?;
    let order = tx.order_mail(&link.order_id, colleague.as_str()).await?;
    let email = mail::delegation(
        order.locale(),
        colleague.as_str(),
        &order.facts(),
        &link.email,
        &mail::setup_url(public_url, &new_token),
    );
    tx.email(&key, Some(&link.order_id), &email, now).await?;
    let detail = colleague.as_str();
    tx.audit(
        now,
        &link.email,
        "setup_delegated",
        Some(&link.order_id),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
