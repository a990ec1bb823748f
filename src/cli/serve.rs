//! `muster serve`: the web server with the background jobs inside it, until SIGTERM or ctrl-c.

use crate::app::jobs;
use crate::config::{Config, LogFormat};
use crate::web::{AppState, app, observe};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (overrides MUSTER_LISTEN; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Start on a fresh demo database (DATA_DIR/demo/muster.db, replaced at each start) holding a
    /// cohort that began ten days ago, and print sign-in links for a participant, a manager and a
    /// change lead.
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(config: &Config, args: ServeArgs) -> anyhow::Result<()> {
    init_tracing(config.log_format.value);
    let mut config = config.clone();
    if args.demo {
        let folder = config.data_dir.value.join("demo");
        if folder.exists() {
            std::fs::remove_dir_all(&folder)
                .with_context(|| format!("cannot clear the demo folder {}", folder.display()))?;
        }
        config.database_url.value = format!("sqlite://{}", folder.join("muster.db").display());
    }
    let config = &config;
    let mut services = super::open_services(config).await?;
    let store = services.store.clone();
    services.demo = args.demo;
    if args.demo {
        let links = crate::app::demo::seed(&services, &config.packs_dir.value)
            .await
            .context("cannot seed the demo")?;
        println!(
            "demo cohort {} is ready; sign in as (links work once, for 24 hours):",
            links.cohort_id
        );
        for (role, (name, url)) in [
            ("participant", &links.participant),
            ("manager", &links.manager),
            ("change lead", &links.change_lead),
        ] {
            println!("  {role:<12} {name:<20} {url}");
        }
    }
    let listener = tokio::net::TcpListener::bind(config.listen.value)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (from {})",
                config.listen.value, config.listen.origin
            )
        })?;
    let address = listener.local_addr()?;
    let metrics_listener = match &config.metrics_listen {
        Some(metrics) => Some(
            tokio::net::TcpListener::bind(metrics.value)
                .await
                .with_context(|| {
                    format!(
                        "cannot listen for metrics on {} (from {})",
                        metrics.value, metrics.origin
                    )
                })?,
        ),
        None => None,
    };

    // Before the first request, the boards are compared with the ledger in full.
    let holder = format!("{}:{}", hostname(), std::process::id());
    let jobs = jobs::start(&services, holder).await;

    tracing::info!(%address, database = %crate::config::mask_url(&config.database_url.value), "muster is serving");
    println!("muster is serving on http://{address}");
    let state = AppState::behind(services.clone(), config.trusted_proxies.value.clone());
    // Prometheus' own address: stopped with the site, so it needs no shutdown of its own.
    let metrics_server = match metrics_listener {
        Some(listener) => {
            let metrics_address = listener.local_addr()?;
            tracing::info!(%metrics_address, "metrics at /metrics");
            println!("metrics on http://{metrics_address}/metrics");
            let router = observe::metrics_router(state.clone());
            Some(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, router).await {
                    tracing::error!(error = %e, "the metrics server stopped");
                }
            }))
        }
        None => None,
    };
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    if let Some(metrics_server) = metrics_server {
        metrics_server.abort();
    }
    jobs.stop().await;
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

/// The log on stderr: `RUST_LOG` filters it (`muster::access=warn` drops the line per request);
/// in JSON, one object per line with the event's fields at the top and the request's id in
/// `span`.
fn init_tracing(format: LogFormat) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("muster=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "muster".into())
}
