//! The people of a partner organization (contract section 12): answering
//! join requests on `/hub/people`, and invitations by "Join" link.

use super::approvals::{answer_join, request_join};
use crate::domain::{DomainError, EmailAddress, Role};
use crate::error::AppError;
use crate::model::approval::ApprovalOutcome;
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
