//! Serving: configuration from the environment, then storage, the
//! background work and the axum router that serves the Leptos app, the JSON
//! API and the static files. The top of the house below `main`.

use crate::app::{route_table, shell};
use crate::server::{
    activity_csv, api, config::Config, dev::demo, guard, mail, scheduler, state, store, webhooks,
};
use anyhow::Context;
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
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
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
    let Running {
        addr,
        mut handle,
        tasks,
        shutdown,
        ..
    } = start(config).await?;
    tracing::info!("serving on http://{addr}");
    tokio::select! {
        served = &mut handle => return served.context("server task")?,
        signal = stop_signal() => tracing::info!("{signal}: stopping"),
    }
    // Stop accepting; the background work stops where it is (a pass or a
    // delivery not yet committed is rolled back, and its leases run out).
    shutdown.notify_one();
    for task in &tasks {
        task.abort();
    }
    match tokio::time::timeout(STOP_GRACE, &mut handle).await {
        Ok(served) => served.context("server task")??,
        Err(_) => tracing::warn!("requests still in flight after {STOP_GRACE:?}: stopping anyway"),
    }
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
    )
    .await?;
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

/// Liveness: the process serves (it listens only once its database is
/// migrated and the scheduler runs).
async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// Readiness: whether the database answers now (a load balancer sends no
/// traffic here while it does not; the pool reconnects by itself).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
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
        .route("/activity/{order_id}/csv", get(activity_csv::download))
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
    let app = guard::layers(app, &guarded_state).layer(CompressionLayer::new().br(true).gzip(true));
    with_request_ids(app)
}

/// The longest `x-request-id` taken from a caller.
const REQUEST_ID_MAX: usize = 64;

/// Every response carries `x-request-id`: the caller's when it is short
/// and printable, else a new UUID; every log line of the request is in a
/// span that carries it.
fn with_request_ids(app: Router) -> Router {
    use tower_http::request_id::{
        MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
    };
    use tower_http::trace::TraceLayer;
    let header = axum::http::HeaderName::from_static("x-request-id");
    let span = |request: &axum::http::Request<axum::body::Body>| {
        let id = request
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-");
        // Never the path: it can carry a link's token.
        tracing::info_span!("request", id = %id, method = %request.method())
    };
    app.layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_request(())
                .on_response(())
                .on_body_chunk(())
                .on_eos(())
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unfit_request_id))
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
