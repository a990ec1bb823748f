//! Mail choices: the one-click unsubscribe link every reminder carries (it works without signing
//! in, by its token alone) and the preferences page (which reminders, and quiet hours).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::layout::{csrf_field, message_page, page};
use crate::app::reminders::{self, QuietChoice, Unsubscribe};
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// Opening the link shows a button: mail scanners open links, and must not unsubscribe anyone.
pub async fn confirm(Path(token): Path<String>) -> Response {
    page(
        "Stop these reminders",
        None,
        html! {
            section.card {
                h1 { "Stop these reminders?" }
                p { "You will get no more of these reminders for this cohort. You can turn them back on from your preferences page." }
                form.stack method="post" action=(format!("/unsubscribe/{token}")) {
                    button.primary type="submit" { "Stop these reminders" }
                }
            }
        },
    )
    .into_response()
}

/// The POST a mail client sends for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, or the
/// button above. The token is the only credential: no session, no form token, body ignored.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    Ok(match reminders::unsubscribe(&state.services, &token).await? {
        Unsubscribe::Done { cohort, kind } => message_page(
            "Reminders stopped",
            &format!(
                "You will get no more reminders \"{kind}\" for {cohort}. Changed your mind? Sign in and open Preferences."
            ),
        )
        .into_response(),
        Unsubscribe::NotValid => (
            StatusCode::NOT_FOUND,
            message_page(
                "Nothing changed",
                "This unsubscribe link is not valid or has been used already, so nothing was changed. \
                 Sign in and open Preferences to choose which reminders you get.",
            ),
        )
            .into_response(),
    })
}

pub async fn preferences(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    let cohorts = reminders::choices(&state.services, &user.caller.person).await?;
    Ok(page(
        "Preferences",
        Some(&user),
        html! {
            h1 { "Email preferences" }
            @if cohorts.is_empty() {
                section.card { p { "You are not enrolled in any cohort, so muster sends you no reminders." } }
            }
            @for cohort in &cohorts {
                section.card aria-labelledby=(format!("cohort-{}", cohort.cohort_id)) {
                    h2 id=(format!("cohort-{}", cohort.cohort_id)) { (cohort.cohort) }
                    form.stack method="post" action=(format!("/preferences/{}", cohort.cohort_id)) {
                        (csrf_field(&user.csrf))
                        fieldset {
                            legend { "Email me" }
                            // The box inside its label, as the day page's choices are: one
                            // line each, so no box reads as belonging to the text above it.
                            @for (kind, name, on) in &cohort.kinds {
                                label { input type="checkbox" name=(kind) value="on" checked[*on]; " " (name) }
                            }
                        }
                        @let (start, end) = cohort
                            .own_quiet_hours
                            .as_deref()
                            .and_then(|h| h.split_once('-'))
                            .unwrap_or(("", ""));
                        @let hint = format!("quiet-hint-{}", cohort.cohort_id);
                        fieldset aria-describedby=(hint) {
                            legend { "My quiet hours" }
                            p.muted id=(hint) {
                                "No reminders between these times (" (cohort.time_zone) "); one due then waits until they end. "
                                @if cohort.cohort_quiet_hours.is_empty() {
                                    "Leave both empty for none."
                                } @else {
                                    "Leave both empty to use the cohort's, " (cohort.cohort_quiet_hours) "."
                                }
                            }
                            @let start_id = format!("quiet-start-{}", cohort.cohort_id);
                            @let end_id = format!("quiet-end-{}", cohort.cohort_id);
                            div {
                                label for=(start_id) { "From" }
                                " "
                                input id=(start_id) type="time" name=(QUIET_START) value=(start);
                            }
                            div {
                                label for=(end_id) { "Until" }
                                " "
                                input id=(end_id) type="time" name=(QUIET_END) value=(end);
                            }
                        }
                        button.primary type="submit" { "Save" }
                    }
                }
            }
        },
    )
    .into_response())
}

/// The preferences form's quiet-hours fields.
const QUIET_START: &str = "quiet_start";
const QUIET_END: &str = "quiet_end";

/// Saves one cohort's choices: the checked boxes are the reminders wanted, and the quiet hours.
pub async fn choose(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort): Path<i64>,
    PageForm(input): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    user.check_form(input.get("csrf").map_or("", String::as_str))?;
    let on: Vec<String> = input
        .keys()
        .filter(|k| !["csrf", QUIET_START, QUIET_END].contains(&k.as_str()))
        .cloned()
        .collect();
    let field = |name: &str| input.get(name).cloned().unwrap_or_default();
    let quiet = QuietChoice {
        start: field(QUIET_START),
        end: field(QUIET_END),
    };
    reminders::choose(&state.services, &user.caller.person, cohort, &on, &quiet).await?;
    Ok(Redirect::to("/preferences").into_response())
}
