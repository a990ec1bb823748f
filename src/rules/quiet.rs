//! Quiet hours: the part of each day, by the clock on the wall of a time zone, when a person gets
//! no reminders. Written `HH:MM-HH:MM`; the span may cross midnight (`21:00-07:00`). Whether an
//! instant is quiet, and when the quiet ends, follow the local clock through daylight-saving
//! changes: a night that loses an hour is an hour shorter.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A span of the local day, `start` included, `end` excluded, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    start: NaiveTime,
    end: NaiveTime,
}

/// Why a quiet-hours setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuietHoursError {
    #[error("\"{0}\" is not a time of day; write it as HH:MM, e.g. 21:00")]
    NotATime(String),
    #[error("quiet hours are written as two times, e.g. 21:00-07:00")]
    NotASpan,
    #[error(
        "quiet hours that start when they end ({0}) would be always or never; choose two times"
    )]
    Empty(String),
}

impl QuietHours {
    /// Quiet hours from `start` to `end` (each `HH:MM`); refused when either is not a time of day
    /// or they are equal.
    pub fn new(start: &str, end: &str) -> Result<Self, QuietHoursError> {
        let time = |text: &str| {
            let text = text.trim();
            NaiveTime::parse_from_str(text, "%H:%M")
                .map_err(|_| QuietHoursError::NotATime(text.to_string()))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start == end {
            return Err(QuietHoursError::Empty(start.format("%H:%M").to_string()));
        }
        Ok(QuietHours { start, end })
    }

    /// When these quiet hours end if `now` is inside them in `tz`; `None` when it is not.
    pub fn ends_after(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&tz);
        let time = local.time();
        let quiet = if self.start < self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        };
        if !quiet {
            return None;
        }
        let date = if time < self.end {
            local.date_naive()
        } else {
            local.date_naive() + Duration::days(1)
        };
        Some(first_instant_at_or_after(date.and_time(self.end), tz, now))
    }
}

/// The first instant whose local time in `tz` is `local` (the earlier of two when the clocks go
/// back), or, when the clocks skip `local`, the instant they skip to; never before `not_before`.
fn first_instant_at_or_after(
    local: chrono::NaiveDateTime,
    tz: Tz,
    not_before: DateTime<Utc>,
) -> DateTime<Utc> {
    // A spring-forward gap is at most a few hours: the first minute after it that exists is
    // where the clock landed.
    (0..=240)
        .find_map(|minutes| {
            tz.from_local_datetime(&(local + Duration::minutes(minutes)))
                .earliest()
        })
        .map_or(not_before, |t| t.with_timezone(&Utc).max(not_before))
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

impl FromStr for QuietHours {
    type Err = QuietHoursError;

    /// `21:00-07:00`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (start, end) = text.split_once('-').ok_or(QuietHoursError::NotASpan)?;
        QuietHours::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::London;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn night() -> QuietHours {
        "21:00-07:00".parse().unwrap()
    }

    #[test]
    fn a_span_across_midnight_is_quiet_from_its_start_until_its_end() {
        let q = night();
        assert_eq!(q.ends_after(at("2027-01-04T20:59:59Z"), London), None);
        let end = Some(at("2027-01-05T07:00:00Z"));
        assert_eq!(q.ends_after(at("2027-01-04T21:00:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-01-05T03:00:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-01-05T06:59:59Z"), London), end);
        assert_eq!(q.ends_after(at("2027-01-05T07:00:00Z"), London), None);
    }

    #[test]
    fn a_span_within_a_day_is_quiet_only_inside_it() {
        let q: QuietHours = "13:00-14:30".parse().unwrap();
        assert_eq!(q.ends_after(at("2027-01-04T12:59:00Z"), London), None);
        assert_eq!(
            q.ends_after(at("2027-01-04T13:10:00Z"), London),
            Some(at("2027-01-04T14:30:00Z"))
        );
        assert_eq!(q.ends_after(at("2027-01-04T14:30:00Z"), London), None);
    }

    #[test]
    fn the_night_the_clocks_go_forward_ends_at_seven_summer_time() {
        // 28 March 2027: 01:00 GMT becomes 02:00 BST. 21:00 GMT to 07:00 BST is nine hours.
        let q = night();
        assert_eq!(q.ends_after(at("2027-03-27T20:59:00Z"), London), None);
        let end = Some(at("2027-03-28T06:00:00Z"));
        assert_eq!(q.ends_after(at("2027-03-27T21:00:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-03-28T00:59:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-03-28T01:00:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-03-28T05:59:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-03-28T06:00:00Z"), London), None);
        // The evening after, in summer time: 21:00 BST is 20:00 UTC.
        assert!(q.ends_after(at("2027-03-28T20:00:00Z"), London).is_some());
    }

    #[test]
    fn the_night_the_clocks_go_back_ends_at_seven_winter_time() {
        // 31 October 2027: 02:00 BST becomes 01:00 GMT. 21:00 BST to 07:00 GMT is eleven hours.
        let q = night();
        assert_eq!(q.ends_after(at("2027-10-30T19:59:00Z"), London), None);
        let end = Some(at("2027-10-31T07:00:00Z"));
        assert_eq!(q.ends_after(at("2027-10-30T20:00:00Z"), London), end);
        // Both 01:30s of that night are quiet.
        assert_eq!(q.ends_after(at("2027-10-31T00:30:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-10-31T01:30:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-10-31T06:59:00Z"), London), end);
        assert_eq!(q.ends_after(at("2027-10-31T07:00:00Z"), London), None);
    }

    #[test]
    fn an_end_the_clocks_skip_is_when_they_land() {
        // 01:30 does not exist on 28 March 2027: the quiet ends at 02:00 BST (01:00 UTC).
        let q: QuietHours = "00:00-01:30".parse().unwrap();
        assert_eq!(
            q.ends_after(at("2027-03-28T00:45:00Z"), London),
            Some(at("2027-03-28T01:00:00Z"))
        );
        assert_eq!(q.ends_after(at("2027-03-28T01:00:00Z"), London), None);
    }

    #[test]
    fn an_end_that_happens_twice_is_its_first() {
        // 01:30 happens twice on 31 October 2027: the quiet ends at the first (00:30 UTC).
        let q: QuietHours = "23:00-01:30".parse().unwrap();
        assert_eq!(
            q.ends_after(at("2027-10-30T23:00:00Z"), London),
            Some(at("2027-10-31T00:30:00Z"))
        );
        // At the second 01:30 the local time is past the end: not quiet.
        assert_eq!(q.ends_after(at("2027-10-31T01:30:00Z"), London), None);
    }

    #[test]
    fn settings_that_make_no_sense_are_refused() {
        assert_eq!(
            QuietHours::new("22:00", "22:00"),
            Err(QuietHoursError::Empty("22:00".into()))
        );
        assert_eq!(
            QuietHours::new("25:00", "07:00"),
            Err(QuietHoursError::NotATime("25:00".into()))
        );
        assert_eq!(
            QuietHours::new("late", "07:00"),
            Err(QuietHoursError::NotATime("late".into()))
        );
        assert_eq!(
            "21:00".parse::<QuietHours>(),
            Err(QuietHoursError::NotASpan)
        );
        assert_eq!(night().to_string(), "21:00-07:00");
    }
}
