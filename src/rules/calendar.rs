//! A cohort's calendar: when each day is released and until when it may be completed.
//!
//! Day N is the N-th time the cohort's cron expression fires, in the cohort's time zone, counting
//! from local midnight of its start date. The day number therefore follows from the calendar alone:
//! a scheduler that was down for a week knows exactly which days are due when it comes back.
//!
//! Daylight saving, settled by croner and pinned by the tests below:
//! - a release time that does not exist on the spring-forward day (01:30 in Europe/London on the
//!   last Sunday of March) fires at the first instant after the gap (02:00 BST);
//! - a release time that happens twice on the fall-back day fires once, at its first occurrence
//!   (the BST one);
//! - every other day the release stays at the same local time (06:00 stays 06:00 across both changes).

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;

/// A five-field cron expression as change leads write it, e.g. `0 6 * * *` (06:00 daily).
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    expression: String,
}

/// Why a schedule or calendar cannot be used, in words a change lead can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "`{expression}` is not a cron expression: {reason}; write five fields such as \"0 6 * * *\" (06:00 every day)"
    )]
    InvalidCron { expression: String, reason: String },
    #[error(
        "`{0}` fires more than once a day; a cohort releases one day at a time, e.g. \"0 6 * * *\""
    )]
    TooFrequent(String),
    #[error("`{0}` is not a time zone; use an IANA name such as \"Europe/London\"")]
    UnknownTimeZone(String),
    #[error("`{0}` never fires often enough to release {1} days")]
    TooFew(String, u32),
}

impl Schedule {
    pub fn parse(expression: &str) -> Result<Self, CalendarError> {
        let invalid = |reason: String| CalendarError::InvalidCron {
            expression: expression.to_string(),
            reason,
        };
        let fields = expression.split_whitespace().count();
        if fields != 5 {
            return Err(invalid(format!(
                "it has {fields} fields, not 5 (minute hour day month weekday)"
            )));
        }
        let cron = Cron::from_str(expression).map_err(|e| invalid(e.to_string()))?;
        let schedule = Schedule {
            cron,
            expression: expression.to_string(),
        };
        schedule.check_at_most_daily()?;
        Ok(schedule)
    }

    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Refuses expressions that fire twice on one local date (over a sample of two years in UTC,
    /// which is enough to meet every month and weekday combination).
    fn check_at_most_daily(&self) -> Result<(), CalendarError> {
        let start = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .expect("a valid instant");
        let mut previous: Option<NaiveDate> = None;
        for time in self.cron.iter_after(start).take(800) {
            let date = time.date_naive();
            if previous == Some(date) {
                return Err(CalendarError::TooFrequent(self.expression.clone()));
            }
            previous = Some(date);
        }
        Ok(())
    }
}

/// Parses an IANA time zone name.
pub fn time_zone(name: &str) -> Result<Tz, CalendarError> {
    Tz::from_str(name).map_err(|_| CalendarError::UnknownTimeZone(name.to_string()))
}

/// The release instants of one cohort, and how long each day stays open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Release instants of days 1 to length, then one more: the release after the last day, which
    /// is when the last day would close.
    releases: Vec<DateTime<Utc>>,
    grace: Duration,
}

impl Calendar {
    pub fn new(
        schedule: &Schedule,
        start: NaiveDate,
        tz: Tz,
        length: u32,
        grace: Duration,
    ) -> Result<Self, CalendarError> {
        let from = local_midnight(start, tz);
        let releases: Vec<DateTime<Utc>> = schedule
            .cron
            .iter_from(from, croner::Direction::Forward)
            .take(length as usize + 1)
            .map(|t| t.with_timezone(&Utc))
            .collect();
        if releases.len() != length as usize + 1 {
            return Err(CalendarError::TooFew(schedule.expression.clone(), length));
        }
        Ok(Calendar { releases, grace })
    }

    /// The number of days in the cohort.
    pub fn length(&self) -> u32 {
        (self.releases.len() - 1) as u32
    }

    /// When day `day` (1-based) is released. `None` outside the cohort.
    pub fn release_time(&self, day: u32) -> Option<DateTime<Utc>> {
        (1..=self.length())
            .contains(&day)
            .then(|| self.releases[day as usize - 1])
    }

    /// When day `day` closes: the next release plus the grace period, so a night shift that ends
    /// after the next day's release can still complete the day it started.
    pub fn closes_at(&self, day: u32) -> Option<DateTime<Utc>> {
        (1..=self.length())
            .contains(&day)
            .then(|| self.releases[day as usize] + self.grace)
    }

    /// Whether `day` may be completed on time at `now`.
    pub fn is_open(&self, day: u32, now: DateTime<Utc>) -> bool {
        match (self.release_time(day), self.closes_at(day)) {
            (Some(opens), Some(closes)) => opens <= now && now < closes,
            _ => false,
        }
    }

    /// How many days are due for release at `now` (0 before the first release, at most the length).
    pub fn days_due(&self, now: DateTime<Utc>) -> u32 {
        self.releases[..self.length() as usize].partition_point(|t| *t <= now) as u32
    }

    /// The next day to be released after `now`, with its release instant.
    pub fn next_release(&self, now: DateTime<Utc>) -> Option<(u32, DateTime<Utc>)> {
        let due = self.days_due(now);
        self.release_time(due + 1).map(|t| (due + 1, t))
    }

    /// When the whole cohort is over: the last day has closed.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.releases[self.length() as usize] + self.grace
    }
}

/// The first instant of `date` in `tz`. Where midnight itself is skipped by a daylight-saving
/// change (as in some American zones), the first instant after the gap.
pub fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<Tz> {
    let mut time = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&time).earliest() {
            return t;
        }
        time += Duration::minutes(30);
    }
    tz.from_utc_datetime(&time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("a valid instant")
            .with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a valid date")
    }

    fn calendar(cron: &str, start: &str, tz: &str, length: u32, grace_hours: i64) -> Calendar {
        let schedule = Schedule::parse(cron).expect("valid cron");
        Calendar::new(
            &schedule,
            date(start),
            time_zone(tz).unwrap(),
            length,
            Duration::hours(grace_hours),
        )
        .unwrap()
    }

    #[test]
    fn day_one_is_the_first_release_on_the_start_date() {
        let c = calendar("0 6 * * *", "2027-01-04", "Europe/London", 30, 6);
        assert_eq!(c.release_time(1), Some(utc("2027-01-04T06:00:00Z")));
        assert_eq!(c.release_time(30), Some(utc("2027-02-02T06:00:00Z")));
        assert_eq!(c.release_time(31), None);
        assert_eq!(c.release_time(0), None);
    }

    #[test]
    fn six_am_london_stays_six_am_across_both_changes_of_2027() {
        // Clocks go forward on 28 March 2027 and back on 31 October 2027.
        let spring = calendar("0 6 * * *", "2027-03-26", "Europe/London", 4, 0);
        assert_eq!(spring.release_time(2), Some(utc("2027-03-27T06:00:00Z"))); // GMT
        assert_eq!(spring.release_time(3), Some(utc("2027-03-28T05:00:00Z"))); // BST
        assert_eq!(spring.release_time(4), Some(utc("2027-03-29T05:00:00Z")));
        let autumn = calendar("0 6 * * *", "2027-10-30", "Europe/London", 3, 0);
        assert_eq!(autumn.release_time(1), Some(utc("2027-10-30T05:00:00Z"))); // BST
        assert_eq!(autumn.release_time(2), Some(utc("2027-10-31T06:00:00Z"))); // GMT
    }

    #[test]
    fn a_release_time_skipped_by_spring_forward_fires_after_the_gap() {
        let c = calendar("30 1 * * *", "2027-03-27", "Europe/London", 3, 0);
        assert_eq!(c.release_time(1), Some(utc("2027-03-27T01:30:00Z")));
        // 01:30 does not exist on 28 March: the release comes at 02:00 BST (01:00 UTC).
        assert_eq!(c.release_time(2), Some(utc("2027-03-28T01:00:00Z")));
        assert_eq!(c.release_time(3), Some(utc("2027-03-29T00:30:00Z")));
    }

    #[test]
    fn a_release_time_that_happens_twice_fires_once_at_the_first() {
        let c = calendar("30 1 * * *", "2027-10-30", "Europe/London", 3, 0);
        assert_eq!(c.release_time(1), Some(utc("2027-10-30T00:30:00Z")));
        // 01:30 happens at 00:30 UTC (BST) and 01:30 UTC (GMT) on 31 October: only the first counts.
        assert_eq!(c.release_time(2), Some(utc("2027-10-31T00:30:00Z")));
        assert_eq!(c.release_time(3), Some(utc("2027-11-01T01:30:00Z")));
    }

    #[test]
    fn southern_hemisphere_changes_keep_local_time() {
        // Sydney: clocks go back on 4 April 2027 (AEDT +11 to AEST +10), forward on 3 October 2027.
        let autumn = calendar("0 6 * * *", "2027-04-03", "Australia/Sydney", 2, 0);
        assert_eq!(autumn.release_time(1), Some(utc("2027-04-02T19:00:00Z")));
        assert_eq!(autumn.release_time(2), Some(utc("2027-04-03T20:00:00Z")));
        let spring = calendar("0 6 * * *", "2027-10-02", "Australia/Sydney", 2, 0);
        assert_eq!(spring.release_time(1), Some(utc("2027-10-01T20:00:00Z")));
        assert_eq!(spring.release_time(2), Some(utc("2027-10-02T19:00:00Z")));
        // 02:30 does not exist in Sydney on 3 October 2027.
        let gap = calendar("30 2 * * *", "2027-10-03", "Australia/Sydney", 1, 0);
        assert_eq!(gap.release_time(1), Some(utc("2027-10-02T16:00:00Z"))); // 03:00 AEDT
    }

    #[test]
    fn a_day_is_open_until_the_next_release_plus_grace() {
        let c = calendar("0 6 * * *", "2027-01-04", "Europe/London", 30, 6);
        assert_eq!(c.closes_at(1), Some(utc("2027-01-05T12:00:00Z")));
        assert!(!c.is_open(1, utc("2027-01-04T05:59:59Z")));
        assert!(c.is_open(1, utc("2027-01-04T06:00:00Z")));
        assert!(c.is_open(1, utc("2027-01-05T11:59:59Z"))); // a night shift finishing late
        assert!(!c.is_open(1, utc("2027-01-05T12:00:00Z")));
        // The last day closes a day after its release plus grace, like every other day.
        assert_eq!(c.closes_at(30), Some(utc("2027-02-03T12:00:00Z")));
        assert_eq!(c.ends_at(), utc("2027-02-03T12:00:00Z"));
    }

    #[test]
    fn days_due_follow_the_calendar() {
        let c = calendar("0 6 * * *", "2027-01-04", "Europe/London", 30, 6);
        assert_eq!(c.days_due(utc("2027-01-04T05:59:59Z")), 0);
        assert_eq!(c.days_due(utc("2027-01-04T06:00:00Z")), 1);
        assert_eq!(c.days_due(utc("2027-01-10T07:00:00Z")), 7);
        assert_eq!(c.days_due(utc("2028-01-01T00:00:00Z")), 30);
        assert_eq!(
            c.next_release(utc("2027-01-10T07:00:00Z")),
            Some((8, utc("2027-01-11T06:00:00Z")))
        );
        assert_eq!(c.next_release(utc("2028-01-01T00:00:00Z")), None);
    }

    #[test]
    fn weekday_schedules_skip_weekends() {
        // 4 January 2027 is a Monday.
        let c = calendar("0 7 * * 1-5", "2027-01-02", "Europe/London", 6, 0);
        assert_eq!(c.release_time(1), Some(utc("2027-01-04T07:00:00Z")));
        assert_eq!(c.release_time(5), Some(utc("2027-01-08T07:00:00Z")));
        assert_eq!(c.release_time(6), Some(utc("2027-01-11T07:00:00Z")));
    }

    #[test]
    fn bad_schedules_and_zones_are_refused_with_reasons() {
        assert!(matches!(
            Schedule::parse("0 6 * *"),
            Err(CalendarError::InvalidCron { .. })
        ));
        assert!(matches!(
            Schedule::parse("0 0 6 * * *"),
            Err(CalendarError::InvalidCron { .. })
        ));
        assert!(matches!(
            Schedule::parse("0 25 * * *"),
            Err(CalendarError::InvalidCron { .. })
        ));
        assert!(matches!(
            Schedule::parse("every day"),
            Err(CalendarError::InvalidCron { .. })
        ));
        assert_eq!(
            Schedule::parse("*/5 * * * *").unwrap_err(),
            CalendarError::TooFrequent("*/5 * * * *".into())
        );
        assert_eq!(
            time_zone("Europe/Londn").unwrap_err(),
            CalendarError::UnknownTimeZone("Europe/Londn".into())
        );
        let message = Schedule::parse("0 6 * *").unwrap_err().to_string();
        assert!(message.contains("it has 4 fields, not 5"), "{message}");
    }
}
