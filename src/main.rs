//! The setup-now server: configuration from the environment, then serve.

// Rendering a page allocates many small, short-lived objects across tokio's
// worker threads; glibc's malloc spent a third of the server's time on them
// under load (perf), mimalloc a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    setup_now::serve::init_tracing();
    match setup_now::serve::run_from_env().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "setup-now stopped");
            eprintln!("setup-now: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
