//! The weekly digest for managers and change leads, and the change leads' alert that a reflection
//! was reported. The digest job queues one digest per reader and week at the day and time the
//! cohort sets; what it says is read when it is sent ([`content`]): a manager sees their own team,
//! a change lead the whole cohort.

use crate::domain::{Day, PersonId};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};

use super::{AppError, Refusal, Services};
use crate::domain::CohortId;
use crate::rules::calendar::time_zone;
use crate::store::{Conn, digest, millis};

/// How long after its time a digest may still be queued (a server down at 06:00 catches up).
const WINDOW: Duration = Duration::days(1);

/// The instant of the week's digest at or before `now`: the latest `weekday` (1 Monday .. 7
/// Sunday) at `at` ('HH:MM') in `zone`. `None` when the settings make no sense.
fn scheduled(now: DateTime<Utc>, zone: &str, weekday: i64, at: &str) -> Option<DateTime<Utc>> {
    let tz = time_zone(zone).ok()?;
    let time = NaiveTime::parse_from_str(at.trim(), "%H:%M").ok()?;
    let today = now.with_timezone(&tz).date_naive();
    let back = (i64::from(today.weekday().number_from_monday()) - weekday).rem_euclid(7);
    let at_date = |date: chrono::NaiveDate| {
        let local = date.and_time(time);
        tz.from_local_datetime(&local)
            .earliest()
            // A time skipped by a daylight-saving change: an hour later it exists.
            .or_else(|| {
                tz.from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
    };
    let this_week = today - Duration::days(back);
    match at_date(this_week)? {
        at if at <= now => Some(at),
        _ => at_date(this_week - Duration::days(7)),
    }
}

/// Queues the digests due at `now` (a step of the digest job, so it takes the pass's instant):
/// in each cohort whose digest time passed less than a day ago, to each manager and change lead,
/// covering up to the last day released by then. Returns how many were queued.
pub async fn queue_due(services: &Services, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut tx = services.store.begin_write().await?;
    let mut queued = 0;
    for cohort in digest::schedules(tx.conn()).await? {
        let Some(at) = scheduled(
            now,
            &cohort.time_zone,
            cohort.digest_weekday,
            &cohort.digest_at,
        ) else {
            continue;
        };
        if now >= at + WINDOW {
            continue;
        }
        if let Some(day) = digest::last_released(tx.conn(), cohort.id, millis(at)).await? {
            queued += digest::queue_digests(tx.conn(), cohort.id, day, millis(now)).await?;
        }
    }
    tx.commit().await?;
    if queued > 0 {
        services.mail_queued.notify_one();
    }
    Ok(queued)
}

/// When a cohort's weekly digest goes, as a change lead writes it: `mon 06:00` (a weekday and a
/// time of day in the cohort's time zone), or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestTime {
    Off,
    Weekly { weekday: Weekday, at: NaiveTime },
}

impl FromStr for DigestTime {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let refused = || {
            format!(
                "`{}` is not a time for the digest; write a weekday and a time of day in the \
                 cohort's time zone, e.g. \"mon 06:00\", or off",
                text.trim()
            )
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["off"] => Ok(DigestTime::Off),
            [day, time] => Ok(DigestTime::Weekly {
                weekday: day.parse().map_err(|_| refused())?,
                at: NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| refused())?,
            }),
            _ => Err(refused()),
        }
    }
}

impl std::fmt::Display for DigestTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DigestTime::Off => f.write_str("off"),
            DigestTime::Weekly { weekday, at } => write!(f, "{weekday} {}", at.format("%H:%M")),
        }
    }
}

/// Sets when `cohort`'s digest goes.
pub async fn set_time(
    services: &Services,
    cohort: CohortId,
    when: DigestTime,
) -> Result<(), AppError> {
    let (weekday, at) = match when {
        // The weekday stays as it was; no time means no digest.
        DigestTime::Off => (None, String::new()),
        DigestTime::Weekly { weekday, at } => (
            Some(i64::from(weekday.number_from_monday())),
            at.format("%H:%M").to_string(),
        ),
    };
    let mut tx = services.store.begin_write().await?;
    let Some(now) = digest::schedule(tx.conn(), cohort.0).await? else {
        return Err(AppError::NotFound(format!("there is no cohort {cohort}")));
    };
    let weekday = weekday.unwrap_or(now.digest_weekday);
    digest::set_schedule(tx.conn(), cohort.0, weekday, &at).await?;
    tx.commit().await?;
    Ok(())
}

/// When `cohort`'s digest goes.
pub async fn time(services: &Services, cohort: CohortId) -> Result<DigestTime, AppError> {
    let Some(s) = digest::schedule(services.store.pool(), cohort.0).await? else {
        return Err(AppError::NotFound(format!("there is no cohort {cohort}")));
    };
    if s.digest_at.is_empty() {
        return Ok(DigestTime::Off);
    }
    let weekday = (s.digest_weekday - 1)
        .try_into()
        .ok()
        .and_then(|n: u8| Weekday::try_from(n).ok());
    match (weekday, NaiveTime::parse_from_str(&s.digest_at, "%H:%M")) {
        (Some(weekday), Ok(at)) => Ok(DigestTime::Weekly { weekday, at }),
        _ => Err(Refusal::DigestTimeInvalid.says(format!(
            "cohort {cohort}'s digest time cannot be read; set it again"
        ))),
    }
}

/// Queues the alert that a reflection was reported to the cohort's change leads, in the
/// transaction of the report.
pub async fn queue_report_alert<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    digest::queue_report_alerts(db, cohort_id, millis(now)).await?;
    Ok(())
}

/// What a digest says, for one team or the whole cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The team's name, or `None` for the whole cohort.
    pub team: Option<String>,
    /// The last day covered.
    pub day: Day,
    /// For each of the last seven days (at most), how many did it out of how many.
    pub by_day: Vec<DayDone>,
    /// Current streaks, longest first: (name, days in a row).
    pub streaks: Vec<(String, i64)>,
    /// Badges earned in the last week: (name, badge).
    pub badges: Vec<(String, String)>,
    /// Up to three reflections shared with the cohort, worth reading aloud.
    pub highlights: Vec<Highlight>,
    /// Who has done none of the last three days.
    pub not_seen: Vec<String>,
}

/// One day's completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayDone {
    pub day: Day,
    pub done: usize,
    pub of: usize,
}

/// A reflection worth reading aloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub name: String,
    pub day: Day,
    pub text: String,
}

/// The digest for `person_id` in `cohort_id` covering up to `day`, read at `now`: a manager's
/// team, or the whole cohort for a change lead. `None` for anyone else.
pub async fn content(
    tx: &mut crate::store::Tx,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
    now: DateTime<Utc>,
) -> Result<Option<Digest>, AppError> {
    let Some(reader) = digest::reader(tx.conn(), cohort_id, person_id).await? else {
        return Ok(None);
    };
    let (team, team_name) = match reader.role.as_str() {
        "change_lead" => (None, None),
        "manager" => match reader.team_id {
            Some(team) => (Some(team), reader.team_name),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let members = digest::members(tx.conn(), cohort_id, team).await?;
    let done = digest::done_days(tx.conn(), cohort_id, team, day).await?;
    let did = |person: PersonId, d: Day| done.contains(&(person, d));
    let last = day.get();
    // Days `from..=last`.
    let since = |from: u32| Day::up_to(last).skip(from.saturating_sub(1) as usize);
    let first = last.saturating_sub(6).max(1);
    let by_day = since(first)
        .map(|d| DayDone {
            day: d,
            done: members.iter().filter(|m| did(m.id, d)).count(),
            of: members.len(),
        })
        .collect();
    let streaks = streaks(&members, &done, day);
    let not_seen = if last >= 3 {
        members
            .iter()
            .filter(|m| !since(last - 2).any(|d| did(m.id, d)))
            .map(|m| m.display_name.clone())
            .collect()
    } else {
        Vec::new()
    };
    let since = millis(now - Duration::days(7));
    let badges = digest::new_badges(tx.conn(), cohort_id, team, since).await?;
    let highlights = digest::highlights(tx.conn(), cohort_id, team, first.into(), last.into())
        .await?
        .into_iter()
        .map(|h| Highlight {
            name: h.display_name,
            day: h.day,
            text: h.body,
        })
        .collect();
    Ok(Some(Digest {
        team: team_name,
        day,
        by_day,
        streaks,
        badges,
        highlights,
        not_seen,
    }))
}

/// The current streaks of `members`, given who did which day up to `day` ((person, day)), longest
/// first: (name, days in a row). `day` may still be open: a streak that reached the day before
/// still stands.
pub(crate) fn streaks(
    members: &[digest::Member],
    done: &[(PersonId, Day)],
    day: Day,
) -> Vec<(String, i64)> {
    let did = |person: PersonId, d: Day| done.contains(&(person, d));
    let last = day.get();
    let mut streaks: Vec<(String, i64)> = members
        .iter()
        .filter_map(|m| {
            // Today's day may still be open: a streak that reached yesterday still stands.
            let end = if did(m.id, day) { last } else { last - 1 };
            let length = Day::up_to(end).rev().take_while(|d| did(m.id, *d)).count();
            (length > 0).then(|| (m.display_name.clone(), length as i64))
        })
        .collect();
    streaks.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    streaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn digest_times_are_a_weekday_and_a_time_or_off() {
        assert_eq!(
            "Mon 06:00".parse(),
            Ok(DigestTime::Weekly {
                weekday: Weekday::Mon,
                at: NaiveTime::from_hms_opt(6, 0, 0).unwrap()
            })
        );
        assert_eq!(" off ".parse(), Ok(DigestTime::Off));
        assert_eq!(
            "friday 17:30".parse::<DigestTime>().unwrap().to_string(),
            "Fri 17:30"
        );
        for nonsense in [
            "",
            "mon",
            "06:00",
            "mon 25:00",
            "someday 06:00",
            "mon 06:00 utc",
        ] {
            let e = nonsense.parse::<DigestTime>().unwrap_err();
            assert!(e.contains("mon 06:00"), "{nonsense}: {e}");
        }
    }

    #[test]
    fn the_digest_is_due_from_its_time_in_the_cohorts_zone() {
        // Monday 4 January 2027, 06:00 in London is 06:00 UTC.
        let zone = "Europe/London";
        assert_eq!(
            scheduled(utc("2027-01-04T06:00:00Z"), zone, 1, "06:00"),
            Some(utc("2027-01-04T06:00:00Z"))
        );
        assert_eq!(
            scheduled(utc("2027-01-04T05:59:00Z"), zone, 1, "06:00"),
            Some(utc("2026-12-28T06:00:00Z")),
            "before the time, last week's"
        );
        assert_eq!(
            scheduled(utc("2027-01-06T12:00:00Z"), zone, 1, "06:00"),
            Some(utc("2027-01-04T06:00:00Z"))
        );
        // Summer time: 06:00 BST is 05:00 UTC.
        assert_eq!(
            scheduled(utc("2027-07-05T05:30:00Z"), zone, 1, "06:00"),
            Some(utc("2027-07-05T05:00:00Z"))
        );
        assert_eq!(
            scheduled(utc("2027-01-04T06:00:00Z"), "Nowhere", 1, "06:00"),
            None
        );
    }
}
