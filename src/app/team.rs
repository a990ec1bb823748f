//! A manager's team: who is keeping up today, the team's days over the challenge, a member's
//! journey as the manager may see it, and a word of encouragement to someone who has not done
//! today's day yet.
//!
//! Only a manager of the team in *this* cohort gets in: the team is the one of their enrolment
//! here ([`CohortAccess::managed_team`]), so a manager in one cohort who takes part in another
//! sees nothing of the other. What the store selects keeps the rest private ([`crate::store::team`]):
//! reflections shared by name only, check-ins only as a team's average on days enough answered.

use chrono::{DateTime, Utc};

use super::journey::{CellState, cells, deadline};
use super::people::CohortAccess;
use super::record::Record;
use super::released::{self, Released};
use super::submission::day_window;
use super::{AppError, Refusal, Services};
use crate::domain::{Day, PersonId, TeamId, Visibility};
use crate::rules::streak::{self, Streaks};
use crate::store::team::{self, DoneRow, MemberRow};
use crate::store::{instant, millis};

/// How many days the members' row of recent days shows.
pub const RECENT_DAYS: usize = 7;

/// One member of the team as the manager sees them today.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: PersonId,
    pub name: String,
    /// How the newest released day stands for them (`None` before the first release).
    pub today: Option<CellState>,
    pub streak: u32,
    /// Their last [`RECENT_DAYS`] released days, oldest first.
    pub recent: Vec<(Day, CellState)>,
    /// Encouraged today already (once a day at most).
    pub encouraged: bool,
}

impl Member {
    /// Whether a word of encouragement would fit: today's day is open and not done or rested.
    pub fn may_encourage(&self) -> bool {
        matches!(self.today, Some(CellState::Today | CellState::CatchUp)) && !self.encouraged
    }
}

/// The team on one released day.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamDay {
    pub day: Day,
    /// Members who completed it (late included), and who rested.
    pub done: u32,
    pub rested: u32,
    /// Reflections shared by name that day, and the reactions they received.
    pub reflections: u32,
    pub reactions: u32,
    /// The team's average shift check-in (1 to 5), only when at least the cohort's
    /// `checkin_crowd` answered.
    pub checkin: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct TeamView {
    pub team: TeamId,
    pub team_name: String,
    pub length: u32,
    /// The newest released day.
    pub today: Option<Day>,
    pub members: Vec<Member>,
    /// Every released day, oldest first.
    pub days: Vec<TeamDay>,
    /// How many must answer a day's check-in before its average shows.
    pub checkin_crowd: u32,
}

impl TeamView {
    /// Members who completed today's day.
    pub fn done_today(&self) -> usize {
        self.members
            .iter()
            .filter(|m| matches!(m.today, Some(CellState::Done | CellState::Late)))
            .count()
    }

    /// The share of member-days done over the last `n` released days ending `back` days before
    /// the newest (0 for this week, 7 for the week before), or `None` when there were none.
    pub fn share_done(&self, n: usize, back: usize) -> Option<f64> {
        let size = self.members.len() as f64;
        let end = self.days.len().checked_sub(back)?;
        let days = &self.days[end.saturating_sub(n)..end];
        if days.is_empty() || size == 0.0 {
            return None;
        }
        Some(days.iter().map(|d| f64::from(d.done)).sum::<f64>() / (size * days.len() as f64))
    }
}

/// The team the caller manages in this cohort; anyone else gets "not found".
fn managed(access: &CohortAccess) -> Result<TeamId, AppError> {
    access
        .managed_team()
        .ok_or_else(|| AppError::NotFound("there is no such page".into()))
}

/// A member's record and late days from the team's rows.
fn record_of(
    access: &CohortAccess,
    released: &Released,
    member: &MemberRow,
    done: &[DoneRow],
    rest: &[(i64, i64)],
) -> (Record, Vec<i64>) {
    let mine = done.iter().filter(|d| d.person_id == member.person_id);
    let record = Record::new(
        &access.cohort,
        released.clone(),
        mine.clone().map(|d| d.day).collect(),
        rest.iter()
            .filter(|(p, _)| *p == member.person_id.get())
            .map(|(_, d)| *d)
            .collect(),
        member.enrolled_at,
    );
    (
        record,
        mine.filter(|d| d.late != 0).map(|d| d.day).collect(),
    )
}

/// The team page: each member today, and the team by day.
pub async fn view(services: &Services, access: &CohortAccess) -> Result<TeamView, AppError> {
    let team_id = managed(access)?;
    let cohort = &access.cohort;
    let pool = services.store.pool();
    let now = services.clock.now();
    let released = released::released(services, cohort).await?;
    let today = released.last().map(|r| r.day);
    let rows = team::members(pool, cohort.row.id, team_id).await?;
    let (done, rest) = team::days(pool, cohort.row.id, team_id).await?;
    let encouraged = match today {
        Some(day) => team::encouraged(pool, cohort.row.id, team_id, day).await?,
        None => Vec::new(),
    };
    let members = rows
        .iter()
        .map(|row| {
            let (record, late) = record_of(access, &released, row, &done, &rest);
            let grid = cells(cohort, &record, &late, now);
            let released_cells: Vec<_> = grid
                .into_iter()
                .filter(|(_, c)| *c != CellState::Upcoming)
                .collect();
            let recent =
                released_cells[released_cells.len().saturating_sub(RECENT_DAYS)..].to_vec();
            Member {
                id: row.person_id,
                name: row.display_name.clone(),
                today: recent.last().map(|(_, c)| *c),
                streak: streak::streaks(&record.states(now, i64::MAX)).current,
                recent,
                encouraged: encouraged.contains(&row.person_id),
            }
        })
        .collect();
    let shared = team::shared_by_day(pool, cohort.row.id, team_id).await?;
    let checkins = team::checkins(pool, cohort.row.id, team_id).await?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let days = released
        .iter()
        .map(|r| {
            let n = i64::from(r.day);
            let shared = shared.iter().find(|s| s.0 == n);
            TeamDay {
                day: r.day,
                done: count(done.iter().filter(|d| d.day == n).count()),
                rested: count(rest.iter().filter(|(_, d)| *d == n).count()),
                reflections: shared.map_or(0, |s| count(s.1 as usize)),
                reactions: shared.map_or(0, |s| count(s.2 as usize)),
                checkin: checkins
                    .iter()
                    .find(|c| c.0 == n && c.1 > 0)
                    .map(|c| c.2 as f64 / c.1 as f64),
            }
        })
        .collect();
    Ok(TeamView {
        team: team_id,
        team_name: access.membership.team_name.clone().unwrap_or_default(),
        length: cohort.calendar.length(),
        today,
        members,
        days,
        checkin_crowd: u32::try_from(team::checkin_crowd(pool, cohort.row.id).await?)
            .unwrap_or(u32::MAX),
    })
}

/// A participant of the caller's team here, with their record and late days; "not found" for
/// anyone else.
async fn member_record(
    services: &Services,
    access: &CohortAccess,
    person: PersonId,
) -> Result<(MemberRow, Record, Vec<i64>), AppError> {
    let team_id = managed(access)?;
    let cohort = &access.cohort;
    let pool = services.store.pool();
    let row = team::member(pool, cohort.row.id, team_id, person)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such member of your team".into()))?;
    let released = released::released(services, cohort).await?;
    let (done, rest) = team::days(pool, cohort.row.id, team_id).await?;
    let (record, late) = record_of(access, &released, &row, &done, &rest);
    Ok((row, record, late))
}

/// A reflection a member shared by name, as their manager reads it.
#[derive(Debug, Clone)]
pub struct SharedReflection {
    pub day: Day,
    pub body: String,
    pub visibility: Visibility,
    pub updated_at: DateTime<Utc>,
}

/// A member's journey as their manager may see it.
#[derive(Debug, Clone)]
pub struct MemberJourney {
    pub name: String,
    pub cells: Vec<(Day, CellState)>,
    pub streaks: Streaks,
    /// Only what they shared with the cohort or the team by name.
    pub reflections: Vec<SharedReflection>,
}

/// One member's journey; "not found" for anyone not a participant of the caller's team here.
pub async fn member(
    services: &Services,
    access: &CohortAccess,
    person: PersonId,
) -> Result<MemberJourney, AppError> {
    let cohort = &access.cohort;
    let pool = services.store.pool();
    let now = services.clock.now();
    let (row, record, late) = member_record(services, access, person).await?;
    Ok(MemberJourney {
        name: row.display_name,
        cells: cells(cohort, &record, &late, now),
        streaks: streak::streaks(&record.states(now, i64::MAX)),
        reflections: team::shared_reflections(pool, cohort.row.id, person)
            .await?
            .into_iter()
            .map(|r| SharedReflection {
                day: r.day,
                body: r.body,
                visibility: r.visibility,
                updated_at: instant(r.updated_at),
            })
            .collect(),
    })
}

/// What asking to encourage someone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encouraged {
    /// Queued: it goes at once, or when their quiet hours end.
    Queued,
    /// They were encouraged today already, or asked for no such messages: nothing more is sent.
    NotAgain,
}

/// Queues a short, kind message from the manager to a member of their team who has not done
/// today's day: at most once per member and day (whoever asks), held through the member's quiet
/// hours by the sender like any reminder, and dropped if the day closes first.
pub async fn encourage(
    services: &Services,
    access: &CohortAccess,
    person: PersonId,
) -> Result<Encouraged, AppError> {
    let cohort = &access.cohort;
    let now = services.clock.now();
    let (row, record, late) = member_record(services, access, person).await?;
    let Some(release) = record.released.last() else {
        return Err(Refusal::NothingToEncourage.says("No day has been released yet."));
    };
    let today = cells(cohort, &record, &late, now)
        .into_iter()
        .find(|(d, _)| *d == release.day)
        .map(|(_, c)| c);
    let until = deadline(&day_window(cohort, release, now));
    let (Some(CellState::Today | CellState::CatchUp), Some(until)) = (today, until) else {
        return Err(Refusal::NothingToEncourage.says(format!(
            "{} has nothing left to do on day {}.",
            row.display_name, release.day
        )));
    };
    let queued = team::queue_encouragement(
        services.store.pool(),
        cohort.row.id,
        person,
        release.day,
        access.viewer.person_id,
        millis(now),
        millis(until),
    )
    .await?;
    if !queued {
        return Ok(Encouraged::NotAgain);
    }
    services.mail_queued.notify_one();
    Ok(Encouraged::Queued)
}

/// The team at a glance, for the manager's Today.
#[derive(Debug, Clone)]
pub struct Summary {
    pub done_today: usize,
    pub members: usize,
    /// Who is on a rest day today.
    pub resting: Vec<String>,
    /// The share of member-days done over the last 7 released days, and the 7 before.
    pub this_week: Option<f64>,
    pub last_week: Option<f64>,
}

/// [`view`] reduced to the Today card; `None` for anyone who manages no team here.
pub async fn summary(
    services: &Services,
    access: &CohortAccess,
) -> Result<Option<Summary>, AppError> {
    if access.managed_team().is_none() {
        return Ok(None);
    }
    let view = view(services, access).await?;
    Ok(Some(Summary {
        done_today: view.done_today(),
        members: view.members.len(),
        resting: view
            .members
            .iter()
            .filter(|m| m.today == Some(CellState::Rest))
            .map(|m| m.name.clone())
            .collect(),
        this_week: view.share_done(7, 0),
        last_week: view.share_done(7, 7),
    }))
}
