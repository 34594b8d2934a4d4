//! The wizard's rules, step by step and plan by plan.

use super::*;
use crate::domain::{DomainError, EmailAddress, Role as UserRole};
use crate::error::{AppError, FieldError, Refusal};
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
        change_order: false,
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
