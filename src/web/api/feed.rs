//! The reflection feed, a page at a time, as the caller may read it.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use super::params::{ApiPath, ApiQuery, CohortPath, Cursor, Day};
use crate::app::feed::{self, FeedFilter};
use crate::domain::{CohortId, TeamId};
use crate::web::AppState;
use crate::web::auth::ApiCaller;
use crate::web::error::ErrorJson;

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
pub(super) async fn feed_page(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CohortPath>,
    ApiQuery(params): ApiQuery<FeedParams>,
) -> ApiResult<Json<FeedJson>> {
    let access = caller
        .access(&state.services, CohortId(path.cohort))
        .await?;
    let filter = FeedFilter {
        day: params.day.map(|d| d.0),
        team_id: params.team.map(TeamId),
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
                day: i64::from(item.reflection.day),
                anonymous: item.reflection.anonymous(),
                mine: item.reflection.mine,
                created_at: (!item.reflection.anonymous())
                    .then(|| item.reflection.shown_at.to_rfc3339()),
                body: item.reflection.body,
                author: item.reflection.author_name,
                team: item.reflection.team_name,
                reactions: item
                    .reactions
                    .into_iter()
                    .map(|r| ReactionJson {
                        kind: r.kind,
                        count: r.count,
                        mine: r.mine,
                    })
                    .collect(),
                replies: item
                    .replies
                    .into_iter()
                    .map(|r| ReplyJson {
                        id: r.id,
                        by_author: r.as_author,
                        created_at: (!r.as_author).then(|| r.created_at.to_rfc3339()),
                        author: r.author_name,
                        body: r.body,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
