//! Proving an address (contract section 11): a 6-digit code emailed to it
//! from the setup wizard, entered in the browser that asked for it, valid
//! for a quarter of an hour and five tries, a few sent an hour per address
//! and per link.

use crate::domain::{DomainError, EmailAddress, VerificationCode};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::store::{
    PROOF_MINUTES, PROOF_SENDS_PER_ADDRESS, PROOF_SENDS_PER_LINK, PROOF_TRIES, Store, new_id,
};
use crate::server::{mail, tokens};
use chrono::{DateTime, Duration, Utc};
use rand::{TryRngCore, rngs::OsRng};

/// The stored form of a code: bound to its row, so equal codes of two rows
/// hash apart.
fn code_hash(id: &str, code: &str) -> String {
    tokens::hash_token(&format!("{id}:{code}"))
}

/// Six digits from the operating system's generator, every value equally
/// likely (draws above the last whole million are thrown away).
fn new_code() -> anyhow::Result<String> {
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = OsRng
            .try_next_u32()
            .map_err(|e| anyhow::anyhow!("operating system RNG failed: {e}"))?;
        if n < LIMIT {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

fn wrong(error: DomainError) -> AppError {
    AppError::field("code", error)
}

/// Emails a code to `email` for the link, in `locale`: a few an hour per
/// address and per link (a rate limit beyond). A code sent within the last
/// two minutes is still on its way, so `fresh` alone sends another then
/// ("Send a new code"). Whether one was sent.
#[allow(clippy::too_many_arguments)]
pub async fn send_proof_code(
    store: &Store,
    link_hash: &str,
    order_id: &str,
    email: &EmailAddress,
    locale: Locale,
    fresh: bool,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let address = email.as_str();
    if !fresh
        && store
            .code_sent_since(link_hash, address, now - Duration::minutes(2))
            .await?
    {
        return Ok(false);
    }
    for (key, max) in [
        (
            format!("proof:address:{}", tokens::hash_token(address)),
            PROOF_SENDS_PER_ADDRESS,
        ),
        (format!("proof:link:{link_hash}"), PROOF_SENDS_PER_LINK),
    ] {
        if let Some(wait) = store
            .hit_rate_limit(&key, now, Duration::hours(1), max)
            .await?
        {
            return Err(AppError::RateLimited {
                retry_after_secs: wait.num_seconds().max(1) as u64,
            });
        }
    }
    let id = new_id();
    let code = new_code()?;
    let mut tx = store.write().await?;
    // A new code ends the ones sent before.
    tx.end_codes(link_hash, address).await?;
    let expires = now + Duration::minutes(PROOF_MINUTES);
    tx.insert_code(
        &id,
        link_hash,
        address,
        &code_hash(&id, &code),
        now,
        expires,
    )
    .await?;
    let letter = mail::verification_code(locale, address, &code);
    tx.email(&format!("proof:{id}"), Some(order_id), &letter, now)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Checks a code against the one in use for `email` and the link: right,
/// it proves the address to the browser whose cookie hashes to `browser`;
/// wrong, it counts a try, and the fifth wrong try ends it.
pub async fn verify_proof_code(
    store: &Store,
    link_hash: &str,
    email: &EmailAddress,
    code: &VerificationCode,
    browser: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let in_use = tx
        .code_in_use(link_hash, email.as_str(), now)
        .await?
        .ok_or(wrong(DomainError::CodeExpired))?;
    if in_use.code_hash != code_hash(&in_use.id, code.as_str()) {
        tx.wrong_try(&in_use.id).await?;
        tx.commit().await?;
        return Err(wrong(if in_use.attempts + 1 >= PROOF_TRIES {
            DomainError::CodeExpired
        } else {
            DomainError::CodeWrong
        }));
    }
    tx.prove(&in_use.id, browser, now).await?;
    tx.commit().await?;
    Ok(())
}
