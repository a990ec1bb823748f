//! Reading the feed: a page of the reflections the viewer may read, newest first, with their
//! reactions and replies, and the teams to filter it by.

use crate::app::people::CohortAccess;
use crate::app::{AppError, Refusal, Services};
use chrono::{DateTime, Utc};

use crate::domain::{Day, TeamId, Visibility};
use crate::store::feed::{self, FeedQuery, FeedRow, ReactionCount, ReplyRow};
use crate::store::instant;

/// Reflections per page.
pub const PAGE_SIZE: i64 = 20;

/// A feed filter and position, as it arrives from a page or the API.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    pub day: Option<Day>,
    pub team_id: Option<TeamId>,
    /// An opaque cursor from a previous page.
    pub after: Option<String>,
}

/// A reflection as its reader may see it.
#[derive(Debug, Clone)]
pub struct Reflection {
    /// The public id.
    pub id: i64,
    /// The row's id, for what hangs off it; never shown.
    pub(in crate::app) row_id: i64,
    pub day: Day,
    pub body: String,
    pub visibility: Visibility,
    /// Its place in the feed: when it was written, or for an anonymous one when its batch was
    /// published.
    pub shown_at: DateTime<Utc>,
    /// `None` for an anonymous reflection read by anyone but its author.
    pub author_name: Option<String>,
    pub team_name: Option<String>,
    /// The reader wrote it.
    pub mine: bool,
}

impl Reflection {
    pub fn anonymous(&self) -> bool {
        self.visibility == Visibility::Anonymous
    }

    /// Whether the reader wrote this anonymous reflection, and so chooses how their reply is
    /// signed.
    pub fn mine_unnamed(&self) -> bool {
        self.mine && self.anonymous()
    }
}

impl From<FeedRow> for Reflection {
    fn from(r: FeedRow) -> Reflection {
        Reflection {
            id: r.id,
            row_id: r.row_id,
            day: r.day,
            body: r.body,
            visibility: r.visibility,
            shown_at: instant(r.shown_at),
            author_name: r.author_name,
            team_name: r.team_name,
            mine: r.mine != 0,
        }
    }
}

/// The reactions of one kind to a reflection.
#[derive(Debug, Clone)]
pub struct Reactions {
    pub kind: String,
    pub count: i64,
    /// The reader gave one.
    pub mine: bool,
}

impl From<&ReactionCount> for Reactions {
    fn from(r: &ReactionCount) -> Reactions {
        Reactions {
            kind: r.kind.clone(),
            count: r.count,
            mine: r.mine != 0,
        }
    }
}

/// A reply to a reflection.
#[derive(Debug, Clone)]
pub struct Reply {
    pub id: i64,
    /// `None` for the anonymous author's reply to their own reflection, to anyone but them.
    pub author_name: Option<String>,
    /// Written by the reflection's anonymous author, without their name.
    pub as_author: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// The reader wrote it.
    pub mine: bool,
}

impl From<&ReplyRow> for Reply {
    fn from(r: &ReplyRow) -> Reply {
        Reply {
            id: r.id,
            author_name: r.author_name.clone(),
            as_author: r.as_author != 0,
            body: r.body.clone(),
            created_at: instant(r.created_at),
            mine: r.mine != 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FeedItem {
    pub reflection: Reflection,
    pub reactions: Vec<Reactions>,
    pub replies: Vec<Reply>,
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
        day: filter.day,
        team_id: filter.team_id,
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
                .map(Reactions::from)
                .collect(),
            replies: replies
                .iter()
                .filter(|r| r.reflection_id == reflection.row_id)
                .map(Reply::from)
                .collect(),
            reflection: Reflection::from(reflection),
        })
        .collect();
    Ok(FeedPage { items, next })
}

/// The teams of a cohort, for the feed's team filter.
pub async fn teams(
    services: &Services,
    access: &CohortAccess,
) -> Result<Vec<(TeamId, String)>, AppError> {
    Ok(crate::store::people::cohort_teams(services.store.pool(), access.cohort.row.id).await?)
}
