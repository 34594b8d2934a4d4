//! Ways into an account by email: "Forgot password?" and a new
//! administrator's welcome link, both single-use links to set a password.

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
    let locale = tx.account_language(&user.email).await?;
    let letter = mail::password_reset(locale, &user.email, &url);
    let key = format!("reset:{}", tokens::hash_token(&url));
    tx.email(&key, None, &letter, now).await?;
    tx.audit(now, &user.email, "password_reset_requested", None, "")
        .await?;
    tx.commit().await?;
    Ok(true)
}
