//! The HTTP server: the router, shared state, and how errors become responses.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::trace::TraceLayer;

use crate::app::AppError;
use crate::clock::Clock;
use crate::store::Store;

/// What every handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The process is alive and serving.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The process can do its work: the database answers (within a second, so a load balancer's
/// probe does not hang on a dead connection).
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(1), state.store.ping()).await {
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Invalid(message) => (StatusCode::UNPROCESSABLE_ENTITY, message.clone()).into_response(),
            AppError::NotFound(message) => (StatusCode::NOT_FOUND, message.clone()).into_response(),
            e if e.is_unavailable() => (
                StatusCode::SERVICE_UNAVAILABLE,
                "muster cannot reach its database just now. Nothing you sent was lost; please try again in a minute.",
            )
                .into_response(),
            e => {
                tracing::error!(error = %e, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "something went wrong on our side; it has been logged").into_response()
            }
        }
    }
}
