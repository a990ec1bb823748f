//! A day of a cohort: completing it (a submission, or an edit of its reflection), or making
//! it a rest day.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::params::{ApiPath, Checkin, DayPath, Text};
use super::{ApiResult, needs_review};
use crate::app::submission::{self, SubmitOutcome, SubmitRequest, Visibility};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;
use crate::web::error::{ApiError, ErrorJson};
use crate::web::input::ApiJson;

/// A day's completion. `reflection` (if any) is trimmed, and refused (422) when it is over 2,000
/// characters then. `idempotency_key` is chosen by the client for this submission: the same key
/// again is the same submission; blank once trimmed, or over 100 bytes, it answers 422. Fields
/// the document does not name are refused (400), so a misspelt `visibility` cannot pass
/// unnoticed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitJson {
    #[serde(default)]
    #[schema(inline)]
    pub reflection: Text<0, 2000>,
    /// How the shift went, from 1 to 5.
    #[schema(inline)]
    pub checkin: Option<Checkin>,
    /// Who may read the reflection. Left out, an edit keeps the stored one and a new reflection
    /// is `private` (only you): never an audience you did not choose.
    pub visibility: Option<Visibility>,
    #[schema(inline)]
    pub idempotency_key: Text<1, 100>,
    /// Share the reflection with the parts a `needs_review` answer flagged replaced by `[removed]`.
    #[serde(default)]
    pub remove_flagged: bool,
    /// The `version` of the reflection this edit was made from (as `today` gives it): when the
    /// stored reflection has changed since, nothing is saved and 409 `edit_conflict` answers.
    pub version: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SubmittedJson {
    pub submission_id: i64,
    pub day: u32,
    pub late: bool,
    pub first_completion: bool,
}

/// Completes a day (or edits its reflection). Repeating a request with the same `idempotency_key`
/// stores nothing new and answers 200 with what was stored.
#[utoipa::path(post, path = "/api/v1/cohorts/{cohort}/days/{day}/submission", tag = "participant",
    params(DayPath), request_body = SubmitJson,
    responses(
        (status = 201, description = "the day is done", body = SubmittedJson),
        (status = 200, description = "already stored under this key, or the reflection edited", body = SubmittedJson),
        (status = 422, description = "refused, with `error.code`: `day_not_released`, `day_closed`, `reflection_too_long` (over 2,000 characters once trimmed), `checkin_out_of_range` (not 1 to 5), `idempotency_key_invalid` (blank or too long once trimmed), `not_participant` (the caller does not take part); `needs_review` with the `flags` that look identifying; `idempotency_key_reused` when the key was used for a different submission; `would_reveal_anonymous` when the edit would put a name on a reflection that colleagues' published anonymous reflections of the day hide among", body = ErrorJson),
        (status = 409, description = "`edit_conflict`: the stored reflection has changed since the `version` this edit was made from; nothing was saved", body = ErrorJson)))]
pub(super) async fn submit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DayPath>,
    ApiJson(body): ApiJson<SubmitJson>,
) -> ApiResult<Response> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    let request = SubmitRequest {
        day: path.day.0,
        reflection: body.reflection.0,
        checkin: body.checkin.map(|c| c.0),
        visibility: body.visibility,
        idempotency_key: body.idempotency_key.0,
        remove_flagged: body.remove_flagged,
        version: body.version,
    };
    match submission::submit(&state.services, &caller.person, &access, &request).await? {
        SubmitOutcome::Stored(stored) => {
            let status = if stored.first_completion {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((
                status,
                Json(SubmittedJson {
                    submission_id: stored.submission_id,
                    day: stored.day.get(),
                    late: stored.late,
                    first_completion: stored.first_completion,
                }),
            )
                .into_response())
        }
        SubmitOutcome::NeedsReview { flags } => Err(needs_review(flags)),
        SubmitOutcome::KeyReused { .. } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this idempotency_key was already used for a different request; nothing was saved (use a new key for a new request)",
        )),
        SubmitOutcome::WouldReveal { .. } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "would_reveal_anonymous",
            "colleagues' anonymous reflections of this day were published among people who, like you, wrote it without a name; adding your name now would narrow down who wrote them, so it stays as it is",
        )),
        SubmitOutcome::Stale { .. } => Err(ApiError::new(
            StatusCode::CONFLICT,
            "edit_conflict",
            "the reflection has changed since the version this edit was made from; nothing was saved (read it again with today)",
        )),
    }
}

/// Makes a released day the caller has not completed a rest day, which keeps their streak going;
/// the pack sets how many they may take. Marking the same day again changes nothing.
#[utoipa::path(put, path = "/api/v1/cohorts/{cohort}/days/{day}/rest", tag = "participant",
    params(DayPath),
    responses(
        (status = 204, description = "the day is a rest day"),
        (status = 422, description = "refused, with `error.code`: `day_not_released`, `day_closed`, `day_already_done`, `rest_days_used_up` (every rest day is used) or `not_participant` (the caller does not take part)", body = ErrorJson)))]
pub(super) async fn rest_day(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DayPath>,
) -> ApiResult<StatusCode> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    submission::mark_rest_day(&state.services, &caller.person, &access, path.day.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
