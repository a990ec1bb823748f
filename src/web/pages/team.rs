//! A manager's team page: who is keeping up today (with a one-tap word of encouragement for
//! those who have not done it yet), the team's days as charts with tables, and a member's
//! journey as the manager may see it. Also the team's card on the manager's Today.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::chart::{self, Series};
use super::journey::cell;
use super::layout::{csrf_field, local_time, page};
use crate::app::journey::CellState;
use crate::app::team::{self, Encouraged, Member, Summary, TeamView};
use crate::domain::{CohortId, PersonId};
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// How a member's today reads: plain, and kind when it is not done yet.
fn today_words(today: Option<CellState>) -> (&'static str, &'static str) {
    match today {
        Some(CellState::Done) => ("done", "Done"),
        Some(CellState::Late) => ("done", "Done, caught up"),
        Some(CellState::Rest) => ("rest", "Rest day"),
        Some(CellState::Today) => ("not-yet", "Not yet: there is still time"),
        Some(CellState::CatchUp) => ("not-yet", "Not yet: can still catch up"),
        Some(CellState::Missed) => ("not-yet", "Not done this time"),
        Some(CellState::NotJoined) => ("rest", "Joined after this day"),
        Some(CellState::Upcoming) | None => ("rest", "No day open yet"),
    }
}

fn days_word(n: u32) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// The member just encouraged, or already encouraged today.
    encouraged: Option<i64>,
    again: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let view = team::view(&state.services, &access).await?;
    let name_of = |id: Option<i64>| {
        view.members
            .iter()
            .find(|m| Some(m.id.get()) == id)
            .map(|m| m.name.clone())
    };
    let flash = match (name_of(query.encouraged), name_of(query.again)) {
        (Some(name), _) => Some(format!("Your encouragement is on its way to {name}.")),
        (_, Some(name)) => Some(format!(
            "{name} has had a word of encouragement today already; one a day is plenty."
        )),
        _ => None,
    };
    let body = html! {
        p { a href="/today" { "← Today" } }
        h1 { "Your team: " (view.team_name) }
        @if let Some(flash) = flash { p.flash.flash-ok role="status" { (flash) } }
        (members_card(&user, cohort_id, &view))
        (charts(&view))
    };
    Ok(page(&format!("Team {}", view.team_name), Some(&user), body).into_response())
}

fn members_card(user: &SignedIn, cohort_id: i64, view: &TeamView) -> Markup {
    html! {
        section.card aria-labelledby="members" {
            h2 #members {
                @match view.today { Some(day) => { "Day " (day) " of " (view.length) }, None => "Before day 1" }
            }
            p.lead { (view.done_today()) " of " (view.members.len()) " done so far." }
            @if view.members.is_empty() { p { "Nobody is enrolled in your team yet." } }
            ul.members {
                @for m in &view.members { (member_row(user, cohort_id, m)) }
            }
            p.muted.small { "Each row shows the last " (team::RECENT_DAYS) " days: ✓ done · ● open now · ! can still be caught up · ✗ missed · z rest day · – before joining." }
        }
    }
}

fn member_row(user: &SignedIn, cohort_id: i64, m: &Member) -> Markup {
    let (class, words) = today_words(m.today);
    html! {
        li.member {
            div.member-head {
                a.member-name href=(format!("/c/{cohort_id}/team/{}", m.id)) { (m.name) }
                span class=(format!("status {class}")) { (words) }
            }
            p.member-streak { "Streak: " (m.streak) " " (days_word(m.streak)) }
            ol.journey.week aria-label=(format!("{}'s last {} days", m.name, m.recent.len())) {
                @for (day, state) in &m.recent {
                    @let (class, glyph, words) = cell(*state);
                    li class=(class) { span { (day) } " " span aria-hidden="true" { (glyph) } span.visually-hidden { ": " (words) } }
                }
            }
            @if m.may_encourage() {
                form.inline method="post" action=(format!("/c/{cohort_id}/team/{}/encourage", m.id)) {
                    (csrf_field(&user.csrf))
                    button.secondary type="submit" { "Encourage " span.visually-hidden { (m.name) } }
                }
            } @else if m.encouraged {
                p.muted.small { "Encouraged today." }
            }
        }
    }
}

fn count(v: f64) -> String {
    format!("{v:.0}")
}

fn average(v: f64) -> String {
    format!("{v:.1}")
}

fn charts(view: &TeamView) -> Markup {
    let days: Vec<_> = view.days.iter().map(|d| d.day).collect();
    let size = view.members.len() as f64;
    let most = view
        .days
        .iter()
        .map(|d| d.reflections.max(d.reactions))
        .max()
        .unwrap_or(0);
    let checkins = view.days.iter().map(|d| d.checkin).collect::<Vec<_>>();
    let crowd_note = format!("fewer than {} answered", view.checkin_crowd);
    html! {
        section.card aria-labelledby="completion" {
            h2 #completion { "Days done" }
            p.muted { "How many of the team completed each day; rest days are shown beside them." }
            (chart::bars("completion-chart", "Team members who completed each day, and who rested", &days, &[
                Series { name: "Done", class: "bar-done", values: view.days.iter().map(|d| Some(f64::from(d.done))).collect() },
                Series { name: "Rest day", class: "bar-rest", values: view.days.iter().map(|d| Some(f64::from(d.rested))).collect() },
            ], size, count, "0"))
        }
        section.card aria-labelledby="sharing" {
            h2 #sharing { "Reflections and reactions" }
            p.muted { "Reflections the team shared by name each day, and the reactions they received." }
            (chart::bars("sharing-chart", "Reflections shared by name, and reactions to them, by day", &days, &[
                Series { name: "Reflections", class: "bar-done", values: view.days.iter().map(|d| Some(f64::from(d.reflections))).collect() },
                Series { name: "Reactions", class: "bar-alt", values: view.days.iter().map(|d| Some(f64::from(d.reactions))).collect() },
            ], f64::from(most), count, "0"))
        }
        section.card aria-labelledby="checkins" {
            h2 #checkins { "How shifts went" }
            p.muted { "The team's average shift check-in (1 to 5), only on days when at least " (view.checkin_crowd) " of the team answered. Nobody's own answer is shown." }
            @if checkins.iter().all(Option::is_none) {
                p { "Not enough answers yet to show a team average." }
            } @else {
                (chart::bars("checkin-chart", "The team's average shift check-in by day", &days, &[
                    Series { name: "Team average", class: "bar-alt", values: checkins },
                ], 5.0, average, &crowd_note))
            }
        }
    }
}

pub async fn member(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, person)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let journey = team::member(&state.services, &access, PersonId(person)).await?;
    let tz = access.cohort.tz;
    let body = html! {
        p { a href=(format!("/c/{cohort_id}/team")) { "← Your team" } }
        h1 { (journey.name) }
        section.card aria-labelledby="streaks" {
            h2 #streaks { "Streaks" }
            div.stats {
                div.stat { span.stat-value { (journey.streaks.current) } span.stat-label { "current streak" } }
                div.stat { span.stat-value { (journey.streaks.best) } span.stat-label { "best streak" } }
            }
        }
        section.card aria-labelledby="days" {
            h2 #days { "The days" }
            ol.journey {
                @for (day, state) in &journey.cells {
                    @let (class, glyph, words) = cell(*state);
                    li class=(class) { span { (day) } " " span aria-hidden="true" { (glyph) } span.visually-hidden { ": " (words) } }
                }
            }
            p.journey-legend.muted { "✓ done · ● open now · ! can still be caught up · ✗ missed · z rest day · – before joining" }
        }
        section.card aria-labelledby="shared" {
            h2 #shared { "What they shared" }
            p.muted { "Only reflections shared with the cohort or the team by name. Anything kept private or posted anonymously stays that way." }
            @if journey.reflections.is_empty() { p { "Nothing shared by name yet." } }
            ol.feed {
                @for r in &journey.reflections {
                    li { article.reflection {
                        p.meta { "Day " (r.day) " · " (local_time(r.updated_at, tz)) " · " span.badge-tag { (r.visibility.label()) } }
                        p.body { (r.body) }
                    } }
                }
            }
        }
    };
    Ok(page(&journey.name, Some(&user), body).into_response())
}

#[derive(Deserialize)]
pub struct EncourageForm {
    csrf: String,
}

pub async fn encourage(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, person)): Path<(i64, i64)>,
    PageForm(form): PageForm<EncourageForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let outcome = team::encourage(&state.services, &access, PersonId(person)).await?;
    let flag = match outcome {
        Encouraged::Queued => "encouraged",
        Encouraged::NotAgain => "again",
    };
    Ok(Redirect::to(&format!("/c/{cohort_id}/team?{flag}={person}")).into_response())
}

/// The team at a glance on a manager's Today, linking to the team page.
pub fn card(cohort_id: CohortId, s: &Summary) -> Markup {
    let percent = |share: f64| format!("{:.0}%", share * 100.0);
    html! {
        section.card.team-card aria-labelledby=(format!("team-today-{cohort_id}")) {
            h2 id=(format!("team-today-{cohort_id}")) { "Your team today" }
            p.lead { (s.done_today) " of " (s.members) " done so far." }
            @if !s.resting.is_empty() { p { "On a rest day: " (s.resting.join(", ")) "." } }
            @match (s.this_week, s.last_week) {
                (Some(now), Some(before)) => p { "This week " (percent(now)) " of days done (the week before: " (percent(before)) ")." },
                (Some(now), None) => p { "This week " (percent(now)) " of days done." },
                _ => {}
            }
            p { a href=(format!("/c/{cohort_id}/team")) { "See your team" } }
        }
    }
}
