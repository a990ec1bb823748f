//! The JSON API under `/api/v1`: the participant's actions for a mobile app or a Teams bot, with
//! bearer tokens and the same use cases, rules and errors as the pages.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::app::feed::{self, FeedFilter, ReplyOutcome};
use crate::app::journey::{self, CellState};
use crate::app::leaderboard::{self, Leaderboards};
use crate::app::submission::{self, SubmitOutcome, SubmitRequest, Visibility};
use crate::rules::window::Window;
use crate::store::instant;
use crate::web::AppState;
use crate::web::auth::ApiCaller;
use crate::web::error::{ApiError, ErrorJson};
use crate::web::input::ApiJson;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/today", get(today))
        .route("/cohorts/{cohort}/days/{day}/submission", post(submit))
        .route("/cohorts/{cohort}/journey", get(journey))
        .route("/cohorts/{cohort}/feed", get(feed_page))
        .route("/cohorts/{cohort}/reflections/{id}/replies", post(reply))
        .route(
            "/cohorts/{cohort}/reflections/{id}/reactions/{kind}",
            put(react_on).delete(react_off),
        )
        .route("/cohorts/{cohort}/leaderboard", get(leaderboards))
        .route("/cohorts/{cohort}/badges", get(my_badges))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
}

/// The API's description, generated from the handlers and types below.
#[derive(OpenApi)]
#[openapi(
    info(title = "muster API", description = "Today's challenge, submissions, journey and the reflection feed, for apps and bots acting for a person. Create a token on your account page and send it as `Authorization: Bearer mst_...`."),
    paths(today, submit, journey, feed_page, reply, react_on, react_off, leaderboards, my_badges),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}

type ApiResult<T> = Result<T, ApiError>;

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
#[utoipa::path(get, path = "/api/v1/today", tag = "participant", security(("token" = [])),
    responses((status = 200, body = Vec<DayJson>), (status = 401, body = ErrorJson)))]
async fn today(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<DayJson>>> {
    let services = &state.services;
    let mut days = Vec::new();
    for membership in &caller.memberships {
        let access = caller.access(&services.store, membership.cohort.id).await?;
        let view = journey::today(services, &access).await?;
        if let Some(day) = view.latest {
            days.push(DayJson {
                cohort_id: membership.cohort.id,
                cohort_name: membership.cohort.name.clone(),
                day: day.day,
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
                version: day
                    .reflection
                    .as_ref()
                    .map(|r| submission::reflection_version(&r.body, &r.visibility)),
                visibility: day.reflection.map(|r| r.visibility),
            });
        }
    }
    Ok(Json(days))
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitJson {
    #[serde(default)]
    pub reflection: String,
    pub checkin: Option<u8>,
    /// Who may read the reflection. Left out, an edit keeps the stored one and a new reflection
    /// is `private` (only you): never an audience you did not choose.
    pub visibility: Option<Visibility>,
    pub idempotency_key: String,
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
#[utoipa::path(post, path = "/api/v1/cohorts/{cohort}/days/{day}/submission", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path), ("day" = u32, Path)), request_body = SubmitJson,
    responses((status = 201, description = "the day is done", body = SubmittedJson), (status = 200, description = "already stored, or edited", body = SubmittedJson),
        (status = 422, description = "a rule refused it (not released, closed, too long), or `needs_review` with the flagged parts", body = ErrorJson), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn submit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((cohort_id, day)): Path<(i64, u32)>,
    ApiJson(body): ApiJson<SubmitJson>,
) -> ApiResult<Response> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    let request = SubmitRequest {
        day,
        reflection: body.reflection,
        checkin: body.checkin,
        visibility: body.visibility,
        idempotency_key: body.idempotency_key,
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
                    day: stored.day,
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

#[derive(Serialize, ToSchema)]
pub struct JourneyJson {
    pub days: Vec<JourneyDayJson>,
    pub current_streak: u32,
    pub best_streak: u32,
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
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/journey", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path)), responses((status = 200, body = JourneyJson), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn journey(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(cohort_id): Path<i64>,
) -> ApiResult<Json<JourneyJson>> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    let view = journey::journey(&state.services, &access).await?;
    Ok(Json(JourneyJson {
        days: view
            .cells
            .into_iter()
            .map(|(day, state)| JourneyDayJson { day, state })
            .collect(),
        current_streak: view.streaks.current,
        best_streak: view.streaks.best,
        reflections: view
            .reflections
            .into_iter()
            .map(|(r, editable)| OwnReflectionJson {
                id: r.id,
                day: r.day,
                waiting: r.visibility == "anonymous" && r.shown_at.is_none(),
                body: r.body,
                visibility: r.visibility,
                editable,
                hidden_reason: r.hidden_reason,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    pub day: Option<u32>,
    pub team: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedJson {
    pub items: Vec<FeedItemJson>,
    /// Pass as `after` for the next, older page.
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedItemJson {
    pub id: i64,
    pub day: i64,
    pub body: String,
    /// Absent for an anonymous reflection.
    pub author: Option<String>,
    pub team: Option<String>,
    pub anonymous: bool,
    pub mine: bool,
    /// RFC 3339; absent for an anonymous reflection, which shows its day only (the moment it
    /// was written, set beside the boards, would point at its author).
    pub created_at: Option<String>,
    pub reactions: Vec<ReactionJson>,
    pub replies: Vec<ReplyJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ReactionJson {
    pub kind: String,
    pub count: i64,
    pub mine: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReplyJson {
    pub id: i64,
    /// Absent for the anonymous author's own reply to their reflection.
    pub author: Option<String>,
    /// Written by the reflection's anonymous author, without their name.
    pub by_author: bool,
    pub body: String,
    /// RFC 3339; absent for the anonymous author's reply.
    pub created_at: Option<String>,
}

/// Reflections the caller may read, newest first, 20 at a time.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/feed", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path), FeedParams), responses((status = 200, body = FeedJson), (status = 422, body = ErrorJson), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn feed_page(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(cohort_id): Path<i64>,
    Query(params): Query<FeedParams>,
) -> ApiResult<Json<FeedJson>> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    let filter = FeedFilter {
        day: params.day,
        team_id: params.team,
        after: params.after,
    };
    let page = feed::page(&state.services, &access, &filter).await?;
    Ok(Json(FeedJson {
        next: page.next,
        items: page
            .items
            .into_iter()
            .map(|item| FeedItemJson {
                id: item.reflection.id,
                day: item.reflection.day,
                anonymous: item.reflection.visibility == "anonymous",
                mine: item.reflection.mine != 0,
                body: item.reflection.body,
                author: item.reflection.author_name,
                team: item.reflection.team_name,
                created_at: (item.reflection.visibility != "anonymous")
                    .then(|| instant(item.reflection.shown_at).to_rfc3339()),
                reactions: item
                    .reactions
                    .into_iter()
                    .map(|r| ReactionJson {
                        kind: r.kind,
                        count: r.count,
                        mine: r.mine != 0,
                    })
                    .collect(),
                replies: item
                    .replies
                    .into_iter()
                    .map(|r| ReplyJson {
                        id: r.id,
                        by_author: r.as_author != 0,
                        created_at: (r.as_author == 0).then(|| instant(r.created_at).to_rfc3339()),
                        author: r.author_name,
                        body: r.body,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyBody {
    pub body: String,
    pub idempotency_key: String,
    #[serde(default)]
    pub remove_flagged: bool,
    /// Only for the author of an anonymous reflection replying to it: `true` shows their name
    /// on the reply, which tells everyone they wrote the reflection. Without it the reply shows
    /// as the author's, unnamed.
    #[serde(default)]
    pub with_my_name: bool,
}

/// Replies to a reflection; checked for identifying details like a reflection.
#[utoipa::path(post, path = "/api/v1/cohorts/{cohort}/reflections/{id}/replies", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path), ("id" = i64, Path)), request_body = ReplyBody,
    responses((status = 204, description = "stored"), (status = 422, body = ErrorJson), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn reply(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((cohort_id, id)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<StatusCode> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    let request = feed::ReplyRequest {
        text: &body.body,
        idempotency_key: &body.idempotency_key,
        remove_flagged: body.remove_flagged,
        with_my_name: body.with_my_name,
    };
    match feed::reply(&state.services, &caller.person, &access, id, &request).await? {
        ReplyOutcome::Stored => Ok(StatusCode::NO_CONTENT),
        ReplyOutcome::NeedsReview { flags } => Err(needs_review(flags)),
    }
}

/// Sets one of the caller's reactions (idempotent).
#[utoipa::path(put, path = "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path), ("id" = i64, Path), ("kind" = String, Path, description = "helpful, made_me_think or thank_you")),
    responses((status = 204, description = "set"), (status = 422, body = ErrorJson), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn react_on(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((cohort_id, id, kind)): Path<(i64, i64, String)>,
) -> ApiResult<StatusCode> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    feed::react(&state.services, &caller.person, &access, id, &kind, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Clears one of the caller's reactions (idempotent).
#[utoipa::path(delete, path = "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path), ("id" = i64, Path), ("kind" = String, Path)),
    responses((status = 204, description = "cleared"), (status = 401, description = "no valid API token", body = ErrorJson), (status = 404, description = "no such cohort, day or reflection (or not yours to see)", body = ErrorJson)))]
async fn react_off(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((cohort_id, id, kind)): Path<(i64, i64, String)>,
) -> ApiResult<StatusCode> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    feed::react(&state.services, &caller.person, &access, id, &kind, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The cohort's boards from the caller's point of view: top ten, their place with neighbours,
/// teams, this week, and who was first today.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/leaderboard", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path)), responses((status = 200, body = Leaderboards), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn leaderboards(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(cohort_id): Path<i64>,
) -> ApiResult<Json<Leaderboards>> {
    let access = caller.access(&state.services.store, cohort_id).await?;
    Ok(Json(
        leaderboard::leaderboards(&state.services, &access).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct BadgeJson {
    pub id: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub earned: bool,
}

/// The pack's badges, and which the caller has earned.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/badges", tag = "participant", security(("token" = [])),
    params(("cohort" = i64, Path)), responses((status = 200, body = Vec<BadgeJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn my_badges(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(cohort_id): Path<i64>,
) -> ApiResult<Json<Vec<BadgeJson>>> {
    let access = caller.access(&state.services.store, cohort_id).await?;
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
