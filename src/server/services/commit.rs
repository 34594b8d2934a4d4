//! The commit of the setup wizard: in one transaction the link is spent,
//! the facts about the organizations and addresses named are read (with what
//! the request shows about who is behind it), the draft becomes a plan
//! ([`crate::model::setup::plan`], the same function the browser runs,
//! which decides) and the plan is carried out: organizations, users, the
//! order's state, links, emails, events and audit entries, or nothing.

use super::accounts::activation_link;
use super::approvals::{request_approval, request_join};
use super::invitations::invite_customer;
use crate::domain::DomainError;
use crate::error::{AppError, Refusal};
use crate::model::setup::{
    self as machine, AfterCommit, Audience, CommitResult, CustomerPlan, Draft, Facts, Owner,
    PartnerPlan, SetupContext, SetupMode, SetupPlan, WhoSetsUp, normalized,
};
use crate::server::store::{Committed, OpenLink, OrderParties, SetupActor, Store, Write};
use crate::server::{mail, tokens};
use chrono::{DateTime, Utc};

/// Commits a draft in one transaction, or nothing.
///
/// Idempotent: the same link committed again (double click, second tab,
/// retry after a lost answer) returns the first commit's result to the
/// browser that committed, and nothing personal to any other. `actor` is
/// what the request shows about who is behind it.
pub async fn commit_setup(
    store: &Store,
    token: &str,
    draft: &Draft,
    now: DateTime<Utc>,
    public_url: &str,
    actor: &SetupActor,
) -> Result<Committed, AppError> {
    let hash = tokens::hash_token(token);
    let replay = async |result: Option<CommitResult>| match result {
        Some(result) => Ok(Committed {
            result,
            first: false,
        }),
        None => Err(AppError::Gone),
    };
    let mut tx = store.write().await?;
    let link = match super::links::usable(tx.link(&hash).await?, now) {
        Ok(link) => link,
        Err(AppError::Gone) => {
            drop(tx);
            return replay(replayed_commit(store, &hash, actor).await?).await;
        }
        Err(err) => return Err(err),
    };
    // Spent first: concurrent commits of one link queue on this row, and
    // the later ones find it spent and answer with the first's result.
    if !tx.spend_link(&hash, now).await? {
        drop(tx);
        return replay(replayed_commit(store, &hash, actor).await?).await;
    }
    // The order's other links for the same audience (an earlier invitation,
    // a reminder) stop working with this commit.
    tx.end_other_links(&link, now).await?;
    let ctx = tx.setup_context(&link).await?.ok_or(AppError::NotFound)?;
    let order = tx.order_parties(&link.order_id).await?;
    // Commits that name the same partner or addresses decide one after the
    // other (SQLite's writers already do).
    let mut keys = vec![
        format!("party:{}", order.partner_party_id),
        format!("email:{}", normalized(&draft.setter_email)),
        format!("email:{}", draft.effective_admin_email(&ctx)),
    ];
    tx.lock(&mut keys).await?;
    let facts = facts(&mut tx, draft, &ctx, &order, &link, actor, now).await?;
    let plan = machine::plan(draft, &ctx, &facts)?;
    carry_out(&mut tx, public_url, &link, &ctx, draft, &order, &plan, now).await?;
    tx.record_committer(&hash, plan.setter.as_str(), &actor.committer_new)
        .await?;
    tx.commit().await?;
    let this_browser = SetupActor {
        committer_presented: Some(actor.committer_new.clone()),
        ..actor.clone()
    };
    let result = replayed_commit(store, &hash, &this_browser)
        .await?
        .ok_or(AppError::Unexpected)?;
    Ok(Committed {
        result,
        first: true,
    })
}

/// The result of the commit that spent this link, if one did: whole for
/// the browser that committed, with nothing personal (no address, no order,
/// no next step) for any other.
pub(crate) async fn replayed_commit(
    store: &Store,
    token_hash: &str,
    actor: &SetupActor,
) -> anyhow::Result<Option<CommitResult>> {
    let Some(spent) = store.spent_commit(token_hash).await? else {
        return Ok(None);
    };
    let this_browser =
        spent.committer_hash.is_some() && spent.committer_hash == actor.committer_presented;
    if !this_browser {
        return Ok(Some(CommitResult {
            order_id: String::new(),
            setter_email: String::new(),
            next: AfterCommit::Elsewhere,
            continue_to: "/hub".into(),
            customer_invited: None,
            managed_by_customer: spent.customer_mode,
            awaiting_approval: spent.awaiting_approval,
        }));
    }
    let next = if spent.needs_password {
        AfterCommit::CreatePassword
    } else if actor.signed_in.as_deref() == Some(spent.setter.as_str()) {
        AfterCommit::Continue
    } else {
        AfterCommit::SignIn
    };
    let invited = spent.customer_mode && spent.partner_link && !spent.awaiting_approval;
    Ok(Some(CommitResult {
        customer_invited: if invited { spent.customer_email } else { None },
        order_id: spent.order_id,
        setter_email: spent.setter,
        next,
        // Where to go on is decided with the person's access
        // (`access::continue_to`).
        continue_to: "/hub".into(),
        managed_by_customer: spent.customer_mode,
        awaiting_approval: spent.awaiting_approval,
    }))
}

/// What the database (and the request) says about the draft's
/// organizations and addresses.
async fn facts(
    tx: &mut Write<'_>,
    draft: &Draft,
    ctx: &SetupContext,
    order: &OrderParties,
    link: &OpenLink,
    actor: &SetupActor,
    now: DateTime<Utc>,
) -> Result<Facts<String>, AppError> {
    let partner_org = tx.partner_org_of_party(&order.partner_party_id).await?;
    let this = partner_org.as_deref();
    let customer_path = draft.customer_path(ctx);
    let setter_email = normalized(&draft.setter_email);
    let (setter, setter_proven) = match draft.who {
        Some(WhoSetsUp::Myself | WhoSetsUp::Customer) if !customer_path => {
            let person = tx.person(&setter_email, this).await?;
            let by_code = match &actor.proof {
                Some(browser) => tx.proven_by_code(&link.token_hash, browser, now).await?,
                None => None,
            };
            let proven = machine::proven(
                &setter_email,
                person.has_password,
                actor.signed_in.as_deref(),
                by_code.as_deref(),
                &link.email,
            );
            (person.owner, proven)
        }
        // The customer path: the link's own address, which the link proves.
        _ => (Owner::Nobody, true),
    };
    let partner_has_members = match this {
        Some(org) => tx.has_members(org).await?,
        None => false,
    };
    let admin = match ctx.audience {
        Audience::Customer => Owner::Nobody,
        Audience::Partner => {
            tx.person(&draft.effective_admin_email(ctx), this)
                .await?
                .owner
        }
    };
    Ok(Facts {
        partner_org,
        setter,
        admin,
        order_customer_org: order.customer_org_id.clone(),
        setter_proven,
        partner_has_members,
    })
}

/// An address that has a user already, refused at `field` ("already
/// belongs").
fn belongs_elsewhere(field: &str) -> AppError {
    AppError::field(field, DomainError::EmailBelongsToOtherOrg)
}

/// The field a refusal of the administrator's address belongs to.
fn admin_field(ctx: &SetupContext, draft: &Draft) -> &'static str {
    if draft.customer_path(ctx) {
        "role"
    } else {
        "admin_email"
    }
}

/// Carries a plan out.
#[allow(clippy::too_many_arguments)]
async fn carry_out(
    tx: &mut Write<'_>,
    public_url: &str,
    link: &OpenLink,
    ctx: &SetupContext,
    draft: &Draft,
    order: &OrderParties,
    plan: &SetupPlan<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let order_id = link.order_id.as_str();
    let setter = plan.setter.as_str();
    let partner_org = match &plan.partner {
        PartnerPlan::Create { name, country } => Some(
            tx.insert_partner_org(&order.partner_party_id, name, country, now)
                .await?
                // Made by a commit of another order of this partner meanwhile.
                .ok_or(AppError::Refused(Refusal::OrganizationNotRecognized))?,
        ),
        PartnerPlan::Existing(id) => Some(id.clone()),
        PartnerPlan::Absent => None,
    };
    if let Some(role) = plan.setter_joins {
        let org = partner_org.as_deref().ok_or(AppError::Unexpected)?;
        tx.insert_partner_user(setter, org, role, now)
            .await?
            .ok_or_else(|| belongs_elsewhere("setter_email"))?;
    }
    if plan.request_join {
        let org = partner_org.as_deref().ok_or(AppError::Unexpected)?;
        request_join(tx, public_url, org, setter, Some(order_id), now).await?;
    }
    let customer_path = plan.mode == SetupMode::Customer && partner_org.is_none();
    // The organization the order is attached to now, if it is (not while an
    // approval is asked, nor when the customer confirms an attached one).
    let attach_to = match &plan.customer {
        CustomerPlan::Create {
            admin,
            name,
            country,
            address,
            managed_by_partner,
            confirmed,
        } => {
            let managed_by = partner_org.as_deref().filter(|_| *managed_by_partner);
            let field = admin_field(ctx, draft);
            let (org, admin_user) = tx
                .insert_customer_org(name, country, address, managed_by, *confirmed, admin, now)
                .await?
                .ok_or_else(|| belongs_elsewhere(field))?;
            if *managed_by_partner {
                // The address owner learns that a partner made them the
                // administrator, and gets a way in.
                let url = activation_link(tx, &admin_user, now, public_url).await?;
                let locale = tx.order_mail(order_id, admin.as_str()).await?.locale();
                let email = mail::administrator_welcome(
                    locale,
                    admin.as_str(),
                    &order.order_number,
                    &order.partner_name,
                    name.as_str(),
                    &url,
                );
                let key = format!("welcome:{admin_user}");
                tx.email(&key, Some(order_id), &email, now).await?;
            }
            Some(org)
        }
        CustomerPlan::Attach { org } => Some(org.clone()),
        CustomerPlan::Approval { org, admin } => {
            let partner_org = partner_org.as_deref();
            if !tx
                .mark_awaiting_approval(order_id, plan.mode, setter, partner_org, now)
                .await?
            {
                return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
            }
            request_approval(tx, public_url, order_id, org, admin, now).await?;
            tx.event(order_id, "order.approval_requested", now).await?;
            None
        }
        CustomerPlan::Confirm { org, details } => {
            let details = details.as_ref().map(|(n, c, a)| (n, c, a));
            tx.confirm_customer_org(org, details, order_id, now).await?;
            None
        }
    };
    if let Some(org) = attach_to {
        let partner_org = partner_org.as_deref();
        if !tx
            .mark_set_up(
                order_id,
                plan.mode,
                setter,
                partner_org,
                &org,
                customer_path,
                now,
            )
            .await?
        {
            return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        }
        tx.event(order_id, "order.set_up", now).await?;
    }
    if let Some(admin) = &plan.invite_customer {
        invite_customer(tx, public_url, order_id, admin, now).await?;
    }
    let action = match plan.customer {
        CustomerPlan::Approval { .. } => "approval_requested",
        CustomerPlan::Confirm { .. } => "customer_confirmed",
        _ => "order_set_up",
    };
    tx.audit(now, setter, action, Some(order_id), plan.mode.as_str())
        .await?;
    Ok(())
}
