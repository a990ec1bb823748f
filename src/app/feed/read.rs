//! Reading the feed: a page of the reflections the viewer may read, newest first, with their
//! reactions and replies, and the teams to filter it by.

use crate::app::people::CohortAccess;
use crate::app::{AppError, Refusal, Services};
use crate::store::feed::{self, FeedQuery, FeedRow, ReactionCount, ReplyRow};

/// Reflections per page.
pub const PAGE_SIZE: i64 = 20;

/// A feed filter and position, as it arrives from a page or the API.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    pub day: Option<u32>,
    pub team_id: Option<i64>,
    /// An opaque cursor from a previous page.
    pub after: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FeedItem {
    pub reflection: FeedRow,
    pub reactions: Vec<ReactionCount>,
    pub replies: Vec<ReplyRow>,
}

#[derive(Debug, Clone)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// The cursor for the next (older) page, when there is one.
    pub next: Option<String>,
}

fn parse_cursor(cursor: &str) -> Result<(i64, i64), AppError> {
    let bad =
        || Refusal::InvalidCursor.says("That page link is not valid; start again from the newest.");
    let (at, id) = cursor.split_once('-').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

pub async fn page(
    services: &Services,
    access: &CohortAccess,
    filter: &FeedFilter,
) -> Result<FeedPage, AppError> {
    let before = match filter.after.as_deref().filter(|c| !c.is_empty()) {
        Some(cursor) => parse_cursor(cursor)?,
        None => (i64::MAX, i64::MAX),
    };
    let query = FeedQuery {
        cohort_id: access.cohort.row.id,
        day: filter.day.map_or(0, i64::from),
        team_id: filter.team_id.unwrap_or(0),
        before,
        limit: PAGE_SIZE + 1,
    };
    // One connection for the page and what hangs off it: each connection taken from the pool
    // costs a round trip when it goes back, more than running these reads one after another saves.
    let mut db = services.store.hold().await?;
    let mut rows = feed::page(db.conn(), access.viewer, &query).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}-{}", r.shown_at, r.id))
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.row_id).collect();
    let reactions = feed::reaction_counts(db.conn(), access.viewer.person_id, &ids).await?;
    let replies = feed::replies(db.conn(), access.viewer.person_id, &ids).await?;
    let items = rows
        .into_iter()
        .map(|reflection| FeedItem {
            reactions: reactions
                .iter()
                .filter(|r| r.reflection_id == reflection.row_id)
                .cloned()
                .collect(),
            replies: replies
                .iter()
                .filter(|r| r.reflection_id == reflection.row_id)
                .cloned()
                .collect(),
            reflection,
        })
        .collect();
    Ok(FeedPage { items, next })
}

/// The teams of a cohort, for the feed's team filter.
pub async fn teams(
    services: &Services,
    access: &CohortAccess,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(crate::store::people::cohort_teams(services.store.pool(), access.cohort.row.id).await?)
}
