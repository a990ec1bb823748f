//! What a change lead does in the browser for the cohorts they lead: the list of them, enrolling
//! from a CSV after a preview, and the audit log of every admin action.
//!
//! A lead is a lead by their enrolment in that cohort only ([`super::people`]); to anyone else a
//! lead's page of a cohort is "not found", as for a cohort that does not exist. Every admin write
//! moves the cohort's edit version and is refused when the form was read at an older one, so two
//! leads editing at once never overwrite each other silently; and it is written to the audit log
//! in its own transaction.

use chrono::{DateTime, Utc};

use super::enrol::{self, Editor, EnrolError, EnrolSummary};
use super::people::{Caller, CohortAccess, CohortSummary, Role};
use super::{AppError, Refusal, Services};
use crate::domain::CohortId;
use crate::store::{Tx, audit, enrolments, instant, millis};

/// How many entries the audit page shows, newest first.
const AUDIT_PAGE: i64 = 200;

/// A cohort in a lead's list: where it is and how today is going.
#[derive(Debug, Clone)]
pub struct LedCohort {
    pub cohort: CohortSummary,
    /// Days due by the calendar (0 before it starts), of `length`.
    pub day: u32,
    pub length: u32,
    /// Everyone enrolled, whatever their role.
    pub people: i64,
    pub participants: i64,
    /// Participants who did today's day (on time or late so far).
    pub done_today: i64,
}

/// The cohorts `caller` leads, in the order they were enrolled in them.
pub async fn led_cohorts(services: &Services, caller: &Caller) -> Result<Vec<LedCohort>, AppError> {
    let now = services.clock.now();
    let pool = services.store.pool();
    let mut led = Vec::new();
    for m in caller
        .memberships
        .iter()
        .filter(|m| m.role == Role::ChangeLead)
    {
        let access = caller.access(services, m.cohort.id).await?;
        let id = m.cohort.id.0;
        let day = access.cohort.calendar.days_due(now);
        let counts = crate::store::cohorts::team_counts(pool, id).await?;
        let done_today = if day == 0 {
            0
        } else {
            audit::done_on(pool, id, i64::from(day)).await?
        };
        led.push(LedCohort {
            cohort: m.cohort.clone(),
            day,
            length: access.cohort.calendar.length(),
            people: counts.iter().map(|c| c.people).sum(),
            participants: counts
                .iter()
                .filter(|c| c.role == "participant")
                .map(|c| c.people)
                .sum(),
            done_today,
        });
    }
    Ok(led)
}

/// A change lead's checked access to one cohort they lead, with the cohort's edit version now.
#[derive(Debug, Clone)]
pub struct LeadAccess {
    pub access: CohortAccess,
    pub version: i64,
}

/// Checks that `caller` leads `cohort_id`: anyone else, enrolled in it or not, is told there is
/// no such page.
pub async fn lead(
    services: &Services,
    caller: &Caller,
    cohort_id: CohortId,
) -> Result<LeadAccess, AppError> {
    let access = caller.access(services, cohort_id).await?;
    if access.membership.role != Role::ChangeLead {
        return Err(AppError::NotFound("there is no such page".into()));
    }
    let version = audit::edit_version(services.store.pool(), cohort_id.0).await?;
    Ok(LeadAccess { access, version })
}

/// A row of a CSV that passed every check, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub email: String,
    pub name: String,
    pub team: Option<String>,
    pub role: Role,
}

/// What an import would do, without writing anything: every row, or every bad line.
pub fn preview_enrol(_lead: &LeadAccess, csv: &str) -> Result<Vec<PreviewRow>, EnrolError> {
    let people = enrol::parse_csv(csv).map_err(EnrolError::BadRows)?;
    Ok(people
        .into_iter()
        .map(|p: enrolments::Enrolee| PreviewRow {
            role: Role::parse(&p.role),
            email: p.email,
            name: p.name,
            team: p.team,
        })
        .collect())
}

/// Enrols the CSV a lead previewed, if nobody changed the cohort since `version` was read.
pub async fn enrol(
    services: &Services,
    caller: &Caller,
    lead: &LeadAccess,
    csv: &str,
    version: i64,
) -> Result<EnrolSummary, EnrolError> {
    let editor = Editor::Lead {
        person: caller.person.id,
        version,
    };
    enrol::enrol_csv_by(services, lead.access.cohort.id().0, csv, editor).await
}

/// Moves the cohort's edit version on for `editor`, or refuses: another lead's change came first.
pub(super) async fn claim_edit(
    tx: &mut Tx,
    cohort_id: i64,
    editor: Editor,
) -> Result<(), AppError> {
    let expected = match editor {
        Editor::CommandLine => None,
        Editor::Lead { version, .. } => Some(version),
    };
    if audit::bump_edit_version(tx.conn(), cohort_id, expected).await? {
        Ok(())
    } else {
        Err(Refusal::EditConflict.says(
            "another change lead changed this cohort after you opened this form; nothing was \
             written. Look at the cohort again and repeat your change if it is still needed.",
        ))
    }
}

/// Records an admin action in the audit log, in the transaction that does it. `detail` is a short
/// description of what changed and never quotes a reflection or reply.
pub(super) async fn audit(
    tx: &mut Tx,
    cohort_id: i64,
    editor: Editor,
    action: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let by = match editor {
        Editor::CommandLine => None,
        Editor::Lead { person, .. } => Some(person),
    };
    audit::record(tx.conn(), cohort_id, by, action, detail, millis(now)).await?;
    Ok(())
}

/// One entry of the audit log as the lead reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The lead's name, or `None` for the command line on the server.
    pub by: Option<String>,
    pub action: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// The cohort's audit log, newest first.
pub async fn audit_log(
    services: &Services,
    lead: &LeadAccess,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows =
        audit::for_cohort(services.store.pool(), lead.access.cohort.id().0, AUDIT_PAGE).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            by: r.by,
            action: r.action,
            detail: r.detail,
            at: instant(r.created_at),
        })
        .collect())
}
