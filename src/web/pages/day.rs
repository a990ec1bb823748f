//! Today's challenge and one day in full, with the form that completes it and its reflection.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::journey::progress_stats;
use super::layout::{Tab, csrf_field, local_time, page_in};
use crate::app::drafts::{self, Draft};
use crate::app::journey::{self, Celebration, DayView, Progress, deadline};
use crate::app::people::{self, CohortAccess};
use crate::app::signin::new_secret;
use crate::app::submission::{
    self, MAX_REFLECTION_CHARS, StoredReflection, SubmitOutcome, SubmitRequest, Visibility,
};
use crate::app::{AppError, Refusal};
use crate::domain::{CohortId, Day};
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
    /// When the draft under review was kept, if it came back from the server.
    kept_at: Option<DateTime<Utc>>,
}

/// What the top of a day's card says besides its status: the person's progress, and, right
/// after saving, the celebration (with their rank before saving).
#[derive(Clone, Copy, Default)]
struct Top<'a> {
    progress: Option<&'a Progress>,
    celebration: Option<(&'a Celebration, Option<usize>)>,
}

/// A heading at `level` (1 on a day's own page, 2 under Today's heading, and so on down).
fn heading(level: u8, id: Option<&str>, content: Markup) -> Markup {
    match level {
        1 => html! { h1 id=[id] { (content) } },
        2 => html! { h2 id=[id] { (content) } },
        _ => html! { h3 id=[id] { (content) } },
    }
}

/// "18:00" when it is later today where the cohort is, otherwise the day and time.
fn closing(at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> Markup {
    if at.with_timezone(&tz).date_naive() == now.with_timezone(&tz).date_naive() {
        html! { time datetime=(at.to_rfc3339()) { (at.with_timezone(&tz).format("%H:%M")) } }
    } else {
        local_time(at, tz)
    }
}

/// The person's status on a day, in words that never shame: to do (and when it closes), done,
/// late (and until when), a rest day, or closed.
fn status(view: &DayView, now: DateTime<Utc>, tz: Tz) -> Markup {
    html! {
        @match (view.submission, view.rest, &view.window) {
            (Some(done), _, _) => p.status.status-done { span aria-hidden="true" { "✓ " } "Done" @if done.late { " (late)" } },
            (None, true, _) => p.status.status-rest { "Rest day: your run is kept" },
            (None, false, Window::OnTime { closes_at }) => p.status.status-todo { "To do · closes at " (closing(*closes_at, now, tz)) },
            (None, false, Window::Late { until }) => p.status.status-late { "Late: you can still do it until " (closing(*until, now, tz)) },
            (None, false, _) => p.status.status-closed { "This day has closed. There is always the next one." },
        }
    }
}

/// Right after saving: the day done, the runs, points, badges, rank and colleagues' reactions.
fn celebration(
    view: &DayView,
    feed: &str,
    celebration: &Celebration,
    before: Option<usize>,
) -> Markup {
    let progress = &celebration.progress;
    let earned: i64 = view.earned.iter().map(|(_, p)| p).sum();
    html! {
        div.celebrate role="status" {
            p.celebrate-title {
                @if progress.back_after_a_break() { "Welcome back! " }
                "Day " (view.day) " is done."
            }
            (progress_stats(progress, true))
            @if earned > 0 {
                p { "You earned " strong { (earned) " points" } ": "
                    (view.earned.iter().map(|(r, p)| format!("{} {p}", r.label().to_lowercase())).collect::<Vec<_>>().join(", ")) "." }
            }
            @if !view.badges.is_empty() {
                ul.shelf.new-badges {
                    @for badge in &view.badges {
                        li.badge.badge-earned {
                            span.badge-icon aria-hidden="true" { (badge.icon) }
                            span.badge-name { "New badge: " (badge.name) }
                            span.hint { (badge.description) }
                        }
                    }
                }
            }
            @match (celebration.rank, before) {
                (Some(now), Some(was)) if now < was => p { "You moved up from " (ordinal(was)) " to " strong { (ordinal(now)) } " on the cohort board." },
                (Some(now), _) => p { "You are " strong { (ordinal(now)) } " on the cohort board." },
                _ => {},
            }
            @if !celebration.reactions_yesterday.is_empty() {
                p { "On your day " (view.day.get() - 1) " reflection, colleagues said: "
                    (celebration.reactions_yesterday.iter().map(|(label, n)| format!("{label} ×{n}")).collect::<Vec<_>>().join(", ")) "." }
            }
            p { a.button.primary href=(feed) { "See what others learnt" } }
        }
    }
}

/// 1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

pub async fn today(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let services = &state.services;
    let now = services.clock.now();
    let several = user.caller.memberships.len() > 1;
    let mut sections = Vec::new();
    for membership in &user.caller.memberships {
        let access = user.caller.access(services, membership.cohort.id).await?;
        let view = journey::today(services, &access).await?;
        let cohort_id = membership.cohort.id;
        let draft = match &view.latest {
            Some(day) if access.can_submit() && day.window.accepts() => {
                drafts::own(services, &access, day.day).await?
            }
            _ => None,
        };
        let top = Top {
            progress: access.can_submit().then_some(&view.progress),
            celebration: None,
        };
        let team = crate::app::team::summary(services, &access).await?;
        sections.push(html! {
            // A manager opens Today at the start of a shift for the team: its card comes first.
            @if let Some(summary) = &team { (super::team::card(membership.cohort.id, summary)) }
            section.card.day-card aria-labelledby=(format!("cohort-{cohort_id}")) {
                @if several { p.muted.cohort-name { (membership.cohort.name) } }
                @match &view.latest {
                    Some(day) => (day_body(&user, &access, day, view.length, draft_form(draft.as_ref()), top, now, 2, &format!("cohort-{cohort_id}"))),
                    None => h2 id=(format!("cohort-{cohort_id}")) { (membership.cohort.name) ": the challenge has not started yet" }
                }
                @if !view.still_open.is_empty() && access.can_submit() {
                    h3 { "Still open" }
                    ul {
                        @for (day, window) in &view.still_open {
                            li { a href=(format!("/c/{cohort_id}/day/{day}")) { "Day " (day) }
                                @if let Some(until) = deadline(window) {
                                    " until " (local_time(until, access.cohort.tz))
                                }
                                @if matches!(window, Window::Late { .. }) { " (late)" }
                            }
                        }
                    }
                }
                @if let Some((day, at)) = view.next_release {
                    p.muted { "Day " (day) " arrives " (local_time(at, access.cohort.tz)) "." }
                }
                (cohort_links(&user, &access, membership.cohort.id, &membership.cohort.name, several))
            }
        });
    }
    let body = html! {
        h1.page-title { "Today" }
        @if sections.is_empty() {
            section.card { p { "You are not in a challenge yet. Your change lead will enrol you." } }
        }
        @for section in sections { (section) }
    };
    Ok(page_in(Some(Tab::Today), "Today", Some(&user), body).into_response())
}

/// A cohort's own links on Today: the tabs lead to the first cohort only, so with several
/// cohorts each has its feed, journey and board here; managers' and change leads' pages always.
fn cohort_links(
    user: &SignedIn,
    access: &CohortAccess,
    cohort_id: CohortId,
    name: &str,
    several: bool,
) -> Markup {
    let briefing = !access.can_submit();
    let reports = people::is_change_lead(&user.caller.person, access);
    html! {
        @if several || briefing || reports {
            nav.actions aria-label=(format!("{name} links")) {
                @if several {
                    a href=(format!("/c/{cohort_id}/feed")) { "Read the feed" }
                    @if access.can_submit() {
                        a href=(format!("/c/{cohort_id}/journey")) { "My journey" }
                    }
                    a href=(format!("/c/{cohort_id}/leaderboard")) { "Leaderboard" }
                }
                @if briefing {
                    a href=(format!("/c/{cohort_id}/briefing/links")) { "Briefing screen" }
                }
                @if reports {
                    a href=(format!("/c/{cohort_id}/reports")) { "Reports" }
                }
            }
        }
    }
}

/// A kept draft as the form under review.
fn draft_form(draft: Option<&Draft>) -> Option<FormState<'_>> {
    draft.map(|d| FormState {
        text: &d.body,
        visibility: d.visibility,
        checkin: d.checkin,
        key: new_secret(),
        version: String::new(),
        flags: &d.flags,
        error: None,
        kept_at: Some(d.saved_at),
    })
}

/// A day's card: its label and title, the person's status and progress (or, just saved, the
/// celebration), the primary action or the review of flagged parts; then the challenge itself
/// and the completion form. `level` is the title's heading level, `title_id` its id.
#[allow(clippy::too_many_arguments)]
fn day_body(
    user: &SignedIn,
    access: &CohortAccess,
    view: &DayView,
    length: u32,
    form: Option<FormState<'_>>,
    top: Top<'_>,
    now: DateTime<Utc>,
    level: u8,
    title_id: &str,
) -> Markup {
    let cohort_id = access.cohort.id();
    let tz = access.cohort.tz;
    let day = &view.content;
    let done = view.submission.is_some();
    let feed = format!("/c/{cohort_id}/feed?day={}", view.day);
    let form_id = format!("complete-{}", view.day);
    let open = view.window.accepts() && access.can_submit();
    let form = match form {
        Some(form) => form,
        None => current_answers(view),
    };
    let review = open && !form.flags.is_empty();
    html! {
        p.day-label { "Day " (view.day) " of " (length) }
        (heading(level, Some(title_id), html! { (day.title) }))
        @if access.can_submit() {
            @match top.celebration {
                Some((c, before)) => (celebration(view, &feed, c, before)),
                None => {
                    (status(view, now, tz))
                    // Under review, the choices take the room the figures would.
                    @if let (Some(progress), false) = (top.progress, review) { (progress_stats(progress, false)) }
                }
            }
            @if review {
                (review_block(&form, &form_id, view.day.get(), level + 1))
            } @else if top.celebration.is_none() {
                div.primary-actions {
                    @if open && !done {
                        button.primary type="submit" form=(form_id) { "Mark day " (view.day) " as done" }
                        a href=(format!("#reflection-{}", view.day)) { "Add a reflection first" }
                    } @else if done {
                        a.button.primary href=(feed) { "See what others learnt" }
                        @if open { a href=(format!("#reflection-{}", view.day)) { "Edit your reflection" } }
                    } @else {
                        a.button.primary href=(feed) { "Read the feed" }
                    }
                }
            }
        }
        div.challenge {
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
        }
        @if access.can_submit() {
            @if view.reflection.as_ref().is_some_and(|r| r.waiting) {
                p.muted { "Your anonymous reflection is waiting to appear in the feed together with other colleagues' reflections on day " (view.day) ", so that nobody can tell which is yours. Only you can read it until then." }
            }
            @if open {
                (completion_form(user, cohort_id, view, form, &form_id))
            }
            @if !done && open && !view.rest {
                form.inline method="post" action=(format!("/c/{cohort_id}/day/{}/rest", view.day)) {
                    (csrf_field(&user.csrf))
                    button.link type="submit" { "Day off? Take day " (view.day) " as a rest day" }
                }
            }
        }
    }
}

/// The flagged parts in view, with the choices first: edit, post without them, or keep the
/// reflection only for the person. The buttons belong to the completion form below.
fn review_block(form: &FormState<'_>, form_id: &str, day: u32, level: u8) -> Markup {
    html! {
        div.review #review role="alert" {
            (heading(level, None, html! { "Check before you share" }))
            div.review-choices {
                button.primary type="submit" form=(form_id) name="remove_flagged" value="1" { "Post with those parts removed" }
                a.button.secondary href=(format!("#reflection-{day}")) { "Edit it" }
                button.secondary type="submit" form=(form_id) name="keep_private" value="1" { "Keep only for me" }
            }
            p { "Nothing is posted yet: the marked parts could identify someone or a case."
                @if form.kept_at.is_some() { " Your words are kept here, only for you, until the day closes." } }
            blockquote.flagged-text { (highlighted(form.text, form.flags)) }
            ul.flag-list {
                @for flag in form.flags { li { (flag.kind.describe()) ": " mark.flagged { (form.text.get(flag.start..flag.end).unwrap_or_default()) } } }
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
        kept_at: None,
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
    form_id: &str,
) -> Markup {
    let done = view.submission.is_some();
    let action = format!("/c/{cohort_id}/day/{}", view.day);
    html! {
        form.stack #(form_id) method="post" action=(action) {
            (csrf_field(&user.csrf))
            input type="hidden" name="key" value=(form.key);
            input type="hidden" name="version" value=(form.version);
            @if let Some(error) = form.error {
                p.flash.flash-error role="alert" { (error) }
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
    /// The person's rank before saving, for "you moved up"; anything but a number is ignored.
    from: Option<String>,
}

/// A day number from a page's path. There is no day 0, so it answers as a day not released yet
/// does: "not found" for a page to read, a refusal for a form to send.
fn day_to_read(n: u32) -> Result<Day, AppError> {
    Day::new(n).ok_or_else(|| AppError::NotFound(format!("Day {n} has not been released yet.")))
}

/// See [`day_to_read`].
fn day_to_send(n: u32) -> Result<Day, AppError> {
    Day::new(n)
        .ok_or_else(|| Refusal::DayNotReleased.says(format!("Day {n} has not been released yet.")))
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, day)): Path<(i64, u32)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let services = &state.services;
    let access = user.caller.access(services, CohortId(cohort_id)).await?;
    let day = day_to_read(day)?;
    let view = journey::day(services, &access, day).await?;
    let saved = query.saved.is_some() && view.submission.is_some();
    let celebration = match saved {
        true => Some(journey::celebration(services, &access, day).await?),
        false => None,
    };
    let draft = match !saved && view.window.accepts() && access.can_submit() {
        true => drafts::own(services, &access, view.day).await?,
        false => None,
    };
    let before = query.from.and_then(|f| f.parse::<usize>().ok());
    let top = Top {
        progress: None,
        celebration: celebration.as_ref().map(|c| (c, before)),
    };
    Ok(day_page(
        &user,
        &access,
        &view,
        draft_form(draft.as_ref()),
        top,
        services.clock.now(),
    )
    .into_response())
}

/// A day's own page around its card.
fn day_page(
    user: &SignedIn,
    access: &CohortAccess,
    view: &DayView,
    form: Option<FormState<'_>>,
    top: Top<'_>,
    now: DateTime<Utc>,
) -> Markup {
    let length = access.cohort.calendar.length();
    let body = html! {
        section.card.day-card aria-labelledby="day-title" {
            (day_body(user, access, view, length, form, top, now, 1, "day-title"))
        }
    };
    page_in(
        Some(Tab::Today),
        &format!("Day {}", view.day),
        Some(user),
        body,
    )
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
    /// The person chose, from the review, to keep the reflection only for themselves.
    #[serde(default)]
    keep_private: Option<String>,
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
    let visibility = match form.keep_private {
        Some(_) => Some(Visibility::Private),
        None => form
            .visibility
            .as_deref()
            .map(Visibility::choose)
            .transpose()?,
    };
    let checkin = match form.checkin.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse::<u8>().map_err(|_| {
            Refusal::CheckinOutOfRange.says("The shift check-in is a number from 1 to 5.")
        })?),
    };
    let day = day_to_send(day)?;
    let request = SubmitRequest {
        day,
        reflection: form.reflection.clone(),
        checkin,
        visibility,
        idempotency_key: form.key.clone(),
        remove_flagged: form.remove_flagged.is_some(),
        version: form.version.clone(),
    };
    // Read before saving, for "you moved up" on the saved page.
    let before = journey::rank(services, &access).await;
    let (flags, refused) = match submission::submit(
        services,
        &user.caller.person,
        &access,
        &request,
    )
    .await
    {
        Ok(SubmitOutcome::Stored(_)) => {
            let from = before.map(|r| format!("&from={r}")).unwrap_or_default();
            return Ok(
                Redirect::to(&format!("/c/{cohort_id}/day/{day}?saved=1{from}")).into_response(),
            );
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
        // A reflection sent back for review was kept as a draft by the use case.
        kept_at: (!flags.is_empty()).then(|| services.clock.now()),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = day_page(
        &user,
        &access,
        &view,
        Some(answers),
        Top::default(),
        services.clock.now(),
    );
    Ok((status, page).into_response())
}

/// The day's form holding what is stored, with a message saying the request was not applied:
/// nothing typed is claimed as saved when it was not.
async fn stored_again(
    services: &crate::app::Services,
    user: &SignedIn,
    access: &CohortAccess,
    day: Day,
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
        kept_at: None,
    };
    let page = day_page(
        user,
        access,
        &view,
        Some(answers),
        Top::default(),
        services.clock.now(),
    );
    Ok((StatusCode::CONFLICT, page).into_response())
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
    let day = day_to_send(day)?;
    submission::mark_rest_day(&state.services, &user.caller.person, &access, day).await?;
    Ok(Redirect::to(&format!("/c/{cohort_id}/journey")).into_response())
}
