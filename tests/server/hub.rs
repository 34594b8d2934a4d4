//! The hub for real use (issue 14): 25 orders a page, a status filter and a
//! search by order number or customer name, within what the user may see.

use crate::helpers::*;
use crate::organizations::{contact, partner_sets_up};
use setup_now::hub::{HubFilter, HubStatus, PAGE_SIZE};
use setup_now::model::orders::OrderSummary;
use setup_now::server::store::SessionUser;
use std::collections::HashSet;

async fn place_for(app: &TestApp, number: &str, party: &str, customer: &str) {
    let mut body = order_body(number, "2026-12-20");
    body["partner"]["party_id"] = party.into();
    body["customer"]["name"] = customer.into();
    assert_eq!(
        app.post_order(&body).await.status(),
        201,
        "placing {number}"
    );
}

async fn page(app: &TestApp, user: &SessionUser, filter: HubFilter) -> (Vec<OrderSummary>, u64) {
    let now = app.state.clock.now().await;
    let (rows, total) = app.state.store.hub_page(user, &filter, now).await.unwrap();
    (rows.into_iter().map(|(_, o, _)| o).collect(), total)
}

fn search(text: &str) -> HubFilter {
    HubFilter {
        search: text.into(),
        ..HubFilter::default()
    }
}

#[tokio::test]
async fn the_hub_pages_filters_and_searches_only_the_partners_orders() {
    let app = spawn_app().await;
    partner_sets_up(&app, "HUB-SET", "P-HUB", "admin-hub@customer.example").await;
    for i in 0..28 {
        place_for(
            &app,
            &format!("HUB-{i:02}"),
            "P-HUB",
            &format!("Zákazník {i:02} a.s."),
        )
        .await;
    }
    place_for(&app, "HUB-KUN", "P-HUB", "Žluťoučký kůň s.r.o.").await;
    place_for(&app, "OTHER-1", "P-OTHER", "Žluťoučký kůň s.r.o.").await;
    let user = app
        .state
        .store
        .user_by_email(&contact("HUB-SET"))
        .await
        .unwrap()
        .unwrap();

    // 30 orders of this partner: a full page and a rest, none twice.
    let (first, total) = page(&app, &user, HubFilter::default()).await;
    assert_eq!((first.len(), total), (PAGE_SIZE as usize, 30));
    let second = HubFilter {
        page: 2,
        ..HubFilter::default()
    };
    let (rest, _) = page(&app, &user, second).await;
    assert_eq!(rest.len(), 5);
    let ids: HashSet<_> = first.iter().chain(&rest).map(|o| o.id.clone()).collect();
    assert_eq!(ids.len(), 30);
    assert!(
        first
            .iter()
            .chain(&rest)
            .all(|o| o.order_number != "OTHER-1")
    );

    // Each status filter lists exactly the orders shown with that status.
    let mut counted = 0;
    for status in HubStatus::ALL {
        let filter = HubFilter {
            status: Some(status),
            ..HubFilter::default()
        };
        let (orders, total) = page(&app, &user, filter).await;
        assert!(
            orders.iter().all(|o| HubStatus::of(o.status) == status),
            "{status:?}"
        );
        counted += total;
    }
    assert_eq!(counted, 30);
    let set_up = HubFilter {
        status: Some(HubStatus::SetUp),
        ..HubFilter::default()
    };
    let (orders, total) = page(&app, &user, set_up).await;
    assert_eq!((orders[0].order_number.as_str(), total), ("HUB-SET", 1));

    // Search: order number in any case, customer name with Czech letters,
    // wildcards taken literally, other partners' orders never.
    assert_eq!(page(&app, &user, search("hub-se")).await.1, 1);
    let (found, total) = page(&app, &user, search("kůň")).await;
    assert_eq!((found[0].order_number.as_str(), total), ("HUB-KUN", 1));
    assert_eq!(page(&app, &user, search("Žluť")).await.1, 1);
    assert_eq!(page(&app, &user, search("%")).await.1, 0);
    assert_eq!(page(&app, &user, search("HUB_0")).await.1, 0);
    assert_eq!(page(&app, &user, search("HUB-0")).await.1, 10);
}

#[tokio::test]
async fn a_hub_address_with_a_bad_page_status_or_search_is_refused_by_field() {
    let app = spawn_app().await;
    partner_sets_up(
        &app,
        "HUB-BAD",
        "P-HUB-BAD",
        "admin-hub-bad@customer.example",
    )
    .await;
    app.give_password(&contact("HUB-BAD"), "a long enough secret")
        .await;
    let session = app
        .sign_in_cookie(&contact("HUB-BAD"), "a long enough secret")
        .await;
    let long = "x".repeat(101);
    for (field, form) in [
        ("page", [("page", "0"), ("status", ""), ("q", "")]),
        ("page", [("page", "two"), ("status", ""), ("q", "")]),
        ("status", [("page", ""), ("status", "done"), ("q", "")]),
        ("q", [("page", ""), ("status", ""), ("q", long.as_str())]),
    ] {
        let (status, body) = app
            .call_as::<serde_json::Value>(Some(&session), "hub/view", &form)
            .await
            .unwrap_err();
        assert_eq!(status, 422, "{form:?}: {body}");
        assert!(body.contains(field), "{body}");
    }
    let view: serde_json::Value = app
        .call_as(
            Some(&session),
            "hub/view",
            &[("page", "1"), ("status", "set_up"), ("q", "hub-bad")],
        )
        .await
        .unwrap();
    assert_eq!(view["total"], 1);
}

/// "Needs attention" (contract section 14): escalated orders, approvals
/// waiting more than 3 days, orders closing within 7 days, and orders set up
/// but not provisioned for more than 3 days; nothing else.
#[tokio::test]
async fn needs_attention_lists_the_orders_someone_should_act_on() {
    let app = spawn_app().await;
    // Set up on 2026-12-01 at 08:00 and never provisioned.
    partner_sets_up(&app, "NA-SETUP-OLD", "P-NA", "admin-na@customer.example").await;
    let user = app
        .state
        .store
        .user_by_email(&contact("NA-SETUP-OLD"))
        .await
        .unwrap()
        .unwrap();
    let now: chrono::DateTime<chrono::Utc> = "2026-12-10T08:00:00Z".parse().unwrap();
    let days_ago = |days: i64| {
        (now - chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    };
    // (order, columns set, needs attention)
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, bool);
    let cases: [Case; 9] = [
        (
            "NA-ESCALATED",
            vec![("invited_at", days_ago(3)), ("escalated_at", days_ago(2))],
            true,
        ),
        ("NA-INVITED", vec![("invited_at", days_ago(5))], false),
        ("NA-CLOSING", vec![("invited_at", days_ago(24))], true),
        (
            "NA-APPROVAL-OLD",
            vec![
                ("invited_at", days_ago(6)),
                ("approval_requested_at", days_ago(4)),
            ],
            true,
        ),
        (
            "NA-APPROVAL-NEW",
            vec![
                ("invited_at", days_ago(6)),
                ("approval_requested_at", days_ago(1)),
            ],
            false,
        ),
        (
            "NA-SETUP-NEW",
            vec![("invited_at", days_ago(6)), ("setup_at", days_ago(1))],
            false,
        ),
        (
            "NA-PROVISIONED",
            vec![("setup_at", days_ago(9)), ("provisioned_at", days_ago(8))],
            false,
        ),
        (
            "NA-CLOSED",
            vec![("invited_at", days_ago(40)), ("closed_at", days_ago(10))],
            false,
        ),
        ("NA-SCHEDULED", vec![], false),
    ];
    for (number, columns, _) in &cases {
        place_for(&app, number, "P-NA", "Zákazník a.s.").await;
        for (column, at) in columns {
            sqlx::query(&format!(
                "UPDATE orders SET {column} = $1 WHERE order_number = $2"
            ))
            .bind(at.as_str())
            .bind(*number)
            .execute(&app.db)
            .await
            .unwrap();
        }
    }
    app.set_clock("2026-12-10T08:00:00Z").await;
    let filter = HubFilter {
        status: Some(HubStatus::NeedsAttention),
        ..HubFilter::default()
    };
    let (orders, total) = page(&app, &user, filter).await;
    let mut listed: Vec<&str> = orders.iter().map(|o| o.order_number.as_str()).collect();
    listed.sort();
    let mut expected: Vec<&str> = cases
        .iter()
        .filter(|(_, _, needs)| *needs)
        .map(|(number, _, _)| *number)
        .chain(["NA-SETUP-OLD"])
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(total, expected.len() as u64);
    // It is a filter of the hub's address like the statuses.
    let parsed = HubFilter::parse(None, Some("needs_attention"), None).unwrap();
    assert_eq!(parsed.status, Some(HubStatus::NeedsAttention));
    assert_eq!(parsed.href(1), "/hub?status=needs_attention");
}
