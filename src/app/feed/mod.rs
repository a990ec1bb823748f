//! The reflection feed and what people do with it. Who may read what is decided in
//! [`crate::store::feed`], in SQL, for every caller alike.
//!
//! - `read`: the feed a page at a time, newest first, with reactions and replies;
//! - `replies`: replying to a reflection, checked like a reflection;
//! - `reactions`: reacting, which earns a named reflection's author points (and badges);
//! - `moderation`: reporting to the change leads; for them, hiding with a reason and the open
//!   reports.

mod moderation;
mod reactions;
mod read;
mod replies;

pub use moderation::{MAX_REASON_CHARS, Report, hide, report, reports};
pub use reactions::{REACTIONS, react};
pub use read::{
    FeedFilter, FeedItem, FeedPage, PAGE_SIZE, Reactions, Reflection, Reply, page, teams,
};
pub use replies::{MAX_REPLY_CHARS, ReplyOutcome, ReplyRequest, reply};

use super::people::CohortAccess;
use super::{AppError, Services};
use crate::store::feed;

/// A reflection the person may read, by its public id, or the same "not found" as for one that
/// does not exist.
async fn readable(
    services: &Services,
    access: &CohortAccess,
    reflection_id: i64,
) -> Result<Reflection, AppError> {
    feed::visible(
        services.store.pool(),
        access.viewer,
        access.cohort.row.id,
        reflection_id,
    )
    .await?
    .map(Reflection::from)
    .ok_or_else(|| AppError::NotFound("there is no such reflection".into()))
}
