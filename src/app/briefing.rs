//! The briefing-room view: every team's standing and completion today (the scope's teams
//! highlighted), and for the scope (a cohort or a manager's team) the longest current streaks,
//! the newest badges and one highlighted reflection.
//! A cohort's managers (for their team) and change leads see it signed in; a read-only link
//! (revocable, and revoked when its maker's role or team changes) shows it, and nothing else, on
//! the room's PC without anyone signing in.

use chrono::{DateTime, Duration, Utc};

use super::cohort::Cohort;
use super::leaderboard::{self, Row};
use super::people::{CohortAccess, Person, Role};
use super::record::Record;
use super::signin::{hash, new_secret};
use super::{AppError, Refusal, Services, cohort};
use crate::domain::{Day, PersonId, TeamId};
use crate::rules::streak;
use crate::store::{badges, briefing, instant, millis, points};

/// Which cohort and teams a screen shows; no teams means the whole cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub cohort_id: i64,
    pub teams: Vec<TeamId>,
}

impl Scope {
    fn shows(&self, team: Option<TeamId>) -> bool {
        self.teams.is_empty() || team.is_some_and(|t| self.teams.contains(&t))
    }
}

#[derive(Debug, Clone)]
pub struct TeamToday {
    pub id: i64,
    pub name: String,
    pub done: i64,
    pub size: i64,
}

#[derive(Debug, Clone)]
pub struct NewBadge {
    pub icon: String,
    pub badge: String,
    pub person: String,
}

#[derive(Debug, Clone)]
pub struct Briefing {
    pub cohort_name: String,
    /// The teams the screen is for, highlighted among the others (none: the whole cohort).
    pub mine: Vec<TeamId>,
    pub day: u32,
    pub length: u32,
    pub teams: Vec<Row>,
    pub teams_per_member: bool,
    pub today: Vec<TeamToday>,
    pub streaks: Vec<(String, u32)>,
    pub badges: Vec<NewBadge>,
    pub highlight: Option<briefing::Highlight>,
    pub stale: bool,
}

/// Who may see a cohort's briefing signed in, and for which teams: its change leads the whole
/// cohort; its managers the team they manage there. Anyone else gets "not found".
pub fn scope_for(access: &CohortAccess) -> Result<Scope, AppError> {
    let teams = match access.membership.role {
        Role::ChangeLead => Vec::new(),
        _ => vec![
            access
                .managed_team()
                .ok_or_else(|| AppError::NotFound("there is no such page".into()))?,
        ],
    };
    Ok(Scope {
        cohort_id: access.cohort.row.id,
        teams,
    })
}

pub async fn view(services: &Services, scope: &Scope) -> Result<Briefing, AppError> {
    let cohort = cohort::get(services, scope.cohort_id).await?;
    let pool = services.store.pool();
    let now = services.clock.now();
    let day = cohort.calendar.days_due(now);
    let sizes = services
        .kept
        .boards
        .team_sizes(services, cohort.row.id)
        .await?;
    let teams: Vec<Row> = leaderboard::teams(services, &cohort).await?;
    let done = match Day::new(day) {
        Some(day) => briefing::completions_by_team(pool, cohort.row.id, day).await?,
        None => Vec::new(),
    };
    let today = sizes
        .iter()
        .map(|(id, name, size)| TeamToday {
            id: *id,
            name: name.clone(),
            done: done
                .iter()
                .find(|(t, _)| t.get() == *id)
                .map_or(0, |(_, n)| *n),
            size: *size,
        })
        .collect();
    Ok(Briefing {
        cohort_name: cohort.row.name.clone(),
        mine: scope.teams.clone(),
        day,
        length: cohort.calendar.length(),
        teams,
        teams_per_member: cohort.pack.scoring.team_score == crate::pack::TeamScore::PerMember,
        today,
        streaks: longest_streaks(services, &cohort, scope, 5).await?,
        badges: newest_badges(services, &cohort, scope).await?,
        highlight: highlight(services, &cohort, scope).await?,
        stale: leaderboard::may_be_behind(services, cohort.row.id).await,
    })
}

/// The longest current streaks among the scope's participants.
async fn longest_streaks(
    services: &Services,
    cohort: &Cohort,
    scope: &Scope,
    n: usize,
) -> Result<Vec<(String, u32)>, AppError> {
    let pool = services.store.pool();
    let now = services.clock.now();
    let released = super::released::released(services, cohort).await?;
    let (done, rest) = briefing::days_by_person(pool, cohort.row.id).await?;
    let mut streaks: Vec<(String, u32)> = briefing::participants(pool, cohort.row.id)
        .await?
        .into_iter()
        .filter(|p| scope.shows(p.team_id))
        .map(|p| {
            let days = |rows: &[(PersonId, i64)]| {
                rows.iter()
                    .filter(|(who, _)| *who == p.person_id)
                    .map(|(_, d)| *d)
                    .collect()
            };
            let record = Record::new(
                cohort,
                released.clone(),
                days(&done),
                days(&rest),
                p.enrolled_at,
            );
            (
                p.display_name,
                streak::streaks(&record.states(now, i64::MAX)).current,
            )
        })
        .filter(|(_, s)| *s > 0)
        .collect();
    streaks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    streaks.truncate(n);
    Ok(streaks)
}

async fn newest_badges(
    services: &Services,
    cohort: &Cohort,
    scope: &Scope,
) -> Result<Vec<NewBadge>, AppError> {
    let pool = services.store.pool();
    let mut shown = Vec::new();
    for award in badges::newest(pool, cohort.row.id, 50).await? {
        if shown.len() == 5 {
            break;
        }
        if !scope.teams.is_empty()
            && !scope.shows(points::team_of(pool, cohort.row.id, award.person_id).await?)
        {
            continue;
        }
        if let Some(badge) = cohort.pack.badges.iter().find(|b| b.id == award.badge_id) {
            shown.push(NewBadge {
                icon: badge.icon.clone(),
                badge: badge.name.clone(),
                person: award.display_name,
            });
        }
    }
    Ok(shown)
}

/// One reflection shared with the cohort by name, from the last week, most reacted to first.
async fn highlight(
    services: &Services,
    cohort: &Cohort,
    scope: &Scope,
) -> Result<Option<briefing::Highlight>, AppError> {
    let since = millis(services.clock.now() - Duration::days(7));
    Ok(
        briefing::highlight(services.store.pool(), cohort.row.id, since)
            .await?
            .into_iter()
            .find(|h| scope.shows(h.team_id)),
    )
}

/// A read-only link as its maker sees it in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TvLink {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// When a screen last opened it (noted at most every [`NOTE_USE_EVERY`]).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<briefing::LinkRow> for TvLink {
    fn from(l: briefing::LinkRow) -> TvLink {
        TvLink {
            id: l.id,
            name: if l.name.is_empty() {
                "Unnamed screen".into()
            } else {
                l.name
            },
            created_at: instant(l.created_at),
            last_used_at: l.last_used_at.map(instant),
        }
    }
}

/// The longest name a link may have.
pub const MAX_LINK_NAME: usize = 80;
/// How stale a link's "last used" may get before a screen's visit writes it again: a screen
/// checks its link every few seconds, and a write each time would be a write for nothing.
const NOTE_USE_EVERY: Duration = Duration::minutes(5);

/// Makes a read-only link for the scope, named by its maker; returns its secret (shown once:
/// only its hash is kept).
pub async fn create_link(
    services: &Services,
    person: &Person,
    scope: &Scope,
    name: &str,
) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_LINK_NAME {
        return Err(Refusal::LinkNameInvalid.says(format!(
            "Give the screen a name of 1 to {MAX_LINK_NAME} characters, e.g. \"Briefing room, Ladywood\"."
        )));
    }
    let token = new_secret();
    let teams = scope
        .teams
        .iter()
        .map(TeamId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    briefing::insert_link(
        services.store.pool(),
        &hash(&token),
        scope.cohort_id,
        &teams,
        person.id,
        millis(services.clock.now()),
        name,
    )
    .await?;
    Ok(token)
}

/// The address a link's secret opens.
pub fn link_url(services: &Services, token: &str) -> String {
    format!(
        "{}/briefing/{token}",
        services.base_url.trim_end_matches('/')
    )
}

/// The person's live links for a cohort, oldest first.
pub async fn links(
    services: &Services,
    person: &Person,
    scope: &Scope,
) -> Result<Vec<TvLink>, AppError> {
    Ok(
        briefing::links(services.store.pool(), scope.cohort_id, person.id)
            .await?
            .into_iter()
            .map(TvLink::from)
            .collect(),
    )
}

/// The live link a secret stands for, if the person made it for this scope: the page that made
/// it shows it once more, straight after.
pub async fn made_link(
    services: &Services,
    person: &Person,
    scope: &Scope,
    token: &str,
) -> Result<Option<TvLink>, AppError> {
    if token.len() != 64 {
        return Ok(None);
    }
    Ok(briefing::link(services.store.pool(), &hash(token))
        .await?
        .filter(|l| l.created_by == person.id && scope_of(l) == *scope)
        .map(TvLink::from))
}

pub async fn revoke_link(services: &Services, person: &Person, id: i64) -> Result<(), AppError> {
    if briefing::revoke_link(
        services.store.pool(),
        id,
        person.id,
        millis(services.clock.now()),
    )
    .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound("there is no such link".into()))
    }
}

fn scope_of(l: &briefing::LinkRow) -> Scope {
    Scope {
        cohort_id: l.cohort_id,
        teams: l
            .team_ids
            .split(',')
            .filter_map(|t| t.parse().ok().map(TeamId))
            .collect(),
    }
}

/// The scope a read-only link shows, if the link is live; notes that a screen used it.
pub async fn open_link(services: &Services, token: &str) -> Result<Option<Scope>, AppError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let pool = services.store.pool();
    let Some(link) = briefing::link(pool, &hash(token)).await? else {
        return Ok(None);
    };
    let now = services.clock.now();
    if link
        .last_used_at
        .is_none_or(|at| instant(at) + NOTE_USE_EVERY <= now)
    {
        briefing::note_use(pool, link.id, millis(now)).await?;
    }
    Ok(Some(scope_of(&link)))
}
