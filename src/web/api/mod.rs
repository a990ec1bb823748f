//! The JSON API under `/api/v1`: the participant's actions for a mobile app or a Teams bot, with
//! bearer tokens and the same use cases, rules and errors as the pages. This file routes; each
//! resource's endpoints and JSON are a file of their own (`today`, `days`, `journey`, `feed`,
//! `replies`, `reactions`, `leaderboard`, `badges`), and besides them:
//!
//! - [`params`]: paths, queries and bounded strings, read to the bounds the document declares;
//! - [`doc`]: the OpenAPI document, with the refusals every operation can meet.

mod badges;
mod days;
mod doc;
mod feed;
mod journey;
mod leaderboard;
mod params;
mod reactions;
mod replies;
mod today;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post, put};

pub use doc::ApiDoc;

use crate::web::AppState;
use crate::web::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/today", get(today::today))
        .route(
            "/cohorts/{cohort}/days/{day}/submission",
            post(days::submit),
        )
        .route("/cohorts/{cohort}/days/{day}/rest", put(days::rest_day))
        .route("/cohorts/{cohort}/journey", get(journey::journey))
        .route("/cohorts/{cohort}/feed", get(feed::feed_page))
        .route(
            "/cohorts/{cohort}/reflections/{id}/replies",
            post(replies::reply),
        )
        .route(
            "/cohorts/{cohort}/reflections/{id}/reactions/{kind}",
            put(reactions::react_on).delete(reactions::react_off),
        )
        .route(
            "/cohorts/{cohort}/leaderboard",
            get(leaderboard::leaderboards),
        )
        .route("/cohorts/{cohort}/badges", get(badges::my_badges))
        .route("/openapi.json", get(doc::openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}

/// A known path with a method it does not take (axum adds the `Allow` header).
async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this API endpoint does not take that method; the Allow header says which it takes",
    )
}

type ApiResult<T> = Result<T, ApiError>;

/// Nothing stored: the text looks identifying. The flags say where; send again with
/// `remove_flagged: true` to share it with those parts replaced by `[removed]`.
fn needs_review(flags: Vec<crate::rules::safeguarding::Flag>) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "needs_review",
        "parts of the text look like they could identify someone or a case; edit them, or send again with remove_flagged: true",
    );
    e.flags = flags;
    e
}
