//! Sign-in links, sessions and API tokens. Only SHA-256 hashes of the secrets are stored.

use super::{Conn, Tx};
use crate::domain::PersonId;
use sqlx::Any;

use super::params::values_list;
use super::people::{
    JoinedMembership, MEMBERSHIP_COLUMNS, MEMBERSHIP_JOINS, MembershipRow, PersonRow,
};
use super::{StoreError, callers};

/// A sign-in link to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    pub token_hash: String,
    pub person_id: PersonId,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores sign-in links (their hashes) in one statement: the mail sender's batch.
pub async fn insert_links<'e>(db: impl Conn<'e>, links: &[NewLink]) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO signin_links (token_hash, person_id, created_at, expires_at) VALUES {}",
        super::params::values_list(links.len(), 4, 1)
    );
    let mut query = sqlx::query(&sql);
    for l in links {
        query = query
            .bind(&l.token_hash)
            .bind(l.person_id)
            .bind(l.created_at)
            .bind(l.expires_at);
    }
    query.execute(db).await?;
    Ok(())
}

/// Counts one sign-in request under `key` in the window that starts at `window_start`, unless
/// `limit` are counted there already; true when it was counted. One statement (an upsert whose
/// update is conditional), so the limit holds against any number of simultaneous requests, on
/// either backend and across servers. The first request of a window clears the past windows.
pub async fn count_signin_request(
    db: &sqlx::Pool<Any>,
    key: &str,
    window_start: i64,
    limit: i64,
) -> Result<bool, StoreError> {
    let counted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO signin_requests (key, window_start, requests) VALUES ($1, $2, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET requests = signin_requests.requests + 1 \
         WHERE signin_requests.requests < $3 RETURNING requests",
    )
    .bind(key)
    .bind(window_start)
    .bind(limit)
    .fetch_optional(db)
    .await?;
    if counted == Some(1) {
        sqlx::query("DELETE FROM signin_requests WHERE window_start < $1")
            .bind(window_start)
            .execute(db)
            .await?;
    }
    Ok(counted.is_some())
}

/// What became of an attempt to use a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkUse {
    /// The link was valid and is now used up: sign this person in.
    SignedIn(PersonId),
    Expired,
    AlreadyUsed,
    Unknown,
}

/// Marks a link used, atomically: of two simultaneous uses, only one signs in.
pub async fn use_link<'e, E>(db: E, token_hash: &str, now: i64) -> Result<LinkUse, StoreError>
where
    E: Conn<'e> + Copy,
{
    let claimed: Option<PersonId> = sqlx::query_scalar(
        "UPDATE signin_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING person_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    if let Some(person) = claimed {
        return Ok(LinkUse::SignedIn(person));
    }
    let state: Option<(Option<i64>, i64)> =
        sqlx::query_as("SELECT used_at, expires_at FROM signin_links WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    Ok(match state {
        None => LinkUse::Unknown,
        Some((Some(_), _)) => LinkUse::AlreadyUsed,
        Some((None, _)) => LinkUse::Expired,
    })
}

pub async fn insert_session<'e>(
    db: impl Conn<'e>,
    token_hash: &str,
    person_id: PersonId,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// A signed-in person with their memberships: read with the session or token that names them,
/// because every page and API call asks who is there and then where they belong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerRow {
    pub person: PersonRow,
    pub memberships: Vec<MembershipRow>,
}

/// One row of a caller query: the person, what the session or token adds, one membership.
#[derive(Debug, sqlx::FromRow)]
struct JoinedCaller<Extra> {
    #[sqlx(flatten)]
    person: PersonRow,
    #[sqlx(flatten)]
    extra: Extra,
    #[sqlx(flatten)]
    membership: JoinedMembership,
}

/// Folds the rows of a caller query (one per membership, at least one) into the caller.
fn caller<Extra>(rows: Vec<JoinedCaller<Extra>>) -> Option<(CallerRow, Extra)> {
    let mut rows = rows.into_iter();
    let first = rows.next()?;
    let mut memberships: Vec<MembershipRow> = first.membership.into_row().into_iter().collect();
    memberships.extend(rows.filter_map(|r| r.membership.into_row()));
    Some((
        CallerRow {
            person: first.person,
            memberships,
        },
        first.extra,
    ))
}

/// What a live session adds to its caller.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionFacts {
    pub csrf_token: String,
    /// Unix milliseconds.
    pub expires_at: i64,
}

/// The live session with this hash: its person, their memberships, the session's form token and
/// when it ends, in one query.
pub async fn session<'e>(
    db: impl Conn<'e>,
    token_hash: &str,
    now: i64,
) -> Result<Option<(CallerRow, SessionFacts)>, StoreError> {
    let rows: Vec<JoinedCaller<SessionFacts>> = sqlx::query_as(&format!(
        "SELECT p.id, p.email, p.display_name, s.csrf_token, s.expires_at, {MEMBERSHIP_COLUMNS} \
         FROM sessions s JOIN people p ON p.id = s.person_id {MEMBERSHIP_JOINS} \
         WHERE s.token_hash = $1 AND s.expires_at > $2 ORDER BY e.cohort_id"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_all(db)
    .await?;
    Ok(caller(rows))
}

/// Ends a session; moves the callers' version when there was one to end.
pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> Result<(), StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(tx.conn())
        .await?;
    if done.rows_affected() > 0 {
        callers::changed(tx.conn()).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn insert_api_token<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
    name: &str,
    token_hash: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_tokens (person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(person_id)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// A person's tokens that are not revoked.
pub async fn api_tokens<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
) -> Result<Vec<ApiTokenRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, last_used_at FROM api_tokens \
         WHERE person_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// Revokes one of the person's own tokens, moving the callers' version; false when there is no
/// such live token of theirs.
pub async fn revoke_api_token(
    tx: &mut Tx,
    person_id: PersonId,
    token_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(person_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    let revoked = done.rows_affected() == 1;
    if revoked {
        callers::changed(tx.conn()).await?;
    }
    Ok(revoked)
}

#[derive(Debug, sqlx::FromRow)]
struct TokenExtra {
    last_used_at: Option<i64>,
}

/// The owner of a live token, with their memberships, and when the token was last recorded as
/// used. Reading writes nothing: the caller records uses in batches ([`record_token_uses`]).
pub async fn api_token_owner<'e>(
    db: impl Conn<'e>,
    token_hash: &str,
) -> Result<Option<(CallerRow, Option<i64>)>, StoreError> {
    let rows: Vec<JoinedCaller<TokenExtra>> = sqlx::query_as(&format!(
        "SELECT p.id, p.email, p.display_name, x.last_used_at, {MEMBERSHIP_COLUMNS} \
         FROM api_tokens x JOIN people p ON p.id = x.person_id {MEMBERSHIP_JOINS} \
         WHERE x.token_hash = $1 AND x.revoked_at IS NULL ORDER BY e.cohort_id"
    ))
    .bind(token_hash)
    .fetch_all(db)
    .await?;
    Ok(caller(rows).map(|(caller, TokenExtra { last_used_at })| (caller, last_used_at)))
}

/// Records when tokens were last used, given as (token hash, moment): one statement for up to a
/// few hundred tokens, so recording uses costs the database a write every few seconds rather
/// than one per API request.
pub async fn record_token_uses(
    db: &sqlx::Pool<Any>,
    uses: &[(String, i64)],
) -> Result<(), StoreError> {
    for chunk in uses.chunks(200) {
        // A VALUES list's columns are column1, column2... on both backends.
        let sql = format!(
            "UPDATE api_tokens SET last_used_at = v.column2 FROM (VALUES {}) AS v \
             WHERE api_tokens.token_hash = v.column1",
            values_list(chunk.len(), 2, 1)
        );
        let mut query = sqlx::query(&sql);
        for (hash, at) in chunk {
            query = query.bind(hash).bind(*at);
        }
        query.execute(db).await?;
    }
    Ok(())
}
