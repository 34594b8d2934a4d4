//! What an operator's Prometheus scrapes at `/metrics` (contract section 15):
//! requests by route pattern, the scheduler's passes, sign-in failures and
//! deliveries, counted as they happen; the queues and the orders by status,
//! read from the database when scraped, at most once per [`GAUGES_EVERY`].
//!
//! Each server has its own recorder (`metrics`' local recorder, rendered by
//! `metrics-exporter-prometheus`), not the process-global one: the story
//! tests run many servers in one process, and each counts only its own.

use super::store::{QueueGauges, Store};
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub const REQUESTS: &str = "setup_now_http_requests_total";
pub const REQUEST_SECONDS: &str = "setup_now_http_request_duration_seconds";
pub const PASS_SECONDS: &str = "setup_now_scheduler_pass_duration_seconds";
pub const LAST_PASS: &str = "setup_now_scheduler_last_pass_timestamp_seconds";
pub const SIGN_IN_FAILURES: &str = "setup_now_sign_in_failures_total";
pub const DELIVERIES: &str = "setup_now_deliveries_total";
pub const OUTBOX_PENDING: &str = "setup_now_outbox_pending";
pub const OUTBOX_OLDEST: &str = "setup_now_outbox_oldest_pending_seconds";
pub const EVENTS_PENDING: &str = "setup_now_events_pending";
pub const ORDERS: &str = "setup_now_orders";
pub const DATABASE_UP: &str = "setup_now_database_up";

/// The database is read for the gauges at most this often, however often
/// it is scraped (Prometheus' default interval is 15 s).
pub const GAUGES_EVERY: Duration = Duration::from_secs(10);

/// Every status an order can be in: a status no order is in any more is
/// reported as 0, not left at its last count.
const ORDER_STATUSES: [&str; 7] = [
    "scheduled",
    "invited",
    "escalated",
    "awaiting_approval",
    "set_up",
    "provisioned",
    "closed",
];

/// A request's latency, in seconds: from 1 ms (a page) to 10 s (the most
/// a request may take when the server stops).
const REQUEST_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
/// A scheduler pass: the budget is 2 s over 10k due orders.
const PASS_BUCKETS: [f64; 10] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0];

/// A request's method as a label: the methods of RFC 9110 as they are,
/// any other as `other` (a client may send any token; each would otherwise
/// be a new series).
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "other",
    }
}

/// The wall clock in Unix seconds (never the development clock, which may
/// stand still: alerts compare it with Prometheus' own time).
fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// What leaves the server and is counted: an email or a status event.
#[derive(Debug, Clone, Copy)]
pub enum Delivery {
    Email,
    Event,
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Delivered,
    Failed,
    GivenUp,
}

/// A request series' counter and histogram.
type RequestSeries = (metrics::Counter, metrics::Histogram);
/// The request series by route pattern, then (method, status).
type RequestSeriesByRoute = HashMap<Box<str>, HashMap<(&'static str, u16), RequestSeries>>;

/// One server's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// The handles of each request series once registered, by route pattern
    /// then (method, status): a request then counts without building its
    /// labels or looking its key up in the registry (both allocated, and
    /// cost the availability check a few per cent).
    requests: std::sync::RwLock<RequestSeriesByRoute>,
    /// When the gauges were last read from the database; held while they
    /// are read, so that scrapes at once read once.
    gauges_read: tokio::sync::Mutex<Option<Instant>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), &REQUEST_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(PASS_SECONDS.into()), &PASS_BUCKETS)
            })
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        let metrics = Metrics {
            recorder,
            handle,
            requests: std::sync::RwLock::new(HashMap::new()),
            gauges_read: tokio::sync::Mutex::new(None),
        };
        metrics.record(|| {
            use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
            describe_counter!(
                REQUESTS,
                "HTTP requests answered, by route pattern, method and status."
            );
            describe_histogram!(
                REQUEST_SECONDS,
                Unit::Seconds,
                "Time to answer a request (its head)."
            );
            describe_histogram!(PASS_SECONDS, Unit::Seconds, "Time one scheduler pass took.");
            describe_gauge!(
                LAST_PASS,
                Unit::Seconds,
                "When the last scheduler pass finished (Unix time; the start until then)."
            );
            describe_counter!(
                SIGN_IN_FAILURES,
                "Sign-ins refused: wrong address or password, or held."
            );
            describe_counter!(
                DELIVERIES,
                "Delivery attempts of emails and status events, by outcome."
            );
            describe_gauge!(OUTBOX_PENDING, "Emails neither sent nor given up.");
            describe_gauge!(
                OUTBOX_OLDEST,
                Unit::Seconds,
                "Age of the oldest email waiting."
            );
            describe_gauge!(
                EVENTS_PENDING,
                "Status events neither delivered nor given up."
            );
            describe_gauge!(ORDERS, "Orders by status.");
            describe_gauge!(
                DATABASE_UP,
                "1 when the database answered the last read, else 0."
            );
            // Present from the start, so that a rate over them is 0, not absent.
            metrics::counter!(SIGN_IN_FAILURES).absolute(0);
            // "No pass for 5 minutes" counts from the start.
            metrics::gauge!(LAST_PASS).set(unix_now());
        });
        metrics
    }

    /// Runs `f` with this server's recorder as the one `metrics`' macros
    /// record to.
    fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&self.recorder, f)
    }

    /// One answered request. `route` is the route's pattern, never a path
    /// (a finite set, as are the methods counted and the statuses).
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let method = method_label(method);
        let seconds = took.as_secs_f64();
        if let Ok(routes) = self.requests.read()
            && let Some((count, time)) = routes.get(route).and_then(|s| s.get(&(method, status)))
        {
            count.increment(1);
            time.record(seconds);
            return;
        }
        let labels = [
            ("method", method.to_string()),
            ("route", route.to_string()),
            ("status", status.to_string()),
        ];
        let (count, time) = self.record(|| {
            (
                metrics::counter!(REQUESTS, &labels),
                metrics::histogram!(REQUEST_SECONDS, &labels),
            )
        });
        count.increment(1);
        time.record(seconds);
        if let Ok(mut routes) = self.requests.write() {
            routes
                .entry(route.into())
                .or_default()
                .insert((method, status), (count, time));
        }
    }

    /// A sign-in refused.
    pub fn sign_in_failed(&self) {
        self.record(|| metrics::counter!(SIGN_IN_FAILURES).increment(1));
    }

    /// One scheduler pass, finished or failed.
    pub fn scheduler_pass(&self, took: Duration) {
        self.record(|| {
            metrics::histogram!(PASS_SECONDS).record(took.as_secs_f64());
            metrics::gauge!(LAST_PASS).set(unix_now());
        });
    }

    /// One delivery attempt.
    pub fn delivery(&self, what: Delivery, outcome: Outcome) {
        let what = match what {
            Delivery::Email => "email",
            Delivery::Event => "event",
        };
        let outcome = match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
            Outcome::GivenUp => "given_up",
        };
        self.record(|| {
            metrics::counter!(DELIVERIES, "kind" => what, "outcome" => outcome).increment(1)
        });
    }

    /// The text Prometheus scrapes: the gauges from the database first read
    /// again if they are older than [`GAUGES_EVERY`].
    pub async fn render(&self, store: &Store, now: DateTime<Utc>) -> String {
        {
            let mut read = self.gauges_read.lock().await;
            if read.is_none_or(|at| at.elapsed() >= GAUGES_EVERY) {
                let gauges = store.queue_gauges(now).await;
                if let Err(err) = &gauges {
                    tracing::error!(error = format!("{err:#}"), "reading the gauges failed");
                }
                self.set_gauges(gauges.as_ref().ok());
                *read = Some(Instant::now());
            }
        }
        self.handle.render()
    }

    /// Sets the gauges read from the database; `None`: it did not answer
    /// (the last counts stay, `setup_now_database_up` says 0).
    fn set_gauges(&self, gauges: Option<&QueueGauges>) {
        self.record(|| {
            metrics::gauge!(DATABASE_UP).set(if gauges.is_some() { 1.0 } else { 0.0 });
            let Some(gauges) = gauges else { return };
            metrics::gauge!(OUTBOX_PENDING).set(gauges.outbox_pending as f64);
            metrics::gauge!(OUTBOX_OLDEST).set(gauges.outbox_oldest_pending_seconds);
            metrics::gauge!(EVENTS_PENDING).set(gauges.events_pending as f64);
            for status in ORDER_STATUSES {
                let count = gauges
                    .orders
                    .iter()
                    .find(|(s, _)| s == status)
                    .map_or(0, |(_, n)| *n);
                metrics::gauge!(ORDERS, "status" => status).set(count as f64);
            }
        });
    }

    /// Drains what histograms recorded since the last scrape into their
    /// buckets, so that memory stays bounded when nobody scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_server_counts_its_own_requests() {
        let (one, two) = (Metrics::new(), Metrics::new());
        one.request("GET", "/setup/{token}", 200, Duration::from_millis(3));
        one.request("GET", "/setup/{token}", 200, Duration::from_millis(4));
        let text = one.handle.render();
        assert!(
            text.contains(
                r#"setup_now_http_requests_total{method="GET",route="/setup/{token}",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"setup_now_http_request_duration_seconds_bucket{method="GET",route="/setup/{token}",status="200",le="0.005"} 2"#),
            "a histogram with buckets, not a summary: {text}"
        );
        assert!(!two.handle.render().contains(REQUESTS));
        // Any other method is one series, not one per token sent.
        one.request("BREW", "other", 405, Duration::from_millis(1));
        one.request("PROPFIND", "other", 405, Duration::from_millis(1));
        let text = one.handle.render();
        assert!(
            text.contains(
                r#"setup_now_http_requests_total{method="other",route="other",status="405"} 2"#
            ),
            "{text}"
        );
    }

    #[test]
    fn an_order_status_that_empties_is_reported_as_zero() {
        let metrics = Metrics::new();
        metrics.set_gauges(Some(&QueueGauges {
            orders: vec![("invited".into(), 3)],
            ..QueueGauges::default()
        }));
        metrics.set_gauges(Some(&QueueGauges {
            orders: vec![("set_up".into(), 3)],
            ..QueueGauges::default()
        }));
        let text = metrics.handle.render();
        assert!(
            text.contains(r#"setup_now_orders{status="invited"} 0"#),
            "{text}"
        );
        assert!(
            text.contains(r#"setup_now_orders{status="set_up"} 3"#),
            "{text}"
        );
        metrics.set_gauges(None);
        let text = metrics.handle.render();
        assert!(text.contains("setup_now_database_up 0"), "{text}");
        assert!(
            text.contains(r#"setup_now_orders{status="set_up"} 3"#),
            "{text}"
        );
    }
}
