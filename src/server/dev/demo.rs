//! Demo orders for `make run`: one for each branch of the wizard, due today.
//! The README's first screen says which demo email walks which branch.

use crate::domain::Role;
use crate::model::orders::{CustomerInput, OrderInput, PartyInput, ServiceInput};
use crate::server::state::AppState;

fn service(kind: &str, sku: &str, quantity: u32) -> ServiceInput {
    ServiceInput {
        kind: kind.into(),
        sku: sku.into(),
        quantity: quantity.to_string(),
    }
}

fn demo_order(
    number: &str,
    offer: &str,
    contact: &str,
    partner: (&str, &str),
    customer: &str,
    services: Vec<ServiceInput>,
    start: &str,
) -> OrderInput {
    OrderInput {
        order_number: number.into(),
        offer: offer.into(),
        subscription_id: format!("Sub-{}", &number[number.len() - 4..]),
        requested_start_date: start.into(),
        provisioning_contact_email: contact.into(),
        account_rep_email: "rep@cisco.example".into(),
        partner: PartyInput {
            party_id: partner.0.into(),
            name: partner.1.into(),
            country: "CZ".into(),
        },
        customer: CustomerInput {
            name: customer.into(),
            country: "CZ".into(),
            address: "Vinohradská 1, 120 00 Praha".into(),
        },
        services,
    }
}

/// The password of every demo user (README).
pub const DEMO_PASSWORD: &str = "demo password 2026";

/// Places the demo orders (once: placing them again is a replay) and runs a
/// scheduler pass, so their "Set Up Now" emails are in the mailbox at once.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now().await;
    let today = now.date_naive().to_string();
    let meetings = || vec![service("meetings", "A-WX-MTG-ENT", 50)];
    let orders = [
        // A partner's first order: both organizations are made.
        demo_order(
            "DEMO-0001",
            "A-WX",
            "new-partner@partner.example",
            ("P-DEMO-NEW", "Nový Partner s.r.o."),
            "Zákazník Calling a.s.",
            vec![
                service("calling", "A-WX-CALL-PRO", 100),
                service("meetings", "A-WX-MTG-ENT", 250),
            ],
            &today,
        ),
        // Meetings only; a good one to try "Customer setup" with.
        demo_order(
            "DEMO-0002",
            "A-WX",
            "meetings@partner.example",
            ("P-DEMO-MTG", "Schůzky Partner s.r.o."),
            "Zákazník Meetings a.s.",
            meetings(),
            &today,
        ),
        // Calling only.
        demo_order(
            "DEMO-0003",
            "A-SPK",
            "calling@partner.example",
            ("P-DEMO-CALL", "Volání Partner s.r.o."),
            "Zákazník Volání a.s.",
            vec![service("calling", "A-SPK-CALL-STD", 40)],
            &today,
        ),
        // The partner organization exists but has no users: whoever sets up
        // becomes its first user.
        demo_order(
            "DEMO-0004",
            "A-WX",
            "existing@partner.example",
            ("P-DEMO-EXISTING", "Stávající Partner s.r.o."),
            "Zákazník Existující a.s.",
            vec![
                service("meetings", "A-WX-MTG-ENT", 20),
                service("webinars", "A-WX-WEB", 1),
            ],
            &today,
        ),
        // The contact is already a user (with the demo password): signs in
        // instead of creating a password. Its partner manages a customer
        // organization the finder offers.
        demo_order(
            "DEMO-0005",
            "A-WX",
            "user@partner-with-user.example",
            ("P-DEMO-USER", "Partner s uživatelem s.r.o."),
            "Spravovaný Zákazník a.s.",
            meetings(),
            &today,
        ),
        // Name admin@other-customer.example as customer administrator: that
        // organization is managed by another partner, so its administrator is
        // asked to approve.
        demo_order(
            "DEMO-0006",
            "A-WX",
            "approval@partner.example",
            ("P-DEMO-APPROVAL", "Třetí Partner s.r.o."),
            "Cizí Zákazník a.s.",
            meetings(),
            &today,
        ),
        // The contact administers a customer organization: "I am a customer"
        // verifies it.
        demo_order(
            "DEMO-0007",
            "A-WX",
            "it@own-customer.example",
            ("P-DEMO-CUSTOMER", "Partner zákazníka s.r.o."),
            "Vlastní Zákazník a.s.",
            meetings(),
            &today,
        ),
        // A shared alias of a partner with people: whoever enters their own
        // address proves it with a code and joins once an administrator
        // (user@partner-with-user.example) approves.
        demo_order(
            "DEMO-0008",
            "A-WX",
            "team@partner-with-user.example",
            ("P-DEMO-USER", "Partner s uživatelem s.r.o."),
            "Nový Zákazník Týmu a.s.",
            meetings(),
            &today,
        ),
    ];
    let hash = crate::server::auth::hash_password(state, DEMO_PASSWORD.into())
        .await
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e:?}"))?;
    let store = &state.store;
    store
        .ensure_partner_org("P-DEMO-EXISTING", "Stávající Partner s.r.o.", "CZ", now)
        .await?;
    let with_user = store
        .ensure_partner_org("P-DEMO-USER", "Partner s uživatelem s.r.o.", "CZ", now)
        .await?;
    // The people of one partner organization, one in each role, and a
    // newcomer waiting for its administrators' approval.
    for (email, role) in [
        ("user@partner-with-user.example", Role::Administrator),
        ("member@partner-with-user.example", Role::Member),
        ("viewer@partner-with-user.example", Role::ReadOnly),
        ("newcomer@partner-with-user.example", Role::Guest),
    ] {
        store
            .ensure_partner_user(&with_user, email, role, Some(&hash), now)
            .await?;
    }
    crate::server::services::people::ensure_join_request(
        store,
        &with_user,
        "newcomer@partner-with-user.example",
        now,
        &state.config.public_url,
    )
    .await?;
    store
        .ensure_customer_org(
            Some(&with_user),
            "Spravovaný Zákazník a.s.",
            "admin@managed-customer.example",
            &hash,
            now,
        )
        .await?;
    let other = store
        .ensure_partner_org("P-DEMO-OTHER", "Jiný Partner s.r.o.", "CZ", now)
        .await?;
    store
        .ensure_customer_org(
            Some(&other),
            "Cizí Zákazník a.s.",
            "admin@other-customer.example",
            &hash,
            now,
        )
        .await?;
    store
        .ensure_customer_org(
            None,
            "Vlastní Zákazník a.s.",
            "it@own-customer.example",
            &hash,
            now,
        )
        .await?;
    for input in &orders {
        let order = input.validate().map_err(|errors| {
            anyhow::anyhow!("demo order {} invalid: {errors:?}", input.order_number)
        })?;
        store.place_order(&order, now).await?;
    }
    crate::server::scheduler::run_pass(state).await?;
    Ok(())
}
