//! Replying to a reflection the person may read: checked for identifying details like a
//! reflection, and, from the author of an anonymous reflection, without their name by default.

use super::readable;
use crate::app::people::{CohortAccess, Person};
use crate::app::submission::prepare_text;
use crate::app::{AppError, Refusal, Services};
use crate::rules::safeguarding::Flag;
use crate::store::feed;
use crate::store::millis;

pub const MAX_REPLY_CHARS: usize = 1000;

/// What became of a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyOutcome {
    Stored,
    NeedsReview { flags: Vec<Flag> },
}

/// A reply as it arrives from a page or the API.
#[derive(Debug, Clone)]
pub struct ReplyRequest<'a> {
    pub text: &'a str,
    pub idempotency_key: &'a str,
    pub remove_flagged: bool,
    /// For the author of an anonymous reflection answering it: without their name (the
    /// default), or with it, which tells everyone they wrote the reflection. Ignored elsewhere.
    pub with_my_name: bool,
}

/// Replies to a reflection the person may read (its public id). The author of an anonymous
/// reflection replies to it without their name unless they ask otherwise.
pub async fn reply(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    request: &ReplyRequest<'_>,
) -> Result<ReplyOutcome, AppError> {
    let ReplyRequest {
        text,
        idempotency_key,
        remove_flagged,
        with_my_name,
    } = *request;
    let reflection = readable(services, access, reflection_id).await?;
    let as_author = reflection.mine_unnamed() && !with_my_name;
    let key = idempotency_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(Refusal::IdempotencyKeyInvalid
            .says("The form was incomplete; please reload the page and try again."));
    }
    let body = match prepare_text(
        services,
        text,
        MAX_REPLY_CHARS,
        Refusal::ReplyTooLong,
        true,
        remove_flagged,
    )? {
        Ok(body) if body.is_empty() => {
            return Err(Refusal::ReplyEmpty.says("Write a reply first."));
        }
        Ok(body) => body,
        Err(flags) => return Ok(ReplyOutcome::NeedsReview { flags }),
    };
    let reply = feed::NewReply {
        reflection_id: reflection.row_id,
        person_id: person.id,
        body: &body,
        idempotency_key: key,
        as_author,
        now: millis(services.clock.now()),
    };
    feed::insert_reply(services.store.pool(), &reply).await?;
    Ok(ReplyOutcome::Stored)
}
