//! Replies to a reflection.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::params::{ApiPath, ReflectionPath, Text};
use super::{ApiResult, needs_review};
use crate::app::feed::{self, ReplyOutcome};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;
use crate::web::error::ErrorJson;
use crate::web::input::ApiJson;

/// A reply. `body` is trimmed, and refused (422) when blank then; `idempotency_key` is as for a
/// submission. Fields the document does not name are refused (400).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    #[schema(inline)]
    pub body: Text<1, 1000>,
    #[schema(inline)]
    pub idempotency_key: Text<1, 100>,
    /// As for a submission.
    #[serde(default)]
    pub remove_flagged: bool,
    /// Only for the author of an anonymous reflection replying to it: `true` shows their name
    /// on the reply, which tells everyone they wrote the reflection. Without it the reply shows
    /// as the author's, unnamed.
    #[serde(default)]
    pub with_my_name: bool,
}

/// Replies to a reflection; checked for identifying details like a reflection.
#[utoipa::path(post, path = "/api/v1/cohorts/{cohort}/reflections/{id}/replies", tag = "participant",
    params(ReflectionPath), request_body = ReplyBody,
    responses(
        (status = 204, description = "stored"),
        (status = 422, description = "refused, with `error.code`: `reply_empty` (blank once trimmed), `reply_too_long`, `idempotency_key_invalid` (blank or too long once trimmed), or `needs_review` with the `flags` that look identifying", body = ErrorJson)))]
pub(super) async fn reply(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReflectionPath>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<StatusCode> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    let request = feed::ReplyRequest {
        text: &body.body.0,
        idempotency_key: &body.idempotency_key.0,
        remove_flagged: body.remove_flagged,
        with_my_name: body.with_my_name,
    };
    match feed::reply(&state.services, &caller.person, &access, path.id, &request).await? {
        ReplyOutcome::Stored => Ok(StatusCode::NO_CONTENT),
        ReplyOutcome::NeedsReview { flags } => Err(needs_review(flags)),
    }
}
