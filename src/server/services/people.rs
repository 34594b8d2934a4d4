//! The people of a partner organization (contract section 12): answering
//! join requests on `/hub/people`, and invitations by "Join" link.

use super::approvals::{answer_join, request_join};
use crate::domain::{DomainError, EmailAddress, Role};
use crate::error::{AppError, Refusal};
use crate::model::approval::ApprovalOutcome;
use crate::model::people::JoinView;
use crate::server::store::{JOIN_DAYS, Store};
use crate::server::{mail, tokens};
use chrono::{DateTime, Duration, Utc};

/// Invitations one organization may send in an hour.
const INVITATIONS_PER_HOUR: i64 = 20;

/// An administrator of `org` answers a join request on `/hub/people`.
pub async fn answer_join_request(
    store: &Store,
    org: &str,
    request_id: &str,
    approve: bool,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ApprovalOutcome, AppError> {
    let mut tx = store.write().await?;
    tx.lock(&mut vec![format!("people:{org}")]).await?;
    let outcome = answer_join(&mut tx, org, request_id, approve, by, now).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Invites `email` into `org` in `role`: a "Join" link by email (single use,
/// [`JOIN_DAYS`] days). An address that is a user already is refused, a
/// guest of this organization aside.
#[allow(clippy::too_many_arguments)]
pub async fn invite_person(
    store: &Store,
    org: &str,
    email: &EmailAddress,
    role: Role,
    by: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(), AppError> {
    let key = format!("invite:{org}");
    if let Some(wait) = store
        .hit_rate_limit(&key, now, Duration::hours(1), INVITATIONS_PER_HOUR)
        .await?
    {
        return Err(AppError::RateLimited {
            retry_after_secs: wait.num_seconds().max(1) as u64,
        });
    }
    let mut tx = store.write().await?;
    tx.lock(&mut vec![format!("email:{email}")]).await?;
    match tx.membership(email.as_str()).await? {
        None => {}
        // A guest of this organization may be invited in.
        Some((Some(of), role)) if of == org && role == Role::Guest.code() => {}
        Some((Some(of), _)) if of == org => {
            return Err(AppError::field("email", DomainError::AlreadyInOrganization));
        }
        Some(_) => {
            return Err(AppError::field(
                "email",
                DomainError::EmailBelongsToOtherOrg,
            ));
        }
    }
    let (org_name, country) = tx.partner_org(org).await?;
    let (token, hash) = tokens::new_token()?;
    let expires = now + Duration::days(JOIN_DAYS);
    tx.insert_invitation(&hash, org, email.as_str(), role, by, now, expires)
        .await?;
    let locale = mail::language_for(None, Some(&country));
    let letter = mail::join_invitation(
        locale,
        email.as_str(),
        &org_name,
        by,
        mail::role_name(locale, role),
        &format!("{public_url}/join/{token}"),
    );
    tx.email(&format!("join:{hash}"), None, &letter, now)
        .await?;
    let detail = format!("{email}: {}", role.code());
    tx.audit_people(now, by, "person_invited", org, None, &detail)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes sure a guest of `org` has an open join request (demo data).
pub async fn ensure_join_request(
    store: &Store,
    org: &str,
    person: &str,
    now: DateTime<Utc>,
    public_url: &str,
) -> anyhow::Result<()> {
    let mut tx = store.write().await?;
    tx.lock(&mut vec![format!("people:{org}")]).await?;
    request_join(&mut tx, public_url, org, person, None, now).await?;
    tx.commit().await
}

/// The user `user_id` of `org` and their role, or `NotFound`, with the
/// organization's people locked for the rest of the transaction.
async fn member_of(
    tx: &mut crate::server::store::Write<'_>,
    org: &str,
    user_id: &str,
) -> Result<(String, Role), AppError> {
    tx.lock(&mut vec![format!("people:{org}")]).await?;
    tx.member(org, user_id).await?.ok_or(AppError::NotFound)
}

/// Refuses to leave `org` without an administrator when `user_id` stops
/// being one.
async fn keep_an_administrator(
    tx: &mut crate::server::store::Write<'_>,
    org: &str,
    user_id: &str,
) -> Result<(), AppError> {
    if tx.other_administrators(org, user_id).await? == 0 {
        return Err(AppError::Refused(Refusal::LastAdministrator));
    }
    Ok(())
}

/// Gives `user_id` of `org` a new role, at once (their next request reads
/// it); the last administrator keeps theirs.
pub async fn change_role(
    store: &Store,
    org: &str,
    user_id: &str,
    role: Role,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let (email, old) = member_of(&mut tx, org, user_id).await?;
    if old == role {
        return Ok(());
    }
    if old == Role::Administrator {
        keep_an_administrator(&mut tx, org, user_id).await?;
    }
    tx.set_role(user_id, role).await?;
    if old == Role::Guest {
        // Let in by hand: their open request is answered with it.
        tx.close_join_requests(org, &email, "approved", by, now)
            .await?;
    }
    let detail = format!("{email}: {} → {}", old.code(), role.code());
    tx.audit_people(now, by, "role_changed", org, None, &detail)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes `user_id` from `org`: their sessions end at once and their
/// address belongs to nobody again; never the last administrator.
pub async fn remove_person(
    store: &Store,
    org: &str,
    user_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let (email, role) = member_of(&mut tx, org, user_id).await?;
    if role == Role::Administrator {
        keep_an_administrator(&mut tx, org, user_id).await?;
    }
    tx.delete_user(user_id).await?;
    tx.close_join_requests(org, &email, "cancelled", by, now)
        .await?;
    tx.audit_people(now, by, "person_removed", org, None, &email)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What `/join/{token}` shows: 404 unknown, 410 used or expired.
pub async fn join_view(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<JoinView, AppError> {
    let (view, expires, used) = store
        .invitation(&tokens::hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    if used || expires <= now {
        return Err(AppError::Gone);
    }
    Ok(view)
}

/// Uses a "Join" link, once: the invited address becomes a user of the
/// organization (a guest of it is let in), in the role given, with this
/// password. Returns the user's id.
pub async fn accept_join(
    store: &Store,
    token: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut tx = store.write().await?;
    let Some((org, email, role)) = tx.use_invitation(&tokens::hash_token(token), now).await? else {
        drop(tx);
        // Unknown is 404, used or expired 410.
        join_view(store, token, now).await?;
        return Err(AppError::Gone);
    };
    tx.lock(&mut vec![format!("email:{email}")]).await?;
    // A guest of this organization is let in; anyone else with an account
    // belongs elsewhere.
    let user_id = match tx.let_guest_in(&email, &org, role, password_hash).await? {
        Some(id) => id,
        None => tx
            .insert_member(&email, &org, role, password_hash, now)
            .await?
            .ok_or_else(|| AppError::field("email", DomainError::EmailBelongsToOtherOrg))?,
    };
    tx.close_join_requests(&org, &email, "approved", &email, now)
        .await?;
    tx.audit_people(now, &email, "invitation_accepted", &org, None, role.code())
        .await?;
    tx.commit().await?;
    Ok(user_id)
}
