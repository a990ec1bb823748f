//! Today's day in each of the caller's cohorts.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiResult;
use crate::app::journey;
use crate::rules::window::Window;
use crate::web::AppState;
use crate::web::auth::ApiCaller;

#[derive(Serialize, ToSchema)]
pub struct DayJson {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub day: u32,
    pub length: u32,
    pub title: String,
    pub why: String,
    pub action: String,
    pub prompts: Vec<String>,
    pub open: bool,
    pub late: bool,
    /// RFC 3339; when the day closes, or its catch-up ends when late.
    pub deadline: Option<String>,
    pub done: bool,
    pub reflection: Option<String>,
    pub visibility: Option<String>,
    /// The reflection's version: send it back with an edit to have a stale edit refused.
    pub version: Option<String>,
}

/// Today's day in each of the caller's cohorts.
#[utoipa::path(get, path = "/api/v1/today", tag = "participant",
    responses((status = 200, description = "the latest released day of each cohort the caller is in", body = Vec<DayJson>)))]
pub(super) async fn today(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<DayJson>>> {
    let services = &state.services;
    let mut days = Vec::new();
    for membership in &caller.memberships {
        let access = caller.access(services, membership.cohort.id).await?;
        let view = journey::today(services, &access).await?;
        if let Some(day) = view.latest {
            days.push(DayJson {
                cohort_id: membership.cohort.id.get(),
                cohort_name: membership.cohort.name.clone(),
                day: day.day.get(),
                length: view.length,
                title: day.content.title,
                why: day.content.why,
                action: day.content.action,
                prompts: day.content.prompts,
                open: day.window.accepts(),
                late: matches!(day.window, Window::Late { .. }),
                deadline: journey::deadline(&day.window).map(|t| t.to_rfc3339()),
                done: day.submission.is_some(),
                reflection: day.reflection.as_ref().map(|r| r.body.clone()),
                version: day.reflection.as_ref().map(|r| r.version.clone()),
                visibility: day.reflection.map(|r| r.visibility.as_str().to_owned()),
            });
        }
    }
    Ok(Json(days))
}
