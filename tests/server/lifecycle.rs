//! No order left to lapse (issue 25, contract section 14): "will close"
//! warnings 21 and 28 days after the invitation, the closure told to the
//! contact and the account representative, a reopened order warned again,
//! and one reminder to provision an order set up 3 days before; each once,
//! also with two passes at once.

use crate::helpers::*;
use crate::organizations::partner_sets_up;
use serde_json::Value;

const CONTACT: &str = "contact-life-1@partner.example";

/// The subjects of the emails of `kind` to `to` (in Czech: the test
/// partner is in CZ).
async fn subjects(app: &TestApp, to: &str, kind: &str) -> Vec<String> {
    app.mailbox(to)
        .await
        .iter()
        .filter(|m| m["kind"] == kind)
        .filter_map(|m| m["subject"].as_str())
        .map(str::to_string)
        .collect()
}

/// A scheduler pass at `now`; how many emails of `kind` it wrote.
async fn pass_at(app: &TestApp, now: &str, kind: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM outbox WHERE kind = '{kind}'");
    let before = app.count(&sql).await;
    app.set_clock(now).await;
    app.run_scheduler().await;
    app.count(&sql).await - before
}

#[tokio::test]
async fn an_order_nobody_sets_up_is_warned_twice_then_closed_and_told() {
    let app = spawn_app().await;
    app.place("LIFE-1", "2026-12-01").await;
    assert_eq!(pass_at(&app, "2026-12-01T08:00:00Z", "invitation").await, 1);
    // Invited 2026-12-01 08:00: it closes 30 days later.
    assert_eq!(
        pass_at(&app, "2026-12-22T07:59:00Z", "close_warning").await,
        0
    );
    assert_eq!(
        pass_at(&app, "2026-12-22T08:00:00Z", "close_warning").await,
        1
    );
    assert_eq!(
        pass_at(&app, "2026-12-23T08:00:00Z", "close_warning").await,
        0
    );
    assert_eq!(
        subjects(&app, CONTACT, "close_warning").await,
        ["Objednávka LIFE-1 bude uzavřena 2026-12-31"]
    );
    // The warning's link works.
    let warning = app
        .mailbox(CONTACT)
        .await
        .into_iter()
        .find(|m| m["kind"] == "close_warning")
        .unwrap();
    let href = warning["links"][0]["href"].as_str().unwrap();
    assert!(href.contains("/setup/"), "{href}");
    let href = format!("{}/setup/{}", app.base, href.rsplit('/').next().unwrap());
    assert_eq!(app.client.get(&href).send().await.unwrap().status(), 200);

    assert_eq!(
        pass_at(&app, "2026-12-29T08:00:00Z", "close_warning").await,
        1
    );
    assert_eq!(
        pass_at(&app, "2026-12-30T08:00:00Z", "close_warning").await,
        0
    );
    assert_eq!(subjects(&app, CONTACT, "close_warning").await.len(), 2);

    assert_eq!(pass_at(&app, "2026-12-31T08:00:01Z", "closed").await, 2);
    assert_eq!(pass_at(&app, "2027-01-01T08:00:00Z", "closed").await, 0);
    assert_eq!(subjects(&app, CONTACT, "close_warning").await.len(), 2);
    assert_eq!(
        subjects(&app, CONTACT, "closed").await,
        ["Objednávka LIFE-1 uzavřena: nebyla včas nastavena"]
    );
    assert_eq!(subjects(&app, "rep@cisco.example", "closed").await.len(), 1);
    // Its links, the warning's too, stop working.
    assert_eq!(app.client.get(&href).send().await.unwrap().status(), 410);

    // Reopened, it is warned again 21 days later.
    let reopened = app
        .client
        .post(format!("{}/api/orders/LIFE-1/reopen", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(reopened.status(), 200);
    assert_eq!(
        pass_at(&app, "2027-01-23T08:00:00Z", "close_warning").await,
        1
    );
    assert_eq!(subjects(&app, CONTACT, "close_warning").await.len(), 3);
}

#[tokio::test]
async fn an_order_found_late_gets_the_later_warning_alone() {
    let app = spawn_app().await;
    app.place("LIFE-2", "2026-12-01").await;
    pass_at(&app, "2026-12-01T08:00:00Z", "invitation").await;
    // The scheduler was down from day 1 to day 29.
    assert_eq!(
        pass_at(&app, "2026-12-30T08:00:00Z", "close_warning").await,
        1
    );
    assert_eq!(
        subjects(&app, "contact-life-2@partner.example", "close_warning")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn two_passes_at_once_warn_and_close_each_order_once() {
    let app = spawn_app().await;
    for i in 0..6 {
        app.place(&format!("LIFE-P{i}"), "2026-12-01").await;
    }
    pass_at(&app, "2026-12-01T08:00:00Z", "invitation").await;
    app.set_clock("2026-12-22T09:00:00Z").await;
    tokio::join!(app.run_scheduler(), app.run_scheduler());
    app.set_clock("2026-12-31T09:00:00Z").await;
    tokio::join!(app.run_scheduler(), app.run_scheduler());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'close_warning'")
            .await,
        6
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'closed'")
            .await,
        12,
        "each contact and each account representative once"
    );
}

#[tokio::test]
async fn an_order_set_up_and_not_provisioned_reminds_whoever_set_it_up_once() {
    let app = spawn_app().await;
    let order = partner_sets_up(&app, "LIFE-3", "P-LIFE-3", "admin-life-3@customer.example").await;
    let setter = "contact-life-3@partner.example";
    let set_up: String = sqlx::query_scalar("SELECT setup_at FROM orders WHERE id = $1")
        .bind(&order)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let set_up = chrono::DateTime::parse_from_rfc3339(&set_up).unwrap();
    let at = |days: i64, seconds: i64| {
        (set_up + chrono::Duration::days(days) + chrono::Duration::seconds(seconds))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    assert_eq!(pass_at(&app, &at(3, -60), "provision_reminder").await, 0);
    assert_eq!(pass_at(&app, &at(3, 1), "provision_reminder").await, 1);
    assert_eq!(pass_at(&app, &at(4, 0), "provision_reminder").await, 0);
    let reminders: Vec<Value> = app
        .mailbox(setter)
        .await
        .into_iter()
        .filter(|m| m["kind"] == "provision_reminder")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert!(
        reminders[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Zřídit objednávku LIFE-3")
    );
    let link = &reminders[0]["links"][0];
    assert_eq!(link["text"], "Zřídit předplatné");
    assert!(
        link["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/service/{order}")),
        "{link}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE action = 'provision_reminder_sent'")
            .await,
        1
    );
}
