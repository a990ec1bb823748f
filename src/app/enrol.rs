//! Enrolling people in a cohort from a CSV file (email, name, team, role).
//!
//! All or nothing: every row is checked first and every bad row reported with its line number;
//! only a clean file is written, in one transaction. Importing the same file again changes nothing;
//! a file that gives someone another role or team in the cohort changes it, at once for every
//! signed-in caller (the callers' version moves), and ends briefing links they may no longer make.

use std::collections::HashMap;

use super::{AppError, Services};
use crate::domain::PersonId;
use crate::store::enrolments::{self, Enrolee};
use crate::store::{Tx, briefing, millis};

/// A bad row: its line in the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The roles a CSV may give.
pub const ROLES: [&str; 3] = ["participant", "manager", "change_lead"];

/// Parses and validates a whole CSV. Columns are found by their header (in any order, any case):
/// `email`, `name`, `team` and `role` (`role` optional, `participant` when blank).
pub fn parse_csv(text: &str) -> Result<Vec<Enrolee>, Vec<RowProblem>> {
    // The csv crate counts a CRLF line end twice or not at all in its positions; browsers send a
    // form's text with CRLF and spreadsheets save it so, and the report must name the right line.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(str::to_lowercase).collect::<Vec<_>>(),
        Err(e) => {
            return Err(vec![RowProblem {
                line: 1,
                message: format!("cannot read the header: {e}"),
            }]);
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(email_at), Some(name_at)) = (column("email"), column("name")) else {
        return Err(vec![RowProblem {
            line: 1,
            message: format!(
                "the header must name the columns email, name, team and role; it has: {}",
                headers.join(", ")
            ),
        }]);
    };
    let (team_at, role_at) = (column("team"), column("role"));

    let mut people = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RowProblem {
                    line,
                    message: format!("cannot read this row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("").to_string();
        let mut bad = |message: String| problems.push(RowProblem { line, message });
        let email = field(Some(email_at)).to_lowercase();
        let name = field(Some(name_at));
        let team = Some(field(team_at)).filter(|t| !t.is_empty());
        let role = match field(role_at)
            .to_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "" => "participant".to_string(),
            r if ROLES.contains(&r) => r.to_string(),
            other => {
                bad(format!(
                    "`{other}` is not a role; use participant, manager or change_lead"
                ));
                continue;
            }
        };
        if !valid_email(&email) {
            bad(format!("`{email}` is not an email address"));
            continue;
        }
        if name.is_empty() || name.chars().count() > 100 {
            bad("the name must be 1 to 100 characters".to_string());
            continue;
        }
        if team.is_none() && role != "change_lead" {
            bad(format!(
                "{email} has no team; every participant and manager needs one"
            ));
            continue;
        }
        if team.as_ref().is_some_and(|t| t.chars().count() > 100) {
            bad("the team name must be at most 100 characters".to_string());
            continue;
        }
        if let Some(first) = seen.insert(email.clone(), line) {
            bad(format!("{email} is already on line {first}"));
            continue;
        }
        people.push(Enrolee {
            email,
            name,
            team,
            role,
        });
    }
    if problems.is_empty() {
        Ok(people)
    } else {
        Err(problems)
    }
}

/// A plausible email address: one `@`, something before it, a dotted domain after, no spaces.
fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolSummary {
    pub rows: usize,
    /// People enrolled in the cohort by this import who were not before.
    pub newly_enrolled: i64,
    /// People already enrolled whose role or team in the cohort this import changed.
    pub changed: i64,
    /// Briefing links revoked because their makers may no longer see what they show.
    pub links_revoked: u64,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("{} bad row(s); nothing was imported", .0.len())]
    BadRows(Vec<RowProblem>),
    #[error(transparent)]
    App(#[from] AppError),
}

/// Who made an admin change, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// Whoever runs `muster` on the server: any version of the cohort is the one they edit.
    CommandLine,
    /// A change lead in the browser, with the cohort's edit version their form was read at.
    Lead { person: PersonId, version: i64 },
}

/// Enrols everyone in `csv` into cohort `cohort_id`, all or nothing, from the command line.
pub async fn enrol_csv(
    services: &Services,
    cohort_id: i64,
    csv: &str,
) -> Result<EnrolSummary, EnrolError> {
    enrol_csv_by(services, cohort_id, csv, Editor::CommandLine).await
}

/// [`enrol_csv`] by `editor`: refused with nothing written when a lead's form is older than the
/// cohort's last admin change; recorded in the audit log in the same transaction.
pub async fn enrol_csv_by(
    services: &Services,
    cohort_id: i64,
    csv: &str,
    editor: Editor,
) -> Result<EnrolSummary, EnrolError> {
    let now = services.clock.now();
    let people = parse_csv(csv).map_err(EnrolError::BadRows)?;
    super::cohort::get(services, cohort_id).await?;
    let mut tx = services.store.begin_write().await.map_err(AppError::from)?;
    super::lead::claim_edit(&mut tx, cohort_id, editor).await?;
    let before = count(&mut tx, cohort_id).await?;
    let written = enrolments::enrol(&mut tx, cohort_id, &people, millis(now))
        .await
        .map_err(AppError::from)?;
    let after = count(&mut tx, cohort_id).await?;
    let links_revoked = briefing::revoke_beyond_rights(tx.conn(), cohort_id, millis(now))
        .await
        .map_err(AppError::from)?;
    let newly_enrolled = after - before;
    let summary = EnrolSummary {
        rows: people.len(),
        newly_enrolled,
        changed: written as i64 - newly_enrolled,
        links_revoked,
    };
    super::lead::audit(
        &mut tx,
        cohort_id,
        editor,
        "enrol",
        &summary.to_string(),
        now,
    )
    .await?;
    services
        .commit_caller_change(tx)
        .await
        .map_err(AppError::from)?;
    Ok(summary)
}

/// What the CLI prints and the enrol page shows: the same words.
impl std::fmt::Display for EnrolSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rows read; {} newly enrolled, {} moved to another role or team",
            self.rows, self.newly_enrolled, self.changed
        )?;
        if self.links_revoked > 0 {
            write!(
                f,
                "; {} briefing link(s) revoked: their makers no longer manage what they show",
                self.links_revoked
            )?;
        }
        Ok(())
    }
}

async fn count(tx: &mut Tx, cohort_id: i64) -> Result<i64, AppError> {
    Ok(enrolments::count(tx.conn(), cohort_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_by_header_in_any_order() {
        let people = parse_csv("Role,Team,Name,Email\nmanager,Response A,Sam Patel,SAM@force.police.uk\n,Response A,Jo Li,jo@force.police.uk\n").unwrap();
        assert_eq!(
            people[0],
            Enrolee {
                email: "sam@force.police.uk".into(),
                name: "Sam Patel".into(),
                team: Some("Response A".into()),
                role: "manager".into()
            }
        );
        assert_eq!(people[1].role, "participant");
    }

    #[test]
    fn reports_every_bad_row_with_its_line() {
        let csv = "email,name,team,role\n\
                   ok@force.uk,Ok,A,participant\n\
                   not-an-email,Bad,A,participant\n\
                   ok@force.uk,Again,A,participant\n\
                   lead@force.uk,Lead,,change lead\n\
                   x@force.uk,X,,participant\n\
                   y@force.uk,Y,A,sergeant\n";
        let problems = parse_csv(csv).unwrap_err();
        let lines: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (3, "`not-an-email` is not an email address"),
                (4, "ok@force.uk is already on line 2"),
                (
                    6,
                    "x@force.uk has no team; every participant and manager needs one"
                ),
                (
                    7,
                    "`sergeant` is not a role; use participant, manager or change_lead"
                ),
            ]
        );
    }

    #[test]
    fn lines_are_counted_alike_with_crlf() {
        let problems =
            parse_csv("email,name,team\r\nok@force.uk,Ok,A\r\nbroken,Bad,A\r\n").unwrap_err();
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn a_header_without_email_is_refused() {
        let problems = parse_csv("mail,name\na@b.c,A\n").unwrap_err();
        assert_eq!(problems[0].line, 1);
    }
}
