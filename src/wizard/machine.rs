//! The setup wizard as pure functions: which steps a draft goes through, what
//! each step parses before "Next", and the typed plan a whole draft becomes.
//!
//! The browser runs them for feedback, with what the server told it about the
//! addresses typed ([`Draft::facts`]); the server runs the same [`plan`] at the
//! commit with what its database says ([`Facts`] with row ids), and the store
//! only carries the plan out.

use crate::domain::{Address, Country, DomainError, EmailAddress, OrgName, Role as UserRole};
use crate::error::{AppError, FieldError, Refusal};
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

/// An address as typed, in the form it is compared and stored.
pub fn normalized(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The steps this draft goes through, in order.
pub fn steps(draft: &Draft, ctx: &SetupContext) -> Vec<Step> {
    if draft.customer_path(ctx) {
        return vec![Step::Role, Step::CustomerOrg, Step::Review];
    }
    match draft.who {
        Some(WhoSetsUp::Colleague) => vec![Step::Role, Step::WhoSetsUp],
        _ => vec![
            Step::Role,
            Step::WhoSetsUp,
            Step::PartnerOrg,
            Step::CustomerAdmin,
            Step::CustomerOrg,
            Step::Review,
        ],
    }
}

/// The step on which a field is typed, so a refusal at the commit can send the
/// person back to it with everything else kept.
pub fn step_of_field(field: &str) -> Step {
    match field {
        "role" => Step::Role,
        "who" | "setter_email" | "colleague_email" => Step::WhoSetsUp,
        "partner_name" | "partner_country" | "not_recognized" => Step::PartnerOrg,
        "admin_email" => Step::CustomerAdmin,
        "customer_name" | "customer_country" | "customer_address" | "customer_not_recognized" => {
            Step::CustomerOrg
        }
        _ => Step::Review,
    }
}

type Errors = Vec<FieldError>;

fn err(field: &str, error: DomainError) -> FieldError {
    FieldError {
        field: field.into(),
        error,
    }
}

/// Parses one field, collecting its error.
fn take<T>(errors: &mut Errors, field: &str, parsed: Result<T, DomainError>) -> Option<T> {
    parsed.map_err(|e| errors.push(err(field, e))).ok()
}

fn done<T>(errors: Errors, value: Option<T>) -> Result<T, Errors> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors),
    }
}

/// How the customer organization step goes, given what is known.
pub fn customer_org_case<Id>(
    draft: &Draft,
    ctx: &SetupContext,
    facts: &Facts<Id>,
) -> CustomerOrgCase {
    if ctx.audience == Audience::Customer {
        return CustomerOrgCase::Confirm {
            editable: ctx.customer_org_editable,
        };
    }
    match (&facts.admin, draft.customer_path(ctx)) {
        (Owner::Customer { .. }, true) => CustomerOrgCase::Verify,
        (
            Owner::Customer {
                managed_here: true, ..
            },
            false,
        ) if facts.trusted() => CustomerOrgCase::Verify,
        (Owner::Customer { .. }, false) => CustomerOrgCase::Approval,
        _ => CustomerOrgCase::New,
    }
}

fn parse_role(draft: &Draft, ctx: &SetupContext) -> Result<Role, Errors> {
    match draft.role {
        None => Err(vec![err("role", DomainError::Required)]),
        Some(Role::Customer) if ctx.audience == Audience::Partner && ctx.link_is_partner_user => {
            Err(vec![err("role", DomainError::EmailBelongsToPartner)])
        }
        Some(role) => Ok(role),
    }
}

/// Step 2: who does it, and the address of the person (the setter's, or the
/// colleague's for a delegation).
fn parse_who<Id>(draft: &Draft, facts: &Facts<Id>) -> Result<(WhoSetsUp, EmailAddress), Errors> {
    let mut errors = Vec::new();
    let Some(who) = draft.who else {
        return Err(vec![err("who", DomainError::Required)]);
    };
    let email = match who {
        WhoSetsUp::Colleague => take(
            &mut errors,
            "colleague_email",
            EmailAddress::parse(&draft.colleague_email),
        ),
        WhoSetsUp::Myself | WhoSetsUp::Customer => {
            let email = take(
                &mut errors,
                "setter_email",
                EmailAddress::parse(&draft.setter_email),
            );
            match &facts.setter {
                Owner::Partner {
                    this_partner: true,
                    role: UserRole::ReadOnly,
                    ..
                } => errors.push(err("setter_email", DomainError::ReadOnlyCannotSetUp)),
                Owner::Nobody
                | Owner::Partner {
                    this_partner: true, ..
                } => {
                    if email.is_some() && !facts.setter_proven {
                        errors.push(err("setter_email", DomainError::EmailNotProven));
                    }
                }
                Owner::Partner { .. } | Owner::Customer { .. } => {
                    errors.push(err("setter_email", DomainError::EmailBelongsToOtherOrg));
                }
            }
            email
        }
    };
    done(errors, email.map(|e| (who, e)))
}

/// Step 3: the partner organization to make, or `None` for the existing one.
fn parse_partner_org(
    draft: &Draft,
    ctx: &SetupContext,
) -> Result<Option<(OrgName, Country)>, Errors> {
    if ctx.partner_org.is_some() {
        return if draft.not_recognized {
            Err(vec![err(
                "not_recognized",
                DomainError::OrganizationNotRecognized,
            )])
        } else {
            Ok(None)
        };
    }
    let mut errors = Vec::new();
    let name = take(
        &mut errors,
        "partner_name",
        OrgName::parse(&draft.partner_name),
    );
    let country = take(
        &mut errors,
        "partner_country",
        Country::parse(&draft.partner_country),
    );
    done(errors, name.zip(country).map(Some))
}

/// Step 4: the customer administrator's address.
fn parse_admin<Id>(draft: &Draft, facts: &Facts<Id>) -> Result<EmailAddress, Errors> {
    let admin = EmailAddress::parse(&draft.admin_email).map_err(|e| vec![err("admin_email", e)])?;
    let is_setter = draft.who != Some(WhoSetsUp::Colleague)
        && EmailAddress::parse(&draft.setter_email).is_ok_and(|s| s == admin);
    if is_setter {
        return Err(vec![err("admin_email", DomainError::EmailBelongsToPartner)]);
    }
    if matches!(facts.admin, Owner::Partner { .. }) {
        // Someone who may not learn about the partner's people learns only
        // that the address belongs to another organization.
        let error = if facts.trusted() {
            DomainError::EmailBelongsToPartner
        } else {
            DomainError::EmailBelongsToOtherOrg
        };
        return Err(vec![err("admin_email", error)]);
    }
    Ok(admin)
}

/// Step 5: the details of a new (or still correctable) customer organization,
/// `None` when an existing one is verified or approval is asked.
#[allow(clippy::type_complexity)]
fn parse_customer_org<Id>(
    draft: &Draft,
    ctx: &SetupContext,
    facts: &Facts<Id>,
) -> Result<Option<(OrgName, Country, Address)>, Errors> {
    match customer_org_case(draft, ctx, facts) {
        CustomerOrgCase::New | CustomerOrgCase::Confirm { editable: true } => {
            let mut errors = Vec::new();
            let name = take(
                &mut errors,
                "customer_name",
                OrgName::parse(&draft.customer_name),
            );
            let country = take(
                &mut errors,
                "customer_country",
                Country::parse(&draft.customer_country),
            );
            let address = take(
                &mut errors,
                "customer_address",
                Address::parse(&draft.customer_address),
            );
            let details = match (name, country, address) {
                (Some(n), Some(c), Some(a)) => Some(Some((n, c, a))),
                _ => None,
            };
            done(errors, details)
        }
        CustomerOrgCase::Verify | CustomerOrgCase::Confirm { editable: false } => {
            if draft.customer_not_recognized {
                Err(vec![err(
                    "customer_not_recognized",
                    DomainError::OrganizationNotRecognized,
                )])
            } else {
                Ok(None)
            }
        }
        CustomerOrgCase::Approval => Ok(None),
    }
}

/// What "Next" checks on `step`, given what is known about the addresses.
pub fn check_step<Id>(
    step: Step,
    draft: &Draft,
    ctx: &SetupContext,
    facts: &Facts<Id>,
) -> Result<(), Vec<FieldError>> {
    match step {
        Step::Role => parse_role(draft, ctx).map(drop),
        Step::WhoSetsUp => parse_who(draft, facts).map(drop),
        Step::PartnerOrg => parse_partner_org(draft, ctx).map(drop),
        Step::CustomerAdmin => parse_admin(draft, facts).map(drop),
        Step::CustomerOrg => parse_customer_org(draft, ctx, facts).map(drop),
        Step::Review => Ok(()),
    }
}

/// The step after `step`, once it checks out; `None` after the last.
pub fn next<Id>(
    step: Step,
    draft: &Draft,
    ctx: &SetupContext,
    facts: &Facts<Id>,
) -> Result<Option<Step>, Vec<FieldError>> {
    check_step(step, draft, ctx, facts)?;
    let list = steps(draft, ctx);
    let at = list.iter().position(|s| *s == step).unwrap_or(0);
    Ok(list.get(at + 1).copied())
}

/// The step before `step`, if any.
pub fn back(step: Step, draft: &Draft, ctx: &SetupContext) -> Option<Step> {
    let list = steps(draft, ctx);
    let at = list.iter().position(|s| *s == step)?;
    at.checked_sub(1).and_then(|i| list.get(i).copied())
}

/// The whole draft as a plan: every step of its path checked (all field errors
/// at once), then what the commit will do. The server calls it with the facts
/// of its database, inside the transaction that carries the plan out.
pub fn plan<Id: Clone>(
    draft: &Draft,
    ctx: &SetupContext,
    facts: &Facts<Id>,
) -> Result<SetupPlan<Id>, AppError> {
    let mut errors = Vec::new();
    for step in steps(draft, ctx) {
        if let Err(mut e) = check_step(step, draft, ctx, facts) {
            errors.append(&mut e);
        }
    }
    let customer_path = draft.customer_path(ctx);
    if !customer_path && draft.who == Some(WhoSetsUp::Colleague) {
        // A delegation is not committed through the wizard.
        errors.push(err("who", DomainError::Required));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let invalid = AppError::Invalid;
    if ctx.audience == Audience::Customer {
        let org = facts
            .order_customer_org
            .clone()
            .ok_or(AppError::Refused(Refusal::StepIncomplete))?;
        let setter = EmailAddress::parse(&ctx.link_email).map_err(AppError::from)?;
        let details = parse_customer_org(draft, ctx, facts).map_err(invalid)?;
        return Ok(SetupPlan {
            setter,
            setter_joins: None,
            request_join: false,
            partner: PartnerPlan::Absent,
            customer: CustomerPlan::Confirm { org, details },
            mode: SetupMode::Customer,
            invite_customer: None,
        });
    }
    if customer_path {
        let admin = EmailAddress::parse(&ctx.link_email).map_err(AppError::from)?;
        let customer = match (
            &facts.admin,
            parse_customer_org(draft, ctx, facts).map_err(invalid)?,
        ) {
            (Owner::Customer { org, .. }, _) => CustomerPlan::Attach { org: org.clone() },
            (_, Some((name, country, address))) => CustomerPlan::Create {
                admin: admin.clone(),
                name,
                country,
                address,
                managed_by_partner: false,
                confirmed: true,
            },
            (_, None) => return Err(AppError::Refused(Refusal::StepIncomplete)),
        };
        return Ok(SetupPlan {
            setter: admin,
            setter_joins: None,
            request_join: false,
            partner: PartnerPlan::Absent,
            customer,
            mode: SetupMode::Customer,
            invite_customer: None,
        });
    }
    // The partner path. An organization that appeared since the page was
    // opened must be reviewed first.
    if ctx.partner_org.is_some() != facts.partner_org.is_some() {
        return Err(AppError::Refused(Refusal::OrganizationNotRecognized));
    }
    let (who, setter) = parse_who(draft, facts).map_err(invalid)?;
    let partner = match (
        &facts.partner_org,
        parse_partner_org(draft, ctx).map_err(invalid)?,
    ) {
        (Some(id), _) => PartnerPlan::Existing(id.clone()),
        (None, Some((name, country))) => PartnerPlan::Create { name, country },
        (None, None) => return Err(AppError::Refused(Refusal::OrganizationNotRecognized)),
    };
    let admin = parse_admin(draft, facts).map_err(invalid)?;
    let mode = if who == WhoSetsUp::Customer {
        SetupMode::Customer
    } else {
        SetupMode::Partner
    };
    let details = parse_customer_org(draft, ctx, facts).map_err(invalid)?;
    let customer = match (&facts.admin, details) {
        // Attached without asking only by someone the partner trusts with
        // its customers; anyone else's order is approved by the customer.
        (
            Owner::Customer {
                org,
                managed_here: true,
            },
            _,
        ) if facts.trusted() => CustomerPlan::Attach { org: org.clone() },
        (Owner::Customer { org, .. }, _) => CustomerPlan::Approval {
            org: org.clone(),
            admin: admin.clone(),
        },
        (Owner::Nobody, Some((name, country, address))) => CustomerPlan::Create {
            admin: admin.clone(),
            name,
            country,
            address,
            managed_by_partner: mode == SetupMode::Partner,
            confirmed: false,
        },
        _ => return Err(AppError::Refused(Refusal::StepIncomplete)),
    };
    let invite_customer = (mode == SetupMode::Customer
        && !matches!(customer, CustomerPlan::Approval { .. }))
    .then(|| admin.clone());
    // A newcomer is the first user, and administrator, of an organization
    // without people; anyone else joining one is a guest until its
    // administrators let them in.
    let newcomer_needs_approval =
        matches!(partner, PartnerPlan::Existing(_)) && facts.partner_has_members;
    let (setter_joins, request_join) = match &facts.setter {
        Owner::Nobody if newcomer_needs_approval => (Some(UserRole::Guest), true),
        Owner::Nobody => (Some(UserRole::Administrator), false),
        Owner::Partner {
            role: UserRole::Guest,
            ..
        } => (None, true),
        _ => (None, false),
    };
    Ok(SetupPlan {
        setter_joins,
        request_join,
        setter,
        partner,
        customer,
        mode,
        invite_customer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str) -> OrgView {
        OrgView {
            name: name.into(),
            country: "CZ".into(),
            address: Some("Vinohradska 1, Praha".into()),
        }
    }

    fn ctx(existing_partner: bool) -> SetupContext {
        SetupContext {
            audience: Audience::Partner,
            link_email: "provisioning@partner.example".into(),
            order_number: "CCW-1".into(),
            offer: "A-WX".into(),
            subscription_id: "Sub-1".into(),
            requested_start_date: "2026-12-01".into(),
            services: vec![("meetings".into(), "A-WX-MTG".into(), 10)],
            partner_org: existing_partner.then(|| OrgView {
                name: "Partner s.r.o.".into(),
                country: "CZ".into(),
                address: None,
            }),
            order_partner: OrgView {
                name: "Partner s.r.o.".into(),
                country: "CZ".into(),
                address: None,
            },
            order_customer: view("Zakaznik a.s."),
            customer_org: None,
            customer_org_editable: false,
            link_is_partner_user: false,
            partner_has_members: existing_partner,
            link_proven: true,
        }
    }

    fn fields(result: Result<impl std::fmt::Debug, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    fn invalid_fields(result: Result<SetupPlan<()>, AppError>) -> Vec<String> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    fn self_setup(c: &SetupContext, admin: &str) -> Draft {
        let mut d = Draft::prefilled(c);
        d.role = Some(Role::Partner);
        d.who = Some(WhoSetsUp::Myself);
        d.admin_email = admin.into();
        // The link's own address, which the server said is proven.
        d.setter_proven = Some(c.link_email.clone());
        d
    }

    /// Server-side facts with ids, as the store reads them: the setter
    /// proven, and an existing partner organization with people.
    fn facts(partner: Option<&str>, setter: Owner<String>, admin: Owner<String>) -> Facts<String> {
        Facts {
            partner_org: partner.map(String::from),
            setter,
            admin,
            order_customer_org: None,
            setter_proven: true,
            partner_has_members: partner.is_some(),
        }
    }

    fn member(org: &str) -> Owner<String> {
        Owner::Partner {
            org: org.to_string(),
            this_partner: true,
            role: UserRole::Member,
        }
    }

    #[test]
    fn a_prefilled_draft_carries_the_order_data_and_the_links_address() {
        let c = ctx(false);
        let d = Draft::prefilled(&c);
        assert_eq!(d.partner_name, "Partner s.r.o.");
        assert_eq!(d.customer_address, "Vinohradska 1, Praha");
        assert_eq!(d.setter_email, "provisioning@partner.example");
        assert_eq!(d.role, None);
    }

    #[test]
    fn the_role_must_be_chosen_before_next() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        assert_eq!(fields(next(Step::Role, &d, &c, &d.facts(&c))), ["role"]);
        d.role = Some(Role::Partner);
        assert_eq!(
            next(Step::Role, &d, &c, &d.facts(&c)).unwrap(),
            Some(Step::WhoSetsUp)
        );
    }

    #[test]
    fn the_partner_path_visits_every_step_in_order() {
        let c = ctx(false);
        let d = self_setup(&c, "admin@customer.example");
        let f = d.facts(&c);
        let mut step = Step::Role;
        let mut seen = vec![step];
        while let Some(s) = next(step, &d, &c, &f).unwrap() {
            seen.push(s);
            step = s;
        }
        assert_eq!(
            seen,
            [
                Step::Role,
                Step::WhoSetsUp,
                Step::PartnerOrg,
                Step::CustomerAdmin,
                Step::CustomerOrg,
                Step::Review
            ]
        );
        assert_eq!(back(Step::CustomerOrg, &d, &c), Some(Step::CustomerAdmin));
        assert_eq!(back(Step::Role, &d, &c), None);
    }

    #[test]
    fn a_first_order_plans_both_organizations_and_the_setter_as_first_user() {
        let c = ctx(false);
        let d = self_setup(&c, "Admin@Customer.example");
        let p = plan(&d, &c, &facts(None, Owner::Nobody, Owner::Nobody)).unwrap();
        assert_eq!(p.setter.as_str(), "provisioning@partner.example");
        assert_eq!(p.setter_joins, Some(UserRole::Administrator));
        assert!(!p.request_join);
        assert!(
            matches!(p.partner, PartnerPlan::Create { ref name, .. } if name.as_str() == "Partner s.r.o.")
        );
        assert!(matches!(
            p.customer,
            CustomerPlan::Create { ref admin, managed_by_partner: true, confirmed: false, .. }
                if admin.as_str() == "admin@customer.example"
        ));
        assert_eq!(p.mode, SetupMode::Partner);
        assert_eq!(p.invite_customer, None);
    }

    #[test]
    fn a_newcomer_to_an_organization_with_people_is_a_guest_until_its_administrators_say_yes() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.setter_email = "Jana@Partner.example".into();
        let p = plan(&d, &c, &facts(Some("p1"), Owner::Nobody, Owner::Nobody)).unwrap();
        assert_eq!(
            p.setter.as_str(),
            "jana@partner.example",
            "the alias is replaced by a person"
        );
        assert_eq!(p.setter_joins, Some(UserRole::Guest));
        assert!(p.request_join);
        assert_eq!(p.partner, PartnerPlan::Existing("p1".to_string()));
        let p = plan(&d, &c, &facts(Some("p1"), member("p1"), Owner::Nobody)).unwrap();
        assert_eq!(p.setter_joins, None);
        assert!(!p.request_join);
        // The first person of an organization without people administers it.
        let mut empty = facts(Some("p1"), Owner::Nobody, Owner::Nobody);
        empty.partner_has_members = false;
        let p = plan(&d, &c, &empty).unwrap();
        assert_eq!(p.setter_joins, Some(UserRole::Administrator));
        assert!(!p.request_join);
        // A guest asks again with their next order.
        let guest = Owner::Partner {
            org: "p1".to_string(),
            this_partner: true,
            role: UserRole::Guest,
        };
        let p = plan(&d, &c, &facts(Some("p1"), guest, Owner::Nobody)).unwrap();
        assert_eq!(p.setter_joins, None);
        assert!(p.request_join);
    }

    #[test]
    fn an_address_nobody_proved_is_not_committed() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.setter_email = "someone@partner.example".into();
        let mut f = facts(Some("p1"), Owner::Nobody, Owner::Nobody);
        f.setter_proven = false;
        let errors = check_step(Step::WhoSetsUp, &d, &c, &f).unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailNotProven);
        match plan(&d, &c, &f) {
            Err(AppError::Invalid(errors)) => assert_eq!(errors[0].field, "setter_email"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // In the browser: proven for the address it was proven for only.
        assert!(check_step(Step::WhoSetsUp, &d, &c, &d.facts(&c)).is_err());
        d.setter_proven = Some("someone@partner.example".into());
        assert!(check_step(Step::WhoSetsUp, &d, &c, &d.facts(&c)).is_ok());
    }

    #[test]
    fn proof_is_a_session_a_code_or_an_unprotected_link_address() {
        let link = "team@partner.example";
        assert!(proven(link, false, None, None, link));
        assert!(
            !proven(link, true, None, None, link),
            "a password protects it"
        );
        assert!(proven(link, true, Some(link), None, link));
        assert!(!proven("jana@partner.example", false, None, None, link));
        assert!(proven(
            "jana@partner.example",
            false,
            None,
            Some("jana@partner.example"),
            link
        ));
        assert!(!proven(
            "jana@partner.example",
            false,
            Some(link),
            Some("eva@partner.example"),
            link
        ));
    }

    #[test]
    fn a_read_only_user_cannot_set_up_an_order() {
        let c = ctx(true);
        let d = self_setup(&c, "admin@customer.example");
        let read_only = Owner::Partner {
            org: "p1".to_string(),
            this_partner: true,
            role: UserRole::ReadOnly,
        };
        let f = facts(Some("p1"), read_only, Owner::Nobody);
        let errors = check_step(Step::WhoSetsUp, &d, &c, &f).unwrap_err();
        assert_eq!(errors[0].error, DomainError::ReadOnlyCannotSetUp);
    }

    #[test]
    fn someone_the_partner_does_not_trust_learns_nothing_of_its_customers() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.setter_email = "newcomer@partner.example".into();
        let managed = Owner::Customer {
            org: "c1".to_string(),
            managed_here: true,
        };
        let newcomer = facts(Some("p1"), Owner::Nobody, managed.clone());
        assert!(!newcomer.trusted());
        assert_eq!(
            customer_org_case(&d, &c, &newcomer),
            CustomerOrgCase::Approval
        );
        let p = plan(&d, &c, &newcomer).unwrap();
        assert!(matches!(p.customer, CustomerPlan::Approval { ref org, .. } if org == "c1"));
        let trusted = facts(Some("p1"), member("p1"), managed);
        assert!(trusted.trusted());
        assert_eq!(
            plan(&d, &c, &trusted).unwrap().customer,
            CustomerPlan::Attach { org: "c1".into() }
        );
        // A partner's address is "another organization" to a newcomer.
        let partner_user = Owner::Partner {
            org: "p2".to_string(),
            this_partner: false,
            role: UserRole::Member,
        };
        let errors = check_step(
            Step::CustomerAdmin,
            &d,
            &c,
            &facts(Some("p1"), Owner::Nobody, partner_user.clone()),
        )
        .unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailBelongsToOtherOrg);
        let errors = check_step(
            Step::CustomerAdmin,
            &d,
            &c,
            &facts(Some("p1"), member("p1"), partner_user),
        )
        .unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailBelongsToPartner);
    }

    #[test]
    fn a_setter_of_another_organization_is_refused_on_step_two() {
        let c = ctx(true);
        let d = self_setup(&c, "admin@customer.example");
        for other in [
            Owner::Partner {
                org: (),
                this_partner: false,
                role: UserRole::Administrator,
            },
            Owner::Customer {
                org: (),
                managed_here: true,
            },
        ] {
            let f = Facts {
                partner_org: Some(()),
                setter: other,
                admin: Owner::Nobody,
                order_customer_org: None,
                setter_proven: true,
                partner_has_members: true,
            };
            let errors = check_step(Step::WhoSetsUp, &d, &c, &f).unwrap_err();
            assert_eq!(errors[0].field, "setter_email");
            assert_eq!(errors[0].error, DomainError::EmailBelongsToOtherOrg);
            assert_eq!(step_of_field(&errors[0].field), Step::WhoSetsUp);
        }
    }

    #[test]
    fn the_browser_counts_a_setter_answer_only_for_the_address_it_answers() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.setter_lookup = Some((
            "provisioning@partner.example".into(),
            SetterLookup::BelongsElsewhere,
        ));
        assert!(check_step(Step::WhoSetsUp, &d, &c, &d.facts(&c)).is_err());
        d.setter_email = "me@partner.example".into();
        d.setter_proven = Some("me@partner.example".into());
        assert!(check_step(Step::WhoSetsUp, &d, &c, &d.facts(&c)).is_ok());
    }

    #[test]
    fn delegation_needs_a_valid_colleague_address_and_is_never_committed() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Partner);
        d.who = Some(WhoSetsUp::Colleague);
        d.colleague_email = "not an address".into();
        assert_eq!(
            fields(next(Step::WhoSetsUp, &d, &c, &d.facts(&c))),
            ["colleague_email"]
        );
        d.colleague_email = "colleague@partner.example".into();
        assert_eq!(next(Step::WhoSetsUp, &d, &c, &d.facts(&c)).unwrap(), None);
        assert_eq!(invalid_fields(plan(&d, &c, &d.facts(&c))), ["who"]);
    }

    #[test]
    fn a_new_partner_org_needs_a_name_and_a_country() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.partner_name = "  ".into();
        d.partner_country = "Czechia".into();
        assert_eq!(
            fields(check_step(Step::PartnerOrg, &d, &c, &d.facts(&c))),
            ["partner_name", "partner_country"]
        );
    }

    #[test]
    fn an_unrecognized_existing_partner_org_stops_the_wizard() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.partner_name.clear();
        assert!(check_step(Step::PartnerOrg, &d, &c, &d.facts(&c)).is_ok());
        d.not_recognized = true;
        assert_eq!(
            fields(check_step(Step::PartnerOrg, &d, &c, &d.facts(&c))),
            ["not_recognized"]
        );
        assert_eq!(
            invalid_fields(plan(&d, &c, &d.facts(&c))),
            ["not_recognized"]
        );
    }

    #[test]
    fn a_partner_organization_that_appeared_meanwhile_must_be_reviewed_first() {
        let c = ctx(false);
        let d = self_setup(&c, "admin@customer.example");
        assert_eq!(
            plan(&d, &c, &facts(Some("p1"), Owner::Nobody, Owner::Nobody)).unwrap_err(),
            AppError::Refused(Refusal::OrganizationNotRecognized)
        );
    }

    #[test]
    fn an_admin_address_of_a_partner_org_or_the_setters_own_is_refused() {
        let c = ctx(false);
        let mut d = self_setup(&c, "Someone@Partner.example");
        assert!(check_step(Step::CustomerAdmin, &d, &c, &d.facts(&c)).is_ok());
        d.admin_lookup = Some((
            "someone@partner.example".into(),
            AdminLookup::BelongsToPartner,
        ));
        let errors = check_step(Step::CustomerAdmin, &d, &c, &d.facts(&c)).unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailBelongsToPartner);
        // An answer for another address does not count.
        d.admin_email = "other@customer.example".into();
        assert!(check_step(Step::CustomerAdmin, &d, &c, &d.facts(&c)).is_ok());
        // The person who sets up joins the partner organization.
        d.admin_email = " PROVISIONING@partner.example ".into();
        assert_eq!(
            fields(check_step(Step::CustomerAdmin, &d, &c, &d.facts(&c))),
            ["admin_email"]
        );
    }

    #[test]
    fn a_customer_organization_this_partner_manages_is_verified_and_attached() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        // A member of the partner organization, signed in.
        d.setter_lookup = Some((c.link_email.clone(), SetterLookup::Member));
        d.customer_name.clear();
        assert_eq!(
            fields(check_step(Step::CustomerOrg, &d, &c, &d.facts(&c))),
            ["customer_name"],
            "a new org must be named"
        );
        d.admin_lookup = Some((
            "admin@customer.example".into(),
            AdminLookup::Managed(view("Existing a.s.")),
        ));
        assert_eq!(
            customer_org_case(&d, &c, &d.facts(&c)),
            CustomerOrgCase::Verify
        );
        assert!(check_step(Step::CustomerOrg, &d, &c, &d.facts(&c)).is_ok());
        let managed = Owner::Customer {
            org: "c1".to_string(),
            managed_here: true,
        };
        let p = plan(&d, &c, &facts(Some("p1"), member("p1"), managed)).unwrap();
        assert_eq!(p.customer, CustomerPlan::Attach { org: "c1".into() });
        d.customer_not_recognized = true;
        assert_eq!(
            fields(check_step(Step::CustomerOrg, &d, &c, &d.facts(&c))),
            ["customer_not_recognized"]
        );
    }

    #[test]
    fn another_partners_customer_organization_needs_its_administrators_approval() {
        let c = ctx(true);
        let mut d = self_setup(&c, "admin@customer.example");
        d.admin_lookup = Some(("admin@customer.example".into(), AdminLookup::NeedsApproval));
        assert_eq!(
            customer_org_case(&d, &c, &d.facts(&c)),
            CustomerOrgCase::Approval
        );
        d.customer_name.clear();
        assert!(
            check_step(Step::CustomerOrg, &d, &c, &d.facts(&c)).is_ok(),
            "nothing to type or verify"
        );
        let foreign = Owner::Customer {
            org: "c9".to_string(),
            managed_here: false,
        };
        let p = plan(&d, &c, &facts(Some("p1"), Owner::Nobody, foreign.clone())).unwrap();
        assert!(matches!(p.customer, CustomerPlan::Approval { ref org, .. } if org == "c9"));
        // The server decides with its own facts, whatever the browser was told.
        d.admin_lookup = Some((
            "admin@customer.example".into(),
            AdminLookup::Managed(view("Forged a.s.")),
        ));
        d.customer_name = "Zakaznik a.s.".into();
        let p = plan(&d, &c, &facts(Some("p1"), Owner::Nobody, foreign)).unwrap();
        assert!(matches!(p.customer, CustomerPlan::Approval { .. }));
        // Customer setup of such an organization asks the same approval and
        // sends no second invitation.
        d.who = Some(WhoSetsUp::Customer);
        let foreign = Owner::Customer {
            org: "c9".to_string(),
            managed_here: false,
        };
        let p = plan(&d, &c, &facts(Some("p1"), Owner::Nobody, foreign)).unwrap();
        assert_eq!(p.mode, SetupMode::Customer);
        assert_eq!(p.invite_customer, None);
    }

    #[test]
    fn customer_setup_invites_the_administrator_of_a_new_organization_it_does_not_manage() {
        let c = ctx(false);
        let mut d = self_setup(&c, "admin@customer.example");
        d.who = Some(WhoSetsUp::Customer);
        let p = plan(&d, &c, &facts(None, Owner::Nobody, Owner::Nobody)).unwrap();
        assert_eq!(p.mode, SetupMode::Customer);
        assert!(matches!(
            p.customer,
            CustomerPlan::Create {
                managed_by_partner: false,
                ..
            }
        ));
        assert_eq!(
            p.invite_customer.as_ref().map(EmailAddress::as_str),
            Some("admin@customer.example")
        );
    }

    #[test]
    fn the_customer_path_on_a_partners_link_makes_no_partner_organization() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Customer);
        assert_eq!(steps(&d, &c), [Step::Role, Step::CustomerOrg, Step::Review]);
        assert_eq!(d.effective_admin_email(&c), "provisioning@partner.example");
        let p = plan(&d, &c, &facts(None, Owner::Nobody, Owner::Nobody)).unwrap();
        assert_eq!(p.partner, PartnerPlan::Absent);
        assert!(matches!(
            p.customer,
            CustomerPlan::Create {
                managed_by_partner: false,
                confirmed: true,
                ..
            }
        ));
        assert_eq!(p.setter.as_str(), "provisioning@partner.example");
    }

    #[test]
    fn the_customer_path_verifies_the_customers_own_organization() {
        let mut c = ctx(false);
        c.customer_org = Some(view("Own a.s."));
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Customer);
        d.customer_name.clear();
        assert_eq!(
            customer_org_case(&d, &c, &d.facts(&c)),
            CustomerOrgCase::Verify
        );
        let own = Owner::Customer {
            org: "c1".to_string(),
            managed_here: false,
        };
        let p = plan(&d, &c, &facts(None, Owner::Nobody, own)).unwrap();
        assert_eq!(p.customer, CustomerPlan::Attach { org: "c1".into() });
        d.customer_not_recognized = true;
        assert_eq!(
            invalid_fields(plan(&d, &c, &d.facts(&c))),
            ["customer_not_recognized"]
        );
    }

    #[test]
    fn a_partner_user_cannot_take_the_customer_path() {
        let mut c = ctx(false);
        c.link_is_partner_user = true;
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Customer);
        let errors = check_step(Step::Role, &d, &c, &d.facts(&c)).unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailBelongsToPartner);
    }

    #[test]
    fn the_customer_link_names_each_invalid_field_of_its_organization() {
        let mut c = ctx(false);
        c.audience = Audience::Customer;
        c.customer_org = Some(view("Zakaznik a.s."));
        c.customer_org_editable = true;
        let mut d = Draft::prefilled(&c);
        assert_eq!(d.role, Some(Role::Customer));
        d.customer_name = "   ".into();
        d.customer_country = "XX".into();
        assert_eq!(
            invalid_fields(plan(&d, &c, &d.facts(&c))),
            ["customer_name", "customer_country"]
        );
        d.customer_name = "Opraveno a.s.".into();
        d.customer_country = "sk".into();
        let customer_facts = Facts {
            partner_org: None,
            setter: Owner::Nobody,
            admin: Owner::Nobody,
            order_customer_org: Some("c1".to_string()),
            setter_proven: true,
            partner_has_members: false,
        };
        let p = plan(&d, &c, &customer_facts).unwrap();
        assert!(matches!(
            p.customer,
            CustomerPlan::Confirm { ref org, details: Some((ref name, ref country, _)) }
                if org == "c1" && name.as_str() == "Opraveno a.s." && country.as_str() == "SK"
        ));
        // An organization that existed before is verified, not edited.
        c.customer_org_editable = false;
        let p = plan(&d, &c, &customer_facts).unwrap();
        assert!(matches!(
            p.customer,
            CustomerPlan::Confirm { details: None, .. }
        ));
    }
}
