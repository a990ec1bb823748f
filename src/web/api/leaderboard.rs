//! The cohort's boards from the caller's point of view.

use axum::Json;
use axum::extract::State;

use super::ApiResult;
use super::params::{ApiPath, CohortPath};
use crate::app::leaderboard::{self, Leaderboards};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;

/// The cohort's boards from the caller's point of view: top ten, their place with neighbours,
/// teams, this week, and who was first today.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/leaderboard", tag = "participant",
    params(CohortPath),
    responses((status = 200, description = "the boards", body = Leaderboards)))]
pub(super) async fn leaderboards(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<Leaderboards>> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    Ok(Json(
        leaderboard::leaderboards(&state.services, &access).await?,
    ))
}
