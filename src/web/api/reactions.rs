//! The caller's reactions to a reflection, set and cleared.

use axum::extract::State;
use axum::http::StatusCode;

use super::ApiResult;
use super::params::{ApiPath, ReactionPath};
use crate::app::feed;
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;
use crate::web::error::ErrorJson;

/// Sets one of the caller's reactions (idempotent).
#[utoipa::path(put, path = "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}", tag = "participant",
    params(ReactionPath),
    responses(
        (status = 204, description = "set"),
        (status = 422, description = "refused, with `error.code`: `own_reflection` (the reflection is the caller's own) or `unknown_reaction` (`kind` is not a reaction)", body = ErrorJson)))]
pub(super) async fn react_on(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReactionPath>,
) -> ApiResult<StatusCode> {
    react(state, caller, path, true).await
}

/// Clears one of the caller's reactions (idempotent).
#[utoipa::path(delete, path = "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}", tag = "participant",
    params(ReactionPath),
    responses(
        (status = 204, description = "cleared"),
        (status = 422, description = "refused, with `error.code`: `own_reflection` (the reflection is the caller's own) or `unknown_reaction` (`kind` is not a reaction)", body = ErrorJson)))]
pub(super) async fn react_off(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReactionPath>,
) -> ApiResult<StatusCode> {
    react(state, caller, path, false).await
}

async fn react(
    state: AppState,
    caller: crate::app::people::Caller,
    path: ReactionPath,
    on: bool,
) -> ApiResult<StatusCode> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    feed::react(
        &state.services,
        &caller.person,
        &access,
        path.id,
        &path.kind.0,
        on,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
