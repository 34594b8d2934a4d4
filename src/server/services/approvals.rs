//! Approvals (contract sections 9 and 11), both kinds by one set of rules:
//! a customer organization's administrator approving a partner's order for
//! it, and a partner organization's administrators approving a newcomer who
//! set up an order for it. Each is answered once, at `/approve/{token}` (a
//! link per administrator), or on `/hub/people`.

use super::invitations::reinvite_contact;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::model::approval::{ApprovalOutcome, ApprovalView};
use crate::server::store::{
    APPROVAL_DAYS, ApprovalRow, NewApproval, Store, Write, new_id, parse_ts,
};
use crate::server::{mail, tokens};
use chrono::{DateTime, Duration, Utc};

/// Records one approval link and sends its email, built from the link's
/// address.
async fn ask(
    tx: &mut Write<'_>,
    public_url: &str,
    approval: NewApproval<'_>,
    now: DateTime<Utc>,
    email: impl FnOnce(&str) -> mail::Email,
) -> anyhow::Result<()> {
    let (token, hash) = tokens::new_token()?;
    tx.insert_approval(&hash, &approval, now).await?;
    let letter = email(&format!("{public_url}/approve/{token}"));
    let key = format!("approval:{hash}");
    tx.email(&key, approval.order_id, &letter, now).await?;
    Ok(())
}

/// Asks the customer organization's administrator `admin` to approve the
/// order for it (inside the commit).
pub(crate) async fn request_approval(
    tx: &mut Write<'_>,
    public_url: &str,
    order_id: &str,
    customer_org: &str,
    admin: &EmailAddress,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let order = tx.order_mail(order_id, admin.as_str()).await?;
    let request_id = new_id();
    let approval = NewApproval {
        kind: "customer",
        request_id: &request_id,
        order_id: Some(order_id),
        customer_org: Some(customer_org),
        partner_org: None,
        subject: None,
        admin: admin.as_str(),
        expires: now + Duration::days(APPROVAL_DAYS),
    };
    ask(tx, public_url, approval, now, |url| {
        mail::approval_request(
            order.locale(),
            admin.as_str(),
            &order.number,
            &order.partner,
            url,
        )
    })
    .await
}

/// Asks every administrator of the partner organization `org` to let
/// `person` in (a guest now), unless a request for them is open already.
pub(crate) async fn request_join(
    tx: &mut Write<'_>,
    public_url: &str,
    org: &str,
    person: &str,
    order_id: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if tx.join_request_open(org, person, now).await? {
        return Ok(());
    }
    let org_name = tx.partner_org_name(org).await?;
    let order_number = match order_id {
        Some(id) => tx.order_number(id).await?,
        None => None,
    };
    let request_id = new_id();
    for admin in &tx.administrators(org).await? {
        let locale = tx.account_readers(admin).await?.locale();
        let approval = NewApproval {
            kind: "join",
            request_id: &request_id,
            order_id,
            customer_org: None,
            partner_org: Some(org),
            subject: Some(person),
            admin,
            expires: now + Duration::days(APPROVAL_DAYS),
        };
        ask(tx, public_url, approval, now, |url| {
            mail::join_request(
                locale,
                admin,
                person,
                &org_name,
                order_number.as_deref(),
                url,
            )
        })
        .await?;
    }
    tx.audit_people(now, person, "join_requested", org, order_id, "")
        .await
}

/// Answers an open join request of `org` on every one of its links, lets
/// the guest in (or not) and tells them. `by` is the administrator
/// answering.
pub(crate) async fn answer_join(
    tx: &mut Write<'_>,
    org: &str,
    request_id: &str,
    approve: bool,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ApprovalOutcome, AppError> {
    let (person, order_id) = tx
        .open_join_request(org, request_id, now)
        .await?
        .ok_or(AppError::Gone)?;
    if !tx.answer_request(request_id, approve, by, now).await? {
        return Err(AppError::Gone);
    }
    // Removed meanwhile, or let in another way.
    if approve && !tx.let_in(&person, org).await? {
        return Err(AppError::Gone);
    }
    let org_name = tx.partner_org_name(org).await?;
    let locale = tx.account_readers(&person).await?.locale();
    let email = mail::join_answered(locale, &person, &org_name, approve);
    let key = format!("join_answer:{request_id}");
    tx.email(&key, order_id.as_deref(), &email, now).await?;
    let action = if approve {
        "join_approved"
    } else {
        "join_declined"
    };
    tx.audit_people(now, by, action, org, order_id.as_deref(), &person)
        .await?;
    Ok(if approve {
        ApprovalOutcome::Joined { person }
    } else {
        ApprovalOutcome::JoinDeclined { person }
    })
}

/// Whether an approval can still be answered: unknown is `NotFound`,
/// answered or expired is `Gone`, and so is a join request whose
/// administrator no longer administers the organization (only someone who
/// administers it now may let people in, whatever link they hold).
fn answerable(
    approval: Option<ApprovalRow>,
    still_admin: bool,
    now: DateTime<Utc>,
) -> Result<ApprovalRow, AppError> {
    let approval = approval.ok_or(AppError::NotFound)?;
    let expired = parse_ts(&approval.expires_at)? <= now;
    if expired || approval.answered_at.is_some() {
        return Err(AppError::Gone);
    }
    if approval.kind == "join" && !still_admin {
        return Err(AppError::Gone);
    }
    Ok(approval)
}

/// The organization a join request asks to join, and who answers it.
fn join_of(approval: &Option<ApprovalRow>) -> Option<(&str, &str)> {
    approval
        .as_ref()
        .filter(|row| row.kind == "join")
        .map(|row| {
            (
                row.admin_email.as_str(),
                row.partner_org_id.as_deref().unwrap_or_default(),
            )
        })
}

/// What the approval page shows.
pub async fn approval_view(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ApprovalView, AppError> {
    let approval = store.approval(&tokens::hash_token(token)).await?;
    let still_admin = match join_of(&approval) {
        Some((admin, org)) => store.is_administrator(admin, org).await?,
        None => true,
    };
    let approval = answerable(approval, still_admin, now)?;
    if approval.kind == "join" {
        return Ok(ApprovalView::Join {
            person: approval.subject_email.unwrap_or_default(),
            organization: approval.org_name.unwrap_or_default(),
            order_number: approval.order_number,
        });
    }
    let order_id = approval.order_id.ok_or(AppError::Unexpected)?;
    Ok(ApprovalView::Order {
        partner_name: approval.partner_name.unwrap_or_default(),
        order_number: approval.order_number.unwrap_or_default(),
        services: store.order_services(&order_id).await?,
    })
}

/// Approves or declines, once. A customer's approval attaches the order to
/// the organization and tells the partner; a decline returns the order to
/// "Awaiting Provisioning Details", tells the partner and sends the
/// provisioning contact a new "Set Up Now" link. A join request's answer
/// lets the person in, or leaves them with their one order.
pub async fn answer_approval(
    store: &Store,
    token: &str,
    approve: bool,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<ApprovalOutcome, AppError> {
    let hash = tokens::hash_token(token);
    let mut tx = store.write().await?;
    let approval = tx.approval(&hash).await?;
    let still_admin = match join_of(&approval) {
        Some((admin, org)) => tx.is_administrator(admin, org).await?,
        None => true,
    };
    let approval = answerable(approval, still_admin, now)?;
    let by = approval.admin_email.as_str();
    if approval.kind == "join" {
        let org = approval.partner_org_id.as_deref().unwrap_or_default();
        let outcome = answer_join(&mut tx, org, &approval.request_id, approve, by, now).await?;
        tx.commit().await?;
        return Ok(outcome);
    }
    if !tx
        .answer_request(&approval.request_id, approve, by, now)
        .await?
    {
        return Err(AppError::Gone);
    }
    let order_id = approval.order_id.as_deref().ok_or(AppError::Unexpected)?;
    let order_number = approval.order_number.as_deref().unwrap_or_default();
    let partner_user = approval.setup_by_email.as_deref();
    let outcome = if approve {
        let customer_mode = approval.setup_mode.as_deref() == Some("customer");
        let customer_org = approval.customer_org_id.as_deref();
        if !tx
            .attach_approved(order_id, customer_org, customer_mode, now)
            .await?
        {
            return Err(AppError::Gone);
        }
        let service_url = format!("/service/{order_id}");
        if let Some(to) = partner_user {
            let locale = tx.order_mail(order_id, to).await?.locale();
            // A partner who set up for the customer goes on to the service
            // setup; one whose customer set it up has nothing to do there.
            let continue_at = (!customer_mode).then(|| format!("{public_url}{service_url}"));
            let email =
                mail::approval_answered(locale, to, order_number, true, continue_at.as_deref());
            tx.email(&format!("approved:{hash}"), Some(order_id), &email, now)
                .await?;
        }
        tx.event(order_id, "order.set_up", now).await?;
        ApprovalOutcome::Approved { service_url }
    } else {
        tx.return_to_awaiting(order_id).await?;
        if let Some(to) = partner_user {
            let locale = tx.order_mail(order_id, to).await?.locale();
            let email = mail::approval_answered(locale, to, order_number, false, None);
            tx.email(&format!("declined:{hash}"), Some(order_id), &email, now)
                .await?;
        }
        // The provisioning contact starts again with a new link.
        reinvite_contact(&mut tx, public_url, order_id, now).await?;
        tx.event(order_id, "order.invited", now).await?;
        ApprovalOutcome::Declined
    };
    let action = if approve {
        "approval_approved"
    } else {
        "approval_declined"
    };
    tx.audit(now, by, action, Some(order_id), "").await?;
    tx.commit().await?;
    Ok(outcome)
}
