//! Demo orders for `make run`: one for each branch of the wizard (new partner,
//! existing partner, meetings only, calling only), due today.

use super::state::AppState;
use crate::orders::{CustomerInput, OrderInput, PartyInput, ServiceInput};

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

/// Places the demo orders (once: placing them again is a replay) and runs a
/// scheduler pass, so their "Set Up Now" emails are in the mailbox at once.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let today = state.clock.now().date_naive().to_string();
    let orders = [
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
        demo_order(
            "DEMO-0002",
            "A-WX",
            "meetings@partner.example",
            ("P-DEMO-MTG", "Schůzky Partner s.r.o."),
            "Zákazník Meetings a.s.",
            vec![service("meetings", "A-WX-MTG-ENT", 50)],
            &today,
        ),
        demo_order(
            "DEMO-0003",
            "A-SPK",
            "calling@partner.example",
            ("P-DEMO-CALL", "Volání Partner s.r.o."),
            "Zákazník Volání a.s.",
            vec![service("calling", "A-SPK-CALL-STD", 40)],
            &today,
        ),
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
    ];
    // The fourth order's partner already has an organization: its wizard shows
    // it for review ("I don't recognize this organization").
    state
        .store
        .ensure_partner_org(
            "P-DEMO-EXISTING",
            "Stávající Partner s.r.o.",
            "CZ",
            state.clock.now(),
        )
        .await?;
    for input in &orders {
        let order = input.validate().map_err(|errors| {
            anyhow::anyhow!("demo order {} invalid: {errors:?}", input.order_number)
        })?;
        state.store.place_order(&order, state.clock.now()).await?;
    }
    super::scheduler::run_pass(state).await?;
    Ok(())
}
