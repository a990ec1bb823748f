//! My journey: the days as a grid, streaks, and my own reflections (private ones included, which
//! only their author ever sees).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::layout::{Tab, local_time, page_in};
use crate::app::journey::{self, CellState, Progress};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;

/// Days done first (a break never takes them away), then the current run, then the best run
/// kept; with `best` false, points instead of the best run (Today's compact row).
pub fn progress_stats(progress: &Progress, best: bool) -> Markup {
    let run = |n: u32| {
        if n == 1 {
            "day in a row"
        } else {
            "days in a row"
        }
    };
    html! {
        ul.stats {
            li.stat { span.stat-value { (progress.days_done) } " " span.stat-label { @if progress.days_done == 1 { "day done" } @else { "days done" } } }
            li.stat { span.stat-value { (progress.streaks.current) } " " span.stat-label { (run(progress.streaks.current)) " now" } }
            @if best {
                li.stat { span.stat-value { (progress.streaks.best) } " " span.stat-label { "best run" } }
            } @else {
                li.stat { span.stat-value { (progress.points) } " " span.stat-label { "points" } }
            }
        }
    }
}

/// A cell's class, glyph and words for screen readers.
pub(super) fn cell(state: CellState) -> (&'static str, &'static str, &'static str) {
    match state {
        CellState::Done => ("done", "✓", "done"),
        CellState::Late => ("late", "✓", "done late"),
        CellState::CatchUp => ("missed", "!", "missed, can still be caught up"),
        CellState::Missed => ("missed", "✗", "missed"),
        CellState::NotJoined => ("rest", "–", "before joining"),
        CellState::Rest => ("rest", "z", "rest day"),
        CellState::Today => ("today", "●", "open now"),
        CellState::Upcoming => ("upcoming", "", "not released yet"),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let view = journey::journey(&state.services, &access).await?;
    let shelf = journey::shelf(&state.services, &access).await?;
    let tz = access.cohort.tz;
    let body = html! {
        h1 { "My journey" }
        section.card aria-labelledby="streaks" {
            h2 #streaks { "Days done and runs" }
            (progress_stats(&view.progress, true))
        }
        section.card aria-labelledby="points" {
            h2 #points { "Points: " (view.progress.points) }
            @if view.points.is_empty() { p { "Complete a day to earn your first points." } }
            table.data {
                caption.visually-hidden { "Points by reason" }
                tbody {
                    @for (reason, points) in &view.points {
                        tr { th scope="row" { (reason.label()) } td { (points) } }
                    }
                }
            }
            p.muted { "Rest days left: " (view.rest_days_left) ". A rest day keeps your streak going on a day off." }
        }
        section.card aria-labelledby="badges" {
            h2 #badges { "Badges" }
            ul.shelf {
                @for (badge, earned) in &shelf {
                    li.badge.badge-earned[*earned] {
                        span.badge-icon aria-hidden="true" { (if *earned { badge.icon.as_str() } else { "·" }) }
                        span.badge-name { (badge.name) }
                        span.visually-hidden { @if *earned { ": earned" } @else { ": not yet" } }
                        span.hint { (badge.description) }
                    }
                }
            }
        }
        section.card aria-labelledby="days" {
            h2 #days { "The days" }
            ol.journey {
                @for (day, state) in &view.cells {
                    @let (class, glyph, words) = cell(*state);
                    li class=(class) {
                        @if matches!(state, CellState::Upcoming) {
                            span { (day) } span.visually-hidden { ": " (words) }
                        } @else {
                            a href=(format!("/c/{cohort_id}/day/{day}")) {
                                span { (day) } " " span aria-hidden="true" { (glyph) } span.visually-hidden { ": " (words) }
                            }
                        }
                    }
                }
            }
            p.journey-legend.muted { "✓ done · ● open now · ! can still be caught up · ✗ missed · z rest day · – before joining" }
        }
        section.card aria-labelledby="mine" {
            h2 #mine { "My reflections" }
            @if view.reflections.is_empty() { p { "Your reflections will appear here." } }
            ol.feed {
                @for (r, editable) in &view.reflections {
                    li { article.reflection {
                        p.meta {
                            "Day " (r.day) " · " (local_time(r.updated_at, tz)) " · "
                            span.badge-tag { (r.visibility.label()) }
                            @if r.waiting { " " span.badge-tag { "Waiting for others" } }
                        }
                        @if let Some(reason) = &r.hidden_reason {
                            p.hidden-note { "Hidden from the feed by a change lead: " (reason) }
                        }
                        p.body { (r.body) }
                        @if *editable { a href=(format!("/c/{cohort_id}/day/{}", r.day)) { "Edit day " (r.day) } }
                    } }
                }
            }
        }
    };
    Ok(page_in(Some(Tab::Journey), "My journey", Some(&user), body).into_response())
}
