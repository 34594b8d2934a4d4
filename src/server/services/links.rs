//! "Set Up Now" links: whether one may be used now, opening one (what the
//! wizard shows) and starting the setup with it.

use crate::error::AppError;
use crate::model::setup::SetupContext;
use crate::server::store::{LinkRow, OpenLink, Store};
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
