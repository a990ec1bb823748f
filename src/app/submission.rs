//! Completing a day: the one place the submission rules live, for pages, API and CLI alike.
//!
//! Only released days; on time until the day closes, late within the pack's catch-up days, never
//! after. One submission per person and day, however many times the request arrives: the form
//! carries an idempotency key and the database holds a unique constraint on both the key and the
//! (cohort, person, day), so a double tap, a retry after a dropped connection, or fifty identical
//! requests at once store one submission. Submitting again for a day already done edits its
//! reflection while the day can still be completed.

pub use crate::domain::Visibility;
use crate::store::Tx;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::cohort::Cohort;
use super::people::{CohortAccess, Person};
use super::record::Record;
use super::released::{self, Released};
use super::{AppError, Refusal, Services, badges, drafts, leaderboard};
use crate::domain::{Day, PersonId, TeamId};
use crate::pack::Badge;
use crate::rules::points::{self, Reason};
use crate::rules::safeguarding::{self, Flag};
use crate::rules::streak;
use crate::rules::window::{self, Window};
use crate::store::badges::people_facts;
use crate::store::drafts as drafts_store;
use crate::store::points as points_store;
use crate::store::releases::ReleaseRow;
use crate::store::submissions::{
    self, NewSubmission, OwnReflectionRow, ReflectionText, SubmissionRow,
};
use crate::store::{StoreError, instant, millis};

/// The longest reflection, in characters: two lines is the aim, a paragraph is welcome.
pub const MAX_REFLECTION_CHARS: usize = 2000;

impl Visibility {
    /// A choice from a form or a request: an unknown value is refused, naming the allowed ones,
    /// never read as some other audience.
    pub fn choose(s: &str) -> Result<Visibility, AppError> {
        Visibility::parse(s.trim()).ok_or_else(|| {
            Refusal::UnknownVisibility.says(format!(
                "\"{}\" is not a choice of who can read a reflection; use one of: {}. Nothing was saved.",
                s.trim(),
                Visibility::ALL.map(Visibility::as_str).join(", ")
            ))
        })
    }
}

/// What a person sends when they complete a day.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    pub day: Day,
    /// Empty for no reflection.
    pub reflection: String,
    pub checkin: Option<u8>,
    /// Who may read the reflection; `None` keeps what is stored (a new reflection is private).
    pub visibility: Option<Visibility>,
    /// Chosen by the form when it is rendered; the same key on a retry means the same submission.
    pub idempotency_key: String,
    /// The person saw the flagged parts and chose to post with them replaced by `[removed]`.
    pub remove_flagged: bool,
    /// The [`reflection_version`] of the stored reflection the form was made from ("" when
    /// there was none), so an edit from a stale form is caught; `None` for no check.
    pub version: Option<String>,
}

/// A short digest of a stored reflection, which a form carries to tell whether what it edits
/// has changed since it was rendered (another tab, the Back button).
pub fn reflection_version(body: &str, visibility: Visibility) -> String {
    let digest = Sha256::new()
        .chain_update(visibility.as_str())
        .chain_update([0])
        .chain_update(body)
        .finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A digest of everything a submission request asks for: the same key with another request is
/// refused instead of being answered as stored.
fn request_hash(request: &SubmitRequest) -> String {
    let digest = Sha256::new()
        .chain_update(request.day.get().to_be_bytes())
        .chain_update(request.reflection.trim())
        .chain_update([0])
        .chain_update(request.visibility.map_or("", Visibility::as_str))
        .chain_update([
            request.checkin.unwrap_or(0),
            u8::from(request.remove_flagged),
        ])
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    /// The day is done (now, or already with this key, or edited).
    Stored(Stored),
    /// Nothing was stored: the reflection would be shared and looks identifying. Show the person
    /// these parts; they edit, or send again with `remove_flagged`.
    NeedsReview { flags: Vec<Flag> },
    /// Nothing was stored: this idempotency key was already used by a different request (a form
    /// sent, then changed after Back). What is stored is shown instead.
    KeyReused { stored: Option<StoredReflection> },
    /// Nothing was stored: the reflection changed since the form was made (another tab, an
    /// older page), and saving would silently replace it. What is stored is shown instead.
    Stale { stored: StoredReflection },
    /// Nothing was stored: the reflection, never named, is part of the crowd that colleagues'
    /// published anonymous reflections of the day hide in; putting a name on it now would
    /// narrow down who wrote those ([`super::anonymity`]).
    WouldReveal { stored: StoredReflection },
}

/// A day's stored reflection, for showing in the form when a request could not be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReflection {
    pub body: String,
    pub visibility: Visibility,
    /// Its [`reflection_version`], for the form that edits it.
    pub version: String,
}

impl StoredReflection {
    fn of(row: &OwnReflectionRow) -> Self {
        StoredReflection {
            body: row.body.clone(),
            visibility: row.visibility,
            version: reflection_version(&row.body, row.visibility),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub submission_id: i64,
    pub day: Day,
    pub late: bool,
    /// False when this request repeated one already stored (same key), or edited the day.
    pub first_completion: bool,
    pub edited: bool,
    /// What this request earned (nothing for a repeat).
    pub points: Vec<(Reason, i64)>,
    pub badges: Vec<Badge>,
}

impl Stored {
    /// The answer to a request that repeats one already stored.
    fn repeat(existing: &SubmissionRow) -> Self {
        Stored {
            submission_id: existing.id,
            day: existing.day,
            late: existing.late != 0,
            first_completion: false,
            edited: false,
            points: Vec::new(),
            badges: Vec::new(),
        }
    }
}

/// Checks a reflection (or reply) before it is stored: its length, and, when it will be shared,
/// the safeguarding checker. Returns the text to store, or the flags to show.
pub fn prepare_text(
    services: &Services,
    text: &str,
    max_chars: usize,
    too_long: Refusal,
    shared: bool,
    remove_flagged: bool,
) -> Result<Result<String, Vec<Flag>>, AppError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(too_long.says(format!(
            "That is {chars} characters; please keep it to {max_chars} (about {} words). A couple of lines is plenty.",
            max_chars / 6
        )));
    }
    if !shared {
        return Ok(Ok(text.to_string()));
    }
    let flags = services.safeguarding.check(text);
    if flags.is_empty() {
        Ok(Ok(text.to_string()))
    } else if remove_flagged {
        Ok(Ok(safeguarding::redact(text, &flags)))
    } else {
        Ok(Err(flags))
    }
}

/// Completes (or edits) a day for the person: checks the request, then hands it to the
/// submission queue, which writes it (with others arriving at the same time) and answers once
/// it is committed.
pub async fn submit(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    request: &SubmitRequest,
) -> Result<SubmitOutcome, AppError> {
    match check(services, person, access, request).await? {
        Ok(checked) => services.submissions.write(services, checked).await,
        Err(review) => {
            drafts::keep(services, person, access, request, &review).await?;
            Ok(SubmitOutcome::NeedsReview {
                flags: review.flags,
            })
        }
    }
}

/// A reflection the safeguarding checker sent back to its author.
#[derive(Debug)]
pub struct Review {
    pub flags: Vec<Flag>,
    /// Who it was to be shared with.
    pub visibility: Visibility,
    /// Until when the day can still be completed, late included, and so its draft kept.
    pub open_until: DateTime<Utc>,
}

/// A submission that passed every check and is waiting to be written.
pub struct Checked {
    person_id: PersonId,
    access: CohortAccess,
    release: ReleaseRow,
    /// The cohort's releases so far.
    released: Released,
    late: bool,
    /// The reflection to store; empty for none.
    body: String,
    visibility: Visibility,
    key: String,
    request_hash: String,
    version: Option<String>,
    checkin: Option<i64>,
    now: DateTime<Utc>,
}

impl Checked {
    pub fn person_id(&self) -> PersonId {
        self.person_id
    }

    /// Who must be written one transaction after another: the person's team (whose day one of
    /// them completes, and who is first in it), or the person when they have none.
    pub fn in_turn_with(&self) -> i64 {
        self.access
            .team_id()
            .map_or(self.person_id.get(), TeamId::get)
    }
}

/// Everything about a submission that can be decided before writing it: who may submit, the
/// form's fields, the day's window and the reflection's text. Returns what to show when the
/// reflection needs the person's review.
pub async fn check(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    request: &SubmitRequest,
) -> Result<Result<Checked, Review>, AppError> {
    if !access.can_submit() {
        return Err(Refusal::NotParticipant.says(
            "Only participants complete days in this cohort; you can read and react to the feed.",
        ));
    }
    let key = request.idempotency_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(Refusal::IdempotencyKeyInvalid
            .says("The form was incomplete; please reload the page and try again."));
    }
    if let Some(checkin) = request.checkin
        && !(1..=5).contains(&checkin)
    {
        return Err(Refusal::CheckinOutOfRange.says("The shift check-in is a number from 1 to 5."));
    }
    let now = services.clock.now();
    let released = released::released(services, &access.cohort).await?;
    let release = released::find(&released, request.day)
        .cloned()
        .ok_or_else(|| not_released(request.day))?;
    let late = match day_window(&access.cohort, &release, now) {
        Window::OnTime { .. } => false,
        Window::Late { .. } => true,
        Window::NotReleased => return Err(not_released(request.day)),
        Window::Closed => {
            return Err(Refusal::DayClosed.says(format!(
                "Day {} has closed, so it can no longer be completed. Today's challenge is waiting for you.",
                request.day
            )));
        }
    };
    let visibility = match request.visibility {
        Some(visibility) => visibility,
        None => stored_visibility(services, access, person, release.day).await?,
    };
    let shared = visibility != Visibility::Private;
    let prepared = prepare_text(
        services,
        &request.reflection,
        MAX_REFLECTION_CHARS,
        Refusal::ReflectionTooLong,
        shared,
        request.remove_flagged,
    )?;
    let prepared = prepared.map_err(|flags| Review {
        flags,
        visibility,
        open_until: completable_until(&access.cohort, &release),
    });
    Ok(prepared.map(|body| Checked {
        person_id: person.id,
        access: access.clone(),
        release,
        released,
        late,
        body,
        visibility,
        key: key.to_string(),
        request_hash: request_hash(request),
        version: request.version.clone(),
        checkin: request.checkin.map(i64::from),
        now,
    }))
}

/// The visibility of the day's stored reflection, for a request that leaves it unsaid; a new
/// reflection is then private, the narrowest audience, never one the person did not choose.
async fn stored_visibility(
    services: &Services,
    access: &CohortAccess,
    person: &Person,
    day: Day,
) -> Result<Visibility, AppError> {
    let pool = services.store.pool();
    let stored = match submissions::find(pool, access.cohort.row.id, person.id, day).await? {
        Some(submission) => submissions::own_reflection(pool, submission.id).await?,
        None => None,
    };
    Ok(stored.map_or(Visibility::Private, |r| r.visibility))
}

/// How a checked submission met what was already stored.
enum Written {
    /// Its key was already used by this same request: the answer is what is stored.
    Repeat(Stored),
    /// Nothing written for it: the key was used by another request, or its form is stale.
    Refused(SubmitOutcome),
    /// A first completion, or an edit of the day already done.
    Stored {
        submission_id: i64,
        first_completion: bool,
        late: bool,
        /// Whether the day already had a reflection before this request.
        had_reflection: bool,
    },
}

/// Writes checked submissions, each person at most once, in one transaction: a statement per
/// table for all of them, so a batch costs about what one submission does. Then tells the boards
/// and open briefing screens. Answers in the batch's order. Each submission keeps the moment it
/// was checked; the clock is not read here, as the writer may be another request's.
pub async fn write(services: &Services, batch: &[Checked]) -> Result<Vec<SubmitOutcome>, AppError> {
    debug_assert!(
        batch
            .iter()
            .enumerate()
            .all(|(i, c)| batch[..i].iter().all(|b| b.person_id != c.person_id)),
        "a batch holds each person once"
    );
    let mut tx = services.store.begin_write().await?;
    let rows: Vec<NewSubmission> = batch
        .iter()
        .map(|c| NewSubmission {
            cohort_id: c.access.cohort.row.id,
            person_id: c.person_id,
            team_id: c.access.team_id(),
            day: c.release.day,
            now: millis(c.now),
            late: c.late,
            idempotency_key: &c.key,
            checkin: c.checkin,
            request_hash: &c.request_hash,
        })
        .collect();
    let mut inserted = submissions::insert_if_absent(tx.conn(), &rows).await?;
    let mut written = Vec::with_capacity(batch.len());
    for checked in batch {
        let key = (
            checked.access.cohort.row.id,
            checked.person_id,
            checked.release.day,
        );
        written.push(match inserted.remove(&key) {
            Some(submission_id) => Written::Stored {
                submission_id,
                first_completion: true,
                late: checked.late,
                had_reflection: false,
            },
            None => taken(&mut tx, checked).await?,
        });
    }
    let reflections: Vec<ReflectionText> = batch
        .iter()
        .zip(&written)
        .filter_map(|(c, w)| match w {
            Written::Stored { submission_id, .. } if !c.body.is_empty() => Some(ReflectionText {
                submission_id: *submission_id,
                handle: new_handle(),
                cohort_id: c.access.cohort.row.id,
                person_id: c.person_id,
                day: c.release.day,
                body: &c.body,
                visibility: c.visibility.as_str(),
                now: millis(c.now),
            }),
            _ => None,
        })
        .collect();
    submissions::upsert_reflections(tx.conn(), &reflections).await?;
    let saved: Vec<(i64, PersonId, Day)> = batch
        .iter()
        .zip(&written)
        .filter(|(_, w)| matches!(w, Written::Stored { .. }))
        .map(|(c, _)| (c.access.cohort.row.id, c.person_id, c.release.day))
        .collect();
    drafts_store::discard(tx.conn(), &saved).await?;
    let earned = earn(&mut tx, batch, &written).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut told = Vec::new();
    for ((checked, written), earning) in batch.iter().zip(written).zip(earned) {
        let stored = match written {
            Written::Refused(outcome) => {
                outcomes.push(outcome);
                continue;
            }
            Written::Repeat(stored) => stored,
            Written::Stored {
                submission_id,
                first_completion,
                late,
                ..
            } => {
                let (points, badges, total) = earning.unwrap_or_default();
                told.push(leaderboard::Earned {
                    cohort: &checked.access.cohort,
                    person_id: checked.person_id,
                    team_id: checked.access.team_id(),
                    points: total,
                    at: checked.now,
                    completed_day: first_completion.then_some(checked.release.day),
                });
                Stored {
                    submission_id,
                    day: checked.release.day,
                    late,
                    first_completion,
                    edited: !first_completion,
                    points,
                    badges,
                }
            }
        };
        outcomes.push(SubmitOutcome::Stored(stored));
    }
    leaderboard::commit_and_tell(services, tx, &told).await?;
    Ok(outcomes)
}

/// A random public id for a new reflection: below 2^53, so JSON readers keep it exact.
fn new_handle() -> i64 {
    let mut bytes = [0u8; 8];
    // The operating system's generator failing is beyond recovery; a zero handle would then
    // collide on the unique index and fail the write rather than pass unnoticed.
    let _ = getrandom::fill(&mut bytes);
    (u64::from_le_bytes(bytes) >> 11).max(1) as i64
}

/// A submission the constraints refused: the key or the day is taken. A request already stored
/// under this key (a retry, or a concurrent copy that won) is answered from what is stored, and
/// one that used the key for something else is refused; otherwise it edits the day (the
/// check-in now, the reflection with the others), unless its form was made from a reflection
/// that has since changed.
async fn taken(tx: &mut Tx, checked: &Checked) -> Result<Written, AppError> {
    if let Some(existing) =
        submissions::find_by_key(tx.conn(), checked.person_id, &checked.key).await?
    {
        // Rows written before requests were hashed have ''; they are taken as the same request.
        if existing.request_hash.is_empty() || existing.request_hash == checked.request_hash {
            return Ok(Written::Repeat(Stored::repeat(&existing)));
        }
        let stored = submissions::own_reflection(tx.conn(), existing.id).await?;
        return Ok(Written::Refused(SubmitOutcome::KeyReused {
            stored: stored.as_ref().map(StoredReflection::of),
        }));
    }
    let existing = submissions::find(
        tx.conn(),
        checked.access.cohort.row.id,
        checked.person_id,
        checked.release.day,
    )
    .await?
    .ok_or_else(|| StoreError::Conflict("submission vanished".into()))?;
    let reflection = submissions::own_reflection(tx.conn(), existing.id).await?;
    if let Some(row) = &reflection {
        let stored = StoredReflection::of(row);
        if is_stale(checked, &stored) {
            return Ok(Written::Refused(SubmitOutcome::Stale { stored }));
        }
        let naming = matches!(checked.visibility, Visibility::Cohort | Visibility::Team);
        if naming && !checked.body.is_empty() && row.in_published_crowd != 0 {
            return Ok(Written::Refused(SubmitOutcome::WouldReveal { stored }));
        }
    }
    if checked.checkin.is_some() {
        submissions::set_checkin(tx.conn(), existing.id, checked.checkin).await?;
    }
    Ok(Written::Stored {
        submission_id: existing.id,
        first_completion: false,
        late: existing.late != 0,
        had_reflection: reflection.is_some(),
    })
}

/// Whether saving `checked` would replace a stored reflection its form never showed: the form
/// was made from another version, and the request does not already match what is stored (as a
/// retry of the edit that stored it would).
fn is_stale(checked: &Checked, stored: &StoredReflection) -> bool {
    let Some(version) = &checked.version else {
        return false;
    };
    !checked.body.is_empty()
        && *version != stored.version
        && (checked.body != stored.body || checked.visibility != stored.visibility)
}

/// A stored submission that earns something: the occasion for its badges, and whether it was
/// late (for its points).
#[derive(Debug, Clone, Copy)]
struct Earning {
    occasion: badges::Occasion,
    late: bool,
}

impl Written {
    /// What the submission earns from: a first completion, or a first reflection added to a
    /// day already done. A repeat earns nothing, and so does an edit that only changes the text
    /// or the check-in (which changes no fact a badge counts).
    fn earning(&self, checked: &Checked) -> Option<Earning> {
        match *self {
            Written::Stored {
                submission_id,
                first_completion,
                late,
                had_reflection,
            } if first_completion || (!had_reflection && !checked.body.is_empty()) => {
                Some(Earning {
                    occasion: badges::Occasion {
                        submission_id,
                        day: checked.release.day,
                        team_id: checked.access.team_id(),
                        first_completion,
                    },
                    late,
                })
            }
            _ => None,
        }
    }
}

/// What a submission earned: the points by reason, the badges (the person's, then the team's),
/// and all the points together with the badges' bonuses.
type Earned = (Vec<(Reason, i64)>, Vec<Badge>, i64);

/// Writes what the batch's first completions and first reflections earned, inside its
/// transaction: the points (one ledger row per reason, written with the badge bonuses) and the
/// people's and, on a first completion, their teams' new badges. `None` for a submission that
/// earns nothing ([`Written::earning`]).
async fn earn(
    tx: &mut Tx,
    batch: &[Checked],
    written: &[Written],
) -> Result<Vec<Option<Earned>>, AppError> {
    let earns: Vec<Option<Earning>> = batch
        .iter()
        .zip(written)
        .map(|(c, w)| w.earning(c))
        .collect();
    let earning: Vec<(&Checked, Earning)> = batch
        .iter()
        .zip(&earns)
        .filter_map(|(c, e)| e.map(|e| (c, e)))
        .collect();
    let keys: Vec<_> = earning
        .iter()
        .map(|(c, e)| badges::facts_key(c.access.cohort.row.id, c.person_id, Some(e.occasion)))
        .collect();
    // Their days (for the streak bonus) come with their badge facts, in one query.
    let known = people_facts(tx.conn(), &keys).await?;
    let mut awards = Vec::with_capacity(earning.len());
    let mut candidates = Vec::with_capacity(earning.len());
    for (&(c, e), known) in earning.iter().zip(known) {
        let cohort = &c.access.cohort;
        let record = Record::of(cohort, c.released.clone(), known.days.clone());
        let earned = if e.occasion.first_completion {
            // Only on-time completions earn a streak bonus, but late ones still count in the run.
            let streak = streak::streaks(&record.states(c.now, i64::from(c.release.day))).current;
            points::completion(
                &cohort.pack.scoring,
                day_points(&c.release),
                e.late,
                !c.body.is_empty(),
                streak,
            )
        } else {
            points::reflection_added(&cohort.pack.scoring)
                .into_iter()
                .collect()
        };
        let ledger = earned
            .iter()
            .map(|(reason, amount)| points_store::Entry {
                cohort_id: cohort.row.id,
                person_id: c.person_id,
                day: Some(c.release.day),
                points: *amount,
                reason: reason.as_str(),
                submission_id: Some(e.occasion.submission_id),
                reaction_id: None,
                at: millis(c.now),
            })
            .collect();
        candidates.push(badges::Candidate {
            cohort,
            person_id: c.person_id,
            days: record.states(c.now, i64::MAX),
            known,
            occasion: Some(e.occasion),
            ledger,
            at: c.now,
        });
        awards.push(earned);
    }
    let awarded = badges::award(tx, candidates).await?;
    let mut earned = awards.into_iter().zip(awarded).map(|(points, awarded)| {
        let total = points.iter().map(|(_, p)| p).sum::<i64>() + awarded.bonus();
        let badges = awarded.person.into_iter().chain(awarded.team).collect();
        (points, badges, total)
    });
    Ok(earns
        .iter()
        .map(|e| e.and_then(|_| earned.next()))
        .collect())
}

/// The day's own points, when its pack sets them.
pub fn day_points(release: &ReleaseRow) -> Option<u32> {
    serde_json::from_str::<crate::pack::Day>(&release.day_json)
        .ok()
        .and_then(|d| d.points)
}

/// The release of a day, or a clear refusal when it has not happened.
pub async fn released_day(
    services: &Services,
    cohort: &Cohort,
    day: Day,
) -> Result<ReleaseRow, AppError> {
    released::release_of(services, cohort, day)
        .await?
        .ok_or_else(|| not_released(day))
}

fn not_released(day: Day) -> AppError {
    Refusal::DayNotReleased.says(format!("Day {day} has not been released yet."))
}

/// When a released day can no longer be completed, even late.
pub fn completable_until(cohort: &Cohort, release: &ReleaseRow) -> DateTime<Utc> {
    instant(release.closes_at)
        + chrono::Duration::days(i64::from(cohort.pack.scoring.catch_up_days))
}

/// A released day's completion window at `now`, under the cohort's pinned pack.
pub fn day_window(cohort: &Cohort, release: &ReleaseRow, now: DateTime<Utc>) -> Window {
    window::window(
        instant(release.released_at),
        instant(release.closes_at),
        cohort.pack.scoring.catch_up_days,
        now,
    )
}

/// Marks a released, uncompleted day as a rest day, which keeps a streak going. Each person has
/// the pack's allowance of them; marking the same day again changes nothing.
pub async fn mark_rest_day(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    day: Day,
) -> Result<(), AppError> {
    if !access.can_submit() {
        return Err(
            Refusal::NotParticipant.says("Only participants take rest days in this cohort.")
        );
    }
    let now = services.clock.now();
    let release = released_day(services, &access.cohort, day).await?;
    if !day_window(&access.cohort, &release, now).accepts() {
        return Err(Refusal::DayClosed.says(format!(
            "Day {day} has closed, so it can no longer be made a rest day."
        )));
    }
    let allowance = access.cohort.pack.scoring.rest_days;
    let cohort_id = access.cohort.row.id;
    let mut tx = services.store.begin_write().await?;
    if submissions::find(tx.conn(), cohort_id, person.id, release.day)
        .await?
        .is_some()
    {
        return Err(Refusal::DayAlreadyDone.says(format!(
            "Day {day} is already done, so it does not need to be a rest day."
        )));
    }
    if !points_store::insert_rest_day(tx.conn(), cohort_id, person.id, release.day, millis(now))
        .await?
    {
        return Ok(());
    }
    if !points_store::take_rest_day(tx.conn(), cohort_id, person.id, i64::from(allowance)).await? {
        return Err(Refusal::RestDaysUsedUp.says(format!(
            "You have used all {allowance} rest days this challenge allows."
        )));
    }
    tx.commit().await?;
    Ok(())
}
