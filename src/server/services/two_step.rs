//! Two-step sign-in (contract section 13): turning it on and off on
//! `/account`, the second step of signing in, an administrator requiring it,
//! and "Sign out everywhere". The codes themselves are
//! [`crate::server::two_step`]'s.

use crate::domain::DomainError;
use crate::error::AppError;
use crate::model::account::Enrolment;
use crate::server::store::{SessionUser, Store, TwoStepRecord};
use crate::server::two_step as codes;
use chrono::{DateTime, Utc};

fn wrong_code() -> AppError {
    AppError::field("code", DomainError::TwoStepCodeWrong)
}

/// The two-step record of a user.
pub async fn record(store: &Store, user_id: &str) -> Result<TwoStepRecord, AppError> {
    store
        .two_step_of(user_id)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Starts turning two-step sign-in on: a new secret, kept sealed until a
/// first code confirms it, shown as text and as a QR code.
pub async fn start(store: &Store, user: &SessionUser) -> Result<Enrolment, AppError> {
    let secret = codes::new_secret()?;
    store
        .set_pending_two_step(&user.user_id, &store.sealer().seal(&secret)?)
        .await?;
    Ok(Enrolment {
        qr_code: codes::qr_code(&secret, &user.email)?,
        secret,
    })
}

/// Confirms the secret being turned on with a first code: two-step
/// sign-in is on, every other session of the user ends, and the ten
/// recovery codes are answered (shown once; only their hashes are kept).
pub async fn confirm(
    store: &Store,
    user: &SessionUser,
    code: &str,
    this_session: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let record = record(store, &user.user_id).await?;
    // Nothing to confirm: "Turn on" was not pressed, or it is on already.
    let Some(pending) = record.pending.as_deref() else {
        return Err(AppError::Gone);
    };
    let secret = store.sealer().open(pending)?;
    let Some(step) = codes::accepted_step(&secret, code, now.timestamp(), None)? else {
        return Err(wrong_code());
    };
    let recovery = codes::new_recovery_codes()?;
    let hashes: Vec<String> = recovery.iter().map(|c| codes::recovery_hash(c)).collect();
    let mut tx = store.write().await?;
    tx.turn_on_two_step(&user.user_id, pending, step, &hashes, now)
        .await?;
    tx.end_other_sessions(&user.user_id, this_session).await?;
    tx.audit_account(
        now,
        &user.email,
        "two_step_on",
        user.partner_org_id.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(recovery)
}

/// The second step of signing in, for the user of `record`: a code (not
/// used before) or a recovery code (once). `Ok(false)` when it is neither.
pub async fn second_step(
    store: &Store,
    record: &TwoStepRecord,
    input: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let user_id = record.user_id.as_str();
    let Some(sealed) = record.secret.as_deref() else {
        return Ok(false);
    };
    let mut tx = store.write().await?;
    let passed = if codes::is_totp_code(input) {
        let secret = store.sealer().open(sealed)?;
        match codes::accepted_step(&secret, input, now.timestamp(), record.last_step)? {
            // Used on this instance or another meanwhile: refused too.
            Some(step) => tx.use_step(user_id, step).await?,
            None => false,
        }
    } else {
        let used = tx
            .use_recovery_code(user_id, &codes::recovery_hash(input), now)
            .await?;
        if used {
            tx.audit_account(
                now,
                &record.email,
                "recovery_code_used",
                record.partner_org_id.as_deref(),
            )
            .await?;
        }
        used
    };
    tx.commit().await?;
    Ok(passed)
}

/// Turns two-step sign-in off, once the caller checked the password: needs
/// a code (or a recovery code).
pub async fn turn_off(
    store: &Store,
    user: &SessionUser,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let record = record(store, &user.user_id).await?;
    if !second_step(store, &record, code, now).await? {
        return Err(wrong_code());
    }
    let mut tx = store.write().await?;
    tx.turn_off_two_step(&user.user_id).await?;
    tx.audit_account(
        now,
        &user.email,
        "two_step_off",
        user.partner_org_id.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator of `org` requires two-step sign-in of its people, or
/// stops requiring it.
pub async fn set_required(
    store: &Store,
    org: &str,
    required: bool,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    if tx.set_two_step_required(org, required).await? {
        let action = if required {
            "two_step_required"
        } else {
            "two_step_not_required"
        };
        tx.audit_account(now, by, action, Some(org)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the user, this one too.
pub async fn sign_out_everywhere(
    store: &Store,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    tx.end_other_sessions(&user.user_id, None).await?;
    tx.audit_account(
        now,
        &user.email,
        "signed_out_everywhere",
        user.partner_org_id.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
