//! `/hub/customers` and its CSV (issue 25, contract section 14): a partner's
//! customer organizations with their orders and services, nobody else's.

use crate::helpers::*;
use crate::organizations::{PASSWORD, contact, partner_sets_up};
use serde_json::Value;

#[tokio::test]
async fn a_partner_lists_and_downloads_its_customers_and_nobody_elses() {
    let app = spawn_app().await;
    let order = partner_sets_up(&app, "CUS-1", "P-CUS-1", "admin-cus-1@customer.example").await;
    partner_sets_up(&app, "CUS-2", "P-CUS-2", "admin-cus-2@customer.example").await;
    app.give_password(&contact("CUS-1"), PASSWORD).await;
    let cookie = app.sign_in_cookie(&contact("CUS-1"), PASSWORD).await;

    let view: Value = app
        .call_as(Some(&cookie), "hub/customers", &[])
        .await
        .unwrap();
    assert_eq!(view["total"], 1, "{view}");
    let customer = &view["customers"][0];
    assert_eq!(customer["name"], "Zakaznik a.s.");
    assert_eq!(customer["orders"].as_array().unwrap().len(), 1);
    assert_eq!(customer["orders"][0]["summary"]["id"], order.as_str());
    assert_eq!(
        customer["orders"][0]["services"].as_array().unwrap().len(),
        2
    );
    // Past the last page: nothing, and the count still.
    let later: Value = app
        .call_as(Some(&cookie), "hub/customers", &[("page", "2")])
        .await
        .unwrap();
    assert_eq!(
        (
            later["total"].as_u64(),
            later["customers"].as_array().map(Vec::len)
        ),
        (Some(1), Some(0))
    );
    let bad = app
        .call_as::<Value>(Some(&cookie), "hub/customers", &[("page", "zero")])
        .await
        .unwrap_err();
    assert_eq!(bad.0, 422);

    // The CSV, in Czech: a byte-order mark, a header, a row per order.
    let csv = app
        .client
        .get(format!("{}/hub/customers/csv", app.base))
        .header("cookie", format!("{cookie}; i18n_pref_locale=cs"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("\u{feff}Organizace zákazníka,Země,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("Zakaznik a.s.,CZ,CUS-1,Sub-CUS-1,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("A-WX-MTG-ENT"), "{}", lines[1]);

    // Nobody signed in: nothing.
    let nobody: Value = app.call("hub/customers", &[]).await.unwrap();
    assert!(nobody.is_null());
    let anonymous = app
        .client
        .get(format!("{}/hub/customers/csv", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // A customer's administrator has no customers.
    app.give_password("admin-cus-1@customer.example", PASSWORD)
        .await;
    let customer = app
        .sign_in_cookie("admin-cus-1@customer.example", PASSWORD)
        .await;
    let refused = app
        .call_as::<Value>(Some(&customer), "hub/customers", &[])
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    let refused = app
        .client
        .get(format!("{}/hub/customers/csv", app.base))
        .header("cookie", &customer)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
