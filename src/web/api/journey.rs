//! The caller's journey: their days, streaks, rest days left and own reflections.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiResult;
use super::params::{ApiPath, CohortPath};
use crate::app::journey::{self, CellState};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::ApiCaller;

#[derive(Serialize, ToSchema)]
pub struct JourneyJson {
    pub days: Vec<JourneyDayJson>,
    /// Days completed, on time or late: a break never lowers it.
    pub days_done: u32,
    pub current_streak: u32,
    pub best_streak: u32,
    /// Rest days the caller may still take (`PUT .../days/{day}/rest`).
    pub rest_days_left: u32,
    pub reflections: Vec<OwnReflectionJson>,
}

#[derive(Serialize, ToSchema)]
pub struct JourneyDayJson {
    pub day: u32,
    pub state: CellState,
}

#[derive(Serialize, ToSchema)]
pub struct OwnReflectionJson {
    pub id: i64,
    pub day: i64,
    pub body: String,
    pub visibility: String,
    pub editable: bool,
    pub hidden_reason: Option<String>,
    /// An anonymous reflection still waiting for enough colleagues' reflections to be published
    /// with them; nobody else can read it yet.
    pub waiting: bool,
}

/// The caller's days, streaks and own reflections (private ones included).
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/journey", tag = "participant",
    params(CohortPath),
    responses((status = 200, description = "the caller's journey", body = JourneyJson)))]
pub(super) async fn journey(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<JourneyJson>> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    let view = journey::journey(&state.services, &access).await?;
    Ok(Json(JourneyJson {
        days: view
            .cells
            .into_iter()
            .map(|(day, state)| JourneyDayJson {
                day: day.get(),
                state,
            })
            .collect(),
        days_done: view.progress.days_done,
        current_streak: view.progress.streaks.current,
        best_streak: view.progress.streaks.best,
        rest_days_left: view.rest_days_left,
        reflections: view
            .reflections
            .into_iter()
            .map(|(r, editable)| OwnReflectionJson {
                id: r.id,
                day: i64::from(r.day),
                waiting: r.waiting,
                body: r.body,
                visibility: r.visibility.as_str().to_owned(),
                editable,
                hidden_reason: r.hidden_reason,
            })
            .collect(),
    }))
}
