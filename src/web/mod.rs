//! The HTTP server: the router, shared state, and the layers every request passes through.
//!
//! - [`auth`]: who is asking (session cookie or API token) and the form (CSRF) check;
//! - [`client`]: which network address a request came from, for the limits kept per client;
//! - [`pages`]: server-rendered HTML for phones and the briefing room, working without JavaScript;
//! - [`api`]: the same use cases as JSON under `/api/v1`, with its OpenAPI document;
//! - [`assets`]: the stylesheet, embedded in the binary;
//! - [`error`]: how a use case's error becomes a page or a JSON answer.
//! - [`input`]: forms and JSON bodies, refused with a 400 that says why (and any NUL character);
//! - [`observe`]: each request's id, log line and metrics; `/metrics` on its own address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::app::Services;

pub mod api;
pub mod assets;
pub mod auth;
pub mod client;
pub mod error;
pub mod input;
pub mod observe;
pub mod pages;

/// What every handler can reach: one reference count to clone per request (axum clones the
/// state for each handler), where cloning the services took one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub services: Services,
    /// Mark cookies `Secure`: true when people reach muster over https.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client ([`client`]).
    pub trusted_proxies: Vec<IpAddr>,
}

impl AppState {
    /// The state of a server that people reach directly.
    pub fn new(services: Services) -> Self {
        Self::behind(services, Vec::new())
    }

    /// The state of a server reached through these proxies.
    pub fn behind(services: Services, trusted_proxies: Vec<IpAddr>) -> Self {
        let secure_cookies = services.base_url.starts_with("https://");
        AppState(Arc::new(Shared {
            services,
            secure_cookies,
            trusted_proxies,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The router as a service that knows each connection's peer address, as
/// [`client::ClientAddress`] needs: what `axum::serve` is given.
pub fn app(state: AppState) -> IntoMakeServiceWithConnectInfo<Router, SocketAddr> {
    router(state).into_make_service_with_connect_info::<SocketAddr>()
}

/// The largest request body accepted: a reflection is 2,000 characters, so 64 KiB is generous.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let default_headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Sign-in links carry their secret in the path: never send it on to another site.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Pages and API answers hold reflections, names and tokens: a shared station PC, or a
        // proxy, must not keep them. Assets set their own (long) caching.
        (header::CACHE_CONTROL, "no-store"),
    ];
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes());
    for (name, value) in default_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
        .layer(axum::middleware::from_fn(input::refuse_nul_in_address))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::observe,
        ))
        .with_state(state)
}

/// The process is alive and serving.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The process can do its work: the database (and Redis, when configured) answers (within a second, so a load balancer's
/// probe does not hang on a dead connection).
async fn readyz(State(state): State<AppState>) -> Response {
    let redis =
        match tokio::time::timeout(Duration::from_secs(1), state.services.board.ping()).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("no answer within a second".to_string()),
        };
    if let Some(e) = redis {
        tracing::warn!(error = %e, "not ready");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: Redis is unavailable (submissions are still stored; boards will be repaired)\n",
        )
            .into_response();
    }
    match tokio::time::timeout(Duration::from_secs(1), state.services.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database is unavailable\n",
            )
                .into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database did not answer in time\n",
        )
            .into_response(),
    }
}
