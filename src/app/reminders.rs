//! Which reminders a person gets and when: a cohort's reminder settings, queueing the
//! end-of-window reminders, one-click unsubscribe from a message (no session needed), and the
//! choices on the preferences page (which reminders, and quiet hours).

use chrono::{DateTime, Duration, Utc};

use super::people::Person;
use super::signin::hash;
use super::{AppError, Refusal, Services};
use crate::rules::quiet::QuietHours;
use crate::store::reminders::{self, CohortSettings};
use crate::store::{millis, outbox, people};

/// The kinds of reminder a person can choose, as stored, with how the page names them.
pub const KINDS: &[(&str, &str)] = &[
    (outbox::RELEASED, "When a day is released"),
    (
        outbox::CLOSING,
        "Before a day closes, if I have not done it",
    ),
];

/// The weekly digest: a kind of mail only managers and change leads get.
const DIGEST: (&str, &str) = (crate::store::digest::DIGEST, "The weekly digest of my team");

/// A manager's word of encouragement: a kind of mail only participants get.
const ENCOURAGE: (&str, &str) = (
    crate::store::team::ENCOURAGE,
    "A word of encouragement from my manager",
);

/// The alert that a reflection was reported: a kind of mail only change leads get.
const REPORTED: (&str, &str) = (
    crate::store::digest::REPORTED,
    "When a reflection is reported",
);

/// The kinds of mail a person with `role` in a cohort can choose: everyone's reminders, the
/// digest for those who get it, encouragement for those who take part, and report alerts for
/// change leads.
fn kinds_for(role: &str) -> Vec<(&'static str, &'static str)> {
    let mut kinds = KINDS.to_vec();
    if role == "manager" || role == "change_lead" {
        kinds.push(DIGEST);
    } else {
        kinds.push(ENCOURAGE);
    }
    if role == "change_lead" {
        kinds.push(REPORTED);
    }
    kinds
}

/// A cohort's reminder settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortReminders {
    /// How long before a day closes its reminder goes to those who have not done it; `None`
    /// sends none.
    pub closing_before: Option<Duration>,
    /// When its people get no reminders unless they set their own, in the cohort's time zone;
    /// `None` for none.
    pub quiet_hours: Option<QuietHours>,
}

impl Default for CohortReminders {
    /// A closing reminder two hours before the close, quiet from 21:00 to 07:00.
    fn default() -> Self {
        CohortReminders {
            closing_before: Some(Duration::hours(2)),
            quiet_hours: Some(
                QuietHours::new("21:00", "07:00")
                    .unwrap_or_else(|_| unreachable!("21:00-07:00 is valid quiet hours")),
            ),
        }
    }
}

impl CohortReminders {
    /// No closing reminder and no quiet hours: reminders go as soon as they are queued.
    pub fn none() -> Self {
        CohortReminders {
            closing_before: None,
            quiet_hours: None,
        }
    }

    /// The settings as stored, refused when the closing reminder would go before a day is
    /// released (more than [`MAX_CLOSING_BEFORE`]) or not at all (zero or less).
    pub(super) fn stored(&self) -> Result<CohortSettings, AppError> {
        let minutes = match self.closing_before {
            None => 0,
            Some(d) if d > Duration::zero() && d <= MAX_CLOSING_BEFORE => d.num_minutes().max(1),
            Some(_) => {
                return Err(Refusal::ReminderOutOfRange.says(format!(
                    "the closing reminder goes between 1 minute and {} hours before a day closes",
                    MAX_CLOSING_BEFORE.num_hours()
                )));
            }
        };
        Ok(CohortSettings {
            closing_reminder_minutes: minutes,
            quiet_hours: self.quiet_hours.map(|q| q.to_string()).unwrap_or_default(),
        })
    }
}

/// The earliest a closing reminder may go: a day is open for at least a day.
pub const MAX_CLOSING_BEFORE: Duration = Duration::hours(24);

/// Queues the end-of-window reminders due at `now` (a step of the closing-reminders job, so it
/// takes the pass's instant). Returns how many were queued.
pub async fn queue_closing(services: &Services, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut tx = services.store.begin_write().await?;
    let queued = reminders::queue_closing_reminders(tx.conn(), millis(now)).await?;
    tx.commit().await?;
    if queued > 0 {
        services.mail_queued.notify_one();
    }
    Ok(queued)
}

/// What an unsubscribe link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsubscribe {
    /// The person gets no more of that kind of reminder in that cohort.
    Done { cohort: String, kind: &'static str },
    /// The link is unknown, tampered with or already used: nothing changed.
    NotValid,
}

/// Uses a one-click unsubscribe token (RFC 8058): the token alone says who and what, so it works
/// without signing in. A token works once; a second use, or one that was never issued, changes
/// nothing.
pub async fn unsubscribe(services: &Services, token: &str) -> Result<Unsubscribe, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Unsubscribe::NotValid);
    }
    let now = millis(services.clock.now());
    let mut tx = services.store.begin_write().await?;
    let Some(used) = outbox::use_unsubscribe_token(tx.conn(), &hash(token), now).await? else {
        return Ok(Unsubscribe::NotValid);
    };
    outbox::set_subscribed(
        &mut tx,
        used.person_id,
        used.cohort_id,
        &used.kind,
        false,
        now,
    )
    .await?;
    let cohort = crate::store::cohorts::get(tx.conn(), used.cohort_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    tx.commit().await?;
    let kind = KINDS
        .iter()
        .chain([&DIGEST, &ENCOURAGE, &REPORTED])
        .find(|(k, _)| *k == used.kind)
        .map_or("these reminders", |(_, name)| *name);
    Ok(Unsubscribe::Done { cohort, kind })
}

/// One cohort's reminder choices for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortChoices {
    pub cohort_id: i64,
    pub cohort: String,
    /// Each kind the person can choose (see `kinds_for`), and whether they get it.
    pub kinds: Vec<(&'static str, &'static str, bool)>,
    /// The person's own quiet hours in the cohort, if they set them.
    pub own_quiet_hours: Option<String>,
    /// The cohort's quiet hours ('' for none).
    pub cohort_quiet_hours: String,
    pub time_zone: String,
}

/// The person's choices in every cohort they are enrolled in.
pub async fn choices(services: &Services, person: &Person) -> Result<Vec<CohortChoices>, AppError> {
    let pool = services.store.pool();
    let mut all = Vec::new();
    for membership in people::memberships(pool, person.id).await? {
        let cohort = membership.cohort.id;
        let off = outbox::unsubscribed(pool, person.id, cohort).await?;
        let settings = reminders::cohort_settings(pool, cohort).await?;
        all.push(CohortChoices {
            cohort_id: cohort,
            cohort: membership.cohort.name,
            kinds: kinds_for(&membership.role)
                .into_iter()
                .map(|(kind, name)| (kind, name, !off.iter().any(|o| o == kind)))
                .collect(),
            own_quiet_hours: reminders::own_quiet_hours(pool, person.id, cohort).await?,
            cohort_quiet_hours: settings.map(|s| s.quiet_hours).unwrap_or_default(),
            time_zone: membership.cohort.time_zone,
        });
    }
    Ok(all)
}

/// A person's own quiet hours, as the preferences form gives them: both times empty goes back
/// to the cohort's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuietChoice {
    pub start: String,
    pub end: String,
}

/// Sets which reminders the person gets in a cohort they are enrolled in (those in `on`) and
/// their quiet hours there. Quiet hours that make no sense are refused and nothing is changed.
pub async fn choose(
    services: &Services,
    person: &Person,
    cohort_id: i64,
    on: &[String],
    quiet: &QuietChoice,
) -> Result<(), AppError> {
    let pool = services.store.pool();
    let Some(membership) = people::memberships(pool, person.id)
        .await?
        .into_iter()
        .find(|m| m.cohort.id == cohort_id)
    else {
        return Err(AppError::NotFound(
            "you are not enrolled in that cohort".into(),
        ));
    };
    let kinds = kinds_for(&membership.role);
    let quiet = if quiet.start.trim().is_empty() && quiet.end.trim().is_empty() {
        None
    } else {
        let hours = QuietHours::new(&quiet.start, &quiet.end)
            .map_err(|e| Refusal::QuietHoursInvalid.says(format!("Quiet hours: {e}.")))?;
        Some(hours.to_string())
    };
    if let Some(unknown) = on.iter().find(|k| !kinds.iter().any(|(kind, _)| kind == k)) {
        return Err(
            Refusal::UnknownReminder.says(format!("There is no reminder called \"{unknown}\"."))
        );
    }
    let now = millis(services.clock.now());
    let mut tx = services.store.begin_write().await?;
    for (kind, _) in &kinds {
        let wanted = on.iter().any(|k| k == kind);
        outbox::set_subscribed(&mut tx, person.id, cohort_id, kind, wanted, now).await?;
    }
    reminders::set_own_quiet_hours(tx.conn(), person.id, cohort_id, quiet.as_deref(), now).await?;
    tx.commit().await?;
    Ok(())
}
