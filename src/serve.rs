//! Serving: configuration from the environment, then storage, the
//! background work and the axum router that serves the Leptos app, the JSON
//! API and the static files. The top of the house below `main`.

use crate::app::{route_table, shell};
use crate::server::{
    activity_csv, api, config::Config, customers_csv, dev::demo, guard, mail, scheduler, state,
    store, webhooks,
};
use anyhow::Context;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::{
    Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::IntoResponse,
    routing::get,
    serve::ListenerExt,
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use state::{AppState, Clock};
use std::{net::SocketAddr, sync::Arc};
use store::Store;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, services::ServeDir,
    set_header::SetResponseHeaderLayer,
};

/// Logs to stderr, filtered by `RUST_LOG` (default `info`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // `SETUP_NOW_LOG_FORMAT=json`: one JSON object a line, the request's
    // span (with its id) in each.
    let _ = match std::env::var("SETUP_NOW_LOG_FORMAT").as_deref() {
        Ok("json") => logs.json().with_current_span(true).try_init(),
        _ => logs.try_init(),
    };
}

/// Connections accepted from `listener` send each write at once (TCP_NODELAY).
/// Pages stream in several writes (the shell, then each resolved Suspense):
/// with Nagle's algorithm a write waits for the client's delayed ACK, 40 ms a
/// page (the hub's page measured 44 ms a request, 0.5 ms without).
fn without_nagle(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    fn set_nodelay(tcp: &mut tokio::net::TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY: {e}");
        }
    }
    listener.tap_io(set_nodelay)
}

/// Reads the environment, then serves until the process is stopped.
pub async fn run_from_env() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let mut running = start(config).await?;
    tracing::info!("serving on http://{}", running.addr);
    tokio::select! {
        served = &mut running.handle => return served.context("server task")?,
        signal = stop_signal() => tracing::info!("{signal}: stopping"),
    }
    running.shut_down().await?;
    tracing::info!("stopped");
    Ok(())
}

/// How long requests in flight may take to finish after SIGTERM.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Waits for SIGTERM (an orchestrator's stop) or Ctrl-C; which one came.
async fn stop_signal() -> &'static str {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                name = interrupt => name,
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => interrupt.await,
        }
    }
    #[cfg(not(unix))]
    interrupt.await
}

/// A running server.
pub struct Running {
    /// Where it listens (useful with port 0).
    pub addr: SocketAddr,
    /// The state its handlers share.
    pub state: AppState,
    /// Ends with the server.
    pub handle: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// The background work: scheduler, outbox and event workers.
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Notified once: stop accepting, let what is in flight finish.
    pub shutdown: Arc<tokio::sync::Notify>,
}

impl Running {
    /// Stops as an orchestrator asks (SIGTERM): stops accepting, lets the
    /// requests in flight finish, and the background work end between two
    /// items (a scheduler pass finishes; a worker records the email or event
    /// it is sending and hands back the rest of its claim, which another
    /// instance then takes at once); all within [`STOP_GRACE`], after which
    /// what is left is dropped (its leases run out as after a crash).
    pub async fn shut_down(mut self) -> anyhow::Result<()> {
        self.shutdown.notify_one();
        self.state.stopping.cancel();
        let deadline = tokio::time::Instant::now() + STOP_GRACE;
        let served = tokio::time::timeout_at(deadline, &mut self.handle).await;
        for task in &mut self.tasks {
            if tokio::time::timeout_at(deadline, &mut *task).await.is_err() {
                tracing::warn!("background work still running after {STOP_GRACE:?}: dropped");
                task.abort();
            }
        }
        match served {
            Ok(served) => served.context("server task")?,
            Err(_) => {
                tracing::warn!("requests still in flight after {STOP_GRACE:?}: stopping anyway");
                self.handle.abort();
                Ok(())
            }
        }
    }

    /// Stops serving and every background task at once, as a crash would
    /// (nothing is finished or flushed): for tests of restarts.
    pub fn stop(&self) {
        self.handle.abort();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Opens storage, starts the background work and binds the listener.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    let store = Store::connect(
        &config.database_url,
        store::sealer::OutboxSecrets {
            sealer: store::sealer::Sealer::new(&config.secret_key)
                .with_previous(config.previous_secret_key.as_ref()),
            forget_when_sent: !config.dev_hooks,
        },
        config.database_pool_size,
    )
    .await?;
    if config.previous_secret_key.is_some() {
        // A rotation: what the previous key sealed and must outlive it.
        let (resealed, unreadable) = store.reseal_two_step_secrets().await?;
        tracing::info!(
            resealed,
            unreadable,
            "two-step secrets sealed under the new key"
        );
    }
    let store = store.with_session_lifetimes(store::SessionLifetimes {
        idle: chrono::Duration::from_std(config.session_idle).context("session idle time")?,
        absolute: chrono::Duration::from_std(config.session_absolute)
            .context("session lifetime")?,
    });
    let leptos_options = LeptosOptions::builder()
        .output_name("setup-now")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let state = AppState::new(state::Shared {
        leptos_options,
        clock: if config.dev_hooks {
            Clock::freezable(store.clone())
        } else {
            Clock::system()
        },
        config: Arc::new(config),
        store,
        outbox_signal: Arc::new(tokio::sync::Notify::new()),
        events_signal: Arc::new(tokio::sync::Notify::new()),
        hashing: crate::server::hashing::HashingSlots::default(),
        metrics: crate::server::metrics::Metrics::new(),
        stopping: tokio_util::sync::CancellationToken::new(),
    });
    if state.config.demo_data {
        demo::load(&state).await.context("loading demo data")?;
    }
    let mut tasks = Vec::new();
    if let Some(url) = &state.config.smtp_url {
        let sender = mail::SmtpSender::new(url, &state.config.smtp_from)?;
        tasks.push(scheduler::spawn_outbox_worker(state.clone(), sender));
    } else if state.config.mode == crate::server::config::Mode::Production {
        tracing::warn!("SETUP_NOW_SMTP_URL=none: no email is sent; they wait in the outbox");
    }
    if let Some(target) = state.config.webhook.clone() {
        tasks.push(webhooks::spawn_worker(state.clone(), target));
    }
    tasks.push(scheduler::spawn_scheduler(state.clone()));
    tasks.push(spawn_metrics_upkeep(state.clone()));
    let listener = tokio::net::TcpListener::bind(state.config.addr)
        .await
        .with_context(|| format!("binding {}", state.config.addr))?;
    let addr = listener.local_addr()?;
    let listener = without_nagle(listener);
    let app = router(state.clone());
    let shutdown = Arc::new(tokio::sync::Notify::new());
    let stopping = shutdown.clone();
    let handle = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { stopping.notified().await })
        .await
        .context("serving")
    });
    Ok(Running {
        addr,
        state,
        handle,
        tasks,
        shutdown,
    })
}

/// Keeps the histograms' memory bounded between scrapes.
fn spawn_metrics_upkeep(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tokio::select! {
                _ = every.tick() => state.metrics.upkeep(),
                _ = state.stopping.cancelled() => return,
            }
        }
    })
}

/// `/metrics` in the Prometheus text format, to callers allowed by
/// [`may_read_metrics`]; 403 to others.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !may_read_metrics(&state.config, peer, &headers) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let now = state.clock.now().await;
    let text = state.metrics.render(&state.store, now).await;
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// A caller with the bearer `SETUP_NOW_METRICS_TOKEN`, or one on this
/// host's loopback that did not come through a proxy (a proxy on the same
/// host is loopback too, but says whom it forwards).
fn may_read_metrics(config: &Config, peer: SocketAddr, headers: &HeaderMap) -> bool {
    if let Some(token) = &config.metrics_token {
        let sent = api::answers::bearer_token(headers);
        if sent.is_some_and(|sent| api::answers::same_secret(sent.as_bytes(), token.as_bytes())) {
            return true;
        }
    }
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .into_iter()
        .chain(config.client_ip_header.as_deref())
        .any(|name| headers.contains_key(name));
    peer.ip().is_loopback() && !forwarded
}

/// Counts every answer by its route's pattern (`/setup/{token}`, never the
/// path with its token), method and status, with the time to its head.
async fn count_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_string(), |path| route_pattern(path.as_str()));
    let method = request.method().clone();
    let response = next.run(request).await;
    state.metrics.request(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// A matched route's pattern as operators read it: a nested service's
/// catch-all (`/pkg/...`) under a plain name.
fn route_pattern(matched: &str) -> String {
    matched.replace("{*__private__axum_nest_tail_param}", "{*file}")
}

/// Liveness: the process serves (it listens only once its database is
/// migrated and the scheduler runs).
async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// How long readiness waits for the database.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: whether the database answers now (a load balancer sends no
/// traffic here while it does not; the pool reconnects by itself).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    // A database that does not answer at all is down too: the pool would
    // wait its whole acquire timeout (10 s) for a connection.
    let answered = tokio::time::timeout(READY_WITHIN, state.store.ping())
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("no answer within {READY_WITHIN:?}")));
    match answered {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The app's routes, generated once per process. While leptos generates
/// them it sets a process-global flag (leptos_server's resource-load
/// suppression) under which a `Resource` first polled in that window waits
/// for ever (leptos-rs/leptos#4773). One server per process generates once
/// before serving; the story tests start many servers in one process, and a
/// page rendered by one test while another started its server never finished
/// (the 200-requests test hung in about 1 full-suite run in 4).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(generate_routes).clone()
}

/// The route list, generated from the route table alone (see [`route_table`]
/// for why not from the whole app).
fn generate_routes() -> Vec<leptos_axum::AxumRouteListing> {
    generate_route_list(route_table)
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let pkg_dir = format!(
        "{}/{}",
        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
    );
    let pkg = Router::new()
        // Release builds write .br and .gz beside each asset (cargo leptos
        // --precompress, brotli at its best level); serve those as they are.
        .nest_service(
            "/pkg",
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));
    let context_state = state.clone();
    let guarded_state = state.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/activity/{order_id}/csv", get(activity_csv::download))
        .route("/hub/customers/csv", get(customers_csv::download))
        .merge(api::router(&state))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .merge(pkg);
    // Every layer in one stack, given to `Router::layer` once: axum wraps
    // every route in a box per `layer` call and clones the matched route's
    // boxes on every request (thirteen boxes: one stack took 10 % off the
    // home page's instructions under callgrind; docs/performance.md).
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    let layers = tower::ServiceBuilder::new()
        // Every response carries `x-request-id`: the caller's when it is
        // short and printable, else a new UUID; every log line of the
        // request is in a span that carries it.
        .layer(axum::middleware::map_request(drop_unfit_request_id))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(())
                .on_body_chunk(())
                .on_eos(())
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(axum::middleware::from_fn_with_state(
            guarded_state.clone(),
            count_request,
        ))
        .layer(CompressionLayer::new().br(true).gzip(true))
        // What every request passes before it reaches a route (src/server/guard.rs).
        .layer(axum::middleware::map_response_with_state(
            guarded_state.clone(),
            guard::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            guarded_state,
            guard::check_origin,
        ))
        // Innermost: axum's middleware functions take a plain body, the
        // routes take the limited one.
        .layer(RequestBodyLimitLayer::new(guard::MAX_BODY));
    app.layer(layers)
}

/// The longest `x-request-id` taken from a caller.
const REQUEST_ID_MAX: usize = 64;

/// The span of a request: its id and method, never the path (it can carry
/// a link's token).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %request.method())
}

/// Removes a caller's `x-request-id` that is too long or not printable
/// ASCII, so that a new one is made.
async fn drop_unfit_request_id(
    mut request: axum::http::Request<axum::body::Body>,
) -> axum::http::Request<axum::body::Body> {
    let fit = request.headers().get("x-request-id").map(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= REQUEST_ID_MAX
            && bytes.iter().all(|b| b.is_ascii_graphic())
    });
    if fit == Some(false) {
        request.headers_mut().remove("x-request-id");
    }
    request
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    /// A task that route generation spawns outlives its reactive owner,
    /// which is disposed as soon as the list is made; leptos_i18n's
    /// language-cookie effect was such a task, and when a worker polled it
    /// after the disposal it read the disposed locale signal and panicked
    /// (one server start in twenty). On this current-thread runtime nothing
    /// spawned has run yet when generation returns, so whatever it left
    /// behind is still counted.
    #[tokio::test]
    async fn route_generation_leaves_no_task_behind() {
        let routes = super::generate_routes();
        assert!(routes.iter().any(|r| r.path().starts_with("/setup/")));
        let left = tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks();
        assert_eq!(left, 0, "tasks spawned by route generation are still alive");
    }

    #[tokio::test]
    async fn accepted_connections_send_without_waiting_for_acks() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = super::without_nagle(listener);
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (stream, _) = listener.accept().await;
        assert!(stream.nodelay().unwrap());
    }
}
