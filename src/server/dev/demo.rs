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
        place(state, input).await?;
    }
    over_time(state, &with_user, &meetings).await?;
    crate::server::scheduler::run_pass(state).await?;
    Ok(())
}

async fn place(state: &AppState, input: &OrderInput) -> anyhow::Result<()> {
    let order = input.validate().map_err(|errors| {
        anyhow::anyhow!("demo order {} invalid: {errors:?}", input.order_number)
    })?;
    state
        .store
        .place_order(&order, state.clock.now().await)
        .await?;
    Ok(())
}

/// Customers over time (contract section 14), for the managed customer of
/// the partner with people: an order provisioned with a change order due
/// today, an order that closes in three days, and an order set up four days
/// ago and not provisioned. Their past is written as it would have
/// happened: earlier scheduler passes, then the setup.
async fn over_time(
    state: &AppState,
    partner_org: &str,
    meetings: &impl Fn() -> Vec<ServiceInput>,
) -> anyhow::Result<()> {
    let (store, now) = (&state.store, state.clock.now().await);
    let day = |n: i64| now - chrono::Duration::days(n);
    let date = |n: i64| day(n).date_naive().to_string();
    let contact = "user@partner-with-user.example";
    let partner = ("P-DEMO-USER", "Partner s uživatelem s.r.o.");
    let customer = "Spravovaný Zákazník a.s.";
    let Some(org) = store
        .user_by_email("admin@managed-customer.example")
        .await?
        .and_then(|u| u.customer_org_id)
    else {
        return Ok(());
    };
    let calling_and_meetings = vec![
        service("calling", "A-WX-CALL-PRO", 25),
        service("meetings", "A-WX-MTG-ENT", 25),
    ];
    let provisioned = demo_order(
        "DEMO-0009",
        "A-WX",
        contact,
        partner,
        customer,
        calling_and_meetings,
        &date(40),
    );
    let closing = demo_order(
        "DEMO-0011",
        "A-WX",
        contact,
        partner,
        customer,
        meetings(),
        &date(27),
    );
    let waiting = demo_order(
        "DEMO-0012",
        "A-WX",
        contact,
        partner,
        customer,
        meetings(),
        &date(5),
    );
    let pass = |at| crate::server::services::pass::run(store, at, &state.config.public_url);
    place(state, &provisioned).await?;
    pass(day(40)).await?;
    settle(
        state,
        "DEMO-0009",
        partner_org,
        &org,
        Some("spravovany-zakaznik"),
        day(39),
    )
    .await?;
    place(state, &closing).await?;
    pass(day(27)).await?;
    place(state, &waiting).await?;
    pass(day(5)).await?;
    settle(state, "DEMO-0012", partner_org, &org, None, day(4)).await?;
    // The add-on to DEMO-0009's subscription: a change order.
    let mut change = demo_order(
        "DEMO-0010",
        "A-WX",
        contact,
        partner,
        customer,
        vec![service("webinars", "A-WX-WEB", 2)],
        &date(0),
    );
    change.subscription_id = provisioned.subscription_id.clone();
    place(state, &change).await
}

/// Sets up demo order `number` as its contact would have at `at`, with the
/// customer organization's calling location and, when `site` is given, its
/// meeting site and billing started. Once: a set-up order is left as it is.
async fn settle(
    state: &AppState,
    number: &str,
    partner_org: &str,
    org: &str,
    site: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::model::setup::SetupMode;
    let store = &state.store;
    let Some(order) = store.order_record(number).await? else {
        return Ok(());
    };
    let by = "user@partner-with-user.example";
    let mut tx = store.write().await?;
    if !tx
        .mark_set_up(
            &order.order_id,
            SetupMode::Partner,
            by,
            Some(partner_org),
            org,
            true,
            at,
        )
        .await?
    {
        return Ok(());
    }
    tx.audit(at, by, "order_set_up", Some(&order.order_id), "")
        .await?;
    if let Some(site) = site {
        let settings = crate::model::service::CallingInput {
            location: String::new(),
            location_name: "Praha".into(),
            address: "Vinohradská 1, 120 00 Praha".into(),
            country: "CZ".into(),
            time_zone: "Europe/Prague".into(),
            language: "cs_CZ".into(),
            pstn: "cisco".into(),
        }
        .validate()
        .map_err(|errors| anyhow::anyhow!("demo calling settings invalid: {errors:?}"))?;
        let location = crate::server::store::new_id();
        tx.put_location(&location, org, &order.order_id, &settings, at)
            .await?;
        tx.save_calling(&order.order_id, &location, at).await?;
        let site = crate::domain::Subdomain::parse(site)
            .map_err(|e| anyhow::anyhow!("demo subdomain invalid: {e}"))?;
        tx.replace_meeting_site(&order.order_id, org, &site, at)
            .await?;
        let today = at.date_naive().to_string();
        tx.start_billing(&order.order_id, &today, by, at).await?;
        tx.audit(at, by, "billing_started", Some(&order.order_id), &today)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
