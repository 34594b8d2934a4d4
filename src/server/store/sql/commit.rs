//! The commit of the setup wizard: in one transaction the link is spent, the
//! facts about the organizations and addresses named are read (with what the
//! request shows about who is behind it), the draft becomes a plan
//! ([`crate::model::setup::plan`], the same function the browser runs,
//! which decides) and the plan is carried out.

use super::Conn;
use super::links::{context, invite_customer, usable_link};
use super::people::{
    has_members, insert_customer_org, insert_partner_org, insert_user, org_of_party, owner_of,
    person_of,
};
use super::{Committed, DbRow, Mailing, OpenLink, SetupActor, record_event};
use super::{Store, ts, unexpected};
use crate::error::{AppError, Refusal};
use crate::model::setup::{
    self as machine, Audience, CommitResult, CustomerPlan, Draft, Facts, Owner, PartnerPlan,
    SetupContext, SetupMode, SetupPlan, WhoSetsUp, normalized,
};
use crate::server::{mail, tokens};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// What the database (and the request) says about the draft's organizations
/// and addresses.
async fn facts(
    conn: &mut Conn,
    draft: &Draft,
    ctx: &SetupContext,
    order: &DbRow,
    link: &OpenLink,
    actor: &SetupActor,
    now: DateTime<Utc>,
) -> Result<Facts<String>, AppError> {
    let partner_org = org_of_party(conn, order.get("partner_party_id"))
        .await?
        .map(|(id, _)| id);
    let this = partner_org.as_deref();
    let customer_path = draft.customer_path(ctx);
    let setter_email = normalized(&draft.setter_email);
    let (setter, setter_proven) = match draft.who {
        Some(WhoSetsUp::Myself | WhoSetsUp::Customer) if !customer_path => {
            let person = person_of(conn, &setter_email, this).await?;
            let by_code = match &actor.proof {
                Some(browser) => {
                    super::proofs::proven_by_code(conn, &link.token_hash, browser, now)
                        .await
                        .map_err(unexpected)?
                }
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
        Some(org) => has_members(conn, org).await?,
        None => false,
    };
    let admin = match ctx.audience {
        Audience::Customer => Owner::Nobody,
        Audience::Partner => owner_of(conn, &draft.effective_admin_email(ctx), this).await?,
    };
    Ok(Facts {
        partner_org,
        setter,
        admin,
        order_customer_org: order.get("customer_org_id"),
        setter_proven,
        partner_has_members,
    })
}

/// The order is set up: attached to its organizations, in `mode`.
#[allow(clippy::too_many_arguments)]
async fn mark_set_up(
    conn: &mut Conn,
    order_id: &str,
    mode: SetupMode,
    by: &str,
    partner_org: Option<&str>,
    customer_org: &str,
    customer_confirmed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let updated = sqlx::query(
        "UPDATE orders SET setup_at = $1, setup_mode = $2, setup_by_email = $3, partner_org_id = $4, customer_org_id = $5, \
         customer_confirmed_at = $6 \
         WHERE id = $7 AND setup_at IS NULL AND closed_at IS NULL AND approval_requested_at IS NULL",
    )
    .bind(ts(now))
    .bind(mode.as_str())
    .bind(by)
    .bind(partner_org)
    .bind(customer_org)
    .bind(customer_confirmed.then(|| ts(now)))
    .bind(order_id)
    .execute(&mut *conn)
    .await
    .map_err(unexpected)?;
    if updated.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::OrderAlreadySetUp))
    }
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
async fn carry_out(
    conn: &mut Conn,
    mailing: Mailing<'_>,
    link: &OpenLink,
    ctx: &SetupContext,
    draft: &Draft,
    plan: &SetupPlan<String>,
) -> Result<(), AppError> {
    let Mailing {
        sealer,
        public_url,
        now,
    } = mailing;
    let order_id = link.order_id.as_str();
    let order = sqlx::query(
        "SELECT order_number, partner_party_id, partner_name FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(unexpected)?;
    let order_number: String = order.get("order_number");
    let partner_name: String = order.get("partner_name");
    let partner_org = match &plan.partner {
        PartnerPlan::Create { name, country } => {
            Some(insert_partner_org(conn, order.get("partner_party_id"), name, country, now).await?)
        }
        PartnerPlan::Existing(id) => Some(id.clone()),
        PartnerPlan::Absent => None,
    };
    if let Some(role) = plan.setter_joins {
        let org = partner_org.as_deref().ok_or(AppError::Unexpected)?;
        insert_user(
            conn,
            plan.setter.as_str(),
            Some(org),
            None,
            role,
            None,
            now,
            "setter_email",
        )
        .await?;
    }
    if plan.request_join {
        let org = partner_org.as_deref().ok_or(AppError::Unexpected)?;
        super::approvals::request_join(conn, mailing, org, plan.setter.as_str(), Some(order_id))
            .await?;
    }
    let setter = plan.setter.as_str();
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
            let (org, admin_user) = insert_customer_org(
                conn,
                name,
                country,
                address,
                managed_by,
                *confirmed,
                admin,
                admin_field(ctx, draft),
                now,
            )
            .await?;
            if *managed_by_partner {
                // The address owner learns that a partner made them the
                // administrator, and gets a way in.
                let url =
                    super::users::issue_activation(conn, &admin_user, now, public_url).await?;
                let locale = super::order_mail(conn, order_id, admin.as_str())
                    .await
                    .map_err(unexpected)?
                    .locale;
                let email = mail::administrator_welcome(
                    locale,
                    admin.as_str(),
                    &order_number,
                    &partner_name,
                    name.as_str(),
                    &url,
                );
                super::enqueue(
                    conn,
                    sealer,
                    &format!("welcome:{admin_user}"),
                    Some(order_id),
                    &email,
                    now,
                )
                .await
                .map_err(unexpected)?;
            }
            Some(org)
        }
        CustomerPlan::Attach { org } => Some(org.clone()),
        CustomerPlan::Approval { org, admin } => {
            let updated = sqlx::query(
                "UPDATE orders SET approval_requested_at = $1, setup_mode = $2, setup_by_email = $3, partner_org_id = $4 \
                 WHERE id = $5 AND setup_at IS NULL AND closed_at IS NULL AND approval_requested_at IS NULL",
            )
            .bind(ts(now))
            .bind(plan.mode.as_str())
            .bind(setter)
            .bind(partner_org.as_deref())
            .bind(order_id)
            .execute(&mut *conn)
            .await
            .map_err(unexpected)?;
            if updated.rows_affected() != 1 {
                return Err(AppError::Refused(Refusal::OrderAlreadySetUp));
            }
            super::approvals::request_approval(conn, mailing, order_id, org, admin).await?;
            record_event(conn, order_id, "order.approval_requested", now)
                .await
                .map_err(unexpected)?;
            None
        }
        CustomerPlan::Confirm { org, details } => {
            if let Some((name, country, address)) = details {
                sqlx::query(
                    "UPDATE customer_orgs SET name = $1, country = $2, address = $3 \
                     WHERE id = $4 AND managed_by_partner_id IS NULL AND confirmed_at IS NULL",
                )
                .bind(name.as_str())
                .bind(country.as_str())
                .bind(address.as_str())
                .bind(org)
                .execute(&mut *conn)
                .await
                .map_err(unexpected)?;
            }
            sqlx::query(
                "UPDATE customer_orgs SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL",
            )
            .bind(ts(now))
            .bind(org)
            .execute(&mut *conn)
            .await
            .map_err(unexpected)?;
            sqlx::query("UPDATE orders SET customer_confirmed_at = $1 WHERE id = $2 AND customer_confirmed_at IS NULL")
                .bind(ts(now))
                .bind(order_id)
                .execute(&mut *conn)
                .await
                .map_err(unexpected)?;
            None
        }
    };
    if let Some(org) = attach_to {
        mark_set_up(
            conn,
            order_id,
            plan.mode,
            setter,
            partner_org.as_deref(),
            &org,
            customer_path,
            now,
        )
        .await?;
        record_event(conn, order_id, "order.set_up", now)
            .await
            .map_err(unexpected)?;
    }
    if let Some(admin) = &plan.invite_customer {
        invite_customer(conn, mailing, order_id, admin).await?;
    }
    let action = match plan.customer {
        CustomerPlan::Approval { .. } => "approval_requested",
        CustomerPlan::Confirm { .. } => "customer_confirmed",
        _ => "order_set_up",
    };
    Store::audit(
        conn,
        now,
        setter,
        action,
        Some(order_id),
        plan.mode.as_str(),
    )
    .await
    .map_err(unexpected)?;
    Ok(())
}

impl Store {
    /// Commits a draft in one transaction: organizations, users, the order's
    /// state, links, emails and audit entries, or nothing.
    ///
    /// Idempotent: the same link committed again (double click, second tab,
    /// retry after a lost answer) returns the first commit's result to the
    /// browser that committed, and nothing personal to any other. `actor` is
    /// what the request shows about who is behind it.
    pub async fn commit_setup(
        &self,
        token: &str,
        draft: &Draft,
        now: DateTime<Utc>,
        public_url: &str,
        actor: &SetupActor,
    ) -> Result<Committed, AppError> {
        let hash = tokens::hash_token(token);
        let mut tx = self.write_tx().await.map_err(unexpected)?;
        let replay = |result: Option<CommitResult>| match result {
            Some(result) => Ok(Committed {
                result,
                first: false,
            }),
            None => Err(AppError::Gone),
        };
        let link = match usable_link(&mut tx, &hash, now).await {
            Ok(link) => link,
            Err(AppError::Gone) => {
                drop(tx);
                return replay(self.replayed_commit(&hash, actor).await?);
            }
            Err(err) => return Err(err),
        };
        // Spent first: concurrent commits of one link queue on this row, and
        // the later ones find it spent and answer with the first's result.
        let spent = sqlx::query(
            "UPDATE setup_links SET spent_at = $1 WHERE token_hash = $2 AND spent_at IS NULL AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        if spent.rows_affected() != 1 {
            drop(tx);
            return replay(self.replayed_commit(&hash, actor).await?);
        }
        // The order's other links for the same audience (an earlier
        // invitation, a reminder) stop working with this commit.
        sqlx::query(
            "UPDATE setup_links SET revoked_at = $1 WHERE order_id = $2 AND audience = $3 \
             AND token_hash <> $4 AND spent_at IS NULL AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(&link.order_id)
        .bind(match link.audience {
            Audience::Partner => "partner",
            Audience::Customer => "customer",
        })
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        let ctx = context(&mut tx, &link).await?;
        let order =
            sqlx::query("SELECT partner_party_id, customer_org_id FROM orders WHERE id = $1")
                .bind(&link.order_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(unexpected)?;
        // Commits that name the same partner or addresses decide one after
        // the other (SQLite's writers already do).
        let mut keys = vec![
            format!("party:{}", order.get::<&str, _>("partner_party_id")),
            format!("email:{}", normalized(&draft.setter_email)),
            format!("email:{}", draft.effective_admin_email(&ctx)),
        ];
        super::lock_keys(&mut tx, &mut keys)
            .await
            .map_err(unexpected)?;
        let facts = facts(&mut tx, draft, &ctx, &order, &link, actor, now).await?;
        let plan = machine::plan(draft, &ctx, &facts)?;
        carry_out(
            &mut tx,
            self.mailing(public_url, now),
            &link,
            &ctx,
            draft,
            &plan,
        )
        .await?;
        sqlx::query(
            "UPDATE setup_links SET used_by_email = $1, committer_hash = $2 WHERE token_hash = $3",
        )
        .bind(plan.setter.as_str())
        .bind(&actor.committer_new)
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(unexpected)?;
        tx.commit().await.map_err(unexpected)?;
        let this_browser = SetupActor {
            committer_presented: Some(actor.committer_new.clone()),
            ..actor.clone()
        };
        let result = self
            .replayed_commit(&hash, &this_browser)
            .await?
            .ok_or(AppError::Unexpected)?;
        Ok(Committed {
            result,
            first: true,
        })
    }
}
