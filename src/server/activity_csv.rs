//! "Download CSV" of an order's Activity: RFC 4180, UTF-8 with a byte-order
//! mark (so spreadsheets read Czech letters), a header row, cells that a
//! spreadsheet would run as a formula defused, streamed a page at a time.

use super::access::Action;
use super::auth::{cookie, locale_in, session_cookie_name};
use super::state::AppState;
use crate::i18n::Locale;
use crate::model::activity::{action_text_in, actor_text_in};
use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

/// Entries read per page while streaming.
const PAGE: i64 = 1_000;
/// The most entries one download holds.
pub const MAX_ROWS: i64 = 20_000;

/// One CSV cell: a leading `=`, `+`, `-`, `@`, tab or carriage return is
/// prefixed with `'` (a spreadsheet would run it); quoted when it holds a
/// comma, a quote or a line break.
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

pub(crate) fn row(cells: &[&str]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// `GET /activity/{order_id}/csv`.
pub async fn download(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let now = state.clock.now().await;
    let user = match cookie(&headers, session_cookie_name(&state)) {
        Some(token) => state.store.session(&token, now).await,
        None => Ok(None),
    };
    let user = match user {
        Ok(Some(session)) if session.two_step_missing => {
            return (StatusCode::FORBIDDEN, "turn on two-step sign-in first").into_response();
        }
        Ok(Some(session)) => session.user,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "activity download");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Err(error) = super::access::authorize(&state.store, &user, &order_id, Action::View).await
    {
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return (status, "not allowed").into_response();
    }
    let locale = locale_in(&headers).unwrap_or(Locale::en);
    let header_row = format!(
        "\u{feff}{}",
        row(&[
            leptos_i18n::td_string!(locale, activity.when),
            leptos_i18n::td_string!(locale, activity.who),
            leptos_i18n::td_string!(locale, activity.what),
            leptos_i18n::td_string!(locale, activity.detail),
        ])
    );
    // (state, order, after id, rows so far, header sent)
    use futures_util::StreamExt;
    let pages = futures_util::stream::unfold(
        (state, order_id.clone(), 0i64, 0i64, false),
        move |(state, order_id, after, sent, started)| {
            let header_row = header_row.clone();
            async move {
                if !started {
                    return Some((
                        Ok::<_, std::io::Error>(header_row),
                        (state, order_id, after, sent, true),
                    ));
                }
                if sent >= MAX_ROWS {
                    return None;
                }
                let page = match state
                    .store
                    .activity_page(&order_id, after, PAGE.min(MAX_ROWS - sent))
                    .await
                {
                    Ok(page) if !page.is_empty() => page,
                    Ok(_) => return None,
                    Err(err) => {
                        tracing::error!(error = format!("{err:#}"), "activity download");
                        return Some((
                            Err(std::io::Error::other("activity unreadable")),
                            (state, order_id, after, MAX_ROWS, true),
                        ));
                    }
                };
                let last = page.last().map_or(after, |(id, _)| *id);
                let count = page.len() as i64;
                let chunk: String = page
                    .iter()
                    .map(|(_, e)| {
                        row(&[
                            &e.at,
                            &actor_text_in(locale, &e.who),
                            &action_text_in(locale, &e.action),
                            &e.detail,
                        ])
                    })
                    .collect();
                Some((Ok(chunk), (state, order_id, last, sent + count, true)))
            }
        },
    )
    // The compression layer polls a body once more after its end; a bare
    // `unfold` panics when polled after it returned `None` (and the browser
    // saw a reset connection). Fused, it keeps answering `None`.
    .fuse();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"activity-{order_id}.csv\""),
            ),
        ],
        Body::from_stream(pages),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+420"), "'+420");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Žluťoučký kůň"), "Žluťoučký kůň");
        assert_eq!(row(&["a", "b"]), "a,b\r\n");
    }
}
