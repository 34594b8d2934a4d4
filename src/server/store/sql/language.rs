//! What an email about an order needs to be written: the order's facts and
//! what decides the recipient's language (the rule is the mail module's).

use super::{Conn, Db, Store};
use crate::server::mail::{OrderMail, Readers, ServiceLine};
use anyhow::Context;
use sqlx::Row;
use std::collections::HashMap;

/// The order `order_id` as an email to `to` names it, and what decides
/// `to`'s language.
pub(crate) async fn order_mail(
    conn: &mut Conn,
    order_id: &str,
    to: &str,
) -> anyhow::Result<OrderMail> {
    let row = sqlx::query(
        "SELECT order_number, offer, customer_name, requested_start_date, partner_name, partner_country, kind, \
         (SELECT language FROM users WHERE email = $2) AS language FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .bind(to)
    .fetch_one(&mut *conn)
    .await
    .context("loading the order for an email")?;
    let services = services_of_orders(conn, &[order_id])
        .await?
        .remove(order_id)
        .unwrap_or_default();
    Ok(OrderMail {
        services,
        readers: Readers {
            chosen: row.get("language"),
            country: Some(row.get("partner_country")),
        },
        number: row.get("order_number"),
        offer: row.get("offer"),
        customer: row.get("customer_name"),
        start_date: row.get("requested_start_date"),
        partner: row.get("partner_name"),
        change: row.get::<&str, _>("kind") == "change",
    })
}

/// The purchased services of each of `orders`, for their emails (one
/// statement).
pub(crate) async fn services_of_orders(
    conn: &mut Conn,
    orders: &[&str],
) -> anyhow::Result<HashMap<String, Vec<ServiceLine>>> {
    if orders.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = sqlx::QueryBuilder::<Db>::new(
        "SELECT order_id, kind, sku, quantity FROM order_services WHERE order_id IN (",
    );
    let mut list = query.separated(", ");
    for id in orders {
        list.push_bind(id.to_string());
    }
    query.push(") ORDER BY order_id, position");
    let (sql, arguments) = super::numbered(&mut query, super::engine_of(&*conn))?;
    let rows = sqlx::query_with(&sql, arguments)
        .fetch_all(&mut *conn)
        .await
        .context("loading the services of orders")?;
    let mut services: HashMap<String, Vec<ServiceLine>> = HashMap::new();
    for row in &rows {
        services
            .entry(row.get("order_id"))
            .or_default()
            .push(ServiceLine {
                kind: row.get("kind"),
                sku: row.get("sku"),
                quantity: row.get::<i64, _>("quantity"),
            });
    }
    Ok(services)
}

/// What decides the language of an email to `to` that concerns no order:
/// the one they chose, and the country of their organization.
pub(crate) async fn account_readers(conn: &mut Conn, to: &str) -> anyhow::Result<Readers> {
    let row = sqlx::query(
        "SELECT u.language, COALESCE(p.country, c.country) AS country FROM users u \
         LEFT JOIN partner_orgs p ON p.id = u.partner_org_id \
         LEFT JOIN customer_orgs c ON c.id = u.customer_org_id WHERE u.email = $1",
    )
    .bind(to)
    .fetch_optional(&mut *conn)
    .await
    .context("loading a user's language")?;
    Ok(row
        .map(|row| Readers {
            chosen: row.get("language"),
            country: row.get("country"),
        })
        .unwrap_or_default())
}

/// The languages chosen by those of `emails` who have chosen one, for a
/// batch of emails (one statement).
pub(crate) async fn chosen_languages(
    conn: &mut Conn,
    emails: &[&str],
) -> anyhow::Result<HashMap<String, String>> {
    if emails.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = sqlx::QueryBuilder::<Db>::new(
        "SELECT email, language FROM users WHERE language IS NOT NULL AND email IN (",
    );
    let mut list = query.separated(", ");
    for email in emails {
        list.push_bind(email.to_string());
    }
    query.push(")");
    let (sql, arguments) = super::numbered(&mut query, super::engine_of(&*conn))?;
    let rows = sqlx::query_with(&sql, arguments)
        .fetch_all(&mut *conn)
        .await
        .context("loading chosen languages")?;
    Ok(rows
        .iter()
        .map(|row| (row.get("email"), row.get("language")))
        .collect())
}

impl Store {
    /// Remembers the language `email` chose in the app (its code), for
    /// their emails.
    pub async fn set_language(&self, email: &str, code: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE users SET language = $1 WHERE email = $2")
            .bind(code)
            .bind(email)
            .execute(&self.pool)
            .await
            .context("storing a chosen language")?;
        Ok(())
    }
}
