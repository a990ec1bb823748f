//! The OpenAPI document of `/api/v1`, generated from the handlers and types, and exact: besides
//! what each operation documents itself, every operation is given the refusals its request can
//! meet on the way in (the token, the path, the query, the body) and the server's own trouble,
//! each answered as an `ErrorJson`. `tests/it/api.rs` holds the server to it with schemathesis.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

use super::*;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "muster API", description = "Today's challenge, submissions, rest days, journey and the reflection feed, for apps and bots acting for a person. Create a token on your account page and send it as `Authorization: Bearer mst_...`. Every error is an `ErrorJson`."),
    paths(
        today::today,
        days::submit,
        days::rest_day,
        journey::journey,
        feed::feed_page,
        replies::reply,
        reactions::react_on,
        reactions::react_off,
        leaderboard::leaderboards,
        badges::my_badges,
    ),
    security(("token" = [])),
    tags((name = "participant", description = "What a participant does")),
    modifiers(&BearerToken, &Refusals)
)]
pub struct ApiDoc;

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Adds to every operation the answers of the layers every request passes: the token (401), the
/// path and query parameters and the body (400, 413), the cohort in the path (404), and the
/// server's own trouble (500, 503). An operation's own description of a status is kept.
struct Refusals;

impl utoipa::Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let has_body = operation.request_body.is_some();
                let mut refusals = vec![
                    (
                        "401",
                        "`unauthorized`: no valid API token (`Authorization: Bearer mst_...`)",
                    ),
                    ("500", "`internal`: muster's own fault; it is logged"),
                    (
                        "503",
                        "`unavailable`: the database is away for a moment; try again",
                    ),
                ];
                if has_params || has_body {
                    refusals.push(("400", "`bad_request`: a path or query parameter, or the body, does not fit this document (unknown fields included); the message says which part and why, naming the allowed values of an enum"));
                }
                if has_body {
                    refusals.push(("413", "`too_large`: the body is over 64 KiB"));
                }
                if path.contains("{cohort}") {
                    refusals.push(("404", "`not_found`: no such cohort, or not one of the caller's; or no such reflection, or not one the caller may read"));
                }
                for (status, description) in refusals {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| error(description));
                }
            }
        }
    }
}

/// A response whose body is an `ErrorJson`.
fn error(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorJson")))
                .build(),
        )
        .build()
        .into()
}
