//! The setup wizard's rules as pure functions: which steps a draft goes
//! through, what each step parses before "Next", and the typed plan a whole
//! draft becomes. The browser runs them for feedback; the server runs
//! [`plan`] at the commit with what its database says, and decides.

use super::{
    Audience, CustomerOrgCase, CustomerPlan, Draft, Facts, Owner, PartnerPlan, Role, SetupContext,
    SetupMode, SetupPlan, Step, WhoSetsUp,
};
use crate::domain::{Address, Country, DomainError, EmailAddress, OrgName, Role as UserRole};
use crate::error::{AppError, FieldError, Refusal};

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
