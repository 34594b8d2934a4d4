//! "Download CSV" of `/hub/customers` (contract section 14): every customer
//! organization of the partner with its orders and services, a row per
//! order, with the same rules as the Activity's CSV (UTF-8 with a byte-order
//! mark, a header row, formulas defused).

use super::activity_csv::{MAX_ROWS, row};
use super::auth::{cookie, locale_in, session_cookie_name};
use super::state::AppState;
use crate::i18n::Locale;
use crate::model::hub::{HubStatus, status_text_in};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use leptos_i18n::td_string;

/// `GET /hub/customers/csv`.
pub async fn download(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let now = state.clock.now().await;
    let session = match cookie(&headers, session_cookie_name(&state)) {
        Some(token) => state.store.session(&token, now).await,
        None => Ok(None),
    };
    let user = match session {
        Ok(Some(session)) if session.two_step_missing => {
            return (StatusCode::FORBIDDEN, "turn on two-step sign-in first").into_response();
        }
        Ok(Some(session)) => session.user,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "customers download");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if user.partner_org_id.is_none() {
        return (StatusCode::FORBIDDEN, "not a partner").into_response();
    }
    let (customers, _) = match state.store.customers_page(&user, MAX_ROWS, 0).await {
        Ok(page) => page,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "customers download");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let locale = locale_in(&headers).unwrap_or(Locale::en);
    let mut csv = format!(
        "\u{feff}{}",
        row(&[
            td_string!(locale, customers.organization),
            td_string!(locale, customers.country),
            td_string!(locale, hub.order),
            td_string!(locale, customers.subscription),
            td_string!(locale, hub.start),
            td_string!(locale, hub.status),
            td_string!(locale, customers.services),
        ])
    );
    for customer in &customers {
        for order in &customer.orders {
            let status = status_text_in(locale, HubStatus::of(order.summary.status));
            csv.push_str(&row(&[
                &customer.name,
                &customer.country,
                &order.summary.order_number,
                &order.summary.subscription_id,
                &order.summary.requested_start_date,
                &status,
                &order.services_text(locale),
            ]));
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"customers.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}
