//! What an operator watches (contract section 15): readiness that follows
//! the database, liveness that does not, and a request id on every answer.

use crate::helpers::*;

async fn status(app: &TestApp, path: &str) -> u16 {
    app.client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn readiness_follows_the_database_and_liveness_does_not() {
    let app = spawn_app().await;
    assert_eq!(status(&app, "/readyz").await, 200);
    assert_eq!(status(&app, "/healthz").await, 200);
    // The database stops answering (the pool is closed).
    app.state.store.close().await;
    assert_eq!(status(&app, "/readyz").await, 503);
    assert_eq!(
        status(&app, "/healthz").await,
        200,
        "the process still lives"
    );
}

async fn request_id(app: &TestApp, sent: Option<&str>) -> String {
    let mut request = app.client.get(format!("{}/healthz", app.base));
    if let Some(id) = sent {
        request = request.header("x-request-id", id);
    }
    let response = request.send().await.unwrap();
    response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_answer_carries_a_request_id_the_callers_when_it_is_fit() {
    let app = spawn_app().await;
    let made = request_id(&app, None).await;
    assert_eq!(made.len(), 36, "a new UUID: {made}");
    assert_ne!(made, request_id(&app, None).await, "one per request");
    assert_eq!(request_id(&app, Some("lb-7f3a-0001")).await, "lb-7f3a-0001");
    let long = "x".repeat(65);
    for unfit in [long.as_str(), "two words", "tab\there"] {
        let answered = request_id(&app, Some(unfit)).await;
        assert_ne!(answered, unfit);
        assert_eq!(answered.len(), 36, "replaced by a new one: {answered}");
    }
    // Pages and the order API carry it too.
    let page = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap();
    assert!(page.headers().contains_key("x-request-id"));
    let api = app
        .client
        .get(format!("{}/api/orders/NOPE-1", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
    assert!(api.headers().contains_key("x-request-id"));
}

async fn metrics_text(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    response.text().await.unwrap()
}

/// The value of the series `series` (name and labels as rendered), if any.
fn value_of(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

#[tokio::test]
async fn metrics_are_served_to_loopback_and_to_the_token_and_refused_to_others() {
    let token = "metrics-token-0123456789";
    let app = spawn_app_with(&[("SETUP_NOW_METRICS_TOKEN", token)]).await;
    let get = |forwarded: bool, bearer: Option<&str>| {
        let mut request = app.client.get(format!("{}/metrics", app.base));
        if forwarded {
            // What a proxy on this host adds: the caller is not local.
            request = request.header("x-forwarded-for", "203.0.113.9");
        }
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(false, None).await, 200, "loopback");
    assert_eq!(get(true, None).await, 403, "through a proxy");
    assert_eq!(get(true, Some("metrics-token-0123456780")).await, 403);
    assert_eq!(get(true, Some(token)).await, 200, "the bearer token");

    let without_token = spawn_app().await;
    let through_proxy = without_token
        .client
        .get(format!("{}/metrics", without_token.base))
        .header("forwarded", "for=203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(through_proxy.status(), 403);
    assert_eq!(through_proxy.text().await.unwrap(), "forbidden");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_read_the_queues_once_an_interval() {
    let app = spawn_app().await;
    app.place("METRICS-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let token = app.setup_token("contact-metrics-1@partner.example").await;
    for _ in 0..2 {
        let page = app
            .client
            .get(format!("{}/setup/{token}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
    }
    let refused = app
        .client
        .post(format!("{}/api/hub/sign-in", app.base))
        .form(&[
            ("email", "nobody@partner.example"),
            ("password", "not-the-password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let text = metrics_text(&app).await;
    assert!(!text.contains(&token), "no path with its token: {text}");
    assert_eq!(
        value_of(
            &text,
            r#"setup_now_http_requests_total{method="GET",route="/setup/{token}",status="200"}"#
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value_of(
            &text,
            r#"setup_now_http_request_duration_seconds_count{method="GET",route="/setup/{token}",status="200"}"#
        ),
        Some(2.0),
        "{text}"
    );
    assert!(
        text.contains(r#"setup_now_http_request_duration_seconds_bucket{method="GET",route="/setup/{token}",status="200",le="+Inf"} 2"#),
        "{text}"
    );
    assert_eq!(
        value_of(
            &text,
            r#"setup_now_http_requests_total{method="POST",route="/api/orders",status="201"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value_of(&text, "setup_now_sign_in_failures_total"),
        Some(1.0)
    );
    assert_eq!(
        value_of(&text, "setup_now_scheduler_pass_duration_seconds_count"),
        Some(1.0)
    );
    assert_eq!(
        value_of(&text, r#"setup_now_orders{status="invited"}"#),
        Some(1.0)
    );
    assert_eq!(
        value_of(&text, r#"setup_now_orders{status="scheduled"}"#),
        Some(0.0)
    );
    // The invitation (no SMTP here: it waits), written at 08:00 by the
    // frozen clock.
    let pending = value_of(&text, "setup_now_outbox_pending").unwrap();
    assert!(pending >= 1.0, "{text}");
    assert_eq!(
        value_of(&text, "setup_now_outbox_oldest_pending_seconds"),
        Some(0.0)
    );
    assert!(
        value_of(&text, "setup_now_events_pending").is_some(),
        "{text}"
    );
    let last_pass = value_of(&text, "setup_now_scheduler_last_pass_timestamp_seconds").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (now - last_pass).abs() < 60.0,
        "{last_pass} is now, on the wall clock"
    );
    assert_eq!(value_of(&text, "setup_now_database_up"), Some(1.0));

    // Read from the database at most once an interval, whatever the scrapes.
    app.place("METRICS-2", "2026-12-24").await;
    let again = metrics_text(&app).await;
    assert_eq!(
        value_of(&again, r#"setup_now_orders{status="scheduled"}"#),
        Some(0.0)
    );
    assert_eq!(
        value_of(
            &again,
            r#"setup_now_http_requests_total{method="GET",route="/metrics",status="200"}"#
        ),
        Some(1.0),
        "the first scrape is counted once it is answered"
    );
}

/// SIGTERM (here [`TestApp::shut_down`], what the signal calls) while the
/// outbox worker is half-way through a claim: the email being sent is sent
/// and recorded, the rest is handed back, and the next instance sends it
/// at once although the lease would hold it for ten minutes. Nothing is
/// sent twice.
#[tokio::test]
async fn stopping_hands_back_the_emails_not_sent_and_the_next_instance_sends_them_at_once() {
    const ORDERS: usize = 6;
    let (port, received) =
        crate::smtp_sink::smtp_sink_taking(std::time::Duration::from_millis(300)).await;
    let url = format!("smtp://127.0.0.1:{port}");
    let mut app = spawn_app_with(&[
        ("SETUP_NOW_SMTP_URL", url.as_str()),
        ("SETUP_NOW_OUTBOX_LEASE_SECS", "600"),
    ])
    .await;
    for i in 0..ORDERS {
        app.place(&format!("TERM-{i}"), "2026-12-01").await;
    }
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let emails = app
        .count("SELECT COUNT(*) FROM outbox")
        .await
        .try_into()
        .unwrap();
    assert!(emails >= ORDERS);
    wait_until(|| !received.lock().unwrap().is_empty()).await;
    app.shut_down().await.unwrap();
    let sent_before = received.lock().unwrap().len();
    assert!(
        sent_before < emails,
        "stopped half-way: {sent_before} of {emails}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await,
        sent_before as i64,
        "what was sent is recorded"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND lease_token IS NULL \
             AND attempts = 0"
        )
        .await,
        (emails - sent_before) as i64,
        "the rest is handed back, its attempt not counted"
    );

    app.restart().await;
    wait_until(|| received.lock().unwrap().len() >= emails).await;
    let messages = received.lock().unwrap().clone();
    let ids: std::collections::HashSet<_> = messages
        .iter()
        .map(|m| crate::smtp_sink::message_id(m).unwrap())
        .collect();
    assert_eq!((messages.len(), ids.len()), (emails, emails), "each once");
    // The relay accepts before the worker records: wait for the record.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app
        .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
        .await
        > 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "not recorded within 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE attempts = 1")
            .await,
        emails as i64,
        "one attempt each"
    );
}

/// Polls `done` every 20 ms for up to 30 s.
async fn wait_until(done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "not within 30 s");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A Prometheus process (Debian's `prometheus`, which `make test-tools`
/// installs) scraping one server; killed when dropped.
struct Prometheus {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Prometheus {
    fn scraping(target: &str) -> Prometheus {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
                 scrape_configs:\n  - job_name: setup-now\n    static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .unwrap();
        let port = free_port();
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--log.level=warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("prometheus runs (Debian's package `prometheus`: make test-tools installs it)");
        Prometheus {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// The value of the instant query `query`'s first sample, if any (and
    /// once Prometheus answers).
    async fn query(&self, client: &reqwest::Client, query: &str) -> Option<f64> {
        let answer: serde_json::Value = client
            .get(format!("{}/api/v1/query", self.base))
            .query(&[("query", query)])
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        answer["data"]["result"][0]["value"][1]
            .as_str()?
            .parse()
            .ok()
    }

    /// Waits (up to 60 s) until `query`'s value meets `wanted`.
    async fn wait_for(&self, client: &reqwest::Client, query: &str, wanted: impl Fn(f64) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let value = self.query(client, query).await;
            if value.is_some_and(&wanted) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Prometheus answered {value:?} to {query} for 60 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
}

#[tokio::test]
async fn a_real_prometheus_scrapes_the_server_and_sees_a_request_counted() {
    let app = spawn_app().await;
    let target = app.base.trim_start_matches("http://").to_string();
    let prometheus = Prometheus::scraping(&target);
    let client = reqwest::Client::new();
    prometheus
        .wait_for(&client, r#"up{job="setup-now"}"#, |up| up == 1.0)
        .await;
    for _ in 0..3 {
        assert_eq!(status(&app, "/readyz").await, 200);
    }
    prometheus
        .wait_for(
            &client,
            r#"setup_now_http_requests_total{route="/readyz",method="GET",status="200"}"#,
            |n| n == 3.0,
        )
        .await;
    prometheus
        .wait_for(&client, "setup_now_database_up", |up| up == 1.0)
        .await;
}
