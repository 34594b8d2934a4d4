//! The partner's customer organizations with their orders and services
//! (`/hub/customers` and its CSV).

use super::{Db, SessionUser, Store};
use crate::model::customers::{Customer, CustomerOrder, CustomerService};
use anyhow::Context;
use sqlx::Row;

impl Store {
    /// Customer organizations of `user`'s partner organization, `limit` from
    /// `offset` by name, each with the orders of this partner that `user`
    /// may see (a guest: those they set up), and how many there are in all.
    pub async fn customers_page(
        &self,
        user: &SessionUser,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<(Vec<Customer>, u64)> {
        let Some(party) = user.partner_party_id.clone() else {
            return Ok((Vec::new(), 0));
        };
        let guest = user.role == crate::domain::Role::Guest;
        // The orders in scope, the same for the count, the page and its orders.
        let scope = |query: &mut sqlx::QueryBuilder<'_, Db>| {
            query
                .push("o.customer_org_id IS NOT NULL AND o.partner_party_id = ")
                .push_bind(party.clone());
            if guest {
                query
                    .push(" AND o.setup_by_email = ")
                    .push_bind(user.email.clone());
            }
        };
        let mut count = sqlx::QueryBuilder::<Db>::new(
            "SELECT COUNT(DISTINCT o.customer_org_id) FROM orders o WHERE ",
        );
        scope(&mut count);
        let (sql, arguments) = super::numbered(&mut count, self.engine)?;
        let total: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(&self.pool)
            .await
            .context("counting customer organizations")?;
        let mut page = sqlx::QueryBuilder::<Db>::new(
            "SELECT c.id, c.name, c.country FROM customer_orgs c WHERE c.id IN \
             (SELECT o.customer_org_id FROM orders o WHERE ",
        );
        scope(&mut page);
        page.push(") ORDER BY c.name, c.id LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let (sql, arguments) = super::numbered(&mut page, self.engine)?;
        let rows = sqlx::query_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await
            .context("loading a page of customer organizations")?;
        let mut customers = rows
            .iter()
            .map(|r| {
                Ok(Customer {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    country: r.try_get("country")?,
                    orders: Vec::new(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if customers.is_empty() {
            return Ok((customers, total as u64));
        }
        let mut orders = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {}, o.customer_org_id FROM orders o WHERE ",
            super::orders::SUMMARY_COLUMNS
        ));
        scope(&mut orders);
        orders.push(" AND o.customer_org_id IN (");
        let mut list = orders.separated(", ");
        for c in &customers {
            list.push_bind(c.id.clone());
        }
        orders.push(") ORDER BY o.created_at, o.order_number");
        let (sql, arguments) = super::numbered(&mut orders, self.engine)?;
        let rows = sqlx::query_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await
            .context("loading the orders of customer organizations")?;
        let ids: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut conn = self.pool.acquire().await.context("a connection")?;
        let mut services = super::services_of_orders(&mut conn, &id_refs).await?;
        for row in &rows {
            let summary = super::orders::summary_from_row(row)?;
            let org: String = row.try_get("customer_org_id")?;
            let lines = services.remove(&summary.id).unwrap_or_default();
            if let Some(customer) = customers.iter_mut().find(|c| c.id == org) {
                customer.orders.push(CustomerOrder {
                    summary,
                    services: lines
                        .into_iter()
                        .map(|s| CustomerService {
                            kind: s.kind,
                            sku: s.sku,
                            quantity: s.quantity,
                        })
                        .collect(),
                });
            }
        }
        Ok((customers, total as u64))
    }
}
