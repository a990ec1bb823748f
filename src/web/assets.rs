//! Static assets, embedded in the binary (no CDN, nothing to deploy beside it). Each is served
//! under a name that carries a hash of its content, so it can be cached for a year and a new
//! release is never served a stale copy.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::AppState;

const STYLE: &str = include_str!("assets/style.css");

/// `/assets/style-<hash>.css`, the stylesheet's address for this build.
pub static STYLE_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLE.as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("/assets/style-{short}.css")
});

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    if format!("/assets/{name}") == *STYLE_PATH {
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            STYLE,
        )
            .into_response()
    } else {
        (StatusCode::NOT_FOUND, "no such asset").into_response()
    }
}
