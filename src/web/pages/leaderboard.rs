//! The participant's leaderboard page: their rank in the cohort and in their team with
//! neighbours, the teams (theirs with neighbours), this week, and who was first today.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use chrono::NaiveDate;

use super::layout::{Tab, page_in};
use crate::app::leaderboard::{self, Row};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;

/// A board as an ordered table made for a phone: place, name and points fit 360 px, the
/// person's own row is highlighted (and says "you" in words), equal points show as "=2".
pub fn table(caption: &str, rows: &[Row], unit: &str) -> Markup {
    html! {
        table.data.board {
            caption { (caption) }
            thead { tr { th scope="col" { abbr title="Place" { "#" } } th scope="col" { "Name" } th.num scope="col" { (unit) } } }
            tbody {
                @for row in rows {
                    tr.me[row.me] aria-current=[row.me.then_some("true")] {
                        td.place { @if row.tied { span aria-hidden="true" { "=" } span.visually-hidden { "joint " } } (row.place) }
                        th scope="row" { (row.name) @if row.me { " " span.you-tag { "you" } } }
                        td.num { (row.points) }
                    }
                }
            }
        }
    }
}

/// "Mon 30 Nov - Sun 6 Dec" for a week given by its first and last ISO dates.
fn week_in_words(starts: &str, ends: &str) -> Option<String> {
    let words = |d: &str| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .map(|d| d.format("%a %-d %b").to_string())
    };
    Some(format!("{} - {}", words(starts)?, words(ends)?))
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
    let boards = leaderboard::leaderboards(&state.services, &access).await?;
    let team_unit = if boards.teams_per_member {
        "Points per member"
    } else {
        "Points"
    };
    let week = week_in_words(&boards.week_starts, &boards.week_ends).unwrap_or(boards.week.clone());
    let body = html! {
        h1 { "Leaderboard" }
        @if boards.stale { p.stale role="status" { "Updating: the latest points are saved and will appear shortly." } }
        section.card { (table("The cohort", &boards.people, "Points"))
            @if !boards.around_me.is_empty() { (table("Around you", &boards.around_me, "Points")) }
            @if !boards.in_my_team.is_empty() { (table("In your team", &boards.in_my_team, "Points")) } }
        section.card { (table("Teams", &boards.teams, team_unit))
            @if !boards.around_my_team.is_empty() { (table("Around your team", &boards.around_my_team, team_unit)) }
            @if boards.teams_per_member { p.hint { "Teams are ranked by points per member, so small and large teams compete fairly." } } }
        section.card { (table(&format!("This week: {week}"), &boards.this_week, "Points")) }
        @if let Some(day) = boards.day {
            section.card {
                h2 { "First to complete day " (day) }
                @if boards.first_today.is_empty() { p { "Nobody yet: it could be you." } }
                ol.first-today { @for row in &boards.first_today { li.me[row.me] { (row.name) @if row.me { " " span.you-tag { "you" } } } } }
            }
        }
    };
    Ok(page_in(Some(Tab::Leaderboard), "Leaderboard", Some(&user), body).into_response())
}
