//! "Set Up Now" links: whether one may be used now, opening one (what the
//! wizard shows) and starting the setup with it.

use crate::error::AppError;
use crate::model::setup::SetupContext;
use crate::server::access::{self, Action};
use crate::server::store::{LinkRow, OpenLink, SessionUser, Store};
use crate::server::tokens;
use chrono::{DateTime, Utc};

/// Whether a link may be used now: unknown is `NotFound`; used, replaced,
/// expired or of a closed order is `Gone`.
pub(crate) fn usable(row: Option<LinkRow>, now: DateTime<Utc>) -> Result<OpenLink, AppError> {
    let row = row.ok_or(AppError::NotFound)?;
    if row.ended || row.expires_at <= now {
        return Err(AppError::Gone);
    }
    Ok(row.link)
}

/// The link, if it may be used now, without recording anything.
pub async fn usable_link(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<OpenLink, AppError> {
    usable(store.link(&tokens::hash_token(token)).await?, now)
}

/// Opens a link: refuses unknown, used and expired ones and returns what
/// the wizard needs to show. Only reads: mail gateways that fetch links
/// (GET or HEAD) must not count as someone starting the setup.
pub async fn open_setup(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<SetupContext, AppError> {
    let (link, context) = store
        .link_with_context(&tokens::hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    usable(Some(link), now)?;
    Ok(context)
}

/// Someone pressed "Next" on the first step: the setup has started (the
/// escalation is no longer due). Only the first start writes.
pub async fn start_setup(store: &Store, token: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let link = usable_link(store, token, now).await?;
    if link.opened {
        return Ok(());
    }
    let mut tx = store.write().await?;
    tx.start_setup(&link, now).await?;
    tx.audit(now, &link.email, "setup_started", Some(&link.order_id), "")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A change order's link used by a signed-in `user` who may manage the
/// subscription (contract section 14): the order is set up with the
/// organizations it had from intake, the link is spent, and what the order
/// adds goes into the activity. Answers the order to open in the service
/// setup wizard; the same link used again by someone who may manage the
/// order answers the same.
pub async fn take_up_change(
    store: &Store,
    token: &str,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let hash = tokens::hash_token(token);
    let again = || async {
        let order_id = store
            .order_of_spent_link(token)
            .await?
            .ok_or(AppError::Gone)?;
        access::authorize(store, user, &order_id, Action::Manage).await?;
        Ok::<_, AppError>(order_id)
    };
    let link = match usable(store.link(&hash).await?, now) {
        Ok(link) => link,
        Err(AppError::Gone) => return again().await,
        Err(err) => return Err(err),
    };
    let order = store
        .order_access(&link.order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    access::decide(user, &order, Action::TakeUpChange)?;
    let adds = store
        .order_services(&link.order_id)
        .await?
        .iter()
        .map(|(kind, sku, quantity)| format!("{kind} {sku} × {quantity}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut tx = store.write().await?;
    if !tx.spend_link(&hash, now).await? {
        drop(tx);
        return again().await;
    }
    tx.end_other_links(&link, now).await?;
    if !tx
        .mark_change_set_up(&link.order_id, &user.email, now)
        .await?
    {
        return Err(AppError::Refused(crate::error::Refusal::OrderAlreadySetUp));
    }
    tx.audit(
        now,
        &user.email,
        "change_set_up",
        Some(&link.order_id),
        &adds,
    )
    .await?;
    tx.event(&link.order_id, "order.set_up", now).await?;
    tx.commit().await?;
    Ok(link.order_id)
}
