//! A person's day-by-day record in a cohort: the released days, which they completed, which they
//! rested, and when they joined. Streaks, streak bonuses and badges all read it, so they agree.

use crate::domain::PersonId;
use crate::store::Conn;
use chrono::{DateTime, Utc};

use super::AppError;
use super::cohort::Cohort;
use super::released::Released;
use super::submission::day_window;
use crate::rules::streak::DayState;
use crate::store::badges::people_facts;
use crate::store::submissions::PersonDays;

#[derive(Debug, Clone)]
pub struct Record {
    cohort: Cohort,
    pub released: Released,
    pub done: Vec<i64>,
    pub rest: Vec<i64>,
    pub enrolled_at: i64,
}

impl Record {
    /// Reads the person's days (in a transaction, to include what it wrote, or not) to go with
    /// the cohort's releases.
    pub async fn load<'e>(
        db: impl Conn<'e>,
        cohort: &Cohort,
        released: Released,
        person_id: PersonId,
    ) -> Result<Record, AppError> {
        let key = super::badges::facts_key(cohort.row.id, person_id, None);
        let days = people_facts(db, &[key])
            .await?
            .pop()
            .map(|facts| facts.days)
            .unwrap_or_default();
        Ok(Record::of(cohort, released, days))
    }

    /// A record from the person's days, read with others' in one query.
    pub fn of(cohort: &Cohort, released: Released, days: PersonDays) -> Record {
        Record::new(
            cohort,
            released,
            days.done,
            days.rest,
            days.enrolled_at.unwrap_or(0),
        )
    }

    /// A record from rows already read (the briefing reads everyone's at once).
    pub fn new(
        cohort: &Cohort,
        released: Released,
        done: Vec<i64>,
        rest: Vec<i64>,
        enrolled_at: i64,
    ) -> Record {
        Record {
            cohort: cohort.clone(),
            released,
            done,
            rest,
            enrolled_at,
        }
    }

    /// Each released day up to `up_to`: completed, excused (a rest day, or closed before they
    /// enrolled), still open, or missed.
    pub fn states(&self, now: DateTime<Utc>, up_to: i64) -> Vec<DayState> {
        self.released
            .iter()
            .filter(|r| i64::from(r.day) <= up_to)
            .map(|r| {
                if self.done.contains(&i64::from(r.day)) {
                    DayState::Completed
                } else if self.rest.contains(&i64::from(r.day)) || r.closes_at <= self.enrolled_at {
                    DayState::Excused
                } else if day_window(&self.cohort, r, now).accepts() {
                    DayState::Open
                } else {
                    DayState::Missed
                }
            })
            .collect()
    }
}
