//! Ways into an account by email: "Forgot password?" and a new
//! administrator's welcome link, both single-use links to set a password.

use crate::error::AppError;
use crate::server::store::{ACTIVATION_DAYS, RESET_MINUTES, Store, Write};
use crate::server::{mail, tokens};
use chrono::{DateTime, Duration, Utc};

/// Reset links one user may be sent in an hour.
const RESETS_PER_HOUR: i64 = 3;

/// A single-use link to set `user_id`'s password, for `purpose`, valid
/// until `expires`; its absolute address.
async fn password_link(
    tx: &mut Write<'_>,
    user_id: &str,
    purpose: &str,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<String> {
    let (token, hash) = tokens::new_token()?;
    tx.insert_password_link(&hash, user_id, purpose, now, expires)
        .await?;
    Ok(format!("{public_url}/reset/{token}"))
}

/// The welcome link of a new administrator (inside the caller's
/// transaction); its absolute address.
pub(crate) async fn activation_link(
    tx: &mut Write<'_>,
    user_id: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<String> {
    let expires = now + Duration::days(ACTIVATION_DAYS);
    password_link(tx, user_id, "activate", expires, now, public_url).await
}

/// "Forgot password?": a single-use reset link by email when the address is
/// a user's (at most a few an hour); nothing otherwise. The caller answers
/// the same either way. Whether an email was written.
pub async fn request_password_reset(
    store: &Store,
    email: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<bool> {
    let Some(user) = store.user_by_email(email).await? else {
        return Ok(false);
    };
    let key = format!("reset:{}", user.user_id);
    if store
        .hit_rate_limit(&key, now, Duration::hours(1), RESETS_PER_HOUR)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let mut tx = store.write().await?;
    let expires = now + Duration::minutes(RESET_MINUTES);
    let url = password_link(&mut tx, &user.user_id, "reset", expires, now, public_url).await?;
    let locale = tx.account_readers(&user.email).await?.locale();
    let letter = mail::password_reset(locale, &user.email, &url);
    let key = format!("reset:{}", tokens::hash_token(&url));
    tx.email(&key, None, &letter, now).await?;
    tx.audit(now, &user.email, "password_reset_requested", None, "")
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether a password link may be used: unknown is `NotFound`, used or
/// expired is `Gone`.
pub async fn password_link_state(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (expires, used) = store
        .password_link(&tokens::hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    if used || expires <= now {
        return Err(AppError::Gone);
    }
    Ok(())
}

/// Sets a new password through a password link, once: every other open
/// link of the user stops working and their sessions end. Returns the
/// user's id.
pub async fn reset_password(
    store: &Store,
    token: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut tx = store.write().await?;
    let Some(user_id) = tx
        .use_password_link(&tokens::hash_token(token), now)
        .await?
    else {
        drop(tx);
        // Unknown is 404, used or expired 410.
        password_link_state(store, token, now).await?;
        return Err(AppError::Gone);
    };
    let email = tx.set_password(&user_id, password_hash).await?;
    tx.end_access(&user_id, now).await?;
    tx.audit(now, &email, "password_reset", None, "").await?;
    tx.commit().await?;
    Ok(user_id)
}

/// The order and the person whose first password this link may still set
/// (checked before a password is hashed): only in the browser that
/// committed, whose commit cookie hashes to `committer`.
pub async fn first_password_target(
    store: &Store,
    token: &str,
    committer: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    store
        .first_password_target(&tokens::hash_token(token), committer, now)
        .await?
        .ok_or(AppError::Gone)
}

/// Sets the first password of the person who committed with this link,
/// once, within a day of the commit (later, "Forgot password?" serves), in
/// the browser that committed. Returns the user's id.
pub async fn set_first_password(
    store: &Store,
    token: &str,
    committer: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut tx = store.write().await?;
    let hash = tokens::hash_token(token);
    let (user_id, email, order_id) = tx
        .set_first_password(&hash, committer, password_hash, now)
        .await?
        .ok_or(AppError::Gone)?;
    // For the Activity: the person has a way back in.
    tx.audit(now, &email, "password_created", Some(&order_id), "")
        .await?;
    tx.commit().await?;
    Ok(user_id)
}
