//! The setup wizard as pure functions: which steps a draft goes through, what
//! each step parses before "Next", and the typed plan a whole draft becomes.
//!
//! The browser runs them for feedback, with what the server told it about the
//! addresses typed ([`Draft::facts`]); the server runs the same [`plan`] at the
//! commit with what its database says ([`Facts`] with row ids), and the store
//! only carries the plan out.

use crate::domain::{Address, Country, EmailAddress, OrgName, Role as UserRole};
use serde::{Deserialize, Serialize};

/// Who opened the link, as they say in step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Partner,
    Customer,
}

/// Who does the setup, as the partner says in step 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhoSetsUp {
    /// "Yes, I'll do the setup".
    Myself,
    /// "Someone else in my company will do the setup".
    Colleague,
    /// "Customer setup": the customer administrator finishes it.
    Customer,
}

/// The steps, in the order they can appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Role,
    WhoSetsUp,
    PartnerOrg,
    CustomerAdmin,
    CustomerOrg,
    Review,
}

/// Which link was opened: the partner's (provisioning contact, or a colleague it
/// was handed to) or the customer administrator's (after "Customer setup").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    Partner,
    Customer,
}

/// An organization as the wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgView {
    pub name: String,
    pub country: String,
    pub address: Option<String>,
}

/// What the server tells a partner about an address typed as customer
/// administrator. Nothing about an organization the partner does not manage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminLookup {
    /// Belongs to no organization: a new customer organization will be made.
    New,
    /// Administers a customer organization this partner manages: verify it.
    Managed(OrgView),
    /// Belongs to an organization this partner does not manage: its
    /// administrator will be asked to approve.
    NeedsApproval,
    /// Belongs to a partner organization: refused.
    BelongsToPartner,
    /// Belongs to some organization. All that someone who is not a member of
    /// the order's partner organization learns: its administrator will be
    /// asked to approve (and a partner's address is refused at the commit).
    Elsewhere,
}

/// What the server tells about the address of whoever does the setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetterLookup {
    /// No user yet: one is made in the partner organization.
    New,
    /// An Administrator or Member of this partner's organization.
    Member,
    /// A user of this partner's organization who is not a member of it: may
    /// set up this order, and its administrators are asked to let them in.
    Guest,
    /// A Read-only user of this partner's organization: refused.
    ReadOnly,
    /// A user of another organization: refused ("already belongs").
    BelongsElsewhere,
}

/// What shows that an address is the person's own (contract section 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Proof {
    /// Shown already: this browser is signed in as it, entered a code sent
    /// to it, or holds the link sent to it (and it has no password).
    Proven,
    /// A user with a password: sign in.
    SignIn,
    /// A code was emailed to it: enter it.
    CodeSent,
}

/// The server's answer for the address of whoever does the setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetterAnswer {
    pub lookup: SetterLookup,
    /// What proves it, when it may set up at all.
    pub proof: Proof,
}

/// Whether `email` counts as its owner's, given what the request shows: the
/// browser is signed in as it, or entered a code sent to it, or it is the
/// address the link was sent to and nobody protects it with a password.
pub fn proven(
    email: &str,
    has_password: bool,
    signed_in: Option<&str>,
    by_code: Option<&str>,
    link_email: &str,
) -> bool {
    signed_in == Some(email) || by_code == Some(email) || (email == link_email && !has_password)
}

/// A customer organization the partner manages, as the finder offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChoice {
    pub name: String,
    pub admin_email: String,
}

/// What the wizard knows before the user types anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupContext {
    pub audience: Audience,
    /// The address the link was sent to.
    pub link_email: String,
    pub order_number: String,
    pub offer: String,
    pub subscription_id: String,
    pub requested_start_date: String,
    pub services: Vec<(String, String, u32)>,
    /// The partner organization of the order's party id, if it exists.
    pub partner_org: Option<OrgView>,
    /// The partner as the order names it.
    pub order_partner: OrgView,
    /// The customer as the order names it.
    pub order_customer: OrgView,
    /// The customer organization of the person holding the link: for a
    /// customer link the order's; for a partner link the one the link's
    /// address administers, which the customer path verifies.
    pub customer_org: Option<OrgView>,
    /// The customer may still correct `customer_org`: it was made for them by
    /// "Customer setup" and they have not confirmed it yet.
    pub customer_org_editable: bool,
    /// The link's address is a user of a partner organization, so it cannot be
    /// a customer administrator.
    pub link_is_partner_user: bool,
    /// The partner organization has people: a newcomer joins it only once
    /// its administrators approve.
    pub partner_has_members: bool,
    /// The link's own address proves itself (no password protects it): the
    /// link was sent to it.
    pub link_proven: bool,
    /// A change order (contract section 14): its organizations are set up
    /// already, so the link only leads, after sign-in, to the service setup.
    #[serde(default)]
    pub change_order: bool,
}

/// What the person who committed does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AfterCommit {
    /// A new user: create the first password (step 7).
    CreatePassword,
    /// A user with a password who is not signed in: sign in.
    SignIn,
    /// Already signed in as that user.
    Continue,
    /// The setup was committed, but not in this browser: nothing to do here,
    /// and nothing about who did it is told.
    Elsewhere,
}

/// What the commit did, shown on the success page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitResult {
    pub order_id: String,
    /// The user who did the setup (the address typed in step 2, or the link's).
    pub setter_email: String,
    pub next: AfterCommit,
    /// Where that person continues once signed in: the service setup when they
    /// may act on the order, else the hub.
    pub continue_to: String,
    /// "Customer setup": the address that was invited.
    pub customer_invited: Option<String>,
    /// The order is managed by the customer.
    pub managed_by_customer: bool,
    /// The order waits for the customer administrator's approval.
    pub awaiting_approval: bool,
}

impl CommitResult {
    /// The person must now create a password.
    pub fn needs_password(&self) -> bool {
        self.next == AfterCommit::CreatePassword
    }
}

/// Everything typed so far. Nothing of it is stored before the commit.
/// Fields left out of a request are empty (the commit then names them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub role: Option<Role>,
    pub who: Option<WhoSetsUp>,
    pub colleague_email: String,
    /// "Your email address": who does the setup (prefilled with the link's).
    pub setter_email: String,
    /// The server's answer for `setter_email` (as it was when asked).
    pub setter_lookup: Option<(String, SetterLookup)>,
    /// The address this browser showed to be the person's own (the server
    /// decides again at the commit).
    pub setter_proven: Option<String>,
    pub partner_name: String,
    pub partner_country: String,
    /// "I don't recognize this organization" on the partner organization.
    pub not_recognized: bool,
    pub admin_email: String,
    /// The server's answer for `admin_email` (as it was when asked).
    pub admin_lookup: Option<(String, AdminLookup)>,
    pub customer_name: String,
    pub customer_country: String,
    pub customer_address: String,
    /// "I don't recognize this organization" on the customer organization.
    pub customer_not_recognized: bool,
}

/// Who an address belongs to, as far as a plan needs to know. `Id` is the
/// organization's row id on the server and `()` in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner<Id> {
    Nobody,
    Partner {
        org: Id,
        this_partner: bool,
        role: UserRole,
    },
    Customer {
        org: Id,
        managed_here: bool,
    },
}

/// What is true about the organizations and addresses a draft names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts<Id> {
    /// The partner organization of the order's party id.
    pub partner_org: Option<Id>,
    /// Whoever does the setup on the partner path (step 2's address).
    pub setter: Owner<Id>,
    /// The customer administrator: step 4's address, or on the customer path
    /// the link's.
    pub admin: Owner<Id>,
    /// The order's customer organization (a customer link's).
    pub order_customer_org: Option<Id>,
    /// Whoever does the setup showed the address is theirs.
    pub setter_proven: bool,
    /// The partner organization has people (other than guests): a newcomer
    /// needs its administrators' approval to join.
    pub partner_has_members: bool,
}

impl<Id> Facts<Id> {
    /// Whether whoever does the setup may learn about the partner's
    /// customers: a proven Administrator or Member of the partner
    /// organization, or its first user.
    pub fn trusted(&self) -> bool {
        trusted(&self.setter, self.setter_proven, self.partner_has_members)
    }
}

/// Whether whoever does the setup may learn about the partner's customers:
/// they showed the address is theirs, and it is an Administrator or Member
/// of the partner organization, or will be its first user.
pub fn trusted<Id>(setter: &Owner<Id>, proven: bool, partner_has_members: bool) -> bool {
    proven
        && match setter {
            Owner::Partner {
                this_partner: true,
                role,
                ..
            } => role.acts_on_orders(),
            Owner::Nobody => !partner_has_members,
            _ => false,
        }
}

/// How the customer organization step goes for a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerOrgCase {
    /// A new organization: name, country and address to confirm.
    New,
    /// An organization that exists and may be shown: verify it.
    Verify,
    /// An organization this partner does not manage: nothing shown; its
    /// administrator will be asked to approve.
    Approval,
    /// The customer's own link after "Customer setup".
    Confirm { editable: bool },
}

/// How the order is managed after the setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetupMode {
    /// The partner sets up and manages the services.
    Partner,
    /// The customer does; the partner has no management access.
    Customer,
}

impl SetupMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SetupMode::Partner => "partner",
            SetupMode::Customer => "customer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "partner" => Some(SetupMode::Partner),
            "customer" => Some(SetupMode::Customer),
            _ => None,
        }
    }
}

/// The partner organization of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerPlan<Id> {
    /// The first order of this partner: the organization is made.
    Create { name: OrgName, country: Country },
    /// The organization exists (and was reviewed).
    Existing(Id),
    /// The customer path: the partner takes no part, and no partner
    /// organization is made without a user.
    Absent,
}

/// The customer organization of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerPlan<Id> {
    /// A new organization with `admin` as its administrator.
    Create {
        admin: EmailAddress,
        name: OrgName,
        country: Country,
        address: Address,
        /// Managed by the order's partner (self setup), or by the customer.
        managed_by_partner: bool,
        /// The customer confirmed its details itself (customer path).
        confirmed: bool,
    },
    /// An organization that exists, verified by whoever commits (the partner
    /// that manages it, or its own administrator).
    Attach { org: Id },
    /// An organization of someone else: its administrator is asked first.
    Approval { org: Id, admin: EmailAddress },
    /// The customer administrator's link: confirm the organization, with
    /// corrected details when it may still be corrected.
    Confirm {
        org: Id,
        details: Option<(OrgName, Country, Address)>,
    },
}

/// What a committed draft does, decided before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupPlan<Id> {
    /// The person who does the setup.
    pub setter: EmailAddress,
    /// The setter becomes a new user of the partner organization, in this
    /// role: Administrator as its first user, else a guest.
    pub setter_joins: Option<UserRole>,
    /// The partner organization's administrators are asked to let the
    /// setter in (a guest).
    pub request_join: bool,
    pub partner: PartnerPlan<Id>,
    pub customer: CustomerPlan<Id>,
    pub mode: SetupMode,
    /// "Customer setup": this administrator gets a "Set Up Now" link.
    pub invite_customer: Option<EmailAddress>,
}

impl Draft {
    /// A draft prefilled from the order.
    pub fn prefilled(ctx: &SetupContext) -> Self {
        let customer = match ctx.audience {
            Audience::Customer => ctx.customer_org.as_ref().unwrap_or(&ctx.order_customer),
            Audience::Partner => &ctx.order_customer,
        };
        Draft {
            role: match ctx.audience {
                Audience::Partner => None,
                Audience::Customer => Some(Role::Customer),
            },
            setter_email: ctx.link_email.clone(),
            partner_name: ctx.order_partner.name.clone(),
            partner_country: ctx.order_partner.country.clone(),
            customer_name: customer.name.clone(),
            customer_country: customer.country.clone(),
            customer_address: customer.address.clone().unwrap_or_default(),
            ..Draft::default()
        }
    }

    /// The customer path: a customer link, or "I am a customer" on a partner's.
    pub fn customer_path(&self, ctx: &SetupContext) -> bool {
        ctx.audience == Audience::Customer || self.role == Some(Role::Customer)
    }

    /// The address that will administer the customer organization.
    pub fn effective_admin_email(&self, ctx: &SetupContext) -> String {
        if self.customer_path(ctx) {
            ctx.link_email.clone()
        } else {
            normalized(&self.admin_email)
        }
    }

    /// The server's answer for the current administrator address, if it has one.
    pub fn lookup_for_current_admin(&self) -> Option<&AdminLookup> {
        let email = normalized(&self.admin_email);
        self.admin_lookup
            .as_ref()
            .filter(|(asked, _)| *asked == email)
            .map(|(_, lookup)| lookup)
    }

    /// The server's answer for the current setter address, if it has one.
    pub fn lookup_for_current_setter(&self) -> Option<SetterLookup> {
        let email = normalized(&self.setter_email);
        self.setter_lookup
            .as_ref()
            .filter(|(asked, _)| *asked == email)
            .map(|(_, lookup)| *lookup)
    }

    /// What the browser knows, from the server's answers so far. An address
    /// not asked about yet counts as belonging to nobody: the server, which
    /// asks its database, decides at the commit.
    pub fn facts(&self, ctx: &SetupContext) -> Facts<()> {
        let partner = |role| Owner::Partner {
            org: (),
            this_partner: true,
            role,
        };
        let setter = match self.lookup_for_current_setter() {
            Some(SetterLookup::Member) => partner(UserRole::Member),
            Some(SetterLookup::Guest) => partner(UserRole::Guest),
            Some(SetterLookup::ReadOnly) => partner(UserRole::ReadOnly),
            Some(SetterLookup::BelongsElsewhere) => Owner::Partner {
                org: (),
                this_partner: false,
                role: UserRole::Member,
            },
            Some(SetterLookup::New) | None => Owner::Nobody,
        };
        let admin = if self.customer_path(ctx) {
            if ctx.link_is_partner_user {
                Owner::Partner {
                    org: (),
                    this_partner: false,
                    role: UserRole::Member,
                }
            } else if ctx.customer_org.is_some() {
                Owner::Customer {
                    org: (),
                    managed_here: false,
                }
            } else {
                Owner::Nobody
            }
        } else {
            match self.lookup_for_current_admin() {
                Some(AdminLookup::Managed(_)) => Owner::Customer {
                    org: (),
                    managed_here: true,
                },
                Some(AdminLookup::NeedsApproval | AdminLookup::Elsewhere) => Owner::Customer {
                    org: (),
                    managed_here: false,
                },
                Some(AdminLookup::BelongsToPartner) => Owner::Partner {
                    org: (),
                    this_partner: false,
                    role: UserRole::Member,
                },
                Some(AdminLookup::New) | None => Owner::Nobody,
            }
        };
        let typed = normalized(&self.setter_email);
        let setter_proven = self.setter_proven.as_deref() == Some(typed.as_str())
            || (ctx.link_proven && typed == ctx.link_email);
        Facts {
            partner_org: ctx.partner_org.as_ref().map(|_| ()),
            partner_has_members: ctx.partner_has_members,
            setter,
            admin,
            order_customer_org: (ctx.audience == Audience::Customer).then_some(()),
            setter_proven,
        }
    }

    /// Whether the finder of the partner's customer organizations is offered:
    /// to a proven Administrator or Member of the partner organization only.
    pub fn may_find_organizations(&self) -> bool {
        self.lookup_for_current_setter() == Some(SetterLookup::Member)
            && self
                .setter_proven
                .as_deref()
                .is_some_and(|p| p == normalized(&self.setter_email))
    }
}

mod rules;
#[cfg(test)]
mod tests;

pub use rules::{
    back, check_step, customer_org_case, next, normalized, plan, step_of_field, steps,
};
