//! The pack's badges, and which the caller has earned.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiResult;
use super::params::{ApiPath, CohortPath};
use crate::app::journey;
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;

#[derive(Serialize, ToSchema)]
pub struct BadgeJson {
    pub id: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub earned: bool,
}

/// The pack's badges, and which the caller has earned.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/badges", tag = "participant",
    params(CohortPath),
    responses((status = 200, description = "every badge of the pack, earned or not", body = Vec<BadgeJson>)))]
pub(super) async fn my_badges(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<Vec<BadgeJson>>> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    let shelf = journey::shelf(&state.services, &access).await?;
    Ok(Json(
        shelf
            .into_iter()
            .map(|(badge, earned)| BadgeJson {
                id: badge.id,
                name: badge.name,
                description: badge.description,
                icon: badge.icon,
                earned,
            })
            .collect(),
    ))
}
