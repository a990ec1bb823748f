//! What a participant sees of their own challenge: today's day (and any day still open), one day
//! in full, and the whole journey as a grid with streaks and their own reflections.

use chrono::{DateTime, Utc};

use super::cohort::Cohort;
use super::people::CohortAccess;
use super::record::Record;
use super::released;
use super::submission::{day_window, reflection_version};
use super::{AppError, Refusal, Services};
use crate::domain::{self, Visibility};
use crate::pack::{Badge, Day};
use crate::rules::points::Reason;
use crate::rules::streak::{self, Streaks};
use crate::rules::window::Window;
use crate::store::instant;
use crate::store::points;
use crate::store::releases::ReleaseRow;
use crate::store::submissions::{self, OwnReflectionRow, SubmissionRow};

/// A person's completion of a day.
#[derive(Debug, Clone, Copy)]
pub struct Completion {
    pub late: bool,
    /// How the shift went, 1 to 5, if they said.
    pub checkin: Option<u8>,
}

impl From<&SubmissionRow> for Completion {
    fn from(s: &SubmissionRow) -> Completion {
        Completion {
            late: s.late != 0,
            checkin: s.checkin.and_then(|c| u8::try_from(c).ok()),
        }
    }
}

/// A person's own reflection, as its author sees it.
#[derive(Debug, Clone)]
pub struct OwnReflection {
    /// Its public id, as the feed knows it.
    pub id: i64,
    pub day: domain::Day,
    pub body: String,
    pub visibility: Visibility,
    pub updated_at: DateTime<Utc>,
    /// Why a change lead hid it from the feed, if they did.
    pub hidden_reason: Option<String>,
    /// An anonymous reflection not yet in the feed: it waits for its batch.
    pub waiting: bool,
    /// Its [`reflection_version`], for the form that edits it.
    pub version: String,
}

impl From<OwnReflectionRow> for OwnReflection {
    fn from(r: OwnReflectionRow) -> OwnReflection {
        OwnReflection {
            id: r.id,
            day: r.day,
            version: reflection_version(&r.body, r.visibility),
            waiting: r.visibility == Visibility::Anonymous && r.shown_at.is_none(),
            body: r.body,
            visibility: r.visibility,
            updated_at: instant(r.updated_at),
            hidden_reason: r.hidden_reason,
        }
    }
}

/// One released day as the person sees it now.
#[derive(Debug, Clone)]
pub struct DayView {
    pub day: domain::Day,
    pub content: Day,
    pub window: Window,
    pub submission: Option<Completion>,
    pub reflection: Option<OwnReflection>,
    /// What the submission earned: points by reason, and badges.
    pub earned: Vec<(Reason, i64)>,
    pub badges: Vec<Badge>,
    /// The person marked it a rest day.
    pub rest: bool,
}

/// How far a person has come in a cohort. Days done come first: a break never takes them away;
/// the current run and the best run follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Days completed, on time or late.
    pub days_done: u32,
    pub streaks: Streaks,
    pub points: i64,
}

impl Progress {
    /// A run that starts again after a missed day: the moment for "welcome back", never for
    /// what was lost.
    pub fn back_after_a_break(&self) -> bool {
        self.streaks.current == 1 && self.days_done > 1 && self.streaks.best >= 1
    }
}

/// [`Progress`] from a person's record and their points by reason.
fn progress_of(record: &Record, now: DateTime<Utc>, points: &[(Reason, i64)]) -> Progress {
    Progress {
        days_done: record.done.len() as u32,
        streaks: streak::streaks(&record.states(now, i64::MAX)),
        points: points.iter().map(|(_, p)| p).sum(),
    }
}

/// The person's points by reason.
async fn points_by_reason(
    services: &Services,
    access: &CohortAccess,
) -> Result<Vec<(Reason, i64)>, AppError> {
    Ok(points::breakdown(
        services.store.pool(),
        access.cohort.row.id,
        access.viewer.person_id,
    )
    .await?
    .into_iter()
    .filter_map(|(reason, sum)| Reason::parse(&reason).map(|r| (r, sum)))
    .collect())
}

/// The person's record in the cohort, as streaks and rest days read it.
async fn record_of(services: &Services, access: &CohortAccess) -> Result<Record, AppError> {
    let released = released::released(services, &access.cohort).await?;
    Record::load(
        services.store.pool(),
        &access.cohort,
        released,
        access.viewer.person_id,
    )
    .await
}

/// What the page shows right after a day is saved: progress, the rank on the cohort board,
/// and colleagues' reactions to the person's reflection of the day before.
#[derive(Debug, Clone)]
pub struct Celebration {
    pub progress: Progress,
    /// Their place on the cohort board now (none before they have points, or when the boards
    /// cannot be read just now: a celebration never fails the page).
    pub rank: Option<usize>,
    /// Reactions from colleagues to their reflection of the day before, by label.
    pub reactions_yesterday: Vec<(&'static str, i64)>,
}

/// The person's place on the cohort board, if they are on it and it can be read.
pub async fn rank(services: &Services, access: &CohortAccess) -> Option<usize> {
    let around = services
        .board
        .around(
            access.cohort.row.id,
            &crate::board::Key::People,
            access.viewer.person_id.get(),
            0,
        )
        .await
        .ok()??;
    around
        .iter()
        .find(|s| s.member == access.viewer.person_id.get())
        .map(|s| s.rank)
}

pub async fn celebration(
    services: &Services,
    access: &CohortAccess,
    day: domain::Day,
) -> Result<Celebration, AppError> {
    let record = record_of(services, access).await?;
    let points = points_by_reason(services, access).await?;
    let reactions = match domain::Day::new(day.get() - 1) {
        Some(yesterday) => crate::store::feed::reactions_to_own(
            services.store.pool(),
            access.cohort.row.id,
            access.viewer.person_id,
            yesterday,
        )
        .await?
        .into_iter()
        .filter_map(|(kind, count)| {
            super::feed::REACTIONS
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, label)| (*label, count))
        })
        .collect(),
        None => Vec::new(),
    };
    Ok(Celebration {
        progress: progress_of(&record, services.clock.now(), &points),
        rank: rank(services, access).await,
        reactions_yesterday: reactions,
    })
}

/// A cohort's "today" for one person.
#[derive(Debug, Clone)]
pub struct TodayView {
    pub length: u32,
    /// The newest released day, if any has been released.
    pub latest: Option<DayView>,
    /// Older days the person can still complete (on time or late), oldest first.
    pub still_open: Vec<(domain::Day, Window)>,
    pub next_release: Option<(u32, DateTime<Utc>)>,
    pub progress: Progress,
}

fn content(release: &ReleaseRow) -> Result<Day, AppError> {
    serde_json::from_str(&release.day_json).map_err(|e| {
        Refusal::DayUnreadable.says(format!("day {} cannot be read: {e}", release.day))
    })
}

pub async fn today(services: &Services, access: &CohortAccess) -> Result<TodayView, AppError> {
    let now = services.clock.now();
    let cohort = &access.cohort;
    let released = released::released(services, cohort).await?;
    let done = submissions::for_person(
        services.store.pool(),
        cohort.row.id,
        access.viewer.person_id,
    )
    .await?;
    let record = Record::load(
        services.store.pool(),
        cohort,
        released.clone(),
        access.viewer.person_id,
    )
    .await?;
    let latest = match released.last() {
        Some(release) => {
            let submission = done.iter().find(|s| s.day == release.day).cloned();
            let rest = record.rest.contains(&i64::from(release.day));
            Some(day_of(services, access, release, submission, rest).await?)
        }
        None => None,
    };
    let points = points_by_reason(services, access).await?;
    let still_open = released
        .iter()
        .rev()
        .skip(1)
        .filter(|r| !done.iter().any(|s| s.day == r.day))
        .map(|r| (r.day, day_window(&access.cohort, r, now)))
        .filter(|(_, w)| w.accepts())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Ok(TodayView {
        length: cohort.calendar.length(),
        latest,
        still_open,
        next_release: cohort.calendar.next_release(now),
        progress: progress_of(&record, now, &points),
    })
}

/// One released day with the person's submission and reflection, if any.
pub async fn day(
    services: &Services,
    access: &CohortAccess,
    day: domain::Day,
) -> Result<DayView, AppError> {
    let cohort_id = access.cohort.row.id;
    let person = access.viewer.person_id;
    let release = released::release_of(services, &access.cohort, day)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Day {day} has not been released yet.")))?;
    let submission =
        submissions::find(services.store.pool(), cohort_id, person, release.day).await?;
    let rest = submission.is_none()
        && record_of(services, access)
            .await?
            .rest
            .contains(&i64::from(release.day));
    day_of(services, access, &release, submission, rest).await
}

/// [`day`] for a release and submission already read.
async fn day_of(
    services: &Services,
    access: &CohortAccess,
    release: &ReleaseRow,
    submission: Option<SubmissionRow>,
    rest: bool,
) -> Result<DayView, AppError> {
    let reflection = match &submission {
        Some(s) => submissions::own_reflection(services.store.pool(), s.id).await?,
        None => None,
    };
    let (earned, badges) = match &submission {
        Some(s) => {
            let pool = services.store.pool();
            let earned = points::for_submission(pool, s.id)
                .await?
                .into_iter()
                .filter_map(|(reason, sum)| Reason::parse(&reason).map(|r| (r, sum)))
                .collect();
            let ids = crate::store::badges::for_submission(pool, s.id).await?;
            let badges = access
                .cohort
                .pack
                .badges
                .iter()
                .filter(|b| ids.contains(&b.id))
                .cloned()
                .collect();
            (earned, badges)
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(DayView {
        earned,
        badges,
        rest,
        day: release.day,
        content: content(release)?,
        window: day_window(&access.cohort, release, services.clock.now()),
        submission: submission.as_ref().map(Completion::from),
        reflection: reflection.map(OwnReflection::from),
    })
}

/// How one day of the journey grid looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Done,
    Late,
    /// Closed and not completed, but it can still be caught up.
    CatchUp,
    Missed,
    /// Before the person joined.
    NotJoined,
    /// A rest day they marked.
    Rest,
    /// The newest released day, open and not done yet.
    Today,
    Upcoming,
}

#[derive(Debug, Clone)]
pub struct JourneyView {
    pub cells: Vec<(domain::Day, CellState)>,
    pub progress: Progress,
    /// The person's own reflections, private ones included, with whether each can still be edited.
    pub reflections: Vec<(OwnReflection, bool)>,
    /// Points by reason (the total is in `progress`).
    pub points: Vec<(Reason, i64)>,
    pub rest_days_left: u32,
}

pub async fn journey(services: &Services, access: &CohortAccess) -> Result<JourneyView, AppError> {
    let now = services.clock.now();
    let cohort = &access.cohort;
    let person = access.viewer.person_id;
    let released = released::released(services, cohort).await?;
    let done = submissions::for_person(services.store.pool(), cohort.row.id, person).await?;
    let record = Record::load(services.store.pool(), cohort, released.clone(), person).await?;
    let late: Vec<i64> = done
        .iter()
        .filter(|s| s.late != 0)
        .map(|s| i64::from(s.day))
        .collect();
    let cells = cells(cohort, &record, &late, now);
    let rest = &record.rest;
    let reflections = submissions::own_reflections(services.store.pool(), cohort.row.id, person)
        .await?
        .into_iter()
        .map(|r| {
            let editable = released
                .iter()
                .find(|rel| rel.day == r.day)
                .is_some_and(|rel| day_window(&access.cohort, rel, now).accepts());
            (OwnReflection::from(r), editable)
        })
        .collect();
    let points = points_by_reason(services, access).await?;
    Ok(JourneyView {
        cells,
        progress: progress_of(&record, now, &points),
        reflections,
        points,
        rest_days_left: cohort
            .pack
            .scoring
            .rest_days
            .saturating_sub(rest.len() as u32),
    })
}

/// Each day of the challenge as it stands for the person of `record` at `now` (`late`: the days
/// they completed late): their journey grid, which their manager's team page shows too.
pub(super) fn cells(
    cohort: &Cohort,
    record: &Record,
    late: &[i64],
    now: DateTime<Utc>,
) -> Vec<(domain::Day, CellState)> {
    domain::Day::up_to(cohort.calendar.length())
        .map(|day| {
            let n = i64::from(day);
            let cell = match record.released.iter().find(|r| r.day == day) {
                None => CellState::Upcoming,
                Some(_) if record.done.contains(&n) && late.contains(&n) => CellState::Late,
                Some(_) if record.done.contains(&n) => CellState::Done,
                Some(_) if record.rest.contains(&n) => CellState::Rest,
                Some(r) if r.closes_at <= record.enrolled_at => CellState::NotJoined,
                Some(r) => match day_window(cohort, r, now) {
                    Window::OnTime { .. } => CellState::Today,
                    Window::Late { .. } => CellState::CatchUp,
                    Window::Closed | Window::NotReleased => CellState::Missed,
                },
            };
            (day, cell)
        })
        .collect()
}

/// When a day closes or its catch-up ends, for telling the person.
pub fn deadline(window: &Window) -> Option<DateTime<Utc>> {
    match window {
        Window::OnTime { closes_at } => Some(*closes_at),
        Window::Late { until } => Some(*until),
        _ => None,
    }
}

/// The pack's badges, each with whether the person has earned it: their badge shelf.
pub async fn shelf(
    services: &Services,
    access: &CohortAccess,
) -> Result<Vec<(Badge, bool)>, AppError> {
    let have = crate::store::badges::awarded(
        services.store.pool(),
        access.cohort.row.id,
        access.viewer.person_id,
    )
    .await?;
    Ok(access
        .cohort
        .pack
        .badges
        .iter()
        .filter(|b| !matches!(b.rule, crate::pack::BadgeRule::TeamFullDay { .. }))
        .map(|b| (b.clone(), have.contains(&b.id)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(days_done: u32, current: u32, best: u32) -> Progress {
        Progress {
            days_done,
            streaks: Streaks { current, best },
            points: 0,
        }
    }

    #[test]
    fn welcome_back_only_when_a_run_starts_again_after_days_done() {
        // The first day ever is a start, not a return.
        assert!(!progress(1, 1, 1).back_after_a_break());
        // Done, missed, done again: welcome back; what was done stays counted.
        assert!(progress(5, 1, 4).back_after_a_break());
        // A run going on is no return.
        assert!(!progress(5, 2, 4).back_after_a_break());
        assert!(!progress(3, 3, 3).back_after_a_break());
    }
}
