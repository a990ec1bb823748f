//! Leaderboards: a view of the points ledger in SQL, kept in Redis sorted sets when `REDIS_URL` is
//! set and in process memory otherwise, with the same meaning in both.
//!
//! A board holds, per member (a person or a team), their points and when they last changed, and
//! orders them by points, then by who reached their score first, then by member id. The view is
//! defined once, by [`View::from_ledger`], from SQL rows; a board that drifts from it (Redis
//! flushed, a write lost while Redis was away) is found by comparing and repaired by replacing it.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

mod memory;
mod redis;

/// Which board of a cohort.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Everyone in the cohort.
    People,
    /// Teams, by the sum of their members' points (per-member scores are made at read time).
    Teams,
    /// The people of one team (the team they are in now): a person's rank in their team.
    Members(i64),
    /// People, by points earned in one ISO week in the cohort's time zone ("2027-W01").
    Week(String),
    /// People, by when they completed one day: first to complete first.
    Day(u32),
}

impl Key {
    /// The name inside a cohort's key space.
    fn name(&self) -> String {
        match self {
            Key::People => "people".into(),
            Key::Teams => "teams".into(),
            Key::Members(team) => format!("team:{team}"),
            Key::Week(week) => format!("week:{week}"),
            Key::Day(day) => format!("day:{day}"),
        }
    }
}

/// Where a member stands: their points (or, on a day board, 0) and the second it was reached
/// (on a day board, when they completed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub points: i64,
    /// Seconds since the Unix epoch.
    pub reached: i64,
}

/// A member's place on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub rank: usize,
    pub member: i64,
    pub score: Score,
}

/// The one order of every board: more points first; on equal points whoever reached the score
/// first; then the member id, compared as Redis compares members (as text, descending), so both
/// backends and the SQL view agree exactly. Day boards have no points and order by time alone.
pub fn order(a: &(i64, Score), b: &(i64, Score)) -> std::cmp::Ordering {
    b.1.points
        .cmp(&a.1.points)
        .then(a.1.reached.cmp(&b.1.reached))
        .then_with(|| b.0.to_string().cmp(&a.0.to_string()))
}

/// Sorts members into standings.
pub fn rank(mut members: Vec<(i64, Score)>) -> Vec<Standing> {
    members.sort_by(order);
    members
        .into_iter()
        .enumerate()
        .map(|(i, (member, score))| Standing {
            rank: i + 1,
            member,
            score,
        })
        .collect()
}

/// The ISO week of an instant in a time zone, as `2027-W01`.
pub fn iso_week(at: DateTime<Utc>, tz: Tz) -> String {
    let week = at.with_timezone(&tz).iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The instants (Unix milliseconds) at which ISO weeks begin in a time zone (Monday's first
/// moment) after `from` and up to `to`: the ledger summed between two of them falls in one week.
pub fn week_starts(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> Vec<i64> {
    let local = from.with_timezone(&tz).date_naive();
    let mut monday =
        local + chrono::Duration::days(7 - i64::from(local.weekday().num_days_from_monday()));
    let mut starts = Vec::new();
    loop {
        let start = crate::rules::calendar::local_midnight(monday, tz).with_timezone(&Utc);
        if start > to {
            return starts;
        }
        if start > from {
            starts.push(start.timestamp_millis());
        }
        monday += chrono::Duration::days(7);
    }
}

/// A change to the boards after a commit: `points` for a person (and their team), at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsChange {
    pub cohort_id: i64,
    pub person_id: i64,
    pub team_id: Option<i64>,
    pub points: i64,
    pub at: DateTime<Utc>,
    pub week: String,
}

/// Every board of a cohort as SQL says it must be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub boards: BTreeMap<Key, Vec<(i64, Score)>>,
}

/// One ledger row, for building the view.
#[derive(Debug, Clone)]
pub struct LedgerPoint {
    pub person_id: i64,
    pub team_id: Option<i64>,
    pub points: i64,
    pub at: DateTime<Utc>,
}

impl View {
    /// The boards defined by a cohort's ledger rows and completions `(person, day, at)`.
    pub fn from_ledger(
        ledger: &[LedgerPoint],
        completions: &[(i64, u32, DateTime<Utc>)],
        tz: Tz,
    ) -> View {
        let mut sums: BTreeMap<Key, BTreeMap<i64, Score>> = BTreeMap::new();
        let mut add = |key: Key, member: i64, points: i64, at: i64| {
            let score = sums.entry(key).or_default().entry(member).or_insert(Score {
                points: 0,
                reached: at,
            });
            score.points += points;
            score.reached = score.reached.max(at);
        };
        for row in ledger {
            let at = row.at.timestamp();
            add(Key::People, row.person_id, row.points, at);
            add(
                Key::Week(iso_week(row.at, tz)),
                row.person_id,
                row.points,
                at,
            );
            if let Some(team) = row.team_id {
                add(Key::Teams, team, row.points, at);
                add(Key::Members(team), row.person_id, row.points, at);
            }
        }
        for (person, day, at) in completions {
            add(Key::Day(*day), *person, 0, at.timestamp());
        }
        View {
            boards: sums
                .into_iter()
                .map(|(key, members)| {
                    let mut members: Vec<(i64, Score)> = members.into_iter().collect();
                    members.sort_by(order);
                    (key, members)
                })
                .collect(),
        }
    }
}

/// Why a board could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("Redis is unavailable: {0}")]
    Redis(#[from] ::redis::RedisError),
}

/// The leaderboards, on Redis or in memory. Cheap to clone.
#[derive(Clone)]
pub struct Board {
    backend: Arc<Backend>,
    /// Cohorts whose board missed a change (Redis was away): shown as "updating", repaired by
    /// [`Board::replace`] when the next check finds Redis back.
    stale: Arc<Mutex<HashSet<i64>>>,
}

enum Backend {
    Memory(memory::Memory),
    Redis(redis::Redis),
}

impl Board {
    /// A board in this process's memory.
    pub fn in_memory() -> Board {
        Board::with(Backend::Memory(memory::Memory::default()))
    }

    /// A board in Redis at `url` (`redis://host:port`), under `prefix` (so tests can share a server).
    pub async fn redis(url: &str, prefix: &str) -> Result<Board, BoardError> {
        Ok(Board::with(Backend::Redis(
            redis::Redis::connect(url, prefix).await?,
        )))
    }

    fn with(backend: Backend) -> Board {
        Board {
            backend: Arc::new(backend),
            stale: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    pub fn describe(&self) -> &'static str {
        match *self.backend {
            Backend::Memory(_) => "in-process",
            Backend::Redis(_) => "Redis",
        }
    }

    fn mark(&self, cohort_id: i64, stale: bool) {
        let mut set = self.stale.lock().unwrap_or_else(|e| e.into_inner());
        if stale {
            set.insert(cohort_id);
        } else {
            set.remove(&cohort_id);
        }
    }

    /// Whether a cohort's boards may be behind the ledger until the next repair.
    pub fn is_stale(&self, cohort_id: i64) -> bool {
        self.stale
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&cohort_id)
    }

    /// Applies committed points to the person's boards, atomically per board. A failure marks
    /// the cohort stale (the ledger has the points; the repair will put them on the board).
    pub async fn add(&self, change: &PointsChange) {
        let mut targets = vec![
            (Key::People, change.person_id),
            (Key::Week(change.week.clone()), change.person_id),
        ];
        if let Some(team) = change.team_id {
            targets.push((Key::Teams, team));
            targets.push((Key::Members(team), change.person_id));
        }
        let at = change.at.timestamp();
        let result = match &*self.backend {
            Backend::Memory(m) => {
                m.add(change.cohort_id, &targets, change.points, at);
                Ok(())
            }
            Backend::Redis(r) => r.add(change.cohort_id, &targets, change.points, at).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, cohort = change.cohort_id, "board update failed; marked stale");
            self.mark(change.cohort_id, true);
        }
    }

    /// Records a completion on the day's board (the first completion of a person counts).
    pub async fn complete(&self, cohort_id: i64, day: u32, person_id: i64, at: DateTime<Utc>) {
        let result = match &*self.backend {
            Backend::Memory(m) => {
                m.complete(cohort_id, day, person_id, at.timestamp());
                Ok(())
            }
            Backend::Redis(r) => r.complete(cohort_id, day, person_id, at.timestamp()).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, cohort = cohort_id, "board update failed; marked stale");
            self.mark(cohort_id, true);
        }
    }

    /// A whole board, in order.
    pub async fn standings(&self, cohort_id: i64, key: &Key) -> Result<Vec<Standing>, BoardError> {
        self.range(cohort_id, key, 0, usize::MAX).await
    }

    /// The first `n` of a board.
    pub async fn top(
        &self,
        cohort_id: i64,
        key: &Key,
        n: usize,
    ) -> Result<Vec<Standing>, BoardError> {
        self.range(cohort_id, key, 0, n).await
    }

    async fn range(
        &self,
        cohort_id: i64,
        key: &Key,
        start: usize,
        count: usize,
    ) -> Result<Vec<Standing>, BoardError> {
        match &*self.backend {
            Backend::Memory(m) => Ok(m.range(cohort_id, key, start, count)),
            Backend::Redis(r) => r.range(cohort_id, key, start, count).await,
        }
    }

    /// A member's standing with up to `k` neighbours either side; `None` when not on the board.
    pub async fn around(
        &self,
        cohort_id: i64,
        key: &Key,
        member: i64,
        k: usize,
    ) -> Result<Option<Vec<Standing>>, BoardError> {
        let position = match &*self.backend {
            Backend::Memory(m) => m.position(cohort_id, key, member),
            Backend::Redis(r) => r.position(cohort_id, key, member).await?,
        };
        let Some(position) = position else {
            return Ok(None);
        };
        let start = position.saturating_sub(k);
        Ok(Some(
            self.range(cohort_id, key, start, position - start + k + 1)
                .await?,
        ))
    }

    /// Replaces every board of a cohort with `view`, atomically per board, and clears its stale mark.
    pub async fn replace(&self, cohort_id: i64, view: &View) -> Result<(), BoardError> {
        match &*self.backend {
            Backend::Memory(m) => m.replace(cohort_id, view),
            Backend::Redis(r) => r.replace(cohort_id, view).await?,
        }
        self.mark(cohort_id, false);
        Ok(())
    }

    /// The boards of a cohort named in `view`, as they stand, for comparing with it.
    pub async fn read(&self, cohort_id: i64, view: &View) -> Result<View, BoardError> {
        let mut boards = BTreeMap::new();
        for key in view.boards.keys() {
            let standings = self.standings(cohort_id, key).await?;
            boards.insert(
                key.clone(),
                standings.into_iter().map(|s| (s.member, s.score)).collect(),
            );
        }
        Ok(View { boards })
    }

    /// Whether a cohort's boards were found equal to the ledger (or rebuilt from it) since they
    /// were last lost. Redis forgets it with the boards (a FLUSHALL, a restart without data), so
    /// a lost board is found without comparing every board with the ledger; process memory
    /// cannot lose its boards, so there it is always true.
    pub async fn is_verified(&self, cohort_id: i64) -> Result<bool, BoardError> {
        match &*self.backend {
            Backend::Memory(_) => Ok(true),
            Backend::Redis(r) => r.is_verified(cohort_id).await,
        }
    }

    /// Notes that a cohort's boards were just found equal to the ledger.
    pub async fn set_verified(&self, cohort_id: i64) -> Result<(), BoardError> {
        match &*self.backend {
            Backend::Memory(_) => Ok(()),
            Backend::Redis(r) => r.set_verified(cohort_id).await,
        }
    }

    /// Checks Redis answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), BoardError> {
        match &*self.backend {
            Backend::Memory(_) => Ok(()),
            Backend::Redis(r) => r.ping().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn ties_go_to_whoever_reached_the_score_first() {
        let ledger = vec![
            LedgerPoint {
                person_id: 1,
                team_id: Some(10),
                points: 10,
                at: at("2027-01-04T08:00:00Z"),
            },
            LedgerPoint {
                person_id: 2,
                team_id: Some(10),
                points: 10,
                at: at("2027-01-04T07:00:00Z"),
            },
            LedgerPoint {
                person_id: 3,
                team_id: Some(20),
                points: 15,
                at: at("2027-01-04T09:00:00Z"),
            },
            LedgerPoint {
                person_id: 3,
                team_id: Some(20),
                points: -5,
                at: at("2027-01-04T10:00:00Z"),
            },
        ];
        let view = View::from_ledger(&ledger, &[], chrono_tz::Europe::London);
        let people: Vec<i64> = view.boards[&Key::People].iter().map(|(m, _)| *m).collect();
        assert_eq!(
            people,
            vec![2, 1, 3],
            "2 reached 10 first; 3 reached 10 last (at 10:00)"
        );
        let teams = &view.boards[&Key::Teams];
        assert_eq!(
            teams[0],
            (
                10,
                Score {
                    points: 20,
                    reached: at("2027-01-04T08:00:00Z").timestamp()
                }
            )
        );
        assert!(view.boards.contains_key(&Key::Week("2027-W01".into())));
        let team_10: Vec<i64> = view.boards[&Key::Members(10)]
            .iter()
            .map(|(m, _)| *m)
            .collect();
        assert_eq!(team_10, vec![2, 1], "each team ranks its own people");
        assert_eq!(view.boards[&Key::Members(20)].len(), 1);
    }

    #[test]
    fn weeks_start_on_monday_at_local_midnight() {
        let london = chrono_tz::Europe::London;
        // Wednesday 2027-03-24 to Wednesday 2027-04-07: the clocks go forward on Sunday 28 March.
        let starts = week_starts(
            at("2027-03-24T12:00:00Z"),
            at("2027-04-07T12:00:00Z"),
            london,
        );
        assert_eq!(
            starts,
            vec![
                at("2027-03-29T00:00:00+01:00").timestamp_millis(),
                at("2027-04-05T00:00:00+01:00").timestamp_millis(),
            ]
        );
        for start in &starts {
            let start = DateTime::from_timestamp_millis(*start).unwrap();
            let before = start - chrono::Duration::milliseconds(1);
            assert_ne!(iso_week(before, london), iso_week(start, london));
        }
        // Within one week: no boundary.
        assert!(
            week_starts(
                at("2027-03-30T00:00:00Z"),
                at("2027-04-01T00:00:00Z"),
                london
            )
            .is_empty()
        );
        // A boundary exactly at `from` is not after it.
        let monday = at("2027-03-29T00:00:00+01:00");
        assert!(week_starts(monday, monday + chrono::Duration::days(1), london).is_empty());
    }

    #[test]
    fn iso_weeks_follow_the_cohort_time_zone() {
        // Sunday 23:30 UTC is already Monday in Sydney.
        let sunday = at("2027-01-10T23:30:00Z");
        assert_eq!(iso_week(sunday, chrono_tz::Europe::London), "2027-W01");
        assert_eq!(iso_week(sunday, chrono_tz::Australia::Sydney), "2027-W02");
    }

    #[test]
    fn day_boards_put_the_first_to_complete_first() {
        let completions = vec![
            (5, 3, at("2027-01-06T09:00:00Z")),
            (6, 3, at("2027-01-06T07:00:00Z")),
        ];
        let view = View::from_ledger(&[], &completions, chrono_tz::Europe::London);
        let order: Vec<i64> = view.boards[&Key::Day(3)].iter().map(|(m, _)| *m).collect();
        assert_eq!(order, vec![6, 5]);
    }
}
