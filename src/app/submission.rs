//! Completing a day: the one place the submission rules live, for pages, API and CLI alike.
//!
//! Only released days; on time until the day closes, late within the pack's catch-up days, never
//! after. One submission per person and day, however many times the request arrives: the form
//! carries an idempotency key and the database holds a unique constraint on both the key and the
//! (cohort, person, day), so a double tap, a retry after a dropped connection, or fifty identical
//! requests at once store one submission. Submitting again for a day already done edits its
//! reflection while the day can still be completed.

use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

use super::cohort::Cohort;
use super::people::{CohortAccess, Person};
use super::record::Record;
use super::released::{self, Released};
use super::{AppError, Services, badges, leaderboard};
use crate::pack::Badge;
use crate::rules::points::{self, BADGE_BONUS, Reason};
use crate::rules::safeguarding::{self, Flag};
use crate::rules::streak;
use crate::rules::window::{self, Window};
use crate::store::points as points_store;
use crate::store::releases::ReleaseRow;
use crate::store::submissions::{self, NewSubmission, ReflectionText, SubmissionRow};
use crate::store::{StoreError, instant, millis};

/// The longest reflection, in characters: two lines is the aim, a paragraph is welcome.
pub const MAX_REFLECTION_CHARS: usize = 2000;

/// Who may read a reflection.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone in the cohort, with my name.
    Cohort,
    /// My team (and its managers), with my name.
    Team,
    /// Only me: never shown to anyone else, managers and change leads included.
    Private,
    /// Everyone in the cohort, without my name or team.
    Anonymous,
}

impl Visibility {
    pub const ALL: [Visibility; 4] = [
        Visibility::Cohort,
        Visibility::Team,
        Visibility::Anonymous,
        Visibility::Private,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Cohort => "cohort",
            Visibility::Team => "team",
            Visibility::Private => "private",
            Visibility::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// How the choice reads on the form.
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Cohort => "My cohort, with my name",
            Visibility::Team => "My team only",
            Visibility::Anonymous => "My cohort, without my name",
            Visibility::Private => "Only me",
        }
    }
}

/// What a person sends when they complete a day.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    pub day: u32,
    /// Empty for no reflection.
    pub reflection: String,
    pub checkin: Option<u8>,
    pub visibility: Visibility,
    /// Chosen by the form when it is rendered; the same key on a retry means the same submission.
    pub idempotency_key: String,
    /// The person saw the flagged parts and chose to post with them replaced by `[removed]`.
    pub remove_flagged: bool,
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    /// The day is done (now, or already with this key, or edited).
    Stored(Stored),
    /// Nothing was stored: the reflection would be shared and looks identifying. Show the person
    /// these parts; they edit, or send again with `remove_flagged`.
    NeedsReview { flags: Vec<Flag> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub submission_id: i64,
    pub day: u32,
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
            day: existing.day as u32,
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
    shared: bool,
    remove_flagged: bool,
) -> Result<Result<String, Vec<Flag>>, AppError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(AppError::Invalid(format!(
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

/// Completes (or edits) a day for the person.
pub async fn submit(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    request: &SubmitRequest,
) -> Result<SubmitOutcome, AppError> {
    if !access.can_submit() {
        return Err(AppError::Invalid(
            "Only participants complete days in this cohort; you can read and react to the feed."
                .into(),
        ));
    }
    let key = request.idempotency_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(AppError::Invalid(
            "The form was incomplete; please reload the page and try again.".into(),
        ));
    }
    if let Some(checkin) = request.checkin
        && !(1..=5).contains(&checkin)
    {
        return Err(AppError::Invalid(
            "The shift check-in is a number from 1 to 5.".into(),
        ));
    }
    let cohort_id = access.cohort.row.id;
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
            return Err(AppError::Invalid(format!(
                "Day {} has closed, so it can no longer be completed. Today's challenge is waiting for you.",
                request.day
            )));
        }
    };
    let shared = request.visibility != Visibility::Private;
    let body = match prepare_text(
        services,
        &request.reflection,
        MAX_REFLECTION_CHARS,
        shared,
        request.remove_flagged,
    )? {
        Ok(body) => body,
        Err(flags) => return Ok(SubmitOutcome::NeedsReview { flags }),
    };
    let day = i64::from(request.day);
    let checkin = request.checkin.map(i64::from);
    let mut tx = services.store.begin_write().await?;
    let inserted = submissions::insert_if_absent(
        &mut *tx,
        &NewSubmission {
            cohort_id,
            person_id: person.id,
            team_id: access.team_id(),
            day,
            now: millis(now),
            late,
            idempotency_key: key,
            checkin,
        },
    )
    .await?;
    let (submission_id, first_completion, late) = match inserted {
        Some(id) => (id, true, late),
        None => {
            // The key or the day is taken. A request already stored under this key (a retry, or
            // a concurrent copy that won) is answered from what is stored, whatever else it says.
            if let Some(existing) = submissions::find_by_key(&mut *tx, person.id, key).await? {
                return Ok(SubmitOutcome::Stored(Stored::repeat(&existing)));
            }
            let existing = submissions::find(&mut *tx, cohort_id, person.id, day)
                .await?
                .ok_or_else(|| StoreError::Conflict("submission vanished".into()))?;
            if checkin.is_some() {
                submissions::set_checkin(&mut *tx, existing.id, checkin).await?;
            }
            (existing.id, false, existing.late != 0)
        }
    };
    let had_reflection =
        !first_completion && submissions::has_reflection(&mut *tx, submission_id).await?;
    if !body.is_empty() {
        submissions::upsert_reflection(
            &mut *tx,
            &ReflectionText {
                submission_id,
                cohort_id,
                person_id: person.id,
                day,
                body: &body,
                visibility: request.visibility.as_str(),
                now: millis(now),
            },
        )
        .await?;
    }
    // An edit that only changes the text or the check-in earns nothing and changes no fact a
    // badge counts; only a first completion or a first reflection can.
    let (awards, badges, earned) = if first_completion || (!had_reflection && !body.is_empty()) {
        let earning = Earning {
            submission_id,
            release: &release,
            released,
            first_completion,
            late,
            reflected: !body.is_empty(),
            now,
        };
        earn(&mut tx, person, access, earning).await?
    } else {
        (Vec::new(), Vec::new(), 0)
    };
    let team_id = access.team_id();
    tx.commit().await.map_err(StoreError::from)?;
    leaderboard::record_points(services, &access.cohort, person.id, team_id, earned, now).await;
    if first_completion {
        services
            .board
            .complete(cohort_id, request.day, person.id, now)
            .await;
    }
    services.live.changed(cohort_id).await;
    Ok(SubmitOutcome::Stored(Stored {
        submission_id,
        day: request.day,
        late,
        first_completion,
        edited: !first_completion,
        points: awards,
        badges,
    }))
}

/// What a submission that may earn something did.
struct Earning<'a> {
    submission_id: i64,
    release: &'a ReleaseRow,
    /// The cohort's releases so far.
    released: Released,
    first_completion: bool,
    late: bool,
    reflected: bool,
    now: DateTime<Utc>,
}

/// Writes what a first completion or a first reflection earned, inside its transaction: the
/// points (one ledger row per reason, written with the badge bonuses) and the person's and, on a
/// first completion, the team's new badges. Also returns the person's points in all.
async fn earn(
    tx: &mut Transaction<'static, Any>,
    person: &Person,
    access: &CohortAccess,
    earning: Earning<'_>,
) -> Result<(Vec<(Reason, i64)>, Vec<Badge>, i64), AppError> {
    let cohort = &access.cohort;
    let now = earning.now;
    let record = Record::load(&mut **tx, cohort, earning.released, person.id).await?;
    let awards = if earning.first_completion {
        // Only on-time completions earn a streak bonus, but late ones still count in the run.
        let streak = streak::streaks(&record.states(now, earning.release.day)).current;
        points::completion(
            &cohort.pack.scoring,
            day_points(earning.release),
            earning.late,
            earning.reflected,
            streak,
        )
    } else {
        points::reflection_added(&cohort.pack.scoring)
            .into_iter()
            .collect()
    };
    let entries: Vec<points_store::Entry> = awards
        .iter()
        .map(|(reason, amount)| points_store::Entry {
            cohort_id: cohort.row.id,
            person_id: person.id,
            day: earning.release.day,
            points: *amount,
            reason: reason.as_str(),
            submission_id: Some(earning.submission_id),
            reaction_id: None,
            at: millis(now),
        })
        .collect();
    let awarded = badges::award(
        tx,
        cohort,
        person.id,
        &record.states(now, i64::MAX),
        Some(badges::Occasion {
            submission_id: earning.submission_id,
            day: earning.release.day,
            team_id: access.team_id(),
            first_completion: earning.first_completion,
        }),
        now,
        entries,
    )
    .await?;
    let earned =
        awards.iter().map(|(_, p)| p).sum::<i64>() + BADGE_BONUS * awarded.person.len() as i64;
    let badges = awarded.person.into_iter().chain(awarded.team).collect();
    Ok((awards, badges, earned))
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
    day: u32,
) -> Result<ReleaseRow, AppError> {
    released::release_of(services, cohort, day)
        .await?
        .ok_or_else(|| not_released(day))
}

fn not_released(day: u32) -> AppError {
    AppError::Invalid(format!("Day {day} has not been released yet."))
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
    day: u32,
) -> Result<(), AppError> {
    if !access.can_submit() {
        return Err(AppError::Invalid(
            "Only participants take rest days in this cohort.".into(),
        ));
    }
    let now = services.clock.now();
    let release = released_day(services, &access.cohort, day).await?;
    if !day_window(&access.cohort, &release, now).accepts() {
        return Err(AppError::Invalid(format!(
            "Day {day} has closed, so it can no longer be made a rest day."
        )));
    }
    let allowance = access.cohort.pack.scoring.rest_days;
    let cohort_id = access.cohort.row.id;
    let mut tx = services.store.begin_write().await?;
    if submissions::find(&mut *tx, cohort_id, person.id, i64::from(day))
        .await?
        .is_some()
    {
        return Err(AppError::Invalid(format!(
            "Day {day} is already done, so it does not need to be a rest day."
        )));
    }
    if !points_store::insert_rest_day(&mut *tx, cohort_id, person.id, i64::from(day), millis(now))
        .await?
    {
        return Ok(());
    }
    if !points_store::take_rest_day(&mut *tx, cohort_id, person.id, i64::from(allowance)).await? {
        return Err(AppError::Invalid(format!(
            "You have used all {allowance} rest days this challenge allows."
        )));
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
