//! What every request passes before it reaches a route: a body size limit,
//! the same-origin check of state-changing requests, and the security
//! headers of every answer.

use super::config::Mode;
use super::state::AppState;
use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The largest request body accepted (an order with its services is a few
/// KB); larger ones are answered 413.
pub const MAX_BODY: usize = 64 * 1024;

/// Machine routes authenticated by a bearer token, not by a browser session:
/// no cross-site request can carry the token, so the origin check does not
/// apply to them.
fn bearer_route(path: &str) -> bool {
    path == "/api/orders" || path.starts_with("/api/orders/") || path.starts_with("/api/events")
}

/// The `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Whether a state-changing request comes from this site. Browsers send
/// `Sec-Fetch-Site` (and `Origin` on cross-origin requests); a request with
/// neither is not a browser's and cannot ride on a victim's cookie.
pub fn same_origin(method: &Method, path: &str, headers: &HeaderMap, public_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || bearer_route(path) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            origin == origin_of(public_url) || origin_of(origin).ends_with(&format!("://{host}"))
        }
    }
}

/// Refuses (403) a state-changing request from another site ([`same_origin`]).
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if same_origin(
        request.method(),
        request.uri().path(),
        request.headers(),
        &state.config.public_url,
    ) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({"error": "cross-site request refused"})),
        )
            .into_response()
    }
}

/// Sets the security headers of every answer, unless its route set its own
/// (`/pkg` sets public caching): one pass over the answer, not a layer per
/// header.
pub async fn security_headers<B>(
    State(state): State<AppState>,
    mut response: Response<B>,
) -> Response<B> {
    let headers = response.headers_mut();
    let hsts = (state.config.mode == Mode::Production).then_some((
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=31536000; includeSubDomains",
    ));
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Setup and reset links carry secrets in their path.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Pages and answers are personal; /pkg sets its own public caching.
        (header::CACHE_CONTROL, "no-store"),
    ]
    .into_iter()
    .chain(hsts)
    {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    }
    response
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderName;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    const PUBLIC: &str = "https://setup.example.com";

    #[test]
    fn a_cross_site_post_is_refused_and_a_same_site_one_passes() {
        let post = Method::POST;
        let path = "/api/hub/sign-in";
        assert!(!same_origin(
            &post,
            path,
            &headers(&[("sec-fetch-site", "cross-site")]),
            PUBLIC
        ));
        assert!(!same_origin(
            &post,
            path,
            &headers(&[("sec-fetch-site", "same-site")]),
            PUBLIC
        ));
        assert!(same_origin(
            &post,
            path,
            &headers(&[("sec-fetch-site", "same-origin")]),
            PUBLIC
        ));
        assert!(!same_origin(
            &post,
            path,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "setup.example.com")
            ]),
            PUBLIC
        ));
        assert!(same_origin(
            &post,
            path,
            &headers(&[("origin", "https://setup.example.com")]),
            PUBLIC
        ));
        assert!(same_origin(
            &post,
            path,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            PUBLIC
        ));
        assert!(
            same_origin(&post, path, &headers(&[]), PUBLIC),
            "not a browser"
        );
    }

    #[test]
    fn reads_and_bearer_routes_are_not_checked() {
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(same_origin(&Method::GET, "/hub", &cross, PUBLIC));
        assert!(same_origin(&Method::POST, "/api/orders", &cross, PUBLIC));
        assert!(same_origin(
            &Method::PATCH,
            "/api/orders/CCW-1",
            &cross,
            PUBLIC
        ));
        assert!(!same_origin(
            &Method::POST,
            "/api/setup/commit",
            &cross,
            PUBLIC
        ));
    }
}
