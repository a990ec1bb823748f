//! Drafts: when the safeguarding checker sends a reflection back, what the person wrote is kept
//! for them (server-side, until the day can no longer be completed), so leaving the page, a
//! dropped signal or a closed tab loses nothing. Only its author ever reads it; posting the
//! day replaces it, in the same transaction.

use chrono::{DateTime, Utc};

use super::people::{CohortAccess, Person};
use super::submission::{Review, SubmitRequest};
use super::{AppError, Services};
use crate::domain::{Day, Visibility};
use crate::rules::safeguarding::Flag;
use crate::store::drafts::{self, NewDraft};
use crate::store::{instant, millis};

/// A kept draft, as its author sees it again: with the parts the checker flags in it now.
#[derive(Debug, Clone)]
pub struct Draft {
    pub body: String,
    pub visibility: Visibility,
    pub checkin: Option<u8>,
    pub saved_at: DateTime<Utc>,
    pub flags: Vec<Flag>,
}

/// Keeps what the person sent for review, replacing their earlier draft of the day.
pub async fn keep(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    request: &SubmitRequest,
    review: &Review,
) -> Result<(), AppError> {
    let day = request.day;
    drafts::keep(
        services.store.pool(),
        &NewDraft {
            cohort_id: access.cohort.row.id,
            person_id: person.id,
            day,
            body: request.reflection.trim(),
            visibility: review.visibility,
            checkin: request.checkin.map(i64::from),
            saved_at: millis(services.clock.now()),
            expires_at: millis(review.open_until),
        },
    )
    .await?;
    Ok(())
}

/// The person's own draft of a day, while the day is open.
pub async fn own(
    services: &Services,
    access: &CohortAccess,
    day: Day,
) -> Result<Option<Draft>, AppError> {
    let row = drafts::own(
        services.store.pool(),
        access.cohort.row.id,
        access.viewer.person_id,
        day,
        millis(services.clock.now()),
    )
    .await?;
    Ok(row.map(|row| Draft {
        flags: services.safeguarding.check(&row.body),
        checkin: row.checkin.and_then(|c| u8::try_from(c).ok()),
        saved_at: instant(row.saved_at),
        body: row.body,
        visibility: row.visibility,
    }))
}

/// Drops the drafts of days that closed by `now`; returns how many (the background job's step).
pub async fn discard_expired(services: &Services, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(drafts::discard_expired(services.store.pool(), millis(now)).await?)
}
