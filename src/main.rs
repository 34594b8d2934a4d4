//! The setup-now server: configuration from the environment, then serve.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    setup_now::server::init_tracing();
    match setup_now::server::run_from_env().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "setup-now stopped");
            eprintln!("setup-now: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
