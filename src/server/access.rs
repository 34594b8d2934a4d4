//! Who may do what with an order: decided here, once, for the hub, the
//! service setup wizard and every server function and API route.
//!
//! The rule (contract section 5): users of the order's partner organization
//! may act on it unless the customer manages it (the customer did the setup,
//! by "Customer setup" or by taking the customer path); the administrator of
//! the order's customer organization may act on it. Managing *an
//! organization* gives no access to another partner's order on it, and an
//! order attached by approval gives its partner access to that order only.
//!
//! Roles (contract section 12): Administrators and Members act on orders,
//! Read-only users see them and change nothing, and a guest (someone who set
//! up an order for an organization with people, not let in yet) sees and
//! acts on the orders they set up only. Only Administrators manage people.

use super::store::{OrderAccess, SessionUser, Store};
use crate::domain::Role;
use crate::error::{AppError, Refusal};
use crate::model::setup::SetupMode;

/// What someone wants to do with an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See it in the hub.
    View,
    /// The service setup: settings, provisioning, billing.
    Manage,
    /// A new "Set Up Now" email to the provisioning contact, before the setup.
    ResendInvitation,
    /// A new "Set Up Now" email to the customer administrator after "Customer
    /// setup", while the customer has not finished.
    ResendCustomerInvitation,
    /// Take up a change order (contract section 14): its organizations are
    /// those of the subscription's provisioned order, so whoever may manage
    /// that one may set this one up, without the setup wizard.
    TakeUpChange,
}

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    a.is_some() && a == b
}

/// Allows `action` on `order` for `user`, or says why not.
pub fn decide(user: &SessionUser, order: &OrderAccess, action: Action) -> Result<(), AppError> {
    let partner_user = user.partner_org_id.is_some();
    let partner_of_party =
        user.partner_party_id.as_deref() == Some(order.partner_party_id.as_str());
    let partner_of_order = same(&user.partner_org_id, &order.partner_org_id);
    let customer_of_order = same(&user.customer_org_id, &order.customer_org_id);
    if !(partner_of_party || partner_of_order || customer_of_order) {
        return Err(AppError::Forbidden);
    }
    // A guest's world is the orders they set up.
    if partner_user
        && user.role == Role::Guest
        && order.setup_by.as_deref() != Some(user.email.as_str())
    {
        return Err(AppError::Forbidden);
    }
    if action != Action::View && partner_user && user.role == Role::ReadOnly {
        return Err(AppError::Forbidden);
    }
    match action {
        Action::View => Ok(()),
        Action::Manage => {
            if !order.set_up {
                Err(AppError::Refused(Refusal::StepIncomplete))
            } else if customer_of_order
                || (partner_of_order && order.mode == Some(SetupMode::Partner))
            {
                Ok(())
            } else {
                Err(AppError::Refused(Refusal::ManagedByCustomer))
            }
        }
        Action::TakeUpChange => {
            if order.closed {
                Err(AppError::Gone)
            } else if order.set_up {
                Err(AppError::Refused(Refusal::OrderAlreadySetUp))
            } else if customer_of_order
                || (partner_of_order && order.mode == Some(SetupMode::Partner))
            {
                Ok(())
            } else if partner_of_order {
                Err(AppError::Refused(Refusal::ManagedByCustomer))
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::ResendInvitation => {
            if !partner_of_party {
                Err(AppError::Forbidden)
            } else if order.closed {
                Err(AppError::Gone)
            } else if order.set_up {
                Err(AppError::Refused(Refusal::OrderAlreadySetUp))
            } else {
                Ok(())
            }
        }
        Action::ResendCustomerInvitation => {
            if !partner_of_order {
                Err(AppError::Forbidden)
            } else if !order.set_up || order.mode != Some(SetupMode::Customer) {
                Err(AppError::Refused(Refusal::StepIncomplete))
            } else if order.customer_confirmed {
                Err(AppError::Refused(Refusal::OrderAlreadySetUp))
            } else {
                Ok(())
            }
        }
    }
}

/// Allows `action` on the order `order_id` for `user`, with the facts the
/// store reads; an unknown order is `NotFound`.
pub async fn authorize(
    store: &Store,
    user: &SessionUser,
    order_id: &str,
    action: Action,
) -> Result<(), AppError> {
    let order = store
        .order_access(order_id)
        .await
        .map_err(AppError::unexpected)?
        .ok_or(AppError::NotFound)?;
    decide(user, &order, action)
}

/// Where the user with `email` continues after the setup of an order: its
/// service setup when they may manage it, else the hub.
pub async fn continue_to(store: &Store, email: &str, order_id: &str) -> Result<String, AppError> {
    let user = store
        .user_by_email(email)
        .await
        .map_err(AppError::unexpected)?;
    Ok(match user {
        Some(user)
            if authorize(store, &user, order_id, Action::Manage)
                .await
                .is_ok() =>
        {
            format!("/service/{order_id}")
        }
        _ => "/hub".into(),
    })
}

/// The partner organization whose people `user` may manage: an
/// Administrator's own; anyone else is refused.
pub fn people_of(user: &SessionUser) -> Result<&str, AppError> {
    match (&user.partner_org_id, user.role) {
        (Some(org), Role::Administrator) => Ok(org),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(org: &str, party: &str) -> SessionUser {
        SessionUser {
            user_id: format!("u-{org}"),
            email: format!("someone@{org}.example"),
            partner_org_id: Some(org.into()),
            partner_party_id: Some(party.into()),
            customer_org_id: None,
            role: Role::Administrator,
        }
    }

    fn with_role(user: &SessionUser, role: Role, email: &str) -> SessionUser {
        SessionUser {
            role,
            email: email.into(),
            ..user.clone()
        }
    }

    fn customer(org: &str) -> SessionUser {
        SessionUser {
            user_id: format!("u-{org}"),
            email: format!("admin@{org}.example"),
            partner_org_id: None,
            partner_party_id: None,
            customer_org_id: Some(org.into()),
            role: Role::Administrator,
        }
    }

    /// An order of partner B (party P-B) on customer organization X, set up
    /// by someone@b.example.
    fn order(mode: Option<SetupMode>, set_up: bool) -> OrderAccess {
        OrderAccess {
            partner_party_id: "P-B".into(),
            partner_org_id: mode.map(|_| "b".into()),
            customer_org_id: set_up.then(|| "x".into()),
            mode,
            set_up,
            customer_confirmed: false,
            closed: false,
            setup_by: mode.map(|_| "someone@b.example".into()),
        }
    }

    /// (case, who, order, action, expected)
    type Case<'a> = (
        &'a str,
        &'a SessionUser,
        &'a OrderAccess,
        Action,
        Result<(), AppError>,
    );

    #[test]
    fn one_decision_for_every_person_order_and_action() {
        use Action::*;
        let ok = Ok(());
        let forbidden = Err(AppError::Forbidden);
        let by_customer = Err(AppError::Refused(Refusal::ManagedByCustomer));
        let not_yet = Err(AppError::Refused(Refusal::StepIncomplete));
        let set_up_already = Err(AppError::Refused(Refusal::OrderAlreadySetUp));
        let b = partner("b", "P-B");
        let a = partner("a", "P-A"); // manages X for its own orders
        let x = customer("x");
        let y = customer("y");
        let partner_set_up = order(Some(SetupMode::Partner), true);
        let customer_set_up = order(Some(SetupMode::Customer), true);
        let awaiting_details = order(None, false);
        let mut awaiting_approval = order(Some(SetupMode::Partner), false);
        awaiting_approval.partner_org_id = Some("b".into());
        let mut confirmed = customer_set_up.clone();
        confirmed.customer_confirmed = true;
        let mut customer_path = customer_set_up.clone();
        customer_path.partner_org_id = None;
        customer_path.customer_confirmed = true;
        let mut closed = awaiting_details.clone();
        closed.closed = true;
        let table: Vec<Case> = vec![
            ("B's own order", &b, &partner_set_up, Manage, ok.clone()),
            (
                "B's own order in the hub",
                &b,
                &partner_set_up,
                View,
                ok.clone(),
            ),
            (
                "another partner managing X",
                &a,
                &partner_set_up,
                Manage,
                forbidden.clone(),
            ),
            (
                "another partner managing X, hub",
                &a,
                &partner_set_up,
                View,
                forbidden.clone(),
            ),
            ("X's administrator", &x, &partner_set_up, Manage, ok.clone()),
            (
                "another customer",
                &y,
                &partner_set_up,
                Manage,
                forbidden.clone(),
            ),
            (
                "B after customer setup",
                &b,
                &customer_set_up,
                Manage,
                by_customer.clone(),
            ),
            (
                "B sees it in the hub",
                &b,
                &customer_set_up,
                View,
                ok.clone(),
            ),
            (
                "X after customer setup",
                &x,
                &customer_set_up,
                Manage,
                ok.clone(),
            ),
            (
                "B, customer path",
                &b,
                &customer_path,
                Manage,
                by_customer.clone(),
            ),
            ("X, customer path", &x, &customer_path, Manage, ok.clone()),
            (
                "B before approval",
                &b,
                &awaiting_approval,
                Manage,
                not_yet.clone(),
            ),
            (
                "X before approval",
                &x,
                &awaiting_approval,
                Manage,
                forbidden.clone(),
            ),
            (
                "B resends before setup",
                &b,
                &awaiting_details,
                ResendInvitation,
                ok.clone(),
            ),
            (
                "B resends awaiting approval",
                &b,
                &awaiting_approval,
                ResendInvitation,
                ok.clone(),
            ),
            (
                "A resends B's",
                &a,
                &awaiting_details,
                ResendInvitation,
                forbidden.clone(),
            ),
            (
                "X resends",
                &x,
                &partner_set_up,
                ResendInvitation,
                forbidden.clone(),
            ),
            (
                "B resends after setup",
                &b,
                &partner_set_up,
                ResendInvitation,
                set_up_already.clone(),
            ),
            (
                "B resends a closed order",
                &b,
                &closed,
                ResendInvitation,
                Err(AppError::Gone),
            ),
            (
                "B re-invites its customer",
                &b,
                &customer_set_up,
                ResendCustomerInvitation,
                ok.clone(),
            ),
            (
                "B re-invites a confirmed customer",
                &b,
                &confirmed,
                ResendCustomerInvitation,
                set_up_already,
            ),
            (
                "B re-invites on its own setup",
                &b,
                &partner_set_up,
                ResendCustomerInvitation,
                not_yet,
            ),
            (
                "A re-invites B's customer",
                &a,
                &customer_set_up,
                ResendCustomerInvitation,
                forbidden.clone(),
            ),
            (
                "X re-invites",
                &x,
                &customer_set_up,
                ResendCustomerInvitation,
                forbidden,
            ),
        ];
        for (case, user, order, action, expected) in table {
            assert_eq!(decide(user, order, action), expected, "{case}");
        }
    }

    /// Who × role × order × action: what each role of partner B may do with
    /// B's orders, whoever set them up.
    #[test]
    fn each_role_may_do_what_it_says_and_no_more() {
        use Action::*;
        let b = partner("b", "P-B");
        let partner_set_up = order(Some(SetupMode::Partner), true);
        let awaiting_details = order(None, false);
        let customer_set_up = order(Some(SetupMode::Customer), true);
        let mut by_the_guest = partner_set_up.clone();
        by_the_guest.setup_by = Some("guest@b.example".into());
        let forbidden = Err(AppError::Forbidden);
        let ok = Ok(());
        let admin = with_role(&b, Role::Administrator, "admin@b.example");
        let member = with_role(&b, Role::Member, "member@b.example");
        let read_only = with_role(&b, Role::ReadOnly, "viewer@b.example");
        let guest = with_role(&b, Role::Guest, "guest@b.example");
        let table: Vec<Case> = vec![
            (
                "administrator manages",
                &admin,
                &partner_set_up,
                Manage,
                ok.clone(),
            ),
            (
                "administrator resends",
                &admin,
                &awaiting_details,
                ResendInvitation,
                ok.clone(),
            ),
            (
                "member manages",
                &member,
                &partner_set_up,
                Manage,
                ok.clone(),
            ),
            (
                "member resends",
                &member,
                &awaiting_details,
                ResendInvitation,
                ok.clone(),
            ),
            (
                "member re-invites the customer",
                &member,
                &customer_set_up,
                ResendCustomerInvitation,
                ok.clone(),
            ),
            (
                "read-only views",
                &read_only,
                &partner_set_up,
                View,
                ok.clone(),
            ),
            (
                "read-only views one not set up",
                &read_only,
                &awaiting_details,
                View,
                ok.clone(),
            ),
            (
                "read-only manages",
                &read_only,
                &partner_set_up,
                Manage,
                forbidden.clone(),
            ),
            (
                "read-only resends",
                &read_only,
                &awaiting_details,
                ResendInvitation,
                forbidden.clone(),
            ),
            (
                "read-only re-invites",
                &read_only,
                &customer_set_up,
                ResendCustomerInvitation,
                forbidden.clone(),
            ),
            (
                "guest views their own",
                &guest,
                &by_the_guest,
                View,
                ok.clone(),
            ),
            (
                "guest manages their own",
                &guest,
                &by_the_guest,
                Manage,
                ok.clone(),
            ),
            (
                "guest views another",
                &guest,
                &partner_set_up,
                View,
                forbidden.clone(),
            ),
            (
                "guest manages another",
                &guest,
                &partner_set_up,
                Manage,
                forbidden.clone(),
            ),
            (
                "guest views one not set up",
                &guest,
                &awaiting_details,
                View,
                forbidden.clone(),
            ),
            (
                "guest resends",
                &guest,
                &awaiting_details,
                ResendInvitation,
                forbidden.clone(),
            ),
        ];
        for (case, user, order, action, expected) in table {
            assert_eq!(decide(user, order, action), expected, "{case}");
        }
    }

    #[test]
    fn only_an_administrator_manages_people_and_only_their_own() {
        let b = partner("b", "P-B");
        assert_eq!(people_of(&b), Ok("b"));
        for role in [Role::Member, Role::ReadOnly, Role::Guest] {
            assert_eq!(
                people_of(&with_role(&b, role, "x@b.example")),
                Err(AppError::Forbidden),
                "{role:?}"
            );
        }
        assert_eq!(people_of(&customer("x")), Err(AppError::Forbidden));
    }

    #[test]
    fn a_user_without_an_organization_may_do_nothing() {
        let nobody = SessionUser {
            user_id: "u".into(),
            email: "u@example.com".into(),
            partner_org_id: None,
            partner_party_id: None,
            customer_org_id: None,
            role: Role::Administrator,
        };
        let mut unset = order(None, false);
        unset.customer_org_id = None;
        assert_eq!(
            decide(&nobody, &unset, Action::View),
            Err(AppError::Forbidden)
        );
    }
}
