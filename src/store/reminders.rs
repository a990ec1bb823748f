//! Reminder settings and the end-of-window reminders: a cohort's default quiet hours and when its
//! closing reminder goes (columns of `cohorts`), a person's own quiet hours in a cohort, and
//! queueing the closing reminders that are due.

use super::outbox::CLOSING;
use super::{Conn, StoreError};
use crate::domain::PersonId;

/// Queues, for every released day still open at `now_ms` whose cohort's closing reminder is due
/// (its `closing_reminder_minutes` before the close), a reminder to each participant who has not
/// done the day, has not marked it a rest day, and has not turned these reminders off. One per
/// person, cohort and day whatever runs it, how often or on how many servers: those already
/// queued are passed over, and the outbox's unique index `outbox_once` settles a race. A reminder
/// not sent by the day's close is dropped. Returns how many were queued.
pub async fn queue_closing_reminders<'e>(
    db: impl Conn<'e>,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, cohort_id, day, created_at, due_at, expires_at) \
         SELECT $1, e.person_id, e.cohort_id, r.day, $2, $2, r.closes_at \
         FROM releases r JOIN cohorts c ON c.id = r.cohort_id \
         JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.role = 'participant' \
         WHERE c.closing_reminder_minutes > 0 AND r.released_at <= $2 AND r.closes_at > $2 \
           AND r.closes_at - c.closing_reminder_minutes * 60000 <= $2 \
           AND NOT EXISTS (SELECT 1 FROM submissions s \
                           WHERE s.cohort_id = e.cohort_id AND s.person_id = e.person_id AND s.day = r.day) \
           AND NOT EXISTS (SELECT 1 FROM rest_days d \
                           WHERE d.cohort_id = e.cohort_id AND d.person_id = e.person_id AND d.day = r.day) \
           AND NOT EXISTS (SELECT 1 FROM mail_unsubscribes u \
                           WHERE u.cohort_id = e.cohort_id AND u.person_id = e.person_id AND u.kind = $1) \
           AND NOT EXISTS (SELECT 1 FROM outbox o \
                           WHERE o.person_id = e.person_id AND o.cohort_id = e.cohort_id \
                             AND o.day = r.day AND o.kind = $1) \
         ORDER BY r.closes_at, e.person_id \
         ON CONFLICT DO NOTHING",
    )
    .bind(CLOSING)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// A cohort's reminder settings as stored: minutes before the close (0: no closing reminder) and
/// default quiet hours (`HH:MM-HH:MM`, '' for none).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CohortSettings {
    pub closing_reminder_minutes: i64,
    pub quiet_hours: String,
}

pub async fn cohort_settings<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Option<CohortSettings>, StoreError> {
    Ok(
        sqlx::query_as("SELECT closing_reminder_minutes, quiet_hours FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Records a cohort's reminder settings (the app layer has checked them).
pub async fn set_cohort_settings<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    settings: &CohortSettings,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE cohorts SET closing_reminder_minutes = $2, quiet_hours = $3 WHERE id = $1")
        .bind(cohort_id)
        .bind(settings.closing_reminder_minutes)
        .bind(&settings.quiet_hours)
        .execute(db)
        .await?;
    Ok(())
}

/// The quiet hours a person set for themselves in a cohort, if any.
pub async fn own_quiet_hours<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
    cohort_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT hours FROM quiet_hours WHERE person_id = $1 AND cohort_id = $2")
            .bind(person_id)
            .bind(cohort_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Sets a person's own quiet hours in a cohort (checked by the app layer), or with `None` goes
/// back to the cohort's.
pub async fn set_own_quiet_hours<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
    cohort_id: i64,
    hours: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let query = match hours {
        Some(_) => {
            "INSERT INTO quiet_hours (person_id, cohort_id, hours, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (person_id, cohort_id) DO UPDATE SET hours = $3, updated_at = $4"
        }
        None => "DELETE FROM quiet_hours WHERE person_id = $1 AND cohort_id = $2",
    };
    let mut q = sqlx::query(query).bind(person_id).bind(cohort_id);
    if let Some(hours) = hours {
        q = q.bind(hours).bind(now_ms);
    }
    q.execute(db).await?;
    Ok(())
}
