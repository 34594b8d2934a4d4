//! What the setup wizard's live checks tell about addresses (contract
//! sections 5 and 11): whom the address of whoever sets up belongs to, and
//! what a partner's link may learn about a customer administrator's.

use crate::domain::{EmailAddress, Role};
use crate::model::setup::{AdminLookup, Owner, SetterLookup};
use crate::server::store::{SetterFacts, Store};

/// What decides about the address of whoever sets up an order: whom it
/// belongs to, whether a password protects it, and whether the order's
/// partner organization has people.
pub async fn setter_facts(
    store: &Store,
    order_id: &str,
    email: &EmailAddress,
) -> anyhow::Result<SetterFacts> {
    let (partner, person) = store.person_for_order(order_id, email.as_str()).await?;
    let partner_has_members = match &partner {
        Some(org) => store.partner_has_members(org).await?,
        None => false,
    };
    let lookup = match &person.owner {
        Owner::Nobody => SetterLookup::New,
        Owner::Partner {
            this_partner: true,
            role,
            ..
        } => match role {
            Role::Administrator | Role::Member => SetterLookup::Member,
            Role::ReadOnly => SetterLookup::ReadOnly,
            Role::Guest => SetterLookup::Guest,
        },
        _ => SetterLookup::BelongsElsewhere,
    };
    Ok(SetterFacts {
        owner: person.owner,
        lookup,
        has_password: person.has_password,
        partner_has_members,
    })
}

/// What a partner's link may learn about an address typed as customer
/// administrator: the details only of an organization this partner
/// manages, and only when whoever asks is `trusted` with the partner's
/// customers; anyone else learns no more than "another organization".
pub async fn admin_lookup(
    store: &Store,
    order_id: &str,
    email: &EmailAddress,
    trusted: bool,
) -> anyhow::Result<AdminLookup> {
    let (_, person) = store.person_for_order(order_id, email.as_str()).await?;
    Ok(match person.owner {
        Owner::Nobody => AdminLookup::New,
        _ if !trusted => AdminLookup::Elsewhere,
        Owner::Partner { .. } => AdminLookup::BelongsToPartner,
        Owner::Customer {
            org,
            managed_here: true,
        } => AdminLookup::Managed(store.customer_org(&org).await?),
        Owner::Customer { .. } => AdminLookup::NeedsApproval,
    })
}
