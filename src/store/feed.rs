//! The reflection feed: what a viewer may read, replies, reactions, reports and moderation.
//!
//! Privacy is decided here, in SQL, so no caller can forget it: a private reflection is never
//! selected for anyone but its author, and for an anonymous one the author's name and team are
//! replaced by NULL before the row leaves the database (the author's id is never selected at all).
//! An anonymous reflection is read only once its batch is published ([`super::anonymity`]), and
//! reflections are known outside by their random `handle`, never by their row id, whose order
//! would tell when each was written.

use super::{Conn, Tx};
use crate::domain::{Day, PersonId, TeamId, Visibility};

use super::StoreError;
use super::params::placeholders;

/// Who is reading: their id and team in the cohort.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub person_id: PersonId,
    /// `None` when they are in no team.
    pub team_id: Option<TeamId>,
}

/// Which part of the feed to read.
#[derive(Debug, Clone, Copy)]
pub struct FeedQuery {
    pub cohort_id: i64,
    /// `None` for every day.
    pub day: Option<Day>,
    /// `None` for every team.
    pub team_id: Option<TeamId>,
    /// Read items strictly older than this `(shown_at, handle)`; `(i64::MAX, i64::MAX)` for the newest.
    pub before: (i64, i64),
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedRow {
    /// The public id (the reflection's `handle`).
    pub id: i64,
    /// The row's id, for what hangs off it (reactions, replies); never shown.
    pub row_id: i64,
    pub day: Day,
    pub body: String,
    pub visibility: Visibility,
    /// Its place in the feed: when it was written, or for an anonymous one when its batch was
    /// published.
    pub shown_at: i64,
    pub updated_at: i64,
    /// NULL for an anonymous reflection read by anyone but its author.
    pub author_name: Option<String>,
    pub team_name: Option<String>,
    pub mine: i64,
}

/// The condition that a reflection `r` (joined with its author's enrolment `e`) may be read by the
/// viewer `$2` in team `$3`: shared with the cohort (named or not, an anonymous one once its
/// batch is out), or with the team the author was in when they wrote it (a later move takes
/// nobody's words along), if the viewer is in or manages it in this cohort. Private reflections
/// never match; not even their author reads them in the feed.
const VISIBLE: &str = "r.hidden_at IS NULL AND r.shown_at IS NOT NULL AND (r.visibility IN ('cohort', 'anonymous') \
    OR (r.visibility = 'team' \
        AND (SELECT s.team_id FROM submissions s WHERE s.id = r.submission_id) = $3))";

/// A reflection as a viewer ($2) sees it: the author's name and team withheld when anonymous
/// (unless it is theirs). The feed page and a single reflection read it alike.
const FEED_ROWS: &str = "SELECT r.handle AS id, r.id AS row_id, r.day, r.body, r.visibility, r.shown_at, r.updated_at, \
       CASE WHEN r.visibility = 'anonymous' AND r.person_id <> $2 THEN NULL ELSE p.display_name END AS author_name, \
       CASE WHEN r.visibility = 'anonymous' AND r.person_id <> $2 THEN NULL ELSE t.name END AS team_name, \
       CASE WHEN r.person_id = $2 THEN 1 ELSE 0 END AS mine \
     FROM reflections r \
     JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id \
     JOIN people p ON p.id = r.person_id \
     LEFT JOIN teams t ON t.id = e.team_id";

pub async fn page<'e>(
    db: impl Conn<'e>,
    viewer: Viewer,
    q: &FeedQuery,
) -> Result<Vec<FeedRow>, StoreError> {
    // Each filter is in the text only when it is used, so the planner sees a plain condition
    // (and picks the by-day index for a day); the unused parameter is still referenced, as
    // `$n = 0`, so the binds stay the same. The cursor is a row comparison, which both
    // backends match against the (cohort, shown_at, handle) index instead of filtering row by row.
    // The limit is written into the text: with it a parameter, PostgreSQL judged the cached
    // generic plan costlier than planning afresh, and planned this query on every call (1.6 ms,
    // twice what it takes to run).
    let day = if q.day.is_none() {
        "$4 = 0"
    } else {
        "r.day = $4"
    };
    let team = if q.team_id.is_none() {
        "$5 = 0"
    } else {
        "e.team_id = $5 AND (r.visibility <> 'anonymous' OR r.person_id = $2)"
    };
    let sql = format!(
        "{FEED_ROWS} WHERE r.cohort_id = $1 AND {VISIBLE} AND {day} AND {team} \
           AND (r.shown_at, r.handle) < ($6, $7) \
         ORDER BY r.shown_at DESC, r.handle DESC LIMIT {}",
        q.limit.max(0)
    );
    Ok(sqlx::query_as(&sql)
        .bind(q.cohort_id)
        .bind(viewer.person_id)
        .bind(viewer.team_id.map_or(0, TeamId::get))
        .bind(q.day.map_or(0, i64::from))
        .bind(q.team_id.map_or(0, TeamId::get))
        .bind(q.before.0)
        .bind(q.before.1)
        .fetch_all(db)
        .await?)
}

/// One reflection by its public id, if the viewer may read it in this cohort (the same rule as
/// the feed).
pub async fn visible<'e>(
    db: impl Conn<'e>,
    viewer: Viewer,
    cohort_id: i64,
    handle: i64,
) -> Result<Option<FeedRow>, StoreError> {
    let sql = format!("{FEED_ROWS} WHERE r.cohort_id = $1 AND {VISIBLE} AND r.handle = $4");
    Ok(sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(viewer.person_id)
        .bind(viewer.team_id.map_or(0, TeamId::get))
        .bind(handle)
        .fetch_optional(db)
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReactionCount {
    pub reflection_id: i64,
    pub kind: String,
    pub count: i64,
    pub mine: i64,
}

/// Reaction counts for a page of reflections, and which the viewer gave.
pub async fn reaction_counts<'e>(
    db: impl Conn<'e>,
    viewer_id: PersonId,
    reflection_ids: &[i64],
) -> Result<Vec<ReactionCount>, StoreError> {
    if reflection_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT reflection_id, kind, COUNT(*) AS count, \
           CAST(MAX(CASE WHEN person_id = $1 THEN 1 ELSE 0 END) AS BIGINT) AS mine \
         FROM reactions WHERE reflection_id IN ({}) GROUP BY reflection_id, kind ORDER BY reflection_id, kind",
        placeholders(reflection_ids.len(), 2)
    );
    let mut query = sqlx::query_as(&sql).bind(viewer_id);
    for id in reflection_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(db).await?)
}

/// Colleagues' reactions to a person's own reflection of one day, by kind (their own left out).
pub async fn reactions_to_own<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT x.kind, CAST(COUNT(*) AS BIGINT) FROM reactions x \
         JOIN reflections r ON r.id = x.reflection_id \
         WHERE r.cohort_id = $1 AND r.person_id = $2 AND r.day = $3 AND x.person_id <> $2 \
         GROUP BY x.kind ORDER BY x.kind",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(day)
    .fetch_all(db)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub reflection_id: i64,
    /// NULL for the anonymous author's reply to their own reflection, to anyone but them.
    pub author_name: Option<String>,
    /// Written by the reflection's anonymous author, without their name.
    pub as_author: i64,
    pub body: String,
    pub created_at: i64,
    pub mine: i64,
}

/// The visible replies to a page of reflections, oldest first.
pub async fn replies<'e>(
    db: impl Conn<'e>,
    viewer_id: PersonId,
    reflection_ids: &[i64],
) -> Result<Vec<ReplyRow>, StoreError> {
    if reflection_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT y.id, y.reflection_id, \
           CASE WHEN y.as_author = 1 AND y.person_id <> $1 THEN NULL ELSE p.display_name END AS author_name, \
           y.as_author, y.body, y.created_at, \
           CASE WHEN y.person_id = $1 THEN 1 ELSE 0 END AS mine \
         FROM replies y JOIN people p ON p.id = y.person_id \
         WHERE y.hidden_at IS NULL AND y.reflection_id IN ({}) ORDER BY y.created_at, y.id",
        placeholders(reflection_ids.len(), 2)
    );
    let mut query = sqlx::query_as(&sql).bind(viewer_id);
    for id in reflection_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(db).await?)
}

/// Adds a reaction (once per person, reflection and kind); returns whether it was new.
pub async fn add_reaction<'e>(
    db: impl Conn<'e>,
    reflection_id: i64,
    person_id: PersonId,
    kind: &str,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO reactions (reflection_id, person_id, kind, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(reflection_id)
    .bind(person_id)
    .bind(kind)
    .bind(now)
    .fetch_optional(db)
    .await?)
}

/// Removes a reaction; returns the id it had, if there was one.
pub async fn remove_reaction<'e>(
    db: impl Conn<'e>,
    reflection_id: i64,
    person_id: PersonId,
    kind: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "DELETE FROM reactions WHERE reflection_id = $1 AND person_id = $2 AND kind = $3 RETURNING id",
    )
    .bind(reflection_id)
    .bind(person_id)
    .bind(kind)
    .fetch_optional(db)
    .await?)
}

/// A reply to store: `as_author` when the anonymous author answers without their name.
pub struct NewReply<'a> {
    pub reflection_id: i64,
    pub person_id: PersonId,
    pub body: &'a str,
    pub idempotency_key: &'a str,
    pub as_author: bool,
    pub now: i64,
}

pub async fn insert_reply<'e>(
    db: impl Conn<'e>,
    reply: &NewReply<'_>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO replies (reflection_id, person_id, body, idempotency_key, created_at, as_author) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(reply.reflection_id)
    .bind(reply.person_id)
    .bind(reply.body)
    .bind(reply.idempotency_key)
    .bind(reply.now)
    .bind(i64::from(reply.as_author))
    .fetch_optional(db)
    .await?)
}

/// Records a report; a second report of the same item by the same person changes nothing.
/// Returns whether it was new.
pub async fn insert_report<'e>(
    db: impl Conn<'e>,
    reflection_id: i64,
    reply_id: Option<i64>,
    person_id: PersonId,
    reason: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO reports (reflection_id, reply_id, person_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(reflection_id)
    .bind(reply_id)
    .bind(person_id)
    .bind(reason)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether a reply belongs to a reflection (so a report or a hide cannot reach across).
pub async fn reply_of<'e>(
    db: impl Conn<'e>,
    reflection_id: i64,
    reply_id: i64,
) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM replies WHERE id = $1 AND reflection_id = $2")
            .bind(reply_id)
            .bind(reflection_id)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Hides a reflection (or one of its replies) with a reason, and resolves its open reports.
/// A private reflection cannot be hidden: nobody but its author can see it, so nobody can have
/// reported it, and a change lead must not be able to probe for it.
pub async fn hide(
    tx: &mut Tx,
    cohort_id: i64,
    reflection_id: i64,
    reply_id: Option<i64>,
    by: PersonId,
    reason: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = match reply_id {
        None => {
            sqlx::query(
                "UPDATE reflections SET hidden_at = $3, hidden_by = $4, hidden_reason = $5 \
                 WHERE id = $1 AND cohort_id = $2 AND visibility <> 'private'",
            )
            .bind(reflection_id)
            .bind(cohort_id)
            .bind(now)
            .bind(by)
            .bind(reason)
            .execute(tx.conn())
            .await?
        }
        Some(reply) => {
            sqlx::query(
                "UPDATE replies SET hidden_at = $3, hidden_by = $4, hidden_reason = $5 \
                 WHERE id = $1 AND reflection_id = $2 AND reflection_id IN \
                   (SELECT id FROM reflections WHERE cohort_id = $6 AND visibility <> 'private')",
            )
            .bind(reply)
            .bind(reflection_id)
            .bind(now)
            .bind(by)
            .bind(reason)
            .bind(cohort_id)
            .execute(tx.conn())
            .await?
        }
    };
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE reports SET resolved_at = $3 WHERE reflection_id = $1 AND resolved_at IS NULL \
         AND COALESCE(reply_id, 0) = $2",
    )
    .bind(reflection_id)
    .bind(reply_id.unwrap_or(0))
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(true)
}

/// An open report as a change lead sees it: what was reported and why. The author of an
/// anonymous reflection stays unnamed here too.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    /// The reflection's public id.
    pub reflection_id: i64,
    pub reply_id: Option<i64>,
    pub day: Day,
    pub reported_text: String,
    pub author_name: Option<String>,
    pub reporter_name: String,
    pub reason: String,
    pub created_at: i64,
}

pub async fn open_reports<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<ReportRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT rp.id, r.handle AS reflection_id, rp.reply_id, r.day, \
           COALESCE(y.body, r.body) AS reported_text, \
           CASE WHEN rp.reply_id IS NOT NULL AND y.as_author = 1 THEN NULL \
                WHEN rp.reply_id IS NOT NULL THEN ya.display_name \
                WHEN r.visibility = 'anonymous' THEN NULL ELSE ra.display_name END AS author_name, \
           reporter.display_name AS reporter_name, rp.reason, rp.created_at \
         FROM reports rp \
         JOIN reflections r ON r.id = rp.reflection_id \
         JOIN people ra ON ra.id = r.person_id \
         LEFT JOIN replies y ON y.id = rp.reply_id \
         LEFT JOIN people ya ON ya.id = y.person_id \
         JOIN people reporter ON reporter.id = rp.person_id \
         WHERE r.cohort_id = $1 AND rp.resolved_at IS NULL AND r.visibility <> 'private' \
         ORDER BY rp.created_at",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}

/// The row id of a shared (not private) reflection of the cohort, by its public id: what a
/// change lead may hide.
pub async fn shared<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    handle: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM reflections WHERE cohort_id = $1 AND handle = $2 AND visibility <> 'private'",
    )
    .bind(cohort_id)
    .bind(handle)
    .fetch_optional(db)
    .await?)
}

/// Who wrote a reflection: for crediting points only, never shown (anonymous authors stay so).
pub async fn author<'e>(db: impl Conn<'e>, reflection_id: i64) -> Result<PersonId, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT person_id FROM reflections WHERE id = $1")
            .bind(reflection_id)
            .fetch_one(db)
            .await?,
    )
}
