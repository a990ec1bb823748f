//! What every request leaves behind for the operator: a request id (the caller's `X-Request-Id`
//! when it is a sensible one, else made here), returned in the answer and carried by every log
//! line written while the request is served; one log line when it is answered (method, route
//! template, status, latency, cohort; never the path itself, which may hold a sign-in or briefing
//! token); and its count and latency in the metrics. `/metrics` itself is served apart, on
//! `metrics_listen` ([`metrics_router`]).

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument;

use super::AppState;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id accepted from a caller.
const LONGEST_ID: usize = 64;

/// Times, logs and counts one request, under its request id.
pub async fn observe(
    State(state): State<AppState>,
    route: Option<MatchedPath>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map_or_else(made, str::to_owned);
    let cohort = params.ok().and_then(|params| {
        params
            .iter()
            .find(|(name, _)| *name == "cohort")
            .map(|(_, value)| value.to_owned())
            .filter(|c| c.len() <= 20 && c.bytes().all(|b| b.is_ascii_digit()))
    });
    let method = request.method().clone();
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = response.status();
    let route = route.as_ref().map(MatchedPath::as_str);
    state
        .services
        .metrics
        .request(&method, route, status.as_u16(), took);
    span.in_scope(|| {
        tracing::info!(
            target: "muster::access",
            request_id = %id,
            method = %method,
            route = route.unwrap_or("unmatched"),
            status = status.as_u16(),
            latency_ms = took.as_secs_f64() * 1000.0,
            cohort,
            "request"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// Whether a caller's request id may be used as it is: 1 to 64 letters, digits and `-_.:`
/// (a UUID, or nginx's `$request_id`); anything else is replaced, so a log line cannot be
/// forged or flooded through it.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= LONGEST_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// A new request id: this process's random tag and a count, 16 hex digits, unique without a
/// system call per request.
fn made() -> String {
    static TAG: LazyLock<u32> = LazyLock::new(|| {
        let mut bytes = [0u8; 4];
        // Without randomness the ids stay unique within the process, which is what matters most.
        let _ = getrandom::fill(&mut bytes);
        u32::from_le_bytes(bytes)
    });
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}{:08x}", *TAG, n as u32)
}

/// The router served on `metrics_listen`: `/metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Prometheus' text format, read now.
async fn metrics(State(state): State<AppState>) -> Response {
    match crate::app::metrics::render(&state.services).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the metrics");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "metrics unavailable: the database did not answer\n",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callers_request_id_is_kept_only_when_sensible() {
        assert!(acceptable("3f1c2a9e-7d4b-4c1e-9a7f-0b2d6e8c1a55"));
        assert!(acceptable("abc.DEF_1:2"));
        assert!(!acceptable(""));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("a b"));
        assert!(!acceptable("id\",\"status\":200"));
    }

    #[test]
    fn made_ids_differ_and_are_acceptable() {
        let (a, b) = (made(), made());
        assert_ne!(a, b);
        assert!(acceptable(&a) && a.len() == 16, "{a}");
    }
}
