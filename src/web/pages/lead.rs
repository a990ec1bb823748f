//! The change lead's pages: the cohorts they lead, enrolling from a CSV (checked and previewed
//! before anything is written), and the audit log. Every route of a cohort checks that the caller
//! leads it ([`lead::lead`]); to anyone else it is not found.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Tab, csrf_field, local_time, page, page_in};
use crate::app::enrol::{EnrolError, RowProblem};
use crate::app::lead::{self, LeadAccess, PreviewRow};
use crate::app::people::Role;
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// The cohorts I lead, with where each stands today.
pub async fn cohorts(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let led = lead::led_cohorts(&state.services, &user.caller).await?;
    Ok(page_in(Some(Tab::Lead), "Cohorts you lead", Some(&user), html! {
        h1 { "Cohorts you lead" }
        @if led.is_empty() {
            p { "You lead no cohort. A change lead of a cohort can make you one of its leads." }
        } @else {
            div.table-wrap {
                table.data {
                    caption { "Your cohorts today" }
                    thead { tr {
                        th scope="col" { "Cohort" } th scope="col" { "Day" }
                        th scope="col" { "People" } th scope="col" { "Done today" }
                        th scope="col" { "Manage" }
                    } }
                    tbody {
                        @for c in &led {
                            @let id = c.cohort.id.0;
                            tr {
                                th scope="row" { (c.cohort.name) }
                                td { @if c.day == 0 { "Not started" } @else { (c.day) " of " (c.length) } }
                                td { (c.people) }
                                td {
                                    @if c.day == 0 || c.participants == 0 { "–" }
                                    @else { (c.done_today) " of " (c.participants) " (" (c.done_today * 100 / c.participants) "%)" }
                                }
                                td {
                                    a href=(format!("/lead/c/{id}/enrol")) { "Enrol" span.visually-hidden { " in " (c.cohort.name) } }
                                    " · "
                                    a href=(format!("/lead/c/{id}/audit")) { "Audit log" span.visually-hidden { " of " (c.cohort.name) } }
                                    " · "
                                    a href=(format!("/c/{id}/reports")) { "Reports" span.visually-hidden { " in " (c.cohort.name) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }).into_response())
}

/// The enrol form, empty.
pub async fn enrol_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let lead = lead::lead(&state.services, &user.caller, CohortId(cohort_id)).await?;
    Ok(enrol_page(&user, &lead, lead.version, "", None).into_response())
}

#[derive(Deserialize)]
pub struct EnrolForm {
    csrf: String,
    csv: String,
    /// The cohort's edit version when the form was first shown.
    version: i64,
    /// `preview` (check and show, write nothing) or `enrol` (write what was previewed).
    step: String,
}

/// Checks and previews a CSV, or enrols it. A file with bad rows writes nothing and comes back in
/// the form with every bad line listed.
pub async fn enrol(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
    PageForm(form): PageForm<EnrolForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let services = &state.services;
    let lead = lead::lead(services, &user.caller, CohortId(cohort_id)).await?;
    let outcome = if form.step == "enrol" {
        lead::enrol(services, &user.caller, &lead, &form.csv, form.version)
            .await
            .map(Outcome::Enrolled)
    } else {
        lead::preview_enrol(&lead, &form.csv).map(Outcome::Preview)
    };
    match outcome {
        Ok(outcome) => {
            Ok(enrol_page(&user, &lead, form.version, &form.csv, Some(outcome)).into_response())
        }
        Err(EnrolError::BadRows(problems)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            enrol_page(
                &user,
                &lead,
                form.version,
                &form.csv,
                Some(Outcome::Bad(problems)),
            ),
        )
            .into_response()),
        Err(EnrolError::App(e)) => Err(e.into()),
    }
}

/// What the last submission of the enrol form gave.
enum Outcome {
    Preview(Vec<PreviewRow>),
    Bad(Vec<RowProblem>),
    Enrolled(crate::app::enrol::EnrolSummary),
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Participant => "participant",
        Role::Manager => "manager",
        Role::ChangeLead => "change lead",
    }
}

fn enrol_page(
    user: &SignedIn,
    lead: &LeadAccess,
    version: i64,
    csv: &str,
    outcome: Option<Outcome>,
) -> Markup {
    let cohort = &lead.access.cohort;
    let action = format!("/lead/c/{}/enrol", cohort.id().0);
    page(
        &format!("Enrol people in {}", cohort.name()),
        Some(user),
        html! {
            p { a href="/lead" { "← Cohorts you lead" } }
            h1 { "Enrol people in " (cohort.name()) }
            @match &outcome {
                Some(Outcome::Enrolled(summary)) => {
                    div.flash.flash-ok role="status" { p { "Enrolled: " (summary) "." } }
                }
                Some(Outcome::Bad(problems)) => {
                    div.flash.flash-error role="alert" {
                        p { strong { (problems.len()) " bad row(s); nothing was imported." } " Correct them below and check again." }
                        ul { @for p in problems { li { (p) } } }
                    }
                }
                Some(Outcome::Preview(rows)) => {
                    section.card aria-labelledby="preview" {
                        h2 #preview { "Check before enrolling" }
                        p { (rows.len()) " people will be enrolled, or moved to the role and team shown. Nothing is written until you press Enrol." }
                        div.table-wrap {
                            table.data {
                                caption { "People in the file" }
                                thead { tr { th scope="col" { "Email" } th scope="col" { "Name" } th scope="col" { "Team" } th scope="col" { "Role" } } }
                                tbody { @for r in rows { tr {
                                    td { (r.email) } th scope="row" { (r.name) }
                                    td { (r.team.as_deref().unwrap_or("–")) } td { (role_name(r.role)) }
                                } } }
                            }
                        }
                        form method="post" action=(action) {
                            (csrf_field(&user.csrf))
                            input type="hidden" name="csv" value=(csv);
                            input type="hidden" name="version" value=(version);
                            input type="hidden" name="step" value="enrol";
                            button.primary type="submit" { "Enrol " (rows.len()) " people" }
                        }
                    }
                }
                None => {}
            }
            section.card aria-labelledby="csv-title" {
                h2 #csv-title { "People as CSV" }
                form.stack method="post" action=(action) {
                    (csrf_field(&user.csrf))
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="step" value="preview";
                    label for="csv" { "CSV with a header row" }
                    p.hint #csv-hint { "Columns email, name, team and role (participant, manager or change_lead; participant when blank). Everyone but a change lead needs a team. The same file as for " code { "muster enrol" } "." }
                    textarea #csv name="csv" rows="10" wrap="off" required aria-describedby="csv-hint" spellcheck="false" { (csv) }
                    button.primary type="submit" { "Check the file" }
                }
            }
        },
    )
}

/// The audit log of a cohort: who did what, when.
pub async fn audit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let lead = lead::lead(&state.services, &user.caller, CohortId(cohort_id)).await?;
    let entries = lead::audit_log(&state.services, &lead).await?;
    let cohort = &lead.access.cohort;
    Ok(page(&format!("Audit log of {}", cohort.name()), Some(&user), html! {
        p { a href="/lead" { "← Cohorts you lead" } }
        h1 { "Audit log of " (cohort.name()) }
        @if entries.is_empty() {
            p { "Nothing yet." }
        } @else {
            div.table-wrap {
                table.data {
                    caption { "Admin actions, newest first" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Detail" } } }
                    tbody { @for e in &entries { tr {
                        td { (local_time(e.at, cohort.tz)) }
                        td { (e.by.as_deref().unwrap_or("the command line")) }
                        td { (e.action) }
                        td { (e.detail) }
                    } } }
                }
            }
        }
    }).into_response())
}
