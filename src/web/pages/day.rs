//! Today's challenge and one day in full, with the form that completes it and its reflection.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_field, local_time, page};
use crate::app::journey::{self, DayView, deadline};
use crate::app::people::{self, CohortAccess};
use crate::app::signin::new_secret;
use crate::app::submission::{
    self, MAX_REFLECTION_CHARS, StoredReflection, SubmitOutcome, SubmitRequest, Visibility,
};
use crate::app::{AppError, Refusal};
use crate::domain::CohortId;
use crate::rules::safeguarding::Flag;
use crate::rules::window::Window;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// What the completion form shows: empty, the person's current answers, or answers to review.
struct FormState<'a> {
    text: &'a str,
    visibility: Visibility,
    checkin: Option<u8>,
    key: String,
    /// The stored reflection's version the form edits ("" for none).
    version: String,
    flags: &'a [Flag],
    error: Option<&'a str>,
}

pub async fn today(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let services = &state.services;
    let mut sections = Vec::new();
    for membership in &user.caller.memberships {
        let access = user.caller.access(services, membership.cohort.id).await?;
        let view = journey::today(services, &access).await?;
        let team = crate::app::team::summary(services, &access).await?;
        sections.push(html! {
            section.card aria-labelledby=(format!("cohort-{}", membership.cohort.id)) {
                h2 id=(format!("cohort-{}", membership.cohort.id)) { (membership.cohort.name) }
                @match &view.latest {
                    Some(day) => (day_body(&user, &access, day, view.length, None, false)),
                    None => p { "The challenge has not started yet." }
                }
                @if !view.still_open.is_empty() && access.can_submit() {
                    h3 { "Still open" }
                    ul {
                        @for (day, window) in &view.still_open {
                            li { a href=(format!("/c/{}/day/{day}", membership.cohort.id)) { "Day " (day) }
                                @if let Some(until) = deadline(window) {
                                    " until " (local_time(until, access.cohort.tz))
                                }
                                @if matches!(window, Window::Late { .. }) { " (late)" }
                            }
                        }
                    }
                }
                @if let Some(summary) = &team { (super::team::card(membership.cohort.id, summary)) }
                @if let Some((day, at)) = view.next_release {
                    p.muted { "Day " (day) " arrives " (local_time(at, access.cohort.tz)) "." }
                }
                nav.actions aria-label=(format!("{} links", membership.cohort.name)) {
                    a href=(format!("/c/{}/feed", membership.cohort.id)) { "Read the feed" }
                    @if access.can_submit() {
                        a href=(format!("/c/{}/journey", membership.cohort.id)) { "My journey" }
                    }
                    a href=(format!("/c/{}/leaderboard", membership.cohort.id)) { "Leaderboard" }
                    @if !access.can_submit() {
                        a href=(format!("/c/{}/briefing/links", membership.cohort.id)) { "Briefing screen" }
                    }
                    @if people::is_change_lead(&user.caller.person, &access) {
                        a href=(format!("/c/{}/reports", membership.cohort.id)) { "Reports" }
                    }
                }
            }
        });
    }
    let body = html! {
        h1 { "Today" }
        @if sections.is_empty() {
            section.card { p { "You are not in a challenge yet. Your change lead will enrol you." } }
        }
        @for section in sections { (section) }
    };
    Ok(page("Today", Some(&user), body).into_response())
}

/// A day's content and, for a participant, its form or its done state.
fn day_body(
    user: &SignedIn,
    access: &CohortAccess,
    view: &DayView,
    length: u32,
    form: Option<FormState<'_>>,
    just_saved: bool,
) -> Markup {
    let cohort_id = access.cohort.id();
    let day = &view.content;
    let done = view.submission.is_some();
    html! {
        p.day-label { "Day " (view.day) " of " (length) }
        h3 { (day.title) }
        p.why { (day.why) }
        div.action {
            p { strong { "On shift: " } (day.action) }
        }
        @if !day.variants.is_empty() {
            details {
                summary { "Other ways to do it" }
                ul { @for v in &day.variants { li { (v.action) } } }
            }
        }
        @for prompt in &day.prompts { p.prompt { (prompt) } }
        @if !day.links.is_empty() {
            ul { @for link in &day.links { li { a href=(link.url) rel="noopener noreferrer" { (link.title) } } } }
        }
        @if access.can_submit() {
            @if done && form.is_none() && !just_saved {
                p.flash.flash-ok { "Done" @if view.submission.is_some_and(|s| s.late) { " (late)" } ". Thank you." }
            }
            @if view.reflection.as_ref().is_some_and(|r| r.waiting) {
                p.muted { "Your anonymous reflection is waiting to appear in the feed together with other colleagues' reflections on day " (view.day) ", so that nobody can tell which is yours. Only you can read it until then." }
            }
            @match (view.window.accepts(), form) {
                (true, Some(form)) => (completion_form(user, cohort_id, view, form)),
                (true, None) => (completion_form(user, cohort_id, view, current_answers(view))),
                (false, _) => @if !done { p.muted { "This day can no longer be completed." } },
            }
            @if !done && view.window.accepts() {
                form.inline method="post" action=(format!("/c/{cohort_id}/day/{}/rest", view.day)) {
                    (csrf_field(&user.csrf))
                    button.link type="submit" { "Day off? Take day " (view.day) " as a rest day" }
                }
            }
        }
    }
}

fn current_answers(view: &DayView) -> FormState<'_> {
    FormState {
        text: view.reflection.as_ref().map_or("", |r| r.body.as_str()),
        visibility: view
            .reflection
            .as_ref()
            .map_or(Visibility::Cohort, |r| r.visibility),
        checkin: view.submission.and_then(|s| s.checkin),
        key: new_secret(),
        version: view
            .reflection
            .as_ref()
            .map_or_else(String::new, |r| r.version.clone()),
        flags: &[],
        error: None,
    }
}

/// The reflection text with each flagged part marked.
fn highlighted(text: &str, flags: &[Flag]) -> Markup {
    let mut parts = Vec::new();
    let mut at = 0;
    for flag in flags {
        if let (Some(before), Some(part)) =
            (text.get(at..flag.start), text.get(flag.start..flag.end))
        {
            parts.push((before, false));
            parts.push((part, true));
            at = flag.end;
        }
    }
    parts.push((text.get(at..).unwrap_or_default(), false));
    html! {
        @for (part, flagged) in parts {
            @if flagged { mark.flagged { (part) } } @else { (part) }
        }
    }
}

fn completion_form(
    user: &SignedIn,
    cohort_id: CohortId,
    view: &DayView,
    form: FormState<'_>,
) -> Markup {
    let done = view.submission.is_some();
    let action = format!("/c/{cohort_id}/day/{}", view.day);
    html! {
        form.stack method="post" action=(action) {
            (csrf_field(&user.csrf))
            input type="hidden" name="key" value=(form.key);
            input type="hidden" name="version" value=(form.version);
            @if let Some(error) = form.error {
                p.flash.flash-error role="alert" { (error) }
            }
            @if !form.flags.is_empty() {
                div.review role="alert" {
                    h4 { "Check before you share" }
                    p { "These parts look like they could identify someone or a case:" }
                    p { (highlighted(form.text, form.flags)) }
                    ul.flag-list {
                        @for flag in form.flags { li { (flag.kind.describe()) ": " mark.flagged { (form.text.get(flag.start..flag.end).unwrap_or_default()) } } }
                    }
                    p { "Edit your reflection below and check again, or post it with those parts replaced by [removed]." }
                }
            }
            label for=(format!("reflection-{}", view.day)) { "Your reflection (optional)" }
            p.hint id=(format!("reflection-hint-{}", view.day)) { "Two lines is plenty. Up to " (MAX_REFLECTION_CHARS) " characters. Leave out names and case details." }
            textarea id=(format!("reflection-{}", view.day)) name="reflection" rows="6"
                aria-describedby=(format!("reflection-hint-{}", view.day)) { (form.text) }
            fieldset.checkin {
                legend { "How was your shift? (optional)" }
                @for n in 1..=5u8 {
                    label { input type="radio" name="checkin" value=(n) checked[form.checkin == Some(n)]; (n) }
                }
                p.hint { "1 is rough, 5 is great. Only used for anonymous totals." }
            }
            fieldset.choices {
                legend { "Who can read your reflection?" }
                @for v in Visibility::ALL {
                    label { input type="radio" name="visibility" value=(v.as_str()) checked[form.visibility == v]; (v.label()) }
                }
            }
            div.actions {
                @if form.flags.is_empty() {
                    button.primary type="submit" { @if done { "Save changes" } @else { "Mark day " (view.day) " as done" } }
                } @else {
                    button.primary type="submit" { "Check again" }
                    button.secondary type="submit" name="remove_flagged" value="1" { "Post with those parts removed" }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, day)): Path<(i64, u32)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let view = journey::day(&state.services, &access, day).await?;
    let length = access.cohort.calendar.length();
    let body = html! {
        p { a href="/today" { "← Today" } }
        @if query.saved.is_some() {
            div.flash.flash-ok role="status" {
                p { "Saved. Day " (day) " is done. " a href=(format!("/c/{cohort_id}/feed?day={day}")) { "See what others learnt" } }
                @if !view.earned.is_empty() {
                    p { "You earned " (view.earned.iter().map(|(_, p)| p).sum::<i64>()) " points: "
                        (view.earned.iter().map(|(r, p)| format!("{} {p}", r.label().to_lowercase())).collect::<Vec<_>>().join(", ")) "." }
                }
                @for badge in &view.badges {
                    p.badge-earned { span.badge-icon aria-hidden="true" { (badge.icon) } " New badge: " strong { (badge.name) } ". " (badge.description) }
                }
            }
        }
        section.card { h1.visually-hidden { "Day " (day) } (day_body(&user, &access, &view, length, None, query.saved.is_some())) }
    };
    Ok(page(&format!("Day {day}"), Some(&user), body).into_response())
}

#[derive(Deserialize)]
pub struct SubmitForm {
    csrf: String,
    key: String,
    #[serde(default)]
    reflection: String,
    #[serde(default)]
    checkin: Option<String>,
    visibility: Option<String>,
    #[serde(default)]
    remove_flagged: Option<String>,
    /// The version of the reflection the form was made from; absent on forms from before it.
    version: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, day)): Path<(i64, u32)>,
    PageForm(form): PageForm<SubmitForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let services = &state.services;
    let access = user.caller.access(services, CohortId(cohort_id)).await?;
    let visibility = form
        .visibility
        .as_deref()
        .map(Visibility::choose)
        .transpose()?;
    let checkin = match form.checkin.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse::<u8>().map_err(|_| {
            Refusal::CheckinOutOfRange.says("The shift check-in is a number from 1 to 5.")
        })?),
    };
    let request = SubmitRequest {
        day,
        reflection: form.reflection.clone(),
        checkin,
        visibility,
        idempotency_key: form.key.clone(),
        remove_flagged: form.remove_flagged.is_some(),
        version: form.version.clone(),
    };
    let (flags, refused) = match submission::submit(
        services,
        &user.caller.person,
        &access,
        &request,
    )
    .await
    {
        Ok(SubmitOutcome::Stored(_)) => {
            return Ok(Redirect::to(&format!("/c/{cohort_id}/day/{day}?saved=1")).into_response());
        }
        Ok(SubmitOutcome::NeedsReview { flags }) => (flags, None),
        Ok(SubmitOutcome::KeyReused { stored }) => {
            let message = "This form had already been sent, so the changes in it were not saved. Here is what is saved now: change it and save again.";
            return stored_again(services, &user, &access, day, stored, message).await;
        }
        Ok(SubmitOutcome::Stale { stored }) => {
            let message = "Your reflection was changed somewhere else (another tab or an older page) after this form was opened, so these changes were not saved. Here is what is saved now: change it and save again.";
            return stored_again(services, &user, &access, day, Some(stored), message).await;
        }
        Ok(SubmitOutcome::WouldReveal { stored }) => {
            let message = "Colleagues' anonymous reflections on this day were published among people who, like you, kept their reflection without a name. Adding your name now would narrow down who wrote theirs, so it stays as it is. You can still change the text, or keep it only for you.";
            return stored_again(services, &user, &access, day, Some(stored), message).await;
        }
        Err(AppError::Refused(why, message)) => (Vec::new(), Some((why, message))),
        Err(e) => return Err(e.into()),
    };
    // Show the form again with what they wrote, so nothing typed is lost.
    let view = match journey::day(services, &access, day).await {
        Ok(view) if view.window.accepts() && access.can_submit() => view,
        // The day closed since (the only refusal left for a form the checker sent back).
        _ => {
            let (why, message) = refused.unwrap_or((Refusal::DayClosed, String::new()));
            return Err(why.says(message).into());
        }
    };
    let error = refused.map(|(_, message)| message);
    let answers = FormState {
        text: request.reflection.trim(),
        visibility: visibility.unwrap_or(Visibility::Cohort),
        checkin,
        key: form.key.clone(),
        version: form.version.clone().unwrap_or_default(),
        flags: &flags,
        error: error.as_deref(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        section.card {
            h1.visually-hidden { "Day " (day) }
            (day_body(&user, &access, &view, access.cohort.calendar.length(), Some(answers), false))
        }
    };
    Ok((status, page(&format!("Day {day}"), Some(&user), body)).into_response())
}

/// The day's form holding what is stored, with a message saying the request was not applied:
/// nothing typed is claimed as saved when it was not.
async fn stored_again(
    services: &crate::app::Services,
    user: &SignedIn,
    access: &CohortAccess,
    day: u32,
    stored: Option<StoredReflection>,
    message: &str,
) -> Result<Response, PageError> {
    let view = journey::day(services, access, day).await?;
    let answers = FormState {
        text: stored.as_ref().map_or("", |s| s.body.as_str()),
        visibility: stored.as_ref().map_or(Visibility::Cohort, |s| s.visibility),
        checkin: view.submission.and_then(|s| s.checkin),
        key: new_secret(),
        version: stored
            .as_ref()
            .map_or_else(String::new, |s| s.version.clone()),
        flags: &[],
        error: Some(message),
    };
    let body = html! {
        section.card {
            h1.visually-hidden { "Day " (day) }
            (day_body(user, access, &view, access.cohort.calendar.length(), Some(answers), false))
        }
    };
    Ok((
        StatusCode::CONFLICT,
        page(&format!("Day {day}"), Some(user), body),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct RestForm {
    csrf: String,
}

/// Marks the day as a rest day.
pub async fn rest(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, day)): Path<(i64, u32)>,
    PageForm(form): PageForm<RestForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    submission::mark_rest_day(&state.services, &user.caller.person, &access, day).await?;
    Ok(Redirect::to(&format!("/c/{cohort_id}/journey")).into_response())
}
