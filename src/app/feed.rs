//! The reflection feed and what people do with it: read, reply, react, report; and, for change
//! leads, hide with a reason and review reports. Who may read what is decided in
//! [`crate::store::feed`], in SQL, for every caller alike.

use super::people::{self, CohortAccess, Person};
use super::record::Record;
use super::submission::prepare_text;
use super::{AppError, Refusal, Services};
use crate::rules::points::{BADGE_BONUS, REACTION_RECEIVED, Reason};
use crate::rules::safeguarding::Flag;
use crate::store::badges::people_facts;
use crate::store::feed::{self, FeedQuery, FeedRow, ReactionCount, ReplyRow, ReportRow};
use crate::store::millis;
use crate::store::points as points_store;

/// Reflections per page.
pub const PAGE_SIZE: i64 = 20;
pub const MAX_REPLY_CHARS: usize = 1000;
pub const MAX_REASON_CHARS: usize = 500;

/// The reactions a reflection can get: kind, then how it reads.
pub const REACTIONS: [(&str, &str); 3] = [
    ("helpful", "Helpful"),
    ("made_me_think", "Made me think"),
    ("thank_you", "Thank you"),
];

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

/// A reflection the person may read, by its public id, or the same "not found" as for one that
/// does not exist.
async fn readable(
    services: &Services,
    access: &CohortAccess,
    reflection_id: i64,
) -> Result<FeedRow, AppError> {
    feed::visible(
        services.store.pool(),
        access.viewer,
        access.cohort.row.id,
        reflection_id,
    )
    .await?
    .ok_or_else(|| AppError::NotFound("there is no such reflection".into()))
}

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
    let as_author = reflection.mine != 0 && reflection.visibility == "anonymous" && !with_my_name;
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

/// Sets or clears one of the person's reactions. Setting twice is the same as once, so a double
/// tap never flips it back. Returns whether anything changed.
///
/// A reaction to a named reflection earns its author a point (and may complete a badge); one to
/// an anonymous reflection earns nothing and tells no board or screen, so reacting and taking
/// it back cannot show who wrote it ([`super::anonymity`]).
pub async fn react(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    kind: &str,
    on: bool,
) -> Result<bool, AppError> {
    let Some((kind, _)) = REACTIONS.iter().find(|(k, _)| *k == kind) else {
        return Err(Refusal::UnknownReaction.says(format!(
            "\"{kind}\" is not a reaction; use one of: {}",
            REACTIONS.map(|(k, _)| k).join(", ")
        )));
    };
    let reflection = readable(services, access, reflection_id).await?;
    if reflection.mine != 0 {
        return Err(Refusal::OwnReflection.says("You cannot react to your own reflection."));
    }
    // One reading of the clock for the ledger row and the board: two readings could fall either
    // side of a second and order ties differently on the board than in the ledger.
    let when = services.clock.now();
    let now = millis(when);
    let row_id = reflection.row_id;
    let mut tx = services.store.begin_write().await?;
    let changed = if on {
        feed::add_reaction(tx.conn(), row_id, person.id, kind, now)
            .await?
            .is_some()
    } else {
        feed::remove_reaction(tx.conn(), row_id, person.id, kind)
            .await?
            .is_some()
    };
    if changed && reflection.visibility != "anonymous" {
        // The author earns a point for a reaction, and loses it if it is taken back.
        let author = feed::author(tx.conn(), row_id).await?;
        let points = if on {
            REACTION_RECEIVED
        } else {
            -REACTION_RECEIVED
        };
        let entry = points_store::Entry {
            cohort_id: access.cohort.row.id,
            person_id: author,
            day: reflection.day,
            points,
            reason: Reason::ReactionReceived.as_str(),
            submission_id: None,
            // Not the reaction's id: taking a reaction back deletes its row, which a reference
            // from the ledger (the history of that point) would forbid.
            reaction_id: None,
            at: now,
        };
        let mut earned = points;
        if on {
            // A reaction received can complete a badge; its bonus is written with the point.
            let released = super::released::released(services, &access.cohort).await?;
            let key = super::badges::facts_key(access.cohort.row.id, author, None);
            let known = people_facts(tx.conn(), &[key])
                .await?
                .pop()
                .unwrap_or_default();
            let record = Record::of(&access.cohort, released, known.days.clone());
            let candidate = super::badges::Candidate {
                cohort: &access.cohort,
                person_id: author,
                days: record.states(when, i64::MAX),
                known,
                occasion: None,
                ledger: vec![entry],
                at: when,
            };
            let awarded = super::badges::award(&mut tx, vec![candidate]).await?;
            earned += BADGE_BONUS * awarded.iter().map(|a| a.person.len() as i64).sum::<i64>();
        } else {
            points_store::insert_all(tx.conn(), &[entry]).await?;
        }
        let team = points_store::team_of(tx.conn(), access.cohort.row.id, author).await?;
        tx.commit().await?;
        super::leaderboard::record_points(services, &access.cohort, author, team, earned, when)
            .await;
        services.live.changed(access.cohort.row.id).await;
        return Ok(true);
    }
    tx.commit().await?;
    Ok(changed)
}

fn reason_text(reason: &str, what: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::ReasonMissing.says(format!("Please say briefly why {what}.")));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Refusal::ReasonTooLong.says(format!(
            "Please keep the reason to {MAX_REASON_CHARS} characters."
        )));
    }
    Ok(reason.to_string())
}

/// Reports a reflection, or one of its replies, to the change leads.
pub async fn report(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    reply_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    let reflection = readable(services, access, reflection_id).await?;
    let reason = reason_text(reason, "you are reporting this")?;
    let pool = services.store.pool();
    if let Some(reply) = reply_id
        && !feed::reply_of(pool, reflection.row_id, reply).await?
    {
        return Err(AppError::NotFound("there is no such reply".into()));
    }
    let now = millis(services.clock.now());
    feed::insert_report(pool, reflection.row_id, reply_id, person.id, &reason, now).await?;
    Ok(())
}

fn require_change_lead(person: &Person, access: &CohortAccess) -> Result<(), AppError> {
    if people::is_change_lead(person, access) {
        Ok(())
    } else {
        // The same answer as for a missing page: the route reveals nothing to others.
        Err(AppError::NotFound("there is no such page".into()))
    }
}

/// Hides a reflection or reply from the feed, with a reason; a change lead's action.
pub async fn hide(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    reply_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    require_change_lead(person, access)?;
    let reason = reason_text(reason, "you are hiding this")?;
    let now = millis(services.clock.now());
    let Some(row_id) =
        feed::shared(services.store.pool(), access.cohort.row.id, reflection_id).await?
    else {
        return Err(AppError::NotFound("there is no such reflection".into()));
    };
    let mut tx = services.store.begin_write().await?;
    let hidden = feed::hide(
        &mut tx,
        access.cohort.row.id,
        row_id,
        reply_id,
        person.id,
        &reason,
        now,
    )
    .await?;
    tx.commit().await?;
    if hidden {
        Ok(())
    } else {
        Err(AppError::NotFound("there is no such reflection".into()))
    }
}

/// Open reports in a cohort; a change lead's view.
pub async fn reports(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
) -> Result<Vec<ReportRow>, AppError> {
    require_change_lead(person, access)?;
    Ok(feed::open_reports(services.store.pool(), access.cohort.row.id).await?)
}

/// The teams of a cohort, for the feed's team filter.
pub async fn teams(
    services: &Services,
    access: &CohortAccess,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(crate::store::people::cohort_teams(services.store.pool(), access.cohort.row.id).await?)
}
