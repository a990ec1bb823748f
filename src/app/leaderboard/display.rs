//! The boards as people see them: the cohort's top ten and their place in it, their team, the
//! teams, this week, and who was first today, as rows with names.

use crate::domain::{Day, TeamId};
use std::collections::HashMap;

use chrono::Datelike;

use crate::app::cohort::Cohort;
use crate::app::{AppError, Services};
use crate::board::{self, Key, Score, Standing};
use crate::pack::TeamScore;

/// A row of a board as shown: a name and points.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Row {
    /// The position in the board's order (equal points broken by who reached them first).
    pub rank: usize,
    /// The place as people read it: equal points share the place of the first of them
    /// (1, 2, 2, 4). On a board's top this is exact; on a slice around a person, a tie that
    /// starts above the slice is placed from its first row shown.
    pub place: usize,
    /// Another row shown has the same points (shown as "=2").
    pub tied: bool,
    pub id: i64,
    pub name: String,
    /// Points; for teams scored per member, points per member (one decimal).
    pub points: f64,
    pub me: bool,
}

/// Team standings: by points per participant (fair between sizes) or by the sum, as the pack says.
pub async fn teams(services: &Services, cohort: &Cohort) -> Result<Vec<Row>, AppError> {
    let sizes = services
        .kept
        .boards
        .team_sizes(services, cohort.row.id)
        .await?;
    let sums = services
        .board
        .standings(cohort.row.id, &Key::Teams)
        .await
        .map_err(AppError::unavailable)?;
    let sums: HashMap<i64, Score> = sums.into_iter().map(|s| (s.member, s.score)).collect();
    let per_member = cohort.pack.scoring.team_score == TeamScore::PerMember;
    let mut rows: Vec<(f64, i64, i64, String)> = sizes
        .iter()
        .map(|&(id, ref name, size)| {
            let standing = sums.get(&id);
            let sum = standing.map_or(0, |s| s.points);
            let reached = standing.map_or(i64::MAX, |s| s.reached);
            let score = if per_member {
                sum as f64 / size.max(1) as f64
            } else {
                sum as f64
            };
            ((score * 10.0).round() / 10.0, reached, id, name.clone())
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    Ok(with_ties(
        rows.into_iter()
            .enumerate()
            .map(|(i, (points, _, id, name))| Row {
                rank: i + 1,
                place: i + 1,
                tied: false,
                id,
                name,
                points,
                me: false,
            })
            .collect(),
    ))
}

/// Rows in board order with equal points sharing a place: each takes the rank of the first row
/// with its points, and is marked tied when another row has them too.
fn with_ties(mut rows: Vec<Row>) -> Vec<Row> {
    let mut first = 0;
    for i in 0..rows.len() {
        if rows[i].points != rows[first].points {
            first = i;
        }
        rows[i].place = rows[first].rank;
    }
    for i in 0..rows.len() {
        let points = rows[i].points;
        rows[i].tied = rows
            .iter()
            .enumerate()
            .any(|(j, r)| j != i && r.points == points);
    }
    rows
}

/// The top teams from all of a cohort's standings (in order), and, when `mine` is below them,
/// it with two either side; the viewer's team is marked.
fn team_rows(standings: &[Row], mine: Option<i64>) -> (Vec<Row>, Vec<Row>) {
    let marked = |rows: &[Row]| -> Vec<Row> {
        rows.iter()
            .map(|row| Row {
                me: mine == Some(row.id),
                ..row.clone()
            })
            .collect()
    };
    let top = marked(&standings[..standings.len().min(TOP_TEAMS)]);
    let around = match standings.iter().position(|row| Some(row.id) == mine) {
        Some(at) if at >= TOP_TEAMS => marked(&standings[at - 2..standings.len().min(at + 3)]),
        _ => Vec::new(),
    };
    (top, around)
}

/// People's standings as rows, named from `names`, equal points shown as ties.
fn people_rows(standings: &[Standing], names: &HashMap<i64, String>, me: i64) -> Vec<Row> {
    with_ties(order_rows(standings, names, me))
}

/// Standings as rows in their order, each at its own place: for the first-to-complete board,
/// where everyone has no points and the order is the time.
fn order_rows(standings: &[Standing], names: &HashMap<i64, String>, me: i64) -> Vec<Row> {
    standings
        .iter()
        .map(|s| Row {
            rank: s.rank,
            place: s.rank,
            tied: false,
            id: s.member,
            name: names.get(&s.member).cloned().unwrap_or_default(),
            points: s.score.points as f64,
            me: s.member == me,
        })
        .collect()
}

/// Everything a participant's leaderboard page shows.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Leaderboards {
    /// The cohort's top ten.
    pub people: Vec<Row>,
    /// The person's place with two either side, when not in the top ten.
    pub around_me: Vec<Row>,
    /// The person's place in their team with two either side (empty without a team, or before
    /// they have points).
    pub in_my_team: Vec<Row>,
    /// The top ten teams.
    pub teams: Vec<Row>,
    /// The person's team with two either side, when not in the top ten: a force has hundreds of
    /// teams, more than a phone's screen (or each read) should carry.
    pub around_my_team: Vec<Row>,
    /// Whether teams are ranked by points per participant (otherwise by the sum).
    pub teams_per_member: bool,
    /// The ISO week, e.g. "2026-W49".
    pub week: String,
    /// Its first and last days (Monday and Sunday) where the cohort is, e.g. "2026-11-30".
    pub week_starts: String,
    pub week_ends: String,
    pub this_week: Vec<Row>,
    /// The newest released day, and who completed it first.
    #[schema(value_type = Option<u32>)]
    pub day: Option<Day>,
    pub first_today: Vec<Row>,
    /// The boards may be behind the ledger until the next repair.
    pub stale: bool,
}

/// The part of a cohort's boards that is the same for every viewer.
pub(super) struct Shared {
    week: String,
    /// The Monday of `week`, in the cohort's time zone.
    week_starts: chrono::NaiveDate,
    day: u32,
    people: Vec<Standing>,
    this_week: Vec<Standing>,
    first_today: Vec<Standing>,
    /// Team standings, none marked as the viewer's.
    teams: Vec<Row>,
    names: HashMap<i64, String>,
    /// Whether the boards may be missing points (see [`may_be_behind`]).
    behind: bool,
}

/// How many people the cohort board shows above the viewer's own place.
const TOP_PEOPLE: usize = 10;
/// How many teams the team board shows above the viewer's team's own place.
const TOP_TEAMS: usize = 10;

/// Reads the shared part of a cohort's boards: the boards at once (on Redis the requests share
/// one connection, pipelined), then the names on them.
async fn shared(services: &Services, cohort: &Cohort) -> Result<Shared, AppError> {
    let id = cohort.row.id;
    let now = services.clock.now();
    let week = board::iso_week(now, cohort.tz);
    let today = now.with_timezone(&cohort.tz).date_naive();
    let week_starts =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let day = cohort.calendar.days_due(now);
    let top = |key: Option<Key>, n: usize| async move {
        match key {
            Some(key) => services
                .board
                .top(id, &key, n)
                .await
                .map_err(AppError::unavailable),
            None => Ok(Vec::new()),
        }
    };
    let (people, this_week, first_today, teams, behind) = tokio::try_join!(
        top(Some(Key::People), TOP_PEOPLE),
        top(Some(Key::Week(week.clone())), 5),
        top((day > 0).then_some(Key::Day(day)), 5),
        teams(services, cohort),
        async { Ok(may_be_behind(services, id).await) },
    )?;
    let ids: Vec<i64> = [&people, &this_week, &first_today]
        .into_iter()
        .flatten()
        .map(|s| s.member)
        .collect();
    let names = services.kept.boards.names.of(services, &ids).await?;
    Ok(Shared {
        week,
        week_starts,
        day,
        people,
        this_week,
        first_today,
        teams,
        names,
        behind,
    })
}

/// Whether a cohort's boards may be missing points, so pages say they are updating: a change
/// that did not reach them (Redis away), or boards lost since they were last found equal to the
/// ledger (Redis flushed: the submissions since then rebuilt only part of them) and not yet
/// repaired, which under steady load waits for a quiet moment.
pub async fn may_be_behind(services: &Services, cohort_id: i64) -> bool {
    services.board.is_stale(cohort_id)
        || !services.board.is_verified(cohort_id).await.unwrap_or(false)
}

/// The boards as a participant sees them: the shared part, and their own place when it is below
/// the top ten.
pub async fn leaderboards(
    services: &Services,
    access: &crate::app::people::CohortAccess,
) -> Result<Leaderboards, AppError> {
    let cohort = &access.cohort;
    let id = cohort.row.id;
    let me = access.viewer.person_id.get();
    let reads = &services.kept.boards;
    // Whether this request's own fetch ran (a miss), or another's served it (a hit).
    let fetched = std::sync::atomic::AtomicBool::new(false);
    let shared = reads
        .shared
        .get(
            id,
            || {
                fetched.store(true, std::sync::atomic::Ordering::Relaxed);
                shared(services, cohort)
            },
            || AppError::unavailable("the boards could not be read just now"),
        )
        .await;
    if fetched.load(std::sync::atomic::Ordering::Relaxed) {
        reads.shared_counts.miss();
    } else {
        reads.shared_counts.hit();
    }
    let shared = shared?;
    let around = |key: Key| async move {
        services
            .board
            .around(id, &key, me, 2)
            .await
            .map_err(AppError::unavailable)
            .map(Option::unwrap_or_default)
    };
    let in_top = shared.people.iter().any(|s| s.member == me);
    let (around_me, in_my_team) = tokio::try_join!(
        async {
            if in_top {
                Ok(Vec::new())
            } else {
                around(Key::People).await
            }
        },
        async {
            match access.team_id() {
                Some(team) => around(Key::Members(team.get())).await,
                None => Ok(Vec::new()),
            }
        },
    )?;
    let neighbours: Vec<i64> = around_me
        .iter()
        .chain(&in_my_team)
        .map(|s| s.member)
        .collect();
    let names = services.kept.boards.names.of(services, &neighbours).await?;
    let (teams, around_my_team) = team_rows(&shared.teams, access.team_id().map(TeamId::get));
    Ok(Leaderboards {
        people: people_rows(&shared.people, &shared.names, me),
        around_me: people_rows(&around_me, &names, me),
        in_my_team: people_rows(&in_my_team, &names, me),
        teams,
        around_my_team,
        teams_per_member: cohort.pack.scoring.team_score == TeamScore::PerMember,
        week: shared.week.clone(),
        week_starts: shared.week_starts.to_string(),
        week_ends: (shared.week_starts + chrono::Duration::days(6)).to_string(),
        this_week: people_rows(&shared.this_week, &shared.names, me),
        day: Day::new(shared.day),
        first_today: order_rows(&shared.first_today, &shared.names, me),
        stale: shared.behind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standings(n: usize) -> Vec<Row> {
        (1..=n)
            .map(|rank| Row {
                rank,
                place: rank,
                tied: false,
                id: rank as i64 * 100,
                name: format!("Team {rank}"),
                points: (1000 - rank) as f64,
                me: false,
            })
            .collect()
    }

    fn ranks(rows: &[Row]) -> Vec<usize> {
        rows.iter().map(|r| r.rank).collect()
    }

    #[test]
    fn a_team_in_the_top_ten_is_marked_there_and_has_no_neighbours_row() {
        let (top, around) = team_rows(&standings(30), Some(300));
        assert_eq!(ranks(&top), (1..=10).collect::<Vec<_>>());
        assert!(top[2].me && top.iter().filter(|r| r.me).count() == 1);
        assert!(around.is_empty());
    }

    #[test]
    fn a_team_below_the_top_ten_is_shown_with_two_either_side() {
        let (top, around) = team_rows(&standings(30), Some(1500));
        assert!(top.iter().all(|r| !r.me));
        assert_eq!(ranks(&around), vec![13, 14, 15, 16, 17]);
        assert!(around[2].me);
        // Eleventh: two above it are in the top ten, and still shown for context.
        assert_eq!(
            ranks(&team_rows(&standings(30), Some(1100)).1),
            vec![9, 10, 11, 12, 13]
        );
        // Last: nothing below it.
        assert_eq!(
            ranks(&team_rows(&standings(30), Some(3000)).1),
            vec![28, 29, 30]
        );
    }

    #[test]
    fn equal_points_share_the_place_of_the_first() {
        let mut rows = standings(5);
        for (row, points) in rows.iter_mut().zip([9.0, 7.0, 7.0, 5.0, 4.0]) {
            row.points = points;
        }
        let rows = with_ties(rows);
        let places: Vec<(usize, bool)> = rows.iter().map(|r| (r.place, r.tied)).collect();
        assert_eq!(
            places,
            vec![(1, false), (2, true), (2, true), (4, false), (5, false)]
        );
        // Three at the top share first place; the next is fourth.
        let mut rows = standings(4);
        for (row, points) in rows.iter_mut().zip([3.0, 3.0, 3.0, 1.0]) {
            row.points = points;
        }
        let places: Vec<usize> = with_ties(rows).iter().map(|r| r.place).collect();
        assert_eq!(places, vec![1, 1, 1, 4]);
    }

    #[test]
    fn few_teams_or_none_of_mine_show_only_the_top() {
        let (top, around) = team_rows(&standings(4), None);
        assert_eq!(ranks(&top), vec![1, 2, 3, 4]);
        assert!(around.is_empty());
        assert_eq!(team_rows(&[], Some(1)), (Vec::new(), Vec::new()));
    }
}
