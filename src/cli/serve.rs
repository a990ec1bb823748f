//! `muster serve`: the web server with the scheduler inside it, until SIGTERM or ctrl-c.

use anyhow::Context;
use clap::Args;
use tokio::sync::watch;

use crate::app::scheduler::Scheduler;
use crate::clock::Clock;
use crate::config::Config;
use crate::web::{AppState, router};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (overrides MUSTER_LISTEN; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

pub async fn run(config: &Config, _args: ServeArgs) -> anyhow::Result<()> {
    init_tracing();
    let store = super::open_store(config).await?;
    let clock = Clock::System;
    let listener = tokio::net::TcpListener::bind(config.listen.value)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (from {})",
                config.listen.value, config.listen.origin
            )
        })?;
    let address = listener.local_addr()?;

    let (stop, stopped) = watch::channel(false);
    let holder = format!("{}:{}", hostname(), std::process::id());
    let scheduler = tokio::spawn(Scheduler::new(store.clone(), clock.clone(), holder).run(stopped));

    tracing::info!(%address, database = %crate::config::mask_url(&config.database_url.value), "muster is serving");
    println!("muster is serving on http://{address}");
    axum::serve(
        listener,
        router(AppState {
            store: store.clone(),
            clock,
        }),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")?;
    let _ = stop.send(true);
    let _ = scheduler.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on ctrl-c or SIGTERM (what `systemctl stop` and container runtimes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("muster=info,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "muster".into())
}
