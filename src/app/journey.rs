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
    let latest = match released.last() {
        Some(release) => {
            let submission = done.iter().find(|s| s.day == release.day).cloned();
            Some(day_of(services, access, release, submission).await?)
        }
        None => None,
    };
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
    })
}

/// One released day with the person's submission and reflection, if any.
pub async fn day(
    services: &Services,
    access: &CohortAccess,
    day: u32,
) -> Result<DayView, AppError> {
    let cohort_id = access.cohort.row.id;
    let person = access.viewer.person_id;
    let release = released::release_of(services, &access.cohort, day)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Day {day} has not been released yet.")))?;
    let submission =
        submissions::find(services.store.pool(), cohort_id, person, release.day).await?;
    day_of(services, access, &release, submission).await
}

/// [`day`] for a release and submission already read.
async fn day_of(
    services: &Services,
    access: &CohortAccess,
    release: &ReleaseRow,
    submission: Option<SubmissionRow>,
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
    pub streaks: Streaks,
    /// The person's own reflections, private ones included, with whether each can still be edited.
    pub reflections: Vec<(OwnReflection, bool)>,
    /// Points by reason, and the total.
    pub points: Vec<(Reason, i64)>,
    pub total: i64,
    pub rest_days_left: u32,
}

pub async fn journey(services: &Services, access: &CohortAccess) -> Result<JourneyView, AppError> {
    let now = services.clock.now();
    let cohort = &access.cohort;
    let person = access.viewer.person_id;
    let released = released::released(services, cohort).await?;
    let done = submissions::for_person(services.store.pool(), cohort.row.id, person).await?;
    let record = Record::load(services.store.pool(), cohort, released.clone(), person).await?;
    let states = record.states(now, i64::MAX);
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
    let points: Vec<(Reason, i64)> =
        points::breakdown(services.store.pool(), cohort.row.id, person)
            .await?
            .into_iter()
            .filter_map(|(reason, sum)| Reason::parse(&reason).map(|r| (r, sum)))
            .collect();
    Ok(JourneyView {
        cells,
        streaks: streak::streaks(&states),
        reflections,
        total: points.iter().map(|(_, p)| p).sum(),
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
