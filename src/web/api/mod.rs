//! The JSON API under `/api/v1`: the participant's actions for a mobile app or a Teams bot, with
//! bearer tokens and the same use cases, rules and errors as the pages.
//!
//! - [`params`]: paths, queries and bounded strings, read to the bounds the document declares;
//! - [`doc`]: the OpenAPI document, with the refusals every operation can meet.

mod doc;
mod params;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use doc::ApiDoc;
use params::{
    ApiPath, ApiQuery, Checkin, CohortPath, Cursor, Day, DayPath, ReactionPath, ReflectionPath,
    Text,
};

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
        .route("/cohorts/{cohort}/days/{day}/rest", put(rest_day))
        .route("/cohorts/{cohort}/journey", get(journey))
        .route("/cohorts/{cohort}/feed", get(feed_page))
        .route("/cohorts/{cohort}/reflections/{id}/replies", post(reply))
        .route(
            "/cohorts/{cohort}/reflections/{id}/reactions/{kind}",
            put(react_on).delete(react_off),
        )
        .route("/cohorts/{cohort}/leaderboard", get(leaderboards))
        .route("/cohorts/{cohort}/badges", get(my_badges))
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
async fn today(
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
async fn submit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DayPath>,
    ApiJson(body): ApiJson<SubmitJson>,
) -> ApiResult<Response> {
    let access = caller.access(&state.services, path.cohort).await?;
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

/// Makes a released day the caller has not completed a rest day, which keeps their streak going;
/// the pack sets how many they may take. Marking the same day again changes nothing.
#[utoipa::path(put, path = "/api/v1/cohorts/{cohort}/days/{day}/rest", tag = "participant",
    params(DayPath),
    responses(
        (status = 204, description = "the day is a rest day"),
        (status = 422, description = "refused, with `error.code`: `day_not_released`, `day_closed`, `day_already_done`, `rest_days_used_up` (every rest day is used) or `not_participant` (the caller does not take part)", body = ErrorJson)))]
async fn rest_day(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DayPath>,
) -> ApiResult<StatusCode> {
    let access = caller.access(&state.services, path.cohort).await?;
    submission::mark_rest_day(&state.services, &caller.person, &access, path.day.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct JourneyJson {
    pub days: Vec<JourneyDayJson>,
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
async fn journey(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<JourneyJson>> {
    let access = caller.access(&state.services, path.cohort).await?;
    let view = journey::journey(&state.services, &access).await?;
    Ok(Json(JourneyJson {
        days: view
            .cells
            .into_iter()
            .map(|(day, state)| JourneyDayJson { day, state })
            .collect(),
        current_streak: view.streaks.current,
        best_streak: view.streaks.best,
        rest_days_left: view.rest_days_left,
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
    /// Only reflections on this day.
    #[param(inline)]
    pub day: Option<Day>,
    /// Only reflections by this team's members (a team with no such reflections, or none at
    /// all, gives an empty page).
    pub team: Option<i64>,
    /// Where to go on from: the `next` of the previous page. A cursor of the right form that no
    /// page gave (numbers past 64 bits) answers 422.
    #[param(inline)]
    pub after: Option<Cursor>,
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
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/feed", tag = "participant",
    params(CohortPath, FeedParams),
    responses(
        (status = 200, description = "a page of the feed", body = FeedJson),
        (status = 422, description = "`invalid_cursor`: the `after` cursor is not one a page gave", body = ErrorJson)))]
async fn feed_page(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
    ApiQuery(params): ApiQuery<FeedParams>,
) -> ApiResult<Json<FeedJson>> {
    let access = caller.access(&state.services, path.cohort).await?;
    let filter = FeedFilter {
        day: params.day.map(|d| d.0),
        team_id: params.team,
        after: params.after.map(|c| c.0),
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
async fn reply(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReflectionPath>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<StatusCode> {
    let access = caller.access(&state.services, path.cohort).await?;
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

/// Sets one of the caller's reactions (idempotent).
#[utoipa::path(put, path = "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}", tag = "participant",
    params(ReactionPath),
    responses(
        (status = 204, description = "set"),
        (status = 422, description = "refused, with `error.code`: `own_reflection` (the reflection is the caller's own) or `unknown_reaction` (`kind` is not a reaction)", body = ErrorJson)))]
async fn react_on(
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
async fn react_off(
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
    let access = caller.access(&state.services, path.cohort).await?;
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

/// The cohort's boards from the caller's point of view: top ten, their place with neighbours,
/// teams, this week, and who was first today.
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/leaderboard", tag = "participant",
    params(CohortPath),
    responses((status = 200, description = "the boards", body = Leaderboards)))]
async fn leaderboards(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<Leaderboards>> {
    let access = caller.access(&state.services, path.cohort).await?;
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
#[utoipa::path(get, path = "/api/v1/cohorts/{cohort}/badges", tag = "participant",
    params(CohortPath),
    responses((status = 200, description = "every badge of the pack, earned or not", body = Vec<BadgeJson>)))]
async fn my_badges(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
) -> ApiResult<Json<Vec<BadgeJson>>> {
    let access = caller.access(&state.services, path.cohort).await?;
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
