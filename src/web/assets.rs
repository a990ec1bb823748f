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
const LIVE: &str = include_str!("assets/live.js");
const FAVICON: &str = include_str!("assets/favicon.svg");
const FRESH: &str = include_str!("assets/fresh.js");
const COPY: &str = include_str!("assets/copy.js");

/// `/assets/NAME-<hash>.EXT`: an asset's address for this build.
fn hashed(name: &str, ext: &str, content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("/assets/{name}-{short}.{ext}")
}

/// The stylesheet's address for this build.
pub static STYLE_PATH: LazyLock<String> = LazyLock::new(|| hashed("style", "css", STYLE));
/// The site's icon: a tick on muster's blue.
pub static FAVICON_PATH: LazyLock<String> = LazyLock::new(|| hashed("favicon", "svg", FAVICON));
/// Signed-in pages' one script: a page restored by Back is fetched again, so it never shows a
/// day as still to do after it was saved.
pub static FRESH_PATH: LazyLock<String> = LazyLock::new(|| hashed("fresh", "js", FRESH));
/// The briefing screen's live-update script.
pub static LIVE_PATH: LazyLock<String> = LazyLock::new(|| hashed("live", "js", LIVE));
/// The copy buttons' script (a page works without it: the text can be selected by hand).
pub static COPY_PATH: LazyLock<String> = LazyLock::new(|| hashed("copy", "js", COPY));

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/favicon.ico", get(favicon))
}

/// Browsers that ask for `/favicon.ico` without reading the page are sent to the icon.
async fn favicon() -> Response {
    axum::response::Redirect::permanent(FAVICON_PATH.as_str()).into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    let path = format!("/assets/{name}");
    let (content_type, body) = if path == *STYLE_PATH {
        ("text/css; charset=utf-8", STYLE)
    } else if path == *LIVE_PATH {
        ("text/javascript; charset=utf-8", LIVE)
    } else if path == *FRESH_PATH {
        ("text/javascript; charset=utf-8", FRESH)
    } else if path == *FAVICON_PATH {
        ("image/svg+xml", FAVICON)
    } else if path == *COPY_PATH {
        ("text/javascript; charset=utf-8", COPY)
    } else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
