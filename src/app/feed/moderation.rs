//! Moderation: anyone reports a reflection or reply to the change leads, who hide it with a
//! reason and review the open reports.

use super::readable;
use crate::app::people::{self, CohortAccess, Person};
use crate::app::{AppError, Refusal, Services};
use chrono::{DateTime, Utc};

use crate::domain::Day;
use crate::store::feed::{self, ReportRow};
use crate::store::{instant, millis};

pub const MAX_REASON_CHARS: usize = 500;

/// An open report as a change lead sees it: what was reported and why. The author of an
/// anonymous reflection stays unnamed here too.
#[derive(Debug, Clone)]
pub struct Report {
    /// The reflection's public id.
    pub reflection_id: i64,
    pub reply_id: Option<i64>,
    pub day: Day,
    pub reported_text: String,
    pub author_name: Option<String>,
    pub reporter_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl From<ReportRow> for Report {
    fn from(r: ReportRow) -> Report {
        Report {
            reflection_id: r.reflection_id,
            reply_id: r.reply_id,
            day: r.day,
            reported_text: r.reported_text,
            author_name: r.author_name,
            reporter_name: r.reporter_name,
            reason: r.reason,
            created_at: instant(r.created_at),
        }
    }
}

fn reason_text(reason: &str, what: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::ReasonMissing.says(format!("Please say briefly why {what}.")));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Refusal::ReasonTooLong.says(format!(
            "Please keep the reason to {MAX_REASON_CHARS} characters."
        )));
    }
    Ok(reason.to_string())
}

/// Reports a reflection, or one of its replies, to the change leads.
pub async fn report(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    reply_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    let reflection = readable(services, access, reflection_id).await?;
    let reason = reason_text(reason, "you are reporting this")?;
    let pool = services.store.pool();
    if let Some(reply) = reply_id
        && !feed::reply_of(pool, reflection.row_id, reply).await?
    {
        return Err(AppError::NotFound("there is no such reply".into()));
    }
    let now = services.clock.now();
    let mut tx = services.store.begin_write().await?;
    if feed::insert_report(
        tx.conn(),
        reflection.row_id,
        reply_id,
        person.id,
        &reason,
        millis(now),
    )
    .await?
    {
        crate::app::digest::queue_report_alert(tx.conn(), access.cohort.row.id, now).await?;
    }
    tx.commit().await?;
    services.mail_queued.notify_one();
    Ok(())
}

fn require_change_lead(person: &Person, access: &CohortAccess) -> Result<(), AppError> {
    if people::is_change_lead(person, access) {
        Ok(())
    } else {
        // The same answer as for a missing page: the route reveals nothing to others.
        Err(AppError::NotFound("there is no such page".into()))
    }
}

/// Hides a reflection or reply from the feed, with a reason; a change lead's action.
pub async fn hide(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    reply_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    require_change_lead(person, access)?;
    let reason = reason_text(reason, "you are hiding this")?;
    let now = millis(services.clock.now());
    let Some(row_id) =
        feed::shared(services.store.pool(), access.cohort.row.id, reflection_id).await?
    else {
        return Err(AppError::NotFound("there is no such reflection".into()));
    };
    let mut tx = services.store.begin_write().await?;
    let hidden = feed::hide(
        &mut tx,
        access.cohort.row.id,
        row_id,
        reply_id,
        person.id,
        &reason,
        now,
    )
    .await?;
    tx.commit().await?;
    if hidden {
        Ok(())
    } else {
        Err(AppError::NotFound("there is no such reflection".into()))
    }
}

/// Open reports in a cohort; a change lead's view.
pub async fn reports(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
) -> Result<Vec<Report>, AppError> {
    require_change_lead(person, access)?;
    let rows = feed::open_reports(services.store.pool(), access.cohort.row.id).await?;
    Ok(rows.into_iter().map(Report::from).collect())
}
