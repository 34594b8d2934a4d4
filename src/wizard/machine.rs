//! The setup wizard as a pure state machine: which steps a draft goes through,
//! what each step checks before "Next", and what the commit needs. The page in
//! the browser and the server function at commit run these same functions.

use crate::domain::{Address, Country, DomainError, EmailAddress, OrgName};
use crate::error::FieldError;
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

/// What the server knows about an address typed as customer administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminLookup {
    /// Belongs to no organization: a new customer organization will be made.
    New,
    /// Belongs to this customer organization: it will be used.
    ExistingCustomer(OrgView),
    /// Belongs to a partner organization: refused.
    BelongsToPartner,
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
    /// For the customer's own link: the organization made for them.
    pub customer_org: Option<OrgView>,
}

/// What the commit did, shown on the success page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitResult {
    pub order_id: String,
    /// The person must now create a password (a new user of an organization).
    pub needs_password: bool,
    /// "Customer setup": the address that was invited.
    pub customer_invited: Option<String>,
    /// The customer organization is managed by the customer.
    pub managed_by_customer: bool,
}

/// Everything typed so far. Nothing of it is stored before the commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub role: Option<Role>,
    pub who: Option<WhoSetsUp>,
    pub colleague_email: String,
    pub partner_name: String,
    pub partner_country: String,
    pub not_recognized: bool,
    pub admin_email: String,
    /// The server's answer for `admin_email` (as it was when asked).
    pub admin_lookup: Option<(String, AdminLookup)>,
    pub customer_name: String,
    pub customer_country: String,
    pub customer_address: String,
}

impl Draft {
    /// A draft prefilled from the order.
    pub fn prefilled(ctx: &SetupContext) -> Self {
        let customer = ctx.customer_org.as_ref().unwrap_or(&ctx.order_customer);
        Draft {
            role: match ctx.audience {
                Audience::Partner => None,
                Audience::Customer => Some(Role::Customer),
            },
            partner_name: ctx.order_partner.name.clone(),
            partner_country: ctx.order_partner.country.clone(),
            customer_name: customer.name.clone(),
            customer_country: customer.country.clone(),
            customer_address: customer.address.clone().unwrap_or_default(),
            ..Draft::default()
        }
    }

    /// The address that will administer the customer organization.
    pub fn effective_admin_email(&self, ctx: &SetupContext) -> String {
        match self.role {
            Some(Role::Customer) => ctx.link_email.clone(),
            _ => self.admin_email.trim().to_lowercase(),
        }
    }

    /// The server's answer for the current administrator address, if it has one.
    pub fn lookup_for_current_admin(&self, ctx: &SetupContext) -> Option<&AdminLookup> {
        let email = self.effective_admin_email(ctx);
        self.admin_lookup
            .as_ref()
            .filter(|(asked, _)| *asked == email)
            .map(|(_, lookup)| lookup)
    }

    /// Whether the customer organization already exists (so it is verified, not typed).
    pub fn customer_org_exists(&self, ctx: &SetupContext) -> bool {
        ctx.customer_org.is_some()
            || matches!(
                self.lookup_for_current_admin(ctx),
                Some(AdminLookup::ExistingCustomer(_))
            )
    }
}

/// The steps this draft goes through, in order.
pub fn steps(draft: &Draft, ctx: &SetupContext) -> Vec<Step> {
    match (ctx.audience, draft.role) {
        (Audience::Customer, _) | (_, Some(Role::Customer)) => {
            vec![Step::Role, Step::CustomerOrg, Step::Review]
        }
        (_, _) => match draft.who {
            Some(WhoSetsUp::Colleague) => vec![Step::Role, Step::WhoSetsUp],
            _ => vec![
                Step::Role,
                Step::WhoSetsUp,
                Step::PartnerOrg,
                Step::CustomerAdmin,
                Step::CustomerOrg,
                Step::Review,
            ],
        },
    }
}

fn err(field: &str, error: DomainError) -> FieldError {
    FieldError {
        field: field.into(),
        error,
    }
}

fn collect(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What "Next" checks on `step`.
pub fn check_step(step: Step, draft: &Draft, ctx: &SetupContext) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    match step {
        Step::Role => {
            if draft.role.is_none() {
                errors.push(err("role", DomainError::Required));
            }
        }
        Step::WhoSetsUp => match draft.who {
            None => errors.push(err("who", DomainError::Required)),
            Some(WhoSetsUp::Colleague) => {
                if let Err(e) = EmailAddress::parse(&draft.colleague_email) {
                    errors.push(err("colleague_email", e));
                }
            }
            Some(_) => {}
        },
        Step::PartnerOrg => {
            if ctx.partner_org.is_some() {
                if draft.not_recognized {
                    errors.push(err("not_recognized", DomainError::Required));
                }
            } else {
                if let Err(e) = OrgName::parse(&draft.partner_name) {
                    errors.push(err("partner_name", e));
                }
                if let Err(e) = Country::parse(&draft.partner_country) {
                    errors.push(err("partner_country", e));
                }
            }
        }
        Step::CustomerAdmin => match EmailAddress::parse(&draft.admin_email) {
            Err(e) => errors.push(err("admin_email", e)),
            Ok(_) => {
                if let Some(AdminLookup::BelongsToPartner) = draft.lookup_for_current_admin(ctx) {
                    errors.push(err("admin_email", DomainError::EmailBelongsToPartner));
                }
            }
        },
        Step::CustomerOrg => {
            if !draft.customer_org_exists(ctx) {
                if let Err(e) = OrgName::parse(&draft.customer_name) {
                    errors.push(err("customer_name", e));
                }
                if let Err(e) = Country::parse(&draft.customer_country) {
                    errors.push(err("customer_country", e));
                }
                if let Err(e) = Address::parse(&draft.customer_address) {
                    errors.push(err("customer_address", e));
                }
            }
        }
        Step::Review => {}
    }
    collect(errors)
}

/// The step after `step`, once it checks out; `None` after the last.
pub fn next(
    step: Step,
    draft: &Draft,
    ctx: &SetupContext,
) -> Result<Option<Step>, Vec<FieldError>> {
    check_step(step, draft, ctx)?;
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

/// Checks every step of the draft, as the server does before committing.
pub fn check_all(draft: &Draft, ctx: &SetupContext) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for step in steps(draft, ctx) {
        if let Err(mut e) = check_step(step, draft, ctx) {
            errors.append(&mut e);
        }
    }
    if draft.who == Some(WhoSetsUp::Colleague) && draft.role == Some(Role::Partner) {
        // A delegation is not committed through the wizard.
        errors.push(err("who", DomainError::Required));
    }
    collect(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            order_customer: OrgView {
                name: "Zakaznik a.s.".into(),
                country: "CZ".into(),
                address: Some("Vinohradska 1, Praha".into()),
            },
            customer_org: None,
        }
    }

    fn fields(result: Result<impl std::fmt::Debug, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_prefilled_draft_carries_the_order_data() {
        let c = ctx(false);
        let d = Draft::prefilled(&c);
        assert_eq!(d.partner_name, "Partner s.r.o.");
        assert_eq!(d.customer_address, "Vinohradska 1, Praha");
        assert_eq!(d.role, None);
    }

    #[test]
    fn the_role_must_be_chosen_before_next() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        assert_eq!(fields(next(Step::Role, &d, &c)), ["role"]);
        d.role = Some(Role::Partner);
        assert_eq!(next(Step::Role, &d, &c).unwrap(), Some(Step::WhoSetsUp));
    }

    #[test]
    fn the_partner_path_visits_every_step_in_order() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Partner);
        d.who = Some(WhoSetsUp::Myself);
        d.admin_email = "admin@customer.example".into();
        let mut step = Step::Role;
        let mut seen = vec![step];
        while let Some(s) = next(step, &d, &c).unwrap() {
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
        assert!(check_all(&d, &c).is_ok());
    }

    #[test]
    fn delegation_needs_a_valid_colleague_address_and_ends_the_wizard() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Partner);
        d.who = Some(WhoSetsUp::Colleague);
        d.colleague_email = "not an address".into();
        assert_eq!(fields(next(Step::WhoSetsUp, &d, &c)), ["colleague_email"]);
        d.colleague_email = "colleague@partner.example".into();
        assert_eq!(next(Step::WhoSetsUp, &d, &c).unwrap(), None);
        assert!(
            check_all(&d, &c).is_err(),
            "a delegation is never committed"
        );
    }

    #[test]
    fn a_new_partner_org_needs_a_name_and_a_country() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.partner_name = "  ".into();
        d.partner_country = "Czechia".into();
        assert_eq!(
            fields(check_step(Step::PartnerOrg, &d, &c)),
            ["partner_name", "partner_country"]
        );
    }

    #[test]
    fn an_unrecognized_existing_partner_org_stops_the_wizard() {
        let c = ctx(true);
        let mut d = Draft::prefilled(&c);
        d.partner_name.clear();
        assert!(
            check_step(Step::PartnerOrg, &d, &c).is_ok(),
            "existing org needs no typing"
        );
        d.not_recognized = true;
        assert_eq!(
            fields(check_step(Step::PartnerOrg, &d, &c)),
            ["not_recognized"]
        );
    }

    #[test]
    fn an_admin_address_of_a_partner_org_is_refused() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.admin_email = "Someone@Partner.example".into();
        assert!(check_step(Step::CustomerAdmin, &d, &c).is_ok());
        d.admin_lookup = Some((
            "someone@partner.example".into(),
            AdminLookup::BelongsToPartner,
        ));
        let errors = check_step(Step::CustomerAdmin, &d, &c).unwrap_err();
        assert_eq!(errors[0].error, DomainError::EmailBelongsToPartner);
        // An answer for another address does not count.
        d.admin_email = "other@customer.example".into();
        assert!(check_step(Step::CustomerAdmin, &d, &c).is_ok());
    }

    #[test]
    fn an_existing_customer_org_is_verified_not_typed() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.admin_email = "admin@customer.example".into();
        d.customer_name.clear();
        assert_eq!(
            fields(check_step(Step::CustomerOrg, &d, &c)),
            ["customer_name"],
            "a new org must be named"
        );
        d.admin_lookup = Some((
            "admin@customer.example".into(),
            AdminLookup::ExistingCustomer(OrgView {
                name: "Existing a.s.".into(),
                country: "CZ".into(),
                address: None,
            }),
        ));
        assert!(d.customer_org_exists(&c));
        assert!(check_step(Step::CustomerOrg, &d, &c).is_ok());
    }

    #[test]
    fn the_customer_path_skips_the_partner_steps() {
        let c = ctx(false);
        let mut d = Draft::prefilled(&c);
        d.role = Some(Role::Customer);
        assert_eq!(steps(&d, &c), [Step::Role, Step::CustomerOrg, Step::Review]);
        assert_eq!(d.effective_admin_email(&c), "provisioning@partner.example");
        let mut customer_ctx = c.clone();
        customer_ctx.audience = Audience::Customer;
        let d = Draft::prefilled(&customer_ctx);
        assert_eq!(d.role, Some(Role::Customer));
        assert_eq!(
            steps(&d, &customer_ctx),
            [Step::Role, Step::CustomerOrg, Step::Review]
        );
    }
}
